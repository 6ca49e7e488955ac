//! How results reach the terminal: human-readable text by default, the documented JSON shapes with
//! `--json`, and errors as one line (or `{"error": {code, message}}`) on standard error.

use std::io::Write;

use evidence_core::CoreError;
use serde::Serialize;

/// The chosen output style.
pub struct Out {
    pub json: bool,
}

impl Out {
    /// Prints `value` as JSON, or the human text `human` builds.
    pub fn emit<T: Serialize>(
        &self,
        value: &T,
        human: impl FnOnce() -> String,
    ) -> Result<(), CoreError> {
        let text = if self.json {
            serde_json::to_string_pretty(value).map_err(|e| CoreError::Io(e.to_string()))?
        } else {
            human()
        };
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`evidence list | head`) is not an error worth reporting.
        let _ = writeln!(stdout, "{}", text.trim_end());
        Ok(())
    }
}

/// Writes `text` to standard output as it is. A closed pipe (`evidence report … | head`) is not an
/// error worth reporting, and must not become a panic.
pub fn print_raw(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// Prints an error for a person or a script, always as exactly one line. Standard error may itself
/// be closed (`evidence … 2>&1 | true`): the exit status then says what went wrong, never a panic.
pub fn print_error(err: &CoreError, json: bool) {
    let message = one_line(&err.to_string());
    let line = if json {
        serde_json::json!({ "error": { "code": err.code(), "message": message } }).to_string()
    } else {
        format!("error: {message} [{}]", err.code())
    };
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Folds a message that spans lines (a TOML parser's error quotes the offending line and points at
/// it with `|` and `^`) into one line: the quoted source lines are dropped, the rest joined by `; `.
pub fn one_line(message: &str) -> String {
    let is_quote = |line: &str| {
        line.trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start()
            .starts_with('|')
    };
    message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !is_quote(line))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Lays rows out in aligned columns; the last column is not padded.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            }
        }
        out.trim_end().to_string()
    };
    let mut text = line(header.to_vec());
    for row in rows {
        text.push('\n');
        text.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    text
}

/// A text bar of `width` cells: `#` evidenced, `~` draft only, `.` no evidence.
pub fn bar(evidenced: usize, draft: usize, total: usize, width: usize) -> String {
    if total == 0 {
        return " ".repeat(width);
    }
    let scale = |n: usize| (n * width + total / 2) / total;
    let full = scale(evidenced);
    let drafted = scale(evidenced + draft).saturating_sub(full);
    let rest = width.saturating_sub(full + drafted);
    format!(
        "{}{}{}",
        "#".repeat(full),
        "~".repeat(drafted),
        ".".repeat(rest)
    )
}

/// Shortens text to `max` characters with an ellipsis.
pub fn clip(text: &str, max: usize) -> String {
    let single: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if single.chars().count() <= max {
        single
    } else {
        let kept: String = single.chars().take(max.saturating_sub(1)).collect();
        format!("{kept}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_show_each_share() {
        assert_eq!(bar(1, 1, 4, 8), "##~~....");
        assert_eq!(bar(0, 0, 3, 6), "......");
        assert_eq!(bar(3, 0, 3, 6), "######");
    }

    #[test]
    fn multi_line_messages_become_one_line() {
        let toml = "framework file is not valid: TOML: TOML parse error at line 1, column 10\n  |\n1 | format = \n  |          ^\nstring values must be quoted, expected literal string\n";
        assert_eq!(
            one_line(toml),
            "framework file is not valid: TOML: TOML parse error at line 1, column 10; string values must be quoted, expected literal string"
        );
        assert_eq!(one_line("learner not found: x"), "learner not found: x");
    }

    #[test]
    fn clip_keeps_short_text() {
        assert_eq!(clip("a  b", 10), "a b");
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
