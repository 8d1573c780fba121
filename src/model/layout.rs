//! The card layout file (`layouts/*.json` with `"kind": "card"`): sizes, styles, templates.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::color::ColorSpec;
use super::range::{
    Bleed, Extent, FontSize, HyphenLetters, HyphenWord, HyphensInRow, InkLimit, Inset, Int, LastLineChars, Leading,
    Len, Num, Percent, Position, Spacing, Stroke, Tracking, Weight,
};

/// A card layout as written in JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CardLayoutFile {
    /// Editor schema reference; ignored.
    #[serde(rename = "$schema", default)]
    #[expect(dead_code, reason = "read from JSON for editors and people; nothing acts on it")]
    pub schema: Option<String>,
    /// Human description, e.g. "Poker 63 × 88 mm".
    #[serde(default)]
    #[expect(dead_code, reason = "read from JSON for editors and people; nothing acts on it")]
    pub description: Option<String>,
    /// Finished (trimmed) card size.
    pub trim: SizeSpec,
    /// Bleed beyond the trim on every side (default 3 mm).
    #[serde(default = "default_bleed")]
    pub bleed: Len<Bleed>,
    /// Safe margin inside the trim that text must respect (default 4 mm).
    #[serde(default = "default_safe")]
    pub safe: Len<Inset>,
    /// Highest total ink (C+M+Y+K, percent) a declared colour may have (default 300).
    #[serde(default)]
    pub ink_limit: Option<Num<InkLimit>>,
    /// Whether 100 % black text below 12 pt and 100 % black lines below 2 pt overprint in print
    /// files, as GWG 2022 asks (default true; `false` knocks them out like every other colour).
    #[serde(default = "yes")]
    pub overprint_black: bool,
    /// Named colours.
    #[serde(default)]
    pub colors: BTreeMap<String, ColorSpec>,
    /// Print colours for the sRGB colours of SVG artwork: `{"#1b5e6b": "teal"}`. A colour not
    /// listed is converted through the output profile, with a warning.
    #[serde(default)]
    pub artwork_colors: BTreeMap<String, ColorSpec>,
    /// Named text styles ([`StyleSpec`] each; checked one by one so all errors are reported).
    #[schemars(with = "BTreeMap<String, StyleSpec>")]
    pub styles: BTreeMap<String, serde_json::Value>,
    /// Per-category styling, keyed by category id; `"*"` is the default for categories not listed.
    #[serde(default)]
    pub categories: BTreeMap<String, CategoryStyleSpec>,
    /// Elements of the front face ([`ElementSpec`] each), drawn in order.
    #[schemars(with = "Vec<ElementSpec>")]
    pub front: Vec<serde_json::Value>,
    /// Elements of the back face ([`ElementSpec`] each), drawn in order.
    #[schemars(with = "Vec<ElementSpec>")]
    pub back: Vec<serde_json::Value>,
}

fn default_bleed() -> Len<Bleed> {
    Len::mm(3.0)
}
fn default_safe() -> Len<Inset> {
    Len::mm(4.0)
}

/// A width and a height.
#[derive(Clone, Copy, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SizeSpec {
    /// Width.
    pub width: Len<Extent>,
    /// Height.
    pub height: Len<Extent>,
}

/// Styling that depends on the card's category.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryStyleSpec {
    /// The colour that `"category"` stands for in this layout.
    pub color: ColorSpec,
    /// The category's icon (an SVG, PNG or JPEG file in the project), shown by an image element
    /// with `"field": "category.icon"`.
    #[serde(default)]
    pub icon: Option<String>,
}

/// Horizontal alignment.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Ragged right.
    #[default]
    Left,
    /// Centred lines.
    Center,
    /// Ragged left.
    Right,
    /// Both edges straight (last line left).
    Justify,
}

impl From<Align> for crate::text::Align {
    fn from(a: Align) -> Self {
        match a {
            Align::Left => Self::Left,
            Align::Center => Self::Center,
            Align::Right => Self::Right,
            Align::Justify => Self::Justify,
        }
    }
}

/// Vertical alignment in a text box.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum VAlign {
    /// From the top.
    #[default]
    Top,
    /// Centred.
    Middle,
    /// From the bottom.
    Bottom,
}

/// A text style.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StyleSpec {
    /// Font family as named inside the font files in `fonts/`.
    pub font: String,
    /// Weight 100–900 (400 regular, 700 bold).
    #[serde(default = "w400")]
    pub weight: Int<Weight>,
    /// Italic.
    #[serde(default)]
    pub italic: bool,
    /// Font size.
    pub size: Len<FontSize>,
    /// Baseline-to-baseline distance (default 1.2 × size).
    #[serde(default)]
    pub leading: Option<Len<Leading>>,
    /// Text colour (default black = 100 % K).
    #[serde(default)]
    pub color: Option<ColorSpec>,
    /// Alignment.
    #[serde(default)]
    pub align: Align,
    /// Hyphenate (default true).
    #[serde(default = "yes")]
    pub hyphenate: bool,
    /// Letter spacing in 1/1000 em.
    #[serde(default)]
    pub tracking: Num<Tracking>,
    /// Set in capitals.
    #[serde(default)]
    pub uppercase: bool,
    /// Extra space between paragraphs.
    #[serde(default)]
    pub paragraph_spacing: Option<Len<Spacing>>,
    /// Families to try, in order, for characters the main font lacks.
    #[serde(default)]
    pub fallback: Vec<String>,
    /// Words of fewer letters are not hyphenated (default 7).
    #[serde(default = "min_word")]
    pub hyphen_min_word: Int<HyphenWord>,
    /// Fewest letters before a hyphen (default 3).
    #[serde(default = "three")]
    pub hyphen_min_before: Int<HyphenLetters>,
    /// Fewest letters after a hyphen (default 3).
    #[serde(default = "three")]
    pub hyphen_min_after: Int<HyphenLetters>,
    /// Most hyphenated lines in a row (default 2 for justified text, 1 for ragged).
    #[serde(default)]
    pub hyphens_in_row: Option<Int<HyphensInRow>>,
    /// Fewest characters on the last line of a paragraph of two or more lines (default 7: not a
    /// single short word).
    #[serde(default = "min_word_chars")]
    pub last_line_min_chars: Int<LastLineChars>,
    /// Least width of that last line as a percentage of the measure (default 0).
    #[serde(default)]
    pub last_line_min_percent: Num<Percent>,
}

