//! Feedback threads, version differences, judgements, unit sign-off, declarations and signatures.

use evidence_core::evidence::VersionNumber;
use evidence_core::readiness::Readiness;
use evidence_core::review::{
    CaseloadRow, Feedback, Judgement, Outcome, Signature, UnitSignOff, VersionDiff,
};
use evidence_core::{CriterionRef, ErrorPayload};
use tauri::State;

use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

#[tauri::command(async)]
pub fn add_feedback(
    state: State<'_, AppState>,
    id: String,
    body: String,
    request_changes: bool,
) -> Reply<Feedback> {
    state.with_portfolio(|s| s.add_feedback(&id, &body, request_changes))
}

#[tauri::command(async)]
pub fn feedback(state: State<'_, AppState>, id: String) -> Reply<Vec<Feedback>> {
    state.with_portfolio(|s| s.feedback(&id))
}

#[tauri::command(async)]
pub fn evidence_diff(
    state: State<'_, AppState>,
    id: String,
    from: VersionNumber,
    to: VersionNumber,
) -> Reply<VersionDiff> {
    state.with_portfolio(|s| s.evidence_diff(&id, from, to))
}

#[tauri::command(async)]
pub fn judge(
    state: State<'_, AppState>,
    learner: String,
    criterion: String,
    outcome: Outcome,
    comment: String,
    evidence: Vec<String>,
) -> Reply<Judgement> {
    state.with_portfolio(|s| {
        s.judge(
            &learner,
            &CriterionRef::parse(&criterion)?,
            outcome,
            &comment,
            &evidence,
        )
    })
}

#[tauri::command(async)]
pub fn judgements(state: State<'_, AppState>, learner: String) -> Reply<Vec<Judgement>> {
    state.with_portfolio(|s| s.judgements(&learner))
}

#[tauri::command(async)]
pub fn sign_off_unit(
    state: State<'_, AppState>,
    learner: String,
    framework: String,
    unit: String,
) -> Reply<UnitSignOff> {
    state.with_portfolio(|s| s.sign_off_unit(&learner, &framework, &unit))
}

#[tauri::command(async)]
pub fn unit_sign_offs(state: State<'_, AppState>, learner: String) -> Reply<Vec<UnitSignOff>> {
    state.with_portfolio(|s| s.unit_sign_offs(&learner))
}

#[tauri::command(async)]
pub fn declare(state: State<'_, AppState>, id: String) -> Reply<Signature> {
    state.with_portfolio(|s| s.declare(&id))
}

#[tauri::command(async)]
pub fn declaration(state: State<'_, AppState>, id: String) -> Reply<Option<Signature>> {
    state.with_portfolio(|s| s.declaration(&id))
}

#[tauri::command(async)]
pub fn caseload(state: State<'_, AppState>) -> Reply<Vec<CaseloadRow>> {
    state.with_portfolio(|s| s.caseload())
}

/// `date` is YYYY-MM-DD, or null to clear it.
#[tauri::command(async)]
pub fn set_target_date(
    state: State<'_, AppState>,
    learner: String,
    date: Option<String>,
) -> Reply<()> {
    state.with_portfolio(|s| {
        let parsed = match date.as_deref() {
            Some(text) => Some(evidence_core::time::parse_date("target date", text)?),
            None => None,
        };
        s.set_target_date(&learner, parsed)
    })
}

/// Everything that blocks the learner's submission, or one unit's (`FRAMEWORK:UNIT`).
#[tauri::command(async)]
pub fn readiness(
    state: State<'_, AppState>,
    learner: String,
    unit: Option<String>,
) -> Reply<Readiness> {
    state.with_portfolio(|s| s.readiness(&learner, unit.as_deref()))
}
