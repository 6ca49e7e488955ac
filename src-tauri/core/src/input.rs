//! Checks shared by every user-typed single-line field (names, titles, witness details) and by the
//! names of attached files: trimmed, written in one Unicode form (NFC, so "é" typed two ways is one
//! name), non-empty, bounded, and free of the characters that hide or reorder text on screen.

use unicode_normalization::UnicodeNormalization;

use crate::error::{CoreError, Result};

/// Whether `c` changes how the text around it is shown rather than showing itself: the
/// bidirectional overrides, embeddings, isolates and marks (U+202E turns `gpj.exe` into what looks
/// like `exe.jpg`), the zero-width characters (two names that look the same but differ), the
/// invisible separators and the byte-order mark. Control characters are a separate check.
pub fn hides_text(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// The first character of `value` that may not be in a name or title, described for a message.
fn refused_character(value: &str) -> Option<String> {
    value.chars().find_map(|c| {
        if c.is_control() {
            Some(format!("a control character (U+{:04X})", c as u32))
        } else if hides_text(c) {
            Some(format!(
                "an invisible character that hides or reorders text (U+{:04X})",
                c as u32
            ))
        } else {
            None
        }
    })
}

fn check_length(field: &str, value: &str, max_chars: usize) -> Result<()> {
    let chars = value.chars().count();
    if chars > max_chars {
        return Err(CoreError::invalid(format!(
            "{field} is {chars} characters long; the limit is {max_chars}"
        )));
    }
    Ok(())
}

/// Returns the trimmed, NFC-normalised value, or an error naming the field.
pub(crate) fn single_line(field: &str, value: &str, max_chars: usize) -> Result<String> {
    let value: String = value.trim().nfc().collect();
    if value.is_empty() {
        return Err(CoreError::invalid(format!("{field} is empty")));
    }
    check_length(field, &value, max_chars)?;
    if let Some(what) = refused_character(&value) {
        return Err(CoreError::invalid(format!("{field} contains {what}")));
    }
    Ok(value)
}

/// Checks a multi-line text (an evidence body, a comment): at most `max_chars` characters, and no
/// control characters but the tab, newline and carriage return it is written with (an escape code
/// in a body would otherwise reach the terminal of whoever prints it).
pub(crate) fn multi_line(field: &str, value: &str, max_chars: usize) -> Result<()> {
    check_length(field, value, max_chars)?;
    if let Some(c) = value
        .chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        return Err(CoreError::invalid(format!(
            "{field} contains a control character (U+{:04X})",
            c as u32
        )));
    }
    Ok(())
}

/// The name an attached file is kept under: its own name, NFC-normalised, refused (so the user
/// renames the file) when it is not UTF-8 or holds a character that would mislead whoever reads it.
pub(crate) fn file_name(name: &std::ffi::OsStr) -> Result<String> {
    let Some(name) = name.to_str() else {
        return Err(CoreError::invalid(format!(
            "the file name {} is not valid UTF-8; rename the file and attach it again",
            name.to_string_lossy()
        )));
    };
    let normalised: String = name.nfc().collect();
    if let Some(what) = refused_character(&normalised) {
        return Err(CoreError::invalid(format!(
            "the file name {:?} contains {what}; rename the file and attach it again",
            normalised
        )));
    }
    if normalised.trim().is_empty() {
        return Err(CoreError::invalid("the file has no name"));
    }
    Ok(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_kept_in_one_unicode_form() {
        let decomposed = "Rene\u{301}e";
        assert_eq!(single_line("name", decomposed, 50).unwrap(), "Ren\u{e9}e");
    }

    #[test]
    fn reordering_and_invisible_characters_are_refused_by_name() {
        for hostile in [
            "Lena\u{202e}gpj",
            "Le\u{200b}na",
            "\u{feff}Lena",
            "Lena\u{2066}x",
        ] {
            let err = single_line("learner name", hostile, 50).unwrap_err();
            assert!(
                err.to_string()
                    .starts_with("learner name contains an invisible"),
                "{err}"
            );
        }
        let err = single_line("title", "a\u{1b}[2Jb", 50).unwrap_err();
        assert!(
            err.to_string().contains("control character (U+001B)"),
            "{err}"
        );
    }

    #[test]
    fn ordinary_names_in_any_script_pass() {
        for name in ["Zoë O'Brien", "محمد", "李小龍", "Łukasz Żółw"] {
            assert_eq!(single_line("name", name, 50).unwrap(), name);
        }
    }

    #[test]
    fn file_names_are_checked_like_names() {
        use std::ffi::OsStr;
        assert!(file_name(OsStr::new("minutes\u{202e}fdp.exe")).is_err());
        assert!(file_name(OsStr::new("line\nbreak.txt")).is_err());
        assert_eq!(
            file_name(OsStr::new("cafe\u{301}.jpg")).unwrap(),
            "caf\u{e9}.jpg"
        );
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let err = file_name(OsStr::from_bytes(b"bad\xffname.txt")).unwrap_err();
            assert!(err.to_string().contains("not valid UTF-8"), "{err}");
        }
    }

    #[test]
    fn multi_line_texts_keep_their_layout_but_no_escape_codes() {
        assert!(multi_line("body", "line one\r\n\tline two\n", 100).is_ok());
        let err = multi_line("body", "red \u{1b}[31m", 100).unwrap_err();
        assert_eq!(
            err.to_string(),
            "body contains a control character (U+001B)"
        );
        let err = multi_line("body", "abcd", 3).unwrap_err();
        assert_eq!(err.to_string(), "body is 4 characters long; the limit is 3");
    }

    proptest! {
        /// Whatever is accepted is trimmed, NFC and holds nothing that hides text.
        #[test]
        fn what_is_accepted_is_clean(value in "\\PC{0,40}|.{0,40}") {
            if let Ok(kept) = single_line("f", &value, 40) {
                prop_assert_eq!(kept.trim(), kept.as_str());
                prop_assert!(unicode_normalization::is_nfc(&kept));
                prop_assert!(!kept.chars().any(|c| c.is_control() || hides_text(c)));
            }
        }
    }
}
