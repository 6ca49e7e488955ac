//! Finding evidence: full-text search over titles and bodies (with stemming), and listings filtered
//! by method, status, criterion and date.

use evidence_core::evidence::{EvidenceFilter, Method, NewEvidence, Status};
use evidence_core::CriterionRef;

use crate::common::{add, date, enrolled, fresh, refs};

#[test]
fn search_finds_words_in_titles_and_bodies_with_stemming() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Jo");
    let other = enrolled(&mut fx.store, "Kit");
    let mut new = |learner: &str, title: &str, body: &str| {
        fx.store
            .add_evidence(&NewEvidence {
                learner: learner.into(),
                title: title.into(),
                method: Method::ReflectiveAccount,
                activity_date: date("2026-03-01"),
                body_markdown: body.into(),
                status: Status::Draft,
                witness: Default::default(),
            })
            .unwrap()
    };
    let a = new(
        &learner,
        "Residents meeting",
        "We agreed a partnership with the library.",
    );
    new(&learner, "Youth club", "Football coaching.");
    new(
        &other,
        "Partnerships elsewhere",
        "Another learner's partnership.",
    );
    let hits = fx
        .store
        .search_evidence("partnerships librar", Some(&learner), 10)
        .unwrap();
    assert_eq!(
        hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        vec![a.id.as_str()]
    );
    assert!(hits[0].snippet.contains('['), "{}", hits[0].snippet);
    assert_eq!(
        fx.store
            .search_evidence("partnership", None, 10)
            .unwrap()
            .len(),
        2
    );
    assert!(
        fx.store.search_evidence("\"NEAR( -- :*", None, 10).is_ok(),
        "query syntax in user text must not break search"
    );
    assert_eq!(
        fx.store.search_evidence("  ", None, 10).unwrap_err().code(),
        "invalid_input"
    );
}

#[test]
fn listing_filters_by_method_status_criterion_and_date() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Lou");
    let a = add(&mut fx.store, &learner, "A", Status::Draft, "2025-01-01");
    let b = add(
        &mut fx.store,
        &learner,
        "B",
        Status::Submitted,
        "2026-01-01",
    );
    fx.store
        .map_evidence(&b.id, &refs(&["CD-NOS:CLDSCCD15.K1"]), None)
        .unwrap();
    let ids = |filter: EvidenceFilter| -> Vec<String> {
        fx.store
            .list_evidence(&learner, &filter)
            .unwrap()
            .into_iter()
            .map(|e| e.id)
            .collect()
    };
    assert_eq!(
        ids(EvidenceFilter::default()),
        vec![b.id.clone(), a.id.clone()],
        "newest activity first"
    );
    assert_eq!(
        ids(EvidenceFilter {
            status: Some(Status::Draft),
            ..Default::default()
        }),
        vec![a.id.clone()]
    );
    assert_eq!(
        ids(EvidenceFilter {
            criterion: Some(CriterionRef::parse("CD-NOS:CLDSCCD15.K1").unwrap()),
            ..Default::default()
        }),
        vec![b.id.clone()]
    );
    assert_eq!(
        ids(EvidenceFilter {
            from: Some(date("2025-06-01")),
            ..Default::default()
        }),
        vec![b.id.clone()]
    );
    assert_eq!(
        ids(EvidenceFilter {
            method: Some(Method::Other),
            ..Default::default()
        }),
        Vec::<String>::new()
    );
}
