//! Storing frameworks: first import, identical re-import, and replacement by a new version that keeps
//! every evidence mapping whose criterion code still exists and reports what it could not keep.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::compare::{compare, Fate, StoredCriterion};
use super::model::{CriterionDoc, FrameworkDoc, FrameworkKind, GroupDoc, MethodRuleDoc};
use crate::error::{CoreError, Result};
use crate::ids::{CriterionRowId, FrameworkRowId};
use crate::refs::CriterionRef;
use crate::store::Store;
use crate::time::now_rfc3339;

/// What an import did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportOutcome {
    /// The framework was new to this database.
    Added,
    /// The framework existed; this version is now the current one.
    NewVersion,
    /// This exact version with this exact content was already stored: nothing changed.
    Unchanged,
}

/// The result of importing a framework, with everything a user must know about their mappings.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ImportReport {
    pub framework: String,
    pub version: String,
    pub previous_version: Option<String>,
    pub outcome: ImportOutcome,
    pub groups: usize,
    pub criteria: usize,
    /// Criterion codes new in this version.
    pub added: Vec<String>,
    /// Criteria of the previous version that this one no longer has.
    pub removed: Vec<RemovedCriterion>,
    /// Criteria whose text changed between the versions.
    pub changed: Vec<ChangedCriterion>,
    /// Evidence mappings moved onto the new version.
    pub mappings_kept: usize,
    /// Assessors' judgements moved onto the new version (their criterion's words are unchanged).
    pub judgements_kept: usize,
    /// Judgements left on the previous version because their criterion was reworded: an assessor
    /// judges the criterion again against its new words.
    pub judgements_to_recheck: usize,
}

/// A criterion that the new version dropped. Its mappings stay on the old version, which is kept.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RemovedCriterion {
    #[serde(rename = "ref")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub reference: CriterionRef,
    pub text: String,
    /// Evidence mappings to it, which no longer count towards coverage.
    pub mappings: usize,
}

/// A criterion whose text the new version changed; its mappings were kept.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangedCriterion {
    #[serde(rename = "ref")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub reference: CriterionRef,
    pub old_text: String,
    pub new_text: String,
    /// Evidence mappings kept, which a tutor may want to re-check against the new text.
    pub mappings: usize,
}

/// What a framework's content hash covers: the document's fields in their order, with the method rules
/// only when there are any, so a framework without rules hashes exactly as it did before rules existed
/// (stored hashes of such frameworks stay valid).
#[derive(Serialize)]
struct Hashed<'a> {
    code: &'a str,
    title: &'a str,
    kind: FrameworkKind,
    version: &'a str,
    source: &'a str,
    verified: bool,
    description: &'a str,
    groups: &'a [GroupDoc],
    criteria: &'a [CriterionDoc],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    method_rules: &'a [MethodRuleDoc],
}

pub(crate) fn content_hash(doc: &FrameworkDoc) -> Result<String> {
    let hashed = Hashed {
        code: &doc.code,
        title: &doc.title,
        kind: doc.kind,
        version: &doc.version,
        source: &doc.source,
        verified: doc.verified,
        description: &doc.description,
        groups: &doc.groups,
        criteria: &doc.criteria,
        method_rules: &doc.method_rules,
    };
    let bytes = serde_json::to_vec(&hashed).map_err(|e| CoreError::Database(e.to_string()))?;
    Ok(hex::encode(Sha256::digest(bytes)))
}

impl Store {
    /// Imports a validated framework document in one transaction.
    /// Administrators only.
    pub fn import_framework(&mut self, doc: &FrameworkDoc) -> Result<ImportReport> {
        let allowed = self.require_admin()?;
        doc.validate()?;
        self.write(&allowed, |tx, audit| {
            let report = import_in(tx, doc)?;
            if report.outcome != ImportOutcome::Unchanged {
                audit.record(
                    crate::audit::Change::new(
                        "framework_imported",
                        format!("framework:{}", report.framework),
                    )
                    .before(report.previous_version.clone().unwrap_or_default())
                    .after(report.version.clone()),
                )?;
            }
            Ok(report)
        })
    }
}

/// The content hash stored for the document's code and version, if that version is stored.
pub(crate) fn stored_hash(
    conn: &rusqlite::Connection,
    doc: &FrameworkDoc,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT content_hash FROM frameworks WHERE code = ?1 AND version = ?2",
            params![doc.code, doc.version],
            |row| row.get(0),
        )
        .optional()?)
}

