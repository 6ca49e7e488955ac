//! A report as one self-contained HTML file: no scripts, no external files, styles inline, every
//! text escaped. It prints cleanly: A4 pages, table headings repeated on each page, rows kept whole.

use super::model::{Report, Table};

const STYLE: &str = "
body { font-family: 'Liberation Sans', Arial, Helvetica, sans-serif; color: #1a1a1a; margin: 2rem; line-height: 1.4; }
header { border-bottom: 2px solid #1f4e79; margin-bottom: 1rem; }
h1 { font-size: 1.5rem; color: #1f4e79; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; color: #1f4e79; margin: 1.5rem 0 .5rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem; }
dt { font-weight: bold; }
dd { margin: 0; }
.notice { border: 2px solid #8a5300; background: #fff4e0; padding: .5rem .75rem; margin: 1rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border: 1px solid #9aa5b1; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #e6edf5; }
tbody tr:nth-child(even) { background: #f6f8fa; }
footer { margin-top: 2rem; font-size: .8rem; color: #4a4a4a; }
@page { size: A4; margin: 15mm; }
@media print {
  body { margin: 0; font-size: 10pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  h2 { break-after: avoid; }
}
";

/// Escapes text for an HTML text node, keeping line breaks.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

fn table_html(table: &Table, out: &mut String) {
    out.push_str("<table>\n<thead><tr>");
    for column in &table.columns {
        out.push_str(&format!("<th scope=\"col\">{}</th>", text(&column.title)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let tag = if i == 0 { "th scope=\"row\"" } else { "td" };
            let close = if i == 0 { "th" } else { "td" };
            out.push_str(&format!("<{tag}>{}</{close}>", text(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

pub(crate) fn write(report: &Report) -> Vec<u8> {
    let h = &report.header;
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    out.push_str(&format!("<title>{}</title>\n", text(report.title())));
    out.push_str(&format!(
        "<style>{STYLE}</style>\n</head>\n<body>\n<header>\n"
    ));
    out.push_str(&format!("<h1>{}</h1>\n<dl>\n", text(report.title())));
    let mut meta = Vec::new();
    if let Some(learner) = &h.learner {
        meta.push(("Learner", learner.clone()));
    }
    meta.push(("Qualification", h.qualification.clone()));
    meta.push(("Framework versions", h.frameworks.join(", ")));
    meta.push((
        "Generated",
        format!("{} by {}", h.generated_at, h.generated_by),
    ));
    meta.push(("Audit trail at", h.audit_head.clone()));
    for (term, value) in meta {
        out.push_str(&format!("<dt>{term}</dt><dd>{}</dd>\n", text(&value)));
    }
    out.push_str("</dl>\n</header>\n<main>\n");
    for notice in &report.notices {
        out.push_str(&format!(
            "<p class=\"notice\" role=\"note\"><strong>Note:</strong> {}</p>\n",
            text(notice)
        ));
    }
    for section in &report.sections {
        out.push_str(&format!("<section>\n<h2>{}</h2>\n", text(&section.heading)));
        for line in &section.lines {
            out.push_str(&format!("<p>{}</p>\n", text(line)));
        }
        if let Some(table) = &section.table {
            table_html(table, &mut out);
        }
        out.push_str("</section>\n");
    }
    out.push_str(&format!(
        "</main>\n<footer>{} · {} · generated {} by Evidence Tracker</footer>\n</body>\n</html>\n",
        text(report.title()),
        text(h.learner.as_deref().unwrap_or(&h.qualification)),
        text(&h.generated_at)
    ));
    out.into_bytes()
}
