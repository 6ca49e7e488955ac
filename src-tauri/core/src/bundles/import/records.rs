//! Adding the records that rest on item versions — feedback, judgements with the versions they
//! cite, signatures — exactly as another installation made them. A cited version is found here by
//! its content hash, whatever its number here; signatures keep where they were made, so the numbers
//! they signed still resolve (`review::signature::local_version`).

use std::collections::HashMap;

use rusqlite::{params, Transaction};

use super::report::BundleImport;
use crate::bundles::gather::versions;
use crate::bundles::manifest::{FeedbackEntry, ItemEntry, JudgementEntry, SignatureEntry};
use crate::bundles::merge::version_hash;
use crate::error::{CoreError, Result};
use crate::ids::VersionNumber;
use crate::ids::{CriterionRowId, EvidenceRowId, LearnerRowId};

/// The records to add, with each judgement's criterion row here.
#[derive(Default)]
pub(in crate::bundles) struct Records<'a> {
    pub feedback: Vec<&'a FeedbackEntry>,
    pub judgements: Vec<(&'a JudgementEntry, CriterionRowId)>,
    pub signatures: Vec<&'a SignatureEntry>,
}

/// Finds items' versions here: `items` are the bundle's items, numbered as the bundle numbers them.
struct VersionFinder<'a> {
    items: &'a [&'a ItemEntry],
    numbers: HashMap<String, HashMap<String, VersionNumber>>,
}

impl VersionFinder<'_> {
    /// The item's row here and the number here of its version `version` (as the bundle numbers it).
    fn find(
        &mut self,
        tx: &Transaction<'_>,
        item: &str,
        version: VersionNumber,
    ) -> Result<(EvidenceRowId, VersionNumber)> {
        let row: EvidenceRowId = tx
            .query_row("SELECT id FROM evidence WHERE uuid = ?1", [item], |r| {
                r.get(0)
            })
            .map_err(|_| CoreError::Conflict(format!("item {item} is not on this computer")))?;
        let Some(entry) = self.items.iter().find(|i| i.id == item) else {
            // Not carried along: its versions are numbered alike on both sides.
            return Ok((row, version));
        };
        let remote = usize::try_from(version.get() - 1)
            .ok()
            .and_then(|i| entry.versions.get(i))
            .ok_or_else(|| {
                CoreError::InvalidBundle(format!("item {item} has no version {version}"))
            })?;
        if !self.numbers.contains_key(item) {
            let here = versions(tx, row)?
                .iter()
                .map(|v| (version_hash(v), v.version))
                .collect();
            self.numbers.insert(item.to_string(), here);
        }
        let local = self
            .numbers
            .get(item)
            .and_then(|n| n.get(&version_hash(remote)))
            .copied()
            .ok_or_else(|| {
                CoreError::Conflict(format!("item {item} version {version} is not here"))
            })?;
        Ok((row, local))
    }
}

pub(in crate::bundles) fn add_records(
    tx: &Transaction<'_>,
    items: &[&ItemEntry],
    records: &Records<'_>,
    learner: LearnerRowId,
    here: &str,
    report: &mut BundleImport,
) -> Result<()> {
    let mut finder = VersionFinder {
        items,
        numbers: HashMap::new(),
    };
    for f in &records.feedback {
        let (row, version) = finder.find(tx, &f.evidence, f.on_version)?;
        tx.execute(
            "INSERT OR IGNORE INTO feedback (uuid, evidence_id, author_id, author_name, body, on_version, requests_changes, created_at)
             VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7)",
            params![f.id, row, f.author_name, f.body, version, f.requests_changes, f.created_at],
        )?;
        report.feedback_added += 1;
    }
    for (j, criterion) in &records.judgements {
        tx.execute(
            "INSERT INTO judgements (uuid, learner_id, criterion_id, outcome, comment, assessor_id, assessor_name, judged_at)
             VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7)",
            params![j.id, learner, criterion, j.outcome, j.comment, j.assessor_name, j.judged_at],
        )?;
        let judgement = tx.last_insert_rowid();
        for c in &j.cited {
            let (row, version) = finder.find(tx, &c.evidence, c.version)?;
            tx.execute(
                "INSERT INTO judgement_evidence (judgement_id, evidence_id, evidence_version) VALUES (?1, ?2, ?3)",
                params![judgement, row, version],
            )?;
        }
        report.judgements_added += 1;
    }
    for s in &records.signatures {
        let origin = (s.origin != here).then_some(s.origin.as_str());
        if let Some(key) = &s.key {
            // Its public half, checked against its id when the bundle was read: the signature can be
            // verified here. (Which keys carry authority is not decided by this.)
            let public = hex::decode(&key.public_key).map_err(|_| {
                CoreError::invalid_bundle(format!("signature {}: public key", s.id))
            })?;
            tx.execute(
                "INSERT OR IGNORE INTO signing_keys (key_id, public_key, user_id, origin, created_at)
                 VALUES (?1, ?2, NULL, ?3, ?4)",
                params![key.key_id, public, s.origin, crate::time::now_rfc3339()],
            )?;
        }
        let (key_id, key_signature) = match &s.key {
            Some(key) => (Some(&key.key_id), Some(&key.signature)),
            None => (None, None),
        };
        tx.execute(
            "INSERT INTO signatures (uuid, kind, subject, learner_id, signer_id, signer_name, signed_at, content, content_hash, origin,
                                     key_id, key_signature)
             VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![s.id, s.kind, s.subject, learner, s.signer_name, s.signed_at, s.content, s.content_hash, origin,
                    key_id, key_signature],
        )?;
        report.signatures_added += 1;
    }
    Ok(())
}
