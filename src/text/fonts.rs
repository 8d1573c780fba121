//! The font book: every font file in `fonts/`, indexed by family, weight and style.
//!
//! Fonts are only ever loaded from the project's `fonts/` folder, never from the system, so a
//! build is the same on every machine.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use read_fonts::{FontRef, TableProvider};
use skrifa::MetadataProvider;

use crate::diag::Diagnostic;

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
    /// Every glyph drawn once ([`check_glyphs`]) and what that found: made on first use, by
    /// [`FontBook::check_found`] for the faces the styles chose or by [`FontFace::covers`]
    /// (drawing all glyphs of the faces no style uses was a third of loading a project).
    glyphs: std::sync::OnceLock<Result<Glyphs, OutlineError>>,
    /// Whether [`FontBook::find`] has returned this face, so [`FontBook::check_found`] checks it.
    found: std::sync::atomic::AtomicBool,
}

/// What drawing every glyph of a face found.
struct Glyphs {
    /// Coverage of U+0000–U+24FF as a bit set: every character of every card is checked, and
    /// a cmap look-up per character showed in profiles.
    low_coverage: Box<[u64]>,
    /// Glyphs without any outline (one bit per glyph id): a character that needs ink is not
    /// covered by such a glyph, so it falls back or is reported instead of printing blank.
    empty: Box<[u64]>,
}

/// Characters below this are answered from [`FontFace::covers`]'s bit set.
const LOW: u32 = 0x2500;

impl std::fmt::Debug for FontFace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FontFace({} {} {})", self.family, self.weight, if self.italic { "italic" } else { "upright" })
    }
}

impl FontFace {
    /// Whether the font maps the character to a glyph that prints it. A face whose glyphs are
    /// damaged covers nothing (the damage itself is reported by [`FontBook::check_found`]).
    pub fn covers(&self, c: char) -> bool {
        let Ok(glyphs) = self.glyphs() else { return false };
        let u = c as u32;
        if u < LOW {
            return glyphs.low_coverage[(u / 64) as usize] & (1 << (u % 64)) != 0;
        }
        self.shaper_font.charmap().map_unicode(u).is_some_and(|g| prints(&glyphs.empty, c, g.to_u32()))
    }

    /// The glyph check of this face, made on first use.
    fn glyphs(&self) -> Result<&Glyphs, &OutlineError> {
        self.glyphs.get_or_init(|| check_glyphs(&self.data, &self.shaper_font)).as_ref()
    }

    /// The glyph check as the error a user sees, naming the file.
    fn damage(&self) -> Option<FontError> {
        let reason = self.glyphs().err()?;
        Some(FontError::Damaged { path: self.path.clone(), reason: reason.clone() })
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
    /// [`FontBook::fingerprint`], made on first use.
    fingerprint: std::sync::OnceLock<u64>,
}

/// How to mend a font file that cannot be used.
const DAMAGED_HINT: &str =
    "replace the file with an intact copy of the font (download it again), or remove it from fonts/";

/// Largest font file read.
pub const MAX_FONT_BYTES: u64 = 64_000_000;

impl FontBook {
    /// Loads every `.ttf`/`.otf` file below `dir` (sorted, so ids are stable).
    pub fn load_dir(dir: &Path) -> Result<FontBook, Diagnostic> {
        FontBook::load_dir_in(dir, dir)
    }

    /// Loads every `.ttf`/`.otf` file below `dir`, each of which must lie inside `root` after
    /// following links; a damaged font is an error naming its file (shown relative to `root`).
    pub fn load_dir_in(dir: &Path, root: &Path) -> Result<FontBook, Diagnostic> {
        let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
        let mut files = Vec::new();
        let mut seen = std::collections::HashSet::new();
        collect_fonts(dir, &mut files, &mut seen).map_err(|e| {
            Diagnostic::error(format!(
                "cannot read the font folder {}: {}",
                shown(dir).display(),
                crate::paths::io_reason(&e)
            ))
            .with_hint("the project needs a fonts/ folder with the fonts its layouts name")
        })?;
        files.sort();
        files.dedup();
        // Every glyph of every face is checked: read the faces in parallel, keep them in file order.
        use rayon::prelude::*;
        let faces: Vec<Result<FontFace, Diagnostic>> = files
            .par_iter()
            .map(|f| {
                let rel = shown(f);
                let rel_s = rel.display().to_string();
                let data = crate::paths::inside_root(root, f, &rel_s)
                    .and_then(|real| crate::paths::read_limited(&real, &rel_s, MAX_FONT_BYTES))
                    .map_err(|e| Diagnostic::error(e.describe("font file")).with_hint(e.hint).in_file(&rel))?;
                FontFace::read(rel.clone(), data)
                    .map_err(|e| Diagnostic::error(e.to_string()).with_hint(DAMAGED_HINT).in_file(&rel))
            })
            .collect();
        let mut book = FontBook::default();
        for face in faces {
            book.faces.push(face?);
        }
        Ok(book)
    }

