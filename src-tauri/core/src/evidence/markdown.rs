//! Evidence bodies are Markdown; this renders them to HTML that is safe to put in the webview:
//! pulldown-cmark renders, ammonia removes scripts, event handlers and `javascript:` links.

use pulldown_cmark::{html, Options, Parser};

/// Renders Markdown to sanitised HTML.
pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        // A relative address would point into the app itself: never useful, so it is dropped.
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

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
