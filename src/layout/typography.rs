//! The typography report (`tryksag check --typography`): every hyphenated line break, loose
//! line, short last line and keep-together phrase that had to break, per card or leaflet panel
//! and field, so that a designer can review them.
//!
//! It is read from the very lines the frames are made of (recorded where a text box's block or a
//! leaflet's flow is placed), so it says what the PDFs contain, not what a second pass would do.
//! Nothing is recorded unless a [`TypographyLog`] is given.

use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Mutex;

use serde::Serialize;

use crate::diag::Location;
use crate::text::Breaking;
use crate::text::SetLine;
use crate::units::Pt;

/// A justified line is reported as loose above this adjustment ratio: TeX's classes "loose" and
/// "very loose" (word spaces stretched by more than half their stretchability).
pub const LOOSE_RATIO: f32 = 0.5;

/// One text box (a card's field) or one leaflet block on one panel, and what line breaking did
/// in it. Lines are numbered from 1 within the field's text (a leaflet block's own lines).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FieldReport {
    /// The card's id (`null` in a leaflet).
    pub card: Option<String>,
    /// The leaflet panel (`null` on a card).
    pub panel: Option<String>,
    /// The field (`question`, `back.text`), the template box (`front texts[2]`) or the leaflet
    /// block (`flow[3]`).
    pub field: String,
    /// The content file that holds the text, relative to the project.
    pub file: Option<String>,
    /// 1-based line of the field in `file`.
    pub line: Option<usize>,
    /// 1-based column of the field in `file`.
    pub column: Option<usize>,
    /// Each line that ends in a hyphen line breaking inserted.
    pub hyphenations: Vec<Hyphenation>,
    /// Each justified line set looser than TeX's decent class, and each line set beyond the
    /// spacing tolerance.
    pub loose_lines: Vec<LooseLine>,
    /// Each paragraph's last line that is shorter than the style allows.
    pub short_last_lines: Vec<ShortLastLine>,
    /// Keep-together phrases (and held spaces, "70 27 07 07") wider than the box, set broken.
    pub unkept: Vec<String>,
}

/// A word hyphenated at a line's end.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hyphenation {
    /// The line that ends in the hyphen.
    pub line: usize,
    /// The word as broken: `arbejds-|markedet` (`|` is the line break).
    pub word: String,
}

/// A line set with wide word spaces.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LooseLine {
    /// The line.
    pub line: usize,
    /// What it says.
    pub text: String,
    /// The adjustment ratio, to two decimals (1: word spaces stretched by all their
    /// stretchability).
    pub ratio: f64,
    /// Word spaces as set, in percent of their natural width (ragged lines: 100); `null` for a
    /// line without word spaces (one word, set short).
    pub word_space_percent: Option<u32>,
    /// Set beyond the spacing tolerance (a warning says so too).
    pub beyond_tolerance: bool,
}

/// A paragraph's last line shorter than the style's minimum.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShortLastLine {
    /// The line.
    pub line: usize,
    /// What it says.
    pub text: String,
    /// Its characters.
    pub chars: usize,
    /// The style's fewest characters on a last line (`last_line_min_chars`).
    pub min_chars: usize,
    /// Its width in percent of the measure.
    pub width_percent: u32,
    /// The style's least width, in percent of the measure (0: none).
    pub min_width_percent: u32,
}

impl FieldReport {
    /// An empty report for a field found at `at`.
    #[must_use]
    pub fn new(card: Option<String>, panel: Option<String>, field: &str, at: &Location) -> FieldReport {
        FieldReport {
            card,
            panel,
            field: field.to_string(),
            file: at.file.as_ref().map(|f| f.display().to_string()),
            line: at.line_col.map(|(l, _)| l),
            column: at.line_col.map(|(_, c)| c),
            ..FieldReport::default()
        }
    }

    /// Adds the findings on `lines[range]` of a block set with `rules` into `measure`; `lines`
    /// is the whole block (a hyphenated word's continuation is on the following line).
    pub fn add_lines(&mut self, lines: &[SetLine], range: Range<usize>, rules: &Breaking, measure: Pt) {
        for i in range {
            let line = &lines[i];
            let n = i + 1;
            let text = line_text(line);
            if line.runs.last().is_some_and(|r| r.inserted_hyphen) {
                let before = text.split_whitespace().last().unwrap_or("");
                let before = before.trim_start_matches(|c: char| !c.is_alphanumeric());
                let after = lines.get(i + 1).map(line_text).unwrap_or_default();
                let after = after.split_whitespace().next().unwrap_or("");
                let after = after.trim_end_matches(|c: char| !c.is_alphanumeric());
                self.hyphenations.push(Hyphenation { line: n, word: format!("{before}|{after}") });
            }
            let f = line.fit;
            if f.beyond_tolerance || !f.last && f.spacing > 1.0 && f.ratio > LOOSE_RATIO {
                self.loose_lines.push(LooseLine {
                    line: n,
                    text: text.clone(),
                    ratio: (f64::from(f.ratio) * 100.0).round() / 100.0,
                    word_space_percent: text.contains(' ').then(|| (f.spacing * 100.0).round() as u32),
                    beyond_tolerance: f.beyond_tolerance,
                });
            }
            if f.short {
                let percent = |x: f64| if measure.0 > 0.0 { (x * 100.0).round() as u32 } else { 0 };
                self.short_last_lines.push(ShortLastLine {
                    line: n,
                    chars: text.trim().chars().count(),
                    text,
                    min_chars: rules.last_line_chars,
                    width_percent: percent(line.width.0 / measure.0),
                    min_width_percent: percent(rules.last_line_fraction),
                });
            }
        }
    }

