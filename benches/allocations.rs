//! Heap allocations per card, counted on every thread by a counting global allocator:
//! `cargo bench --bench allocations`. Lays out a generated 1 000-card deck (text and layout),
//! then lays it out and writes it imposed on A4 as `tryksag build` does (streamed), and prints
//! allocations, bytes allocated and the largest live total for each, per card.

#[path = "../tests/common/testdata.rs"]
#[allow(dead_code)]
mod testdata;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use tryksag::assets::ImageCache;
use tryksag::build::{StreamOut, WINDOW, stream_deck};
use tryksag::export::PrintWriter;
use tryksag::impose::{CardPlan, impose_plan};
use tryksag::layout::{DeckLayout, lay_out_deck};
use tryksag::model::{PdfxFlavour, PrintCheck, load_project};
use tryksag::units::Pt;

/// The system allocator, counting.
struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size(), Relaxed);
        grew(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        BYTES.fetch_add(new, Relaxed);
        if new >= layout.size() {
            grew(new - layout.size());
        } else {
            LIVE.fetch_sub(layout.size() - new, Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and prints what it allocated, per card.
fn count<T>(what: &str, cards: usize, f: impl FnOnce() -> T) -> T {
    let (a, b) = (ALLOCS.load(Relaxed), BYTES.load(Relaxed));
    PEAK.store(LIVE.load(Relaxed), Relaxed);
    let base = LIVE.load(Relaxed);
    let out = f();
    let (a, b) = (ALLOCS.load(Relaxed) - a, BYTES.load(Relaxed) - b);
    let peak = PEAK.load(Relaxed).saturating_sub(base);
    println!(
        "{what:<32} {:>9.1} allocations/card {:>9.1} KB/card   peak {:>6.1} MB above the start",
        a as f64 / cards as f64,
        b as f64 / cards as f64 / 1024.0,
        peak as f64 / 1e6
    );
    out
}

fn main() {
    let n = 1000;
    let dir = std::env::temp_dir().join(format!("tryksag-allocations-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    testdata::write_bench_project(Path::new(env!("CARGO_MANIFEST_DIR")), &dir, n, 1).unwrap();
    let p = load_project(&dir).0.unwrap();
    let deck = &p.decks[0];
    let layout = &p.layouts[&deck.layout];
    let images = ImageCache::new(&p.root, p.output_intent.profile.clone(), p.fonts.files());
    let lay_out = || lay_out_deck(deck, layout, &p.fonts, &images, Pt::ZERO, None, PrintCheck::NONE).0.unwrap();
    drop(lay_out()); // fonts and caches warm, as in a build
    let faces = count("text and layout", n, lay_out);
    drop(faces);
    let plans: Vec<CardPlan> =
        deck.cards.iter().map(|c| CardPlan::before_layout(layout, &c.id, c.copies, Pt::ZERO)).collect();
    let plan = impose_plan("bench", &plans, &p.sheets["a4"], None).ok().unwrap().doc;
    count("streamed layout and A4 export", n, || {
        let dl = DeckLayout {
            deck,
            layout,
            fonts: &p.fonts,
            images: &images,
            back_extra_bleed: Pt::ZERO,
            region: None,
            check: PrintCheck::NONE,
            typography: None,
            faces: None,
        };
        let mut outs = vec![StreamOut::new(plan.clone(), Some(PrintWriter::new(&p.fonts, PdfxFlavour::X4)), false)];
        stream_deck(&dl, &mut outs, WINDOW, &mut Vec::new(), &|_| false).unwrap();
        outs.pop().unwrap().writer.unwrap().finish().unwrap().len()
    });
    let _ = std::fs::remove_dir_all(&dir);
}
