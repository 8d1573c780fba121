//! Text: fonts, shaping, hyphenation, markup and paragraph breaking.

pub(crate) mod align;
pub(crate) mod breaker;
pub(crate) mod compounds;
pub(crate) mod fonts;
pub(crate) mod hyphenate;
pub(crate) mod markup;
pub(crate) mod nobreak;
pub(crate) mod paragraph;
pub(crate) mod shape;
pub(crate) mod url;

pub use align::Align;
pub use fonts::{FontBook, FontId};
pub use hyphenate::{Hyphenator, WordRules};
pub use markup::{Paragraph, parse as parse_markup};
pub use paragraph::{Breaking, FontSet};
pub use paragraph::{GlyphRun, LineFit, ParaStyle, PlacedGlyph, SetLine, TextBlock, TextError, Typesetter};
pub use shape::Shaper;
