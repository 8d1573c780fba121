//! Orchestration: load the project, plan every product of the default build and of every print
//! run, build them in parallel, write files atomically, write job tickets.

pub mod guard;
pub mod plan;
pub mod products;
pub mod stream;
pub mod ticket;
pub mod util;

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::date::ymd;
use crate::diag::{Diagnostic, Diagnostics};
use crate::export::{PrintTarget, write_print_pdf};
pub use crate::files::write_atomic;
use crate::files::{self, Temp};
use crate::layout::slug::slug_style;
use crate::model::Run;
use crate::model::run::Delivery;
use crate::model::standard::PdfxFlavour;
use crate::model::{Project, load_project_with};
use crate::text::hyphenate::Hyphenator;
use crate::text::paragraph::FontSet;
use crate::text::shape::Shaper;
use crate::text::{ParaStyle, Typesetter};
use crate::units::Pt;
use plan::{Plan, Selection};
use products::{JobResult, Target};
use ticket::{JobTicket, ticket_document};
pub use util::source_date;

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
    /// No print runs, only the default outputs (proofs).
    pub no_runs: bool,
    /// Keep every file made in memory ([`BuildReport::made`]), also when not writing (proofs).
    pub keep: bool,
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
            no_runs: false,
            keep: false,
            allow_sample_data: false,
            progress: None,
        }
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
}

/// Builds (or, with `write: false`, checks) the default products and every selected print run.
///
/// A named product (`only`) rebuilds that product's default outputs; a print run is rebuilt, as
/// a whole, only when all its products are named (or none is), or when runs are selected with
/// `runs`/`regions` (then the runs among them that contain a named product). A run's files and
/// its job ticket are built in a staging folder and moved into `<out>/<folder>/` together, only
/// when every product of the run succeeded; a default product's files are moved into place only
/// when all of them succeeded. `check` does the same work without writing.
pub fn build(opts: &BuildOptions) -> BuildReport {
    let out_existed = opts.out_dir.exists();
    let mut report = build_selected(opts);
    if opts.write && !out_existed {
        // Created for staging only: leave no empty output folder behind.
        let _ = std::fs::remove_dir(&opts.out_dir);
    }
    report.diags = std::mem::take(&mut report.diags).grouped();
    report.diags.0.sort_by_key(|d| d.severity);
    report
}

