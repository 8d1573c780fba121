//! Turning what the JSON files say into resolved values: names into fonts and colours, lengths
//! into points, each problem located in its file. [`Resolver`] holds what every layout kind shares
//! (palette, styles, templates); the files beside this one resolve one concept each.

mod booklet;
mod card;
mod cards_from;
mod color;
mod deck;
mod element;
mod leaflet;
mod regions;
pub(crate) mod run;
pub(crate) mod sheet;
mod style;

use std::collections::{BTreeMap, BTreeSet};

use super::color::{Color, ColorSpec};
use super::element::{ColorRef, Element, Style};
use super::layout::{self, ElementSpec};
use super::range::{InkLimit, Num};
use super::source::SourceFile;
use crate::diag::{Diagnostic, did_you_mean};
use crate::text::FontBook;
use crate::units::Rect;

pub use booklet::{booklet_layout, load_booklet};
pub use card::card_layout;
pub use deck::MAX_PRINTED_CARDS;
pub(crate) use deck::load_deck;
use element::{de_element, resolve_element};
pub use leaflet::{leaflet_layout, load_leaflet};
pub use regions::{load_regions, regions_from};
use style::resolve_style;

/// The error for a content file's `layout` that names no layout of its kind (`kind`: "leaflet",
/// "booklet"; the layouts are in `layouts/<kind>s/`); `None` when it names one, or one whose
/// file is broken (and reported already).
fn unknown_layout<'a>(
    kind: &str,
    name: &str,
    names: impl Iterator<Item = &'a String> + Clone,
    broken: &[String],
    file: &SourceFile,
) -> Option<Diagnostic> {
    if names.clone().any(|n| n == name) || broken.iter().any(|b| b == name) {
        return None;
    }
    let names: Vec<&str> = names.map(String::as_str).collect();
    let list = format!("{kind} layouts in layouts/{kind}s/: {}", names.join(", "));
    let hint = match did_you_mean(name, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? {list}"),
        None => list,
    };
    Some(Diagnostic::error(format!("unknown {kind} layout `{name}`")).with_hint(hint).at(file.locate("layout")))
}

/// The error for a content file's `region` that is in no region of `decks/regions.json`
/// (`None` when the regions file is broken: it is reported once, and nothing is blamed on it).
fn unknown_region(
    region: &str,
    regions: Option<&[crate::model::leaflet::Region]>,
    file: &SourceFile,
) -> Option<Diagnostic> {
    let regions = regions?;
    if regions.iter().any(|r| r.id == region) {
        return None;
    }
    let ids: Vec<&str> = regions.iter().map(|r| r.id.as_str()).collect();
    let list = format!("regions in decks/regions.json: {}", ids.join(", "));
    let hint = match did_you_mean(region, ids.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? {list}"),
        None => list,
    };
    Some(Diagnostic::error(format!("unknown region `{region}`")).with_hint(hint).at(file.locate("region")))
}

const BUILTIN_COLORS: [&str; 4] = ["black", "white", "registration", "category"];

struct Ctx<'a> {
    file: &'a SourceFile,
    colors: BTreeMap<String, Color>,
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
    ink_limit: f64,
    /// Colours that were defined but failed (and were reported): references to them are not
    /// reported again as unknown.
    broken_colors: BTreeSet<String>,
    /// Styles that were defined but failed, likewise.
    broken_styles: BTreeSet<String>,
}

/// Shared resolution of what every layout kind has: palette, styles and element templates.
pub(crate) struct Resolver<'a> {
    cx: Ctx<'a>,
    /// Resolved styles by name.
    pub styles: BTreeMap<String, Style>,
}

