//! The gap engine as a pure function: given a learner's criteria, evidence and mappings, say which
//! criteria are evidenced, which have only draft evidence, which have none, and which rest only on
//! evidence older than the currency threshold. No I/O, so it is tested against a simple oracle.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::evidence::Status;
use crate::names::str_names;

/// The status of one criterion for one learner.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionStatus {
    /// No evidence is mapped to it.
    NoEvidence,
    /// Only draft evidence is mapped to it.
    DraftOnly,
    /// Submitted evidence is mapped to it, not yet assessed.
    Evidenced,
    /// Submitted evidence is mapped to it, and the assessor judged it not yet met.
    NotYetMet,
    /// Submitted evidence is mapped to it, and the assessor judged it met.
    Met,
}

str_names!(CriterionStatus {
    NoEvidence => "no_evidence",
    DraftOnly => "draft_only",
    Evidenced => "evidenced",
    NotYetMet => "not_yet_met",
    Met => "met",
});

/// The facts about one evidence item the engine needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvidenceFacts {
    pub status: Status,
    pub activity_date: NaiveDate,
}

/// One criterion's outcome: its status, the evidence mapped (indexes into the evidence list, in
/// ascending order), and whether all its submitted evidence is older than the threshold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionOutcome {
    pub status: CriterionStatus,
    pub evidence: Vec<u32>,
    pub not_current: bool,
}

/// Counts of criteria by status.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub criteria: usize,
    pub evidenced: usize,
    pub draft_only: usize,
    pub no_evidence: usize,
    /// Evidenced, but only by evidence older than the currency threshold.
    pub not_current: usize,
    /// Of the evidenced: judged met by an assessor.
    pub met: usize,
    /// Of the evidenced: judged not yet met.
    pub not_yet_met: usize,
}

impl Totals {
    pub fn add(&mut self, outcome: &CriterionOutcome) {
        self.criteria += 1;
        match outcome.status {
            CriterionStatus::Evidenced => self.evidenced += 1,
            CriterionStatus::Met => {
                self.evidenced += 1;
                self.met += 1;
            }
            CriterionStatus::NotYetMet => {
                self.evidenced += 1;
                self.not_yet_met += 1;
            }
            CriterionStatus::DraftOnly => self.draft_only += 1,
            CriterionStatus::NoEvidence => self.no_evidence += 1,
        }
        if outcome.not_current {
            self.not_current += 1;
        }
    }

    /// Criteria still lacking submitted evidence.
    pub fn lacking(&self) -> usize {
        self.draft_only + self.no_evidence
    }
}

/// Applies assessors' standing judgements (criterion index, met?) to evidenced criteria: a judgement
/// on a criterion that no longer has submitted evidence leaves it as the evidence says.
pub fn apply_judgements(
    outcomes: &mut [CriterionOutcome],
    judged: impl IntoIterator<Item = (usize, bool)>,
) {
    for (index, met) in judged {
        if let Some(outcome) = outcomes.get_mut(index) {
            if outcome.status == CriterionStatus::Evidenced {
                outcome.status = if met {
                    CriterionStatus::Met
                } else {
                    CriterionStatus::NotYetMet
                };
            }
        }
    }
}

