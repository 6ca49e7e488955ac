//! An item's feedback thread: its learner, tutors and assessors comment; a tutor or assessor may
//! return the item to its learner for changes (it becomes a draft again, and counts as evidence only
//! once resubmitted); the learner declares a submitted item their own work, and signs that.

use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use super::judgement::sign;
use super::signature::{evidence_at, SignatureKind};
use super::{Feedback, Signature};
use crate::audit::Change;
use crate::error::{CoreError, Result};
use crate::ids::EvidenceRowId;
use crate::ids::VersionNumber;
use crate::store::access::Need;
use crate::store::{Allowed, Store};
use crate::time::now_rfc3339;

/// The words of the learner's declaration of authenticity.
pub const DECLARATION: &str =
    "I declare that this evidence is my own work and a true account of what I did.";

/// What a declaration signs; `label` is the item's version as numbered where it was signed.
fn declaration_content(
    conn: &Connection,
    uuid: &str,
    label: VersionNumber,
    origin: Option<&str>,
    signed_at: &str,
) -> Result<Option<Value>> {
    let row: Option<(EvidenceRowId, String)> = conn
        .query_row(
            "SELECT e.id, l.uuid FROM evidence e JOIN learners l ON l.id = e.learner_id WHERE e.uuid = ?1",
            [uuid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((item, learner)) = row else {
        return Ok(None);
    };
    Ok(Some(json!({
        "kind": "declaration",
        "learner": learner,
        "statement": DECLARATION,
        "evidence": evidence_at(
            conn,
            item,
            super::signature::local_version(conn, item, origin, label)?,
            label,
            signed_at
        )?,
    })))
}

impl Store {
    pub(crate) fn declaration_content(
        &self,
        allowed: &Allowed,
        uuid: &str,
        label: VersionNumber,
        origin: Option<&str>,
        signed_at: &str,
    ) -> Result<Option<Value>> {
        declaration_content(self.read(&allowed), uuid, label, origin, signed_at)
    }

    /// Adds a comment to an item's thread; with `request_changes` (tutors and assessors) the item goes
    /// back to its learner as a draft until they submit it again.
    pub fn add_feedback(
        &mut self,
        evidence: &str,
        body: &str,
        request_changes: bool,
    ) -> Result<Feedback> {
        let need = if request_changes {
            Need::Review
        } else {
            Need::Discuss
        };
        let (item, learner, allowed) = self.evidence_to_change(evidence, need)?;
        let body = super::check_comment(body)?;
        if body.is_empty() {
            return Err(CoreError::invalid("the comment is empty"));
        }
        let who = self.who()?;
        let author = self.signed_in().ok().map(|u| u.row_id);
        let uuid = uuid::Uuid::now_v7().to_string();
        let now = now_rfc3339();
        self.write(&allowed, |tx, audit| {
            let (version, status): (i64, String) = tx.query_row(
                "SELECT version, status FROM evidence WHERE id = ?1",
                [item.row_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            tx.execute(
                "INSERT INTO feedback (uuid, evidence_id, author_id, author_name, body, on_version, requests_changes, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![uuid, item.row_id, author, who.name, body, version, request_changes, now],
            )?;
            audit.record(Change::new("feedback_added", format!("evidence:{}", item.uuid))
                    .learner(&learner.learner.id)
                    .after(format!("feedback:{uuid}")),
            )?;
            if request_changes {
                // Back to the learner: a new version, as a draft, with the same content.
                let next = version + 1;
                tx.execute(
                    "UPDATE evidence SET status = 'draft', submitted = 0, changes_requested = 1, version = ?2, updated_at = ?3 WHERE id = ?1",
                    params![item.row_id, next, now],
                )?;
                tx.execute(
                    "INSERT INTO evidence_versions (evidence_id, version, title, method, activity_date, body_md, status, saved_at,
                                                    witness_name, witness_role, witness_relationship)
                     SELECT evidence_id, ?2, title, method, activity_date, body_md, 'draft', ?3,
                            witness_name, witness_role, witness_relationship
                     FROM evidence_versions WHERE evidence_id = ?1 AND version = ?4",
                    params![item.row_id, next, now, version],
                )?;
                audit.record(Change::new("changes_requested", format!("evidence:{}", item.uuid))
                        .learner(&learner.learner.id)
                        .before(format!("v{version} {status}"))
                        .after(format!("v{next} draft")),
                )?;
            }
            Ok(())
        })?;
        self.feedback(&item.uuid)?
            .into_iter()
            .last()
            .ok_or_else(|| CoreError::Database("feedback just written is missing".into()))
    }

    /// An item's feedback thread, oldest first.
    pub fn feedback(&self, evidence: &str) -> Result<Vec<Feedback>> {
        let (item, allowed) = self.evidence_for(evidence, Need::Read)?;
        let mut stmt = self.read(&allowed).prepare(
            "SELECT f.uuid, u.uuid, f.author_name, f.body, f.on_version, f.requests_changes, f.created_at
             FROM feedback f LEFT JOIN users u ON u.id = f.author_id WHERE f.evidence_id = ?1 ORDER BY f.id",
        )?;
        let rows = stmt.query_map([item.row_id], |r| {
            Ok(Feedback {
                id: r.get(0)?,
                evidence_id: item.uuid.clone(),
                author_id: r.get(1)?,
                author_name: r.get(2)?,
                body: r.get(3)?,
                on_version: r.get(4)?,
                requests_changes: r.get(5)?,
                created_at: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The learner declares a submitted item their own work, signing it as it now stands.
    pub fn declare(&mut self, evidence: &str) -> Result<Signature> {
        let (item, learner, allowed) = self.evidence_to_change(evidence, Need::ChangeEvidence)?;
        let (version, submitted): (VersionNumber, bool) = self.read(&allowed).query_row(
            "SELECT version, submitted FROM evidence WHERE id = ?1",
            [item.row_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if !submitted {
            return Err(CoreError::invalid(
                "submit the item before declaring it your own work",
            ));
        }
        let by = self.signer(&learner)?;
        let subject = format!("evidence:{}", item.uuid);
        self.write(&allowed, |tx, _| {
            let content = declaration_content(tx, &item.uuid, version, None, &by.at)?
                .ok_or_else(|| CoreError::not_found("evidence", item.uuid.clone()))?;
            sign(tx, &by, SignatureKind::Declaration, &subject, &content)
        })?;
        self.signature_for(&allowed, item.learner_row_id, &subject)?
            .ok_or_else(|| CoreError::Database("the declaration just signed is missing".into()))
    }

    /// The learner's newest declaration on an item, if any.
    pub fn declaration(&self, evidence: &str) -> Result<Option<Signature>> {
        let (item, allowed) = self.evidence_for(evidence, Need::Read)?;
        self.signature_for(
            &allowed,
            item.learner_row_id,
            &format!("evidence:{}", item.uuid),
        )
    }
}
