//! The numbered and bulleted lines of a specification: unit and standard headers, learning
//! outcomes (`1.`, `LO1:`, `Learning outcome 1:`), assessment criteria (`1.1`, `AC 1.1:`, `1.1a`,
//! `1.1(a)`), lettered sub-items (`(a)`), NOS items (`PC1`, `P1`, `K1`, `1`) and bullet points.
//!
//! Like `lines.rs`, one line at a time and without context; numbers are returned as numbers so
//! the builder can check them against the outcome or list they fall in.

use super::facts::unit_title;

/// Which list of a standard a numbered item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NosKind {
    Performance,
    Knowledge,
}

/// A recognised item line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// "Unit 3: Title", "Unit 03 Title", "Unit title: Title" (no number).
    UnitHeader {
        number: Option<u32>,
        title: String,
    },
    /// "CLDSCCD15 Support collaborative and partnership work" (the title may be empty).
    Standard {
        code: String,
        title: String,
    },
    Outcome {
        number: u32,
        text: String,
    },
    /// `label` is the criterion's number as its code writes it: "1.1", "1.1a".
    Criterion {
        outcome: u32,
        label: String,
        text: String,
    },
    /// "(a) text" or "a) text": a sub-criterion of the criterion before it.
    Letter {
        letter: char,
        text: String,
    },
    /// A standard's item; `kind` is `None` for a plain number ("1 text").
    Numbered {
        kind: Option<NosKind>,
        number: u32,
        text: String,
    },
    Bullet(String),
}

/// Characters that start a bullet point (with `o` when a space follows it).
const BULLETS: [char; 18] = [
    '•', '▪', '◦', '●', '‣', '·', '*', '-', '–', '—', '■', '□', '➢', '►', '✓', '\u{f0b7}',
    '\u{f0a7}', '\u{f0d8}',
];

/// Recognises an item; `standard` chooses the grammar of occupational standards.
pub fn item(text: &str, standard: bool) -> Option<Item> {
    if let Some(item) = bullet(text) {
        return Some(item);
    }
    if standard {
        return standard_header(text)
            .or_else(|| nos_item(text))
            .or_else(|| letter(text));
    }
    if let Some(title) = unit_title(text) {
        return Some(Item::UnitHeader {
            number: None,
            title,
        });
    }
    unit_header(text)
        .or_else(|| criterion(text))
        .or_else(|| outcome(text))
        .or_else(|| letter(text))
}

fn bullet(text: &str) -> Option<Item> {
    let first = text.chars().next()?;
    let rest = if first == 'o' {
        text.strip_prefix("o ")?
    } else if BULLETS.contains(&first) {
        let rest = &text[first.len_utf8()..];
        if matches!(first, '-' | '*') && !rest.starts_with(' ') {
            return None;
        }
        rest
    } else {
        return None;
    };
    let rest = rest.trim();
    (!rest.is_empty()).then(|| Item::Bullet(rest.to_string()))
}

/// Leading ASCII digits (at most `max`) as a number, and the rest.
fn number(text: &str, max: usize) -> Option<(u32, &str)> {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    if end == 0 || end > max {
        return None;
    }
    Some((text[..end].parse().ok()?, &text[end..]))
}

