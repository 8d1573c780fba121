//! The impose stage: frames placed on pages, with page boxes and marks.
//!
//! All geometry in points, top-left origin, y down.

pub(crate) mod booklet;
pub(crate) mod calibrate;
pub(crate) mod deck_screen;
pub(crate) mod duplex;
pub(crate) mod faces;
pub(crate) mod grid;
pub(crate) mod leaflet;
pub(crate) mod marks;
pub(crate) mod pages;
pub(crate) mod sheets;

use std::sync::Arc;

use crate::layout::card::CardFaces;
use crate::layout::{Frame, FrameItem, Side};
use crate::model::CardLayout;
use crate::units::{Point, Pt, Rect, Size, Transform};

pub use booklet::{
    BookletError, BookletMarks, BookletPlan, Flip, ImposedBooklet, SheetPages, SidePages, check_margin, download_pages,
    office_duplex, page_order, press_sheet, single_pages,
};
pub use calibrate::calibration_document;
pub use deck_screen::deck_screen_document;
pub use duplex::Rotation;
pub use faces::{faces_document, faces_plan};
pub use grid::{Grid, fit};
pub use sheets::{Imposed, Slug, impose, impose_plan};

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
    pub marks: Marks,
    /// Transform of the whole page content and marks (a back offset), if any.
    pub transform: Option<Transform>,
    /// A label for the page in diagnostics, e.g. "card nu-01 front".
    pub label: String,
}

/// A page's marks: those every page of a side shares (a sheet's crop marks, kept once however
/// many sheets there are) and the page's own (its slug line).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Marks {
    /// Shared with other pages.
    pub shared: Arc<[FrameItem]>,
    /// This page's own.
    pub own: Vec<FrameItem>,
}

impl Marks {
    /// Every mark, shared ones first.
    pub fn iter(&self) -> impl Iterator<Item = &FrameItem> {
        self.into_iter()
    }

    /// No marks at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.shared.is_empty() && self.own.is_empty()
    }
}

impl From<Vec<FrameItem>> for Marks {
    fn from(own: Vec<FrameItem>) -> Self {
        Marks { shared: Arc::from(Vec::new()), own }
    }
}

impl<'a> IntoIterator for &'a Marks {
    type Item = &'a FrameItem;
    type IntoIter = std::iter::Chain<std::slice::Iter<'a, FrameItem>, std::slice::Iter<'a, FrameItem>>;
    fn into_iter(self) -> Self::IntoIter {
        self.shared.iter().chain(self.own.iter())
    }
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
    /// What each frame shows, by frame index like `frames` (e.g. `card nu-01 front`,
    /// `panel inside-2`): for diagnostics about a frame, e.g. an image export cannot embed.
    /// Known from the plan, so a streamed deck's document (without frames) has them too.
    pub frame_labels: Vec<String>,
}

/// The geometry of a frame, known before its content is laid out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameBox {
    /// Size including bleed.
    pub size: Size,
    /// The trim box within the frame.
    pub trim: Rect,
}

impl FrameBox {
    /// The box of a laid-out frame.
    #[must_use]
    pub fn of(frame: &Frame) -> Self {
        FrameBox { size: frame.size, trim: frame.trim }
    }

    /// The bleed beyond the trim.
    #[must_use]
    pub fn bleed(&self) -> Pt {
        self.trim.min.x
    }
}

/// A card as imposition sees it: geometry and copies, no content. Plans built from cards name
/// frames by position: the front of card `i` is frame `2 i`, its back frame `2 i + 1` (see
/// [`card_frames`]). So a deck can be imposed before it is laid out, and laid out in windows
/// while its pages are written.
#[derive(Clone, Debug, PartialEq)]
pub struct CardPlan {
    /// Card id (for page labels).
    pub id: String,
    /// Copies to print.
    pub copies: u32,
    /// Front frame geometry.
    pub front: FrameBox,
    /// Back frame geometry.
    pub back: FrameBox,
}

impl CardPlan {
    /// The plan of laid-out faces.
    #[must_use]
    pub fn of(c: &CardFaces) -> Self {
        CardPlan { id: c.id.clone(), copies: c.copies, front: FrameBox::of(&c.front), back: FrameBox::of(&c.back) }
    }

    /// The plan of a card before layout: every face of a card layout has the same geometry.
    #[must_use]
    pub fn before_layout(layout: &CardLayout, id: &str, copies: u32, back_extra_bleed: Pt) -> Self {
        let face = |bleed: Pt| FrameBox { size: layout.frame_size(bleed), trim: layout.trim_rect(bleed) };
        CardPlan { id: id.to_string(), copies, front: face(layout.bleed), back: face(layout.bleed + back_extra_bleed) }
    }
}

/// The frame that names side `side` of card `card` in plans built from [`CardPlan`]s; the frames
/// of cards `0..n` are `0..2 n`.
#[must_use]
pub const fn card_frame(card: usize, side: Side) -> usize {
    2 * card
        + match side {
            Side::Front => 0,
            Side::Back => 1,
        }
}

/// The labels of the cards' frames in plan order (`card <id> front`, `card <id> back`, …), as
/// [`Document::frame_labels`] holds them.
#[must_use]
pub fn card_frame_labels(cards: &[CardPlan]) -> Vec<String> {
    cards.iter().flat_map(|c| Side::BOTH.map(|side| format!("card {} {}", c.id, side.name()))).collect()
}

/// The frames of laid-out cards in plan order (front, back, front, back, …).
#[must_use]
pub fn card_frames(cards: &[CardFaces]) -> Vec<Arc<Frame>> {
    cards.iter().flat_map(|c| [c.front.clone(), c.back.clone()]).collect()
}
