//! The leaflet's download version, reflowed for screens: the same content as the print panels,
//! in reading order, in one column on A4 (or A5) portrait pages (the layout's `"screen"`):
//! a title block from the cover's texts (on the cover's colour), the flow (headings, paragraphs,
//! lists, images), then the back panel's texts; no hyphenation; page numbers in the footer.
//! The leaflet's own fonts and colours, every style scaled by one factor to the screen body size.

use crate::diag::Diagnostic;
use crate::model::color::Color;
use crate::model::layout::TextRole;
use crate::model::leaflet::FlowBlock as Source;
use crate::model::{ColorRef, Element, Style, TextSource};
use crate::text::markup::{self, Paragraph};
use crate::text::shape::Shaper;
use crate::text::{Align, ParaStyle, Typesetter};
use crate::units::{Point, Pt, Rect};

use super::artwork::ArtColors;
use super::frame::{BlockKind, Frame, FrameItem};
use super::leaflet::{Data, LeafletInput};
use super::picture::Picture;
use super::reflow::{Column, Content, FlowBlock, reflow};
use super::template::{TemplateData, fill_template, is_placeholder, role_kind, substitute};

/// Lays out the download version: one frame per page. Errors (a block taller than the page, text
/// that cannot be set) come back as diagnostics; the print layout reports the rest (unknown
/// placeholders, missing images), so a template text with no value is left out here.
pub fn lay_out_leaflet_screen(input: &LeafletInput) -> (Option<Vec<Frame>>, Vec<Diagnostic>) {
    let LeafletInput { leaflet, layout, fonts, images, region, regions_file } = *input;
    let ts = Typesetter::new(Shaper::new(fonts), &leaflet.hyphenator).keep_together(&leaflet.keep_together);
    let data = Data { leaflet, region, regions_file };
    let screen = &layout.screen;
    let [heading, para, list] = &layout.flow;
    // One factor for every style, so the hierarchy of sizes stays the designer's.
    let k = screen.body_size.0 / para.para.size.0;
    let style = |s: &Style| ParaStyle { hyphenate: false, ..s.para.scaled_to(s.para.size * k) };
    let measure = screen.measure;
    let mut s = Setter { ts: &ts, measure, diags: Vec::new() };
    let mut blocks = Vec::new();

    // The title block: the cover's texts, top to bottom, on the cover's background colour.
    let band = cover_colour(&layout.cover);
    let cover = texts(&layout.cover, &data);
    for (n, (e, text)) in cover.iter().enumerate() {
        let Element::Text { style: (_, st), role, color, path, rect, .. } = e else { continue };
        let gap = n.checked_sub(1).map_or(Pt::ZERO, |p| {
            let prev = text_rect(cover[p].0);
            let body = para.para.leading * k;
            ((rect.min.y - prev.max.y) * k).max(body * 0.25).min(body * 2.0)
        });
        let colour = color.as_ref().unwrap_or(&st.color);
        let at = layout.file.locate(path);
        if let Some(mut b) = s.block(text, &style(st), colour, kind(*role), at) {
            b.space_before = gap;
            b.keep_with_next = true;
            b.whole = true;
            b.band = band.clone();
            blocks.push(b);
        }
    }

    // The flow, as in the print panels.
    let file = &leaflet.file;
    for (block, path) in &leaflet.flow {
        match block {
            Source::Heading(t) => {
                if let Some(mut b) =
                    s.block(t, &style(heading), &heading.color, BlockKind::Heading(2), file.locate(path))
                {
                    b.space_before = layout.heading_space * k;
                    b.keep_with_next = true;
                    blocks.push(b);
                }
            }
            Source::Paragraph(t) => {
                let st = style(para);
                if let Some(mut b) = s.block(t, &st, &para.color, BlockKind::Paragraph, file.locate(path)) {
                    b.space_before = st.paragraph_spacing;
                    // A paragraph that introduces what follows ("…:") stays with it.
                    b.keep_with_next = t.trim_end().ends_with(':');
                    blocks.push(b);
                }
            }
            Source::List(items) => {
                for (n, item) in items.iter().enumerate() {
                    let at = file.locate(&format!("{path}.list[{n}]"));
                    let src = format!("- {item}");
                    if let Some(mut b) = s.block(&src, &style(list), &list.color, BlockKind::ListItem, at) {
                        b.space_before = if n == 0 { para.para.paragraph_spacing * k } else { layout.item_space * k };
                        // No single item alone at a page's bottom or top.
                        b.keep_with_next = items.len() > 1 && (n == 0 || n + 2 == items.len());
                        blocks.push(b);
                    }
                }
            }
            // Screen colours are the picture's own: the print colour map does not matter here.
            Source::Image(img, alt, height) => match Picture::load(images, (img, None), &ArtColors::new()) {
                Ok((picture, _)) => blocks.push(FlowBlock {
                    kind: BlockKind::Figure { alt: alt.clone() },
                    text: alt.clone(),
                    content: Content::Image { picture, height: *height * k },
                    space_before: para.para.paragraph_spacing * k,
                    keep_with_next: false,
                    whole: true,
                    band: None,
                }),
                Err(d) => s.diags.push(d.at(file.locate(path))),
            },
        }
    }

    // The back panel's texts, top to bottom, each whole; a heading, or a text that leads into the
    // next (ends in ":"), stays with what follows, so the sections may start a new page.
    let back = texts(&layout.back, &data);
    let last = back.len().saturating_sub(1);
    for (n, (e, text)) in back.into_iter().enumerate() {
        let Element::Text { style: (_, st), role, color, path, .. } = e else { continue };
        let colour = color.as_ref().unwrap_or(&st.color);
        let st = style(st);
        if let Some(mut b) = s.block(&text, &st, colour, kind(*role), layout.file.locate(path)) {
            b.space_before =
                if n == 0 { layout.heading_space * k * 2.0 } else { st.paragraph_spacing.max(st.leading * 0.5) };
            b.keep_with_next = n < last && (matches!(b.kind, BlockKind::Heading(_)) || text.trim_end().ends_with(':'));
            b.whole = true;
            blocks.push(b);
        }
    }
    let mut diags = s.diags;
    if diags.iter().any(Diagnostic::is_error) {
        return (None, diags);
    }

    let left = (screen.size.w - measure) * 0.5;
    let rect =
        Rect { min: Point::new(left, screen.top), max: Point::new(left + measure, screen.size.h - screen.bottom) };
    let column = Column { page: screen.size, rect };
    let mut pages = match reflow(&blocks, &column) {
        Ok(p) => p,
        Err(e) => {
            diags.push(
                Diagnostic::error(format!(
                    "a block is {:.1} mm taller than the download version's text column",
                    e.over.to_mm().0
                ))
                .with_hint("make the image lower, or the screen page's `top` and `bottom` smaller")
                .at(layout.file.locate("screen"))
                .about(format!("leaflet {}, download version", leaflet.name)),
            );
            return (None, diags);
        }
    };
    // Page numbers, centred below the column: decoration (no block), as a reader's page furniture.
    let total = pages.len();
    let folio = ParaStyle { align: Align::Center, ..style(para).scaled_to(screen.body_size * 0.8) };
    for (n, page) in pages.iter_mut().enumerate() {
        let paras = markup::parse(&format!("Side {} af {total}", n + 1)).unwrap_or_default();
        match ts.set(&paras, &folio, measure) {
            Ok(tb) => {
                let base = screen.size.h - screen.bottom * 0.5;
                for line in &tb.lines {
                    for run in &line.runs {
                        let origin = Point::new(left + run.x, base + line.baseline - tb.lines[0].baseline);
                        page.items.push(FrameItem::Text { origin, run: run.clone(), color: colour_of(&para.color) });
                    }
                }
            }
            Err(e) => diags.push(Diagnostic::error(e.message()).at(layout.file.locate("flow.paragraph"))),
        }
    }
    let ok = !diags.iter().any(Diagnostic::is_error);
    (ok.then_some(pages), diags)
}

