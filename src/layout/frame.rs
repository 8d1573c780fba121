//! Frames: backend-neutral positioned content (points, top-left origin, y down).

use std::sync::Arc;

use crate::assets::svg::{ArtClip, ArtPart, Cap, Join, Segment, Winding};
use crate::model::color::Color;
use crate::text::GlyphRun;
use crate::units::{Point, Pt, Rect, Size};

/// A side of the paper: of a card, a sheet or a calibration sheet. The one word for front and back
/// (English names in files and messages, Danish ones in what is printed for the print shop).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The front (printed first).
    Front,
    /// The back.
    Back,
}

impl Side {
    /// Both sides, front first.
    pub const BOTH: [Side; 2] = [Side::Front, Side::Back];

    /// `front` or `back`: for file names, page labels and messages.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Side::Front => "front",
            Side::Back => "back",
        }
    }

    /// `forside` or `bagside`: for what is printed (the slug line, sheet labels).
    #[must_use]
    pub const fn danish(self) -> &'static str {
        match self {
            Side::Front => "forside",
            Side::Back => "bagside",
        }
    }
}

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

/// A colour of vector artwork: what print files paint (CMYK, or a layout colour the artwork's
/// colour is mapped to) and what screen files paint (the artwork's own sRGB).
#[derive(Clone, Debug, PartialEq)]
pub struct ArtPaint {
    /// For print.
    pub print: Color,
    /// For screen: the sRGB the SVG says.
    pub screen: [u8; 3],
}

/// How a path of vector artwork is outlined.
#[derive(Clone, Debug, PartialEq)]
pub struct VectorStroke {
    /// Colour.
    pub paint: ArtPaint,
    /// Width, in the path's own coordinates.
    pub width: f64,
    /// Ends.
    pub cap: Cap,
    /// Corners.
    pub join: Join,
    /// Miter limit.
    pub miter_limit: f64,
    /// Dash array and offset; none for solid.
    pub dash: Option<(Vec<f64>, f64)>,
}

/// One filled and/or stroked path of vector artwork.
#[derive(Clone, Debug, PartialEq)]
pub struct VectorPath {
    /// The outline, in the path's own coordinates.
    pub segments: Vec<Segment>,
    /// From the path's coordinates to the artwork's.
    pub transform: crate::units::Transform,
    /// Fill colour and rule.
    pub fill: Option<(ArtPaint, Winding)>,
    /// Outline.
    pub stroke: Option<VectorStroke>,
    /// Clips in the artwork's coordinates, all applied.
    pub clips: Vec<ArtClip>,
}

/// Vector artwork (an SVG file with its colours chosen): paths and embedded images in its own
/// coordinates, `0..width` × `0..height`, which a [`FrameItem::Vector`] maps onto its rectangle.
#[derive(Clone, Debug, PartialEq)]
pub struct Artwork {
    /// Width in its own units.
    pub width: f64,
    /// Height in its own units.
    pub height: f64,
    /// Paths and images, in painting order.
    pub parts: Vec<ArtPart<VectorPath>>,
    /// A page of a PDF file, drawn as it is (its width and height are the page's, in points);
    /// `parts` is then empty. Its colours were checked when it was read: CMYK, grey, spots.
    pub pdf: Option<Arc<crate::assets::pdf_art::PdfArt>>,
}

impl Artwork {
    /// A page of a PDF file as artwork.
    #[must_use]
    pub fn pdf_page(page: Arc<crate::assets::pdf_art::PdfArt>) -> Artwork {
        Artwork { width: page.width, height: page.height, parts: Vec::new(), pdf: Some(page) }
    }

    /// The most C + M + Y the artwork prints: its inkiest path colour or embedded image, or what
    /// a PDF page's colour operators set (`cmy` gives a colour's C + M + Y).
    pub fn max_cmy(&self, cmy: impl Fn(&Color) -> f64) -> Option<f64> {
        let pdf = self.pdf.as_ref().map(|p| p.ink.max_cmy);
        let images = self.images().filter_map(|i| i.asset.ink.map(|k| k.max_cmy));
        self.print_colors().map(cmy).chain(images).chain(pdf).reduce(f64::max)
    }

