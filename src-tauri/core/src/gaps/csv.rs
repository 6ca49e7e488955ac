//! The coverage table as CSV: one row per criterion, one column per evidence item, a cell saying how
//! that item stands for that criterion. Opens in any spreadsheet, safely ([`crate::spreadsheet`]).

use super::Coverage;
use crate::error::{CoreError, Result};
use crate::spreadsheet::SafeCsv;

/// Writes the criterion × evidence table. Fixed columns: `ref, framework, groups, kind, text, status,
/// flags`; then one column per evidence item headed `E<number> <title>`, whose cells are `submitted`,
/// `draft` or empty.
pub fn coverage_matrix(coverage: &Coverage) -> Result<String> {
    let mut writer = SafeCsv::new();
    let mut header: Vec<String> = [
        "ref",
        "framework",
        "groups",
        "kind",
        "text",
        "status",
        "flags",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend(
        coverage
            .evidence
            .iter()
            .map(|e| format!("E{} {}", e.number, e.title)),
    );
    writer.row(&header)?;
    for criterion in &coverage.criteria {
        let mut record = vec![
            criterion.reference.to_string(),
            criterion.framework.clone(),
            criterion.groups.join(" > "),
            criterion.kind.as_str().to_string(),
            criterion.text.clone(),
            criterion.status.as_str().to_string(),
            criterion
                .flags
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(" "),
        ];
        record.extend(coverage.evidence.iter().map(|item| {
            if criterion.evidence.contains(&item.id) {
                item.status.as_str().to_string()
            } else {
                String::new()
            }
        }));
        writer.row(&record)?;
    }
    let bytes = writer.finish()?;
    String::from_utf8(bytes).map_err(|e| CoreError::Io(e.to_string()))
}