    /// Nothing to review.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.hyphenations.is_empty()
            && self.loose_lines.is_empty()
            && self.short_last_lines.is_empty()
            && self.unkept.is_empty()
    }

    /// `card nu-03, question` or `panel inner-1, flow[3]`.
    fn place(&self) -> String {
        match (&self.card, &self.panel) {
            (Some(c), _) => format!("card {c}, {}", self.field),
            (None, Some(p)) => format!("panel {p}, {}", self.field),
            (None, None) => self.field.clone(),
        }
    }

    /// `decks/dialogkort.json:45:7`, as diagnostics locate it.
    fn location(&self) -> String {
        let mut s = self.file.clone().unwrap_or_default();
        if let (Some(l), Some(c)) = (self.line, self.column) {
            let _ = write!(s, ":{l}:{c}");
        }
        s
    }
}

/// A line's text as printed (the bullet of a list item followed by a space).
fn line_text(line: &SetLine) -> String {
    let mut s = String::new();
    for (i, r) in line.runs.iter().enumerate() {
        s.push_str(&r.text);
        if i == 0 && r.text == "•" && line.runs.len() > 1 {
            s.push(' ');
        }
    }
    s.trim_end().to_string()
}

/// Collects field reports while a product is laid out (cards in parallel): each comes with its
/// place in the product, so the report is in product order whatever the threads did.
#[derive(Debug, Default)]
pub struct TypographyLog(Mutex<Vec<(usize, FieldReport)>>);

impl TypographyLog {
    /// Records `report` (if it has findings) at position `order` (a card's number; 0 for a
    /// leaflet, whose blocks are placed in reading order).
    pub fn record(&self, order: usize, report: FieldReport) {
        if report.is_empty() {
            return;
        }
        if let Ok(mut v) = self.0.lock() {
            v.push((order, report));
        }
    }

    /// The reports in product order (a card's fields in the order its faces were laid out).
    #[must_use]
    pub fn into_reports(self) -> Vec<FieldReport> {
        let mut v = self.0.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
        v.sort_by_key(|(order, _)| *order);
        v.into_iter().map(|(_, r)| r).collect()
    }
}

/// Counts of one product's findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct TypographySummary {
    /// Hyphenated line breaks.
    pub hyphenations: usize,
    /// Loose lines.
    pub loose_lines: usize,
    /// Short last lines.
    pub short_last_lines: usize,
    /// Keep-together phrases set broken.
    pub unkept: usize,
}

/// The typography report of one product (a default product or one of a print run).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProductTypography {
    /// The product (`dialogkort`; in a print run `hovedstaden/dialogkort`).
    pub product: String,
    /// Its counts.
    pub summary: TypographySummary,
    /// Each field with findings, in product order.
    pub fields: Vec<FieldReport>,
}

impl ProductTypography {
    /// The report of `product` from its fields.
    #[must_use]
    pub fn new(product: String, fields: Vec<FieldReport>) -> ProductTypography {
        let summary = TypographySummary {
            hyphenations: fields.iter().map(|f| f.hyphenations.len()).sum(),
            loose_lines: fields.iter().map(|f| f.loose_lines.len()).sum(),
            short_last_lines: fields.iter().map(|f| f.short_last_lines.len()).sum(),
            unkept: fields.iter().map(|f| f.unkept.len()).sum(),
        };
        ProductTypography { product, summary, fields }
    }

    /// The report for a terminal: a summary line, then per field its place and location and
    /// one aligned line per finding.
    #[must_use]
    pub fn render(&self) -> String {
        let s = &self.summary;
        let mut out = format!(
            "typography of {}: {} hyphenation(s), {} loose line(s), {} short last line(s), {} broken keep-together phrase(s)\n",
            self.product, s.hyphenations, s.loose_lines, s.short_last_lines, s.unkept
        );
        let wide = self.fields.iter().map(|f| f.place().chars().count()).max().unwrap_or(0);
        for f in &self.fields {
            let place = f.place();
            let pad = wide - place.chars().count();
            let _ = writeln!(out, "  {place}{:pad$}  {}", "", f.location());
            let row = |out: &mut String, line: Option<usize>, what: &str, detail: &str| {
                let line = line.map(|l| format!("line {l}")).unwrap_or_default();
                let _ = writeln!(out, "    {line:<8}  {what:<10}  {detail}");
            };
            for h in &f.hyphenations {
                row(&mut out, Some(h.line), "hyphen", &h.word);
            }
            for l in &f.loose_lines {
                let beyond = if l.beyond_tolerance { ", beyond the tolerance" } else { "" };
                let spaces = match l.word_space_percent {
                    Some(p) => format!("word spaces {p} %"),
                    None => "one word, no spaces to fill the line".into(),
                };
                let detail = format!("{spaces} (ratio {:.2}{beyond}): \"{}\"", l.ratio, l.text);
                row(&mut out, Some(l.line), "loose", &detail);
            }
            for l in &f.short_last_lines {
                let mut min = format!("style minimum {} chars", l.min_chars);
                if l.min_width_percent > 0 {
                    let _ = write!(min, " or {} % of the measure", l.min_width_percent);
                }
                let detail = format!("\"{}\": {} chars, {} % of the measure ({min})", l.text, l.chars, l.width_percent);
                row(&mut out, Some(l.line), "short last", &detail);
            }
            for p in &f.unkept {
                row(&mut out, None, "unkept", &format!("\"{p}\" is wider than the box and was broken"));
            }
        }
        out
    }
}
