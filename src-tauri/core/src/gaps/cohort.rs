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

use rusqlite::Connection;
use serde::Serialize;

use super::engine::{self, CriterionOutcome, EvidenceFacts, Totals};
use super::load::{bytes, facts_from, RowIndex, Scope};
use super::{settings, stale_before};
use crate::error::Result;
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

/// Every evidence item's engine facts and owner (as a position in the learner list), by row id.
struct AllEvidence {
    facts: Vec<EvidenceFacts>,
    owners: Vec<Option<u32>>,
    index: RowIndex,
}

/// Reads every item's learner, status and date: a scan of the narrow `evidence_facts` index, not of
/// the table with its bodies.
fn load_all_evidence(conn: &Connection, learners: &RowIndex) -> Result<AllEvidence> {
    let mut stmt =
        conn.prepare_cached("SELECT id, learner_id, status, activity_date FROM evidence")?;
    let (mut ids, mut facts, mut owners) = (Vec::new(), Vec::new(), Vec::new());
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        ids.push(row.get::<_, i64>(0)?);
        owners.push(learners.get(row.get(1)?));
        facts.push(facts_from(bytes(row, 2)?, bytes(row, 3)?));
    }
    Ok(AllEvidence {
        index: RowIndex::new(&ids),
        facts,
        owners,
    })
}

/// Every learner's mappings as (criterion index in their scope, evidence index) pairs, from one scan.
///
/// The scan reads the `mappings_by_evidence` index, which holds just the ids, in evidence order, and
/// takes each row's learner from its evidence item rather than reading `learner_id` too: the composite
/// foreign key `(evidence_id, learner_id)`, enforced on every connection, makes them the same. So a
/// learner gets exactly the rows `load_mappings` gives them: their own evidence, criteria in scope.
fn load_all_pairs(
    conn: &Connection,
    roster: &Roster,
    evidence: &AllEvidence,
) -> Result<Vec<Vec<(u32, u32)>>> {
    let mut buckets: Vec<Vec<(u32, u32)>> = vec![Vec::new(); roster.learners.len()];
    let mut stmt =
        conn.prepare_cached("SELECT evidence_id, criterion_id FROM mappings ORDER BY evidence_id")?;
    let mut rows = stmt.query([])?;
    // An item's rows come together: look it up once, not once per criterion.
    let mut last: (i64, Option<(u32, usize)>) = (0, None);
    while let Some(row) = rows.next()? {
        let evidence_id: i64 = row.get(0)?;
        if last.0 != evidence_id || last.1.is_none() {
            let item = evidence.index.get(evidence_id);
            let owner = item.and_then(|item| evidence.owners[item as usize]);
            last = (evidence_id, item.zip(owner.map(|l| l as usize)));
        }
        let Some((item, learner)) = last.1 else {
            continue;
        };
        let scope = &roster.scopes[roster.scope_of[learner]];
        if let Some(criterion) = scope.index.get(row.get(1)?) {
            buckets[learner].push((criterion, item));
        }
    }
    Ok(buckets)
}

/// The learners by name and the scope each is assessed against.
struct Roster {
    /// (row id, id, name), by name.
    learners: Vec<(i64, String, String)>,
    /// Learner row id → position in `learners`.
    index: RowIndex,
    /// The distinct scopes: learners with the same enrolments share one.
    scopes: Vec<CohortScope>,
    /// Per learner, the position of their scope in `scopes`.
    scope_of: Vec<usize>,
}

