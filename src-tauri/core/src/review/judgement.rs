//! Assessors' judgements (met / not yet met, citing the evidence relied on, with a comment), each
//! signed as it is made, and unit sign-off once every criterion of a unit is met.

use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use super::signature::{self, evidence_at, sha256_hex, SignatureKind, SIGNATURE_COLUMNS};
use super::statement::Signed;
use super::{CitedEvidence, Judgement, Outcome, Signature};
use crate::accounts::keys::SessionKey;
use crate::audit::{self, Change, Who};
use crate::error::{CoreError, Result};
use crate::gaps::load::STANDING;
use crate::ids::{EvidenceRowId, LearnerRowId, UserRowId, VersionNumber};
use crate::refs::CriterionRef;
use crate::store::access::Need;
use crate::store::{Allowed, Store};
use crate::time::now_rfc3339;

/// A stored judgement, as read back.
struct JudgementRow {
    row: i64,
    learner_row: LearnerRowId,
    learner: String,
    criterion: String,
    outcome: String,
    comment: String,
    assessor: String,
    judged_at: String,
    counted: bool,
}

fn judgement_row(conn: &Connection, uuid: &str) -> Result<Option<JudgementRow>> {
    Ok(conn
        .query_row(
            "SELECT j.id, j.learner_id, l.uuid, f.code || ':' || c.code, j.outcome, j.comment, j.assessor_name, j.judged_at, j.counted
             FROM judgements j JOIN learners l ON l.id = j.learner_id
             JOIN criteria c ON c.id = j.criterion_id JOIN frameworks f ON f.id = c.framework_id
             WHERE j.uuid = ?1",
            [uuid],
            |r| {
                Ok(JudgementRow {
                    row: r.get(0)?,
                    learner_row: r.get(1)?,
                    learner: r.get(2)?,
                    criterion: r.get(3)?,
                    outcome: r.get(4)?,
                    comment: r.get(5)?,
                    assessor: r.get(6)?,
                    judged_at: r.get(7)?,
                    counted: r.get(8)?,
                })
            },
        )
        .optional()?)
}

/// The signed text of a judgement, rebuilt from its stored records.
fn judgement_content(
    conn: &Connection,
    uuid: &str,
    origin: Option<&str>,
    signed_at: &str,
) -> Result<Option<Value>> {
    let Some(JudgementRow {
        row,
        learner,
        criterion,
        outcome,
        comment,
        assessor,
        ..
    }) = judgement_row(conn, uuid)?
    else {
        return Ok(None);
    };
    let mut evidence = Vec::new();
    for (item, version) in cited_rows(conn, row)? {
        let label = signature::label_of(conn, item, origin, version)?;
        evidence.push(evidence_at(conn, item, version, label, signed_at)?);
    }
    Ok(Some(json!({
        "kind": "judgement",
        "judgement": uuid,
        "learner": learner,
        "criterion": criterion,
        "outcome": outcome,
        "comment": comment,
        "assessor": assessor,
        "evidence": evidence,
    })))
}