    /// Every print colour the artwork's paths paint, fills first for each path.
    pub fn print_colors(&self) -> impl Iterator<Item = &Color> {
        self.parts.iter().flat_map(|p| {
            let ArtPart::Path(p) = p else { return None.into_iter().chain(None) };
            p.fill.as_ref().map(|f| &f.0.print).into_iter().chain(p.stroke.as_ref().map(|s| &s.paint.print))
        })
    }

    /// The embedded raster images.
    pub fn images(&self) -> impl Iterator<Item = &crate::assets::svg::ArtImage> {
        self.parts.iter().filter_map(|p| match p {
            ArtPart::Image(i) => Some(i),
            ArtPart::Path(_) => None,
        })
    }
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
    /// Vector artwork drawn into `rect` (its width and height stretched to it), optionally clipped.
    Vector {
        /// Where the artwork's box is drawn.
        rect: Rect,
        /// Clip (for `cover`).
        clip: Option<Rect>,
        /// The artwork.
        art: Arc<Artwork>,
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

impl FrameItem {
    /// The item moved by `(dx, dy)`: how a frame's items are put into page coordinates where
    /// they are drawn as marks (the slug line) rather than as a placed frame.
    #[must_use]
    pub fn moved_by(self, dx: Pt, dy: Pt) -> FrameItem {
        let p = |p: Point| Point::new(dx + p.x, dy + p.y);
        match self {
            FrameItem::Text { origin, run, color } => FrameItem::Text { origin: p(origin), run, color },
            FrameItem::Rect { rect, fill, stroke } => FrameItem::Rect { rect: rect.translate(dx, dy), fill, stroke },
            FrameItem::Image { rect, clip, asset } => {
                FrameItem::Image { rect: rect.translate(dx, dy), clip: clip.map(|c| c.translate(dx, dy)), asset }
            }
            FrameItem::Vector { rect, clip, art } => {
                FrameItem::Vector { rect: rect.translate(dx, dy), clip: clip.map(|c| c.translate(dx, dy)), art }
            }
            FrameItem::Line { from, to, stroke } => FrameItem::Line { from: p(from), to: p(to), stroke },
        }
    }
}

/// What a group of items means, for tagged (accessible) output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// The document title (H1).
    Title,
    /// A heading; level 2 is the first level below the title.
    Heading(u8),
    /// A paragraph.
    Paragraph,
    /// One item of a bulleted list; consecutive items form one list.
    ListItem,
    /// A quotation (a citizen's or an ambassador's words).
    Quote,
    /// One entry of a table of contents: a link to the heading whose text is `heading` (the first
    /// such heading after the previous entry's, as contents list headings in order).
    ContentsEntry {
        /// The heading's plain text.
        heading: String,
    },
    /// An image or graphic with its text alternative.
    Figure {
        /// Alt text (required for screen output).
        alt: String,
    },
}

/// A semantic block: a kind and the frame items (by index, in reading order) that make it up.
/// Items in no block are decoration (artifacts in tagged PDF).
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Meaning.
    pub kind: BlockKind,
    /// Indices into [`Frame::items`].
    pub items: std::ops::Range<usize>,
    /// Plain text of the block (for bookmarks and checks).
    pub text: String,
}

/// A card face (or leaflet panel): its content and the trim box inside it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Frame {
    /// Size including bleed.
    pub size: Size,
    /// The trim box within the frame.
    pub trim: Rect,
    /// Content, in painting order.
    pub items: Vec<FrameItem>,
    /// Semantic blocks in reading order (empty for purely visual frames such as marks and tickets).
    pub blocks: Vec<Block>,
    /// A frame placed many times (the back common to the cards of a category): an id, the same
    /// for every frame of one document with this content and no other, under which print files
    /// draw it once (a form XObject) and place it wherever it goes. `None`: drawn where placed.
    pub shared: Option<u64>,
}

impl Frame {
    /// The bleed beyond the trim (equal on all sides for cards).
    pub fn bleed(&self) -> Pt {
        self.trim.min.x
    }
}
