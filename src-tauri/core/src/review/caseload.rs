//! A tutor's or assessor's caseload: each learner assigned to them with a red / amber / green status
//! and the reasons for it — the share of criteria evidenced against the time elapsed towards the
//! target date, items awaiting review, items returned for changes, and the last activity.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::audit::Change;
use crate::error::{CoreError, Result};
use crate::gaps::Totals;
use crate::ids::LearnerRowId;
use crate::learners::Learner;
use crate::names::str_names;
use crate::store::access::{Actor, Need};
use crate::store::Store;
use crate::time::today;

/// Red, amber or green.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Red,
    Amber,
    Green,
}

str_names!(Rag {
    Red => "red",
    Amber => "amber",
    Green => "green",
});

/// One learner of a caseload.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct CaseloadRow {
    pub learner: Learner,
    pub totals: Totals,
    /// Evidenced criteria as a share of all, 0 to 1.
    pub share_evidenced: f64,
    /// Submitted items at a version nobody has commented on or judged yet.
    pub awaiting_review: i64,
    /// Items returned to the learner and not yet resubmitted.
    pub changes_requested: i64,
    pub last_activity: Option<String>,
    pub target_date: Option<String>,
    pub rag: Rag,
    /// Why the status is what it is, in words.
    pub reasons: Vec<String>,
}

/// The facts the status is decided on.
#[derive(Debug, Clone, Copy)]
pub struct CaseFacts {
    pub share: f64,
    pub awaiting_review: i64,
    pub changes_requested: i64,
    pub idle_days: Option<i64>,
    pub started: Option<NaiveDate>,
    pub target: Option<NaiveDate>,
    pub today: NaiveDate,
}

/// Red, amber or green with its reasons: red when the target has passed with criteria open, when the
/// share evidenced trails the time elapsed by more than a quarter, or after 60 days without activity;
/// amber when it trails at all, when anything awaits review or changes, after 30 quiet days, or
/// (without a target) while under half is evidenced.
pub fn rag_of(f: &CaseFacts) -> (Rag, Vec<String>) {
    let mut red = Vec::new();
    let mut amber = Vec::new();
    let pct = |x: f64| (x * 100.0).round();
    match (f.started, f.target) {
        (_, Some(target)) if f.today > target && f.share < 1.0 => {
            red.push(format!(
                "the target date {target} has passed with {}% evidenced",
                pct(f.share)
            ));
        }
        (Some(start), Some(target)) if target > start => {
            let elapsed = ((f.today - start).num_days() as f64
                / (target - start).num_days() as f64)
                .clamp(0.0, 1.0);
            let behind = elapsed - f.share;
            if behind > 0.25 {
                red.push(format!(
                    "{}% evidenced with {}% of the time to the target gone",
                    pct(f.share),
                    pct(elapsed)
                ));
            } else if behind > 0.0 {
                amber.push(format!(
                    "{}% evidenced with {}% of the time to the target gone",
                    pct(f.share),
                    pct(elapsed)
                ));
            }
        }
        (_, None) if f.share < 0.5 => amber.push(format!(
            "{}% evidenced and no target date set",
            pct(f.share)
        )),
        _ => {}
    }
    match f.idle_days {
        Some(days) if days > 60 => red.push(format!("no activity for {days} days")),
        Some(days) if days > 30 => amber.push(format!("no activity for {days} days")),
        None => amber.push("no evidence recorded yet".into()),
        _ => {}
    }
    if f.awaiting_review > 0 {
        amber.push(format!("{} item(s) awaiting review", f.awaiting_review));
    }
    if f.changes_requested > 0 {
        amber.push(format!(
            "{} item(s) returned for changes",
            f.changes_requested
        ));
    }
    if !red.is_empty() {
        red.extend(amber);
        (Rag::Red, red)
    } else if !amber.is_empty() {
        (Rag::Amber, amber)
    } else {
        (Rag::Green, vec!["on track".into()])
    }
}

