//! Gaps and coverage: for a learner, every criterion of their enrolments with its status and the
//! evidence mapped to it, totals per framework, unit/standard and learning outcome, and the flags a
//! user expects before submitting (no evidence, only draft evidence, evidence no longer current).

mod cohort;
pub mod csv;
pub mod engine;
pub(crate) mod load;
mod row_index;
pub(crate) mod scope_cache;
mod settings;

use std::sync::Arc;

use chrono::{Months, NaiveDate};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use load::Scope;
use scope_cache::ScopeKey;

use crate::error::Result;
use crate::frameworks::{CriterionKind, GroupKind};
use crate::ids::{EvidenceRowId, LearnerRowId};
use crate::learners::Learner;
use crate::names::str_names;
use crate::refs::CriterionRef;
use crate::store::{Allowed, Store};
use crate::time::{now_rfc3339, today};

pub use cohort::{CohortCoverage, FrameworkTotals, GroupTotals, LearnerTotals};
pub use engine::{CriterionStatus, Totals};
pub use load::EvidenceRef;
pub use settings::{DEFAULT_CURRENCY_YEARS, MAX_CURRENCY_YEARS};

/// A learner's coverage of every criterion they are enrolled on.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Coverage {
    pub learner: Learner,
    pub generated_at: String,
    /// Evidence dated before this day is no longer current.
    pub currency_years: u32,
    pub stale_before: String,
    pub totals: Totals,
    pub frameworks: Vec<FrameworkCoverage>,
    pub criteria: Vec<CriterionCoverage>,
    /// The learner's evidence items, by number.
    pub evidence: Vec<EvidenceRef>,
}

/// Totals for one enrolled framework and each group of its tree.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FrameworkCoverage {
    pub code: String,
    pub version: String,
    pub title: String,
    pub verified: bool,
    /// Units chosen at enrolment; empty means all.
    pub units: Vec<String>,
    pub totals: Totals,
    pub groups: Vec<GroupCoverage>,
}

/// Totals for a unit, learning outcome, standard, … (only groups with criteria in scope).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GroupCoverage {
    pub code: String,
    pub title: String,
    pub kind: GroupKind,
    pub parent: Option<String>,
    pub depth: usize,
    pub totals: Totals,
}

/// Why a criterion needs attention before submission.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapFlag {
    NoEvidence,
    DraftOnly,
    NotCurrent,
    /// An assessor judged the evidence so far not enough.
    NotYetMet,
}

str_names!(GapFlag {
    NoEvidence => "no_evidence",
    DraftOnly => "draft_only",
    NotCurrent => "not_current",
    NotYetMet => "not_yet_met",
});

/// One criterion's coverage.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CriterionCoverage {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    #[serde(rename = "ref")]
    pub reference: CriterionRef,
    pub framework: String,
    /// The group codes from the top of the tree down (e.g. unit, learning outcome).
    pub groups: Vec<String>,
    pub kind: CriterionKind,
    pub text: String,
    pub status: CriterionStatus,
    /// Ids of the evidence items mapped to it.
    pub evidence: Vec<String>,
    pub flags: Vec<GapFlag>,
}

/// What still stands between a learner and submission.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Gaps {
    pub learner: Learner,
    pub currency_years: u32,
    pub stale_before: String,
    pub totals: Totals,
    /// Totals per framework and group, as in [`Coverage::frameworks`] (what a dashboard draws).
    pub frameworks: Vec<FrameworkCoverage>,
    /// Criteria with at least one flag, in framework order.
    pub gaps: Vec<CriterionCoverage>,
}

/// The day before which evidence is no longer current.
pub fn stale_before(years: u32) -> NaiveDate {
    today()
        .checked_sub_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MIN)
}

impl Store {
    /// Computes a learner's coverage with the stored currency threshold.
    pub fn coverage(&self, learner: &str) -> Result<Coverage> {
        let years = self.currency_years()?;
        self.coverage_with(learner, years)
    }

