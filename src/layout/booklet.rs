//! Laying out a saddle-stitched booklet: the covers from templates, the text flowing from page
//! to page like threaded frames (headings kept with what follows, at least two lines of a
//! paragraph on each side of a page break, list items, exercises and images with their
//! captions kept whole), chapters on new pages, a table of contents with the pages its headings
//! landed on, running heads and folios on text pages only, and the padding: blank pages before
//! the back cover (or the inside back cover) up to a multiple of four — or up to the layout's
//! fixed page count, which text that does not fit exceeds as an error.
//!
//! Pages are numbered from the front cover (page 1, a right-hand page); odd pages are right-hand
//! pages, whose inner margin is on the left.

mod units;

use crate::assets::ImageCache;
use crate::diag::{Diagnostic, Location, Topic};
use crate::model::Element;
use crate::model::Style;
use crate::model::booklet::{Booklet, BookletLayout, ContentsPlace, FolioPlace};
use crate::model::layout::Fit;
use crate::model::leaflet::Region;
use crate::model::print_condition::PrintCheck;
use crate::model::source::SourceFile;
use crate::text::shape::Shaper;
use crate::text::{FontBook, Typesetter};
use crate::units::{Mm, Point, Pt, Rect, Size};

use super::contrast::Contrast;
use super::frame::{Block, BlockKind, Frame, FrameItem, Stroke};
use super::gwg::Checker;
use super::leaflet::region_value;
use super::panel_flow::{Piece, Stop, plan};
use super::picture::Picture;
use super::template::{Env, TemplateData, fill_template, lay_out_elements, run_area};
use super::typography::{FieldReport, TypographyLog};
pub use units::Heading;
use units::{Draw, Section, Setter, Start};

/// What a page of the booklet is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageKind {
    /// A cover page (front, inside front, inside back, back): a template, no folio.
    Cover,
    /// A page of the table of contents.
    Contents,
    /// A page of the flowing text.
    Text,
    /// A blank page: before a chapter that starts on a right-hand page, or padding.
    Blank,
}

/// One laid-out page.
#[derive(Clone, Debug)]
pub struct BookletPage {
    /// The page with bleed on all sides (trim at the bleed corner).
    pub frame: Frame,
    /// What it is.
    pub kind: PageKind,
}

/// A laid-out booklet.
#[derive(Clone, Debug)]
pub struct BookletPages {
    /// All pages in reading order, page 1 first; a multiple of four.
    pub pages: Vec<BookletPage>,
    /// How many blank pages were added before the back cover.
    pub padding: u32,
    /// The flow's headings and the page (1-based) each starts on.
    pub headings: Vec<(Heading, u32)>,
}

/// What a booklet is laid out from.
#[derive(Clone, Copy)]
pub struct BookletInput<'a> {
    /// The content file.
    pub booklet: &'a Booklet,
    /// Its layout.
    pub layout: &'a BookletLayout,
    /// The project's fonts.
    pub fonts: &'a FontBook,
    /// Images, with the output profile that converts them.
    pub images: &'a ImageCache,
    /// The region whose contact data it carries, if any.
    pub region: Option<&'a Region>,
    /// `decks/regions.json`, to locate region data in diagnostics.
    pub regions_file: Option<&'a SourceFile>,
}

/// What the booklet's templates read.
struct Data<'a> {
    booklet: &'a Booklet,
    region: Option<&'a Region>,
    regions_file: Option<&'a SourceFile>,
    /// The chapter of the page (running heads).
    chapter: String,
}

impl TemplateData for Data<'_> {
    fn value(&self, name: &str) -> Option<String> {
        match name {
            "title" | "deck.title" => Some(self.booklet.title.clone()),
            "subtitle" => self.booklet.subtitle.clone(),
            "chapter" => Some(self.chapter.clone()),
            _ => region_value(self.region, name).unwrap_or_else(|| self.booklet.fields.get(name).cloned()),
        }
    }

    fn locate(&self, field: &str) -> Location {
        match (field.strip_prefix("region."), self.regions_file) {
            (Some(_), Some(f)) => f.locate("regions"),
            _ if self.booklet.fields.contains_key(field) => self.booklet.file.locate(&format!("fields.{field}")),
            _ => self.booklet.file.locate(""),
        }
    }

    fn subject(&self, field: &str) -> String {
        format!("booklet {}, {field}", self.booklet.name)
    }

    fn image_subject(&self, path: &str) -> String {
        self.subject(&format!("image {path}"))
    }
}

