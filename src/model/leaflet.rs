//! Folded leaflets as written in JSON: the leaflet layout (`layouts/leaflets/*.json`: fold,
//! sheet, styles, cover and back templates), the leaflet content (`decks/leaflets/*.json`: fields
//! and the text that flows through the inside panels) and the regions file. The resolved values
//! are in [`super::leaflet_layout`] and [`super::project`] (re-exported here).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::color::ColorSpec;
use super::fold::FoldType;
use super::range::{Bleed, Extent, FillRatio, FoldCompensation, InkLimit, Inset, Len, Num, Spacing};
use super::sheet::SheetSize;

pub use super::leaflet_layout::{LeafletLayout, panel_padding, text_measure};
pub use super::project::{FlowBlock, Leaflet};

/// A leaflet layout as written in JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeafletLayoutFile {
    /// Editor schema reference; ignored.
    #[serde(rename = "$schema", default)]
    #[expect(dead_code, reason = "read from JSON for editors and people; nothing acts on it")]
    pub schema: Option<String>,
    /// Human description.
    #[serde(default)]
    #[expect(dead_code, reason = "read from JSON for editors and people; nothing acts on it")]
    pub description: Option<String>,
    /// `half`, `roll`, `z` or `gate`.
    pub fold: FoldType,
    /// The flat sheet (always used landscape), e.g. `"A4"`.
    pub sheet: SheetSize,
    /// Bleed (default 3 mm).
    #[serde(default)]
    pub bleed: Option<Len<Bleed>>,
    /// Distance text and logos keep from every trim edge and fold (default 5 mm).
    #[serde(default)]
    pub safe: Option<Len<Inset>>,
    /// How much narrower a panel that folds in is (roll and gate; default 3 mm).
    #[serde(default)]
    pub compensation: Option<Len<FoldCompensation>>,
    /// Text frame inside each flow panel: `{"top", "bottom", "outer", "inner"}` (outer: towards the
    /// sheet edge, inner: towards the fold; where both sides are folds, the larger is used).
    pub padding: Padding,
    /// Highest total ink of a declared colour (default 300 %).
    #[serde(default)]
    pub ink_limit: Option<Num<InkLimit>>,
    /// Named colours.
    #[serde(default)]
    pub colors: BTreeMap<String, ColorSpec>,
    /// Print colours for the sRGB colours of SVG artwork: `{"#1b5e6b": "teal"}`. A colour not
    /// listed is converted through the output profile, with a warning.
    #[serde(default)]
    pub artwork_colors: BTreeMap<String, ColorSpec>,
    /// Named text styles (as in card layouts).
    #[schemars(with = "BTreeMap<String, super::layout::StyleSpec>")]
    pub styles: BTreeMap<String, Value>,
    /// Which styles the flowing text uses.
    pub flow: FlowStyles,
    /// Elements of the front cover (positions from the cover panel's top-left trim corner).
    #[schemars(with = "Vec<super::layout::ElementSpec>")]
    pub cover: Vec<Value>,
    /// Elements of the back panel (sender, contact block).
    #[schemars(with = "Vec<super::layout::ElementSpec>")]
    pub back: Vec<Value>,
    /// Elements drawn on every flow panel before the text (e.g. a rule), optional.
    #[serde(default)]
    #[schemars(with = "Vec<super::layout::ElementSpec>")]
    pub panel: Vec<Value>,
    /// Crop and fold marks (default on).
    #[serde(default = "yes")]
    pub marks: bool,
    /// Output condition for the print file (default FOGRA39).
    #[serde(default)]
    pub output_intent: Option<super::sheet::OutputIntentSpec>,
    /// Whether 100 % black text below 12 pt and 100 % black lines below 2 pt overprint in print
    /// files, as GWG 2022 asks (default true; `false` knocks them out like every other colour).
    #[serde(default = "yes")]
    pub overprint_black: bool,
    /// The download version: A4 (or A5) portrait pages with one column (default A4).
    #[serde(default)]
    pub screen: super::screen::ScreenSpec,
}

fn yes() -> bool {
    true
}

/// Panel text frame padding.
#[derive(Clone, Copy, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Padding {
    /// From the top trim.
    pub top: Len<Inset>,
    /// From the bottom trim.
    pub bottom: Len<Inset>,
    /// From a sheet edge.
    pub outer: Len<Inset>,
    /// From a fold.
    pub inner: Len<Inset>,
}

