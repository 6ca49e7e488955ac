//! A report's CSV: its flat table with the documented header row, every cell safe to open in a
//! spreadsheet ([`crate::spreadsheet`]).

use super::model::Table;
use crate::error::Result;
use crate::spreadsheet::SafeCsv;

pub(crate) fn write(table: &Table) -> Result<Vec<u8>> {
    let mut csv = SafeCsv::new();
    csv.row(table.columns.iter().map(|c| c.title.as_str()))?;
    for row in &table.rows {
        csv.row(row)?;
    }
    csv.finish()
}
