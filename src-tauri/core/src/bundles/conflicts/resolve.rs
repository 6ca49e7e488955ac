//! Looking at and resolving the items changed on both computers (see `conflicts`): the learner
//! chooses, field by field, which side to keep; the other side's versions join the item's history
//! and one new version holds the choice. One transaction, one audit entry.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension};

use super::{differences, open_conflict, ConflictView};
use crate::audit::Change;
use crate::bundles::gather::versions;
use crate::bundles::import::apply::{insert_version, set_current};
use crate::bundles::import::mappings::resolve_mappings;
use crate::bundles::import::records::{add_records, Destination, Records};
use crate::bundles::import::report::BundleImport;
use crate::bundles::merge::version_hash;
use crate::error::{CoreError, Result};
use crate::evidence::Evidence;
use crate::ids::VersionNumber;
use crate::store::access::Need;
use crate::store::Store;
use crate::time::now_rfc3339;

impl Store {
    /// The open conflict on an item, if any (anyone who may read the item).
    pub fn evidence_conflict(&self, item: &str) -> Result<Option<ConflictView>> {
        let (key, allowed) = self.evidence_for(item, Need::Read)?;
        let Some((_, pending, detected_at)) = open_conflict(self.read(&allowed), key.row_id)?
        else {
            return Ok(None);
        };
        let (number, title): (i64, String) = self.read(&allowed).query_row(
            "SELECT number, title FROM evidence WHERE id = ?1",
            [key.row_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Some(ConflictView {
            evidence: key.uuid,
            number,
            title,
            origin: pending.origin.clone(),
            detected_at,
            fields: differences(self.read(&allowed), key.row_id, &pending.item)?,
        }))
    }

    /// Every open conflict in a learner's portfolio, by item number.
    pub fn conflicts(&self, learner: &str) -> Result<Vec<ConflictView>> {
        let row = self.learner_row(learner)?;
        let allowed = self.require_portfolio(&row, Need::Read)?;
        let items: Vec<String> = self
            .read(&allowed)
            .prepare(
                "SELECT e.uuid FROM evidence_conflicts c JOIN evidence e ON e.id = c.evidence_id
                 WHERE e.learner_id = ?1 AND c.resolved_at IS NULL ORDER BY e.number",
            )?
            .query_map([row.row_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for item in items {
            if let Some(view) = self.evidence_conflict(&item)? {
                out.push(view);
            }
        }
        Ok(out)
    }

    /// Resolves an item's conflict: `take_remote` names the fields to take from the other computer
    /// (any of those in conflict); every other field keeps this computer's value. The item's
    /// mappings become exactly the chosen side's (`mappings::resolve_mappings`). Files are never
    /// removed: both sides' are kept whichever is chosen for `attachments`.
    pub fn resolve_conflict(&mut self, item: &str, take_remote: &[String]) -> Result<Evidence> {
        let (key, learner, allowed) = self.evidence_to_change(item, Need::ChangeEvidence)?;
        let (conflict, pending, _) = open_conflict(self.read(&allowed), key.row_id)?
            .ok_or_else(|| CoreError::not_found("open conflict on item", item))?;
        let differing: Vec<String> = differences(self.read(&allowed), key.row_id, &pending.item)?
            .into_iter()
            .map(|f| f.field)
            .collect();
        let take: HashSet<&str> = take_remote.iter().map(|f| f.trim()).collect();
        if let Some(bad) = take.iter().find(|f| !differing.iter().any(|d| d == *f)) {
            return Err(CoreError::InvalidInput(format!(
                "\"{bad}\" is not a field in conflict; the fields in conflict are: {}",
                differing.join(", ")
            )));
        }
        let remote_mappings = self.remote_mappings(&allowed, &pending.item)?;
        // What rested on the other side and is not here yet.
        let missing = |table: &str, id: &str| -> Result<bool> {
            Ok(self
                .read(&allowed)
                .query_row(
                    &format!("SELECT 1 FROM {table} WHERE uuid = ?1"),
                    [id],
                    |_| Ok(()),
                )
                .optional()?
                .is_none())
        };
        let mut judgements = Vec::new();
        for j in &pending.judgements {
            if missing("judgements", &j.id)? {
                judgements.push((
                    j,
                    self.local_criterion(&allowed, &j.criterion, j.framework_version.as_deref())?,
                ));
            }
        }
        let mut feedback = Vec::new();
        for f in &pending.feedback {
            if missing("feedback", &f.id)? {
                feedback.push(f);
            }
        }
        let mut signatures = Vec::new();
        for sig in &pending.signatures {
            if missing("signatures", &sig.id)? {
                signatures.push(sig);
            }
        }
        let here = self.installation_id()?;
        let now = now_rfc3339();
        let row = key.row_id;
        self.write(&allowed, |tx, audit| {
            let local = versions(tx, row)?;
            let known: HashSet<String> = local.iter().map(version_hash).collect();
            let mut next = local
                .iter()
                .map(|v| v.version.next())
                .max()
                .unwrap_or(VersionNumber::FIRST);
            for v in pending.item.versions.iter().filter(|v| !known.contains(&version_hash(v))) {
                insert_version(tx, row, next, v, &pending.origin, &here)?;
                next = next.next();
            }
            let (Some(mut chosen), Some(theirs)) = (local.last().cloned(), pending.item.versions.last()) else {
                return Err(CoreError::Database(format!("item {item} has no versions")));
            };
            for field in &take {
                match *field {
                    "title" => chosen.title = theirs.title.clone(),
                    "method" => chosen.method = theirs.method,
                    "activity_date" => chosen.activity_date = theirs.activity_date.clone(),
                    "status" => chosen.status = theirs.status,
                    "body" => chosen.body_markdown = theirs.body_markdown.clone(),
                    "witness" => chosen.witness = theirs.witness.clone(),
                    _ => {}
                }
            }
            chosen.saved_at = now.clone();
            chosen.labels.clear();
            insert_version(tx, row, next, &chosen, &here, &here)?;
            set_current(tx, row, next, &chosen)?;
            resolve_mappings(
                tx,
                row,
                learner.row_id,
                &remote_mappings,
                take.contains("mappings"),
                &now,
            )?;
            // Files are never removed: both sides' are kept, whichever is chosen.
            for a in &pending.item.attachments {
                tx.execute(
                    "INSERT OR IGNORE INTO attachments (evidence_id, sha256, file_name, media_type, size, added_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![row, a.sha256, a.file_name, a.media_type, a.size as i64, a.added_at],
                )?;
            }
            let records = Records {
                feedback: feedback.clone(),
                judgements: judgements.clone(),
                signatures: signatures.clone(),
            };
            let mut counts = BundleImport::default();
            let destination = Destination {
                items: &[&pending.item],
                learner: (learner.row_id, &learner.learner.id),
                here: &here,
                who: allowed.who(),
            };
            add_records(tx, &records, &destination, &mut counts)?;
            let mut taken: Vec<&str> = take.iter().copied().collect();
            taken.sort_unstable();
            let resolution = serde_json::json!(differing
                .iter()
                .map(|f| {
                    let side = match f.as_str() {
                        "attachments" => "both",
                        f if take.contains(f) => "remote",
                        _ => "local",
                    };
                    (f.clone(), side)
                })
                .collect::<std::collections::BTreeMap<_, _>>());
            tx.execute(
                "UPDATE evidence_conflicts SET resolved_at = ?2, resolution = ?3 WHERE id = ?1",
                params![conflict, now, resolution.to_string()],
            )?;
            audit.record(Change::new("conflict_resolved", format!("evidence:{}", key.uuid))
                    .learner(&learner.learner.id)
                    .after(if taken.is_empty() {
                        format!("kept this computer's {}", differing.join(", "))
                    } else {
                        format!("took the other computer's {}", taken.join(", "))
                    }),
            )
        })?;
        self.evidence(item)
    }
}
