//! Reading one learner's whole portfolio out of the store into a [`Manifest`]: learner, frameworks
//! with their versions, enrolments, every item with every version, mappings and files, feedback,
//! judgements with the versions they cite, signatures with exactly what was signed, and this
//! installation's audit entries about the learner.

use rusqlite::{params, Connection};

use super::manifest::{
    AttachmentEntry, CertificateEntry, CitedEntry, EnrolmentEntry, FeedbackEntry, ItemEntry,
    JudgementEntry, KeySignatureEntry, LearnerEntry, Manifest, MappingEntry, RemovedMapping,
    SignatureEntry, VersionEntry, VersionLabel,
};
use crate::accounts::centre::certificates_of;
use crate::audit::{entry_from_row, ENTRY_COLUMNS};
use crate::error::{CoreError, Result};
use crate::evidence::{Method, Status, Witness};
use crate::ids::VersionNumber;
use crate::ids::{EvidenceRowId, LearnerRowId};
use crate::learners::LearnerRow;
use crate::store::{Allowed, Store};

fn stored<T>(parsed: Option<T>, what: &str, value: &str) -> Result<T> {
    parsed.ok_or_else(|| CoreError::Database(format!("stored {what} \"{value}\" is not known")))
}

pub(in crate::bundles) fn versions(
    conn: &Connection,
    item: EvidenceRowId,
) -> Result<Vec<VersionEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT version, title, method, activity_date, status, body_md, witness_name, witness_role,
                witness_relationship, saved_at
         FROM evidence_versions WHERE evidence_id = ?1 ORDER BY version",
    )?;
    let rows = stmt.query_map([item], |r| {
        Ok((
            r.get::<_, VersionNumber>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
            Witness {
                name: r.get(6)?,
                role: r.get(7)?,
                relationship: r.get(8)?,
            },
            r.get::<_, String>(9)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (version, title, method, activity_date, status, body_markdown, witness, saved_at) =
            row?;
        out.push(VersionEntry {
            version,
            title,
            method: stored(Method::parse(&method), "method", &method)?,
            activity_date,
            status: stored(Status::parse(&status), "status", &status)?,
            body_markdown,
            witness,
            saved_at,
            labels: Vec::new(),
        });
    }
    let mut labels = conn.prepare_cached(
        "SELECT version, origin, label FROM evidence_version_labels WHERE evidence_id = ?1 ORDER BY origin",
    )?;
    let rows = labels.query_map([item], |r| {
        Ok((
            r.get::<_, VersionNumber>(0)?,
            VersionLabel {
                origin: r.get(1)?,
                label: r.get(2)?,
            },
        ))
    })?;
    for row in rows {
        let (version, label) = row?;
        if let Some(v) = out.iter_mut().find(|v| v.version == version) {
            v.labels.push(label);
        }
    }
    Ok(out)
}

fn mappings(conn: &Connection, item: EvidenceRowId) -> Result<Vec<MappingEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.code || ':' || c.code, m.note, m.mapped_at, m.noted_at, CASE WHEN f.is_current THEN NULL ELSE f.version END FROM mappings m
         JOIN criteria c ON c.id = m.criterion_id JOIN frameworks f ON f.id = c.framework_id
         WHERE m.evidence_id = ?1 ORDER BY f.code, c.position",
    )?;
    let rows = stmt.query_map([item], |r| {
        Ok(MappingEntry {
            criterion: r.get(0)?,
            framework_version: r.get(4)?,
            note: r.get(1)?,
            mapped_at: r.get(2)?,
            noted_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn removed_mappings(conn: &Connection, item: EvidenceRowId) -> Result<Vec<RemovedMapping>> {
    let mut stmt = conn.prepare_cached(
        "SELECT f.code || ':' || c.code, r.mapped_at, r.removed_at, CASE WHEN f.is_current THEN NULL ELSE f.version END FROM mapping_removals r
         JOIN criteria c ON c.id = r.criterion_id JOIN frameworks f ON f.id = c.framework_id
         WHERE r.evidence_id = ?1 ORDER BY f.code, c.position, r.mapped_at",
    )?;
    let rows = stmt.query_map([item], |r| {
        Ok(RemovedMapping {
            criterion: r.get(0)?,
            framework_version: r.get(3)?,
            mapped_at: r.get(1)?,
            removed_at: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn attachments(conn: &Connection, item: EvidenceRowId) -> Result<Vec<AttachmentEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT sha256, file_name, media_type, size, added_at FROM attachments
         WHERE evidence_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([item], |r| {
        Ok(AttachmentEntry {
            sha256: r.get(0)?,
            file_name: r.get(1)?,
            media_type: r.get(2)?,
            size: r.get::<_, i64>(3)? as u64,
            added_at: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every item of the learner with its history, telling `progress` (items done, items) as it goes.
fn items(
    conn: &Connection,
    learner: LearnerRowId,
    progress: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<Vec<ItemEntry>> {
    let mut stmt = conn.prepare(
        "SELECT id, uuid, number, recorded_at, changes_requested FROM evidence
         WHERE learner_id = ?1 ORDER BY number",
    )?;
    let rows: Vec<(EvidenceRowId, String, i64, String, bool)> = stmt
        .query_map([learner], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let total = rows.len();
    rows.into_iter()
        .enumerate()
        .map(
            |(done, (row, id, number, recorded_at, changes_requested))| {
                progress(done, total)?;
                Ok(ItemEntry {
                    id,
                    number,
                    recorded_at,
                    changes_requested,
                    versions: versions(conn, row)?,
                    mappings: mappings(conn, row)?,
                    removed_mappings: removed_mappings(conn, row)?,
                    attachments: attachments(conn, row)?,
                })
            },
        )
        .collect()
}

fn feedback(conn: &Connection, learner: LearnerRowId) -> Result<Vec<FeedbackEntry>> {
    let mut stmt = conn.prepare(
        "SELECT f.uuid, e.uuid, f.author_name, f.body, f.on_version, f.requests_changes, f.created_at
         FROM feedback f JOIN evidence e ON e.id = f.evidence_id WHERE e.learner_id = ?1 ORDER BY f.id",
    )?;
    let rows = stmt.query_map([learner], |r| {
        Ok(FeedbackEntry {
            id: r.get(0)?,
            evidence: r.get(1)?,
            author_name: r.get(2)?,
            body: r.get(3)?,
            on_version: r.get(4)?,
            requests_changes: r.get(5)?,
            created_at: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn judgements(conn: &Connection, learner: LearnerRowId) -> Result<Vec<JudgementEntry>> {
    let mut stmt = conn.prepare(
        "SELECT j.id, j.uuid, f.code || ':' || c.code, j.outcome, j.comment, j.assessor_name, j.judged_at,
                CASE WHEN f.is_current THEN NULL ELSE f.version END
         FROM judgements j JOIN criteria c ON c.id = j.criterion_id JOIN frameworks f ON f.id = c.framework_id
         WHERE j.learner_id = ?1 ORDER BY j.id",
    )?;
    let rows: Vec<(i64, JudgementEntry)> = stmt
        .query_map([learner], |r| {
            Ok((
                r.get(0)?,
                JudgementEntry {
                    id: r.get(1)?,
                    criterion: r.get(2)?,
                    framework_version: r.get(7)?,
                    outcome: r.get(3)?,
                    comment: r.get(4)?,
                    assessor_name: r.get(5)?,
                    judged_at: r.get(6)?,
                    cited: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut cited = conn.prepare_cached(
        "SELECT e.uuid, je.evidence_version FROM judgement_evidence je
         JOIN evidence e ON e.id = je.evidence_id WHERE je.judgement_id = ?1 ORDER BY e.number",
    )?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, mut judgement) in rows {
        judgement.cited = cited
            .query_map([row], |r| {
                Ok(CitedEntry {
                    evidence: r.get(0)?,
                    version: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        out.push(judgement);
    }
    Ok(out)
}

fn signatures(conn: &Connection, learner: LearnerRowId, here: &str) -> Result<Vec<SignatureEntry>> {
    let mut stmt = conn.prepare(
        "SELECT s.uuid, s.kind, s.subject, s.signer_name, s.signed_at, s.content, s.content_hash, s.origin,
                s.key_id, k.public_key, s.key_signature
         FROM signatures s LEFT JOIN signing_keys k ON k.key_id = s.key_id
         WHERE s.learner_id = ?1 ORDER BY s.id",
    )?;
    let rows = stmt.query_map([learner], |r| {
        Ok(SignatureEntry {
            id: r.get(0)?,
            kind: r.get(1)?,
            subject: r.get(2)?,
            signer_name: r.get(3)?,
            signed_at: r.get(4)?,
            content: r.get(5)?,
            content_hash: r.get(6)?,
            origin: r
                .get::<_, Option<String>>(7)?
                .unwrap_or_else(|| here.to_string()),
            key: match (
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<Vec<u8>>>(9)?,
                r.get::<_, Option<String>>(10)?,
            ) {
                (Some(key_id), Some(public), Some(signature)) => Some(KeySignatureEntry {
                    key_id,
                    public_key: hex::encode(public),
                    signature,
                    certificates: Vec::new(),
                }),
                _ => None,
            },
        })
    })?;
    let mut out: Vec<SignatureEntry> = rows.collect::<rusqlite::Result<_>>()?;
    for key in out.iter_mut().filter_map(|s| s.key.as_mut()) {
        key.certificates = certificates_of(conn, &key.key_id)?
            .into_iter()
            .map(|(c, public, centre_name)| CertificateEntry {
                centre_key_id: c.centre_key_id,
                centre_public_key: hex::encode(public),
                centre_name,
                name: c.name,
                roles: c.roles,
                issued_at: c.issued_at,
                expires_at: c.expires_at,
                signature: c.signature,
            })
            .collect();
    }
    Ok(out)
}

impl Store {
    /// This installation's id (made by migration 0005).
    pub(crate) fn installation_id(&self) -> Result<String> {
        self.setting("installation_id")?
            .ok_or_else(|| CoreError::Database("this installation has no id".into()))
    }

    /// The learner's whole portfolio as a manifest (without `files`, which the writer fills in),
    /// telling `progress` (items read, items) as it goes; an `Err` from it stops the reading.
    pub(crate) fn gather(
        &self,
        allowed: &Allowed,
        learner: &LearnerRow,
        kind: super::BundleKind,
        progress: &mut dyn FnMut(usize, usize) -> Result<()>,
    ) -> Result<Manifest> {
        let conn = self.read(&allowed);
        let row = learner.row_id;
        let target_date: Option<String> = conn.query_row(
            "SELECT target_date FROM learners WHERE id = ?1",
            [row],
            |r| r.get(0),
        )?;
        let enrolments = self.enrolments(&learner.learner.id)?;
        // Earlier versions first, so that a computer loading them from the bundle loads them in order.
        let mut frameworks = super::frameworks::earlier_versions_used(conn, row)?;
        let mut fw = conn.prepare_cached(
            "SELECT code, version, title, verified, content_hash FROM frameworks
             WHERE code = ?1 AND is_current = 1",
        )?;
        for e in &enrolments {
            frameworks
                .push(fw.query_row(params![e.framework], super::frameworks::framework_entry)?);
        }
        let mut audit = conn.prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log WHERE learner_uuid = ?1 ORDER BY seq"
        ))?;
        let audit = audit
            .query_map([&learner.learner.id], entry_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Manifest {
            format: super::manifest::FORMAT_ID.to_string(),
            format_version: super::manifest::FORMAT_VERSION,
            kind,
            created_at: crate::time::now_rfc3339(),
            created_by: self.who()?.name,
            origin: self.installation_id()?,
            app_version: env!("CARGO_PKG_VERSION").to_string(),
            learner: LearnerEntry {
                id: learner.learner.id.clone(),
                name: learner.learner.name.clone(),
                email: learner.learner.email.clone(),
                created_at: learner.learner.created_at.clone(),
                target_date,
            },
            frameworks,
            enrolments: enrolments
                .into_iter()
                .map(|e| EnrolmentEntry {
                    framework: e.framework,
                    units: e.units,
                    enrolled_at: e.enrolled_at,
                })
                .collect(),
            evidence: items(conn, row, progress)?,
            feedback: feedback(conn, row)?,
            judgements: judgements(conn, row)?,
            signatures: signatures(conn, row, &self.installation_id()?)?,
            audit,
            audit_head: crate::audit::head(conn)?,
            files: Vec::new(),
        })
    }
}
