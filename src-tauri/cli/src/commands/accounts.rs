//! Set-up, accounts, assignments, centre keys and the audit trail.

use evidence_core::accounts::{AccountsState, AssignedAs, CentreKey, NewUser, Role};
use evidence_core::audit::HistoryScope;
use evidence_core::{CoreError, Store};

use crate::args::{AssignAs, AuditCommand, CentresCommand, RoleArg, SetupCommand, UsersCommand};
use crate::output::{table, Out};
use crate::secrets::Secrets;

fn role(arg: RoleArg) -> Role {
    match arg {
        RoleArg::Learner => Role::Learner,
        RoleArg::Tutor => Role::Tutor,
        RoleArg::Assessor => Role::Assessor,
        RoleArg::Iqa => Role::Iqa,
        RoleArg::Administrator => Role::Administrator,
    }
}

pub fn assigned_as(arg: AssignAs) -> AssignedAs {
    match arg {
        AssignAs::Tutor => AssignedAs::Tutor,
        AssignAs::Assessor => AssignedAs::Assessor,
        AssignAs::Iqa => AssignedAs::Iqa,
    }
}

fn roles_text(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

pub fn setup(
    store: &mut Store,
    out: &Out,
    command: SetupCommand,
    secrets: &mut Secrets,
) -> Result<(), CoreError> {
    let user = match command {
        SetupCommand::Personal { name } => store.setup_personal(&name)?,
        SetupCommand::Centre {
            username,
            name,
            encrypt,
        } => {
            let password = secrets.new_password()?;
            let user = store.setup_centre(&username, &name, &password)?;
            if encrypt {
                store.encrypt_at_rest(&password)?;
            }
            user
        }
    };
    out.emit(&user, || {
        format!(
            "Set up. {} is {} (username {}).",
            user.display_name,
            roles_text(&user.roles),
            user.username
        )
    })
}

pub fn users(
    store: &mut Store,
    out: &Out,
    command: UsersCommand,
    secrets: &mut Secrets,
) -> Result<(), CoreError> {
    match command {
        UsersCommand::Add {
            username,
            name,
            roles,
            learner,
        } => {
            let password = secrets.new_password()?;
            let user = store.add_user(&NewUser {
                username,
                display_name: name,
                roles: roles.into_iter().map(role).collect(),
                password: Some(password),
                learner,
            })?;
            out.emit(&user, || {
                format!(
                    "Added {} ({}): {}.",
                    user.display_name,
                    user.username,
                    roles_text(&user.roles)
                )
            })
        }
        UsersCommand::List => {
            let users = store.list_users()?;
            out.emit(&users, || {
                let rows: Vec<Vec<String>> = users
                    .iter()
                    .map(|u| {
                        vec![
                            u.username.clone(),
                            u.display_name.clone(),
                            roles_text(&u.roles),
                            if u.has_password { "yes" } else { "no" }.into(),
                            if u.disabled { "disabled" } else { "" }.into(),
                        ]
                    })
                    .collect();
                table(&["USERNAME", "NAME", "ROLES", "PASSWORD", "STATE"], &rows)
            })
        }
        UsersCommand::Disable { username } => switch_account(store, out, &username, true),
        UsersCommand::Enable { username } => switch_account(store, out, &username, false),
        UsersCommand::Password { username } => {
            let current = if store
                .current_user()
                .is_some_and(|u| u.username.eq_ignore_ascii_case(&username))
            {
                crate::secrets::env("EVIDENCE_PASSWORD")
            } else {
                None
            };
            let new = secrets.new_password()?;
            store.set_password(&username, current.as_deref(), &new)?;
            out.emit(&serde_json::json!({ "password_set": username }), || {
                format!("Password set for {username}.")
            })
        }
        UsersCommand::Whoami => {
            let state = store.accounts_state()?;
            let user = store.current_user();
            let value = serde_json::json!({ "user": user, "accounts": state });
            out.emit(&value, || match (&user, &state) {
                (Some(u), _) => format!("{} ({}): {}.", u.display_name, u.username, roles_text(&u.roles)),
                (None, AccountsState::NoAccounts { .. }) => {
                    "No accounts yet: acting as this computer's owner. Set up with `evidence setup personal NAME` or `evidence setup centre`.".into()
                }
                (None, _) => "Nobody is signed in: use --user USERNAME.".into(),
            })
        }
    }
}

pub fn assign(
    store: &mut Store,
    out: &Out,
    username: &str,
    learner: &str,
    role: AssignAs,
    on: bool,
) -> Result<(), CoreError> {
    if on {
        let done = store.assign(username, learner, assigned_as(role))?;
        out.emit(&done, || {
            format!(
                "{} is now {}'s {}.",
                done.display_name, done.learner_name, done.role
            )
        })
    } else {
        store.unassign(username, learner, assigned_as(role))?;
        out.emit(
            &serde_json::json!({ "unassigned": username, "learner": learner }),
            || format!("{username} is no longer assigned to {learner}."),
        )
    }
}

pub fn assignments(store: &Store, out: &Out) -> Result<(), CoreError> {
    let list = store.assignments()?;
    out.emit(&list, || {
        if list.is_empty() {
            return "No assignments.".into();
        }
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|a| {
                vec![
                    a.learner_name.clone(),
                    a.role.to_string(),
                    a.username.clone(),
                    a.assigned_at.clone(),
                ]
            })
            .collect();
        table(&["LEARNER", "AS", "USERNAME", "SINCE"], &rows)
    })
}

