//! Learners, enrolments, evidence items, attachments, mapping and search.

use std::io::Read;
use std::path::Path;

use evidence_core::error::ErrorCode;
use evidence_core::evidence::{
    parse_activity_date, Evidence, EvidenceEdit, EvidenceFilter, Method, NewEvidence, Status,
    Witness,
};
use evidence_core::service::Portfolio;
use evidence_core::{CoreError, CriterionRef};

use super::parse_refs;
use crate::args::{AddArgs, BodyArgs, EditArgs, LearnersCommand, ListArgs};
use crate::output::{clip, table, Out};

pub fn learners(
    store: &mut impl Portfolio,
    out: &Out,
    command: LearnersCommand,
) -> Result<(), CoreError> {
    match command {
        LearnersCommand::Add { name, email } => {
            let learner = store.add_learner(&name, email.as_deref())?;
            out.emit(&learner, || {
                format!("Added learner {} ({}).", learner.name, learner.id)
            })
        }
        LearnersCommand::List => {
            // Administrators see every learner (to manage accounts); others, the portfolios they may read.
            let learners = match store.list_all_learners() {
                Err(e) if e.error_code() == ErrorCode::Forbidden => store.list_learners()?,
                other => other?,
            };
            out.emit(&learners, || {
                if learners.is_empty() {
                    return "No learners yet. Add one with: evidence learners add \"NAME\"".into();
                }
                let rows: Vec<Vec<String>> = learners
                    .iter()
                    .map(|l| {
                        vec![
                            l.id.clone(),
                            l.name.clone(),
                            l.email.clone().unwrap_or_default(),
                        ]
                    })
                    .collect();
                table(&["ID", "NAME", "EMAIL"], &rows)
            })
        }
        LearnersCommand::Show { learner } => {
            let found = store.learner(&learner)?;
            let enrolments = store.enrolments(&found.id)?;
            let value = serde_json::json!({ "learner": found, "enrolments": enrolments });
            out.emit(&value, || {
                let mut text = format!("{} ({})", found.name, found.id);
                if enrolments.is_empty() {
                    text.push_str(
                        "\nNot enrolled yet. Enrol with: evidence enrol --learner ID FRAMEWORK",
                    );
                }
                for e in &enrolments {
                    let units = if e.units.is_empty() {
                        "all units".to_string()
                    } else {
                        e.units.join(", ")
                    };
                    text.push_str(&format!("\n  enrolled on {} ({units})", e.framework));
                }
                text
            })
        }
    }
}

pub fn enrol(
    store: &mut impl Portfolio,
    out: &Out,
    learner: &str,
    framework: &str,
    units: &[String],
) -> Result<(), CoreError> {
    let enrolment = store.enrol(learner, framework, units)?;
    out.emit(&enrolment, || {
        let units = if enrolment.units.is_empty() {
            "all units".into()
        } else {
            enrolment.units.join(", ")
        };
        format!("Enrolled on {} ({units}).", enrolment.framework)
    })
}

pub fn unenrol(
    store: &mut impl Portfolio,
    out: &Out,
    learner: &str,
    framework: &str,
) -> Result<(), CoreError> {
    store.unenrol(learner, framework)?;
    out.emit(&serde_json::json!({ "unenrolled": framework }), || {
        format!("Unenrolled from {framework}; evidence and mappings are kept.")
    })
}

fn parse_method(value: &str) -> Result<Method, CoreError> {
    Method::parse(value).ok_or_else(|| {
        CoreError::InvalidInput(format!(
            "unknown method {value:?}; use one of {}",
            Method::names()
        ))
    })
}

fn parse_status(value: &str) -> Result<Status, CoreError> {
    Status::parse(value).ok_or_else(|| {
        CoreError::InvalidInput(format!("unknown status {value:?}; use draft or submitted"))
    })
}

fn read_body(body: BodyArgs) -> Result<Option<String>, CoreError> {
    if let Some(text) = body.body {
        return Ok(Some(text));
    }
    let Some(path) = body.body_file else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    let read = if path == Path::new("-") {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(&path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map(|_| ())
    };
    read.map_err(|e| CoreError::InvalidInput(format!("cannot read {}: {e}", path.display())))?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| CoreError::InvalidInput(format!("{} is not UTF-8 text", path.display())))
}

