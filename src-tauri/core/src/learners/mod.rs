//! Learners and their enrolments on frameworks (for a qualification, optionally a choice of units).

pub(crate) mod model;

use rusqlite::{params, OptionalExtension};
use uuid::Uuid;

use crate::audit::Change;
use crate::error::{CoreError, Result};
use crate::frameworks::GroupKind;
use crate::ids::{FrameworkRowId, LearnerRowId};
use crate::store::access::Need;
use crate::store::write::Allowed;
use crate::store::Store;
use crate::time::now_rfc3339;

use model::learner_from_row;
pub(crate) use model::LearnerRow;
pub use model::{Enrolment, Learner, MAX_NAME_CHARS};

fn check_name(name: &str) -> Result<String> {
    crate::input::single_line("learner name", name, MAX_NAME_CHARS)
}

fn check_email(email: Option<&str>) -> Result<Option<String>> {
    match email.map(str::trim).filter(|e| !e.is_empty()) {
        None => Ok(None),
        Some(e) if e.len() <= 254 && e.contains('@') && !e.chars().any(char::is_whitespace) => {
            Ok(Some(e.to_string()))
        }
        Some(e) => Err(CoreError::invalid(format!("{e:?} is not an email address"))),
    }
}

impl Store {
    /// Adds a learner without an account of their own (administrators; see also `add_user`).
    pub fn add_learner(&mut self, name: &str, email: Option<&str>) -> Result<Learner> {
        let allowed = self.require_admin()?;
        self.create_learner(&allowed, name, email)
    }

    /// Adds a learner record; callers check who may.
    pub(crate) fn create_learner(
        &mut self,
        allowed: &Allowed,
        name: &str,
        email: Option<&str>,
    ) -> Result<Learner> {
        self.insert_learner(allowed, name, email, false)
    }

    pub(crate) fn insert_learner(
        &mut self,
        allowed: &Allowed,
        name: &str,
        email: Option<&str>,
        is_sample: bool,
    ) -> Result<Learner> {
        let learner = Learner {
            id: Uuid::now_v7().to_string(),
            name: check_name(name)?,
            email: check_email(email)?,
            created_at: now_rfc3339(),
            is_sample,
        };
        self.write(allowed, |tx, audit| {
            tx.execute(
                "INSERT INTO learners (uuid, name, email, created_at, is_sample) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![learner.id, learner.name, learner.email, learner.created_at, is_sample],
            )?;
            audit.record(Change::new("learner_added", format!("learner:{}", learner.id))
                    .learner(&learner.id)
                    .after(&learner.name),
            )
        })?;
        Ok(learner)
    }

    /// The learners whose portfolios the acting user may see, by name.
    pub fn list_learners(&self) -> Result<Vec<Learner>> {
        let readable = self.readable_learners()?;
        self.learners_where(&readable)
    }

    /// Every learner, by name, for administrators managing accounts and assignments (names only:
    /// their portfolios stay closed unless the administrator is also assigned).
    pub fn list_all_learners(&self) -> Result<Vec<Learner>> {
        self.require_admin()?;
        self.learners_where(&crate::store::access::Readable::All)
    }

