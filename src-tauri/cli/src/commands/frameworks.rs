//! `evidence frameworks …`: list, show, import (native TOML or Moodle CSV), export, crosswalk.

use std::path::Path;

use evidence_core::frameworks::detect::{self, FileFormat};
use evidence_core::frameworks::moodle_csv::{self, MoodleImportOptions};
use evidence_core::frameworks::spec_text::{self, SpecMeta};
use evidence_core::frameworks::{
    crosswalk, native, AlteredCriterion, CriterionKind, FrameworkKind, ImportOutcome,
    ImportPreview, ImportReport,
};
use evidence_core::{CoreError, CriterionRef, Store};

use super::write_text;
use crate::args::FrameworksCommand;
use crate::output::{clip, table, Out};

pub fn run(store: &mut Store, out: &Out, command: FrameworksCommand) -> Result<(), CoreError> {
    match command {
        FrameworksCommand::List { all_versions } => list(store, out, all_versions),
        FrameworksCommand::Show { code, version } => show(store, out, &code, version.as_deref()),
        FrameworksCommand::Import {
            file,
            dry_run,
            moodle_csv,
            version,
            kind,
            criterion_kind,
        } => {
            let bytes = read_file(&file)?;
            let format = match moodle_csv {
                true => FileFormat::MoodleCsv,
                false => detect::detect(&bytes)?,
            };
            let doc = match format {
                FileFormat::Native => native::parse(&bytes)?,
                FileFormat::MoodleCsv => {
                    let options = moodle_options(&file, version, &kind, &criterion_kind)?;
                    moodle_csv::parse(&bytes, &options)?
                }
                FileFormat::SpecificationText => {
                    return Err(CoreError::InvalidFramework(format!(
                        "{} is neither a framework file nor a Moodle CSV: if it is text copied from a specification, make a draft with `evidence frameworks from-text {} --code CODE --title TITLE --version VERSION --out draft.toml`, check it, and import the draft",
                        file.display(),
                        file.display()
                    )))
                }
            };
            if dry_run {
                let preview = store.preview_framework_import(&doc)?;
                return out.emit(&preview, || describe_preview(&preview));
            }
            let report = store.import_framework(&doc)?;
            out.emit(&report, || describe_import(&report))
        }
        FrameworksCommand::FromText {
            file,
            code,
            title,
            version,
            kind,
            out: draft_file,
        } => {
            let bytes = read_file(&file)?;
            let text = native::decode_text(&bytes)?;
            let meta = SpecMeta {
                code,
                title,
                version,
                kind: parse_kind(&kind)?,
                source: format!("Copied from the specification text in {}", file_name(&file)),
            };
            let draft = spec_text::parse(text, &meta)?;
            for line in &draft.unplaced {
                let text = crate::output::printable(&line.text, crate::output::Escape::Text);
                eprintln!("line {}: {} — {text}", line.line, line.reason);
            }
            write_text(out, draft_file.as_deref(), &native::write(&draft.doc)?)
        }
        FrameworksCommand::ImportCrosswalk { file } => {
            let doc = crosswalk::parse(&read_file(&file)?)?;
            let added = store.import_crosswalk(&doc)?;
            out.emit(&serde_json::json!({ "links_added": added }), || {
                format!("Added {added} crosswalk links.")
            })
        }
        FrameworksCommand::Export {
            code,
            version,
            out: file,
        } => {
            let doc = store.framework(&code, version.as_deref())?;
            write_text(out, file.as_deref(), &native::write(&doc)?)
        }
        FrameworksCommand::Crosswalk { criterion } => {
            let reference = CriterionRef::parse(&criterion)?;
            store.criterion(&reference)?;
            let suggestions = store.crosswalk_suggestions(&reference)?;
            out.emit(&suggestions, || {
                if suggestions.is_empty() {
                    return format!("No crosswalk links for {reference}.");
                }
                let rows: Vec<Vec<String>> = suggestions
                    .iter()
                    .map(|s| vec![s.reference.to_string(), clip(&s.text, 90)])
                    .collect();
                table(&["LINKED CRITERION", "TEXT"], &rows)
            })
        }
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, CoreError> {
    std::fs::read(path)
        .map_err(|e| CoreError::InvalidInput(format!("cannot read {}: {e}", path.display())))
}

fn list(store: &Store, out: &Out, all_versions: bool) -> Result<(), CoreError> {
    let frameworks = store.list_frameworks(all_versions)?;
    out.emit(&frameworks, || {
        let rows: Vec<Vec<String>> = frameworks
            .iter()
            .map(|f| {
                vec![
                    f.code.clone(),
                    f.version.clone(),
                    f.kind.to_string(),
                    f.criteria.to_string(),
                    match (f.verified, f.current) {
                        (true, true) => "verified".into(),
                        (false, true) => "UNVERIFIED".into(),
                        (_, false) => "old version".into(),
                    },
                    clip(&f.title, 60),
                ]
            })
            .collect();
        table(
            &["CODE", "VERSION", "KIND", "CRITERIA", "TEXT", "TITLE"],
            &rows,
        )
    })
}

fn show(store: &Store, out: &Out, code: &str, version: Option<&str>) -> Result<(), CoreError> {
    let doc = store.framework(code, version)?;
    out.emit(&doc, || {
        let mut text = format!("{} — {} (version {}, {})\n", doc.code, doc.title, doc.version, doc.kind);
        if !doc.verified {
            text.push_str("UNVERIFIED: this text has not been confirmed against the official specification.\n");
        }
        text.push_str(&format!("Source: {}\n", clip(&doc.source, 200)));
        for group in &doc.groups {
            let indent = "  ".repeat(depth(&doc, group.parent.as_deref()));
            text.push_str(&format!("\n{indent}{} {} ({})", group.code, group.title, group.kind));
            for criterion in doc.criteria.iter().filter(|c| c.group.as_deref() == Some(group.code.as_str())) {
                text.push_str(&format!("\n{indent}  {}:{}  {}", doc.code, criterion.code, criterion.text));
            }
        }
        for criterion in doc.criteria.iter().filter(|c| c.group.is_none()) {
            text.push_str(&format!("\n{}:{}  {}", doc.code, criterion.code, criterion.text));
        }
        text
    })
}

/// How many ancestors a group with this parent has.
fn depth(doc: &evidence_core::frameworks::FrameworkDoc, parent: Option<&str>) -> usize {
    let mut depth = 0;
    let mut at = parent;
    while let Some(code) = at {
        depth += 1;
        if depth > doc.groups.len() {
            break;
        }
        at = doc
            .groups
            .iter()
            .find(|g| g.code == code)
            .and_then(|g| g.parent.as_deref());
    }
    depth
}

fn parse_kind(kind: &str) -> Result<FrameworkKind, CoreError> {
    FrameworkKind::parse(kind).ok_or_else(|| {
        CoreError::InvalidInput(format!(
            "unknown framework kind {kind:?}; use one of {}",
            FrameworkKind::names()
        ))
    })
}

/// The file name only: the source is part of the framework's content, so the same file imported
/// from another folder must still be recognised as unchanged.
fn file_name(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string())
}

fn moodle_options(
    file: &Path,
    version: String,
    kind: &str,
    criterion_kind: &str,
) -> Result<MoodleImportOptions, CoreError> {
    Ok(MoodleImportOptions {
        version,
        kind: parse_kind(kind)?,
        criterion_kind: CriterionKind::parse(criterion_kind).ok_or_else(|| {
            CoreError::InvalidInput(format!(
                "unknown criterion kind {criterion_kind:?}; use one of {}",
                CriterionKind::names()
            ))
        })?,
        source: format!("Moodle competency framework CSV: {}", file_name(file)),
    })
}

/// The dry run's text: what would change, then each learner's portfolio.
fn describe_preview(preview: &ImportPreview) -> String {
    let mut text = match (&preview.refused, preview.outcome) {
        (Some(reason), _) => format!("Would be refused: {reason}."),
        (None, ImportOutcome::Unchanged) => format!(
            "{} version {} is already stored with exactly this content; importing changes nothing.",
            preview.framework, preview.version
        ),
        (None, ImportOutcome::Added) => format!(
            "Would add {} version {}: {} groups, {} criteria.",
            preview.framework, preview.version, preview.groups, preview.criteria
        ),
        (None, ImportOutcome::NewVersion) => format!(
            "Would make {} version {} current in place of version {} ({} criteria).",
            preview.framework,
            preview.version,
            preview.previous_version.as_deref().unwrap_or("?"),
            preview.criteria
        ),
    };
    if preview.outcome == ImportOutcome::NewVersion {
        for added in &preview.added {
            text.push_str(&format!(
                "\nADDED {}: {}",
                added.reference,
                clip(&added.text, 80)
            ));
        }
        let altered = |label: &str, c: &AlteredCriterion, rest: String| {
            format!(
                "\n{label} {} ({}, {} judged{rest}",
                c.reference,
                mappings(c.mappings),
                c.judgements
            )
        };
        for removed in &preview.removed {
            let rest = format!("): {}", clip(&removed.old_text, 80));
            text.push_str(&altered("REMOVED", removed, rest));
        }
        for reworded in &preview.reworded {
            let rest = format!(
                " — judgements to re-check):\n  was: {}\n  now: {}",
                clip(&reworded.old_text, 100),
                clip(&reworded.new_text, 100)
            );
            text.push_str(&altered("REWORDED", reworded, rest));
        }
    }
    for learner in &preview.learners {
        text.push_str(&format!(
            "\n{}: {} carried over, {} on removed criteria; {} judgements carried, {} to re-check{}, {} on removed criteria",
            learner.name,
            mappings(learner.mappings_carried),
            learner.mappings_on_removed,
            learner.judgements_carried,
            learner.judgements_to_recheck.len(),
            match learner.judgements_to_recheck.is_empty() {
                true => String::new(),
                false => format!(" ({})", learner.judgements_to_recheck.join(", ")),
            },
            learner.judgements_on_removed.len()
        ));
    }
    text.push_str("\nNothing was written (--dry-run).");
    text
}

fn describe_import(report: &ImportReport) -> String {
    let mut text = match report.outcome {
        ImportOutcome::Added => format!(
            "Imported {} version {}: {} groups, {} criteria.",
            report.framework, report.version, report.groups, report.criteria
        ),
        ImportOutcome::Unchanged => format!(
            "{} version {} is already stored with exactly this content; nothing changed.",
            report.framework, report.version
        ),
        ImportOutcome::NewVersion => {
            format!(
                "{} version {} replaces version {} as the current version ({} criteria). {} kept.",
                report.framework,
                report.version,
                report.previous_version.as_deref().unwrap_or("?"),
                report.criteria,
                mappings(report.mappings_kept)
            ) + &format!(
                " {} judgements kept, {} to re-check.",
                report.judgements_kept, report.judgements_to_recheck
            )
        }
    };
    if !report.added.is_empty() {
        text.push_str(&format!("\nNew criteria: {}", report.added.join(", ")));
    }
    for removed in &report.removed {
        text.push_str(&format!(
            "\nREMOVED {} ({} stay with the old version and no longer count): {}",
            removed.reference,
            mappings(removed.mappings),
            clip(&removed.text, 80)
        ));
    }
    for changed in &report.changed {
        text.push_str(&format!(
            "\nTEXT CHANGED {} ({} kept; check they still meet it):\n  was: {}\n  now: {}",
            changed.reference,
            mappings(changed.mappings),
            clip(&changed.old_text, 100),
            clip(&changed.new_text, 100)
        ));
    }
    text
}

/// "1 evidence mapping", "2 evidence mappings".
fn mappings(count: usize) -> String {
    match count {
        1 => "1 evidence mapping".to_string(),
        n => format!("{n} evidence mappings"),
    }
}
