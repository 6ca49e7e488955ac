//! Reading stored frameworks: the list of versions, one framework as a document, and a criterion
//! resolved from its `FRAMEWORK:CODE` reference.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;

use super::model::{
    CriterionDoc, CriterionKind, FrameworkDoc, FrameworkKind, GroupDoc, GroupKind, MethodRuleDoc,
};
use crate::error::{CoreError, Result};
use crate::ids::{CriterionRowId, FrameworkRowId};
use crate::refs::CriterionRef;
use crate::store::Store;

/// A stored framework version, as listed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize)]
pub struct FrameworkSummary {
    pub code: String,
    pub version: String,
    pub title: String,
    pub kind: FrameworkKind,
    pub verified: bool,
    pub source: String,
    pub current: bool,
    pub groups: usize,
    pub criteria: usize,
    pub imported_at: String,
}

/// A criterion of a current framework version, resolved from its reference.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionInfo {
    #[serde(skip)]
    pub(crate) id: CriterionRowId,
    #[serde(rename = "ref")]
    pub reference: CriterionRef,
    pub kind: CriterionKind,
    pub text: String,
    pub framework_version: String,
    pub verified: bool,
}

fn bad_stored(value: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(0, value.to_string(), rusqlite::types::Type::Text)
}

impl Store {
    /// Every stored framework version (current ones first, then by code).
    pub fn list_frameworks(&self, include_old_versions: bool) -> Result<Vec<FrameworkSummary>> {
        let allowed = self.acting()?;
        let mut stmt = self.read(&allowed).prepare(
            "SELECT f.code, f.version, f.title, f.kind, f.verified, f.source, f.is_current, f.imported_at,
                    (SELECT COUNT(*) FROM framework_groups g WHERE g.framework_id = f.id),
                    (SELECT COUNT(*) FROM criteria c WHERE c.framework_id = f.id)
             FROM frameworks f WHERE f.is_current = 1 OR ?1
             ORDER BY f.is_current DESC, f.code, f.imported_at",
        )?;
        let rows = stmt.query_map([include_old_versions], |row| {
            let kind: String = row.get(3)?;
            Ok(FrameworkSummary {
                code: row.get(0)?,
                version: row.get(1)?,
                title: row.get(2)?,
                kind: FrameworkKind::parse(&kind).ok_or_else(|| bad_stored(&kind))?,
                verified: row.get(4)?,
                source: row.get(5)?,
                current: row.get(6)?,
                imported_at: row.get(7)?,
                groups: row.get::<_, i64>(8)? as usize,
                criteria: row.get::<_, i64>(9)? as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// A stored framework as a document: the current version, or the named one.
    pub fn framework(&self, code: &str, version: Option<&str>) -> Result<FrameworkDoc> {
        let allowed = self.acting()?;
        let conn = self.read(&allowed);
        let header = conn
            .query_row(
                "SELECT id, code, title, kind, version, source, verified, description FROM frameworks
                 WHERE code = ?1 AND (version = ?2 OR (?2 IS NULL AND is_current = 1))",
                params![code, version],
                |row| {
                    Ok((
                        row.get::<_, FrameworkRowId>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, String>(4)?,
                        row.get::<_, String>(5)?,
                        row.get::<_, bool>(6)?,
                        row.get::<_, String>(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((id, code, title, kind, version, source, verified, description)) = header else {
            let key = match version {
                Some(v) => format!("{code} version {v}"),
                None => code.to_string(),
            };
            return Err(CoreError::not_found("framework", key));
        };
        let mut groups_stmt = conn.prepare(
            "SELECT g.code, g.kind, g.title, p.code FROM framework_groups g
             LEFT JOIN framework_groups p ON p.id = g.parent_id
             WHERE g.framework_id = ?1 ORDER BY g.position",
        )?;
        let groups = groups_stmt
            .query_map([id], |row| {
                let kind: String = row.get(1)?;
                Ok(GroupDoc {
                    code: row.get(0)?,
                    kind: GroupKind::parse(&kind).ok_or_else(|| bad_stored(&kind))?,
                    title: row.get(2)?,
                    parent: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut criteria_stmt = conn.prepare(
            "SELECT c.code, c.kind, c.text, g.code FROM criteria c
             LEFT JOIN framework_groups g ON g.id = c.group_id
             WHERE c.framework_id = ?1 ORDER BY c.position",
        )?;
        let criteria = criteria_stmt
            .query_map([id], |row| {
                let kind: String = row.get(1)?;
                Ok(CriterionDoc {
                    code: row.get(0)?,
                    kind: CriterionKind::parse(&kind).ok_or_else(|| bad_stored(&kind))?,
                    text: row.get(2)?,
                    group: row.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let method_rules = super::method_rules::load(conn, id)?;
        Ok(FrameworkDoc {
            code,
            title,
            kind: FrameworkKind::parse(&kind).ok_or_else(|| bad_stored(&kind))?,
            version,
            source,
            verified,
            description,
            groups,
            criteria,
            method_rules,
        })
    }

    /// The rule of evidence methods the criterion's framework (its current version) sets for it,
    /// or `None` when no rule applies: the core decides, the criterion page shows it.
    pub fn accepted_methods(&self, reference: &CriterionRef) -> Result<Option<MethodRuleDoc>> {
        let allowed = self.acting()?;
        let criterion = self.criterion(reference)?;
        let rules = super::method_rules::load_version(
            self.read(&allowed),
            &reference.framework,
            &criterion.framework_version,
        )?;
        Ok(super::rule_for(&rules, &reference.code, criterion.kind).cloned())
    }

    /// Resolves a reference to a criterion of the framework's current version.
    pub fn criterion(&self, reference: &CriterionRef) -> Result<CriterionInfo> {
        let allowed = self.acting()?;
        self.read(&allowed)
            .query_row(
                "SELECT c.id, c.kind, c.text, f.version, f.verified FROM criteria c
                 JOIN frameworks f ON f.id = c.framework_id
                 WHERE f.code = ?1 AND f.is_current = 1 AND c.code = ?2",
                params![reference.framework, reference.code],
                |row| {
                    let kind: String = row.get(1)?;
                    Ok(CriterionInfo {
                        id: row.get(0)?,
                        reference: reference.clone(),
                        kind: CriterionKind::parse(&kind).ok_or_else(|| bad_stored(&kind))?,
                        text: row.get(2)?,
                        framework_version: row.get(3)?,
                        verified: row.get(4)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| CoreError::not_found("criterion", reference.to_string()))
    }
}
