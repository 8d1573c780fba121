//! Orchestration: load the project, plan every product of the default build and of every print
//! run, build them in parallel, write files atomically, write job tickets.

pub mod products;
pub mod stream;
pub mod ticket;
pub mod util;

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::date::ymd;
use crate::diag::{Diagnostic, Diagnostics};
use crate::export::pdfx::PdfxFlavour;
use crate::export::{pdf, print};
use crate::model::run::{Delivery, Run, RunItem};
use crate::model::{Project, load_project_with};
use crate::text::hyphenate::Hyphenator;
use crate::text::paragraph::FontSet;
use crate::text::shape::Shaper;
use crate::text::{ParaStyle, Typesetter};
use crate::units::Pt;
use products::{DeckOut, JobResult, Target};
use ticket::{JobTicket, ticket_document};
use util::slug_style;
pub use util::{source_date, write_atomic};

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
    /// Only these runs (empty: all; with `regions` also empty, the default products too).
    pub runs: Vec<String>,
    /// Only runs for these regions.
    pub regions: Vec<String>,
    /// Allow sample contact data in print-shop runs.
    pub allow_sample_data: bool,
    /// Called after each finished product with (done, total, label); for progress bars.
    pub progress: Option<fn(usize, usize, &str)>,
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
            runs: Vec::new(),
            regions: Vec::new(),
            allow_sample_data: false,
            progress: None,
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

/// The result of a build or check.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Every diagnostic, errors first.
    pub diags: Diagnostics,
    /// Files written, in plan order.
    pub written: Vec<Written>,
    /// The command line named a product, run, region or sheet layout that does not exist: a
    /// usage error (exit 2); `diags` then holds only those errors and nothing was built.
    pub usage: bool,
}