impl Roster {
    fn load(conn: &Connection) -> Result<Roster> {
        let mut learners: Vec<(i64, String, String)> = Vec::new();
        let mut stmt = conn.prepare_cached(
            "SELECT id, uuid, name FROM learners ORDER BY name COLLATE NOCASE, id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            learners.push((row.get(0)?, row.get(1)?, row.get(2)?));
        }
        drop(rows);
        let ids: Vec<i64> = learners.iter().map(|l| l.0).collect();
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
        let conn = self.conn();
        let roster = Roster::load(conn)?;
        let evidence = load_all_evidence(conn, &roster.index)?;
        let buckets = load_all_pairs(conn, &roster, &evidence)?;
        let learners = roster
            .learners
            .into_iter()
            .zip(&roster.scope_of)
            .zip(buckets)
            .map(|(((_, id, name), &scope), pairs)| {
                let scope = &roster.scopes[scope];
                let outcomes = engine::compute(scope.criteria, &evidence.facts, pairs, cutoff);
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

#[cfg(test)]
mod tests {
    use chrono::Days;

    use crate::evidence::{Method, NewEvidence, Status};
    use crate::frameworks::{
        CriterionDoc, CriterionKind, FrameworkDoc, FrameworkKind, GroupDoc, GroupKind,
    };
    use crate::refs::CriterionRef;
    use crate::store::Store;
    use crate::time::today;

    /// A qualification of three units, each with two learning outcomes of two criteria.
    fn qualification() -> FrameworkDoc {
        let mut groups = Vec::new();
        let mut criteria = Vec::new();
        for u in 1..=3 {
            groups.push(GroupDoc {
                code: format!("U{u}"),
                kind: GroupKind::Unit,
                title: format!("Unit {u}"),
                parent: None,
            });
            for o in 1..=2 {
                groups.push(GroupDoc {
                    code: format!("U{u}.{o}"),
                    kind: GroupKind::LearningOutcome,
                    title: format!("Outcome {u}.{o}"),
                    parent: Some(format!("U{u}")),
                });
                for c in 1..=2 {
                    criteria.push(CriterionDoc {
                        code: format!("U{u}.{o}.{c}"),
                        kind: CriterionKind::AssessmentCriterion,
                        text: format!("Criterion {u}.{o}.{c}"),
                        group: Some(format!("U{u}.{o}")),
                    });
                }
            }
        }
        FrameworkDoc {
            code: "T-QUAL".into(),
            title: "Test qualification".into(),
            kind: FrameworkKind::Qualification,
            version: "1".into(),
            source: "test".into(),
            verified: false,
            description: String::new(),
            groups,
            criteria,
        }
    }

    fn criteria_of(store: &Store, framework: &str) -> Vec<CriterionRef> {
        let doc = store.framework(framework, None).unwrap();
        doc.criteria
            .iter()
            .map(|c| CriterionRef::new(framework, c.code.clone()))
            .collect()
    }

    #[test]
    fn cohort_totals_equal_each_learners_coverage() {
        let mut store = Store::open_in_memory().unwrap();
        store.import_framework(&qualification()).unwrap();
        let qual = criteria_of(&store, "T-QUAL");
        let nos = criteria_of(&store, "CD-NOS");
        let unit = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        // (name, enrolments): Ben and Cat share a scope; Dan has none; Eve has no evidence.
        let plan = [
            (
                "ann",
                vec![("T-QUAL", unit(&["U1", "U3"])), ("CD-NOS", vec![])],
            ),
            ("Ben", vec![("T-QUAL", vec![])]),
            ("cat", vec![("T-QUAL", vec![])]),
            ("Dan", vec![]),
            ("Eve", vec![("CD-NOS", vec![])]),
        ];
        let day = |days_ago: u64| today().checked_sub_days(Days::new(days_ago)).unwrap();
        for (n, (name, enrolments)) in plan.iter().enumerate() {
            let learner = store.add_learner(name, None).unwrap();
            for (framework, units) in enrolments {
                store.enrol(&learner.id, framework, units).unwrap();
            }
            if *name == "Eve" {
                continue;
            }
            // Recent, old (beyond 3 years) and draft items, each on a different spread of criteria,
            // some outside the learner's enrolments.
            let items = [
                (Status::Submitted, day(30)),
                (Status::Submitted, day(5 * 365)),
                (Status::Draft, day(10)),
                (Status::Submitted, day(2 * 365)),
            ];
            for (i, (status, date)) in items.into_iter().enumerate() {
                let item = store
                    .add_evidence(&NewEvidence {
                        learner: learner.id.clone(),
                        title: format!("Item {i}"),
                        method: Method::DirectObservation,
                        activity_date: date,
                        body_markdown: String::new(),
                        status,
                    })
                    .unwrap();
                let mut refs: Vec<CriterionRef> = qual
                    .iter()
                    .chain(&nos)
                    .skip(i + n)
                    .step_by(3 + i)
                    .cloned()
                    .collect();
                refs.truncate(8);
                store.map_evidence(&item.id, &refs, None).unwrap();
            }
        }

        let mut checked = crate::gaps::Totals::default();
        for years in [None, Some(1), Some(4), Some(10)] {
            let cohort = store.cohort_coverage(years).unwrap();
            let names: Vec<&str> = cohort.learners.iter().map(|l| l.name.as_str()).collect();
            assert_eq!(names, ["ann", "Ben", "cat", "Dan", "Eve"]);
            let years = years.unwrap_or(store.currency_years().unwrap());
            assert_eq!(cohort.currency_years, years);
            for learner in &cohort.learners {
                let coverage = store.coverage_with(&learner.id, years).unwrap();
                assert_eq!(learner.totals, coverage.totals, "{}", learner.name);
                assert_eq!(learner.frameworks.len(), coverage.frameworks.len());
                for (ours, theirs) in learner.frameworks.iter().zip(&coverage.frameworks) {
                    assert_eq!(
                        (&ours.code, &ours.version, ours.totals),
                        (&theirs.code, &theirs.version, theirs.totals)
                    );
                    let top: Vec<_> = theirs
                        .groups
                        .iter()
                        .filter(|g| g.depth == 0)
                        .map(|g| (g.code.as_str(), g.totals))
                        .collect();
                    let ours: Vec<_> = ours
                        .groups
                        .iter()
                        .map(|g| (g.code.as_str(), g.totals))
                        .collect();
                    assert_eq!(ours, top, "{} {}", learner.name, theirs.code);
                }
                checked.criteria += learner.totals.criteria;
                checked.evidenced += learner.totals.evidenced;
                checked.draft_only += learner.totals.draft_only;
                checked.no_evidence += learner.totals.no_evidence;
                checked.not_current += learner.totals.not_current;
            }
        }
        // The data exercised every status.
        assert!(checked.evidenced > 0 && checked.draft_only > 0);
        assert!(checked.no_evidence > 0 && checked.not_current > 0);
    }

    #[test]
    fn an_empty_store_has_an_empty_cohort_and_a_bad_threshold_is_refused() {
        let store = Store::open_in_memory().unwrap();
        assert!(store.cohort_coverage(None).unwrap().learners.is_empty());
        assert_eq!(
            store.cohort_coverage(Some(0)).unwrap_err().code(),
            "invalid_input"
        );
    }
}
