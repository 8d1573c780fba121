//! Orchestration: load the project, plan every product of the default build and of every print
//! run, build them in parallel, and put the finished files and job tickets in place.
//!
//! The parts: what a build is asked and reports ([`options`]), the plan ([`plan`]), one product
//! ([`products`], decks streamed by [`stream`]), putting files in place ([`commit`]), job tickets
//! ([`ticket`]), the calibration sheet ([`calibrate()`]), panics as errors ([`guard`]).

mod booklet;
mod calibrate;
pub(crate) mod commit;
pub(crate) mod guard;
mod options;
pub(crate) mod plan;
pub(crate) mod products;
pub(crate) mod stream;
pub(crate) mod ticket;
pub(crate) mod util;

use std::path::Path;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::files::Temp;
pub use crate::files::{WriteError, write_atomic, write_new};
pub use crate::layout::calibration::Readings;
pub use crate::layout::{FaceCache, FieldReport, ProductTypography};
use crate::model::load_project_with;
use crate::model::output_intent::{DEFAULT_PROFILE, MAX_PROFILE_BYTES};
pub use crate::model::print_condition::PrintCondition;
pub use calibrate::{CorrectedOffset, calibrate, read_calibration};
pub use commit::ticketed;
use commit::{commit_files, commit_run, staging};
pub use options::{BuildOptions, BuildReport, Made, Written};
pub use plan::{Job, Plan, PlannedFile, Product, Selection, Standard, plan};
use products::{JobResult, Target};
pub use stream::{StreamOut, StreamStats, WINDOW, stream_deck};
pub use ticket::sha256_hex;
use ticket::ticket_files;
pub use util::{source_date, source_date_epoch};

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
    if let Some(faces) = &opts.faces {
        faces.sweep();
    }
    report.diags = std::mem::take(&mut report.diags).grouped();
    report.diags.0.sort_by_key(|d| d.severity);
    report
}

fn build_selected(opts: &BuildOptions) -> BuildReport {
    let mut report = BuildReport::default();
    // The finishing pass embeds the default output profile compressed (tens of milliseconds):
    // start on it while the project loads. Only a head start: if the profile cannot be read
    // here, loading reports it, and the pass compresses what it is given itself.
    if opts.write {
        let root = opts.root.clone();
        rayon::spawn(move || {
            drop(guard::catch(|| {
                if let Ok(p) = crate::paths::read_input(&root, DEFAULT_PROFILE, MAX_PROFILE_BYTES) {
                    crate::export::warm_profile(&p);
                }
            }));
        });
    }
    let (project, diags) =
        crate::timing::time(crate::timing::Stage::Load, || load_project_with(&opts.root, &opts.load_options()));
    report.diags = diags;
    let Some(project) = project else { return report };
    report.spreadsheets = project.spreadsheets();
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
        return BuildReport {
            diags: Diagnostics(unknown),
            usage: true,
            spreadsheets: report.spreadsheets,
            ..BuildReport::default()
        };
    }
    let date = source_date(&project);
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
    let stage = |kind: &str, name: &str| opts.write.then(|| staging(&opts.out_dir, kind, name));
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
            // A run with its own date (an order's) is stamped with it, whatever else changed.
            let date = job.run.and_then(|(r, _)| r.date).unwrap_or(date);
            let target = Target {
                dir,
                write: opts.write,
                keep: opts.keep,
                date,
                typography: opts.typography,
                faces: opts.faces.as_deref(),
            };
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
    for ((job, mut res), own) in jobs.iter().zip(results).zip(job_stages) {
        if let Some(fields) = res.typography.take() {
            report.typography.push(crate::layout::ProductTypography::new(job.label(), fields));
        }
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
                        Err(e) => report.diags.push(Diagnostic::error(e.to_string()).about(job.label())),
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
        if items.is_empty() || !sel.wants_whole(r) && !opts.write {
            continue;
        }
        let ticket = match guard::catch(|| ticket_files(&project, r, items, r.date.unwrap_or(date), opts)) {
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
            Err(e) => report.diags.push(Diagnostic::error(e.to_string()).about(format!("run {}", r.name))),
        }
    }
    report
}

/// The diagnostic for a caught panic.
fn internal_error(what: &str, panic: &guard::Panic) -> Diagnostic {
    let panic: String = panic.0.chars().take(300).collect();
    Diagnostic::error(format!("internal error while building {what}: {panic}; please report this"))
        .with_hint("nothing was written for it; the other products were built as usual")
}
