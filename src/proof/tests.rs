//! Proofs of the shipped project: pixel sizes, overlays where the geometry says, determinism.

use std::path::{Path, PathBuf};

use super::*;
use crate::assets::ImageCache;
use crate::export::write_unfinished_pdf;
use crate::impose::faces::faces_document;
use crate::impose::leaflet::{print_document, screen_document};
use crate::impose::sheets::impose;
use crate::impose::{Document, FrameBox, Page};
use crate::layout::card::CardFaces;
use crate::layout::lay_out_deck;
use crate::layout::leaflet::lay_out_leaflet;
use crate::model::standard::PdfxFlavour;
use crate::model::{Project, load_project};
use crate::units::{Point, Pt, Rect};

/// The geometry of a laid-out document's frames, as the guides take it.
fn boxes(doc: &Document) -> Vec<FrameBox> {
    doc.frames.iter().map(|f| FrameBox::of(f)).collect()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn decode(path: &Path) -> Image {
    let dec = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = dec.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.color_type, info.bit_depth), (png::ColorType::Rgba, png::BitDepth::Eight));
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn px(img: &Image, x: u32, y: u32) -> [u8; 3] {
    let p = ((y * img.0 + x) * 4) as usize;
    [img.2[p], img.2[p + 1], img.2[p + 2]]
}

/// The pixel column (or row) a 1 px guide at `v` points lands on, as `draw_guides` places it.
fn at(v: Pt, dpi: f32, size: u32) -> u32 {
    let c = (v.0 * f64::from(dpi) / 72.0 - 0.5).round();
    c.clamp(0.0, f64::from(size - 1)) as u32
}

/// The expected pixel size of a page: hayro truncates points × dpi / 72 in f32.
fn expected_size(page: &Page, dpi: f32) -> (u32, u32) {
    let s = dpi / 72.0;
    ((page.media.w.0 as f32 * s) as u32, (page.media.h.0 as f32 * s) as u32)
}

/// One page of a document as its own document, exported and rasterized without overlays.
fn raw_rasterize(doc: &Document, page: usize, dpi: f32) -> Image {
    let one = Document { pages: vec![doc.pages[page].clone()], ..doc.clone() };
    let fonts = &load_project(&repo()).0.unwrap().fonts;
    let bytes = write_unfinished_pdf(&one, fonts, PdfxFlavour::X4).unwrap();
    rasterize(&bytes, dpi).unwrap().remove(0)
}

struct Shipped {
    project: Project,
    cards: Vec<CardFaces>,
}

fn shipped() -> Shipped {
    let project = load_project(&repo()).0.expect("the shipped project loads");
    let deck = &project.decks[0];
    let layout = &project.layouts[&deck.layout];
    let images = ImageCache::new(&project.root, project.output_intent.profile.clone(), project.fonts.files());
    let cards =
        lay_out_deck(deck, layout, &project.fonts, &images, Pt::ZERO, None, crate::model::PrintCheck::NONE).0.unwrap();
    Shipped { project, cards }
}

