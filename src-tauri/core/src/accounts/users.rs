//! Creating accounts, signing in and out, and the first run's two ways of setting a machine up: a
//! personal laptop (one learner, who is also its administrator, no password needed) or a centre's
//! shared machine (an administrator with a password, who then adds everyone else).

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::centre_session::provision;
use super::password;
use super::{Role, User, UserRow, MAX_USERNAME_CHARS};
use crate::audit::{Change, Who};
use crate::error::{CoreError, Result};
use crate::ids::UserRowId;
use crate::learners::model::MAX_NAME_CHARS;
use crate::store::write::Allowed;
use crate::store::Store;
use crate::time::now_rfc3339;

/// What the app should show before anyone works: set-up, straight in, or the sign-in screen.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AccountsState {
    /// No accounts yet: the first run sets the machine up. `learners` counts the portfolios already
    /// kept here (other than the sample) from before accounts existed.
    NoAccounts { learners: i64 },
    /// A personal laptop: one user without a password, who opens straight into their portfolio.
    OpenUser { user: User },
    /// Accounts with passwords: the sign-in screen's user picker.
    SignIn { users: Vec<SignInChoice> },
    /// An encrypted portfolio nobody has opened since the app started: who has accounts cannot be
    /// read before a username and password unseal its key ([`Store::open_signed_in`]).
    Locked,
}

/// A user offered by the sign-in screen's picker.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SignInChoice {
    pub username: String,
    pub display_name: String,
    pub has_password: bool,
}

/// A new account, as an administrator enters it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq, Default)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub password: Option<String>,
    /// For the learner role: an existing learner (id or name) whose portfolio this user owns; when
    /// absent a new learner named after the user is created.
    pub learner: Option<String>,
}

pub(crate) fn check_username(username: &str) -> Result<String> {
    let name = crate::input::single_line("username", username, MAX_USERNAME_CHARS)?;
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
    {
        return Err(CoreError::invalid(format!(
            "a username may use letters, digits, '.', '-' and '_' only, got {name:?}"
        )));
    }
    Ok(name)
}

/// A username made from a person's name: "Asha Patel" → "asha.patel".
fn username_from(name: &str) -> String {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let joined = words.join(".");
    let cut: String = joined.chars().take(MAX_USERNAME_CHARS).collect();
    if cut.is_empty() {
        "learner".to_string()
    } else {
        cut
    }
}

const USER_COLUMNS: &str = "u.id, u.uuid, u.username, u.display_name, u.password_hash IS NOT NULL, u.disabled, u.created_at,
     (SELECT l.uuid FROM learners l WHERE l.id = u.learner_id), u.learner_id,
     (SELECT group_concat(r.role) FROM user_roles r WHERE r.user_id = u.id)";

fn user_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    let roles: Option<String> = row.get(9)?;
    let mut roles: Vec<Role> = roles
        .unwrap_or_default()
        .split(',')
        .filter_map(Role::parse)
        .collect();
    roles.sort();
    Ok(UserRow {
        row_id: row.get(0)?,
        learner_row: row.get(8)?,
        user: User {
            id: row.get(1)?,
            username: row.get(2)?,
            display_name: row.get(3)?,
            has_password: row.get(4)?,
            disabled: row.get(5)?,
            created_at: row.get(6)?,
            learner_id: row.get(7)?,
            roles,
        },
    })
}

impl Store {
    pub(crate) fn user_count(&self) -> Result<i64> {
        Ok(self
            .look_up()
            .query_row("SELECT count(*) FROM users", [], |row| row.get(0))?)
    }

    pub(crate) fn user_row(&self, key: &str) -> Result<UserRow> {
        self.look_up()
            .prepare_cached(&format!(
                "SELECT {USER_COLUMNS} FROM users u WHERE u.uuid = ?1 OR u.username = ?1 COLLATE NOCASE"
            ))?
            .query_row([key.trim()], user_from_row)
            .optional()?
            .ok_or_else(|| CoreError::not_found("user", key.trim()))
    }