fn build_selected(opts: &BuildOptions) -> BuildReport {
    let mut report = BuildReport::default();
    let (project, diags) =
        crate::timing::time(crate::timing::Stage::Load, || load_project_with(&opts.root, opts.allow_sample_data));
    report.diags = diags;
    let Some(project) = project else { return report };
    // Outputs that would overwrite each other (or escape the output folder): lay out to find
    // every other problem, but write nothing.
    // A run folder that already exists as a link (or a file) could lead writes out of the output
    // folder: refused, like a colliding name.
    let mut linked = 0;
    for r in &project.runs {
        let dir = opts.out_dir.join(&r.folder);
        if std::fs::symlink_metadata(&dir).is_ok_and(|m| !m.is_dir()) {
            linked += 1;
            report.diags.push(
                Diagnostic::error(format!(
                    "{} (the folder of run `{}`) is a link or a file, not a folder",
                    dir.display(),
                    r.name
                ))
                .with_hint("remove it; tryksag creates the run's folder itself")
                .at(r.file.locate("folder")),
            );
        }
    }
    let gated = BuildOptions { write: opts.write && project.output_conflicts + linked == 0, ..opts.clone() };
    let opts = &gated;
    let sel = opts.selection();
    let unknown = plan::unknown_names(&project, &sel, &report.diags.0);
    if !unknown.is_empty() {
        return BuildReport { diags: Diagnostics(unknown), usage: true, ..BuildReport::default() };
    }
    let date = source_date(&project);
    let whole = |r: &Run| r.products.iter().all(|p| opts.only.is_empty() || opts.only.contains(&p.product));
    let Plan { jobs, runs } = plan::plan(&project, &sel);
    // Warnings about runs that are not built (e.g. their sample contact data) concern nobody.
    let unbuilt: Vec<&Path> = project
        .runs
        .iter()
        .filter(|r| !runs.iter().any(|x| std::ptr::eq(*x, *r)))
        .map(|r| r.file.path.as_path())
        .collect();
    report.diags.0.retain(|d| d.is_error() || !d.location.file.as_deref().is_some_and(|f| unbuilt.contains(&f)));
    // Warnings about a run itself (e.g. sample contact data) count for each of its files.
    let run_warnings: Vec<usize> = runs
        .iter()
        .map(|r| {
            let own = |d: &&Diagnostic| !d.is_error() && d.location.file.as_deref() == Some(r.file.path.as_path());
            report.diags.0.iter().filter(own).count()
        })
        .collect();
    // The finishing pass embeds each output profile compressed: compress them now, on the pool,
    // while the products are laid out.
    if !jobs.is_empty() {
        let mut profiles: Vec<&std::sync::Arc<Vec<u8>>> = vec![&project.output_intent.profile];
        let more = project.sheets.values().filter_map(|s| s.output_intent.as_ref());
        let more = more.chain(project.leaflet_layouts.values().filter_map(|l| l.output_intent.as_ref()));
        profiles.extend(more.chain(runs.iter().filter_map(|r| r.output_intent.as_ref())).map(|i| &i.profile));
        profiles.sort_by_key(|p| std::sync::Arc::as_ptr(p));
        profiles.dedup_by_key(|p| std::sync::Arc::as_ptr(p));
        for p in profiles {
            let p = p.clone();
            // Only a head start: a failure here is met (and reported) again by the pass itself.
            rayon::spawn(move || drop(guard::catch(|| crate::export::warm_profile(&p))));
        }
    }
    // Staging folders: every product and every run is written into its own, and moved into
    // place only when complete (removed otherwise, also on Ctrl-C).
    let pid = std::process::id();
    let stage = |kind: &str, name: &str| {
        opts.write.then(|| Temp::new(opts.out_dir.join(format!(".tryksag-{kind}{}.tmp-{pid}", flat(name)))))
    };
    let run_stages: Vec<Option<Temp>> = runs.iter().map(|r| stage("run-", &r.folder)).collect();
    let job_stages: Vec<Option<Temp>> =
        jobs.iter().map(|j| if j.run.is_none() { stage("", &j.label()) } else { None }).collect();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let total = jobs.len();
    // Products are independent: build them in parallel; results keep the plan's order. A panic
    // in one is reported as an internal error of that product, which then writes nothing.
    let results: Vec<JobResult> = jobs
        .par_iter()
        .zip(&job_stages)
        .map(|(job, own)| {
            let dir = match (job.run, own) {
                (_, Some(t)) => t.path().to_path_buf(),
                (Some((r, _)), None) => {
                    let k = runs.iter().position(|x| std::ptr::eq(*x, r)).expect("planned run");
                    run_stages[k].as_ref().map_or_else(|| opts.out_dir.join(&r.folder), |t| t.path().to_path_buf())
                }
                (None, None) => opts.out_dir.clone(),
            };
            let target = Target { dir, write: opts.write, keep: opts.keep, date };
            let r = guard::catch(|| products::make(&project, job, &target)).unwrap_or_else(|panic| JobResult {
                diags: vec![internal_error(job.product_name(), &panic)],
                ..JobResult::default()
            });
            if let Some(cb) = opts.progress {
                cb(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, total, &job.label());
            }
            r
        })
        .collect();
    let mut run_results: Vec<Vec<(usize, JobResult)>> = Vec::new();
    run_results.resize_with(runs.len(), Vec::new);
    for ((job, res), own) in jobs.iter().zip(results).zip(job_stages) {
        match job.run {
            Some((r, i)) => {
                let k = runs.iter().position(|x| std::ptr::eq(*x, r)).expect("planned run");
                run_results[k].push((i, res));
            }
            None => {
                let failed = res.diags.iter().any(Diagnostic::is_error);
                report.diags.extend(res.diags);
                report.made.extend(res.made);
                if let (Some(own), false) = (own, failed) {
                    match commit_files(own.path(), &opts.out_dir, res.files) {
                        Ok(files) => report.written.extend(files),
                        Err(e) => report.diags.push(Diagnostic::error(e).about(job.label())),
                    }
                }
            }
        }
    }
    for (((r, results), own), extra) in runs.iter().zip(run_results).zip(run_stages).zip(run_warnings) {
        let failed = results.iter().filter(|(_, x)| x.diags.iter().any(Diagnostic::is_error)).count();
        let mut items = Vec::new();
        let mut files = Vec::new();
        for (i, res) in results {
            report.diags.extend(res.diags.into_iter().map(|d| {
                let about = d.location.subject.clone().unwrap_or_default();
                d.about(format!(
                    "run {}, {}{}",
                    r.name,
                    r.products[i].product,
                    if about.is_empty() || about == r.products[i].product {
                        String::new()
                    } else {
                        format!(": {about}")
                    }
                ))
            }));
            files.extend(res.files);
            items.extend(res.tickets);
            report.made.extend(res.made);
        }
        if failed > 0 {
            if opts.write {
                let folder = opts.out_dir.join(&r.folder);
                // A consequence, not a second mistake: the products' errors are the errors.
                report.diags.push(
                    Diagnostic::warning(format!(
                        "run `{}` not written: {failed} product(s) failed; {} was left as it was",
                        r.name,
                        folder.display()
                    ))
                    .with_hint("fix the errors above; a run is written only when all its products succeed")
                    .grouped_as(
                        "runs not written because products failed ({}); their folders were left as they were",
                        "runs",
                        r.name.as_str(),
                    ),
                );
            }
            continue;
        }
        if items.is_empty() || !whole(r) && !opts.write {
            continue;
        }
        let ticket = match guard::catch(|| ticket_files(&project, r, items, date, opts)) {
            Ok(Ok(t)) => t,
            Ok(Err(d)) => {
                report.diags.push(d);
                continue;
            }
            Err(panic) => {
                report.diags.push(internal_error(&format!("the job ticket of run {}", r.name), &panic));
                continue;
            }
        };
        let Some(own) = own else { continue };
        match commit_run(r, own.path(), &opts.out_dir.join(&r.folder), files, ticket) {
            Ok(written) => {
                report.written.extend(written.into_iter().map(|mut w| {
                    w.warnings += extra;
                    w
                }));
            }
            Err(e) => report.diags.push(Diagnostic::error(e).about(format!("run {}", r.name))),
        }
    }
    report
}

