//! `tryksag watch`: rebuild when an input changes. Changes come from the platform's file
//! notification (inotify, FSEvents, ReadDirectoryChangesW) through `notify` and its debouncer,
//! which waits for each file's changes to settle (editors save in several steps); where native
//! notification cannot be had (the inotify watch limit, some network file systems) `notify`'s
//! poller takes its place. The affected products are rebuilt, and the loop keeps running after
//! errors.
//!
//! A spreadsheet a deck takes its cards from (`cards_from`) may lie anywhere in the project: each
//! build says which decks read which spreadsheet ([`BuildReport::spreadsheets`]), the watcher
//! watches their folders too ([`InputWatcher::follow`]), and a change to one rebuilds the decks
//! that read it. Spreadsheet programs save by writing a temporary file and renaming it over the
//! old one, and keep a lock file beside the document while it is open: neither is an input.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use notify_debouncer_full::notify::{self, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt};

use crate::build::{BuildOptions, BuildReport, build};

/// Folders whose files are inputs (everything else, e.g. output/ and target/, is ignored).
const INPUTS: [&str; 4] = ["decks", "layouts", "fonts", "images"];

/// How often [`watch`] looks at its stop flag while no change comes.
const STOP_CHECK: Duration = Duration::from_millis(100);

/// How long `tryksag watch` waits after a change for more before building: long enough for an
/// editor's save (write, rename, a second write) to arrive as one change, short enough that the
/// designer does not wait for it (the rebuild starts ~2 × this after the save).
pub const SETTLE: Duration = Duration::from_millis(20);

/// How often the poller (when the system's notification fails) looks at the input files.
pub const POLL: Duration = Duration::from_millis(250);

/// The debounced watcher behind an [`InputWatcher`]: native, or polling.
enum Source {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<PollWatcher, NoCache>),
}

impl Source {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Source::Native(d) => d.watch(path, mode),
            Source::Polling(d) => d.watch(path, mode),
        }
    }
}

/// Reports settled changes to the input files of a project: everything under decks/, layouts/,
/// fonts/ and images/ (also when such a folder appears later), and the spreadsheets it is told
/// to [`follow`](InputWatcher::follow) wherever they are; apart from hidden files, lock files and
/// editors' backups and temporary files ([`is_editor_file`]).
pub struct InputWatcher {
    source: Source,
    events: Receiver<DebounceEventResult>,
    /// The project folder with links resolved, as `notify` names the paths of its events.
    root: PathBuf,
    /// The project folder as it was given, for the paths reported.
    given_root: PathBuf,
    settle: Duration,
    /// Spreadsheets followed outside the input folders, relative to the project folder.
    sheets: BTreeSet<PathBuf>,
    /// The folders watched for `sheets` (the project folder itself is watched anyway).
    sheet_folders: BTreeSet<PathBuf>,
}

/// Why the project folder could not be watched. Display gives the message users see.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// `notify` refused (its message).
    #[error("{0}")]
    Notify(#[from] notify::Error),
    /// The project folder cannot be resolved.
    #[error("{}: {source}", .folder.display())]
    Folder {
        /// The folder as given.
        folder: PathBuf,
        /// Why not.
        source: std::io::Error,
    },
    /// Neither native notification nor polling could be started.
    #[error("{native}; polling failed too: {polling}")]
    Neither {
        /// Why native notification failed.
        native: Box<WatchError>,
        /// Why polling failed.
        polling: Box<WatchError>,
    },
}

impl InputWatcher {
    /// Watches `root` with the platform's file notification, or by polling every `settle` (at
    /// least [`POLL`]) when that fails. A change is reported once no further change to it came for `settle`.
    ///
    /// # Errors
    ///
    /// Why neither way of watching could be started.
    pub fn start(root: &Path, settle: Duration) -> Result<InputWatcher, WatchError> {
        InputWatcher::native(root, settle).or_else(|native| {
            // Polling reads every input file each time: not more often than POLL.
            InputWatcher::polling(root, settle.max(POLL))
                .map_err(|poll| WatchError::Neither { native: Box::new(native), polling: Box::new(poll) })
        })
    }

