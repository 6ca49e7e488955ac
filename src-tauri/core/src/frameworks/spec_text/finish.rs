//! Turns the built tree into the draft: codes (`U3`, `U3.1`, `U3.1.1a`, `CLDSCCD15.PC1`), the
//! framework document, the unit facts in its description, and the account of every line.
//!
//! Codes are given here, at the end, because a unit's number may come after its first lines.

use std::collections::HashSet;

use super::super::fields::MAX_TEXT_CHARS;
use super::super::model::{CriterionDoc, FrameworkDoc, GroupDoc, GroupKind};
use super::tree::{Built, Placed, Ref};
use super::{Draft, LineOutcome, LineRole, SpecMeta, UnplacedLine};
use crate::error::{CoreError, Result};

/// Builds and validates the draft.
pub fn finish(mut built: Built, meta: &SpecMeta, texts: &[String]) -> Result<Draft> {
    let line_count = texts.len();
    let dropped = drop_empty(&mut built);
    let codes = unit_codes(&built, &dropped.units);
    let code_of = |r: Ref| -> String {
        let unit = &codes[r.unit()];
        match r {
            Ref::Unit(_) | Ref::Fact(..) => unit.clone(),
            Ref::Outcome(u, o) => format!("{unit}.{}", built.units[u].outcomes[o].number),
            Ref::Crit(..) => {
                let label = built.crit(r).map_or("", |c| c.label.as_str());
                format!("{unit}.{label}")
            }
        }
    };

    let (mut groups, mut criteria) = (Vec::new(), Vec::new());
    for (u, unit) in built.units.iter().enumerate() {
        if dropped.units.contains(&u) {
            continue;
        }
        let code = codes[u].clone();
        let title = match (&unit.std_code, unit.number) {
            _ if !unit.title.is_empty() => unit.title.clone(),
            (Some(std), _) => std.clone(),
            (None, Some(n)) if !unit.implicit => format!("Unit {n}"),
            _ => meta.title.clone(),
        };
        let kind = match unit.std_code {
            Some(_) => GroupKind::Standard,
            None => GroupKind::Unit,
        };
        groups.push(GroupDoc {
            code: code.clone(),
            kind,
            title,
            parent: None,
        });
        for (o, outcome) in unit.outcomes.iter().enumerate() {
            let lo = code_of(Ref::Outcome(u, o));
            let title = match outcome.title.as_str() {
                "" => format!("Learning outcome {}", outcome.number),
                t => t.to_string(),
            };
            for (c, crit) in outcome.criteria.iter().enumerate() {
                if dropped.criteria.contains(&Ref::Crit(u, Some(o), c)) {
                    continue;
                }
                criteria.push(CriterionDoc {
                    code: code_of(Ref::Crit(u, Some(o), c)),
                    kind: crit.kind,
                    text: crit.text.clone(),
                    group: Some(lo.clone()),
                });
            }
            let parent = Some(code.clone());
            groups.push(GroupDoc {
                code: lo,
                kind: GroupKind::LearningOutcome,
                title,
                parent,
            });
        }
        for (c, crit) in unit.items.iter().enumerate() {
            if dropped.criteria.contains(&Ref::Crit(u, None, c)) {
                continue;
            }
            criteria.push(CriterionDoc {
                code: code_of(Ref::Crit(u, None, c)),
                kind: crit.kind,
                text: crit.text.clone(),
                group: Some(code.clone()),
            });
        }
    }

    let mut lines = Vec::with_capacity(built.entries.len());
    let mut unplaced = Vec::new();
    for entry in &built.entries {
        let (role, code, note) = match &entry.placed {
            Placed::Blank => (LineRole::Blank, None, None),
            Placed::Noise(what) => (LineRole::Noise, None, Some(what.to_string())),
            Placed::Header(u) => (LineRole::UnitHeader, Some(code_of(Ref::Unit(*u))), None),
            Placed::Fact(u, f) => {
                let label = built.units[*u].facts[*f].0;
                (
                    LineRole::UnitFact,
                    Some(code_of(Ref::Unit(*u))),
                    Some(label.to_string()),
                )
            }
            Placed::Outcome(u, o) => (
                LineRole::LearningOutcome,
                Some(code_of(Ref::Outcome(*u, *o))),
                None,
            ),
            Placed::Crit(r) => (LineRole::Criterion, Some(code_of(*r)), None),
            Placed::Cont(r) => (LineRole::Continuation, Some(code_of(*r)), None),
            Placed::Unplaced(reason) => {
                let text = line_text(texts, entry.line);
                unplaced.push(UnplacedLine {
                    line: entry.line,
                    text,
                    reason: reason.clone(),
                });
                (LineRole::Unplaced, None, Some(reason.clone()))
            }
        };
        lines.push(LineOutcome {
            line: entry.line,
            role,
            code,
            note,
        });
    }

    if criteria.is_empty() {
        let recognised = lines.iter().any(|l| {
            matches!(
                l.role,
                LineRole::UnitHeader | LineRole::LearningOutcome | LineRole::Criterion
            )
        });
        return Err(CoreError::invalid(match unplaced.first() {
            _ if !recognised => format!(
                "nothing in the text looks like a specification: no unit, standard, learning outcome or criterion was recognised in its {line_count} line(s)"
            ),
            Some(first) => format!(
                "no criteria were recognised; {} line(s) were not placed, the first on line {}: {}",
                unplaced.len(),
                first.line,
                first.reason
            ),
            None => "no criteria were recognised".to_string(),
        }));
    }

    let doc = FrameworkDoc {
        code: meta.code.clone(),
        title: meta.title.clone(),
        kind: meta.kind,
        version: meta.version.clone(),
        source: meta.source.clone(),
        verified: false,
        description: description(&built, &codes, &dropped.units),
        groups,
        criteria,
        method_rules: Vec::new(),
    };
    doc.validate()?;
    Ok(Draft {
        doc,
        lines,
        unplaced,
    })
}

