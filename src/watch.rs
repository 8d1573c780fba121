//! `tryksag watch`: rebuild when an input changes. Changes come from the platform's file
//! notification (inotify, FSEvents, ReadDirectoryChangesW) through `notify` and its debouncer,
//! which waits for each file's changes to settle (editors save in several steps); where native
//! notification cannot be had (the inotify watch limit, some network file systems) `notify`'s
//! poller takes its place. The affected products are rebuilt, and the loop keeps running after
//! errors.

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
/// fonts/ and images/ (also when such a folder appears later), apart from hidden files and
/// editors' backups (`.x.swp`, `x~`).
pub struct InputWatcher {
    source: Source,
    events: Receiver<DebounceEventResult>,
    /// The project folder with links resolved, as `notify` names the paths of its events.
    root: PathBuf,
    /// The project folder as it was given, for the paths reported.
    given_root: PathBuf,
    settle: Duration,
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
    /// Watches `root` with the platform's file notification, or by polling every `settle` when
    /// that fails. A change is reported once no further change to it came for `settle`.
    ///
    /// # Errors
    ///
    /// Why neither way of watching could be started.
    pub fn start(root: &Path, settle: Duration) -> Result<InputWatcher, WatchError> {
        InputWatcher::native(root, settle).or_else(|native| {
            InputWatcher::polling(root, settle)
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
        Ok(InputWatcher { source, events, root, given_root: given_root.to_path_buf(), settle })
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
        for p in event.paths.iter().filter(|p| is_input(&self.root, p)) {
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
/// or an input folder itself; not a hidden file or an editor's backup.
fn is_input(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let names: Vec<_> = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect();
    let hidden = |n: &str| n.starts_with('.') || n.ends_with('~');
    names.first().is_some_and(|n| INPUTS.contains(&n.as_ref())) && !names.iter().any(|n| hidden(n))
}

/// Which products a change affects: a deck, leaflet or booklet file alone affects only itself; anything
/// else (layouts, fonts, images, regions, other files) may affect every product, so all are
/// rebuilt.
pub fn affected(root: &Path, files: &[PathBuf]) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for f in files {
        let rel = f.strip_prefix(root).unwrap_or(f);
        let parent = rel.parent().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
        let is_product = (parent == "decks" || parent == "decks/leaflets" || parent == "decks/booklets")
            && rel.extension().is_some_and(|e| e == "json")
            && rel.file_name().is_some_and(|n| n != "regions.json");
        if !is_product {
            return None;
        }
        names.push(rel.file_stem()?.to_string_lossy().into_owned());
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
    // The watcher runs from before the first build, so a change saved during it is not lost.
    on_build(&build(opts), &[]);
    while !stop.load(Ordering::Relaxed) {
        let files = watcher.next_changes(STOP_CHECK);
        if files.is_empty() {
            continue;
        }
        let mut o = opts.clone();
        // A removed deck takes its product away: the others are built, as after a restart.
        let removed = files.iter().any(|f| !f.exists());
        if let Some(names) = affected(&opts.root, &files).filter(|_| !removed) {
            let selected: Vec<String> =
                names.into_iter().filter(|n| opts.only.is_empty() || opts.only.contains(n)).collect();
            if selected.is_empty() {
                continue;
            }
            o.only = selected;
        }
        on_build(&build(&o), &files);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deck_change_affects_only_that_deck() {
        let root = Path::new("/p");
        assert_eq!(affected(root, &[root.join("decks/dialogkort.json")]), Some(vec!["dialogkort".to_string()]));
        assert_eq!(affected(root, &[root.join("decks/leaflets/folder.json")]), Some(vec!["folder".to_string()]));
        assert_eq!(affected(root, &[root.join("decks/regions.json")]), None);
        assert_eq!(affected(root, &[root.join("layouts/cards/poker.json")]), None);
        // An editor's probe file in decks/ names no product.
        assert_eq!(affected(root, &[root.join("decks/4913")]), None);
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
}
