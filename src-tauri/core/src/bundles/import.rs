//! Importing a portfolio bundle from another computer, all in one transaction after every check:
//! the learner (added, or matched by id — an id that belongs to someone else is refused), new items
//! with their whole history, items changed only on the bundle's side brought up to date, mappings
//! and attached files added (never removed), and the feedback, judgements, signatures and audit
//! entries this computer lacks added exactly as they were — nothing here is altered. Importing the
//! same bundle again writes nothing.
//!
//! Items changed on both sides since they were last exchanged are reported and left as they are here
//! (the bundle keeps the other side): resolving them field by field is still to be built.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;

use super::conflicts::{differences, open_conflict, pending_for, PendingRemote};
use super::gather::versions;
use super::manifest::{BundleKind, ItemEntry, Manifest, VersionEntry};
use super::merge::{merge_item, ItemMerge};
use super::read::OpenedBundle;
use super::validate::check_manifest;
use crate::access::Need;
use crate::audit::{self, Change};
use crate::error::{CoreError, Result};
use crate::evidence::blob_path;
use crate::learners::Learner;
use crate::reports::ReportProgress;
use crate::store::Store;

/// What an import did.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct BundleImport {
    pub sha256: String,
    pub learner: Option<Learner>,
    pub new_learner: bool,
    pub items_added: usize,
    pub items_updated: usize,
    pub versions_added: usize,
    pub mappings_added: usize,
    pub attachments_added: usize,
    pub feedback_added: usize,
    pub judgements_added: usize,
    pub signatures_added: usize,
    pub audit_entries_added: usize,
    /// Items changed on both sides since they were last exchanged, left as they are here.
    pub conflicts: Vec<ConflictedItem>,
    /// True when the bundle held nothing this computer lacked: nothing was written.
    pub unchanged: bool,
}

/// An item both sides changed, with the fields that differ.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ConflictedItem {
    pub evidence: String,
    pub title: String,
    pub fields: Vec<String>,
}