impl Store {
    /// The learners the acting user is assigned to (everyone, on a portfolio without accounts), each
    /// with a red / amber / green status, most urgent first.
    pub fn caseload(&self) -> Result<Vec<CaseloadRow>> {
        // Whom the acting user is assigned to is about themselves: anyone signed in may ask.
        let allowed = self.acting()?;
        let learners: Vec<LearnerRowId> = match self.actor()? {
            Actor::Owner => self
                .read(&allowed)
                .prepare("SELECT id FROM learners WHERE is_sample = 0")?
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
            Actor::User(user) => self
                .read(&allowed)
                .prepare(
                    "SELECT DISTINCT a.learner_id FROM assignments a
                     JOIN user_roles r ON r.user_id = a.user_id AND r.role = a.role WHERE a.user_id = ?1",
                )?
                .query_map([user.row_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
        };
        let mut rows = Vec::new();
        for row in learners {
            let (learner, allowed) = self.require_learner_row(row, Need::Read)?;
            let gaps = self.gaps(&learner.learner.id, None)?;
            let (awaiting, returned, last, started, target): (i64, i64, Option<String>, Option<String>, Option<String>) =
                self.read(&allowed).query_row(
                    "SELECT
                       (SELECT count(*) FROM evidence e WHERE e.learner_id = ?1 AND e.submitted = 1
                          AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.evidence_id = e.id AND f.on_version = e.version)
                          AND NOT EXISTS (SELECT 1 FROM judgement_evidence j WHERE j.evidence_id = e.id AND j.evidence_version = e.version)),
                       (SELECT count(*) FROM evidence WHERE learner_id = ?1 AND changes_requested = 1),
                       (SELECT max(updated_at) FROM evidence WHERE learner_id = ?1),
                       (SELECT min(enrolled_at) FROM enrolments WHERE learner_id = ?1),
                       (SELECT target_date FROM learners WHERE id = ?1)",
                    [row],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
                )?;
            let day_of = |t: &Option<String>| {
                t.as_deref()
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .map(|d| d.with_timezone(&Utc).date_naive())
            };
            let totals = gaps.totals;
            let share = if totals.criteria == 0 {
                0.0
            } else {
                totals.evidenced as f64 / totals.criteria as f64
            };
            let facts = CaseFacts {
                share,
                awaiting_review: awaiting,
                changes_requested: returned,
                idle_days: day_of(&last).map(|d| (today() - d).num_days()),
                started: day_of(&started),
                target: target
                    .as_deref()
                    .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()),
                today: today(),
            };
            let (rag, reasons) = rag_of(&facts);
            rows.push(CaseloadRow {
                learner: learner.learner,
                totals,
                share_evidenced: share,
                awaiting_review: awaiting,
                changes_requested: returned,
                last_activity: last,
                target_date: target,
                rag,
                reasons,
            });
        }
        rows.sort_by(|a, b| {
            a.rag
                .cmp(&b.rag)
                .then(a.share_evidenced.total_cmp(&b.share_evidenced))
        });
        Ok(rows)
    }

    /// Sets (or clears) the date a learner aims to complete by: their tutor, an administrator, or the
    /// learner themselves.
    pub fn set_target_date(&mut self, learner: &str, date: Option<NaiveDate>) -> Result<()> {
        let learner = self.learner_row(learner)?;
        let allowed = self.require_portfolio(&learner, Need::Enrol)?;
        if date.is_some_and(|d| d < today() - chrono::Duration::days(3650)) {
            return Err(CoreError::invalid(
                "the target date is more than ten years ago",
            ));
        }
        let text = date.map(|d| d.format("%Y-%m-%d").to_string());
        self.write(&allowed, |tx, audit| {
            tx.execute(
                "UPDATE learners SET target_date = ?2 WHERE id = ?1",
                params![learner.row_id, text],
            )?;
            audit.record(
                Change::new("target_date_set", format!("learner:{}", learner.learner.id))
                    .learner(&learner.learner.id)
                    .after(text.clone().unwrap_or_else(|| "none".into())),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(share: f64) -> CaseFacts {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        CaseFacts {
            share,
            awaiting_review: 0,
            changes_requested: 0,
            idle_days: Some(3),
            started: Some(d("2026-01-01")),
            target: Some(d("2027-01-01")),
            today: d("2026-07-02"),
        }
    }

    #[test]
    fn the_status_follows_progress_against_time() {
        // Half the time gone.
        assert_eq!(rag_of(&facts(0.6)).0, Rag::Green);
        assert_eq!(rag_of(&facts(0.4)).0, Rag::Amber);
        assert_eq!(rag_of(&facts(0.2)).0, Rag::Red);
        let late = CaseFacts {
            today: facts(0.9).target.unwrap() + chrono::Duration::days(1),
            ..facts(0.9)
        };
        let (rag, reasons) = rag_of(&late);
        assert_eq!(rag, Rag::Red);
        assert!(reasons[0].contains("has passed"), "{reasons:?}");
        assert_eq!(
            rag_of(&CaseFacts {
                target: None,
                ..facts(1.0)
            })
            .0,
            Rag::Green
        );
    }

    #[test]
    fn waiting_work_and_silence_raise_the_status() {
        assert_eq!(
            rag_of(&CaseFacts {
                awaiting_review: 2,
                ..facts(0.9)
            })
            .0,
            Rag::Amber
        );
        assert_eq!(
            rag_of(&CaseFacts {
                changes_requested: 1,
                ..facts(0.9)
            })
            .0,
            Rag::Amber
        );
        assert_eq!(
            rag_of(&CaseFacts {
                idle_days: Some(45),
                ..facts(0.9)
            })
            .0,
            Rag::Amber
        );
        assert_eq!(
            rag_of(&CaseFacts {
                idle_days: Some(90),
                ..facts(0.9)
            })
            .0,
            Rag::Red
        );
        assert_eq!(
            rag_of(&CaseFacts {
                idle_days: None,
                ..facts(0.9)
            })
            .0,
            Rag::Amber
        );
    }
}
