//! A criteria framework as a document: what a framework file says, before it is stored.
//!
//! Every importer (native TOML, Moodle CSV) produces a [`FrameworkDoc`]; [`FrameworkDoc::validate`] is the
//! one place that decides whether it may be stored.

use crate::names::str_names;
use serde::{Deserialize, Serialize};

/// What sort of framework this is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameworkKind {
    Qualification,
    OccupationalStandard,
    Values,
    CompetenceFramework,
}

/// What sort of criterion this is.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionKind {
    AssessmentCriterion,
    PerformanceCriterion,
    KnowledgeItem,
    ValueStatement,
    Indicator,
}

/// What sort of group this is: a level of the framework's tree.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    Unit,
    LearningOutcome,
    KeyArea,
    Standard,
    Value,
    Competence,
    Section,
}

str_names!(FrameworkKind {
    Qualification => "qualification",
    OccupationalStandard => "occupational_standard",
    Values => "values",
    CompetenceFramework => "competence_framework",
});

str_names!(CriterionKind {
    AssessmentCriterion => "assessment_criterion",
    PerformanceCriterion => "performance_criterion",
    KnowledgeItem => "knowledge_item",
    ValueStatement => "value_statement",
    Indicator => "indicator",
});

str_names!(GroupKind {
    Unit => "unit",
    LearningOutcome => "learning_outcome",
    KeyArea => "key_area",
    Standard => "standard",
    Value => "value",
    Competence => "competence",
    Section => "section",
});

/// A framework as read from a file.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkDoc {
    pub code: String,
    pub title: String,
    pub kind: FrameworkKind,
    pub version: String,
    /// Where the text comes from (publisher, document, date, address).
    pub source: String,
    /// Whether the criteria text has been confirmed against the official specification.
    pub verified: bool,
    pub description: String,
    /// Groups in document order; a parent comes before its children.
    pub groups: Vec<GroupDoc>,
    /// Criteria in document order.
    pub criteria: Vec<CriterionDoc>,
    /// Which evidence methods are accepted for a kind of criterion or for named criteria.
    #[serde(default)]
    pub method_rules: Vec<MethodRuleDoc>,
}

/// Which evidence methods count for some criteria: every criterion of one kind (`applies_to`), or the
/// criteria listed (`criteria`), never both.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MethodRuleDoc {
    pub applies_to: Option<CriterionKind>,
    /// Criterion codes of this framework; empty when the rule names a kind.
    pub criteria: Vec<String>,
    pub methods: Vec<crate::evidence::Method>,
    /// Where the rule comes from (an assessment strategy, a centre's policy, …).
    pub source: String,
}

/// A node of the framework's tree (unit, learning outcome, key area, standard, …).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupDoc {
    pub code: String,
    pub kind: GroupKind,
    pub title: String,
    /// Code of the parent group; `None` for a top-level group.
    pub parent: Option<String>,
}

/// One criterion: a statement evidence is mapped to.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionDoc {
    pub code: String,
    pub kind: CriterionKind,
    pub text: String,
    /// Code of the group it belongs to; `None` when the framework has no groups.
    pub group: Option<String>,
}