    /// Computes a learner's coverage with a given currency threshold in years.
    pub fn coverage_with(&self, learner: &str, currency_years: u32) -> Result<Coverage> {
        let learner = self.learner_row(learner)?;
        let allowed = self.require_portfolio(&learner, crate::store::access::Need::Read)?;
        let conn = self.read(&allowed);
        let scope = self.scope_of(&allowed, learner.row_id)?;
        let evidence = load::load_evidence(conn, learner.row_id)?;
        let pairs = load::load_mappings(conn, learner.row_id, &scope.index, &evidence.index)?;
        let cutoff = stale_before(currency_years);
        let mut outcomes = engine::compute(scope.criteria.len(), &evidence.facts, pairs, cutoff);
        let judged = load::load_judgements(conn, learner.row_id, &scope.index)?;
        engine::apply_judgements(&mut outcomes, judged);

        let (totals, frameworks) = roll_up(&scope, &outcomes);
        let mut criteria = Vec::with_capacity(outcomes.len());
        for (criterion, outcome) in scope.criteria.iter().zip(&outcomes) {
            let ids = outcome
                .evidence
                .iter()
                .map(|&i| evidence.items[i as usize].id.clone())
                .collect();
            criteria.push(criterion_coverage(
                &scope,
                criterion,
                outcome,
                flags_of(outcome),
                ids,
            ));
        }
        Ok(Coverage {
            learner: learner.learner,
            generated_at: now_rfc3339(),
            currency_years,
            stale_before: cutoff.format("%Y-%m-%d").to_string(),
            totals,
            frameworks,
            criteria,
            evidence: evidence.items,
        })
    }

    /// The criteria that need attention before a learner submits. This is the hot path (every edit
    /// in the app refreshes it), so it reads only what the engine needs — mapping ids and each item's
    /// status and date, from covering indexes — and builds text only for the criteria it returns.
    pub fn gaps(&self, learner: &str, currency_years: Option<u32>) -> Result<Gaps> {
        let years = match currency_years {
            Some(years) => settings::check_years(years)?,
            None => self.currency_years()?,
        };
        let learner = self.learner_row(learner)?;
        let allowed = self.require_portfolio(&learner, crate::store::access::Need::Read)?;
        let conn = self.read(&allowed);
        let scope = self.scope_of(&allowed, learner.row_id)?;
        let evidence = load::load_facts(conn, learner.row_id)?;
        let pairs = load::load_mappings(conn, learner.row_id, &scope.index, &evidence.index)?;
        let cutoff = stale_before(years);
        let mut outcomes = engine::compute(scope.criteria.len(), &evidence.facts, pairs, cutoff);
        let judged = load::load_judgements(conn, learner.row_id, &scope.index)?;
        engine::apply_judgements(&mut outcomes, judged);
        let (totals, frameworks) = roll_up(&scope, &outcomes);
        let mut flagged = Vec::new();
        for (criterion, outcome) in scope.criteria.iter().zip(&outcomes) {
            let flags = flags_of(outcome);
            if !flags.is_empty() {
                // In recording order, as `coverage` lists them (the index returns items by status).
                let mut rows: Vec<EvidenceRowId> = outcome
                    .evidence
                    .iter()
                    .map(|&i| evidence.ids[i as usize])
                    .collect();
                rows.sort_unstable();
                flagged.push((criterion, outcome, flags, rows));
            }
        }
        let mut needed: Vec<EvidenceRowId> = flagged
            .iter()
            .flat_map(|(.., rows)| rows.iter().copied())
            .collect();
        needed.sort_unstable();
        needed.dedup();
        let uuids = load::evidence_uuids(conn, &needed)?;
        let gaps = flagged
            .into_iter()
            .map(|(criterion, outcome, flags, rows)| {
                let ids = rows
                    .iter()
                    .filter_map(|row| uuids.get(row).cloned())
                    .collect();
                criterion_coverage(&scope, criterion, outcome, flags, ids)
            })
            .collect();
        Ok(Gaps {
            learner: learner.learner,
            currency_years: years,
            stale_before: cutoff.format("%Y-%m-%d").to_string(),
            totals,
            frameworks,
            gaps,
        })
    }
}

