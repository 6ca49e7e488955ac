//! Mapping evidence to criteria: one item to any number of criteria across any frameworks at once,
//! each with an optional note on how it meets the criterion.

use std::collections::BTreeSet;

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::audit::Change;
use crate::error::{CoreError, Result};
use crate::frameworks::crosswalk::Suggestion;
use crate::ids::{CriterionRowId, EvidenceRowId};
use crate::refs::CriterionRef;
use crate::store::access::Need;
use crate::store::{Allowed, Store};
use crate::time::now_rfc3339;

/// Longest mapping note, in characters.
pub const MAX_NOTE_CHARS: usize = 2_000;

/// A criterion an item is mapped to.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct MappingView {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    #[serde(rename = "ref")]
    pub reference: CriterionRef,
    pub text: String,
    pub note: String,
    /// The framework version of the criterion.
    pub framework_version: String,
    /// False when a newer framework version dropped this criterion: the mapping is kept but no longer
    /// counts towards coverage.
    pub current: bool,
}

/// What a mapping call did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MapReport {
    pub evidence: String,
    /// Criteria newly mapped.
    #[cfg_attr(feature = "ts", ts(type = "Array<string>"))]
    pub mapped: Vec<CriterionRef>,
    /// Criteria that were already mapped (their note is updated when one was given).
    #[cfg_attr(feature = "ts", ts(type = "Array<string>"))]
    pub already_mapped: Vec<CriterionRef>,
    /// Mapped criteria of frameworks the learner is not enrolled on (kept, but not in their gaps).
    #[cfg_attr(feature = "ts", ts(type = "Array<string>"))]
    pub outside_enrolments: Vec<CriterionRef>,
    /// Crosswalk suggestions for the criteria mapped, not yet mapped themselves.
    pub suggestions: Vec<Suggestion>,
}

impl Store {
    /// Maps an item to criteria, all or nothing: every reference must resolve before anything is written.
    pub fn map_evidence(
        &mut self,
        evidence: &str,
        refs: &[CriterionRef],
        note: Option<&str>,
    ) -> Result<MapReport> {
        if refs.is_empty() {
            return Err(CoreError::invalid("name at least one criterion to map to"));
        }
        let (item, learner, allowed) = self.evidence_to_change(evidence, Need::ChangeEvidence)?;
        let note = note.map(str::trim).unwrap_or_default().to_string();
        crate::input::multi_line("mapping note", &note, MAX_NOTE_CHARS)?;
        let unique: BTreeSet<&CriterionRef> = refs.iter().collect();
        let criteria = unique
            .iter()
            .map(|r| self.criterion(r))
            .collect::<Result<Vec<_>>>()?;
        let enrolled: Vec<String> = self
            .enrolments_of(&allowed, item.learner_row_id)?
            .into_iter()
            .map(|e| e.framework)
            .collect();
        let now = now_rfc3339();
        let (mapped, already_mapped) = self.write(&allowed, |tx, audit| {
            let mut mapped = Vec::new();
            let mut already = Vec::new();
            let mut renoted = Vec::new();
            for criterion in &criteria {
                let added = tx.execute(
                    "INSERT OR IGNORE INTO mappings (learner_id, criterion_id, evidence_id, note, mapped_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![item.learner_row_id, criterion.id, item.row_id, note, now],
                )?;
                if added == 1 {
                    mapped.push(criterion.reference.clone());
                } else {
                    if !note.is_empty() {
                        let changed = tx.execute(
                            "UPDATE mappings SET note = ?4, noted_at = ?5
                             WHERE learner_id = ?1 AND criterion_id = ?2 AND evidence_id = ?3 AND note <> ?4",
                            params![item.learner_row_id, criterion.id, item.row_id, note, now],
                        )?;
                        if changed == 1 {
                            renoted.push(criterion.reference.to_string());
                        }
                    }
                    already.push(criterion.reference.clone());
                }
            }
            if !mapped.is_empty() {
                let refs: Vec<String> = mapped.iter().map(ToString::to_string).collect();
                audit.record(Change::new("mapped", format!("evidence:{}", item.uuid))
                        .learner(&learner.learner.id)
                        .after(refs.join(" ")),
                )?;
            }
            // A changed note is a change like any other (it was not recorded before writes had to be).
            if !renoted.is_empty() {
                audit.record(
                    Change::new("mapping_note_changed", format!("evidence:{}", item.uuid))
                        .learner(&learner.learner.id)
                        .after(format!("{}: {note}", renoted.join(" "))),
                )?;
            }
            Ok((mapped, already))
        })?;
        let now_mapped: Vec<CriterionRef> = self
            .mappings_of(&allowed, item.row_id)?
            .into_iter()
            .map(|m| m.reference)
            .collect();
        let mut suggestions: Vec<Suggestion> = Vec::new();
        for criterion in &criteria {
            for suggestion in self.crosswalk_suggestions(&criterion.reference)? {
                let known = now_mapped.contains(&suggestion.reference)
                    || suggestions
                        .iter()
                        .any(|s| s.reference == suggestion.reference);
                if !known {
                    suggestions.push(suggestion);
                }
            }
        }
        Ok(MapReport {
            evidence: item.uuid,
            outside_enrolments: criteria
                .iter()
                .filter(|c| !enrolled.contains(&c.reference.framework))
                .map(|c| c.reference.clone())
                .collect(),
            mapped,
            already_mapped,
            suggestions,
        })
    }