    fn learners_where(&self, readable: &crate::store::access::Readable) -> Result<Vec<Learner>> {
        let mut stmt = self.read(readable).prepare(
            "SELECT id, uuid, name, email, created_at, is_sample FROM learners
             ORDER BY name COLLATE NOCASE, id",
        )?;
        let all: Vec<LearnerRow> = stmt
            .query_map([], learner_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(all
            .into_iter()
            .filter(|row| readable.allows(row.row_id))
            .map(|row| row.learner)
            .collect())
    }

    /// Finds a learner by id or by exact name (ignoring case): their portfolio's owner, staff assigned
    /// to them and administrators may look them up.
    pub fn learner(&self, key: &str) -> Result<Learner> {
        let found = self.learner_row(key)?;
        self.require_admin_or_portfolio(&found, Need::Read)?;
        Ok(found.learner)
    }

    /// Finds the learner an operation names, before the check on their portfolio (`look_up`).
    pub(crate) fn learner_by_row_id(&self, row_id: LearnerRowId) -> Result<LearnerRow> {
        self.look_up()
            .prepare_cached(
                "SELECT id, uuid, name, email, created_at, is_sample FROM learners WHERE id = ?1",
            )?
            .query_row([row_id], learner_from_row)
            .optional()?
            .ok_or_else(|| CoreError::not_found("learner", row_id.to_string()))
    }

    /// The learner with exactly this id, whoever may see them: for a bundle naming its learner,
    /// which must not be taken for a new learner when the id is already someone's here.
    pub(crate) fn learner_row_by_id(&self, uuid: &str) -> Result<LearnerRow> {
        self.look_up()
            .prepare_cached(
                "SELECT id, uuid, name, email, created_at, is_sample FROM learners WHERE uuid = ?1",
            )?
            .query_row([uuid], learner_from_row)
            .optional()?
            .ok_or_else(|| CoreError::not_found("learner", uuid))
    }

    /// As [`Store::learner_by_row_id`], by id or exact name, among the learners the user may name.
    pub(crate) fn learner_row(&self, key: &str) -> Result<LearnerRow> {
        let key = key.trim();
        let mut stmt = self.look_up().prepare_cached(
            "SELECT id, uuid, name, email, created_at, is_sample FROM learners
             WHERE uuid = ?1 OR name = ?1 COLLATE NOCASE ORDER BY uuid = ?1 DESC, id LIMIT 3",
        )?;
        let nameable = self.nameable_learners()?;
        let found: Vec<LearnerRow> = stmt
            .query_map([key], learner_from_row)?
            .filter(|row| row.as_ref().map_or(true, |r| nameable.allows(r.row_id)))
            .collect::<rusqlite::Result<_>>()?;
        match found.as_slice() {
            [] => Err(CoreError::not_found("learner", key)),
            [only] => Ok(only.clone()),
            [first, ..] if first.learner.id == key => Ok(first.clone()),
            _ => Err(CoreError::Ambiguous(format!(
                "more than one learner is called {key:?}; use the learner's id (see `evidence learners list`)"
            ))),
        }
    }

    /// Enrols a learner on a framework's current version, or changes the units chosen. `units` empty
    /// means the whole framework; otherwise each must be a unit or standard, or a top-level group.
    pub fn enrol(&mut self, learner: &str, framework: &str, units: &[String]) -> Result<Enrolment> {
        let learner = self.learner_row(learner)?;
        let allowed = self.require_portfolio(&learner, Need::Enrol)?;
        let framework_id: FrameworkRowId = self
            .read(&allowed)
            .query_row(
                "SELECT id FROM frameworks WHERE code = ?1 AND is_current = 1",
                [framework],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| CoreError::not_found("framework", framework))?;
        let mut chosen: Vec<String> = Vec::new();
        for unit in units {
            let unit = unit.trim().to_string();
            let found: Option<(String, bool)> = self
                .read(&allowed)
                .query_row(
                    "SELECT kind, parent_id IS NULL FROM framework_groups WHERE framework_id = ?1 AND code = ?2",
                    params![framework_id, unit],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            // A unit, a standard, or any top-level part of a framework (a competence, a value).
            let choosable = found.as_ref().is_some_and(|(kind, top_level)| {
                *top_level
                    || matches!(
                        GroupKind::parse(kind),
                        Some(GroupKind::Unit | GroupKind::Standard)
                    )
            });
            match choosable {
                true => {}
                false => {
                    return Err(CoreError::not_found(
                        "unit",
                        format!("{unit} in framework {framework}"),
                    ))
                }
            }
            if !chosen.contains(&unit) {
                chosen.push(unit);
            }
        }
        let enrolled_at = now_rfc3339();
        let enrolled_at = self.write(&allowed, |tx, audit| {
            let existing: Option<(i64, String)> = tx
                .query_row(
                    "SELECT id, enrolled_at FROM enrolments WHERE learner_id = ?1 AND framework_code = ?2",
                    params![learner.row_id, framework],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let (enrolment_id, at) = match existing {
                Some(found) => found,
                None => {
                    tx.execute(
                        "INSERT INTO enrolments (learner_id, framework_code, enrolled_at) VALUES (?1, ?2, ?3)",
                        params![learner.row_id, framework, enrolled_at],
                    )?;
                    (tx.last_insert_rowid(), enrolled_at)
                }
            };
            tx.execute(
                "DELETE FROM enrolment_units WHERE enrolment_id = ?1",
                [enrolment_id],
            )?;
            for unit in &chosen {
                tx.execute(
                    "INSERT INTO enrolment_units (enrolment_id, group_code) VALUES (?1, ?2)",
                    params![enrolment_id, unit],
                )?;
            }
            audit.record(Change::new("enrolled", format!("enrolment:{}:{framework}", learner.learner.id))
                    .learner(&learner.learner.id)
                    .after(if chosen.is_empty() { "all units".to_string() } else { chosen.join(",") }),
            )?;
            Ok(at)
        })?;
        let criteria_missing = self.criteria_missing(&allowed, framework, &chosen)?;
        Ok(Enrolment {
            framework: framework.to_string(),
            units: chosen,
            enrolled_at,
            criteria_missing,
        })
    }

    /// Removes an enrolment (evidence and its mappings are kept).
    pub fn unenrol(&mut self, learner: &str, framework: &str) -> Result<()> {
        let learner = self.learner_row(learner)?;
        let allowed = self.require_portfolio(&learner, Need::Enrol)?;
        self.write(&allowed, |tx, audit| {
            let removed = tx.execute(
                "DELETE FROM enrolments WHERE learner_id = ?1 AND framework_code = ?2",
                params![learner.row_id, framework],
            )?;
            if removed == 0 {
                return Err(CoreError::not_found(
                    "enrolment",
                    format!("{} on {framework}", learner.learner.name),
                ));
            }
            audit.record(
                Change::new(
                    "unenrolled",
                    format!("enrolment:{}:{framework}", learner.learner.id),
                )
                .learner(&learner.learner.id),
            )
        })
    }

    /// A learner's enrolments, by framework code, each with the chosen units or standards that have
    /// no criteria loaded.
    pub fn enrolments(&self, learner: &str) -> Result<Vec<Enrolment>> {
        let learner = self.learner_row(learner)?;
        let allowed = self.require_admin_or_portfolio(&learner, Need::Read)?;
        let mut enrolments = self.enrolments_of(&allowed, learner.row_id)?;
        for enrolment in &mut enrolments {
            enrolment.criteria_missing =
                self.criteria_missing(&allowed, &enrolment.framework, &enrolment.units)?;
        }
        Ok(enrolments)
    }

    /// A learner's enrolments as the criteria in scope need them (`criteria_missing` left empty).
    pub(crate) fn enrolments_of(
        &self,
        allowed: &Allowed,
        learner_row_id: LearnerRowId,
    ) -> Result<Vec<Enrolment>> {
        let mut stmt = self.read(allowed).prepare_cached(
            "SELECT e.framework_code, e.enrolled_at, group_concat(u.group_code, char(31))
             FROM enrolments e LEFT JOIN enrolment_units u ON u.enrolment_id = e.id
             WHERE e.learner_id = ?1 GROUP BY e.id ORDER BY e.framework_code",
        )?;
        let rows = stmt.query_map([learner_row_id], |row| {
            let units: Option<String> = row.get(2)?;
            Ok(Enrolment {
                framework: row.get(0)?,
                enrolled_at: row.get(1)?,
                units: units
                    .map(|u| u.split('\u{1f}').map(str::to_string).collect())
                    .unwrap_or_default(),
                criteria_missing: Vec::new(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
