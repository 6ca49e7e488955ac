//! The store: file layout, connection policy, migrations and their version record.

use evidence_core::store::{DATABASE_FILE, SCHEMA_VERSION};
use evidence_core::Store;

use crate::common::fresh;

#[test]
fn a_new_data_directory_gets_one_database_file_with_wal_and_foreign_keys() {
    let fx = fresh();
    assert!(fx.dir.path().join(DATABASE_FILE).is_file());
    let mode: String = fx
        .store
        .raw_connection_for_tests()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = fx
        .store
        .raw_connection_for_tests()
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1, "foreign keys must be enforced on every connection");
}

#[test]
fn every_migration_is_recorded_with_its_version() {
    let fx = fresh();
    let (count, max): (i64, i64) = fx
        .store
        .raw_connection_for_tests()
        .query_row(
            "SELECT COUNT(*), MAX(version) FROM schema_migrations",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(count, SCHEMA_VERSION);
    assert_eq!(max, SCHEMA_VERSION);
    let user_version: i64 = fx
        .store
        .raw_connection_for_tests()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(user_version, SCHEMA_VERSION);
}

#[test]
fn reopening_keeps_data_and_applies_nothing_twice() {
    let fx = fresh();
    let dir = fx.dir;
    let mut store = fx.store;
    let learner = store.add_learner("Ada", None).unwrap();
    drop(store);
    let store = Store::open(dir.path()).unwrap();
    assert_eq!(store.learner(&learner.id).unwrap().name, "Ada");
    let count: i64 = store
        .raw_connection_for_tests()
        .query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0))
        .unwrap();
    assert_eq!(count, SCHEMA_VERSION);
    let frameworks: i64 = store
        .raw_connection_for_tests()
        .query_row("SELECT COUNT(*) FROM frameworks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        frameworks, 4,
        "shipped frameworks are loaded once, not on every start"
    );
}

#[test]
fn a_database_from_a_newer_version_is_refused_untouched() {
    let fx = fresh();
    let dir = fx.dir;
    fx.store
        .raw_connection_for_tests()
        .execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')",
            [],
        )
        .unwrap();
    drop(fx.store);
    let before = std::fs::read(dir.path().join(DATABASE_FILE)).unwrap();
    let err = Store::open(dir.path())
        .err()
        .expect("a newer database must be refused");
    assert_eq!(err.code(), "database_too_new");
    assert!(err.to_string().contains("upgrade"), "{err}");
    assert_eq!(
        before,
        std::fs::read(dir.path().join(DATABASE_FILE)).unwrap()
    );
}

#[test]
fn a_data_directory_that_is_a_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let err = Store::open(&file).err().expect("must fail");
    assert!(
        ["io_error", "read_only"].contains(&err.code()),
        "{}: {err}",
        err.code()
    );
}

#[test]
fn in_memory_stores_have_the_shipped_frameworks_too() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.list_frameworks(false).unwrap().len(), 4);
}

#[cfg(unix)]
#[test]
fn a_new_data_directory_and_database_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("portfolio");
    Store::open(&dir).unwrap();
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join(DATABASE_FILE)), 0o600);
}
