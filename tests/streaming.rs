//! Decks are laid out in windows and written while they are laid out: the bytes must be exactly
//! those of laying out the whole deck first, and memory must be bounded by the window.

use std::path::Path;

use crate::common::testdata;
use tryksag::assets::ImageCache;
use tryksag::build::{StreamOut, stream_deck};
use tryksag::export::{PrintWriter, write_unfinished_pdf};
use tryksag::impose::CardPlan;
use tryksag::impose::{faces_document, faces_plan};
use tryksag::impose::{impose, impose_plan};
use tryksag::layout::DeckLayout;
use tryksag::layout::lay_out_deck;
use tryksag::model::Fill;
use tryksag::model::PdfxFlavour;
use tryksag::model::{Project, load_project};
use tryksag::units::{Mm, Pt};

fn project(n: usize) -> (tempfile::TempDir, Project) {
    let dir = tempfile::tempdir().unwrap();
    testdata::write_bench_project(Path::new(env!("CARGO_MANIFEST_DIR")), dir.path(), n, 7).unwrap();
    let p = load_project(dir.path()).0.expect("generated project loads");
    (dir, p)
}

/// Streams a deck into a faces file and a sheet file; returns their bytes and the stream stats.
fn streamed(p: &Project, extra: Pt, window: usize) -> (Vec<u8>, Vec<u8>, tryksag::build::StreamStats) {
    let deck = &p.decks[0];
    let layout = &p.layouts[&deck.layout];
    let sheet = &p.sheets["a4"];
    let images = ImageCache::new(&p.root, p.output_intent.profile.clone(), p.fonts.files());
    let plans: Vec<CardPlan> =
        deck.cards.iter().map(|c| CardPlan::before_layout(layout, &c.id, c.copies, extra)).collect();
    let writer = || Some(PrintWriter::new(&p.fonts, PdfxFlavour::X4));
    let mut outs = vec![
        StreamOut::new(faces_plan(&deck.title, &plans, true), writer(), false),
        StreamOut::new(impose_plan(&deck.title, &plans, sheet, None).unwrap().doc, writer(), false),
    ];
    let dl = DeckLayout {
        deck,
        layout,
        fonts: &p.fonts,
        images: &images,
        back_extra_bleed: extra,
        region: None,
        check: tryksag::model::PrintCheck::NONE,
        typography: None,
        faces: None,
    };
    let mut diags = Vec::new();
    let stats = stream_deck(&dl, &mut outs, window, &mut diags, &|_| true).unwrap();
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}");
    let mut bytes = outs.into_iter().map(|o| o.writer.unwrap().finish().unwrap());
    (bytes.next().unwrap(), bytes.next().unwrap(), stats)
}

/// Lays the whole deck out first, then renders (the straightforward pipeline).
fn whole(p: &Project, extra: Pt) -> (Vec<u8>, Vec<u8>) {
    let deck = &p.decks[0];
    let images = ImageCache::new(&p.root, p.output_intent.profile.clone(), p.fonts.files());
    let faces =
        lay_out_deck(deck, &p.layouts[&deck.layout], &p.fonts, &images, extra, None, tryksag::model::PrintCheck::NONE)
            .0
            .unwrap();
    let f = write_unfinished_pdf(&faces_document(&deck.title, &faces, true), &p.fonts, PdfxFlavour::X4).unwrap();
    let sheet = impose(&deck.title, &faces, &p.sheets["a4"], None).unwrap().doc;
    (f, write_unfinished_pdf(&sheet, &p.fonts, PdfxFlavour::X4).unwrap())
}

#[test]
fn streamed_output_is_byte_identical_to_laying_out_first() {
    let (_dir, mut p) = project(100);
    // Copies that straddle windows and sheets, a repeated last sheet, backs with extra bleed.
    p.decks[0].cards[15].copies = 4;
    p.decks[0].cards[40].copies = 2;
    p.sheets.get_mut("a4").unwrap().fill = Fill::Repeat;
    let extra = Mm(1.0).to_pt();
    let (f, s, stats) = streamed(&p, extra, 16);
    assert_eq!(stats.windows, 7);
    let (f2, s2) = whole(&p, extra);
    assert!(f == f2, "faces file differs from the whole-deck rendering");
    assert!(s == s2, "sheet file differs from the whole-deck rendering");
    // The window size does not change the bytes either.
    let (f3, s3, _) = streamed(&p, extra, 1000);
    assert!(f == f3 && s == s3);
}

#[test]
fn frames_held_are_bounded_by_the_window_not_the_deck() {
    let (_dir, mut p) = project(300);
    p.sheets.get_mut("a4").unwrap().fill = Fill::Repeat;
    let window = 16;
    let (_, _, stats) = streamed(&p, Pt::ZERO, window);
    // One window's faces, plus at most a sheet of cards waiting for the rest of their sheet and
    // the first sheet's cards, which the repeated last sheet shows again (9 per A4 sheet).
    let bound = 2 * window + 2 * 9 + 2 * 9;
    assert!(stats.peak_frames <= bound, "held {} frames at once, bound {bound}", stats.peak_frames);
    assert!(stats.peak_frames < 600 / 4, "a 300-card deck has 600 frames; streaming must hold far fewer");
}

