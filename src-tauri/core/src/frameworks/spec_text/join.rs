//! How the pieces of one statement, wrapped over several lines by the PDF copy, are joined back into
//! one text: single spaces, hyphenated line ends, and bullet points.
//!
//! Kept apart from the grammar so that the joining rules (which the docs promise) are in one place.

/// Word parts that keep their hyphen when a line ends with them (`cross-` + `sectoral` →
/// `cross-sectoral`): they are prefixes written with a hyphen, rarely where a typesetter splits a
/// word. Any other word ending a line with `-` before a lowercase letter was split by the typesetter
/// and is joined without the hyphen (`partner-` + `ship` → `partnership`).
pub const HYPHEN_PREFIXES: [&str; 13] = [
    "all", "anti", "co", "cross", "full", "half", "long", "non", "self", "semi", "short", "socio",
    "well",
];

/// Appends the next line of a statement: with one space, or, after a hyphen at the end of the line,
/// as [`HYPHEN_PREFIXES`] says.
pub fn join_line(text: &mut String, next: &str) {
    if text.is_empty() {
        text.push_str(next);
        return;
    }
    if let Some(stem) = text.strip_suffix('-') {
        let word: String = stem
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .collect::<String>()
            .chars()
            .rev()
            .collect();
        if !word.is_empty() {
            let lower = next.chars().next().is_some_and(char::is_lowercase);
            let prefix = HYPHEN_PREFIXES.contains(&word.to_lowercase().as_str());
            if lower && !prefix {
                text.pop();
            }
            text.push_str(next);
            return;
        }
    }
    text.push(' ');
    text.push_str(next);
}

/// Appends a bullet point's text: after `:`, `;` or `,` with a space, otherwise with `"; "`, so
/// "Describe the roles of:" + "• volunteers" + "• trustees" reads "Describe the roles of: volunteers;
/// trustees".
pub fn join_bullet(text: &mut String, item: &str) {
    if !text.is_empty() {
        let open = text.ends_with([':', ';', ',']);
        text.push_str(if open { " " } else { "; " });
    }
    text.push_str(item);
}

/// Whether a statement looks finished: it ends with `.`, `!` or `?`.
pub fn finished(text: &str) -> bool {
    text.ends_with(['.', '!', '?'])
}

/// Whether a text starts with a lowercase letter (a continuation, not a new statement).
pub fn starts_lowercase(text: &str) -> bool {
    text.chars().next().is_some_and(char::is_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(a: &str, b: &str) -> String {
        let mut s = a.to_string();
        join_line(&mut s, b);
        s
    }

    #[test]
    fn hyphens_split_by_the_typesetter_go_and_prefixes_stay() {
        assert_eq!(joined("work in partner-", "ship"), "work in partnership");
        assert_eq!(joined("cross-", "sectoral work"), "cross-sectoral work");
        assert_eq!(joined("non-", "English speakers"), "non-English speakers");
        assert_eq!(joined("a local part-", "nership"), "a local partnership");
        assert_eq!(joined("a list -", "items"), "a list - items");
        assert_eq!(joined("the", "community"), "the community");
    }

    #[test]
    fn bullets_join_with_semicolons() {
        let mut s = "Describe the roles of:".to_string();
        join_bullet(&mut s, "volunteers");
        join_bullet(&mut s, "trustees");
        assert_eq!(s, "Describe the roles of: volunteers; trustees");
    }
}
