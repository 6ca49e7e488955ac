//! Checking the audit chain: every entry's hash against its fields, every link against the entry
//! before it, and the last entry against the recorded head. Problems are located by entry number.

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::problem::AuditProblem;
use super::{entry_from_row, AuditEntry, ENTRY_COLUMNS, GENESIS};
use crate::error::Result;
use crate::store::{Allowed, Store};

/// What the check found.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct AuditReport {
    /// Entries read.
    pub entries: i64,
    /// True when nothing is wrong.
    pub intact: bool,
    pub problems: Vec<AuditProblem>,
}

/// Checks a sequence of entries (in stored order) against the recorded head.
pub(crate) fn check_chain(
    entries: &[AuditEntry],
    head: Option<(i64, String)>,
) -> Vec<AuditProblem> {
    let mut problems = Vec::new();
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1;
    for entry in entries {
        if entry.expected_hash() != entry.hash {
            problems.push(AuditProblem::new(
                entry.seq,
                "altered",
                format!(
                    "entry {} does not match its hash: it was changed after it was written",
                    entry.seq
                ),
            ));
        }
        if entry.seq > expected_seq {
            let range = if entry.seq - 1 == expected_seq {
                format!("entry {expected_seq} is")
            } else {
                format!("entries {expected_seq} to {} are", entry.seq - 1)
            };
            problems.push(AuditProblem::new(
                expected_seq,
                "missing",
                format!("{range} missing before entry {}", entry.seq),
            ));
        } else if entry.prev_hash != expected_prev {
            problems.push(AuditProblem::new(
                entry.seq,
                "broken_link",
                format!(
                    "entry {} does not follow the entry before it: an entry here was replaced, moved or rewritten",
                    entry.seq
                ),
            ));
        }
        expected_prev = entry.hash.clone();
        expected_seq = entry.seq + 1;
    }
    let last = entries.last().map(|e| (e.seq, e.hash.clone()));
    match (head, last) {
        (None, None) => {}
        (Some((seq, hash)), Some((last_seq, last_hash)))
            if seq == last_seq && hash == last_hash => {}
        (Some((seq, _)), Some((last_seq, _))) if seq > last_seq => {
            problems.push(AuditProblem::new(
                last_seq + 1,
                "missing",
                format!(
                    "entries {} to {seq} are missing from the end of the log",
                    last_seq + 1
                ),
            ))
        }
        (Some((seq, _)), None) => problems.push(AuditProblem::new(
            1,
            "missing",
            format!("entries 1 to {seq} are missing: the log is empty"),
        )),
        (_, Some((last_seq, _))) => problems.push(AuditProblem::new(
            last_seq,
            "broken_link",
            format!("the log's last entry ({last_seq}) is not the one recorded as its end"),
        )),
    }
    problems
}

impl Store {
    /// The head carries its entry's signature: a head moved to another entry without it is noticed.
    fn head_signature_problems(
        &self,
        allowed: &Allowed,
        last: Option<&AuditEntry>,
    ) -> Result<Vec<AuditProblem>> {
        let head: Option<(i64, Option<String>)> = self
            .read(allowed)
            .query_row(
                "SELECT seq, signature FROM audit_head WHERE id = 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        Ok(match (head, last) {
            (Some((seq, signature)), Some(last))
                if seq == last.seq && signature != last.signature =>
            {
                vec![AuditProblem::new(
                    seq,
                    "broken_link",
                    format!("the recorded end of the log is not signed as entry {seq} is"),
                )]
            }
            _ => Vec::new(),
        })
    }

    /// Entries of other installations' trails that came with imported bundles: each must still match
    /// its own hash (their chains run through entries about other learners, which never travel).
    fn imported_entry_problems(&self, allowed: &Allowed) -> Result<Vec<AuditProblem>> {
        let mut stmt = self.read(&allowed).prepare(&format!(
            "SELECT {ENTRY_COLUMNS}, origin FROM imported_audit ORDER BY origin, seq"
        ))?;
        let rows: Vec<(String, AuditEntry)> = stmt
            .query_map([], |r| Ok((r.get(13)?, entry_from_row(r)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows
            .into_iter()
            .filter(|(_, e)| e.expected_hash() != e.hash)
            .map(|(origin, e)| {
                AuditProblem::new(
                    e.seq,
                    "imported_entry_altered",
                    format!(
                        "entry {} imported from installation {origin} no longer matches its hash: it was changed outside the app",
                        e.seq
                    ),
                )
            })
            .collect())
    }

    /// Where the trail ends now (printed in reports and bundles). Any signed-in user may read it.
    pub fn audit_head(&self) -> Result<Option<super::AuditHead>> {
        let allowed = self.acting()?;
        super::head(self.read(&allowed))
    }

    /// Checks the whole audit chain, and every signature against the records it signed. Any signed-in
    /// user may run it: the report names entry numbers, not their contents.
    pub fn verify_audit(&self) -> Result<AuditReport> {
        let allowed = self.acting()?;
        let mut stmt = self.read(&allowed).prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_log ORDER BY seq"
        ))?;
        let entries: Vec<AuditEntry> = stmt
            .query_map([], entry_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let head: Option<(i64, String)> = self
            .read(&allowed)
            .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()?;
        let mut problems = check_chain(&entries, head);
        problems.extend(self.head_signature_problems(&allowed, entries.last())?);
        problems.extend(super::cross_check::problems(self.read(&allowed), &entries)?);
        problems.extend(self.imported_entry_problems(&allowed)?);
        problems.extend(self.signature_problems(&allowed)?);
        Ok(AuditReport {
            entries: entries.len() as i64,
            intact: problems.is_empty(),
            problems,
        })
    }
}
