//! Reports for assessors and quality assurers: the criterion coverage report, the learner evidence
//! record, the unit achievement record and the cohort summary, each as CSV (documented columns, one
//! row per criterion × evidence where that applies), self-contained HTML, or PDF. Described in
//! docs/reports.md.
//!
//! Each report is first built as a [`Report`] (header, notices, sections of tables, flat CSV table)
//! from what the acting user may read — the same checks as the screens — then written in the format
//! asked for. Unverified framework text is labelled in every format.

mod cohort;
mod common;
mod coverage;
mod csv_out;
mod font_subset;
mod html;
mod model;
mod pdf;
mod pdf_layout;
mod record;
mod units;

use serde::Serialize;

use crate::error::{CoreError, Result};
use crate::store::Store;
use crate::time::now_rfc3339;

pub use csv_out::AUDIT_HEAD_COLUMN;
pub use model::{Column, Report, ReportFormat, ReportHeader, ReportKind, Section, Table};

/// The documented CSV columns of each report.
pub fn csv_columns(kind: ReportKind) -> &'static [&'static str] {
    match kind {
        ReportKind::Coverage => coverage::CSV_COLUMNS,
        ReportKind::EvidenceRecord => record::CSV_COLUMNS,
        ReportKind::Units => units::CSV_COLUMNS,
        ReportKind::Cohort => cohort::CSV_COLUMNS,
    }
}

/// How far a report (or a bundle export or import) has got, for a progress bar. Long work takes a
/// `&mut dyn FnMut(ReportProgress) -> Result<()>` and calls it at every step, often enough that an
/// `Err` — [`CoreError::Cancelled`] when the user asks to stop — ends the work promptly; the work then
/// returns that error and keeps nothing of what it had done.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportProgress {
    /// What is being done, in words.
    pub stage: String,
    pub done: usize,
    pub total: usize,
}

/// A file name for the report: kind, learner (or "cohort") and date, e.g.
/// `coverage-ada-lovelace-2026-11-22.pdf` or `cohort-2026-11-22.csv`.
pub fn file_name(kind: ReportKind, format: ReportFormat, learner_name: Option<&str>) -> String {
    dated_file_name(
        &[kind.as_str(), learner_name.unwrap_or("")],
        format.as_str(),
    )
}

/// `parts` in lower case with every run of other characters than letters and digits made one `-`,
/// joined by `-`, then today's date and the extension: the names suggested for saved files.
pub(crate) fn dated_file_name(parts: &[&str], extension: &str) -> String {
    let slug: String = parts
        .join("-")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let mut words: Vec<&str> = slug.split('-').filter(|p| !p.is_empty()).collect();
    let day = crate::time::today().format("%Y-%m-%d").to_string();
    words.push(&day);
    format!("{}.{extension}", words.join("-"))
}

impl Store {
    /// Builds a report as a document: `learner` is required for every report but the cohort summary.
    pub fn report_document(
        &self,
        kind: ReportKind,
        learner: Option<&str>,
        generated_at: &str,
        progress: &mut dyn FnMut(ReportProgress) -> Result<()>,
    ) -> Result<Report> {
        let learner = match (kind.needs_learner(), learner) {
            (true, Some(l)) => Some(l),
            (true, None) => {
                return Err(CoreError::invalid(format!(
                    "the {} report is about one learner: name the learner",
                    kind.as_str()
                )))
            }
            (false, _) => None,
        };
        let mut step = |stage: &str, done, total| {
            progress(ReportProgress {
                stage: stage.to_string(),
                done,
                total,
            })
        };
        step("Reading the portfolio", 0, 1)?;
        match (kind, learner) {
            (ReportKind::Coverage, Some(l)) => coverage::build(self, l, generated_at),
            (ReportKind::EvidenceRecord, Some(l)) => record::build(self, l, generated_at),
            (ReportKind::Units, Some(l)) => units::build(self, l, generated_at),
            _ => cohort::build(self, generated_at, &mut |done, total| {
                step("Summarising learners", done, total)
            }),
        }
    }

    /// Builds a report and writes it in `format`; returns the file's bytes.
    pub fn report(
        &self,
        kind: ReportKind,
        format: ReportFormat,
        learner: Option<&str>,
        progress: &mut dyn FnMut(ReportProgress) -> Result<()>,
    ) -> Result<Vec<u8>> {
        let report = self.report_document(kind, learner, &now_rfc3339(), progress)?;
        progress(ReportProgress {
            stage: format!("Writing {}", format.as_str().to_uppercase()),
            done: 0,
            total: 1,
        })?;
        let bytes = render_with_progress(&report, format, progress)?;
        // The last chance to stop: the caller writes the file once this returns.
        progress(ReportProgress {
            stage: "Done".into(),
            done: 1,
            total: 1,
        })?;
        Ok(bytes)
    }
}

/// Writes a built report in a format.
pub fn render(report: &Report, format: ReportFormat) -> Result<Vec<u8>> {
    render_with_progress(report, format, &mut |_| Ok(()))
}

/// Writes a built report in a format, telling `progress` page by page for a PDF (an `Err` from it
/// stops the typesetting and is returned).
pub fn render_with_progress(
    report: &Report,
    format: ReportFormat,
    progress: &mut dyn FnMut(ReportProgress) -> Result<()>,
) -> Result<Vec<u8>> {
    match format {
        ReportFormat::Csv => csv_out::write(&report.csv, &report.header.audit_head),
        ReportFormat::Html => Ok(html::write(report)),
        ReportFormat::Pdf => pdf::write(report, progress),
    }
}
