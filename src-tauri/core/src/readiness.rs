//! Submission readiness: everything that stands between a learner (or one unit) and submission, each
//! blocker named with the rule of evidence behind it (valid, authentic, reliable, current, sufficient)
//! and what fixes it. "Ready" only when nothing blocks.
//!
//! Checked here: criteria with no evidence, with only draft evidence, with evidence not yet assessed
//! or judged not yet met, judged met on evidence that has changed since, with only evidence older than
//! the currency threshold, and submitted items relied on without the learner's (still matching)
//! declaration of authenticity.

use serde::Serialize;

use crate::error::Result;
use crate::frameworks::model::str_names;
use crate::gaps::{CriterionStatus, GapFlag};
use crate::learners::Learner;
use crate::store::Store;
use crate::time::now_rfc3339;

/// The rules of evidence an assessor applies.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceRule {
    Valid,
    Authentic,
    Reliable,
    Current,
    Sufficient,
}

str_names!(EvidenceRule {
    Valid => "valid",
    Authentic => "authentic",
    Reliable => "reliable",
    Current => "current",
    Sufficient => "sufficient",
});

impl EvidenceRule {
    /// What the rule asks, in a sentence a learner can act on.
    pub fn meaning(self) -> &'static str {
        match self {
            EvidenceRule::Valid => "Valid: the evidence shows exactly what the criterion asks, confirmed by an assessor.",
            EvidenceRule::Authentic => "Authentic: the evidence is the learner's own work, and they have declared it.",
            EvidenceRule::Reliable => "Reliable: the evidence would show the same thing to any assessor; testimony says who gave it.",
            EvidenceRule::Current => "Current: the evidence shows what the learner can do now, not years ago.",
            EvidenceRule::Sufficient => "Sufficient: there is enough submitted evidence to cover the whole criterion.",
        }
    }
}

/// Why something blocks submission.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockerKind {
    NoEvidence,
    DraftOnly,
    NotAssessed,
    NotMet,
    /// Met, but the evidence relied on changed after the judgement was signed.
    AssessmentOutdated,
    NotCurrent,
    NoDeclaration,
}

/// One blocker, linked to what fixes it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Blocker {
    pub kind: BlockerKind,
    pub rule: EvidenceRule,
    /// What the rule asks, in a sentence ([`EvidenceRule::meaning`]).
    pub rule_meaning: String,
    /// The criterion concerned (`FRAMEWORK:CODE`), if any.
    pub criterion: Option<String>,
    /// The evidence item concerned, if any.
    pub evidence: Option<String>,
    pub message: String,
    /// What to do about it.
    pub fix: String,
}

/// A learner's (or one unit's) readiness to submit.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Readiness {
    pub learner: Learner,
    /// `FRAMEWORK:UNIT` when the check covers one unit, else null.
    pub unit: Option<String>,
    pub checked_at: String,
    pub criteria: usize,
    pub ready: bool,
    pub blockers: Vec<Blocker>,
}

impl Store {
    /// Everything that blocks a learner's submission, or one unit's (`unit` as `FRAMEWORK:UNIT`).
    pub fn readiness(&self, learner: &str, unit: Option<&str>) -> Result<Readiness> {
        let coverage = self.coverage(learner)?;
        let in_unit =
            |framework: &str, groups: &[String]| match unit.and_then(|u| u.split_once(':')) {
                Some((fw, code)) => framework == fw && groups.iter().any(|g| g == code),
                None => true,
            };
        if let Some(u) = unit {
            let known = coverage
                .criteria
                .iter()
                .any(|c| in_unit(&c.framework, &c.groups));
            if !known {
                return Err(crate::error::CoreError::not_found(
                    "unit in this learner's enrolments",
                    u,
                ));
            }
        }
        // The standing (newest) judgement per criterion, and whether its signature still matches.
        let mut standing: std::collections::HashMap<String, bool> =
            std::collections::HashMap::new();
        for j in self.judgements(&coverage.learner.id)? {
            standing
                .entry(j.reference.to_string())
                .or_insert(j.signature.matches);
        }
        let mut blockers = Vec::new();
        let mut relied_on: Vec<&str> = Vec::new();
        let mut criteria = 0;
        for c in coverage
            .criteria
            .iter()
            .filter(|c| in_unit(&c.framework, &c.groups))
        {
            criteria += 1;
            let reference = c.reference.to_string();
            let blocker = |kind, rule: EvidenceRule, message: String, fix: &str| Blocker {
                kind,
                rule,
                rule_meaning: rule.meaning().to_string(),
                criterion: Some(reference.clone()),
                evidence: None,
                message,
                fix: fix.to_string(),
            };
            match c.status {
                CriterionStatus::NoEvidence => blockers.push(blocker(
                    BlockerKind::NoEvidence,
                    EvidenceRule::Sufficient,
                    format!("{reference} has no evidence"),
                    "record evidence and map it to this criterion",
                )),
                CriterionStatus::DraftOnly => blockers.push(blocker(
                    BlockerKind::DraftOnly,
                    EvidenceRule::Sufficient,
                    format!("{reference} has only draft evidence"),
                    "finish the draft and submit it",
                )),
                CriterionStatus::Evidenced => blockers.push(blocker(
                    BlockerKind::NotAssessed,
                    EvidenceRule::Valid,
                    format!("{reference} has submitted evidence not yet assessed"),
                    "ask your assessor to assess it",
                )),
                CriterionStatus::NotYetMet => blockers.push(blocker(
                    BlockerKind::NotMet,
                    EvidenceRule::Sufficient,
                    format!("{reference} was judged not yet met"),
                    "read the assessor's comment and add the evidence it asks for",
                )),
                CriterionStatus::Met => {
                    if standing.get(&reference) == Some(&false) {
                        blockers.push(blocker(
                            BlockerKind::AssessmentOutdated,
                            EvidenceRule::Valid,
                            format!(
                                "{reference} was judged met on evidence that has changed since"
                            ),
                            "ask your assessor to assess it again",
                        ));
                    }
                }
            }
            if c.flags.contains(&GapFlag::NotCurrent) {
                blockers.push(blocker(
                    BlockerKind::NotCurrent,
                    EvidenceRule::Current,
                    format!(
                        "{reference} rests only on evidence older than {} years",
                        coverage.currency_years
                    ),
                    "add recent evidence for this criterion",
                ));
            }
            relied_on.extend(c.evidence.iter().map(String::as_str));
        }
        relied_on.sort_unstable();
        relied_on.dedup();
        for item in coverage.evidence.iter().filter(|e| {
            e.status == crate::evidence::Status::Submitted
                && relied_on.binary_search(&e.id.as_str()).is_ok()
        }) {
            let declared = self.declaration(&item.id)?.is_some_and(|s| s.matches);
            if !declared {
                blockers.push(Blocker {
                    kind: BlockerKind::NoDeclaration,
                    rule: EvidenceRule::Authentic,
                    rule_meaning: EvidenceRule::Authentic.meaning().to_string(),
                    criterion: None,
                    evidence: Some(item.id.clone()),
                    message: format!(
                        "E{} \"{}\" has no declaration of authenticity for its current version",
                        item.number, item.title
                    ),
                    fix: "open the item and declare it your own work".into(),
                });
            }
        }
        Ok(Readiness {
            learner: coverage.learner,
            unit: unit.map(str::to_string),
            checked_at: now_rfc3339(),
            criteria,
            ready: blockers.is_empty(),
            blockers,
        })
    }
}
