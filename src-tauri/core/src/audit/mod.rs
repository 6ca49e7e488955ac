//! The audit trail: every change is appended to `audit_log` in the transaction that makes it, saying
//! who did what to which record, with identifiers of the state before and after. Entries are
//! hash-chained (each hash covers the entry's fields and the previous entry's hash) and the last one is
//! also kept in `audit_head`, so [`Store::verify_audit`](crate::Store::verify_audit) finds an entry
//! that was altered, removed or moved, and says which. An entry made by an account whose signing key
//! is open is also signed with that key (the signature covers the entry's hash, and so the whole
//! chain before it), so the chain cannot be rewritten and hashed again by someone who holds the
//! database file but not the passwords.

mod cross_check;
mod entry_signatures;
mod history;
mod problem;
mod verify;

use std::sync::Arc;

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::accounts::keys::SessionKey;
use crate::error::Result;
use crate::time::now_rfc3339;

pub use history::HistoryScope;
pub use problem::AuditProblem;
pub use verify::AuditReport;

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who is acting, as the audit trail records it.
#[derive(Debug, Clone)]
pub(crate) struct Who {
    /// The user's uuid; `None` before accounts existed (the computer's owner) or for the app itself.
    pub uuid: Option<String>,
    pub name: String,
    /// Their signing key, when it is open: every entry they make is signed with it.
    pub key: Option<Arc<SessionKey>>,
}

impl Who {
    /// Someone with no key at hand (the app itself, a sign-in attempt, the owner before accounts).
    pub fn unsigned(uuid: Option<String>, name: impl Into<String>) -> Who {
        Who {
            uuid,
            name: name.into(),
            key: None,
        }
    }

    /// Whether `subject` (`user:UUID`) names this user.
    pub fn is(&self, subject: &str) -> bool {
        self.uuid
            .as_deref()
            .is_some_and(|uuid| subject.strip_prefix("user:") == Some(uuid))
    }
}

/// The statement an entry's signature signs: its hash (which covers every field and, through
/// `prev_hash`, every entry before it) and the key that signs it.
pub(crate) fn signed_statement(hash: &str, key_id: &str) -> Vec<u8> {
    format!("evidence-tracker-audit-entry-1\n{hash}\n{key_id}").into_bytes()
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
    /// The key that signed the entry and its signature (hex); `None` for an entry made with no key
    /// at hand, or by an earlier version (absent in bundles of earlier versions).
    #[serde(default)]
    pub key_id: Option<String>,
    #[serde(default)]
    pub signature: Option<String>,
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

/// The end of the trail as it stood when a report or bundle was made: the number and hash of its
/// last entry. Printed in every report and bundle manifest, so `audit verify --against FILE` can
/// later check the trail still holds that entry unchanged.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: String,
}

impl std::fmt::Display for AuditHead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "entry {}, sha256:{}", self.seq, self.hash)
    }
}

impl AuditHead {
    /// The first head printed in `text` as [`Display`](std::fmt::Display) writes it
    /// (`entry N, sha256:HEX`).
    pub fn find_in(text: &str) -> Option<AuditHead> {
        const MARK: &str = ", sha256:";
        text.match_indices(MARK).find_map(|(at, _)| {
            let number = text[..at].trim_end_matches(|c: char| c.is_ascii_digit());
            let seq = text[number.len()..at].parse().ok()?;
            number.strip_suffix("entry ")?;
            let hash = text.get(at + MARK.len()..at + MARK.len() + 64)?;
            hash.bytes()
                .all(|b| b.is_ascii_hexdigit())
                .then(|| AuditHead {
                    seq,
                    hash: hash.to_string(),
                })
        })
    }
}

/// The trail's head, if it has entries.
pub(crate) fn head(conn: &rusqlite::Connection) -> Result<Option<AuditHead>> {
    Ok(conn
        .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |row| {
            Ok(AuditHead {
                seq: row.get(0)?,
                hash: row.get(1)?,
            })
        })
        .optional()?)
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
        key_id: None,
        signature: None,
    };
    entry.hash = entry.expected_hash();
    if let Some(key) = &who.key {
        entry.signature = Some(key.sign(&signed_statement(&entry.hash, key.key_id())));
        entry.key_id = Some(key.key_id().to_string());
    }
    tx.execute(
        "INSERT INTO audit_log (seq, at, user_uuid, user_name, action, subject, learner_uuid, before, after, prev_hash, hash, key_id, signature)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
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
            entry.hash,
            entry.key_id,
            entry.signature
        ],
    )?;
    tx.execute(
        "INSERT INTO audit_head (id, seq, hash, key_id, signature) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash,
             key_id = excluded.key_id, signature = excluded.signature",
        params![entry.seq, entry.hash, entry.key_id, entry.signature],
    )?;
    Ok(())
}

pub(crate) const ENTRY_COLUMNS: &str =
    "seq, at, user_uuid, user_name, action, subject, learner_uuid, before, after, prev_hash, hash, key_id, signature";

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
        key_id: row.get(11)?,
        signature: row.get(12)?,
    })
}

#[cfg(test)]
mod tests {
    use super::AuditHead;

    #[test]
    fn a_printed_head_is_found_again_in_the_text_around_it() {
        let head = AuditHead {
            seq: 1207,
            hash: "ab".repeat(32),
        };
        let text = format!("<dt>Audit trail at</dt><dd>{head}</dd> and entry 9, sha256:short");
        assert_eq!(AuditHead::find_in(&text), Some(head));
        for not_one in [
            "entry , sha256:",
            "entry 12, sha256:abc",
            "item 12, sha256:",
        ] {
            assert_eq!(
                AuditHead::find_in(&format!("{not_one}{}", "0".repeat(60))),
                None
            );
        }
    }
}