#[test]
fn an_error_in_a_late_window_leaves_no_output_and_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let n = 3 * tryksag::build::WINDOW;
    testdata::write_bench_project(Path::new(env!("CARGO_MANIFEST_DIR")), dir.path(), n, 3).unwrap();
    // A character the font lacks, in the last window's card.
    let deck_path = dir.path().join("decks/bench.json");
    let mut deck: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&deck_path).unwrap()).unwrap();
    let last = n - 2;
    let body = deck["cards"][last]["fields"]["body"].as_str().unwrap().replacen(' ', " ☃ ", 1);
    deck["cards"][last]["fields"]["body"] = body.into();
    std::fs::write(&deck_path, serde_json::to_string_pretty(&deck).unwrap()).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(["build", "--root", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("U+2603") && e.contains(&format!("card k{last:05}")), "{e}");
    assert!(e.contains(&format!("cards[{last}].fields.body")), "{e}");
    let pdfs: Vec<_> = walk(&dir.path().join("output")).into_iter().filter(|p| p.ends_with(".pdf")).collect();
    assert!(pdfs.is_empty(), "no PDF may be written: {pdfs:?}");
}

fn walk(p: &Path) -> Vec<String> {
    let Ok(rd) = std::fs::read_dir(p) else { return Vec::new() };
    rd.flatten()
        .flat_map(|e| if e.path().is_dir() { walk(&e.path()) } else { vec![e.path().display().to_string()] })
        .collect()
}

/// A long deck whose every back shows the same logo: the image is stored once, each font is
/// embedded once, and every stream is compressed, however many windows the deck took.
#[test]
fn images_and_fonts_are_stored_once_per_file() {
    let dir = tempfile::tempdir().unwrap();
    let n = 2 * tryksag::build::WINDOW + 7;
    let root = dir.path();
    testdata::write_bench_project(Path::new(env!("CARGO_MANIFEST_DIR")), root, n, 5).unwrap();
    // A CMYK logo at 300 ppi for its 20 × 10 mm box.
    std::fs::create_dir_all(root.join("images")).unwrap();
    let logo = image::RgbImage::from_fn(236, 118, |x, y| image::Rgb([(x % 200) as u8, (y % 200) as u8, 90]));
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::from(logo).write_to(&mut png, image::ImageFormat::Png).unwrap();
    std::fs::write(root.join("images/logo.png"), png.into_inner()).unwrap();
    let layout = root.join("layouts/cards/bench-card.json");
    let text = std::fs::read_to_string(&layout).unwrap();
    let anchor = "\"fill\": \"band\", \"bleed\": true },";
    assert!(text.contains(anchor));
    let with_logo = text.replacen(
        anchor,
        &format!("{anchor}\n    {{ \"type\": \"image\", \"src\": \"images/logo.png\", \"x\": 21.5, \"y\": 65, \"width\": 20, \"height\": 10 }},"),
        1,
    );
    std::fs::write(&layout, with_logo).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(["build", "--root", root.to_str().unwrap(), "--run", "bench"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let doc = lopdf::Document::load(root.join("output/bench/bench-a4.pdf")).unwrap();
    let name = |d: &lopdf::Dictionary, k: &[u8]| d.get(k).and_then(|v| v.as_name()).ok().map(<[u8]>::to_vec);
    let streams: Vec<&lopdf::Stream> = doc.objects.values().filter_map(|o| o.as_stream().ok()).collect();
    let images = streams.iter().filter(|s| name(&s.dict, b"Subtype").as_deref() == Some(b"Image")).count();
    // The logo, plus at most its soft mask; never one per card.
    assert!((1..=2).contains(&images), "{images} image XObjects for {n} cards");
    // Two faces are used (regular body, bold title and back): two descriptors, each with its
    // own embedded file, not one per page or window.
    let descriptors: Vec<&lopdf::Dictionary> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| name(d, b"Type").as_deref() == Some(b"FontDescriptor"))
        .collect();
    let files: std::collections::BTreeSet<_> = descriptors
        .iter()
        .filter_map(|d| d.get(b"FontFile2").or_else(|_| d.get(b"FontFile3")).and_then(|f| f.as_reference()).ok())
        .collect();
    assert_eq!(descriptors.len(), 2, "font descriptors");
    assert_eq!(files.len(), 2, "embedded font files");
    let pages = doc.get_pages().len();
    assert_eq!(pages, 2 * n.div_ceil(9));
    for s in &streams {
        let f = s.dict.get(b"Filter").ok().and_then(|f| f.as_name().ok());
        let small = s.content.len() < 64;
        assert!(
            f.is_some() || small || name(&s.dict, b"Subtype").as_deref() == Some(b"XML"),
            "uncompressed stream {:?}",
            s.dict
        );
    }
}

#[test]
fn generator_is_deterministic_and_sized() {
    assert_eq!(testdata::generated_deck(20, 7), testdata::generated_deck(20, 7));
    assert_ne!(testdata::generated_deck(20, 7), testdata::generated_deck(20, 8));
    let v: serde_json::Value = serde_json::from_str(&testdata::generated_deck(50, 1)).unwrap();
    let cards = v["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 50);
    for c in cards {
        let n = c["fields"]["body"].as_str().unwrap().split_whitespace().count();
        assert!((30..=70).contains(&n), "{n} words");
    }
}
