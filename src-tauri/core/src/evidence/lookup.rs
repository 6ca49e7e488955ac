//! Finding an evidence item from what a user typed (its id, or a unique part of one) and checking
//! what the acting user may do to its portfolio: the first step of every operation on an item.

use crate::error::{CoreError, Result};
use crate::ids::{EvidenceRowId, LearnerRowId};
use crate::learners::model::LearnerRow;
use crate::store::access::Need;
use crate::store::write::Allowed;
use crate::store::Store;

/// The item's identity inside the store.
#[derive(Debug, Clone)]
pub(crate) struct EvidenceKey {
    pub row_id: EvidenceRowId,
    pub learner_row_id: LearnerRowId,
    pub uuid: String,
}

impl Store {
    /// Resolves an evidence id, or any unique part of one at least 8 characters long. Ids begin with
    /// their creation time, so items recorded together share a prefix; the random end (the last 8
    /// characters, say) tells them apart. Only items of portfolios the user may name are candidates:
    /// another learner's item is "not found", exactly as an item that does not exist, and never
    /// makes a part ambiguous (otherwise guessing parts would recover its id).
    pub(crate) fn evidence_key(&self, key: &str) -> Result<EvidenceKey> {
        let key = key.trim().to_ascii_lowercase();
        if key.len() < 8 || !key.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(CoreError::invalid(format!(
                "{key:?} is not an evidence id; give the id, or 8 or more of its characters (e.g. the last 8)"
            )));
        }
        // Hex digits and hyphens only: no LIKE wildcards can be smuggled in.
        let mut stmt = self.look_up().prepare_cached(
            "SELECT id, learner_id, uuid FROM evidence WHERE uuid = ?1
             UNION ALL
             SELECT id, learner_id, uuid FROM evidence
                            WHERE uuid LIKE '%' || ?1 || '%' AND uuid <> ?1",
        )?;
        let nameable = self.nameable_learners()?;
        let found: Vec<EvidenceKey> = stmt
            .query_map([&key], |row| {
                Ok(EvidenceKey {
                    row_id: row.get(0)?,
                    learner_row_id: row.get(1)?,
                    uuid: row.get(2)?,
                })
            })?
            .filter(|found| {
                found
                    .as_ref()
                    .map_or(true, |f| nameable.allows(f.learner_row_id))
            })
            .take(2)
            .collect::<rusqlite::Result<_>>()?;
        match found.as_slice() {
            [] => Err(CoreError::not_found("evidence", key)),
            [only] => Ok(only.clone()),
            [first, ..] if first.uuid == key => Ok(first.clone()),
            _ => Err(CoreError::Ambiguous(format!(
                "more than one evidence item has {key:?} in its id; give more of the id"
            ))),
        }
    }

    /// Resolves an evidence id and checks `need` on the portfolio it belongs to, returning the
    /// proof a write needs.
    pub(crate) fn evidence_to_change(
        &self,
        key: &str,
        need: Need,
    ) -> Result<(EvidenceKey, LearnerRow, Allowed)> {
        let found = self.evidence_key(key)?;
        let learner = self.learner_by_row_id(found.learner_row_id)?;
        let allowed = self.require_portfolio(&learner, need)?;
        Ok((found, learner, allowed))
    }

    /// As [`Store::evidence_to_change`], for reads: the item and the proof its reads need.
    pub(crate) fn evidence_for(&self, key: &str, need: Need) -> Result<(EvidenceKey, Allowed)> {
        let (found, _, allowed) = self.evidence_to_change(key, need)?;
        Ok((found, allowed))
    }
}
