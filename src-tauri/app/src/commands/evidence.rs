//! Evidence items: record, edit, read, list, search, preview, map, and attach files chosen in a native
//! dialog or dropped on the window (the paths stay on this side).

use std::path::PathBuf;

use evidence_core::evidence::{
    markdown, Attachment, Evidence, EvidenceSummary, EvidenceVersion, MapReport, SearchHit,
};
use evidence_core::service::Portfolio;
use evidence_core::{CoreError, ErrorPayload};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::inputs::{refs, EvidenceEditInput, EvidenceFilterInput, NewEvidenceInput};
use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

/// Set by the end-to-end tests, which cannot drive a native file dialog: the file the dialog "picks".
const PICK_OVERRIDE_ENV: &str = "EVIDENCE_E2E_PICK_FILE";

#[tauri::command(async)]
pub fn add_evidence(state: State<'_, AppState>, input: NewEvidenceInput) -> Reply<Evidence> {
    state.with_portfolio(|s| s.add_evidence(&input.into_core()?))
}

#[tauri::command(async)]
pub fn edit_evidence(
    state: State<'_, AppState>,
    id: String,
    edit: EvidenceEditInput,
) -> Reply<Evidence> {
    state.with_portfolio(|s| s.edit_evidence(&id, &edit.into_core()?))
}

#[tauri::command(async)]
pub fn get_evidence(state: State<'_, AppState>, id: String) -> Reply<Evidence> {
    state.with_portfolio(|s| s.evidence(&id))
}

#[tauri::command(async)]
pub fn evidence_versions(state: State<'_, AppState>, id: String) -> Reply<Vec<EvidenceVersion>> {
    state.with_portfolio(|s| s.evidence_versions(&id))
}

#[tauri::command(async)]
pub fn list_evidence(
    state: State<'_, AppState>,
    learner: String,
    filter: EvidenceFilterInput,
) -> Reply<Vec<EvidenceSummary>> {
    state.with_portfolio(|s| s.list_evidence(&learner, &filter.into_core()?))
}

#[tauri::command(async)]
pub fn search_evidence(
    state: State<'_, AppState>,
    text: String,
    learner: Option<String>,
) -> Reply<Vec<SearchHit>> {
    state.with_portfolio(|s| s.search_evidence(&text, learner.as_deref(), 100))
}

#[tauri::command(async)]
pub fn render_markdown(markdown: String) -> Reply<String> {
    Ok(markdown::render(&markdown))
}

#[tauri::command(async)]
pub fn map_evidence(
    state: State<'_, AppState>,
    id: String,
    criteria: Vec<String>,
    note: Option<String>,
) -> Reply<MapReport> {
    state.with_portfolio(|s| s.map_evidence(&id, &refs(&criteria)?, note.as_deref()))
}

#[tauri::command(async)]
pub fn unmap_evidence(state: State<'_, AppState>, id: String, criteria: Vec<String>) -> Reply<()> {
    state.with_portfolio(|s| s.unmap_evidence(&id, &refs(&criteria)?))
}

#[tauri::command(async)]
pub fn attach_with_dialog(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Reply<Vec<Attachment>> {
    let chosen: Vec<PathBuf> = match std::env::var_os(PICK_OVERRIDE_ENV) {
        Some(path) => vec![PathBuf::from(path)],
        None => app
            .dialog()
            .file()
            .set_title("Attach files to this evidence")
            .blocking_pick_files()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|file| file.into_path().ok())
            .collect(),
    };
    state.with_portfolio(|s| attach_all(s, &id, chosen))
}

#[tauri::command(async)]
pub fn attach_dropped(state: State<'_, AppState>, id: String) -> Reply<Vec<Attachment>> {
    let dropped = state.take_dropped();
    state.with_portfolio(|s| attach_all(s, &id, dropped))
}

#[tauri::command(async)]
pub fn attachment_preview(state: State<'_, AppState>, sha256: String) -> Reply<Option<String>> {
    state.with_portfolio(|s| s.attachment_preview(&sha256))
}

/// Attaches each file in turn (each is its own transaction); stops at the first that fails.
fn attach_all(
    store: &mut dyn Portfolio,
    id: &str,
    files: Vec<PathBuf>,
) -> Result<Vec<Attachment>, CoreError> {
    files.iter().map(|file| store.attach(id, file)).collect()
}
