//! Adding, editing, reading and listing evidence items. Every edit that changes something saves a new
//! version; nothing is overwritten without a trace.

use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use super::witness::{self, Witness};
use super::{
    markdown, Evidence, EvidenceEdit, EvidenceFilter, EvidenceSummary, EvidenceVersion, Method,
    Status,
};
use crate::audit::Change;
use crate::error::{CoreError, Result};
use crate::ids::EvidenceRowId;
use crate::ids::VersionNumber;
use crate::refs::CriterionRef;
use crate::store::access::Need;
use crate::store::Store;
use crate::time::{now_rfc3339, parse_date, today};

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest body, in characters (about a 300-page account).
pub const MAX_BODY_CHARS: usize = 1_000_000;

/// What a learner enters for a new item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewEvidence {
    pub learner: String,
    pub title: String,
    pub method: Method,
    pub activity_date: NaiveDate,
    pub body_markdown: String,
    pub status: Status,
    /// Witness testimony and expert witness only; empty for other methods.
    pub witness: Witness,
}

pub(crate) fn check_title(title: &str) -> Result<String> {
    crate::input::single_line("evidence title", title, MAX_TITLE_CHARS)
        .map_err(|e| e.in_field("title"))
}

fn check_body(body: &str) -> Result<()> {
    check_body_text(body).map_err(|e| e.in_field("body_markdown"))
}

fn check_body_text(body: &str) -> Result<()> {
    crate::input::multi_line("evidence body", body, MAX_BODY_CHARS)
}

fn check_activity_date(date: NaiveDate) -> Result<String> {
    check_date(date).map_err(|e| e.in_field("activity_date"))
}

fn check_date(date: NaiveDate) -> Result<String> {
    if date > today() {
        return Err(CoreError::invalid(format!(
            "activity date {date} is in the future"
        )));
    }
    if date < NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or(NaiveDate::MIN) {
        return Err(CoreError::invalid(format!(
            "activity date {date} is before 1950"
        )));
    }
    Ok(date.format("%Y-%m-%d").to_string())
}

fn stored<T>(parsed: Option<T>, value: &str) -> rusqlite::Result<T> {
    parsed.ok_or_else(|| {
        rusqlite::Error::InvalidColumnType(0, value.to_string(), rusqlite::types::Type::Text)
    })
}

fn version_from_row(row: &Row<'_>) -> rusqlite::Result<EvidenceVersion> {
    let method: String = row.get(2)?;
    let status: String = row.get(4)?;
    Ok(EvidenceVersion {
        version: row.get(0)?,
        title: row.get(1)?,
        method: stored(Method::parse(&method), &method)?,
        activity_date: row.get(3)?,
        status: stored(Status::parse(&status), &status)?,
        body_markdown: row.get(5)?,
        saved_at: row.get(6)?,
        witness: Witness {
            name: row.get(7)?,
            role: row.get(8)?,
            relationship: row.get(9)?,
        },
    })
}

/// Saves one version of an item, as it now stands.
fn insert_version(
    tx: &rusqlite::Transaction<'_>,
    evidence_row: EvidenceRowId,
    v: &EvidenceVersion,
) -> Result<()> {
    tx.execute(
        "INSERT INTO evidence_versions (evidence_id, version, title, method, activity_date, body_md, status,
                                        saved_at, witness_name, witness_role, witness_relationship)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![evidence_row, v.version, v.title, v.method.as_str(), v.activity_date, v.body_markdown,
                v.status.as_str(), v.saved_at, v.witness.name, v.witness.role, v.witness.relationship],
    )?;
    Ok(())
}

