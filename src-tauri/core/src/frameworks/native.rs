//! The native framework file format (TOML), documented in `docs/framework-format.md`.
//!
//! Reading checks size and encoding before parsing and validates the result; writing produces a file
//! that reads back to the same document.

use serde::{Deserialize, Serialize};

use super::model::{
    CriterionDoc, CriterionKind, FrameworkDoc, FrameworkKind, GroupDoc, GroupKind, MethodRuleDoc,
};
use super::validate::MAX_FILE_BYTES;
use crate::error::{CoreError, Result};

/// The format identifier every native file starts with.
pub const FORMAT_ID: &str = "evidence-tracker/framework";
/// The newest format version this build reads and the one it writes.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRoot {
    format: String,
    format_version: u32,
    framework: FileHeader,
    #[serde(default, rename = "group", skip_serializing_if = "Vec::is_empty")]
    groups: Vec<FileGroup>,
    #[serde(default, rename = "criterion")]
    criteria: Vec<FileCriterion>,
    /// Optional in format version 1: files without rules read as they always did.
    #[serde(default, rename = "method_rule", skip_serializing_if = "Vec::is_empty")]
    method_rules: Vec<FileMethodRule>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileHeader {
    code: String,
    title: String,
    kind: FrameworkKind,
    version: String,
    verified: bool,
    source: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileGroup {
    code: String,
    kind: GroupKind,
    title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileCriterion {
    code: String,
    kind: CriterionKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    text: String,
}

/// Names, not enums: an unknown kind or method is reported naming the rule (in validation order).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileMethodRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    applies_to: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    criteria: Vec<String>,
    methods: Vec<String>,
    source: String,
}

/// Decodes file bytes as UTF-8 text within the size limit.
pub fn decode_text(bytes: &[u8]) -> Result<&str> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(CoreError::InvalidFramework(format!(
            "file is {} bytes; the limit is {MAX_FILE_BYTES}",
            bytes.len()
        )));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        CoreError::InvalidFramework(format!(
            "file is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })
}

/// One line naming where and what the TOML problem is, e.g. `TOML line 3, column 7: invalid string`.
pub fn toml_error(text: &str, err: &toml::de::Error) -> CoreError {
    let message = err
        .message()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let place = match err.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            format!(" line {line}, column {column}")
        }
        None => String::new(),
    };
    CoreError::InvalidFramework(format!("TOML{place}: {message}"))
}

/// Parses and validates a native framework file.
pub fn parse(bytes: &[u8]) -> Result<FrameworkDoc> {
    let text = decode_text(bytes)?;
    let root: FileRoot = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    if root.format != FORMAT_ID {
        return Err(CoreError::InvalidFramework(format!(
            "format is {:?}; expected {FORMAT_ID:?}",
            root.format
        )));
    }
    if root.format_version > FORMAT_VERSION {
        return Err(CoreError::InvalidFramework(format!(
            "format_version {} is newer than this build reads ({FORMAT_VERSION}); upgrade Evidence Tracker",
            root.format_version
        )));
    }
    let doc = FrameworkDoc {
        code: root.framework.code,
        title: root.framework.title,
        kind: root.framework.kind,
        version: root.framework.version,
        source: root.framework.source,
        verified: root.framework.verified,
        description: root.framework.description,
        groups: root
            .groups
            .into_iter()
            .map(|g| GroupDoc {
                code: g.code,
                kind: g.kind,
                title: g.title,
                parent: g.parent,
            })
            .collect(),
        criteria: root
            .criteria
            .into_iter()
            .map(|c| CriterionDoc {
                code: c.code,
                kind: c.kind,
                text: c.text,
                group: c.group,
            })
            .collect(),
        method_rules: root
            .method_rules
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                MethodRuleDoc::from_names(
                    i + 1,
                    r.applies_to.as_deref(),
                    r.criteria,
                    &r.methods,
                    r.source,
                )
            })
            .collect::<Result<_>>()?,
    };
    doc.validate()?;
    Ok(doc)
}

/// The name to suggest for a framework exported as a file: `CODE-VERSION.toml`, with anything but
/// letters, digits, `.`, `-` and `_` replaced so that every file system takes it.
pub fn file_name(code: &str, version: &str) -> String {
    let safe = |text: &str| -> String {
        text.chars()
            .map(
                |c| match c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                    true => c,
                    false => '-',
                },
            )
            .collect()
    };
    format!("{}-{}.toml", safe(code), safe(version))
}

