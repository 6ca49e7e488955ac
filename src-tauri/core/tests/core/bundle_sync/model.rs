//! The oracle of the exchange property: what each computer should hold of each item, worked out
//! from the rules alone (no store). Every saved version is an *edit* (a change typed there, or a
//! resolution: a new version holding the chosen fields). Each computer knows a set of edits per item,
//! the item's current fields, its mappings (criterion → the name of the mapping, `mapped_at` in the
//! store) and the removals it has recorded.
//!
//! An import compares the sender's edits with the receiver's: nothing new → unchanged; new edits and
//! none the sender lacks → the receiver follows; both have edits the other lacks but the same fields
//! → they converge (both histories joined, nothing to choose); otherwise a conflict, where the
//! sender's side waits until the learner resolves it. Mappings of an item not left in conflict merge
//! by removals: a removal the sender recorded takes away the receiver's mapping of that name; a
//! mapping the sender has is added unless either side removed it or the receiver has the criterion.

use std::collections::{BTreeMap, BTreeSet};

pub const CRITERIA: [&str; 3] = [
    "NOCN-L3-CD:PWC.1.1",
    "CD-NOS:CLDSCCD15.PC1",
    "CD-NOS:CLDSCCD15.K1",
];

/// An item's fields that the property changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    pub title: String,
    pub body: String,
}

impl Fields {
    pub fn typed(text: &str) -> Fields {
        Fields {
            title: text.to_string(),
            body: format!("Account of {text}."),
        }
    }
}

/// One computer's copy of an item's mappings: criterion → mapping name, and the removals known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mappings {
    pub mapped: BTreeMap<usize, u64>,
    pub gone: BTreeSet<(usize, u64)>,
}

impl Mappings {
    /// The sender's mappings meeting these (an item not in conflict).
    fn merge(&mut self, sent: &Mappings) {
        let before = self.gone.clone();
        let mut removed_now = BTreeSet::new();
        for &(criterion, name) in &sent.gone {
            self.gone.insert((criterion, name));
            if self.mapped.get(&criterion) == Some(&name) {
                self.mapped.remove(&criterion);
                removed_now.insert(criterion);
            }
        }
        for (&criterion, &name) in &sent.mapped {
            if before.contains(&(criterion, name)) || sent.gone.contains(&(criterion, name)) {
                continue;
            }
            if !self.mapped.contains_key(&criterion) || removed_now.contains(&criterion) {
                self.mapped.insert(criterion, name);
            }
        }
    }

    /// Resolving a conflict: exactly the chosen side's criteria; everything left out is removed;
    /// a kept mapping a removal names gets a new name (`fresh`).
    fn resolve(&mut self, theirs: &Mappings, take_theirs: bool, fresh: &mut dyn FnMut() -> u64) {
        self.gone.extend(theirs.gone.iter().copied());
        let keep: BTreeSet<usize> = if take_theirs {
            theirs.mapped.keys().copied().collect()
        } else {
            self.mapped.keys().copied().collect()
        };
        for (&criterion, &name) in self.mapped.iter().chain(&theirs.mapped) {
            if !keep.contains(&criterion) {
                self.gone.insert((criterion, name));
            }
        }
        let mut result = BTreeMap::new();
        for criterion in keep {
            let live = |name: &u64| !self.gone.contains(&(criterion, *name));
            let name = self
                .mapped
                .get(&criterion)
                .filter(|n| live(n))
                .or(theirs.mapped.get(&criterion).filter(|n| live(n)))
                .copied()
                .unwrap_or_else(&mut *fresh);
            result.insert(criterion, name);
        }
        self.mapped = result;
    }

    pub fn criteria(&self) -> BTreeSet<String> {
        self.mapped
            .keys()
            .map(|&c| CRITERIA[c].to_string())
            .collect()
    }
}

/// The other side of a conflict, as it arrived.
#[derive(Debug, Clone)]
pub struct Waiting {
    pub known: BTreeSet<String>,
    pub fields: Fields,
    pub mappings: Mappings,
}

/// One computer's copy of an item.
#[derive(Debug, Clone)]
pub struct Copy {
    /// The edits in its history.
    pub known: BTreeSet<String>,
    pub fields: Fields,
    pub mappings: Mappings,
    pub waiting: Option<Waiting>,
}

/// What an import of one item should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Unchanged,
    Followed,
    Conflict,
}

impl Copy {
    pub fn new(text: &str) -> Copy {
        Copy {
            known: BTreeSet::from([text.to_string()]),
            fields: Fields::typed(text),
            mappings: Mappings::default(),
            waiting: None,
        }
    }

    /// The sender's copy `sent` arriving here.
    pub fn receive(&mut self, sent: &Copy) -> Outcome {
        let outcome = if sent.known.is_subset(&self.known) {
            Outcome::Unchanged
        } else if self.known.is_subset(&sent.known) || self.fields == sent.fields {
            self.known.extend(sent.known.iter().cloned());
            self.fields = sent.fields.clone();
            if self
                .waiting
                .as_ref()
                .is_some_and(|w| w.known.is_subset(&self.known))
            {
                self.waiting = None;
            }
            Outcome::Followed
        } else {
            self.waiting = Some(Waiting {
                known: sent.known.clone(),
                fields: sent.fields.clone(),
                mappings: sent.mappings.clone(),
            });
            return Outcome::Conflict;
        };
        self.mappings.merge(&sent.mappings);
        outcome
    }

    /// The fields a conflict shows (of those the property changes).
    pub fn differing(&self) -> Vec<&'static str> {
        let Some(w) = &self.waiting else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if w.fields.title != self.fields.title {
            out.push("title");
        }
        if w.fields.body != self.fields.body {
            out.push("body");
        }
        if w.mappings.mapped.keys().ne(self.mappings.mapped.keys()) {
            out.push("mappings");
        }
        out
    }

    /// Resolves the waiting conflict taking `take` from the other side, as the edit `edit`; returns
    /// the title the resolution holds.
    pub fn resolve(&mut self, take: &[String], edit: &str, fresh: &mut dyn FnMut() -> u64) {
        let Some(w) = self.waiting.take() else {
            return;
        };
        let taken = |f: &str| take.iter().any(|t| t == f);
        if taken("title") {
            self.fields.title = w.fields.title.clone();
        }
        if taken("body") {
            self.fields.body = w.fields.body.clone();
        }
        self.mappings
            .resolve(&w.mappings, taken("mappings"), &mut *fresh);
        self.known.extend(w.known);
        self.known.insert(edit.to_string());
    }
}
