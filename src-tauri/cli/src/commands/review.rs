//! Feedback, judgements, unit sign-off, declarations, signatures and version differences.

use evidence_core::evidence::VersionNumber;
use evidence_core::review::{Outcome, Signature};
use evidence_core::{CoreError, CriterionRef, Store};

use crate::output::{table, Out};
use crate::review_args::{FeedbackCommand, JudgeArgs};

fn signature_line(s: &Signature) -> String {
    format!(
        "{} by {} at {}, sha256 {}, {}{}{}",
        s.kind.as_str().replace('_', " "),
        s.signer_name,
        s.signed_at,
        s.content_hash,
        match (&s.key_id, &s.certified_by) {
            (Some(key), Some(centre)) => format!("signed with key {key}, certified by {centre}"),
            (Some(key), None) =>
                format!("signed with key {key}, not certified by a trusted centre"),
            (None, _) => "legacy, not key-signed".to_string(),
        },
        if s.matches {
            ""
        } else {
            " — NO LONGER MATCHES the portfolio"
        },
        match &s.not_counted {
            Some(why) => format!(" — UNVERIFIED, NOT COUNTED: {why}"),
            None => String::new(),
        }
    )
}

pub fn feedback(store: &mut Store, out: &Out, command: FeedbackCommand) -> Result<(), CoreError> {
    match command {
        FeedbackCommand::Add {
            id,
            text,
            request_changes,
        } => {
            let added = store.add_feedback(&id, &text, request_changes)?;
            out.emit(&added, || {
                if added.requests_changes {
                    format!(
                        "Returned for changes (on version {}): {}",
                        added.on_version, added.body
                    )
                } else {
                    format!("Comment added (on version {}).", added.on_version)
                }
            })
        }
        FeedbackCommand::List { id } => {
            let thread = store.feedback(&id)?;
            out.emit(&thread, || {
                if thread.is_empty() {
                    return "No feedback yet.".into();
                }
                thread
                    .iter()
                    .map(|f| {
                        let flag = if f.requests_changes {
                            " [changes requested]"
                        } else {
                            ""
                        };
                        format!(
                            "{} — {} on v{}{flag}:\n  {}",
                            f.created_at, f.author_name, f.on_version, f.body
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}

pub fn judge(store: &mut Store, out: &Out, args: JudgeArgs) -> Result<(), CoreError> {
    let outcome = if args.met {
        Outcome::Met
    } else {
        Outcome::NotYetMet
    };
    let criterion = CriterionRef::parse(&args.criterion)?;
    let judged = store.judge(
        &args.learner,
        &criterion,
        outcome,
        &args.comment,
        &args.evidence,
    )?;
    out.emit(&judged, || {
        format!(
            "{} {}. Signed: {}",
            judged.reference,
            judged.outcome.as_str().replace('_', " "),
            signature_line(&judged.signature)
        )
    })
}

pub fn judgements(store: &Store, out: &Out, learner: &str) -> Result<(), CoreError> {
    let list = store.judgements(learner)?;
    out.emit(&list, || {
        if list.is_empty() {
            return "No judgements yet.".into();
        }
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|j| {
                vec![
                    j.reference.to_string(),
                    j.outcome.as_str().replace('_', " "),
                    j.assessor_name.clone(),
                    j.judged_at.clone(),
                    j.evidence
                        .iter()
                        .map(|e| format!("E{} v{}", e.number, e.version))
                        .collect::<Vec<_>>()
                        .join(" "),
                    if j.signature.matches { "yes" } else { "NO" }.into(),
                ]
            })
            .collect();
        table(
            &[
                "CRITERION",
                "OUTCOME",
                "ASSESSOR",
                "WHEN",
                "EVIDENCE",
                "SIGNATURE MATCHES",
            ],
            &rows,
        )
    })
}

pub fn sign_off(
    store: &mut Store,
    out: &Out,
    learner: &str,
    framework: &str,
    unit: &str,
) -> Result<(), CoreError> {
    let done = store.sign_off_unit(learner, framework, unit)?;
    out.emit(&done, || {
        format!(
            "Unit {}:{} signed off: {}",
            done.framework,
            done.unit,
            signature_line(&done.signature)
        )
    })
}

pub fn declare(store: &mut Store, out: &Out, id: &str) -> Result<(), CoreError> {
    let signed = store.declare(id)?;
    out.emit(&signed, || {
        format!(
            "Declared: \"{}\" {}",
            evidence_core::review::DECLARATION,
            signature_line(&signed)
        )
    })
}

pub fn signatures(store: &Store, out: &Out, learner: &str) -> Result<(), CoreError> {
    let list = store.signatures(learner)?;
    out.emit(&list, || {
        if list.is_empty() {
            return "No signatures yet.".into();
        }
        list.iter()
            .map(|s| format!("{}: {}", s.subject, signature_line(s)))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

pub fn diff(store: &Store, out: &Out, id: &str, from: i64, to: i64) -> Result<(), CoreError> {
    let diff = store.evidence_diff(id, VersionNumber::new(from), VersionNumber::new(to))?;
    out.emit(&diff, || {
        let mut text = format!("Version {from} → {to}:");
        for f in &diff.fields {
            text.push_str(&format!("\n  {}: {} → {}", f.field, f.before, f.after));
        }
        if diff.body.is_empty() {
            text.push_str("\n  body unchanged");
        }
        for line in &diff.body {
            let mark = match line.change.as_str() {
                "added" => '+',
                "removed" => '-',
                _ => ' ',
            };
            text.push_str(&format!("\n  {mark} {}", line.text));
        }
        text
    })
}

pub fn caseload(store: &Store, out: &Out) -> Result<(), CoreError> {
    let rows = store.caseload()?;
    out.emit(&rows, || {
        if rows.is_empty() {
            return "No learners are assigned to you.".into();
        }
        let lines: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                vec![
                    r.rag.as_str().to_uppercase(),
                    r.learner.name.clone(),
                    format!("{}/{}", r.totals.evidenced, r.totals.criteria),
                    r.awaiting_review.to_string(),
                    r.last_activity.clone().unwrap_or_else(|| "-".into()),
                    r.target_date.clone().unwrap_or_else(|| "-".into()),
                    r.reasons.join("; "),
                ]
            })
            .collect();
        table(
            &[
                "STATUS",
                "LEARNER",
                "EVIDENCED",
                "AWAITING REVIEW",
                "LAST ACTIVITY",
                "TARGET",
                "WHY",
            ],
            &lines,
        )
    })
}

pub fn target_date(
    store: &mut Store,
    out: &Out,
    learner: &str,
    date: &str,
) -> Result<(), CoreError> {
    let parsed = match date.trim() {
        "none" => None,
        text => Some(evidence_core::time::parse_date("target date", text)?),
    };
    store.set_target_date(learner, parsed)?;
    out.emit(
        &serde_json::json!({ "learner": learner, "target_date": parsed.map(|d| d.to_string()) }),
        || match parsed {
            Some(d) => format!("Target date set to {d}."),
            None => "Target date cleared.".into(),
        },
    )
}

/// Prints the readiness report; when anything blocks, fails afterwards with `not_ready` (exit 1).
pub fn readiness(
    store: &Store,
    out: &Out,
    learner: &str,
    unit: Option<&str>,
) -> Result<(), CoreError> {
    let report = store.readiness(learner, unit)?;
    out.emit(&report, || {
        let scope = report
            .unit
            .as_deref()
            .map(|u| format!(" (unit {u})"))
            .unwrap_or_default();
        if report.ready {
            return format!(
                "{}{scope}: ready to submit — {} criteria, nothing blocks.",
                report.learner.name, report.criteria
            );
        }
        let mut text = format!(
            "{}{scope}: NOT ready — {} blocker(s) in {} criteria:",
            report.learner.name,
            report.blockers.len(),
            report.criteria
        );
        for b in &report.blockers {
            text.push_str(&format!(
                "\n  [{}] {} → {}",
                b.rule.as_str(),
                b.message,
                b.fix
            ));
        }
        text
    })?;
    if report.ready {
        Ok(())
    } else {
        Err(CoreError::NotReady(report.blockers.len()))
    }
}
