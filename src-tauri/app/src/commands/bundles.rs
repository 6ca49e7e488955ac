//! Bundles from the app: export a portfolio (or a quality-assurance bundle) to a file chosen in the
//! native save dialog, and import one chosen in the open dialog; progress goes to the window. Paths
//! never come from the webview.

use std::path::PathBuf;

use evidence_core::bundles::{file_name, BundleImport, BundleKind};
use evidence_core::reports::ReportProgress;
use evidence_core::ErrorPayload;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use super::reports::{throttled, ExportedReport, SAVE_DIR_OVERRIDE_ENV};
use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

/// The end-to-end tests cannot drive the open dialog: with this set, it "chooses" the newest `.zip`
/// in the save folder (where the export before it went).
fn newest_bundle(dir: &std::path::Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "zip"))
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
}

#[tauri::command(async)]
pub fn export_bundle(
    app: AppHandle,
    state: State<'_, AppState>,
    learner: String,
    kind: BundleKind,
    on_progress: Channel<ReportProgress>,
) -> Reply<Option<ExportedReport>> {
    let suggested = state.with_store(|s| Ok(file_name(kind, &s.learner(&learner)?.name)))?;
    let path = match std::env::var_os(SAVE_DIR_OVERRIDE_ENV) {
        Some(dir) => Some(PathBuf::from(dir).join(&suggested)),
        None => app
            .dialog()
            .file()
            .set_title("Save the bundle")
            .set_file_name(&suggested)
            .add_filter("Evidence Tracker bundle", &["zip"])
            .blocking_save_file()
            .and_then(|f| f.into_path().ok()),
    };
    let Some(path) = path else { return Ok(None) };
    let mut send = throttled(&on_progress);
    let done = state.with_store(|s| s.export_bundle(&learner, kind, &path, &mut send))?;
    Ok(Some(ExportedReport::at(
        &path,
        done.bytes as usize,
        Some(done.sha256),
    )))
}

#[tauri::command(async)]
pub fn import_bundle(
    app: AppHandle,
    state: State<'_, AppState>,
    on_progress: Channel<ReportProgress>,
) -> Reply<Option<BundleImport>> {
    let path = match std::env::var_os(SAVE_DIR_OVERRIDE_ENV) {
        Some(dir) => newest_bundle(std::path::Path::new(&dir)),
        None => app
            .dialog()
            .file()
            .set_title("Import a bundle")
            .add_filter("Evidence Tracker bundle", &["zip"])
            .blocking_pick_file()
            .and_then(|f| f.into_path().ok()),
    };
    let Some(path) = path else { return Ok(None) };
    let mut send = throttled(&on_progress);
    state
        .with_store(|s| s.import_bundle(&path, &mut send))
        .map(Some)
}
