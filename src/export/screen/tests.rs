//! Tests of whole screen PDFs: structure, bookmarks, colours, errors.

use std::sync::Arc;

use crate::impose::Page;
use crate::layout::{Frame, FrameItem, Stroke};
use crate::model::color::Color;
use crate::text::FontBook;
use crate::units::{Point, Pt, Rect};
use std::io::Cursor;
use std::path::Path;

use lopdf::{Document as LDocument, Object};

use super::*;
use crate::assets::ImageAsset;
use crate::impose::{Placed, Rotation};
use crate::layout::frame::Block;
use crate::text::Align;
use crate::text::hyphenate::Hyphenator;
use crate::text::markup::parse;
use crate::text::paragraph::FontSet;
use crate::text::shape::Shaper;
use crate::text::{ParaStyle, Typesetter};
use crate::units::Size;

const FAMILY: &str = "Atkinson Hyperlegible Next";
const PARAGRAPH: &str = "Du behøver ikke at være psykolog for at tale med en borger.";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn profile() -> Vec<u8> {
    std::fs::read(root().join("layouts/profiles/CoatedFOGRA39.icc")).unwrap()
}

fn book() -> FontBook {
    FontBook::load_dir(&root().join("fonts")).unwrap()
}

fn style(book: &FontBook, size: f64, weight: u16) -> ParaStyle {
    ParaStyle {
        fonts: FontSet {
            regular: book.find(FAMILY, weight, false).unwrap(),
            bold: book.find(FAMILY, 700, false),
            italic: book.find(FAMILY, 400, true),
            bold_italic: book.find(FAMILY, 700, true),
        },
        size: Pt(size),
        leading: Pt(size * 1.3),
        align: Align::Left,
        hyphenate: false,
        tracking: 0.0,
        uppercase: false,
        paragraph_spacing: Pt(0.0),
        fallback: Vec::new(),
        breaking: Default::default(),
    }
}

/// A frame builder: text and shapes top to bottom, each text a block.
struct Builder<'a> {
    book: &'a FontBook,
    frame: Frame,
    y: f64,
}

impl<'a> Builder<'a> {
    fn new(book: &'a FontBook) -> Self {
        let size = Size { w: Pt(298.0), h: Pt(420.0) };
        let trim = Rect { min: Point::default(), max: Point::new(size.w, size.h) };
        Builder { book, frame: Frame { size, trim, items: Vec::new(), blocks: Vec::new(), shared: None }, y: 30.0 }
    }

    /// Sets markup text; returns the range of items it produced.
    fn text(&mut self, markup: &str, size: f64, weight: u16) -> std::ops::Range<usize> {
        let hy = Hyphenator::new([]);
        let ts = Typesetter::new(Shaper::new(self.book), &hy);
        let block = ts.set(&parse(markup).unwrap(), &style(self.book, size, weight), Pt(240.0)).unwrap();
        let start = self.frame.items.len();
        for line in &block.lines {
            for run in &line.runs {
                let origin = Point::new(Pt(30.0) + run.x, Pt(self.y) + line.baseline);
                self.frame.items.push(FrameItem::Text { origin, run: run.clone(), color: Color::BLACK });
            }
        }
        self.y += block.height.0 + 10.0;
        start..self.frame.items.len()
    }

    fn block(&mut self, kind: BlockKind, markup: &str, size: f64, weight: u16) {
        let items = self.text(markup, size, weight);
        let text = markup.trim_start_matches("- ").to_string();
        self.frame.blocks.push(Block { kind, items, text });
    }

    fn item(&mut self, item: FrameItem) -> usize {
        self.frame.items.push(item);
        self.frame.items.len() - 1
    }
}

fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(8, 6, |x, y| image::Rgb([(x * 30) as u8, (y * 40) as u8, 200]));
    let mut out = Cursor::new(Vec::new());
    image::DynamicImage::from(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn page(frame: usize, size: Size) -> Page {
    let all = Rect { min: Point::default(), max: Point::new(size.w, size.h) };
    Page {
        media: size,
        trim_box: all,
        bleed_box: all,
        content: vec![Placed { frame, at: Point::default(), rotation: Rotation::R0, clip: None }],
        marks: Default::default(),
        transform: None,
        label: format!("page {}", frame + 1),
    }
}

/// Two A5-ish pages: title, heading, paragraph, list; then a heading and a figure.
fn document(book: &FontBook, alt: &str) -> Document {
    let mut one = Builder::new(book);
    // Decoration: a coloured band behind the title, in no block.
    one.item(FrameItem::Rect {
        rect: Rect { min: Point::new(Pt(0.0), Pt(0.0)), max: Point::new(Pt(298.0), Pt(20.0)) },
        fill: Some(Color::Cmyk([100.0, 40.0, 0.0, 0.0])),
        stroke: None,
    });
    one.block(BlockKind::Title, "Dialogkort til jobcentre", 18.0, 700);
    one.block(BlockKind::Heading(2), "Sådan bruger du kortene", 13.0, 700);
    one.block(BlockKind::Paragraph, PARAGRAPH, 10.0, 400);
    one.block(BlockKind::ListItem, "- Lyt til borgeren", 10.0, 400);
    one.block(BlockKind::ListItem, "- Spørg ind til dagen", 10.0, 400);
    one.item(FrameItem::Line {
        from: Point::new(Pt(30.0), Pt(400.0)),
        to: Point::new(Pt(268.0), Pt(400.0)),
        stroke: Stroke {
            color: Color::Spot { name: "PANTONE 3145 C".into(), fallback: [100.0, 0.0, 30.0, 20.0], tint: 50.0 },
            width: Pt(0.5),
            dash: None,
        },
    });

    let mut two = Builder::new(book);
    two.block(BlockKind::Heading(2), "Kontakt", 13.0, 700);
    let asset: ImageAsset = crate::assets::load(Path::new("figur.png"), png(), &profile()).unwrap();
    let top = Pt(two.y);
    two.y += 130.0;
    let image = two.item(FrameItem::Image {
        rect: Rect { min: Point::new(Pt(30.0), top), max: Point::new(Pt(190.0), top + Pt(120.0)) },
        clip: None,
        asset: Arc::new(asset),
    });
    two.frame.blocks.push(Block {
        kind: BlockKind::Figure { alt: alt.to_string() },
        items: image..image + 1,
        text: String::new(),
    });
    two.block(BlockKind::Paragraph, "Ring til PsykInfo.", 10.0, 400);

    let size = Size { w: Pt(298.0), h: Pt(420.0) };
    Document {
        title: "Dialogkort".into(),
        frames: vec![one.frame.into(), two.frame.into()],
        pages: vec![page(0, size), page(1, size)],
        ..Document::default()
    }
}

fn write_screen(doc: &Document, book: &FontBook) -> Result<Vec<u8>, ExportError> {
    let profile = profile();
    let target =
        ScreenTarget { title: "Dialogkort til jobcentre", lang: "da", date: 1_764_000_000, cmyk_profile: &profile };
    write_screen_pdf(doc, book, &target)
}

fn name(o: &Object) -> String {
    String::from_utf8_lossy(o.as_name().unwrap()).into_owned()
}

fn text(o: &Object) -> String {
    let bytes = o.as_str().unwrap();
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16(&units).unwrap()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// Every structure element below `id`, as (type, dictionary), depth first.
fn elements(pdf: &LDocument, obj: &Object, out: &mut Vec<(String, lopdf::Dictionary)>) {
    let obj = match obj {
        Object::Reference(r) => pdf.get_object(*r).unwrap(),
        o => o,
    };
    match obj {
        Object::Array(a) => a.iter().for_each(|o| elements(pdf, o, out)),
        Object::Dictionary(d) => {
            if let Ok(s) = d.get(b"S") {
                out.push((name(s), d.clone()));
            }
            if let Ok(k) = d.get(b"K") {
                elements(pdf, k, out);
            }
        }
        _ => {}
    }
}

#[test]
fn tagged_accessible_pdf() {
    let book = book();
    let doc = document(&book, "Tegning af to personer, der taler sammen");
    let bytes = write_screen(&doc, &book).unwrap();
    let pdf = LDocument::load_mem(&bytes).unwrap();
    let catalog = pdf.catalog().unwrap();

    // Tagged, with language, title shown in the window title bar.
    let mark = catalog.get_deref(b"MarkInfo", &pdf).unwrap().as_dict().unwrap();
    assert!(mark.get(b"Marked").unwrap().as_bool().unwrap());
    assert_eq!(text(catalog.get(b"Lang").unwrap()), "da");
    let vp = catalog.get_deref(b"ViewerPreferences", &pdf).unwrap().as_dict().unwrap();
    assert!(vp.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    let info = pdf.trailer.get_deref(b"Info", &pdf).unwrap().as_dict().unwrap();
    assert_eq!(text(info.get_deref(b"Title", &pdf).unwrap()), "Dialogkort til jobcentre");
    assert!(String::from_utf8_lossy(&bytes).contains("pdfuaid:part"), "pdf/ua identification in xmp");

    // Structure tree.
    let root = catalog.get_deref(b"StructTreeRoot", &pdf).unwrap().as_dict().unwrap();
    let mut els = Vec::new();
    elements(&pdf, root.get(b"K").unwrap(), &mut els);
    let kinds: Vec<&str> = els.iter().map(|(k, _)| k.as_str()).collect();
    for k in ["Document", "H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Figure"] {
        assert!(kinds.contains(&k), "no {k} in {kinds:?}");
    }
    assert_eq!(kinds.iter().filter(|k| **k == "L").count(), 1, "two list items form one list: {kinds:?}");
    assert_eq!(kinds.iter().filter(|k| **k == "LI").count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == "H2").count(), 2);
    // Reading order: H1 before H2 before P before L before Figure.
    let pos = |k: &str| kinds.iter().position(|x| *x == k).unwrap();
    assert!(pos("H1") < pos("H2") && pos("H2") < pos("P") && pos("P") < pos("L") && pos("L") < pos("Figure"));
    let figure = &els.iter().find(|(k, _)| k == "Figure").unwrap().1;
    assert_eq!(text(figure.get(b"Alt").unwrap()), "Tegning af to personer, der taler sammen");
    assert!(format!("{:?}", figure.get(b"A").unwrap()).contains("BBox"), "figure has a bounding box");
    let h1 = &els.iter().find(|(k, _)| k == "H1").unwrap().1;
    assert_eq!(text(h1.get(b"T").unwrap()), "Dialogkort til jobcentre");

    // Bookmarks: title, with the two headings nested below it.
    let outlines = catalog.get_deref(b"Outlines", &pdf).unwrap().as_dict().unwrap();
    let first = outlines.get_deref(b"First", &pdf).unwrap().as_dict().unwrap();
    assert_eq!(text(first.get(b"Title").unwrap()), "Dialogkort til jobcentre");
    let child = first.get_deref(b"First", &pdf).unwrap().as_dict().unwrap();
    assert_eq!(text(child.get(b"Title").unwrap()), "Sådan bruger du kortene");
    let next = child.get_deref(b"Next", &pdf).unwrap().as_dict().unwrap();
    assert_eq!(text(next.get(b"Title").unwrap()), "Kontakt");
    // The second heading's destination is page 2.
    let pages: Vec<lopdf::ObjectId> = pdf.get_pages().into_values().collect();
    let dest = next.get_deref(b"Dest", &pdf).unwrap().as_array().unwrap();
    assert_eq!(dest[0].as_reference().unwrap(), pages[1]);
    assert_eq!(name(&dest[1]), "XYZ");

    // Screen colours only: no CMYK, no separations; MediaBox only.
    let raw = String::from_utf8_lossy(&bytes);
    for forbidden in ["/DeviceCMYK", "/Separation", "/TrimBox", "/BleedBox"] {
        assert!(!raw.contains(forbidden), "{forbidden} in the screen pdf");
    }
    for (_, id) in pdf.get_pages() {
        let page = pdf.get_dictionary(id).unwrap();
        assert!(page.get(b"MediaBox").is_ok());
    }
    // The artifact (the band) and real content both appear in the content stream.
    let content = String::from_utf8_lossy(&pdf.get_page_content(pages[0])).into_owned();
    assert!(content.contains("/Artifact"), "decoration is marked as artifact");
    assert!(content.contains("/Span"), "text is marked content");

    // Text is extractable.
    let extracted = pdf.extract_text(&[1]).unwrap();
    let squashed: String = extracted.split_whitespace().collect::<Vec<_>>().join(" ");
    for word in ["psykolog", "borger", "Lyt", "borgeren"] {
        assert!(squashed.contains(word), "{word:?} not in {squashed:?}");
    }

    // Deterministic.
    assert_eq!(bytes, write_screen(&doc, &book).unwrap());
}

#[test]
fn figure_without_alt_text_is_an_error() {
    let book = book();
    let doc = document(&book, "  ");
    let err = write_screen(&doc, &book).unwrap_err().to_string();
    assert!(err.contains("figure on page 2 has no alt text"), "{err}");
}

#[test]
fn krilla_validation_findings_become_one_lower_case_message() {
    let book = book();
    let mut doc = document(&book, "Tegning");
    // A heading without text has no bookmark title: PDF/UA-1 forbids it, krilla reports it.
    std::sync::Arc::make_mut(&mut doc.frames[1]).blocks[0].text = String::new();
    let err = write_screen(&doc, &book).unwrap_err().to_string();
    assert!(err.contains("pdf/ua-1") && err.contains("a heading has no text"), "{err}");
    assert_eq!(err, err.to_lowercase());
}

#[test]
fn a_document_without_headings_still_exports() {
    let book = book();
    let mut doc = document(&book, "Tegning");
    for b in doc.frames.iter_mut().flat_map(|f| std::sync::Arc::make_mut(f).blocks.iter_mut()) {
        if matches!(b.kind, BlockKind::Title | BlockKind::Heading(_)) {
            b.kind = BlockKind::Paragraph;
        }
    }
    let pdf = LDocument::load_mem(&write_screen(&doc, &book).unwrap()).unwrap();
    let outlines = pdf.catalog().unwrap().get_deref(b"Outlines", &pdf).unwrap().as_dict().unwrap();
    assert!(outlines.get(b"First").is_err(), "no bookmarks without headings");
}

#[test]
fn cmyk_jpeg_is_embedded_with_the_print_profile_not_as_device_cmyk() {
    let book = book();
    let mut doc = document(&book, "Et foto");
    let px: Vec<u8> = (0..16 * 12).flat_map(|i| [(i % 16 * 16) as u8, 40, 0, 10]).collect();
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 90).encode(&px, 16, 12, jpeg_encoder::ColorType::Cmyk).unwrap();
    let asset = crate::assets::load(Path::new("foto.jpg"), jpeg, &profile()).unwrap();
    assert!(matches!(asset.data, crate::assets::ImageData::Jpeg(_)), "cmyk jpeg passes through");
    let FrameItem::Image { asset: a, .. } = &mut std::sync::Arc::make_mut(&mut doc.frames[1]).items[1] else {
        panic!("the figure's image")
    };
    *a = Arc::new(asset);
    let bytes = write_screen(&doc, &book).unwrap();
    let raw = String::from_utf8_lossy(&bytes);
    assert!(!raw.contains("/DeviceCMYK"), "no device cmyk");
    assert!(raw.contains("/DCTDecode"), "the jpeg is embedded as is");
    let pdf = LDocument::load_mem(&bytes).unwrap();
    let icc_n4 = pdf
        .objects
        .values()
        .any(|o| o.as_stream().is_ok_and(|s| s.dict.get(b"N").and_then(Object::as_i64).is_ok_and(|n| n == 4)));
    assert!(icc_n4, "the jpeg's colour space is the 4-channel print profile");
}

/// A stream whose (compressed) data ends in a carriage return is followed by a full CRLF before
/// `endstream` (the vendored pdf-writer's patch), so a reader that looks back from `endstream`
/// for the end of line — PDF/A validators do — still counts the `/Length` bytes as data.
#[test]
fn a_stream_ending_in_a_carriage_return_keeps_its_length() {
    use krilla::geom::{PathBuilder, Rect as KRect};
    use krilla::paint::{Fill, FillRule};
    let mut doc = krilla::Document::new_with(krilla::SerializeSettings::default());
    // Page content streams differ by their rectangle; about one compressed stream in 256 ends in
    // 0x0D, and these 1 200 pages hold several (fixed input, so always the same ones).
    for i in 0..1200 {
        let mut page = doc.start_page_with(krilla::page::PageSettings::from_wh(100.0, 100.0).unwrap());
        let mut surface = page.surface();
        surface.set_fill(Some(Fill {
            paint: krilla::color::rgb::Color::new(10, 20, 30).into(),
            opacity: krilla::num::NormalizedF32::ONE,
            rule: FillRule::NonZero,
        }));
        let mut pb = PathBuilder::new();
        pb.push_rect(KRect::from_xywh(1.0 + i as f32 * 0.01, 2.0, 50.0 + i as f32 * 0.003, 40.0).unwrap());
        surface.draw_path(&pb.finish().unwrap());
        surface.finish();
        page.finish();
    }
    let bytes = doc.finish().unwrap();
    let mut ending_in_cr = 0;
    let mut at = 0;
    while let Some(found) = bytes[at..].windows(9).position(|w| w == b"endstream") {
        let end = at + found;
        let before = &bytes[..end];
        if before.ends_with(b"\r\n") {
            // Data ending in CR: never followed by a bare LF, which reads as a CRLF end of line.
            assert!(before.ends_with(b"\r\r\n"), "a stream's data ending in CR is followed by a bare LF at {end}");
            ending_in_cr += 1;
        }
        at = end + 9;
    }
    assert!(ending_in_cr > 0, "no stream of the test ends in a carriage return: choose other rectangles");
    // And every /Length still holds: lopdf reads each stream by its length.
    let doc = LDocument::load_mem(&bytes).unwrap();
    assert!(doc.objects.values().filter_map(|o| o.as_stream().ok()).all(|s| s.decompressed_content().is_ok()));
}

/// Three pages: the contents (two entries, both "Kontakt", each with its page number, then a
/// paragraph), then a heading "Kontakt" on page 2 and another on page 3.
fn contents_document(book: &FontBook, second: &str) -> Document {
    let mut one = Builder::new(book);
    one.block(BlockKind::Heading(2), "Indhold", 13.0, 700);
    for (heading, number) in [("Kontakt", "2"), (second, "3")] {
        let top = one.y;
        one.block(BlockKind::ContentsEntry { heading: heading.into() }, heading, 10.0, 400);
        // The page number, on the entry's line at the right: the entry's last text item.
        let next = std::mem::replace(&mut one.y, top);
        let n = one.text(number, 10.0, 400);
        for item in &mut one.frame.items[n.clone()] {
            if let FrameItem::Text { origin, .. } = item {
                origin.x = Pt(260.0);
            }
        }
        one.y = next;
        one.frame.blocks.last_mut().unwrap().items.end = n.end;
    }
    one.block(BlockKind::Paragraph, PARAGRAPH, 10.0, 400);
    let chapter = |intro: &str| {
        let mut b = Builder::new(book);
        b.block(BlockKind::Paragraph, intro, 10.0, 400);
        b.block(BlockKind::Heading(2), "Kontakt", 13.0, 700);
        b.block(BlockKind::Paragraph, PARAGRAPH, 10.0, 400);
        b.frame
    };
    let size = Size { w: Pt(298.0), h: Pt(420.0) };
    Document {
        title: "Indhold".into(),
        frames: vec![one.frame.into(), chapter("Først.").into(), chapter("Så.").into()],
        pages: vec![page(0, size), page(1, size), page(2, size)],
        ..Document::default()
    }
}

#[test]
fn contents_entries_are_tagged_links_to_their_headings_in_order() {
    let book = book();
    let doc = contents_document(&book, "Kontakt");
    let bytes = write_screen(&doc, &book).unwrap();
    let pdf = LDocument::load_mem(&bytes).unwrap();
    let pages: Vec<lopdf::ObjectId> = pdf.get_pages().into_values().collect();

    // Two link annotations on the contents page, each going to the next "Kontakt" heading.
    let annots = pdf.get_dictionary(pages[0]).unwrap().get_deref(b"Annots", &pdf).unwrap().as_array().unwrap();
    assert_eq!(annots.len(), 2);
    let mut annot_ids = Vec::new();
    for (a, (goal, alt)) in annots.iter().zip([(pages[1], "Kontakt, side 2"), (pages[2], "Kontakt, side 3")]) {
        annot_ids.push(a.as_reference().unwrap());
        let a = pdf.dereference(a).unwrap().1.as_dict().unwrap();
        assert_eq!(name(a.get(b"Subtype").unwrap()), "Link");
        assert!(a.get(b"A").is_err(), "an internal link has no uri action");
        let dest = a.get_deref(b"Dest", &pdf).unwrap().as_array().unwrap();
        assert_eq!(dest[0].as_reference().unwrap(), goal);
        assert_eq!(name(&dest[1]), "XYZ");
        assert_eq!(text(a.get(b"Contents").unwrap()), alt);
        // The heading's top: below the paragraph before it (page height 420, y up in PDF).
        let y = dest[3].as_float().unwrap();
        assert!(y > 300.0 && y < 395.0, "destination y {y}");
        // Over the entry's text and its page number: wider than the heading text alone.
        let r: Vec<f32> = a.get(b"Rect").unwrap().as_array().unwrap().iter().map(|o| o.as_float().unwrap()).collect();
        assert!(r[0] < 31.0 && r[2] > 262.0 && r[3] > r[1], "rect {r:?}");
    }
    // Nothing else on the other pages.
    for p in &pages[1..] {
        assert!(pdf.get_dictionary(*p).unwrap().get(b"Annots").is_err());
    }

    // One TOC (closed by the paragraph after it) with a TOCI › Reference › Link per entry, each
    // Link holding its annotation.
    let catalog = pdf.catalog().unwrap();
    let root = catalog.get_deref(b"StructTreeRoot", &pdf).unwrap().as_dict().unwrap();
    let mut els = Vec::new();
    elements(&pdf, root.get(b"K").unwrap(), &mut els);
    let kinds: Vec<&str> = els.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds[..10],
        ["Document", "H2", "TOC", "TOCI", "Reference", "Link", "TOCI", "Reference", "Link", "P"],
        "{kinds:?}"
    );
    let links: Vec<&lopdf::Dictionary> = els.iter().filter(|(k, _)| k == "Link").map(|(_, d)| d).collect();
    for (link, annot) in links.iter().zip(&annot_ids) {
        let kids = link.get(b"K").unwrap().as_array().unwrap();
        let objr: Vec<lopdf::ObjectId> = (kids.iter())
            .filter_map(|k| pdf.dereference(k).ok()?.1.as_dict().ok().cloned())
            .filter(|d| d.get(b"Type").is_ok_and(|t| t.as_name().is_ok_and(|n| n == b"OBJR")))
            .map(|d| d.get(b"Obj").unwrap().as_reference().unwrap())
            .collect();
        assert_eq!(objr, vec![*annot], "the link holds its annotation");
        assert!(kids.iter().any(|k| k.as_i64().is_ok()), "and the entry's text (marked content)");
    }
}

#[test]
fn a_contents_entry_without_its_heading_is_an_error() {
    let book = book();
    // The second entry names a heading the document does not have.
    let doc = contents_document(&book, "Hjælp");
    let err = write_screen(&doc, &book).unwrap_err().to_string();
    assert!(err.contains("the contents entry \"Hjælp\" on page 1 has no heading"), "{err}");
}
