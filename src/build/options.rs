//! What a build is asked to do and what it reports: [`BuildOptions`] in, [`BuildReport`] out,
//! with the files it wrote ([`Written`]) and, on request, made in memory ([`Made`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::plan::Selection;
use crate::diag::Diagnostics;
use crate::layout::FaceCache;
use crate::model::print_condition::PrintCondition;
use crate::model::standard::PdfxFlavour;
use crate::model::{DraftRun, LoadOptions};
use crate::units::Pt;

/// What to do.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// Project root (holds decks/, layouts/, fonts/).
    pub root: PathBuf,
    /// Where files go (default `<root>/output`).
    pub out_dir: PathBuf,
    /// Write files (false: check only).
    pub write: bool,
    /// Only these products (deck or leaflet names); empty = all.
    pub only: Vec<String>,
    /// Force a PDF/X flavour for every print file (else each sheet layout's or run's own).
    pub pdfx: Option<PdfxFlavour>,
    /// Force a print condition for every print file (else each run's or sheet layout's own).
    pub condition: Option<PrintCondition>,
    /// Only these runs (empty: all; with `regions` also empty, the default products too).
    pub runs: Vec<String>,
    /// Only runs for these regions.
    pub regions: Vec<String>,
    /// No print runs, only the default outputs (proofs).
    pub no_runs: bool,
    /// Keep every file made in memory ([`BuildReport::made`]), also when not writing (proofs).
    pub keep: bool,
    /// Allow sample contact data in print-shop runs.
    pub allow_sample_data: bool,
    /// Called after each finished product with (done, total, label); for progress bars.
    pub progress: Option<fn(usize, usize, &str)>,
    /// Collect the typography report ([`BuildReport::typography`]).
    pub typography: bool,
    /// A print run not on disk yet, built as if it were `layouts/runs/<name>.json` (an order's
    /// proof in the web app); select it with `runs: vec![name]`.
    pub draft: Option<DraftRun>,
    /// Card faces of earlier builds, kept for the next ([`FaceCache`]): for `watch` and `serve`,
    /// which build again after each change (and clear it when an input other than a product
    /// file or spreadsheet changed). `None`: every card is laid out (the command line; a cache
    /// would hold a whole deck's frames, which streaming avoids).
    pub faces: Option<Arc<FaceCache>>,
}

impl BuildOptions {
    /// Defaults for a project root.
    pub fn new(root: &Path) -> BuildOptions {
        BuildOptions {
            root: root.to_path_buf(),
            out_dir: root.join("output"),
            write: true,
            only: Vec::new(),
            pdfx: None,
            condition: None,
            runs: Vec::new(),
            regions: Vec::new(),
            no_runs: false,
            keep: false,
            allow_sample_data: false,
            progress: None,
            typography: false,
            draft: None,
            faces: None,
        }
    }

    /// How the project is loaded for this build.
    #[must_use]
    pub fn load_options(&self) -> LoadOptions {
        LoadOptions { allow_sample: self.allow_sample_data, draft: self.draft.clone() }
    }

    /// What the options select, for the plan.
    #[must_use]
    pub fn selection(&self) -> Selection {
        Selection {
            only: self.only.clone(),
            runs: self.runs.clone(),
            regions: self.regions.clone(),
            no_runs: self.no_runs,
            pdfx: self.pdfx,
            condition: self.condition,
            write: self.write,
        }
    }
}

/// A file written by a build.
#[derive(Clone, Debug, PartialEq)]
pub struct Written {
    /// Path of the file.
    pub path: PathBuf,
    /// Pages in it.
    pub pages: usize,
    /// Printed sheets (imposed files).
    pub sheets: Option<usize>,
    /// Product it belongs to.
    pub product: String,
    /// Warnings met building the product.
    pub warnings: usize,
    /// Milliseconds the product took.
    pub millis: u128,
}

/// A file a build made, kept in memory (see [`BuildOptions::keep`]): what the proofs rasterize.
#[derive(Debug)]
pub struct Made {
    /// The product.
    pub product: String,
    /// What the file is.
    pub kind: crate::model::outputs::ProductFile,
    /// The file's bytes, exactly as written.
    pub bytes: Vec<u8>,
    /// Its pages (page boxes, placed frames, marks; the frames' content is not kept).
    pub pages: Vec<crate::impose::Page>,
    /// The geometry of every frame the pages place (by index).
    pub frames: Vec<crate::impose::FrameBox>,
    /// The safe distance inside each frame's trim (for proof guides).
    pub safe: Pt,
    /// Per page, the fold positions from the left trim edge (a leaflet's print sheet).
    pub folds: Vec<Vec<Pt>>,
}

/// The result of a build or check.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Every diagnostic, errors first.
    pub diags: Diagnostics,
    /// Files written, in plan order.
    pub written: Vec<Written>,
    /// With [`BuildOptions::keep`]: every file made, with its bytes and pages, in plan order.
    pub made: Vec<Made>,
    /// The command line named a product, run, region or sheet layout that does not exist: a
    /// usage error (exit 2); `diags` then holds only those errors and nothing was built.
    pub usage: bool,
    /// With [`BuildOptions::typography`]: what line breaking did in each product, in plan order.
    pub typography: Vec<crate::layout::ProductTypography>,
    /// The spreadsheets the project's decks take their cards from, with the decks that read
    /// each (all decks, whatever was selected), so that `watch` rebuilds those decks when one
    /// changes. Empty when the project could not be loaded.
    pub spreadsheets: crate::model::Spreadsheets,
}
