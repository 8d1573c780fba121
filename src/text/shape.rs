//! Shaping with harfrust (kerning, ligatures), cached per distinct (font, text).

use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::sync::Arc;

use super::fonts::{FontBook, FontId};

/// One shaped glyph, in font units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShapedGlyph {
    /// Glyph id (0 = .notdef, i.e. the font lacks the character).
    pub id: u16,
    /// Horizontal advance.
    pub advance: i32,
    /// Horizontal offset.
    pub x_offset: i32,
    /// Vertical offset (up).
    pub y_offset: i32,
    /// Byte offset of the glyph's cluster in the shaped text.
    pub cluster: u32,
}

/// Per font, text → glyphs (two levels so a look-up needs no allocation).
// A fast non-cryptographic hash: keys are our own words, and look-ups happen per word.
type ShapeCache = FxHashMap<FontId, FxHashMap<String, Arc<[ShapedGlyph]>>>;

/// A shaper with a cache; one per thread.
pub struct Shaper<'a> {
    book: &'a FontBook,
    cache: RefCell<ShapeCache>,
    lang: harfrust::Language,
}

impl<'a> Shaper<'a> {
    /// A shaper over a font book.
    pub fn new(book: &'a FontBook) -> Shaper<'a> {
        Shaper { book, cache: RefCell::new(FxHashMap::default()), lang: "da".parse().expect("valid language tag") }
    }

    /// The font book.
    pub fn book(&self) -> &'a FontBook {
        self.book
    }

    /// Shapes `text` (one line's worth, left to right) with `font`.
    pub fn shape(&self, font: FontId, text: &str) -> Arc<[ShapedGlyph]> {
        if let Some(hit) = self.cache.borrow().get(&font).and_then(|m| m.get(text)) {
            return hit.clone();
        }
        let face = self.book.face(font);
        let shaper_font = harfrust::ShaperFont::new(&face.shaper_font);
        let mut buf = harfrust::Buffer::new();
        buf.push_str(text);
        buf.set_direction(harfrust::Direction::LeftToRight);
        buf.set_script(Some(harfrust::Script::LATIN));
        buf.set_language(Some(self.lang.clone()));
        let shaped: Arc<[ShapedGlyph]> =
            match harfrust::shape(&shaper_font, &mut buf, harfrust::ShapeOptions::new().plan(Some(&face.plan))) {
                Ok(()) => buf
                    .glyph_infos()
                    .iter()
                    .zip(buf.glyph_positions())
                    .map(|(i, p)| ShapedGlyph {
                        id: i.glyph_id as u16,
                        advance: p.x_advance,
                        x_offset: p.x_offset,
                        y_offset: p.y_offset,
                        cluster: i.cluster,
                    })
                    .collect(),
                // A font that harfrust cannot shape yields .notdef for every char, reported upstream.
                Err(_) => text
                    .char_indices()
                    .map(|(i, _)| ShapedGlyph { id: 0, advance: 0, x_offset: 0, y_offset: 0, cluster: i as u32 })
                    .collect(),
            };
        self.cache.borrow_mut().entry(font).or_default().insert(text.to_string(), shaped.clone());
        shaped
    }
}