/// `users disable` / `users enable`.
fn switch_account(
    store: &mut Store,
    out: &Out,
    username: &str,
    disable: bool,
) -> Result<(), CoreError> {
    let user = store.set_account_disabled(username, disable)?;
    out.emit(&user, || match user.disabled {
        true => format!(
            "{} is disabled: they cannot sign in, and their key signs nothing more.",
            user.display_name
        ),
        false => format!("{} is enabled: they can sign in again.", user.display_name),
    })
}

/// `audit verify` fails (exit 1, code `audit_broken`… reported as `conflict`) when the chain is not intact.
pub fn audit(store: &Store, out: &Out, command: AuditCommand) -> Result<(), CoreError> {
    match command {
        AuditCommand::Head => {
            let head = store.audit_head()?;
            out.emit(&head, || match &head {
                Some(head) => format!("Audit trail at {head}"),
                None => "The audit trail has no entries.".into(),
            })
        }
        AuditCommand::Verify { against } => {
            let report = match &against {
                Some(file) => store.verify_audit_against(file)?,
                None => store.verify_audit()?,
            };
            out.emit(&report, || {
                if report.intact {
                    let against = against
                        .as_ref()
                        .map(|f| format!(" It still holds the head {} recorded.", f.display()))
                        .unwrap_or_default();
                    return format!(
                        "Audit trail intact: {} entries, every link and signature checked.{against}",
                        report.entries
                    );
                }
                let mut text = format!("Audit trail NOT intact ({} entries read):", report.entries);
                for p in &report.problems {
                    text.push_str(&format!("\n  at {}: {} — {}", p.at, p.kind, p.message));
                }
                text
            })?;
            if report.intact {
                Ok(())
            } else {
                Err(CoreError::Conflict(format!(
                    "the audit trail has {} problem(s)",
                    report.problems.len()
                )))
            }
        }
        AuditCommand::Log { evidence, learner } => {
            let scope = match (&evidence, &learner) {
                (Some(id), _) => HistoryScope::Evidence(id),
                (None, Some(l)) => HistoryScope::Learner(l),
                (None, None) => HistoryScope::All,
            };
            let entries = store.history(scope)?;
            out.emit(&entries, || {
                let rows: Vec<Vec<String>> = entries
                    .iter()
                    .map(|e| {
                        vec![
                            e.seq.to_string(),
                            e.at.clone(),
                            e.user_name.clone(),
                            e.action.clone(),
                            e.subject.clone(),
                            match (&e.before, &e.after) {
                                (Some(b), Some(a)) => format!("{b} → {a}"),
                                (None, Some(a)) => a.clone(),
                                (Some(b), None) => format!("was {b}"),
                                (None, None) => String::new(),
                            },
                        ]
                    })
                    .collect();
                table(&["#", "WHEN", "WHO", "ACTION", "SUBJECT", "CHANGE"], &rows)
            })
        }
    }
}

fn centre_line(c: &CentreKey) -> String {
    let standing = match (c.own, &c.trusted_at) {
        (true, _) => "this centre".to_string(),
        (false, Some(at)) => format!(
            "trusted since {at} by {}",
            c.trusted_by.as_deref().unwrap_or("?")
        ),
        (false, None) => "seen in a bundle, not trusted".to_string(),
    };
    format!(
        "{}  {}  ({standing})\n  fingerprint {}",
        c.key_id, c.name, c.fingerprint
    )
}

pub fn centres(store: &mut Store, out: &Out, command: CentresCommand) -> Result<(), CoreError> {
    match command {
        CentresCommand::List => {
            let keys = store.centre_keys()?;
            out.emit(&keys, || {
                if keys.is_empty() {
                    return "No centre key: a personal laptop has none, and a centre makes its own at an administrator's first sign-in.".into();
                }
                keys.iter().map(centre_line).collect::<Vec<_>>().join("\n")
            })
        }
        CentresCommand::Trust { fingerprint, name } => {
            let trusted = store.trust_centre(&fingerprint, &name)?;
            out.emit(&trusted, || format!("Trusted: {}", centre_line(&trusted)))
        }
    }
}

/// Encrypts the portfolio with a key sealed by the signed-in administrator's password.
pub fn encrypt(store: &mut Store, out: &Out, secrets: &Secrets) -> Result<(), CoreError> {
    let done = store.encrypt_at_rest(secrets.signed_in_with()?)?;
    out.emit(&done, || {
        let mut text = format!(
            "Encrypted: {} tables, each checked, and {} attached files. From now on the portfolio opens only with an account's password.",
            done.tables, done.attachments
        );
        if !done.not_yet_sealed.is_empty() {
            text.push_str(&format!(
                "\nNot yet able to open it themselves: {}. Each can once they have signed in while it is open (in the app), or once an administrator sets their password.",
                done.not_yet_sealed.join(", ")
            ));
        }
        text
    })
}
