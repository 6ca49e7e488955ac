//! Loading a centre's own qualification: a framework file chosen in a native dialog or dropped on
//! the window (read by the core, never by path from the webview), text pasted from a specification
//! turned into a draft, the draft renumbered, previewed against the learners it would affect, and
//! published; any stored version exported as a native file. Every rule is the core's.

use std::path::PathBuf;

use evidence_core::frameworks::fill_in::fill_in;
use evidence_core::frameworks::intake::{self, FileIntake};
use evidence_core::frameworks::spec_text::{self, Draft, SpecMeta};
use evidence_core::frameworks::{
    native, numbering, FrameworkDoc, FrameworkSummary, ImportPreview, ImportReport,
};
use evidence_core::ErrorPayload;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use super::reports::{save_dialog, ExportedReport};
use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

/// Set by the end-to-end tests, which cannot drive a native open dialog: the framework file it
/// "chooses".
const PICK_FRAMEWORK_ENV: &str = "EVIDENCE_E2E_FRAMEWORK_FILE";

/// Every stored version of every framework, with how many learners and mappings use each.
#[tauri::command(async)]
pub fn framework_versions(state: State<'_, AppState>) -> Reply<Vec<FrameworkSummary>> {
    state.with_portfolio(|s| s.list_frameworks(true))
}

/// One stored version of a framework (the current one when `version` is null).
#[tauri::command(async)]
pub fn framework_version(
    state: State<'_, AppState>,
    code: String,
    version: Option<String>,
) -> Reply<FrameworkDoc> {
    state.with_portfolio(|s| s.framework(&code, version.as_deref()))
}

/// Asks for a framework file (native TOML, Moodle CSV or specification text) and reads it; null
/// when the user cancels.
#[tauri::command(async)]
pub fn open_framework_file(app: AppHandle) -> Reply<Option<FileIntake>> {
    let chosen: Option<PathBuf> = match std::env::var_os(PICK_FRAMEWORK_ENV) {
        Some(path) => Some(PathBuf::from(path)),
        None => app
            .dialog()
            .file()
            .set_title("Load a framework file")
            .add_filter("Framework files", &["toml", "csv", "txt"])
            .blocking_pick_file()
            .and_then(|file| file.into_path().ok()),
    };
    chosen
        .map(|path| intake::read_path(&path, &today()))
        .transpose()
        .map_err(|e| e.to_payload())
}

/// Reads the first file dropped on the window as a framework file; null when none is held.
#[tauri::command(async)]
pub fn read_dropped_framework(state: State<'_, AppState>) -> Reply<Option<FileIntake>> {
    let dropped = state.take_dropped();
    dropped
        .first()
        .map(|path| intake::read_path(path, &today()))
        .transpose()
        .map_err(|e| e.to_payload())
}

/// Turns text copied from a specification into a draft, accounting for every line.
#[tauri::command(async)]
pub fn draft_from_text(text: String, meta: SpecMeta) -> Reply<Draft> {
    spec_text::parse(&text, &meta).map_err(|e| e.to_payload())
}

/// The draft with its learning outcomes and criteria numbered in order.
#[tauri::command(async)]
pub fn renumber_draft(doc: FrameworkDoc) -> Reply<FrameworkDoc> {
    Ok(numbering::renumber(&doc))
}

/// The current version of `framework` with the units or standards of `part` (a draft read from
/// pasted text) filled in, as version `version`: to preview and publish like any draft.
#[tauri::command(async)]
pub fn fill_in_framework(
    state: State<'_, AppState>,
    framework: String,
    part: FrameworkDoc,
    version: String,
) -> Reply<FrameworkDoc> {
    state.with_portfolio(|s| fill_in(&s.framework(&framework, None)?, &part, &version))
}

/// What publishing `doc` would do, learner by learner; writes nothing.
#[tauri::command(async)]
pub fn preview_framework(state: State<'_, AppState>, doc: FrameworkDoc) -> Reply<ImportPreview> {
    state.with_portfolio(|s| s.preview_framework_import(&doc))
}

/// Publishes `doc` as an immutable version, in one transaction with its audit entry.
#[tauri::command(async)]
pub fn publish_framework(state: State<'_, AppState>, doc: FrameworkDoc) -> Reply<ImportReport> {
    state.with_portfolio(|s| s.import_framework(&doc))
}

/// Saves a stored version as a native framework file where the user chooses; null when they cancel.
#[tauri::command(async)]
pub fn export_framework(
    app: AppHandle,
    state: State<'_, AppState>,
    code: String,
    version: Option<String>,
) -> Reply<Option<ExportedReport>> {
    let (suggested, text) = state.with_portfolio(|s| {
        let doc = s.framework(&code, version.as_deref())?;
        Ok((
            native::file_name(&doc.code, &doc.version),
            native::write(&doc)?,
        ))
    })?;
    let path = save_dialog(
        &app,
        &suggested,
        "Save the framework file",
        "Framework file",
        &["toml"],
    );
    let Some(path) = path else {
        return Ok(None);
    };
    evidence_core::store::write_file_atomically(&path, text.as_bytes())
        .map_err(|e| e.to_payload())?;
    Ok(Some(ExportedReport::at(&path, text.len(), None)))
}

fn today() -> String {
    evidence_core::time::today().to_string()
}
