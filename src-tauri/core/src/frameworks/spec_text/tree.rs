//! The draft tree while it is being built, and what each line became, by position: codes are only
//! given at the end (`finish.rs`), since a unit's number may come after its first lines.

use super::super::fields::{MAX_TEXT_CHARS, MAX_TITLE_CHARS};
use super::super::model::CriterionKind;

/// A unit of a qualification or a standard of an occupational standards suite.
#[derive(Debug, Default)]
pub struct Unit {
    pub number: Option<u32>,
    /// A standard's own code ("CLDSCCD15").
    pub std_code: Option<String>,
    pub title: String,
    pub line: usize,
    /// Labelled facts (reference, level, credits, GLH, …) in the order given.
    pub facts: Vec<(&'static str, String)>,
    pub outcomes: Vec<Outcome>,
    /// A standard's performance criteria and knowledge items.
    pub items: Vec<Crit>,
    /// Made for learning outcomes that came before any unit header.
    pub implicit: bool,
}

#[derive(Debug)]
pub struct Outcome {
    pub number: u32,
    pub title: String,
    pub line: usize,
    pub criteria: Vec<Crit>,
}

#[derive(Debug)]
pub struct Crit {
    /// The number as the code writes it: "1.1", "1.1a", "PC3", "K12".
    pub label: String,
    pub kind: CriterionKind,
    pub text: String,
    pub line: usize,
}

/// A statement of the tree, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ref {
    Unit(usize),
    Fact(usize, usize),
    Outcome(usize, usize),
    /// A criterion: of an outcome, or (`None`) directly of a standard.
    Crit(usize, Option<usize>, usize),
}

/// What a line (or one part of a line) became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placed {
    Blank,
    Noise(&'static str),
    Header(usize),
    Fact(usize, usize),
    Outcome(usize, usize),
    Crit(Ref),
    Cont(Ref),
    Unplaced(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub line: usize,
    pub placed: Placed,
}

/// The tree and the account of every line.
#[derive(Debug, Default)]
pub struct Built {
    pub units: Vec<Unit>,
    pub entries: Vec<Entry>,
}

impl Built {
    /// The text of a statement and its limit in characters.
    pub fn text(&self, r: Ref) -> Option<(&String, usize)> {
        let unit = self.units.get(r.unit())?;
        Some(match r {
            Ref::Unit(_) => (&unit.title, MAX_TITLE_CHARS),
            Ref::Fact(_, f) => (&unit.facts.get(f)?.1, MAX_TEXT_CHARS),
            Ref::Outcome(_, o) => (&unit.outcomes.get(o)?.title, MAX_TITLE_CHARS),
            Ref::Crit(_, Some(o), c) => {
                (&unit.outcomes.get(o)?.criteria.get(c)?.text, MAX_TEXT_CHARS)
            }
            Ref::Crit(_, None, c) => (&unit.items.get(c)?.text, MAX_TEXT_CHARS),
        })
    }

    pub fn text_mut(&mut self, r: Ref) -> Option<&mut String> {
        let unit = self.units.get_mut(r.unit())?;
        Some(match r {
            Ref::Unit(_) => &mut unit.title,
            Ref::Fact(_, f) => &mut unit.facts.get_mut(f)?.1,
            Ref::Outcome(_, o) => &mut unit.outcomes.get_mut(o)?.title,
            Ref::Crit(_, Some(o), c) => &mut unit.outcomes.get_mut(o)?.criteria.get_mut(c)?.text,
            Ref::Crit(_, None, c) => &mut unit.items.get_mut(c)?.text,
        })
    }

    pub fn crit(&self, r: Ref) -> Option<&Crit> {
        let unit = self.units.get(r.unit())?;
        match r {
            Ref::Crit(_, Some(o), c) => unit.outcomes.get(o)?.criteria.get(c),
            Ref::Crit(_, None, c) => unit.items.get(c),
            _ => None,
        }
    }
}

impl Ref {
    pub fn unit(self) -> usize {
        match self {
            Ref::Unit(u) | Ref::Fact(u, _) | Ref::Outcome(u, _) | Ref::Crit(u, _, _) => u,
        }
    }
}