/// The (evidence row, version) pairs a judgement cites, by item number.
fn cited_rows(
    conn: &Connection,
    judgement_row: i64,
) -> Result<Vec<(EvidenceRowId, VersionNumber)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT je.evidence_id, je.evidence_version FROM judgement_evidence je
         JOIN evidence e ON e.id = je.evidence_id WHERE je.judgement_id = ?1 ORDER BY e.number",
    )?;
    let rows = stmt.query_map([judgement_row], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Who signs, for whose portfolio, and when.
pub(crate) struct Signer {
    pub who: Who,
    /// The signer's user row; `None` before accounts existed.
    pub user_row: Option<UserRowId>,
    /// The learner's row id and uuid.
    pub learner: (LearnerRowId, String),
    pub at: String,
    /// The signer's key, opened at sign-in; `None` only where there are no accounts (the signature
    /// is then a hash only).
    pub key: Option<Arc<SessionKey>>,
}

impl Store {
    /// The acting user about to sign in `learner`'s portfolio, now.
    ///
    /// Anyone signed in to an account signs with their key: without it open (a session that began
    /// without the password, a key an administrator's reset retired) nothing can be signed.
    pub(crate) fn signer(&self, learner: &crate::learners::LearnerRow) -> Result<Signer> {
        let user_row = self.signed_in().ok().map(|u| u.row_id);
        let key = self.session_key.clone();
        if user_row.is_some() && key.is_none() {
            return Err(CoreError::Unauthenticated(
                "your signing key is not open in this session: sign out and in again with your password to sign".into(),
            ));
        }
        Ok(Signer {
            who: self.who()?,
            user_row,
            learner: (learner.row_id, learner.learner.id.clone()),
            at: now_rfc3339(),
            key,
        })
    }
}

/// Stores a signature over `content` and records it in the audit trail.
pub(crate) fn sign(
    tx: &rusqlite::Transaction<'_>,
    signer: &Signer,
    kind: SignatureKind,
    subject: &str,
    content: &Value,
) -> Result<String> {
    let text = content.to_string();
    let hash = sha256_hex(&text);
    let uuid = uuid::Uuid::now_v7().to_string();
    let statement = Signed {
        kind: kind.as_str(),
        subject,
        learner: &signer.learner.1,
        signer: &signer.who.name,
        signed_at: &signer.at,
        content_sha256: &hash,
    };
    let (key_id, key_signature) = match &signer.key {
        Some(key) => (Some(key.key_id()), Some(statement.sign_with(key))),
        None => (None, None),
    };
    tx.execute(
        "INSERT INTO signatures (uuid, kind, subject, learner_id, signer_id, signer_name, signed_at, content, content_hash,
                                 key_id, key_signature)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![uuid, kind.as_str(), subject, signer.learner.0, signer.user_row, signer.who.name, signer.at, text, hash,
                key_id, key_signature],
    )?;
    audit::append(
        tx,
        &signer.who,
        Change::new("signed", subject.to_string())
            .learner(&signer.learner.1)
            .after(match key_id {
                Some(key) => format!("{} sha256:{hash} key:{key}", kind.as_str()),
                None => format!("{} sha256:{hash}", kind.as_str()),
            }),
    )?;
    Ok(hash)
}

impl Store {
    pub(crate) fn judgement_content(
        &self,
        allowed: &Allowed,
        uuid: &str,
        origin: Option<&str>,
        signed_at: &str,
    ) -> Result<Option<Value>> {
        judgement_content(self.read(&allowed), uuid, origin, signed_at)
    }

