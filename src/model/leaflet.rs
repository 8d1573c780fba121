//! Folded leaflets: the leaflet layout (`layouts/leaflets/*.json`: fold, sheet, styles, cover and
//! back templates) and the leaflet content (`decks/leaflets/*.json`: fields and the text that
//! flows through the inside panels).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value;

use super::color::ColorSpec;
use super::element::{Element, Style};
use super::fold::{FoldGeometry, FoldType, PanelRole, fold_geometry};
use super::output_intent::{OutputIntent, load_output_intent};
use super::range::{Bleed, Extent, FoldCompensation, InkLimit, Inset, Len, Num, Spacing};
use super::resolve::Resolver;
use super::sheet::{SheetSize, named_size};
use super::source::SourceFile;
use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::text::FontBook;
use crate::text::hyphenate::Hyphenator;
use crate::units::{Mm, Point, Pt, Rect, Size};

/// A leaflet layout as written in JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeafletLayoutFile {
    /// Editor schema reference; ignored.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// Human description.
    #[serde(default)]
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
}

/// A leaflet's content as written in JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LeafletFile {
    /// Editor schema reference; ignored.
    #[serde(rename = "$schema", default)]
    pub schema: Option<String>,
    /// Title (document title; `{title}` in templates).
    pub title: String,
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
    /// The text that flows through the panels: `{"heading": …}`, `{"paragraph": …}`,
    /// `{"list": […]}` or `{"image": …, "alt": …, "height": …}`.
    #[schemars(with = "Vec<FlowBlockSpec>")]
    pub flow: Vec<Value>,
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

/// A resolved flow block.
#[derive(Clone, Debug, PartialEq)]
pub enum FlowBlock {
    /// Heading text.
    Heading(String),
    /// Paragraph markup.
    Paragraph(String),
    /// List items.
    List(Vec<String>),
    /// An image: file, alt text, height.
    Image(String, String, Pt),
}

/// A resolved leaflet layout.
#[derive(Debug)]
pub struct LeafletLayout {
    /// File stem.
    pub name: String,
    /// Source file.
    pub file: Arc<SourceFile>,
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
    /// Non-fatal findings.
    pub warnings: Vec<Diagnostic>,
}

/// A resolved leaflet.
#[derive(Debug)]
pub struct Leaflet {
    /// File stem (product name).
    pub name: String,
    /// Source file.
    pub file: Arc<SourceFile>,
    /// Title.
    pub title: String,
    /// Language.
    pub language: String,
    /// Layout name.
    pub layout: String,
    /// Region id.
    pub region: String,
    /// Template fields.
    pub fields: BTreeMap<String, String>,
    /// Hyphenation.
    pub hyphenator: Hyphenator,
    /// Flowing text, with each block's JSON path.
    pub flow: Vec<(FlowBlock, String)>,
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
    pub schema: Option<String>,
    /// All regions.
    pub regions: Vec<Region>,
}

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