fn min_word() -> Int<HyphenWord> {
    Int::of(7)
}
fn three() -> Int<HyphenLetters> {
    Int::of(3)
}
fn min_word_chars() -> Int<LastLineChars> {
    Int::of(7)
}
fn w400() -> Int<Weight> {
    Int::of(400)
}
fn yes() -> bool {
    true
}

/// One element of a face template. Positions are in the trim box: x from the left trim edge,
/// y from the top trim edge.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ElementSpec {
    /// A text box.
    Text(TextSpec),
    /// A filled and/or stroked rectangle.
    Rect(RectSpec),
    /// A straight line.
    Line(LineSpec),
    /// A raster image (JPEG or PNG).
    Image(ImageSpec),
}

/// How an image fills its box.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Fit {
    /// Whole image inside the box, centred, aspect kept.
    #[default]
    Contain,
    /// Box filled, aspect kept, the overflow clipped.
    Cover,
    /// Box filled, aspect not kept.
    Stretch,
}

/// An image box.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageSpec {
    /// Image file relative to the project folder, e.g. `images/logo.jpg`.
    #[serde(default)]
    pub src: Option<String>,
    /// Card field holding the image path (e.g. `back.image`).
    #[serde(default)]
    pub field: Option<String>,
    /// Left edge.
    pub x: Len<Position>,
    /// Top edge.
    pub y: Len<Position>,
    /// Width.
    pub width: Len<Extent>,
    /// Height.
    pub height: Len<Extent>,
    /// How the image fills the box.
    #[serde(default)]
    pub fit: Fit,
    /// Extend every edge that lies on the trim out to the bleed edge.
    #[serde(default)]
    pub bleed: bool,
    /// Skip silently when the card lacks the field.
    #[serde(default)]
    pub optional: bool,
    /// Text alternative (for accessible screen versions).
    #[serde(default)]
    pub alt: Option<String>,
    /// The page of a PDF file to place, counted from 1 (default 1); only for `.pdf` files.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub page: Option<u32>,
}

/// A text box bound to a card field or a template string.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TextSpec {
    /// Card field to show (`question`, `back.text`); `category` is the category label.
    #[serde(default)]
    pub field: Option<String>,
    /// Literal text with `{placeholders}`: `{deck.title}`, `{deck.subtitle}`, `{deck.sender}`,
    /// `{category}`, `{card.id}`, `{card.number}`, `{card.total}` or any card field.
    #[serde(default)]
    pub text: Option<String>,
    /// Left edge.
    pub x: Len<Position>,
    /// Top edge.
    pub y: Len<Position>,
    /// Box width.
    pub width: Len<Extent>,
    /// Box height.
    pub height: Len<Extent>,
    /// Text style name.
    pub style: String,
    /// Vertical alignment.
    #[serde(default)]
    pub valign: VAlign,
    /// Auto-fit: shrink down to this size if the text does not fit.
    #[serde(default)]
    pub min_size: Option<Len<FontSize>>,
    /// Colour override (e.g. `"category"`).
    #[serde(default)]
    pub color: Option<ColorSpec>,
    /// Skip silently when the card lacks the field (otherwise an error).
    #[serde(default)]
    pub optional: bool,
    /// Meaning for accessible screen versions: `title`, `heading`, `paragraph` (default) or
    /// `decoration` (not read aloud).
    #[serde(default)]
    pub role: TextRole,
}

/// What a text box means to a screen reader.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TextRole {
    /// The document title.
    Title,
    /// A heading.
    Heading,
    /// Body text.
    #[default]
    Paragraph,
    /// Decoration, skipped by screen readers.
    Decoration,
}

/// A rectangle.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RectSpec {
    /// Left edge.
    pub x: Len<Position>,
    /// Top edge.
    pub y: Len<Position>,
    /// Width.
    pub width: Len<Extent>,
    /// Height.
    pub height: Len<Extent>,
    /// Fill colour.
    #[serde(default)]
    pub fill: Option<ColorSpec>,
    /// Stroke colour.
    #[serde(default)]
    pub stroke: Option<ColorSpec>,
    /// Stroke width (default 0.5 pt).
    #[serde(default)]
    pub stroke_width: Option<Len<Stroke>>,
    /// Extend every edge that lies on the trim out to the bleed edge.
    #[serde(default)]
    pub bleed: bool,
    /// Only draw when the card has this field (e.g. `back.text`).
    #[serde(default)]
    pub when: Option<String>,
}

/// A line from `from` to `to`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LineSpec {
    /// Start point `[x, y]`.
    pub from: [Len<Position>; 2],
    /// End point `[x, y]`.
    pub to: [Len<Position>; 2],
    /// Line width (at least 0.25 pt).
    #[serde(default)]
    pub width: Option<Len<Stroke>>,
    /// Colour.
    #[serde(default)]
    pub color: Option<ColorSpec>,
    /// Only draw when the card has this field.
    #[serde(default)]
    pub when: Option<String>,
}
