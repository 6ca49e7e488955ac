//! What a learner is, as the layers below the learner operations see it: the learner shown, the row
//! the access checks use, an enrolment. No queries that need a signed-in user live here.

use serde::{Deserialize, Serialize};

use crate::ids::LearnerRowId;

/// Longest learner name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// A learner, as shown.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct Learner {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub created_at: String,
    /// The sample portfolio: example data every user may explore, never anyone's own. The core
    /// decides this; the UI shows it.
    pub is_sample: bool,
}

/// A learner together with the internal row id used by queries.
#[derive(Debug, Clone)]
pub(crate) struct LearnerRow {
    pub row_id: LearnerRowId,
    pub learner: Learner,
    /// The sample portfolio, which every user may explore.
    pub is_sample: bool,
}

/// An enrolment: a framework (always its current version) and the units chosen, if any.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct Enrolment {
    pub framework: String,
    /// Chosen unit codes; empty means the whole framework.
    pub units: Vec<String>,
    pub enrolled_at: String,
    /// The chosen units or standards (every one, for the whole framework) whose criteria the
    /// framework's current version does not have yet, in document order: the learner cannot be
    /// assessed on them until a version with their criteria is imported (for a NOS standard, pasted
    /// from its NOS page).
    // Filled by `enrol` and `enrolments`; empty where enrolments are read only for the criteria in
    // scope (`enrolments_of`, the cohort).
    pub criteria_missing: Vec<String>,
}

pub(super) fn learner_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<LearnerRow> {
    Ok(LearnerRow {
        row_id: row.get(0)?,
        learner: Learner {
            id: row.get(1)?,
            name: row.get(2)?,
            email: row.get(3)?,
            created_at: row.get(4)?,
            is_sample: row.get(5)?,
        },
        is_sample: row.get(5)?,
    })
}
