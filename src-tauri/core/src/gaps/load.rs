//! Reading what the gap engine needs from the store, in a handful of range scans: the criteria of a
//! learner's enrolments (current framework versions, chosen units only), their evidence, and their
//! mappings.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::engine::EvidenceFacts;
use crate::error::Result;
use crate::evidence::{Method, Status};
use crate::frameworks::{CriterionKind, GroupKind};
use crate::learners::Enrolment;
use crate::refs::CriterionRef;

/// A framework version in a learner's scope.
#[derive(Debug, Clone)]
pub(crate) struct ScopeFramework {
    pub code: String,
    pub version: String,
    pub title: String,
    pub verified: bool,
    pub units: Vec<String>,
}

/// A group of the tree, with the index of its parent in the same list.
#[derive(Debug, Clone)]
pub(crate) struct ScopeGroup {
    pub framework: usize,
    pub code: String,
    pub title: String,
    pub kind: GroupKind,
    pub parent: Option<usize>,
    pub depth: usize,
}

/// A criterion in scope, with its ancestors (root first) as indexes into the group list.
#[derive(Debug, Clone)]
pub(crate) struct ScopeCriterion {
    pub row_id: i64,
    pub framework: usize,
    pub reference: CriterionRef,
    pub kind: CriterionKind,
    pub text: String,
    pub ancestors: Vec<usize>,
}

/// Everything a learner is assessed against.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    pub frameworks: Vec<ScopeFramework>,
    pub groups: Vec<ScopeGroup>,
    pub criteria: Vec<ScopeCriterion>,
}

impl Scope {
    /// Loads the criteria of the given enrolments, in framework and document order.
    pub fn load(conn: &Connection, enrolments: &[Enrolment]) -> Result<Scope> {
        let mut scope = Scope::default();
        let mut framework_stmt = conn.prepare_cached(
            "SELECT id, version, title, verified FROM frameworks WHERE code = ?1 AND is_current = 1",
        )?;
        let mut group_stmt = conn.prepare_cached(
            "SELECT id, parent_id, code, title, kind FROM framework_groups WHERE framework_id = ?1 ORDER BY position",
        )?;
        let mut criteria_stmt = conn.prepare_cached(
            "SELECT id, group_id, code, kind, text FROM criteria WHERE framework_id = ?1 ORDER BY position",
        )?;
        for enrolment in enrolments {
            let mut rows = framework_stmt.query([&enrolment.framework])?;
            let Some(row) = rows.next()? else { continue };
            let framework_id: i64 = row.get(0)?;
            let framework = scope.frameworks.len();
            scope.frameworks.push(ScopeFramework {
                code: enrolment.framework.clone(),
                version: row.get(1)?,
                title: row.get(2)?,
                verified: row.get(3)?,
                units: enrolment.units.clone(),
            });
            drop(rows);

            let first_group = scope.groups.len();
            let mut by_row: HashMap<i64, usize> = HashMap::new();
            let mut parents: Vec<Option<i64>> = Vec::new();
            let mut rows = group_stmt.query([framework_id])?;
            while let Some(row) = rows.next()? {
                by_row.insert(row.get(0)?, scope.groups.len());
                parents.push(row.get(1)?);
                scope.groups.push(ScopeGroup {
                    framework,
                    code: row.get(2)?,
                    title: row.get(3)?,
                    kind: GroupKind::parse(text(row, 4)?).unwrap_or(GroupKind::Section),
                    parent: None,
                    depth: 0,
                });
            }
            for (offset, parent) in parents.iter().enumerate() {
                scope.groups[first_group + offset].parent =
                    parent.and_then(|p| by_row.get(&p).copied());
            }
            // Parents may follow children in position order; resolve depth by walking up.
            for index in first_group..scope.groups.len() {
                scope.groups[index].depth = scope.ancestors_of(index).len() - 1;
            }

            let mut rows = criteria_stmt.query([framework_id])?;
            while let Some(row) = rows.next()? {
                let group: Option<i64> = row.get(1)?;
                let ancestors = group
                    .and_then(|g| by_row.get(&g).copied())
                    .map(|g| scope.ancestors_of(g))
                    .unwrap_or_default();
                let chosen = enrolment.units.is_empty()
                    || ancestors
                        .iter()
                        .any(|&g| enrolment.units.contains(&scope.groups[g].code));
                if !chosen {
                    continue;
                }
                scope.criteria.push(ScopeCriterion {
                    row_id: row.get(0)?,
                    framework,
                    reference: CriterionRef::new(&enrolment.framework, text(row, 2)?),
                    kind: CriterionKind::parse(text(row, 3)?)
                        .unwrap_or(CriterionKind::AssessmentCriterion),
                    text: row.get(4)?,
                    ancestors,
                });
            }
        }
        Ok(scope)
    }

