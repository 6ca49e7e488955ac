//! Deciding what an import will write, reading only: for each of the bundle's items whether it is
//! new, unchanged, changed only on the bundle's side or on both (`merge`), which mappings and files
//! this computer lacks, which feedback, judgements, signatures and audit entries are new here, and
//! which wait with a conflicted item.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rusqlite::{params, OptionalExtension};

use super::mappings::MappingPlan;
use super::report::{BundleImport, ConflictedItem};
use crate::bundles::conflicts::{differences, open_conflict, pending_for, PendingRemote};
use crate::bundles::gather::versions;
use crate::bundles::manifest::{ItemEntry, Manifest, VersionEntry};
use crate::bundles::merge::{merge_item, ItemMerge};
use crate::error::{CoreError, Result};
use crate::evidence::blob_path;
use crate::ids::{CriterionRowId, EvidenceRowId, LearnerRowId};
use crate::store::{Allowed, Store};

/// Everything an import will write, decided before the transaction.
#[derive(Default)]
pub(in crate::bundles) struct Plan<'m> {
    pub new_items: Vec<&'m ItemEntry>,
    /// Existing item row → versions to append (numbers kept: they follow the local ones).
    pub fast_forward: Vec<(EvidenceRowId, &'m ItemEntry, Vec<VersionEntry>)>,
    pub mappings: MappingPlan<'m>,
    pub attachments: Vec<(&'m str, &'m crate::bundles::manifest::AttachmentEntry)>,
    pub feedback: Vec<&'m crate::bundles::manifest::FeedbackEntry>,
    pub judgements: Vec<(&'m crate::bundles::manifest::JudgementEntry, CriterionRowId)>,
    pub signatures: Vec<&'m crate::bundles::manifest::SignatureEntry>,
    pub audit: Vec<&'m crate::audit::AuditEntry>,
    pub blobs: Vec<&'m str>,
    /// Conflicted item rows with the other side to keep waiting beside them.
    pub conflicts: Vec<(EvidenceRowId, PendingRemote)>,
    /// The files of conflicted items' other side (SHA-256, size), kept ready for resolving.
    pub conflict_blobs: Vec<(&'m str, u64)>,
}

impl Plan<'_> {
    pub(in crate::bundles) fn is_empty(&self) -> bool {
        self.new_items.is_empty()
            && self.fast_forward.is_empty()
            && self.mappings.is_empty()
            && self.attachments.is_empty()
            && self.feedback.is_empty()
            && self.judgements.is_empty()
            && self.signatures.is_empty()
            && self.audit.is_empty()
            && self.conflicts.is_empty()
    }
}

fn exists(store: &Store, allowed: &Allowed, sql: &str, key: &str) -> Result<bool> {
    Ok(store
        .read(&allowed)
        .query_row(sql, [key], |_| Ok(()))
        .optional()?
        .is_some())
}

impl Store {
    /// The criterion row for `FRAMEWORK:CODE` in framework version `version` (the current one
    /// when `None`), or a clear error.
    pub(in crate::bundles) fn local_criterion(
        &self,
        allowed: &Allowed,
        reference: &str,
        version: Option<&str>,
    ) -> Result<CriterionRowId> {
        let r = crate::refs::CriterionRef::parse(reference)?;
        self.read(&allowed)
            .query_row(
                "SELECT c.id FROM criteria c JOIN frameworks f ON f.id = c.framework_id
                 WHERE f.code = ?1 AND c.code = ?2
                   AND CASE WHEN ?3 IS NULL THEN f.is_current = 1 ELSE f.version = ?3 END",
                params![r.framework, r.code, version],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                let named = match version {
                    Some(v) => format!("{reference} (version {v})"),
                    None => reference.to_string(),
                };
                CoreError::not_found(
                    "criterion on this computer (import its framework first)",
                    named,
                )
            })
    }

    /// Decides everything the import writes; reads only.
    pub(in crate::bundles) fn plan<'m>(
        &self,
        allowed: &Allowed,
        m: &'m Manifest,
        learner_row: Option<LearnerRowId>,
        report: &mut BundleImport,
    ) -> Result<Plan<'m>> {
        let mut plan = Plan::default();
        let mut item_rows: HashMap<&str, EvidenceRowId> = HashMap::new();
        // Feedback, judgements and signatures that wait with a conflicted item.
        let mut deferred: HashSet<String> = HashSet::new();
        for item in &m.evidence {
            let local: Option<(EvidenceRowId, LearnerRowId)> = self
                .read(&allowed)
                .query_row(
                    "SELECT id, learner_id FROM evidence WHERE uuid = ?1",
                    [&item.id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let local_versions = match local {
                Some((row, owner)) => {
                    if Some(owner) != learner_row {
                        return Err(CoreError::Conflict(format!(
                            "item {} belongs to another learner on this computer",
                            item.id
                        )));
                    }
                    item_rows.insert(&item.id, row);
                    Some(versions(self.read(&allowed), row)?)
                }
                None => None,
            };
            match (merge_item(local_versions.as_deref(), &item.versions), local) {
                (ItemMerge::New, _) => plan.new_items.push(item),
                (ItemMerge::Unchanged, _) => {}
                (ItemMerge::FastForward(append), Some((row, _))) => {
                    plan.fast_forward.push((row, item, append))
                }
                (ItemMerge::Conflict { .. }, Some((row, _))) => {
                    let pending = pending_for(m, item);
                    deferred.extend(pending.feedback.iter().map(|f| f.id.clone()));
                    deferred.extend(pending.judgements.iter().map(|j| j.id.clone()));
                    deferred.extend(pending.signatures.iter().map(|s| s.id.clone()));
                    report.conflicts.push(ConflictedItem {
                        evidence: item.id.clone(),
                        title: item
                            .versions
                            .last()
                            .map(|v| v.title.clone())
                            .unwrap_or_default(),
                        fields: differences(self.read(&allowed), row, item)?
                            .into_iter()
                            .map(|f| f.field)
                            .collect(),
                    });
                    let waiting = open_conflict(self.read(&allowed), row)?.map(|(_, p, _)| p);
                    if waiting.as_ref() != Some(&pending) {
                        plan.conflict_blobs
                            .extend(item.attachments.iter().map(|a| (a.sha256.as_str(), a.size)));
                        plan.conflicts.push((row, pending));
                    }
                    continue;
                }
                (ItemMerge::FastForward(_) | ItemMerge::Conflict { .. }, None) => {
                    plan.new_items.push(item)
                }
            }
            let row = item_rows.get(item.id.as_str()).copied();
            self.plan_mappings(allowed, item, row, &mut plan.mappings)?;
            for a in &item.attachments {
                let present = match row {
                    Some(row) => self
                        .read(&allowed)
                        .query_row(
                            "SELECT 1 FROM attachments WHERE evidence_id = ?1 AND sha256 = ?2",
                            params![row, a.sha256],
                            |_| Ok(()),
                        )
                        .optional()?
                        .is_some(),
                    None => false,
                };
                if !present {
                    plan.attachments.push((&item.id, a));
                }
            }
        }
        for f in &m.feedback {
            if !deferred.contains(&f.id)
                && !exists(
                    self,
                    allowed,
                    "SELECT 1 FROM feedback WHERE uuid = ?1",
                    &f.id,
                )?
            {
                plan.feedback.push(f);
            }
        }
        for j in &m.judgements {
            if !deferred.contains(&j.id)
                && !exists(
                    self,
                    allowed,
                    "SELECT 1 FROM judgements WHERE uuid = ?1",
                    &j.id,
                )?
            {
                plan.judgements.push((
                    j,
                    self.local_criterion(allowed, &j.criterion, j.framework_version.as_deref())?,
                ));
            }
        }
        for s in &m.signatures {
            if !deferred.contains(&s.id)
                && !exists(
                    self,
                    allowed,
                    "SELECT 1 FROM signatures WHERE uuid = ?1",
                    &s.id,
                )?
            {
                plan.signatures.push(s);
            }
        }
        let here = self.installation_id()?;
        for e in &m.audit {
            let known = self
                .read(&allowed)
                .query_row(
                    "SELECT 1 FROM imported_audit WHERE origin = ?1 AND seq = ?2",
                    params![m.origin, e.seq],
                    |_| Ok(()),
                )
                .optional()?
                .is_some();
            if m.origin != here && !known {
                plan.audit.push(e);
            }
        }
        let data_dir = self.data_dir().map(Path::to_path_buf);
        let mut blobs: Vec<&str> = plan
            .attachments
            .iter()
            .map(|(_, a)| a.sha256.as_str())
            .chain(plan.conflict_blobs.iter().map(|(sha, _)| *sha))
            .collect();
        blobs.sort_unstable();
        blobs.dedup();
        plan.blobs = blobs
            .into_iter()
            .filter(|sha| {
                data_dir
                    .as_ref()
                    .is_some_and(|d| !blob_path(d, sha).exists())
            })
            .collect();
        Ok(plan)
    }
}