    /// Watches `root` with the platform's file notification only.
    ///
    /// # Errors
    ///
    /// Why the notification could not be set up (the message of `notify`).
    pub fn native(root: &Path, settle: Duration) -> Result<InputWatcher, WatchError> {
        let (tx, events) = channel();
        let d = new_debouncer_opt(settle, None, tx, RecommendedCache::new(), notify::Config::default())?;
        InputWatcher::new(Source::Native(d), events, root, settle)
    }

    /// Watches `root` by looking at the input files (times and contents) every `settle`.
    ///
    /// # Errors
    ///
    /// Why the poller could not be started (the message of `notify`).
    pub fn polling(root: &Path, settle: Duration) -> Result<InputWatcher, WatchError> {
        let (tx, events) = channel();
        // notify's poller keeps modification times in whole seconds: contents tell two saves
        // within one second apart.
        let config = notify::Config::default().with_poll_interval(settle).with_compare_contents(true);
        let d = new_debouncer_opt(settle, None, tx, NoCache, config)?;
        InputWatcher::new(Source::Polling(d), events, root, settle)
    }

    /// Whether changes are found by polling (native notification failed).
    pub fn is_polling(&self) -> bool {
        matches!(self.source, Source::Polling(_))
    }

    /// Watches the project folder itself (to see an input folder appear) and every input folder
    /// in it.
    fn new(
        mut source: Source,
        events: Receiver<DebounceEventResult>,
        given_root: &Path,
        settle: Duration,
    ) -> Result<InputWatcher, WatchError> {
        let root = given_root
            .canonicalize()
            .map_err(|source| WatchError::Folder { folder: given_root.to_path_buf(), source })?;
        source.watch(&root, RecursiveMode::NonRecursive)?;
        for dir in INPUTS.map(|d| root.join(d)).iter().filter(|d| d.is_dir()) {
            source.watch(dir, RecursiveMode::Recursive)?;
        }
        Ok(InputWatcher {
            source,
            events,
            root,
            given_root: given_root.to_path_buf(),
            settle,
            sheets: BTreeSet::new(),
            sheet_folders: BTreeSet::new(),
        })
    }

