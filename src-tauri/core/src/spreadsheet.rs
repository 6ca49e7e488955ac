//! CSV that is safe to open in a spreadsheet. Excel, LibreOffice and Google Sheets run a cell that
//! begins with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula, so a
//! learner could title an item `=HYPERLINK("http://…","click")` and have it run on the assessor's
//! machine. Every cell written here that begins so is prefixed with `'`, which spreadsheets show
//! as text (OWASP's advice for CSV injection); every other cell is written as it is. RFC 4180
//! quoting by the `csv` crate, UTF-8 with a byte-order mark: without one, Excel reads the file in
//! the machine's legacy code page ("CafÃ©"); CSV readers, the `csv` crate's included, skip it.

use std::borrow::Cow;

use crate::error::{CoreError, Result};

/// A cell as written: prefixed with `'` when a spreadsheet would take it for a formula.
pub(crate) fn safe_cell(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// The UTF-8 byte-order mark every CSV written here starts with.
pub const BOM: &str = "\u{feff}";

/// A CSV table being written, row by row, every cell made safe.
pub(crate) struct SafeCsv {
    writer: csv::Writer<Vec<u8>>,
}

fn failed(e: impl std::fmt::Display) -> CoreError {
    CoreError::Io(format!("cannot write CSV: {e}"))
}

impl SafeCsv {
    pub(crate) fn new() -> SafeCsv {
        SafeCsv {
            writer: csv::Writer::from_writer(BOM.as_bytes().to_vec()),
        }
    }

    /// Writes one row.
    pub(crate) fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) -> Result<()> {
        let safe: Vec<String> = cells
            .into_iter()
            .map(|cell| safe_cell(cell.as_ref()).into_owned())
            .collect();
        self.writer.write_record(&safe).map_err(failed)
    }

    /// The CSV bytes.
    pub(crate) fn finish(self) -> Result<Vec<u8>> {
        self.writer.into_inner().map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_written_as_text() {
        for formula in [
            "=1+1",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "=HYPERLINK(\"x\")",
        ] {
            assert_eq!(safe_cell(formula), format!("'{formula}"), "{formula:?}");
        }
        for plain in [
            "",
            "Met",
            "E1 Community garden",
            "2026-12-05",
            "12",
            "'quoted",
            " =1",
        ] {
            assert_eq!(safe_cell(plain), plain, "{plain:?}");
        }
        let mut csv = SafeCsv::new();
        csv.row(["title", "note"]).unwrap();
        csv.row(["=HYPERLINK(\"http://x\",\"click\")", "a, b"])
            .unwrap();
        let text = String::from_utf8(csv.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "\u{feff}title,note\n\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",\"a, b\"\n"
        );
    }
}
