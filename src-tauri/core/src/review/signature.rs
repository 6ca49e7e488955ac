//! Signatures: the signer, the time, and the SHA-256 of a canonical JSON text of exactly what was
//! signed — for a judgement, the outcome, the comment and each cited evidence item at the version the
//! assessor saw (its fields, the hash of its body and the hashes of its attachments); for a learner's
//! declaration, the item as submitted; for a unit sign-off, the unit's criteria and the hashes of the
//! judgements that met them.
//!
//! The signed text is rebuilt from the stored records whenever a signature is shown or checked:
//! evidence versions are never rewritten by the app, so a difference means a record was changed
//! behind its back (reported by `audit verify`); a newer version of a cited item, or a file attached
//! since, only means the signature no longer matches the evidence as it is now (shown, not an error).
//!
//! The signed text of an item gains a `witness` object only when the version records a witness, so
//! everything signed before witnesses were recorded still hashes to what was signed.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::audit::AuditProblem;
use crate::error::{CoreError, Result};
use crate::ids::{EvidenceRowId, VersionNumber};
use crate::names::str_names;
use crate::store::{Allowed, Store};

use super::statement::Signed;

/// What a signature is for.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureKind {
    Judgement,
    UnitSignOff,
    Declaration,
}

str_names!(SignatureKind {
    Judgement => "judgement",
    UnitSignOff => "unit_sign_off",
    Declaration => "declaration",
});

/// A signature as shown.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct Signature {
    pub id: String,
    pub kind: SignatureKind,
    pub subject: String,
    pub signer_name: String,
    pub signed_at: String,
    /// SHA-256 (hex) of the signed content.
    pub content_hash: String,
    /// The signing key that signed it (`ed25519:…`); `None` for a legacy signature, a hash only —
    /// made before accounts had keys, or on a computer without accounts.
    pub key_id: Option<String>,
    /// The trusted centre that certified the key as the signer's (`None`: no such certificate).
    pub certified_by: Option<String>,
    /// Why it does not count, for a judgement or sign-off from a bundle that did not verify
    /// ("unverified — not counted"); `None` for one that counts.
    pub not_counted: Option<String>,
    /// Whether what was signed is still what the portfolio holds (false once a cited item has a newer
    /// version or a new attachment, or a record was altered).
    pub matches: bool,
}

