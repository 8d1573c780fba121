//! In-process benchmarks of the pipeline stages on generated decks (`cargo bench`). Heap
//! allocations of all threads are counted by `benches/allocations.rs` (divan's counter sees
//! only the benchmark's own thread). The whole-process benchmark, with wall time, cards per second and peak memory, is
//! `benches/run.sh`.

#[path = "../tests/common/testdata.rs"]
#[allow(dead_code)]
mod testdata;

use std::path::Path;
use std::sync::OnceLock;

use tryksag::assets::ImageCache;
use tryksag::export::{PrintTarget, write_print_pdf};
use tryksag::impose::impose;
use tryksag::layout::CardFaces;
use tryksag::layout::lay_out_deck;
use tryksag::model::PdfxFlavour;
use tryksag::model::{Project, load_project};
use tryksag::units::Pt;

fn main() {
    divan::main();
}

/// A generated project per deck size, made once.
fn project(n: usize) -> &'static Project {
    static CACHE: OnceLock<std::sync::Mutex<Vec<(usize, &'static Project)>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut c = cache.lock().unwrap();
    if let Some((_, p)) = c.iter().find(|(k, _)| *k == n) {
        return p;
    }
    let dir = std::env::temp_dir().join(format!("tryksag-bench-{n}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    testdata::write_bench_project(Path::new(env!("CARGO_MANIFEST_DIR")), &dir, n, 1).unwrap();
    let p: &'static Project = Box::leak(Box::new(load_project(&dir).0.unwrap()));
    c.push((n, p));
    p
}

fn faces(p: &Project) -> Vec<CardFaces> {
    let deck = &p.decks[0];
    let images = ImageCache::new(&p.root, p.output_intent.profile.clone(), p.fonts.files());
    lay_out_deck(deck, &p.layouts[&deck.layout], &p.fonts, &images, Pt::ZERO, None, tryksag::model::PrintCheck::NONE)
        .0
        .unwrap()
}

/// Text and layout of every card (shaping, hyphenation, Knuth–Plass, templates).
#[divan::bench(args = [100, 1000])]
fn text_and_layout(bencher: divan::Bencher, n: usize) {
    let p = project(n);
    bencher.bench(|| faces(p));
}

/// Imposing the deck 3 × 3 on A4 with marks and duplex backs.
#[divan::bench(args = [100, 1000])]
fn impose_a4(bencher: divan::Bencher, n: usize) {
    let p = project(n);
    let f = faces(p);
    bencher.bench(|| impose("bench", &f, &p.sheets["a4"], None).ok());
}

/// Writing the imposed PDF with krilla and the PDF/X-4 pass.
#[divan::bench(args = [100, 1000], sample_count = 10)]
fn export_pdfx4(bencher: divan::Bencher, n: usize) {
    let p = project(n);
    let doc = impose("bench", &faces(p), &p.sheets["a4"], None).ok().unwrap().doc;
    bencher.bench(|| {
        let target = PrintTarget { flavour: PdfxFlavour::X4, intent: &p.output_intent, title: "bench", date: 0 };
        write_print_pdf(&doc, &p.fonts, &target).unwrap()
    });
}

/// The way `tryksag build` does it: layout in windows overlapped with writing the imposed PDF.
#[divan::bench(args = [100, 1000], sample_count = 10)]
fn streamed_layout_and_export(bencher: divan::Bencher, n: usize) {
    use tryksag::build::{StreamOut, WINDOW, stream_deck};
    use tryksag::export::PrintWriter;
    use tryksag::impose::CardPlan;
    use tryksag::impose::impose_plan;
    use tryksag::layout::DeckLayout;
    let p = project(n);
    let deck = &p.decks[0];
    let layout = &p.layouts[&deck.layout];
    let images = ImageCache::new(&p.root, p.output_intent.profile.clone(), p.fonts.files());
    let plans: Vec<CardPlan> =
        deck.cards.iter().map(|c| CardPlan::before_layout(layout, &c.id, c.copies, Pt::ZERO)).collect();
    let plan = impose_plan("bench", &plans, &p.sheets["a4"], None).ok().unwrap().doc;
    bencher.bench(|| {
        let dl = DeckLayout {
            deck,
            layout,
            fonts: &p.fonts,
            images: &images,
            back_extra_bleed: Pt::ZERO,
            region: None,
            check: tryksag::model::PrintCheck::NONE,
            typography: None,
            faces: None,
        };
        let w = PrintWriter::new(&p.fonts, PdfxFlavour::X4);
        let mut outs = vec![StreamOut::new(plan.clone(), Some(w), false)];
        let mut diags = Vec::new();
        stream_deck(&dl, &mut outs, WINDOW, &mut diags, &|_| false).unwrap();
        outs.pop().unwrap().writer.unwrap().finish().unwrap()
    });
}
