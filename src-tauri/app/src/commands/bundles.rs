//! Bundles from the app: export a portfolio (or a quality-assurance bundle) to a file chosen in the
//! native save dialog, and import one chosen in the open dialog; each runs as a cancellable job on its
//! own thread and connection (see `jobs`), its progress going to the window. Paths never come from
//! the webview.

use std::path::PathBuf;

use evidence_core::bundles::{file_name, BundleImport, BundleKind, CarriedFramework};
use evidence_core::reports::ReportProgress;
use evidence_core::ErrorPayload;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

use super::reports::{save_dialog, ExportedReport, SAVE_DIR_OVERRIDE_ENV};
use crate::jobs::off_the_command_thread;
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

/// Saves a bundle where the user chooses, as a job (`job` names it for `cancel_job`): `None` when
/// the user cancels the dialog, the error `cancelled` when they cancel the work (then no file is left).
#[tauri::command]
pub async fn export_bundle(
    app: AppHandle,
    learner: String,
    kind: BundleKind,
    job: String,
    on_progress: Channel<ReportProgress>,
) -> Reply<Option<ExportedReport>> {
    let job = app.state::<AppState>().jobs.start(&job)?;
    off_the_command_thread(move || {
        let state = app.state::<AppState>();
        let suggested = state.with_store(|s| Ok(file_name(kind, &s.learner(&learner)?.name)))?;
        let path = save_dialog(
            &app,
            &suggested,
            "Save the bundle",
            "Evidence Tracker bundle",
            &["zip"],
        );
        let Some(path) = path else { return Ok(None) };
        let store = state.fork()?;
        let mut send = job.progress(&on_progress, "the bundle export");
        let done = store
            .export_bundle(&learner, kind, &path, &mut send)
            .map_err(|e| e.to_payload())?;
        Ok(Some(ExportedReport::at(
            &path,
            done.bytes as usize,
            Some(done.sha256),
        )))
    })
    .await
}

/// Imports a bundle the user chooses, as a job (`job` names it for `cancel_job`): `None` when the
/// user cancels the dialog, the error `cancelled` when they cancel the work (then nothing is written).
#[tauri::command]
pub async fn import_bundle(
    app: AppHandle,
    job: String,
    on_progress: Channel<ReportProgress>,
) -> Reply<Option<BundleImport>> {
    let job = app.state::<AppState>().jobs.start(&job)?;
    off_the_command_thread(move || {
        let state = app.state::<AppState>();
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
        state.hold_bundle(&path);
        let mut store = state.fork()?;
        let mut send = job.progress(&on_progress, "the import");
        store
            .import_bundle(&path, &mut send)
            .map(Some)
            .map_err(|e| e.to_payload())
    })
    .await
}

/// The framework versions the bundle last chosen for import carries, and whether each is here (after
/// an import refused with `framework_missing`, to load the one it names).
#[tauri::command(async)]
pub fn last_bundle_frameworks(state: State<'_, AppState>) -> Reply<Vec<CarriedFramework>> {
    let path = state.last_bundle().ok_or_else(|| {
        evidence_core::CoreError::InvalidInput("no bundle has been chosen for import yet".into())
            .to_payload()
    })?;
    state.with_store(|s| s.bundle_frameworks(&path))
}
