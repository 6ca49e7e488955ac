//! The witness behind a witness testimony or expert witness item: their name, role and relationship to
//! the learner, which an assessor needs before testimony counts as reliable. Other methods carry no
//! witness; details given with one are refused, and details left over from an earlier witness method
//! are dropped (earlier versions keep them).

use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};

use super::{EvidenceEdit, Method};
use crate::error::{CoreError, Result};
use crate::store::{Allowed, Store};

/// Longest witness name, role or relationship, in characters.
pub const MAX_WITNESS_CHARS: usize = 200;

/// Who gave a testimony. Empty strings where not (yet) recorded.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Witness {
    pub name: String,
    /// Job and organisation, e.g. "Housing officer, Anytown Council".
    pub role: String,
    /// To the learner, e.g. "line manager" or "partner organisation worker".
    pub relationship: String,
}

impl Method {
    /// Whether evidence by this method is testimony that names its witness.
    pub fn takes_witness(self) -> bool {
        matches!(self, Method::WitnessTestimony | Method::ExpertWitness)
    }
}

impl Witness {
    pub fn is_empty(&self) -> bool {
        self.name.is_empty() && self.role.is_empty() && self.relationship.is_empty()
    }

    /// The parts not recorded yet ("name", "role", "relationship"), in that order.
    pub fn missing(&self) -> Vec<&'static str> {
        [
            ("name", &self.name),
            ("role", &self.role),
            ("relationship", &self.relationship),
        ]
        .into_iter()
        .filter(|(_, value)| value.is_empty())
        .map(|(part, _)| part)
        .collect()
    }

    /// Each part trimmed and checked as single-line text; an empty part stays empty.
    fn checked(&self) -> Result<Witness> {
        let part = |label: &str, field: &'static str, value: &str| {
            if value.trim().is_empty() {
                Ok(String::new())
            } else {
                crate::input::single_line(label, value, MAX_WITNESS_CHARS)
                    .map_err(|e| e.in_field(field))
            }
        };
        Ok(Witness {
            name: part("witness name", "witness_name", &self.name)?,
            role: part("witness role", "witness_role", &self.role)?,
            relationship: part(
                "witness relationship",
                "witness_relationship",
                &self.relationship,
            )?,
        })
    }
}

fn refuse_for(method: Method) -> CoreError {
    CoreError::invalid(format!(
        "witness details are for witness testimony or expert witness, not {method}"
    ))
}

/// The witness to store with a new item.
pub(crate) fn for_new(method: Method, given: &Witness) -> Result<Witness> {
    let witness = given.checked()?;
    if !method.takes_witness() && !witness.is_empty() {
        return Err(refuse_for(method));
    }
    Ok(witness)
}

/// The witness after an edit: the current one with the parts the edit gives replaced.
pub(crate) fn after_edit(
    method: Method,
    current: &Witness,
    edit: &EvidenceEdit,
) -> Result<Witness> {
    let given = Witness {
        name: edit.witness_name.clone().unwrap_or_default(),
        role: edit.witness_role.clone().unwrap_or_default(),
        relationship: edit.witness_relationship.clone().unwrap_or_default(),
    }
    .checked()?;
    if !method.takes_witness() {
        if !given.is_empty() {
            return Err(refuse_for(method));
        }
        return Ok(Witness::default());
    }
    let pick = |edited: &Option<String>, given: String, current: &str| match edited {
        Some(_) => given,
        None => current.to_string(),
    };
    Ok(Witness {
        name: pick(&edit.witness_name, given.name, &current.name),
        role: pick(&edit.witness_role, given.role, &current.role),
        relationship: pick(
            &edit.witness_relationship,
            given.relationship,
            &current.relationship,
        ),
    })
}

impl Store {
    /// The witness recorded on an item's current version, for an operation that already checked
    /// the portfolio (readiness).
    pub(crate) fn witness_of(&self, allowed: &Allowed, evidence_uuid: &str) -> Result<Witness> {
        self.read(allowed)
            .query_row(
                "SELECT witness_name, witness_role, witness_relationship FROM evidence WHERE uuid = ?1",
                [evidence_uuid],
                |row| {
                    Ok(Witness {
                        name: row.get(0)?,
                        role: row.get(1)?,
                        relationship: row.get(2)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| CoreError::not_found("evidence", evidence_uuid))
    }
}