pub(crate) fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// An evidence item at one version, as signed: its fields, its body's hash and its attachments'
/// hashes (those added up to `until`, an RFC 3339 instant).
///
/// `label` is the number the signer saw: the version's number on the installation where the
/// signature was made (see [`label_of`]).
pub(crate) fn evidence_at(
    conn: &Connection,
    evidence_row: EvidenceRowId,
    version: VersionNumber,
    label: VersionNumber,
    until: &str,
) -> Result<Value> {
    let row = conn
        .query_row(
            "SELECT e.uuid, v.title, v.method, v.activity_date, v.status, v.body_md,
                    v.witness_name, v.witness_role, v.witness_relationship
             FROM evidence_versions v JOIN evidence e ON e.id = v.evidence_id
             WHERE v.evidence_id = ?1 AND v.version = ?2",
            params![evidence_row, version],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    crate::evidence::Witness {
                        name: r.get(6)?,
                        role: r.get(7)?,
                        relationship: r.get(8)?,
                    },
                ))
            },
        )
        .optional()?
        .ok_or_else(|| {
            CoreError::not_found("evidence version", format!("{evidence_row} v{version}"))
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT sha256 FROM attachments WHERE evidence_id = ?1 AND added_at <= ?2 ORDER BY sha256",
    )?;
    let attachments: Vec<String> = stmt
        .query_map(params![evidence_row, until], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut signed = json!({
        "id": row.0,
        "version": label,
        "title": row.1,
        "method": row.2,
        "activity_date": row.3,
        "status": row.4,
        "body_sha256": sha256_hex(&row.5),
        "attachments": attachments,
    });
    if !row.6.is_empty() {
        signed["witness"] = json!(row.6);
    }
    Ok(signed)
}

/// The number here of version `label` of an item as installation `origin` numbers it (`None`: this
/// installation). Versions keep their numbers when they travel, unless this side had versions of
/// its own by then; those that arrived under another number are labelled (bundles).
pub(crate) fn local_version(
    conn: &Connection,
    evidence_row: EvidenceRowId,
    origin: Option<&str>,
    label: VersionNumber,
) -> Result<VersionNumber> {
    let Some(origin) = origin else {
        return Ok(label);
    };
    Ok(conn
        .query_row(
            "SELECT version FROM evidence_version_labels WHERE evidence_id = ?1 AND origin = ?2 AND label = ?3",
            params![evidence_row, origin, label],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(label))
}

/// The number installation `origin` gives this item's version `version` (the reverse of
/// [`local_version`]).
pub(crate) fn label_of(
    conn: &Connection,
    evidence_row: EvidenceRowId,
    origin: Option<&str>,
    version: VersionNumber,
) -> Result<VersionNumber> {
    let Some(origin) = origin else {
        return Ok(version);
    };
    Ok(conn
        .query_row(
            "SELECT label FROM evidence_version_labels WHERE evidence_id = ?1 AND origin = ?2 AND version = ?3",
            params![evidence_row, origin, version],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(version))
}

/// Whether each cited item is still at the cited version with no attachment added since.
pub(crate) fn evidence_unchanged(
    conn: &Connection,
    cited: &[(EvidenceRowId, VersionNumber)],
    since: &str,
) -> Result<bool> {
    for &(row, version) in cited {
        // The item as shown must also be the version it names: a row changed behind the app's back
        // (the body, say) is not what was signed.
        let (current, newer_files, as_saved): (VersionNumber, i64, bool) = conn.query_row(
            "SELECT e.version, (SELECT count(*) FROM attachments WHERE evidence_id = ?1 AND added_at > ?2),
                    EXISTS (SELECT 1 FROM evidence_versions v WHERE v.evidence_id = e.id AND v.version = e.version
                            AND v.title IS e.title AND v.method IS e.method AND v.activity_date IS e.activity_date
                            AND v.body_md IS e.body_md AND v.status IS e.status AND v.witness_name IS e.witness_name
                            AND v.witness_role IS e.witness_role AND v.witness_relationship IS e.witness_relationship)
             FROM evidence e WHERE e.id = ?1",
            params![row, since],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if current != version || newer_files > 0 || !as_saved {
            return Ok(false);
        }
    }
    Ok(true)
}

/// A stored signature row.
pub(crate) struct SignatureRow {
    pub signature: Signature,
    pub content: String,
    /// The installation it was made on; `None` for this one.
    pub origin: Option<String>,
    /// The key's Ed25519 signature of the statement (hex), with `signature.key_id`.
    pub key_signature: Option<String>,
    /// The learner's uuid.
    pub learner: String,
}

pub(crate) const SIGNATURE_COLUMNS: &str =
    "uuid, kind, subject, signer_name, signed_at, content_hash, content, origin, key_id, key_signature,
     (SELECT l.uuid FROM learners l WHERE l.id = signatures.learner_id), not_counted_reason,
     (SELECT k.name FROM key_certificates c JOIN centre_keys k ON k.key_id = c.centre_key_id
      WHERE c.key_id = signatures.key_id AND c.name = signatures.signer_name AND k.trusted_at IS NOT NULL
      ORDER BY k.own DESC LIMIT 1)";

pub(crate) fn signature_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SignatureRow> {
    let kind: String = row.get(1)?;
    Ok(SignatureRow {
        content: row.get(6)?,
        origin: row.get(7)?,
        key_signature: row.get(9)?,
        learner: row.get(10)?,
        signature: Signature {
            id: row.get(0)?,
            kind: SignatureKind::parse(&kind).ok_or_else(|| {
                rusqlite::Error::InvalidColumnType(1, "kind".into(), rusqlite::types::Type::Text)
            })?,
            subject: row.get(2)?,
            signer_name: row.get(3)?,
            signed_at: row.get(4)?,
            content_hash: row.get(5)?,
            key_id: row.get(8)?,
            not_counted: row.get(11)?,
            certified_by: row.get(12)?,
            matches: false,
        },
    })
}

impl Store {
    /// Rebuilds what a signature signed from the stored records (`None` when they are gone).
    pub(crate) fn rebuild_signed(
        &self,
        allowed: &Allowed,
        sig: &SignatureRow,
    ) -> Result<Option<String>> {
        let content = match sig.signature.kind {
            SignatureKind::Judgement => {
                let uuid = sig.signature.subject.trim_start_matches("judgement:");
                self.judgement_content(
                    allowed,
                    uuid,
                    sig.origin.as_deref(),
                    &sig.signature.signed_at,
                )?
            }
            SignatureKind::Declaration => {
                let stored: Value = serde_json::from_str(&sig.content).unwrap_or(Value::Null);
                let version =
                    VersionNumber::new(stored["evidence"]["version"].as_i64().unwrap_or(0));
                let uuid = sig.signature.subject.trim_start_matches("evidence:");
                self.declaration_content(
                    allowed,
                    uuid,
                    version,
                    sig.origin.as_deref(),
                    &sig.signature.signed_at,
                )?
            }
            SignatureKind::UnitSignOff => {
                let stored: Value = serde_json::from_str(&sig.content).unwrap_or(Value::Null);
                self.unit_sign_off_recheck(allowed, &stored)?
            }
        };
        Ok(content.map(|v| v.to_string()))
    }

    /// Whether a signature's record is intact: its content hashes to its hash, its key signature (if
    /// it has one) verifies, and the records it signed still say exactly that.
    pub(crate) fn signature_intact(&self, allowed: &Allowed, sig: &SignatureRow) -> Result<bool> {
        if sha256_hex(&sig.content) != sig.signature.content_hash {
            return Ok(false);
        }
        match (&sig.signature.key_id, &sig.key_signature) {
            (None, None) => {}
            (Some(key_id), Some(signature)) => {
                let signed = Signed {
                    kind: sig.signature.kind.as_str(),
                    subject: &sig.signature.subject,
                    learner: &sig.learner,
                    signer: &sig.signature.signer_name,
                    signed_at: &sig.signature.signed_at,
                    content_sha256: &sig.signature.content_hash,
                };
                if !signed.verifies(self.read(allowed), key_id, signature)? {
                    return Ok(false);
                }
            }
            // A key without its signature, or a signature without its key.
            _ => return Ok(false),
        }
        Ok(self.rebuild_signed(allowed, sig)?.as_deref() == Some(sig.content.as_str()))
    }

    /// Signature problems for `verify_audit`: records changed behind the app's back.
    pub(crate) fn signature_problems(&self, allowed: &Allowed) -> Result<Vec<AuditProblem>> {
        let mut stmt = self.read(&allowed).prepare(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM signatures ORDER BY id"
        ))?;
        let rows: Vec<SignatureRow> = stmt
            .query_map([], signature_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let mut problems = Vec::new();
        for sig in rows {
            if !self.signature_intact(allowed, &sig)? {
                problems.push(AuditProblem::new(
                    format!("signature {}", sig.signature.id),
                    "signature_mismatch",
                    format!(
                        "the {} signed by {} on {} ({}) no longer matches the stored records: a signed record was changed outside the app",
                        sig.signature.kind.as_str().replace('_', " "),
                        sig.signature.signer_name,
                        sig.signature.signed_at,
                        sig.signature.subject
                    ),
                ));
            }
        }
        Ok(problems)
    }
}

impl Store {
    /// Whether the evidence a signature covers is still as signed (no newer version, no file added,
    /// the item as shown still its saved version).
    pub(crate) fn signed_evidence_unchanged(
        &self,
        allowed: &Allowed,
        sig: &SignatureRow,
    ) -> Result<bool> {
        let stored: Value = serde_json::from_str(&sig.content).unwrap_or(Value::Null);
        let items: Vec<&Value> = match sig.signature.kind {
            SignatureKind::Judgement => stored["evidence"]
                .as_array()
                .map(|a| a.iter().collect())
                .unwrap_or_default(),
            SignatureKind::Declaration => vec![&stored["evidence"]],
            SignatureKind::UnitSignOff => return Ok(true),
        };
        let mut cited = Vec::new();
        for item in items {
            let (Some(id), Some(version)) = (item["id"].as_str(), item["version"].as_i64()) else {
                return Ok(false);
            };
            let row: Option<EvidenceRowId> = self
                .read(&allowed)
                .query_row("SELECT id FROM evidence WHERE uuid = ?1", [id], |r| {
                    r.get(0)
                })
                .optional()?;
            match row {
                Some(row) => cited.push((
                    row,
                    local_version(
                        self.read(&allowed),
                        row,
                        sig.origin.as_deref(),
                        VersionNumber::new(version),
                    )?,
                )),
                None => return Ok(false),
            }
        }
        evidence_unchanged(self.read(&allowed), &cited, &sig.signature.signed_at)
    }

    /// Every signature in a learner's portfolio, newest first.
    pub fn signatures(&self, learner: &str) -> Result<Vec<Signature>> {
        let learner = self.learner_row(learner)?;
        let allowed = self.require_portfolio(&learner, crate::store::access::Need::Read)?;
        let mut stmt = self.read(&allowed).prepare(&format!(
            "SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE learner_id = ?1 ORDER BY id DESC"
        ))?;
        let rows: Vec<SignatureRow> = stmt
            .query_map([learner.row_id], signature_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let mut shown = Vec::new();
        for sig in rows {
            let mut s = sig.signature.clone();
            s.matches = self.signature_intact(&allowed, &sig)?
                && self.signed_evidence_unchanged(&allowed, &sig)?;
            shown.push(s);
        }
        Ok(shown)
    }
}
