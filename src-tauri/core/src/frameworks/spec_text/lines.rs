//! One line of a PDF copy, cleaned and recognised on its own: page furniture (page numbers,
//! copyright and version footers) and headings; facts are in `facts.rs`, numbered items in
//! `items.rs`.
//!
//! Recognising a line needs no context, so the builder can look ahead and the rules are testable one
//! line at a time. What a line means in its place (a title's second line, a running header) is the
//! builder's business.

/// A line as the builder sees it: its text with whitespace collapsed, and its cells (the parts a
/// tab or a run of three or more spaces separated, as a table's columns come out of a PDF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub text: String,
    pub cells: Vec<String>,
}

/// Cleans one raw line: form feeds, tabs and other control characters become spaces (tabs and
/// wide gaps also separate cells), no-break and zero-width spaces are normalised, ligatures
/// (`ﬁ`, `ﬂ`, …) are spelt out, and a soft hyphen at the end of the line counts as a hyphen.
pub fn prepare(raw: &str) -> Prepared {
    let mut cleaned = String::with_capacity(raw.len());
    let raw = raw.trim_end_matches(['\r', '\n', ' ', '\u{c}']);
    let last_soft = raw.strip_suffix('\u{ad}').is_some();
    for c in raw.chars() {
        match c {
            '\t' => cleaned.push_str("   "),
            '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' => {}
            '\u{a0}' | '\u{2007}' | '\u{202f}' => cleaned.push(' '),
            '\u{fb00}' => cleaned.push_str("ff"),
            '\u{fb01}' => cleaned.push_str("fi"),
            '\u{fb02}' => cleaned.push_str("fl"),
            '\u{fb03}' => cleaned.push_str("ffi"),
            '\u{fb04}' => cleaned.push_str("ffl"),
            c if c.is_control() => cleaned.push(' '),
            c => cleaned.push(c),
        }
    }
    if last_soft {
        cleaned.push('-');
    }
    let cells: Vec<String> = cleaned
        .split("   ")
        .map(collapse)
        .filter(|c| !c.is_empty())
        .collect();
    Prepared {
        text: cells.join(" "),
        cells,
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Page furniture: what is removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Noise {
    PageNumber,
    Copyright,
    VersionFooter,
}

impl Noise {
    pub fn note(self) -> &'static str {
        match self {
            Noise::PageNumber => "page number",
            Noise::Copyright => "copyright line",
            Noise::VersionFooter => "version or date footer",
        }
    }
}

/// What a heading says about the lines after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// A table heading ("Learning outcomes", "The learner will:", "Assessment criteria", …).
    Table,
    /// "Performance criteria", "You must be able to:": numbered items are performance criteria.
    Performance,
    /// "Knowledge and understanding", "You need to know and understand:": knowledge items.
    Knowledge,
    /// "Overview": the text after it describes the standard.
    Overview,
    /// A heading whose text is not criteria ("Assessment guidance", "Scope/range", …).
    Other,
}

/// Is the line a page number ("Page 4", "Page 4 of 12", "4 of 12", "- 4 -", "p. 4")? A bare
/// number is not decided here: it may be an item's number with its text on the next line.
pub fn page_number(text: &str) -> bool {
    let lower = text.to_lowercase();
    let s = lower.trim_matches(|c: char| matches!(c, '-' | '–' | '—' | '|' | ' '));
    let decorated = s.len() != lower.trim().len();
    let (worded, s) = match s.strip_prefix("page").or_else(|| s.strip_prefix("p.")) {
        Some(rest) => (true, rest.trim_start_matches([' ', '|', ':'])),
        None => (false, s),
    };
    let words: Vec<&str> = s.split_whitespace().collect();
    let num = |w: &&str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit()) && w.len() <= 4;
    match words.as_slice() {
        [n] => (worded || decorated) && num(n),
        [n, of, m] => num(n) && num(m) && matches!(*of, "of" | "/"),
        _ => false,
    }
}

/// A bare number alone on its line ("12").
pub fn bare_number(text: &str) -> Option<u32> {
    let digits = text.len() <= 4 && text.chars().all(|c| c.is_ascii_digit());
    digits.then(|| text.parse().ok()).flatten()
}