pub fn add(store: &mut impl Portfolio, out: &Out, args: AddArgs) -> Result<(), CoreError> {
    let new = NewEvidence {
        learner: args.learner,
        title: args.title,
        method: parse_method(&args.method)?,
        activity_date: parse_activity_date(&args.date)?,
        body_markdown: read_body(args.body)?.unwrap_or_default(),
        status: if args.submit {
            Status::Submitted
        } else {
            Status::Draft
        },
        witness: Witness {
            name: args.witness.witness_name.unwrap_or_default(),
            role: args.witness.witness_role.unwrap_or_default(),
            relationship: args.witness.witness_relationship.unwrap_or_default(),
        },
    };
    let item = store.add_evidence(&new)?;
    out.emit(&item, || {
        format!(
            "Recorded evidence E{} {} ({}, {}).",
            item.number, item.id, item.title, item.status
        )
    })
}

pub fn edit(store: &mut impl Portfolio, out: &Out, args: EditArgs) -> Result<(), CoreError> {
    let edit = EvidenceEdit {
        title: args.title,
        method: args.method.as_deref().map(parse_method).transpose()?,
        activity_date: args.date.as_deref().map(parse_activity_date).transpose()?,
        body_markdown: read_body(args.body)?,
        status: args.status.as_deref().map(parse_status).transpose()?,
        witness_name: args.witness.witness_name,
        witness_role: args.witness.witness_role,
        witness_relationship: args.witness.witness_relationship,
    };
    let item = store.edit_evidence(&args.id, &edit)?;
    out.emit(&item, || {
        format!(
            "Saved E{} {} as version {}.",
            item.number, item.id, item.version
        )
    })
}

pub fn show(
    store: &mut impl Portfolio,
    out: &Out,
    id: &str,
    versions: bool,
    html: bool,
) -> Result<(), CoreError> {
    let item = store.evidence(id)?;
    if versions {
        let history = store.evidence_versions(id)?;
        let value = serde_json::json!({ "evidence": item, "versions": history });
        return out.emit(&value, || {
            let mut text = describe(&item, html);
            text.push_str("\n\nVersions:");
            for v in &history {
                text.push_str(&format!(
                    "\n  v{} {} {} [{}] {}",
                    v.version,
                    v.saved_at,
                    v.title,
                    v.status,
                    clip(&v.body_markdown, 60)
                ));
            }
            text
        });
    }
    out.emit(&item, || describe(&item, html))
}

fn describe(item: &Evidence, html: bool) -> String {
    let mut text = format!(
        "E{} {}\n{}\nMethod: {}   Activity: {}   Status: {}   Version: {}\nRecorded: {}   Updated: {}\n",
        item.number, item.id, item.title, item.method, item.activity_date, item.status, item.version, item.recorded_at, item.updated_at
    );
    if item.method.takes_witness() {
        let w = &item.witness;
        let shown = |v: &str| {
            if v.is_empty() {
                "(not recorded)".to_string()
            } else {
                v.to_string()
            }
        };
        text.push_str(&format!(
            "Witness: {}   Role: {}   Relationship to learner: {}\n",
            shown(&w.name),
            shown(&w.role),
            shown(&w.relationship)
        ));
    }
    text.push('\n');
    text.push_str(if html {
        &item.body_html
    } else {
        &item.body_markdown
    });
    text.push('\n');
    if !item.attachments.is_empty() {
        text.push_str("\nAttachments:");
        for a in &item.attachments {
            text.push_str(&format!(
                "\n  {} ({}, {} bytes) sha256:{}",
                a.file_name, a.media_type, a.size, a.sha256
            ));
        }
    }
    if item.mappings.is_empty() {
        text.push_str(
            "\nNot mapped to any criterion yet. Map it with: evidence map ID FRAMEWORK:CODE …",
        );
    } else {
        text.push_str("\nMapped to:");
        for m in &item.mappings {
            let retired = if m.current {
                String::new()
            } else {
                format!(" (version {} only; no longer current)", m.framework_version)
            };
            let note = if m.note.is_empty() {
                String::new()
            } else {
                format!(" — {}", m.note)
            };
            text.push_str(&format!(
                "\n  {}{retired}  {}{note}",
                m.reference,
                clip(&m.text, 70)
            ));
        }
    }
    text
}