    /// The group and its ancestors, root first.
    fn ancestors_of(&self, group: usize) -> Vec<usize> {
        let mut chain = vec![group];
        let mut at = self.groups[group].parent;
        while let Some(parent) = at {
            if chain.contains(&parent) {
                break;
            }
            chain.push(parent);
            at = self.groups[parent].parent;
        }
        chain.reverse();
        chain
    }

    /// Criterion row id → index in `criteria`.
    pub fn criterion_index(&self) -> RowIndex {
        let ids: Vec<i64> = self.criteria.iter().map(|c| c.row_id).collect();
        RowIndex::new(&ids)
    }
}

/// Marks an empty slot of a [`RowIndex`].
const EMPTY: u32 = u32::MAX;

/// Row id → position in a list. A table indexed by row id when the ids are close together (SQLite's
/// usual case: one array read per lookup, no hashing), else a map.
pub(crate) enum RowIndex {
    Dense { first: i64, slots: Vec<u32> },
    Sparse(HashMap<i64, u32>),
}

impl RowIndex {
    /// Indexes `ids`: the position of each is its index in the slice.
    pub fn new(ids: &[i64]) -> RowIndex {
        let (Some(&first), Some(&last)) = (ids.iter().min(), ids.iter().max()) else {
            return RowIndex::Sparse(HashMap::new());
        };
        let span = usize::try_from(last.abs_diff(first)).unwrap_or(usize::MAX);
        if span > ids.len().saturating_mul(4).saturating_add(1024) {
            return RowIndex::Sparse(ids.iter().copied().zip(0u32..).collect());
        }
        let mut slots = vec![EMPTY; span + 1];
        for (&id, position) in ids.iter().zip(0u32..) {
            slots[(id - first) as usize] = position;
        }
        RowIndex::Dense { first, slots }
    }

    pub fn get(&self, id: i64) -> Option<u32> {
        match self {
            RowIndex::Dense { first, slots } => {
                let offset = usize::try_from(id.checked_sub(*first)?).ok()?;
                slots.get(offset).copied().filter(|&s| s != EMPTY)
            }
            RowIndex::Sparse(map) => map.get(&id).copied(),
        }
    }
}

/// The engine's facts about an item from its stored status and activity date, as bytes. One learner's
/// report and the cohort's both read items through this, so they see every item alike; a value that
/// cannot be read counts as draft, or as dated at the beginning of time.
pub(crate) fn facts_from(status: &[u8], date: &[u8]) -> EvidenceFacts {
    let status = match status {
        b"submitted" => Status::Submitted,
        b"draft" => Status::Draft,
        other => std::str::from_utf8(other)
            .ok()
            .and_then(Status::parse)
            .unwrap_or(Status::Draft),
    };
    EvidenceFacts {
        status,
        activity_date: parse_day(date).unwrap_or(NaiveDate::MIN),
    }
}

/// Parses a stored `YYYY-MM-DD` date without chrono's format machinery (this runs once per evidence
/// item); anything else goes to chrono's parser, so the result is the same either way.
fn parse_day(b: &[u8]) -> Option<NaiveDate> {
    let number = |from: usize, to: usize| {
        b[from..to].iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(y), Some(m), Some(d)) = (number(0, 4), number(5, 7), number(8, 10)) {
            return NaiveDate::from_ymd_opt(y as i32, m, d);
        }
    }
    let text = std::str::from_utf8(b).ok()?;
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// A text column's bytes, borrowed from the row.
pub(crate) fn bytes<'r>(row: &'r rusqlite::Row<'_>, column: usize) -> rusqlite::Result<&'r [u8]> {
    row.get_ref(column)?
        .as_bytes()
        .map_err(rusqlite::Error::from)
}

