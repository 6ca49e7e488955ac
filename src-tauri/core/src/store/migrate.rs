//! Schema migrations: SQL files embedded in the binary, applied in order, each in its own transaction
//! together with the record that it was applied.
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
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Applies every migration the database has not seen; refuses a database from a newer build.
pub(crate) fn apply_pending(conn: &mut Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version INTEGER PRIMARY KEY,
             name TEXT NOT NULL,
             applied_at TEXT NOT NULL
         )",
    )?;
    let current: i64 = conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |row| row.get(0),
    )?;
    if current > SCHEMA_VERSION {
        return Err(CoreError::DatabaseTooNew {
            found: current,
            known: SCHEMA_VERSION,
        });
    }
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate() {
        let version = index as i64 + 1;
        if version <= current {
            continue;
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![version, name, crate::time::now_rfc3339()],
        )?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

/// For a database that cannot be written: succeeds only if it needs no migration.
pub(crate) fn check_current(conn: &Connection) -> Result<()> {
    let current: i64 = conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |row| row.get(0),
    )?;
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
