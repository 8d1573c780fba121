//! Setting paragraphs: markup → shaped pieces → Knuth–Plass breaks → positioned glyph lines.

use std::ops::Range;

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::align::Align;
use super::breaker::{self, INF_PENALTY, Item, Params};
use super::fonts::FontId;
use super::hyphenate::{self, Hyphenator, Point, SOFT_HYPHEN, WordRules};
use super::markup::Paragraph;
use super::nobreak;
use super::shape::Shaper;
use super::url;
use crate::units::Pt;

/// The fonts of one style: the regular face and the variants markup may ask for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FontSet {
    /// Used for plain text.
    pub regular: FontId,
    /// `**bold**`.
    pub bold: Option<FontId>,
    /// `*italic*`.
    pub italic: Option<FontId>,
    /// `***both***`.
    pub bold_italic: Option<FontId>,
}

/// Everything the typesetter needs to know about a text style, in points.
#[derive(Clone, Debug, PartialEq)]
pub struct ParaStyle {
    /// Fonts.
    pub fonts: FontSet,
    /// Font size.
    pub size: Pt,
    /// Baseline distance.
    pub leading: Pt,
    /// Alignment.
    pub align: Align,
    /// Hyphenate.
    pub hyphenate: bool,
    /// Letter spacing in 1/1000 em.
    pub tracking: f64,
    /// Set in capitals.
    pub uppercase: bool,
    /// Extra space between paragraphs.
    pub paragraph_spacing: Pt,
    /// Fonts to use, in order, for characters the main fonts lack (declared in the layout).
    pub fallback: Vec<FontSet>,
    /// Hyphenation and line-breaking rules.
    pub breaking: Breaking,
}

/// How a style hyphenates and breaks lines (the defaults are Danish practice).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Breaking {
    /// Which words are hyphenated and how close to their ends.
    pub words: WordRules,
    /// Most hyphenated lines in a row; `None`: 2 for justified text, 1 for ragged.
    pub hyphens_in_row: Option<usize>,
    /// Fewest characters on the last line of a paragraph of two or more lines.
    pub last_line_chars: usize,
    /// Least width of that last line, as a fraction of the measure.
    pub last_line_fraction: f64,
}

impl Default for Breaking {
    /// Words of fewer than 7 letters whole, 3 letters each side of a hyphen, hyphens in a row
    /// by alignment, and a last line no shorter than 7 characters (not a single short word).
    fn default() -> Self {
        Breaking { words: WordRules::default(), hyphens_in_row: None, last_line_chars: 7, last_line_fraction: 0.0 }
    }
}

/// Hyphen penalties: a compound joint (or the author's point) costs less than a break inside a
/// stem, and ragged text, which needs no hyphen to fill its lines, pays far more for one.
const HYPHEN_JUSTIFIED: f64 = 50.0;
const HYPHEN_RAGGED: f64 = 200.0;
/// Factor on the penalty of a break inside a stem.
const STEM_FACTOR: f64 = 2.0;

impl ParaStyle {
    /// The same style at another size, leading and spacing scaled along.
    pub fn scaled_to(&self, size: Pt) -> ParaStyle {
        let k = size.0 / self.size.0;
        ParaStyle { size, leading: self.leading * k, paragraph_spacing: self.paragraph_spacing * k, ..self.clone() }
    }
}

/// A glyph placed on a line. Stored compactly (24 bytes; a 10 000-card deck places millions):
/// lengths in points as `f32`, which is what the PDF writer takes anyway. Line breaking and
/// justification work in `f64` before glyphs are placed.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedGlyph {
    /// Glyph id in its font.
    pub id: u16,
    advance: f32,
    x_offset: f32,
    y_offset: f32,
    text: Range<u32>,
}

impl PlacedGlyph {
    /// A glyph with its advance (including tracking and justification), offsets (right, up) and
    /// the byte range of its characters in the run's text.
    #[must_use]
    pub fn new(id: u16, advance: Pt, x_offset: Pt, y_offset: Pt, text: Range<usize>) -> Self {
        PlacedGlyph {
            id,
            advance: advance.0 as f32,
            x_offset: x_offset.0 as f32,
            y_offset: y_offset.0 as f32,
            text: text.start as u32..text.end as u32,
        }
    }

