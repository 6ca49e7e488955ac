//! Coverage totals for every learner at once: the centre's overview of a cohort.
//!
//! Calling [`Store::coverage`] once per learner would reload the same criteria for every learner and
//! pay a round of queries each time. This module reads the store in a fixed number of scans whatever
//! the cohort size — learners, enrolments, all evidence, then all mappings in primary-key order
//! (learner first, so each learner's mappings arrive together) — loads the criteria once per distinct
//! set of enrolments, and looks rows up in dense tables indexed by row id. Each learner is then run
//! through the same pure [`engine::compute`] as the single-learner report, so a learner's totals here
//! always equal `coverage(learner).totals`.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::engine::{self, CriterionOutcome, EvidenceFacts, Totals};
use super::load::{parse_day, RowIndex, Scope};
use super::{settings, stale_before};
use crate::error::Result;
use crate::evidence::Status;
use crate::learners::Enrolment;
use crate::store::Store;
use crate::time::now_rfc3339;

/// Every learner's totals.
#[derive(Debug, Clone, Serialize)]
pub struct CohortCoverage {
    pub generated_at: String,
    /// Evidence dated before `stale_before` is no longer current.
    pub currency_years: u32,
    pub stale_before: String,
    /// Every learner, by name.
    pub learners: Vec<LearnerTotals>,
}

/// One learner's totals, overall and per enrolled framework.
#[derive(Debug, Clone, Serialize)]
pub struct LearnerTotals {
    pub id: String,
    pub name: String,
    pub totals: Totals,
    pub frameworks: Vec<FrameworkTotals>,
}

/// Totals for one enrolled framework and its top-level groups.
#[derive(Debug, Clone, Serialize)]
pub struct FrameworkTotals {
    pub code: String,
    pub version: String,
    pub totals: Totals,
    /// Top-level groups (units, standards, …) with criteria in scope, in framework order.
    pub groups: Vec<GroupTotals>,
}

/// Totals for one top-level group.
#[derive(Debug, Clone, Serialize)]
pub struct GroupTotals {
    pub code: String,
    pub totals: Totals,
}

/// The criteria of one set of enrolments, prepared for totalling.
struct CohortScope {
    criteria: usize,
    /// Criterion row id → index in the scope.
    index: RowIndex,
    /// Per criterion: its framework, and its top-level group's position in that framework's list.
    slots: Vec<(usize, Option<usize>)>,
    /// Zero totals in report shape, cloned for each learner.
    template: Vec<FrameworkTotals>,
}

impl CohortScope {
    fn load(conn: &Connection, enrolments: &[Enrolment]) -> Result<CohortScope> {
        let scope = Scope::load(conn, enrolments)?;
        let mut template: Vec<FrameworkTotals> = scope
            .frameworks
            .iter()
            .map(|f| FrameworkTotals {
                code: f.code.clone(),
                version: f.version.clone(),
                totals: Totals::default(),
                groups: Vec::new(),
            })
            .collect();
        // Top-level group index in `scope.groups` → position in its framework's list.
        let mut top_positions: HashMap<usize, usize> = HashMap::new();
        let mut slots = Vec::with_capacity(scope.criteria.len());
        for criterion in &scope.criteria {
            let group = criterion.ancestors.first().map(|&top| {
                *top_positions.entry(top).or_insert_with(|| {
                    let list = &mut template[criterion.framework].groups;
                    list.push(GroupTotals {
                        code: scope.groups[top].code.clone(),
                        totals: Totals::default(),
                    });
                    list.len() - 1
                })
            });
            slots.push((criterion.framework, group));
        }
        let ids: Vec<i64> = scope.criteria.iter().map(|c| c.row_id).collect();
        Ok(CohortScope {
            criteria: scope.criteria.len(),
            index: RowIndex::new(&ids),
            slots,
            template,
        })
    }

    fn totals(&self, outcomes: &[CriterionOutcome]) -> (Totals, Vec<FrameworkTotals>) {
        let mut totals = Totals::default();
        let mut frameworks = self.template.clone();
        for (&(framework, group), outcome) in self.slots.iter().zip(outcomes) {
            totals.add(outcome);
            frameworks[framework].totals.add(outcome);
            if let Some(group) = group {
                frameworks[framework].groups[group].totals.add(outcome);
            }
        }
        (totals, frameworks)
    }
}

/// Every evidence item's engine facts and owner, by row id.
struct AllEvidence {
    facts: Vec<EvidenceFacts>,
    owners: Vec<i64>,
    index: RowIndex,
}

fn load_all_evidence(conn: &Connection) -> Result<AllEvidence> {
    let mut stmt =
        conn.prepare_cached("SELECT id, learner_id, status, activity_date FROM evidence")?;
    let (mut ids, mut facts, mut owners) = (Vec::new(), Vec::new(), Vec::new());
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        ids.push(row.get::<_, i64>(0)?);
        owners.push(row.get::<_, i64>(1)?);
        // Borrowed, not copied into Strings: this loop runs for every item in the store.
        let text = |column| row.get_ref(column)?.as_str().map_err(rusqlite::Error::from);
        let status = Status::parse(text(2)?).unwrap_or(Status::Draft);
        let activity_date = parse_day(text(3)?).unwrap_or(NaiveDate::MIN);
        facts.push(EvidenceFacts {
            status,
            activity_date,
        });
    }
    Ok(AllEvidence {
        index: RowIndex::new(&ids),
        facts,
        owners,
    })
}

