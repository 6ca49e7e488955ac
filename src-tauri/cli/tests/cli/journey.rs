//! The main journey, as a person would take it: frameworks, a learner, enrolment, evidence with a
//! body and a file, mapping across frameworks in one go, gaps shrinking, coverage, versions, search,
//! listing and unmapping.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common::{arg, day, find, id_of, refs, Portfolio};

const AC: &str = "NOCN-L3-CD:PWC.1.1";
const PC3: &str = "CD-NOS:CLDSCCD15.PC3";

#[test]
fn the_whole_journey_from_enrolment_to_coverage() {
    let p = Portfolio::new();

    // A learner, enrolled on one unit of the qualification and on the whole standard.
    let learner = p.json(&[
        "learners",
        "add",
        "Asha Patel",
        "--email",
        "asha@example.org",
    ]);
    let learner_id = id_of(&learner);
    assert_eq!(learner["name"], "Asha Patel");
    assert_eq!(learner["email"], "asha@example.org");
    let listed = p.json(&["learners", "list"]);
    assert_eq!(refs_of(&listed, "id"), vec![learner_id.clone()]);
    let enrolment = p.json(&[
        "enrol",
        "--learner",
        &learner_id,
        "NOCN-L3-CD",
        "--unit",
        "PWC",
    ]);
    assert_eq!(enrolment["framework"], "NOCN-L3-CD");
    assert_eq!(enrolment["units"], serde_json::json!(["PWC"]));
    // By name too, ignoring case.
    let enrolment = p.json(&["enrol", "--learner", "asha patel", "CD-NOS"]);
    assert_eq!(enrolment["units"], serde_json::json!([]));
    let shown = p.json(&["learners", "show", &learner_id]);
    assert_eq!(shown["learner"]["id"], learner_id.as_str());
    assert_eq!(
        refs_of(&shown["enrolments"], "framework"),
        vec!["CD-NOS".to_string(), "NOCN-L3-CD".to_string()]
    );

    // Every enrolled criterion starts with no evidence: 3 assessment criteria + 28 CD-NOS.
    let gaps = p.json(&["gaps", "--learner", &learner_id]);
    assert_eq!(gaps["learner"]["id"], learner_id.as_str());
    assert_eq!(gaps["currency_years"], 3);
    assert_eq!(
        gaps["totals"],
        serde_json::json!({"criteria": 31, "evidenced": 0, "draft_only": 0, "no_evidence": 31, "not_current": 0, "met": 0, "not_yet_met": 0})
    );
    let all = refs(&gaps["gaps"]);
    assert_eq!(all.len(), 31);
    assert_eq!(
        all.iter().filter(|r| r.starts_with("NOCN-L3-CD:")).count(),
        3
    );
    assert_eq!(all.iter().filter(|r| r.starts_with("CD-NOS:")).count(), 28);
    for gap in gaps["gaps"].as_array().expect("gaps") {
        assert_eq!(gap["status"], "no_evidence", "{gap}");
        assert_eq!(gap["flags"], serde_json::json!(["no_evidence"]), "{gap}");
        assert_eq!(gap["evidence"], serde_json::json!([]), "{gap}");
    }
    assert!(all.contains(&AC.to_string()) && all.contains(&PC3.to_string()));

    // An evidence item with a Markdown body read from a file.
    let body = "# Partnership meeting\n\nI brought the **tenants** association and the library together.\n";
    let body_file = p.scratch_file("account.md", body.as_bytes());
    let item = p.json(&[
        "add",
        "--learner",
        &learner_id,
        "--title",
        "Partnership meeting",
        "--method",
        "reflective_account",
        "--date",
        &day(-30),
        "--body-file",
        arg(&body_file),
    ]);
    let e1 = id_of(&item);
    assert_eq!(item["number"], 1);
    assert_eq!(item["status"], "draft");
    assert_eq!(item["version"], 1);
    assert_eq!(item["learner_id"], learner_id.as_str());
    assert_eq!(item["body_markdown"], body);
    assert!(item["body_html"]
        .as_str()
        .expect("html")
        .contains("<strong>tenants</strong>"));

    // A real file attached: copied by content, the original untouched.
    let content: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let original = p.scratch_file("minutes.pdf", &content);
    let attachment = p.json(&["attach", &e1, arg(&original)]);
    let sha = attachment["sha256"].as_str().expect("sha256").to_string();
    assert_eq!(sha, hex::encode(Sha256::digest(&content)));
    assert_eq!(attachment["file_name"], "minutes.pdf");
    assert_eq!(attachment["media_type"], "application/pdf");
    assert_eq!(attachment["size"], 70_000);
    let blob = p.dir().join("attachments").join(&sha[..2]).join(&sha);
    assert_eq!(std::fs::read(&blob).expect("stored copy"), content);
    assert_eq!(std::fs::read(&original).expect("original"), content);
    // The same content attached to another item is stored once.
    let e2 = p.add_evidence(
        &learner_id,
        "Observation at the residents' forum",
        "direct_observation",
        &day(-400),
        &[],
    );
    let copy = p.scratch_file("same-minutes.pdf", &content);
    let second = p.json(&["attach", &e2, arg(&copy)]);
    assert_eq!(second["sha256"], sha.as_str());
    assert_eq!(second["file_name"], "same-minutes.pdf");
    let blobs = crate::common::files_under(&p.dir().join("attachments"));
    assert_eq!(blobs.len(), 1, "{:?}", blobs.keys());
    // Attaching the same content twice to one item is refused.
    p.refuse(&["attach", &e1, arg(&copy)], "conflict", "already attached");

    // One command maps the item to an assessment criterion and a performance criterion.
    let report = p.json(&["map", &e1, AC, PC3, "--note", "Agreed shared aims"]);
    assert_eq!(report["evidence"], e1.as_str());
    assert_eq!(report["mapped"], serde_json::json!([PC3, AC]));
    assert_eq!(report["already_mapped"], serde_json::json!([]));
    assert_eq!(report["outside_enrolments"], serde_json::json!([]));
    for suggestion in report["suggestions"].as_array().expect("suggestions") {
        assert!(
            suggestion["ref"] != AC && suggestion["ref"] != PC3,
            "{suggestion}"
        );
    }
    // Mapping again is idempotent.
    let again = p.json(&["map", &e1, PC3]);
    assert_eq!(again["mapped"], serde_json::json!([]));
    assert_eq!(again["already_mapped"], serde_json::json!([PC3]));

    // Draft evidence: the two criteria move from no evidence to draft only, and stay gaps.
    let gaps = p.json(&["gaps", "--learner", &learner_id]);
    assert_eq!(gaps["totals"]["no_evidence"], 29);
    assert_eq!(gaps["totals"]["draft_only"], 2);
    assert_eq!(gaps["totals"]["evidenced"], 0);
    assert_eq!(refs(&gaps["gaps"]).len(), 31);
    for reference in [AC, PC3] {
        let gap = find(&gaps["gaps"], "ref", reference);
        assert_eq!(gap["status"], "draft_only", "{gap}");
        assert_eq!(gap["flags"], serde_json::json!(["draft_only"]), "{gap}");
        assert_eq!(gap["evidence"], serde_json::json!([e1.as_str()]), "{gap}");
    }

    // Submitted: evidenced, and gone from the gaps.
    let edited = p.json(&["edit", &e1, "--status", "submitted"]);
    assert_eq!(edited["status"], "submitted");
    assert_eq!(edited["version"], 2);
    let gaps = p.json(&["gaps", "--learner", &learner_id]);
    assert_eq!(
        gaps["totals"],
        serde_json::json!({"criteria": 31, "evidenced": 2, "draft_only": 0, "no_evidence": 29, "not_current": 0, "met": 0, "not_yet_met": 0})
    );
    let remaining = refs(&gaps["gaps"]);
    assert_eq!(remaining.len(), 29);
    assert!(!remaining.contains(&AC.to_string()) && !remaining.contains(&PC3.to_string()));

    // Coverage: every criterion with its text, status and evidence.
    let coverage = p.json(&["coverage", "--learner", &learner_id]);
    let criteria = coverage["criteria"].as_array().expect("criteria");
    assert_eq!(criteria.len(), 31);
    for criterion in criteria {
        assert!(criterion["ref"].is_string(), "{criterion}");
        assert!(
            criterion["text"].as_str().is_some_and(|t| !t.is_empty()),
            "{criterion}"
        );
        assert!(criterion["status"].is_string(), "{criterion}");
        assert!(criterion["evidence"].is_array(), "{criterion}");
    }
    let pc3 = find(&coverage["criteria"], "ref", PC3);
    assert_eq!(pc3["status"], "evidenced");
    assert_eq!(pc3["evidence"], serde_json::json!([e1.as_str()]));
    assert_eq!(pc3["groups"], serde_json::json!(["KA4", "CLDSCCD15"]));
    assert_eq!(pc3["kind"], "performance_criterion");
    let ac2 = find(&coverage["criteria"], "ref", "NOCN-L3-CD:PWC.2.1");
    assert_eq!(ac2["status"], "no_evidence");
    assert_eq!(ac2["evidence"], serde_json::json!([]));
    let nocn = find(&coverage["frameworks"], "code", "NOCN-L3-CD");
    assert_eq!(nocn["verified"], false);
    assert_eq!(nocn["units"], serde_json::json!(["PWC"]));
    assert_eq!(nocn["totals"]["criteria"], 3);
    assert_eq!(nocn["totals"]["evidenced"], 1);
    assert_eq!(
        find(&coverage["frameworks"], "code", "CD-NOS")["totals"]["criteria"],
        28
    );
    assert_eq!(
        refs_of(&coverage["evidence"], "id"),
        vec![e1.clone(), e2.clone()]
    );
    // --format json is the same document.
    let same: Value =
        serde_json::from_str(&p.ok(&["coverage", "--learner", &learner_id, "--format", "json"]))
            .expect("coverage JSON");
    assert_eq!(same["criteria"], coverage["criteria"]);

    // Coverage as a criterion × evidence CSV table.
    let csv_path = p.scratch_file("coverage.csv", b"");
    let written = p.json(&[
        "coverage",
        "--learner",
        &learner_id,
        "--format",
        "csv",
        "--out",
        arg(&csv_path),
    ]);
    assert_eq!(written["written"], arg(&csv_path));
    let mut reader = csv::Reader::from_path(&csv_path).expect("read CSV");
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        header,
        [
            "ref",
            "framework",
            "groups",
            "kind",
            "text",
            "status",
            "flags",
            "E1 Partnership meeting",
            "E2 Observation at the residents' forum"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("rows");
    assert_eq!(rows.len(), 31);
    let row = |reference: &str| {
        rows.iter()
            .find(|r| &r[0] == reference)
            .unwrap_or_else(|| panic!("no row {reference}"))
            .clone()
    };
    let pc3_row = row(PC3);
    assert_eq!(&pc3_row[5], "evidenced");
    assert_eq!(&pc3_row[7], "submitted");
    assert_eq!(&pc3_row[8], "");
    assert_eq!(&row("NOCN-L3-CD:PWC.2.1")[7], "");
    assert_eq!(&row("NOCN-L3-CD:PWC.2.1")[6], "no_evidence");

    // Edits keep earlier versions.
    let edited = p.json(&[
        "edit",
        &e1,
        "--title",
        "Partnership meeting with tenants",
        "--body",
        "Rewritten account of the partnership meeting.",
    ]);
    assert_eq!(edited["version"], 3);
    let history = p.json(&["show", &e1, "--versions"]);
    assert_eq!(
        history["evidence"]["title"],
        "Partnership meeting with tenants"
    );
    let versions = history["versions"].as_array().expect("versions");
    assert_eq!(
        versions
            .iter()
            .map(|v| v["version"].clone())
            .collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(versions[0]["title"], "Partnership meeting");
    assert_eq!(versions[0]["status"], "draft");
    assert_eq!(versions[0]["body_markdown"], body);
    assert_eq!(versions[1]["status"], "submitted");
    assert_eq!(versions[2]["title"], "Partnership meeting with tenants");
    // An edit that changes nothing saves no version.
    let unchanged = p.json(&["edit", &e1, "--status", "submitted"]);
    assert_eq!(unchanged["version"], 3);

    // Search by a word of the body (with stemming: "partnerships" finds "partnership").
    let hits = p.json(&["search", "rewritten"]);
    assert_eq!(refs_of(&hits, "id"), vec![e1.clone()]);
    assert!(hits[0]["snippet"]
        .as_str()
        .expect("snippet")
        .contains("[Rewritten]"));
    let hits = p.json(&["search", "partnerships", "--learner", &learner_id]);
    assert_eq!(refs_of(&hits, "id"), vec![e1.clone()]);
    assert_eq!(p.json(&["search", "forum"])[0]["id"], e2.as_str());
    assert_eq!(
        p.json(&["search", "nonexistentword"]),
        serde_json::json!([])
    );

    // Listing, with each filter.
    let e3 = p.add_evidence(
        &learner_id,
        "Witness statement from the library",
        "witness_testimony",
        &day(-800),
        &["--submit"],
    );
    let numbers = |args: &[&str]| -> Vec<i64> {
        let mut all = vec!["list", "--learner", learner_id.as_str()];
        all.extend_from_slice(args);
        p.json(&all)
            .as_array()
            .expect("list")
            .iter()
            .map(|e| e["number"].as_i64().expect("number"))
            .collect()
    };
    assert_eq!(numbers(&[]), [1, 2, 3], "newest activity first");
    assert_eq!(numbers(&["--status", "draft"]), [2]);
    assert_eq!(numbers(&["--status", "submitted"]), [1, 3]);
    assert_eq!(numbers(&["--method", "witness_testimony"]), [3]);
    assert_eq!(numbers(&["--criterion", PC3]), [1]);
    assert_eq!(numbers(&["--from", &day(-400)]), [1, 2]);
    assert_eq!(numbers(&["--to", &day(-400)]), [2, 3]);
    assert_eq!(numbers(&["--from", &day(-500), "--to", &day(-300)]), [2]);
    assert_eq!(numbers(&["--method", "other"]), Vec::<i64>::new());
    let listed = p.json(&["list", "--learner", &learner_id]);
    let first = find(&listed, "id", &e1);
    assert_eq!(first["criteria"], serde_json::json!([PC3, AC]));
    assert_eq!(first["attachments"], 1);
    assert_eq!(first["version"], 3);
    assert_eq!(find(&listed, "id", &e3)["criteria"], serde_json::json!([]));

    // Unmap: the criterion is a gap again; the other mapping stays.
    let unmapped = p.json(&["unmap", &e1, PC3]);
    assert_eq!(unmapped["unmapped"], serde_json::json!([PC3]));
    let shown = p.json(&["show", &e1]);
    assert_eq!(refs(&shown["mappings"]), vec![AC.to_string()]);
    assert_eq!(shown["mappings"][0]["note"], "Agreed shared aims");
    assert_eq!(shown["mappings"][0]["current"], true);
    let gaps = p.json(&["gaps", "--learner", &learner_id]);
    assert_eq!(find(&gaps["gaps"], "ref", PC3)["status"], "no_evidence");
    assert_eq!(gaps["totals"]["evidenced"], 1);
    p.refuse(&["unmap", &e1, PC3], "not_found", "mapping");
}

/// The `key` fields of a list, as text.
fn refs_of(list: &Value, key: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|item| item[key].as_str().expect("text field").to_string())
        .collect()
}
