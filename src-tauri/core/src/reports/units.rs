//! The unit achievement record: each unit (or standard, key area…) of a learner's enrolments with how
//! many of its criteria are met, whether it is signed off, when and by whom, whether that signature
//! still matches, and the assessors whose judgements it rests on.

use std::collections::BTreeSet;

use super::common::{by_unit, learner_header};
use super::coverage::standing_judgements;
use super::model::{Report, ReportKind, Section, Table};
use crate::error::Result;
use crate::gaps::CriterionStatus;
use crate::store::Store;

/// The CSV's columns: one row per unit. Documented in docs/reports.md.
pub const CSV_COLUMNS: &[&str] = &[
    "learner_id",
    "learner_name",
    "framework",
    "framework_version",
    "unit",
    "unit_title",
    "criteria",
    "met",
    "status",
    "signed_off_at",
    "signed_off_by",
    "signature",
    "assessors",
];

pub(crate) fn build(store: &Store, learner: &str, generated_at: &str) -> Result<Report> {
    let coverage = store.coverage(learner)?;
    let (header, notices) = learner_header(store, &coverage, generated_at)?;
    let sign_offs = store.unit_sign_offs(learner)?;
    let standing = standing_judgements(store, learner)?;
    let mut csv = Table::flat(CSV_COLUMNS);
    let mut table = Table::new(&[
        ("Unit", 5),
        ("Criteria met", 2),
        ("Status", 2),
        ("Signed off", 2),
        ("Signatory", 3),
        ("Assessors", 3),
    ]);
    for unit in by_unit(&coverage) {
        let met = unit
            .criteria
            .iter()
            .filter(|c| c.status == CriterionStatus::Met)
            .count();
        let total = unit.criteria.len();
        // The newest sign-off of this unit stands.
        let sign_off = sign_offs
            .iter()
            .filter(|s| s.framework == unit.framework.code && s.unit == unit.unit.0)
            .filter(|s| s.signature.not_counted.is_none())
            .max_by(|a, b| a.signature.signed_at.cmp(&b.signature.signed_at));
        let assessors: BTreeSet<&str> = unit
            .criteria
            .iter()
            .filter_map(|c| standing.get(&c.reference.to_string()))
            .map(|j| j.assessor_name.as_str())
            .collect();
        let assessors = assessors.into_iter().collect::<Vec<_>>().join(", ");
        let status = match sign_off {
            Some(_) => "signed_off",
            None if met == total => "ready_for_sign_off",
            None if unit
                .criteria
                .iter()
                .any(|c| c.status != CriterionStatus::NoEvidence) =>
            {
                "in_progress"
            }
            None => "not_started",
        };
        let (at, by, signature) = match sign_off {
            Some(s) => (
                s.signature.signed_at.clone(),
                s.signature.signer_name.clone(),
                if s.signature.matches {
                    "matches"
                } else {
                    "no_longer_matches"
                }
                .to_string(),
            ),
            None => Default::default(),
        };
        table.push(vec![
            unit.heading(),
            format!("{met} of {total}"),
            status.replace('_', " "),
            at.get(..10).unwrap_or("").to_string(),
            match sign_off {
                Some(_) if signature == "matches" => by.clone(),
                Some(_) => format!("{by}\n(signature no longer matches)"),
                None => String::new(),
            },
            assessors.clone(),
        ]);
        csv.push(vec![
            coverage.learner.id.clone(),
            coverage.learner.name.clone(),
            unit.framework.code.clone(),
            unit.framework.version.clone(),
            unit.unit.0.clone(),
            unit.unit.1.clone(),
            total.to_string(),
            met.to_string(),
            status.to_string(),
            at,
            by,
            signature,
            assessors,
        ]);
    }
    let signed = csv.rows.iter().filter(|r| r[8] == "signed_off").count();
    Ok(Report {
        kind: ReportKind::Units,
        header,
        notices,
        sections: vec![Section {
            heading: "Units".into(),
            lines: vec![format!(
                "{signed} of {} unit(s) signed off.",
                csv.rows.len()
            )],
            table: Some(table),
        }],
        csv,
    })
}
