//! A portfolio still holding an earlier shipped CD-NOS (version 2023, CLDSCCD15 alone) moves to the
//! shipped suite index (2023.2) when it is opened, keeping its mappings; one whose administrator
//! imported their own CD-NOS version is left as it is.

use evidence_core::evidence::Status;
use evidence_core::frameworks::{native, FrameworkDoc};
use evidence_core::gaps::CriterionStatus;
use evidence_core::Store;
use tempfile::TempDir;

use crate::common::{add, dump, refs};

const EARLIER: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../assets/frameworks/superseded/cd-nos-2023.toml"
));

fn upgrades(store: &Store) -> i64 {
    store
        .raw_connection_for_tests()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'shipped_framework_upgraded'",
            [],
            |row| row.get(0),
        )
        .unwrap()
}

/// A portfolio as a build that shipped CD-NOS 2023 left it (with or without that version's method
/// rules), with a learner on CLDSCCD15 whose item is mapped to PC1. Returns the directory, the store
/// (still open, as that build had it: the upgrade happens when a store is opened), the learner and the
/// item.
fn portfolio_with_earlier_shipped(with_rules: bool) -> (TempDir, Store, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    let earlier = native::parse(EARLIER.as_bytes()).unwrap();
    let earlier = if with_rules {
        earlier
    } else {
        FrameworkDoc {
            method_rules: Vec::new(),
            ..earlier
        }
    };
    store.import_framework(&earlier).unwrap();
    // Today's shipped version never reached that portfolio.
    store
        .raw_connection_for_tests()
        .execute_batch(
            "CREATE TEMP TABLE gone AS SELECT id FROM frameworks WHERE code = 'CD-NOS' AND version = '2023.2';
             DELETE FROM framework_method_rules WHERE framework_id IN (SELECT id FROM gone);
             DELETE FROM criteria WHERE framework_id IN (SELECT id FROM gone);
             DELETE FROM framework_groups WHERE framework_id IN (SELECT id FROM gone);
             DELETE FROM frameworks WHERE id IN (SELECT id FROM gone);
             DROP TABLE gone;",
        )
        .unwrap();
    let listed = store.list_frameworks(true).unwrap();
    let nos: Vec<_> = listed.iter().filter(|f| f.code == "CD-NOS").collect();
    assert_eq!(nos.len(), 1);
    assert_eq!((nos[0].version.as_str(), nos[0].current), ("2023", true));

    let learner = store.add_learner("Uma", None).unwrap().id;
    store
        .enrol(&learner, "CD-NOS", &["CLDSCCD15".into()])
        .unwrap();
    let item = add(
        &mut store,
        &learner,
        "Partnership meeting",
        Status::Submitted,
        "2026-01-10",
    );
    store
        .map_evidence(&item.id, &refs(&["CD-NOS:CLDSCCD15.PC1"]), None)
        .unwrap();
    (dir, store, learner, item.id)
}

#[test]
fn a_portfolio_on_the_earlier_shipped_cd_nos_opens_on_the_shipped_suite_with_its_mappings() {
    for with_rules in [true, false] {
        let (dir, store, learner, item) = portfolio_with_earlier_shipped(with_rules);
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        let what = format!("with_rules {with_rules}");

        let listed = store.list_frameworks(true).unwrap();
        let versions: Vec<(&str, bool)> = listed
            .iter()
            .filter(|f| f.code == "CD-NOS")
            .map(|f| (f.version.as_str(), f.current))
            .collect();
        assert_eq!(versions, vec![("2023.2", true), ("2023", false)], "{what}");
        assert_eq!(upgrades(&store), 1, "{what}");

        // The mapping moved to the new version and still counts.
        let shown = store.evidence(&item).unwrap();
        assert_eq!(shown.mappings.len(), 1, "{what}");
        let mapping = &shown.mappings[0];
        assert_eq!(mapping.reference.to_string(), "CD-NOS:CLDSCCD15.PC1");
        assert!(mapping.current, "{what}");
        assert_eq!(mapping.framework_version, "2023.2", "{what}");
        let coverage = store.coverage(&learner).unwrap();
        let pc1 = coverage
            .criteria
            .iter()
            .find(|c| c.reference.to_string() == "CD-NOS:CLDSCCD15.PC1")
            .unwrap();
        assert_ne!(pc1.status, CriterionStatus::NoEvidence, "{what}");
        assert_eq!(pc1.evidence, vec![item.clone()], "{what}");
        assert_eq!(coverage.totals.evidenced, 1, "{what}");
        assert_eq!(coverage.criteria.len(), 28, "{what}: CLDSCCD15 as before");

        // The earlier version stays readable, as it was stored.
        let old = store.framework("CD-NOS", Some("2023")).unwrap();
        assert_eq!(old.criteria.len(), 28, "{what}");
        assert_eq!(old.groups.len(), 2, "{what}");
        assert_eq!(old.method_rules.len(), usize::from(with_rules), "{what}");
        let new = store.framework("CD-NOS", None).unwrap();
        assert_eq!(new.method_rules.len(), 1, "{what}: the shipped rule");
        assert!(store.verify_audit().unwrap().intact, "{what}");

        // Once only.
        let before = dump(&store);
        drop(store);
        let store = Store::open(dir.path()).unwrap();
        assert!(
            dump(&store) == before,
            "{what}: a second open changed something"
        );
    }
}

#[test]
fn a_cd_nos_version_the_centre_imported_itself_is_never_replaced() {
    let (dir, mut store, _learner, item) = portfolio_with_earlier_shipped(true);
    let mut own = native::parse(EARLIER.as_bytes()).unwrap();
    own.version = "2025-centre".into();
    own.criteria[0].text = "the centre's own wording of PC1".into();
    store.import_framework(&own).unwrap();
    let before = dump(&store);
    drop(store);

    let store = Store::open(dir.path()).unwrap();
    assert!(dump(&store) == before, "the centre's version was touched");
    let current = store.framework("CD-NOS", None).unwrap();
    assert_eq!(current.version, "2025-centre");
    assert!(store.framework("CD-NOS", Some("2023.2")).is_err());
    assert_eq!(upgrades(&store), 0);
    let shown = store.evidence(&item).unwrap();
    assert_eq!(shown.mappings[0].framework_version, "2025-centre");
}