/// What follows a label: nothing, or a space, optionally with one of `. : ) - –` before or
/// after it. `None` when the label runs on into the text ("1Understand", "1.1.1").
fn after_label(rest: &str) -> Option<&str> {
    if rest.is_empty() {
        return Some("");
    }
    let seps = ['.', ':', ')', '-', '–'];
    let rest = match rest.strip_prefix(seps) {
        Some("") => return Some(""),
        Some(r) if r.starts_with(' ') => r,
        Some(_) => return None,
        None if rest.starts_with(' ') => rest,
        None => return None,
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(seps).map_or(rest, str::trim_start);
    Some(rest)
}

/// Strips a stem that a table repeats in each row ("The learner will:", "The learner can:").
fn strip_stem(text: &str) -> &str {
    let lower = text.to_lowercase();
    for stem in ["the learner will", "the learner can", "the learner must"] {
        if let Some(after) = lower.strip_prefix(stem) {
            let trimmed = after.trim_start();
            if trimmed.starts_with([':', '-', '–']) {
                let cut = text.len() - trimmed.len() + 1;
                return text.get(cut..).map_or(text, str::trim_start);
            }
        }
    }
    text
}

fn unit_header(text: &str) -> Option<Item> {
    let rest = text
        .strip_prefix("Unit ")
        .or_else(|| text.strip_prefix("UNIT "))?;
    let (number, rest) = number(rest.trim_start(), 4)?;
    let title = after_label(rest)?;
    if title.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(Item::UnitHeader {
        number: Some(number),
        title: title.to_string(),
    })
}

/// "1.1 text", "1.1. text", "AC1.1 text", "AC 1.1: text", "1.1a text", "1.1(a) text".
pub fn criterion(text: &str) -> Option<Item> {
    let rest = match text.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("ac") => text[2..].trim_start(),
        _ => text,
    };
    let (outcome, rest) = number(rest, 2)?;
    let (n, rest) = number(rest.strip_prefix('.')?, 2)?;
    let (suffix, rest) = match rest.as_bytes() {
        [b'(', c, b')', ..] if c.is_ascii_lowercase() => (Some(char::from(*c)), &rest[3..]),
        [c, ..] if c.is_ascii_lowercase() => {
            let next = rest[1..].chars().next();
            if next.is_some_and(char::is_alphanumeric) {
                return None;
            }
            (Some(char::from(*c)), &rest[1..])
        }
        _ => (None, rest),
    };
    let text = after_label(rest)?;
    let label = match suffix {
        Some(s) => format!("{outcome}.{n}{s}"),
        None => format!("{outcome}.{n}"),
    };
    Some(Item::Criterion {
        outcome,
        label,
        text: strip_stem(text).to_string(),
    })
}

/// "1. text", "1 text", "LO1 text", "LO 1: text", "Learning outcome 1: text", "Outcome 1 - text".
fn outcome(text: &str) -> Option<Item> {
    let lower = text.to_lowercase();
    let mut rest = text;
    for prefix in ["learning outcome", "outcome", "lo"] {
        if lower.starts_with(prefix) {
            rest = text.get(prefix.len()..)?.trim_start();
            if !rest.starts_with(|c: char| c.is_ascii_digit()) {
                return None;
            }
            break;
        }
    }
    let labelled = rest.len() != text.len();
    let (number, after) = number(rest, 2)?;
    let body = after_label(after)?;
    if body.is_empty() && !labelled && after.is_empty() {
        return None; // a bare number: the builder decides
    }
    if body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(Item::Outcome {
        number,
        text: strip_stem(body).to_string(),
    })
}

/// "(a) text" or "a) text".
fn letter(text: &str) -> Option<Item> {
    let (letter, rest) = match text.as_bytes() {
        [b'(', c, b')', ..] if c.is_ascii_lowercase() => (char::from(*c), &text[3..]),
        [c, b')', ..] if c.is_ascii_lowercase() => (char::from(*c), &text[2..]),
        _ => return None,
    };
    let rest = rest.strip_prefix(' ')?.trim_start();
    (!rest.is_empty()).then(|| Item::Letter {
        letter,
        text: rest.to_string(),
    })
}

/// A standard's code: capitals and digits, at least three capitals first and a digit somewhere
/// ("CLDSCCD15", "JETSCD16L", "SFHCHS1").
pub fn standard_code(word: &str) -> bool {
    let len = word.len();
    (5..=20).contains(&len)
        && word.bytes().take(3).all(|b| b.is_ascii_uppercase())
        && word
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && word.bytes().any(|b| b.is_ascii_digit())
}

fn standard_header(text: &str) -> Option<Item> {
    let end = text.find(' ').unwrap_or(text.len());
    let code = text[..end].trim_end_matches([':', '.']);
    if !standard_code(code) {
        return None;
    }
    let title = text[end..]
        .trim_start()
        .trim_start_matches([':', '-', '–', '—']);
    Some(Item::Standard {
        code: code.to_string(),
        title: title.trim().to_string(),
    })
}

