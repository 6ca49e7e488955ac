//! Turns text copied out of an awarding body's PDF specification into a draft framework, so that a
//! centre can import the official criteria without retyping them.
//!
//! A pure function ([`parse`]): no database, no file. It reads the layouts such copies have: unit
//! headers and facts, learning outcomes and assessment criteria in their usual numberings (also
//! flattened from tables), National Occupational Standards with performance criteria and
//! knowledge items; it joins wrapped lines, removes page furniture, and accounts for every line
//! ([`Draft::lines`]), listing those it could not place ([`Draft::unplaced`]) rather than
//! dropping them. The rules are in docs/framework-format.md, "Specification text".
//!
//! The work is in stages: `lines` and `items` recognise one line at a time, `classify` sorts every
//! line and finds running headers, `build` (with `flow` for plain lines) grows the tree, `finish`
//! gives codes and makes the document.

mod build;
mod classify;
mod facts;
mod finish;
mod flow;
mod items;
mod join;
mod lines;
mod tree;
mod units;

use serde::{Deserialize, Serialize};

use super::fields::MAX_FILE_BYTES;
use super::model::{FrameworkDoc, FrameworkKind};
use crate::error::{CoreError, Result};

pub use join::HYPHEN_PREFIXES;

/// What the text does not say about the framework: the draft's code, title, version and source.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecMeta {
    pub code: String,
    pub title: String,
    pub version: String,
    /// `qualification` (units, learning outcomes, assessment criteria) or `occupational_standard`
    /// (standards, performance criteria, knowledge items).
    pub kind: FrameworkKind,
    pub source: String,
}

/// The draft framework and the account of every line of the text.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Draft {
    /// Valid ([`FrameworkDoc::validate`]), never `verified`.
    pub doc: FrameworkDoc,
    /// What each line became, in line order: one entry per line, two when a line holds two things
    /// (a learning outcome and the first criterion of a flattened table row).
    pub lines: Vec<LineOutcome>,
    /// Every line left out of the draft, with the reason.
    pub unplaced: Vec<UnplacedLine>,
}

/// What a line became.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineRole {
    Blank,
    /// Removed: page number, page header or footer, copyright line, version or date footer,
    /// heading ("The learner will:"), a repeated unit header or fact. `note` says which.
    Noise,
    /// Opens a unit (or a standard, for occupational standards).
    UnitHeader,
    /// A unit's or standard's fact (reference, level, credit value, GLH, …), kept in the
    /// framework description; `note` names it.
    UnitFact,
    LearningOutcome,
    Criterion,
    /// Joined to the statement before it (`code` names it).
    Continuation,
    /// Not placed; `note` says why (also in [`Draft::unplaced`]).
    Unplaced,
}

/// One line's (or one part of a line's) outcome.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineOutcome {
    /// 1-based line number in the text.
    pub line: usize,
    pub role: LineRole,
    /// The code of the group or criterion the line opened or continued.
    pub code: Option<String>,
    /// What sort of noise or fact it was, or why it was not placed.
    pub note: Option<String>,
}

/// A line left out of the draft.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnplacedLine {
    /// 1-based line number.
    pub line: usize,
    /// The line's text, cleaned (whitespace collapsed).
    pub text: String,
    pub reason: String,
}

/// Parses copied specification text into a draft framework of kind `meta.kind`.
///
/// Fails with `invalid_input` when the text is larger than a framework file may be, the kind is
/// neither a qualification nor an occupational standard, or no criterion was recognised; with
/// `invalid_framework` when `meta` breaks the framework rules (an empty or bad code, say).
pub fn parse(text: &str, meta: &SpecMeta) -> Result<Draft> {
    if text.len() > MAX_FILE_BYTES {
        return Err(CoreError::invalid(format!(
            "the text is {} bytes long; the limit is {MAX_FILE_BYTES}",
            text.len()
        )));
    }
    let standard = match meta.kind {
        FrameworkKind::Qualification => false,
        FrameworkKind::OccupationalStandard => true,
        other => {
            return Err(CoreError::invalid(format!(
                "specification text can be read as a qualification or an occupational standard, not as {}",
                other.as_str()
            )))
        }
    };
    super::fields::check_code("framework", &meta.code)?;
    let prepared: Vec<lines::Prepared> = text.lines().map(lines::prepare).collect();
    let kinds = classify::classify(&prepared, standard);
    let texts: Vec<String> = prepared.into_iter().map(|p| p.text).collect();
    let built = build::build(&kinds, &texts, standard);
    finish::finish(built, meta, &texts)
}