#[test]
fn shipped_project_proofs() {
    let out = tempfile::tempdir().unwrap();
    let opts = BuildOptions { out_dir: out.path().to_path_buf(), ..BuildOptions::new(&repo()) };
    let started = Instant::now();
    let report = write_proofs(&opts, None, &ProofOptions { dpi: 100.0, overlays: true });
    let millis = started.elapsed().as_millis();
    assert!(!report.diags.has_errors(), "{:?}", report.diags);
    let s = shipped();
    let deck = &s.project.decks[0];
    let layout = &s.project.layouts[&deck.layout];
    let dir = out.path().join("proof");
    let n_faces = s.cards.len() * 2;
    eprintln!("{} proof files in {millis} ms", report.written.len());
    for i in 1..=n_faces {
        assert!(dir.join(format!("{}-faces-{i:03}.png", deck.name)).exists());
    }
    assert!(!dir.join(format!("{}-faces-{:03}.png", deck.name, n_faces + 1)).exists());
    assert!(dir.join(format!("{}-contact.png", deck.name)).exists());
    assert!(report.written.iter().all(|w| w.path.exists() && w.pages == 1));

    // A face: page = trim + bleed, at 100 dpi; trim solid at 3 mm, not 2 px either side.
    let faces = faces_document(&deck.title, &s.cards, deck.faces_crop_marks);
    let page = &faces.pages[0];
    let face = decode(&dir.join(format!("{}-faces-001.png", deck.name)));
    assert_eq!((face.0, face.1), expected_size(page, 100.0));
    if layout.trim.w.to_mm().0.round() == 63.0 && layout.bleed.to_mm().0.round() == 3.0 {
        assert_eq!((face.0, face.1), (271, 370), "69 × 94 mm at 100 dpi, truncated");
    }
    let [trim_c, bleed_c, safe_c, _] = guide_colours(&raw_rasterize(&faces, 0, 100.0).2);
    let (x, mid) = (at(page.trim_box.min.x, 100.0, face.0), face.1 / 2);
    assert_eq!(px(&face, x, mid), trim_c);
    assert_ne!(px(&face, x - 2, mid), trim_c);
    assert_ne!(px(&face, x + 2, mid), trim_c);
    let y = at(page.trim_box.max.y, 100.0, face.1);
    assert_eq!(px(&face, face.0 / 2, y), trim_c);
    assert_ne!(px(&face, face.0 / 2, y + 2), trim_c);
    // The bleed edge (the page edge here) is dashed: some pixels along it, not all.
    let top: Vec<bool> = (0..face.0).map(|x| px(&face, x, 0) == bleed_c).collect();
    assert!(top.iter().any(|&b| b) && top.iter().any(|&b| !b), "dashed bleed along the top edge");
    // The safe area is dotted, `safe` inside the trim.
    let sx = at(page.trim_box.min.x + layout.safe, 100.0, face.0);
    let y0 = at(page.trim_box.min.y + layout.safe, 100.0, face.1);
    let y1 = at(page.trim_box.max.y - layout.safe, 100.0, face.1);
    let dots = (y0..=y1).filter(|&y| px(&face, sx, y) == safe_c).count();
    assert!(dots > 10 && dots < (y1 - y0) as usize, "dotted safe line: {dots} of {}", y1 - y0);

    // The written PNG is exactly a fresh rasterization with guides: rasterizing is deterministic.
    let mut fresh = raw_rasterize(&faces, 0, 100.0);
    draw_guides(&mut fresh.2, fresh.0, fresh.1, 100.0, &guides_for(&faces.pages, &boxes(&faces), layout.safe, &[])[0]);
    let written = std::fs::read(dir.join(format!("{}-faces-001.png", deck.name))).unwrap();
    assert_eq!(encode_png(fresh.0, fresh.1, &fresh.2).unwrap(), written);

    // An imposed sheet: the trim overlay at every slot's trim edges.
    for sheet_name in &deck.sheets {
        let sheet = &s.project.sheets[sheet_name];
        let im = impose(&deck.title, &s.cards, sheet, None).unwrap();
        let page = &im.doc.pages[0];
        let img = decode(&dir.join(format!("{}-{sheet_name}-001.png", deck.name)));
        assert_eq!((img.0, img.1), expected_size(page, 100.0), "{sheet_name}");
        assert!(dir.join(format!("{}-{sheet_name}-{:03}.png", deck.name, im.doc.pages.len())).exists());
        let trim_c = guide_colours(&raw_rasterize(&im.doc, 0, 100.0).2)[0];
        for placed in &page.content {
            let frame = &im.doc.frames[placed.frame];
            let t = placed.transform(frame);
            let (a, b) = (t.apply(frame.trim.min), t.apply(frame.trim.max));
            let r = Rect { min: Point::new(a.x.min(b.x), a.y.min(b.y)), max: Point::new(a.x.max(b.x), a.y.max(b.y)) };
            let (cx, cy) = (at((r.min.x + r.max.x) / 2.0, 100.0, img.0), at((r.min.y + r.max.y) / 2.0, 100.0, img.1));
            for (x, y) in [(at(r.min.x, 100.0, img.0), cy), (at(r.max.x, 100.0, img.0), cy)] {
                assert_eq!(px(&img, x, y), trim_c, "{sheet_name}: slot trim at ({x}, {y})");
            }
            for (x, y) in [(cx, at(r.min.y, 100.0, img.1)), (cx, at(r.max.y, 100.0, img.1))] {
                assert_eq!(px(&img, x, y), trim_c, "{sheet_name}: slot trim at ({x}, {y})");
            }
            assert_ne!(px(&img, at(r.min.x, 100.0, img.0) + 2, cy), trim_c, "{sheet_name}: inside the slot");
        }
    }

    // The leaflet: outside and inside with folds; panels in reading order.
    for l in &s.project.leaflets {
        let ll = &s.project.leaflet_layouts[&l.layout];
        let g = &ll.geometry;
        let region = s.project.regions.iter().find(|x| x.id == l.region);
        let images = ImageCache::new(&s.project.root, s.project.output_intent.profile.clone(), s.project.fonts.files());
        let input = crate::layout::LeafletInput {
            leaflet: l,
            layout: ll,
            fonts: &s.project.fonts,
            images: &images,
            region,
            regions_file: s.project.regions_file.as_deref(),
        };
        let panels = lay_out_leaflet(&input, crate::model::PrintCheck::NONE, None);
        let panels = panels.0.unwrap();
        let doc = print_document(&l.title, g, &panels, ll.bleed, ll.marks, false);
        let pages = crate::layout::lay_out_leaflet_screen(&input);
        let screen = screen_document(&l.title, pages.0.unwrap());
        for n in 1..=screen.pages.len() {
            assert!(dir.join(format!("{}-page-{n}.png", l.name)).exists(), "page {n}");
        }
        assert!(!dir.join(format!("{}-page-{}.png", l.name, screen.pages.len() + 1)).exists());
        for (side, folds) in [("outside", &g.folds_outside), ("inside", &g.folds_inside)] {
            let i = usize::from(side == "inside");
            let img = decode(&dir.join(format!("{}-{side}.png", l.name)));
            assert_eq!((img.0, img.1), expected_size(&doc.pages[i], 100.0));
            let fold_c = guide_colours(&raw_rasterize(&doc, i, 100.0).2)[3];
            assert!(!folds.is_empty());
            for &f in folds {
                let x = at(doc.pages[i].trim_box.min.x + f, 100.0, img.0);
                let hits = (0..img.1).filter(|&y| px(&img, x, y) == fold_c).count();
                assert!(hits > img.1 as usize / 3, "{side}: fold at {x}: {hits} px");
                assert_eq!((0..img.1).filter(|&y| px(&img, x + 3, y) == fold_c).count(), 0);
            }
        }
    }
}