/// A name that is safe as one path component of a staging folder.
fn flat(name: &str) -> String {
    name.chars().map(|c| if c == '/' || c == '\\' || c.is_control() { '_' } else { c }).collect()
}

/// The diagnostic for a caught panic.
fn internal_error(what: &str, panic: &str) -> Diagnostic {
    let panic: String = panic.chars().take(300).collect();
    Diagnostic::error(format!("internal error while building {what}: {panic}; please report this"))
        .with_hint("nothing was written for it; the other products were built as usual")
}

/// Moves a product's staged files into `dest` (each by a rename, so each file is whole) and
/// returns them with their final paths.
fn commit_files(stage: &Path, dest: &Path, files: Vec<Written>) -> Result<Vec<Written>, String> {
    files::uninterrupted(|| {
        let mut done = Vec::new();
        for mut w in files {
            let name = w.path.file_name().map(PathBuf::from).unwrap_or_default();
            let to = dest.join(&name);
            std::fs::rename(stage.join(&name), &to).map_err(|e| format!("cannot write {}: {e}", to.display()))?;
            w.path = to;
            done.push(w);
        }
        Ok(done)
    })
}

/// What a finished job ticket is: the JSON and the PDF.
struct TicketFiles {
    json: String,
    pdf: Vec<u8>,
}

/// Files named in the job ticket at `dir` (plain file names only).
fn ticketed(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("jobseddel.json")) else { return Vec::new() };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { return Vec::new() };
    let items = v.get("items").and_then(|i| i.as_array()).cloned().unwrap_or_default();
    items
        .iter()
        .filter_map(|i| i.get("file")?.as_str().map(str::to_string))
        .filter(|f| !f.is_empty() && !f.starts_with('.') && Path::new(f).file_name() == Some(std::ffi::OsStr::new(f)))
        .collect()
}

