//! The cohort summary for a tutor or assessor: every learner they may read × each unit of their
//! enrolments, with completion (evidenced and met) and a red / amber / green status. The status uses
//! the caseload's rules (`review::rag_of`) applied to the unit's share evidenced, so a learner who is
//! on track overall but behind in one unit shows it there.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::common::{framework_label, unverified_notice};
use super::model::{Report, ReportHeader, ReportKind, Section, Table};
use crate::error::Result;
use crate::gaps::Totals;
use crate::ids::LearnerRowId;
use crate::review::{rag_of, CaseFacts};
use crate::store::Store;
use crate::time::today;

/// The CSV's columns: one row per learner × unit. Documented in docs/reports.md.
pub const CSV_COLUMNS: &[&str] = &[
    "learner_id",
    "learner_name",
    "framework",
    "framework_version",
    "unit",
    "unit_title",
    "criteria",
    "evidenced",
    "met",
    "not_yet_met",
    "draft_only",
    "no_evidence",
    "evidenced_percent",
    "met_percent",
    "rag",
    "rag_reasons",
];

/// The facts behind a learner's status other than progress: items awaiting review, items returned,
/// the last activity, the first enrolment and the target date.
struct Activity {
    awaiting: i64,
    returned: i64,
    last: Option<String>,
    started: Option<String>,
    target: Option<String>,
}

fn activity_by_learner(store: &Store) -> Result<HashMap<String, Activity>> {
    // Every learner's row is read; only those the acting user may read are kept.
    let readable = store.readable_learners()?;
    let mut stmt = store.read(&readable).prepare(
        "SELECT l.uuid,
           (SELECT count(*) FROM evidence e WHERE e.learner_id = l.id AND e.submitted = 1
              AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.evidence_id = e.id AND f.on_version = e.version)
              AND NOT EXISTS (SELECT 1 FROM judgement_evidence j WHERE j.evidence_id = e.id AND j.evidence_version = e.version)),
           (SELECT count(*) FROM evidence WHERE learner_id = l.id AND changes_requested = 1),
           (SELECT max(updated_at) FROM evidence WHERE learner_id = l.id),
           (SELECT min(enrolled_at) FROM enrolments WHERE learner_id = l.id),
           l.target_date, l.id
         FROM learners l",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, LearnerRowId>(6)?,
            r.get::<_, String>(0)?,
            Activity {
                awaiting: r.get(1)?,
                returned: r.get(2)?,
                last: r.get(3)?,
                started: r.get(4)?,
                target: r.get(5)?,
            },
        ))
    })?;
    let mut by_learner = HashMap::new();
    for row in rows {
        let (row_id, uuid, activity) = row?;
        if readable.allows(row_id) {
            by_learner.insert(uuid, activity);
        }
    }
    Ok(by_learner)
}

fn day_of(time: Option<&str>) -> Option<NaiveDate> {
    time.and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        .map(|d| d.with_timezone(&Utc).date_naive())
}

fn percent(part: usize, whole: usize) -> usize {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

fn share(t: &Totals) -> f64 {
    if t.criteria == 0 {
        0.0
    } else {
        t.evidenced as f64 / t.criteria as f64
    }
}

/// Builds the summary, reporting `(learners done, learners)` as it goes (an `Err` from `progress`
/// stops it).
pub(crate) fn build(
    store: &Store,
    generated_at: &str,
    progress: &mut dyn FnMut(usize, usize) -> Result<()>,
) -> Result<Report> {
    let cohort = store.cohort_coverage(None)?;
    let activity = activity_by_learner(store)?;
    let frameworks = store.list_frameworks(false)?;
    let mut unit_titles: HashMap<(String, String), String> = HashMap::new();
    let mut labels: HashMap<String, String> = HashMap::new();
    let mut unverified = Vec::new();
    let in_use = |code: &str| {
        cohort
            .learners
            .iter()
            .any(|l| l.frameworks.iter().any(|f| f.code == code))
    };
    for f in frameworks.iter().filter(|f| in_use(&f.code)) {
        labels.insert(
            f.code.clone(),
            framework_label(&f.code, &f.version, f.verified),
        );
        if !f.verified {
            unverified.push(format!("{} {}", f.code, f.version));
        }
        for g in store.framework(&f.code, None)?.groups {
            unit_titles.insert((f.code.clone(), g.code), g.title);
        }
    }
    let mut csv = Table::flat(CSV_COLUMNS);
    let mut table = Table::new(&[
        ("Learner", 4),
        ("Unit", 5),
        ("Evidenced", 2),
        ("Met", 2),
        ("Status", 5),
    ]);
    let total = cohort.learners.len();
    let today = today();
    for (done, learner) in cohort.learners.iter().enumerate() {
        progress(done, total)?;
        let facts = activity.get(&learner.id);
        for framework in &learner.frameworks {
            for group in &framework.groups {
                let t = &group.totals;
                let case = CaseFacts {
                    share: share(t),
                    awaiting_review: facts.map_or(0, |a| a.awaiting),
                    changes_requested: facts.map_or(0, |a| a.returned),
                    idle_days: day_of(facts.and_then(|a| a.last.as_deref()))
                        .map(|d| (today - d).num_days()),
                    started: day_of(facts.and_then(|a| a.started.as_deref())),
                    target: facts
                        .and_then(|a| a.target.as_deref())
                        .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()),
                    today,
                };
                let (rag, reasons) = rag_of(&case);
                let title = unit_titles
                    .get(&(framework.code.clone(), group.code.clone()))
                    .cloned()
                    .unwrap_or_default();
                let evidenced = percent(t.evidenced, t.criteria);
                let met = percent(t.met, t.criteria);
                table.push(vec![
                    learner.name.clone(),
                    format!(
                        "{} · {} {title}",
                        labels.get(&framework.code).unwrap_or(&framework.code),
                        group.code
                    ),
                    format!("{evidenced}% ({} of {})", t.evidenced, t.criteria),
                    format!("{met}% ({} of {})", t.met, t.criteria),
                    format!("{}: {}", rag.as_str().to_uppercase(), reasons.join("; ")),
                ]);
                csv.push(vec![
                    learner.id.clone(),
                    learner.name.clone(),
                    framework.code.clone(),
                    framework.version.clone(),
                    group.code.clone(),
                    title,
                    t.criteria.to_string(),
                    t.evidenced.to_string(),
                    t.met.to_string(),
                    t.not_yet_met.to_string(),
                    t.draft_only.to_string(),
                    t.no_evidence.to_string(),
                    evidenced.to_string(),
                    met.to_string(),
                    rag.as_str().to_string(),
                    reasons.join("; "),
                ]);
            }
        }
    }
    progress(total, total)?;
    let mut used: Vec<String> = labels.into_values().collect();
    used.sort();
    let header = ReportHeader {
        learner: None,
        qualification: format!("{total} learner(s)"),
        frameworks: used,
        generated_at: generated_at.to_string(),
        generated_by: store.who()?.name,
        audit_head: super::common::audit_head_text(store)?,
    };
    Ok(Report {
        kind: ReportKind::Cohort,
        header,
        notices: unverified_notice(&unverified).into_iter().collect(),
        sections: vec![Section {
            heading: "Learners by unit".into(),
            lines: vec![
                "Status: red / amber / green, by the caseload's rules applied to each unit's share evidenced.".into(),
            ],
            table: Some(table),
        }],
        csv,
    })
}
