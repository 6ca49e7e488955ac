//! Reading stored frameworks: the list of versions, one framework as a document, a criterion
//! resolved from its `FRAMEWORK:CODE` reference, and which units and standards have no criteria loaded
//! (a framework listing a standard before its criteria are known is *incomplete*).

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::model::{
    CriterionDoc, CriterionKind, FrameworkDoc, FrameworkKind, GroupDoc, GroupKind, MethodRuleDoc,
};
use crate::error::{CoreError, Result};
use crate::ids::{CriterionRowId, FrameworkRowId};
use crate::refs::CriterionRef;
use crate::store::{ReadProof, Store};

/// A stored framework version, as listed.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, Deserialize)]
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
    /// Whether some unit or standard has no criteria, directly or through its children: the framework
    /// lists it, but nobody can be assessed on it until a version with its criteria is imported.
    pub incomplete: bool,
    /// The codes of those units and standards, in document order.
    pub groups_without_criteria: Vec<String>,
    /// Learners using this version: enrolled on the framework (for the current version) or with
    /// evidence mapped to its criteria.
    pub learners: usize,
    /// Evidence mappings to this version's criteria.
    pub mappings: usize,
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
                    (SELECT COUNT(*) FROM criteria c WHERE c.framework_id = f.id), f.id,
                    (SELECT COUNT(*) FROM (
                        SELECT m.learner_id FROM mappings m JOIN criteria c ON c.id = m.criterion_id
                         WHERE c.framework_id = f.id
                        UNION
                        SELECT e.learner_id FROM enrolments e
                         WHERE e.framework_code = f.code AND f.is_current = 1)),
                    (SELECT COUNT(*) FROM mappings m JOIN criteria c ON c.id = m.criterion_id
                      WHERE c.framework_id = f.id)
             FROM frameworks f WHERE f.is_current = 1 OR ?1
             ORDER BY f.is_current DESC, f.code, f.imported_at",
        )?;
        let rows = stmt.query_map([include_old_versions], |row| {
            let kind: String = row.get(3)?;
            let summary = FrameworkSummary {
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
                incomplete: false,
                groups_without_criteria: Vec::new(),
                learners: row.get::<_, i64>(11)? as usize,
                mappings: row.get::<_, i64>(12)? as usize,
            };
            Ok((row.get::<_, FrameworkRowId>(10)?, summary))
        })?;
        let rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        let conn = self.read(&allowed);
        rows.into_iter()
            .map(|(id, mut summary)| {
                summary.groups_without_criteria = Loaded::of(conn, id)?.units_without_criteria();
                summary.incomplete = !summary.groups_without_criteria.is_empty();
                Ok(summary)
            })
            .collect()
    }

    /// Of an enrolment's groups (`chosen`, or the whole framework when empty), those the framework's
    /// current version has no criteria for (see [`Loaded::missing_in`]); empty when the framework has
    /// no current version.
    pub(crate) fn criteria_missing(
        &self,
        proof: &impl ReadProof,
        framework: &str,
        chosen: &[String],
    ) -> Result<Vec<String>> {
        let conn = self.read(proof);
        match current_id(conn, framework) {
            Ok(id) => Ok(Loaded::of(conn, id)?.missing_in(chosen)),
            Err(CoreError::NotFound { .. }) => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    }

    /// Whether a group (unit, standard, key area, …) of the framework's current version has criteria,
    /// directly or through its children. A standard listed without its criteria has none: nobody can
    /// be assessed on it until a version with its criteria is imported.
    pub fn group_has_criteria(&self, framework: &str, group: &str) -> Result<bool> {
        let allowed = self.acting()?;
        let conn = self.read(&allowed);
        let id = current_id(conn, framework)?;
        Loaded::of(conn, id)?.has_criteria(group).ok_or_else(|| {
            CoreError::not_found("group", format!("{group} in framework {framework}"))
        })
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

/// The row id of a framework's current version.
pub(crate) fn current_id(conn: &Connection, framework: &str) -> Result<FrameworkRowId> {
    conn.query_row(
        "SELECT id FROM frameworks WHERE code = ?1 AND is_current = 1",
        [framework],
        |row| row.get(0),
    )
    .optional()?
    .ok_or_else(|| CoreError::not_found("framework", framework))
}

/// The groups of one stored framework version, each with whether it has criteria (directly or
/// through its children).
pub(crate) struct Loaded {
    /// In document order.
    groups: Vec<LoadedGroup>,
}

struct LoadedGroup {
    code: String,
    kind: Option<GroupKind>,
    parent: Option<usize>,
    has_criteria: bool,
}

impl LoadedGroup {
    fn is_unit(&self) -> bool {
        matches!(self.kind, Some(GroupKind::Unit | GroupKind::Standard))
    }
}

impl Loaded {
    pub(crate) fn of(conn: &Connection, framework_id: FrameworkRowId) -> Result<Loaded> {
        let mut stmt = conn.prepare_cached(
            "SELECT id, parent_id, code, kind FROM framework_groups WHERE framework_id = ?1 ORDER BY position",
        )?;
        let rows = stmt
            .query_map([framework_id], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, Option<i64>>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let index: HashMap<i64, usize> = rows.iter().enumerate().map(|(i, r)| (r.0, i)).collect();
        let mut groups: Vec<LoadedGroup> = rows
            .iter()
            .map(|(_, parent, code, kind)| LoadedGroup {
                code: code.clone(),
                kind: GroupKind::parse(kind),
                parent: parent.and_then(|p| index.get(&p).copied()),
                has_criteria: false,
            })
            .collect();
        let mut stmt = conn.prepare_cached(
            "SELECT DISTINCT group_id FROM criteria WHERE framework_id = ?1 AND group_id IS NOT NULL",
        )?;
        let with_criteria = stmt
            .query_map([framework_id], |row| row.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for group in with_criteria {
            let mut at = index.get(&group).copied();
            // Bounded, so that even a damaged tree cannot loop.
            for _ in 0..groups.len() {
                let Some(i) = at.filter(|&i| !groups[i].has_criteria) else {
                    break;
                };
                groups[i].has_criteria = true;
                at = groups[i].parent;
            }
        }
        Ok(Loaded { groups })
    }

    /// Whether the group has criteria; `None` when the version has no such group.
    pub(crate) fn has_criteria(&self, code: &str) -> Option<bool> {
        self.groups
            .iter()
            .find(|g| g.code == code)
            .map(|g| g.has_criteria)
    }

    /// The units and standards without criteria, in document order.
    pub(crate) fn units_without_criteria(&self) -> Vec<String> {
        self.missing_in(&[])
    }

    /// Of an enrolment's groups (`chosen`, or the whole framework when it is empty), those without
    /// criteria: each chosen group that has none, and the units and standards beneath, in document
    /// order.
    pub(crate) fn missing_in(&self, chosen: &[String]) -> Vec<String> {
        let in_scope = |mut at: Option<usize>| {
            if chosen.is_empty() {
                return true;
            }
            for _ in 0..self.groups.len() {
                let Some(i) = at else { return false };
                if chosen.contains(&self.groups[i].code) {
                    return true;
                }
                at = self.groups[i].parent;
            }
            false
        };
        self.groups
            .iter()
            .enumerate()
            .filter(|(_, g)| !g.has_criteria)
            .filter(|(_, g)| g.is_unit() || chosen.contains(&g.code))
            .filter(|(i, _)| in_scope(Some(*i)))
            .map(|(_, g)| g.code.clone())
            .collect()
    }
}
