//! Submission readiness: everything that stands between a learner (or one unit) and submission, each
//! blocker named with the rule of evidence behind it (valid, authentic, reliable, current, sufficient)
//! and what fixes it. "Ready" only when nothing blocks.
//!
//! Checked here: criteria with no evidence, with only draft evidence, with evidence not yet assessed
//! or judged not yet met, judged met on evidence that has changed since, with only evidence older than
//! the currency threshold, and with evidence only by methods their framework's method rules do not
//! accept; and submitted items relied on without the learner's (still matching) declaration of
//! authenticity, or, for witness testimony and expert witness, without the witness's name, role and
//! relationship to the learner.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::evidence::{Method, Status};
use crate::frameworks::{rule_for, MethodRuleDoc};
use crate::gaps::{CriterionStatus, EvidenceRef, GapFlag};
use crate::learners::Learner;
use crate::names::str_names;
use crate::store::access::Need;
use crate::store::Store;
use crate::time::now_rfc3339;

/// The rules of evidence an assessor applies.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
    /// A submitted testimony without the witness's name, role or relationship to the learner.
    WitnessIncomplete,
    /// The criterion's evidence is only by methods its framework does not accept for it.
    MethodNotAccepted,
}

/// One blocker, linked to what fixes it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
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
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
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
        let allowed = self.require_portfolio(&self.learner_row(learner)?, Need::Read)?;
        let conn = self.read(&allowed);
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
        let mut rules: std::collections::HashMap<&str, Vec<MethodRuleDoc>> =
            std::collections::HashMap::new();
        for f in &coverage.frameworks {
            let loaded = crate::frameworks::method_rules::load_version(conn, &f.code, &f.version)?;
            rules.insert(f.code.as_str(), loaded);
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
            let rule = rules
                .get(c.framework.as_str())
                .and_then(|r| rule_for(r, &c.reference.code, c.kind));
            if let Some(rule) = rule {
                let items: Vec<&EvidenceRef> = c
                    .evidence
                    .iter()
                    .filter_map(|id| coverage.evidence.iter().find(|e| &e.id == id))
                    .collect();
                if let Some((message, fix)) = methods_not_accepted(&reference, rule, &items) {
                    blockers.push(blocker(
                        BlockerKind::MethodNotAccepted,
                        EvidenceRule::Valid,
                        message,
                        &fix,
                    ));
                }
            }
            relied_on.extend(c.evidence.iter().map(String::as_str));
        }
        relied_on.sort_unstable();
        relied_on.dedup();
        // Items with any declaration at all, in one query: only those need their signature checked.
        let declared_items: std::collections::HashSet<String> = conn
            .prepare_cached(
                "SELECT DISTINCT substr(s.subject, 10) FROM signatures s JOIN learners l ON l.id = s.learner_id
                 WHERE l.uuid = ?1 AND s.kind = 'declaration'",
            )?
            .query_map([&coverage.learner.id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for item in coverage.evidence.iter().filter(|e| {
            e.status == Status::Submitted && relied_on.binary_search(&e.id.as_str()).is_ok()
        }) {
            if item.method.takes_witness() {
                let missing = self.witness_of(&allowed, &item.id)?.missing();
                if !missing.is_empty() {
                    blockers.push(item_blocker(
                        BlockerKind::WitnessIncomplete,
                        EvidenceRule::Reliable,
                        item,
                        format!(
                            "E{} \"{}\" does not say the witness's {}",
                            item.number,
                            item.title,
                            and_list(&missing)
                        ),
                        "open the item and add the witness's name, role and relationship to you",
                    ));
                }
            }
            let declared = declared_items.contains(&item.id)
                && self.declaration(&item.id)?.is_some_and(|s| s.matches);
            if !declared {
                blockers.push(item_blocker(
                    BlockerKind::NoDeclaration,
                    EvidenceRule::Authentic,
                    item,
                    format!(
                        "E{} \"{}\" has no declaration of authenticity for its current version",
                        item.number, item.title
                    ),
                    "open the item and declare it your own work",
                ));
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

/// A blocker about one evidence item rather than a criterion.
fn item_blocker(
    kind: BlockerKind,
    rule: EvidenceRule,
    item: &EvidenceRef,
    message: String,
    fix: &str,
) -> Blocker {
    Blocker {
        kind,
        rule,
        rule_meaning: rule.meaning().to_string(),
        criterion: None,
        evidence: Some(item.id.clone()),
        message,
        fix: fix.to_string(),
    }
}

/// "a", "a and b", "a, b and c" (with `word` for "and").
fn listed<S: AsRef<str>>(parts: &[S], word: &str) -> String {
    match parts {
        [] => String::new(),
        [only] => only.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} {word} {}",
            init.iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}

fn and_list<S: AsRef<str>>(parts: &[S]) -> String {
    listed(parts, "and")
}

fn or_list<S: AsRef<str>>(parts: &[S]) -> String {
    listed(parts, "or")
}

/// A method as words: "direct observation".
fn words(method: Method) -> String {
    method.as_str().replace('_', " ")
}

/// The message and fix when a criterion has evidence but none submitted by an accepted method. A
/// criterion with no evidence at all is left to the no-evidence blocker.
fn methods_not_accepted(
    reference: &str,
    rule: &MethodRuleDoc,
    items: &[&EvidenceRef],
) -> Option<(String, String)> {
    let accepted = |m: &Method| rule.methods.contains(m);
    let submitted_ok = items
        .iter()
        .any(|e| e.status == Status::Submitted && accepted(&e.method));
    if items.is_empty() || submitted_ok {
        return None;
    }
    let mut used: Vec<String> = Vec::new();
    for item in items.iter().filter(|e| !accepted(&e.method)) {
        let w = words(item.method);
        if !used.contains(&w) {
            used.push(w);
        }
    }
    if used.is_empty() {
        // Only drafts, all by accepted methods: the draft-only blocker already says to submit them.
        return None;
    }
    let accepted_words: Vec<String> = rule.methods.iter().copied().map(words).collect();
    Some((
        format!(
            "{reference} has evidence only by methods the framework does not accept for it ({}); accepted: {}",
            used.join(", "),
            accepted_words.join(", ")
        ),
        format!(
            "add evidence by {} for this criterion",
            or_list(&accepted_words)
        ),
    ))
}