    /// Follows the spreadsheets `files` (relative to the project folder, e.g. the keys of
    /// [`BuildReport::spreadsheets`]) from now on, in place of those followed before: a change
    /// to one is reported like a change in an input folder. Files in the input folders are
    /// watched anyway; for the others their folder is watched (not the file: a save that renames
    /// a new file over the old one would end a watch on the file), or, while it does not exist,
    /// the nearest folder above it that does, until it appears.
    pub fn follow<'a>(&mut self, files: impl IntoIterator<Item = &'a PathBuf>) {
        self.sheets = files
            .into_iter()
            .map(|f| crate::paths::lexical(f))
            .filter(|f| f.components().all(|c| matches!(c, std::path::Component::Normal(_))))
            .filter(|f| !is_input(&self.root, &self.root.join(f)))
            .collect();
        self.watch_sheet_folders();
    }

    /// Watches the folder of each followed spreadsheet, or the nearest one above it that exists.
    fn watch_sheet_folders(&mut self) {
        for sheet in &self.sheets {
            let Some(folder) = self.root.join(sheet).parent().map(Path::to_path_buf) else { continue };
            let Some(nearest) = folder.ancestors().find(|a| a.is_dir()) else { continue };
            if nearest == self.root || !nearest.starts_with(&self.root) || self.sheet_folders.contains(nearest) {
                continue;
            }
            // A folder that cannot be watched (removed meanwhile) is tried again with the next
            // build's list; its spreadsheet's changes are then seen by that build.
            if self.source.watch(nearest, RecursiveMode::NonRecursive).is_ok() {
                self.sheet_folders.insert(nearest.to_path_buf());
            }
        }
    }

    /// Whether `path` (as `notify` names it) is a followed spreadsheet.
    fn is_sheet(&self, path: &Path) -> bool {
        path.strip_prefix(&self.root).is_ok_and(|rel| self.sheets.contains(rel))
    }

    /// Whether `path` is a folder on the way to a followed spreadsheet.
    fn leads_to_sheet(&self, path: &Path) -> bool {
        path.strip_prefix(&self.root)
            .is_ok_and(|rel| !rel.as_os_str().is_empty() && self.sheets.iter().any(|s| s.starts_with(rel) && s != rel))
    }

    /// Waits up to `timeout` for a change, then until changes have settled (no further change
    /// for the settle time), and returns the input files (and folders) that changed: added,
    /// removed or modified; sorted, once each, under the project folder as it was given. Empty
    /// when nothing changed in `timeout`.
    pub fn next_changes(&mut self, timeout: Duration) -> Vec<PathBuf> {
        let mut files = Vec::new();
        let mut wait = timeout;
        loop {
            match self.events.recv_timeout(wait) {
                Ok(Ok(events)) => {
                    for e in events {
                        self.take(&e.event, &mut files);
                    }
                }
                // A watch that failed (a removed folder, an overflowing queue) reports nothing
                // that could be rebuilt; the next change reports itself.
                Ok(Err(_)) => {}
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
            }
            if !files.is_empty() {
                wait = self.settle;
            }
        }
        files.sort();
        files.dedup();
        files
    }

    /// Adds the input paths of one event to `files`, and watches an input folder that appeared.
    fn take(&mut self, event: &notify::Event, files: &mut Vec<PathBuf>) {
        // Reads (the build's own, too) change nothing.
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        for p in &event.paths {
            if matches!(event.kind, EventKind::Create(_)) && p.is_dir() && self.leads_to_sheet(p) {
                // A spreadsheet's folder appeared: watch it, and report the spreadsheets already
                // in it (they may have come with the folder, before the watch).
                self.watch_sheet_folders();
                let rels: Vec<PathBuf> =
                    self.sheets.iter().filter(|s| self.root.join(s).starts_with(p)).cloned().collect();
                files.extend(rels.into_iter().filter(|s| self.root.join(s).is_file()).map(|s| self.given_root.join(s)));
                continue;
            }
            if !is_input(&self.root, p) && !self.is_sheet(p) {
                continue;
            }
            match event.kind {
                // A folder's own time changes with its entries, which report themselves.
                EventKind::Modify(_) if p.is_dir() => continue,
                EventKind::Create(_) if p.is_dir() && p.parent() == Some(self.root.as_path()) => {
                    let _ = self.source.watch(p, RecursiveMode::Recursive);
                }
                _ => {}
            }
            if let Ok(rel) = p.strip_prefix(&self.root) {
                files.push(self.given_root.join(rel));
            }
        }
    }
}

/// Whether `path` is an input of the project at `root`: a file or folder in an input folder,
/// or an input folder itself; not a file of an editor's ([`is_editor_file`]).
fn is_input(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let names: Vec<_> = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    names.first().is_some_and(|n| INPUTS.contains(&n.as_ref())) && !names.iter().any(|n| is_editor_file(n))
}

/// Whether a file or folder name is one that editors and spreadsheet programs make beside a
/// document, never an input: hidden files (vim's `.x.swp`, LibreOffice's lock file
/// `.~lock.kort.xlsx#`), backups (`x~`), temporary files (LibreOffice saves into `lu….tmp`
/// and renames it over the document) and Microsoft Office's owner files (`~$kort.xlsx`).
fn is_editor_file(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.starts_with("~$")
        || name.to_ascii_lowercase().ends_with(".tmp")
}

/// Which products a change affects: a deck, leaflet or booklet file alone affects only itself; a
/// spreadsheet in `spreadsheets` (which decks read which spreadsheet, relative to the project
/// folder: [`BuildReport::spreadsheets`]) affects the decks that read it; anything else
/// (layouts, fonts, images, regions, other files) may affect every product, so all are rebuilt
/// (`None`).
pub fn affected(root: &Path, files: &[PathBuf], spreadsheets: &BTreeMap<PathBuf, Vec<String>>) -> Option<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    };
    for f in files {
        let rel = f.strip_prefix(root).unwrap_or(f);
        if let Some(decks) = spreadsheets.get(&crate::paths::lexical(rel)) {
            decks.iter().for_each(|d| add(d));
            continue;
        }
        let parent = rel.parent().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
        let is_product = (parent == "decks" || parent == "decks/leaflets" || parent == "decks/booklets")
            && rel.extension().is_some_and(|e| e == "json")
            && rel.file_name().is_some_and(|n| n != "regions.json");
        if !is_product {
            return None;
        }
        add(&rel.file_stem()?.to_string_lossy());
    }
    Some(names)
}

