//! Builds that keep card faces from one to the next (`watch`, `serve`): an edit lays out only
//! the cards it changed, the files are byte for byte those of a full build, and diagnostics are
//! never taken from an earlier build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tryksag::build::{BuildOptions, BuildReport, FaceCache, build};

use crate::common::{TempProject, card, deck};

/// Every file below `dir`, by path relative to it.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn build_into(p: &TempProject, out: &str, faces: Option<&Arc<FaceCache>>) -> BuildReport {
    build(&BuildOptions { out_dir: p.path(out), faces: faces.cloned(), ..BuildOptions::new(p.dir.path()) })
}

#[test]
fn an_edit_lays_out_only_the_edited_card_and_writes_what_a_full_build_writes() {
    let p = TempProject::copy();
    let cards = tryksag::model::load_project(p.dir.path()).0.unwrap().decks[0].cards.len();
    assert!(cards > 10, "the shipped deck");
    let cache = Arc::new(FaceCache::new());
    let first = build_into(&p, "a", Some(&cache));
    assert!(!first.diags.has_errors(), "{:?}", first.diags);
    let (_, laid) = cache.counts();
    assert!(laid >= cards, "every card was laid out at least once: {laid}");
    // One card's question, as a designer edits it.
    p.edit("decks/dialogkort.json", |s| s.replacen("?\"", " – lige nu?\"", 1));
    let before = cache.counts();
    let second = build_into(&p, "b", Some(&cache));
    assert!(!second.diags.has_errors(), "{:?}", second.diags);
    let (hits, misses) = (cache.counts().0 - before.0, cache.counts().1 - before.1);
    // Each pass over the deck (print files, download version, the run's region) laid out the
    // edited card alone and took every other card from the cache.
    assert!(misses >= 1, "the edited card is laid out");
    assert_eq!(hits, misses * (cards - 1), "{misses} passes: all other cards from the cache");
    // The same inputs built from nothing: the same bytes, every file.
    let full = build_into(&p, "c", None);
    assert_eq!(full.written.len(), second.written.len());
    let (b, c) = (files(&p.path("b")), files(&p.path("c")));
    assert_eq!(b.keys().collect::<Vec<_>>(), c.keys().collect::<Vec<_>>());
    for (name, bytes) in &b {
        assert!(bytes == &c[name], "{} differs from a full build", name.display());
    }
    let faces = PathBuf::from("dialogkort-faces.pdf");
    assert_ne!(files(&p.path("a"))[&faces], b[&faces], "the edit is in the rebuilt file");
}

#[test]
fn a_card_with_a_diagnostic_is_laid_out_again_and_located_where_it_is_now() {
    let long = "Hvad fylder mest for dig lige nu, og hvad ville gøre den største forskel? ".repeat(8);
    let p =
        TempProject::with_deck(&deck(&format!("{},\n{}", card("ok", "Kort spørgsmål?"), card("lang", long.trim()))));
    let cache = Arc::new(FaceCache::new());
    let error = |r: &BuildReport| {
        let e: Vec<_> = r.diags.0.iter().filter(|d| d.is_error()).collect();
        assert_eq!(e.len(), 1, "{e:?}");
        (e[0].message.clone(), e[0].location.line_col)
    };
    let first = error(&build_into(&p, "a", Some(&cache)));
    // The card before it gains a line: the overflowing card moves down one line.
    p.edit("decks/d.json", |s| s.replacen("{ \"id\": \"ok\",", "{\n      \"id\": \"ok\",", 1));
    let before = cache.counts();
    let second = error(&build_into(&p, "b", Some(&cache)));
    assert_eq!(second.0, first.0);
    let (l1, l2) = (first.1.unwrap().0, second.1.unwrap().0);
    assert_eq!(l2, l1 + 1, "located on the card's line now");
    assert_eq!(second, error(&build_into(&p, "c", None)), "as a build without the cache says");
    let (hits, misses) = (cache.counts().0 - before.0, cache.counts().1 - before.1);
    assert_eq!((hits, misses), (1, 1), "the card without a diagnostic from the cache, the other laid out");
}

#[test]
fn a_sweep_after_each_build_keeps_only_the_cards_the_project_has() {
    let p = TempProject::with_deck(&deck(&format!("{},\n{}", card("a", "Første?"), card("b", "Andet?"))));
    let cache = Arc::new(FaceCache::new());
    build_into(&p, "a", Some(&cache));
    let kept = cache.len();
    assert!(kept >= 2, "{kept}");
    p.edit("decks/d.json", |s| s.replace("Andet?", "Noget andet?"));
    build_into(&p, "b", Some(&cache));
    assert_eq!(cache.len(), kept, "the edited card's old faces were forgotten");
}