/// A piece of a section placed on a page and column.
struct Placed {
    page: u32,
    column: usize,
    section: usize,
    piece: Piece,
}

/// Lays out the booklet's pages, checked against `check`. Errors (text over a fixed page count,
/// a block taller than the text area, missing glyphs, images) come back as diagnostics.
pub fn lay_out_booklet(
    input: &BookletInput,
    check: PrintCheck,
    typography: Option<&TypographyLog>,
) -> (Option<BookletPages>, Vec<Diagnostic>) {
    let BookletInput { booklet, layout, fonts, images, region, regions_file } = *input;
    let ts = Typesetter::new(Shaper::new(fonts), &booklet.hyphenator).keep_together(&booklet.keep_together);
    let contrast = Contrast::new(images.profile());
    let env = Env {
        ts: &ts,
        images,
        layout_file: &layout.file,
        check: Checker::new(check),
        contrast,
        art_colors: &layout.artwork_colors,
        typography,
    };
    let mut diags = Vec::new();
    let setter = Setter { ts: &ts, booklet };
    let Some((mut sections, headings)) = units::sections(&setter, layout, &mut diags) else { return (None, diags) };
    let has_contents = match units::contents(&setter, layout, &headings, &mut diags) {
        Some(c) => {
            sections.insert(0, c);
            true
        }
        None if layout.contents.is_some() => return (None, diags),
        None => false,
    };

    let (front_n, back_n) = layout.cover_pages();
    if let Some(fixed) = layout.pages
        && fixed < front_n + back_n + 1
    {
        diags.push(
            Diagnostic::error(format!("{fixed} pages leave no page for the text after the covers"))
                .at(layout.file.locate("pages")),
        );
        return (None, diags);
    }
    // Contents on the inside front cover share page 2 with its template (and count as a cover).
    let on_cover = has_contents
        && layout.inside_front.is_some()
        && layout.contents.as_ref().is_some_and(|c| c.place == ContentsPlace::InsideFront);
    let Some((placed, blanks, end)) = paginate(&sections, layout, booklet, on_cover, &mut diags) else {
        return (None, diags);
    };
    // The page each heading starts on.
    let mut heading_page = vec![0u32; headings.len()];
    for p in placed.iter().filter(|p| p.piece.s == 0) {
        if let Some(h) = sections[p.section].heading[p.piece.unit] {
            heading_page[h] = p.page;
        }
    }

    // Padding: blank pages before the back cover(s), to a multiple of 4 or the fixed count.
    let unpadded = end + back_n;
    let total = layout.pages.unwrap_or(unpadded.div_ceil(4) * 4);
    let padding = total - unpadded;
    if padding > 0 {
        diags.push(padding_warning(padding, total, &sections, layout, booklet));
    }

    let b = layout.bleed;
    let page_frame = || Frame {
        size: Size { w: layout.page.w + b * 2.0, h: layout.page.h + b * 2.0 },
        trim: Rect::from_origin_size(Point::new(b, b), layout.page),
        ..Frame::default()
    };
    let mut data = Data { booklet, region, regions_file, chapter: String::new() };
    let mut pages: Vec<BookletPage> = (1..=total)
        .map(|p| {
            let kind = if p <= front_n || p > total - back_n {
                PageKind::Cover
            } else if p > end || blanks.contains(&p) {
                PageKind::Blank
            } else {
                PageKind::Text
            };
            BookletPage { frame: page_frame(), kind }
        })
        .collect();
    let covers = [
        (1, Some(&layout.front), "front"),
        (2, layout.inside_front.as_ref(), "inside_front"),
        (total - 1, layout.inside_back.as_ref(), "inside_back"),
        (total, Some(&layout.back), "back"),
    ];
    for (p, template, name) in covers {
        if let Some(t) = template {
            lay_out_elements(t, &data, &env, &mut pages[p as usize - 1].frame, Pt::ZERO, name, &mut diags);
        }
    }
    // The contents' pages.
    if has_contents && !on_cover {
        for p in placed.iter().filter(|p| p.section == 0) {
            pages[p.page as usize - 1].kind = PageKind::Contents;
        }
    }
    let number_style = layout.contents.as_ref().map(|c| (c.style.clone(), c.style2.clone()));
    for pl in &placed {
        let frame = &mut pages[pl.page as usize - 1].frame;
        let sec = &sections[pl.section];
        let at = booklet.file.locate(&sec.units[pl.piece.unit].path);
        let (x0, y0) = column_origin(layout, pl.page, pl.column);
        draw_piece(sec, &pl.piece, frame, (x0, y0), &env, &at, layout, &mut diags);
        if let Draw::Entry { heading, .. } = &sec.draws[pl.piece.unit] {
            let (s1, s2) = number_style.as_ref().expect("entries come from the contents");
            let style = if headings[*heading].level == 1 { s1 } else { s2 };
            let n = heading_page[*heading].to_string();
            entry_number(&setter, style, &n, frame, (x0, y0), &pl.piece, sec, layout, &mut diags);
        }
    }

    // Running heads and folios: on text and contents pages only.
    let chapters: Vec<(u32, &str)> = (headings.iter().zip(&heading_page))
        .filter(|(h, _)| h.level == 1)
        .map(|(h, &p)| (p, h.text.as_str()))
        .collect();
    let contents_title = layout.contents.as_ref().map(|c| c.title.as_str()).unwrap_or_default();
    let contents_first = placed.iter().filter(|x| x.section == 0).map(|x| x.page).min();
    for (i, page) in pages.iter_mut().enumerate() {
        let p = i as u32 + 1;
        let chapter = match page.kind {
            PageKind::Contents => contents_title,
            PageKind::Text => chapters.iter().rev().find(|(cp, _)| *cp <= p).map_or("", |(_, t)| t),
            PageKind::Cover | PageKind::Blank => continue,
        };
        // The contents' first page opens them as a chapter's first page does.
        let opens_chapter =
            (page.kind == PageKind::Contents && contents_first == Some(p)) || chapters.iter().any(|(cp, _)| *cp == p);
        if let Some(rh) = &layout.running_head
            && (rh.on_chapter_pages || !opens_chapter)
        {
            data.chapter = chapter.to_string();
            let template = if p.is_multiple_of(2) { &rh.left } else { &rh.right };
            let (text, _) = fill_template(template, &data);
            let baseline = b + rh.baseline;
            margin_text(&setter, &rh.style, &text, p, baseline, FolioPlace::Outer, layout, &mut page.frame, &mut diags);
        }
        if let Some(f) = &layout.folio {
            let baseline = b + f.baseline;
            margin_text(&setter, &f.style, &p.to_string(), p, baseline, f.place, layout, &mut page.frame, &mut diags);
        }
    }
    let ok = !diags.iter().any(Diagnostic::is_error);
    let headings = headings.into_iter().zip(heading_page).collect();
    (ok.then_some(BookletPages { pages, padding, headings }), diags)
}

