//! Checks shared by every user-typed single-line field (names, titles): trimmed, non-empty, bounded,
//! no control characters.

use crate::error::{CoreError, Result};

/// Returns the trimmed value, or an error naming the field.
pub(crate) fn single_line(field: &str, value: &str, max_chars: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(CoreError::invalid(format!("{field} is empty")));
    }
    if value.chars().count() > max_chars {
        return Err(CoreError::invalid(format!(
            "{field} is longer than {max_chars} characters"
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(CoreError::invalid(format!(
            "{field} contains control characters"
        )));
    }
    Ok(value.to_string())
}
