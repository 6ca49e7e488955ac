//! The audit trail: every change appends an entry; the chain verifies; and altering, deleting or
//! reordering any single entry behind the app's back is detected and located.

use evidence_core::audit::AuditReport;
use evidence_core::evidence::{EvidenceEdit, Status};
use evidence_core::Store;

use crate::common::{add, enrolled, fresh, refs, Fixture};

/// A portfolio with a dozen or so audited changes.
fn busy() -> Fixture {
    let mut fx = fresh();
    let learner = enrolled(&mut fx.store, "Ada");
    let item = add(
        &mut fx.store,
        &learner,
        "Meeting",
        Status::Draft,
        "2026-10-01",
    );
    fx.store
        .map_evidence(&item.id, &refs(&["CD-NOS:CLDSCCD15.PC1"]), None)
        .unwrap();
    let edit = EvidenceEdit {
        status: Some(Status::Submitted),
        ..Default::default()
    };
    fx.store.edit_evidence(&item.id, &edit).unwrap();
    fx.store.set_currency_years(4).unwrap();
    fx
}

fn entries(store: &Store) -> i64 {
    store
        .raw_connection_for_tests()
        .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
        .unwrap()
}

fn problems(report: &AuditReport) -> Vec<(String, String)> {
    report
        .problems
        .iter()
        .map(|p| (p.kind.clone(), p.at.clone()))
        .collect()
}

fn tamper(fx: &mut Fixture, sql: &str) -> AuditReport {
    fx.store.conn_mut_for_tests().execute_batch(sql).unwrap();
    fx.store.verify_audit().unwrap()
}

#[test]
fn every_change_is_recorded_and_the_chain_verifies() {
    let fx = busy();
    let actions: Vec<String> = {
        let mut stmt = fx
            .store
            .raw_connection_for_tests()
            .prepare("SELECT action FROM audit_log ORDER BY seq")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    assert_eq!(
        actions,
        [
            "shipped_frameworks_loaded",
            "learner_added",
            "enrolled",
            "enrolled",
            "evidence_added",
            "mapped",
            "evidence_edited",
            "setting_changed"
        ]
    );
    let report = fx.store.verify_audit().unwrap();
    assert!(report.intact, "{report:?}");
    assert_eq!(report.entries, 8);
}

#[test]
fn a_refused_change_leaves_no_entry() {
    let mut fx = busy();
    let before = entries(&fx.store);
    assert!(fx.store.set_currency_years(0).is_err());
    assert!(fx
        .store
        .unmap_evidence("0000000000", &refs(&["CD-NOS:CLDSCCD15.PC1"]))
        .is_err());
    assert_eq!(entries(&fx.store), before);
}

#[test]
fn an_altered_entry_is_found() {
    let mut fx = busy();
    let report = tamper(
        &mut fx,
        "UPDATE audit_log SET after = 'E1 v9 submitted' WHERE seq = 5",
    );
    assert!(!report.intact);
    assert_eq!(
        problems(&report),
        [("altered".to_string(), "5".to_string())]
    );
}

#[test]
fn an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link() {
    let mut fx = busy();
    let mut entry =
        crate::common::audit_entries(fx.store.raw_connection_for_tests(), "seq = 4").remove(0);
    entry.user_name = "Someone Else".into();
    entry.hash = entry.expected_hash();
    let sql = format!(
        "UPDATE audit_log SET user_name = 'Someone Else', hash = '{}' WHERE seq = 4",
        entry.hash
    );
    let report = tamper(&mut fx, &sql);
    assert_eq!(
        problems(&report),
        [("broken_link".to_string(), "5".to_string())]
    );
}

#[test]
fn a_deleted_entry_is_found_in_the_middle_and_at_the_end() {
    let mut fx = busy();
    let report = tamper(&mut fx, "DELETE FROM audit_log WHERE seq = 3");
    assert_eq!(
        problems(&report),
        [("missing".to_string(), "3".to_string())]
    );
    assert!(
        report.problems[0].message.contains("entry 3 is missing"),
        "{report:?}"
    );

    let mut fx = busy();
    let report = tamper(&mut fx, "DELETE FROM audit_log WHERE seq = 8");
    assert_eq!(
        problems(&report),
        [("missing".to_string(), "8".to_string())]
    );
}

#[test]
fn reordered_entries_are_found() {
    let mut fx = busy();
    let report = tamper(
        &mut fx,
        "UPDATE audit_log SET seq = -6 WHERE seq = 6;
         UPDATE audit_log SET seq = 6 WHERE seq = 7;
         UPDATE audit_log SET seq = 7 WHERE seq = -6;",
    );
    let found = problems(&report);
    assert!(
        found.contains(&("altered".to_string(), "6".to_string())),
        "{found:?}"
    );
    assert!(
        found.contains(&("altered".to_string(), "7".to_string())),
        "{found:?}"
    );
}
