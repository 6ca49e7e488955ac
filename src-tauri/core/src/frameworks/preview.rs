//! What importing a framework would do, worked out before anything is written: the criteria a new
//! version adds, removes and rewords (with the words that changed), and for every learner who uses
//! the framework what happens to their mappings and judgements. The app shows it for confirmation
//! and `frameworks import --dry-run` prints it; it reads and never writes.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::compare::{compare, word_diff, Fate, StoredCriterion, WordChange};
use super::model::{FrameworkDoc, FrameworkKind};
use super::repo::{content_hash, stored_hash, version_conflict, ImportOutcome};
use crate::error::Result;
use crate::gaps::load::STANDING;
use crate::ids::FrameworkRowId;
use crate::store::Store;

/// A criterion the new version adds.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct AddedCriterion {
    pub reference: String,
    pub text: String,
}

/// A criterion of the current version that the new one removes or rewords, with what relies on it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct AlteredCriterion {
    pub reference: String,
    pub old_text: String,
    /// Empty for a removed criterion.
    pub new_text: String,
    /// The words that went and came (empty for a removed criterion).
    pub diff: Vec<WordChange>,
    /// Evidence mappings to it, across all learners.
    pub mappings: usize,
    /// Learners with a standing judgement on it.
    pub judgements: usize,
}

/// What the new version does to one learner's portfolio.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct LearnerEffect {
    pub learner_id: String,
    pub name: String,
    /// Mappings that move onto the new version (same code; reworded criteria included).
    pub mappings_carried: usize,
    /// Mappings to criteria the new version removes: they stay on the old version and stop counting.
    pub mappings_on_removed: usize,
    /// Standing judgements that carry over (the criterion's words are unchanged).
    pub judgements_carried: usize,
    /// Criteria judged before whose words change: the judgement is marked for re-checking.
    pub judgements_to_recheck: Vec<String>,
    /// Criteria judged before that the new version removes.
    pub judgements_on_removed: Vec<String>,
}

/// Everything an administrator confirms before a framework is written.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct ImportPreview {
    pub framework: String,
    pub title: String,
    pub kind: FrameworkKind,
    pub version: String,
    pub verified: bool,
    pub source: String,
    pub previous_version: Option<String>,
    pub outcome: ImportOutcome,
    /// Why the import would be refused (this version is stored with other content), if it would.
    pub refused: Option<String>,
    pub groups: usize,
    pub criteria: usize,
    /// Where the numbering skips (`U1.1.3 follows U1.1.1: U1.1.2 is missing`): not an error, as a
    /// specification may number so, but worth a look before publishing.
    pub numbering_gaps: Vec<String>,
    pub added: Vec<AddedCriterion>,
    pub removed: Vec<AlteredCriterion>,
    pub reworded: Vec<AlteredCriterion>,
    pub learners: Vec<LearnerEffect>,
}

