//! Frames: backend-neutral positioned content (points, top-left origin, y down).

use crate::model::color::Color;
use crate::text::GlyphRun;
use crate::units::{Point, Pt, Rect, Size};

/// How a line or outline is drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Stroke {
    /// Colour.
    pub color: Color,
    /// Width.
    pub width: Pt,
    /// Dash pattern (on, off, …), none for solid.
    pub dash: Option<Vec<Pt>>,
}

/// One drawable thing.
#[derive(Clone, Debug, PartialEq)]
pub enum FrameItem {
    /// Glyphs; `origin` is the run's baseline start.
    Text {
        /// Baseline start.
        origin: Point,
        /// The glyphs.
        run: GlyphRun,
        /// Fill colour.
        color: Color,
    },
    /// A rectangle.
    Rect {
        /// Where.
        rect: Rect,
        /// Fill.
        fill: Option<Color>,
        /// Outline.
        stroke: Option<Stroke>,
    },
    /// A raster image drawn into `rect` (stretched to it), optionally clipped.
    Image {
        /// Where the image is drawn.
        rect: Rect,
        /// Clip (for `cover`).
        clip: Option<Rect>,
        /// The image.
        asset: std::sync::Arc<crate::assets::ImageAsset>,
    },
    /// A straight line.
    Line {
        /// Start.
        from: Point,
        /// End.
        to: Point,
        /// How.
        stroke: Stroke,
    },
}

/// A card face (or leaflet panel): its content and the trim box inside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    /// Size including bleed.
    pub size: Size,
    /// The trim box within the frame.
    pub trim: Rect,
    /// Content, in painting order.
    pub items: Vec<FrameItem>,
}

impl Frame {
    /// The bleed beyond the trim (equal on all sides for cards).
    pub fn bleed(&self) -> Pt {
        self.trim.min.x
    }
}
