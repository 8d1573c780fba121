//! The plan of a build: for every product and print run, which files are made, to which
//! standard, for which region and output condition. `build` and `check` carry it out (check
//! without writing), `proof` rasterizes the files it makes, `watch` carries it out again after
//! a change. Nothing else decides what a file is.

use crate::diag::Diagnostic;
use crate::model::booklet::Booklet;
use crate::model::leaflet::{Leaflet, Region};
use crate::model::outputs::{ProductFile, booklet_files, deck_shows_region};
use crate::model::print_condition::{PrintCheck, PrintCondition};
use crate::model::run::Delivery;
use crate::model::standard::PdfxFlavour;
use crate::model::{Deck, OutputIntent, Project};
use crate::model::{Run, RunItem};

/// A product: a card deck or a leaflet.
#[derive(Clone, Copy, Debug)]
pub enum Product<'p> {
    /// A card deck.
    Deck(&'p Deck),
    /// A folded leaflet.
    Leaflet(&'p Leaflet),
    /// A saddle-stitched booklet.
    Booklet(&'p Booklet),
}

impl<'p> Product<'p> {
    /// The product's name (its file stem).
    #[must_use]
    pub fn name(&self) -> &'p str {
        match self {
            Product::Deck(d) => &d.name,
            Product::Leaflet(l) => &l.name,
            Product::Booklet(b) => &b.name,
        }
    }
}

/// The standard a file is made to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standard {
    /// A print file: PDF/X of this flavour, colour in CMYK for the output intent.
    Print(PdfxFlavour),
    /// The accessible download version: tagged PDF in sRGB.
    Screen,
}

/// One file a job makes.
#[derive(Clone, Debug)]
pub struct PlannedFile<'p> {
    /// What the file is.
    pub kind: ProductFile,
    /// Its name in the job's folder.
    pub name: String,
    /// The standard it meets.
    pub standard: Standard,
    /// The output condition: the CMYK profile print colour and images are converted for (and
    /// that screen versions convert CMYK colour back from).
    pub intent: &'p OutputIntent,
    /// The GWG print condition it is checked against while laid out, with the spot colours the
    /// press prints (none for screen versions).
    pub condition: PrintCheck<'p>,
}

/// One product made for one target: its default outputs, or its part of a print run.
#[derive(Debug)]
pub struct Job<'p> {
    /// The product.
    pub product: Product<'p>,
    /// The run and the product's index in its `products`; `None` for the default outputs.
    pub run: Option<(&'p Run, usize)>,
    /// The region whose contact data fills `{region.*}` (leaflets fall back to their own).
    pub region: Option<&'p Region>,
    /// Office delivery: no marks, no bleed beyond the paper.
    pub office: bool,
    /// Copies ordered, for the job ticket.
    pub quantity: Option<u32>,
    /// The files, in the order they are listed.
    pub files: Vec<PlannedFile<'p>>,
}

impl Job<'_> {
    /// The product's name.
    #[must_use]
    pub fn product_name(&self) -> &str {
        self.product.name()
    }

    /// `product` for the default outputs, `run/product` in a run (progress and messages).
    #[must_use]
    pub fn label(&self) -> String {
        match self.run {
            None => self.product.name().to_string(),
            Some((r, _)) => format!("{}/{}", r.name, self.product.name()),
        }
    }
}

/// Which products and runs a build makes.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Only these products (deck or leaflet names); empty = all.
    pub only: Vec<String>,
    /// Only these runs (empty: all; with `regions` also empty, the default products too).
    pub runs: Vec<String>,
    /// Only runs for these regions.
    pub regions: Vec<String>,
    /// No print runs at all, only the default outputs (proofs).
    pub no_runs: bool,
    /// Force a PDF/X flavour for every print file (else each sheet layout's or run's own).
    pub pdfx: Option<PdfxFlavour>,
    /// Force a print condition for every print file (else each run's or sheet layout's own, else
    /// by delivery).
    pub condition: Option<PrintCondition>,
    /// The plan is for writing: runs are rebuilt whole, so that a job ticket always lists its
    /// folder's files. A check looks at the named products wherever they are used.
    pub write: bool,
}

impl Selection {
    /// Whether `name` is among the products asked for (all are, when none is named).
    #[must_use]
    pub fn wants(&self, name: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|o| o == name)
    }

    /// Whether every product of `run` is asked for.
    #[must_use]
    pub fn wants_whole(&self, run: &Run) -> bool {
        run.products.iter().all(|p| self.wants(&p.product))
    }
}

/// What a build makes: the jobs in order (default outputs first, then the runs' products in
/// run order) and the runs they belong to.
#[derive(Debug)]
pub struct Plan<'p> {
    /// Every product to make, with its files.
    pub jobs: Vec<Job<'p>>,
    /// The runs with at least one job, in project order.
    pub runs: Vec<&'p Run>,
}