/// Resolves a leaflet layout.
pub fn leaflet_layout(
    name: String,
    file: Arc<SourceFile>,
    fonts: &FontBook,
    root: &Path,
) -> Result<LeafletLayout, Vec<Diagnostic>> {
    let spec: LeafletLayoutFile = file.de_root().map_err(|d| vec![d])?;
    let mut r = Resolver::new(&file, spec.ink_limit, &spec.colors);
    let (w, h) = match &spec.sheet {
        SheetSize::Named(n) => match named_size(n) {
            Some((a, b)) => (Mm(a.max(b)).to_pt(), Mm(a.min(b)).to_pt()),
            None => {
                r.error(Diagnostic::error(format!("unknown sheet size `{n}`")).at(file.locate("sheet")));
                (Pt(842.0), Pt(595.0))
            }
        },
        SheetSize::Custom { width, height } => (width.pt().max(height.pt()), width.pt().min(height.pt())),
    };
    let bleed = spec.bleed.map(|l| l.pt()).unwrap_or(Mm(3.0).to_pt());
    let safe = spec.safe.map(|l| l.pt()).unwrap_or(Mm(5.0).to_pt());
    let comp = spec.compensation.map(|l| l.pt()).unwrap_or(Mm(3.0).to_pt());
    let geometry = fold_geometry(spec.fold, Size { w, h }, comp);
    let p = spec.padding;
    let padding = [p.top.pt(), p.bottom.pt(), p.outer.pt(), p.inner.pt()];
    if padding.iter().any(|v| v.0 + 1e-6 < safe.0) {
        r.error(
            Diagnostic::error(format!("padding must be at least the safe distance ({:.1} mm)", safe.to_mm().0))
                .with_hint("text closer to a trim or fold may be cut or disappear into the fold")
                .at(file.locate("padding")),
        );
    }
    // A frame too small for text makes every block "not fit": say it is the padding.
    let measure = text_measure(&geometry, padding[2], padding[3]);
    let frame_h = h - padding[0] - padding[1];
    let least = Mm(25.0).to_pt();
    if measure < least || frame_h < least {
        let (what, v) = if measure < least { ("wide", measure) } else { ("tall", frame_h) };
        r.error(
            Diagnostic::error(format!(
                "the text frame is only {:.1} mm {what}: `padding` leaves too little of the panel for text",
                v.to_mm().0.max(0.0)
            ))
            .with_hint("a text frame needs at least 25 mm; lower `outer`/`inner` (width) or `top`/`bottom` (height)")
            .at(file.locate("padding")),
        );
    }
    r.styles(&spec.styles, fonts);
    let flow = [
        r.style(&spec.flow.heading, "flow.heading"),
        r.style(&spec.flow.paragraph, "flow.paragraph"),
        r.style(&spec.flow.list, "flow.list"),
    ];
    // Templates are resolved against their panel's size; the gate fold's cover spans both flaps.
    let cover_w: Pt =
        geometry.panels.iter().filter(|p| p.role == PanelRole::Cover).map(|p| p.width).fold(Pt::ZERO, |a, b| a + b);
    let back_w = geometry.panels.iter().find(|p| p.role == PanelRole::Back).map(|p| p.width).unwrap_or(cover_w);
    let frame = |pw: Pt| {
        let trim = Rect::from_origin_size(Point::new(bleed, bleed), Size { w: pw, h });
        (trim, trim.inflate(-safe))
    };
    let (ct, cs) = frame(cover_w);
    let cover = r.template("cover", &spec.cover, ct, cs);
    let (bt, bs) = frame(back_w);
    let back = r.template("back", &spec.back, bt, bs);
    let mut widths: Vec<Pt> = geometry.flow_panels().iter().map(|&i| geometry.panels[i].width).collect();
    widths.sort_by(|a, b| a.0.total_cmp(&b.0));
    widths.dedup_by(|a, b| (a.0 - b.0).abs() < 1e-6);
    let panel: Vec<(Pt, Vec<Element>)> = widths
        .into_iter()
        .map(|pw| {
            let (t, s) = frame(pw);
            (pw, r.template("panel", &spec.panel, t, s))
        })
        .collect();
    // The download version is read aloud: every template image needs a text alternative.
    for (name, elements) in
        [("cover", &cover), ("back", &back)].into_iter().chain(panel.iter().map(|(_, e)| ("panel", e)))
    {
        for e in elements.iter() {
            if let Element::Image { alt: None, path, .. } = e {
                r.error(
                    Diagnostic::error(format!("an image in the leaflet's {name} template needs `alt` text"))
                        .with_hint(
                            "add \"alt\": \"…\" describing the image; the download version is read by screen readers",
                        )
                        .at(file.locate(path)),
                );
            }
        }
    }
    let output_intent = match &spec.output_intent {
        Some(o) => {
            match load_output_intent(root, &o.profile, &o.identifier, o.condition.as_deref().unwrap_or(&o.identifier)) {
                Ok(oi) => Some(oi),
                Err(d) => {
                    r.error(d.at(file.locate("output_intent.profile")));
                    None
                }
            }
        }
        None => None,
    };
    let warnings = r.finish()?;
    let [Some(hd), Some(pa), Some(li)] = flow else { unreachable!("missing flow styles are errors above") };
    Ok(LeafletLayout {
        name,
        file: file.clone(),
        fold: spec.fold,
        geometry,
        bleed,
        padding,
        flow: [hd, pa, li],
        heading_space: spec.flow.heading_space.map(|l| l.pt()).unwrap_or(Pt(6.0)),
        item_space: spec.flow.item_space.map(|l| l.pt()).unwrap_or(Pt(2.0)),
        cover,
        back,
        panel,
        marks: spec.marks,
        output_intent,
        warnings,
    })
}

