//! Coverage totals for every learner at once: the centre's overview of a cohort.
//!
//! Calling [`Store::coverage`] once per learner would reload the same criteria for every learner and
//! pay a round of queries each time. This module reads the store in a fixed number of scans whatever
//! the cohort size — learners and enrolments, every evidence item's facts, then every mapping — loads
//! the criteria once per distinct set of enrolments (learners on the same course share them), and
//! looks rows up in tables indexed by row id rather than hash maps. Each learner's mappings then go
//! through the same pure [`engine::compute`] as the single-learner report, so a learner's totals here
//! always equal `coverage(learner).totals`. `benches/gaps.rs` times it against a raw scan of the
//! mapping table; see `docs/performance.md`.

use std::collections::HashMap;

use rusqlite::{Connection, OpenFlags};
use serde::Serialize;

use super::engine::{self, CriterionOutcome, EvidenceFacts, Totals};
use super::load::{facts_from, RowIndex, Scope, STANDING};
use super::{settings, stale_before};
use crate::error::{CoreError, Result};
use crate::ids::{CriterionRowId, EvidenceRowId, LearnerRowId};
use crate::learners::Enrolment;
use crate::store::access::Readable;
use crate::store::{Store, DATABASE_FILE};
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
    index: RowIndex<CriterionRowId>,
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
        // Top-level groups with criteria in scope, in tree order (as `coverage` lists them).
        let mut position: Vec<Option<usize>> = vec![None; scope.groups.len()];
        for criterion in &scope.criteria {
            if let Some(&top) = criterion.ancestors.first() {
                position[top] = Some(0);
            }
        }
        for (index, group) in scope.groups.iter().enumerate() {
            if position[index].is_some() {
                let list = &mut template[group.framework].groups;
                position[index] = Some(list.len());
                list.push(GroupTotals {
                    code: group.code.clone(),
                    totals: Totals::default(),
                });
            }
        }
        let slots = scope
            .criteria
            .iter()
            .map(|c| {
                (
                    c.framework,
                    c.ancestors.first().and_then(|&top| position[top]),
                )
            })
            .collect();
        let ids: Vec<CriterionRowId> = scope.criteria.iter().map(|c| c.row_id).collect();
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

/// Every evidence item's engine facts and owner (as a position in the learner list), by row id.
struct AllEvidence {
    facts: Vec<EvidenceFacts>,
    owners: Vec<Option<u32>>,
    index: RowIndex<EvidenceRowId>,
}

/// Reads every item's learner, status and date: a scan of the narrow `evidence_facts` index, not of
/// the table with its bodies.
fn load_all_evidence(conn: &Connection, learners: &RowIndex<LearnerRowId>) -> Result<AllEvidence> {
    let mut stmt =
        conn.prepare_cached("SELECT id, learner_id, submitted, activity_day FROM evidence")?;
    let (mut ids, mut facts, mut owners) = (Vec::new(), Vec::new(), Vec::new());
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        ids.push(row.get::<_, EvidenceRowId>(0)?);
        owners.push(learners.get(row.get(1)?));
        facts.push(facts_from(row.get(2)?, row.get(3)?));
    }
    Ok(AllEvidence {
        index: RowIndex::new(&ids),
        facts,
        owners,
    })
}

/// Per learner, their (criterion index in their scope, evidence index) pairs.
type Buckets = Vec<Vec<(u32, u32)>>;

/// Every mapping as (evidence row id, criterion row id), in evidence order, from one scan of the
/// `mappings_by_evidence` index, which holds just the ids.
fn load_raw_pairs(conn: &Connection) -> Result<Vec<(EvidenceRowId, CriterionRowId)>> {
    let mut stmt =
        conn.prepare_cached("SELECT evidence_id, criterion_id FROM mappings ORDER BY evidence_id")?;
    let mut pairs = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        pairs.push((row.get(0)?, row.get(1)?));
    }
    Ok(pairs)
}

