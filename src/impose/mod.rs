//! The impose stage: frames placed on pages, with page boxes and marks.
//!
//! All geometry in points, top-left origin, y down.

pub mod faces;

use crate::layout::{Frame, FrameItem};
use crate::units::{Point, Rect, Size};

/// A frame placed on a page.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    /// Index into [`Document::frames`].
    pub frame: usize,
    /// Where the frame's top-left corner goes.
    pub at: Point,
    /// Turned by 180° about its centre (backs for a horizontal-axis duplex turn).
    pub rotate180: bool,
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
    /// A label for the page in diagnostics, e.g. "card nu-01 front".
    pub label: String,
}

/// A document ready for export.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// Title for metadata.
    pub title: String,
    /// Frames referenced by pages (a frame used on many pages is stored once).
    pub frames: Vec<Frame>,
    /// Pages in order.
    pub pages: Vec<Page>,
}
