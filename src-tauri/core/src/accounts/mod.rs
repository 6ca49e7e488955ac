//! User accounts on a shared machine: who someone is (username, display name, roles), how they prove
//! it (an argon2id password hash, with a back-off after failed attempts), and which learners tutors,
//! assessors and quality assurers are assigned to. What each role may do is decided in
//! [`crate::store::access`].

mod assign;
mod at_rest;
pub(crate) mod centre;
pub(crate) mod centre_session;
mod disable;
pub(crate) mod kdf;
pub(crate) mod keyring;
pub(crate) mod keys;
mod owner;
mod password;
mod session;
pub(crate) mod users;

use serde::{Deserialize, Serialize};

use crate::ids::{LearnerRowId, UserRowId};
use crate::names::str_names;

pub use assign::Assignment;
pub use at_rest::{EncryptedAtRest, UnlockAttempts};
pub use centre_session::CentreKey;
pub use users::{AccountsState, NewUser, SignInChoice};

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest username, in characters.
pub const MAX_USERNAME_CHARS: usize = 64;

/// What a user does at the centre. A user may hold several roles.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Learner,
    Tutor,
    Assessor,
    Iqa,
    Administrator,
}

str_names!(Role {
    Learner => "learner",
    Tutor => "tutor",
    Assessor => "assessor",
    Iqa => "iqa",
    Administrator => "administrator",
});

/// The roles a staff member can be assigned to a learner in.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignedAs {
    Tutor,
    Assessor,
    Iqa,
}

str_names!(AssignedAs {
    Tutor => "tutor",
    Assessor => "assessor",
    Iqa => "iqa",
});

impl AssignedAs {
    /// The account role a user needs to be assigned this way.
    pub fn role(self) -> Role {
        match self {
            AssignedAs::Tutor => Role::Tutor,
            AssignedAs::Assessor => Role::Assessor,
            AssignedAs::Iqa => Role::Iqa,
        }
    }
}

/// A user account, as shown (never the password hash).
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    /// The learner whose portfolio this user owns, for users with the learner role.
    pub learner_id: Option<String>,
    pub has_password: bool,
    pub disabled: bool,
    pub created_at: String,
}

impl User {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// A user with the row ids the access checks use.
#[derive(Debug, Clone)]
pub(crate) struct UserRow {
    pub row_id: UserRowId,
    pub learner_row: Option<LearnerRowId>,
    pub user: User,
}

/// For whom a store acts.
#[derive(Debug, Clone)]
pub(crate) enum Actor {
    /// No accounts exist: whoever can open the files.
    Owner,
    User(UserRow),
}