/// A text column borrowed from the row, without copying it into a `String`.
pub(crate) fn text<'r>(row: &'r rusqlite::Row<'_>, column: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(column)?.as_str().map_err(rusqlite::Error::from)
}

/// One evidence item as the coverage report lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EvidenceRef {
    pub id: String,
    pub number: i64,
    pub title: String,
    pub method: Method,
    pub status: Status,
    pub activity_date: String,
}

/// A learner's evidence: display facts, engine facts, and row id → index.
pub(crate) struct LearnerEvidence {
    pub items: Vec<EvidenceRef>,
    pub facts: Vec<EvidenceFacts>,
    pub index: RowIndex,
}

pub(crate) fn load_evidence(conn: &Connection, learner_row_id: i64) -> Result<LearnerEvidence> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, uuid, number, title, method, status, activity_date FROM evidence
         WHERE learner_id = ?1 ORDER BY number",
    )?;
    let (mut ids, mut items, mut facts) = (Vec::new(), Vec::new(), Vec::new());
    let mut rows = stmt.query([learner_row_id])?;
    while let Some(row) = rows.next()? {
        let date = text(row, 6)?;
        let item = facts_from(bytes(row, 5)?, date.as_bytes());
        ids.push(row.get(0)?);
        facts.push(item);
        items.push(EvidenceRef {
            id: row.get(1)?,
            number: row.get(2)?,
            title: row.get(3)?,
            method: Method::parse(text(row, 4)?).unwrap_or(Method::Other),
            status: item.status,
            activity_date: date.to_string(),
        });
    }
    Ok(LearnerEvidence {
        index: RowIndex::new(&ids),
        items,
        facts,
    })
}

/// The learner's mappings as (criterion index, evidence index) pairs, for criteria in scope.
pub(crate) fn load_mappings(
    conn: &Connection,
    learner_row_id: i64,
    criteria: &RowIndex,
    evidence: &RowIndex,
) -> Result<Vec<(u32, u32)>> {
    let mut stmt = conn
        .prepare_cached("SELECT criterion_id, evidence_id FROM mappings WHERE learner_id = ?1")?;
    let mut pairs = Vec::new();
    let mut rows = stmt.query([learner_row_id])?;
    while let Some(row) = rows.next()? {
        if let (Some(c), Some(e)) = (criteria.get(row.get(0)?), evidence.get(row.get(1)?)) {
            pairs.push((c, e));
        }
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_date_parser_agrees_with_chrono() {
        for text in [
            "2024-02-29",
            "2023-02-29",
            "1999-12-31",
            "2024-13-01",
            "2024-00-10",
            "2024-1-05",
            "+2024-01-05",
            "2024-01-5x",
            " 2024-01-05",
            "",
            "abcd-ef-gh",
            "0000-01-01",
        ] {
            assert_eq!(
                parse_day(text.as_bytes()),
                NaiveDate::parse_from_str(text, "%Y-%m-%d").ok(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn row_indexes_find_positions_whether_dense_or_sparse() {
        for ids in [vec![7, 5, 6, 9], vec![3, 1_000_000, -4, i64::MAX, i64::MIN]] {
            let index = RowIndex::new(&ids);
            for (position, &id) in ids.iter().enumerate() {
                assert_eq!(index.get(id), Some(position as u32));
            }
            for absent in [8, 4, 10, 0, i64::MAX - 1, i64::MIN + 1] {
                assert_eq!(index.get(absent), None);
            }
        }
        assert!(matches!(
            RowIndex::new(&[7, 5, 6, 9]),
            RowIndex::Dense { .. }
        ));
        assert_eq!(RowIndex::new(&[]).get(0), None);
    }
}