/// Sorts the mappings into each learner's (criterion index in their scope, evidence index) pairs.
///
/// Each row's learner is taken from its evidence item rather than read from the row: the composite
/// foreign key `(evidence_id, learner_id)`, enforced on every connection, makes them the same. So a
/// learner gets exactly the rows `load_mappings` gives them: their own evidence, criteria in scope.
fn bucket_pairs(
    raw: &[(EvidenceRowId, CriterionRowId)],
    roster: &Roster,
    evidence: &AllEvidence,
) -> Vec<Vec<(u32, u32)>> {
    let mut buckets: Vec<Vec<(u32, u32)>> = vec![Vec::new(); roster.learners.len()];
    // An item's rows come together: look it up once, not once per criterion.
    let mut last: (Option<EvidenceRowId>, Option<(u32, usize)>) = (None, None);
    for &(evidence_id, criterion_id) in raw {
        if last.0 != Some(evidence_id) || last.1.is_none() {
            let item = evidence.index.get(evidence_id);
            let owner = item.and_then(|item| evidence.owners[item as usize]);
            last = (Some(evidence_id), item.zip(owner.map(|l| l as usize)));
        }
        let Some((item, learner)) = last.1 else {
            continue;
        };
        let scope = &roster.scopes[roster.scope_of[learner]];
        if let Some(criterion) = scope.index.get(criterion_id) {
            buckets[learner].push((criterion, item));
        }
    }
    buckets
}

/// Reads the evidence facts and the mappings. On a file-backed store the facts are read on a second
/// connection while this one scans the mappings: the two scans are independent and a machine has more
/// than one core. (Each connection reads its own consistent snapshot; a write landing between them
/// can only make a mapping of a brand-new item wait for the next report.)
fn load_evidence_and_pairs(
    store: &Store,
    readable: &Readable,
    roster: &Roster,
) -> Result<(AllEvidence, Buckets)> {
    let second = store.data_dir().and_then(|dir| {
        Connection::open_with_flags(
            dir.join(DATABASE_FILE),
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .ok()
    });
    let (evidence, raw) = match second {
        Some(second) => std::thread::scope(|scope| {
            let facts = scope.spawn(move || load_all_evidence(&second, &roster.index));
            let raw = load_raw_pairs(store.read(readable));
            let facts = facts
                .join()
                .unwrap_or_else(|_| Err(CoreError::Database("the evidence reader stopped".into())));
            Ok::<_, CoreError>((facts?, raw?))
        })?,
        None => (
            load_all_evidence(store.read(readable), &roster.index)?,
            load_raw_pairs(store.read(readable))?,
        ),
    };
    let buckets = bucket_pairs(&raw, roster, &evidence);
    Ok((evidence, buckets))
}

/// The learners by name and the scope each is assessed against.
struct Roster {
    /// (row id, id, name), by name.
    learners: Vec<(LearnerRowId, String, String)>,
    /// Learner row id → position in `learners`.
    index: RowIndex<LearnerRowId>,
    /// The distinct scopes: learners with the same enrolments share one.
    scopes: Vec<CohortScope>,
    /// Per learner, the position of their scope in `scopes`.
    scope_of: Vec<usize>,
}

impl Roster {
    fn load(conn: &Connection) -> Result<Roster> {
        let mut learners: Vec<(LearnerRowId, String, String)> = Vec::new();
        let mut stmt = conn.prepare_cached(
            "SELECT id, uuid, name FROM learners ORDER BY name COLLATE NOCASE, id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            learners.push((row.get(0)?, row.get(1)?, row.get(2)?));
        }
        drop(rows);
        let ids: Vec<LearnerRowId> = learners.iter().map(|l| l.0).collect();
        let index = RowIndex::new(&ids);

        // Enrolments in the order and shape `enrolments_of` gives them.
        let mut enrolments: Vec<Vec<Enrolment>> = vec![Vec::new(); learners.len()];
        let mut stmt = conn.prepare_cached(
            "SELECT e.learner_id, e.framework_code, group_concat(u.group_code, char(31))
             FROM enrolments e LEFT JOIN enrolment_units u ON u.enrolment_id = e.id
             GROUP BY e.id ORDER BY e.learner_id, e.framework_code",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let Some(learner) = index.get(row.get(0)?) else {
                continue;
            };
            let units: Option<String> = row.get(2)?;
            enrolments[learner as usize].push(Enrolment {
                framework: row.get(1)?,
                units: units
                    .map(|u| u.split('\u{1f}').map(str::to_string).collect())
                    .unwrap_or_default(),
                enrolled_at: String::new(),
                criteria_missing: Vec::new(),
            });
        }
        drop(rows);

        let mut scopes: Vec<CohortScope> = Vec::new();
        let mut by_signature: HashMap<Vec<(String, Vec<String>)>, usize> = HashMap::new();
        let mut scope_of = Vec::with_capacity(learners.len());
        for enrolled in &enrolments {
            let signature: Vec<(String, Vec<String>)> = enrolled
                .iter()
                .map(|e| (e.framework.clone(), e.units.clone()))
                .collect();
            let scope = match by_signature.get(&signature) {
                Some(&scope) => scope,
                None => {
                    scopes.push(CohortScope::load(conn, enrolled)?);
                    by_signature.insert(signature, scopes.len() - 1);
                    scopes.len() - 1
                }
            };
            scope_of.push(scope);
        }
        Ok(Roster {
            learners,
            index,
            scopes,
            scope_of,
        })
    }
}

