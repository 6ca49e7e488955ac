//! The writing half of an import: the planned rows, in one transaction, with one audit entry per
//! item changed and one for the import; the files the bundle brings are put in place first and taken
//! away again if the transaction fails, so a failed import leaves the data directory as it was. Both
//! tell their progress per file and per item; an `Err` from it (a cancel) is such a failure.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{params, OptionalExtension, Transaction};

use super::plan::Plan;
use super::read::OpenedBundle;
use super::report::BundleImport;
use crate::audit::{self, Change, Who};
use crate::bundles::manifest::{ItemEntry, Manifest, VersionEntry};
use crate::bundles::merge::version_hash;
use crate::db::blob_cipher::sealed_copy;
use crate::db::DataKey;
use crate::error::{CoreError, Result};
use crate::evidence::blob_path;
use crate::ids::VersionNumber;
use crate::ids::{EvidenceRowId, LearnerRowId};

/// Copies the bundle's new files into the blob folder, telling `progress` (files placed, files);
/// returns the folders and files created, in the order they were made. On an error (`progress`'s
/// too), what it made is taken away again.
pub(in crate::bundles) fn place_blobs(
    bundle: &mut OpenedBundle,
    data_dir: &Path,
    blobs: &[&str],
    staged: &Path,
    key: Option<&DataKey>,
    progress: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<Vec<PathBuf>> {
    let mut created = Vec::new();
    for (done, sha) in blobs.iter().enumerate() {
        let path = blob_path(data_dir, sha);
        let result = (|| {
            progress(done, blobs.len())?;
            let parent = path
                .parent()
                .ok_or_else(|| CoreError::Io("attachment folder".into()))?;
            // The folders this makes (the attachments folder, its shard) are taken away too.
            let mut missing: Vec<&Path> = parent.ancestors().take_while(|d| !d.exists()).collect();
            std::fs::create_dir_all(parent)
                .map_err(|e| CoreError::Io(format!("{}: {e}", parent.display())))?;
            missing.reverse();
            created.extend(missing.into_iter().map(Path::to_path_buf));
            // Checked and written (sealed, on an encrypted portfolio) while the bundle was read:
            // moved into place, not copied again.
            let ready = staged.join(sha);
            if ready.is_file() && std::fs::rename(&ready, &path).is_ok() {
                return Ok(());
            }
            let Some(key) = key else {
                let temp = tempfile::NamedTempFile::new_in(parent)
                    .map_err(|e| CoreError::Io(format!("{}: {e}", parent.display())))?;
                bundle.extract_to(&format!("attachments/{sha}"), temp.path())?;
                return temp
                    .persist(&path)
                    .map(drop)
                    .map_err(|e| CoreError::Io(format!("{}: {}", path.display(), e.error)));
            };
            // Not staged (rare: it was here when the bundle was read, and went since): extracted
            // and sealed now.
            bundle.extract_to(&format!("attachments/{sha}"), &ready)?;
            let fail = |e: std::io::Error| CoreError::Io(format!("{}: {e}", path.display()));
            let (temp, _) = sealed_copy(key, &ready, parent).map_err(fail)?;
            temp.persist(&path).map_err(|e| fail(e.error))?;
            let _ = std::fs::remove_file(&ready);
            Ok(())
        })();
        if let Err(e) = result {
            remove(&created);
            return Err(e);
        }
        created.push(path);
    }
    Ok(created)
}

/// Takes away what `place_blobs` made, newest first (a folder only once it is empty).
pub(in crate::bundles) fn remove(paths: &[PathBuf]) {
    for path in paths.iter().rev() {
        if path.is_dir() {
            let _ = std::fs::remove_dir(path);
        } else {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Adds a version as number `number` here, with the numbers other installations give it (and the
/// bundle's own, `origin`, when that differs).
pub(in crate::bundles) fn insert_version(
    tx: &Transaction<'_>,
    row: EvidenceRowId,
    number: VersionNumber,
    v: &VersionEntry,
    origin: &str,
    here: &str,
) -> Result<()> {
    let mut labels: Vec<(&str, VersionNumber)> = v
        .labels
        .iter()
        .map(|l| (l.origin.as_str(), l.label))
        .collect();
    if number != v.version {
        labels.push((origin, v.version));
    }
    for (from, label) in labels.into_iter().filter(|(from, _)| *from != here) {
        tx.execute(
            "INSERT OR IGNORE INTO evidence_version_labels (evidence_id, origin, label, version) VALUES (?1, ?2, ?3, ?4)",
            params![row, from, label, number],
        )?;
    }
    tx.execute(
        "INSERT INTO evidence_versions (evidence_id, version, title, method, activity_date, body_md, status,
                                        saved_at, witness_name, witness_role, witness_relationship)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![row, number, v.title, v.method.as_str(), v.activity_date, v.body_markdown, v.status.as_str(),
                v.saved_at, v.witness.name, v.witness.role, v.witness.relationship],
    )?;
    Ok(())
}

/// Makes the item's current state `v` (version `number`).
pub(in crate::bundles) fn set_current(
    tx: &Transaction<'_>,
    row: EvidenceRowId,
    number: VersionNumber,
    v: &VersionEntry,
) -> Result<()> {
    tx.execute(
        "UPDATE evidence SET title = ?2, method = ?3, activity_date = ?4, body_md = ?5, status = ?6,
                version = ?7, submitted = ?6 = 'submitted', activity_day = unixepoch(?4) / 86400,
                witness_name = ?8, witness_role = ?9, witness_relationship = ?10, updated_at = ?11
         WHERE id = ?1",
        params![row, v.title, v.method.as_str(), v.activity_date, v.body_markdown, v.status.as_str(),
                number, v.witness.name, v.witness.role, v.witness.relationship, v.saved_at],
    )?;
    Ok(())
}

/// Adds a new item with its whole history; returns its row.
fn insert_item(
    tx: &Transaction<'_>,
    learner: LearnerRowId,
    item: &ItemEntry,
    origin: &str,
    here: &str,
) -> Result<EvidenceRowId> {
    let Some(current) = item.versions.last() else {
        return Err(CoreError::InvalidBundle(format!(
            "item {} has no versions",
            item.id
        )));
    };
    let taken: bool = tx
        .query_row(
            "SELECT 1 FROM evidence WHERE learner_id = ?1 AND number = ?2",
            params![learner, item.number],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    let number: i64 = if taken {
        tx.query_row(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM evidence WHERE learner_id = ?1",
            [learner],
            |r| r.get(0),
        )?
    } else {
        item.number
    };
    tx.execute(
        "INSERT INTO evidence (uuid, learner_id, number, title, method, activity_date, recorded_at, updated_at,
                               body_md, status, version, submitted, activity_day, witness_name, witness_role,
                               witness_relationship, changes_requested)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10 = 'submitted', unixepoch(?6) / 86400,
                 ?12, ?13, ?14, ?15)",
        params![item.id, learner, number, current.title, current.method.as_str(), current.activity_date,
                item.recorded_at, current.saved_at, current.body_markdown, current.status.as_str(),
                current.version, current.witness.name, current.witness.role, current.witness.relationship,
                item.changes_requested],
    )?;
    let row = EvidenceRowId::new(tx.last_insert_rowid());
    for v in &item.versions {
        insert_version(tx, row, v.version, v, origin, here)?;
    }
    Ok(row)
}

/// A conflict left waiting here is moot once every version of the other side is in the item's
/// history: a fast-forward brings them when the other computer resolved the conflict (its
/// resolution, which holds this side's versions too, is now current here). Left open, it would show
/// a stale choice and resolving it would undo that resolution. It is closed with no `resolution`:
/// nothing was chosen here.
fn close_moot_conflict(
    tx: &Transaction<'_>,
    row: EvidenceRowId,
    item: &str,
    learner: &str,
    who: &Who,
    sha256: &str,
) -> Result<()> {
    let Some((conflict, pending, _)) = crate::bundles::conflicts::open_conflict(tx, row)? else {
        return Ok(());
    };
    let known: HashSet<String> = crate::bundles::gather::versions(tx, row)?
        .iter()
        .map(version_hash)
        .collect();
    if !pending
        .item
        .versions
        .iter()
        .all(|v| known.contains(&version_hash(v)))
    {
        return Ok(());
    }
    tx.execute(
        "UPDATE evidence_conflicts SET resolved_at = ?2 WHERE id = ?1",
        params![conflict, crate::time::now_rfc3339()],
    )?;
    audit::append(
        tx,
        who,
        Change::new("conflict_resolved", format!("evidence:{item}"))
            .learner(learner)
            .after(format!(
                "resolved on the other computer; this one follows (bundle sha256:{sha256})"
            )),
    )
}

/// Who imports which bundle (for the audit entries), and where to tell (items written, items).
pub(in crate::bundles) struct Writing<'a> {
    pub who: &'a Who,
    pub sha256: &'a str,
    pub progress: &'a mut dyn FnMut(usize, usize) -> Result<()>,
}

/// Writes the plan; returns the number of rows of each kind written into `report`. An `Err` from
/// `progress` stops it (and so rolls the transaction back).
pub(in crate::bundles) fn write_plan(
    tx: &Transaction<'_>,
    m: &Manifest,
    plan: &Plan<'_>,
    learner: LearnerRowId,
    writing: Writing<'_>,
    report: &mut BundleImport,
) -> Result<()> {
    let Writing {
        who,
        sha256,
        progress,
    } = writing;
    let items = plan.new_items.len() + plan.fast_forward.len();
    let subject = |id: &str| format!("evidence:{id}");
    let here: String = tx.query_row(
        "SELECT value FROM settings WHERE key = 'installation_id'",
        [],
        |r| r.get(0),
    )?;
    // One audit entry per item the import adds or brings up to date.
    let imported = |id: &str, what: String| {
        audit::append(
            tx,
            who,
            Change::new("imported", subject(id))
                .learner(&m.learner.id)
                .after(format!("{what} from bundle sha256:{sha256}")),
        )
    };
    let mut rows: HashMap<&str, EvidenceRowId> = HashMap::new();
    for (done, item) in plan.new_items.iter().enumerate() {
        progress(done, items)?;
        let row = insert_item(tx, learner, item, &m.origin, &here)?;
        rows.insert(&item.id, row);
        report.items_added += 1;
        report.versions_added += item.versions.len();
        imported(&item.id, format!("{} version(s)", item.versions.len()))?;
    }
    for (done, (row, item, append)) in plan.fast_forward.iter().enumerate() {
        progress(plan.new_items.len() + done, items)?;
        rows.insert(&item.id, *row);
        let mut next: VersionNumber = tx.query_row(
            "SELECT MAX(version) + 1 FROM evidence_versions WHERE evidence_id = ?1",
            [row],
            |r| r.get(0),
        )?;
        let mut newest = None;
        for v in append {
            insert_version(tx, *row, next, v, &m.origin, &here)?;
            newest = Some((next, v));
            next = next.next();
        }
        if let Some((number, last)) = newest {
            set_current(tx, *row, number, last)?;
            tx.execute(
                "UPDATE evidence SET changes_requested = ?2 WHERE id = ?1",
                params![row, item.changes_requested],
            )?;
        }
        report.items_updated += 1;
        report.versions_added += append.len();
        imported(&item.id, format!("{} newer version(s)", append.len()))?;
        close_moot_conflict(tx, *row, &item.id, &m.learner.id, who, sha256)?;
    }
    for (row, pending) in &plan.conflicts {
        crate::bundles::conflicts::record(tx, *row, pending, &crate::time::now_rfc3339())?;
        audit::append(
            tx,
            who,
            Change::new("conflict_detected", subject(&pending.item.id))
                .learner(&m.learner.id)
                .after(format!(
                    "changed on both computers; the other side waits (bundle sha256:{sha256})"
                )),
        )?;
    }
    for (sha, size) in &plan.conflict_blobs {
        tx.execute(
            "INSERT OR IGNORE INTO blobs (sha256, size) VALUES (?1, ?2)",
            params![sha, *size as i64],
        )?;
    }
    let row_of = |tx: &Transaction<'_>, id: &str| -> Result<EvidenceRowId> {
        match rows.get(id) {
            Some(row) => Ok(*row),
            None => tx
                .query_row("SELECT id FROM evidence WHERE uuid = ?1", [id], |r| {
                    r.get(0)
                })
                .map_err(CoreError::from),
        }
    };
    let row_of_item = |id: &str| row_of(tx, id);
    let (added, removed) =
        super::mappings::write_mappings(tx, &plan.mappings, learner, &row_of_item)?;
    report.mappings_added += added;
    report.mappings_removed += removed;
    for (item, (mapped, unmapped)) in plan.mappings.changes() {
        let from = format!("from the other computer (bundle sha256:{sha256})");
        for (action, refs) in [("mapped", mapped), ("unmapped", unmapped)] {
            if refs.is_empty() {
                continue;
            }
            let change = Change::new(action, subject(item)).learner(&m.learner.id);
            let change = if action == "mapped" {
                change.after(format!("{} {from}", refs.join(" ")))
            } else {
                change
                    .before(refs.join(" "))
                    .after(format!("removed {from}"))
            };
            audit::append(tx, who, change)?;
        }
    }
    for (item, a) in &plan.attachments {
        let row = row_of(tx, item)?;
        tx.execute(
            "INSERT OR IGNORE INTO blobs (sha256, size) VALUES (?1, ?2)",
            params![a.sha256, a.size as i64],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO attachments (evidence_id, sha256, file_name, media_type, size, added_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![row, a.sha256, a.file_name, a.media_type, a.size as i64, a.added_at],
        )?;
        report.attachments_added += 1;
    }
    let items: Vec<&ItemEntry> = m.evidence.iter().collect();
    let records = super::records::Records {
        feedback: plan.feedback.clone(),
        judgements: plan.judgements.clone(),
        signatures: plan.signatures.clone(),
    };
    let destination = super::records::Destination {
        items: &items,
        learner: (learner, &m.learner.id),
        here: &here,
        who,
    };
    super::records::add_records(tx, &records, &destination, report)?;
    for e in &plan.audit {
        tx.execute(
            "INSERT INTO imported_audit (origin, seq, at, user_uuid, user_name, action, subject, learner_uuid,
                                         before, after, prev_hash, hash, key_id, signature)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![m.origin, e.seq, e.at, e.user_id, e.user_name, e.action, e.subject, e.learner_id,
                    e.before, e.after, e.prev_hash, e.hash, e.key_id, e.signature],
        )?;
        report.audit_entries_added += 1;
    }
    audit::append(
        tx,
        who,
        Change::new("bundle_imported", format!("bundle:{sha256}"))
            .learner(&m.learner.id)
            .after(format!(
                "from {} ({}): {} item(s) added, {} updated, {} conflict(s) left",
                m.created_by,
                m.origin,
                report.items_added,
                report.items_updated,
                report.conflicts.len()
            )),
    )?;
    Ok(())
}