    /// Records an assessor's judgement on one criterion for a learner, citing the evidence relied on
    /// (submitted items of that learner mapped to the criterion; at least one for "met"), and signs it.
    pub fn judge(
        &mut self,
        learner: &str,
        criterion: &CriterionRef,
        outcome: Outcome,
        comment: &str,
        evidence: &[String],
    ) -> Result<Judgement> {
        let learner = self.learner_row(learner)?;
        let allowed = self.require_portfolio(&learner, Need::Judge)?;
        let criterion = self.criterion(criterion)?;
        let comment = super::check_comment(comment)?;
        if outcome == Outcome::Met && evidence.is_empty() {
            return Err(CoreError::invalid(
                "a criterion is met on evidence: cite the items relied on",
            ));
        }
        let mut cited = Vec::new();
        for key in evidence {
            let (item, allowed) = self.evidence_for(key, Need::Read)?;
            if item.learner_row_id != learner.row_id {
                return Err(CoreError::invalid(format!(
                    "evidence {} is not {}'s",
                    item.uuid, learner.learner.name
                )));
            }
            let (version, submitted, mapped): (i64, bool, bool) = self.read(&allowed).query_row(
                "SELECT version, submitted,
                        EXISTS (SELECT 1 FROM mappings WHERE learner_id = ?2 AND criterion_id = ?3 AND evidence_id = ?1)
                 FROM evidence WHERE id = ?1",
                params![item.row_id, learner.row_id, criterion.id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            if !submitted {
                return Err(CoreError::invalid(format!(
                    "evidence {} is a draft: only submitted evidence can be relied on",
                    item.uuid
                )));
            }
            if !mapped {
                return Err(CoreError::invalid(format!(
                    "evidence {} is not mapped to {}",
                    item.uuid, criterion.reference
                )));
            }
            if !cited.iter().any(|(row, _)| *row == item.row_id) {
                cited.push((item.row_id, version));
            }
        }
        let by = self.signer(&learner)?;
        let (who, signer, at) = (&by.who, by.user_row, &by.at);
        let uuid = uuid::Uuid::now_v7().to_string();
        self.write(&allowed, |tx, audit| {
            tx.execute(
                "INSERT INTO judgements (uuid, learner_id, criterion_id, outcome, comment, assessor_id, assessor_name, judged_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![uuid, learner.row_id, criterion.id, outcome.as_str(), comment, signer, who.name, at],
            )?;
            let row = tx.last_insert_rowid();
            for (item, version) in &cited {
                tx.execute(
                    "INSERT INTO judgement_evidence (judgement_id, evidence_id, evidence_version) VALUES (?1, ?2, ?3)",
                    params![row, item, version],
                )?;
            }
            audit.record(
                Change::new("judged", format!("judgement:{uuid}"))
                    .learner(&learner.learner.id)
                    .after(format!("{} {}", criterion.reference, outcome.as_str())),
            )?;
            let content = judgement_content(tx, &uuid, None, at)?
                .ok_or_else(|| CoreError::Database("the judgement just written is missing".into()))?;
            sign(tx, &by, SignatureKind::Judgement, &format!("judgement:{uuid}"), &content)?;
            Ok(())
        })?;
        self.judgement(&uuid)
    }

    /// One judgement with its signature (for a user who may read the portfolio).
    pub fn judgement(&self, uuid: &str) -> Result<Judgement> {
        let found = judgement_row(self.look_up(), uuid)?
            .ok_or_else(|| CoreError::not_found("judgement", uuid))?;
        self.require_nameable(found.learner_row, "judgement", uuid)?;
        let (_, allowed) = self.require_learner_row(found.learner_row, Need::Read)?;
        let row = found.row;
        let mut evidence = Vec::new();
        for (item, version) in cited_rows(self.read(&allowed), row)? {
            let (id, number, title): (String, i64, String) = self.read(&allowed).query_row(
                "SELECT e.uuid, e.number, v.title FROM evidence e
                 JOIN evidence_versions v ON v.evidence_id = e.id AND v.version = ?2 WHERE e.id = ?1",
                params![item, version],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            evidence.push(CitedEvidence {
                id,
                number,
                version,
                title,
            });
        }
        let standing: bool = self.read(&allowed).query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM judgements j WHERE j.id = ?1 AND {STANDING})"),
            [row],
            |r| r.get(0),
        )?;
        let signature = self
            .signature_for(&allowed, found.learner_row, &format!("judgement:{uuid}"))?
            .ok_or_else(|| CoreError::not_found("signature", format!("judgement:{uuid}")))?;
        Ok(Judgement {
            id: uuid.to_string(),
            learner_id: found.learner,
            reference: CriterionRef::parse(&found.criterion)?,
            outcome: Outcome::parse(&found.outcome).ok_or_else(|| {
                CoreError::Database(format!("unknown outcome {:?}", found.outcome))
            })?,
            comment: found.comment,
            assessor_name: found.assessor,
            judged_at: found.judged_at,
            evidence,
            signature,
            counted: found.counted,
            standing,
        })
    }

    /// Every judgement of a learner, newest signed first (the newest counted one per criterion is the
    /// one that stands).
    pub fn judgements(&self, learner: &str) -> Result<Vec<Judgement>> {
        let learner = self.learner_row(learner)?;
        let allowed = self.require_portfolio(&learner, Need::Read)?;
        let ids: Vec<String> = self
            .read(&allowed)
            .prepare("SELECT uuid FROM judgements WHERE learner_id = ?1 ORDER BY judged_at DESC, id DESC")?
            .query_map([learner.row_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        ids.iter().map(|id| self.judgement(id)).collect()
    }

    /// The newest signature on `subject` (a judgement, an item or a unit) in one learner's portfolio,
    /// with whether it still matches. Only that learner's signatures are looked at: a signature
    /// carried in another learner's bundle can never stand for this one's record.
    pub(crate) fn signature_for(
        &self,
        allowed: &Allowed,
        learner_row: LearnerRowId,
        subject: &str,
    ) -> Result<Option<Signature>> {
        let row = self
            .read(&allowed)
            .prepare_cached(&format!(
                "SELECT {SIGNATURE_COLUMNS} FROM signatures WHERE subject = ?1 AND learner_id = ?2
                 ORDER BY not_counted_reason IS NOT NULL, signed_at DESC, id DESC LIMIT 1"
            ))?
            .query_row(params![subject, learner_row], signature::signature_from_row)
            .optional()?;
        let Some(sig) = row else { return Ok(None) };
        let mut shown = sig.signature.clone();
        shown.matches = self.signature_intact(allowed, &sig)?
            && self.signed_evidence_unchanged(allowed, &sig)?;
        Ok(Some(shown))
    }
}