/// A learner being totalled: who they are and which scope applies.
struct CohortLearner {
    row_id: i64,
    id: String,
    name: String,
    scope: usize,
    result: Option<(Totals, Vec<FrameworkTotals>)>,
}

impl Store {
    /// Totals for every learner, overall, per enrolled framework and per top-level group, with the
    /// stored currency threshold or the one given.
    pub fn cohort_coverage(&self, currency_years: Option<u32>) -> Result<CohortCoverage> {
        let years = match currency_years {
            Some(years) => settings::check_years(years)?,
            None => self.currency_years()?,
        };
        let cutoff = stale_before(years);
        let conn = self.conn();

        let mut learners: Vec<CohortLearner> = Vec::new();
        let mut stmt = conn.prepare_cached(
            "SELECT id, uuid, name FROM learners ORDER BY name COLLATE NOCASE, id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            learners.push(CohortLearner {
                row_id: row.get(0)?,
                id: row.get(1)?,
                name: row.get(2)?,
                scope: 0,
                result: None,
            });
        }
        drop(rows);
        let learner_ids: Vec<i64> = learners.iter().map(|l| l.row_id).collect();
        let learner_index = RowIndex::new(&learner_ids);

        // Enrolments in the order and shape `enrolments_of` gives them, grouped by learner.
        let mut enrolments: Vec<Vec<Enrolment>> = vec![Vec::new(); learners.len()];
        let mut stmt = conn.prepare_cached(
            "SELECT e.learner_id, e.framework_code, group_concat(u.group_code, char(31))
             FROM enrolments e LEFT JOIN enrolment_units u ON u.enrolment_id = e.id
             GROUP BY e.id ORDER BY e.learner_id, e.framework_code",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let Some(learner) = learner_index.get(row.get(0)?) else {
                continue;
            };
            let units: Option<String> = row.get(2)?;
            enrolments[learner as usize].push(Enrolment {
                framework: row.get(1)?,
                units: units
                    .map(|u| u.split('\u{1f}').map(str::to_string).collect())
                    .unwrap_or_default(),
                enrolled_at: String::new(),
            });
        }
        drop(rows);

        // Learners on the same frameworks and units share one scope.
        let mut scopes: Vec<CohortScope> = Vec::new();
        let mut by_signature: HashMap<Vec<(String, Vec<String>)>, usize> = HashMap::new();
        for (learner, enrolled) in learners.iter_mut().zip(&enrolments) {
            let signature: Vec<(String, Vec<String>)> = enrolled
                .iter()
                .map(|e| (e.framework.clone(), e.units.clone()))
                .collect();
            learner.scope = match by_signature.get(&signature) {
                Some(&scope) => scope,
                None => {
                    scopes.push(CohortScope::load(conn, enrolled)?);
                    by_signature.insert(signature, scopes.len() - 1);
                    scopes.len() - 1
                }
            };
        }

        let evidence = load_all_evidence(conn)?;
        let run = |scope: usize, pairs: &mut Vec<(u32, u32)>| {
            let scope = &scopes[scope];
            let outcomes =
                engine::compute(scope.criteria, &evidence.facts, pairs.drain(..), cutoff);
            scope.totals(&outcomes)
        };

        // Primary-key order delivers each learner's mappings together: total a learner as soon as
        // the next one starts.
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut current: Option<(i64, Option<usize>)> = None;
        let mut stmt = conn.prepare_cached(
            "SELECT learner_id, criterion_id, evidence_id FROM mappings
             ORDER BY learner_id, criterion_id, evidence_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let learner_id: i64 = row.get(0)?;
            let slot = match current {
                Some((id, slot)) if id == learner_id => slot,
                _ => {
                    if let Some((_, Some(done))) = current {
                        learners[done].result = Some(run(learners[done].scope, &mut pairs));
                    }
                    pairs.clear();
                    let slot = learner_index.get(learner_id).map(|s| s as usize);
                    current = Some((learner_id, slot));
                    slot
                }
            };
            let Some(slot) = slot else { continue };
            let scope = &scopes[learners[slot].scope];
            let (Some(criterion), Some(item)) = (
                scope.index.get(row.get(1)?),
                evidence.index.get(row.get(2)?),
            ) else {
                continue;
            };
            if evidence.owners[item as usize] == learner_id {
                pairs.push((criterion, item));
            }
        }
        drop(rows);
        if let Some((_, Some(done))) = current {
            learners[done].result = Some(run(learners[done].scope, &mut pairs));
        }

        let learners = learners
            .into_iter()
            .map(|mut learner| {
                let (totals, frameworks) = match learner.result.take() {
                    Some(result) => result,
                    None => run(learner.scope, &mut Vec::new()),
                };
                LearnerTotals {
                    id: learner.id,
                    name: learner.name,
                    totals,
                    frameworks,
                }
            })
            .collect();
        Ok(CohortCoverage {
            generated_at: now_rfc3339(),
            currency_years: years,
            stale_before: cutoff.format("%Y-%m-%d").to_string(),
            learners,
        })
    }
}
