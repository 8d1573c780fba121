//! Proofs: PNG previews of what prints, rasterized with hayro (pure Rust) from the PDFs the build makes.
//!
//! `write_proofs` asks the build for the products' default files (faces, imposed sheets, leaflet
//! print and screen versions) in memory, exactly as `tryksag build` writes them, rasterizes every
//! page and writes into `<out>/proof/`:
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
mod rasterize;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::build::{BuildOptions, BuildReport, Made, Written, build, write_atomic};
use crate::diag::Diagnostic;
use crate::model::outputs::ProductFile;

pub use guides::{Guides, draw_guides, guide_colours, guides_for, line_width};
pub use rasterize::{
    Image, MAX_DOCUMENT_PIXELS, MAX_DPI, MAX_PAGE_PIXELS, MIN_DPI, PngError, RasterError, contact_sheet, encode_png,
    rasterize, shrink,
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
/// `<opts.out_dir>/proof/`. The build makes the products' default files in memory — the very
/// bytes `tryksag build` writes — and every page of them is rasterized. Problems become
/// diagnostics (findings in print-run files are left out: proofs build no runs). Proof files are
/// always written (`opts.write` is not consulted); `opts.only`, `runs`, `regions` and `pdfx` play
/// no part.
pub fn write_proofs(opts: &BuildOptions, product: Option<&str>, proof: &ProofOptions) -> BuildReport {
    let made_opts = BuildOptions {
        write: false,
        keep: true,
        no_runs: true,
        only: product.map(|p| vec![p.to_string()]).unwrap_or_default(),
        runs: Vec::new(),
        regions: Vec::new(),
        pdfx: None,
        progress: None,
        ..opts.clone()
    };
    let mut built = build(&made_opts);
    if built.usage {
        return built;
    }
    // Proofs build no print runs: what the run files say (e.g. sample contact data) is left out.
    let in_runs = |d: &Diagnostic| {
        d.location.file.as_ref().is_some_and(|f| f.parent().is_some_and(|p| p.ends_with("layouts/runs")))
    };
    let mut report = BuildReport::default();
    report.diags.extend(std::mem::take(&mut built.diags).0.into_iter().filter(|d| !in_runs(d)));
    let dir = opts.out_dir.join("proof");
    let results: Vec<Proofs> = built
        .made
        .par_iter()
        .map(|made| {
            let mut p = Proofs {
                dir: &dir,
                opts: proof,
                name: made.product.clone(),
                started: Instant::now(),
                diags: Vec::new(),
                written: Vec::new(),
            };
            p.file(made);
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

/// Every page of a file the build made, as an image at `proof.dpi`, with the trim, bleed, safe-area
/// and fold guides drawn over it when `proof.overlays` is on: what `tryksag proof` writes and what
/// `tryksag serve` shows.
///
/// # Errors
/// When the file cannot be rasterized (see [`RasterError`]).
pub fn render(made: &Made, proof: &ProofOptions) -> Result<Vec<Image>, RasterError> {
    let dpi = proof.dpi;
    let mut imgs = rasterize(&made.bytes, dpi)?;
    if proof.overlays {
        let guides = guides_for(&made.pages, &made.frames, made.safe, &made.folds);
        imgs.par_iter_mut().zip(&guides).for_each(|((w, h, px), g)| draw_guides(px, *w, *h, dpi, g));
    }
    Ok(imgs)
}

/// One product file's proofs in the making.
struct Proofs<'a> {
    dir: &'a Path,
    opts: &'a ProofOptions,
    name: String,
    started: Instant,
    diags: Vec<Diagnostic>,
    written: Vec<Written>,
}

impl Proofs<'_> {
    /// The proofs of one file the build made, named by what the file is.
    fn file(&mut self, made: &Made) {
        let name = made.product.clone();
        match &made.kind {
            ProductFile::Faces => {
                if let Some(imgs) = self.pages(made, |i| format!("{name}-faces-{:03}.png", i + 1)) {
                    self.contact(&format!("{name}-contact.png"), &imgs);
                }
            }
            ProductFile::Sheet(sheet) => {
                self.pages(made, |i| format!("{name}-{sheet}-{:03}.png", i + 1));
            }
            ProductFile::LeafletPrint => {
                self.pages(made, |i| format!("{name}-{}.png", ["outside", "inside"].get(i).unwrap_or(&"side")));
            }
            ProductFile::LeafletScreen => {
                self.pages(made, |i| format!("{name}-page-{}.png", i + 1));
            }
            ProductFile::DeckScreen | ProductFile::BookletScreen => {
                self.pages(made, |i| format!("{name}-screen-{:03}.png", i + 1));
            }
            ProductFile::BookletPages => {
                self.pages(made, |i| format!("{name}-page-{:03}.png", i + 1));
            }
            ProductFile::BookletPress(sheet) => {
                self.pages(made, |i| format!("{name}-{sheet}-{:03}.png", i + 1));
            }
            ProductFile::BookletOffice => {
                self.pages(made, |i| format!("{name}-office-{:03}.png", i + 1));
            }
        }
    }

    /// Rasterizes the file's pages, draws the guides (with overlays on) and writes one PNG per page,
    /// named by `file(page index)`; removes `file(n)`, `file(n + 1)`, … left over from an earlier
    /// run with more pages. Returns the images.
    fn pages(&mut self, made: &Made, file: impl Fn(usize) -> String + Sync) -> Option<Vec<Image>> {
        let imgs = match render(made, self.opts) {
            Ok(imgs) => imgs,
            Err(e) => {
                self.diags.push(Diagnostic::error(e.to_string()).about(format!("proof of {}", self.name)));
                return None;
            }
        };
        let dir = self.dir;
        let paths: Vec<Result<PathBuf, ProofFileError>> =
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

    fn record(&mut self, res: Result<PathBuf, ProofFileError>) {
        match res {
            Ok(path) => self.written.push(Written {
                path,
                pages: 1,
                sheets: None,
                product: self.name.clone(),
                warnings: 0,
                millis: self.started.elapsed().as_millis(),
            }),
            Err(e) => self.diags.push(Diagnostic::error(e.to_string()).about(format!("proof of {}", self.name))),
        }
    }
}

/// Why a proof image could not be written. Display gives the message users see.
#[derive(Debug, thiserror::Error)]
enum ProofFileError {
    #[error(transparent)]
    Png(#[from] rasterize::PngError),
    #[error(transparent)]
    Write(#[from] crate::files::WriteError),
}

fn write_png(path: &Path, (w, h, px): &Image) -> Result<PathBuf, ProofFileError> {
    let bytes = encode_png(*w, *h, px)?;
    write_atomic(path, &bytes)?;
    Ok(path.to_path_buf())
}
