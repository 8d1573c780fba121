//! The impose stage: frames placed on pages, with page boxes and marks.
//!
//! All geometry in points, top-left origin, y down.

pub mod calibrate;
pub mod duplex;
pub mod faces;
pub mod fold;
pub mod grid;
pub mod leaflet;
pub mod marks;
pub mod sheets;

use crate::layout::{Frame, FrameItem};
use crate::units::{Point, Rect, Size, Transform};

pub use duplex::Rotation;

/// A frame placed on a page.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    /// Index into [`Document::frames`].
    pub frame: usize,
    /// Top-left corner of the (turned) frame's bounding box on the page.
    pub at: Point,
    /// Quarter turns.
    pub rotation: Rotation,
    /// Page area the frame is clipped to (shared cuts: a card's bleed must not cover its neighbour).
    pub clip: Option<Rect>,
}

impl Placed {
    /// The transform from frame to page coordinates.
    pub fn transform(&self, frame: &Frame) -> Transform {
        self.rotation.place(frame.size, self.at)
    }
}

/// One page of an output document.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// Media size.
    pub media: Size,
    /// The finished size (or the rectangle enclosing all cut lines).
    pub trim_box: Rect,
    /// Trim plus bleed.
    pub bleed_box: Rect,
    /// Placed frames, in painting order.
    pub content: Vec<Placed>,
    /// Marks drawn over the content (crop, fold, slug), outside the bleed box.
    pub marks: Vec<FrameItem>,
    /// Transform of the whole page content and marks (a back offset), if any.
    pub transform: Option<Transform>,
    /// A label for the page in diagnostics, e.g. "card nu-01 front".
    pub label: String,
}

/// A document ready for export.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// Title for metadata.
    pub title: String,
    /// Frames referenced by pages (a frame used on many pages is stored once).
    pub frames: Vec<std::sync::Arc<Frame>>,
    /// Pages in order.
    pub pages: Vec<Page>,
}
