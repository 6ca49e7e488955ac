//! The audit trail: every change is appended to `audit_log` in the transaction that makes it, saying
//! who did what to which record, with identifiers of the state before and after. Entries are
//! hash-chained (each hash covers the entry's fields and the previous entry's hash) and the last one is
//! also kept in `audit_head`, so [`Store::verify_audit`](crate::Store::verify_audit) finds an entry
//! that was altered, removed or moved, and says which.

mod history;
mod verify;

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::Result;
use crate::time::now_rfc3339;

pub use history::HistoryScope;
pub use verify::{AuditProblem, AuditReport};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who is acting, as the audit trail records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Who {
    /// The user's uuid; `None` before accounts existed (the computer's owner) or for the app itself.
    pub uuid: Option<String>,
    pub name: String,
}

/// One change, as the operation that made it describes it.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub action: &'static str,
    pub subject: String,
    pub learner: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Change {
    pub fn new(action: &'static str, subject: impl Into<String>) -> Change {
        Change {
            action,
            subject: subject.into(),
            learner: None,
            before: None,
            after: None,
        }
    }

    pub fn learner(mut self, uuid: &str) -> Change {
        self.learner = Some(uuid.to_string());
        self
    }

    pub fn before(mut self, state: impl Into<String>) -> Change {
        self.before = Some(state.into());
        self
    }

    pub fn after(mut self, state: impl Into<String>) -> Change {
        self.after = Some(state.into());
        self
    }
}

/// An entry of the audit trail, as shown (and as a bundle carries it).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub user_id: Option<String>,
    pub user_name: String,
    pub action: String,
    pub subject: String,
    pub learner_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The hash this entry should carry, from its fields and `prev_hash`.
    pub fn expected_hash(&self) -> String {
        let fields = serde_json::json!([
            self.seq,
            self.at,
            self.user_id,
            self.user_name,
            self.action,
            self.subject,
            self.learner_id,
            self.before,
            self.after,
            self.prev_hash,
        ]);
        hex::encode(Sha256::digest(fields.to_string().as_bytes()))
    }
}

/// Appends `change` to the trail inside the caller's transaction.
pub(crate) fn append(tx: &Transaction<'_>, who: &Who, change: Change) -> Result<()> {
    let head: Option<(i64, String)> = tx
        .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?;
    let (last_seq, prev_hash) = head.unwrap_or((0, GENESIS.to_string()));
    let mut entry = AuditEntry {
        seq: last_seq + 1,
        at: now_rfc3339(),
        user_id: who.uuid.clone(),
        user_name: who.name.clone(),
        action: change.action.to_string(),
        subject: change.subject,
        learner_id: change.learner,
        before: change.before,
        after: change.after,
        prev_hash,
        hash: String::new(),
    };
    entry.hash = entry.expected_hash();
    tx.execute(
        "INSERT INTO audit_log (seq, at, user_uuid, user_name, action, subject, learner_uuid, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            entry.seq,
            entry.at,
            entry.user_id,
            entry.user_name,
            entry.action,
            entry.subject,
            entry.learner_id,
            entry.before,
            entry.after,
            entry.prev_hash,
            entry.hash
        ],
    )?;
    tx.execute(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
        params![entry.seq, entry.hash],
    )?;
    Ok(())
}

pub(crate) const ENTRY_COLUMNS: &str =
    "seq, at, user_uuid, user_name, action, subject, learner_uuid, before, after, prev_hash, hash";

pub(crate) fn entry_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: row.get(0)?,
        at: row.get(1)?,
        user_id: row.get(2)?,
        user_name: row.get(3)?,
        action: row.get(4)?,
        subject: row.get(5)?,
        learner_id: row.get(6)?,
        before: row.get(7)?,
        after: row.get(8)?,
        prev_hash: row.get(9)?,
        hash: row.get(10)?,
    })
}
