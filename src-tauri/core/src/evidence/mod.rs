//! Evidence items: what a learner did, how it was assessed (method), when, a Markdown account, files,
//! and which criteria it meets. Edits keep every earlier version.

mod attachments;
pub(crate) mod lookup;
mod mapping;
pub mod markdown;
pub(crate) mod repo;
mod search;
mod witness;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::names::str_names;
use crate::refs::CriterionRef;

pub use crate::ids::VersionNumber;
pub use attachments::{
    blob_path, open_attachment_source, Attachment, Content, MAX_ATTACHMENT_BYTES,
};
pub(crate) use mapping::{record_removal, remove_mapping};
pub use mapping::{MapReport, MappingView, MAX_NOTE_CHARS};
pub use repo::{parse_activity_date, NewEvidence, MAX_BODY_CHARS, MAX_TITLE_CHARS};
pub use search::SearchHit;
pub use witness::{Witness, MAX_WITNESS_CHARS};

/// How the evidence was produced or assessed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    DirectObservation,
    WitnessTestimony,
    ExpertWitness,
    ProfessionalDiscussion,
    Questioning,
    ProductEvidence,
    ReflectiveAccount,
    RecognitionOfPriorLearning,
    Other,
}

str_names!(Method {
    DirectObservation => "direct_observation",
    WitnessTestimony => "witness_testimony",
    ExpertWitness => "expert_witness",
    ProfessionalDiscussion => "professional_discussion",
    Questioning => "questioning",
    ProductEvidence => "product_evidence",
    ReflectiveAccount => "reflective_account",
    RecognitionOfPriorLearning => "recognition_of_prior_learning",
    Other => "other",
});

/// Whether the learner has put the item forward for assessment.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
}

str_names!(Status {
    Draft => "draft",
    Submitted => "submitted",
});

/// An evidence item in full, as shown.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evidence {
    pub id: String,
    pub learner_id: String,
    /// The item's number in the learner's portfolio (1, 2, …).
    pub number: i64,
    pub title: String,
    pub method: Method,
    pub activity_date: String,
    pub recorded_at: String,
    pub updated_at: String,
    pub status: Status,
    pub version: VersionNumber,
    /// Who gave the testimony (witness testimony and expert witness only; empty otherwise).
    pub witness: Witness,
    pub body_markdown: String,
    /// The body rendered and sanitised: safe to insert into a page.
    pub body_html: String,
    pub attachments: Vec<Attachment>,
    pub mappings: Vec<MappingView>,
}

/// One line of an evidence listing.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvidenceSummary {
    pub id: String,
    pub number: i64,
    pub title: String,
    pub method: Method,
    pub activity_date: String,
    pub status: Status,
    pub version: VersionNumber,
    pub attachments: usize,
    #[cfg_attr(feature = "ts", ts(type = "Array<string>"))]
    pub criteria: Vec<CriterionRef>,
}

/// A saved state of an item.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvidenceVersion {
    pub version: VersionNumber,
    pub title: String,
    pub method: Method,
    pub activity_date: String,
    pub status: Status,
    pub witness: Witness,
    pub body_markdown: String,
    pub saved_at: String,
}

/// Filters for listing a learner's evidence; every field narrows the list.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EvidenceFilter {
    pub method: Option<Method>,
    pub status: Option<Status>,
    pub criterion: Option<CriterionRef>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

/// Changes to an item; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EvidenceEdit {
    pub title: Option<String>,
    pub method: Option<Method>,
    pub activity_date: Option<NaiveDate>,
    pub body_markdown: Option<String>,
    pub status: Option<Status>,
    /// Each witness part on its own, so one can be corrected without restating the others.
    pub witness_name: Option<String>,
    pub witness_role: Option<String>,
    pub witness_relationship: Option<String>,
}
