//! Frameworks, learners, enrolments, the sample portfolio, gaps and coverage.

use evidence_core::frameworks::crosswalk::Suggestion;
use evidence_core::frameworks::{FrameworkDoc, FrameworkSummary, MethodRuleDoc};
use evidence_core::gaps::{Coverage, Gaps};
use evidence_core::learners::{Enrolment, Learner};
use evidence_core::store::permissions::PortfolioPermissions;
use evidence_core::{CriterionRef, ErrorPayload};
use tauri::State;

use crate::inputs::AppInfo;
use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

#[tauri::command(async)]
pub fn app_info(state: State<'_, AppState>) -> Reply<AppInfo> {
    Ok(AppInfo {
        data_dir: match &state.service {
            Some(socket) => format!("the centre service at {}", socket.display()),
            None => state.data_dir.display().to_string(),
        },
        version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version: evidence_core::store::SCHEMA_VERSION,
    })
}

#[tauri::command(async)]
pub fn list_frameworks(state: State<'_, AppState>) -> Reply<Vec<FrameworkSummary>> {
    state.with_portfolio(|s| s.list_frameworks(false))
}

#[tauri::command(async)]
pub fn get_framework(state: State<'_, AppState>, code: String) -> Reply<FrameworkDoc> {
    state.with_portfolio(|s| s.framework(&code, None))
}

#[tauri::command(async)]
pub fn list_learners(state: State<'_, AppState>) -> Reply<Vec<Learner>> {
    state.with_portfolio(|s| s.list_learners())
}

#[tauri::command(async)]
pub fn add_learner(
    state: State<'_, AppState>,
    name: String,
    email: Option<String>,
) -> Reply<Learner> {
    state.with_portfolio(|s| s.add_learner(&name, email.as_deref()))
}

#[tauri::command(async)]
pub fn enrol(
    state: State<'_, AppState>,
    learner: String,
    framework: String,
    units: Vec<String>,
) -> Reply<Enrolment> {
    state.with_portfolio(|s| s.enrol(&learner, &framework, &units))
}

#[tauri::command(async)]
pub fn unenrol(state: State<'_, AppState>, learner: String, framework: String) -> Reply<()> {
    state.with_portfolio(|s| s.unenrol(&learner, &framework))
}

#[tauri::command(async)]
pub fn enrolments(state: State<'_, AppState>, learner: String) -> Reply<Vec<Enrolment>> {
    state.with_portfolio(|s| s.enrolments(&learner))
}

#[tauri::command(async)]
pub fn open_sample_portfolio(state: State<'_, AppState>) -> Reply<Learner> {
    state.with_store(|s| s.open_sample_portfolio())
}

/// What the signed-in user may do with a learner's portfolio (the core's decision, shown by the UI).
#[tauri::command(async)]
pub fn portfolio_permissions(
    state: State<'_, AppState>,
    learner: String,
) -> Reply<PortfolioPermissions> {
    state.with_portfolio(|s| s.portfolio_permissions(&learner))
}

/// The evidence methods a criterion accepts, and where the rule comes from; null when any will do.
#[tauri::command(async)]
pub fn accepted_methods(
    state: State<'_, AppState>,
    criterion: String,
) -> Reply<Option<MethodRuleDoc>> {
    state.with_portfolio(|s| s.accepted_methods(&CriterionRef::parse(&criterion)?))
}

#[tauri::command(async)]
pub fn crosswalk_suggestions(
    state: State<'_, AppState>,
    criterion: String,
) -> Reply<Vec<Suggestion>> {
    state.with_portfolio(|s| s.crosswalk_suggestions(&CriterionRef::parse(&criterion)?))
}

#[tauri::command(async)]
pub fn gaps(state: State<'_, AppState>, learner: String) -> Reply<Gaps> {
    state.with_portfolio(|s| s.gaps(&learner, None))
}

#[tauri::command(async)]
pub fn coverage(state: State<'_, AppState>, learner: String) -> Reply<Coverage> {
    state.with_portfolio(|s| s.coverage(&learner))
}
