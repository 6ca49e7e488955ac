//! Plain lines and bullet points: how they continue the statement before them (a title, a fact,
//! a learning outcome, a criterion), and the reason given when they continue nothing.
//!
//! Kept apart from `build.rs`, which opens statements, because these rules are the ones a reader
//! most needs to check: when a line joins, and when it is left unplaced.

use super::build::{Builder, Target};
use super::classify::Kind;
use super::join::{finished, join_bullet, join_line, starts_lowercase};
use super::tree::{Placed, Ref};

impl Builder<'_> {
    pub(super) fn bullet(&mut self, text: &str) {
        match self.target {
            Target::At(r) => self.append(r, text, true),
            _ => self.stray("a bullet point outside any statement"),
        }
    }

    /// A line that continues nothing: the reason names what it would have continued.
    pub(super) fn stray(&mut self, alone: &str) {
        let reason = match self.target {
            Target::Lost(l) => format!("continues unplaced line {l}"),
            Target::Under(l) => {
                format!("text under the heading on line {l}, which is not criteria")
            }
            _ => alone.to_string(),
        };
        self.unplace(reason);
    }

    pub(super) fn prose(&mut self, text: &str, repeated: bool) {
        if let Target::At(r @ Ref::Unit(_)) = self.target {
            if self.built.text(r).is_some_and(|(t, _)| t.is_empty()) {
                return self.append(r, text, false);
            }
        }
        if repeated {
            return self.place(Placed::Noise("page header or footer (repeated line)"));
        }
        let Target::At(r) = self.target else {
            return self.stray("text outside any unit, learning outcome or criterion");
        };
        let Some((prev, _)) = self.built.text(r) else {
            return self.stray("text outside any statement");
        };
        let new_sentence = self.blank_before && finished(prev) && !starts_lowercase(text);
        let joins = match r {
            Ref::Unit(_) => !self.blank_before && (starts_lowercase(text) || ends_open(prev)),
            Ref::Fact(u, f) => {
                let label = self.built.units[u].facts[f].0;
                prev.is_empty() || label == "overview" || (label == "unit aim" && !new_sentence)
            }
            Ref::Outcome(..) | Ref::Crit(..) => !new_sentence,
        };
        if joins {
            self.append(r, text, false);
        } else {
            let line = self.target_line(r);
            self.unplace(format!(
                "text after the statement on line {line}, not numbered as a new one"
            ));
        }
    }

    /// Two columns of a wrapped table row: the left continues the learning outcome, the right is
    /// read on its own (it continues the criterion, or opens the next one).
    pub(super) fn cells(&mut self, i: usize, left: &str, right: &Kind) {
        let outcome = match self.target {
            Target::At(Ref::Crit(u, Some(o), _) | Ref::Outcome(u, o)) => Some(Ref::Outcome(u, o)),
            _ => None,
        };
        let Some(outcome) = outcome else {
            let text = self.texts.get(i).cloned().unwrap_or_default();
            return self.prose(&text, false);
        };
        let before = self.target;
        self.append(outcome, left, false);
        if let (Target::At(Ref::Crit(..)), Kind::Prose { text, .. }) = (before, right) {
            self.target = before;
            return self.prose(text, false);
        }
        self.line_of(i, right);
    }

    pub(super) fn target_line(&self, r: Ref) -> usize {
        let at = self.built.entries.iter().rev().find(|e| match e.placed {
            Placed::Header(u) => r == Ref::Unit(u),
            Placed::Fact(u, f) => r == Ref::Fact(u, f),
            Placed::Outcome(u, o) => r == Ref::Outcome(u, o),
            Placed::Crit(c) => r == c,
            _ => false,
        });
        at.map_or(0, |e| e.line)
    }

    /// Joins a line (or a bullet point) to a statement, within the statement's length limit.
    pub(super) fn append(&mut self, r: Ref, text: &str, bullet: bool) {
        let Some((prev, limit)) = self.built.text(r) else {
            return self.stray("text outside any statement");
        };
        let mut joined = prev.clone();
        if bullet {
            join_bullet(&mut joined, text);
        } else {
            join_line(&mut joined, text);
        }
        if joined.chars().count() > limit {
            return self.unplace(format!(
                "joining it to line {} would make that text longer than {limit} characters",
                self.target_line(r)
            ));
        }
        if let Some(slot) = self.built.text_mut(r) {
            *slot = joined;
        }
        self.place(Placed::Cont(r));
        self.target = Target::At(r);
    }
}

/// A title line that ends on a word which cannot end a title ("… working in").
fn ends_open(title: &str) -> bool {
    let last = title.rsplit(' ').next().unwrap_or("").to_lowercase();
    let open = [
        "and", "of", "in", "to", "the", "for", "with", "a", "an", "on", "within", "between", "by",
        "&", "-",
    ];
    open.contains(&last.as_str()) || title.ends_with([',', '-', '–'])
}
