//! docs/cli.md against the real command: every subcommand is documented, and every documented JSON
//! shape has exactly the fields the command prints (a field added to a struct but not to the reference,
//! or documented but gone, fails here).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::common::{arg, day, Portfolio};

fn reference() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/cli.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The field names in the first column of the table under `### {section}`.
fn documented_fields(doc: &str, section: &str) -> BTreeSet<String> {
    let start = doc
        .find(&format!("\n### {section}\n"))
        .unwrap_or_else(|| panic!("no section {section} in docs/cli.md"));
    let body = &doc[start + section.len() + 6..];
    let end = body.find("\n#").unwrap_or(body.len());
    let mut fields = BTreeSet::new();
    for line in body[..end].lines().filter(|l| l.starts_with("| `")) {
        let cell = line.split('|').nth(1).unwrap_or_default();
        for (i, part) in cell.split('`').enumerate() {
            if i % 2 == 1 {
                fields.insert(part.to_string());
            }
        }
    }
    assert!(!fields.is_empty(), "no fields documented for {section}");
    fields
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .cloned()
        .collect()
}

/// The subcommand names listed in `evidence [SUB] --help`.
fn subcommands(p: &Portfolio, parent: &[&str]) -> Vec<String> {
    let mut args = parent.to_vec();
    args.push("--help");
    let help = p.ok(&args);
    let commands = help
        .split("Commands:\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no commands in {help}"));
    commands
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn every_subcommand_has_a_section() {
    let doc = reference();
    let p = Portfolio::new();
    let mut documented = 0;
    for parent in [
        vec![],
        vec!["frameworks"],
        vec!["learners"],
        vec!["settings"],
        vec!["setup"],
        vec!["users"],
        vec!["audit"],
        vec!["feedback"],
    ] {
        for name in subcommands(&p, &parent) {
            let groups = [
                "frameworks",
                "learners",
                "settings",
                "setup",
                "users",
                "audit",
            ];
            if parent.is_empty() && groups.contains(&name.as_str()) {
                continue;
            }
            let mut words = vec!["evidence"];
            words.extend_from_slice(&parent);
            words.push(&name);
            let command = words.join(" ");
            let named = |l: &&str| {
                l.starts_with("### ")
                    && (l.contains(&format!("`{command} ")) || l.contains(&format!("`{command}`")))
            };
            assert!(
                doc.lines().any(|l| named(&l)),
                "docs/cli.md has no section for `{command}`"
            );
            documented += 1;
        }
    }
    assert!(documented >= 25, "only {documented} subcommands found");
}

/// Sets the portfolio up as a centre (so far it had no accounts) with a tutor assigned to `learner`;
/// returns the assignment. Later commands run as the administrator.
fn staff_assignment(p: &Portfolio, learner: &str) -> Value {
    p.centre_with(&[("tom", "Tom Tutor", "tutor")]);
    p.json(&["assign", "tom", "--learner", learner, "--as", "tutor"])
}

/// As an assessor assigned to `learner`: feedback on `item`, the diff of its two versions, a
/// judgement and its signature.
fn review_shapes(p: &Portfolio, learner: &str, item: &str) -> Vec<(&'static str, Value)> {
    p.centre_with(&[("asa", "Asa Assessor", "assessor")]);
    p.ok(&["assign", "asa", "--learner", learner, "--as", "assessor"]);
    p.sign_in_as("asa");
    let feedback = p.json(&["feedback", "add", item, "Clear and specific."]);
    let diff = p.json(&["diff", item, "1", "2"]);
    let judgement = p.json(&[
        "judge",
        "--learner",
        learner,
        "NOCN-L3-CD:PWC.1.1",
        "--met",
        "--evidence",
        item,
    ]);
    let signature = judgement["signature"].clone();
    let caseload = p.json(&["caseload"])[0].clone();
    // Not ready (exit 1), but the report is printed all the same.
    let out = p
        .command()
        .args(["--json", "readiness", "--learner", learner])
        .output()
        .unwrap();
    let readiness: Value = serde_json::from_slice(&out.stdout).unwrap();
    vec![
        ("Feedback", feedback),
        ("VersionDiff", diff),
        ("Judgement", judgement),
        ("Signature", signature),
        ("CaseloadRow", caseload),
        ("Readiness", readiness),
    ]
}

