//! How results reach the terminal: human-readable text by default, the documented JSON shapes with
//! `--json`, and errors as one line (or `{"error": {code, message}}`) on standard error.

use std::borrow::Cow;
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
            let json =
                serde_json::to_string_pretty(value).map_err(|e| CoreError::Io(e.to_string()))?;
            printable(&json, Escape::Json).into_owned()
        } else {
            printable(&human(), Escape::Text).into_owned()
        };
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`evidence list | head`) is not an error worth reporting.
        let _ = writeln!(stdout, "{}", text.trim_end());
        Ok(())
    }
}

/// How a character a terminal would act on is written out.
#[derive(Clone, Copy)]
pub enum Escape {
    /// `\u{1b}`, for people.
    Text,
    /// `\u001b`: the same string to a JSON reader (such characters only occur inside strings).
    Json,
}

/// Whether a terminal would act on `c` rather than show it: control characters (but the newline
/// and tab the output is laid out with), and the invisible characters that reorder or hide text
/// (the core's list: bidirectional overrides and isolates, zero-width characters, the byte-order
/// mark), the same characters the core refuses in names.
fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || evidence_core::input::hides_text(c)
}

/// `text` with every character a terminal would act on written as an escape, so that data (a name,
/// a title, a file's text) can never move the cursor, recolour the screen or reorder what is shown.
pub fn printable(text: &str, escape: Escape) -> Cow<'_, str> {
    if !text.chars().any(acts_on_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match (acts_on_terminal(c), escape) {
            (false, _) => out.push(c),
            (true, Escape::Text) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            (true, Escape::Json) => out.push_str(&format!("\\u{:04x}", c as u32)),
        }
    }
    Cow::Owned(out)
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
    let message = printable(&one_line(&err.to_string()), Escape::Text).into_owned();
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
    fn what_a_terminal_would_act_on_is_escaped_and_nothing_else() {
        let hostile = "Lena\u{1b}[2J\u{202e}gnp.exe\u{200b}\u{7}\u{85}";
        assert_eq!(
            printable(hostile, Escape::Text),
            "Lena\\u{1b}[2J\\u{202e}gnp.exe\\u{200b}\\u{7}\\u{85}"
        );
        let json = serde_json::to_string(&serde_json::json!({ "name": hostile })).unwrap();
        let shown = printable(&json, Escape::Json);
        assert!(!shown.chars().any(acts_on_terminal), "{shown}");
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(
            back["name"], hostile,
            "the JSON still says exactly the same"
        );
        for plain in ["Café, naïve — 日本\n\tnext", "", "E1 Community garden"] {
            assert!(
                matches!(printable(plain, Escape::Text), Cow::Borrowed(_)),
                "{plain:?}"
            );
        }
    }

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
