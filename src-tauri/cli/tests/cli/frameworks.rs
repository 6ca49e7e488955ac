//! Framework files: export and re-import, a new version that keeps evidence mappings and reports what
//! it could not keep, a conflicting re-use of a version, and crosswalk files; the shipped frameworks
//! as `frameworks list` shows them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::common::{arg, day, find, refs, Portfolio};

const AC: &str = "NOCN-L3-CD:PWC.1.1";
const PC3: &str = "CD-NOS:CLDSCCD15.PC3";
const PC4: &str = "CD-NOS:CLDSCCD15.PC4";
const NEW_PC3_TEXT: &str =
    "support communities to agree shared aims and a plan for working together";

#[test]
fn frameworks_list_shows_the_four_shipped_frameworks() {
    let p = Portfolio::new();
    let list = p.json(&["frameworks", "list"]);
    let codes: BTreeSet<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|f| f["code"].as_str().expect("code"))
        .collect();
    assert_eq!(
        codes,
        BTreeSet::from(["CD-NOS", "CD-NOS-VALUES", "CLD-COMPETENCES", "NOCN-L3-CD"])
    );
    let nocn = find(&list, "code", "NOCN-L3-CD");
    assert_eq!(nocn["verified"], false);
    assert_eq!(nocn["kind"], "qualification");
    assert_eq!(nocn["criteria"], 3);
    let nos = find(&list, "code", "CD-NOS");
    assert_eq!(nos["criteria"], 28);
    assert_eq!(nos["verified"], true);
    assert_eq!(nos["kind"], "occupational_standard");
    assert_eq!(find(&list, "code", "CD-NOS-VALUES")["kind"], "values");
    assert_eq!(
        find(&list, "code", "CLD-COMPETENCES")["kind"],
        "competence_framework"
    );
    for framework in list.as_array().expect("list") {
        assert_eq!(framework["current"], true, "{framework}");
        assert!(
            framework["source"].as_str().is_some_and(|s| !s.is_empty()),
            "{framework}"
        );
    }

    // The table a person reads flags the unverified text.
    let table = p.ok(&["frameworks", "list"]);
    let nocn_line = table
        .lines()
        .find(|l| l.starts_with("NOCN-L3-CD"))
        .expect("NOCN row");
    assert!(nocn_line.contains("UNVERIFIED"), "{table}");
    let shown = p.ok(&["frameworks", "show", "NOCN-L3-CD"]);
    assert!(shown.contains("UNVERIFIED"), "{shown}");
    assert!(shown.contains(AC), "{shown}");
}

#[test]
fn an_exported_framework_reimports_unchanged() {
    let p = Portfolio::new();
    let file = p.scratch_file("cd-nos.toml", b"");
    let written = p.json(&["frameworks", "export", "CD-NOS", "--out", arg(&file)]);
    assert_eq!(written["written"], arg(&file));
    let text = std::fs::read_to_string(&file).expect("exported file");
    assert!(
        text.starts_with("format = \"evidence-tracker/framework\""),
        "{text}"
    );
    assert_eq!(text.matches("[[criterion]]").count(), 28);
    // Without --out the same text goes to standard output.
    assert_eq!(p.ok(&["frameworks", "export", "CD-NOS"]), text);

    let before = p.snapshot();
    let report = p.json(&["frameworks", "import", arg(&file)]);
    assert_eq!(report["outcome"], "unchanged");
    assert_eq!(report["framework"], "CD-NOS");
    assert_eq!(report["version"], "2023.2");
    assert_eq!(report["criteria"], 28);
    assert_eq!(
        report["groups"], 30,
        "six key areas, a group for unconfirmed ones, 23 standards"
    );
    assert_eq!(report["mappings_kept"], 0);
    assert_eq!(p.snapshot(), before, "an unchanged import writes nothing");
    let all = p.json(&["frameworks", "list", "--all-versions"]);
    assert_eq!(
        all.as_array()
            .expect("list")
            .iter()
            .filter(|f| f["code"] == "CD-NOS")
            .count(),
        1
    );
}

