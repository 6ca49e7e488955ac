//! Moodle competency-framework CSV: an export from Moodle imports with its whole tree of
//! competencies, and mapping to its criteria works like any other framework.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::{arg, day, find, Portfolio};

#[test]
fn moodle_csv_imports_with_its_full_tree() {
    let p = Portfolio::new();
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/moodle-example.csv");
    assert!(fixture.is_file(), "missing fixture {}", fixture.display());
    let report = p.json(&["frameworks", "import", "--moodle-csv", arg(&fixture)]);
    assert_eq!(report["outcome"], "added");
    assert_eq!(report["framework"], "OECD-CORE");
    assert_eq!(report["version"], "1");

    let doc = p.json(&["frameworks", "show", "OECD-CORE"]);
    assert_eq!(doc["code"], "OECD-CORE");
    assert_eq!(doc["kind"], "competence_framework");
    assert_eq!(doc["verified"], false);
    let groups = doc["groups"].as_array().expect("groups");
    let criteria = doc["criteria"].as_array().expect("criteria");
    assert_eq!(groups.len() as u64, report["groups"].as_u64().expect("n"));
    assert_eq!(
        criteria.len() as u64,
        report["criteria"].as_u64().expect("n")
    );
    assert!(
        criteria.len() >= 40,
        "every competency of the file: {}",
        criteria.len()
    );

    // A proper tree: every parent and every criterion's group exists, and the file's nesting is kept.
    let parent: BTreeMap<&str, Option<&str>> = groups
        .iter()
        .map(|g| (g["code"].as_str().expect("code"), g["parent"].as_str()))
        .collect();
    for (code, up) in &parent {
        if let Some(up) = up {
            assert!(
                parent.contains_key(up),
                "group {code} has unknown parent {up}"
            );
        }
    }
    let codes: BTreeSet<&str> = criteria
        .iter()
        .map(|c| c["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes.len(), criteria.len(), "criterion codes are unique");
    for criterion in criteria {
        let group = criterion["group"]
            .as_str()
            .expect("every criterion has a group");
        assert!(parent.contains_key(group), "{criterion}");
        assert!(
            criterion["text"]
                .as_str()
                .is_some_and(|t| !t.trim().is_empty()),
            "{criterion}"
        );
    }
    assert_eq!(parent.get("competencies"), Some(&None));
    assert_eq!(parent.get("delivery"), Some(&Some("competencies")));
    assert_eq!(parent.get("analytical-thinking"), Some(&Some("delivery")));
    assert_eq!(parent.get("teamwork"), Some(&Some("delivery")));
    assert_eq!(parent.get("client-focus"), Some(&Some("interpersonal")));
    assert_eq!(parent.get("strategic-thinking"), Some(&Some("strategic")));
    assert_eq!(
        find(&doc["criteria"], "code", "DR-AT1")["group"],
        "analytical-thinking"
    );
    assert_eq!(
        find(&doc["criteria"], "code", "S-ST-1")["group"],
        "strategic-thinking"
    );

    // It is usable straight away: enrol and map.
    let learner = p.add_learner("Farah Ali");
    p.ok(&["enrol", "--learner", &learner, "OECD-CORE"]);
    let item = p.add_evidence(&learner, "Team project", "other", &day(-1), &["--submit"]);
    p.ok(&["map", &item, "OECD-CORE:DR-TW-1"]);
    let gaps = p.json(&["gaps", "--learner", &learner]);
    assert_eq!(
        gaps["totals"]["criteria"].as_u64(),
        Some(criteria.len() as u64)
    );
    assert_eq!(gaps["totals"]["evidenced"], 1);
    // Importing the same file again, from anywhere, changes nothing.
    let again = p.json(&["frameworks", "import", "--moodle-csv", arg(&fixture)]);
    assert_eq!(again["outcome"], "unchanged");
    let bytes = std::fs::read(&fixture).expect("fixture");
    let moved = p.scratch_file("moodle-example.csv", &bytes);
    let again = p.json(&["frameworks", "import", "--moodle-csv", arg(&moved)]);
    assert_eq!(
        again["outcome"], "unchanged",
        "the folder is not part of the framework"
    );
    assert_eq!(
        doc["source"],
        "Moodle competency framework CSV: moodle-example.csv"
    );
}