/// Sets text into blocks at the column's measure; errors are collected.
struct Setter<'a> {
    ts: &'a Typesetter<'a>,
    measure: Pt,
    diags: Vec<Diagnostic>,
}

impl Setter<'_> {
    fn block(
        &mut self,
        src: &str,
        style: &ParaStyle,
        colour: &ColorRef,
        kind: BlockKind,
        at: crate::diag::Location,
    ) -> Option<FlowBlock> {
        let paras = match markup::parse(src) {
            Ok(p) => p,
            Err(m) => {
                self.diags.push(Diagnostic::error(format!("markup error: {m}")).at(at));
                return None;
            }
        };
        let tb = match self.ts.set(&paras, style, self.measure) {
            Ok(tb) => tb,
            Err(e) => {
                self.diags.push(Diagnostic::error(e.message()).at(at));
                return None;
            }
        };
        let first = tb.lines.first()?.baseline;
        let last = tb.lines.last()?.baseline;
        Some(FlowBlock {
            kind,
            text: plain(&paras),
            content: Content::Lines {
                lines: tb.lines,
                ascent: first,
                descent: tb.height - last,
                color: colour_of(colour),
            },
            space_before: Pt::ZERO,
            keep_with_next: false,
            whole: false,
            band: None,
        })
    }
}

