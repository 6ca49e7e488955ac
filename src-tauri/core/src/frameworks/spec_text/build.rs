//! Reads the classified lines in order and grows the draft tree: which unit, outcome or criterion
//! each line opens or continues, and why a line that fits nowhere is left unplaced.
//!
//! The rules (documented in docs/framework-format.md, "Specification text"): a criterion goes to the
//! learning outcome of its first number in the current unit; a plain line continues the statement
//! before it unless a blank line separates it from a finished sentence and it starts with a
//! capital; everything after an unplaced line that would have continued it is unplaced too, naming
//! that line; a line repeated on every page is page furniture.

use super::super::model::CriterionKind;
use super::classify::Kind;
use super::items::{inline_criterion, Item, NosKind};
use super::join::{finished, starts_lowercase};
use super::lines::Section;
use super::tree::{Built, Crit, Entry, Outcome, Placed, Ref, Unit};

/// What the next plain line would continue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    None,
    At(Ref),
    /// The line so numbered was unplaced: what would continue it is unplaced too.
    Lost(usize),
    /// Under a heading (so numbered) whose text is not criteria.
    Under(usize),
}

pub(super) struct Builder<'a> {
    pub(super) standard: bool,
    pub(super) kinds: &'a [Kind],
    pub(super) texts: &'a [String],
    pub(super) built: Built,
    pub(super) unit: Option<usize>,
    /// The line of an unplaced unit header whose content is therefore unplaced.
    pub(super) lost_unit: Option<usize>,
    pub(super) outcome: Option<usize>,
    pub(super) target: Target,
    pub(super) list: Option<NosKind>,
    pub(super) blank_before: bool,
    pub(super) line: usize,
}

/// Builds the draft tree from the classified lines (`texts` are the lines' cleaned texts).
pub fn build(kinds: &[Kind], texts: &[String], standard: bool) -> Built {
    let mut b = Builder {
        standard,
        kinds,
        texts,
        built: Built::default(),
        unit: None,
        lost_unit: None,
        outcome: None,
        target: Target::None,
        list: None,
        blank_before: false,
        line: 0,
    };
    for (i, kind) in kinds.iter().enumerate() {
        b.line = i + 1;
        b.line_of(i, kind);
    }
    b.built
}

