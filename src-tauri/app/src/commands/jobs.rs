//! Stopping long work: the window's Cancel button beside a progress bar. Answered without the
//! store's mutex, so it is never kept waiting.

use evidence_core::ErrorPayload;
use tauri::State;

use crate::state::AppState;

/// Asks the running job the window named `job` to stop; false when it has finished already. The job
/// then ends with the error `cancelled`, having kept nothing.
#[tauri::command(async)]
pub fn cancel_job(state: State<'_, AppState>, job: String) -> Result<bool, ErrorPayload> {
    Ok(state.jobs.cancel(&job))
}