/// The cleaned text of a line (1-based), for the unplaced report.
fn line_text(texts: &[String], line: usize) -> String {
    texts.get(line.wrapping_sub(1)).cloned().unwrap_or_default()
}

/// What is left out of the draft: units that are only facts (no title, outcome or item), and
/// criteria without text. Their lines become unplaced.
struct Dropped {
    units: HashSet<usize>,
    criteria: HashSet<Ref>,
}

fn drop_empty(built: &mut Built) -> Dropped {
    let mut dropped = Dropped {
        units: HashSet::new(),
        criteria: HashSet::new(),
    };
    for (u, unit) in built.units.iter().enumerate() {
        let bare = unit.title.is_empty() && unit.outcomes.is_empty() && unit.items.is_empty();
        if bare && !unit.implicit {
            dropped.units.insert(u);
        }
        for (o, outcome) in unit.outcomes.iter().enumerate() {
            for (c, crit) in outcome.criteria.iter().enumerate() {
                if crit.text.is_empty() {
                    dropped.criteria.insert(Ref::Crit(u, Some(o), c));
                }
            }
        }
        for (c, crit) in unit.items.iter().enumerate() {
            if crit.text.is_empty() {
                dropped.criteria.insert(Ref::Crit(u, None, c));
            }
        }
    }
    let labels: std::collections::HashMap<Ref, String> = dropped
        .criteria
        .iter()
        .map(|&r| (r, built.crit(r).map_or(String::new(), |c| c.label.clone())))
        .collect();
    for entry in &mut built.entries {
        let unit = match entry.placed {
            Placed::Header(u) | Placed::Fact(u, _) => Some(u),
            Placed::Cont(r) => Some(r.unit()),
            _ => None,
        };
        if unit.is_some_and(|u| dropped.units.contains(&u)) {
            entry.placed = Placed::Unplaced(
                "unit facts with no unit title, learning outcome or criterion after them".into(),
            );
        }
        if let Placed::Crit(r) | Placed::Cont(r) = entry.placed {
            if let Some(label) = labels.get(&r) {
                entry.placed = Placed::Unplaced(format!("criterion {label} has no text"));
            }
        }
    }
    dropped
}

/// `U<number>` for numbered units, a standard's own code, and for the rest the first free
/// `U<n>` from the unit's position.
fn unit_codes(built: &Built, dropped: &HashSet<usize>) -> Vec<String> {
    let mut taken: HashSet<String> = built
        .units
        .iter()
        .enumerate()
        .filter(|(i, _)| !dropped.contains(i))
        .filter_map(|(_, u)| match (&u.std_code, u.number) {
            (Some(code), _) => Some(code.clone()),
            (None, Some(n)) => Some(format!("U{n}")),
            _ => None,
        })
        .collect();
    let mut codes = Vec::with_capacity(built.units.len());
    for (i, unit) in built.units.iter().enumerate() {
        codes.push(match (&unit.std_code, unit.number) {
            (Some(code), _) => code.clone(),
            (None, Some(n)) => format!("U{n}"),
            _ if dropped.contains(&i) => String::new(),
            _ => {
                let code = (i + 1..)
                    .map(|n| format!("U{n}"))
                    .find(|c| !taken.contains(c))
                    .unwrap_or_default();
                taken.insert(code.clone());
                code
            }
        });
    }
    codes
}

/// One line per unit with facts: "U3 Working with groups: unit reference: H/650/1234; level: 3; …".
fn description(built: &Built, codes: &[String], dropped: &HashSet<usize>) -> String {
    let mut out = String::new();
    for (u, (unit, code)) in built.units.iter().zip(codes).enumerate() {
        if dropped.contains(&u) {
            continue;
        }
        let mut facts = String::new();
        let given = unit
            .facts
            .iter()
            .filter(|(label, value)| *label != "unit number" && !value.is_empty());
        for (label, value) in given {
            if !facts.is_empty() {
                facts.push_str(if facts.ends_with('.') { " " } else { "; " });
            }
            facts.push_str(&format!("{label}: {value}"));
        }
        if facts.is_empty() {
            continue;
        }
        let line = format!("{code} {}: {facts}", unit.title);
        let room = MAX_TEXT_CHARS.saturating_sub(out.chars().count() + 1);
        if room < 2 {
            break;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        if line.chars().count() > room {
            out.extend(line.chars().take(room - 1));
            out.push('…');
            break;
        }
        out.push_str(&line);
    }
    out
}