impl Store {
    /// What importing `doc` would do, written nowhere. Administrators only, as the import is.
    pub fn preview_framework_import(&self, doc: &FrameworkDoc) -> Result<ImportPreview> {
        let allowed = self.require_admin()?;
        doc.validate()?;
        let conn = self.read(&allowed);
        let mut preview = ImportPreview {
            framework: doc.code.clone(),
            title: doc.title.clone(),
            kind: doc.kind,
            version: doc.version.clone(),
            verified: doc.verified,
            source: doc.source.clone(),
            previous_version: None,
            outcome: ImportOutcome::Added,
            refused: None,
            groups: doc.groups.len(),
            criteria: doc.criteria.len(),
            numbering_gaps: super::numbering::gaps(doc),
            added: Vec::new(),
            removed: Vec::new(),
            reworded: Vec::new(),
            learners: Vec::new(),
        };
        if let Some(stored) = stored_hash(conn, doc)? {
            match stored == content_hash(doc)? {
                true => preview.outcome = ImportOutcome::Unchanged,
                false => preview.refused = Some(version_conflict(doc)),
            }
            return Ok(preview);
        }
        let previous: Option<(FrameworkRowId, String)> = conn
            .query_row(
                "SELECT id, version FROM frameworks WHERE code = ?1 AND is_current = 1",
                [&doc.code],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        let Some((previous_id, previous_version)) = previous else {
            preview.added = doc
                .criteria
                .iter()
                .map(|c| AddedCriterion {
                    reference: format!("{}:{}", doc.code, c.code),
                    text: c.text.clone(),
                })
                .collect();
            return Ok(preview);
        };
        preview.outcome = ImportOutcome::NewVersion;
        preview.previous_version = Some(previous_version);
        compare_with_stored(conn, previous_id, doc, &mut preview)?;
        Ok(preview)
    }
}

/// Fills in what replacing the stored version `previous_id` by `doc` does, criterion by criterion and
/// learner by learner.
fn compare_with_stored(
    conn: &Connection,
    previous_id: FrameworkRowId,
    doc: &FrameworkDoc,
    preview: &mut ImportPreview,
) -> Result<()> {
    let mut stmt = conn.prepare(&format!(
        "SELECT c.code, c.text,
                    (SELECT COUNT(*) FROM mappings m WHERE m.criterion_id = c.id),
                    (SELECT COUNT(*) FROM judgements j WHERE j.criterion_id = c.id AND {STANDING})
             FROM criteria c WHERE c.framework_id = ?1 ORDER BY c.position"
    ))?;
    let stored: Vec<(StoredCriterion, usize, usize)> = stmt
        .query_map([previous_id], |row| {
            let criterion = StoredCriterion {
                code: row.get(0)?,
                text: row.get(1)?,
            };
            Ok((
                criterion,
                row.get::<_, i64>(2)? as usize,
                row.get::<_, i64>(3)? as usize,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let criteria: Vec<StoredCriterion> = stored.iter().map(|(c, _, _)| c.clone()).collect();
    let comparison = compare(&criteria, doc);
    let reference = |code: &str| format!("{}:{code}", doc.code);
    let new_texts: HashMap<&str, &str> = doc
        .criteria
        .iter()
        .map(|c| (c.code.as_str(), c.text.as_str()))
        .collect();
    for (old, mappings, judgements) in &stored {
        let new_text = new_texts
            .get(old.code.as_str())
            .map(|t| t.to_string())
            .unwrap_or_default();
        let altered = AlteredCriterion {
            reference: reference(&old.code),
            diff: match new_text.is_empty() {
                true => Vec::new(),
                false => word_diff(&old.text, &new_text),
            },
            old_text: old.text.clone(),
            new_text,
            mappings: *mappings,
            judgements: *judgements,
        };
        match comparison.fate(&old.code) {
            Fate::Kept => {}
            Fate::Reworded => preview.reworded.push(altered),
            Fate::Removed => preview.removed.push(altered),
        }
    }
    preview.added = comparison
        .added
        .iter()
        .map(|code| AddedCriterion {
            reference: reference(code),
            text: new_texts
                .get(code.as_str())
                .map(|t| t.to_string())
                .unwrap_or_default(),
        })
        .collect();

    let mut learners: BTreeMap<String, LearnerEffect> = BTreeMap::new();
    let mut enrolled = conn.prepare(
        "SELECT l.uuid, l.name FROM enrolments e JOIN learners l ON l.id = e.learner_id
             WHERE e.framework_code = ?1",
    )?;
    for row in enrolled.query_map([&doc.code], |r| Ok((r.get(0)?, r.get(1)?)))? {
        let (uuid, name) = row?;
        effect(&mut learners, uuid, name);
    }
    let mut mapped = conn.prepare(
        "SELECT l.uuid, l.name, c.code, COUNT(*) FROM mappings m
             JOIN criteria c ON c.id = m.criterion_id JOIN learners l ON l.id = m.learner_id
             WHERE c.framework_id = ?1 GROUP BY m.learner_id, c.code",
    )?;
    let rows = mapped.query_map([previous_id], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)? as usize,
        ))
    })?;
    for row in rows {
        let (uuid, name, code, count) = row?;
        let learner = effect(&mut learners, uuid, name);
        match comparison.fate(&code) {
            Fate::Removed => learner.mappings_on_removed += count,
            Fate::Kept | Fate::Reworded => learner.mappings_carried += count,
        }
    }
    let mut judged = conn.prepare(&format!(
        "SELECT l.uuid, l.name, c.code FROM judgements j
             JOIN criteria c ON c.id = j.criterion_id JOIN learners l ON l.id = j.learner_id
             WHERE c.framework_id = ?1 AND {STANDING} ORDER BY c.position"
    ))?;
    let rows = judged.query_map([previous_id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?))
    })?;
    for row in rows {
        let (uuid, name, code) = row?;
        let learner = effect(&mut learners, uuid, name);
        match comparison.fate(&code) {
            Fate::Kept => learner.judgements_carried += 1,
            Fate::Reworded => learner.judgements_to_recheck.push(reference(&code)),
            Fate::Removed => learner.judgements_on_removed.push(reference(&code)),
        }
    }
    let mut learners: Vec<LearnerEffect> = learners.into_values().collect();
    learners.sort_by(|a, b| a.name.cmp(&b.name).then(a.learner_id.cmp(&b.learner_id)));
    preview.learners = learners;
    Ok(())
}

/// The learner's entry in the preview, made on first mention.
fn effect(
    learners: &mut BTreeMap<String, LearnerEffect>,
    uuid: String,
    name: String,
) -> &mut LearnerEffect {
    learners.entry(uuid.clone()).or_insert(LearnerEffect {
        learner_id: uuid,
        name,
        mappings_carried: 0,
        mappings_on_removed: 0,
        judgements_carried: 0,
        judgements_to_recheck: Vec::new(),
        judgements_on_removed: Vec::new(),
    })
}
