//! Finding and reading the project's files: the folders a project has, the `*.json` files in
//! them, each read inside the project and handed to its resolver, in file-name order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::output_intent::{DEFAULT_PROFILE, OutputIntent, load_output_intent};
use super::outputs;
use super::project::Project;
use super::resolve::{
    booklet_layout, card_layout, leaflet_layout, load_booklet, load_deck, load_leaflet, load_regions,
};
use super::source::SourceFile;
use crate::diag::{Diagnostic, Diagnostics};
use crate::text::FontBook;

/// Lists `*.json` files in a directory, sorted; a missing directory is empty.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "json")).collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Reads a project file found by listing a folder: it must lie inside the project (a link to a
/// file elsewhere is refused) and be a regular file (a FIFO would block the build).
pub(crate) fn load_source(root: &Path, path: &Path, shown: &Path) -> Result<SourceFile, Diagnostic> {
    crate::paths::inside_root(root, path, &shown.display().to_string())
        .map_err(|e| Diagnostic::error(e.describe("file")).with_hint(e.hint).in_file(shown))?;
    SourceFile::load(path, shown)
}

fn stem(p: &Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Loads every `*.json` in `root/sub` with `resolve` (which returns warnings and the value),
/// keyed by file stem; also returns the stems of files that failed, so that files referring to
/// them are not blamed for their errors.
fn load_all<T>(
    root: &Path,
    sub: &str,
    diags: &mut Diagnostics,
    mut resolve: impl FnMut(String, Arc<SourceFile>) -> Result<(Vec<Diagnostic>, T), Vec<Diagnostic>>,
) -> (BTreeMap<String, T>, Vec<String>) {
    let mut ok = BTreeMap::new();
    let mut broken = Vec::new();
    for path in json_files(&root.join(sub)) {
        let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let res = load_source(root, &path, &shown).map_err(|d| vec![d]).and_then(|f| resolve(stem(&path), Arc::new(f)));
        match res {
            Ok((warnings, v)) => {
                diags.extend(warnings);
                ok.insert(stem(&path), v);
            }
            Err(ds) => {
                broken.push(stem(&path));
                diags.extend(ds);
            }
        }
    }
    (ok, broken)
}

/// A print run that is not on disk yet (an order in the web app): loaded exactly as if it were
/// `layouts/runs/<name>.json`, replacing a run file of that name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftRun {
    /// The run's name (the file stem it will have).
    pub name: String,
    /// The run file's JSON text.
    pub text: String,
}

/// How a project is loaded beyond its files.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// Allow sample contact data in print-shop runs (`--allow-sample-data`).
    pub allow_sample: bool,
    /// A run to load as if its file were on disk.
    pub draft: Option<DraftRun>,
}

/// Loads and validates the project at `root`. Returns the project (possibly partial) and every
/// diagnostic found; callers refuse to write output when there are errors.
pub fn load_project(root: &Path) -> (Option<Project>, Diagnostics) {
    load_project_with(root, &LoadOptions::default())
}

/// The run files to load, in file-name order: the paths on disk, and the draft (in memory) in
/// the place its file would have.
fn run_sources(root: &Path, draft: Option<&DraftRun>) -> Vec<(PathBuf, Option<String>)> {
    let dir = root.join("layouts").join("runs");
    let mut v: Vec<(PathBuf, Option<String>)> =
        json_files(&dir).into_iter().filter(|p| draft.is_none_or(|d| stem(p) != d.name)).map(|p| (p, None)).collect();
    if let Some(d) = draft {
        v.push((dir.join(format!("{}.json", d.name)), Some(d.text.clone())));
        v.sort_by(|a, b| a.0.cmp(&b.0));
    }
    v
}

