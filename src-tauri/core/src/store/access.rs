//! Who may do what, checked in the core on every operation, whichever way it is called (the app's
//! commands, the `evidence` command, tests). What a portfolio operation needs is decided by the
//! table in `access_table` (data); this module works out how the actor stands to the learner and
//! reads the table. A check that passes returns the [`Allowed`] a write needs.
//!
//! A store acts for one [`Actor`]: the user signed in, or — while a portfolio has no accounts at all,
//! as on a fresh data directory used from scripts — the owner of the computer, who can already read
//! every file. Once the first account exists every operation needs a signed-in user:
//!
//! | what | who |
//! |---|---|
//! | read a portfolio (items, attachments, gaps, coverage, history) | its learner; tutors and assessors assigned to the learner; an IQA the learner is sampled for |
//! | change evidence (add, edit, attach, map, submit) | its learner |
//! | enrol on frameworks | its learner, an assigned tutor, an administrator |
//! | feedback on an item | its learner, assigned tutors and assessors |
//! | ask for changes to an item | assigned tutors and assessors |
//! | judge criteria, sign a unit off | assigned assessors |
//! | declare an item their own work | its learner |
//! | manage users, assignments, frameworks and settings | administrators (who read no portfolio unless also assigned) |
//!
//! The sample portfolio is example data: every signed-in user may read and change it.

use super::write::Allowed;
use super::Store;
pub(crate) use crate::accounts::Actor;
use crate::accounts::{AssignedAs, Role, UserRow};
use crate::audit::Who;
use crate::error::{CoreError, Result};
use crate::ids::LearnerRowId;
use crate::learners::model::LearnerRow;

pub(crate) use super::access_table::Need;
use super::access_table::{rule, Relation};

/// The learners an actor may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Readable {
    All,
    Only(Vec<LearnerRowId>),
}

impl super::write::ReadProof for Readable {}

impl Readable {
    pub fn allows(&self, learner_row: LearnerRowId) -> bool {
        match self {
            Readable::All => true,
            Readable::Only(rows) => rows.contains(&learner_row),
        }
    }
}

impl Store {
    pub(crate) fn actor(&self) -> Result<&Actor> {
        match &self.actor {
            Some(actor) => Ok(actor),
            None if self.accounts_were_removed()? => Err(CoreError::accounts_removed()),
            None => Err(CoreError::Unauthenticated(
                "this portfolio has accounts; sign in to use it".into(),
            )),
        }
    }

    pub(crate) fn signed_in(&self) -> Result<UserRow> {
        match self.actor()? {
            Actor::User(user) => Ok(user.clone()),
            Actor::Owner => Err(CoreError::Unauthenticated(
                "no account is signed in (this portfolio has no accounts yet)".into(),
            )),
        }
    }

    /// The acting user as the audit trail records them.
    pub(crate) fn who(&self) -> Result<Who> {
        Ok(match self.actor()? {
            Actor::Owner => Who::unsigned(None, "owner of this computer (no accounts)"),
            Actor::User(u) => Who {
                uuid: Some(u.user.id.clone()),
                name: u.user.display_name.clone(),
                key: self.session_key.clone(),
            },
        })
    }

    /// Proof for what anyone signed in may do: read the catalogue of frameworks and the centre's
    /// settings, and make the writes about themselves (signing out, their password).
    pub(crate) fn acting(&self) -> Result<Allowed> {
        Ok(Allowed::new(self.who()?))
    }

    pub(crate) fn require_admin(&self) -> Result<Allowed> {
        match self.actor()? {
            Actor::Owner => self.acting(),
            Actor::User(u) if u.user.has(Role::Administrator) => self.acting(),
            Actor::User(u) => Err(CoreError::forbidden(format!(
                "{} is not an administrator",
                u.user.display_name
            ))),
        }
    }

