//! Comparing a framework version with the one before it, criterion by criterion: one pure function
//! that the import (which moves mappings and judgements by what it says) and the preview (which only
//! shows it) both use, so what a preview promises is what the import then does.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use super::model::FrameworkDoc;

/// A criterion of the version being replaced, as stored.
#[derive(Debug, Clone)]
pub(crate) struct StoredCriterion {
    pub code: String,
    pub text: String,
}

/// What the new version does to one criterion of the previous version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fate {
    /// The same code with the same text: mappings and judgements carry over.
    Kept,
    /// The same code with other words: mappings carry over; a judgement waits to be re-checked.
    Reworded,
    /// No longer in the framework: mappings and judgements stay on the previous version.
    Removed,
}

/// The criterion-by-criterion comparison of two versions.
#[derive(Debug, Clone, Default)]
pub(crate) struct Comparison {
    /// Code → fate, for every criterion of the previous version.
    pub fates: HashMap<String, Fate>,
    /// Codes new in this version, in the document's order.
    pub added: Vec<String>,
}

impl Comparison {
    pub fn fate(&self, code: &str) -> Fate {
        self.fates.get(code).copied().unwrap_or(Fate::Removed)
    }
}

/// Compares the previous version's criteria with the new document's.
pub(crate) fn compare(previous: &[StoredCriterion], doc: &FrameworkDoc) -> Comparison {
    let new_text: HashMap<&str, &str> = doc
        .criteria
        .iter()
        .map(|c| (c.code.as_str(), c.text.as_str()))
        .collect();
    let fates: HashMap<String, Fate> = previous
        .iter()
        .map(|old| {
            let fate = match new_text.get(old.code.as_str()) {
                Some(text) if *text == old.text => Fate::Kept,
                Some(_) => Fate::Reworded,
                None => Fate::Removed,
            };
            (old.code.clone(), fate)
        })
        .collect();
    let added = doc
        .criteria
        .iter()
        .filter(|c| !fates.contains_key(&c.code))
        .map(|c| c.code.clone())
        .collect();
    Comparison { fates, added }
}

/// One run of words in a text difference: `same`, `removed` or `added`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct WordChange {
    pub change: String,
    pub text: String,
}

/// The word-by-word difference between a criterion's old and new text, neighbouring words of the
/// same kind joined into one run.
pub fn word_diff(old: &str, new: &str) -> Vec<WordChange> {
    let diff = TextDiff::from_words(old, new);
    let mut runs: Vec<WordChange> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Delete => "removed",
            ChangeTag::Insert => "added",
        };
        match runs.last_mut() {
            Some(last) if last.change == kind => last.text.push_str(change.value()),
            _ => runs.push(WordChange {
                change: kind.to_string(),
                text: change.value().to_string(),
            }),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reworded_criterion_shows_the_words_that_went_and_came() {
        let runs = word_diff(
            "support groups to work together",
            "support community groups to work in partnership",
        );
        let removed: String = runs
            .iter()
            .filter(|r| r.change == "removed")
            .map(|r| r.text.as_str())
            .collect();
        let added: String = runs
            .iter()
            .filter(|r| r.change == "added")
            .map(|r| r.text.as_str())
            .collect();
        assert!(removed.contains("together"), "{runs:?}");
        assert!(added.contains("community"), "{runs:?}");
        assert!(added.contains("partnership"), "{runs:?}");
        let old: String = runs
            .iter()
            .filter(|r| r.change != "added")
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(old, "support groups to work together");
    }
}
