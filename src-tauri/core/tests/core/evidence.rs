//! Evidence items: versions, attachments in the content-addressed folder, mapping all-or-nothing,
//! sanitised bodies and the sample portfolio.

use evidence_core::evidence::{EvidenceEdit, EvidenceFilter, Method, NewEvidence, Status};

use crate::common::{add, date, dump, enrolled, fresh, refs};

#[test]
fn an_edit_saves_a_new_version_and_keeps_the_earlier_one() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Dee");
    let item = add(
        &mut fx.store,
        &learner,
        "First title",
        Status::Draft,
        "2026-02-01",
    );
    assert_eq!((item.number, item.version.get()), (1, 1));
    let edited = fx
        .store
        .edit_evidence(
            &item.id,
            &EvidenceEdit {
                title: Some("Second title".into()),
                status: Some(Status::Submitted),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        (edited.version.get(), edited.title.as_str(), edited.status),
        (2, "Second title", Status::Submitted)
    );
    let unchanged = fx
        .store
        .edit_evidence(
            &item.id,
            &EvidenceEdit {
                title: Some("Second title".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        unchanged.version.get(),
        2,
        "an edit that changes nothing saves no version"
    );
    let versions = fx.store.evidence_versions(&item.id).unwrap();
    let titles: Vec<&str> = versions.iter().map(|v| v.title.as_str()).collect();
    assert_eq!(titles, vec!["First title", "Second title"]);
    assert_eq!(versions[0].status, Status::Draft);
}

#[test]
fn a_short_unique_prefix_finds_an_item_and_a_bad_key_is_a_clear_error() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Eve");
    let item = add(&mut fx.store, &learner, "Item", Status::Draft, "2026-02-01");
    assert_eq!(fx.store.evidence(&item.id[..13]).unwrap().id, item.id);
    let twin = add(
        &mut fx.store,
        &learner,
        "Recorded at the same moment",
        Status::Draft,
        "2026-02-01",
    );
    assert_eq!(
        fx.store.evidence(&item.id[..8]).unwrap_err().code(),
        "ambiguous",
        "time-ordered ids share a start"
    );
    assert_eq!(
        fx.store.evidence(&twin.id[twin.id.len() - 8..]).unwrap().id,
        twin.id,
        "the random end tells them apart"
    );
    assert_eq!(
        fx.store.evidence(&item.id.to_uppercase()).unwrap().id,
        item.id
    );
    assert_eq!(fx.store.evidence("zz").unwrap_err().code(), "invalid_input");
    assert_eq!(
        fx.store.evidence("00000000-0000").unwrap_err().code(),
        "not_found"
    );
}

#[test]
fn mapping_is_all_or_nothing_across_frameworks() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Hal");
    let item = add(
        &mut fx.store,
        &learner,
        "One",
        Status::Submitted,
        "2026-02-01",
    );
    let before = dump(&fx.store);
    let err = fx
        .store
        .map_evidence(
            &item.id,
            &refs(&["NOCN-L3-CD:PWC.1.1", "CD-NOS:NOPE"]),
            None,
        )
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(err.to_string().contains("CD-NOS:NOPE"), "{err}");
    assert_eq!(before, dump(&fx.store));

    let report = fx
        .store
        .map_evidence(
            &item.id,
            &refs(&[
                "NOCN-L3-CD:PWC.1.1",
                "CD-NOS:CLDSCCD15.PC1",
                "CLD-COMPETENCES:C6.1",
            ]),
            Some("led the meeting"),
        )
        .unwrap();
    assert_eq!(report.mapped.len(), 3);
    assert_eq!(report.outside_enrolments, refs(&["CLD-COMPETENCES:C6.1"]));
    assert!(
        !report
            .suggestions
            .iter()
            .any(|s| report.mapped.contains(&s.reference)),
        "suggestions exclude what is mapped"
    );
    let again = fx
        .store
        .map_evidence(&item.id, &refs(&["CD-NOS:CLDSCCD15.PC1"]), None)
        .unwrap();
    assert_eq!(again.already_mapped, refs(&["CD-NOS:CLDSCCD15.PC1"]));
    let shown = fx.store.evidence(&item.id).unwrap();
    assert!(shown.mappings.iter().all(|m| m.note == "led the meeting"));

    fx.store
        .unmap_evidence(&item.id, &refs(&["CD-NOS:CLDSCCD15.PC1"]))
        .unwrap();
    let err = fx
        .store
        .unmap_evidence(&item.id, &refs(&["CD-NOS:CLDSCCD15.PC1"]))
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(fx.store.evidence(&item.id).unwrap().mappings.len(), 2);
}

