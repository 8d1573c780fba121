//! A resolved card layout: trim, bleed, safe area, category colours and the two face templates.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::color::Color;
use super::element::{Element, ImageSource, TextSource, is_builtin, placeholders};
use super::source::SourceFile;
use crate::diag::Diagnostic;
use crate::units::{Point, Pt, Rect, Size};

/// A resolved card layout.
#[derive(Debug)]
pub struct CardLayout {
    /// File stem.
    pub name: String,
    /// Source file.
    pub file: Arc<SourceFile>,
    /// Trim size.
    pub trim: Size,
    /// Bleed.
    pub bleed: Pt,
    /// Safe margin.
    pub safe: Pt,
    /// Category colours.
    pub category_colors: BTreeMap<String, Color>,
    /// Colour for categories not listed (`"*"`).
    pub default_category_color: Option<Color>,
    /// Category icons (`categories.<id>.icon`; `"*"` for categories without their own).
    pub category_icons: BTreeMap<String, String>,
    /// Front template.
    pub front: Vec<Element>,
    /// Back template.
    pub back: Vec<Element>,
    /// Whether small 100 % black text and thin 100 % black lines overprint in print files
    /// (the rule of `model/overprint.rs`).
    pub overprint_black: bool,
    /// Print colours for SVG artwork's sRGB colours (`artwork_colors`).
    pub artwork_colors: crate::model::color::ArtColors,
    /// Findings that do not stop a build (e.g. rich black text).
    pub warnings: Vec<Diagnostic>,
}

/// The image field that shows a card's category icon from the layout.
pub const CATEGORY_ICON: &str = "category.icon";

impl CardLayout {
    /// The icon of `category`, or the `"*"` one.
    #[must_use]
    pub fn category_icon(&self, category: &str) -> Option<&str> {
        self.category_icons.get(category).or_else(|| self.category_icons.get("*")).map(String::as_str)
    }

    /// Whether an element shows the category icon without being optional.
    #[must_use]
    pub fn needs_category_icon(&self) -> bool {
        self.front.iter().chain(&self.back).any(|e| {
            matches!(e, Element::Image { source: ImageSource::Field(f), optional: false, .. } if f == CATEGORY_ICON)
        })
    }

    /// The frame size for a face with `bleed` on every side.
    pub fn frame_size(&self, bleed: Pt) -> Size {
        Size { w: self.trim.w + bleed * 2.0, h: self.trim.h + bleed * 2.0 }
    }
    /// The trim box in the coordinates of a frame with `bleed`.
    pub fn trim_rect(&self, bleed: Pt) -> Rect {
        Rect::from_origin_size(Point::new(bleed, bleed), self.trim)
    }
    /// Fields bound by text boxes on either face, with whether they are optional.
    pub fn bound_fields(&self) -> Vec<(String, bool)> {
        let mut v: Vec<(String, bool)> = Vec::new();
        for e in self.front.iter().chain(&self.back) {
            let mut names = Vec::new();
            let mut opt = false;
            match e {
                Element::Text { source, optional, .. } => {
                    opt = *optional;
                    match source {
                        TextSource::Field(f) => names.push(f.clone()),
                        TextSource::Template(t) => names.extend(placeholders(t).into_iter().filter(|p| !is_builtin(p))),
                    }
                }
                Element::Image { source: ImageSource::Field(f), optional, .. } => {
                    opt = *optional;
                    names.push(f.clone());
                }
                Element::Rect { when: Some(w), .. } | Element::Line { when: Some(w), .. } => {
                    opt = true;
                    names.push(w.clone());
                }
                _ => {}
            }
            for n in names {
                // Not card fields: the category's label, and its icon from this layout.
                if n == "category" || n == CATEGORY_ICON {
                    continue;
                }
                match v.iter_mut().find(|(x, _)| *x == n) {
                    Some(entry) => entry.1 &= opt,
                    None => v.push((n, opt)),
                }
            }
        }
        v
    }
}