/// Loads the regions file (`decks/regions.json`), if present.
pub fn load_regions(root: &Path, diags: &mut Diagnostics) -> Option<(Arc<SourceFile>, Vec<Region>)> {
    let path = root.join("decks").join("regions.json");
    if !path.exists() {
        return None;
    }
    let file = match super::discover::load_source(root, &path, Path::new("decks/regions.json")) {
        Ok(f) => Arc::new(f),
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let spec: RegionsFile = match file.de_root() {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut seen = Vec::new();
    for (i, r) in spec.regions.iter().enumerate() {
        if seen.contains(&r.id) {
            diags.push(
                Diagnostic::error(format!("region `{}` is defined twice", r.id))
                    .at(file.locate(&format!("regions[{i}].id"))),
            );
        }
        seen.push(r.id.clone());
    }
    Some((file, spec.regions))
}

/// Loads and checks a leaflet content file against the layouts and regions.
pub fn load_leaflet(
    name: String,
    file: Arc<SourceFile>,
    layouts: &BTreeMap<String, LeafletLayout>,
    broken: &[String],
    regions: Option<&[Region]>,
    diags: &mut Diagnostics,
) -> Option<Leaflet> {
    let spec: LeafletFile = match file.de_root() {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let before = diags.error_count();
    if !layouts.contains_key(&spec.layout) && !broken.contains(&spec.layout) {
        let names: Vec<&str> = layouts.keys().map(String::as_str).collect();
        let hint = match did_you_mean(&spec.layout, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? leaflet layouts in layouts/leaflets/: {}", names.join(", ")),
            None => format!("leaflet layouts in layouts/leaflets/: {}", names.join(", ")),
        };
        diags.push(
            Diagnostic::error(format!("unknown leaflet layout `{}`", spec.layout))
                .with_hint(hint)
                .at(file.locate("layout")),
        );
    }
    // `None`: decks/regions.json is broken (and reported); the leaflet cannot be checked against it.
    let regions_broken = regions.is_none();
    let regions = regions.unwrap_or_default();
    if !regions_broken && !regions.iter().any(|r| r.id == spec.region) {
        let ids: Vec<&str> = regions.iter().map(|r| r.id.as_str()).collect();
        let hint = match did_you_mean(&spec.region, ids.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? regions in decks/regions.json: {}", ids.join(", ")),
            None => format!("regions in decks/regions.json: {}", ids.join(", ")),
        };
        diags.push(
            Diagnostic::error(format!("unknown region `{}`", spec.region)).with_hint(hint).at(file.locate("region")),
        );
    }
    let mut flow = Vec::new();
    for (i, raw) in spec.flow.iter().enumerate() {
        let path = format!("flow[{i}]");
        let b: FlowBlockSpec = match file.de(raw, &path) {
            Ok(b) => b,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let block = match (b.heading, b.paragraph, b.list, b.image) {
            (Some(h), None, None, None) => FlowBlock::Heading(h),
            (None, Some(p), None, None) => FlowBlock::Paragraph(p),
            (None, None, Some(l), None) => FlowBlock::List(l),
            (None, None, None, Some(img)) => match b.alt.filter(|a| !a.trim().is_empty()) {
                Some(alt) => FlowBlock::Image(img, alt, b.height.map(|l| l.pt()).unwrap_or(Mm(40.0).to_pt())),
                None => {
                    diags.push(
                        Diagnostic::error("an image needs alt text")
                            .with_hint("add \"alt\": \"…\" describing the image for screen readers (the download version is accessible)")
                            .at(file.locate(&path)),
                    );
                    continue;
                }
            },
            _ => {
                diags.push(
                    Diagnostic::error("a flow block needs exactly one of `heading`, `paragraph`, `list` or `image`")
                        .at(file.locate(&path)),
                );
                continue;
            }
        };
        flow.push((block, path));
    }
    if diags.error_count() > before || !layouts.contains_key(&spec.layout) || regions_broken {
        return None;
    }
    Some(Leaflet {
        name,
        file,
        title: spec.title,
        language: spec.language,
        layout: spec.layout,
        region: spec.region,
        fields: spec.fields,
        hyphenator: Hyphenator::new(spec.hyphenation.exceptions.iter().map(String::as_str)),
        flow,
    })
}
