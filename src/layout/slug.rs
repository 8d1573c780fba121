//! The slug line: one line of small text in the marks' colour (registration for a print shop,
//! black on an office sheet), printed outside the marks on every imposed sheet. It is laid out here as a frame; impose says what it reads and places it.

use crate::model::color::Color;
use crate::text::Align;
use crate::text::paragraph::FontSet;
use crate::text::{FontBook, ParaStyle, Typesetter};
use crate::units::{Point, Pt, Rect, Size};

use super::{Frame, FrameItem};

/// The style of the slug line (6 pt in the project's first family), also the base of the texts
/// of the calibration sheet and the job ticket. `None` when the project has no fonts.
#[must_use]
pub fn slug_style(fonts: &FontBook) -> Option<ParaStyle> {
    let family = fonts.families().into_iter().next()?;
    let regular = fonts.find(&family, 400, false).or_else(|| fonts.faces().next().map(|(id, _)| id))?;
    Some(ParaStyle {
        fonts: FontSet { regular, bold: fonts.find(&family, 700, false), italic: None, bold_italic: None },
        size: Pt(6.0),
        leading: Pt(7.0),
        align: Align::Left,
        hyphenate: false,
        tracking: 0.0,
        uppercase: false,
        paragraph_spacing: Pt::ZERO,
        fallback: Vec::new(),
        breaking: Default::default(),
    })
}

/// Lays out the slug line `text` (plain text, no markup) in `color` as a one-line frame as wide
/// as the text; the glyphs sit on the line's baseline measured from the frame's top. `None` when the
/// text cannot be set (a glyph the font lacks).
#[must_use]
pub fn lay_out_slug(text: &str, color: &Color, typesetter: &Typesetter, style: &ParaStyle) -> Option<Frame> {
    let paras = crate::text::markup::parse(&text.replace('*', "\\*")).ok()?;
    let block = typesetter.set(&paras, style, Pt(10_000.0)).ok()?;
    let line = block.lines.first()?;
    let size = Size { w: line.width, h: block.height };
    let items = line
        .runs
        .iter()
        .map(|r| FrameItem::Text { origin: Point::new(r.x, line.baseline), run: r.clone(), color: color.clone() })
        .collect();
    Some(Frame { size, trim: Rect::from_origin_size(Point::default(), size), items, blocks: Vec::new(), shared: None })
}