impl Store {
    /// Records a new evidence item; returns it as stored.
    pub fn add_evidence(&mut self, new: &NewEvidence) -> Result<Evidence> {
        let learner = self.learner_row(&new.learner)?;
        let allowed = self.require_portfolio(&learner, Need::ChangeEvidence)?;
        let title = check_title(&new.title)?;
        check_body(&new.body_markdown)?;
        let date = check_activity_date(new.activity_date)?;
        let witness = witness::for_new(new.method, &new.witness)?;
        let uuid = uuid::Uuid::now_v7().to_string();
        let now = now_rfc3339();
        self.write(&allowed, |tx, audit| {
            let number: i64 = tx.query_row(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM evidence WHERE learner_id = ?1",
                [learner.row_id],
                |row| row.get(0),
            )?;
            tx.execute(
                "INSERT INTO evidence (uuid, learner_id, number, title, method, activity_date, recorded_at,
                                       updated_at, body_md, status, version, submitted, activity_day,
                                       witness_name, witness_role, witness_relationship)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, ?8, ?9, 1, ?9 = 'submitted', unixepoch(?6) / 86400,
                         ?10, ?11, ?12)",
                params![uuid, learner.row_id, number, title, new.method.as_str(), date, now,
                        new.body_markdown, new.status.as_str(), witness.name, witness.role,
                        witness.relationship],
            )?;
            let first = EvidenceVersion {
                version: VersionNumber::FIRST,
                title: title.clone(),
                method: new.method,
                activity_date: date.clone(),
                status: new.status,
                witness: witness.clone(),
                body_markdown: new.body_markdown.clone(),
                saved_at: now.clone(),
            };
            insert_version(tx, EvidenceRowId::new(tx.last_insert_rowid()), &first)?;
            audit.record(
                Change::new("evidence_added", format!("evidence:{uuid}"))
                    .learner(&learner.learner.id)
                    .after(format!("E{number} v1 {}", new.status.as_str())),
            )
        })?;
        self.evidence(&uuid)
    }

    /// Applies an edit; saves a new version only when something changed.
    pub fn edit_evidence(&mut self, key: &str, edit: &EvidenceEdit) -> Result<Evidence> {
        let (evidence, learner, allowed) = self.evidence_to_change(key, Need::ChangeEvidence)?;
        let current = self.evidence(&evidence.uuid)?;
        let title = match &edit.title {
            Some(t) => check_title(t)?,
            None => current.title.clone(),
        };
        let body = edit
            .body_markdown
            .clone()
            .unwrap_or_else(|| current.body_markdown.clone());
        check_body(&body)?;
        let date = match edit.activity_date {
            Some(d) => check_activity_date(d)?,
            None => current.activity_date.clone(),
        };
        let method = edit.method.unwrap_or(current.method);
        let status = edit.status.unwrap_or(current.status);
        let witness = witness::after_edit(method, &current.witness, edit)?;
        let unchanged = title == current.title
            && body == current.body_markdown
            && date == current.activity_date
            && method == current.method
            && status == current.status
            && witness == current.witness;
        if unchanged {
            return Ok(current);
        }
        let version = current.version.next();
        let now = now_rfc3339();
        self.write(&allowed, |tx, audit| {
            let changed = tx.execute(
                "UPDATE evidence SET title = ?2, method = ?3, activity_date = ?4, body_md = ?5, status = ?6,
                                     version = ?7, updated_at = ?8,
                                     submitted = ?6 = 'submitted', activity_day = unixepoch(?4) / 86400,
                                     changes_requested = changes_requested AND ?6 <> 'submitted',
                                     witness_name = ?10, witness_role = ?11, witness_relationship = ?12
                 WHERE id = ?1 AND version = ?9",
                params![evidence.row_id, title, method.as_str(), date, body, status.as_str(), version,
                        now, current.version, witness.name, witness.role, witness.relationship],
            )?;
            if changed != 1 {
                return Err(CoreError::Conflict(format!(
                    "evidence {} was changed elsewhere while you edited it; reload and try again",
                    current.id
                )));
            }
            let saved = EvidenceVersion {
                version,
                title: title.clone(),
                method,
                activity_date: date.clone(),
                status,
                witness: witness.clone(),
                body_markdown: body.clone(),
                saved_at: now.clone(),
            };
            insert_version(tx, evidence.row_id, &saved)?;
            audit.record(
                Change::new("evidence_edited", format!("evidence:{}", current.id))
                    .learner(&learner.learner.id)
                    .before(format!("E{} v{} {}", current.number, current.version, current.status.as_str()))
                    .after(format!("E{} v{version} {}", current.number, status.as_str())),
            )
        })?;
        self.evidence(&current.id)
    }

    /// An evidence item in full: rendered body, attachments and mappings.
    pub fn evidence(&self, key: &str) -> Result<Evidence> {
        let (found, allowed) = self.evidence_for(key, Need::Read)?;
        let (learner_id, version, recorded_at, updated_at, number): (String, EvidenceVersion, String, String, i64) =
            self.read(&allowed)
                .query_row(
                    "SELECT e.version, e.title, e.method, e.activity_date, e.status, e.body_md, e.updated_at,
                            e.witness_name, e.witness_role, e.witness_relationship,
                            l.uuid, e.recorded_at, e.number
                     FROM evidence e JOIN learners l ON l.id = e.learner_id WHERE e.id = ?1",
                    [found.row_id],
                    |row| {
                        Ok((row.get(10)?, version_from_row(row)?, row.get(11)?, row.get(6)?, row.get(12)?))
                    },
                )
                .optional()?
                .ok_or_else(|| CoreError::not_found("evidence", key))?;
        Ok(Evidence {
            id: found.uuid.clone(),
            learner_id,
            number,
            body_html: markdown::render(&version.body_markdown),
            title: version.title,
            method: version.method,
            activity_date: version.activity_date,
            recorded_at,
            updated_at,
            status: version.status,
            version: version.version,
            witness: version.witness,
            body_markdown: version.body_markdown,
            attachments: self.attachments_of(&allowed, found.row_id)?,
            mappings: self.mappings_of(&allowed, found.row_id)?,
        })
    }

    /// Every saved version of an item, oldest first.
    pub fn evidence_versions(&self, key: &str) -> Result<Vec<EvidenceVersion>> {
        let (found, allowed) = self.evidence_for(key, Need::Read)?;
        let mut stmt = self.read(&allowed).prepare(
            "SELECT version, title, method, activity_date, status, body_md, saved_at,
                    witness_name, witness_role, witness_relationship
             FROM evidence_versions WHERE evidence_id = ?1 ORDER BY version",
        )?;
        let rows = stmt.query_map([found.row_id], version_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A learner's evidence, newest activity first, narrowed by the filter.
    pub fn list_evidence(
        &self,
        learner: &str,
        filter: &EvidenceFilter,
    ) -> Result<Vec<EvidenceSummary>> {
        let learner = self.learner_row(learner)?;
        let allowed = self.require_portfolio(&learner, Need::Read)?;
        let criterion_id = match &filter.criterion {
            Some(reference) => Some(self.criterion(reference)?.id),
            None => None,
        };
        let mut stmt = self.read(&allowed).prepare(
            "SELECT e.uuid, e.number, e.title, e.method, e.activity_date, e.status, e.version,
                    (SELECT COUNT(*) FROM attachments a WHERE a.evidence_id = e.id),
                    (SELECT group_concat(f.code || ':' || c.code, char(31)) FROM mappings m
                       JOIN criteria c ON c.id = m.criterion_id JOIN frameworks f ON f.id = c.framework_id
                      WHERE m.evidence_id = e.id)
             FROM evidence e
             WHERE e.learner_id = ?1
               AND (?2 IS NULL OR e.method = ?2) AND (?3 IS NULL OR e.status = ?3)
               AND (?4 IS NULL OR e.activity_date >= ?4) AND (?5 IS NULL OR e.activity_date <= ?5)
               AND (?6 IS NULL OR EXISTS (SELECT 1 FROM mappings m WHERE m.evidence_id = e.id AND m.criterion_id = ?6))
             ORDER BY e.activity_date DESC, e.number DESC",
        )?;
        let date = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        let rows = stmt.query_map(
            params![
                learner.row_id,
                filter.method.map(Method::as_str),
                filter.status.map(Status::as_str),
                date(filter.from),
                date(filter.to),
                criterion_id
            ],
            |row| {
                let method: String = row.get(3)?;
                let status: String = row.get(5)?;
                let refs: Option<String> = row.get(8)?;
                Ok(EvidenceSummary {
                    id: row.get(0)?,
                    number: row.get(1)?,
                    title: row.get(2)?,
                    method: stored(Method::parse(&method), &method)?,
                    activity_date: row.get(4)?,
                    status: stored(Status::parse(&status), &status)?,
                    version: row.get(6)?,
                    attachments: row.get::<_, i64>(7)? as usize,
                    criteria: refs
                        .map(|r| {
                            let mut refs: Vec<CriterionRef> = r
                                .split('\u{1f}')
                                .filter_map(|r| CriterionRef::parse(r).ok())
                                .collect();
                            refs.sort();
                            refs
                        })
                        .unwrap_or_default(),
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Parses a user-given activity date.
pub fn parse_activity_date(value: &str) -> Result<NaiveDate> {
    parse_date("activity date", value)
}
