//! PDF artwork placed as vectors: a CMYK page is found again in the print file as one form
//! XObject however many cards show it (every print file passes tryksag's PDF/X preflight when it
//! is written), and pages that cannot print as they are (RGB, fonts not embedded, a missing page,
//! a broken file) are located errors; a cyclic file does not hang.

use crate::common::{TempProject, stderr};
use lopdf::{Dictionary, Document, Object, Stream, dictionary};

/// A one-page PDF (50 × 40 pt) drawing `content` with `resources` (built by `extra`, which may
/// add objects and returns the resource dictionary).
fn art_pdf(content: &str, extra: impl FnOnce(&mut Document) -> Dictionary) -> Vec<u8> {
    let mut doc = Document::with_version("1.6");
    let pages_id = doc.new_object_id();
    let resources = extra(&mut doc);
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "MediaBox" => vec![0.into(), 0.into(), 50.into(), 40.into()],
        "Contents" => content_id,
        "Resources" => resources,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

const CMYK: &str = "0 0.8 0.6 0 k 0 0 50 40 re f 1 0 0 0 K 2 w 5 5 m 45 35 l S";

/// Cards a and b both show `images/art.pdf` on their backs.
fn project_with_pdf(pdf: &[u8]) -> TempProject {
    let p = crate::common::project_with_back_image("images/art.pdf");
    let b = crate::common::card("b", "Hvad nu?")
        .replace("\"fields\"", "\"back\": { \"image\": \"images/art.pdf\" }, \"fields\"");
    let a = crate::common::card("a", "Hvordan går det?")
        .replace("\"fields\"", "\"back\": { \"image\": \"images/art.pdf\" }, \"fields\"");
    p.write("decks/d.json", &crate::common::deck(&format!("{a},\n{b}")));
    std::fs::write(p.path("images/art.pdf"), pdf).unwrap();
    p
}

fn has_name(doc: &Document, name: &[u8]) -> bool {
    fn walk(o: &Object, name: &[u8]) -> bool {
        match o {
            Object::Name(n) => n == name,
            Object::Array(a) => a.iter().any(|o| walk(o, name)),
            Object::Dictionary(d) => d.iter().any(|(_, o)| walk(o, name)),
            Object::Stream(s) => s.dict.iter().any(|(_, o)| walk(o, name)),
            _ => false,
        }
    }
    doc.objects.values().any(|o| walk(o, name))
}

/// The form XObjects whose content contains `needle`.
fn forms_with(doc: &Document, needle: &str) -> usize {
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form"))
        .filter(|s| {
            String::from_utf8_lossy(&s.decompressed_content().unwrap_or_else(|_| s.content.clone())).contains(needle)
        })
        .count()
}

#[test]
fn a_cmyk_page_is_placed_once_as_vectors_and_shown_on_screen() {
    let p = project_with_pdf(&art_pdf(CMYK, |_| Dictionary::new()));
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = Document::load(p.path("output/d-faces.pdf")).unwrap();
    assert_eq!(forms_with(&doc, "0 0.8 0.6 0 k"), 1, "the page should be one form XObject, placed on both cards");
    assert!(!has_name(&doc, b"DeviceRGB"), "a print file names DeviceRGB");
    // The download version shows the page as an image (validated PDF/UA-1 and PDF/A-2a).
    let screen = p.pdfs().into_iter().find(|f| f.to_string_lossy().contains("screen")).expect("a download file");
    let screen = Document::load(screen).unwrap();
    assert_eq!(forms_with(&screen, "0 0.8 0.6 0 k"), 0, "screen files do not embed the cmyk page");
    let images = screen
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image"))
        .filter(|s| s.dict.get(b"Width").and_then(Object::as_i64).ok() == Some(3000) && s.dict.has(b"SMask"))
        .count();
    assert_eq!(images, 1, "one raster of the artwork (with its alpha) in the download file");
}

/// Builds with `pdf` on the backs and returns the error output; the build must fail with the
/// error placed at the card's image field and write no PDF.
fn refused(pdf: &[u8]) -> String {
    let p = project_with_pdf(pdf);
    let o = p.run(&["build"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("artwork images/art.pdf") || e.contains("artwork `images/art.pdf`"), "{e}");
    assert!(e.contains("card a") && e.contains("back.image"), "not located: {e}");
    assert!(p.pdfs().is_empty());
    e
}

#[test]
fn an_rgb_page_is_refused_with_the_file_and_the_element() {
    let e = refused(&art_pdf("1 0 0 rg 0 0 50 40 re f", |_| Dictionary::new()));
    assert!(e.contains("page 1 uses rgb colour (rgb colour in the content)"), "{e}");
    assert!(e.contains("PDF/X-4 with CMYK output"), "{e}");
    // Transparency in RGB: a CMYK form blending in RGB.
    let e = refused(&art_pdf("/Fm0 Do", |doc| {
        let group = dictionary! { "S" => "Transparency", "CS" => "DeviceRGB" };
        let form = dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()], "Group" => group,
        };
        let id = doc.add_object(Stream::new(form, b"0 0 0 1 k 0 0 5 5 re f".to_vec()));
        dictionary! { "XObject" => dictionary! { "Fm0" => id } }
    }));
    assert!(e.contains("a transparency group blending in rgb"), "{e}");
}

