//! Schema migrations: SQL files embedded in the binary, applied in order, all pending ones in one
//! transaction together with the record that each was applied.
//!
//! To add a migration, add `migrations/NNNN_name.sql` and list it in [`MIGRATIONS`]; never edit one that
//! has shipped.

use rusqlite::{Connection, TransactionBehavior};

use crate::error::{CoreError, Result};

/// Every migration, in order. The version of each is its position, starting at 1.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_initial",
        include_str!("../../migrations/0001_initial.sql"),
    ),
    (
        "0002_accounts_audit",
        include_str!("../../migrations/0002_accounts_audit.sql"),
    ),
    (
        "0003_review",
        include_str!("../../migrations/0003_review.sql"),
    ),
    (
        "0004_witness_method_rules",
        include_str!("../../migrations/0004_witness_method_rules.sql"),
    ),
    (
        "0005_bundles",
        include_str!("../../migrations/0005_bundles.sql"),
    ),
    (
        "0006_mapping_removals",
        include_str!("../../migrations/0006_mapping_removals.sql"),
    ),
    (
        "0007_signing_keys",
        include_str!("../../migrations/0007_signing_keys.sql"),
    ),
    (
        "0008_centres_signed_audit",
        include_str!("../../migrations/0008_centres_signed_audit.sql"),
    ),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Applies every migration the database has not seen, all in one IMMEDIATE transaction; refuses a
/// database from a newer build.
///
/// The write lock is taken first and the version read inside it, so several processes opening one
/// new (or old) data directory at once apply each migration exactly once: the first upgrades, the
/// others wait for the lock, then find nothing to do. One transaction for every pending migration
/// means an upgrade interrupted (a crash, SIGKILL, a full disk) leaves the earlier schema as it was.
pub(crate) fn apply_pending(conn: &mut Connection) -> Result<()> {
    // The usual case, an up-to-date database, is seen without the write lock, so opening never waits
    // for another process's long write.
    if has_migrations_table(conn)? && recorded_version(conn)? == SCHEMA_VERSION {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version INTEGER PRIMARY KEY,
             name TEXT NOT NULL,
             applied_at TEXT NOT NULL
         )",
    )?;
    let current = recorded_version(&tx)?;
    if current > SCHEMA_VERSION {
        return Err(CoreError::DatabaseTooNew {
            found: current,
            known: SCHEMA_VERSION,
        });
    }
    if current == SCHEMA_VERSION {
        // Nothing to do: give the lock back without writing.
        tx.rollback()?;
        return Ok(());
    }
    let applied_at = crate::time::now_rfc3339();
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= current {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![version, name, applied_at],
        )?;
        pause_for_tests(version);
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    tx.commit()?;
    Ok(())
}

fn has_migrations_table(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')",
        [],
        |row| row.get(0),
    )?)
}

fn recorded_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |row| row.get(0),
    )?)
}

/// `EVIDENCE_TEST_MIGRATION_PAUSE_MS`: the upgrade tests hold an upgrade open after each migration,
/// so that they can kill the process in the middle of it. Unset in normal use.
fn pause_for_tests(version: i64) {
    let pause = std::env::var("EVIDENCE_TEST_MIGRATION_PAUSE_MS")
        .ok()
        .and_then(|ms| ms.parse::<u64>().ok());
    if let Some(ms) = pause {
        eprintln!("migration {version} applied, not yet committed");
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

/// For a database that cannot be written: succeeds only if it needs no migration.
pub(crate) fn check_current(conn: &Connection) -> Result<()> {
    let current = recorded_version(conn)?;
    match current.cmp(&SCHEMA_VERSION) {
        std::cmp::Ordering::Greater => Err(CoreError::DatabaseTooNew {
            found: current,
            known: SCHEMA_VERSION,
        }),
        std::cmp::Ordering::Less => Err(CoreError::ReadOnly(format!(
            "the database (schema {current}) needs upgrading to schema {SCHEMA_VERSION}, which needs a writable data directory"
        ))),
        std::cmp::Ordering::Equal => Ok(()),
    }
}
