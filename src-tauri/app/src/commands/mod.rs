//! The commands the webview may call. Each is a one-line call into evidence-core through
//! [`AppState::with_store`]; errors reach the UI as `{code, message}` with the core's stable codes.
//! No command accepts SQL or a file path.

mod evidence;
mod portfolio;

use tauri::ipc::Invoke;

/// Registers every command.
pub fn handler() -> impl Fn(Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        portfolio::app_info,
        portfolio::list_frameworks,
        portfolio::get_framework,
        portfolio::list_learners,
        portfolio::add_learner,
        portfolio::enrol,
        portfolio::unenrol,
        portfolio::enrolments,
        portfolio::open_sample_portfolio,
        portfolio::crosswalk_suggestions,
        portfolio::gaps,
        portfolio::coverage,
        evidence::add_evidence,
        evidence::edit_evidence,
        evidence::get_evidence,
        evidence::evidence_versions,
        evidence::list_evidence,
        evidence::search_evidence,
        evidence::render_markdown,
        evidence::map_evidence,
        evidence::unmap_evidence,
        evidence::attach_with_dialog,
        evidence::attach_dropped,
        evidence::attachment_preview,
    ]
}
