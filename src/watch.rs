//! `tryksag watch`: rebuild when an input changes. Polls modification times (no platform
//! notification API needed), waits for the changes to settle (debounce), rebuilds the affected
//! products, and keeps running after errors.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

use crate::build::{BuildOptions, BuildReport, build};

/// Folders whose files are inputs (everything else, e.g. output/ and target/, is ignored).
const INPUTS: [&str; 4] = ["decks", "layouts", "fonts", "images"];

/// Modification times of every input file.
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, SystemTime> {
    fn walk(p: &Path, out: &mut BTreeMap<PathBuf, SystemTime>) {
        let Ok(rd) = std::fs::read_dir(p) else { return };
        for e in rd.flatten() {
            let path = e.path();
            let name = e.file_name();
            // Editors' temporary and hidden files do not count.
            if name.to_string_lossy().starts_with('.') || name.to_string_lossy().ends_with('~') {
                continue;
            }
            match e.metadata() {
                Ok(m) if m.is_dir() => walk(&path, out),
                Ok(m) => {
                    out.insert(path, m.modified().unwrap_or(SystemTime::UNIX_EPOCH));
                }
                Err(_) => {}
            }
        }
    }
    let mut out = BTreeMap::new();
    for d in INPUTS {
        walk(&root.join(d), &mut out);
    }
    out
}

/// Files that differ between two snapshots (added, removed or modified).
pub fn changed(a: &BTreeMap<PathBuf, SystemTime>, b: &BTreeMap<PathBuf, SystemTime>) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = b.iter().filter(|(p, t)| a.get(*p) != Some(t)).map(|(p, _)| p.clone()).collect();
    v.extend(a.keys().filter(|p| !b.contains_key(*p)).cloned());
    v.sort();
    v.dedup();
    v
}

/// Which products a change affects: a deck or leaflet file alone affects only itself; anything
/// else (layouts, fonts, images, regions) may affect every product, so all are rebuilt.
pub fn affected(root: &Path, files: &[PathBuf]) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for f in files {
        let rel = f.strip_prefix(root).unwrap_or(f);
        let parent = rel.parent().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
        let is_product =
            (parent == "decks" || parent == "decks/leaflets") && rel.file_name().is_some_and(|n| n != "regions.json");
        if !is_product {
            return None;
        }
        names.push(rel.file_stem()?.to_string_lossy().into_owned());
    }
    Some(names)
}

/// Builds once, then again after every settled change, until `stop` is set. `on_build` gets each
/// report (and the files that triggered it; empty for the first build).
pub fn watch(
    opts: &BuildOptions,
    poll: Duration,
    stop: &AtomicBool,
    mut on_build: impl FnMut(&BuildReport, &[PathBuf]),
) {
    let mut seen = snapshot(&opts.root);
    on_build(&build(opts), &[]);
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(poll);
        let now = snapshot(&opts.root);
        let mut files = changed(&seen, &now);
        if files.is_empty() {
            continue;
        }
        // Debounce: wait until a poll sees no further change (editors save in several steps).
        let mut last = now;
        loop {
            std::thread::sleep(poll);
            let next = snapshot(&opts.root);
            let more = changed(&last, &next);
            if more.is_empty() {
                break;
            }
            files.extend(more);
            last = next;
        }
        files.sort();
        files.dedup();
        seen = last;
        let mut o = opts.clone();
        if let Some(names) = affected(&opts.root, &files) {
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
    }

    #[test]
    fn changes_are_found() {
        let mut a = BTreeMap::new();
        a.insert(PathBuf::from("x"), SystemTime::UNIX_EPOCH);
        let mut b = a.clone();
        assert!(changed(&a, &b).is_empty());
        b.insert(PathBuf::from("x"), SystemTime::UNIX_EPOCH + Duration::from_secs(1));
        b.insert(PathBuf::from("y"), SystemTime::UNIX_EPOCH);
        assert_eq!(changed(&a, &b), vec![PathBuf::from("x"), PathBuf::from("y")]);
        assert_eq!(changed(&b, &a), vec![PathBuf::from("x"), PathBuf::from("y")]);
    }
}
