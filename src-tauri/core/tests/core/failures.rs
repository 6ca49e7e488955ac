//! When the disk fills up: a clear error, and the database exactly as before.

use evidence_core::evidence::{Method, NewEvidence, Status};

use crate::common::{add, date, dump, enrolled, fresh, refs};

/// Caps the database at its current size, the way a full disk stops it growing.
fn fill_up(store: &evidence_core::Store) {
    let pages: i64 = store
        .raw_connection_for_tests()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    let _: i64 = store
        .raw_connection_for_tests()
        .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| {
            r.get(0)
        })
        .unwrap();
}

#[test]
fn a_full_database_refuses_the_write_with_storage_full_and_loses_nothing() {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Gil");
    let item = add(
        &mut fx.store,
        &learner,
        "Kept",
        Status::Submitted,
        "2026-01-01",
    );
    fx.store
        .map_evidence(&item.id, &refs(&["CD-NOS:CLDSCCD15.PC1"]), None)
        .unwrap();
    fill_up(&fx.store);
    let before = dump(&fx.store);
    let big = NewEvidence {
        learner: learner.clone(),
        title: "Too big to fit".into(),
        method: Method::ReflectiveAccount,
        activity_date: date("2026-01-02"),
        body_markdown: "lorem ipsum ".repeat(80_000),
        status: Status::Draft,
        witness: Default::default(),
    };
    let err = fx.store.add_evidence(&big).unwrap_err();
    assert_eq!(err.code(), "storage_full", "{err}");
    assert!(err.to_string().contains("no space"), "{err}");
    assert_eq!(
        before,
        dump(&fx.store),
        "a failed write leaves the database exactly as it was"
    );
    assert_eq!(fx.store.evidence(&item.id).unwrap().mappings.len(), 1);
}
