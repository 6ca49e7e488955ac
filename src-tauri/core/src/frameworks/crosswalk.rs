//! Crosswalks: links between criteria of different frameworks (a unit's assessment criteria ↔ NOS
//! performance criteria ↔ CLD competence indicators), shipped as data. Mapping evidence to one criterion
//! suggests the criteria linked to it, in either direction.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use super::native::{decode_text, toml_error};
use crate::error::{CoreError, Result};
use crate::refs::CriterionRef;
use crate::store::Store;

/// The format identifier of a crosswalk file.
pub const FORMAT_ID: &str = "evidence-tracker/crosswalk";

/// A crosswalk file: links from one criterion to others.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrosswalkDoc {
    pub format: String,
    pub format_version: u32,
    #[serde(rename = "link", default)]
    pub links: Vec<CrosswalkLink>,
}

/// One criterion and the criteria of other frameworks that correspond to it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrosswalkLink {
    pub from: CriterionRef,
    pub to: Vec<CriterionRef>,
    #[serde(default)]
    pub note: String,
}

/// A criterion suggested because the crosswalk links it to the one being mapped.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Suggestion {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    #[serde(rename = "ref")]
    pub reference: CriterionRef,
    pub text: String,
    pub note: String,
}

/// Parses a crosswalk file.
pub fn parse(bytes: &[u8]) -> Result<CrosswalkDoc> {
    let text = decode_text(bytes)?;
    let doc: CrosswalkDoc = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    if doc.format != FORMAT_ID || doc.format_version != 1 {
        return Err(CoreError::InvalidFramework(format!(
            "crosswalk format must be {FORMAT_ID:?} version 1"
        )));
    }
    Ok(doc)
}

pub(crate) fn insert(tx: &rusqlite::Transaction<'_>, doc: &CrosswalkDoc) -> Result<usize> {
    let mut stmt =
        tx.prepare("INSERT OR IGNORE INTO crosswalk (from_ref, to_ref, note) VALUES (?1, ?2, ?3)")?;
    let mut added = 0;
    for link in &doc.links {
        for to in &link.to {
            if *to == link.from {
                return Err(CoreError::InvalidFramework(format!(
                    "crosswalk links {to} to itself"
                )));
            }
            added += stmt.execute(params![link.from.to_string(), to.to_string(), link.note])?;
        }
    }
    Ok(added)
}

impl Store {
    /// Adds a crosswalk's links (links already present are kept as they are).
    /// Administrators only.
    pub fn import_crosswalk(&mut self, doc: &CrosswalkDoc) -> Result<usize> {
        let allowed = self.require_admin()?;
        self.write(&allowed, |tx, audit| {
            let added = insert(tx, doc)?;
            if added > 0 {
                audit.record(
                    crate::audit::Change::new("crosswalk_imported", "crosswalk")
                        .after(format!("{added} links")),
                )?;
            }
            Ok(added)
        })
    }

    /// Criteria linked to `reference` in either direction that exist in a current framework version.
    pub fn crosswalk_suggestions(&self, reference: &CriterionRef) -> Result<Vec<Suggestion>> {
        let allowed = self.acting()?;
        let mut stmt = self.read(&allowed).prepare(
            "SELECT x.other, x.note, c.text FROM (
                 SELECT to_ref AS other, note FROM crosswalk WHERE from_ref = ?1
                 UNION SELECT from_ref AS other, note FROM crosswalk WHERE to_ref = ?1
             ) x
             JOIN frameworks f ON f.is_current = 1 AND f.code = substr(x.other, 1, instr(x.other, ':') - 1)
             JOIN criteria c ON c.framework_id = f.id AND c.code = substr(x.other, instr(x.other, ':') + 1)
             ORDER BY x.other",
        )?;
        let rows = stmt.query_map([reference.to_string()], |row| {
            Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?))
        })?;
        let mut suggestions = Vec::new();
        for row in rows {
            let (other, note, text) = row?;
            suggestions.push(Suggestion {
                reference: CriterionRef::parse(&other)?,
                text,
                note,
            });
        }
        Ok(suggestions)
    }
}
