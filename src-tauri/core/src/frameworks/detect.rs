//! Which of the three input formats a framework file is, decided from its content rather than its
//! name (a centre's files arrive renamed, from email, with any extension): the native TOML file, a
//! Moodle competency-framework CSV export, or text copied out of a specification.

use serde::{Deserialize, Serialize};

use super::moodle_csv::header_key;
use super::native::decode_text;
use crate::error::{CoreError, Result};

/// A framework file's format.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    /// `format = "evidence-tracker/framework"` (docs/framework-format.md).
    Native,
    /// Moodle's competency-framework export: a CSV whose header names the ID number columns.
    MoodleCsv,
    /// Anything else that is text: a copy of a specification, turned into a draft to check.
    SpecificationText,
}

/// Decides the format of `bytes`. A PDF, a word-processor file or other binary data is refused
/// with what to do instead; an empty file is refused.
pub fn detect(bytes: &[u8]) -> Result<FileFormat> {
    if bytes.starts_with(b"%PDF") {
        return Err(CoreError::InvalidFramework(
            "this is a PDF file: open it, select the specification's text, copy it, and paste it (or save it as a .txt file)".into(),
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(CoreError::InvalidFramework(
            "this is a word-processor or spreadsheet file: save it as plain text (.txt) or CSV, or copy its text and paste it".into(),
        ));
    }
    let text = decode_text(bytes)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(first) = lines.clone().next() else {
        return Err(CoreError::InvalidFramework("the file is empty".into()));
    };
    // A damaged native file still counts as one, so that its TOML error is what the user sees.
    let native = lines.any(|line| {
        let line = line.replace(' ', "");
        [
            "format=",
            "format_version=",
            "[framework",
            "[[group",
            "[[criterion",
        ]
        .iter()
        .any(|start| line.starts_with(start))
    });
    if native {
        return Ok(FileFormat::Native);
    }
    if looks_like_moodle_header(first) {
        return Ok(FileFormat::MoodleCsv);
    }
    Ok(FileFormat::SpecificationText)
}

/// A CSV header line naming Moodle's `idnumber` and `shortname` columns (in any letter case, with
/// or without spaces and quotes).
fn looks_like_moodle_header(line: &str) -> bool {
    let cells: Vec<String> = line.split([',', ';', '\t']).map(header_key).collect();
    cells.iter().any(|c| c == "idnumber") && cells.iter().any(|c| c == "shortname")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_is_known_by_its_content() {
        let native = "# a comment\nformat = \"evidence-tracker/framework\"\nformat_version = 1\n";
        assert_eq!(detect(native.as_bytes()).ok(), Some(FileFormat::Native));
        let broken = "format = \n[framework\n";
        assert_eq!(detect(broken.as_bytes()).ok(), Some(FileFormat::Native));
        let moodle = "\u{feff}\"Parent ID number\",\"ID number\",\"Short name\",\"Description\"\n";
        assert_eq!(detect(moodle.as_bytes()).ok(), Some(FileFormat::MoodleCsv));
        let spec = "Unit 1: Understand partnership working\n1. Understand partners\n1.1 Describe partners\n";
        assert_eq!(
            detect(spec.as_bytes()).ok(),
            Some(FileFormat::SpecificationText)
        );
    }

    #[test]
    fn binary_pdf_and_empty_files_are_refused_with_what_to_do() {
        let pdf = detect(b"%PDF-1.7\n...").unwrap_err().to_string();
        assert!(pdf.contains("PDF") && pdf.contains("paste"), "{pdf}");
        let docx = detect(b"PK\x03\x04rest").unwrap_err().to_string();
        assert!(docx.contains("plain text"), "{docx}");
        let empty = detect(b" \n\n").unwrap_err().to_string();
        assert!(empty.contains("empty"), "{empty}");
        let latin1 = detect(b"Caf\xe9").unwrap_err().to_string();
        assert!(latin1.contains("UTF-8"), "{latin1}");
    }
}
