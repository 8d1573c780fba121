//! Text: fonts, shaping, hyphenation, markup and paragraph breaking.

pub mod align;
pub mod breaker;
pub mod fonts;
pub mod hyphenate;
pub mod markup;
pub mod paragraph;
pub mod shape;

pub use align::Align;
pub use fonts::{FontBook, FontId};
pub use paragraph::{GlyphRun, ParaStyle, PlacedGlyph, SetLine, TextBlock, TextError, Typesetter};
