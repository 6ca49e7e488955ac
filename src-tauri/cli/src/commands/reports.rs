//! `evidence report`: the four reports for assessors and quality assurers, written to a file.

use evidence_core::reports::{file_name, ReportFormat, ReportKind};
use evidence_core::{CoreError, Store};

use crate::output::Out;
use crate::review_args::{ReportArgs, ReportFileFormat, ReportName};

fn kind_of(name: ReportName) -> ReportKind {
    match name {
        ReportName::Coverage => ReportKind::Coverage,
        ReportName::EvidenceRecord => ReportKind::EvidenceRecord,
        ReportName::Units => ReportKind::Units,
        ReportName::Cohort => ReportKind::Cohort,
    }
}

/// The format asked for, or the one the file's extension names.
fn format_of(args: &ReportArgs) -> Result<ReportFormat, CoreError> {
    if let Some(format) = args.format {
        return Ok(match format {
            ReportFileFormat::Csv => ReportFormat::Csv,
            ReportFileFormat::Html => ReportFormat::Html,
            ReportFileFormat::Pdf => ReportFormat::Pdf,
        });
    }
    let extension = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("htm") => Some(ReportFormat::Html),
        Some(e) => ReportFormat::parse(e),
        None => None,
    }
    .ok_or_else(|| {
        CoreError::InvalidInput(format!(
            "say --format csv, html or pdf (the file name {} does not tell)",
            args.out.display()
        ))
    })
}

pub fn report(store: &Store, out: &Out, args: ReportArgs) -> Result<(), CoreError> {
    let kind = kind_of(args.report);
    let format = format_of(&args)?;
    let bytes = store.report(kind, format, args.learner.as_deref(), &mut |_| Ok(()))?;
    evidence_core::store::write_file_atomically(&args.out, &bytes)?;
    let suggested = match args.learner.as_deref() {
        Some(l) if kind.needs_learner() => file_name(kind, format, Some(&store.learner(l)?.name)),
        _ => file_name(kind, format, None),
    };
    out.emit(
        &serde_json::json!({
            "report": kind.as_str(),
            "format": format.as_str(),
            "written": args.out.display().to_string(),
            "bytes": bytes.len(),
            "suggested_name": suggested,
        }),
        || {
            format!(
                "Wrote the {} ({}) to {} ({} bytes).",
                kind.title().to_lowercase(),
                format.as_str().to_uppercase(),
                args.out.display(),
                bytes.len()
            )
        },
    )
}