/// The bundle commands' outputs: exported here, checked, and imported on a second computer.
fn bundle_shapes(p: &Portfolio, learner: &str, item: &str) -> Vec<(&'static str, Value)> {
    let file = p.scratch_file("portfolio.zip", b"");
    let exported = p.json(&[
        "bundle",
        "export",
        "--learner",
        learner,
        "--out",
        arg(&file),
    ]);
    let check = p.json(&["bundle", "verify", arg(&file)]);
    let other = Portfolio::new();
    let imported = other.json(&["bundle", "import", arg(&file)]);
    assert_eq!(imported["conflicts"], serde_json::json!([]));
    // Both computers retitle the item: the next import leaves a conflict to resolve.
    p.ok(&["edit", item, "--title", "Retitled here"]);
    other.ok(&["edit", item, "--title", "Retitled there"]);
    p.ok(&[
        "bundle",
        "export",
        "--learner",
        learner,
        "--out",
        arg(&file),
    ]);
    other.ok(&["bundle", "import", arg(&file)]);
    let conflicts = other.json(&["bundle", "conflicts", "--learner", learner]);
    let resolved = other.json(&["bundle", "resolve", item, "--take-theirs", "title"]);
    assert_eq!(resolved["title"], "Retitled here");
    vec![
        ("ConflictView", conflicts[0].clone()),
        ("ExportedBundle", exported),
        ("BundleCheck", check),
        ("BundleImport", imported),
    ]
}

#[test]
fn documented_json_shapes_match_the_output() {
    let doc = reference();
    let p = Portfolio::new();
    let learner = p.enrolled_learner("Mia Clarke");
    let item = p.add_evidence(
        &learner,
        "Partnership meeting",
        "reflective_account",
        &day(-3),
        &["--body", "tenants and partners"],
    );
    let file = p.scratch_file("minutes.txt", b"minutes");
    let attachment = p.json(&["attach", &item, arg(&file)]);
    let map = p.json(&["map", &item, "NOCN-L3-CD:PWC.1.1"]);
    p.ok(&["edit", &item, "--status", "submitted"]);
    let exported = p.scratch_file(
        "cd-nos.toml",
        p.ok(&["frameworks", "export", "CD-NOS"]).as_bytes(),
    );
    let gaps = p.json(&["gaps", "--learner", &learner]);
    let coverage = p.json(&["coverage", "--learner", &learner]);
    let history = p.json(&["show", &item, "--versions"]);

    // Before the centre is set up (below), while the computer's owner may export.
    let bundles = bundle_shapes(&p, &learner, &item);
    let shapes: Vec<(&str, Value)> = vec![
        (
            "FrameworkSummary",
            p.json(&["frameworks", "list"])[0].clone(),
        ),
        ("FrameworkDoc", p.json(&["frameworks", "show", "CD-NOS"])),
        (
            "ImportReport",
            p.json(&["frameworks", "import", arg(&exported)]),
        ),
        ("Suggestion", map["suggestions"][0].clone()),
        ("Learner", p.json(&["learners", "list"])[0].clone()),
        (
            "Enrolment",
            p.json(&["enrol", "--learner", &learner, "CD-NOS"]),
        ),
        ("Evidence", p.json(&["show", &item])),
        ("Attachment", attachment),
        ("MappingView", history["evidence"]["mappings"][0].clone()),
        ("EvidenceVersion", history["versions"][0].clone()),
        (
            "EvidenceSummary",
            p.json(&["list", "--learner", &learner])[0].clone(),
        ),
        ("MapReport", map.clone()),
        ("SearchHit", p.json(&["search", "tenants"])[0].clone()),
        ("Gaps", gaps.clone()),
        ("Totals", gaps["totals"].clone()),
        ("CriterionCoverage", gaps["gaps"][0].clone()),
        ("Coverage", coverage.clone()),
        ("AuditReport", p.json(&["audit", "verify"])),
        ("AuditEntry", p.json(&["audit", "log"])[0].clone()),
        ("Assignment", staff_assignment(&p, &learner)),
        ("User", p.json(&["users", "list"])[0].clone()),
    ];
    let mut shapes = shapes;
    shapes.extend(bundles);
    shapes.extend(review_shapes(&p, &learner, &item));
    for (section, value) in shapes {
        assert_eq!(
            documented_fields(&doc, section),
            keys(&value),
            "docs/cli.md section {section} against {value}"
        );
    }
    // The nested objects described in prose.
    let expect =
        |text: &str| -> BTreeSet<String> { text.split(", ").map(str::to_string).collect() };
    assert_eq!(
        keys(&coverage["frameworks"][0]),
        expect("code, version, title, verified, units, totals, groups")
    );
    assert_eq!(
        keys(&coverage["frameworks"][0]["groups"][0]),
        expect("code, title, kind, parent, depth, totals")
    );
    assert_eq!(
        keys(&coverage["evidence"][0]),
        expect("id, number, title, method, status, activity_date")
    );
    let framework = p.json(&["frameworks", "show", "CD-NOS"]);
    assert_eq!(
        keys(&framework["groups"][0]),
        expect("code, kind, title, parent")
    );
    assert_eq!(
        keys(&framework["criteria"][0]),
        expect("code, kind, text, group")
    );
    for shape in [
        "`{code, kind, title, parent}`",
        "`{code, kind, text, group}`",
        "`{code, version, title, verified, units, totals, groups}`",
        "`{code, title, kind, parent, depth, totals}`",
        "`{id, number, title, method, status, activity_date}`",
        "`{ref, text, mappings}`",
        "`{ref, old_text, new_text, mappings}`",
    ] {
        assert!(
            doc.contains(shape),
            "docs/cli.md no longer describes {shape}"
        );
    }
}
