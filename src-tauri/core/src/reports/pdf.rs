//! A report as PDF, typeset with genpdfi: A4 pages, text wrapped within table cells, tables that break
//! across pages with their heading row repeated, a running header naming the report and learner, a
//! footer with the qualification, framework versions, generation time and "Page n of N", and the
//! Liberation Sans fonts embedded (only the glyphs used, so a report stays small, with a character
//! map so its text can be searched and extracted: see `font_subset`).
//!
//! The document is laid out twice: the first pass counts the pages so the second can print the total.
//! Both passes run on a worker thread while the caller's thread reports each page as progress.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::mpsc::{channel, Sender};
use std::sync::Arc;

use genpdfi::elements::{Break, FramedElement, Paragraph};
use genpdfi::fonts::{FontData, FontFamily};
use genpdfi::style::{Color, LineStyle, Style};
use genpdfi::{Document, Element, PaperSize};

use super::font_subset;
use super::model::Report;
use super::pdf_layout::{cell, RepeatingTable, ReportPages};
use super::ReportProgress;
use crate::error::{CoreError, Result};

const REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../../../assets/fonts/LiberationSans-Bold.ttf");
const ITALIC: &[u8] = include_bytes!("../../../../assets/fonts/LiberationSans-Italic.ttf");
const BOLD_ITALIC: &[u8] = include_bytes!("../../../../assets/fonts/LiberationSans-BoldItalic.ttf");

/// Characters the page furniture prints besides the report's own text.
const FURNITURE: &str = "Page of 0123456789 ·:–-()/,.";

const HEADING: Color = Color::Rgb(31, 78, 121);
const NOTICE: Color = Color::Rgb(138, 83, 0);

fn failed(e: genpdfi::error::Error) -> CoreError {
    CoreError::Io(format!("cannot typeset the PDF: {e}"))
}

/// The four faces, each cut down to the glyphs `text` uses.
fn fonts(text: &str) -> Result<FontFamily<FontData>> {
    let face = |data: &'static [u8]| -> Result<FontData> {
        let subset = genpdfi::subsetting::subset_font_with_mapping(data, text).map_err(failed)?;
        let mut pairs: Vec<(char, u16)> = text
            .chars()
            .filter_map(|c| subset.glyph_id_map.get(c).map(|glyph| (c, glyph)))
            .collect();
        let embedded = font_subset::with_cmap(&subset.data, &mut pairs)?;
        FontData::new_with_subset(
            Arc::new(data.to_vec()),
            Arc::new(embedded),
            subset.glyph_id_map,
        )
        .map_err(failed)
    };
    Ok(FontFamily {
        regular: face(REGULAR)?,
        bold: face(BOLD)?,
        italic: face(ITALIC)?,
        bold_italic: face(BOLD_ITALIC)?,
    })
}

fn meta_line(label: &str, value: &str) -> Paragraph {
    Paragraph::default()
        .styled_string(format!("{label}: "), Style::new().bold())
        .string(value.to_string())
}

/// Lays the report out once, telling `pages` as each page starts; returns the file and the number of
/// pages.
fn typeset(
    report: &Report,
    family: &FontFamily<FontData>,
    total: Option<usize>,
    pages: &Sender<(Option<usize>, usize)>,
) -> Result<(Vec<u8>, usize)> {
    let h = &report.header;
    let mut doc = Document::new(family.clone());
    doc.set_title(report.title());
    doc.set_paper_size(PaperSize::A4);
    doc.set_font_size(9);
    doc.set_line_spacing(1.15);
    let counted = Rc::new(Cell::new(0));
    let header = match &h.learner {
        Some(learner) => format!("{} · {learner} · {}", report.title(), h.qualification),
        None => format!("{} · {}", report.title(), h.qualification),
    };
    doc.set_page_decorator(ReportPages {
        header,
        footer: format!(
            "Frameworks: {} · Generated {} by {} with Evidence Tracker",
            h.frameworks.join(", "),
            h.generated_at,
            h.generated_by
        ),
        total,
        page: 0,
        counted: counted.clone(),
        pages: pages.clone(),
    });

    doc.push(
        Paragraph::new(report.title())
            .styled(Style::new().bold().with_font_size(16).with_color(HEADING)),
    );
    doc.push(Break::new(0.5));
    if let Some(learner) = &h.learner {
        doc.push(meta_line("Learner", learner));
    }
    doc.push(meta_line("Qualification", &h.qualification));
    doc.push(meta_line("Framework versions", &h.frameworks.join(", ")));
    doc.push(meta_line(
        "Generated",
        &format!("{} by {}", h.generated_at, h.generated_by),
    ));
    doc.push(meta_line("Audit trail at", &h.audit_head));
    for notice in &report.notices {
        doc.push(Break::new(0.5));
        let style = Style::new().with_color(NOTICE);
        let text = cell(&format!("Note: {notice}"), style);
        doc.push(FramedElement::with_line_style(
            text,
            LineStyle::new().with_thickness(0.6).with_color(NOTICE),
        ));
    }
    for section in &report.sections {
        doc.push(Break::new(1.0));
        doc.push(
            Paragraph::new(section.heading.as_str())
                .styled(Style::new().bold().with_font_size(12).with_color(HEADING)),
        );
        doc.push(Break::new(0.3));
        for line in &section.lines {
            doc.push(Paragraph::new(line.as_str()));
        }
        if let Some(table) = &section.table {
            if !section.lines.is_empty() {
                doc.push(Break::new(0.3));
            }
            let layout = RepeatingTable::new(
                table
                    .columns
                    .iter()
                    .map(|c| (c.title.clone(), c.weight))
                    .collect(),
                table.rows.clone(),
            );
            doc.push(layout);
        }
    }
    let mut out = Vec::new();
    doc.render(&mut out).map_err(failed)?;
    Ok((out, counted.get()))
}

