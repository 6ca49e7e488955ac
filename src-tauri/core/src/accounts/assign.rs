//! Assigning tutors and assessors to learners, and sampling learners for an internal quality assurer.
//! Administrators manage assignments; an assignment needs the matching role on the account.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::AssignedAs;
use crate::audit::Change;
use crate::error::{CoreError, Result};
use crate::store::Store;
use crate::time::now_rfc3339;

/// A staff member assigned to a learner.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Deserialize)]
pub struct Assignment {
    pub username: String,
    pub display_name: String,
    pub learner_id: String,
    pub learner_name: String,
    pub role: AssignedAs,
    pub assigned_at: String,
}

impl Store {
    /// Assigns `username` to `learner` as tutor, assessor or IQA (administrators only).
    pub fn assign(
        &mut self,
        username: &str,
        learner: &str,
        role: AssignedAs,
    ) -> Result<Assignment> {
        let allowed = self.require_admin()?;
        let user = self.user_row(username)?;
        let learner = self.learner_row(learner)?;
        if !user.user.has(role.role()) {
            return Err(CoreError::invalid(format!(
                "{} does not have the {} role",
                user.user.display_name,
                role.role()
            )));
        }
        if user.learner_row == Some(learner.row_id) {
            return Err(CoreError::invalid("nobody may review their own portfolio"));
        }
        let at = now_rfc3339();
        self.write(&allowed, |tx, audit| {
            let added = tx.execute(
                "INSERT OR IGNORE INTO assignments (user_id, learner_id, role, assigned_at) VALUES (?1, ?2, ?3, ?4)",
                params![user.row_id, learner.row_id, role.as_str(), at],
            )?;
            if added == 1 {
                audit.record(Change::new("assigned", format!("user:{}", user.user.id))
                        .learner(&learner.learner.id)
                        .after(role.as_str()),
                )?;
            }
            Ok(())
        })?;
        Ok(Assignment {
            username: user.user.username,
            display_name: user.user.display_name,
            learner_id: learner.learner.id,
            learner_name: learner.learner.name,
            role,
            assigned_at: at,
        })
    }

    /// Ends an assignment (administrators only).
    pub fn unassign(&mut self, username: &str, learner: &str, role: AssignedAs) -> Result<()> {
        let allowed = self.require_admin()?;
        let user = self.user_row(username)?;
        let learner = self.learner_row(learner)?;
        self.write(&allowed, |tx, audit| {
            let removed = tx.execute(
                "DELETE FROM assignments WHERE user_id = ?1 AND learner_id = ?2 AND role = ?3",
                params![user.row_id, learner.row_id, role.as_str()],
            )?;
            if removed == 0 {
                return Err(CoreError::not_found(
                    "assignment",
                    format!(
                        "{} as {role} of {}",
                        user.user.username, learner.learner.name
                    ),
                ));
            }
            audit.record(
                Change::new("unassigned", format!("user:{}", user.user.id))
                    .learner(&learner.learner.id)
                    .before(role.as_str()),
            )
        })
    }

    /// Every assignment (administrators), or the acting user's own.
    pub fn assignments(&self) -> Result<Vec<Assignment>> {
        let (allowed, only_user) = match self.require_admin() {
            Ok(allowed) => (allowed, None),
            Err(_) => (self.acting()?, Some(self.signed_in()?.row_id)),
        };
        let mut stmt = self.read(&allowed).prepare(
            "SELECT u.username, u.display_name, l.uuid, l.name, a.role, a.assigned_at
             FROM assignments a JOIN users u ON u.id = a.user_id JOIN learners l ON l.id = a.learner_id
             WHERE ?1 IS NULL OR a.user_id = ?1
             ORDER BY l.name COLLATE NOCASE, a.role, u.username",
        )?;
        let rows = stmt.query_map([only_user], |row| {
            let role: String = row.get(4)?;
            Ok(Assignment {
                username: row.get(0)?,
                display_name: row.get(1)?,
                learner_id: row.get(2)?,
                learner_name: row.get(3)?,
                role: AssignedAs::parse(&role).ok_or_else(|| {
                    rusqlite::Error::InvalidColumnType(
                        4,
                        "role".into(),
                        rusqlite::types::Type::Text,
                    )
                })?,
                assigned_at: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
