//! Which judgements and sign-offs from a bundle count: only those whose key signature verifies,
//! whose signed content is the record the bundle carries, which were signed for this bundle's
//! learner, and whose key a centre this installation trusts certified for the assessor role.
//! Anything else is kept, visibly, as "unverified — not counted", with the reason; it never makes a
//! criterion met.
//!
//! A personal laptop trusts the first centre whose certificates it imports (it has no administrator
//! but its learner, and what it counts is only that learner's own view); a centre trusts only its own
//! key and the centres an administrator pinned by fingerprint.

use std::collections::HashSet;

use rusqlite::{params, Transaction};
use serde_json::Value;

use crate::accounts::centre::{self, Certificate};
use crate::accounts::Role;
use crate::bundles::manifest::{CertificateEntry, JudgementEntry, SignatureEntry};
use crate::error::Result;
use crate::review::signature::sha256_hex;
use crate::review::statement::Signed;

/// What the verdicts are judged against: the bundle's learner and judgements, and this installation.
pub(super) struct Context<'a> {
    /// The learner's uuid.
    pub learner: &'a str,
    pub judgements: Vec<&'a JudgementEntry>,
    /// The items the bundle carries, or this learner already has here.
    pub items: &'a HashSet<String>,
    /// This installation's id.
    pub here: &'a str,
}

/// Keeps the certificates that come with a signature's key (those whose centre signature verifies),
/// and the centres that made them, untrusted unless already trusted. The names of the centres a
/// personal laptop trusted because of them.
pub(super) fn keep_certificates(tx: &Transaction<'_>, s: &SignatureEntry) -> Result<Vec<String>> {
    let Some(key) = &s.key else {
        return Ok(Vec::new());
    };
    let mut newly_trusted = Vec::new();
    for c in &key.certificates {
        let Some((certificate, public)) = certificate_of(&key.key_id, c) else {
            continue;
        };
        let now = crate::time::now_rfc3339();
        tx.execute(
            "INSERT OR IGNORE INTO centre_keys (key_id, public_key, name, own, seen_at) VALUES (?1, ?2, ?3, 0, ?4)",
            params![c.centre_key_id, public, c.centre_name, now],
        )?;
        let trusting_first = centre::is_personal(tx)?
            && tx.query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM centre_keys WHERE trusted_at IS NOT NULL)",
                [],
                |r| r.get::<_, bool>(0),
            )?;
        if trusting_first {
            tx.execute(
                "UPDATE centre_keys SET trusted_at = ?2, trusted_by = 'the first bundle imported on this laptop' WHERE key_id = ?1",
                params![c.centre_key_id, now],
            )?;
            newly_trusted.push(c.centre_name.clone());
        }
        centre::store_certificate(tx, &certificate)?;
    }
    Ok(newly_trusted)
}

/// The certificate and its centre's public key, if the centre's signature of it verifies.
fn certificate_of(key_id: &str, c: &CertificateEntry) -> Option<(Certificate, Vec<u8>)> {
    let public = hex::decode(&c.centre_public_key).ok()?;
    let certificate = Certificate {
        key_id: key_id.to_string(),
        centre_key_id: c.centre_key_id.clone(),
        name: c.name.clone(),
        roles: c.roles.clone(),
        issued_at: c.issued_at.clone(),
        expires_at: c.expires_at.clone(),
        signature: c.signature.clone(),
    };
    certificate
        .verifies(&public)
        .then_some((certificate, public))
}

/// Why a signature from the bundle does not count here; `None` when it does. Call after
/// [`keep_certificates`].
pub(super) fn why_not_counted(
    tx: &Transaction<'_>,
    s: &SignatureEntry,
    cx: &Context<'_>,
) -> Result<Option<String>> {
    let content: Value = serde_json::from_str(&s.content).unwrap_or(Value::Null);
    if s.origin == cx.here {
        return Ok(Some(
            "it says it was signed on this computer, which has no record of it".into(),
        ));
    }
    if content["learner"].as_str() != Some(cx.learner) {
        return Ok(Some("it was signed for another learner's portfolio".into()));
    }
    if sha256_hex(&s.content) != s.content_hash {
        return Ok(Some("its content does not match its hash".into()));
    }
    if let Some(reason) = subject_problem(s, &content, cx) {
        return Ok(Some(reason));
    }
    let Some(key) = &s.key else {
        return Ok(Some(
            "a legacy signature (a hash only), not signed with a key".into(),
        ));
    };
    let signed = Signed {
        kind: &s.kind,
        subject: &s.subject,
        learner: cx.learner,
        signer: &s.signer_name,
        signed_at: &s.signed_at,
        content_sha256: &s.content_hash,
    };
    let public = hex::decode(&key.public_key).unwrap_or_default();
    if !signed.verifies_with(&public, &key.key_id, &key.signature) {
        return Ok(Some(format!(
            "the key signature does not verify: it was not made by {}'s key {} for this record",
            s.signer_name, key.key_id
        )));
    }
    if s.kind == "declaration" {
        // A learner's own statement: it needs no centre's word.
        return Ok(None);
    }
    centre::why_not_vouched(
        tx,
        &key.key_id,
        &s.signer_name,
        Role::Assessor,
        &s.signed_at,
    )
}

/// Whether the signature's subject is a record of this bundle's learner, and (for a judgement) the
/// signed content is the judgement the bundle carries.
fn subject_problem(s: &SignatureEntry, content: &Value, cx: &Context<'_>) -> Option<String> {
    let field = |name: &str| content[name].as_str().unwrap_or_default();
    match s.kind.as_str() {
        "judgement" => {
            let id = s.subject.strip_prefix("judgement:").unwrap_or_default();
            let Some(j) = cx.judgements.iter().find(|j| j.id == id) else {
                return Some("it signs a judgement the bundle does not carry".into());
            };
            let same = field("judgement") == j.id
                && field("criterion") == j.criterion
                && field("outcome") == j.outcome
                && field("comment") == j.comment
                && field("assessor") == j.assessor_name
                && s.signer_name == j.assessor_name
                && s.signed_at == j.judged_at;
            (!same).then(|| "what it signs is not the judgement recorded with it".into())
        }
        "declaration" => {
            let id = s.subject.strip_prefix("evidence:").unwrap_or_default();
            (!cx.items.contains(id))
                .then(|| "it signs an item that is not in this portfolio".into())
        }
        _ => None,
    }
}