/// [`load_project`] with [`LoadOptions`]: sample contact data allowed, a draft run.
pub fn load_project_with(root: &Path, opts: &LoadOptions) -> (Option<Project>, Diagnostics) {
    // The slowest check of loading, the output profile's transforms, is made on a thread of its
    // own while the fonts and every JSON file are read; it is awaited where the project takes it.
    std::thread::scope(|scope| {
        let intent =
            scope.spawn(|| load_output_intent(root, DEFAULT_PROFILE, "FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004)"));
        load_project_then(root, opts, || intent.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    })
}

/// Loads each product file of `paths` with `load` (its name and source); a file that cannot be
/// read or loaded is a broken product (its diagnostics are in `diags`).
fn load_each<T>(
    root: &Path,
    paths: Vec<PathBuf>,
    diags: &mut Diagnostics,
    broken: &mut Vec<String>,
    mut load: impl FnMut(String, Arc<SourceFile>, &mut Diagnostics) -> Option<T>,
) -> Vec<T> {
    let mut out = Vec::new();
    for path in paths {
        let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let loaded = match load_source(root, &path, &shown) {
            Ok(f) => load(stem(&path), Arc::new(f), diags),
            Err(d) => {
                diags.push(d);
                None
            }
        };
        match loaded {
            Some(t) => out.push(t),
            None => broken.push(stem(&path)),
        }
    }
    out
}

/// [`load_project_with`], given the default output intent as it will be once `intent` returns.
fn load_project_then(
    root: &Path,
    opts: &LoadOptions,
    intent: impl FnOnce() -> Result<OutputIntent, Diagnostic>,
) -> (Option<Project>, Diagnostics) {
    let allow_sample = opts.allow_sample;
    let mut diags = Diagnostics::default();
    let fonts = match FontBook::load_dir_in(&root.join("fonts"), root) {
        Ok(b) if b.faces().next().is_some() => Arc::new(b),
        Ok(_) => {
            diags.push(
                Diagnostic::error("no fonts found in fonts/")
                    .with_hint("put the .ttf or .otf files a layout names into fonts/"),
            );
            return (None, diags);
        }
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();

    let (layouts, mut broken_layouts) = load_all(root, "layouts/cards", &mut diags, |name, f| {
        card_layout(name, f, &fonts).map(|l| (l.warnings.clone(), l))
    });
    let (sheets, broken_sheets) = load_all(root, "layouts/sheets", &mut diags, |name, f| {
        super::resolve::sheet::sheet_layout(name, f, root).map(|s| (Vec::new(), s))
    });
    broken_layouts.extend(broken_sheets);
    let (leaflet_layouts, broken_leaflet_layouts) = load_all(root, "layouts/leaflets", &mut diags, |name, f| {
        leaflet_layout(name, f, &fonts, root).map(|l| (l.warnings.clone(), l))
    });
    let (booklet_layouts, broken_booklet_layouts) = load_all(root, "layouts/booklets", &mut diags, |name, f| {
        booklet_layout(name, f, &fonts, root).map(|l| (l.warnings.clone(), l))
    });
    // The glyphs of the faces the styles chose (a damaged one stops the build, as at reading) are
    // drawn on the pool while this thread reads the products; what those found is then dropped.
    std::thread::scope(|scope| {
        let check = scope.spawn(|| fonts.check_found());
        let found_before = diags.0.len();
        let loaded = (|| -> Result<Project, Diagnostic> {
            let (regions_file, regions) = match load_regions(root, &mut diags) {
                Some((f, r)) => (Some(f), r),
                None => (None, Vec::new()),
            };
            // A broken regions file is reported once; what refers to it is not blamed again.
            let regions_broken = regions_file.is_none() && root.join("decks").join("regions.json").exists();
            // Products whose files exist but failed: runs naming them are skipped, not told "unknown".
            let mut broken_products = Vec::new();
            let regions_for = (!regions_broken).then_some(regions.as_slice());
            let leaflets = load_each(
                root,
                json_files(&root.join("decks/leaflets")),
                &mut diags,
                &mut broken_products,
                |name, f, diags| load_leaflet(name, f, &leaflet_layouts, &broken_leaflet_layouts, regions_for, diags),
            );
            let booklets = load_each(
                root,
                json_files(&root.join("decks/booklets")),
                &mut diags,
                &mut broken_products,
                |name, f, diags| load_booklet(name, f, &booklet_layouts, &broken_booklet_layouts, regions_for, diags),
            );

            // regions.json holds contact data, not a deck.
            let deck_files: Vec<PathBuf> = json_files(&root.join("decks"))
                .into_iter()
                .filter(|p| p.file_name().is_none_or(|n| n != "regions.json"))
                .collect();
            if deck_files.is_empty() && leaflets.is_empty() && booklets.is_empty() {
                diags.push(
                    Diagnostic::warning("no decks found in decks/")
                        .with_hint("add a deck file, e.g. decks/mydeck.json (see README)"),
                );
            }
            let decks = load_each(root, deck_files, &mut diags, &mut broken_products, |name, f, diags| {
                load_deck(root, name, f, &layouts, &sheets, &broken_layouts, diags)
            });
            let mut runs = Vec::new();
            broken_products.extend(broken_layouts.iter().cloned());
            let known = super::resolve::run::Known {
                decks: &decks,
                leaflets: &leaflets,
                booklets: &booklets,
                sheets: &sheets,
                regions: &regions,
                broken: &broken_products,
                regions_broken,
            };
            for (path, text) in run_sources(root, opts.draft.as_ref()) {
                let source = match text {
                    Some(t) => SourceFile::parse(&shown(&path), t),
                    None => load_source(root, &path, &shown(&path)),
                };
                match source {
                    Ok(f) => {
                        if let Some(r) = super::resolve::run::load_run(
                            stem(&path),
                            Arc::new(f),
                            root,
                            &known,
                            allow_sample,
                            &mut diags,
                        ) {
                            runs.push(r);
                        }
                    }
                    Err(d) => diags.push(d),
                }
            }
            let output_intent = intent()?;
            let mut project = Project {
                root: root.to_path_buf(),
                fonts: fonts.clone(),
                layouts,
                sheets,
                decks,
                output_intent,
                leaflet_layouts,
                leaflets,
                booklet_layouts,
                booklets,
                regions,
                regions_file,
                runs,
                output_conflicts: 0,
            };
            let conflicts = outputs::check_outputs(&project);
            project.output_conflicts = conflicts.len();
            diags.extend(conflicts);
            Ok(project)
        })();
        let damaged = check.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        if !damaged.is_empty() {
            diags.0.truncate(found_before);
            diags.extend(damaged);
            return (None, diags);
        }
        match loaded {
            Ok(project) => (Some(project), diags),
            // A damaged or missing profile is the one error: nothing can be printed without it.
            Err(d) => (None, Diagnostics(vec![d])),
        }
    })
}
