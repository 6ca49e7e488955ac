//! What the one-learner reports share: the header and notices drawn from a learner's coverage, the
//! criteria grouped by framework and unit, and the words printed for a criterion's status.

use std::collections::HashMap;

use super::model::ReportHeader;
use crate::error::Result;
use crate::frameworks::FrameworkKind;
use crate::gaps::{Coverage, CriterionCoverage, CriterionStatus, EvidenceRef, FrameworkCoverage};
use crate::store::access::Need;
use crate::store::Store;

/// How a status reads in a report.
pub(crate) fn status_label(status: CriterionStatus) -> &'static str {
    match status {
        CriterionStatus::NoEvidence => "No evidence",
        CriterionStatus::DraftOnly => "Draft evidence only",
        CriterionStatus::Evidenced => "Evidenced, not yet assessed",
        CriterionStatus::Met => "Met",
        CriterionStatus::NotYetMet => "Not yet met",
    }
}

/// "CODE version", with "(unverified)" when the framework's text is not confirmed.
pub(crate) fn framework_label(code: &str, version: &str, verified: bool) -> String {
    if verified || version.contains("unverified") {
        format!("{code} {version}")
    } else {
        format!("{code} {version} (unverified)")
    }
}

/// The notice printed on a report that quotes unverified framework text.
pub(crate) fn unverified_notice(frameworks: &[String]) -> Option<String> {
    (!frameworks.is_empty()).then(|| {
        format!(
            "Unverified text: the criteria of {} are not confirmed against the official specification; \
             check them with the awarding body before relying on this report.",
            frameworks.join(", ")
        )
    })
}

/// The frameworks' kinds, by code (current versions).
pub(crate) fn framework_kinds(store: &Store) -> Result<HashMap<String, FrameworkKind>> {
    Ok(store
        .list_frameworks(false)?
        .into_iter()
        .map(|f| (f.code, f.kind))
        .collect())
}

/// The audit trail's end as a report prints it.
pub(crate) fn audit_head_text(store: &Store) -> Result<String> {
    Ok(match store.audit_head()? {
        Some(head) => head.to_string(),
        None => "no entries".to_string(),
    })
}

/// The header and notices of a report on one learner.
pub(crate) fn learner_header(
    store: &Store,
    coverage: &Coverage,
    generated_at: &str,
) -> Result<(ReportHeader, Vec<String>)> {
    let kinds = framework_kinds(store)?;
    let titles = |qualifications: bool| -> Vec<String> {
        coverage
            .frameworks
            .iter()
            .filter(|f| {
                (kinds.get(&f.code) == Some(&FrameworkKind::Qualification)) == qualifications
            })
            .map(|f| f.title.clone())
            .collect()
    };
    let mut qualification = titles(true);
    if qualification.is_empty() {
        qualification = titles(false);
    }
    let unverified: Vec<String> = coverage
        .frameworks
        .iter()
        .filter(|f| !f.verified)
        .map(|f| format!("{} {}", f.code, f.version))
        .collect();
    let header = ReportHeader {
        learner: Some(format!(
            "{} ({})",
            coverage.learner.name, coverage.learner.id
        )),
        qualification: if qualification.is_empty() {
            "no enrolments".to_string()
        } else {
            qualification.join("; ")
        },
        frameworks: coverage
            .frameworks
            .iter()
            .map(|f| framework_label(&f.code, &f.version, f.verified))
            .collect(),
        generated_at: generated_at.to_string(),
        generated_by: store.who()?.name,
        audit_head: audit_head_text(store)?,
    };
    Ok((header, unverified_notice(&unverified).into_iter().collect()))
}

/// Who gave each witness testimony in a learner's portfolio ("name, role, relationship"), by item id.
pub(crate) fn witnesses(store: &Store, learner: &str) -> Result<HashMap<String, String>> {
    let learner = store.learner_row(learner)?;
    let allowed = store.require_portfolio(&learner, Need::Read)?;
    let mut stmt = store.read(&allowed).prepare(
        "SELECT uuid, witness_name, witness_role, witness_relationship FROM evidence
         WHERE learner_id = ?1 AND witness_name || witness_role || witness_relationship <> ''",
    )?;
    let rows = stmt.query_map([learner.row_id], |r| {
        let parts: [String; 3] = [r.get(1)?, r.get(2)?, r.get(3)?];
        let given: Vec<&str> = parts
            .iter()
            .map(String::as_str)
            .filter(|p| !p.is_empty())
            .collect();
        Ok((r.get::<_, String>(0)?, given.join(", ")))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A learner's items by id, to look up the evidence mapped to each criterion.
pub(crate) struct Items<'c>(HashMap<&'c str, &'c EvidenceRef>);

impl<'c> Items<'c> {
    pub fn of(coverage: &'c Coverage) -> Items<'c> {
        Items(
            coverage
                .evidence
                .iter()
                .map(|e| (e.id.as_str(), e))
                .collect(),
        )
    }

    /// The items mapped to a criterion, in recording order.
    pub fn mapped(&self, criterion: &CriterionCoverage) -> Vec<&'c EvidenceRef> {
        criterion
            .evidence
            .iter()
            .filter_map(|id| self.0.get(id.as_str()).copied())
            .collect()
    }
}

/// A learner's criteria by framework and top-level group (unit, key area, …), in framework order.
pub(crate) struct UnitCriteria<'c> {
    pub framework: &'c FrameworkCoverage,
    /// The unit's code and title; empty for a framework without groups.
    pub unit: (String, String),
    pub criteria: Vec<&'c CriterionCoverage>,
}

impl UnitCriteria<'_> {
    /// "FRAMEWORK version · UNIT Title".
    pub fn heading(&self) -> String {
        let framework = framework_label(
            &self.framework.code,
            &self.framework.version,
            self.framework.verified,
        );
        match &self.unit {
            (code, _) if code.is_empty() => framework,
            (code, title) => format!("{framework} · {code} {title}"),
        }
    }
}

pub(crate) fn by_unit(coverage: &Coverage) -> Vec<UnitCriteria<'_>> {
    let mut out: Vec<UnitCriteria<'_>> = Vec::new();
    for criterion in &coverage.criteria {
        let unit = criterion.groups.first().cloned().unwrap_or_default();
        let same = out
            .last()
            .is_some_and(|u| u.framework.code == criterion.framework && u.unit.0 == unit);
        if !same {
            let Some(framework) = coverage
                .frameworks
                .iter()
                .find(|f| f.code == criterion.framework)
            else {
                continue;
            };
            let title = framework
                .groups
                .iter()
                .find(|g| g.code == unit)
                .map(|g| g.title.clone())
                .unwrap_or_default();
            out.push(UnitCriteria {
                framework,
                unit: (unit, title),
                criteria: Vec::new(),
            });
        }
        if let Some(last) = out.last_mut() {
            last.criteria.push(criterion);
        }
    }
    out
}