    /// Advance to the next glyph.
    #[must_use]
    pub fn advance(&self) -> Pt {
        Pt(f64::from(self.advance))
    }

    /// Offset right.
    #[must_use]
    pub fn x_offset(&self) -> Pt {
        Pt(f64::from(self.x_offset))
    }

    /// Offset up.
    #[must_use]
    pub fn y_offset(&self) -> Pt {
        Pt(f64::from(self.y_offset))
    }

    /// The glyph's characters in the run's `text` (byte range).
    #[must_use]
    pub fn text(&self) -> Range<usize> {
        self.text.start as usize..self.text.end as usize
    }
}

/// Glyphs of one font on one line.
#[derive(Clone, Debug, PartialEq)]
pub struct GlyphRun {
    /// Font.
    pub font: FontId,
    /// Font size.
    pub size: Pt,
    /// Start of the run from the block's left edge.
    pub x: Pt,
    /// The glyphs.
    pub glyphs: Vec<PlacedGlyph>,
    /// The text the glyphs stand for (for copy and search in the PDF).
    pub text: String,
    /// The run ends in a hyphen that line breaking inserted (its last glyph; `text` ends with
    /// `-` for it): not part of the words, so the text layer marks it as a soft hyphen.
    pub inserted_hyphen: bool,
    /// What the run reads as in whole words, when line breaking split a word across lines: a run
    /// that ends in the inserted hyphen reads on to the end of the whole word, a run that begins
    /// with the word's continuation reads from after it (so a screen reader says the word once,
    /// whole). `None`: the run reads as its `text`.
    pub whole_words: Option<String>,
}

/// One set line.
#[derive(Clone, Debug, PartialEq)]
pub struct SetLine {
    /// Baseline, from the top of the block.
    pub baseline: Pt,
    /// Runs, left to right.
    pub runs: Vec<GlyphRun>,
    /// Width of the inked line (after alignment it starts at `runs[0].x`).
    pub width: Pt,
    /// How line breaking set it (for the typography report).
    pub fit: LineFit,
}

/// How line breaking set a line: what a designer reviews (`tryksag check --typography`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LineFit {
    /// The breaker's adjustment ratio (>0 stretched, <0 shrunk; for ragged text how short).
    pub ratio: f32,
    /// Word spaces as set, as a fraction of their natural width (1.0: unchanged; 1.25: a
    /// quarter wider). Only justified lines change it.
    pub spacing: f32,
    /// Set looser than the tolerance (the emergency pass; the loose-line warning counts it).
    pub beyond_tolerance: bool,
    /// The last line of its paragraph.
    pub last: bool,
    /// A last line shorter than the style allows, which no other breaks avoid.
    pub short: bool,
}

/// A typeset block of text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TextBlock {
    /// Lines, top to bottom.
    pub lines: Vec<SetLine>,
    /// From the top of the first line's ascender to the bottom of the last line's descender.
    pub height: Pt,
    /// Number of lines set looser than the tolerance (emergency breaking).
    pub loose_lines: usize,
    /// Number of paragraphs whose last line is shorter than the style allows (no other breaks
    /// avoid it).
    pub short_last_lines: usize,
    /// Keep-together phrases and held spaces ("70 27 07 07") wider than the line, set broken.
    pub unkept: Vec<String>,
}

/// Why text could not be set. Display gives the lower-case message users see.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum TextError {
    /// Unbalanced markup.
    #[error("markup error: {0}")]
    Markup(crate::text::markup::MarkupError),
    /// A character the font does not have.
    #[error("character `{ch}` (U+{:04X}) is missing from font {font}", u32::from(*.ch))]
    MissingGlyph {
        /// The character.
        ch: char,
        /// The font that lacks it.
        font: String,
    },
    /// Markup asks for a variant the family does not have.
    #[error("the text uses {variant}, but the style's font family has no {variant} face in fonts/")]
    MissingVariant {
        /// "bold", "italic" or "bold italic".
        variant: &'static str,
    },
    /// A word is wider than the text box.
    #[error("`{word}` is {} wider than the text box", by_how_much(*.over))]
    Overfull {
        /// The word.
        word: String,
        /// By how much.
        over: Pt,
    },
}

