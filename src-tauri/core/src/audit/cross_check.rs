//! What the hash chain alone cannot see. Someone holding the database file can rewrite the chain and
//! hash it again, wipe it, or change a record and leave its entry alone. So `audit verify` also checks:
//! - every entry's signature against its author's key, and that an author with a key signed every
//!   entry they made from the moment they had it (a rechained trail cannot be signed again without
//!   every author's password);
//! - that a trail emptied over existing records is reported, not read as "nothing happened";
//! - records and entries both ways: each judgement, signature, evidence item and account made by this
//!   version has the entry that made it (a signature's with its content hash), and each entry that
//!   made one still finds it;
//! - each item's live row against the saved version it claims to be, which is what signatures sign.

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension};

use super::problem::AuditProblem;
use super::AuditEntry;
use crate::error::Result;

/// Where this version began signing (see migration 0008's `audit_signing`).
pub(super) struct SigningStart {
    from_seq: i64,
    judgements_from: i64,
    signatures_from: i64,
    evidence_from: i64,
    users_from: i64,
}

pub(super) fn signing_start(conn: &Connection) -> Result<Option<SigningStart>> {
    Ok(conn
        .query_row(
            "SELECT from_seq, judgements_from, signatures_from, evidence_from, users_from
             FROM audit_signing WHERE id = 1",
            [],
            |r| {
                Ok(SigningStart {
                    from_seq: r.get(0)?,
                    judgements_from: r.get(1)?,
                    signatures_from: r.get(2)?,
                    evidence_from: r.get(3)?,
                    users_from: r.get(4)?,
                })
            },
        )
        .optional()?)
}

/// Every check of this module, over the entries of this installation's trail (in order).
pub(super) fn problems(conn: &Connection, entries: &[AuditEntry]) -> Result<Vec<AuditProblem>> {
    let Some(start) = signing_start(conn)? else {
        return Ok(vec![AuditProblem::new(
            "audit_signing",
            "missing",
            "the record of where signed entries begin was deleted: the trail cannot be trusted"
                .into(),
        )]);
    };
    let mut found = wiped(conn, entries)?;
    found.extend(super::entry_signatures::problems(
        conn,
        entries,
        start.from_seq,
    )?);
    found.extend(records_and_entries(conn, entries, &start)?);
    found.extend(live_items(conn)?);
    Ok(found)
}

/// An empty trail over records: the entries and the head were deleted.
fn wiped(conn: &Connection, entries: &[AuditEntry]) -> Result<Vec<AuditProblem>> {
    if !entries.is_empty() {
        return Ok(Vec::new());
    }
    let records: i64 = conn.query_row(
        "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM evidence)
              + (SELECT COUNT(*) FROM judgements) + (SELECT COUNT(*) FROM signatures)
              + (SELECT COUNT(*) FROM frameworks)",
        [],
        |r| r.get(0),
    )?;
    Ok(match records {
        0 => Vec::new(),
        n => vec![AuditProblem::new(
            1,
            "missing",
            format!("the audit trail is empty but the portfolio holds {n} records: its entries were deleted"),
        )],
    })
}