#[test]
fn a_font_that_is_not_embedded_is_refused() {
    let e = refused(&art_pdf("BT /F1 12 Tf 2 2 Td (Hej) Tj ET", |_| {
        let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
        dictionary! { "Font" => dictionary! { "F1" => font } }
    }));
    assert!(e.contains("uses the font Helvetica, which is not embedded"), "{e}");
    assert!(e.contains("embed the fonts"), "{e}");
}

#[test]
fn a_broken_file_and_a_missing_file_are_located_errors() {
    let e = refused(b"%PDF-1.6\nthis is not really a pdf\n");
    assert!(e.contains("is not a readable pdf file"), "{e}");
    let p = crate::common::project_with_back_image("images/none.pdf");
    let o = p.run(&["build"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("artwork `images/none.pdf`") && e.contains("back.image"), "{e}");
}

#[test]
fn a_missing_page_is_a_located_error_and_page_is_only_for_pdf() {
    let p = project_with_pdf(&art_pdf(CMYK, |_| Dictionary::new()));
    p.edit("layouts/cards/poker.json", |s| {
        s.replace("\"height\": 30, \"optional\": true }", "\"height\": 30, \"optional\": true, \"page\": 3 }")
    });
    let o = p.run(&["build"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("has no page 3: it has 1 page") && e.contains("back.image"), "{e}");
    // A fixed raster file with a page: one error, at the layout's key.
    let p = crate::common::project_with_back_image("images/art.pdf");
    p.edit("layouts/cards/poker.json", |s| {
        s.replace(
            "\"field\": \"back.image\", \"x\": 11.5, \"y\": 50, \"width\": 40, \"height\": 30, \"optional\": true }",
            "\"src\": \"images/logo.png\", \"x\": 11.5, \"y\": 50, \"width\": 40, \"height\": 30, \"page\": 2 }",
        )
    });
    let o = p.run(&["check"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("`page` is only for pdf artwork, and images/logo.png is not a pdf file"), "{e}");
    assert!(e.contains("poker.json"), "{e}");
    assert_eq!(e.matches("is only for pdf artwork").count(), 1, "{e}");
}

#[test]
fn a_self_referencing_form_does_not_hang() {
    let pdf = art_pdf("/Fm0 Do", |doc| {
        let id = doc.new_object_id();
        let form = dictionary! {
            "Type" => "XObject", "Subtype" => "Form",
            "BBox" => vec![0.into(), 0.into(), 10.into(), 10.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Fm0" => id } },
        };
        doc.objects.insert(id, Object::Stream(Stream::new(form, b"0 0 0 1 k 0 0 5 5 re f /Fm0 Do".to_vec())));
        dictionary! { "XObject" => dictionary! { "Fm0" => id } }
    });
    let p = project_with_pdf(&pdf);
    let start = std::time::Instant::now();
    let o = p.run(&["check"]);
    assert!(start.elapsed() < std::time::Duration::from_secs(60), "took {:?}", start.elapsed());
    // The scan ends; whatever a rasterizer or printer makes of an endless form, tryksag finishes.
    assert!(o.status.code().is_some(), "{}", stderr(&o));
}

#[test]
fn a_pdf_page_in_a_booklet_flow_is_placed_and_an_rgb_one_is_refused_at_the_block() {
    let with = |pdf: &[u8]| {
        let p = TempProject::copy();
        std::fs::remove_dir_all(p.path("layouts/runs")).unwrap();
        std::fs::create_dir_all(p.path("images")).unwrap();
        std::fs::write(p.path("images/art.pdf"), pdf).unwrap();
        p.edit("decks/booklets/personlig-historie.json", |s| {
            let mut v: serde_json::Value = serde_json::from_str(&s).unwrap();
            let block = serde_json::json!({ "image": "images/art.pdf", "alt": "Et ornament", "height": 20 });
            v["flow"].as_array_mut().unwrap().insert(1, block);
            serde_json::to_string_pretty(&v).unwrap()
        });
        let o = p.run(&["build", "personlig-historie"]);
        (p, o)
    };
    let (p, o) = with(&art_pdf(CMYK, |_| Dictionary::new()));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = Document::load(p.path("output/personlig-historie-print.pdf")).unwrap();
    assert_eq!(forms_with(&doc, "0 0.8 0.6 0 k"), 1, "the page is one form XObject with its own CMYK");
    assert!(!has_name(&doc, b"DeviceRGB"));
    let (p, o) = with(&art_pdf("1 0 0 rg 0 0 50 40 re f", |_| Dictionary::new()));
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("images/art.pdf") && e.contains("(at flow[1])"), "{e}");
    assert!(p.pdfs().is_empty(), "nothing is written");
}
