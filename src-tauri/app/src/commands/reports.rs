//! Exporting reports: the user chooses where to save in a native dialog (the path never comes from
//! the webview), the report is built with its progress sent to the window, and the file is written
//! atomically.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use evidence_core::reports::{file_name, ReportFormat, ReportKind, ReportProgress};
use evidence_core::ErrorPayload;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

/// Set by the end-to-end tests, which cannot drive a native save dialog: the folder the dialog
/// "chooses" (the file keeps the suggested name).
pub(super) const SAVE_DIR_OVERRIDE_ENV: &str = "EVIDENCE_E2E_SAVE_DIR";

/// The shortest time between two progress updates sent to the window.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

/// A report or bundle written to disk.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ExportedReport {
    pub file_name: String,
    /// Where it was saved, to show the user.
    pub location: String,
    pub bytes: usize,
    /// The file's SHA-256, for a bundle (to tell whoever receives it).
    pub sha256: Option<String>,
}

impl ExportedReport {
    pub(super) fn at(path: &Path, bytes: usize, sha256: Option<String>) -> ExportedReport {
        ExportedReport {
            file_name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            location: path
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            bytes,
            sha256,
        }
    }
}

/// Forwards progress to the window at most ten times a second, but always the last step of a stage.
/// A closed window only stops the progress bar, not the work.
pub(super) fn throttled(channel: &Channel<ReportProgress>) -> impl FnMut(ReportProgress) + '_ {
    let mut last_sent: Option<Instant> = None;
    move |p: ReportProgress| {
        let due = last_sent.is_none_or(|t| t.elapsed() >= PROGRESS_EVERY);
        if due || p.done == p.total {
            last_sent = Some(Instant::now());
            let _ = channel.send(p);
        }
    }
}

/// Asks where to save `suggested`; `None` when the user cancels.
fn choose_file(app: &AppHandle, suggested: &str, format: ReportFormat) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(SAVE_DIR_OVERRIDE_ENV) {
        return Some(PathBuf::from(dir).join(suggested));
    }
    let (label, extensions): (&str, &[&str]) = match format {
        ReportFormat::Csv => ("CSV spreadsheet", &["csv"]),
        ReportFormat::Html => ("Web page", &["html", "htm"]),
        ReportFormat::Pdf => ("PDF document", &["pdf"]),
    };
    app.dialog()
        .file()
        .set_title("Save the report")
        .set_file_name(suggested)
        .add_filter(label, extensions)
        .blocking_save_file()
        .and_then(|file| file.into_path().ok())
}

#[tauri::command(async)]
pub fn export_report(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: ReportKind,
    format: ReportFormat,
    learner: Option<String>,
    on_progress: Channel<ReportProgress>,
) -> Reply<Option<ExportedReport>> {
    let suggested = state.with_store(|s| {
        let name = match learner.as_deref() {
            Some(l) if kind.needs_learner() => Some(s.learner(l)?.name),
            _ => None,
        };
        Ok(file_name(kind, format, name.as_deref()))
    })?;
    let Some(path) = choose_file(&app, &suggested, format) else {
        return Ok(None);
    };
    let mut send = throttled(&on_progress);
    let bytes = state.with_store(|s| {
        let bytes = s.report(kind, format, learner.as_deref(), &mut send)?;
        evidence_core::store::write_file_atomically(&path, &bytes)?;
        Ok(bytes.len())
    })?;
    Ok(Some(ExportedReport::at(&path, bytes, None)))
}