/// How much too wide, readable at any size: tenths of a millimetre, hundredths below that
/// (never "0.0 mm wider").
fn by_how_much(over: Pt) -> String {
    let mm = over.to_mm().0;
    if mm >= 0.095 {
        format!("{mm:.1} mm")
    } else if mm >= 0.005 {
        format!("{mm:.2} mm")
    } else {
        "less than 0.01 mm".into()
    }
}

impl TextError {
    /// A lower-case message for diagnostics (its Display).
    pub fn message(&self) -> String {
        self.to_string()
    }
}

/// Shaped glyph in the paragraph's glyph store (points, absolute text offsets).
#[derive(Clone, Copy, Debug)]
struct G {
    id: u16,
    adv: f64,
    xo: f64,
    yo: f64,
    start: usize,
    end: usize,
    font: FontId,
}

/// Marks a glyph that has no source text (an inserted hyphen).
const HYPHEN_TEXT: usize = usize::MAX;

/// Sets text; holds the shaping cache and the deck's hyphenation rules.
pub struct Typesetter<'a> {
    shaper: Shaper<'a>,
    hyph: &'a Hyphenator,
    /// Hyphenation points per word (words repeat a lot across cards).
    hyph_cache: std::cell::RefCell<rustc_hash::FxHashMap<String, (Vec<Point>, bool)>>,
    /// The project's keep-together phrases.
    keep: &'a [String],
}

