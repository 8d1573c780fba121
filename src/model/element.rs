//! Resolved template elements and styles: what a layout's boxes, rules and images are once names
//! are looked up and lengths are points (frame coordinates, origin at the bleed corner).

use super::color::Color;
use super::layout::{Fit, TextRole, VAlign};
use crate::text::paragraph::ParaStyle;
use crate::units::{Point, Pt, Rect};

/// A colour that may depend on the card.
#[derive(Clone, Debug, PartialEq)]
pub enum ColorRef {
    /// A fixed colour.
    Fixed(Color),
    /// The colour of the card's category.
    Category,
}

/// A resolved text style.
#[derive(Clone, Debug)]
pub struct Style {
    /// Typesetting parameters.
    pub para: ParaStyle,
    /// Text colour.
    pub color: ColorRef,
}

/// What a text box shows.
#[derive(Clone, Debug, PartialEq)]
pub enum TextSource {
    /// A card field (`question`, `back.text`, `category`).
    Field(String),
    /// A template with `{placeholders}`.
    Template(String),
}

/// A resolved template element; rectangles are in frame coordinates (origin at the bleed corner).
#[derive(Clone, Debug)]
pub enum Element {
    /// A text box.
    Text {
        /// What it shows.
        source: TextSource,
        /// The box.
        rect: Rect,
        /// Style name (for diagnostics) and style.
        style: (String, Style),
        /// Vertical alignment.
        valign: VAlign,
        /// Auto-fit minimum size.
        min_size: Option<Pt>,
        /// Colour override.
        color: Option<ColorRef>,
        /// Skip when the field is absent.
        optional: bool,
        /// Meaning for screen versions.
        role: TextRole,
        /// JSON path in the layout file.
        path: String,
    },
    /// A rectangle.
    Rect {
        /// Where (for the layout's own bleed).
        rect: Rect,
        /// Left, top, right, bottom: whether that edge runs out to the bleed edge.
        bleed_edges: [bool; 4],
        /// Fill.
        fill: Option<ColorRef>,
        /// Stroke colour and width.
        stroke: Option<(ColorRef, Pt)>,
        /// Only when the card has this field.
        when: Option<String>,
        /// JSON path in the layout file.
        path: String,
    },
    /// An image.
    Image {
        /// Where the image comes from.
        source: ImageSource,
        /// The box (for the layout's own bleed).
        rect: Rect,
        /// Edges that run out to the bleed.
        bleed_edges: [bool; 4],
        /// Fit.
        fit: Fit,
        /// Skip when the field is absent.
        optional: bool,
        /// Text alternative.
        alt: Option<String>,
        /// The page of a PDF file, from 1 (`None`: not given, page 1 for PDF files).
        page: Option<usize>,
        /// JSON path in the layout file.
        path: String,
    },
    /// A line.
    Line {
        /// Start.
        from: Point,
        /// End.
        to: Point,
        /// Width.
        width: Pt,
        /// Colour.
        color: ColorRef,
        /// Only when the card has this field.
        when: Option<String>,
        /// JSON path in the layout file.
        path: String,
    },
}

/// Where an image comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum ImageSource {
    /// A fixed file.
    File(String),
    /// A card field holding a file path.
    Field(String),
}

/// Whether a file names PDF artwork (by its extension).
#[must_use]
pub fn is_pdf(file: &str) -> bool {
    std::path::Path::new(file).extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
}

/// Placeholders that do not come from card fields.
pub fn is_builtin(name: &str) -> bool {
    name == "category" || name.starts_with("deck.") || name.starts_with("card.")
}

/// The `{names}` in a template.
pub fn placeholders(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(a) = rest.find('{') {
        let Some(b) = rest[a..].find('}') else { break };
        out.push(rest[a + 1..a + b].trim().to_string());
        rest = &rest[a + b + 1..];
    }
    out
}