#[test]
fn bad_evidence_input_is_refused_before_anything_is_written() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Ian");
    let base = NewEvidence {
        learner: learner.clone(),
        title: "Fine".into(),
        method: Method::Questioning,
        activity_date: date("2026-01-01"),
        body_markdown: String::new(),
        status: Status::Draft,
        witness: Default::default(),
    };
    let before = dump(&fx.store);
    let future = evidence_core::time::today() + chrono::Duration::days(2);
    // Each case with the form field the error names (so the editor can highlight it).
    let cases = [
        (
            NewEvidence {
                title: "  ".into(),
                ..base.clone()
            },
            Some("title"),
        ),
        (
            NewEvidence {
                title: "t".repeat(301),
                ..base.clone()
            },
            Some("title"),
        ),
        (
            NewEvidence {
                activity_date: future,
                ..base.clone()
            },
            Some("activity_date"),
        ),
        (
            NewEvidence {
                body_markdown: "x".repeat(1_000_001),
                ..base.clone()
            },
            Some("body_markdown"),
        ),
        (
            NewEvidence {
                method: Method::WitnessTestimony,
                witness: evidence_core::evidence::Witness {
                    name: "Jo\u{7}".into(),
                    ..Default::default()
                },
                ..base.clone()
            },
            Some("witness_name"),
        ),
        (
            NewEvidence {
                learner: "nobody".into(),
                ..base.clone()
            },
            None,
        ),
    ];
    for (case, field) in cases {
        let err = fx.store.add_evidence(&case).unwrap_err();
        assert!(
            ["invalid_input", "not_found"].contains(&err.code()),
            "{err}"
        );
        assert_eq!(err.to_payload().field.as_deref(), field, "{err}");
    }
    assert_eq!(before, dump(&fx.store));
}

#[test]
fn hostile_markdown_is_rendered_inert() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Mo");
    let item = fx
        .store
        .add_evidence(&NewEvidence {
            learner,
            title: "x".into(),
            method: Method::Other,
            activity_date: date("2026-01-01"),
            body_markdown: "<script>alert(1)</script>\n\n<img src=x onerror=alert(2)>\n\n[a](javascript:alert(3)) <a href=\"jAvAsCrIpT:x\">b</a>".into(),
            status: Status::Draft,
            witness: Default::default(),
        })
        .unwrap();
    let html = item.body_html.to_lowercase();
    assert!(
        !html.contains("<script")
            && !html.contains("onerror")
            && !html.contains("href=\"javascript"),
        "{html}"
    );
    assert!(
        html.contains("<img>"),
        "the image survives without its relative address: {html}"
    );
    assert!(
        item.body_markdown.contains("<script>"),
        "the learner's own text is kept as written"
    );
}

#[test]
fn the_sample_portfolio_is_labelled_created_once_and_has_open_gaps() {
    let mut fx = fresh();
    let first = fx.store.open_sample_portfolio().unwrap();
    let again = fx.store.open_sample_portfolio().unwrap();
    assert_eq!(
        first.id, again.id,
        "opening it twice returns the same learner"
    );
    assert!(
        first.name.contains("Sample") && first.name.contains("example"),
        "{}",
        first.name
    );
    let items = fx
        .store
        .list_evidence(&first.id, &EvidenceFilter::default())
        .unwrap();
    assert_eq!(items.len(), 3);
    let gaps = fx.store.gaps(&first.id, None).unwrap();
    assert_eq!(gaps.totals.criteria, 31);
    assert!(
        gaps.totals.evidenced > 0 && gaps.totals.draft_only > 0 && gaps.totals.no_evidence > 0,
        "{:?}",
        gaps.totals
    );
}
