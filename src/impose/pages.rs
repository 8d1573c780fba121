//! Documents of whole-page frames (the job ticket, the calibration sheet): each frame on a page
//! of its own size, no bleed, no marks; and pages that show a frame's trim box only (the
//! download versions of leaflets and decks).

use std::sync::Arc;

use crate::layout::Frame;
use crate::units::{Point, Rect, Transform};

use super::{Document, Page, Placed};

/// One page of a [`frame_pages`] document.
pub struct FramePage {
    /// The page's content, as large as the page.
    pub frame: Frame,
    /// Label for diagnostics.
    pub label: String,
    /// A transform of the whole page (a back offset), if any.
    pub transform: Option<Transform>,
}

/// A document with one page per frame, each page the size of its frame.
#[must_use]
pub fn frame_pages(title: String, pages: Vec<FramePage>) -> Document {
    let mut doc = Document { title, ..Document::default() };
    for (i, p) in pages.into_iter().enumerate() {
        let size = p.frame.size;
        let page_rect = Rect::from_origin_size(Point::default(), size);
        doc.pages.push(Page {
            media: size,
            trim_box: page_rect,
            bleed_box: page_rect,
            content: vec![Placed { frame: i, at: Point::default(), rotation: Default::default(), clip: None }],
            marks: Default::default(),
            transform: p.transform,
            label: p.label,
        });
        doc.frames.push(p.frame.into());
        doc.frame_labels.push(doc.pages[i].label.clone());
    }
    doc
}

/// Adds a page of the size of `frame`'s trim box showing just that (no bleed, no marks): how
/// download versions show a card or a panel. `frame_label` names the frame in diagnostics,
/// `page_label` the page.
pub fn push_trimmed(doc: &mut Document, frame: Arc<Frame>, frame_label: String, page_label: String) {
    let size = frame.trim.size();
    let page = Rect::from_origin_size(Point::default(), size);
    doc.pages.push(Page {
        media: size,
        trim_box: page,
        bleed_box: page,
        content: vec![Placed {
            frame: doc.frames.len(),
            at: Point::new(-frame.trim.min.x, -frame.trim.min.y),
            rotation: Default::default(),
            clip: Some(page),
        }],
        marks: Default::default(),
        transform: None,
        label: page_label,
    });
    doc.frames.push(frame);
    doc.frame_labels.push(frame_label);
}