/// Plans what `sel` asks of `project`.
///
/// A named product (`only`) makes that product's default outputs; a print run is made, as a
/// whole, only when all its products are named (or none is), or when runs are selected with
/// `runs`/`regions` (then the runs among them that contain a named product). A run with a
/// product that failed to load is not planned (the product's errors say why).
#[must_use]
pub fn plan<'p>(project: &'p Project, sel: &Selection) -> Plan<'p> {
    let wanted = |name: &str| sel.wants(name);
    let runs_selected = !sel.runs.is_empty() || !sel.regions.is_empty();
    let whole = |r: &Run| sel.wants_whole(r);
    let mut jobs = Vec::new();
    if !runs_selected {
        for d in project.decks.iter().filter(|d| wanted(&d.name)) {
            jobs.push(default_job(project, Product::Deck(d), sel));
        }
        for l in project.leaflets.iter().filter(|l| wanted(&l.name)) {
            jobs.push(default_job(project, Product::Leaflet(l), sel));
        }
        for b in project.booklets.iter().filter(|b| wanted(&b.name)) {
            jobs.push(default_job(project, Product::Booklet(b), sel));
        }
    }
    let runs: Vec<&Run> = if sel.no_runs {
        Vec::new()
    } else {
        project
            .runs
            .iter()
            .filter(|r| sel.runs.is_empty() || sel.runs.contains(&r.name))
            .filter(|r| sel.regions.is_empty() || sel.regions.contains(&r.region))
            .filter(|r| r.blocked_by.is_empty())
            .filter(|r| !sel.write || whole(r) || (runs_selected && r.products.iter().any(|p| wanted(&p.product))))
            .collect()
    };
    for r in &runs {
        let all = sel.write || whole(r);
        // Decks whose download version the run carries already (once per run).
        let mut screens: Vec<&str> = Vec::new();
        for (i, p) in r.products.iter().enumerate().filter(|(_, p)| all || wanted(&p.product)) {
            let product = match p.item {
                RunItem::Leaflet => project.leaflets.iter().find(|l| l.name == p.product).map(Product::Leaflet),
                RunItem::Booklet => project.booklets.iter().find(|b| b.name == p.product).map(Product::Booklet),
                RunItem::DeckFaces | RunItem::DeckSheets(_) => {
                    project.decks.iter().find(|d| d.name == p.product).map(Product::Deck)
                }
            };
            let Some(product) = product else { continue };
            let pdfx = sel.pdfx.or(Some(r.pdfx));
            let mut kinds = match &p.item {
                RunItem::DeckFaces => vec![ProductFile::Faces],
                RunItem::DeckSheets(s) => vec![ProductFile::Sheet(s.clone())],
                RunItem::Leaflet => vec![ProductFile::LeafletPrint, ProductFile::LeafletScreen],
                RunItem::Booklet => booklet_files(project, &p.product, Some(r.delivery)),
            };
            // A run carries a deck's download version when the cards show the region's data
            // (as it carries a leaflet's), once.
            if let Product::Deck(d) = product
                && !screens.contains(&d.name.as_str())
                && deck_shows_region(project, d)
            {
                screens.push(&d.name);
                kinds.push(ProductFile::DeckScreen);
            }
            jobs.push(Job {
                product,
                run: Some((r, i)),
                region: project.regions.iter().find(|x| x.id == r.region),
                office: r.delivery == Delivery::Office,
                quantity: Some(p.quantity),
                files: files(project, product, &kinds, pdfx, Some(r), sel.condition),
            });
        }
    }
    Plan { jobs, runs }
}

/// The default outputs of a product: a deck's faces, each of its sheet layouts and its download
/// version, a leaflet's print and screen versions.
fn default_job<'p>(project: &'p Project, product: Product<'p>, sel: &Selection) -> Job<'p> {
    let kinds: Vec<ProductFile> = match product {
        Product::Deck(d) => std::iter::once(ProductFile::Faces)
            .chain(d.sheets.iter().cloned().map(ProductFile::Sheet))
            .chain([ProductFile::DeckScreen])
            .collect(),
        Product::Leaflet(_) => vec![ProductFile::LeafletPrint, ProductFile::LeafletScreen],
        Product::Booklet(b) => booklet_files(project, &b.name, None),
    };
    Job {
        product,
        run: None,
        region: None,
        office: false,
        quantity: None,
        files: files(project, product, &kinds, sel.pdfx, None, sel.condition),
    }
}

