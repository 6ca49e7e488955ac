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
                let kind: String = row.get(4)?;
                by_row.insert(row.get(0)?, scope.groups.len());
                parents.push(row.get(1)?);
                scope.groups.push(ScopeGroup {
                    framework,
                    code: row.get(2)?,
                    title: row.get(3)?,
                    kind: GroupKind::parse(&kind).unwrap_or(GroupKind::Section),
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
                let kind: String = row.get(3)?;
                scope.criteria.push(ScopeCriterion {
                    row_id: row.get(0)?,
                    framework,
                    reference: CriterionRef::new(&enrolment.framework, row.get::<_, String>(2)?),
                    kind: CriterionKind::parse(&kind).unwrap_or(CriterionKind::AssessmentCriterion),
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
    pub fn criterion_index(&self) -> HashMap<i64, u32> {
        self.criteria
            .iter()
            .enumerate()
            .map(|(i, c)| (c.row_id, i as u32))
            .collect()
    }
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
    pub index: HashMap<i64, u32>,
}

pub(crate) fn load_evidence(conn: &Connection, learner_row_id: i64) -> Result<LearnerEvidence> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, uuid, number, title, method, status, activity_date FROM evidence
         WHERE learner_id = ?1 ORDER BY number",
    )?;
    let mut out = LearnerEvidence {
        items: Vec::new(),
        facts: Vec::new(),
        index: HashMap::new(),
    };
    let mut rows = stmt.query([learner_row_id])?;
    while let Some(row) = rows.next()? {
        let method: String = row.get(4)?;
        let status: String = row.get(5)?;
        let date: String = row.get(6)?;
        let status = Status::parse(&status).unwrap_or(Status::Draft);
        let activity_date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap_or(NaiveDate::MIN);
        out.index.insert(row.get(0)?, out.items.len() as u32);
        out.facts.push(EvidenceFacts {
            status,
            activity_date,
        });
        out.items.push(EvidenceRef {
            id: row.get(1)?,
            number: row.get(2)?,
            title: row.get(3)?,
            method: Method::parse(&method).unwrap_or(Method::Other),
            status,
            activity_date: date,
        });
    }
    Ok(out)
}

/// The learner's mappings as (criterion index, evidence index) pairs, for criteria in scope.
pub(crate) fn load_mappings(
    conn: &Connection,
    learner_row_id: i64,
    criteria: &HashMap<i64, u32>,
    evidence: &HashMap<i64, u32>,
) -> Result<Vec<(u32, u32)>> {
    let mut stmt = conn
        .prepare_cached("SELECT criterion_id, evidence_id FROM mappings WHERE learner_id = ?1")?;
    let mut pairs = Vec::new();
    let mut rows = stmt.query([learner_row_id])?;
    while let Some(row) = rows.next()? {
        let criterion: i64 = row.get(0)?;
        let item: i64 = row.get(1)?;
        if let (Some(&c), Some(&e)) = (criteria.get(&criterion), evidence.get(&item)) {
            pairs.push((c, e));
        }
    }
    Ok(pairs)
}
