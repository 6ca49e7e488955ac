//! The learner evidence record: for each criterion, the evidence references that meet it and where
//! they are in the portfolio — the item's number and its attached files — so an assessor or quality
//! assurer can find every piece.

use std::collections::HashMap;

use super::common::{by_unit, learner_header, Items};
use super::model::{Report, ReportKind, Section, Table};
use crate::error::Result;
use crate::gaps::EvidenceRef;
use crate::store::access::Need;
use crate::store::Store;

/// The CSV's columns: one row per criterion × evidence item × attached file (an item without files
/// has one row with the attachment columns empty; a criterion without evidence one row with the
/// evidence columns empty). Documented in docs/reports.md.
pub const CSV_COLUMNS: &[&str] = &[
    "learner_id",
    "learner_name",
    "framework",
    "framework_version",
    "unit",
    "criterion",
    "criterion_text",
    "evidence_ref",
    "evidence_id",
    "evidence_title",
    "evidence_status",
    "item_number",
    "attachment",
    "attachment_sha256",
];

/// Each of the learner's items' attached files (name, SHA-256), by item id, in the order attached.
fn attachments_by_item(
    store: &Store,
    learner: &str,
) -> Result<HashMap<String, Vec<(String, String)>>> {
    let learner = store.learner_row(learner)?;
    let allowed = store.require_portfolio(&learner, Need::Read)?;
    let mut stmt = store.read(&allowed).prepare(
        "SELECT e.uuid, a.file_name, a.sha256 FROM attachments a JOIN evidence e ON e.id = a.evidence_id
         WHERE e.learner_id = ?1 ORDER BY e.number, a.id",
    )?;
    let mut by_item: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let rows = stmt.query_map([learner.row_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    for row in rows {
        let (item, name, sha): (String, String, String) = row?;
        by_item.entry(item).or_default().push((name, sha));
    }
    Ok(by_item)
}

/// Where an item is: "Item 3" and its files, or "(no files)".
fn location(item: &EvidenceRef, files: &[(String, String)]) -> String {
    if files.is_empty() {
        format!("Item {} (written account, no files)", item.number)
    } else {
        let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
        format!("Item {}: {}", item.number, names.join(", "))
    }
}

pub(crate) fn build(store: &Store, learner: &str, generated_at: &str) -> Result<Report> {
    // Coverage checks that the user may read this portfolio before anything else is read.
    let coverage = store.coverage(learner)?;
    let (header, notices) = learner_header(store, &coverage, generated_at)?;
    let files = attachments_by_item(store, learner)?;
    let items = Items::of(&coverage);
    let mut csv = Table::flat(CSV_COLUMNS);
    let mut sections = Vec::new();
    for unit in by_unit(&coverage) {
        let mut table = Table::new(&[
            ("Criterion", 4),
            ("Text", 7),
            ("Ref", 2),
            ("Title", 5),
            ("Where in the portfolio", 5),
        ]);
        for c in &unit.criteria {
            let fixed = [
                coverage.learner.id.clone(),
                coverage.learner.name.clone(),
                unit.framework.code.clone(),
                unit.framework.version.clone(),
                unit.unit.0.clone(),
                c.reference.to_string(),
                c.text.clone(),
            ];
            let mapped = items.mapped(c);
            if mapped.is_empty() {
                table.push(vec![
                    c.reference.code.clone(),
                    c.text.clone(),
                    "None".into(),
                    String::new(),
                    String::new(),
                ]);
                let mut row = fixed.to_vec();
                row.extend(vec![String::new(); 7]);
                csv.push(row);
                continue;
            }
            let none = Vec::new();
            let line = |f: &dyn Fn(&EvidenceRef) -> String| {
                mapped.iter().map(|e| f(e)).collect::<Vec<_>>().join("\n")
            };
            table.push(vec![
                c.reference.code.clone(),
                c.text.clone(),
                line(&|e| format!("E{}", e.number)),
                line(&|e| e.title.clone()),
                line(&|e| location(e, files.get(&e.id).unwrap_or(&none))),
            ]);
            for e in &mapped {
                let item = [
                    format!("E{}", e.number),
                    e.id.clone(),
                    e.title.clone(),
                    e.status.as_str().to_string(),
                    e.number.to_string(),
                ];
                let attached = files.get(&e.id).filter(|f| !f.is_empty());
                let file_cells: Vec<[String; 2]> = match attached {
                    Some(list) => list.iter().map(|(n, s)| [n.clone(), s.clone()]).collect(),
                    None => vec![[String::new(), String::new()]],
                };
                for file in file_cells {
                    let mut row = fixed.to_vec();
                    row.extend(item.iter().cloned());
                    row.extend(file);
                    csv.push(row);
                }
            }
        }
        sections.push(Section {
            heading: unit.heading(),
            lines: Vec::new(),
            table: Some(table),
        });
    }
    Ok(Report {
        kind: ReportKind::EvidenceRecord,
        header,
        notices,
        sections,
        csv,
    })
}
