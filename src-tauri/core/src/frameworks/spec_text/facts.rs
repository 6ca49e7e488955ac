//! The labelled facts of a unit ("Unit reference number: H/650/1234", "Level: 3", "Credit value:
//! 6", "GLH: 48", "Unit title: …") or of a standard ("Developed by", "Date approved", …).
//!
//! A fact is understood (and kept in the framework description) rather than left unplaced; the
//! labels are a table so that a new spelling is one line.

/// A fact of a unit or standard, recognised by its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// The label as the description writes it ("unit reference", "level", …).
    pub label: &'static str,
    pub value: String,
}

/// What the value of a labelled fact must look like.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Value {
    /// Anything, possibly empty (given on the next line).
    Any,
    /// Begins with a digit ("3", "6 credits"), or is empty.
    Number,
    /// Anything, but the label must be followed by a colon.
    AfterColon,
}

/// Labels of unit facts (qualifications), lowercase, longest first within a family.
const UNIT_FACTS: [(&str, &str, Value); 19] = [
    ("ofqual unit reference number", "unit reference", Value::Any),
    ("ofqual unit reference", "unit reference", Value::Any),
    ("unit reference number", "unit reference", Value::Any),
    ("unit reference", "unit reference", Value::Any),
    ("reference number", "unit reference", Value::AfterColon),
    ("unit code", "unit reference", Value::AfterColon),
    ("unit number", "unit number", Value::Number),
    ("unit level", "level", Value::Number),
    ("level", "level", Value::Number),
    ("credit value", "credit value", Value::Number),
    ("credits", "credit value", Value::Number),
    (
        "guided learning hours (glh)",
        "guided learning hours",
        Value::Number,
    ),
    (
        "guided learning hours",
        "guided learning hours",
        Value::Number,
    ),
    ("glh", "guided learning hours", Value::Number),
    (
        "total qualification time (tqt)",
        "total qualification time",
        Value::Number,
    ),
    (
        "total qualification time",
        "total qualification time",
        Value::Number,
    ),
    ("tqt", "total qualification time", Value::Number),
    ("unit aim", "unit aim", Value::Any),
    ("aim", "unit aim", Value::AfterColon),
];

/// Labels of a standard's facts (National Occupational Standards).
const STANDARD_FACTS: [(&str, &str, Value); 11] = [
    ("version number", "version", Value::Any),
    ("developed by", "developed by", Value::Any),
    ("date approved", "date approved", Value::Any),
    (
        "indicative review date",
        "indicative review date",
        Value::Any,
    ),
    ("validity", "validity", Value::Any),
    ("status", "status", Value::Any),
    (
        "originating organisation",
        "originating organisation",
        Value::Any,
    ),
    ("original urn", "original URN", Value::Any),
    ("relevant occupations", "relevant occupations", Value::Any),
    ("suite", "suite", Value::Any),
    ("keywords", "keywords", Value::Any),
];

/// The label "unit title" (or "title:"): the line is a unit header, whose title is returned.
pub fn unit_title(text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let skip = if lower.starts_with("unit title") {
        "unit title".len()
    } else if lower.starts_with("title:") {
        "title".len()
    } else {
        return None;
    };
    let rest = text.get(skip..).unwrap_or("");
    let rest = rest.trim_start_matches([' ', ':', '-', '–']);
    Some(rest.to_string())
}

/// Is the line a labelled fact? `standard` chooses the labels of occupational standards.
pub fn fact(text: &str, standard: bool) -> Option<Fact> {
    let lower = text.to_lowercase();
    let table: &[(&str, &str, Value)] = if standard {
        &STANDARD_FACTS
    } else {
        &UNIT_FACTS
    };
    for &(pattern, label, kind) in table {
        let Some(after) = lower.strip_prefix(pattern) else {
            continue;
        };
        if after.starts_with(|c: char| c.is_alphanumeric()) {
            continue;
        }
        let colon = after.trim_start().starts_with([':', '-', '–']);
        // The lowercase text has the same byte offsets for the ASCII labels matched.
        let value = text
            .get(pattern.len()..)
            .unwrap_or("")
            .trim_start_matches([' ', ':', '-', '–'])
            .trim();
        let ok = match kind {
            Value::Any => true,
            Value::AfterColon => colon,
            Value::Number => {
                value.is_empty() && (colon || after.is_empty())
                    || value.starts_with(|c: char| c.is_ascii_digit()) && value.len() <= 24
            }
        };
        if ok {
            return Some(Fact {
                label,
                value: value.to_string(),
            });
        }
        return None;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_by_label() {
        let f = fact("Unit reference number: H/650/1234", false);
        assert_eq!(
            f.map(|f| (f.label, f.value)),
            Some(("unit reference", "H/650/1234".into()))
        );
        assert_eq!(
            fact("Level 3 Certificate in Community Development", false),
            None
        );
        assert_eq!(fact("Level: 3", false).map(|f| f.value), Some("3".into()));
        assert_eq!(
            fact("GLH 48", false).map(|f| f.label),
            Some("guided learning hours")
        );
        assert_eq!(
            unit_title("Unit title: Community groups"),
            Some("Community groups".into())
        );
    }
}
