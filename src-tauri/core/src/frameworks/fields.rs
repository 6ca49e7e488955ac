//! The limits and checks of one field of a framework document (a code, a title, a text), shared by
//! the document's validation and the method rules'.

use crate::error::{CoreError, Result};

/// Largest framework file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;
/// Longest code (framework, group or criterion), in characters.
pub const MAX_CODE_CHARS: usize = 64;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// Longest criterion text or description, in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;
/// Most groups plus criteria in one framework.
pub const MAX_NODES: usize = 50_000;

pub(super) fn bad(message: String) -> CoreError {
    CoreError::InvalidFramework(message)
}

/// Checks a code: non-empty, short, and made of letters, digits and `. - _ /`.
pub fn check_code(what: &str, code: &str) -> Result<()> {
    if code.is_empty() {
        return Err(bad(format!("{what} code is empty")));
    }
    if code.chars().count() > MAX_CODE_CHARS {
        return Err(bad(format!(
            "{what} code {:?}… is longer than {MAX_CODE_CHARS} characters",
            code.chars().take(20).collect::<String>()
        )));
    }
    if let Some(c) = code
        .chars()
        .find(|c| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '/')))
    {
        return Err(bad(format!(
            "{what} code {code:?} contains {c:?}; use letters, digits and . - _ /"
        )));
    }
    Ok(())
}

pub(crate) fn check_text(what: &str, text: &str, max: usize, required: bool) -> Result<()> {
    if required && text.trim().is_empty() {
        return Err(bad(format!("{what} is empty")));
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(bad(format!(
            "{what} is {chars} characters long; the limit is {max}"
        )));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        return Err(bad(format!("{what} contains control characters")));
    }
    Ok(())
}
