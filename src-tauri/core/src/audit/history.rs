//! Reading the audit trail back: an item's history, a learner's, or (for administrators) the whole
//! log. Entries hold identifiers and short states, never portfolio text.

use super::{entry_from_row, AuditEntry, ENTRY_COLUMNS};
use crate::error::Result;
use crate::store::access::Need;
use crate::store::Store;

/// Which entries to read.
#[derive(Debug, Clone, Copy)]
pub enum HistoryScope<'a> {
    /// One evidence item's entries (id or 8+ characters of it).
    Evidence(&'a str),
    /// Every entry about one learner's portfolio.
    Learner(&'a str),
    /// The whole log (administrators).
    All,
}

impl Store {
    /// Audit entries, oldest first, for a user who may see what they concern.
    pub fn history(&self, scope: HistoryScope<'_>) -> Result<Vec<AuditEntry>> {
        let (filter, value, allowed) = match scope {
            HistoryScope::Evidence(key) => {
                let (item, allowed) = self.evidence_for(key, Need::Read)?;
                ("subject = ?1", format!("evidence:{}", item.uuid), allowed)
            }
            HistoryScope::Learner(key) => {
                let learner = self.learner_row(key)?;
                let allowed = self.require_portfolio(&learner, Need::Read)?;
                ("learner_uuid = ?1", learner.learner.id, allowed)
            }
            HistoryScope::All => ("?1 = ?1", String::new(), self.require_admin()?),
        };
        let mut stmt = self.read(&allowed).prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE {filter} ORDER BY seq"
        ))?;
        let rows = stmt.query_map([value], entry_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
