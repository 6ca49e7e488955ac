//! Adding the records that rest on item versions — feedback, judgements with the versions they
//! cite, signatures — exactly as another installation made them. A cited version is found here by
//! its content hash, whatever its number here; signatures keep where they were made, so the numbers
//! they signed still resolve (`review::signature::local_version`).

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Transaction};

use super::report::{BundleImport, NotCounted};
use super::trust;
use crate::audit::{self, Change, Who};
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

/// Where the records come from and go: the bundle's items and judgements, the learner's row and
/// uuid, this installation's id, and who imports (for the audit entries).
pub(in crate::bundles) struct Destination<'a> {
    pub items: &'a [&'a ItemEntry],
    pub learner: (LearnerRowId, &'a str),
    pub here: &'a str,
    pub who: &'a Who,
}

pub(in crate::bundles) fn add_records(
    tx: &Transaction<'_>,
    records: &Records<'_>,
    to: &Destination<'_>,
    report: &mut BundleImport,
) -> Result<()> {
    let (learner, learner_uuid) = to.learner;
    let mut finder = VersionFinder {
        items: to.items,
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
    // The keys and their certificates first: whether a signature counts is decided against them.
    for s in &records.signatures {
        keep_key(tx, s)?;
        for centre in trust::keep_certificates(tx, s)? {
            if !report.centres_trusted.contains(&centre) {
                report.centres_trusted.push(centre);
            }
        }
    }
    let mut items: HashSet<String> = to.items.iter().map(|i| i.id.clone()).collect();
    let mut here = tx.prepare("SELECT uuid FROM evidence WHERE learner_id = ?1")?;
    for id in here.query_map([learner], |r| r.get::<_, String>(0))? {
        items.insert(id?);
    }
    let cx = trust::Context {
        learner: learner_uuid,
        judgements: records.judgements.iter().map(|(j, _)| *j).collect(),
        items: &items,
        here: to.here,
    };
    let mut verdicts = Vec::new();
    for s in &records.signatures {
        verdicts.push(trust::why_not_counted(tx, s, &cx)?);
    }
    let audit = |action: &'static str, subject: String, after: String| {
        audit::append(
            tx,
            to.who,
            Change::new(action, subject)
                .learner(learner_uuid)
                .after(after),
        )
    };
    for (j, criterion) in &records.judgements {
        let subject = format!("judgement:{}", j.id);
        let signature = records.signatures.iter().position(|s| s.subject == subject);
        let counted = signature.is_some_and(|i| verdicts[i].is_none());
        tx.execute(
            "INSERT INTO judgements (uuid, learner_id, criterion_id, outcome, comment, assessor_id, assessor_name, judged_at, counted)
             VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, ?8)",
            params![j.id, learner, criterion, j.outcome, j.comment, j.assessor_name, j.judged_at, counted],
        )?;
        let judgement = tx.last_insert_rowid();
        for c in &j.cited {
            let (row, version) = finder.find(tx, &c.evidence, c.version)?;
            tx.execute(
                "INSERT INTO judgement_evidence (judgement_id, evidence_id, evidence_version) VALUES (?1, ?2, ?3)",
                params![judgement, row, version],
            )?;
        }
        let standing = if counted {
            "counted"
        } else {
            "unverified, not counted"
        };
        audit(
            "judgement_imported",
            subject,
            format!(
                "{} {} by {}, {standing}",
                j.criterion, j.outcome, j.assessor_name
            ),
        )?;
        report.judgements_added += 1;
    }
    for (s, reason) in records.signatures.iter().zip(&verdicts) {
        let origin = (s.origin != to.here).then_some(s.origin.as_str());
        let (key_id, key_signature) = match &s.key {
            Some(key) => (Some(&key.key_id), Some(&key.signature)),
            None => (None, None),
        };
        tx.execute(
            "INSERT INTO signatures (uuid, kind, subject, learner_id, signer_id, signer_name, signed_at, content, content_hash, origin,
                                     key_id, key_signature, not_counted_reason)
             VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![s.id, s.kind, s.subject, learner, s.signer_name, s.signed_at, s.content, s.content_hash, origin,
                    key_id, key_signature, reason],
        )?;
        let origin_text = format!(
            "{} by {}, made on installation {}",
            s.kind, s.signer_name, s.origin
        );
        match reason {
            None => audit(
                "signature_imported",
                format!("signature:{}", s.id),
                format!("{origin_text}, verified"),
            )?,
            Some(why) => {
                audit(
                    "signature_imported",
                    format!("signature:{}", s.id),
                    format!("{origin_text}, not counted: {why}"),
                )?;
                report.not_counted.push(NotCounted {
                    kind: s.kind.clone(),
                    subject: s.subject.clone(),
                    signer_name: s.signer_name.clone(),
                    reason: why.clone(),
                });
            }
        }
        report.signatures_added += 1;
    }
    Ok(())
}

/// Keeps a signature's public key (checked against its id when the bundle was read) so that the
/// signature can be verified here. Which keys carry authority is not decided by this.
fn keep_key(tx: &Transaction<'_>, s: &SignatureEntry) -> Result<()> {
    let Some(key) = &s.key else { return Ok(()) };
    let public = hex::decode(&key.public_key)
        .map_err(|_| CoreError::invalid_bundle(format!("signature {}: public key", s.id)))?;
    tx.execute(
        "INSERT OR IGNORE INTO signing_keys (key_id, public_key, user_id, origin, created_at)
         VALUES (?1, ?2, NULL, ?3, ?4)",
        params![key.key_id, public, s.origin, crate::time::now_rfc3339()],
    )?;
    Ok(())
}
