//! Exporting reports: the user chooses where to save in a native dialog (the path never comes from
//! the webview), the report is built as a job (on its own thread and connection, its progress sent to
//! the window, cancellable: see `jobs`), and the file is written atomically — or, if cancelled, not at
//! all.

use std::path::{Path, PathBuf};

use evidence_core::reports::{file_name, ReportFormat, ReportKind, ReportProgress};
use evidence_core::ErrorPayload;
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::DialogExt;

use crate::jobs::off_the_command_thread;
use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

/// Set by the end-to-end tests, which cannot drive a native save dialog: the folder the dialog
/// "chooses" (the file keeps the suggested name).
pub(super) const SAVE_DIR_OVERRIDE_ENV: &str = "EVIDENCE_E2E_SAVE_DIR";

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

/// Asks where to save `suggested` (in the tests, the folder `SAVE_DIR_OVERRIDE_ENV` names): a
/// native dialog titled `title` offering files of kind `label`; `None` when the user cancels.
pub(super) fn save_dialog(
    app: &AppHandle,
    suggested: &str,
    title: &str,
    label: &str,
    extensions: &[&str],
) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(SAVE_DIR_OVERRIDE_ENV) {
        return Some(PathBuf::from(dir).join(suggested));
    }
    app.dialog()
        .file()
        .set_title(title)
        .set_file_name(suggested)
        .add_filter(label, extensions)
        .blocking_save_file()
        .and_then(|file| file.into_path().ok())
}

/// Asks where to save the report `suggested`; `None` when the user cancels.
fn choose_file(app: &AppHandle, suggested: &str, format: ReportFormat) -> Option<PathBuf> {
    let (label, extensions): (&str, &[&str]) = match format {
        ReportFormat::Csv => ("CSV spreadsheet", &["csv"]),
        ReportFormat::Html => ("Web page", &["html", "htm"]),
        ReportFormat::Pdf => ("PDF document", &["pdf"]),
    };
    save_dialog(app, suggested, "Save the report", label, extensions)
}

/// Builds a report and saves it where the user chooses; `job` is the window's name for the work, for
/// `cancel_job`. `None` when the user cancels the dialog; the error `cancelled` when they cancel the
/// work (then no file is written).
#[tauri::command]
pub async fn export_report(
    app: AppHandle,
    kind: ReportKind,
    format: ReportFormat,
    learner: Option<String>,
    job: String,
    on_progress: Channel<ReportProgress>,
) -> Reply<Option<ExportedReport>> {
    let job = app.state::<AppState>().jobs.start(&job)?;
    off_the_command_thread(move || {
        let state = app.state::<AppState>();
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
        let store = state.fork()?;
        let mut send = job.progress(&on_progress, "the report export");
        let bytes = store
            .report(kind, format, learner.as_deref(), &mut send)
            .and_then(|bytes| {
                evidence_core::store::write_file_atomically(&path, &bytes)?;
                Ok(bytes.len())
            })
            .map_err(|e| e.to_payload())?;
        Ok(Some(ExportedReport::at(&path, bytes, None)))
    })
    .await
}
