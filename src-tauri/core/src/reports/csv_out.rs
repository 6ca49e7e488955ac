//! A report's CSV: its flat table with the documented header row, every cell safe to open in a
//! spreadsheet ([`crate::spreadsheet`]), and a last column, `audit_head`, saying where the audit
//! trail ended when the report was made (as the HTML and PDF print it), so `audit verify --against`
//! can read a CSV too.

use super::model::Table;
use crate::error::Result;
use crate::spreadsheet::SafeCsv;

/// The last column of every report's CSV.
pub const AUDIT_HEAD_COLUMN: &str = "audit_head";

pub(crate) fn write(table: &Table, audit_head: &str) -> Result<Vec<u8>> {
    let mut csv = SafeCsv::new();
    let titles = table.columns.iter().map(|c| c.title.as_str());
    csv.row(titles.chain([AUDIT_HEAD_COLUMN]))?;
    for row in &table.rows {
        csv.row(row.iter().map(String::as_str).chain([audit_head]))?;
    }
    csv.finish()
}