    fn all_users(&self) -> Result<Vec<UserRow>> {
        let mut stmt = self.look_up().prepare(&format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.display_name COLLATE NOCASE, u.id"
        ))?;
        let rows = stmt.query_map([], user_from_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What the app shows first. Needs nobody signed in.
    pub fn accounts_state(&self) -> Result<AccountsState> {
        let users: Vec<UserRow> = self
            .all_users()?
            .into_iter()
            .filter(|u| !u.user.disabled)
            .collect();
        if users.is_empty() && self.accounts_were_removed()? {
            return Err(CoreError::accounts_removed());
        }
        if users.is_empty() {
            let learners = self.look_up().query_row(
                "SELECT count(*) FROM learners WHERE is_sample = 0",
                [],
                |row| row.get(0),
            )?;
            return Ok(AccountsState::NoAccounts { learners });
        }
        if let [only] = users.as_slice() {
            if !only.user.has_password {
                return Ok(AccountsState::OpenUser {
                    user: only.user.clone(),
                });
            }
        }
        Ok(AccountsState::SignIn {
            users: users
                .into_iter()
                .map(|u| SignInChoice {
                    username: u.user.username,
                    display_name: u.user.display_name,
                    has_password: u.user.has_password,
                })
                .collect(),
        })
    }

    fn require_no_accounts(&self) -> Result<()> {
        if self.user_count()? > 0 {
            return Err(CoreError::Conflict(
                "this machine is already set up; an administrator adds further accounts".into(),
            ));
        }
        Ok(())
    }

    /// First run on a personal laptop: the learner `name` (an existing portfolio's id or name, or a new
    /// learner) gets an account without a password that is also the machine's administrator, and is
    /// signed in. A password can be added later.
    pub fn setup_personal(&mut self, name: &str) -> Result<User> {
        self.require_no_accounts()?;
        let allowed = self.acting()?;
        let learner = match self.learner_row(name) {
            Ok(found) if !found.is_sample => found,
            Ok(_) => {
                return Err(CoreError::invalid(
                    "the sample portfolio cannot be yours; choose another name",
                ))
            }
            Err(CoreError::NotFound { .. }) => {
                let created = self.create_learner(&allowed, name, None)?;
                self.learner_row(&created.id)?
            }
            Err(other) => return Err(other),
        };
        let new = NewUser {
            username: username_from(&learner.learner.name),
            display_name: learner.learner.name.clone(),
            roles: vec![Role::Learner, Role::Administrator],
            password: None,
            learner: Some(learner.learner.id.clone()),
        };
        let user = self.insert_user(&new, Some(&learner))?;
        self.begin_new_account(&user.username, "")
    }

    /// On a machine without accounts that keeps exactly one portfolio (besides the sample) — a laptop
    /// used before accounts existed — that portfolio's learner becomes its passwordless user, as
    /// [`Store::setup_personal`] would make them, and is signed in. `None` when that does not apply.
    pub fn adopt_single_portfolio(&mut self) -> Result<Option<User>> {
        if self.user_count()? > 0 {
            return Ok(None);
        }
        let ids: Vec<String> = self
            .look_up()
            .prepare("SELECT uuid FROM learners WHERE is_sample = 0 LIMIT 2")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [only] => self.setup_personal(only).map(Some),
            _ => Ok(None),
        }
    }

    /// First run on a centre's shared machine: the administrator's account, signed in.
    pub fn setup_centre(
        &mut self,
        username: &str,
        display_name: &str,
        password: &str,
    ) -> Result<User> {
        self.require_no_accounts()?;
        let new = NewUser {
            username: username.into(),
            display_name: display_name.into(),
            roles: vec![Role::Administrator],
            password: Some(password.into()),
            learner: None,
        };
        let user = self.insert_user(&new, None)?;
        let signed_in = self.begin_new_account(&user.username, password)?;
        let row = self.user_row(&signed_in.id)?;
        self.open_centre_key(&row, password)?;
        Ok(signed_in)
    }

    /// Adds an account (administrators only).
    pub fn add_user(&mut self, new: &NewUser) -> Result<User> {
        let allowed = self.require_admin()?;
        let learner = match (&new.learner, new.roles.contains(&Role::Learner)) {
            (Some(_), false) => {
                return Err(CoreError::invalid(
                    "only a user with the learner role owns a portfolio",
                ))
            }
            (Some(key), true) => Some(self.learner_row(key)?),
            (None, true) => {
                let created = self.create_learner(&allowed, &new.display_name, None)?;
                Some(self.learner_row(&created.id)?)
            }
            (None, false) => None,
        };
        self.insert_user(new, learner.as_ref())
    }

