//! Witness testimony from the terminal: the three witness flags on `add` and `edit`, the witness in
//! `show` (text and JSON), and `readiness` reporting a submitted testimony without them.

use serde_json::{json, Value};

use crate::common::{day, Portfolio};

const WITNESS: [&str; 6] = [
    "--witness-name",
    "Jo Okafor",
    "--witness-role",
    "Housing officer, Anytown Council",
    "--witness-relationship",
    "partner organisation worker",
];

fn readiness(p: &Portfolio, learner: &str) -> Value {
    let out = p
        .command()
        .args(["--json", "readiness", "--learner", learner])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "not ready: exit 1");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn witness_blockers(report: &Value) -> Vec<Value> {
    report["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["kind"] == "witness_incomplete")
        .cloned()
        .collect()
}

#[test]
fn a_testimony_records_its_witness_and_readiness_names_one_without() {
    let p = Portfolio::new();
    let learner = p.enrolled_learner("Nia Evans");
    let mut extra = WITNESS.to_vec();
    extra.push("--submit");
    let complete = p.add_evidence(
        &learner,
        "Testimony: tenants' meeting",
        "witness_testimony",
        &day(-2),
        &extra,
    );
    let shown = p.json(&["show", &complete]);
    assert_eq!(
        shown["witness"],
        json!({
            "name": "Jo Okafor",
            "role": "Housing officer, Anytown Council",
            "relationship": "partner organisation worker"
        })
    );
    let text = p.ok(&["show", &complete]);
    assert!(
        text.contains("Witness: Jo Okafor   Role: Housing officer, Anytown Council   Relationship to learner: partner organisation worker"),
        "{text}"
    );
    let bare = p.add_evidence(
        &learner,
        "Testimony: youth club",
        "expert_witness",
        &day(-1),
        &["--submit", "--witness-name", "Sam Reid"],
    );
    p.ok(&["map", &complete, "CD-NOS:CLDSCCD15.PC8"]);
    p.ok(&["map", &bare, "CD-NOS:CLDSCCD15.PC7"]);

    let blockers = witness_blockers(&readiness(&p, &learner));
    assert_eq!(
        blockers.len(),
        1,
        "only the item without role and relationship: {blockers:?}"
    );
    assert_eq!(blockers[0]["evidence"], bare.as_str());
    assert_eq!(blockers[0]["rule"], "reliable");
    assert_eq!(
        blockers[0]["message"],
        "E2 \"Testimony: youth club\" does not say the witness's role and relationship"
    );

    let edited = p.json(&[
        "edit",
        &bare,
        "--witness-role",
        "Youth worker, Anytown Youth Club",
        "--witness-relationship",
        "line manager",
    ]);
    assert_eq!(edited["version"], 2);
    assert_eq!(
        edited["witness"]["name"], "Sam Reid",
        "parts not given stay"
    );
    let history = p.json(&["show", &bare, "--versions"]);
    assert_eq!(history["versions"][0]["witness"]["role"], "");
    assert_eq!(
        history["versions"][1]["witness"]["relationship"],
        "line manager"
    );
    assert!(witness_blockers(&readiness(&p, &learner)).is_empty());

    p.refuse(
        &[
            "add",
            "--learner",
            &learner,
            "--title",
            "Reflection",
            "--method",
            "reflective_account",
            "--date",
            &day(-1),
            "--witness-name",
            "Jo",
        ],
        "invalid_input",
        "witness details are for witness testimony or expert witness",
    );
}
