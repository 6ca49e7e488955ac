//! Review and judgement: feedback threads on evidence items (and returning an item for changes),
//! assessors' judgements per criterion citing the evidence relied on, unit sign-off, the learner's
//! declaration of authenticity, and the signatures that record exactly what was signed.

mod caseload;
mod diff;
mod feedback;
mod judgement;
pub(crate) mod signature;
pub(crate) mod statement;
mod unit;

use serde::{Deserialize, Serialize};

use crate::ids::VersionNumber;
use crate::names::str_names;
use crate::refs::CriterionRef;

pub use caseload::{rag_of, CaseFacts, CaseloadRow, Rag};
pub use diff::DiffLine;
pub use diff::{FieldChange, VersionDiff};
pub use feedback::DECLARATION;
pub use signature::{Signature, SignatureKind};
pub use unit::UnitSignOff;

/// A comment in an item's feedback thread.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct Feedback {
    pub id: String,
    pub evidence_id: String,
    pub author_id: Option<String>,
    pub author_name: String,
    pub body: String,
    /// The item version the comment was written on.
    pub on_version: VersionNumber,
    /// The comment returned the item to its learner for changes.
    pub requests_changes: bool,
    pub created_at: String,
}

/// An assessor's decision on one criterion.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Met,
    NotYetMet,
}

str_names!(Outcome {
    Met => "met",
    NotYetMet => "not_yet_met",
});

/// An evidence item a judgement relies on, at the version the assessor saw.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct CitedEvidence {
    pub id: String,
    pub number: i64,
    pub version: VersionNumber,
    pub title: String,
}

/// A judgement with its signature.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct Judgement {
    pub id: String,
    pub learner_id: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    #[serde(rename = "ref")]
    pub reference: CriterionRef,
    pub outcome: Outcome,
    pub comment: String,
    pub assessor_name: String,
    pub judged_at: String,
    pub evidence: Vec<CitedEvidence>,
    pub signature: Signature,
    /// False for a judgement from a bundle whose signature did not verify: kept, shown, never counted.
    pub counted: bool,
    /// Whether it is the one that stands for its criterion: the newest counted judgement by the time
    /// it was signed.
    pub standing: bool,
}

/// Longest feedback comment or judgement comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 20_000;

/// A feedback or judgement comment, trimmed and checked like every multi-line text.
pub(crate) fn check_comment(comment: &str) -> crate::Result<String> {
    let comment = comment.trim();
    crate::input::multi_line("the comment", comment, MAX_COMMENT_CHARS)?;
    Ok(comment.to_string())
}
