//! A centre through the `evidence` command: set-up, accounts and assignments; nobody reads a portfolio
//! without signing in or without being assigned; a tutor returns an item for changes, the learner
//! resubmits, an assessor judges the unit's criteria and signs it off, the learner declares the item;
//! `audit verify` passes, then fails (exit 1) naming what was changed behind the app's back.

use serde_json::Value;

use crate::common::{day, id_of, Portfolio, PASSWORD};

/// A centre with an administrator, a tutor and an assessor assigned to Lena, and Lars with nobody.
/// Returns (Lena's id, Lars's id); later commands run as nobody.
fn centre(p: &Portfolio) -> (String, String) {
    let added = p.centre_with(&[
        ("tom", "Tom Tutor", "tutor"),
        ("asa", "Asa Assessor", "assessor"),
        ("lena", "Lena", "learner"),
        ("lars", "Lars", "learner"),
    ]);
    let learner = |v: &Value| v["learner_id"].as_str().unwrap().to_string();
    let (lena, lars) = (learner(&added[2]), learner(&added[3]));
    p.ok(&["assign", "tom", "--learner", &lena, "--as", "tutor"]);
    p.ok(&["assign", "asa", "--learner", &lena, "--as", "assessor"]);
    p.sign_in_as(None);
    (lena, lars)
}

#[test]
fn nobody_works_without_signing_in_or_outside_their_caseload() {
    let p = Portfolio::new();
    let (lena, lars) = centre(&p);
    p.refuse(&["gaps", "--learner", &lena], "unauthenticated", "sign in");
    let wrong = p
        .command()
        .env("EVIDENCE_USER", "tom")
        .env("EVIDENCE_PASSWORD", "not the password")
        .args(["gaps", "--learner", &lena])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("[sign_in_failed]"));
    p.sign_in_as("tom");
    // Lars is not Tom's: his portfolio answers as one that does not exist.
    p.refuse(&["gaps", "--learner", &lars], "not_found", &lars);
    p.refuse(
        &["learners", "add", "Someone"],
        "forbidden",
        "not an administrator",
    );
    let listed: Vec<String> = p
        .json(&["learners", "list"])
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect();
    assert_eq!(
        listed,
        std::slice::from_ref(&lena),
        "Tom lists only his learner"
    );
    // The password can come on standard input instead.
    let out = p
        .command()
        .env_remove("EVIDENCE_PASSWORD")
        .args(["--password-stdin", "--json", "users", "whoami"])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .unwrap();
    let whoami: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(whoami["user"]["username"], "tom");
}

#[test]
fn review_judgement_sign_off_and_a_tamper_check() {
    let p = Portfolio::new();
    let (lena, _) = centre(&p);
    p.sign_in_as("lena");
    p.ok(&["enrol", "--learner", &lena, "NOCN-L3-CD", "--unit", "PWC"]);
    let item = p.add_evidence(
        &lena,
        "Forum minutes",
        "product_evidence",
        &day(-2),
        &["--body", "We met.", "--submit"],
    );
    p.ok(&[
        "map",
        &item,
        "NOCN-L3-CD:PWC.1.1",
        "NOCN-L3-CD:PWC.2.1",
        "NOCN-L3-CD:PWC.3.1",
    ]);

    p.sign_in_as("tom");
    let fb = p.json(&[
        "feedback",
        "add",
        &item,
        "Add who attended.",
        "--request-changes",
    ]);
    assert_eq!(fb["requests_changes"], true);
    assert_eq!(p.json(&["show", &item])["status"], "draft");
    p.refuse(
        &[
            "judge",
            "--learner",
            &lena,
            "NOCN-L3-CD:PWC.1.1",
            "--met",
            "--evidence",
            &item,
        ],
        "forbidden",
        "may not assess",
    );

    p.sign_in_as("lena");
    p.ok(&[
        "edit",
        &item,
        "--body",
        "We met: tenants, library, youth club.",
        "--status",
        "submitted",
    ]);
    let diff = p.json(&["diff", &item, "2", "3"]);
    assert_eq!(
        diff["body"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["change"] == "added")
            .count(),
        1
    );
    let declared = p.json(&["declare", &item]);
    assert_eq!(declared["kind"], "declaration");

    p.sign_in_as("asa");
    p.refuse(
        &["sign-off", "--learner", &lena, "NOCN-L3-CD", "PWC"],
        "invalid_input",
        "PWC.1.1",
    );
    // Not assessed yet: the report on stdout, then exit 1 with not_ready.
    let out = p
        .command()
        .args(["--json", "readiness", "--learner", &lena])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = report["blockers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["not_assessed", "not_assessed", "not_assessed"],
        "{report}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains(r#""code":"not_ready""#));
    for criterion in [
        "NOCN-L3-CD:PWC.1.1",
        "NOCN-L3-CD:PWC.2.1",
        "NOCN-L3-CD:PWC.3.1",
    ] {
        let judged = p.json(&[
            "judge",
            "--learner",
            &lena,
            criterion,
            "--met",
            "--evidence",
            &item,
            "--comment",
            "Seen.",
        ]);
        assert_eq!(judged["signature"]["matches"], true);
    }
    let ready = p.json(&["readiness", "--learner", &lena]);
    assert_eq!(
        (ready["ready"].as_bool(), ready["criteria"].as_u64()),
        (Some(true), Some(3)),
        "{ready}"
    );
    let signed = p.json(&["sign-off", "--learner", &lena, "NOCN-L3-CD", "PWC"]);
    assert_eq!(signed["signature"]["kind"], "unit_sign_off");
    let gaps = p.json(&["gaps", "--learner", &lena]);
    assert_eq!(gaps["totals"]["met"], 3);
    assert_eq!(p.json(&["audit", "verify"])["intact"], true);

    // Behind the app's back: a judgement's outcome rewritten in the database.
    let db = rusqlite::Connection::open(p.dir().join("evidence.sqlite3")).unwrap();
    db.execute("UPDATE judgements SET comment = 'Forged.' WHERE id = 1", [])
        .unwrap();
    drop(db);
    let out = p
        .command()
        .args(["--json", "audit", "verify"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "a broken trail fails the command"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["intact"], false);
    let kinds: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"signature_mismatch"), "{report}");
    assert!(String::from_utf8_lossy(&out.stderr).contains(r#""code":"conflict""#));
}

#[test]
fn a_personal_laptop_needs_no_user_and_the_demo_still_runs() {
    let p = Portfolio::new();
    let user = p.json(&["setup", "personal", "Pat Learner"]);
    assert_eq!(user["has_password"], false);
    let learner = user["learner_id"].as_str().unwrap().to_string();
    // Later commands act as Pat without --user.
    assert_eq!(
        p.json(&["users", "whoami"])["user"]["username"],
        "pat.learner"
    );
    p.ok(&["enrol", "--learner", &learner, "NOCN-L3-CD"]);
    p.refuse(
        &["setup", "personal", "Someone Else"],
        "conflict",
        "already set up",
    );
    // The demo works on example data, not on anyone's own portfolio.
    let demo = p.json(&["demo"]);
    assert!(
        demo["lacking_after"].as_u64() < demo["lacking_before"].as_u64(),
        "{demo}"
    );
    assert_ne!(demo["learner"]["id"], learner.as_str());
}
