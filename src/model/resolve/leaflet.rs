//! Resolving leaflets: a leaflet layout file into a [`LeafletLayout`] (geometry, padding and text
//! frame checked, templates resolved per panel), and a leaflet content file into a [`Leaflet`]
//! checked against the layouts and regions.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::{Resolver, unknown_layout, unknown_region};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::element::Element;
use crate::model::fold::{PanelRole, fold_geometry};
use crate::model::leaflet::{BalanceSpec, FlowBlockSpec, LeafletFile, LeafletLayoutFile, Region};
use crate::model::leaflet_layout::{LeafletLayout, MIN_FILL, text_measure};
use crate::model::project::{FlowBlock, Leaflet};
use crate::model::screen::ScreenSpec;
use crate::model::sheet::{SheetSize, named_size};
use crate::model::source::SourceFile;
use crate::text::FontBook;
use crate::text::hyphenate::Hyphenator;
use crate::units::{Mm, Point, Pt, Rect, Size};

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
    let output_intent = match spec.output_intent.as_ref().map(|o| o.load(root, &file)).transpose() {
        Ok(oi) => oi,
        Err(d) => {
            r.error(d);
            None
        }
    };
    let screen = spec.screen.resolve(&file).unwrap_or_else(|d| {
        r.error(d);
        ScreenSpec::default().resolve(&file).expect("the default screen page is valid")
    });
    let artwork_colors = r.artwork_colors(&spec.artwork_colors);
    let warnings = r.finish()?;
    let [Some(hd), Some(pa), Some(li)] = flow else { unreachable!("missing flow styles are errors above") };
    Ok(LeafletLayout {
        name,
        file: file.clone(),
        artwork_colors,
        fold: spec.fold,
        geometry,
        bleed,
        padding,
        flow: [hd, pa, li],
        heading_space: spec.flow.heading_space.map(|l| l.pt()).unwrap_or(Pt(6.0)),
        item_space: spec.flow.item_space.map(|l| l.pt()).unwrap_or(Pt(2.0)),
        balance: match &spec.flow.balance {
            None | Some(BalanceSpec::On(true)) => Some(MIN_FILL),
            Some(BalanceSpec::On(false)) => None,
            Some(BalanceSpec::Fill(f)) => Some(f.min_fill.map_or(MIN_FILL, |n| n.0)),
        },
        cover,
        back,
        panel,
        marks: spec.marks,
        output_intent,
        overprint_black: spec.overprint_black,
        screen,
        warnings,
    })
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
    for d in spec.hyphenation.check_keep_together(&file) {
        diags.push(d);
    }
    diags.extend(unknown_layout("leaflet", &spec.layout, layouts.keys(), broken, &file));
    // `None`: decks/regions.json is broken (and reported); the leaflet cannot be checked against it.
    diags.extend(unknown_region(&spec.region, regions, &file));
    let regions_broken = regions.is_none();
    for (i, l) in spec.links.iter().enumerate() {
        let at = file.locate(&format!("links[{i}].url"));
        let host = l.url.strip_prefix("https://").map(|r| r.split('/').next().unwrap_or(""));
        if !host.is_some_and(|h| h.contains('.') && !h.starts_with('.') && !h.ends_with('.'))
            || l.url.contains(char::is_whitespace)
        {
            diags.push(
                Diagnostic::error(format!("`{}` is not a web address", l.url))
                    .with_hint("write the whole address, starting `https://`, without spaces")
                    .at(at),
            );
        }
        if l.label.trim().is_empty() {
            diags.push(Diagnostic::error("a link needs a label").at(file.locate(&format!("links[{i}]"))));
        }
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
        short_title: spec.short_title.filter(|t| !t.trim().is_empty()),
        fields: spec.fields,
        links: spec.links.into_iter().map(|l| (l.label, l.url)).collect(),
        hyphenator: Hyphenator::new(spec.hyphenation.exceptions.iter().map(String::as_str)),
        keep_together: spec.hyphenation.keep_together,
        flow,
    })
}
