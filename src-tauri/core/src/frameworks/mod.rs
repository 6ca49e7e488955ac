//! Criteria frameworks: versioned data (qualifications, occupational standards, values, competence
//! frameworks), their file formats, and how they are stored and replaced by new versions.

mod compare;
pub mod crosswalk;
pub mod detect;
mod fields;
pub mod fill_in;
pub mod intake;
pub mod method_rules;
pub mod model;
pub mod moodle_csv;
pub mod native;
pub mod numbering;
mod preview;
mod read;
mod repo;
pub(crate) mod shipped;
pub mod spec_text;
pub mod validate;

pub use compare::{word_diff, WordChange};
pub use method_rules::rule_for;
pub use model::{
    CriterionDoc, CriterionKind, FrameworkDoc, FrameworkKind, GroupDoc, GroupKind, MethodRuleDoc,
};
pub use preview::{AddedCriterion, AlteredCriterion, ImportPreview, LearnerEffect};
pub use read::{CriterionInfo, FrameworkSummary};
pub use repo::{ChangedCriterion, ImportOutcome, ImportReport, RemovedCriterion};
