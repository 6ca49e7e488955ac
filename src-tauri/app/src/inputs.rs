//! What the webview sends: plain data the commands turn into core calls. Dates arrive as `YYYY-MM-DD`
//! text and enums as their snake_case names; the core validates everything.

use evidence_core::evidence::{
    parse_activity_date, EvidenceEdit, EvidenceFilter, Method, NewEvidence, Status, Witness,
};
use evidence_core::{CoreError, CriterionRef};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A new evidence item as the editor sends it.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct NewEvidenceInput {
    pub learner: String,
    pub title: String,
    pub method: Method,
    pub activity_date: String,
    pub body_markdown: String,
    pub status: Status,
    /// Witness testimony and expert witness only; absent means none recorded yet.
    #[serde(default)]
    #[ts(optional)]
    pub witness: Option<Witness>,
}

/// Changes to an item; absent fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct EvidenceEditInput {
    #[ts(optional)]
    pub title: Option<String>,
    #[ts(optional)]
    pub method: Option<Method>,
    #[ts(optional)]
    pub activity_date: Option<String>,
    #[ts(optional)]
    pub body_markdown: Option<String>,
    #[ts(optional)]
    pub status: Option<Status>,
    #[ts(optional)]
    pub witness_name: Option<String>,
    #[ts(optional)]
    pub witness_role: Option<String>,
    #[ts(optional)]
    pub witness_relationship: Option<String>,
}

/// Filters for the evidence list.
#[derive(Debug, Clone, Default, Deserialize, TS)]
pub struct EvidenceFilterInput {
    #[ts(optional)]
    pub method: Option<Method>,
    #[ts(optional)]
    pub status: Option<Status>,
    #[ts(optional)]
    pub criterion: Option<String>,
    #[ts(optional)]
    pub from: Option<String>,
    #[ts(optional)]
    pub to: Option<String>,
}

/// Where the portfolio lives and which version is running.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppInfo {
    pub data_dir: String,
    pub version: String,
    pub schema_version: i64,
}

impl NewEvidenceInput {
    pub fn into_core(self) -> Result<NewEvidence, CoreError> {
        Ok(NewEvidence {
            learner: self.learner,
            title: self.title,
            method: self.method,
            activity_date: parse_activity_date(&self.activity_date)?,
            body_markdown: self.body_markdown,
            status: self.status,
            witness: self.witness.unwrap_or_default(),
        })
    }
}

impl EvidenceEditInput {
    pub fn into_core(self) -> Result<EvidenceEdit, CoreError> {
        Ok(EvidenceEdit {
            title: self.title,
            method: self.method,
            activity_date: self
                .activity_date
                .as_deref()
                .map(parse_activity_date)
                .transpose()?,
            body_markdown: self.body_markdown,
            status: self.status,
            witness_name: self.witness_name,
            witness_role: self.witness_role,
            witness_relationship: self.witness_relationship,
        })
    }
}

impl EvidenceFilterInput {
    pub fn into_core(self) -> Result<EvidenceFilter, CoreError> {
        let date = |d: Option<String>| {
            d.filter(|d| !d.is_empty())
                .as_deref()
                .map(parse_activity_date)
                .transpose()
        };
        Ok(EvidenceFilter {
            method: self.method,
            status: self.status,
            criterion: self
                .criterion
                .filter(|c| !c.is_empty())
                .as_deref()
                .map(CriterionRef::parse)
                .transpose()?,
            from: date(self.from)?,
            to: date(self.to)?,
        })
    }
}

/// Parses the criterion references a command received.
pub fn refs(list: &[String]) -> Result<Vec<CriterionRef>, CoreError> {
    list.iter().map(|r| CriterionRef::parse(r)).collect()
}
