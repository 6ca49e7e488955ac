//! The parts of a printed report that the typesetting library (genpdfi) leaves to its user: pages
//! with a running header and a footer (framework versions, generation time, "Page n of N"), and
//! tables whose heading row is repeated at the top of every page they run onto.

use genpdfi::elements::{FrameCellDecorator, LinearLayout, PaddedElement, Paragraph, TableLayout};
use genpdfi::error::Error;
use genpdfi::render::Area;
use genpdfi::style::{Color, LineStyle, Style};
use genpdfi::{Context, Element, Margins, Mm, PageDecorator, Position, RenderResult, Size};

/// Grey for running heads and rules.
const MUTED: Color = Color::Rgb(80, 80, 80);
/// Space the footer takes at the bottom of each page.
const FOOTER_HEIGHT: f32 = 12.0;
/// Below this much room, a table starts on the next page rather than print a heading alone.
const MIN_TABLE_ROOM: f32 = 20.0;
/// Below this much room, a row starts on the next page (about two lines of a cell).
const MIN_ROW_ROOM: f32 = 11.0;

/// Every page: margins, a running header line, and a footer with the page number.
pub(crate) struct ReportPages {
    pub header: String,
    pub footer: String,
    /// The number of pages, once a first pass has counted them.
    pub total: Option<usize>,
    /// Pages decorated so far.
    pub page: usize,
    pub counted: std::rc::Rc<std::cell::Cell<usize>>,
    /// Told (pages in all if known, this page's number) as each page starts.
    pub pages: std::sync::mpsc::Sender<(Option<usize>, usize)>,
}

impl PageDecorator for ReportPages {
    fn decorate_page<'a>(
        &mut self,
        context: &Context,
        mut area: Area<'a>,
        style: Style,
    ) -> Result<Area<'a>, Error> {
        self.page += 1;
        self.counted.set(self.page);
        // Nobody listening means the work was stopped (see `pdf::write`): stop typesetting too.
        if self.pages.send((self.total, self.page)).is_err() {
            return Err(Error::new(
                "the PDF was no longer wanted",
                genpdfi::error::ErrorKind::Internal,
            ));
        }
        area.add_margins(Margins::trbl(10, 15, 8, 15));
        let small = style.with_font_size(8).with_color(MUTED);
        let width = area.size().width;
        let rule = LineStyle::new().with_thickness(0.2).with_color(MUTED);

        let head = Paragraph::new(self.header.as_str()).styled(small).render(
            context,
            area.clone(),
            style,
        )?;
        let below_head = head.size.height + Mm::from(1.5);
        area.draw_line(
            vec![
                Position::new(0, below_head),
                Position::new(width, below_head),
            ],
            rule,
        );

        let mut foot = area.clone();
        let footer_top = area.size().height - Mm::from(FOOTER_HEIGHT);
        foot.add_offset(Position::new(0, footer_top));
        foot.draw_line(vec![Position::new(0, 0), Position::new(width, 0)], rule);
        let page = match self.total {
            Some(total) => format!("Page {} of {total}", self.page),
            None => format!("Page {}", self.page),
        };
        let page_width = small.str_width(&context.font_cache, &page);
        foot.add_offset(Position::new(0, 1.5));
        foot.print_str(
            &context.font_cache,
            Position::new(width - page_width, 0),
            small,
            &page,
        )?;
        foot.set_width(width - page_width - Mm::from(5));
        Paragraph::new(self.footer.as_str())
            .styled(small)
            .render(context, foot, style)?;

        area.add_offset(Position::new(0, below_head + Mm::from(4)));
        let height = footer_top - below_head - Mm::from(6);
        area.set_height(height);
        Ok(area)
    }
}

/// A cell: one paragraph per line of text, padded.
pub(crate) fn cell(text: &str, style: Style) -> PaddedElement<LinearLayout> {
    let mut lines = LinearLayout::vertical();
    for line in text.split('\n') {
        lines.push(Paragraph::new(line).styled(style));
    }
    PaddedElement::new(lines, Margins::trbl(1, 1.5, 1, 1.5))
}