/// The files of `kinds`: the flavour is the forced one (command line or run), else the sheet
/// layout's, else PDF/X-4; the output intent the run's, else the sheet or leaflet layout's, else
/// the project's; the print condition the forced one, else the run's, else the sheet layout's, else by delivery
/// (sheet-fed CMYK for a print shop and for the default outputs, none for an office). Sheets that
/// do not exist are left out (the model reported them).
fn files<'p>(
    project: &'p Project,
    product: Product<'p>,
    kinds: &[ProductFile],
    pdfx: Option<PdfxFlavour>,
    run: Option<&'p Run>,
    forced: Option<PrintCondition>,
) -> Vec<PlannedFile<'p>> {
    let name = product.name();
    let run_intent = run.and_then(|r| r.output_intent.as_ref());
    let by_delivery = match run.map(|r| r.delivery) {
        Some(Delivery::Office) => PrintCondition::None,
        Some(Delivery::PrintShop) | None => PrintCondition::Gwg2022SheetCmyk,
    };
    let check = |own: Option<PrintCondition>| PrintCheck {
        condition: forced.or(run.and_then(|r| r.print_condition)).or(own).unwrap_or(by_delivery),
        press_spots: run.map_or(&[][..], |r| r.press_spot_colors.as_slice()),
    };
    kinds
        .iter()
        .filter_map(|kind| {
            let (standard, own_intent, condition) = match kind {
                ProductFile::Faces => (Standard::Print(pdfx.unwrap_or(PdfxFlavour::X4)), None, check(None)),
                ProductFile::DeckScreen => (Standard::Screen, None, PrintCheck::NONE),
                ProductFile::Sheet(s) => {
                    let sheet = project.sheets.get(s)?;
                    (
                        Standard::Print(pdfx.unwrap_or(sheet.pdfx)),
                        sheet.output_intent.as_ref(),
                        check(sheet.print_condition),
                    )
                }
                ProductFile::BookletPages
                | ProductFile::BookletPress(_)
                | ProductFile::BookletOffice
                | ProductFile::BookletScreen => {
                    let Product::Booklet(b) = product else { return None };
                    let own = project.booklet_layouts.get(&b.layout).and_then(|x| x.output_intent.as_ref());
                    match kind {
                        ProductFile::BookletScreen => (Standard::Screen, own, PrintCheck::NONE),
                        // The office file is printed on a desktop printer: no press condition.
                        ProductFile::BookletOffice => (
                            Standard::Print(pdfx.unwrap_or(PdfxFlavour::X4)),
                            own,
                            PrintCheck { condition: forced.unwrap_or(PrintCondition::None), ..check(None) },
                        ),
                        _ => (Standard::Print(pdfx.unwrap_or(PdfxFlavour::X4)), own, check(None)),
                    }
                }
                ProductFile::LeafletPrint | ProductFile::LeafletScreen => {
                    let Product::Leaflet(l) = product else { return None };
                    let own = project.leaflet_layouts.get(&l.layout).and_then(|x| x.output_intent.as_ref());
                    if *kind == ProductFile::LeafletScreen {
                        (Standard::Screen, own, PrintCheck::NONE)
                    } else {
                        (Standard::Print(pdfx.unwrap_or(PdfxFlavour::X4)), own, check(None))
                    }
                }
            };
            Some(PlannedFile {
                kind: kind.clone(),
                name: kind.file_name(name),
                standard,
                intent: run_intent.or(own_intent).unwrap_or(&project.output_intent),
                condition,
            })
        })
        .collect()
}

/// Errors for the products, runs and regions named in `sel` that do not exist (a product or run
/// whose file has errors is not unknown: its errors, among `diags`, say what is wrong).
#[must_use]
pub fn unknown_names(project: &Project, sel: &Selection, diags: &[Diagnostic]) -> Vec<Diagnostic> {
    let products: Vec<&str> = project
        .decks
        .iter()
        .map(|d| d.name.as_str())
        .chain(project.leaflets.iter().map(|l| l.name.as_str()))
        .chain(project.booklets.iter().map(|b| b.name.as_str()))
        .collect();
    let runs: Vec<&str> = project.runs.iter().map(|r| r.name.as_str()).collect();
    let regions: Vec<&str> = project.regions.iter().map(|r| r.id.as_str()).collect();
    let broken = |name: &str| {
        diags.iter().any(|d| d.location.file.as_ref().is_some_and(|f| f.file_stem().is_some_and(|s| s == name)))
    };
    let mut missing = Vec::new();
    // Regions live in one file, so a broken regions file does not explain an unknown region.
    for (what, names, known, list, has_file) in [
        ("product", &sel.only, &products, "products", true),
        ("run", &sel.runs, &runs, "runs in layouts/runs/", true),
        ("region", &sel.regions, &regions, "regions", false),
    ] {
        for name in names.iter().filter(|n| !(known.contains(&n.as_str()) || has_file && broken(n))) {
            let hint = match crate::diag::did_you_mean(name, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? {list}: {}", known.join(", ")),
                None => format!("{list}: {}", known.join(", ")),
            };
            missing.push(Diagnostic::error(format!("unknown {what} `{name}`")).with_hint(hint));
        }
    }
    missing
}