/// Why a document whose version is stored with other content is refused.
pub(crate) fn version_conflict(doc: &FrameworkDoc) -> String {
    format!(
        "version {} of framework {} is already stored with different content; give the changed framework a new version",
        doc.version, doc.code
    )
}

/// The import itself, inside the caller's transaction.
pub(crate) fn import_in(tx: &Transaction<'_>, doc: &FrameworkDoc) -> Result<ImportReport> {
    let hash = content_hash(doc)?;
    let same_version = stored_hash(tx, doc)?;
    let mut report = ImportReport {
        framework: doc.code.clone(),
        version: doc.version.clone(),
        previous_version: None,
        outcome: ImportOutcome::Added,
        groups: doc.groups.len(),
        criteria: doc.criteria.len(),
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
        mappings_kept: 0,
        judgements_kept: 0,
        judgements_to_recheck: 0,
    };
    if let Some(stored) = same_version {
        if stored == hash {
            report.outcome = ImportOutcome::Unchanged;
            return Ok(report);
        }
        return Err(CoreError::Conflict(version_conflict(doc)));
    }
    let previous: Option<(FrameworkRowId, String)> = tx
        .query_row(
            "SELECT id, version FROM frameworks WHERE code = ?1 AND is_current = 1",
            [&doc.code],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    if let Some((previous_id, _)) = &previous {
        tx.execute(
            "UPDATE frameworks SET is_current = 0 WHERE id = ?1",
            [previous_id],
        )?;
    }
    let framework_id = insert_framework(tx, doc, &hash)?;
    let new_ids = insert_tree(tx, framework_id, doc)?;
    super::method_rules::insert(tx, framework_id, &doc.method_rules)?;
    if let Some((previous_id, previous_version)) = previous {
        report.outcome = ImportOutcome::NewVersion;
        report.previous_version = Some(previous_version);
        carry_mappings(tx, previous_id, doc, &new_ids, &mut report)?;
    }
    Ok(report)
}

fn insert_framework(
    tx: &Transaction<'_>,
    doc: &FrameworkDoc,
    hash: &str,
) -> Result<FrameworkRowId> {
    tx.execute(
        "INSERT INTO frameworks (code, version, title, kind, source, verified, description, content_hash, is_current, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9)",
        params![
            doc.code,
            doc.version,
            doc.title,
            doc.kind.as_str(),
            doc.source,
            doc.verified,
            doc.description,
            hash,
            now_rfc3339()
        ],
    )?;
    Ok(FrameworkRowId::new(tx.last_insert_rowid()))
}

/// Inserts groups and criteria; returns the new criterion ids by code.
fn insert_tree(
    tx: &Transaction<'_>,
    framework_id: FrameworkRowId,
    doc: &FrameworkDoc,
) -> Result<HashMap<String, CriterionRowId>> {
    let mut group_ids: HashMap<&str, i64> = HashMap::new();
    let mut insert_group = tx.prepare(
        "INSERT INTO framework_groups (framework_id, parent_id, code, kind, title, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    // Validation guarantees an acyclic tree; insert parents before children whatever the file order.
    let mut pending: Vec<(usize, &GroupDoc)> = doc.groups.iter().enumerate().collect();
    while !pending.is_empty() {
        let before = pending.len();
        let mut waiting = Vec::new();
        for (position, group) in pending {
            let parent_id = match &group.parent {
                None => None,
                Some(parent) => match group_ids.get(parent.as_str()) {
                    Some(id) => Some(*id),
                    None => {
                        waiting.push((position, group));
                        continue;
                    }
                },
            };
            insert_group.execute(params![
                framework_id,
                parent_id,
                group.code,
                group.kind.as_str(),
                group.title,
                position as i64
            ])?;
            group_ids.insert(&group.code, tx.last_insert_rowid());
        }
        if waiting.len() == before {
            return Err(CoreError::InvalidFramework(
                "groups cannot be ordered into a tree".into(),
            ));
        }
        pending = waiting;
    }
    let mut insert_criterion = tx.prepare(
        "INSERT INTO criteria (framework_id, group_id, code, kind, text, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut criterion_ids = HashMap::new();
    for (position, criterion) in doc.criteria.iter().enumerate() {
        let group_id = criterion
            .group
            .as_deref()
            .and_then(|code| group_ids.get(code).copied());
        insert_criterion.execute(params![
            framework_id,
            group_id,
            criterion.code,
            criterion.kind.as_str(),
            criterion.text,
            position as i64
        ])?;
        criterion_ids.insert(
            criterion.code.clone(),
            CriterionRowId::new(tx.last_insert_rowid()),
        );
    }
    Ok(criterion_ids)
}

/// Moves mappings from the previous version's criteria to the same codes in the new version, and
/// judgements where the criterion's words are unchanged; records what changed. Mappings to removed
/// criteria, and judgements on removed or reworded ones, stay on the (kept) previous version: a
/// reworded criterion waits for an assessor to judge it again against its new words.
fn carry_mappings(
    tx: &Transaction<'_>,
    previous_id: FrameworkRowId,
    doc: &FrameworkDoc,
    new_ids: &HashMap<String, CriterionRowId>,
    report: &mut ImportReport,
) -> Result<()> {
    let mut old_stmt = tx.prepare(
        "SELECT c.id, c.code, c.text, (SELECT COUNT(*) FROM mappings m WHERE m.criterion_id = c.id),
                (SELECT COUNT(*) FROM judgements j WHERE j.criterion_id = c.id AND j.counted = 1)
         FROM criteria c WHERE c.framework_id = ?1 ORDER BY c.position",
    )?;
    let old: Vec<(CriterionRowId, StoredCriterion, i64, i64)> = old_stmt
        .query_map([previous_id], |row| {
            let criterion = StoredCriterion {
                code: row.get(1)?,
                text: row.get(2)?,
            };
            Ok((row.get(0)?, criterion, row.get(3)?, row.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let stored: Vec<StoredCriterion> = old.iter().map(|(_, c, _, _)| c.clone()).collect();
    let comparison = compare(&stored, doc);
    let new_text: HashMap<&str, &str> = doc
        .criteria
        .iter()
        .map(|c| (c.code.as_str(), c.text.as_str()))
        .collect();
    let mut move_mappings =
        tx.prepare("UPDATE mappings SET criterion_id = ?2 WHERE criterion_id = ?1")?;
    // Removals follow the criteria too, so a bundle's old copy of a mapping stays removed.
    let mut move_removals =
        tx.prepare("UPDATE mapping_removals SET criterion_id = ?2 WHERE criterion_id = ?1")?;
    // A judgement's signed content names the criterion by framework and code, not by version, so
    // moving it to the same words in the new version leaves its signature verifying.
    let mut move_judgements =
        tx.prepare("UPDATE judgements SET criterion_id = ?2 WHERE criterion_id = ?1")?;
    for (old_id, criterion, mappings, judgements) in &old {
        let reference = CriterionRef::new(&doc.code, &criterion.code);
        let mappings = *mappings as usize;
        let fate = comparison.fate(&criterion.code);
        let new_id = new_ids.get(&criterion.code);
        match (fate, new_id) {
            (Fate::Kept | Fate::Reworded, Some(new_id)) => {
                report.mappings_kept += move_mappings.execute(params![old_id, new_id])?;
                move_removals.execute(params![old_id, new_id])?;
                if fate == Fate::Kept {
                    report.judgements_kept += move_judgements.execute(params![old_id, new_id])?;
                } else {
                    report.judgements_to_recheck += *judgements as usize;
                    report.changed.push(ChangedCriterion {
                        reference,
                        old_text: criterion.text.clone(),
                        new_text: new_text
                            .get(criterion.code.as_str())
                            .map(|t| t.to_string())
                            .unwrap_or_default(),
                        mappings,
                    });
                }
            }
            _ => report.removed.push(RemovedCriterion {
                reference,
                text: criterion.text.clone(),
                mappings,
            }),
        }
    }
    report.added = comparison.added;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_framework_without_rules_hashes_as_before_rules_existed() {
        let doc = crate::frameworks::native::parse(
            crate::frameworks::shipped::FRAMEWORK_FILES[0].1.as_bytes(),
        )
        .expect("shipped file");
        assert!(doc.method_rules.is_empty());
        let json = serde_json::to_string(&doc).expect("json");
        let before_rules = json.replace(",\"method_rules\":[]", "");
        assert_ne!(
            json, before_rules,
            "the document serialises its (empty) rules"
        );
        assert_eq!(
            content_hash(&doc).expect("hash"),
            hex::encode(Sha256::digest(before_rules.as_bytes())),
            "stored hashes of frameworks without rules must stay valid"
        );
    }
}
