//! Sorts every line of the paste into what it looks like on its own ([`Kind`]), then marks the
//! lines repeated on every page (running headers and footers).
//!
//! The builder then reads the kinds in order; keeping the look of a line apart from its place lets
//! the builder look ahead (a bare number followed by text is an item, not a page number).

use std::collections::HashMap;

use super::facts::{fact, Fact};
use super::items::{item, Item};
use super::join::{finished, starts_lowercase};
use super::lines::{
    bare_number, copyright, heading, page_number, prepare, version_footer, Noise, Prepared, Section,
};

/// What one line looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Blank,
    Noise(Noise),
    /// A number alone: a page number, or an item whose text is on the next line.
    BareNumber(u32),
    Heading(Section),
    Fact(Fact),
    Item(Item),
    /// Plain text; `repeated` when the same line (digits aside) recurs as running headers do.
    Prose {
        text: String,
        repeated: bool,
    },
    /// Two columns, the left plain text (a table row wrapped in both columns): the left continues
    /// a learning outcome, the right is read on its own.
    Cells(String, Box<Kind>),
}

/// Classifies every line; `standard` chooses the grammar of occupational standards.
pub fn classify(lines: &[Prepared], standard: bool) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = lines.iter().map(|l| one(l, standard)).collect();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for kind in &kinds {
        if let Kind::Prose { text, .. } = kind {
            *counts.entry(repeat_key(text)).or_default() += 1;
        }
    }
    for kind in &mut kinds {
        if let Kind::Prose { text, repeated } = kind {
            let n = counts.get(&repeat_key(text)).copied().unwrap_or(0);
            let header_like = text.starts_with(|c: char| c.is_uppercase())
                && text.split_whitespace().count() >= 3
                && !finished(text);
            *repeated = (n >= 3 && !starts_lowercase(text)) || (n >= 2 && header_like);
        }
    }
    kinds
}

/// Lines that differ only in their digits (page numbers, dates) count as the same line.
fn repeat_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_digit() {
            if !key.ends_with('#') {
                key.push('#');
            }
        } else {
            key.push(c);
        }
    }
    key
}

fn one(line: &Prepared, standard: bool) -> Kind {
    let text = line.text.as_str();
    if text.is_empty() {
        return Kind::Blank;
    }
    if page_number(text) {
        return Kind::Noise(Noise::PageNumber);
    }
    if copyright(text) {
        return Kind::Noise(Noise::Copyright);
    }
    if let Some(n) = bare_number(text) {
        return Kind::BareNumber(n);
    }
    if let Some(section) = heading(text) {
        return Kind::Heading(section);
    }
    if let Some(fact) = fact(text, standard) {
        return Kind::Fact(fact);
    }
    if let Some(item) = item(text, standard) {
        return Kind::Item(item);
    }
    if version_footer(text) {
        return Kind::Noise(Noise::VersionFooter);
    }
    if let [left, right] = line.cells.as_slice() {
        if item(left, standard).is_none() && bare_number(left).is_none() {
            let right = one(&prepare(right), standard);
            return Kind::Cells(left.clone(), Box::new(right));
        }
    }
    Kind::Prose {
        text: text.to_string(),
        repeated: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_headers_are_marked_repeated() {
        let text = "NOCN Certificate in Community Development\nsome words\nNOCN Certificate in Community Development\nsome words";
        let lines: Vec<Prepared> = text.lines().map(prepare).collect();
        let kinds = classify(&lines, false);
        let repeated: Vec<bool> = kinds
            .iter()
            .map(|k| matches!(k, Kind::Prose { repeated: true, .. }))
            .collect();
        assert_eq!(repeated, vec![true, false, true, false]);
    }
}
