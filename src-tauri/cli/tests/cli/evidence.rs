//! Evidence beyond the main journey: currency of old evidence, sanitised Markdown, hostile search
//! text, and the demo.

use serde_json::Value;

use crate::common::{day, find, refs, Portfolio};

#[test]
fn old_evidence_is_flagged_as_not_current() {
    let p = Portfolio::new();
    let learner = p.enrolled_learner("Ben Okafor");
    let old = p.add_evidence(
        &learner,
        "Old project",
        "product_evidence",
        &day(-5 * 366),
        &["--submit"],
    );
    p.ok(&["map", &old, "CD-NOS:CLDSCCD15.PC5"]);
    let gaps = p.json(&["gaps", "--learner", &learner]);
    let gap = find(&gaps["gaps"], "ref", "CD-NOS:CLDSCCD15.PC5");
    assert_eq!(gap["status"], "evidenced");
    assert_eq!(gap["flags"], serde_json::json!(["not_current"]));
    assert_eq!(gaps["totals"]["not_current"], 1);
    assert_eq!(gaps["totals"]["evidenced"], 1);
    // A longer threshold for this report only, then a stored one.
    let longer = p.json(&["gaps", "--learner", &learner, "--currency-years", "10"]);
    assert_eq!(longer["currency_years"], 10);
    assert!(!refs(&longer["gaps"]).contains(&"CD-NOS:CLDSCCD15.PC5".to_string()));
    assert_eq!(
        p.json(&["settings", "currency-years", "10"])["currency_years"],
        10
    );
    assert_eq!(p.json(&["settings", "show"])["currency_years"], 10);
    let gaps = p.json(&["gaps", "--learner", &learner]);
    assert_eq!(gaps["totals"]["not_current"], 0);
    assert_eq!(refs(&gaps["gaps"]).len(), 30);
}

#[test]
fn markdown_bodies_come_back_sanitised() {
    let p = Portfolio::new();
    let learner = p.add_learner("Chloe Grant");
    for body in [
        "Before <script>alert(1)</script> after",
        "An image <img src=x onerror=alert(1)> here",
        "<IMG SRC=x OnError=\"alert(1)\"> and [link](javascript:alert(1))",
    ] {
        let id = p.add_evidence(
            &learner,
            "Hostile body",
            "other",
            &day(0),
            &["--body", body],
        );
        let shown = p.json(&["show", &id]);
        assert_eq!(
            shown["body_markdown"], body,
            "the Markdown is kept as written"
        );
        let html = shown["body_html"].as_str().expect("html").to_lowercase();
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        let text = p.ok(&["show", &id, "--html"]).to_lowercase();
        assert!(
            !text.contains("<script") && !text.contains("onerror"),
            "{text}"
        );
    }
}

#[test]
fn hostile_search_text_never_crashes() {
    let p = Portfolio::new();
    let learner = p.add_learner("Dee Harris");
    p.add_evidence(
        &learner,
        "Tenants meeting",
        "other",
        &day(0),
        &["--body", "near the hall"],
    );
    for query in [
        "\"NEAR -- :*",
        "NEAR(tenants meeting, 2)",
        "tenants AND OR NOT",
        "title:tenants",
        "\"unterminated",
        "^tenants",
        "'; DROP TABLE evidence; --",
        "*",
        "(((",
    ] {
        let output = p
            .command()
            .args(["--json", "search", query])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => {
                let hits: Value = serde_json::from_slice(&output.stdout).expect("JSON hits");
                assert!(hits.is_array(), "{query}: {hits}");
            }
            Some(1) => {
                assert_eq!(stderr.lines().count(), 1, "{query}: {stderr}");
                let payload: Value = serde_json::from_str(&stderr).expect("JSON error");
                assert_eq!(
                    payload["error"]["code"], "invalid_input",
                    "{query}: {stderr}"
                );
            }
            other => panic!("search {query:?} ended with {other:?}: {stderr}"),
        }
    }
    // The data is still there and still searchable.
    assert_eq!(
        p.json(&["search", "tenants"]).as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(
        p.json(&["search", "NEAR"]).as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn demo_walks_the_journey_and_can_run_twice() {
    let p = Portfolio::new();
    let first = p.json(&["demo"]);
    assert_eq!(first["lacking_before"], 31);
    assert_eq!(first["lacking_after"], 28);
    let second = p.json(&["demo"]);
    assert_eq!(second["learner"]["id"], first["learner"]["id"]);
    assert_eq!(second["lacking_before"], 28);
    assert_eq!(
        p.json(&["learners", "list"]).as_array().map(Vec::len),
        Some(1)
    );
    let text = p.ok(&["demo"]);
    assert!(text.contains("NOCN-L3-CD"), "{text}");
}
