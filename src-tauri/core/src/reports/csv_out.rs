//! A report's CSV: its flat table with the documented header row, RFC 4180 quoting (the `csv` crate),
//! UTF-8 with no byte-order mark.

use super::model::Table;
use crate::error::{CoreError, Result};

pub(crate) fn write(table: &Table) -> Result<Vec<u8>> {
    let fail = |e: csv::Error| CoreError::Io(format!("cannot write CSV: {e}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(table.columns.iter().map(|c| c.title.as_str()))
        .map_err(fail)?;
    for row in &table.rows {
        writer.write_record(row).map_err(fail)?;
    }
    writer
        .into_inner()
        .map_err(|e| CoreError::Io(format!("cannot write CSV: {e}")))
}
