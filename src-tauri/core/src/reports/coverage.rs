//! The criterion coverage report: every criterion of a learner's enrolments with its status, the
//! evidence mapped to it (reference, title, method, date), the assessor's standing judgement and
//! whether its signature still matches, and the submission-readiness check.

use std::collections::HashMap;

use super::common::{by_unit, learner_header, status_label, witnesses, Items};
use super::model::{Report, ReportKind, Section, Table};
use crate::error::Result;
use crate::gaps::EvidenceRef;
use crate::review::Judgement;
use crate::store::Store;

/// The CSV's columns, one row per criterion × evidence item (a criterion without evidence has one
/// row with the evidence columns empty). Documented in docs/reports.md.
pub const CSV_COLUMNS: &[&str] = &[
    "learner_id",
    "learner_name",
    "framework",
    "framework_version",
    "framework_verified",
    "unit",
    "criterion",
    "criterion_kind",
    "criterion_text",
    "status",
    "flags",
    "evidence_ref",
    "evidence_id",
    "evidence_title",
    "evidence_method",
    "evidence_witness",
    "evidence_date",
    "evidence_status",
    "judgement",
    "assessor",
    "judged_at",
    "signature",
];

/// The newest judgement on each criterion of a learner (the one that stands), by `FRAMEWORK:CODE`.
pub(crate) fn standing_judgements(
    store: &Store,
    learner: &str,
) -> Result<HashMap<String, Judgement>> {
    let mut standing = HashMap::new();
    // Newest signed first; a judgement that did not verify on import never stands.
    for judgement in store.judgements(learner)?.into_iter().filter(|j| j.counted) {
        standing
            .entry(judgement.reference.to_string())
            .or_insert(judgement);
    }
    Ok(standing)
}

/// "Met", by whom and when, and whether the signature still matches what it signed.
pub(crate) fn judgement_words(j: &Judgement) -> (String, String) {
    let outcome = match j.outcome {
        crate::review::Outcome::Met => "Met",
        crate::review::Outcome::NotYetMet => "Not yet met",
    };
    let by = match (&j.signature.key_id, &j.signature.certified_by) {
        (None, _) => "signed (legacy, not key-signed)".to_string(),
        (Some(key), Some(centre)) => format!("signed with key {key}, certified by {centre}"),
        (Some(key), None) => format!("signed with key {key}"),
    };
    let matches = if j.signature.matches {
        "matches"
    } else {
        "no longer matches the evidence"
    };
    (outcome.to_string(), format!("{by}, {matches}"))
}

fn item_line(item: &EvidenceRef, witness: Option<&String>) -> String {
    let by = witness
        .map(|w| format!("; witness: {w}"))
        .unwrap_or_default();
    format!(
        "E{} {} ({}{by}, {}, {})",
        item.number,
        item.title,
        item.method.as_str().replace('_', " "),
        item.activity_date,
        item.status
    )
}

pub(crate) fn build(store: &Store, learner: &str, generated_at: &str) -> Result<Report> {
    let coverage = store.coverage(learner)?;
    let (header, notices) = learner_header(store, &coverage, generated_at)?;
    let standing = standing_judgements(store, learner)?;
    let witness = witnesses(store, learner)?;
    let items = Items::of(&coverage);
    let mut csv = Table::flat(CSV_COLUMNS);
    let mut sections = Vec::new();
    let t = &coverage.totals;
    sections.push(Section {
        heading: "Summary".into(),
        lines: vec![format!(
            "{} criteria: {} evidenced ({} met, {} not yet met), {} with draft evidence only, {} without evidence; {} rest on evidence older than {} years.",
            t.criteria, t.evidenced, t.met, t.not_yet_met, t.draft_only, t.no_evidence, t.not_current, coverage.currency_years
        )],
        table: None,
    });
    for unit in by_unit(&coverage) {
        let mut table = Table::new(&[
            ("Criterion", 4),
            ("Text", 6),
            ("Status", 3),
            ("Evidence", 5),
            ("Judgement", 3),
        ]);
        for c in &unit.criteria {
            let reference = c.reference.to_string();
            let judgement = standing.get(&reference);
            let (outcome, signature) = judgement.map(judgement_words).unwrap_or_default();
            let mapped = items.mapped(c);
            let judged = judgement
                .map(|j| {
                    format!(
                        "{outcome}\n{}, {}\n{signature}",
                        j.assessor_name,
                        &j.judged_at[..j.judged_at.len().min(10)]
                    )
                })
                .unwrap_or_else(|| "Not assessed".into());
            let evidence = if mapped.is_empty() {
                "None".to_string()
            } else {
                mapped
                    .iter()
                    .map(|e| item_line(e, witness.get(&e.id)))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            table.push(vec![
                c.reference.code.clone(),
                c.text.clone(),
                status_label(c.status).to_string(),
                evidence,
                judged,
            ]);
            let fixed = vec![
                coverage.learner.id.clone(),
                coverage.learner.name.clone(),
                unit.framework.code.clone(),
                unit.framework.version.clone(),
                unit.framework.verified.to_string(),
                unit.unit.0.clone(),
                reference.clone(),
                c.kind.as_str().to_string(),
                c.text.clone(),
                c.status.as_str().to_string(),
                c.flags
                    .iter()
                    .map(|f| f.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ];
            let judged_cells = match judgement {
                Some(j) => vec![
                    j.outcome.as_str().to_string(),
                    j.assessor_name.clone(),
                    j.judged_at.clone(),
                    if j.signature.matches {
                        "matches"
                    } else {
                        "no_longer_matches"
                    }
                    .to_string(),
                ],
                None => vec![String::new(); 4],
            };
            let rows: Vec<Vec<String>> = if mapped.is_empty() {
                vec![vec![String::new(); 7]]
            } else {
                mapped
                    .iter()
                    .map(|e| {
                        vec![
                            format!("E{}", e.number),
                            e.id.clone(),
                            e.title.clone(),
                            e.method.as_str().to_string(),
                            witness.get(&e.id).cloned().unwrap_or_default(),
                            e.activity_date.clone(),
                            e.status.as_str().to_string(),
                        ]
                    })
                    .collect()
            };
            for evidence_cells in rows {
                let mut row = fixed.clone();
                row.extend(evidence_cells);
                row.extend(judged_cells.iter().cloned());
                csv.push(row);
            }
        }
        sections.push(Section {
            heading: unit.heading(),
            lines: Vec::new(),
            table: Some(table),
        });
    }
    sections.push(readiness_section(store, learner)?);
    Ok(Report {
        kind: ReportKind::Coverage,
        header,
        notices,
        sections,
        csv,
    })
}

/// The submission-readiness check, as a section: ready, or every blocker with its rule and fix.
fn readiness_section(store: &Store, learner: &str) -> Result<Section> {
    let readiness = store.readiness(learner, None)?;
    if readiness.ready {
        return Ok(Section {
            heading: "Submission readiness".into(),
            lines: vec!["Ready to submit: nothing blocks submission.".into()],
            table: None,
        });
    }
    let mut table = Table::new(&[
        ("Blocker", 6),
        ("Rule of evidence", 2),
        ("What fixes it", 5),
    ]);
    for b in &readiness.blockers {
        table.push(vec![
            b.message.clone(),
            b.rule.as_str().to_string(),
            b.fix.clone(),
        ]);
    }
    Ok(Section {
        heading: "Submission readiness".into(),
        lines: vec![format!(
            "Not ready: {} blocker(s) stand between this portfolio and submission.",
            readiness.blockers.len()
        )],
        table: Some(table),
    })
}