/// Styles of the flowing text.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowStyles {
    /// Headings.
    pub heading: String,
    /// Paragraphs.
    pub paragraph: String,
    /// List items.
    pub list: String,
    /// Space above a heading (not at the top of a panel).
    #[serde(default)]
    pub heading_space: Option<Len<Spacing>>,
    /// Space between list items.
    #[serde(default)]
    pub item_space: Option<Len<Spacing>>,
    /// Balancing of the flow panels: `{"min_fill": 0.6}` (the default) ends the panels at about
    /// the same depth, the lowest at which all the text fits, and warns of a panel filled to less
    /// than `min_fill` of the deepest; `false` fills each panel before the next.
    #[serde(default)]
    pub balance: Option<BalanceSpec>,
}

/// How the flow fills its panels (see [`FlowStyles::balance`]).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum BalanceSpec {
    /// `true`: balance with the default `min_fill`; `false`: fill each panel before the next.
    On(bool),
    /// Balance, with this fill ratio.
    Fill(BalanceFill),
}

/// Balancing settings.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BalanceFill {
    /// The least fill of a panel, as a fraction of the deepest panel (default 0.6).
    #[serde(default)]
    pub min_fill: Option<Num<FillRatio>>,
}

/// A leaflet's content as written in JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeafletFile {
    /// Editor schema reference; ignored.
    #[serde(rename = "$schema", default)]
    #[expect(dead_code, reason = "read from JSON for editors and people; nothing acts on it")]
    pub schema: Option<String>,
    /// Title (document title; `{title}` in templates).
    pub title: String,
    /// A short product name for the job ticket (title and file list), e.g. "Folder til
    /// jobcentre"; the title is used without it.
    #[serde(default)]
    pub short_title: Option<String>,
    /// Language (`da`).
    pub language: String,
    /// Leaflet layout name (file in `layouts/leaflets/`).
    pub layout: String,
    /// Region whose contact block the leaflet carries (id in `decks/regions.json`).
    pub region: String,
    /// Fields for the cover and back templates (`{name}`).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Hyphenation exceptions.
    #[serde(default)]
    pub hyphenation: super::deck::HyphenationSpec,
    /// Web addresses the text refers to, printed where a template asks for `{links}` (a short
    /// label, then the address; the download version makes them live links).
    #[serde(default)]
    pub links: Vec<LinkSpec>,
    /// The text that flows through the panels: `{"heading": …}`, `{"paragraph": …}`,
    /// `{"list": […]}` or `{"image": …, "alt": …, "height": …}`.
    #[schemars(with = "Vec<FlowBlockSpec>")]
    pub flow: Vec<Value>,
}

/// A web address with its label, as written in JSON.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    /// What is there, e.g. "Webinar og gode råd til jobcentre".
    pub label: String,
    /// The address, starting `https://`.
    pub url: String,
}

/// One block of flowing text as written in JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlowBlockSpec {
    /// A heading (kept with the paragraph that follows).
    #[serde(default)]
    pub heading: Option<String>,
    /// A paragraph (markup allowed).
    #[serde(default)]
    pub paragraph: Option<String>,
    /// A bulleted list.
    #[serde(default)]
    pub list: Option<Vec<String>>,
    /// An image file.
    #[serde(default)]
    pub image: Option<String>,
    /// Text alternative of the image (required).
    #[serde(default)]
    pub alt: Option<String>,
    /// Image height (default 40 mm); the width is the text frame's.
    #[serde(default)]
    pub height: Option<Len<Extent>>,
}

/// A region's contact data.
#[derive(Clone, Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Region {
    /// Id, e.g. `hovedstaden`.
    pub id: String,
    /// Display name, e.g. "PsykInfo Region Hovedstaden".
    pub name: String,
    /// True while the contact data is not verified; print-shop runs refuse sample data.
    #[serde(default)]
    pub sample: bool,
    /// Any fields a layout binds as `{region.<key>}` (address, phone, email, web, hours, …).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

/// The regions file (`decks/regions.json`).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegionsFile {
    /// Editor schema reference; ignored.
    #[serde(rename = "$schema", default)]
    #[expect(dead_code, reason = "read from JSON for editors and people; nothing acts on it")]
    pub schema: Option<String>,
    /// All regions.
    pub regions: Vec<Region>,
}
