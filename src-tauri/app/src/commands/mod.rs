//! The commands the webview may call. Each is a one-line call into evidence-core through
//! [`AppState::with_store`] — or, for long work, a job on a fork of the store (see `jobs`), which
//! `cancel_job` can stop; errors reach the UI as `{code, message}` with the core's stable codes. No
//! command accepts SQL or a file path.

mod accounts;
mod bundles;
mod conflicts;
mod evidence;
mod frameworks;
mod jobs;
mod links;
mod portfolio;
pub(crate) mod reports;
mod review;

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
        portfolio::accepted_methods,
        portfolio::portfolio_permissions,
        portfolio::crosswalk_suggestions,
        portfolio::gaps,
        portfolio::coverage,
        frameworks::framework_versions,
        frameworks::framework_version,
        frameworks::open_framework_file,
        frameworks::read_dropped_framework,
        frameworks::draft_from_text,
        frameworks::renumber_draft,
        frameworks::fill_in_framework,
        frameworks::preview_framework,
        frameworks::publish_framework,
        frameworks::export_framework,
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
        accounts::accounts_state,
        accounts::current_user,
        accounts::adopt_single_portfolio,
        accounts::setup_personal,
        accounts::setup_centre,
        accounts::sign_in,
        accounts::sign_out,
        accounts::is_encrypted,
        accounts::encrypt_at_rest,
        accounts::lock_after_minutes,
        accounts::set_lock_after_minutes,
        accounts::list_all_learners,
        accounts::list_users,
        accounts::centre_keys,
        accounts::trust_centre,
        accounts::add_user,
        accounts::set_password,
        accounts::assign,
        accounts::unassign,
        accounts::assignments,
        accounts::verify_audit,
        accounts::set_account_disabled,
        accounts::history,
        review::add_feedback,
        review::feedback,
        review::evidence_diff,
        review::judge,
        review::judgements,
        review::sign_off_unit,
        review::unit_sign_offs,
        review::declare,
        review::declaration,
        review::caseload,
        review::set_target_date,
        review::readiness,
        reports::export_report,
        bundles::export_bundle,
        bundles::import_bundle,
        bundles::last_bundle_frameworks,
        jobs::cancel_job,
        links::open_link,
        conflicts::evidence_conflict,
        conflicts::resolve_conflict,
    ]
}