#[test]
fn a_new_version_keeps_mappings_and_reports_removed_and_changed_criteria() {
    let p = Portfolio::new();
    let learner = p.enrolled_learner("Erin Walsh");
    let item = p.add_evidence(
        &learner,
        "Partnership plan",
        "product_evidence",
        &day(-10),
        &["--submit"],
    );
    p.ok(&[
        "map",
        &item,
        PC3,
        PC4,
        "CD-NOS:CLDSCCD15.PC5",
        "NOCN-L3-CD:PWC.1.1",
    ]);
    let other = p.add_evidence(
        &learner,
        "Risk review",
        "questioning",
        &day(-5),
        &["--submit"],
    );
    p.ok(&["map", &other, PC4]);

    // Version 2024: PC4 removed (two mappings), PC3 reworded (one), PC11 added.
    let exported = p.ok(&["frameworks", "export", "CD-NOS"]);
    let modified = new_version(&exported);
    let file = p.scratch_file("cd-nos-2024.toml", modified.as_bytes());
    let before = p.snapshot();
    let preview = p.json(&["frameworks", "import", "--dry-run", arg(&file)]);
    assert_eq!(before, p.snapshot(), "a dry run writes nothing");
    assert_eq!(preview["outcome"], "new_version");
    assert_eq!(preview["reworded"][0]["reference"], PC3);
    assert_eq!(preview["removed"][0]["reference"], PC4);
    let erin = find(&preview["learners"], "name", "Erin Walsh");
    assert_eq!(erin["mappings_carried"], 2, "PC3 and PC5 carry over");
    assert_eq!(erin["mappings_on_removed"], 2, "PC4 from two items");
    let text = p.ok(&["frameworks", "import", "--dry-run", arg(&file)]);
    assert!(text.contains("REWORDED CD-NOS:CLDSCCD15.PC3"), "{text}");
    assert!(text.contains("Nothing was written"), "{text}");
    let report = p.json(&["frameworks", "import", arg(&file)]);
    assert_eq!(report["outcome"], "new_version");
    assert_eq!(report["framework"], "CD-NOS");
    assert_eq!(report["version"], "2024");
    assert_eq!(report["previous_version"], "2023.2");
    assert_eq!(report["criteria"], 28);
    assert_eq!(report["added"], serde_json::json!(["CLDSCCD15.PC11"]));
    let removed = report["removed"].as_array().expect("removed");
    assert_eq!(removed.len(), 1, "{report}");
    assert_eq!(removed[0]["ref"], PC4);
    assert_eq!(removed[0]["mappings"], 2);
    assert!(removed[0]["text"]
        .as_str()
        .expect("text")
        .contains("risks and benefits"));
    let changed = report["changed"].as_array().expect("changed");
    assert_eq!(changed.len(), 1, "{report}");
    assert_eq!(changed[0]["ref"], PC3);
    assert_eq!(changed[0]["new_text"], NEW_PC3_TEXT);
    assert!(changed[0]["old_text"]
        .as_str()
        .expect("old")
        .contains("short and long-term"));
    assert_eq!(changed[0]["mappings"], 1);
    assert_eq!(report["mappings_kept"], 2, "PC3 and PC5 moved to 2024");

    // The human report names the removed criterion and its mappings.
    let versions = p.json(&["frameworks", "list", "--all-versions"]);
    let nos: Vec<&Value> = versions
        .as_array()
        .expect("list")
        .iter()
        .filter(|f| f["code"] == "CD-NOS")
        .collect();
    assert_eq!(nos.len(), 2);
    assert_eq!(
        nos.iter()
            .map(|f| (
                f["version"].as_str().expect("v"),
                f["current"].as_bool().expect("c")
            ))
            .collect::<BTreeMap<_, _>>(),
        BTreeMap::from([("2023.2", false), ("2024", true)])
    );

    // The evidence keeps its mappings; the removed criterion's is shown as no longer current.
    let shown = p.json(&["show", &item]);
    let mappings = &shown["mappings"];
    let pc3 = find(mappings, "ref", PC3);
    assert_eq!(pc3["current"], true);
    assert_eq!(pc3["framework_version"], "2024");
    assert_eq!(pc3["text"], NEW_PC3_TEXT);
    assert_eq!(
        find(mappings, "ref", "CD-NOS:CLDSCCD15.PC5")["current"],
        true
    );
    assert_eq!(find(mappings, "ref", "NOCN-L3-CD:PWC.1.1")["current"], true);
    let pc4 = find(mappings, "ref", PC4);
    assert_eq!(pc4["current"], false);
    assert_eq!(pc4["framework_version"], "2023.2");
    let text = p.ok(&["show", &item]);
    let pc4_line = text.lines().find(|l| l.contains(PC4)).expect("PC4 line");
    assert!(pc4_line.contains("no longer current"), "{text}");
    assert_eq!(
        p.json(&["list", "--learner", &learner, "--criterion", PC3])
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    // The removed criterion cannot be mapped any more.
    p.refuse(&["map", &other, PC4], "not_found", PC4);

    // Gaps follow the new version: PC4 gone, PC11 new, the reworded PC3 still evidenced.
    let gaps = p.json(&["gaps", "--learner", &learner]);
    assert_eq!(gaps["totals"]["criteria"], 31);
    assert_eq!(gaps["totals"]["evidenced"], 3, "PC3, PC5 and PWC.1.1");
    let open = refs(&gaps["gaps"]);
    assert!(!open.contains(&PC4.to_string()));
    assert!(!open.contains(&PC3.to_string()));
    let pc11 = find(&gaps["gaps"], "ref", "CD-NOS:CLDSCCD15.PC11");
    assert_eq!(pc11["status"], "no_evidence");
    let coverage = p.json(&["coverage", "--learner", &learner]);
    assert_eq!(
        find(&coverage["frameworks"], "code", "CD-NOS")["version"],
        "2024"
    );
    assert_eq!(
        find(&coverage["criteria"], "ref", PC3)["text"],
        NEW_PC3_TEXT
    );
    assert!(!refs(&coverage["criteria"]).contains(&PC4.to_string()));

    // The same version again with different content is refused, and changes nothing.
    let before = p.snapshot();
    let conflicting = modified.replace(NEW_PC3_TEXT, "yet another wording");
    let file = p.scratch_file("cd-nos-2024-bis.toml", conflicting.as_bytes());
    let message = p.refuse(
        &["frameworks", "import", arg(&file)],
        "conflict",
        "version 2024",
    );
    assert!(message.contains("new version"), "{message}");
    assert_eq!(p.snapshot(), before);
    // The exact same file again is fine.
    let file = p.scratch_file("cd-nos-2024-again.toml", modified.as_bytes());
    assert_eq!(
        p.json(&["frameworks", "import", arg(&file)])["outcome"],
        "unchanged"
    );
}

/// Turns the exported CD-NOS 2023 file into a 2024 version: PC4 removed, PC3 reworded, PC11 added.
fn new_version(exported: &str) -> String {
    let mut parts: Vec<String> = exported
        .split("\n[[criterion]]\n")
        .map(str::to_string)
        .collect();
    assert_eq!(parts.len(), 29, "header and 28 criteria");
    let header = parts.remove(0);
    assert!(header.contains("\nversion = \"2023.2\"\n"), "{header}");
    let header = header.replacen("\nversion = \"2023.2\"\n", "\nversion = \"2024\"\n", 1);
    let before = parts.len();
    parts.retain(|c| !c.contains("code = \"CLDSCCD15.PC4\"\n"));
    assert_eq!(parts.len(), before - 1, "PC4 removed");
    let pc3 = parts
        .iter_mut()
        .find(|c| c.contains("code = \"CLDSCCD15.PC3\"\n"))
        .expect("PC3 block");
    let text_line = pc3
        .lines()
        .find(|l| l.starts_with("text = "))
        .expect("text line")
        .to_string();
    *pc3 = pc3.replace(&text_line, &format!("text = \"{NEW_PC3_TEXT}\""));
    let mut out = header;
    for part in parts {
        out.push_str("\n[[criterion]]\n");
        out.push_str(&part);
    }
    out.push_str(
        "\n[[criterion]]\ncode = \"CLDSCCD15.PC11\"\nkind = \"performance_criterion\"\ngroup = \"CLDSCCD15\"\ntext = \"support communities to share what partnership work achieved\"\n",
    );
    out
}

#[test]
fn a_crosswalk_file_adds_links_that_mapping_then_suggests() {
    let p = Portfolio::new();
    const PC9: &str = "CD-NOS:CLDSCCD15.PC9";
    const V11: &str = "CD-NOS-VALUES:V1.1";
    assert_eq!(
        p.json(&["frameworks", "crosswalk", PC9]),
        serde_json::json!([])
    );
    let file = p.scratch_file(
        "crosswalk.toml",
        format!(
            "format = \"evidence-tracker/crosswalk\"\nformat_version = 1\n\n[[link]]\nfrom = \"{PC9}\"\nto = [\"{V11}\"]\nnote = \"Legal rights and challenging discrimination\"\n"
        )
        .as_bytes(),
    );
    assert_eq!(
        p.json(&["frameworks", "import-crosswalk", arg(&file)])["links_added"],
        1
    );
    assert_eq!(
        p.json(&["frameworks", "import-crosswalk", arg(&file)])["links_added"],
        0
    );
    let linked = p.json(&["frameworks", "crosswalk", PC9]);
    assert_eq!(refs(&linked), [V11]);
    assert_eq!(
        linked[0]["note"],
        "Legal rights and challenging discrimination"
    );
    assert!(linked[0]["text"]
        .as_str()
        .expect("text")
        .contains("discrimination"));
    // Links work in both directions.
    assert_eq!(refs(&p.json(&["frameworks", "crosswalk", V11])), [PC9]);

    let learner = p.enrolled_learner("Lena Fischer");
    let item = p.add_evidence(
        &learner,
        "Rights workshop",
        "direct_observation",
        &day(-1),
        &[],
    );
    let report = p.json(&["map", &item, PC9]);
    assert_eq!(refs(&report["suggestions"]), [V11]);
    // CD-NOS-VALUES is not among the learner's enrolments: mapping there is kept but reported.
    let report = p.json(&["map", &item, V11]);
    assert_eq!(report["outside_enrolments"], serde_json::json!([V11]));
    assert_eq!(
        report["suggestions"],
        serde_json::json!([]),
        "PC9 is already mapped"
    );

    let before = p.snapshot();
    let self_link = p.scratch_file(
        "self.toml",
        format!("format = \"evidence-tracker/crosswalk\"\nformat_version = 1\n\n[[link]]\nfrom = \"{PC9}\"\nto = [\"{V11}\", \"{PC9}\"]\n").as_bytes(),
    );
    p.refuse(
        &["frameworks", "import-crosswalk", arg(&self_link)],
        "invalid_framework",
        "itself",
    );
    let bad_ref = p.scratch_file(
        "bad-ref.toml",
        b"format = \"evidence-tracker/crosswalk\"\nformat_version = 1\n\n[[link]]\nfrom = \"no-colon\"\nto = []\n",
    );
    p.refuse(
        &["frameworks", "import-crosswalk", arg(&bad_ref)],
        "invalid_framework",
        "no-colon",
    );
    p.refuse(
        &["frameworks", "crosswalk", "CD-NOS:NOPE"],
        "not_found",
        "CD-NOS:NOPE",
    );
    assert!(p.snapshot() == before);
}
