//! `evidence frameworks …`: list, show, import (native TOML or Moodle CSV), export, crosswalk.

use std::path::Path;

use evidence_core::frameworks::moodle_csv::{self, MoodleImportOptions};
use evidence_core::frameworks::{
    crosswalk, native, CriterionKind, FrameworkKind, ImportOutcome, ImportReport,
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
            moodle_csv,
            version,
            kind,
            criterion_kind,
        } => {
            let bytes = read_file(&file)?;
            let doc = if moodle_csv {
                let options = MoodleImportOptions {
                    version,
                    kind: FrameworkKind::parse(&kind).ok_or_else(|| {
                        CoreError::InvalidInput(format!(
                            "unknown framework kind {kind:?}; use one of {}",
                            FrameworkKind::names()
                        ))
                    })?,
                    criterion_kind: CriterionKind::parse(&criterion_kind).ok_or_else(|| {
                        CoreError::InvalidInput(format!(
                            "unknown criterion kind {criterion_kind:?}; use one of {}",
                            CriterionKind::names()
                        ))
                    })?,
                    // The file name only: the source is part of the framework's content, so the
                    // same file imported from another folder must still be recognised as unchanged.
                    source: format!(
                        "Moodle competency framework CSV: {}",
                        file.file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_else(|| file.display().to_string())
                    ),
                };
                moodle_csv::parse(&bytes, &options)?
            } else {
                native::parse(&bytes)?
            };
            let report = store.import_framework(&doc)?;
            out.emit(&report, || describe_import(&report))
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
        ImportOutcome::NewVersion => format!(
            "{} version {} replaces version {} as the current version ({} criteria). {} kept.",
            report.framework,
            report.version,
            report.previous_version.as_deref().unwrap_or("?"),
            report.criteria,
            mappings(report.mappings_kept)
        ),
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