impl<'a> Resolver<'a> {
    /// Starts with the palette (`colors`) and the ink limit.
    pub fn new(
        file: &'a SourceFile,
        ink_limit: Option<Num<InkLimit>>,
        colors: &BTreeMap<String, ColorSpec>,
    ) -> Resolver<'a> {
        let mut cx = Ctx {
            file,
            colors: BTreeMap::new(),
            errors: Vec::new(),
            warnings: Vec::new(),
            ink_limit: ink_limit.map_or(300.0, Num::get),
            broken_colors: BTreeSet::new(),
            broken_styles: BTreeSet::new(),
        };
        for (k, c) in colors {
            let path = format!("colors.{k}");
            if let ColorSpec::Name(_) = c {
                cx.errors.push(
                    Diagnostic::error("a palette colour must be a value, not a name")
                        .with_hint("write [c, m, y, k] in percent")
                        .at(file.locate(&path)),
                );
                continue;
            }
            match cx.color(c, &path) {
                Some(ColorRef::Fixed(col)) => {
                    cx.colors.insert(k.clone(), col);
                }
                _ => {
                    cx.broken_colors.insert(k.clone());
                }
            }
        }
        Resolver { cx, styles: BTreeMap::new() }
    }

    /// Records an error.
    pub fn error(&mut self, d: Diagnostic) {
        self.cx.errors.push(d);
    }

    /// Resolves a colour at `path`.
    pub fn color(&mut self, spec: &ColorSpec, path: &str) -> Option<ColorRef> {
        self.cx.color(spec, path)
    }

    /// Resolves `artwork_colors`: `"#rrggbb"` (an SVG's sRGB colour) → a colour of the layout.
    pub fn artwork_colors(&mut self, map: &BTreeMap<String, ColorSpec>) -> crate::model::color::ArtColors {
        let mut out = crate::model::color::ArtColors::new();
        for (k, spec) in map {
            let path = format!("artwork_colors.{k}");
            let Some(rgb) = hex_rgb(k) else {
                self.error(
                    Diagnostic::error(format!("`{k}` is not an sRGB colour as SVG files write it"))
                        .with_hint("write it as \"#rrggbb\", e.g. \"#1b5e6b\"")
                        .at(self.cx.file.locate(&path)),
                );
                continue;
            };
            match self.color(spec, &path) {
                Some(ColorRef::Fixed(c)) => {
                    out.insert(rgb, c);
                }
                Some(ColorRef::Category) => self.error(
                    Diagnostic::error("artwork colours cannot be `category`")
                        .with_hint("name one of the layout's colours")
                        .at(self.cx.file.locate(&path)),
                ),
                None => {}
            }
        }
        out
    }

    /// Resolves the `styles` map.
    pub fn styles(&mut self, raw: &BTreeMap<String, serde_json::Value>, fonts: &FontBook) {
        for (k, v) in raw {
            let path = format!("styles.{k}");
            match self.cx.file.de::<layout::StyleSpec>(v, &path) {
                Ok(s) => match resolve_style(&s, &path, fonts, &mut self.cx) {
                    Some(st) => {
                        self.styles.insert(k.clone(), st);
                    }
                    None => {
                        self.cx.broken_styles.insert(k.clone());
                    }
                },
                Err(d) => {
                    self.cx.broken_styles.insert(k.clone());
                    self.cx.errors.push(d);
                }
            }
        }
    }

    /// A style by name, or an error at `path` with a suggestion.
    pub fn style(&mut self, name: &str, path: &str) -> Option<Style> {
        if let Some(s) = self.styles.get(name) {
            return Some(s.clone());
        }
        if self.cx.broken_styles.contains(name) {
            return None;
        }
        let names: Vec<&str> = self.styles.keys().map(String::as_str).collect();
        let hint = match did_you_mean(name, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("styles: {}", names.join(", ")),
        };
        let d = Diagnostic::error(format!("unknown style `{name}`")).with_hint(hint).at(self.cx.file.locate(path));
        self.cx.errors.push(d);
        None
    }

    /// Resolves a template's elements against a trim box and safe area (frame coordinates).
    pub fn template(&mut self, name: &str, raw: &[serde_json::Value], trim: Rect, safe: Rect) -> Vec<Element> {
        let mut out = Vec::new();
        for (i, v) in raw.iter().enumerate() {
            let path = format!("{name}[{i}]");
            let e: ElementSpec = match de_element(self.cx.file, v, &path) {
                Ok(e) => e,
                Err(d) => {
                    self.cx.errors.push(d);
                    continue;
                }
            };
            if let Some(el) = resolve_element(&e, &path, &self.styles, trim, safe, &mut self.cx) {
                out.push(el);
            }
        }
        out
    }

    /// Ends resolution: the warnings, or every error.
    pub fn finish(self) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
        if self.cx.errors.is_empty() { Ok(self.cx.warnings) } else { Err(self.cx.errors) }
    }
}

/// `#rrggbb` (case-insensitive) as three bytes.
fn hex_rgb(s: &str) -> Option<[u8; 3]> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}
