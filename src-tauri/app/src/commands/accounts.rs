//! Set-up, signing in and out, locking, accounts, assignments, centre keys and the audit trail.

use evidence_core::accounts::{
    AccountsState, AssignedAs, Assignment, CentreKey, EncryptedAtRest, NewUser, User,
};
use evidence_core::audit::{AuditEntry, AuditReport, HistoryScope};
use evidence_core::learners::Learner;
use evidence_core::{ErrorPayload, Store};
use tauri::State;

use crate::state::AppState;

type Reply<T> = Result<T, ErrorPayload>;

#[tauri::command(async)]
pub fn accounts_state(state: State<'_, AppState>) -> Reply<AccountsState> {
    // Through the centre service nothing about its accounts is told before a sign-in.
    if state.is_locked()? || state.service.is_some() {
        return Ok(AccountsState::Locked);
    }
    state.with_store(|s| s.accounts_state())
}

#[tauri::command(async)]
pub fn current_user(state: State<'_, AppState>) -> Reply<Option<User>> {
    state.current_user()
}

#[tauri::command(async)]
pub fn adopt_single_portfolio(state: State<'_, AppState>) -> Reply<Option<User>> {
    state.with_store(|s| s.adopt_single_portfolio())
}

#[tauri::command(async)]
pub fn setup_personal(state: State<'_, AppState>, name: String) -> Reply<User> {
    state.with_store(|s| s.setup_personal(&name))
}

#[tauri::command(async)]
pub fn setup_centre(
    state: State<'_, AppState>,
    username: String,
    display_name: String,
    password: String,
) -> Reply<User> {
    state.with_store(|s| s.setup_centre(&username, &display_name, &password))
}

#[tauri::command(async)]
pub fn sign_in(
    state: State<'_, AppState>,
    username: String,
    password: Option<String>,
) -> Reply<User> {
    state.sign_in(&username, password.as_deref())
}

/// Whether this computer's portfolio database is encrypted at rest.
#[tauri::command(async)]
pub fn is_encrypted(state: State<'_, AppState>) -> Reply<bool> {
    if state.service.is_some() {
        // Only the service's account can look at its files; `with_store` says so.
        return state.with_store(|_| Ok(false));
    }
    Store::is_encrypted(&state.data_dir).map_err(|e| e.to_payload())
}

/// Encrypts the portfolio database at rest (administrators, with their password again), first
/// stopping long work, which holds connections of its own.
#[tauri::command(async)]
pub fn encrypt_at_rest(state: State<'_, AppState>, password: String) -> Reply<EncryptedAtRest> {
    state.jobs.cancel_all();
    state.with_store(|s| s.encrypt_at_rest(&password))
}

/// Signs out, first stopping any long work still running: it acts for the user who started it.
#[tauri::command(async)]
pub fn sign_out(state: State<'_, AppState>) -> Reply<()> {
    state.jobs.cancel_all();
    state.sign_out()
}

#[tauri::command(async)]
pub fn lock_after_minutes(state: State<'_, AppState>) -> Reply<u32> {
    state.with_portfolio(|s| s.lock_after_minutes())
}

#[tauri::command(async)]
pub fn set_lock_after_minutes(state: State<'_, AppState>, minutes: u32) -> Reply<()> {
    state.with_portfolio(|s| s.set_lock_after_minutes(minutes))
}

#[tauri::command(async)]
pub fn list_all_learners(state: State<'_, AppState>) -> Reply<Vec<Learner>> {
    state.with_portfolio(|s| s.list_all_learners())
}

#[tauri::command(async)]
pub fn centre_keys(state: State<'_, AppState>) -> Reply<Vec<CentreKey>> {
    state.with_portfolio(|s| s.centre_keys())
}

#[tauri::command(async)]
pub fn trust_centre(
    state: State<'_, AppState>,
    fingerprint: String,
    name: String,
) -> Reply<CentreKey> {
    state.with_portfolio(|s| s.trust_centre(&fingerprint, &name))
}

#[tauri::command(async)]
pub fn list_users(state: State<'_, AppState>) -> Reply<Vec<User>> {
    state.with_portfolio(|s| s.list_users())
}

#[tauri::command(async)]
pub fn add_user(state: State<'_, AppState>, new: NewUser) -> Reply<User> {
    state.with_portfolio(|s| s.add_user(&new))
}

#[tauri::command(async)]
pub fn set_password(
    state: State<'_, AppState>,
    username: String,
    current: Option<String>,
    new: String,
) -> Reply<()> {
    state.with_portfolio(|s| s.set_password(&username, current.as_deref(), &new))
}

#[tauri::command(async)]
pub fn assign(
    state: State<'_, AppState>,
    username: String,
    learner: String,
    role: AssignedAs,
) -> Reply<Assignment> {
    state.with_portfolio(|s| s.assign(&username, &learner, role))
}

#[tauri::command(async)]
pub fn unassign(
    state: State<'_, AppState>,
    username: String,
    learner: String,
    role: AssignedAs,
) -> Reply<()> {
    state.with_portfolio(|s| s.unassign(&username, &learner, role))
}

#[tauri::command(async)]
pub fn assignments(state: State<'_, AppState>) -> Reply<Vec<Assignment>> {
    state.with_portfolio(|s| s.assignments())
}

#[tauri::command(async)]
pub fn verify_audit(state: State<'_, AppState>) -> Reply<AuditReport> {
    state.with_portfolio(|s| s.verify_audit())
}

/// Disables or enables an account (administrators).
#[tauri::command(async)]
pub fn set_account_disabled(
    state: State<'_, AppState>,
    username: String,
    disabled: bool,
) -> Reply<User> {
    state.with_portfolio(|s| s.set_account_disabled(&username, disabled))
}

/// An item's history (`evidence`), a learner's (`learner`), or the whole log (neither).
#[tauri::command(async)]
pub fn history(
    state: State<'_, AppState>,
    evidence: Option<String>,
    learner: Option<String>,
) -> Reply<Vec<AuditEntry>> {
    state.with_store(|s| {
        let scope = match (&evidence, &learner) {
            (Some(id), _) => HistoryScope::Evidence(id),
            (None, Some(l)) => HistoryScope::Learner(l),
            (None, None) => HistoryScope::All,
        };
        s.history(scope)
    })
}