/// One unit of parallel work.
enum Job<'a> {
    DefaultDeck(&'a crate::model::Deck),
    DefaultLeaflet(&'a crate::model::leaflet::Leaflet),
    RunProduct(&'a Run, usize),
}

impl Job<'_> {
    fn label(&self) -> String {
        match self {
            Job::DefaultDeck(d) => d.name.clone(),
            Job::DefaultLeaflet(l) => l.name.clone(),
            Job::RunProduct(r, i) => format!("{}/{}", r.name, r.products[*i].product),
        }
    }
}

/// Builds (or, with `write: false`, checks) the default products and every selected print run.
pub fn build(opts: &BuildOptions) -> BuildReport {
    let mut report = BuildReport::default();
    let (project, diags) =
        crate::timing::time(crate::timing::Stage::Load, || load_project_with(&opts.root, opts.allow_sample_data));
    report.diags = diags;
    let Some(project) = project else { return report };
    let unknown = check_selection(&project, opts, &report.diags);
    if !unknown.is_empty() {
        return BuildReport { diags: Diagnostics(unknown), usage: true, ..BuildReport::default() };
    }
    let date = source_date(&project);
    let wanted = |name: &str| opts.only.is_empty() || opts.only.iter().any(|o| o == name);
    let runs_selected = !opts.runs.is_empty() || !opts.regions.is_empty();
    let mut jobs = Vec::new();
    if !runs_selected {
        jobs.extend(project.decks.iter().filter(|d| wanted(&d.name)).map(Job::DefaultDeck));
        jobs.extend(project.leaflets.iter().filter(|l| wanted(&l.name)).map(Job::DefaultLeaflet));
    }
    let runs: Vec<&Run> = project
        .runs
        .iter()
        .filter(|r| opts.runs.is_empty() || opts.runs.contains(&r.name))
        .filter(|r| opts.regions.is_empty() || opts.regions.contains(&r.region))
        .collect();
    for r in &runs {
        jobs.extend((0..r.products.len()).filter(|&i| wanted(&r.products[i].product)).map(|i| Job::RunProduct(r, i)));
    }
    // The finishing pass embeds each output profile compressed: compress them now, on the pool,
    // while the products are laid out.
    if !jobs.is_empty() && opts.write {
        let mut profiles: Vec<&std::sync::Arc<Vec<u8>>> = vec![&project.output_intent.profile];
        let more = project.sheets.values().filter_map(|s| s.output_intent.as_ref());
        let more = more.chain(project.leaflet_layouts.values().filter_map(|l| l.output_intent.as_ref()));
        profiles.extend(more.chain(runs.iter().filter_map(|r| r.output_intent.as_ref())).map(|i| &i.profile));
        profiles.sort_by_key(|p| std::sync::Arc::as_ptr(p));
        profiles.dedup_by_key(|p| std::sync::Arc::as_ptr(p));
        for p in profiles {
            let p = p.clone();
            rayon::spawn(move || crate::export::pdfx::warm_profile(&p));
        }
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = jobs.len();
    // Products are independent: build them in parallel; results keep the plan's order.
    let results: Vec<JobResult> = jobs
        .par_iter()
        .map(|job| {
            let r = run_job(&project, job, opts, date);
            if let Some(cb) = opts.progress {
                cb(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, total, &job.label());
            }
            r
        })
        .collect();
    let mut run_results: Vec<Vec<(usize, JobResult)>> = Vec::new();
    run_results.resize_with(runs.len(), Vec::new);
    for (job, res) in jobs.iter().zip(results) {
        match job {
            Job::RunProduct(r, i) => {
                let k = runs.iter().position(|x| std::ptr::eq(*x, *r)).expect("planned run");
                run_results[k].push((*i, res));
            }
            _ => {
                report.diags.extend(res.diags);
                report.written.extend(res.files);
            }
        }
    }
    for (r, results) in runs.iter().zip(run_results) {
        let failed = results.iter().filter(|(_, x)| x.diags.iter().any(Diagnostic::is_error)).count();
        let mut items = Vec::new();
        for (i, res) in results {
            report.diags.extend(res.diags.into_iter().map(|d| {
                let about = d.location.subject.clone().unwrap_or_default();
                d.about(format!(
                    "run {}, {}{}",
                    r.name,
                    r.products[i].product,
                    if about.is_empty() { String::new() } else { format!(": {about}") }
                ))
            }));
            report.written.extend(res.files);
            items.extend(res.tickets);
        }
        if !opts.write || items.is_empty() {
            continue;
        }
        if failed > 0 {
            report.diags.push(
                Diagnostic::error(format!("job ticket for run `{}` not written: {failed} product(s) failed", r.name))
                    .with_hint("fix the errors above; the products that succeeded were written"),
            );
            continue;
        }
        write_ticket(&project, r, items, date, opts, &mut report);
    }
    report.diags.0.sort_by_key(|d| d.severity);
    report
}

/// Errors for the products, runs and regions named on the command line that do not exist (a
/// product or run whose file has errors is not unknown: its errors say what is wrong).
fn check_selection(project: &Project, opts: &BuildOptions, diags: &Diagnostics) -> Vec<Diagnostic> {
    let products: Vec<&str> =
        project.decks.iter().map(|d| d.name.as_str()).chain(project.leaflets.iter().map(|l| l.name.as_str())).collect();
    let runs: Vec<&str> = project.runs.iter().map(|r| r.name.as_str()).collect();
    let regions: Vec<&str> = project.regions.iter().map(|r| r.id.as_str()).collect();
    let broken = |name: &str| {
        diags.0.iter().any(|d| d.location.file.as_ref().is_some_and(|f| f.file_stem().is_some_and(|s| s == name)))
    };
    let mut missing = Vec::new();
    for (what, names, known, list) in [
        ("product", &opts.only, &products, "products"),
        ("run", &opts.runs, &runs, "runs in layouts/runs/"),
        ("region", &opts.regions, &regions, "regions"),
    ] {
        for name in names.iter().filter(|n| !known.contains(&n.as_str()) && (what == "region" || !broken(n))) {
            let hint = match crate::diag::did_you_mean(name, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? {list}: {}", known.join(", ")),
                None => format!("{list}: {}", known.join(", ")),
            };
            missing.push(Diagnostic::error(format!("unknown {what} `{name}`")).with_hint(hint));
        }
    }
    missing
}

fn run_job(project: &Project, job: &Job, opts: &BuildOptions, date: i64) -> JobResult {
    let base = Target {
        dir: opts.out_dir.clone(),
        region: None,
        pdfx: opts.pdfx,
        intent: None,
        office: false,
        quantity: None,
        write: opts.write,
        date,
    };
    match job {
        Job::DefaultDeck(d) => {
            let outs: Vec<DeckOut> =
                std::iter::once(DeckOut::Faces).chain(d.sheets.iter().cloned().map(DeckOut::Sheet)).collect();
            products::deck(project, d, &outs, &base)
        }
        Job::DefaultLeaflet(l) => products::leaflet(project, l, &base),
        Job::RunProduct(r, i) => {
            let p = &r.products[*i];
            let t = Target {
                dir: opts.out_dir.join(&r.folder),
                region: project.regions.iter().find(|x| x.id == r.region),
                pdfx: opts.pdfx.or(Some(r.pdfx)),
                intent: r.output_intent.as_ref(),
                office: r.delivery == Delivery::Office,
                quantity: Some(p.quantity),
                ..base
            };
            match &p.item {
                RunItem::DeckFaces | RunItem::DeckSheets(_) => {
                    let out = match &p.item {
                        RunItem::DeckSheets(s) => DeckOut::Sheet(s.clone()),
                        _ => DeckOut::Faces,
                    };
                    match project.decks.iter().find(|d| d.name == p.product) {
                        Some(d) => products::deck(project, d, &[out], &t),
                        None => JobResult::default(),
                    }
                }
                RunItem::Leaflet => match project.leaflets.iter().find(|l| l.name == p.product) {
                    Some(l) => products::leaflet(project, l, &t),
                    None => JobResult::default(),
                },
            }
        }
    }
}

fn write_ticket(
    project: &Project,
    r: &Run,
    items: Vec<ticket::TicketItem>,
    date: i64,
    opts: &BuildOptions,
    report: &mut BuildReport,
) {
    let region = project.regions.iter().find(|x| x.id == r.region);
    let intent = r.output_intent.as_ref().unwrap_or(&project.output_intent);
    let t = JobTicket {
        run: r.name.clone(),
        description: r.description.clone(),
        date: ymd(date),
        region: r.region.clone(),
        region_name: region.map(|x| x.name.clone()).unwrap_or_default(),
        sample_data: region.is_some_and(|x| x.sample),
        delivery: match r.delivery {
            Delivery::PrintShop => "print-shop".into(),
            Delivery::Office => "office".into(),
        },
        paper: r.paper.clone(),
        colour_profile: intent.identifier.clone(),
        pdfx: match opts.pdfx.unwrap_or(r.pdfx) {
            PdfxFlavour::X4 => "PDF/X-4".into(),
            PdfxFlavour::X1a2003 => "PDF/X-1a:2003".into(),
        },
        items,
    };
    let dir = opts.out_dir.join(&r.folder);
    let json = serde_json::to_string_pretty(&t).map(|s| s + "\n").map_err(|e| e.to_string());
    let json_path = dir.join("jobseddel.json");
    match json.and_then(|j| write_atomic(&json_path, j.as_bytes())) {
        Ok(()) => report.written.push(Written {
            path: json_path,
            pages: 0,
            sheets: None,
            product: format!("{} jobseddel", r.name),
            warnings: 0,
            millis: 0,
        }),
        Err(e) => report.diags.push(Diagnostic::error(e)),
    }
    let Some(style) = slug_style(&project.fonts) else { return };
    let style = style.scaled_to(Pt(7.5));
    let pdf_path = dir.join("jobseddel.pdf");
    let res = ticket_document(&t, &project.fonts, &style).and_then(|doc| {
        let b = pdf::render(&doc, &project.fonts, print::settings(PdfxFlavour::X4))?;
        let b = print::finish(&b, &project.output_intent, PdfxFlavour::X4, &doc.title, date)?;
        write_atomic(&pdf_path, &b)
    });
    match res {
        Ok(()) => report.written.push(Written {
            path: pdf_path,
            pages: 1,
            sheets: None,
            product: format!("{} jobseddel", r.name),
            warnings: 0,
            millis: 0,
        }),
        Err(e) => report.diags.push(Diagnostic::error(e).about(format!("job ticket of run {}", r.name))),
    }
}

/// Writes `calibrate-<sheet>.pdf`, the duplex calibration sheet for a sheet layout.
pub fn calibrate(opts: &BuildOptions, sheet_name: &str) -> BuildReport {
    let started = Instant::now();
    let mut report = BuildReport::default();
    let (project, diags) = load_project_with(&opts.root, opts.allow_sample_data);
    report.diags = diags;
    let Some(project) = project else { return report };
    let Some(sheet) = project.sheets.get(sheet_name) else {
        let broken = report.diags.0.iter().any(|d| {
            d.location
                .file
                .as_ref()
                .is_some_and(|f| f.starts_with("layouts/sheets") && f.file_stem().is_some_and(|s| s == sheet_name))
        });
        if broken {
            // The sheet layout exists but has errors: those say what is wrong.
            return report;
        }
        let names: Vec<&str> = project.sheets.keys().map(String::as_str).collect();
        let hint = match crate::diag::did_you_mean(sheet_name, names.iter().copied()) {
            Some(n) => format!("did you mean `{n}`? sheet layouts: {}", names.join(", ")),
            None => format!("sheet layouts in layouts/sheets/: {}", names.join(", ")),
        };
        let d = Diagnostic::error(format!("unknown sheet layout `{sheet_name}`")).with_hint(hint);
        return BuildReport { diags: Diagnostics(vec![d]), usage: true, ..BuildReport::default() };
    };
    let Some(body) = slug_style(&project.fonts) else { return report };
    let body = body.scaled_to(Pt(9.0));
    let heading = ParaStyle { fonts: FontSet { bold: None, ..body.fonts }, ..body.scaled_to(Pt(14.0)) };
    let hy = Hyphenator::default();
    let ts = Typesetter::new(Shaper::new(&project.fonts), &hy);
    let date = source_date(&project);
    let res = crate::impose::calibrate::calibration(sheet, &ts, &body, &heading)
        .and_then(|doc| {
            let bytes = pdf::render(&doc, &project.fonts, print::settings(PdfxFlavour::X4))?;
            Ok((print::finish(&bytes, &project.output_intent, PdfxFlavour::X4, &doc.title, date)?, doc.pages.len()))
        })
        .and_then(|(bytes, pages)| {
            let path = opts.out_dir.join(format!("calibrate-{sheet_name}.pdf"));
            write_atomic(&path, &bytes).map(|()| Written {
                path,
                pages,
                sheets: Some(1),
                product: format!("calibrate {sheet_name}"),
                warnings: 0,
                millis: started.elapsed().as_millis(),
            })
        });
    match res {
        Ok(w) => report.written.push(w),
        Err(e) => report.diags.push(Diagnostic::error(e).about(format!("calibration sheet for {sheet_name}"))),
    }
    report
}
