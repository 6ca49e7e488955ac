//! Items changed on both computers: what differs, and the learner's choice field by field.

use evidence_core::bundles::ConflictView;
use evidence_core::evidence::Evidence;
use evidence_core::ErrorPayload;
use tauri::State;

use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

#[tauri::command(async)]
pub fn evidence_conflict(state: State<'_, AppState>, id: String) -> Reply<Option<ConflictView>> {
    state.with_portfolio(|s| s.evidence_conflict(&id))
}

#[tauri::command(async)]
pub fn resolve_conflict(
    state: State<'_, AppState>,
    id: String,
    take_remote: Vec<String>,
) -> Reply<Evidence> {
    state.with_portfolio(|s| s.resolve_conflict(&id, &take_remote))
}
