//! One card face per page, as online print shops want it: front, back, front, back, …
//! Without marks MediaBox = BleedBox = trim + bleed; with marks the page grows by the marks' reach
//! and eight crop marks frame the single card.

use super::grid::Grid;
use super::marks::{MarkStyle, crop_marks};
use super::{CardPlan, Document, Page, Placed, card_frame, card_frame_labels, card_frames};
use crate::layout::Side;
use crate::layout::card::CardFaces;
use crate::model::color::Color;
use crate::units::{Mm, Point, Pt, Rect, Size};

/// Every card once, front then back. (Copies are an order quantity for this delivery shape.)
pub fn faces_document(title: &str, cards: &[CardFaces], marks: bool) -> Document {
    let plans: Vec<CardPlan> = cards.iter().map(CardPlan::of).collect();
    let mut doc = faces_plan(title, &plans, marks);
    doc.frames = card_frames(cards);
    doc
}

/// [`faces_document`] for cards known only by their geometry (frames named by position, see
/// [`CardPlan`]; the document has no frames yet).
pub fn faces_plan(title: &str, cards: &[CardPlan], marks: bool) -> Document {
    let mut doc = Document { title: title.to_string(), frame_labels: card_frame_labels(cards), ..Document::default() };
    for (i, c) in cards.iter().enumerate() {
        for (frame, side) in [(&c.front, Side::Front), (&c.back, Side::Back)] {
            let bleed = frame.bleed();
            let style = MarkStyle {
                offset: bleed.max(Mm(3.0).to_pt()),
                length: Mm(5.0).to_pt(),
                width: Pt(0.25),
                color: Color::Registration,
                dash: None,
            };
            // Without marks the frame is the page; with marks it sits inside a margin.
            let margin = if marks { style.offset + style.length } else { bleed };
            let at = Point::new(margin - bleed, margin - bleed);
            let trim = frame.trim.translate(at.x, at.y);
            let media = Size { w: trim.width() + margin * 2.0, h: trim.height() + margin * 2.0 };
            let page_marks = if marks {
                let grid = Grid {
                    cols: 1,
                    rows: 1,
                    rotated: false,
                    cell: trim.size(),
                    gap: Pt::ZERO,
                    slots: vec![trim],
                    trim,
                };
                crop_marks(&grid, &style, &Rect::from_origin_size(Point::default(), media)).0
            } else {
                Vec::new()
            };
            doc.pages.push(Page {
                media,
                trim_box: trim,
                bleed_box: trim.inflate(bleed),
                content: vec![Placed { frame: card_frame(i, side), at, rotation: Default::default(), clip: None }],
                marks: page_marks.into(),
                transform: None,
                label: format!("card {} {}", c.id, side.name()),
            });
        }
    }
    doc
}
