//! Reading what the gap engine needs from the store, in a handful of range scans: the criteria of a
//! learner's enrolments (current framework versions, chosen units only), their evidence, and their
//! mappings.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::engine::EvidenceFacts;
pub(crate) use super::row_index::RowIndex;
use crate::error::Result;
use crate::evidence::{Method, Status};
use crate::frameworks::{CriterionKind, GroupKind};
use crate::ids::{CriterionRowId, EvidenceRowId, FrameworkRowId, LearnerRowId};
use crate::learners::model::Enrolment;
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
    pub row_id: CriterionRowId,
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
    /// Criterion row id → index in `criteria`.
    pub index: RowIndex<CriterionRowId>,
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
            let framework_id: FrameworkRowId = row.get(0)?;
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
        Ok(scope.with_index())
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

    /// Indexes the criteria by row id once they are all loaded.
    fn with_index(mut self) -> Scope {
        let ids: Vec<CriterionRowId> = self.criteria.iter().map(|c| c.row_id).collect();
        self.index = RowIndex::new(&ids);
        self
    }
}

/// The engine's facts about an item from its stored `submitted` flag and `activity_day` (days since
/// 1970-01-01). One learner's report and the cohort's both read items through this, so they see every
/// item alike.
pub(crate) fn facts_from(submitted: i64, activity_day: i64) -> EvidenceFacts {
    EvidenceFacts {
        status: if submitted == 1 {
            Status::Submitted
        } else {
            Status::Draft
        },
        activity_date: i32::try_from(activity_day)
            .ok()
            .and_then(|day| day.checked_add(UNIX_EPOCH_DAYS_FROM_CE))
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .unwrap_or(NaiveDate::MIN),
    }
}

/// Days from 0001-01-01 (day 1) to 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i32 = 719_163;

/// A text column borrowed from the row, without copying it into a `String`.
pub(crate) fn text<'r>(row: &'r rusqlite::Row<'_>, column: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(column)?.as_str().map_err(rusqlite::Error::from)
}

/// One evidence item as the coverage report lists it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    pub index: RowIndex<EvidenceRowId>,
}

pub(crate) fn load_evidence(
    conn: &Connection,
    learner_row_id: LearnerRowId,
) -> Result<LearnerEvidence> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, uuid, number, title, method, submitted, activity_day, activity_date FROM evidence
         WHERE learner_id = ?1 ORDER BY id",
    )?;
    let (mut ids, mut items, mut facts) = (Vec::new(), Vec::new(), Vec::new());
    let mut rows = stmt.query([learner_row_id])?;
    while let Some(row) = rows.next()? {
        let date = text(row, 7)?;
        let item = facts_from(row.get(5)?, row.get(6)?);
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

/// A learner's evidence as the engine sees it: row ids and facts only, read from the covering index
/// `evidence_facts` without touching the table's rows.
pub(crate) struct LearnerFacts {
    pub ids: Vec<EvidenceRowId>,
    pub facts: Vec<EvidenceFacts>,
    pub index: RowIndex<EvidenceRowId>,
}

pub(crate) fn load_facts(conn: &Connection, learner_row_id: LearnerRowId) -> Result<LearnerFacts> {
    let mut stmt = conn
        .prepare_cached("SELECT id, submitted, activity_day FROM evidence WHERE learner_id = ?1")?;
    let (mut ids, mut facts) = (Vec::new(), Vec::new());
    let mut rows = stmt.query([learner_row_id])?;
    while let Some(row) = rows.next()? {
        ids.push(row.get(0)?);
        facts.push(facts_from(row.get(1)?, row.get(2)?));
    }
    Ok(LearnerFacts {
        index: RowIndex::new(&ids),
        ids,
        facts,
    })
}

/// The public ids of evidence items, by row id, in one query (`rows` sorted, without duplicates).
pub(crate) fn evidence_uuids(
    conn: &Connection,
    rows: &[EvidenceRowId],
) -> Result<HashMap<EvidenceRowId, String>> {
    if rows.is_empty() {
        return Ok(HashMap::new());
    }
    let list = rows
        .iter()
        .map(EvidenceRowId::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.uuid FROM json_each(?1) AS j JOIN evidence AS e ON e.id = j.value",
    )?;
    let found = stmt
        .query_map([format!("[{list}]")], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<HashMap<EvidenceRowId, String>>>()?;
    Ok(found)
}

/// The learner's mappings as (criterion index, evidence index) pairs, for criteria in scope.
pub(crate) fn load_mappings(
    conn: &Connection,
    learner_row_id: LearnerRowId,
    criteria: &RowIndex<CriterionRowId>,
    evidence: &RowIndex<EvidenceRowId>,
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

/// What makes `j` a standing judgement: the newest *counted* one for its learner and criterion, by
/// the time it was signed (not by row order: a judgement imported later may have been made earlier).
/// A judgement from a bundle that did not verify is never counted.
pub(crate) const STANDING: &str = "j.id = (SELECT s.id FROM judgements s
     WHERE s.learner_id = j.learner_id AND s.criterion_id = j.criterion_id AND s.counted = 1
     ORDER BY s.judged_at DESC, s.id DESC LIMIT 1)";

/// A learner's standing judgements (the newest per criterion) as (criterion index, met?), for the
/// criteria in scope.
pub(crate) fn load_judgements(
    conn: &Connection,
    learner_row: LearnerRowId,
    criteria: &RowIndex<CriterionRowId>,
) -> Result<Vec<(usize, bool)>> {
    let mut stmt = conn.prepare_cached(
        &format!("SELECT criterion_id, outcome = 'met' FROM judgements j WHERE learner_id = ?1 AND {STANDING}"),
    )?;
    let rows = stmt.query_map([learner_row], |r| {
        Ok((r.get::<_, CriterionRowId>(0)?, r.get::<_, bool>(1)?))
    })?;
    let mut judged = Vec::new();
    for row in rows {
        let (criterion, met) = row?;
        if let Some(index) = criteria.get(criterion) {
            judged.push((index as usize, met));
        }
    }
    Ok(judged)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_days_convert_back_to_the_stored_dates() {
        for (day, date) in [
            (0, "1970-01-01"),
            (19_782, "2024-02-29"),
            (-1, "1969-12-31"),
            (20_414, "2025-11-22"),
        ] {
            let expected = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
            assert_eq!(facts_from(1, day).activity_date, expected, "{day}");
        }
        assert_eq!(facts_from(0, 0).status, Status::Draft);
        assert_eq!(facts_from(1, 0).status, Status::Submitted);
        assert_eq!(facts_from(1, i64::MAX).activity_date, NaiveDate::MIN);
    }
}