impl Builder<'_> {
    pub(super) fn place(&mut self, placed: Placed) {
        let line = self.line;
        self.built.entries.push(Entry { line, placed });
    }

    /// Leaves the line unplaced; what would continue it is unplaced too.
    pub(super) fn unplace(&mut self, reason: String) {
        self.place(Placed::Unplaced(reason));
        self.target = match self.target {
            Target::Lost(l) => Target::Lost(l),
            Target::Under(l) => Target::Under(l),
            _ => Target::Lost(self.line),
        };
    }

    pub(super) fn line_of(&mut self, i: usize, kind: &Kind) {
        match kind {
            Kind::Blank => {
                self.place(Placed::Blank);
                self.blank_before = true;
                return;
            }
            Kind::Noise(noise) => return self.place(Placed::Noise(noise.note())),
            Kind::BareNumber(n) => self.bare_number(i, *n),
            Kind::Heading(section) => self.heading(*section),
            Kind::Fact(fact) => self.fact(fact),
            Kind::Item(item) => self.item(i, item),
            Kind::Prose { text, repeated } => self.prose(text, *repeated),
            Kind::Cells(left, right) => self.cells(i, left, right),
        }
        self.blank_before = false;
    }

    pub(super) fn unit_mut(&mut self) -> Option<&mut Unit> {
        self.built.units.get_mut(self.unit?)
    }

    /// Is the target a criterion or outcome whose sentence is not finished?
    pub(super) fn open_statement(&self) -> bool {
        match self.target {
            Target::At(r @ (Ref::Outcome(..) | Ref::Crit(..))) => {
                self.built.text(r).is_some_and(|(t, _)| !finished(t))
            }
            _ => false,
        }
    }

    /// The first line after `i` that is neither blank nor furniture.
    pub(super) fn next_kind(&self, i: usize) -> Option<&Kind> {
        self.kinds
            .iter()
            .skip(i + 1)
            .take(6)
            .find(|k| !matches!(k, Kind::Blank | Kind::Noise(_)))
    }

    fn bare_number(&mut self, i: usize, n: u32) {
        if let Target::At(r @ Ref::Fact(..)) = self.target {
            if self.built.text(r).is_some_and(|(t, _)| t.is_empty()) {
                return self.append(r, &n.to_string(), false);
            }
        }
        let followed = match self.next_kind(i) {
            Some(Kind::Prose {
                text,
                repeated: false,
            }) => self.standard || !starts_lowercase(text),
            _ => false,
        };
        if followed && self.lost_unit.is_none() && !matches!(self.target, Target::Under(_)) {
            if self.standard {
                if let Some(list) = self.list.filter(|&k| self.expected_item(k) == n) {
                    return self.nos_item(list, n, "");
                }
            } else if self.expected_outcome() == n {
                return self.outcome(n, "");
            }
        }
        self.place(Placed::Noise("page number"));
    }

    fn expected_outcome(&self) -> u32 {
        let last = self
            .unit
            .and_then(|u| self.built.units.get(u)?.outcomes.last());
        last.map_or(1, |o| o.number + 1)
    }

    fn expected_item(&self, kind: NosKind) -> u32 {
        let prefix = label_prefix(kind);
        let unit = self.unit.and_then(|u| self.built.units.get(u));
        let last = unit.and_then(|u| u.items.iter().rev().find(|c| c.label.starts_with(prefix)));
        let number = last.and_then(|c| c.label.get(prefix.len()..)?.parse::<u32>().ok());
        number.map_or(1, |n| n + 1)
    }

    fn heading(&mut self, section: Section) {
        if section != Section::Overview {
            self.place(Placed::Noise("heading"));
        }
        match section {
            // A table heading repeated on a new page may fall inside a statement.
            Section::Table => {
                if let Target::Under(_) = self.target {
                    self.target = Target::None;
                }
            }
            Section::Performance | Section::Knowledge => {
                let kind = match section {
                    Section::Performance => NosKind::Performance,
                    _ => NosKind::Knowledge,
                };
                self.list = Some(kind);
                self.target = Target::None;
            }
            // "Overview" opens a fact of the standard (or unit): the text after it.
            Section::Overview => match self.unit {
                Some(u) if self.lost_unit.is_none() => {
                    let facts = &mut self.built.units[u].facts;
                    facts.push(("overview", String::new()));
                    let f = facts.len() - 1;
                    self.place(Placed::Fact(u, f));
                    self.target = Target::At(Ref::Fact(u, f));
                }
                _ => {
                    self.place(Placed::Noise("heading"));
                    self.target = Target::None;
                }
            },
            Section::Other => {
                self.list = None;
                self.target = Target::Under(self.line);
            }
        }
    }

    fn item(&mut self, i: usize, item: &Item) {
        let text = self.texts.get(i).map_or("", String::as_str);
        match item {
            Item::UnitHeader { number, title } => self.unit_header(*number, title),
            Item::Standard { code, title } => self.standard_header(code, title),
            Item::Outcome { number, text: body } => {
                if starts_lowercase(body) && self.open_statement() {
                    self.prose(text, false)
                } else {
                    self.outcome(*number, body)
                }
            }
            Item::Criterion {
                outcome,
                label,
                text,
            } => self.criterion(*outcome, label, text),
            Item::Letter { letter, text: body } => self.letter(*letter, body),
            Item::Numbered {
                kind,
                number,
                text: body,
            } => match kind.or(self.list) {
                Some(k) if kind.is_some() || *number == self.expected_item(k) => {
                    self.nos_item(k, *number, body)
                }
                _ if self.open_statement() => self.prose(text, false),
                Some(k) => self.nos_item(k, *number, body),
                None => self.unplace(
                    "a numbered item outside \"Performance criteria\" and \"Knowledge and understanding\""
                        .to_string(),
                ),
            },
            Item::Bullet(body) => self.bullet(body),
        }
    }

    /// Refuses an item when its unit was unplaced or it is under a heading that is not criteria.
    pub(super) fn refused(&mut self) -> bool {
        if self.lost_unit.is_some() {
            self.lost_unit_line();
            return true;
        }
        if let Target::Under(l) = self.target {
            self.unplace(format!(
                "a numbered line under the heading on line {l}, whose text is not criteria"
            ));
            return true;
        }
        false
    }

    fn outcome(&mut self, number: u32, text: &str) {
        if self.refused() {
            return;
        }
        let u = match self.unit {
            Some(u) => u,
            None => self.new_unit(Unit {
                implicit: true,
                ..Unit::default()
            }),
        };
        let unit = &mut self.built.units[u];
        if let Some(line) = unit
            .outcomes
            .iter()
            .find(|o| o.number == number)
            .map(|o| o.line)
        {
            return self.unplace(format!(
                "learning outcome {number} is already on line {line}"
            ));
        }
        let split = inline_criterion(text, number);
        let (title, rest) = split.map_or((text, ""), |at| (text[..at].trim_end(), &text[at..]));
        unit.outcomes.push(Outcome {
            number,
            title: title.to_string(),
            line: self.line,
            criteria: Vec::new(),
        });
        let o = unit.outcomes.len() - 1;
        self.outcome = Some(o);
        self.place(Placed::Outcome(u, o));
        self.target = Target::At(Ref::Outcome(u, o));
        if let Some(Item::Criterion {
            outcome,
            label,
            text,
        }) = super::items::criterion(rest)
        {
            self.criterion(outcome, &label, &text);
        }
    }

    pub(super) fn criterion(&mut self, number: u32, label: &str, text: &str) {
        if self.refused() {
            return;
        }
        let unit = self.unit.and_then(|u| Some((u, self.built.units.get(u)?)));
        let current = unit.and_then(|(_, unit)| unit.outcomes.get(self.outcome?));
        let found = unit.and_then(|(u, unit)| {
            let o = unit.outcomes.iter().position(|o| o.number == number)?;
            Some((u, o))
        });
        let Some((u, o)) = found else {
            return self.unplace(match current {
                Some(c) => format!(
                    "criterion {label} does not belong to learning outcome {} (line {}), and this unit has no learning outcome {number}",
                    c.number, c.line
                ),
                None => format!("criterion {label} comes before any learning outcome"),
            });
        };
        let outcome = &mut self.built.units[u].outcomes[o];
        if let Some(line) = outcome
            .criteria
            .iter()
            .find(|c| c.label == label)
            .map(|c| c.line)
        {
            return self.unplace(format!("criterion {label} is already on line {line}"));
        }
        outcome.criteria.push(Crit {
            label: label.to_string(),
            kind: CriterionKind::AssessmentCriterion,
            text: text.to_string(),
            line: self.line,
        });
        let r = Ref::Crit(u, Some(o), outcome.criteria.len() - 1);
        self.outcome = Some(o);
        self.place(Placed::Crit(r));
        self.target = Target::At(r);
    }

    /// "(a) text": a sub-criterion of the criterion before it, else part of the statement.
    fn letter(&mut self, letter: char, text: &str) {
        if let Target::At(r @ Ref::Crit(u, Some(o), _)) = self.target {
            let outcome = &self.built.units[u].outcomes[o];
            if let Some(base) = self
                .built
                .crit(r)
                .map(|c| c.label.trim_end_matches(|c: char| c.is_ascii_lowercase()))
            {
                let (number, label) = (outcome.number, format!("{base}{letter}"));
                return self.criterion(number, &label, text);
            }
        }
        self.bullet(&format!("{letter}) {text}"));
    }

    fn nos_item(&mut self, kind: NosKind, number: u32, text: &str) {
        if self.refused() {
            return;
        }
        self.list = Some(kind);
        let Some(u) = self.unit else {
            return self.unplace(format!(
                "{}{number} comes before any standard",
                label_prefix(kind)
            ));
        };
        let label = format!("{}{number}", label_prefix(kind));
        let unit = &mut self.built.units[u];
        if let Some(line) = unit.items.iter().find(|c| c.label == label).map(|c| c.line) {
            return self.unplace(format!("{label} is already on line {line}"));
        }
        let kind = match kind {
            NosKind::Performance => CriterionKind::PerformanceCriterion,
            NosKind::Knowledge => CriterionKind::KnowledgeItem,
        };
        let line = self.line;
        unit.items.push(Crit {
            label,
            kind,
            text: text.to_string(),
            line,
        });
        let r = Ref::Crit(u, None, unit.items.len() - 1);
        self.place(Placed::Crit(r));
        self.target = Target::At(r);
    }
}

fn label_prefix(kind: NosKind) -> &'static str {
    match kind {
        NosKind::Performance => "PC",
        NosKind::Knowledge => "K",
    }
}