/// The report as a PDF. `progress` hears of each page as it is laid out; an `Err` from it stops the
/// typesetting (the worker's next page finds nobody listening) and is returned.
pub(crate) fn write(
    report: &Report,
    progress: &mut dyn FnMut(ReportProgress) -> Result<()>,
) -> Result<Vec<u8>> {
    let mut text = report.all_text();
    text.push_str(FURNITURE);
    text.push_str("Learner Qualification Framework versions Generated by with Evidence Tracker Note Frameworks");
    let (pages, laid) = channel();
    std::thread::scope(|scope| {
        let worker = scope.spawn(move || -> Result<Vec<u8>> {
            let family = fonts(&text)?;
            let (_, count) = typeset(report, &family, None, &pages)?;
            let (pdf, _) = typeset(report, &family, Some(count), &pages)?;
            Ok(pdf)
        });
        let mut stopped = None;
        for (total, page) in laid.iter() {
            let told = progress(match total {
                None => ReportProgress {
                    stage: format!("Laying out page {page}"),
                    done: page,
                    total: 0,
                },
                Some(total) => ReportProgress {
                    stage: format!("Writing page {page} of {total}"),
                    done: page,
                    total,
                },
            });
            if let Err(e) = told {
                stopped = Some(e);
                break;
            }
        }
        // Hanging up tells the worker, at its next page, to stop.
        drop(laid);
        let typeset = worker
            .join()
            .map_err(|_| CoreError::Io("typesetting the PDF failed".into()))?;
        match stopped {
            Some(e) => Err(e),
            None => typeset,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::model::{ReportHeader, Section, Table};
    use crate::reports::ReportKind;
    use proptest::prelude::*;

    /// A coverage-shaped report whose cells hold `words` (hashes, file names, codes: no spaces).
    fn report_with(words: &[String]) -> Report {
        let mut table = Table::new(&[("Criterion", 2), ("Evidence", 5), ("Signature", 3)]);
        for pair in words.chunks(3) {
            table.push(
                (0..3)
                    .map(|i| pair.get(i).cloned().unwrap_or_default())
                    .collect(),
            );
        }
        Report {
            kind: ReportKind::Coverage,
            header: ReportHeader {
                learner: Some("Lena Learner (id)".into()),
                qualification: "NOCN-L3-CD".into(),
                frameworks: vec!["NOCN-L3-CD 1".into()],
                generated_at: "2026-12-07T10:00:00Z".into(),
                generated_by: "Asa Assessor".into(),
                audit_head: format!("entry 12, sha256:{}", "ab".repeat(32)),
            },
            notices: Vec::new(),
            sections: vec![Section {
                heading: "Criteria".into(),
                lines: Vec::new(),
                table: Some(table.clone()),
            }],
            csv: table,
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// However its letters fall, a long unbroken word in a narrow cell is cut to fit: the
        /// typesetter never refuses the page (it did, now and then, for a SHA-256 cut to the last
        /// glyph that fitted, before the space after it was allowed for).
        #[test]
        fn long_unbroken_words_in_cells_always_typeset(
            words in proptest::collection::vec("[0-9a-fA-FmwWiIl._-]{40,160}", 3..9)
        ) {
            let pdf = write(&report_with(&words), &mut |_| Ok(()));
            prop_assert!(pdf.is_ok(), "{:?}", pdf.err());
        }
    }
}
