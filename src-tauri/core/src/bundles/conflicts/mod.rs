//! Items changed on both computers since they last exchanged them. The import leaves the local item
//! as it is and keeps the other side waiting beside it (its versions, mappings and files, and the
//! feedback, judgements and signatures resting on them); the user then chooses field by field —
//! title, method, date, status, account, witness, mappings, files — and resolving adds the other
//! side's versions to the item's history, then one version with the chosen fields. Nothing is lost:
//! both sides' versions stay in the history.

mod resolve;

use std::collections::{BTreeSet, HashSet};

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::bundles::gather::versions;
use crate::bundles::manifest::{
    FeedbackEntry, ItemEntry, JudgementEntry, Manifest, SignatureEntry, VersionEntry,
};
use crate::error::{CoreError, Result};
use crate::ids::EvidenceRowId;

/// What waits beside a conflicted item: the other side, as the bundle had it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PendingRemote {
    pub origin: String,
    pub item: ItemEntry,
    pub feedback: Vec<FeedbackEntry>,
    pub judgements: Vec<JudgementEntry>,
    pub signatures: Vec<SignatureEntry>,
}

/// The bundle's entries that rest on `item`, deferred with it until the conflict is resolved.
pub(crate) fn pending_for(m: &Manifest, item: &ItemEntry) -> PendingRemote {
    let judgements: Vec<JudgementEntry> = m
        .judgements
        .iter()
        .filter(|j| j.cited.iter().any(|c| c.evidence == item.id))
        .cloned()
        .collect();
    let judged: HashSet<String> = judgements
        .iter()
        .map(|j| format!("judgement:{}", j.id))
        .collect();
    let declared = format!("evidence:{}", item.id);
    let mut signatures: Vec<SignatureEntry> = m
        .signatures
        .iter()
        .filter(|s| s.subject == declared || judged.contains(&s.subject))
        .cloned()
        .collect();
    // A unit sign-off signs the hashes of the judgements it rests on: it waits with them.
    let hashes: Vec<String> = signatures.iter().map(|s| s.content_hash.clone()).collect();
    signatures.extend(
        m.signatures
            .iter()
            .filter(|s| s.kind == "unit_sign_off" && hashes.iter().any(|h| s.content.contains(h)))
            .cloned(),
    );
    PendingRemote {
        origin: m.origin.clone(),
        item: item.clone(),
        feedback: m
            .feedback
            .iter()
            .filter(|f| f.evidence == item.id)
            .cloned()
            .collect(),
        judgements,
        signatures,
    }
}

/// The fields a conflict is shown and resolved by.
pub const FIELDS: [&str; 8] = [
    "title",
    "method",
    "activity_date",
    "status",
    "body",
    "witness",
    "mappings",
    "attachments",
];

/// One field that differs, as each side has it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct FieldConflict {
    pub field: String,
    /// This computer's value, as text.
    pub local: String,
    /// The other computer's value, as text.
    pub remote: String,
}

/// An open conflict on an item.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct ConflictView {
    pub evidence: String,
    pub number: i64,
    pub title: String,
    /// The installation the other side came from.
    pub origin: String,
    pub detected_at: String,
    pub fields: Vec<FieldConflict>,
}

/// An item's state as text per field: the version's fields, its mappings and its files.
fn field_texts(
    v: &VersionEntry,
    mappings: &BTreeSet<String>,
    files: &BTreeSet<String>,
) -> [String; 8] {
    let witness = [&v.witness.name, &v.witness.role, &v.witness.relationship]
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    [
        v.title.clone(),
        v.method.as_str().to_string(),
        v.activity_date.clone(),
        v.status.as_str().to_string(),
        v.body_markdown.clone(),
        witness,
        mappings.iter().cloned().collect::<Vec<_>>().join(", "),
        files.iter().cloned().collect::<Vec<_>>().join(", "),
    ]
}

/// This computer's mappings (`FRAMEWORK:CODE`) and files (`name (sha256)`) of an item.
pub(crate) fn local_sets(
    conn: &Connection,
    row: EvidenceRowId,
) -> Result<(BTreeSet<String>, BTreeSet<String>)> {
    let mappings = conn
        .prepare_cached(
            "SELECT f.code || ':' || c.code FROM mappings m JOIN criteria c ON c.id = m.criterion_id
             JOIN frameworks f ON f.id = c.framework_id WHERE m.evidence_id = ?1",
        )?
        .query_map([row], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let files = conn
        .prepare_cached(
            "SELECT file_name || ' (' || sha256 || ')' FROM attachments WHERE evidence_id = ?1",
        )?
        .query_map([row], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((mappings, files))
}

pub(crate) fn remote_sets(item: &ItemEntry) -> (BTreeSet<String>, BTreeSet<String>) {
    (
        item.mappings.iter().map(|m| m.criterion.clone()).collect(),
        item.attachments
            .iter()
            .map(|a| format!("{} ({})", a.file_name, a.sha256))
            .collect(),
    )
}

/// The fields in which the local item (row) and the other side's current state differ.
pub(crate) fn differences(
    conn: &Connection,
    row: EvidenceRowId,
    remote: &ItemEntry,
) -> Result<Vec<FieldConflict>> {
    let local_versions = versions(conn, row)?;
    let (Some(local), Some(theirs)) = (local_versions.last(), remote.versions.last()) else {
        return Ok(Vec::new());
    };
    let (lm, lf) = local_sets(conn, row)?;
    let (rm, rf) = remote_sets(remote);
    let here = field_texts(local, &lm, &lf);
    let there = field_texts(theirs, &rm, &rf);
    Ok(FIELDS
        .iter()
        .zip(here.into_iter().zip(there))
        .filter(|(_, (l, r))| l != r)
        .map(|(field, (local, remote))| FieldConflict {
            field: field.to_string(),
            local,
            remote,
        })
        .collect())
}

/// The open conflict on an item row: its id and what waits, if any.
pub(crate) fn open_conflict(
    conn: &Connection,
    row: EvidenceRowId,
) -> Result<Option<(i64, PendingRemote, String)>> {
    let found: Option<(i64, String, String)> = conn
        .query_row(
            "SELECT id, remote, detected_at FROM evidence_conflicts WHERE evidence_id = ?1 AND resolved_at IS NULL",
            [row],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match found {
        Some((id, json, at)) => {
            let pending: PendingRemote = serde_json::from_str(&json).map_err(|e| {
                CoreError::Database(format!("a stored conflict cannot be read: {e}"))
            })?;
            Ok(Some((id, pending, at)))
        }
        None => Ok(None),
    }
}

/// Stores (or replaces with a newer one) the other side of a conflicted item.
pub(crate) fn record(
    tx: &rusqlite::Transaction<'_>,
    row: EvidenceRowId,
    pending: &PendingRemote,
    at: &str,
) -> Result<()> {
    let json = serde_json::to_string(pending)
        .map_err(|e| CoreError::Database(format!("cannot store the conflict: {e}")))?;
    let updated = tx.execute(
        "UPDATE evidence_conflicts SET remote = ?2, origin = ?3, detected_at = ?4
         WHERE evidence_id = ?1 AND resolved_at IS NULL",
        params![row, json, pending.origin, at],
    )?;
    if updated == 0 {
        tx.execute(
            "INSERT INTO evidence_conflicts (evidence_id, origin, remote, detected_at) VALUES (?1, ?2, ?3, ?4)",
            params![row, pending.origin, json, at],
        )?;
    }
    Ok(())
}
