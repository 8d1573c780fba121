//! A page of plain text sections with rules between them, as the job ticket needs: each section
//! is a piece of markup at a scale of the base style, set from the top margin down.

use crate::model::color::Color;
use crate::text::Align;
use crate::text::TextError;
use crate::text::markup::{MarkupError, parse};
use crate::text::{ParaStyle, Typesetter};
use crate::units::{Point, Pt, Rect, Size};

use super::{Frame, FrameItem, Stroke};

/// One section of a text page.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// The text, in the card markup (`**bold**`, line breaks).
    pub markup: String,
    /// Type size as a multiple of the base style's.
    pub scale: f64,
    /// A thin rule above the section, separating it from the one before.
    pub rule_above: bool,
}

/// Why a text page could not be laid out.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TextPageError {
    /// A section's markup is unbalanced.
    #[error(transparent)]
    Markup(#[from] MarkupError),
    /// A section's text could not be set (a glyph the fonts lack, a word too wide).
    #[error(transparent)]
    Text(#[from] TextError),
    /// The sections need more height than the page has.
    #[error("the texts need more than one page")]
    Overflow,
}

/// Lays out `sections` on a page of `size` with `margin` on every side, left-aligned in `style`
/// scaled per section.
///
/// # Errors
///
/// When a section cannot be set, or the sections do not fit on the page.
pub fn lay_out_text_page(
    sections: &[Section],
    ts: &Typesetter,
    style: &ParaStyle,
    size: Size,
    margin: Pt,
) -> Result<Frame, TextPageError> {
    let width = size.w - margin * 2.0;
    let mut items = Vec::new();
    let mut y = margin;
    for s in sections {
        if s.rule_above {
            y += Pt(4.0);
            items.push(FrameItem::Line {
                from: Point::new(margin, y - Pt(5.0)),
                to: Point::new(size.w - margin, y - Pt(5.0)),
                stroke: Stroke { color: Color::BLACK, width: Pt(0.5), dash: None },
            });
        }
        let st = ParaStyle { align: Align::Left, ..style.scaled_to(Pt(style.size.0 * s.scale)) };
        let paras = parse(&s.markup)?;
        let block = ts.set(&paras, &st, width)?;
        for l in &block.lines {
            for r in &l.runs {
                items.push(FrameItem::Text {
                    origin: Point::new(margin + r.x, y + l.baseline),
                    run: r.clone(),
                    color: Color::BLACK,
                });
            }
        }
        y += block.height + Pt(6.0);
    }
    if y > size.h - margin {
        return Err(TextPageError::Overflow);
    }
    Ok(Frame { size, trim: Rect::from_origin_size(Point::default(), size), items, blocks: Vec::new(), shared: None })
}