impl<'a> Typesetter<'a> {
    /// A typesetter over a shaper and hyphenation rules.
    pub fn new(shaper: Shaper<'a>, hyph: &'a Hyphenator) -> Typesetter<'a> {
        Typesetter { shaper, hyph, hyph_cache: Default::default(), keep: &[] }
    }

    /// The same typesetter keeping `phrases` on one line ("EN AF OS").
    #[must_use]
    pub fn keep_together(self, phrases: &'a [String]) -> Typesetter<'a> {
        Typesetter { keep: phrases, ..self }
    }

    /// The shaper (for font lookups).
    pub fn shaper(&self) -> &Shaper<'a> {
        &self.shaper
    }

    /// Sets paragraphs into a column `width` wide.
    pub fn set(&self, paras: &[Paragraph], style: &ParaStyle, width: Pt) -> Result<TextBlock, TextError> {
        crate::timing::time(crate::timing::Stage::Text, || self.set_untimed(paras, style, width))
    }

    fn set_untimed(&self, paras: &[Paragraph], style: &ParaStyle, width: Pt) -> Result<TextBlock, TextError> {
        let book = self.shaper.book();
        let face = book.face(style.fonts.regular);
        let asc = face.ascender / face.upem * style.size.0;
        let desc = -face.descender / face.upem * style.size.0;
        let mut block = TextBlock::default();
        let mut y = asc;
        for (pi, para) in paras.iter().enumerate() {
            if pi > 0 {
                y += style.leading.0 + style.paragraph_spacing.0;
            }
            let indent = if para.bullet { style.size.0 * 1.1 } else { 0.0 };
            let (lines, breaks, unkept) = self.set_paragraph(para, style, width.0 - indent)?;
            block.loose_lines += breaks.loose_lines.len();
            block.short_last_lines += usize::from(breaks.short_last_line);
            block.unkept.extend(unkept);
            for (li, mut line) in lines.into_iter().enumerate() {
                if li > 0 {
                    y += style.leading.0;
                }
                line.baseline = Pt(y);
                for r in &mut line.runs {
                    r.x += Pt(indent);
                }
                if para.bullet && li == 0 {
                    line.runs.insert(0, self.bullet(style)?);
                }
                block.lines.push(line);
            }
        }
        block.height = if block.lines.is_empty() { Pt::ZERO } else { Pt(y + desc) };
        Ok(block)
    }

    fn bullet(&self, style: &ParaStyle) -> Result<GlyphRun, TextError> {
        let font = style.fonts.regular;
        let glyphs = self.shaper.shape(font, "•");
        let face = self.shaper.book().face(font);
        if glyphs.iter().any(|g| g.id == 0) {
            return Err(TextError::MissingGlyph { ch: '•', font: face.describe() });
        }
        let k = style.size.0 / face.upem;
        Ok(GlyphRun {
            font,
            size: style.size,
            x: Pt::ZERO,
            glyphs: glyphs
                .iter()
                .map(|g| PlacedGlyph::new(g.id, Pt(g.advance as f64 * k), Pt::ZERO, Pt::ZERO, 0..3))
                .collect(),
            text: "•".into(),
            inserted_hyphen: false,
            whole_words: None,
        })
    }

    fn font_for(&self, fonts: &FontSet, bold: bool, italic: bool) -> Result<FontId, TextError> {
        match (bold, italic) {
            (false, false) => Ok(fonts.regular),
            (true, false) => fonts.bold.ok_or(TextError::MissingVariant { variant: "bold" }),
            (false, true) => fonts.italic.ok_or(TextError::MissingVariant { variant: "italic" }),
            (true, true) => fonts.bold_italic.ok_or(TextError::MissingVariant { variant: "bold italic" }),
        }
    }

    /// Shapes `t[range]` with `font`, appending to `store` in points; checks coverage.
    fn shape_into(
        &self,
        t: &str,
        range: Range<usize>,
        font: FontId,
        style: &ParaStyle,
        store: &mut Vec<G>,
    ) -> Result<(), TextError> {
        if range.is_empty() {
            return Ok(());
        }
        let face = self.shaper.book().face(font);
        let k = style.size.0 / face.upem;
        let track = style.tracking / 1000.0 * style.size.0;
        let shaped = self.shaper.shape(font, &t[range.clone()]);
        let first = store.len();
        for g in shaped.iter() {
            let start = range.start + g.cluster as usize;
            if g.id == 0 {
                let ch = t[start..].chars().next().unwrap_or('?');
                return Err(TextError::MissingGlyph { ch, font: face.describe() });
            }
            store.push(G {
                id: g.id,
                adv: g.advance as f64 * k + track,
                xo: g.x_offset as f64 * k,
                yo: g.y_offset as f64 * k,
                start,
                end: range.end,
                font,
            });
        }
        // A glyph's text ends where the next cluster begins.
        for i in first..store.len() {
            let next = store[i + 1..].iter().map(|g| g.start).find(|&s| s > store[i].start);
            if let Some(n) = next {
                store[i].end = n;
            }
        }
        Ok(())
    }

    /// Sets one paragraph; returns its lines (baselines unset) and the breaker's findings.
    fn set_paragraph(
        &self,
        para: &Paragraph,
        style: &ParaStyle,
        width: f64,
    ) -> Result<(Vec<SetLine>, breaker::Breaks, Vec<String>), TextError> {
        // 1. Text with font runs; soft hyphens removed and remembered.
        let mut t = String::new();
        let mut runs: Vec<(Range<usize>, FontId)> = Vec::new();
        let mut shy: Vec<usize> = Vec::new();
        let book = self.shaper.book();
        for span in &para.spans {
            let font = self.font_for(&style.fonts, span.bold, span.italic)?;
            let text = if style.uppercase { span.text.to_uppercase() } else { span.text.clone() };
            for c in text.chars() {
                if c == SOFT_HYPHEN {
                    shy.push(t.len());
                    continue;
                }
                // A character the font lacks goes to the first declared fallback that has it.
                let f = if c.is_whitespace() || book.face(font).covers(c) {
                    font
                } else {
                    style
                        .fallback
                        .iter()
                        .map(|set| self.font_for(set, span.bold, span.italic).unwrap_or(set.regular))
                        .find(|&fb| book.face(fb).covers(c))
                        .unwrap_or(font)
                };
                let start = t.len();
                t.push(c);
                match runs.last_mut() {
                    Some((r, rf)) if *rf == f && r.end == start => r.end = t.len(),
                    _ => runs.push((start..t.len(), f)),
                }
            }
        }
        if t.trim().is_empty() {
            return Ok((
                Vec::new(),
                breaker::Breaks { lines: vec![], loose_lines: vec![], short_last_line: false },
                Vec::new(),
            ));
        }
        let holds = nobreak::Holds::find(&t, self.keep, style.uppercase);
        let urls = url::url_ranges(&t);
        // Per group of held spaces: the items that hold them.
        let mut held: Vec<Vec<usize>> = vec![Vec::new(); holds.groups.len()];
        let font_at =
            |pos: usize| runs.iter().find(|(r, _)| r.contains(&pos)).map(|r| r.1).unwrap_or(style.fonts.regular);

        // 2. Items.
        let mut store: Vec<G> = Vec::new();
        let mut items: Vec<Item> = Vec::new();
        let mut glyphs_of: Vec<Range<usize>> = Vec::new();
        // Each word's hyphenation points, in one buffer for the paragraph.
        let mut points: Vec<(usize, bool)> = Vec::new();
        let mut push = |items: &mut Vec<Item>, item: Item, g: Range<usize>| {
            items.push(item);
            glyphs_of.push(g);
        };
        let justify = style.align == Align::Justify;
        let hyphen_cost = if justify { HYPHEN_JUSTIFIED } else { HYPHEN_RAGGED };
        let mut prev = 0;
        for (idx, op) in linebreaks(&t) {
            let seg = &t[prev..idx];
            let body = seg.trim_end_matches(['\n', '\r']);
            let mandatory = op == BreakOpportunity::Mandatory;
            let word_end = prev + body.trim_end_matches([' ', '\t']).len();
            let space_end = prev + body.len();
            // Word: split at font boundaries for shaping, at hyphenation points for breaking.
            if word_end > prev {
                let g0 = store.len();
                for (r, f) in &runs {
                    let a = r.start.max(prev);
                    let b = r.end.min(word_end);
                    if a < b {
                        self.shape_into(&t, a..b, *f, style, &mut store)?;
                    }
                }
                let wend = store.len();
                points.clear();
                if style.hyphenate && !urls.iter().any(|r| r.contains(&prev)) {
                    self.hyphen_points(&t, prev..word_end, &shy, &style.breaking.words, &mut points);
                }
                if !holds.is_empty() {
                    points.retain(|&(p, _)| !holds.in_phrase(p));
                }
                let mut piece_start = g0;
                for &(p, preferred) in &points {
                    // Only where a glyph boundary falls exactly on the point (no ligature across it).
                    let Some(split) = (piece_start..wend).find(|&i| store[i].start == p) else { continue };
                    if split == piece_start {
                        continue;
                    }
                    let w: f64 = store[piece_start..split].iter().map(|g| g.adv).sum();
                    push(&mut items, Item::Box { width: w }, piece_start..split);
                    // Hyphen glyphs live after the word's glyphs in the store.
                    let hy = self.hyphen(store[split - 1].font, style)?;
                    let h0 = store.len();
                    store.push(hy);
                    let cost = if preferred { hyphen_cost } else { hyphen_cost * STEM_FACTOR };
                    push(&mut items, Item::Penalty { width: hy.adv, cost, flagged: true }, h0..h0 + 1);
                    piece_start = split;
                }
                let w: f64 = store[piece_start..wend].iter().map(|g| g.adv).sum();
                push(&mut items, Item::Box { width: w }, piece_start..wend);
            }
            if space_end > word_end && !mandatory {
                if let Some(g) = holds.group_of_space(word_end) {
                    // A penalty before the glue makes it no break (glue breaks only after a box).
                    held[g].push(items.len());
                    push(&mut items, Item::Penalty { width: 0.0, cost: INF_PENALTY, flagged: false }, 0..0);
                }
                let font = font_at(word_end);
                let g0 = store.len();
                self.shape_into(&t, word_end..space_end, font, style, &mut store)?;
                let w: f64 = store[g0..].iter().map(|g| g.adv).sum();
                push(
                    &mut items,
                    Item::Glue {
                        width: w,
                        stretch: if justify { w * 0.5 } else { 0.0 },
                        shrink: if justify { w * 0.33 } else { 0.0 },
                    },
                    g0..store.len(),
                );
            } else if mandatory {
                push(&mut items, Item::Penalty { width: 0.0, cost: -INF_PENALTY, flagged: false }, 0..0);
            } else if word_end > prev {
                // A break without space, e.g. after a hyphen or a dash.
                // A web address's own hyphen is a place to break it, not a hyphenation.
                let hyphen = t[..word_end].ends_with('-') && !urls.iter().any(|r| r.contains(&prev));
                push(
                    &mut items,
                    Item::Penalty { width: 0.0, cost: if hyphen { 50.0 } else { 0.0 }, flagged: hyphen },
                    0..0,
                );
            }
            prev = idx;
        }

        // 3. Break.
        let rules = &style.breaking;
        // The last `last_line_chars` characters of the paragraph: a last line at least as wide as
        // they are holds at least that many characters (it is a suffix of the text).
        let tail = t.trim_end();
        let from = tail.char_indices().rev().nth(rules.last_line_chars.saturating_sub(1)).map_or(0, |(i, _)| i);
        let tail_w: f64 = if rules.last_line_chars == 0 {
            0.0
        } else {
            store.iter().filter(|g| g.start != HYPHEN_TEXT && g.start >= from).map(|g| g.adv).sum()
        };
        let params = Params {
            width,
            ragged_stretch: if justify { None } else { Some(3.0 * style.size.0) },
            hyphenate: style.hyphenate,
            hyphens_in_row: rules.hyphens_in_row.unwrap_or(if justify { 2 } else { 1 }),
            last_line_min: tail_w.max(rules.last_line_fraction * width),
        };
        let mut unkept = Vec::new();
        let mut breaks = breaker::break_lines(&items, &params);
        if breaks.is_err() {
            // What is held together but wider than the line is let go (a warning), not an error.
            for (g, at) in held.iter().enumerate() {
                let r = &holds.groups[g];
                let w: f64 = (0..items.len())
                    .filter(|&i| glyphs_of[i].start < glyphs_of[i].end && r.contains(&store[glyphs_of[i].start].start))
                    .map(|i| match items[i] {
                        Item::Box { width } | Item::Glue { width, .. } => width,
                        Item::Penalty { .. } => 0.0,
                    })
                    .sum();
                if w > width && !at.is_empty() {
                    at.iter().for_each(|&i| items[i] = Item::Box { width: 0.0 });
                    unkept.push(t[holds.groups[g].clone()].to_string());
                }
            }
            if !unkept.is_empty() {
                breaks = breaker::break_lines(&items, &params);
            }
        }
        let breaks = breaks.map_err(|o| {
            let g = &glyphs_of[o.item];
            let (a, b) = (store[g.start].start, store[g.end - 1].end);
            // Report the whole word around the piece.
            let ws = t[..a].rfind(char::is_whitespace).map(|i| i + 1).unwrap_or(0);
            let we = t[b..].find(char::is_whitespace).map(|i| b + i).unwrap_or(t.len());
            TextError::Overfull { word: t[ws..we].to_string(), over: Pt(o.over) }
        })?;

        // 4. Lines.
        let mut lines = Vec::with_capacity(breaks.lines.len());
        let mut prev_at = usize::MAX;
        // Where the word split at the end of the previous line ends in `t`.
        let mut continued: Option<usize> = None;
        for (li, br) in breaks.lines.iter().enumerate() {
            let start = breaker::line_start(&items, prev_at);
            // Natural and set width of the line's word spaces.
            let (mut natural, mut set) = (0.0, 0.0);
            let forced = matches!(items[br.at], Item::Penalty { cost, .. } if cost <= -INF_PENALTY);
            let mut gl: Vec<G> = Vec::new();
            for i in start..br.at {
                match items[i] {
                    Item::Box { .. } => gl.extend_from_slice(&store[glyphs_of[i].clone()]),
                    Item::Glue { stretch, shrink, .. } => {
                        let r = &glyphs_of[i];
                        let extra = if !justify || forced {
                            0.0
                        } else if br.ratio > 0.0 {
                            br.ratio * stretch
                        } else {
                            br.ratio * shrink
                        };
                        let n = r.len().max(1) as f64;
                        natural += store[r.clone()].iter().map(|g| g.adv).sum::<f64>();
                        set += extra;
                        gl.extend(store[r.clone()].iter().map(|g| G { adv: g.adv + extra / n, ..*g }));
                    }
                    Item::Penalty { .. } => {}
                }
            }
            if let Item::Penalty { width, .. } = items[br.at]
                && width > 0.0
            {
                gl.extend_from_slice(&store[glyphs_of[br.at].clone()]);
            }
            prev_at = br.at;
            let line_w: f64 = gl.iter().map(|g| g.adv).sum();
            let x0 = match style.align {
                Align::Left | Align::Justify => 0.0,
                Align::Center => (width - line_w) / 2.0,
                Align::Right => width - line_w,
            };
            let mut runs = make_runs(&t, &gl, style.size, x0);
            continued = whole_words(&t, &gl, &mut runs, continued);
            let last = li + 1 == breaks.lines.len();
            let fit = LineFit {
                ratio: br.ratio as f32,
                spacing: if natural > 0.0 { ((natural + set) / natural) as f32 } else { 1.0 },
                beyond_tolerance: breaks.loose_lines.contains(&(li + 1)),
                last,
                short: last && breaks.short_last_line,
            };
            lines.push(SetLine { baseline: Pt::ZERO, runs, width: Pt(line_w), fit });
        }
        Ok((lines, breaks, unkept))
    }

    fn hyphen(&self, font: FontId, style: &ParaStyle) -> Result<G, TextError> {
        let face = self.shaper.book().face(font);
        let k = style.size.0 / face.upem;
        let g = self.shaper.shape(font, "-");
        let g = g
            .first()
            .copied()
            .filter(|g| g.id != 0)
            .ok_or_else(|| TextError::MissingGlyph { ch: '-', font: face.describe() })?;
        Ok(G { id: g.id, adv: g.advance as f64 * k, xo: 0.0, yo: 0.0, start: HYPHEN_TEXT, end: HYPHEN_TEXT, font })
    }

    /// Allowed hyphenation points (byte offsets in `t`) inside the word `t[word]`, each with
    /// whether it is preferred (a soft hyphen, an exception's point or a compound joint), into
    /// `points` (emptied first; one buffer for all words of a paragraph).
    fn hyphen_points(
        &self,
        t: &str,
        word: Range<usize>,
        shy: &[usize],
        rules: &WordRules,
        points: &mut Vec<(usize, bool)>,
    ) {
        points.clear();
        points.extend(shy.iter().copied().filter(|&p| p > word.start && p < word.end).map(|p| (p, true)));
        if !points.is_empty() {
            return;
        }
        let w = &t[word.clone()];
        // Hyphenate each run of letters on its own ("(borgerens)," → "borgerens").
        let mut i = 0;
        while i < w.len() {
            let Some(s) = w[i..].find(char::is_alphabetic).map(|o| i + o) else { break };
            let e = w[s..].find(|c: char| !c.is_alphabetic()).map(|o| s + o).unwrap_or(w.len());
            let letters = &w[s..e];
            let mut cache = self.hyph_cache.borrow_mut();
            if !cache.contains_key(letters) {
                cache.insert(letters.to_string(), self.hyph.breaks(letters));
            }
            let (pts, exception) = &cache[letters];
            let n = letters.chars().count();
            for p in pts.iter().filter(|p| hyphenate::allows(p, *exception, n, rules)) {
                if let Some((o, _)) = letters.char_indices().nth(p.at) {
                    points.push((word.start + s + o, p.preferred));
                }
            }
            i = e;
        }
    }
}

