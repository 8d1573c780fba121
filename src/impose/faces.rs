//! One card face per page, as online print shops want it: front, back, front, back, …
//! MediaBox = BleedBox = trim + bleed; no marks.

use super::{Document, Page, Placed};
use crate::layout::card::CardFaces;
use crate::units::Point;

/// Every card once, front then back. (Copies are an order quantity for this delivery shape.)
pub fn faces_document(title: &str, cards: &[CardFaces]) -> Document {
    let mut doc = Document { title: title.to_string(), ..Document::default() };
    for c in cards {
        for (frame, side) in [(&c.front, "front"), (&c.back, "back")] {
            doc.frames.push(frame.clone());
            doc.pages.push(Page {
                media: frame.size,
                trim_box: frame.trim,
                bleed_box: frame.trim.inflate(frame.bleed()),
                content: vec![Placed {
                    frame: doc.frames.len() - 1,
                    at: Point::default(),
                    rotation: Default::default(),
                    clip: None,
                }],
                marks: Vec::new(),
                transform: None,
                label: format!("card {} {side}", c.id),
            });
        }
    }
    doc
}