pub fn copyright(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.starts_with('©')
        || lower.starts_with("(c) ")
        || lower.starts_with("copyright")
        || lower.contains("all rights reserved")
        || (lower.contains('©') && text.split_whitespace().count() <= 15)
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A version or date footer: "Version 2.1 – March 2024", "Issue 3", "v1.2", "Published: May 2024",
/// "Last updated 12/03/2024", or a date alone ("March 2024", "12/03/2024").
pub fn version_footer(text: &str) -> bool {
    let lower = text.to_lowercase();
    let then_digit = |rest: &str| {
        let rest = rest.trim_start_matches([' ', ':', '.']);
        rest.starts_with(|c: char| c.is_ascii_digit())
    };
    let words: Vec<&str> = lower.split_whitespace().collect();
    let starts = ["version", "issue", "edition", "revision", "rev", "v", "ver"];
    if starts
        .iter()
        .any(|s| lower.strip_prefix(s).is_some_and(then_digit))
    {
        return words.len() <= 12;
    }
    let dated = [
        "published",
        "last updated",
        "date of issue",
        "issue date",
        "updated:",
    ];
    if dated.iter().any(|s| lower.starts_with(s)) && words.len() <= 8 {
        return true;
    }
    if words.len() <= 12
        && words
            .windows(2)
            .any(|w| matches!(w[0], "version" | "issue" | "v.") && then_digit(w[1]))
    {
        return true;
    }
    is_date(&words)
}

fn is_date(words: &[&str]) -> bool {
    let year = |w: &str| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit());
    let day = |w: &str| {
        let w = w.trim_end_matches(|c: char| c.is_alphabetic());
        !w.is_empty() && w.len() <= 2 && w.chars().all(|c| c.is_ascii_digit())
    };
    let month = |w: &str| MONTHS.contains(&w.trim_end_matches(','));
    match words {
        [w] => {
            let parts: Vec<&str> = w.split(['/', '.', '-']).collect();
            parts.len() == 3
                && parts
                    .iter()
                    .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        }
        [m, y] => month(m) && year(y),
        [d, m, y] => day(d) && month(m) && year(y),
        _ => false,
    }
}

/// Headings recognised, lowercase, longest first; a line made only of these (and `: / - |`) is a
/// heading.
const HEADINGS: [(&str, Section); 16] = [
    ("learning outcomes and assessment criteria", Section::Table),
    ("you need to know and understand", Section::Knowledge),
    ("knowledge and understanding", Section::Knowledge),
    ("performance criteria", Section::Performance),
    ("assessment criteria", Section::Table),
    ("assessment criterion", Section::Table),
    ("you must be able to", Section::Performance),
    ("learning outcomes", Section::Table),
    ("learning outcome", Section::Table),
    ("the learner will", Section::Table),
    ("the learner can", Section::Table),
    ("the learner must", Section::Table),
    ("overview", Section::Overview),
    ("criteria", Section::Table),
    ("continued", Section::Table),
    ("cont", Section::Table),
];

/// Headings of text that is not criteria: what follows them is reported as unplaced.
const OTHER_HEADINGS: [&str; 24] = [
    "additional information",
    "assessment guidance",
    "assessment method",
    "assessment methods",
    "assessment requirements",
    "behaviours",
    "delivery guidance",
    "evidence requirements",
    "external links",
    "glossary",
    "guidance",
    "guidance for delivery",
    "indicative content",
    "links to other nos",
    "notes",
    "range",
    "scope",
    "scope/range",
    "scope and range",
    "skills",
    "unit content",
    "unit guidance",
    "unit summary",
    "values",
];

/// Is the line a heading? Returns what it says about the lines after it (the strongest section it
/// names: performance or knowledge over a plain table heading).
pub fn heading(text: &str) -> Option<Section> {
    let lower = text.to_lowercase();
    let bare = lower.trim_end_matches([':', '.', ' ']);
    if OTHER_HEADINGS.contains(&bare) {
        return Some(Section::Other);
    }
    let mut rest = lower.as_str();
    let mut section: Option<Section> = None;
    loop {
        rest = rest.trim_start_matches(|c: char| {
            matches!(c, ' ' | ':' | '/' | '-' | '–' | '|' | '(' | ')')
        });
        if rest.is_empty() {
            return section;
        }
        let (phrase, found) = HEADINGS
            .iter()
            .find(|(p, _)| {
                rest.strip_prefix(p)
                    .is_some_and(|r| !r.starts_with(|c: char| c.is_alphanumeric()))
            })
            .copied()?;
        rest = &rest[phrase.len()..];
        section = Some(match (section, found) {
            (Some(s @ (Section::Performance | Section::Knowledge)), Section::Table) => s,
            (_, found) => found,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_furniture_is_recognised() {
        for t in ["Page 4 of 12", "page 4", "4 of 12", "- 4 -", "Page | 7"] {
            assert!(page_number(t), "{t}");
        }
        assert!(!page_number("12"));
        assert!(!page_number("Page through the list"));
        assert!(copyright("© NOCN 2024"));
        assert!(copyright("Copyright NOCN Group. All rights reserved."));
        for t in [
            "Version 2.1 – March 2024",
            "v1.2",
            "March 2024",
            "12/03/2024",
            "Issue 3",
        ] {
            assert!(version_footer(t), "{t}");
        }
        assert!(!version_footer("Explain version control in a small group"));
    }

    #[test]
    fn headings_and_facts() {
        assert_eq!(
            heading("Learning outcomes The learner will:"),
            Some(Section::Table)
        );
        assert_eq!(
            heading("Assessment criteria / The learner can:"),
            Some(Section::Table)
        );
        assert_eq!(heading("You must be able to:"), Some(Section::Performance));
        assert_eq!(heading("Assessment guidance"), Some(Section::Other));
        assert_eq!(heading("Learning outcomes matter"), None);
    }

    #[test]
    fn cells_split_on_tabs_and_wide_gaps() {
        let p = prepare("1 Understand\t1.1 Describe  the\u{a0}ﬁrst    part\u{c}\r");
        assert_eq!(
            p.cells,
            vec!["1 Understand", "1.1 Describe the first", "part"]
        );
        assert_eq!(p.text, "1 Understand 1.1 Describe the first part");
    }
}