/// Everything an import will write, decided before the transaction.
#[derive(Default)]
pub(super) struct Plan<'m> {
    pub new_items: Vec<&'m ItemEntry>,
    /// Existing item row → versions to append (numbers kept: they follow the local ones).
    pub fast_forward: Vec<(i64, &'m ItemEntry, Vec<VersionEntry>)>,
    /// (item row or None for a new item, criterion id, note, mapped_at)
    pub mappings: Vec<(Option<i64>, &'m str, i64, &'m str, &'m str)>,
    pub attachments: Vec<(&'m str, &'m super::manifest::AttachmentEntry)>,
    pub feedback: Vec<&'m super::manifest::FeedbackEntry>,
    pub judgements: Vec<(&'m super::manifest::JudgementEntry, i64)>,
    pub signatures: Vec<&'m super::manifest::SignatureEntry>,
    pub audit: Vec<&'m crate::audit::AuditEntry>,
    pub blobs: Vec<&'m str>,
    /// Conflicted item rows with the other side to keep waiting beside them.
    pub conflicts: Vec<(i64, PendingRemote)>,
    /// The files of conflicted items' other side (SHA-256, size), kept ready for resolving.
    pub conflict_blobs: Vec<(&'m str, u64)>,
}

impl Plan<'_> {
    fn is_empty(&self) -> bool {
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

fn exists(store: &Store, sql: &str, key: &str) -> Result<bool> {
    Ok(store
        .conn()
        .query_row(sql, [key], |_| Ok(()))
        .optional()?
        .is_some())
}

impl Store {
    /// The current-version criterion row for `FRAMEWORK:CODE`, or a clear error.
    pub(super) fn local_criterion(&self, reference: &str) -> Result<i64> {
        let r = crate::refs::CriterionRef::parse(reference)?;
        self.conn()
            .query_row(
                "SELECT c.id FROM criteria c JOIN frameworks f ON f.id = c.framework_id
                 WHERE f.code = ?1 AND f.is_current = 1 AND c.code = ?2",
                params![r.framework, r.code],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| {
                CoreError::not_found(
                    "criterion on this computer (import its framework first)",
                    reference,
                )
            })
    }

    /// Decides everything the import writes; reads only.
    fn plan<'m>(
        &self,
        m: &'m Manifest,
        learner_row: Option<i64>,
        report: &mut BundleImport,
    ) -> Result<Plan<'m>> {
        let mut plan = Plan::default();
        let mut item_rows: HashMap<&str, i64> = HashMap::new();
        // Feedback, judgements and signatures that wait with a conflicted item.
        let mut deferred: HashSet<String> = HashSet::new();
        for item in &m.evidence {
            let local: Option<(i64, i64)> = self
                .conn()
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
                    Some(versions(self.conn(), row)?)
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
                        fields: differences(self.conn(), row, item)?
                            .into_iter()
                            .map(|f| f.field)
                            .collect(),
                    });
                    let waiting = open_conflict(self.conn(), row)?.map(|(_, p, _)| p);
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
            for mapping in &item.mappings {
                let criterion = self.local_criterion(&mapping.criterion)?;
                let present = match row {
                    Some(row) => self
                        .conn()
                        .query_row(
                            "SELECT 1 FROM mappings WHERE evidence_id = ?1 AND criterion_id = ?2",
                            params![row, criterion],
                            |_| Ok(()),
                        )
                        .optional()?
                        .is_some(),
                    None => false,
                };
                if !present {
                    plan.mappings.push((
                        row,
                        &item.id,
                        criterion,
                        &mapping.note,
                        &mapping.mapped_at,
                    ));
                }
            }
            for a in &item.attachments {
                let present = match row {
                    Some(row) => self
                        .conn()
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
                && !exists(self, "SELECT 1 FROM feedback WHERE uuid = ?1", &f.id)?
            {
                plan.feedback.push(f);
            }
        }
        for j in &m.judgements {
            if !deferred.contains(&j.id)
                && !exists(self, "SELECT 1 FROM judgements WHERE uuid = ?1", &j.id)?
            {
                plan.judgements
                    .push((j, self.local_criterion(&j.criterion)?));
            }
        }
        for s in &m.signatures {
            if !deferred.contains(&s.id)
                && !exists(self, "SELECT 1 FROM signatures WHERE uuid = ?1", &s.id)?
            {
                plan.signatures.push(s);
            }
        }
        let here = self.installation_id()?;
        for e in &m.audit {
            let known = self
                .conn()
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

impl Store {
    /// Imports a portfolio bundle made on another computer (see the module comment for what it
    /// changes). Checks everything first; writes in one transaction; the same bundle twice writes
    /// nothing the second time.
    pub fn import_bundle(
        &mut self,
        path: &Path,
        progress: &mut dyn FnMut(ReportProgress),
    ) -> Result<BundleImport> {
        let mut step = |stage: &str, done: usize, total: usize| {
            progress(ReportProgress {
                stage: stage.to_string(),
                done,
                total,
            })
        };
        step("Checking the bundle", 0, 1);
        // Attachments this computer lacks are written to a staging folder while they are checked
        // (every byte read once); the folder goes when the import ends, whatever happens.
        let data_dir = self.data_dir().map(Path::to_path_buf).ok_or_else(|| {
            CoreError::InvalidInput("an in-memory portfolio cannot take files".into())
        })?;
        let stage = tempfile::TempDir::new_in(&data_dir)
            .map_err(|e| CoreError::Io(format!("{}: {e}", data_dir.display())))?;
        let wanted = |sha: &str| !blob_path(&data_dir, sha).exists();
        let mut bundle = OpenedBundle::open_staging(
            path,
            Some(&super::read::Stage {
                dir: stage.path(),
                wanted: &wanted,
            }),
        )?;
        let m = bundle.manifest.clone();
        check_manifest(&m)?;
        if m.kind != BundleKind::Portfolio {
            return Err(CoreError::InvalidInput(
                "this is a read-only bundle for quality assurance: open its index.html or reports instead of importing it".into(),
            ));
        }
        let existing = match self.learner_row(&m.learner.id) {
            Ok(row) => Some(row),
            Err(CoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        let mut report = BundleImport {
            sha256: bundle.sha256.clone(),
            ..BundleImport::default()
        };
        match &existing {
            Some(row) => {
                if row.learner.created_at != m.learner.created_at {
                    return Err(CoreError::Conflict(format!(
                        "learner id {} belongs to {} on this computer (added {}), not to the bundle's {} (added {})",
                        m.learner.id, row.learner.name, row.learner.created_at, m.learner.name, m.learner.created_at
                    )));
                }
                self.require_portfolio(row, Need::CarryPortfolio)?;
                report.learner = Some(row.learner.clone());
            }
            None => {
                self.require_admin()?;
                report.new_learner = true;
            }
        }
        for f in &m.frameworks {
            let here: Option<String> = self
                .conn()
                .query_row(
                    "SELECT version FROM frameworks WHERE code = ?1 AND is_current = 1",
                    [&f.code],
                    |r| r.get(0),
                )
                .optional()?;
            if here.is_none() {
                return Err(CoreError::not_found(
                    "framework on this computer (import it first)",
                    format!("{} {}", f.code, f.version),
                ));
            }
        }
        step("Comparing with this computer", 0, 1);
        let plan = self.plan(&m, existing.as_ref().map(|r| r.row_id), &mut report)?;
        if plan.is_empty() && existing.is_some() {
            report.unchanged = true;
            step("Done", 1, 1);
            return Ok(report);
        }
        step("Copying files", 0, plan.blobs.len());
        let created = super::apply::place_blobs(&mut bundle, &data_dir, &plan.blobs, stage.path())?;
        let who = self.who()?;
        let sha = bundle.sha256.clone();
        step("Writing", 0, 1);
        let written = self.write(|tx| {
            let learner = match &existing {
                Some(row) => row.row_id,
                None => insert_learner(tx, &m)?,
            };
            if existing.is_none() {
                audit::append(
                    tx,
                    &who,
                    Change::new("imported", format!("learner:{}", m.learner.id))
                        .learner(&m.learner.id)
                        .after(m.learner.name.clone()),
                )?;
            }
            add_enrolments(tx, &m, learner)?;
            let mut counts = report.clone();
            super::apply::write_plan(tx, &m, &plan, learner, &who, &sha, &mut counts)?;
            Ok(counts)
        });
        match written {
            Ok(counts) => {
                report = counts;
                if report.learner.is_none() {
                    report.learner = Some(self.learner(&m.learner.id)?);
                }
                step("Done", 1, 1);
                Ok(report)
            }
            Err(e) => {
                super::apply::remove(&created);
                Err(e)
            }
        }
    }
}

fn insert_learner(tx: &Transaction<'_>, m: &Manifest) -> Result<i64> {
    tx.execute(
        "INSERT INTO learners (uuid, name, email, created_at, target_date) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![m.learner.id, m.learner.name, m.learner.email, m.learner.created_at, m.learner.target_date],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Enrolments the bundle has and this computer lacks (existing ones are left as they are).
fn add_enrolments(tx: &Transaction<'_>, m: &Manifest, learner: i64) -> Result<()> {
    for e in &m.enrolments {
        let known: Option<i64> = tx
            .query_row(
                "SELECT id FROM enrolments WHERE learner_id = ?1 AND framework_code = ?2",
                params![learner, e.framework],
                |r| r.get(0),
            )
            .optional()?;
        if known.is_some() {
            continue;
        }
        tx.execute(
            "INSERT INTO enrolments (learner_id, framework_code, enrolled_at) VALUES (?1, ?2, ?3)",
            params![learner, e.framework, e.enrolled_at],
        )?;
        let enrolment = tx.last_insert_rowid();
        for unit in &e.units {
            tx.execute(
                "INSERT INTO enrolment_units (enrolment_id, group_code) VALUES (?1, ?2)",
                params![enrolment, unit],
            )?;
        }
    }
    Ok(())
}
