//! The font book: every font file in `fonts/`, indexed by family, weight and style.
//!
//! Fonts are only ever loaded from the project's `fonts/` folder, never from the system, so a
//! build is the same on every machine.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use read_fonts::{FontRef, TableProvider};

/// Index of a font in the [`FontBook`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FontId(pub u16);

/// One loaded font face.
pub struct FontFace {
    /// The file it came from.
    pub path: PathBuf,
    /// Family name (typographic family if present).
    pub family: String,
    /// Weight class, 100–900.
    pub weight: u16,
    /// Italic or oblique.
    pub italic: bool,
    /// The raw font bytes, shared with the PDF exporter.
    pub data: Arc<Vec<u8>>,
    /// Units per em.
    pub upem: f64,
    /// Ascender (positive, font units).
    pub ascender: f64,
    /// Descender (negative, font units).
    pub descender: f64,
    /// Parsed font for shaping.
    pub(crate) shaper_font: harfrust::Font,
    /// Shaping plan for Danish, left to right (built once per face).
    pub(crate) plan: harfrust::ShapePlan,
    /// Coverage of U+0000–U+24FF as a bit set: every character of every card is checked, and
    /// a cmap look-up per character showed in profiles.
    low_coverage: Box<[u64]>,
}

/// Characters below this are answered from [`FontFace::covers`]'s bit set.
const LOW: u32 = 0x2500;

impl std::fmt::Debug for FontFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FontFace({} {} {})", self.family, self.weight, if self.italic { "italic" } else { "upright" })
    }
}

impl FontFace {
    /// Whether the font maps the character to a glyph.
    pub fn covers(&self, c: char) -> bool {
        let u = c as u32;
        if u < LOW {
            return self.low_coverage[(u / 64) as usize] & (1 << (u % 64)) != 0;
        }
        self.shaper_font.charmap().map_unicode(u).is_some()
    }

    /// Human description, e.g. "Atkinson Hyperlegible Next 700 italic".
    pub fn describe(&self) -> String {
        format!("{} {}{}", self.family, self.weight, if self.italic { " italic" } else { "" })
    }
}

/// All fonts of a project.
#[derive(Debug, Default)]
pub struct FontBook {
    faces: Vec<FontFace>,
}

impl FontBook {
    /// Loads every `.ttf`/`.otf` file below `dir` (sorted, so ids are stable).
    pub fn load_dir(dir: &Path) -> Result<FontBook, String> {
        let mut files = Vec::new();
        collect_fonts(dir, &mut files).map_err(|e| format!("cannot read font folder {}: {e}", dir.display()))?;
        files.sort();
        let mut book = FontBook::default();
        for f in files {
            let data = std::fs::read(&f).map_err(|e| format!("cannot read {}: {e}", f.display()))?;
            book.add(f, data)?;
        }
        Ok(book)
    }

    /// Adds one font from bytes.
    pub fn add(&mut self, path: PathBuf, data: Vec<u8>) -> Result<FontId, String> {
        let bad = |what: &str| format!("{}: not a usable font ({what})", path.display());
        let font = FontRef::new(&data).map_err(|_| bad("cannot parse"))?;
        let head = font.head().map_err(|_| bad("no head table"))?;
        let hhea = font.hhea().map_err(|_| bad("no hhea table"))?;
        let (weight, italic, asc, desc) = match font.os2() {
            Ok(os2) => (
                os2.us_weight_class(),
                os2.fs_selection().bits() & 1 != 0,
                os2.s_typo_ascender() as f64,
                os2.s_typo_descender() as f64,
            ),
            Err(_) => (
                400,
                head.mac_style().bits() & 2 != 0,
                hhea.ascender().to_i16() as f64,
                hhea.descender().to_i16() as f64,
            ),
        };
        let family = family_name(&font).ok_or_else(|| bad("no family name"))?;
        let upem = head.units_per_em() as f64;
        let shared: Arc<Vec<u8>> = Arc::new(data);
        let shaper_font = harfrust::Font::new(shared.as_ref().clone(), 0).ok_or_else(|| bad("cannot shape"))?;
        let lang: harfrust::Language = "da".parse().map_err(|_| bad("language"))?;
        let plan = harfrust::ShapePlan::new(
            &shaper_font,
            harfrust::Direction::LeftToRight,
            Some(harfrust::Script::LATIN),
            Some(&lang),
            &[],
        );
        let mut low_coverage = vec![0u64; LOW.div_ceil(64) as usize].into_boxed_slice();
        let charmap = shaper_font.charmap();
        for u in 0..LOW {
            if charmap.map_unicode(u).is_some() {
                low_coverage[(u / 64) as usize] |= 1 << (u % 64);
            }
        }
        let id = FontId(self.faces.len() as u16);
        self.faces.push(FontFace {
            path,
            family,
            weight,
            italic,
            data: shared,
            upem,
            ascender: asc,
            descender: desc,
            shaper_font,
            plan,
            low_coverage,
        });
        Ok(id)
    }

    /// The face with this id.
    pub fn face(&self, id: FontId) -> &FontFace {
        &self.faces[id.0 as usize]
    }

    /// All faces, in id order.
    pub fn faces(&self) -> impl Iterator<Item = (FontId, &FontFace)> {
        self.faces.iter().enumerate().map(|(i, f)| (FontId(i as u16), f))
    }

    /// Sorted distinct family names.
    pub fn families(&self) -> Vec<String> {
        let mut v: Vec<String> = self.faces.iter().map(|f| f.family.clone()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// Finds the face of `family` with exactly this weight and style.
    pub fn find(&self, family: &str, weight: u16, italic: bool) -> Option<FontId> {
        self.faces()
            .find(|(_, f)| f.family.eq_ignore_ascii_case(family) && f.weight == weight && f.italic == italic)
            .map(|(id, _)| id)
    }

    /// Weights and styles available for a family, for hints.
    pub fn variants_of(&self, family: &str) -> Vec<String> {
        self.faces
            .iter()
            .filter(|f| f.family.eq_ignore_ascii_case(family))
            .map(|f| format!("{}{}", f.weight, if f.italic { " italic" } else { "" }))
            .collect()
    }
}

fn collect_fonts(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            collect_fonts(&p, out)?;
        } else if matches!(
            p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
            Some("ttf" | "otf")
        ) {
            out.push(p);
        }
    }
    Ok(())
}

fn family_name(font: &FontRef) -> Option<String> {
    let name = font.name().ok()?;
    let find = |id: u16| {
        name.name_record()
            .iter()
            .filter(|r| r.name_id().to_u16() == id)
            // Prefer Windows Unicode English records.
            .max_by_key(|r| (r.platform_id() == 3, r.language_id() == 0x409))
            .and_then(|r| r.string(name.string_data()).ok())
            .map(|s| s.chars().collect::<String>())
    };
    find(16).or_else(|| find(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_bit_set_agrees_with_the_cmap() {
        let book = FontBook::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts")).unwrap();
        assert!(book.faces().count() > 0);
        for (_, face) in book.faces() {
            let cmap = face.shaper_font.charmap();
            for u in (0..LOW + 0x200).chain([0x2603, 0x1F600]) {
                let Some(c) = char::from_u32(u) else { continue };
                assert_eq!(face.covers(c), cmap.map_unicode(u).is_some(), "{} U+{u:04X}", face.describe());
            }
            assert!(face.covers('æ') && face.covers('Ø') && !face.covers('\u{2603}'));
        }
    }
}