/// Records made from `start` on without their entry, and entries whose record is gone.
fn records_and_entries(
    conn: &Connection,
    entries: &[AuditEntry],
    start: &SigningStart,
) -> Result<Vec<AuditProblem>> {
    let mut made: HashSet<(&str, &str)> = HashSet::new();
    for e in entries {
        made.insert((e.action.as_str(), e.subject.as_str()));
    }
    let has =
        |actions: &[&str], subject: &str| actions.iter().any(|a| made.contains(&(*a, subject)));
    let mut problems = Vec::new();
    let mut missing_entry = |what: String| {
        problems.push(AuditProblem::new(
            what.clone(),
            "unrecorded",
            format!("{what} has no audit entry that made it: it was added outside the app"),
        ))
    };
    for (uuid,) in rows::<(String,)>(
        conn,
        "SELECT uuid FROM judgements WHERE id >= ?1",
        start.judgements_from,
    )? {
        let subject = format!("judgement:{uuid}");
        if !has(&["judged", "judgement_imported"], &subject) {
            missing_entry(format!("judgement {uuid}"));
        }
    }
    for (uuid, subject, hash) in rows::<(String, String, String)>(
        conn,
        "SELECT uuid, subject, content_hash FROM signatures WHERE id >= ?1",
        start.signatures_from,
    )? {
        let signed_here = entries.iter().any(|e| {
            e.action == "signed"
                && e.subject == subject
                && e.after
                    .as_deref()
                    .is_some_and(|a| a.contains(&format!("sha256:{hash}")))
        });
        if !signed_here && !has(&["signature_imported"], &format!("signature:{uuid}")) {
            missing_entry(format!("signature {uuid}"));
        }
    }
    for (uuid,) in rows::<(String,)>(
        conn,
        "SELECT uuid FROM evidence WHERE id >= ?1",
        start.evidence_from,
    )? {
        if !has(&["evidence_added", "imported"], &format!("evidence:{uuid}")) {
            missing_entry(format!("evidence item {uuid}"));
        }
    }
    for (uuid,) in rows::<(String,)>(
        conn,
        "SELECT uuid FROM users WHERE id >= ?1",
        start.users_from,
    )? {
        if !has(&["user_added"], &format!("user:{uuid}")) {
            missing_entry(format!("account {uuid}"));
        }
    }
    problems.extend(entries_without_records(conn, entries)?);
    Ok(problems)
}

/// Entries that made a record which is no longer there (nothing in the app deletes these records).
fn entries_without_records(conn: &Connection, entries: &[AuditEntry]) -> Result<Vec<AuditProblem>> {
    let set = |sql: &str| -> Result<HashSet<String>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let judgements = set("SELECT 'judgement:' || uuid FROM judgements")?;
    let signed = set("SELECT subject || ' sha256:' || content_hash FROM signatures")?;
    let items = set("SELECT 'evidence:' || uuid FROM evidence")?;
    let users = set("SELECT 'user:' || uuid FROM users")?;
    let mut problems = Vec::new();
    for e in entries {
        let gone = match e.action.as_str() {
            "judged" => !judgements.contains(&e.subject),
            "evidence_added" => !items.contains(&e.subject),
            "user_added" => !users.contains(&e.subject),
            "signed" => e
                .after
                .as_deref()
                .and_then(|a| a.split(' ').find(|w| w.starts_with("sha256:")))
                .is_some_and(|hash| !signed.contains(&format!("{} {hash}", e.subject))),
            _ => false,
        };
        if gone {
            problems.push(AuditProblem::new(
                e.seq,
                "deleted",
                format!(
                    "the record entry {} made ({}, {}) is gone: it was deleted outside the app",
                    e.seq, e.action, e.subject
                ),
            ));
        }
    }
    Ok(problems)
}

/// Each item's live row must be the saved version it names: what `show` prints is what was signed.
fn live_items(conn: &Connection) -> Result<Vec<AuditProblem>> {
    let mut stmt = conn.prepare(
        "SELECT e.number, e.uuid FROM evidence e
         LEFT JOIN evidence_versions v ON v.evidence_id = e.id AND v.version = e.version
         WHERE v.evidence_id IS NULL
            OR e.version <> (SELECT MAX(version) FROM evidence_versions WHERE evidence_id = e.id)
            OR v.title IS NOT e.title OR v.method IS NOT e.method
            OR v.activity_date IS NOT e.activity_date OR v.body_md IS NOT e.body_md
            OR v.status IS NOT e.status OR v.witness_name IS NOT e.witness_name
            OR v.witness_role IS NOT e.witness_role
            OR v.witness_relationship IS NOT e.witness_relationship",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    let mut problems = Vec::new();
    for row in rows {
        let (number, uuid) = row?;
        problems.push(AuditProblem::new(
            format!("evidence {uuid}"),
            "altered",
            format!("item E{number} as shown differs from its saved version: it was changed outside the app"),
        ));
    }
    Ok(problems)
}

/// The rows of `sql` (one `?1` parameter), as tuples.
fn rows<T: FromRow>(conn: &Connection, sql: &str, from: i64) -> Result<Vec<T>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([from], T::from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

trait FromRow: Sized {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

impl FromRow for (String,) {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok((row.get(0)?,))
    }
}

impl FromRow for (String, String, String) {
    fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    }
}