/// Splits a line's glyphs into runs of one font, with text for each.
fn make_runs(t: &str, gl: &[G], size: Pt, x0: f64) -> Vec<GlyphRun> {
    let mut runs: Vec<GlyphRun> = Vec::new();
    let mut x = x0;
    let mut i = 0;
    while i < gl.len() {
        let font = gl[i].font;
        let j = (i..gl.len()).find(|&j| gl[j].font != font).unwrap_or(gl.len());
        let part = &gl[i..j];
        let src_start = part.iter().filter(|g| g.start != HYPHEN_TEXT).map(|g| g.start).min().unwrap_or(0);
        let src_end = part.iter().filter(|g| g.start != HYPHEN_TEXT).map(|g| g.end).max().unwrap_or(0);
        let mut text = t.get(src_start..src_end).unwrap_or("").to_string();
        let mut glyphs = Vec::with_capacity(part.len());
        let mut w = 0.0;
        for g in part {
            let range = if g.start == HYPHEN_TEXT {
                let s = text.len();
                text.push('-');
                s..s + 1
            } else {
                g.start - src_start..g.end - src_start
            };
            glyphs.push(PlacedGlyph::new(g.id, Pt(g.adv), Pt(g.xo), Pt(g.yo), range));
            w += g.adv;
        }
        let inserted_hyphen = part.last().is_some_and(|g| g.start == HYPHEN_TEXT);
        runs.push(GlyphRun { font, size, x: Pt(x), glyphs, text, inserted_hyphen, whole_words: None });
        x += w;
        i = j;
    }
    runs
}