/// Totals overall, per framework and per group (groups without criteria in scope are left out).
fn roll_up(
    scope: &load::Scope,
    outcomes: &[engine::CriterionOutcome],
) -> (Totals, Vec<FrameworkCoverage>) {
    let mut totals = Totals::default();
    let mut framework_totals = vec![Totals::default(); scope.frameworks.len()];
    let mut group_totals = vec![Totals::default(); scope.groups.len()];
    for (criterion, outcome) in scope.criteria.iter().zip(outcomes) {
        totals.add(outcome);
        framework_totals[criterion.framework].add(outcome);
        for &group in &criterion.ancestors {
            group_totals[group].add(outcome);
        }
    }
    let frameworks = scope
        .frameworks
        .iter()
        .enumerate()
        .map(|(index, f)| FrameworkCoverage {
            code: f.code.clone(),
            version: f.version.clone(),
            title: f.title.clone(),
            verified: f.verified,
            units: f.units.clone(),
            totals: framework_totals[index],
            groups: scope
                .groups
                .iter()
                .enumerate()
                .filter(|(g, group)| group.framework == index && group_totals[*g].criteria > 0)
                .map(|(g, group)| GroupCoverage {
                    code: group.code.clone(),
                    title: group.title.clone(),
                    kind: group.kind,
                    parent: group.parent.map(|p| scope.groups[p].code.clone()),
                    depth: group.depth,
                    totals: group_totals[g],
                })
                .collect(),
        })
        .collect();
    (totals, frameworks)
}

/// Why a criterion with this outcome needs attention; empty when it does not.
fn flags_of(outcome: &engine::CriterionOutcome) -> Vec<GapFlag> {
    let mut flags = Vec::new();
    match outcome.status {
        CriterionStatus::NoEvidence => flags.push(GapFlag::NoEvidence),
        CriterionStatus::DraftOnly => flags.push(GapFlag::DraftOnly),
        CriterionStatus::NotYetMet => flags.push(GapFlag::NotYetMet),
        CriterionStatus::Evidenced | CriterionStatus::Met => {}
    }
    if outcome.not_current {
        flags.push(GapFlag::NotCurrent);
    }
    flags
}

/// One criterion's coverage entry.
fn criterion_coverage(
    scope: &load::Scope,
    criterion: &load::ScopeCriterion,
    outcome: &engine::CriterionOutcome,
    flags: Vec<GapFlag>,
    evidence: Vec<String>,
) -> CriterionCoverage {
    CriterionCoverage {
        reference: criterion.reference.clone(),
        framework: scope.frameworks[criterion.framework].code.clone(),
        groups: criterion
            .ancestors
            .iter()
            .map(|&g| scope.groups[g].code.clone())
            .collect(),
        kind: criterion.kind,
        text: criterion.text.clone(),
        status: outcome.status,
        evidence,
        flags,
    }
}

impl Store {
    /// The criteria a learner is assessed against, from the cache when their enrolments are unchanged.
    pub(crate) fn scope_of(
        &self,
        allowed: &Allowed,
        learner_row_id: LearnerRowId,
    ) -> Result<Arc<Scope>> {
        let enrolments = self.enrolments_of(allowed, learner_row_id)?;
        let mut current = self
            .read(allowed)
            .prepare_cached("SELECT id FROM frameworks WHERE code = ?1 AND is_current = 1")?;
        let mut key: ScopeKey = Vec::with_capacity(enrolments.len());
        for enrolment in &enrolments {
            if let Some(id) = current
                .query_row([&enrolment.framework], |row| row.get(0))
                .optional()?
            {
                key.push((id, enrolment.units.clone()));
            }
        }
        if let Some(scope) = self.scopes.get(&key) {
            return Ok(scope);
        }
        let scope = Arc::new(Scope::load(self.read(allowed), &enrolments)?);
        self.scopes.keep(key, &scope);
        Ok(scope)
    }
}