    fn insert_user(
        &mut self,
        new: &NewUser,
        learner: Option<&crate::learners::model::LearnerRow>,
    ) -> Result<User> {
        let username = check_username(&new.username)?;
        let display_name =
            crate::input::single_line("display name", &new.display_name, MAX_NAME_CHARS)?;
        if new.roles.is_empty() {
            return Err(CoreError::invalid(format!(
                "choose at least one role: {}",
                Role::names()
            )));
        }
        let password_hash = match new.password.as_deref().filter(|p| !p.is_empty()) {
            Some(p) => {
                password::check_new_password(p, &[&username, &display_name])
                    .map_err(|e| e.in_field("password"))?;
                Some(password::hash(p)?)
            }
            None if self.user_count()? > 0 => {
                return Err(CoreError::invalid(
                    "a shared machine's accounts need a password; only a personal laptop's one user may go without",
                ))
            }
            None => None,
        };
        // A second account makes the machine shared: the personal laptop's passwordless user must
        // set a password first, or anyone could pick them at the sign-in screen.
        let passwordless: Option<String> = self
            .look_up()
            .query_row(
                "SELECT display_name FROM users WHERE password_hash IS NULL LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(name) = passwordless {
            return Err(CoreError::Conflict(format!(
                "{name} has no password: set one before adding accounts, so that nobody else can sign in as them"
            )));
        }
        if let Some(l) = learner {
            if l.is_sample {
                return Err(CoreError::invalid(
                    "the sample portfolio cannot belong to a user",
                ));
            }
        }
        let uuid = Uuid::now_v7().to_string();
        let mut roles = new.roles.clone();
        roles.sort();
        roles.dedup();
        let centre_key = self.centre_key.clone();
        let keyring = self.keyring_keeper();
        let allowed = self.acting().unwrap_or_else(|_| {
            Allowed::signing_in(Who::unsigned(Some(uuid.clone()), display_name.clone()))
        });
        self.write(&allowed, |tx, audit| {
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM users WHERE username = ?1 COLLATE NOCASE)",
                [&username],
                |row| row.get(0),
            )?;
            if taken {
                return Err(CoreError::Conflict(format!("the username {username:?} is taken")));
            }
            if let Some(l) = learner {
                let owned: bool = tx.query_row(
                    "SELECT EXISTS (SELECT 1 FROM users WHERE learner_id = ?1)",
                    [l.row_id],
                    |row| row.get(0),
                )?;
                if owned {
                    return Err(CoreError::Conflict(format!(
                        "{}'s portfolio already belongs to a user",
                        l.learner.name
                    )));
                }
            }
            tx.execute(
                "INSERT INTO users (uuid, username, display_name, password_hash, learner_id, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![uuid, username, display_name, password_hash, learner.map(|l| l.row_id), now_rfc3339()],
            )?;
            let row_id = UserRowId::new(tx.last_insert_rowid());
            for role in &roles {
                tx.execute(
                    "INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)",
                    params![row_id, role.as_str()],
                )?;
            }
            let role_names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
            let subject = format!("user:{uuid}");
            audit.record(Change::new("user_added", subject.clone())
                    .after(format!("{username} ({})", role_names.join(","))),
            )?;
            // On a centre a new account's key is made now and certified with the centre key.
            if let (Some(centre), Some(p)) = (&centre_key, new.password.as_deref()) {
                let admin = roles.contains(&Role::Administrator);
                provision(tx, audit, centre, (row_id, &subject), p, admin)?;
            }
            // On an encrypted portfolio, the data key sealed for the new account (last: a keyring
            // that cannot be written undoes the account).
            if let (Some(keyring), Some(p)) = (&keyring, new.password.as_deref()) {
                keyring.seal_for(&username, p)?;
            }
            Ok(())
        })?;
        Ok(self.user_row(&uuid)?.user)
    }

    /// Every account (administrators only).
    pub fn list_users(&self) -> Result<Vec<User>> {
        self.require_admin()?;
        Ok(self.all_users()?.into_iter().map(|u| u.user).collect())
    }
}