/// Splits any word too wide for `width` into pieces that fit, each with the space after it (a long
/// code or file name would otherwise overflow its cell, which the library refuses).
fn fit_words(text: &str, width: Mm, style: Style, context: &Context) -> String {
    let fonts = &context.font_cache;
    // The library measures each word with the space after it: a piece must leave room for one (and
    // a little for the cell's border), or a long hash or file name, cut to the last glyph that fits,
    // can overflow by a fraction of a millimetre, depending on its letters.
    let width = width - style.str_width(fonts, " ") - Mm::from(0.5);
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for (j, word) in line.split(' ').enumerate() {
            if j > 0 {
                out.push(' ');
            }
            if style.str_width(fonts, word) <= width {
                out.push_str(word);
                continue;
            }
            let mut piece = String::new();
            for c in word.chars() {
                piece.push(c);
                if style.str_width(fonts, &piece) > width {
                    piece.pop();
                    out.push_str(&piece);
                    out.push(' ');
                    piece = c.to_string();
                }
            }
            out.push_str(&piece);
        }
    }
    out
}

/// A table whose heading row is printed again at the top of each page it continues on. Cells are
/// laid out on the first page, when the column widths and fonts are known. Each row is its own
/// one-row layout, so a row starts on the next page rather than as an empty sliver at the foot of
/// this one; a row taller than what is left still breaks across the pages.
pub(crate) struct RepeatingTable {
    weights: Vec<usize>,
    headings: Vec<String>,
    rows: Vec<Vec<String>>,
    laid_out: Option<Vec<TableLayout>>,
    next: usize,
}

impl RepeatingTable {
    pub fn new(headings: Vec<(String, usize)>, rows: Vec<Vec<String>>) -> RepeatingTable {
        RepeatingTable {
            weights: headings.iter().map(|(_, w)| *w).collect(),
            headings: headings.into_iter().map(|(h, _)| h).collect(),
            rows,
            laid_out: None,
            next: 0,
        }
    }

    /// One framed row, its words fitted to the columns.
    fn layout(
        &self,
        cells: &[String],
        style: Style,
        context: &Context,
        width: Mm,
    ) -> Result<TableLayout, Error> {
        let total: usize = self.weights.iter().sum::<usize>().max(1);
        let mut table = TableLayout::new(self.weights.clone());
        table.set_cell_decorator(FrameCellDecorator::new(true, true, true));
        let mut row = table.row();
        for (text, &weight) in cells.iter().zip(&self.weights) {
            let cell_width = width * (weight as f32 / total as f32) - Mm::from(4);
            row.push_element(cell(&fit_words(text, cell_width, style, context), style));
        }
        row.push()?;
        Ok(table)
    }
}

impl Element for RepeatingTable {
    fn render(
        &mut self,
        context: &Context,
        mut area: Area<'_>,
        style: Style,
    ) -> Result<RenderResult, Error> {
        let width = area.size().width;
        if area.size().height < Mm::from(MIN_TABLE_ROOM) {
            return Ok(RenderResult {
                size: Size::new(0, 0),
                has_more: true,
            });
        }
        if self.laid_out.is_none() {
            let rows = std::mem::take(&mut self.rows);
            let laid_out = rows
                .iter()
                .map(|cells| self.layout(cells, style, context, width))
                .collect::<Result<Vec<_>, _>>()?;
            self.laid_out = Some(laid_out);
        }
        let head = self
            .layout(&self.headings, style.bold(), context, width)?
            .render(context, area.clone(), style)?;
        area.add_offset(Position::new(0, head.size.height));
        let mut height = head.size.height;
        let mut has_more = false;
        let rows = self.laid_out.as_deref_mut().unwrap_or_default();
        let mut first_on_page = true;
        while let Some(row) = rows.get_mut(self.next) {
            if !first_on_page && area.size().height < Mm::from(MIN_ROW_ROOM) {
                has_more = true;
                break;
            }
            let result = row.render(context, area.clone(), style)?;
            area.add_offset(Position::new(0, result.size.height));
            height += result.size.height;
            first_on_page = false;
            if result.has_more {
                has_more = true;
                break;
            }
            self.next += 1;
        }
        Ok(RenderResult {
            size: Size::new(width, height),
            has_more,
        })
    }
}
