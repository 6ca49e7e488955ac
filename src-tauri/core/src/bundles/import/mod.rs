//! Importing a portfolio bundle from another computer, all in one transaction after every check:
//! the learner (added, or matched by id — an id that belongs to someone else is refused), new items
//! with their whole history, items changed only on the bundle's side brought up to date, mappings
//! and attached files added (never removed), and the feedback, judgements, signatures and audit
//! entries this computer lacks added exactly as they were — nothing here is altered. Importing the
//! same bundle again writes nothing.
//!
//! Items changed on both sides since they were last exchanged are reported and left as they are here,
//! with the other side waiting beside them until the user resolves them (`conflicts`, `resolve`).
//! What to write is decided in `plan`; the writing is in `apply`.
//!
//! Progress is told per file checked (and per chunk of a large one), per file placed and per item
//! written. An `Err` from it (a cancel) stops the import at once with nothing kept: staged files are
//! removed with their folder, placed ones taken away, and the transaction rolled back.

mod admit;
pub(in crate::bundles) mod apply;
pub(in crate::bundles) mod mappings;
mod plan;
pub mod read;
pub(in crate::bundles) mod records;
pub mod report;
mod stage;
mod trust;
pub(in crate::bundles) mod validate;

use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension, Transaction};

use self::admit::Admitted;
use self::read::OpenedBundle;
use self::report::BundleImport;
use crate::audit::Change;
use crate::bundles::limits::Limits;
use crate::bundles::manifest::Manifest;
use crate::error::{CoreError, Result};
use crate::evidence::blob_path;
use crate::ids::LearnerRowId;
use crate::reports::ReportProgress;
use crate::store::Store;

impl Store {
    /// Imports a portfolio bundle made on another computer (see the module comment for what it
    /// changes). Checks everything first; writes in one transaction; the same bundle twice writes
    /// nothing the second time.
    pub fn import_bundle(
        &mut self,
        path: &Path,
        progress: &mut dyn FnMut(ReportProgress) -> Result<()>,
    ) -> Result<BundleImport> {
        self.import_bundle_within(path, &Limits::default(), progress)
    }

    /// As [`Store::import_bundle`], reading the bundle within `limits` rather than the defaults: for
    /// the hostile-bundle tests only (see `bundles::limits`).
    #[doc(hidden)]
    pub fn import_bundle_within(
        &mut self,
        path: &Path,
        limits: &Limits,
        progress: &mut dyn FnMut(ReportProgress) -> Result<()>,
    ) -> Result<BundleImport> {
        let mut step = |stage: &str, done: usize, total: usize| {
            progress(ReportProgress {
                stage: stage.to_string(),
                done,
                total,
            })
        };
        step("Checking the bundle", 0, 1)?;
        // Signed in before anything is read or written.
        self.acting()?;
        // Attachments this computer lacks are written to a staging folder while they are checked
        // (every byte read once); the folder goes when the import ends, whatever happens. Only once
        // the manifest is admitted (`admit`: sound data, and the reader may import it).
        let data_dir = self.data_dir().map(Path::to_path_buf).ok_or_else(|| {
            CoreError::InvalidInput("an in-memory portfolio cannot take files".into())
        })?;
        let stage = tempfile::TempDir::new_in(&data_dir)
            .map_err(|e| CoreError::Io(format!("{}: {e}", data_dir.display())))?;
        let wanted = |sha: &str| !blob_path(&data_dir, sha).exists();
        let mut bundle = OpenedBundle::open_within(
            path,
            Some(&self::read::Stage {
                dir: stage.path(),
                wanted: &wanted,
                admit: &|m| self.admit(m).map(drop),
                key: self.data_key(),
            }),
            limits,
            &mut |done, total| step("Checking the bundle", done, total),
        )?;
        let m = bundle.manifest.clone();
        let Admitted { existing, allowed } = self.admit(&m)?;
        let mut report = BundleImport {
            sha256: bundle.sha256.clone(),
            new_learner: existing.is_none(),
            learner: existing.as_ref().map(|row| row.learner.clone()),
            ..BundleImport::default()
        };
        self.require_frameworks(&allowed, &m)?;
        step("Comparing with this computer", 0, 1)?;
        let plan = self.plan(
            &allowed,
            &m,
            existing.as_ref().map(|r| r.row_id),
            &mut report,
        )?;
        if plan.is_empty() && existing.is_some() {
            report.unchanged = true;
            // Nothing was to be written: a cancel now changes nothing either way.
            let _ = step("Done", 1, 1);
            return Ok(report);
        }
        step("Copying files", 0, plan.blobs.len())?;
        let created = self::apply::place_blobs(
            &mut bundle,
            &data_dir,
            &plan.blobs,
            stage.path(),
            self.data_key(),
            &mut |done, total| step("Copying files", done, total),
        )?;
        // The files are durable (fsynced when staged); their new names in the blob store must be too
        // before the database refers to them.
        if let Err(e) = crate::durable::sync_folders_of(created.iter().map(PathBuf::as_path)) {
            self::apply::remove(&created);
            return Err(CoreError::Io(format!("cannot save the attachments: {e}")));
        }
        let who = allowed.who().clone();
        let sha = bundle.sha256.clone();
        let written = step("Writing", 0, 1).and_then(|()| {
            self.write(&allowed, |tx, audit| {
                let learner = match &existing {
                    Some(row) => row.row_id,
                    None => insert_learner(tx, &m)?,
                };
                if existing.is_none() {
                    audit.record(
                        Change::new("imported", format!("learner:{}", m.learner.id))
                            .learner(&m.learner.id)
                            .after(m.learner.name.clone()),
                    )?;
                }
                add_enrolments(tx, &m, learner)?;
                let mut counts = report.clone();
                let writing = self::apply::Writing {
                    who: &who,
                    sha256: &sha,
                    progress: &mut |done, total| step("Writing", done, total),
                };
                self::apply::write_plan(tx, &m, &plan, learner, writing, &mut counts)?;
                Ok(counts)
            })
        });
        match written {
            Ok(counts) => {
                report = counts;
                if report.learner.is_none() {
                    report.learner = Some(self.learner(&m.learner.id)?);
                }
                // Committed: a cancel now comes too late to undo the import, so it is not asked.
                let _ = step("Done", 1, 1);
                Ok(report)
            }
            Err(e) => {
                self::apply::remove(&created);
                Err(e)
            }
        }
    }
}

fn insert_learner(tx: &Transaction<'_>, m: &Manifest) -> Result<LearnerRowId> {
    tx.execute(
        "INSERT INTO learners (uuid, name, email, created_at, target_date) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![m.learner.id, m.learner.name, m.learner.email, m.learner.created_at, m.learner.target_date],
    )?;
    Ok(LearnerRowId::new(tx.last_insert_rowid()))
}

/// Enrolments the bundle has and this computer lacks (existing ones are left as they are).
fn add_enrolments(tx: &Transaction<'_>, m: &Manifest, learner: LearnerRowId) -> Result<()> {
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