    /// Adds one font from bytes, after checking that every glyph has an outline the PDF writer
    /// can embed.
    ///
    /// # Errors
    ///
    /// A font that cannot be read or embedded ([`FontError`]).
    pub fn add(&mut self, path: PathBuf, data: Vec<u8>) -> Result<FontId, FontError> {
        let face = FontFace::read(path, data)?;
        if let Some(e) = face.damage() {
            return Err(e);
        }
        let id = FontId(self.faces.len() as u16);
        self.faces.push(face);
        Ok(id)
    }
}

impl FontFace {
    /// Reads one font, checking that its tables are whole and that it has outlines the PDF writer
    /// can embed; its glyphs are drawn when a style first asks for it ([`FontFace::glyphs`]).
    fn read(path: PathBuf, data: Vec<u8>) -> Result<FontFace, FontError> {
        let bad = |what: &'static str| FontError::Unusable { path: path.clone(), what };
        check_tables(&data).map_err(|reason| FontError::Damaged { path: path.clone(), reason })?;
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
        Ok(FontFace {
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
            glyphs: std::sync::OnceLock::new(),
            found: std::sync::atomic::AtomicBool::new(false),
        })
    }
}

impl FontBook {
    /// The face with this id.
    pub fn face(&self, id: FontId) -> &FontFace {
        &self.faces[id.0 as usize]
    }

    /// A hash of every face's file name and bytes (SipHash), made once per book: the card-face
    /// cache of `watch` and `serve` keys on it in every pass over a deck, and the files are
    /// megabytes.
    pub fn fingerprint(&self) -> u64 {
        *self.fingerprint.get_or_init(|| {
            use std::hash::{Hash, Hasher};
            let mut h = std::hash::DefaultHasher::new();
            for f in &self.faces {
                (&f.path, f.data.as_slice()).hash(&mut h);
            }
            h.finish()
        })
    }

    /// All faces, in id order.
    pub fn faces(&self) -> impl Iterator<Item = (FontId, &FontFace)> {
        self.faces.iter().enumerate().map(|(i, f)| (FontId(i as u16), f))
    }

    /// Every face's font file, in id order (shared, not copied).
    #[must_use]
    pub fn files(&self) -> Vec<Arc<Vec<u8>>> {
        self.faces.iter().map(|f| f.data.clone()).collect()
    }