    /// The ways the signed-in user is assigned to a learner, counting only roles they still hold.
    fn assigned_as(&self, user: &UserRow, learner_row: LearnerRowId) -> Result<Vec<AssignedAs>> {
        let mut stmt = self.look_up().prepare_cached(
            "SELECT role FROM assignments WHERE user_id = ?1 AND learner_id = ?2",
        )?;
        let roles: Vec<String> = stmt
            .query_map(rusqlite::params![user.row_id, learner_row], |row| {
                row.get(0)
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(roles
            .iter()
            .filter_map(|r| AssignedAs::parse(r))
            .filter(|a| user.user.has(a.role()))
            .collect())
    }

    /// Checks that the acting user may do `need` to `learner`'s portfolio.
    pub(crate) fn require_portfolio(&self, learner: &LearnerRow, need: Need) -> Result<Allowed> {
        let user = match self.actor()? {
            Actor::Owner => return self.acting(),
            Actor::User(u) => u,
        };
        if learner.is_sample {
            return self.acting();
        }
        let mut relations: Vec<Relation> = self
            .assigned_as(user, learner.row_id)?
            .into_iter()
            .map(|a| match a {
                AssignedAs::Tutor => Relation::Tutor,
                AssignedAs::Assessor => Relation::Assessor,
                AssignedAs::Iqa => Relation::Iqa,
            })
            .collect();
        if user.learner_row == Some(learner.row_id) && user.user.has(Role::Learner) {
            relations.push(Relation::Own);
        }
        if user.user.has(Role::Administrator) {
            relations.push(Relation::Administrator);
        }
        let rule = rule(need);
        if let Some(rule) = rule.filter(|r| relations.iter().any(|rel| r.allowed.contains(rel))) {
            debug_assert_eq!(rule.need, need);
            return self.acting();
        }
        let what = rule.map_or("use", |r| r.refusal);
        // Only someone who may read the portfolio is told whose it is.
        let may_read = super::access_table::rule(Need::Read)
            .is_some_and(|r| relations.iter().any(|rel| r.allowed.contains(rel)));
        let whose = if may_read {
            format!("{}'s", learner.learner.name)
        } else {
            "this learner's".to_string()
        };
        Err(CoreError::forbidden(format!(
            "{} may not {what} {whose} portfolio",
            user.user.display_name
        )))
    }

    /// Checks that the acting user is an administrator or may do `need` to `learner`'s portfolio
    /// (names and enrolments, which administrators manage without reading the portfolio).
    pub(crate) fn require_admin_or_portfolio(
        &self,
        learner: &LearnerRow,
        need: Need,
    ) -> Result<Allowed> {
        self.require_admin()
            .or_else(|_| self.require_portfolio(learner, need))
    }

    /// Checks `need` on the portfolio of the learner with this row id; returns the learner and
    /// the proof.
    pub(crate) fn require_learner_row(
        &self,
        learner_row_id: LearnerRowId,
        need: Need,
    ) -> Result<(LearnerRow, Allowed)> {
        let learner = self.learner_by_row_id(learner_row_id)?;
        let allowed = self.require_portfolio(&learner, need)?;
        Ok((learner, allowed))
    }

    /// The learners the acting user may name: those whose portfolios they may read, and every
    /// learner for an administrator (who manages names, enrolments and assignments). Ids and names
    /// resolve only among these, so that "no such learner" and "not yours" cannot be told apart.
    pub(crate) fn nameable_learners(&self) -> Result<Readable> {
        match self.actor()? {
            Actor::User(u) if u.user.has(Role::Administrator) => Ok(Readable::All),
            _ => self.readable_learners(),
        }
    }

    /// Refuses, as `not_found` for `what` `key`, whatever lies in a portfolio the acting user may
    /// not name: found by its full id, it must answer exactly as an id that does not exist.
    pub(crate) fn require_nameable(
        &self,
        learner_row: LearnerRowId,
        what: &'static str,
        key: &str,
    ) -> Result<()> {
        if self.nameable_learners()?.allows(learner_row) {
            Ok(())
        } else {
            Err(CoreError::not_found(what, key))
        }
    }

    /// The learners whose portfolios the acting user may read.
    pub(crate) fn readable_learners(&self) -> Result<Readable> {
        let user = match self.actor()? {
            Actor::Owner => return Ok(Readable::All),
            Actor::User(u) => u,
        };
        let mut stmt = self.look_up().prepare_cached(
            "SELECT id FROM learners WHERE is_sample = 1
             UNION SELECT learner_id FROM users WHERE id = ?1 AND learner_id IS NOT NULL
                   AND EXISTS (SELECT 1 FROM user_roles WHERE user_id = ?1 AND role = 'learner')
             UNION SELECT a.learner_id FROM assignments a
                   JOIN user_roles r ON r.user_id = a.user_id AND r.role = a.role
                   WHERE a.user_id = ?1",
        )?;
        let rows = stmt
            .query_map([user.row_id], |row| row.get(0))?
            .collect::<rusqlite::Result<Vec<LearnerRowId>>>()?;
        Ok(Readable::Only(rows))
    }
}
