//! A report as a document, before it is written in any format: a header (learner, qualification,
//! framework versions, generation time), notices (unverified framework text), sections of tables,
//! and the flat table its CSV holds. Each report builds one; `csv`, `html` and `pdf` write it.

use crate::names::str_names;

/// Which report.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReportKind {
    /// Every criterion of a learner's enrolments with status, evidence and judgement.
    Coverage,
    /// For each criterion, where its evidence is in the portfolio (item number and attachment).
    EvidenceRecord,
    /// Units with their sign-off dates and signatories.
    Units,
    /// Learners × units with completion and red / amber / green status.
    Cohort,
}

str_names!(ReportKind {
    Coverage => "coverage",
    EvidenceRecord => "evidence-record",
    Units => "units",
    Cohort => "cohort",
});

impl ReportKind {
    /// The report's title as printed.
    pub fn title(self) -> &'static str {
        match self {
            ReportKind::Coverage => "Criterion coverage report",
            ReportKind::EvidenceRecord => "Learner evidence record",
            ReportKind::Units => "Unit achievement record",
            ReportKind::Cohort => "Cohort summary",
        }
    }

    /// Whether the report is about one learner (the others cover everyone the user may read).
    pub fn needs_learner(self) -> bool {
        !matches!(self, ReportKind::Cohort)
    }
}

/// The file format written.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Csv,
    Html,
    Pdf,
}

str_names!(ReportFormat {
    Csv => "csv",
    Html => "html",
    Pdf => "pdf",
});

/// What every page of a report says about where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportHeader {
    /// "Name (id)" for a one-learner report.
    pub learner: Option<String>,
    /// The qualification(s) concerned, or what the report covers.
    pub qualification: String,
    /// Each framework with its version, "(unverified)" where its text is not confirmed.
    pub frameworks: Vec<String>,
    pub generated_at: String,
    pub generated_by: String,
    /// The audit trail's end when the report was made ("entry N, sha256:…"), for
    /// `audit verify --against` this file later.
    pub audit_head: String,
}

/// A table: columns (with relative widths for print) and rows of text; a cell may hold several
/// lines, separated by `\n`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

/// A column heading and its share of the printed width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub title: String,
    pub weight: usize,
}

impl Table {
    /// A table with these (heading, weight) columns and no rows yet.
    pub fn new(columns: &[(&str, usize)]) -> Table {
        Table {
            columns: columns
                .iter()
                .map(|&(title, weight)| Column {
                    title: title.to_string(),
                    weight,
                })
                .collect(),
            rows: Vec::new(),
        }
    }

    /// A table for CSV: every column the same weight.
    pub fn flat(columns: &[&str]) -> Table {
        let weighted: Vec<(&str, usize)> = columns.iter().map(|&c| (c, 1)).collect();
        Table::new(&weighted)
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }
}

/// A part of a report: a heading, lines of text, and a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub heading: String,
    pub lines: Vec<String>,
    pub table: Option<Table>,
}

/// A report, ready to be written as CSV, HTML or PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub kind: ReportKind,
    pub header: ReportHeader,
    /// Warnings every reader must see, such as unverified criteria text.
    pub notices: Vec<String>,
    pub sections: Vec<Section>,
    /// The report's CSV: one flat table with the documented columns.
    pub csv: Table,
}

impl Report {
    pub fn title(&self) -> &'static str {
        self.kind.title()
    }

    /// Every string printed in the report, for choosing the glyphs a PDF embeds.
    pub(crate) fn all_text(&self) -> String {
        let mut text = String::from(self.title());
        let h = &self.header;
        for part in h.learner.iter().chain([
            &h.qualification,
            &h.generated_at,
            &h.generated_by,
            &h.audit_head,
        ]) {
            text.push_str(part);
        }
        for part in h.frameworks.iter().chain(&self.notices) {
            text.push_str(part);
        }
        for section in &self.sections {
            text.push_str(&section.heading);
            section.lines.iter().for_each(|l| text.push_str(l));
            if let Some(table) = &section.table {
                table.columns.iter().for_each(|c| text.push_str(&c.title));
                table.rows.iter().flatten().for_each(|c| text.push_str(c));
            }
        }
        text
    }
}