/// Sets [`GlyphRun::whole_words`] on a line's runs (`gl` its glyphs, `t` the paragraph's text):
/// on the first run when it begins with the continuation of a word split at the previous line's
/// end (`continued`: where that word ends in `t`), and on the last run when the line ends in an
/// inserted hyphen. Returns where the word split at this line's end ends, for the next line.
fn whole_words(t: &str, gl: &[G], runs: &mut [GlyphRun], continued: Option<usize>) -> Option<usize> {
    // The source range of each run, in order (runs split `gl` where the font changes).
    let mut ranges = Vec::with_capacity(runs.len());
    let mut i = 0;
    while i < gl.len() {
        let j = (i..gl.len()).find(|&j| gl[j].font != gl[i].font).unwrap_or(gl.len());
        let real = gl[i..j].iter().filter(|g| g.start != HYPHEN_TEXT);
        let (s, e) = real.fold((usize::MAX, 0), |(s, e), g| (s.min(g.start), e.max(g.end)));
        ranges.push(if s == usize::MAX { 0..0 } else { s..e });
        i = j;
    }
    let mut reads: Vec<Option<(usize, usize)>> = vec![None; runs.len()];
    if let (Some(end), Some(first)) = (continued, ranges.first()) {
        reads[0] = Some((end.clamp(first.start, first.end), first.end));
    }
    let last = runs.len().checked_sub(1)?;
    let next = if runs[last].inserted_hyphen {
        let r = &ranges[last];
        let end = t[r.end..].find(char::is_whitespace).map_or(t.len(), |k| r.end + k);
        let start = reads[last].map_or(r.start, |(s, _)| s);
        reads[last] = Some((start, end));
        Some(end)
    } else {
        None
    };
    for (run, read) in runs.iter_mut().zip(reads) {
        if let Some((s, e)) = read {
            run.whole_words = Some(t.get(s..e.max(s)).unwrap_or("").to_string());
        }
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_overfull_word_says_how_much_at_any_size() {
        let msg = |mm: f64| TextError::Overfull { word: "x".into(), over: crate::units::Mm(mm).to_pt() }.to_string();
        assert_eq!(msg(2.34), "`x` is 2.3 mm wider than the text box");
        assert_eq!(msg(0.04), "`x` is 0.04 mm wider than the text box");
        assert_eq!(msg(0.001), "`x` is less than 0.01 mm wider than the text box");
    }
}