pub fn list(store: &mut impl Portfolio, out: &Out, args: ListArgs) -> Result<(), CoreError> {
    let filter = EvidenceFilter {
        method: args.method.as_deref().map(parse_method).transpose()?,
        status: args.status.as_deref().map(parse_status).transpose()?,
        criterion: args
            .criterion
            .as_deref()
            .map(CriterionRef::parse)
            .transpose()?,
        from: args.from.as_deref().map(parse_activity_date).transpose()?,
        to: args.to.as_deref().map(parse_activity_date).transpose()?,
    };
    let items = store.list_evidence(&args.learner, &filter)?;
    out.emit(&items, || {
        if items.is_empty() {
            return "No evidence matches. Record some with: evidence add --learner … --title … --method … --date …".into();
        }
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|e| {
                vec![
                    format!("E{}", e.number),
                    e.id.clone(),
                    e.activity_date.clone(),
                    e.status.to_string(),
                    e.method.to_string(),
                    e.criteria.len().to_string(),
                    clip(&e.title, 50),
                ]
            })
            .collect();
        table(&["NO", "ID", "DATE", "STATUS", "METHOD", "CRITERIA", "TITLE"], &rows)
    })
}

pub fn attach(
    store: &mut impl Portfolio,
    out: &Out,
    id: &str,
    file: &Path,
) -> Result<(), CoreError> {
    let attachment = store.attach(id, file)?;
    out.emit(&attachment, || {
        format!(
            "Attached {} ({}, {} bytes, sha256 {}).",
            attachment.file_name, attachment.media_type, attachment.size, attachment.sha256
        )
    })
}

pub fn map(
    store: &mut impl Portfolio,
    out: &Out,
    id: &str,
    criteria: &[String],
    note: Option<&str>,
) -> Result<(), CoreError> {
    let refs = parse_refs(criteria)?;
    let report = store.map_evidence(id, &refs, note)?;
    out.emit(&report, || {
        let join = |refs: &[CriterionRef]| refs.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        let mut text = String::new();
        if !report.mapped.is_empty() {
            text.push_str(&format!("Mapped to {}.", join(&report.mapped)));
        }
        if !report.already_mapped.is_empty() {
            text.push_str(&format!("\nAlready mapped: {}.", join(&report.already_mapped)));
        }
        if !report.outside_enrolments.is_empty() {
            text.push_str(&format!(
                "\nNote: the learner is not enrolled on the framework of {}; these do not count in their gaps.",
                join(&report.outside_enrolments)
            ));
        }
        if !report.suggestions.is_empty() {
            text.push_str("\nThe crosswalk suggests also:");
            for s in &report.suggestions {
                text.push_str(&format!("\n  {}  {}", s.reference, clip(&s.text, 80)));
            }
        }
        text.trim_start().to_string()
    })
}

pub fn unmap(
    store: &mut impl Portfolio,
    out: &Out,
    id: &str,
    criteria: &[String],
) -> Result<(), CoreError> {
    let refs = parse_refs(criteria)?;
    store.unmap_evidence(id, &refs)?;
    out.emit(&serde_json::json!({ "unmapped": refs }), || {
        format!("Removed {} mapping(s).", refs.len())
    })
}

pub fn search(
    store: &mut impl Portfolio,
    out: &Out,
    text: &str,
    learner: Option<&str>,
    limit: usize,
) -> Result<(), CoreError> {
    let hits = store.search_evidence(text, learner, limit)?;
    out.emit(&hits, || {
        if hits.is_empty() {
            return format!("No evidence mentions {text:?}.");
        }
        let rows: Vec<Vec<String>> = hits
            .iter()
            .map(|h| {
                vec![
                    format!("E{}", h.number),
                    h.id.clone(),
                    clip(&h.title, 40),
                    clip(&h.snippet, 70),
                ]
            })
            .collect();
        table(&["NO", "ID", "TITLE", "MATCH"], &rows)
    })
}
