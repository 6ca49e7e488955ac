//! Evidence bodies are Markdown; this renders them to HTML that is safe to put in the webview:
//! pulldown-cmark renders, ammonia removes scripts, event handlers and `javascript:` links. It also
//! decides which of a body's links may be handed to the system browser (`link_to_open`): the app's
//! window itself never leaves the app (the desktop shell refuses every other navigation).

use pulldown_cmark::{html, Options, Parser};

use crate::error::{CoreError, Result};

/// The kinds of address a link in an evidence body may have; rendering removes every other link.
const LINK_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Longest address the app offers to open.
pub const MAX_LINK_CHARS: usize = 2_000;

/// The address of a link the user clicked, if it is one the system browser may be asked to open:
/// `http`, `https` or `mailto`, with a host for the web ones, no spaces, control or invisible
/// characters (what the confirmation shows is exactly what opens), and not too long.
pub fn link_to_open(address: &str) -> Result<String> {
    let refuse = |why: &str| CoreError::invalid(format!("this link cannot be opened: {why}"));
    if address.chars().count() > MAX_LINK_CHARS {
        return Err(refuse(&format!(
            "its address is longer than {MAX_LINK_CHARS} characters"
        )));
    }
    if address
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || crate::input::hides_text(c))
    {
        return Err(refuse("its address holds spaces or hidden characters"));
    }
    let (scheme, rest) = address
        .split_once(':')
        .ok_or_else(|| refuse("it is not a web or e-mail address"))?;
    let scheme = scheme.to_ascii_lowercase();
    if !LINK_SCHEMES.contains(&scheme.as_str()) {
        return Err(refuse(
            "only web (http, https) and e-mail (mailto) addresses are opened",
        ));
    }
    let host_present = rest
        .strip_prefix("//")
        .and_then(|r| r.split(['/', '?', '#']).next())
        .is_some_and(|host| !host.is_empty() && !host.contains('@'));
    if scheme != "mailto" && !host_present {
        return Err(refuse("the web address names no site"));
    }
    if scheme == "mailto" && rest.is_empty() {
        return Err(refuse("the e-mail address is empty"));
    }
    Ok(address.to_string())
}

/// Renders Markdown to sanitised HTML.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .url_schemes(LINK_SCHEMES.into_iter().collect())
        // A relative address would point into the app itself: never useful, so it is dropped.
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::{link_to_open, render};

    #[test]
    fn web_and_mail_links_may_be_opened() {
        for ok in [
            "https://example.org/plan?x=1#a",
            "http://localhost:8080/",
            "HTTPS://Example.org",
            "mailto:chair@example.org",
        ] {
            assert_eq!(link_to_open(ok).unwrap(), ok);
        }
    }

    #[test]
    fn other_links_are_refused_with_the_reason() {
        for (bad, why) in [
            ("javascript:alert(1)", "only web (http, https)"),
            ("file:///etc/passwd", "only web (http, https)"),
            ("tauri://localhost/#/users", "only web (http, https)"),
            ("https://", "names no site"),
            ("https://user@evil.example/", "names no site"),
            ("https:example.org", "names no site"),
            ("https://exa mple.org", "spaces or hidden characters"),
            (
                "https://example.org/\u{202e}fdp",
                "spaces or hidden characters",
            ),
            ("mailto:", "is empty"),
            ("plain words", "spaces or hidden characters"),
            ("nothing", "not a web or e-mail address"),
        ] {
            let err = link_to_open(bad).unwrap_err();
            assert_eq!(err.code(), "invalid_input");
            assert!(err.to_string().contains(why), "{bad}: {err}");
        }
        assert!(link_to_open(&format!("https://example.org/{}", "a".repeat(2_000))).is_err());
    }

    #[test]
    fn renders_ordinary_markdown() {
        let html = render("# Meeting\n\n*Agreed* the [plan](https://example.org).");
        assert!(html.contains("<h1>Meeting</h1>"), "{html}");
        assert!(html.contains("<em>Agreed</em>"), "{html}");
        assert!(html.contains("href=\"https://example.org\""), "{html}");
    }

    #[test]
    fn script_tags_are_removed() {
        let html = render("hello <script>alert(1)</script> world");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("hello"), "{html}");
    }

    #[test]
    fn event_handlers_are_removed() {
        let html =
            render("<img src=\"x.png\" onerror=\"alert(1)\"> <a href=\"#\" onclick=\"x()\">a</a>");
        assert!(!html.to_lowercase().contains("onerror"), "{html}");
        assert!(!html.to_lowercase().contains("onclick"), "{html}");
    }

    #[test]
    fn javascript_links_are_removed() {
        for body in [
            "[click](javascript:alert(1))",
            "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
            "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
        ] {
            let html = render(body);
            let lower = html.to_lowercase();
            assert!(!lower.contains("javascript:"), "{body} -> {html}");
            assert!(!lower.contains("data:"), "{body} -> {html}");
        }
    }

    #[test]
    fn relative_addresses_are_dropped() {
        let html = render("<img src=\"x.png\"> [a](../secret)");
        assert!(
            !html.contains("x.png") && !html.contains("../secret"),
            "{html}"
        );
    }

    #[test]
    fn style_and_iframes_are_removed() {
        let html =
            render("<iframe src=\"https://x\"></iframe><style>body{}</style><p style=\"x\">p</p>");
        assert!(!html.contains("<iframe"), "{html}");
        assert!(!html.contains("<style"), "{html}");
        assert!(!html.contains("style="), "{html}");
    }
}
