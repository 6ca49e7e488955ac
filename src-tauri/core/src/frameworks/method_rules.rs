//! Method rules: which evidence methods a framework accepts for a kind of criterion or for named
//! criteria ("performance criteria need observation or testimony"). Read from `[[method_rule]]` in a
//! native file, validated with the framework, stored with the framework version they came with.
//!
//! When both apply, a rule naming a criterion wins over a rule for its kind; validation makes sure at
//! most one of each applies.

use std::collections::HashSet;

use rusqlite::{params, Connection, Transaction};

use super::model::{CriterionKind, FrameworkDoc, MethodRuleDoc};
use crate::error::{CoreError, Result};
use crate::evidence::Method;
use crate::ids::FrameworkRowId;

fn bad(message: String) -> CoreError {
    CoreError::InvalidFramework(message)
}

impl MethodRuleDoc {
    /// A rule from the names a file gives; `index` counts rules from 1, for error messages.
    pub(crate) fn from_names(
        index: usize,
        applies_to: Option<&str>,
        criteria: Vec<String>,
        methods: &[String],
        source: String,
    ) -> Result<MethodRuleDoc> {
        let applies_to = applies_to
            .map(|kind| {
                CriterionKind::parse(kind).ok_or_else(|| {
                    bad(format!(
                        "method rule {index} applies to unknown criterion kind {kind:?}; use one of {}",
                        CriterionKind::names()
                    ))
                })
            })
            .transpose()?;
        let methods = methods
            .iter()
            .map(|name| {
                Method::parse(name).ok_or_else(|| {
                    bad(format!(
                        "method rule {index} names unknown method {name:?}; use one of {}",
                        Method::names()
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(MethodRuleDoc {
            applies_to,
            criteria,
            methods,
            source,
        })
    }

    /// Whether the rule covers this criterion.
    pub fn applies(&self, code: &str, kind: CriterionKind) -> bool {
        self.applies_to == Some(kind) || self.criteria.iter().any(|c| c == code)
    }
}

/// The rule that decides which methods count for a criterion, if any.
pub fn rule_for<'a>(
    rules: &'a [MethodRuleDoc],
    code: &str,
    kind: CriterionKind,
) -> Option<&'a MethodRuleDoc> {
    rules
        .iter()
        .find(|r| r.criteria.iter().any(|c| c == code))
        .or_else(|| rules.iter().find(|r| r.applies_to == Some(kind)))
}

/// Checks every rule against the document's criteria; the first problem found is reported.
pub(crate) fn validate(doc: &FrameworkDoc) -> Result<()> {
    let codes: HashSet<&str> = doc.criteria.iter().map(|c| c.code.as_str()).collect();
    let mut kinds_ruled = HashSet::new();
    let mut codes_ruled = HashSet::new();
    for (i, rule) in doc.method_rules.iter().enumerate() {
        let n = i + 1;
        match (rule.applies_to, rule.criteria.is_empty()) {
            (Some(_), false) => {
                return Err(bad(format!(
                    "method rule {n} has both applies_to and criteria; give exactly one"
                )))
            }
            (None, true) => {
                return Err(bad(format!(
                    "method rule {n} has neither applies_to nor criteria; give exactly one"
                )))
            }
            (Some(kind), true) => {
                if !kinds_ruled.insert(kind) {
                    return Err(bad(format!(
                        "method rule {n} applies to {kind}, which an earlier rule already covers"
                    )));
                }
            }
            (None, false) => {
                for code in &rule.criteria {
                    if !codes.contains(code.as_str()) {
                        return Err(bad(format!(
                            "method rule {n} names criterion {code:?}, which framework {} does not have",
                            doc.code
                        )));
                    }
                    if !codes_ruled.insert(code.as_str()) {
                        return Err(bad(format!(
                            "method rule {n} names criterion {code:?} a second time"
                        )));
                    }
                }
            }
        }
        if rule.methods.is_empty() {
            return Err(bad(format!("method rule {n} accepts no methods")));
        }
        let mut seen = HashSet::new();
        if let Some(twice) = rule.methods.iter().find(|m| !seen.insert(**m)) {
            return Err(bad(format!("method rule {n} names method {twice} twice")));
        }
        super::fields::check_text(
            &format!("source of method rule {n}"),
            &rule.source,
            super::fields::MAX_TEXT_CHARS,
            true,
        )?;
    }
    Ok(())
}

fn joined<T: AsRef<str>>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|i| i.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(",")
}

/// Stores a framework version's rules, inside the import's transaction.
pub(crate) fn insert(
    tx: &Transaction<'_>,
    framework_id: FrameworkRowId,
    rules: &[MethodRuleDoc],
) -> Result<()> {
    let mut stmt = tx.prepare(
        "INSERT INTO framework_method_rules (framework_id, position, criterion_kind, criterion_codes, methods, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (position, rule) in rules.iter().enumerate() {
        let codes = (!rule.criteria.is_empty()).then(|| joined(&rule.criteria));
        stmt.execute(params![
            framework_id,
            position as i64,
            rule.applies_to.map(CriterionKind::as_str),
            codes,
            joined(rule.methods.iter().map(|m| m.as_str())),
            rule.source,
        ])?;
    }
    Ok(())
}

fn bad_stored(value: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(0, value.to_string(), rusqlite::types::Type::Text)
}

/// A stored framework version's rules, in file order.
pub(crate) fn load(conn: &Connection, framework_id: FrameworkRowId) -> Result<Vec<MethodRuleDoc>> {
    let mut stmt = conn.prepare_cached(
        "SELECT criterion_kind, criterion_codes, methods, source FROM framework_method_rules
         WHERE framework_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([framework_id], |row| {
        let kind: Option<String> = row.get(0)?;
        let codes: Option<String> = row.get(1)?;
        let methods: String = row.get(2)?;
        Ok(MethodRuleDoc {
            applies_to: kind
                .map(|k| CriterionKind::parse(&k).ok_or_else(|| bad_stored(&k)))
                .transpose()?,
            criteria: codes
                .map(|c| c.split(',').map(str::to_string).collect())
                .unwrap_or_default(),
            methods: methods
                .split(',')
                .map(|m| Method::parse(m).ok_or_else(|| bad_stored(m)))
                .collect::<rusqlite::Result<_>>()?,
            source: row.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The rules of a framework version given by code and version.
pub(crate) fn load_version(
    conn: &Connection,
    code: &str,
    version: &str,
) -> Result<Vec<MethodRuleDoc>> {
    let id: Option<FrameworkRowId> = rusqlite::OptionalExtension::optional(conn.query_row(
        "SELECT id FROM frameworks WHERE code = ?1 AND version = ?2",
        params![code, version],
        |row| row.get(0),
    ))?;
    match id {
        Some(id) => load(conn, id),
        None => Ok(Vec::new()),
    }
}