/// Builds once, then again after every settled change that `watcher` reports, until `stop` is
/// set. `on_build` gets each report (and the files that triggered it; empty for the first build).
pub fn watch(
    opts: &BuildOptions,
    mut watcher: InputWatcher,
    stop: &AtomicBool,
    mut on_build: impl FnMut(&BuildReport, &[PathBuf]),
) {
    // Cards an edit left as they were are not laid out again (see `FaceCache`).
    let faces = opts.faces.clone().unwrap_or_default();
    let opts = &BuildOptions { faces: Some(faces.clone()), ..opts.clone() };
    // The watcher runs from before the first build, so a change saved during it is not lost.
    let report = build(opts);
    watcher.follow(report.spreadsheets.keys());
    let mut spreadsheets = report.spreadsheets.clone();
    on_build(&report, &[]);
    while !stop.load(Ordering::Relaxed) {
        let files = watcher.next_changes(STOP_CHECK);
        if files.is_empty() {
            continue;
        }
        let mut o = opts.clone();
        // A removed deck takes its product away: the others are built, as after a restart. A
        // removed spreadsheet leaves its decks, which then say so.
        let is_sheet =
            |f: &PathBuf| spreadsheets.contains_key(&crate::paths::lexical(f.strip_prefix(&opts.root).unwrap_or(f)));
        let removed = files.iter().any(|f| !f.exists() && !is_sheet(f));
        if let Some(names) = affected(&opts.root, &files, &spreadsheets).filter(|_| !removed) {
            let selected: Vec<String> =
                names.into_iter().filter(|n| opts.only.is_empty() || opts.only.contains(n)).collect();
            if selected.is_empty() {
                continue;
            }
            o.only = selected;
        } else {
            // A layout, font, image or region changed: what no card key covers.
            faces.clear();
        }
        let report = build(&o);
        // A deck may have named another spreadsheet (or the project could not be loaded: then
        // nothing is known, and the next change rebuilds everything).
        if report.spreadsheets != spreadsheets {
            watcher.follow(report.spreadsheets.keys());
            spreadsheets = report.spreadsheets.clone();
        }
        on_build(&report, &files);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deck_change_affects_only_that_deck() {
        let root = Path::new("/p");
        let none = BTreeMap::new();
        let affected = |f: &str| affected(root, &[root.join(f)], &none);
        assert_eq!(affected("decks/dialogkort.json"), Some(vec!["dialogkort".to_string()]));
        assert_eq!(affected("decks/leaflets/folder.json"), Some(vec!["folder".to_string()]));
        assert_eq!(affected("decks/regions.json"), None);
        assert_eq!(affected("layouts/cards/poker.json"), None);
        // An editor's probe file in decks/ names no product.
        assert_eq!(affected("decks/4913"), None);
        // A spreadsheet no deck reads may be anything.
        assert_eq!(affected("decks/kort.xlsx"), None);
    }

    #[test]
    fn a_spreadsheet_change_affects_the_decks_that_read_it() {
        let root = Path::new("/p");
        let sheets = BTreeMap::from([
            (PathBuf::from("decks/data/kort.xlsx"), vec!["dialogkort".to_string(), "samtale".to_string()]),
            (PathBuf::from("tabeller/kort.csv"), vec!["ekstra".to_string()]),
        ]);
        let affected = |fs: &[&str]| affected(root, &fs.iter().map(|f| root.join(f)).collect::<Vec<_>>(), &sheets);
        let names = |ns: &[&str]| Some(ns.iter().map(|n| n.to_string()).collect::<Vec<_>>());
        assert_eq!(affected(&["decks/data/kort.xlsx"]), names(&["dialogkort", "samtale"]));
        assert_eq!(affected(&["tabeller/kort.csv"]), names(&["ekstra"]));
        // With the deck file itself, each deck once.
        assert_eq!(
            affected(&["decks/data/kort.xlsx", "decks/dialogkort.json", "tabeller/kort.csv"]),
            names(&["dialogkort", "samtale", "ekstra"])
        );
        // Another file of the spreadsheet's folder, or a layout beside it, rebuilds everything.
        assert_eq!(affected(&["decks/data/kort.xlsx", "decks/data/andet.xlsx"]), None);
        assert_eq!(affected(&["tabeller/kort.csv", "layouts/cards/poker.json"]), None);
    }

    #[test]
    fn editor_files_are_no_inputs() {
        for name in [".~lock.kort.xlsx#", "lu4711abc.tmp", "KORT.TMP", "~$kort.xlsx", ".d.json.swp", "d.json~"] {
            assert!(is_editor_file(name), "{name}");
        }
        for name in ["kort.xlsx", "kort.csv", "d.json", "tmp.json", "logo~2.svg"] {
            assert!(!is_editor_file(name), "{name}");
        }
    }

    #[test]
    fn inputs_are_the_input_folders_without_hidden_files() {
        let root = Path::new("/p");
        let is = |p: &str| is_input(root, &root.join(p));
        assert!(is("decks/d.json") && is("layouts/cards/poker.json") && is("fonts/x.ttf") && is("images"));
        assert!(!is("output/d.pdf") && !is("target/x") && !is("README.md"));
        assert!(!is("decks/.d.json.swp") && !is("decks/d.json~") && !is("layouts/.git/x"));
    }

    /// Edits, new and removed files under decks/, layouts/, fonts/ and a folder made later are
    /// reported, output/ is not; each within seconds, not polls of a whole second.
    fn reports_changes(start: fn(&Path, Duration) -> Result<InputWatcher, WatchError>) {
        let dir = tempfile::tempdir().unwrap();
        // The project named through a link: changes are reported under the name given.
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::os::unix::fs::symlink("real", dir.path().join("link")).unwrap();
        let root = &dir.path().join("link");
        for d in ["decks", "layouts/cards", "fonts", "output"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::write(root.join("decks/d.json"), "{}").unwrap();
        std::fs::write(root.join("fonts/f.ttf"), "x").unwrap();
        let mut w = start(root, Duration::from_millis(50)).unwrap();
        // The changes of the next report, relative to the project; empty after 10 s of none.
        let next = |w: &mut InputWatcher| {
            let started = std::time::Instant::now();
            loop {
                let files = w.next_changes(Duration::from_millis(200));
                if !files.is_empty() || started.elapsed() > Duration::from_secs(10) {
                    return files.into_iter().map(|f| f.strip_prefix(root).unwrap().to_path_buf()).collect::<Vec<_>>();
                }
            }
        };
        // Whether `file` is reported within 10 s (a busy machine may report an earlier change
        // once more first, e.g. when a poll saw a write in two steps).
        let seen = |w: &mut InputWatcher, file: &str| {
            let started = std::time::Instant::now();
            while started.elapsed() < Duration::from_secs(10) {
                if next(w).contains(&PathBuf::from(file)) {
                    return true;
                }
            }
            false
        };
        std::fs::write(root.join("decks/d.json"), "{ }").unwrap();
        assert_eq!(next(&mut w), [PathBuf::from("decks/d.json")]);
        std::fs::write(root.join("layouts/cards/new.json"), "{}").unwrap();
        assert!(seen(&mut w, "layouts/cards/new.json"), "layouts/cards/new.json");
        std::fs::remove_file(root.join("fonts/f.ttf")).unwrap();
        assert!(seen(&mut w, "fonts/f.ttf"), "fonts/f.ttf");
        std::fs::write(root.join("output/d.pdf"), "%PDF").unwrap();
        std::fs::write(root.join("decks/.d.json.swp"), "x").unwrap();
        assert_eq!(w.next_changes(Duration::from_millis(400)), Vec::<PathBuf>::new(), "output/ and hidden files");
        std::fs::create_dir(root.join("images")).unwrap();
        assert!(seen(&mut w, "images"), "images");
        std::fs::write(root.join("images/i.png"), "x").unwrap();
        assert!(next(&mut w).contains(&PathBuf::from("images/i.png")));
    }

    #[test]
    fn native_notification_reports_changes() {
        reports_changes(InputWatcher::native);
    }

    #[test]
    fn polling_reports_changes() {
        reports_changes(InputWatcher::polling);
    }

    /// Spreadsheets that are followed are reported wherever they are in the project: in an
    /// input folder, in a folder of their own, in a folder made later; saved in place or the way
    /// LibreOffice saves (a temporary file renamed over the document) and with its lock file
    /// beside them, which is not reported; other files of their folders are not either.
    fn reports_spreadsheets(start: fn(&Path, Duration) -> Result<InputWatcher, WatchError>) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in ["decks/data", "tabeller"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        std::fs::write(root.join("decks/data/kort.xlsx"), "1").unwrap();
        std::fs::write(root.join("tabeller/kort.csv"), "1").unwrap();
        let mut w = start(root, Duration::from_millis(50)).unwrap();
        let sheets = ["decks/data/kort.xlsx", "tabeller/kort.csv", "ark/nye/kort.ods"].map(PathBuf::from);
        w.follow(sheets.iter());
        // Every file reported within 10 s until `file` is, relative to the project; or all
        // reported in 10 s when it is not.
        let until = |w: &mut InputWatcher, file: &str| {
            let started = std::time::Instant::now();
            let mut all = Vec::new();
            while started.elapsed() < Duration::from_secs(10) {
                all.extend(
                    w.next_changes(Duration::from_millis(200))
                        .into_iter()
                        .map(|f| f.strip_prefix(root).unwrap().to_path_buf()),
                );
                if all.contains(&PathBuf::from(file)) {
                    break;
                }
            }
            all
        };
        // Saved in place, outside the input folders.
        std::fs::write(root.join("tabeller/kort.csv"), "2").unwrap();
        assert_eq!(until(&mut w, "tabeller/kort.csv"), [PathBuf::from("tabeller/kort.csv")]);
        // Opened in LibreOffice (the lock file), then saved: the temporary file is written and
        // settles before it is renamed over the document.
        for folder in ["decks/data", "tabeller"] {
            let lock = root.join(folder).join(".~lock.kort.xlsx#");
            std::fs::write(&lock, "user").unwrap();
            let tmp = root.join(folder).join("lu12345abcd.tmp");
            std::fs::write(&tmp, "3").unwrap();
            assert_eq!(
                w.next_changes(Duration::from_millis(400)),
                Vec::<PathBuf>::new(),
                "{folder}: lock and temporary file"
            );
            let doc = if folder == "tabeller" { "kort.csv" } else { "kort.xlsx" };
            std::fs::rename(&tmp, root.join(folder).join(doc)).unwrap();
            let file = format!("{folder}/{doc}");
            assert_eq!(until(&mut w, &file), [PathBuf::from(&file)], "{folder}: saved by renaming");
            std::fs::remove_file(&lock).unwrap();
            assert_eq!(w.next_changes(Duration::from_millis(400)), Vec::<PathBuf>::new(), "{folder}: lock removed");
        }
        // Another file beside a followed one outside the input folders is nothing.
        std::fs::write(root.join("tabeller/noter.csv"), "x").unwrap();
        assert_eq!(w.next_changes(Duration::from_millis(400)), Vec::<PathBuf>::new(), "tabeller/noter.csv");
        // The folders of a spreadsheet appear later, the file with them.
        std::fs::create_dir(root.join("ark")).unwrap();
        std::fs::create_dir(root.join("ark/nye")).unwrap();
        std::fs::write(root.join("ark/nye/kort.ods"), "1").unwrap();
        assert!(until(&mut w, "ark/nye/kort.ods").contains(&PathBuf::from("ark/nye/kort.ods")), "ark/nye/kort.ods");
        std::fs::write(root.join("ark/nye/kort.ods"), "2").unwrap();
        assert_eq!(until(&mut w, "ark/nye/kort.ods"), [PathBuf::from("ark/nye/kort.ods")], "ark/nye/kort.ods saved");
        // No longer followed (no deck reads it): not reported.
        w.follow(sheets[..1].iter());
        std::fs::write(root.join("tabeller/kort.csv"), "4").unwrap();
        assert_eq!(w.next_changes(Duration::from_millis(400)), Vec::<PathBuf>::new(), "tabeller/kort.csv not followed");
    }

    #[test]
    fn native_notification_reports_spreadsheets() {
        reports_spreadsheets(InputWatcher::native);
    }

    #[test]
    fn polling_reports_spreadsheets() {
        reports_spreadsheets(InputWatcher::polling);
    }
}