/// Writes a framework in the native format.
pub fn write(doc: &FrameworkDoc) -> Result<String> {
    let root = FileRoot {
        format: FORMAT_ID.to_string(),
        format_version: FORMAT_VERSION,
        framework: FileHeader {
            code: doc.code.clone(),
            title: doc.title.clone(),
            kind: doc.kind,
            version: doc.version.clone(),
            verified: doc.verified,
            source: doc.source.clone(),
            description: doc.description.clone(),
        },
        groups: doc
            .groups
            .iter()
            .map(|g| FileGroup {
                code: g.code.clone(),
                kind: g.kind,
                title: g.title.clone(),
                parent: g.parent.clone(),
            })
            .collect(),
        criteria: doc
            .criteria
            .iter()
            .map(|c| FileCriterion {
                code: c.code.clone(),
                kind: c.kind,
                group: c.group.clone(),
                text: c.text.clone(),
            })
            .collect(),
        method_rules: doc
            .method_rules
            .iter()
            .map(|r| FileMethodRule {
                applies_to: r.applies_to.map(|k| k.as_str().to_string()),
                criteria: r.criteria.clone(),
                methods: r.methods.iter().map(|m| m.as_str().to_string()).collect(),
                source: r.source.clone(),
            })
            .collect(),
    };
    toml::to_string_pretty(&root)
        .map_err(|e| CoreError::InvalidFramework(format!("cannot write TOML: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
format = "evidence-tracker/framework"
format_version = 1

[framework]
code = "FW"
title = "Small"
kind = "qualification"
version = "1"
verified = false
source = "a test"

[[group]]
code = "U1"
kind = "unit"
title = "Unit one"

[[criterion]]
code = "U1.1"
kind = "assessment_criterion"
group = "U1"
text = "Describe \"partnership\"."
"#;

    #[test]
    fn a_file_round_trips_through_write_and_parse() {
        let doc = parse(SMALL.as_bytes()).expect("parse");
        assert_eq!(doc.criteria[0].text, "Describe \"partnership\".");
        let again = parse(write(&doc).expect("write").as_bytes()).expect("reparse");
        assert_eq!(doc, again);
    }

    #[test]
    fn method_rules_round_trip_and_files_without_them_write_none() {
        let doc = parse(SMALL.as_bytes()).expect("parse");
        assert!(!write(&doc).expect("write").contains("method_rule"));
        let text = format!(
            "{SMALL}\n[[method_rule]]\napplies_to = \"assessment_criterion\"\nmethods = [\"direct_observation\", \"expert_witness\"]\nsource = \"centre policy\"\n"
        );
        let doc = parse(text.as_bytes()).expect("parse with a rule");
        assert_eq!(doc.method_rules.len(), 1);
        let again = parse(write(&doc).expect("write").as_bytes()).expect("reparse");
        assert_eq!(doc, again);
    }

    #[test]
    fn bad_toml_names_the_line() {
        let err = parse(b"format = \n").expect_err("bad toml");
        assert_eq!(err.code(), "invalid_framework");
        assert!(err.to_string().contains("line 1, column"), "{err}");
        assert!(
            !err.to_string().contains('\n'),
            "errors are one line: {err}"
        );
    }

    #[test]
    fn non_utf8_is_refused() {
        let mut bytes = SMALL.as_bytes().to_vec();
        bytes.extend_from_slice(&[0xff, 0xfe]);
        let err = parse(&bytes).expect_err("non-utf8");
        assert!(err.to_string().contains("not UTF-8"), "{err}");
    }

    #[test]
    fn unknown_fields_are_refused_rather_than_ignored() {
        let text = SMALL.replace("verified = false", "verified = false\nverifed = true");
        let err = parse(text.as_bytes()).expect_err("typo");
        assert!(err.to_string().contains("verifed"), "{err}");
    }

    #[test]
    fn a_newer_format_version_is_refused() {
        let text = SMALL.replace("format_version = 1", "format_version = 9");
        let err = parse(text.as_bytes()).expect_err("newer");
        assert!(err.to_string().contains("newer"), "{err}");
    }
}
