//! Proofs: PNG previews of what prints, rendered from the exported PDFs with hayro (pure Rust).
//!
//! `write_proofs` builds the same documents as the build (faces, imposed sheets, leaflet print
//! and screen versions), exports them to PDF (without the PDF/X finishing pass, which changes no
//! pixel), renders every page and writes into `<out>/proof/`:
//!
//! | file | what |
//! |---|---|
//! | `<deck>-faces-<NNN>.png` | each page of the faces file: 001 card 1 front, 002 its back, … |
//! | `<deck>-<sheet>-<NNN>.png` | each side of each imposed sheet: 001 sheet 1 front, 002 its back, … |
//! | `<deck>-contact.png` | the whole deck on one image: front/back pairs in deck order |
//! | `<leaflet>-outside.png`, `-inside.png` | the two sides of the flat leaflet sheet |
//! | `<leaflet>-panel-<N>.png` | the panels in reading order (the screen version's pages) |
//!
//! With overlays, trim lines are solid, bleed edges dashed, safe areas dotted and folds dash-dot,
//! each in a colour the page's pixels do not contain (see [`guide_colours`]).

mod guides;
mod render;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::assets::ImageCache;
use crate::build::util::slug_style;
use crate::build::{BuildOptions, BuildReport, Written, source_date, write_atomic};
use crate::date::ymd;
use crate::diag::Diagnostic;
use crate::export::write_unfinished_pdf;
use crate::impose::Document;
use crate::impose::faces::faces_document;
use crate::impose::leaflet::{print_document, screen_document};
use crate::impose::sheets::{Slug, impose};
use crate::layout::layout_deck;
use crate::layout::leaflet::layout_leaflet;
use crate::model::leaflet::{Leaflet, LeafletLayout};
use crate::model::length::Length;
use crate::model::standard::PdfxFlavour;
use crate::model::{Deck, Project, load_project_with};
use crate::text::Typesetter;
use crate::text::hyphenate::Hyphenator;
use crate::text::shape::Shaper;
use crate::units::{Mm, Pt};

pub use guides::{Guides, draw_guides, guide_colours, guides_for, line_width};
pub use render::{
    Image, MAX_DOCUMENT_PIXELS, MAX_DPI, MAX_PAGE_PIXELS, MIN_DPI, contact_sheet, encode_png, render_pages, shrink,
};

/// How proofs are made.
#[derive(Clone, Debug, PartialEq)]
pub struct ProofOptions {
    /// Resolution: 100 for screens, 300 for checking details.
    pub dpi: f32,
    /// Draw trim, bleed, safe-area and fold lines over the artwork.
    pub overlays: bool,
}

impl Default for ProofOptions {
    fn default() -> ProofOptions {
        ProofOptions { dpi: 100.0, overlays: false }
    }
}

/// Writes the proofs of every deck and leaflet, or of the one named `product`, into
/// `<opts.out_dir>/proof/`. Products are proofed in parallel; problems become diagnostics (findings
/// in print-run files are left out: proofs build no runs). Files are always written
/// (`opts.write` is not consulted); `opts.only`, `runs`, `regions` and `pdfx` play no part.
pub fn write_proofs(opts: &BuildOptions, product: Option<&str>, proof: &ProofOptions) -> BuildReport {
    let mut report = BuildReport::default();
    let (project, diags) = load_project_with(&opts.root, opts.allow_sample_data);
    // Proofs build no print runs: what the run files say (e.g. sample contact data) is left out.
    let in_runs = |d: &Diagnostic| {
        d.location.file.as_ref().is_some_and(|f| f.parent().is_some_and(|p| p.ends_with("layouts/runs")))
    };
    report.diags.extend(diags.0.into_iter().filter(|d| !in_runs(d)));
    let Some(project) = project else { return report };
    let names: Vec<&str> =
        project.decks.iter().map(|d| d.name.as_str()).chain(project.leaflets.iter().map(|l| l.name.as_str())).collect();
    if let Some(p) = product.filter(|p| !names.contains(p)) {
        let hint = match crate::diag::did_you_mean(p, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? products: {}", names.join(", ")),
            None => format!("products: {}", names.join(", ")),
        };
        let d = Diagnostic::error(format!("unknown product `{p}`")).with_hint(hint);
        return BuildReport { diags: crate::diag::Diagnostics(vec![d]), usage: true, ..BuildReport::default() };
    }
    let wanted = |name: &str| product.is_none_or(|p| p == name);
    let dir = opts.out_dir.join("proof");
    let decks = project.decks.iter().filter(|d| wanted(&d.name)).map(Product::Deck);
    let jobs: Vec<Product> =
        decks.chain(project.leaflets.iter().filter(|l| wanted(&l.name)).map(Product::Leaflet)).collect();
    let results: Vec<Proofs> = jobs
        .par_iter()
        .map(|job| {
            let name = match job {
                Product::Deck(d) => &d.name,
                Product::Leaflet(l) => &l.name,
            };
            let mut p = Proofs {
                project: &project,
                dir: &dir,
                opts: proof,
                name: name.clone(),
                started: Instant::now(),
                diags: Vec::new(),
                written: Vec::new(),
            };
            match job {
                Product::Deck(d) => p.deck(d),
                Product::Leaflet(l) => p.leaflet(l),
            }
            p
        })
        .collect();
    for r in results {
        report.diags.extend(r.diags);
        report.written.extend(r.written);
    }
    report.diags.0.sort_by_key(|d| d.severity);
    report
}

