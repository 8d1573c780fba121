//! A resolved leaflet layout: fold geometry, padding, flow styles and templates; and the text
//! frame its flow panels share.

use std::sync::Arc;

use super::element::{Element, Style};
use super::fold::{FoldGeometry, FoldType};
use super::output_intent::OutputIntent;
use super::source::SourceFile;
use crate::diag::Diagnostic;
use crate::units::Pt;

/// A resolved leaflet layout.
#[derive(Debug)]
pub struct LeafletLayout {
    /// File stem.
    pub name: String,
    /// Source file.
    pub file: Arc<SourceFile>,
    /// Print colours for the sRGB colours of SVG artwork (`artwork_colors`).
    pub artwork_colors: crate::model::color::ArtColors,
    /// Fold type.
    pub fold: FoldType,
    /// Panel geometry.
    pub geometry: FoldGeometry,
    /// Bleed.
    pub bleed: Pt,
    /// Padding: top, bottom, outer, inner.
    pub padding: [Pt; 4],
    /// Flow styles: heading, paragraph, list.
    pub flow: [Style; 3],
    /// Space above headings.
    pub heading_space: Pt,
    /// Space between list items.
    pub item_space: Pt,
    /// Balanced flow: the least fill of a panel as a fraction of the deepest (`None`: greedy).
    pub balance: Option<f64>,
    /// Cover template (frame coordinates of the cover panel, bleed included).
    pub cover: Vec<Element>,
    /// Back template.
    pub back: Vec<Element>,
    /// Flow panel decoration, resolved per distinct panel width.
    pub panel: Vec<(Pt, Vec<Element>)>,
    /// Crop and fold marks.
    pub marks: bool,
    /// Output condition override.
    pub output_intent: Option<OutputIntent>,
    /// Whether small 100 % black text and thin 100 % black lines overprint in print files
    /// (the rule of `model/overprint.rs`).
    pub overprint_black: bool,
    /// The download version's pages.
    pub screen: super::screen::ScreenLayout,
    /// Non-fatal findings.
    pub warnings: Vec<Diagnostic>,
}

/// The default least fill of a balanced flow panel, as a fraction of the deepest.
pub const MIN_FILL: f64 = 0.6;

/// The width of the text frame: the same on every flow panel, so the narrowest panel decides;
/// `outer` is kept from a sheet edge, `inner` from a fold.
pub fn text_measure(g: &FoldGeometry, outer: Pt, inner: Pt) -> Pt {
    g.flow_panels()
        .iter()
        .map(|&i| {
            let (left, right) = panel_padding(g, i, outer, inner);
            g.panels[i].width - left - right
        })
        .fold(Pt(f64::MAX), Pt::min)
}

/// Left and right padding of panel `i`: `outer` on a sheet edge, `inner` on a fold.
pub fn panel_padding(g: &FoldGeometry, i: usize, outer: Pt, inner: Pt) -> (Pt, Pt) {
    let p = &g.panels[i];
    let left = if p.x.0.abs() < 1e-6 { outer } else { inner };
    let right = if (p.x + p.width - g.sheet.w).abs().0 < 1e-6 { outer } else { inner };
    (left, right)
}
