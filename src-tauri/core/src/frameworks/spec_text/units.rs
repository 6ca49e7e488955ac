//! Units and standards: their headers (and the same header repeated as a running page header),
//! and their facts, which may come before the header that names the unit.
//!
//! Apart from `build.rs` so that each file stays small; the rules are the builder's.

use super::build::{Builder, Target};
use super::facts::Fact;
use super::tree::{Placed, Ref, Unit};

impl Builder<'_> {
    pub(super) fn new_unit(&mut self, unit: Unit) -> usize {
        self.built.units.push(unit);
        let u = self.built.units.len() - 1;
        (self.unit, self.lost_unit, self.outcome, self.list) = (Some(u), None, None, None);
        u
    }

    /// The unit a fact belongs to: the current one while it has no outcomes or items (facts come
    /// before the content), else (in a qualification) a new unit that its header will name.
    pub(super) fn fact_unit(&mut self) -> Option<usize> {
        let current = self.unit.and_then(|u| Some((u, self.built.units.get(u)?)));
        match current {
            Some((u, unit)) if self.standard || unit.outcomes.is_empty() => Some(u),
            _ if self.standard => None,
            _ => Some(self.new_unit(Unit {
                line: self.line,
                ..Unit::default()
            })),
        }
    }

    pub(super) fn fact(&mut self, fact: &Fact) {
        if self.lost_unit.is_some() {
            return self.lost_unit_line();
        }
        let repeated = self.unit_mut().is_some_and(|unit| {
            let same = |(l, v): &(&str, String)| *l == fact.label && *v == fact.value;
            !fact.value.is_empty() && unit.facts.iter().any(same)
        });
        if repeated {
            return self.place(Placed::Noise("repeated unit fact"));
        }
        let Some(u) = self.fact_unit() else {
            return self.unplace(format!("{} given before any standard", fact.label));
        };
        if fact.label == "unit number" {
            let digits: String = fact
                .value
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let number = digits.parse().ok();
            let unit = &mut self.built.units[u];
            match (unit.number, number) {
                (Some(a), Some(b)) if a != b => {
                    let line = unit.line;
                    return self.unplace(format!(
                        "unit number {b} differs from the unit {a} that begins on line {line}"
                    ));
                }
                (None, Some(_)) => unit.number = number,
                _ => {}
            }
        }
        let facts = &mut self.built.units[u].facts;
        facts.push((fact.label, fact.value.clone()));
        let f = facts.len() - 1;
        self.place(Placed::Fact(u, f));
        self.target = Target::At(Ref::Fact(u, f));
    }

    pub(super) fn lost_unit_line(&mut self) {
        let line = self.lost_unit.unwrap_or(0);
        self.unplace(format!("belongs to the unit on unplaced line {line}"));
    }
    pub(super) fn unit_header(&mut self, number: Option<u32>, title: &str) {
        if let Some(unit) = self.unit.and_then(|u| self.built.units.get(u)) {
            let same_title = title.is_empty() || same_title(title, &unit.title);
            let same_number = number.is_none() || number == unit.number;
            if same_title && same_number && !unit.title.is_empty() {
                return self.place(Placed::Noise("repeated unit header"));
            }
            let unnamed = unit.title.is_empty() && unit.outcomes.is_empty() && !unit.implicit;
            if unnamed && (number.is_none() || unit.number.is_none() || number == unit.number) {
                let u = self.unit.unwrap_or(0);
                let unit = &mut self.built.units[u];
                unit.title = title.to_string();
                unit.number = unit.number.or(number);
                self.place(Placed::Header(u));
                self.target = Target::At(Ref::Unit(u));
                return;
            }
        }
        let earlier = number.and_then(|n| self.built.units.iter().find(|u| u.number == Some(n)));
        if let Some(earlier) = earlier {
            let (n, line) = (number.unwrap_or(0), earlier.line);
            self.unplace(format!("unit {n} already begins on line {line}"));
            (self.unit, self.lost_unit) = (None, Some(self.line));
            return;
        }
        let u = self.new_unit(Unit {
            number,
            title: title.to_string(),
            line: self.line,
            ..Unit::default()
        });
        self.place(Placed::Header(u));
        self.target = Target::At(Ref::Unit(u));
    }

    pub(super) fn standard_header(&mut self, code: &str, title: &str) {
        if let Some(u) = self.unit {
            let unit = &mut self.built.units[u];
            if unit.std_code.as_deref() == Some(code) {
                if unit.title.is_empty() && !title.is_empty() {
                    unit.title = title.to_string();
                }
                return self.place(Placed::Noise("repeated standard header"));
            }
        }
        let earlier = self
            .built
            .units
            .iter()
            .find(|u| u.std_code.as_deref() == Some(code));
        if let Some(line) = earlier.map(|u| u.line) {
            self.unplace(format!("standard {code} already begins on line {line}"));
            (self.unit, self.lost_unit) = (None, Some(self.line));
            return;
        }
        let u = self.new_unit(Unit {
            std_code: Some(code.to_string()),
            title: title.to_string(),
            line: self.line,
            ..Unit::default()
        });
        self.place(Placed::Header(u));
        self.target = Target::At(Ref::Unit(u));
    }
}

/// Titles compared as running headers repeat them: case, spacing and "(continued)" aside.
fn same_title(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let s = s.to_lowercase();
        let s = s.trim_end_matches(|c: char| !c.is_alphanumeric());
        let s = ["(continued)", "continued", "(cont)", "cont'd", "(cont.)"]
            .iter()
            .find_map(|t| s.strip_suffix(t))
            .unwrap_or(s);
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    norm(a) == norm(b)
}