/// What a template text means (decoration is left out before: `texts`).
fn kind(role: TextRole) -> BlockKind {
    role_kind(role).unwrap_or(BlockKind::Paragraph)
}

fn colour_of(c: &ColorRef) -> Color {
    match c {
        ColorRef::Fixed(c) => c.clone(),
        ColorRef::Category => Color::BLACK,
    }
}

fn plain(paras: &[Paragraph]) -> String {
    paras.iter().map(|p| p.spans.iter().map(|s| s.text.as_str()).collect::<String>()).collect::<Vec<_>>().join("\n")
}

fn text_rect(e: &Element) -> Rect {
    match e {
        Element::Text { rect, .. } => *rect,
        _ => Rect::default(),
    }
}

/// A template's texts that are read (not decoration) and have a value, in reading order (top to
/// bottom, then left to right), each with its filled-in text.
fn texts<'e>(elements: &'e [Element], data: &Data) -> Vec<(&'e Element, String)> {
    let mut found: Vec<(&Element, String)> = elements
        .iter()
        .filter_map(|e| {
            let Element::Text { source, role, .. } = e else { return None };
            if *role == TextRole::Decoration {
                return None;
            }
            let (t, missing) = match source {
                TextSource::Field(f) => substitute(&data.value(f)?, data, is_placeholder),
                TextSource::Template(t) => fill_template(t, data),
            };
            // Optional, or an error the print layout reports.
            (missing.is_empty() && !t.trim().is_empty()).then_some((e, t))
        })
        .collect();
    found.sort_by(|a, b| {
        let (ra, rb) = (text_rect(a.0), text_rect(b.0));
        ra.min.y.0.total_cmp(&rb.min.y.0).then(ra.min.x.0.total_cmp(&rb.min.x.0))
    });
    found
}

/// The cover's background: the fill of a rectangle covering most of the cover, if any.
fn cover_colour(cover: &[Element]) -> Option<Color> {
    let area = |r: &Rect| r.width().0 * r.height().0;
    let largest = cover
        .iter()
        .filter_map(|e| match e {
            Element::Rect { rect, fill: Some(ColorRef::Fixed(c)), .. } => Some((area(rect), c)),
            _ => None,
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    let texts = cover.iter().filter_map(|e| match e {
        Element::Text { rect, .. } => Some(area(rect)),
        _ => None,
    });
    // Behind the texts: at least as large as all of them together.
    (largest.0 >= texts.sum::<f64>()).then(|| largest.1.clone())
}