/// Plans every section onto pages: a section starts on a new page (a right-hand one when it
/// asks, leaving a blank page before it). Returns the placed pieces, the blank pages and the last
/// page with text; `None` after an error (text over a fixed page count, a block taller than the
/// text area).
fn paginate(
    sections: &[Section],
    layout: &BookletLayout,
    booklet: &Booklet,
    contents_on_cover: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<(Vec<Placed>, Vec<u32>, u32)> {
    let (front_n, back_n) = layout.cover_pages();
    let cols = layout.columns;
    let depth = layout.text_height();
    // The last page the text may use.
    let last_page = layout.pages.map_or(u32::MAX / 2, |p| p - back_n);
    let mut page = front_n + 1;
    let mut placed = Vec::new();
    let mut blanks = Vec::new();
    for (si, sec) in sections.iter().enumerate() {
        if si == 0 && contents_on_cover {
            // Above the template's first element, with a gap.
            let template_top = layout.inside_front.iter().flatten().map(element_top).fold(Pt(f64::MAX), Pt::min);
            let room = depth.min(template_top - layout.bleed - layout.margins[0] - Mm(4.0).to_pt());
            match plan(&sec.units, cols, room, false) {
                Ok(pieces) => placed.extend(pieces.into_iter().map(|piece| Placed {
                    page: 2,
                    column: piece.panel % cols,
                    section: 0,
                    piece,
                })),
                Err(_) => {
                    diags.push(
                        Diagnostic::error(format!(
                            "the contents do not fit the inside front cover (page 2) above its template ({:.0} mm of room)",
                            room.max(Pt::ZERO).to_mm().0
                        ))
                        .with_hint("list fewer levels (`contents.levels`), or set `contents.place` to \"start\" to give them a page of their own")
                            .at(layout.file.locate("contents"))
                            .about(format!("booklet {}", booklet.name)),
                    );
                    return None;
                }
            }
            continue;
        }
        if sec.start == Start::Right && page % 2 == 0 {
            blanks.push(page);
            page += 1;
        }
        let avail = (last_page + 1).saturating_sub(page).min(100_000) as usize;
        match plan(&sec.units, avail * cols, depth, false) {
            Ok(pieces) => {
                let used = pieces.last().map_or(0, |p| p.panel / cols + 1) as u32;
                for piece in pieces {
                    let (pg, column) = (page + (piece.panel / cols) as u32, piece.panel % cols);
                    placed.push(Placed { page: pg, column, section: si, piece });
                }
                page += used;
            }
            Err(Stop::Overflow { unit, s }) => {
                let fixed = layout.pages.unwrap_or_default();
                let rest = |units: &[crate::layout::panel_flow::Unit], first_s: usize| {
                    units.iter().enumerate().fold(Pt::ZERO, |a, (k, u)| {
                        let s0 = if k == 0 { first_s } else { 0 };
                        a + u.space_before + u.height(s0, u.len() - s0)
                    })
                };
                let over = rest(&sec.units[unit..], s)
                    + sections[si + 1..].iter().fold(Pt::ZERO, |a, x| a + rest(&x.units, 0));
                let pages_over = (over.0 / depth.0 / cols as f64).ceil();
                let last = booklet.flow.last().map_or("flow", |b| b.1.as_str());
                diags.push(
                    Diagnostic::error(format!(
                        "the text does not fit the layout's {fixed} pages: {:.0} mm of text (about {pages_over} page(s)) is over, from this block to the last block ({last})",
                        over.to_mm().0
                    ))
                    .with_hint(format!(
                        "shorten the text, or raise `pages` in the booklet layout to {}",
                        ((fixed as f64 + pages_over) / 4.0).ceil() * 4.0
                    ))
                    .with_topic(Topic::Overflow)
                    .at(booklet.file.locate(&sec.units[unit].path))
                    .about(format!("booklet {}", booklet.name)),
                );
                return None;
            }
            Err(Stop::TooTall { unit, s, .. }) => {
                let u = &sec.units[unit];
                let what = if u.whole.is_some() { "an exercise" } else { "a block" };
                diags.push(
                    Diagnostic::error(format!(
                        "{what} is {:.1} mm taller than the text area ({:.1} mm)",
                        (u.height(s, u.len() - s) - depth).to_mm().0,
                        depth.to_mm().0
                    ))
                    .with_hint("a block is kept whole on one page: split it in two, or use fewer write-in lines")
                    .with_topic(Topic::Overflow)
                    .at(booklet.file.locate(&u.path))
                    .about(format!("booklet {}", booklet.name)),
                );
                return None;
            }
            Err(Stop::Rules) => unreachable!("only strict plans stop at a rule"),
        }
    }
    Some((placed, blanks, page - 1))
}

/// The top of a template element (frame coordinates).
fn element_top(e: &Element) -> Pt {
    match e {
        Element::Text { rect, .. } | Element::Rect { rect, .. } | Element::Image { rect, .. } => rect.min.y,
        Element::Line { from, to, .. } => from.y.min(to.y),
    }
}

/// The warning for blank pages added to reach a multiple of four (or the fixed count): how
/// many, and how much text would fill them.
fn padding_warning(
    padding: u32,
    total: u32,
    sections: &[Section],
    layout: &BookletLayout,
    booklet: &Booklet,
) -> Diagnostic {
    let leading = layout.flow.paragraph.para.leading;
    let lines_per_page = (layout.text_height().0 / leading.0).floor() as u64 * layout.columns as u64;
    let lines = lines_per_page * u64::from(padding);
    // Words per line of the booklet's own paragraphs.
    let (words, set_lines) = sections
        .iter()
        .flat_map(|s| &s.units)
        .filter(|u| u.kind == BlockKind::Paragraph && u.whole.is_none())
        .fold((0usize, 0usize), |(w, l), u| (w + u.text.split_whitespace().count(), l + u.lines.len()));
    let per_line = if set_lines > 0 { words as f64 / set_lines as f64 } else { 9.0 };
    let why = if layout.pages.is_some() { "the layout's fixed page count" } else { "a multiple of 4" };
    Diagnostic::warning(format!(
        "{padding} blank page(s) added before the back cover to make {total} pages ({why}); about {lines} lines (≈ {} words) of text would fill them",
        (lines as f64 * per_line / 10.0).round() * 10.0
    ))
    .with_hint("add text (or an exercise) to fill them, or shorten the text by as much to save a sheet")
    .at(booklet.file.locate("flow"))
    .about(format!("booklet {} ({})", booklet.name, layout.name))
}

/// The top-left corner of column `col`'s text area on page `page` (frame coordinates): odd
/// pages are right-hand pages, with the inner margin on the left.
fn column_origin(layout: &BookletLayout, page: u32, col: usize) -> (Pt, Pt) {
    let [top, _, inner, outer] = layout.margins;
    let left = if page % 2 == 1 { inner } else { outer };
    let x = layout.bleed + left + (layout.column_width() + layout.column_gap) * col as f64;
    (x, layout.bleed + top)
}

#[allow(clippy::too_many_arguments)]
fn draw_piece(
    sec: &Section,
    piece: &Piece,
    frame: &mut Frame,
    (x0, y0): (Pt, Pt),
    env: &Env,
    at: &Location,
    layout: &BookletLayout,
    diags: &mut Vec<Diagnostic>,
) {
    let u = &sec.units[piece.unit];
    let y = y0 + piece.y;
    let start = frame.items.len();
    match &sec.draws[piece.unit] {
        Draw::Image => {
            let Some((img, height)) = &u.image else { return };
            let bx = Rect::from_origin_size(Point::new(x0, y), Size { w: layout.column_width(), h: *height });
            let mut found = Vec::new();
            match Picture::place(env.images, (img, None), env.art_colors, (bx, Fit::Contain), &env.check, &mut found) {
                Ok(item) => frame.items.push(item),
                Err(e) => found.push(e),
            }
            diags.extend(found.into_iter().map(|d| d.at(at.clone())));
            frame.blocks.push(Block { kind: u.kind.clone(), items: start..frame.items.len(), text: u.text.clone() });
        }
        Draw::Whole { items, blocks } => {
            frame.items.extend(items.iter().cloned().map(|it| it.moved_by(x0, y)));
            frame.blocks.extend(blocks.iter().map(|b| Block {
                kind: b.kind.clone(),
                items: b.items.start + start..b.items.end + start,
                text: b.text.clone(),
            }));
        }
        Draw::Entry { items, block, .. } => {
            frame.items.extend(items.iter().cloned().map(|it| it.moved_by(x0, y)));
            frame.blocks.push(Block {
                kind: block.kind.clone(),
                items: block.items.start + start..block.items.end + start,
                text: block.text.clone(),
            });
        }
        Draw::Lines { indent, rule } => {
            let (s, k) = (piece.s, piece.k);
            if let Some(c) = rule {
                // The rule is decoration: drawn before the block's items, outside the block. It
                // joins the rule of the block above in the same column (a quote and who said it).
                let joined = s == 0
                    && piece.y > Pt::ZERO
                    && piece.unit > 0
                    && matches!(sec.draws[piece.unit - 1], Draw::Lines { rule: Some(_), .. });
                let top = if joined { y - u.space_before } else { y };
                let h = u.height(s, k);
                let x = x0 + *indent * 0.3;
                frame.items.push(FrameItem::Line {
                    from: Point::new(x, top),
                    to: Point::new(x, y + h),
                    stroke: Stroke { color: c.clone(), width: Pt(1.5), dash: None },
                });
            }
            let start = frame.items.len();
            let base0 = u.lines[s].baseline;
            let mut found = Vec::new();
            for line in &u.lines[s..s + k] {
                for run in &line.runs {
                    let origin = Point::new(x0 + *indent + run.x, y + u.asc + (line.baseline - base0));
                    env.check.text(&u.color, run.size, run_area(origin, run), &frame.items[..start], &mut found);
                    if let Some(c) = &env.contrast {
                        let bold = env.ts.shaper().book().face(run.font).weight >= 700;
                        c.text(&u.color, run.size, bold, run_area(origin, run), &frame.items[..start], &mut found);
                    }
                    frame.items.push(FrameItem::Text { origin, run: run.clone(), color: u.color.clone() });
                }
            }
            found.dedup_by(|a, b| a.message == b.message);
            diags.extend(found.into_iter().map(|d| d.at(at.clone())));
            if let Some(log) = env.typography {
                let mut r = FieldReport::new(None, None, &u.path, at);
                r.add_lines(&u.lines, s..s + k, &u.breaking, layout.column_width() - *indent);
                if s == 0 {
                    r.unkept.clone_from(&u.unkept);
                }
                log.record(0, r);
            }
            frame.blocks.push(Block { kind: u.kind.clone(), items: start..frame.items.len(), text: u.text.clone() });
        }
    }
}

/// Sets `text` as one line in `style` and places it on `baseline` with its ink starting where
/// `ink_at(width of the line)` says (frame coordinates). Folios, running heads and contents
/// numbers are all such lines.
#[allow(clippy::too_many_arguments, reason = "what is set, where, and where findings go")]
fn place_line(
    setter: &Setter,
    style: &Style,
    text: &str,
    width: Pt,
    ink_at: impl Fn(Pt) -> Pt,
    baseline: Pt,
    frame: &mut Frame,
    diags: &mut Vec<Diagnostic>,
) {
    let Some((lines, _, _)) = setter.set(text, style, width, "", diags) else { return };
    let Some(line) = lines.into_iter().next() else { return };
    // Runs are placed from the line's start; its ink starts at its first run.
    let x = ink_at(line.width) - line.runs.first().map_or(Pt::ZERO, |r| r.x);
    let color = units::fixed(style);
    for run in line.runs {
        let origin = Point::new(x + run.x, baseline);
        frame.items.push(FrameItem::Text { origin, run, color: color.clone() });
    }
}

/// Sets a contents entry's page number at the right edge of its last line; the number is part
/// of the entry's block.
#[allow(clippy::too_many_arguments)]
fn entry_number(
    setter: &Setter,
    style: &Style,
    number: &str,
    frame: &mut Frame,
    (x0, y0): (Pt, Pt),
    piece: &Piece,
    sec: &Section,
    layout: &BookletLayout,
    diags: &mut Vec<Diagnostic>,
) {
    let Draw::Entry { baseline, .. } = &sec.draws[piece.unit] else { return };
    let column = layout.column_width();
    let at = frame.items.len();
    let baseline = y0 + piece.y + *baseline;
    place_line(setter, style, number, column, |w| x0 + column - w, baseline, frame, diags);
    if let Some(b) = frame.blocks.last_mut()
        && b.items.end == at
    {
        b.items.end = frame.items.len();
    }
}

/// A running head or folio on page `page`: at the outer edge of the text area (left on left
/// pages, right on right pages), or centred. Decoration: in no block.
#[allow(clippy::too_many_arguments)]
fn margin_text(
    setter: &Setter,
    style: &Style,
    text: &str,
    page: u32,
    baseline: Pt,
    place: FolioPlace,
    layout: &BookletLayout,
    frame: &mut Frame,
    diags: &mut Vec<Diagnostic>,
) {
    if text.trim().is_empty() {
        return;
    }
    let [_, _, inner, outer] = layout.margins;
    let width = layout.page.w - inner - outer;
    let left_edge = layout.bleed + if page % 2 == 1 { inner } else { outer };
    let ink_at = |w: Pt| match place {
        FolioPlace::Center => left_edge + (width - w) * 0.5,
        FolioPlace::Outer if page % 2 == 1 => left_edge + width - w,
        FolioPlace::Outer => left_edge,
    };
    place_line(setter, style, text, width, ink_at, baseline, frame, diags);
}