#[test]
fn high_resolution_is_three_times_the_pixels() {
    let s = shipped();
    let deck = &s.project.decks[0];
    let faces = faces_document(&deck.title, &s.cards[..1], deck.faces_crop_marks);
    let lo = raw_rasterize(&faces, 0, 100.0);
    let hi = raw_rasterize(&faces, 0, 300.0);
    assert_eq!((hi.0, hi.1), expected_size(&faces.pages[0], 300.0));
    assert!(hi.0.abs_diff(lo.0 * 3) <= 1 && hi.1.abs_diff(lo.1 * 3) <= 1, "{:?} vs {:?}", (hi.0, hi.1), (lo.0, lo.1));
    assert_eq!(line_width(300.0), 3);
    // Same input, same bytes.
    let again = raw_rasterize(&faces, 0, 300.0);
    assert_eq!(encode_png(hi.0, hi.1, &hi.2).unwrap(), encode_png(again.0, again.1, &again.2).unwrap());
}

#[test]
fn one_product_only_and_unknown_product() {
    let out = tempfile::tempdir().unwrap();
    let opts = BuildOptions { out_dir: out.path().to_path_buf(), ..BuildOptions::new(&repo()) };
    let report = write_proofs(&opts, Some("nope"), &ProofOptions::default());
    assert!(report.diags.0.iter().any(|d| d.is_error() && d.message.contains("unknown product `nope`")));
    assert!(report.written.is_empty());
    let project = load_project(&repo()).0.unwrap();
    let leaflet = &project.leaflets[0].name;
    // Leftovers of a longer earlier proof go; other files stay.
    let dir = out.path().join("proof");
    std::fs::create_dir_all(&dir).unwrap();
    for n in 1..=20 {
        std::fs::write(dir.join(format!("{leaflet}-page-{n}.png")), b"old").unwrap();
    }
    std::fs::write(dir.join("notes.txt"), b"mine").unwrap();
    let report = write_proofs(&opts, Some(leaflet), &ProofOptions::default());
    assert!(!report.diags.has_errors(), "{:?}", report.diags);
    let pages = report.written.iter().filter(|w| w.path.to_string_lossy().contains("-page-")).count();
    assert!(pages >= 4);
    assert!(!dir.join(format!("{leaflet}-page-{}.png", pages + 1)).exists());
    assert!(dir.join("notes.txt").exists());
    assert!(report.written.iter().all(|w| &w.product == leaflet && w.path.starts_with(out.path().join("proof"))));
}