    /// Removes mappings, all or nothing: each named criterion must be mapped to the item.
    pub fn unmap_evidence(&mut self, evidence: &str, refs: &[CriterionRef]) -> Result<()> {
        if refs.is_empty() {
            return Err(CoreError::invalid("name at least one criterion to unmap"));
        }
        let (item, learner, allowed) = self.evidence_to_change(evidence, Need::ChangeEvidence)?;
        let criteria = refs
            .iter()
            .map(|r| self.criterion(r))
            .collect::<Result<Vec<_>>>()?;
        let now = now_rfc3339();
        self.write(&allowed, |tx, audit| {
            for criterion in &criteria {
                if !remove_mapping(tx, item.row_id, criterion.id, &now)? {
                    return Err(CoreError::not_found(
                        "mapping",
                        format!("{} → {}", item.uuid, criterion.reference),
                    ));
                }
            }
            let refs: Vec<String> = criteria.iter().map(|c| c.reference.to_string()).collect();
            audit.record(
                Change::new("unmapped", format!("evidence:{}", item.uuid))
                    .learner(&learner.learner.id)
                    .before(refs.join(" ")),
            )
        })
    }

    pub(crate) fn mappings_of(
        &self,
        allowed: &Allowed,
        evidence_row_id: EvidenceRowId,
    ) -> Result<Vec<MappingView>> {
        let mut stmt = self.read(allowed).prepare(
            "SELECT f.code, c.code, c.text, m.note, f.version, f.is_current FROM mappings m
             JOIN criteria c ON c.id = m.criterion_id JOIN frameworks f ON f.id = c.framework_id
             WHERE m.evidence_id = ?1 ORDER BY f.code, c.position",
        )?;
        let rows = stmt.query_map([evidence_row_id], |row| {
            Ok(MappingView {
                reference: CriterionRef::new(row.get::<_, String>(0)?, row.get::<_, String>(1)?),
                text: row.get(2)?,
                note: row.get(3)?,
                framework_version: row.get(4)?,
                current: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Takes a mapping away and records its removal (so that it travels in bundles and an older copy
/// does not put it back); false if the item was not mapped to the criterion.
pub(crate) fn remove_mapping(
    tx: &rusqlite::Transaction<'_>,
    item_row: EvidenceRowId,
    criterion_row: CriterionRowId,
    now: &str,
) -> Result<bool> {
    let mapped_at: Option<String> = tx
        .query_row(
            "DELETE FROM mappings WHERE criterion_id = ?1 AND evidence_id = ?2 RETURNING mapped_at",
            params![criterion_row, item_row],
            |r| r.get(0),
        )
        .optional()?;
    let Some(mapped_at) = mapped_at else {
        return Ok(false);
    };
    record_removal(tx, item_row, criterion_row, &mapped_at, now)?;
    Ok(true)
}

/// Records that the mapping named (item, criterion, `mapped_at`) was taken away (once).
pub(crate) fn record_removal(
    tx: &rusqlite::Transaction<'_>,
    item_row: EvidenceRowId,
    criterion_row: CriterionRowId,
    mapped_at: &str,
    removed_at: &str,
) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO mapping_removals (evidence_id, criterion_id, mapped_at, removed_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![item_row, criterion_row, mapped_at, removed_at],
    )?;
    Ok(())
}