enum Product<'a> {
    Deck(&'a Deck),
    Leaflet(&'a Leaflet),
}

/// One product's proofs in the making.
struct Proofs<'a> {
    project: &'a Project,
    dir: &'a Path,
    opts: &'a ProofOptions,
    name: String,
    started: Instant,
    diags: Vec<Diagnostic>,
    written: Vec<Written>,
}

impl Proofs<'_> {
    fn deck(&mut self, deck: &Deck) {
        let project = self.project;
        let Some(layout) = project.layouts.get(&deck.layout) else { return };
        let images = ImageCache::new(&project.root, project.output_intent.profile.clone());
        let (faces, diags) = layout_deck(deck, layout, &project.fonts, &images, Pt::ZERO, None);
        self.diags.extend(diags);
        let Some(faces) = faces else { return };
        if deck.load_errors > 0 || self.diags.iter().any(Diagnostic::is_error) {
            return;
        }
        let doc = faces_document(&deck.title, &faces, deck.faces_crop_marks);
        let name = &deck.name;
        if let Some(imgs) = self.pages(&doc, layout.safe, &[], |i| format!("{name}-faces-{:03}.png", i + 1)) {
            self.contact(&format!("{name}-contact.png"), &imgs);
        }
        let hy = Hyphenator::default();
        let ts = Typesetter::new(Shaper::new(&project.fonts), &hy);
        for sheet_name in &deck.sheets {
            let Some(sheet) = project.sheets.get(sheet_name) else { continue };
            // As the build: backs with extra bleed, or images converted for another paper, are laid out again.
            let intent = sheet.output_intent.as_ref().unwrap_or(&project.output_intent);
            let relaid;
            let cards = if sheet.back_extra_bleed.0 > 0.0 || !std::ptr::eq(intent, &project.output_intent) {
                let own = ImageCache::new(&project.root, intent.profile.clone());
                relaid = layout_deck(deck, layout, &project.fonts, &own, sheet.back_extra_bleed, None).0;
                let Some(c) = &relaid else { continue };
                c
            } else {
                &faces
            };
            let slug = slug_style(&project.fonts).map(|style| Slug {
                job: name.clone(),
                date: ymd(source_date(project)),
                typesetter: &ts,
                style,
            });
            match impose(&deck.title, cards, sheet, slug.as_ref()) {
                Ok(im) => {
                    self.pages(&im.doc, layout.safe, &[], |i| format!("{name}-{sheet_name}-{:03}.png", i + 1));
                }
                Err(d) => self.diags.push(d.about(format!("deck {name}, sheet layout {sheet_name}"))),
            }
        }
    }

    fn leaflet(&mut self, leaflet: &Leaflet) {
        let project = self.project;
        let Some(layout) = project.leaflet_layouts.get(&leaflet.layout) else { return };
        let intent = layout.output_intent.as_ref().unwrap_or(&project.output_intent);
        let images = ImageCache::new(&project.root, intent.profile.clone());
        let region = project.regions.iter().find(|x| x.id == leaflet.region);
        let (panels, diags) =
            layout_leaflet(leaflet, layout, &project.fonts, &images, region, project.regions_file.as_deref());
        self.diags.extend(diags);
        let Some(panels) = panels else { return };
        if self.diags.iter().any(Diagnostic::is_error) {
            return;
        }
        let (g, name, safe) = (&layout.geometry, &leaflet.name, leaflet_safe(layout));
        let sheet = print_document(&leaflet.title, g, &panels, layout.bleed, layout.marks, false);
        let folds = [g.folds_outside.clone(), g.folds_inside.clone()];
        self.pages(&sheet, safe, &folds, |i| format!("{name}-{}.png", ["outside", "inside"].get(i).unwrap_or(&"side")));
        let screen = screen_document(&leaflet.title, g, &panels, layout.bleed);
        self.pages(&screen, safe, &[], |i| format!("{name}-panel-{}.png", i + 1));
    }

    /// Exports `doc`, renders its pages, draws the guides (with overlays on) and writes one PNG
    /// per page, named by `file(page index)`; removes `file(n)`, `file(n + 1)`, … left over from an
    /// earlier run with more pages. Returns the images.
    fn pages(
        &mut self,
        doc: &Document,
        safe: Pt,
        folds: &[Vec<Pt>],
        file: impl Fn(usize) -> String + Sync,
    ) -> Option<Vec<Image>> {
        let dpi = self.opts.dpi;
        let rendered = write_unfinished_pdf(doc, &self.project.fonts, PdfxFlavour::X4)
            .map_err(|e| e.to_string())
            .and_then(|bytes| render_pages(&bytes, dpi));
        let mut imgs = match rendered {
            Ok(imgs) => imgs,
            Err(e) => {
                self.diags.push(Diagnostic::error(e).about(format!("proof of {}", self.name)));
                return None;
            }
        };
        if self.opts.overlays {
            let guides = guides_for(doc, safe, folds);
            imgs.par_iter_mut().zip(&guides).for_each(|((w, h, px), g)| draw_guides(px, *w, *h, dpi, g));
        }
        let dir = self.dir;
        let paths: Vec<Result<PathBuf, String>> =
            imgs.par_iter().enumerate().map(|(i, img)| write_png(&dir.join(file(i)), img)).collect();
        for p in paths {
            self.record(p);
        }
        // Pages of an earlier, longer proof of this document would linger and mislead.
        let mut stale = imgs.len();
        while std::fs::remove_file(dir.join(file(stale))).is_ok() {
            stale += 1;
        }
        Some(imgs)
    }

    /// The contact sheet of a faces document: front/back pairs, about as wide as high.
    fn contact(&mut self, file: &str, faces: &[Image]) {
        let k = (self.opts.dpi / 100.0).round().max(1.0) as u32;
        let small: Vec<Image> = faces.par_iter().map(|img| shrink(img, k)).collect();
        let (w, h) = small.first().map_or((1, 1), |i| (i.0.max(1), i.1.max(1)));
        let cards = small.len().div_ceil(2);
        let pairs_per_row = ((cards as f64 * f64::from(h) / (2.0 * f64::from(w))).sqrt().ceil() as usize).max(1);
        let sheet = contact_sheet(&small, pairs_per_row * 2);
        let res = write_png(&self.dir.join(file), &sheet);
        self.record(res);
    }

    fn record(&mut self, res: Result<PathBuf, String>) {
        match res {
            Ok(path) => self.written.push(Written {
                path,
                pages: 1,
                sheets: None,
                product: self.name.clone(),
                warnings: 0,
                millis: self.started.elapsed().as_millis(),
            }),
            Err(e) => self.diags.push(Diagnostic::error(e).about(format!("proof of {}", self.name))),
        }
    }
}

fn write_png(path: &Path, (w, h, px): &Image) -> Result<PathBuf, String> {
    let bytes = encode_png(*w, *h, px)?;
    write_atomic(path, &bytes)?;
    Ok(path.to_path_buf())
}

/// The leaflet's safe distance. [`LeafletLayout`] keeps none (the model only checks the padding
/// against it), so it is read from the layout file, with the model's default of 5 mm.
fn leaflet_safe(layout: &LeafletLayout) -> Pt {
    layout
        .file
        .value()
        .get("safe")
        .and_then(|v| serde_json::from_value::<Length>(v.clone()).ok())
        .map_or(Mm(5.0).to_pt(), Length::pt)
}