#[test]
fn guide_colours_avoid_the_artwork() {
    let white = [255u8; 4].repeat(16);
    assert_eq!(guide_colours(&white), [[255, 0, 255], [0, 255, 0], [0, 0, 255], [255, 0, 0]]);
    // Artwork with (nearly) pure magenta and green: trim and bleed take the next free colours.
    let mut art = white.clone();
    art[..4].copy_from_slice(&[250, 10, 245, 255]);
    art[4..8].copy_from_slice(&[0, 255, 0, 255]);
    assert_eq!(guide_colours(&art), [[0, 0, 255], [255, 0, 0], [0, 255, 255], [255, 255, 0]]);
}

#[test]
fn guides_are_drawn_with_their_patterns() {
    let (w, h) = (100u32, 60u32);
    let mut img = [255u8; 4].repeat((w * h) as usize);
    let r =
        |x0: f64, y0: f64, x1: f64, y1: f64| Rect { min: Point::new(Pt(x0), Pt(y0)), max: Point::new(Pt(x1), Pt(y1)) };
    // At 72 dpi one point is one pixel.
    let guides = Guides {
        trim: vec![r(10.5, 10.5, 90.5, 50.5)],
        bleed: vec![r(0.0, 0.0, 100.0, 60.0)],
        safe: vec![r(20.5, 20.5, 80.5, 40.5)],
        folds: vec![(Point::new(Pt(50.5), Pt(0.0)), Point::new(Pt(50.5), Pt(60.0)))],
    };
    draw_guides(&mut img, w, h, 72.0, &guides);
    let img = (w, h, img);
    let [trim, bleed, safe, fold] = [[255, 0, 255], [0, 255, 0], [0, 0, 255], [255, 0, 0]];
    let count =
        |c: [u8; 3], pts: &mut dyn Iterator<Item = (u32, u32)>| pts.filter(|&(x, y)| px(&img, x, y) == c).count();
    assert_eq!(count(trim, &mut (11..90).map(|x| (x, 10))), 79, "solid");
    assert_eq!(count(trim, &mut (11..90).map(|x| (x, 12))), 0);
    let dashes = count(bleed, &mut (0..100).map(|x| (x, 0)));
    assert!((55..=65).contains(&dashes), "dashed 6 on 4 off: {dashes}");
    let dots = count(safe, &mut (21..80).map(|x| (x, 20)));
    assert!((18..=22).contains(&dots), "dotted 1 on 2 off: {dots}");
    let dash_dot = count(fold, &mut (0..60).map(|y| (50, y)));
    assert!((30..=40).contains(&dash_dot), "dash-dot 8, 3, 1, 3: {dash_dot}");
}

#[test]
fn contact_sheet_tiles_in_rows() {
    let a = (4, 6, [10u8, 20, 30, 255].repeat(24));
    let b = (4, 6, [40u8, 50, 60, 255].repeat(24));
    let (w, h, data) = contact_sheet(&[a.clone(), b.clone(), a], 2);
    assert_eq!((w, h), (2 * 4 + 3 * 8, 2 * 6 + 3 * 8));
    let img = (w, h, data);
    assert_eq!(px(&img, 8, 8), [10, 20, 30]);
    assert_eq!(px(&img, 8 + 4 + 8, 8), [40, 50, 60]);
    assert_eq!(px(&img, 8, 8 + 6 + 8), [10, 20, 30]);
    assert_eq!(px(&img, 0, 0), [160, 160, 160]);
    let small = shrink(&b, 2);
    assert_eq!((small.0, small.1), (2, 3));
    assert_eq!(px(&small, 1, 2), [40, 50, 60]);
}
