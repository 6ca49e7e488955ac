//! `evidence bundle export|import|verify|frameworks`: a portfolio as one file, to carry between a learner's
//! laptop and the centre, or to quality assurers.

use evidence_core::bundles::BundleKind;
use evidence_core::{CoreError, Store};

use crate::output::Out;
use crate::review_args::BundleCommand;

pub fn bundle(store: &mut Store, out: &Out, cmd: BundleCommand) -> Result<(), CoreError> {
    match cmd {
        BundleCommand::Export {
            learner,
            qa,
            out: file,
        } => {
            let kind = if qa {
                BundleKind::QualityAssurance
            } else {
                BundleKind::Portfolio
            };
            let done = store.export_bundle(&learner, kind, &file, &mut |_| Ok(()))?;
            out.emit(&done, || {
                format!(
                    "Wrote {}'s {} to {} ({} items, {} files, {} bytes).\nSHA-256: {}",
                    done.learner.name,
                    if qa {
                        "quality-assurance bundle"
                    } else {
                        "portfolio bundle"
                    },
                    file.display(),
                    done.items,
                    done.files,
                    done.bytes,
                    done.sha256
                )
            })
        }
        BundleCommand::Verify { file } => {
            let check = store.verify_bundle(&file)?;
            out.emit(&check, || {
                format!(
                    "{}: a valid {} bundle of {}'s portfolio ({} items, {} files, every hash as listed), made {} by {}.\nSHA-256: {}",
                    file.display(),
                    match check.kind {
                        BundleKind::Portfolio => "portfolio",
                        BundleKind::QualityAssurance => "quality-assurance",
                    },
                    check.learner_name,
                    check.items,
                    check.files,
                    check.created_at,
                    check.created_by,
                    check.sha256
                )
            })
        }
        BundleCommand::Frameworks { file, load } => {
            let mut carried = store.bundle_frameworks(&file)?;
            if load {
                for c in carried.iter_mut().filter(|c| !c.stored_here) {
                    store.import_framework(&c.doc)?;
                    c.stored_here = true;
                }
            }
            let rows: Vec<_> = carried
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "code": c.doc.code,
                        "version": c.doc.version,
                        "title": c.doc.title,
                        "criteria": c.doc.criteria.len(),
                        "stored_here": c.stored_here,
                    })
                })
                .collect();
            out.emit(&rows, || {
                let lines: Vec<String> = carried
                    .iter()
                    .map(|c| {
                        format!(
                            "{} version {} ({} criteria): {}",
                            c.doc.code,
                            c.doc.version,
                            c.doc.criteria.len(),
                            match (c.stored_here, load) {
                                (true, true) => "on this computer",
                                (true, false) => "on this computer already",
                                (false, _) => "not on this computer: load it with --load",
                            }
                        )
                    })
                    .collect();
                match lines.is_empty() {
                    true => "The bundle carries no framework files.".to_string(),
                    false => lines.join("\n"),
                }
            })
        }
        BundleCommand::Conflicts { learner } => {
            let open = store.conflicts(&learner)?;
            out.emit(&open, || {
                if open.is_empty() {
                    return "No item is waiting for a choice.".to_string();
                }
                let mut text = String::new();
                for c in &open {
                    text.push_str(&format!(
                        "E{} {} ({}): changed on both computers\n",
                        c.number, c.title, c.evidence
                    ));
                    for f in &c.fields {
                        text.push_str(&format!(
                            "  {}\n    here:  {}\n    there: {}\n",
                            f.field, f.local, f.remote
                        ));
                    }
                }
                text.trim_end().to_string()
            })
        }
        BundleCommand::Resolve { id, take_theirs } => {
            let item = store.resolve_conflict(&id, &take_theirs)?;
            out.emit(&item, || {
                format!(
                    "Resolved E{} \"{}\": now version {}{}.",
                    item.number,
                    item.title,
                    item.version,
                    if take_theirs.is_empty() {
                        String::new()
                    } else {
                        format!(", with the other computer's {}", take_theirs.join(", "))
                    }
                )
            })
        }
        BundleCommand::Import { file } => {
            let report = store.import_bundle(&file, &mut |_| Ok(()))?;
            out.emit(&report, || {
                if report.unchanged {
                    return format!("{}: nothing new; nothing was changed.", file.display());
                }
                let mut text = format!(
                    "Imported {}: {} item(s) added, {} brought up to date ({} version(s)), {} mapping(s) added, {} removed, {} file(s), {} feedback, {} judgement(s), {} signature(s), {} audit entries.",
                    file.display(),
                    report.items_added,
                    report.items_updated,
                    report.versions_added,
                    report.mappings_added,
                    report.mappings_removed,
                    report.attachments_added,
                    report.feedback_added,
                    report.judgements_added,
                    report.signatures_added,
                    report.audit_entries_added
                );
                for centre in &report.centres_trusted {
                    text.push_str(&format!(
                        "\nThis laptop now trusts {centre}: its first bundle carried its certificates."
                    ));
                }
                for n in &report.not_counted {
                    text.push_str(&format!(
                        "\nUnverified — not counted: {} {} by {}: {}",
                        n.kind.replace('_', " "),
                        n.subject,
                        n.signer_name,
                        n.reason
                    ));
                }
                for c in &report.conflicts {
                    text.push_str(&format!(
                        "\nChanged on both computers, left as it is here: {} \"{}\" ({})",
                        c.evidence,
                        c.title,
                        c.fields.join(", ")
                    ));
                }
                text
            })
        }
    }
}
