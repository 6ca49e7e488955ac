//! One way in for a framework file, whatever its format, for the app and the CLI alike: the
//! content is read ([`detect`](super::detect) decides the format), and the caller gets back either
//! the framework it describes — to preview, correct and publish — or, for text copied from a
//! specification, the text itself, which becomes a draft once its code, title and version are known
//! ([`spec_text::parse`](super::spec_text::parse)). Nothing here touches the database.

use std::io::Read;
use std::path::Path;

use serde::Serialize;

use super::detect::{detect, FileFormat};
use super::fields::MAX_FILE_BYTES;
use super::model::{CriterionKind, FrameworkDoc, FrameworkKind};
use super::moodle_csv::{self, MoodleImportOptions};
use super::native;
use crate::error::{CoreError, Result};

/// What a framework file turned out to be.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileIntake {
    /// The file's name (never its path), to show.
    pub file_name: String,
    pub format: FileFormat,
    /// The framework, for a native file or a Moodle CSV (not yet validated against the store).
    pub doc: Option<FrameworkDoc>,
    /// The text, for a specification copy: it goes to the paste flow.
    pub text: Option<String>,
}

/// Reads a framework file's content. A Moodle CSV becomes a competence framework of indicators,
/// version `moodle_version`; its kinds and version can be changed in the draft before publishing.
pub fn read_bytes(bytes: &[u8], file_name: &str, moodle_version: &str) -> Result<FileIntake> {
    let format = detect(bytes)?;
    let mut intake = FileIntake {
        file_name: file_name.to_string(),
        format,
        doc: None,
        text: None,
    };
    match format {
        FileFormat::Native => intake.doc = Some(native::parse(bytes)?),
        FileFormat::MoodleCsv => {
            let options = MoodleImportOptions {
                version: moodle_version.to_string(),
                kind: FrameworkKind::CompetenceFramework,
                criterion_kind: CriterionKind::Indicator,
                source: format!("Moodle competency framework CSV: {file_name}"),
            };
            intake.doc = Some(moodle_csv::parse(bytes, &options)?);
        }
        FileFormat::SpecificationText => {
            let text = native::decode_text(bytes)?;
            intake.text = Some(text.strip_prefix('\u{feff}').unwrap_or(text).to_string());
        }
    }
    Ok(intake)
}

/// Reads the file at `path` (chosen in a native dialog or dropped on the window), refusing one
/// larger than a framework file may be before reading it.
pub fn read_path(path: &Path, moodle_version: &str) -> Result<FileIntake> {
    let cannot =
        |e: std::io::Error| CoreError::invalid(format!("cannot read {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    read_bytes(&bytes, &name, moodle_version)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_comes_back_as_a_framework_or_as_text() {
        let native = "format = \"evidence-tracker/framework\"\nformat_version = 1\n[framework]\ncode = \"X\"\ntitle = \"X\"\nkind = \"values\"\nversion = \"1\"\nverified = false\nsource = \"s\"\ndescription = \"\"\n[[criterion]]\ncode = \"V1\"\nkind = \"value_statement\"\ntext = \"Be fair.\"\n";
        let intake = read_bytes(native.as_bytes(), "x.toml", "1").unwrap();
        assert_eq!(intake.format, FileFormat::Native);
        assert_eq!(intake.doc.unwrap().criteria[0].text, "Be fair.");
        let moodle = include_bytes!("../../tests/fixtures/moodle-example.csv");
        let intake = read_bytes(moodle, "m.csv", "2026-12").unwrap();
        assert_eq!(intake.format, FileFormat::MoodleCsv);
        let doc = intake.doc.unwrap();
        assert_eq!(
            (doc.version.as_str(), doc.kind),
            ("2026-12", FrameworkKind::CompetenceFramework)
        );
        assert!(doc.source.contains("m.csv"));
        let text = "\u{feff}Unit 1: Partnership\n1. Understand partners\n1.1 Describe partners\n";
        let intake = read_bytes(text.as_bytes(), "spec.txt", "1").unwrap();
        assert_eq!(intake.format, FileFormat::SpecificationText);
        assert_eq!(intake.doc, None);
        assert!(intake.text.unwrap().starts_with("Unit 1"));
    }

    #[test]
    fn a_missing_or_oversized_file_is_refused_by_name() {
        let dir = std::env::temp_dir().join(format!("intake-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = read_path(&dir.join("absent.toml"), "1")
            .unwrap_err()
            .to_string();
        assert!(missing.contains("absent.toml"), "{missing}");
        let big = dir.join("big.txt");
        std::fs::write(&big, vec![b'a'; MAX_FILE_BYTES + 10]).unwrap();
        let refused = read_path(&big, "1").unwrap_err().to_string();
        assert!(refused.contains("limit"), "{refused}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