/// Computes every criterion's outcome. `mappings` are (criterion index, evidence index) pairs; pairs
/// naming an index out of range are ignored, duplicates count once.
pub fn compute(
    criteria: usize,
    evidence: &[EvidenceFacts],
    mappings: impl IntoIterator<Item = (u32, u32)>,
    stale_before: NaiveDate,
) -> Vec<CriterionOutcome> {
    let pairs: Vec<(u32, u32)> = mappings.into_iter().collect();
    let valid = |&(criterion, item): &(u32, u32)| {
        (criterion as usize) < criteria && (item as usize) < evidence.len()
    };
    // Count first, so each criterion's list is allocated once, at its final size.
    let mut counts = vec![0usize; criteria];
    for pair in pairs.iter().filter(|p| valid(p)) {
        counts[pair.0 as usize] += 1;
    }
    let mut mapped: Vec<Vec<u32>> = counts.into_iter().map(Vec::with_capacity).collect();
    for (criterion, item) in pairs.into_iter().filter(valid) {
        mapped[criterion as usize].push(item);
    }
    mapped
        .into_iter()
        .map(|mut items| {
            items.sort_unstable();
            items.dedup();
            let submitted = items
                .iter()
                .map(|&i| evidence[i as usize])
                .filter(|e| e.status == Status::Submitted);
            let mut any_submitted = false;
            let mut any_current = false;
            for item in submitted {
                any_submitted = true;
                any_current |= item.activity_date >= stale_before;
            }
            let status = if any_submitted {
                CriterionStatus::Evidenced
            } else if items.is_empty() {
                CriterionStatus::NoEvidence
            } else {
                CriterionStatus::DraftOnly
            };
            CriterionOutcome {
                status,
                not_current: any_submitted && !any_current,
                evidence: items,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or(NaiveDate::MIN) + chrono::Duration::days(n)
    }

    /// The oracle: the rules read straight off the specification, one criterion at a time.
    fn oracle(
        criterion: u32,
        evidence: &[EvidenceFacts],
        mappings: &[(u32, u32)],
        stale_before: NaiveDate,
    ) -> (CriterionStatus, Vec<u32>, bool) {
        let mut items: Vec<u32> = mappings
            .iter()
            .filter(|(c, e)| *c == criterion && (*e as usize) < evidence.len())
            .map(|(_, e)| *e)
            .collect();
        items.sort();
        items.dedup();
        let submitted: Vec<&EvidenceFacts> = items
            .iter()
            .map(|&e| &evidence[e as usize])
            .filter(|e| e.status == Status::Submitted)
            .collect();
        let status = if !submitted.is_empty() {
            CriterionStatus::Evidenced
        } else if !items.is_empty() {
            CriterionStatus::DraftOnly
        } else {
            CriterionStatus::NoEvidence
        };
        let stale =
            !submitted.is_empty() && submitted.iter().all(|e| e.activity_date < stale_before);
        (status, items, stale)
    }

    fn facts() -> impl Strategy<Value = EvidenceFacts> {
        (any::<bool>(), 0i64..2000).prop_map(|(submitted, d)| EvidenceFacts {
            status: if submitted {
                Status::Submitted
            } else {
                Status::Draft
            },
            activity_date: day(d),
        })
    }

    proptest! {
        #[test]
        fn the_engine_agrees_with_the_oracle(
            criteria in 0usize..40,
            evidence in prop::collection::vec(facts(), 0..30),
            mappings in prop::collection::vec((0u32..45, 0u32..35), 0..200),
            threshold in 0i64..2000,
        ) {
            let stale_before = day(threshold);
            let outcomes = compute(criteria, &evidence, mappings.iter().copied(), stale_before);
            prop_assert_eq!(outcomes.len(), criteria);
            let mut totals = Totals::default();
            for (index, outcome) in outcomes.iter().enumerate() {
                let (status, items, stale) = oracle(index as u32, &evidence, &mappings, stale_before);
                prop_assert_eq!(outcome.status, status);
                prop_assert_eq!(&outcome.evidence, &items);
                prop_assert_eq!(outcome.not_current, stale);
                totals.add(outcome);
            }
            prop_assert_eq!(totals.criteria, totals.evidenced + totals.draft_only + totals.no_evidence);
        }
    }

    #[test]
    fn one_submitted_item_outweighs_drafts() {
        let evidence = [
            EvidenceFacts {
                status: Status::Draft,
                activity_date: day(10),
            },
            EvidenceFacts {
                status: Status::Submitted,
                activity_date: day(10),
            },
        ];
        let out = compute(3, &evidence, [(0, 0), (0, 1), (1, 0)], day(0));
        assert_eq!(out[0].status, CriterionStatus::Evidenced);
        assert_eq!(out[1].status, CriterionStatus::DraftOnly);
        assert_eq!(out[2].status, CriterionStatus::NoEvidence);
    }

    #[test]
    fn old_submitted_evidence_is_flagged_not_current_unless_a_recent_item_exists() {
        let evidence = [
            EvidenceFacts {
                status: Status::Submitted,
                activity_date: day(1),
            },
            EvidenceFacts {
                status: Status::Submitted,
                activity_date: day(100),
            },
        ];
        let out = compute(2, &evidence, [(0, 0), (1, 0), (1, 1)], day(50));
        assert!(out[0].not_current);
        assert!(!out[1].not_current);
    }
}