/// Writes the ticket into the run's staging folder, then moves the run into `dest`: the old
/// ticket goes first, then the new files replace the old ones, files the old ticket listed that
/// the run no longer makes are removed, and the new ticket comes last. So a ticket in `dest`
/// always lists exactly the run's files beside it, even if the machine stops half-way.
fn commit_run(
    r: &Run,
    stage: &Path,
    dest: &Path,
    files: Vec<Written>,
    ticket: TicketFiles,
) -> Result<Vec<Written>, String> {
    let ticket_row = |path: PathBuf, pages| Written {
        path,
        pages,
        sheets: None,
        product: format!("{} jobseddel", r.name),
        warnings: 0,
        millis: 0,
    };
    write_atomic(&stage.join("jobseddel.pdf"), &ticket.pdf)?;
    write_atomic(&stage.join("jobseddel.json"), ticket.json.as_bytes())?;
    files::uninterrupted(|| {
        std::fs::create_dir_all(dest).map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
        let old = ticketed(dest);
        for t in ["jobseddel.json", "jobseddel.pdf"] {
            match std::fs::remove_file(dest.join(t)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(format!("cannot replace {}: {e}", dest.join(t).display()));
                }
                _ => {}
            }
        }
        let mut written = commit_files(stage, dest, files)?;
        for f in old {
            if !written.iter().any(|w| w.path.file_name() == Some(std::ffi::OsStr::new(&f))) {
                let _ = std::fs::remove_file(dest.join(&f));
            }
        }
        let tickets = vec![ticket_row(stage.join("jobseddel.json"), 0), ticket_row(stage.join("jobseddel.pdf"), 1)];
        // The PDF first: the JSON, which scripts read, appears last.
        let mut rows = commit_files(stage, dest, tickets.into_iter().rev().collect())?;
        rows.reverse();
        written.extend(rows);
        Ok(written)
    })
}

/// The job ticket of a run whose products all succeeded, as JSON and as a PDF (in memory).
fn ticket_files(
    project: &Project,
    r: &Run,
    items: Vec<ticket::TicketItem>,
    date: i64,
    opts: &BuildOptions,
) -> Result<TicketFiles, Diagnostic> {
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
        pdfx: opts.pdfx.unwrap_or(r.pdfx).version_name().into(),
        items,
    };
    let about = |e: String| Diagnostic::error(e).about(format!("job ticket of run {}", r.name));
    let json = serde_json::to_string_pretty(&t).map(|s| s + "\n").map_err(|e| about(e.to_string()))?;
    let style = slug_style(&project.fonts)
        .ok_or_else(|| about("no font for the job ticket".into()).with_hint("put at least one font in fonts/"))?;
    let style = style.scaled_to(Pt(7.5));
    let pdf = ticket_document(&t, &project.fonts, &style)
        .and_then(|doc| {
            let target =
                PrintTarget { flavour: PdfxFlavour::X4, intent: &project.output_intent, title: &doc.title, date };
            write_print_pdf(&doc, &project.fonts, &target).map_err(|e| e.to_string())
        })
        .map_err(about)?;
    Ok(TicketFiles { json, pdf })
}

/// Writes `calibrate-<sheet>.pdf`, the duplex calibration sheet for a sheet layout.
pub fn calibrate(opts: &BuildOptions, sheet_name: &str) -> BuildReport {
    let started = Instant::now();
    let mut report = BuildReport::default();
    let (project, diags) = load_project_with(&opts.root, opts.allow_sample_data);
    report.diags = diags;
    let Some(project) = project.filter(|p| p.output_conflicts == 0) else { return report };
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
    let res = crate::layout::calibration::lay_out_calibration(sheet, &ts, &body, &heading)
        .map(|frames| crate::impose::calibrate::calibration_document(sheet, frames))
        .and_then(|doc| {
            let target =
                PrintTarget { flavour: PdfxFlavour::X4, intent: &project.output_intent, title: &doc.title, date };
            let bytes = write_print_pdf(&doc, &project.fonts, &target).map_err(|e| e.to_string())?;
            Ok((bytes, doc.pages.len()))
        })
        .and_then(|(bytes, pages)| {
            let path = opts.out_dir.join(format!("calibrate-{sheet_name}.pdf"));
            write_atomic(&path, &bytes).map_err(String::from).map(|()| Written {
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