    /// Sorted distinct family names.
    pub fn families(&self) -> Vec<String> {
        let mut v: Vec<String> = self.faces.iter().map(|f| f.family.clone()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// Finds the face of `family` with exactly this weight and style, and marks it for
    /// [`FontBook::check_found`].
    pub fn find(&self, family: &str, weight: u16, italic: bool) -> Option<FontId> {
        let (id, face) = self
            .faces()
            .find(|(_, f)| f.family.eq_ignore_ascii_case(family) && f.weight == weight && f.italic == italic)?;
        face.found.store(true, std::sync::atomic::Ordering::Relaxed);
        Some(id)
    }

    /// Draws every glyph of each face [`FontBook::find`] has returned (the faces the styles use,
    /// in parallel; each face once per process) and reports those that are damaged, as errors
    /// naming the font file. A face no style uses is never printed: its tables are checked when
    /// it is read, its glyphs only if something asks for it.
    #[must_use]
    pub fn check_found(&self) -> Vec<Diagnostic> {
        use rayon::prelude::*;
        let found = |f: &&FontFace| f.found.load(std::sync::atomic::Ordering::Relaxed);
        let used: Vec<&FontFace> = self.faces.iter().filter(found).collect();
        used.par_iter()
            .filter_map(|f| Some(Diagnostic::error(f.damage()?.to_string()).with_hint(DAMAGED_HINT).in_file(&f.path)))
            .collect()
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

/// Font files below `dir`. A folder reached twice through links is read once, so a link loop
/// cannot recurse without end.
fn collect_fonts(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    seen: &mut std::collections::HashSet<PathBuf>,
) -> std::io::Result<()> {
    if !seen.insert(dir.canonicalize()?) {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            collect_fonts(&p, out, seen)?;
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

/// Characters that legitimately print nothing: spaces, controls, default-ignorable format
/// characters and the Hangul fillers.
fn may_be_blank(c: char) -> bool {
    let u = c as u32;
    c.is_whitespace()
        || c.is_control()
        || matches!(
            u,
            0x00AD
                | 0x034F
                | 0x061C
                | 0x115F..=0x1160
                | 0x17B4..=0x17B5
                | 0x180B..=0x180F
                | 0x200B..=0x200F
                | 0x202A..=0x202E
                | 0x2060..=0x206F
                | 0x2800
                | 0x3164
                | 0xFE00..=0xFE0F
                | 0xFEFF
                | 0xFFA0
                | 0xFFF0..=0xFFF8
                | 0x1BCA0..=0x1BCA3
                | 0x1D173..=0x1D17A
                | 0xE0000..=0xE0FFF
        )
}

/// Counts drawing commands; a glyph that draws none has no outline.
#[derive(Default)]
struct CountPen(usize);

impl skrifa::outline::OutlinePen for CountPen {
    fn move_to(&mut self, _: f32, _: f32) {}
    fn line_to(&mut self, _: f32, _: f32) {
        self.0 += 1;
    }
    fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {
        self.0 += 1;
    }
    fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {
        self.0 += 1;
    }
    fn close(&mut self) {}
}

/// Why a font file cannot be used. Display gives the message users see.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// Its glyphs cannot all be embedded as outlines.
    #[error("{}: {} font: {reason}", .path.display(), if reason.is_damage() { "damaged" } else { "unsuitable" })]
    Damaged {
        /// The font file.
        path: PathBuf,
        /// What is wrong with its glyphs.
        reason: OutlineError,
    },
    /// A table or name it needs is missing.
    #[error("{}: not a usable font ({what})", .path.display())]
    Unusable {
        /// The font file.
        path: PathBuf,
        /// What is missing.
        what: &'static str,
    },
}

/// Why a font's glyphs cannot all be embedded as outlines (see [`check_tables`] and
/// [`check_glyphs`]).
#[derive(Clone, Debug, thiserror::Error)]
pub enum OutlineError {
    /// The file is no font.
    #[error("cannot parse it ({0})")]
    Parse(skrifa::raw::ReadError),
    /// No outline table.
    #[error("it has no glyph outlines (no glyf or CFF table); the file may be cut off")]
    NoOutlines,
    /// Only CFF2 outlines, which the PDF writer cannot subset.
    #[error(
        "its outlines are CFF2 (a variable font with PostScript outlines), which cannot be embedded \
         for print; use a static instance of the font (an .otf or .ttf per weight)"
    )]
    Cff2,
    /// Colour or bitmap glyphs (the table's tag).
    #[error("it has colour or bitmap glyphs ({0} table), which cannot be embedded as outlines for print")]
    Colour(String),
    /// The outline tables are damaged.
    #[error("its outline tables cannot be read (glyf/loca or CFF damaged)")]
    Unreadable,
    /// No glyph count.
    #[error("no maxp table ({0})")]
    NoMaxp(skrifa::raw::ReadError),
    /// A glyph that cannot be found.
    #[error("glyph {0} cannot be read")]
    Glyph(u32),
    /// A glyph whose outline cannot be drawn.
    #[error("glyph {0} is damaged ({1})")]
    DamagedGlyph(u32, skrifa::outline::DrawError),
    /// A table that runs past the end of the file.
    #[error("its `{0}` table runs past the end of the file, which was cut off")]
    Truncated(String),
    /// A letter, digit or sign without ink.
    #[error("the glyph for `{0}` (U+{code:04X}) has no outline, so it would print blank; the font was damaged or stripped", code = u32::from(*.0))]
    Blank(char),
}

impl OutlineError {
    /// Whether the file is damaged, rather than a sound font of a kind that cannot be printed.
    pub fn is_damage(&self) -> bool {
        !matches!(self, OutlineError::Colour(_) | OutlineError::Cff2)
    }
}

/// Whether glyph `g` shows character `c`: it has an outline, or `c` needs none.
fn prints(empty: &[u64], c: char, g: u32) -> bool {
    let blank = empty.get((g / 64) as usize).is_some_and(|w| w & (1 << (g % 64)) != 0);
    !blank || may_be_blank(c)
}

/// Checks, when a font is read, that the PDF writer can embed its glyphs as outlines: krilla
/// embeds glyf and CFF outlines as a CID font and falls back to a Type 3 font for a font
/// without them or for colour (COLR, SVG) and bitmap glyphs, which then print blank or in RGB.
/// A CFF2 font (variable, PostScript outlines) cannot be subset without converting its outlines
/// (see vendor/krilla/TRYKSAG-PATCHES.md), so it is refused here rather than at export.
/// Every table must lie inside the file (a cut-off file fails here).
fn check_tables(data: &[u8]) -> Result<(), OutlineError> {
    let font = skrifa::FontRef::new(data).map_err(OutlineError::Parse)?;
    if let Some(r) = font
        .table_directory
        .table_records()
        .iter()
        .find(|r| (r.offset() as usize).checked_add(r.length() as usize).is_none_or(|end| end > data.len()))
    {
        return Err(OutlineError::Truncated(r.tag().to_string().trim().to_string()));
    }
    let has = |tag: &[u8; 4]| font.table_data(skrifa::Tag::new(tag)).is_some();
    if !has(b"glyf") && !has(b"CFF ") {
        return Err(if has(b"CFF2") { OutlineError::Cff2 } else { OutlineError::NoOutlines });
    }
    if let Some(t) = [b"COLR", b"SVG ", b"sbix", b"CBDT"].into_iter().find(|t| has(t)) {
        return Err(OutlineError::Colour(String::from_utf8_lossy(t).trim().to_string()));
    }
    if font.outline_glyphs().format().is_none() {
        return Err(OutlineError::Unreadable);
    }
    font.maxp().map_err(OutlineError::NoMaxp)?;
    Ok(())
}

/// Draws every glyph once with skrifa (a damaged glyph table fails here), and checks that every
/// letter, digit and ASCII sign the font maps has ink (a font whose glyphs were stripped is
/// refused). Returns which glyphs have no outline and which low characters the font prints.
fn check_glyphs(data: &[u8], shaper_font: &harfrust::Font) -> Result<Glyphs, OutlineError> {
    let font = skrifa::FontRef::new(data).map_err(OutlineError::Parse)?;
    let outlines = font.outline_glyphs();
    let count = font.maxp().map_err(OutlineError::NoMaxp)?.num_glyphs();
    let mut empty = vec![0u64; usize::from(count).div_ceil(64)].into_boxed_slice();
    let settings = || {
        skrifa::outline::DrawSettings::unhinted(
            skrifa::instance::Size::unscaled(),
            skrifa::instance::LocationRef::default(),
        )
    };
    for g in 0..u32::from(count) {
        let glyph = outlines.get(skrifa::GlyphId::new(g)).ok_or(OutlineError::Glyph(g))?;
        let mut pen = CountPen::default();
        glyph.draw(settings(), &mut pen).map_err(|e| OutlineError::DamagedGlyph(g, e))?;
        if pen.0 == 0 {
            empty[(g / 64) as usize] |= 1 << (g % 64);
        }
    }
    for (u, g) in font.charmap().mappings() {
        let Some(c) = char::from_u32(u) else { continue };
        let g = g.to_u32();
        let is_empty = empty.get((g / 64) as usize).is_none_or(|w| w & (1 << (g % 64)) != 0);
        if is_empty && (c.is_alphanumeric() || c.is_ascii_graphic()) && !may_be_blank(c) {
            return Err(OutlineError::Blank(c));
        }
    }
    let mut low_coverage = vec![0u64; LOW.div_ceil(64) as usize].into_boxed_slice();
    let charmap = shaper_font.charmap();
    for u in 0..LOW {
        let Some(c) = char::from_u32(u) else { continue };
        if charmap.map_unicode(u).is_some_and(|g| prints(&empty, c, g.to_u32())) {
            low_coverage[(u / 64) as usize] |= 1 << (u % 64);
        }
    }
    Ok(Glyphs { low_coverage, empty })
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
                let prints = cmap.map_unicode(u).is_some_and(|g| prints(&face.glyphs().unwrap().empty, c, g.to_u32()));
                assert_eq!(face.covers(c), prints, "{} U+{u:04X}", face.describe());
                // The shipped fonts have an outline for every character that needs one.
                assert_eq!(prints, cmap.map_unicode(u).is_some(), "{} U+{u:04X}", face.describe());
            }
            assert!(face.covers('æ') && face.covers('Ø') && !face.covers('\u{2603}'));
        }
    }
}