impl Store {
    /// Totals for every learner, by name: overall, per enrolled framework and per top-level group,
    /// with the stored currency threshold or the one given.
    pub fn cohort_coverage(&self, currency_years: Option<u32>) -> Result<CohortCoverage> {
        let years = match currency_years {
            Some(years) => settings::check_years(years)?,
            None => self.currency_years()?,
        };
        let cutoff = stale_before(years);
        // A caseload: only the learners the acting user may read.
        let readable = self.readable_learners()?;
        let conn = self.read(&readable);
        let roster = Roster::load(conn)?;
        let (evidence, buckets) = load_evidence_and_pairs(self, &readable, &roster)?;
        let judged = standing_judgements(conn)?;
        let learners = roster
            .learners
            .into_iter()
            .zip(&roster.scope_of)
            .zip(buckets)
            .filter(|(((row, _, _), _), _)| readable.allows(*row))
            .map(|(((row, id, name), &scope), pairs)| {
                let scope = &roster.scopes[scope];
                let mut outcomes = engine::compute(scope.criteria, &evidence.facts, pairs, cutoff);
                if let Some(list) = judged.get(&row) {
                    let in_scope = list.iter().filter_map(|&(criterion, met)| {
                        scope.index.get(criterion).map(|i| (i as usize, met))
                    });
                    engine::apply_judgements(&mut outcomes, in_scope);
                }
                let (totals, frameworks) = scope.totals(&outcomes);
                LearnerTotals {
                    id,
                    name,
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

/// Every learner's standing judgements (the newest per criterion): learner row → (criterion row, met?).
fn standing_judgements(
    conn: &Connection,
) -> Result<HashMap<LearnerRowId, Vec<(CriterionRowId, bool)>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT learner_id, criterion_id, outcome = 'met' FROM judgements j WHERE {STANDING}"
    ))?;
    let mut by_learner: HashMap<LearnerRowId, Vec<(CriterionRowId, bool)>> = HashMap::new();
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, LearnerRowId>(0)?,
            r.get::<_, CriterionRowId>(1)?,
            r.get::<_, bool>(2)?,
        ))
    })?;
    for row in rows {
        let (learner, criterion, met) = row?;
        by_learner
            .entry(learner)
            .or_default()
            .push((criterion, met));
    }
    Ok(by_learner)
}
