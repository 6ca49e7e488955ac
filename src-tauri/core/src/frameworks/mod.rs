//! Criteria frameworks: versioned data (qualifications, occupational standards, values, competence
//! frameworks), their file formats, and how they are stored and replaced by new versions.

pub mod crosswalk;
mod fields;
pub mod method_rules;
pub mod model;
pub mod moodle_csv;
pub mod native;
mod read;
mod repo;
pub(crate) mod shipped;
pub mod validate;

pub use method_rules::rule_for;
pub use model::{
    CriterionDoc, CriterionKind, FrameworkDoc, FrameworkKind, GroupDoc, GroupKind, MethodRuleDoc,
};
pub use read::{CriterionInfo, FrameworkSummary};
pub use repo::{ChangedCriterion, ImportOutcome, ImportReport, RemovedCriterion};