/// "PC1 text", "PC 1: text", "P1 text", "K1 text", "K 1 text", "1 text", "1. text".
fn nos_item(text: &str) -> Option<Item> {
    let lower = text.get(..3).unwrap_or(text).to_ascii_lowercase();
    let (kind, rest) = if lower.starts_with("pc") {
        (Some(NosKind::Performance), &text[2..])
    } else if lower.starts_with("ku") {
        (Some(NosKind::Knowledge), &text[2..])
    } else if lower.starts_with('p') {
        (Some(NosKind::Performance), &text[1..])
    } else if lower.starts_with('k') {
        (Some(NosKind::Knowledge), &text[1..])
    } else {
        (None, text)
    };
    let rest = if kind.is_some() {
        rest.trim_start()
    } else {
        rest
    };
    let (number, after) = number(rest, 3)?;
    let body = after_label(after)?;
    if kind.is_none() && after.is_empty() {
        return None; // a bare number: the builder decides
    }
    if body.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(Item::Numbered {
        kind,
        number,
        text: body.to_string(),
    })
}

/// Where a criterion of `outcome` starts inside an outcome's text (a table row flattened onto one
/// line: "1 Understand groups 1.1 Describe …"), as a byte offset.
pub fn inline_criterion(text: &str, outcome: u32) -> Option<usize> {
    text.match_indices(' ').map(|(i, _)| i + 1).find(|&i| {
        matches!(criterion(&text[i..]), Some(Item::Criterion { outcome: o, ref text, .. }) if o == outcome && !text.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crit(t: &str) -> Option<(u32, String, String)> {
        match item(t, false)? {
            Item::Criterion {
                outcome,
                label,
                text,
            } => Some((outcome, label, text)),
            _ => None,
        }
    }

    #[test]
    fn criteria_in_every_spelling() {
        let want = Some((1, "1.1".to_string(), "Describe it".to_string()));
        for t in [
            "1.1 Describe it",
            "1.1. Describe it",
            "AC1.1 Describe it",
            "AC 1.1: Describe it",
        ] {
            assert_eq!(crit(t), want, "{t}");
        }
        assert_eq!(crit("1.2a List").map(|c| c.1), Some("1.2a".into()));
        assert_eq!(crit("1.2(b) List").map(|c| c.1), Some("1.2b".into()));
        assert_eq!(crit("12.03.2024"), None);
        assert_eq!(
            crit("1.1 The learner can: list").map(|c| c.2),
            Some("list".into())
        );
    }

    #[test]
    fn outcomes_units_and_standards() {
        let lo = |t: &str| match item(t, false) {
            Some(Item::Outcome { number, text }) => Some((number, text)),
            _ => None,
        };
        for t in [
            "1. Know it",
            "1 Know it",
            "LO1 Know it",
            "LO1: Know it",
            "Learning outcome 1: Know it",
            "1. The learner will: Know it",
        ] {
            assert_eq!(lo(t), Some((1, "Know it".into())), "{t}");
        }
        assert_eq!(lo("12"), None);
        assert_eq!(
            item("Unit 03 Working with groups", false),
            Some(Item::UnitHeader {
                number: Some(3),
                title: "Working with groups".into()
            })
        );
        assert_eq!(
            item("CLDSCCD15 Support work", true),
            Some(Item::Standard {
                code: "CLDSCCD15".into(),
                title: "Support work".into()
            })
        );
        assert_eq!(
            item("PC 3 agree aims", true),
            Some(Item::Numbered {
                kind: Some(NosKind::Performance),
                number: 3,
                text: "agree aims".into()
            })
        );
        assert_eq!(item("• one", false), Some(Item::Bullet("one".into())));
        assert_eq!(item("o two", false), Some(Item::Bullet("two".into())));
        assert_eq!(item("-5 degrees", false), None);
    }

    #[test]
    fn flattened_rows_split_at_the_criterion() {
        let t = "1 Understand groups 1.1 Describe groups";
        assert_eq!(inline_criterion(t, 1), Some(20));
        assert_eq!(inline_criterion(t, 2), None);
    }
}
