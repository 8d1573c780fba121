//! SVG artwork placed as vectors: CMYK-only print files (every print file passes tryksag's own
//! PDF/X preflight when it is written, so a build that succeeds has passed it), the layout's
//! colour map, and SVGs that are refused with a located error (unsupported features, hostile
//! files).

use crate::common::{TempProject, stderr};

use lopdf::content::Content;
use lopdf::{Document, Object};

/// Card `a`'s back shows `images/art.svg` (40 × 30 mm box, `contain`) with this text.
fn project_with_svg(svg: &str) -> TempProject {
    let p = crate::common::project_with_back_image("images/art.svg");
    p.write("images/art.svg", svg);
    p
}

/// Sets the `artwork_colors` of a layout (JSON written as `map`), replacing any it has.
fn set_art_colors(p: &TempProject, layout: &str, map: &str) {
    p.edit(layout, |s| {
        let mut v: serde_json::Value = serde_json::from_str(&s).unwrap();
        v["artwork_colors"] = serde_json::from_str(map).unwrap();
        serde_json::to_string_pretty(&v).unwrap()
    });
}

/// Teal rectangle, a stroked and dashed path in a transformed group, an even-odd shape and a
/// clipped circle: what the converter supports.
const ART: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="90" viewBox="0 0 120 90">
  <defs><clipPath id="c"><rect x="60" y="0" width="60" height="45"/></clipPath></defs>
  <rect x="0" y="0" width="120" height="90" fill="#1b5e6b"/>
  <g transform="translate(10 10) scale(2)">
    <path d="M0 0 L20 0 Q30 10 20 20 C10 30 0 20 0 10 Z" fill="none" stroke="#ffffff" stroke-width="1.5"
          stroke-linecap="round" stroke-linejoin="bevel" stroke-dasharray="3 1"/>
  </g>
  <path d="M70 50 h40 v30 h-40 z M80 60 h20 v10 h-20 z" fill-rule="evenodd" fill="#f2c14e"/>
  <circle cx="90" cy="20" r="30" fill="#000000" clip-path="url(#c)"/>
</svg>"##;

/// Every content stream of a document (pages and form XObjects), decoded.
fn content_ops(doc: &Document) -> Vec<String> {
    let mut ops = Vec::new();
    for obj in doc.objects.values() {
        let Ok(s) = obj.as_stream() else { continue };
        let is_form = s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form");
        let is_page_content = s.dict.get(b"Subtype").is_err() && s.dict.get(b"Type").is_err();
        if !(is_form || is_page_content) {
            continue;
        }
        let data = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
        if let Ok(c) = Content::decode(&data) {
            ops.extend(c.operations.into_iter().map(|o| o.operator));
        }
    }
    ops
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

#[test]
fn svg_art_in_print_is_cmyk_vectors_and_keeps_srgb_on_screen() {
    let p = project_with_svg(ART);
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = stderr(&o);
    // Colours not in the layout's map are converted, each named once with the file.
    assert!(
        e.contains("warning: artwork images/art.svg: colour #1b5e6b is converted through the output profile"),
        "{e}"
    );
    assert!(e.contains("colour #f2c14e"), "{e}");
    assert!(e.contains("\"artwork_colors\""), "{e}");
    let doc = Document::load(p.path("output/d-faces.pdf")).unwrap();
    assert!(!has_name(&doc, b"DeviceRGB"), "a print file names DeviceRGB");
    let ops = content_ops(&doc);
    assert!(!ops.iter().any(|o| o == "rg" || o == "RG"), "RGB operators in a print file");
    // Vectors: curves, a dashed stroke, an even-odd fill and a clip, but no image.
    for op in ["c", "d", "f*", "W", "k", "K"] {
        assert!(ops.iter().any(|o| o == op), "no `{op}` operator in {ops:?}");
    }
    // The download version shows the SVG's own sRGB.
    let screen = Document::load(p.path("output/d-screen.pdf")).unwrap();
    let ops = content_ops(&screen);
    assert!(ops.iter().any(|o| o == "rg" || o == "scn" || o == "sc"), "{ops:?}");
}

#[test]
fn artwork_colors_map_srgb_to_the_layouts_colours() {
    let p = project_with_svg(ART);
    set_art_colors(
        &p,
        "layouts/cards/poker.json",
        r##"{ "#1B5E6B": "backdrop", "#f2c14e": [0, 20, 80, 0], "#ffffff": "white", "#000000": "ink" }"##,
    );
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("artwork"), "{}", stderr(&o));
    let doc = Document::load(p.path("output/d-faces.pdf")).unwrap();
    let mut found = false;
    for obj in doc.objects.values() {
        let Ok(s) = obj.as_stream() else { continue };
        let data = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
        // backdrop [90, 45, 40, 35], exactly.
        found |= String::from_utf8_lossy(&data).contains("0.9 0.45 0.4 0.35 k");
    }
    assert!(found, "the mapped colour is not painted as the layout's backdrop");
}

#[test]
fn an_unknown_artwork_colour_name_is_a_located_error() {
    let p = project_with_svg(ART);
    set_art_colors(&p, "layouts/cards/poker.json", r##"{ "#1b5e6b": "tael", "teal": "ink" }"##);
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("poker.json"), "{e}");
    assert!(e.contains("tael"), "{e}");
    assert!(e.contains("`teal` is not an sRGB colour"), "{e}");
    assert!(p.pdfs().is_empty());
}

/// Builds with `svg` on card a's back and returns the error output; the build must fail with
/// the error placed at the card's image field and write no PDF.
fn refused(svg: &str) -> String {
    let p = project_with_svg(svg);
    let o = p.run(&["build"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("artwork images/art.svg") || e.contains("artwork `images/art.svg`"), "{e}");
    assert!(e.contains("card a") && e.contains("back.image"), "not located: {e}");
    assert!(p.pdfs().is_empty());
    e
}

#[test]
fn unsupported_features_are_named() {
    let grad = r##"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><linearGradient id="g"><stop offset="0" stop-color="red"/><stop offset="1" stop-color="blue"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)"/></svg>"##;
    assert!(refused(grad).contains("it uses a gradient"));
    let text = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text x="1" y="8" font-family="Arial">Hej</text></svg>"#;
    let e = refused(text);
    assert!(e.contains("asks for the font \"Arial\", which is not in the project's fonts/ folder"), "{e}");
    assert!(e.contains("Atkinson Hyperlegible Next"), "the project's fonts are listed: {e}");
    let opacity = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill-opacity="0.5"/></svg>"#;
    assert!(refused(opacity).contains("transparency"));
    let filter = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><filter id="f"><feGaussianBlur stdDeviation="2"/></filter><rect width="10" height="10" filter="url(#f)"/></svg>"#;
    assert!(refused(filter).contains("a filter effect"));
    let clip2 = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><clipPath id="c"><rect width="5" height="5"/><rect x="5" y="5" width="5" height="5"/></clipPath><rect width="10" height="10" clip-path="url(#c)"/></svg>"#;
    assert!(refused(clip2).contains("clip path of more than one simple shape"));
}

#[test]
fn hostile_svgs_are_refused_without_reading_outside_the_project() {
    let huge =
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="100000000" height="10"><rect width="10" height="10"/></svg>"#;
    assert!(refused(huge).contains("is not between 0 and 100000"));
    let passwd = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="/etc/passwd" width="10" height="10"/></svg>"#;
    assert!(refused(passwd).contains("refers to another file or address (/etc/passwd)"));
    let url = r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image xlink:href="http://example.invalid/x.png" width="10" height="10"/></svg>"#;
    assert!(refused(url).contains("http://example.invalid/x.png"));
    let external_use =
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><use href="../../secret.svg#a"/></svg>"#;
    assert!(refused(external_use).contains("refers to another file"));
    let entity = r#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><desc>&x;</desc></svg>"#;
    assert!(refused(entity).contains("cannot read the SVG"));
    let mut laughs = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE svg [\n<!ENTITY l0 \"lol\">\n");
    for i in 1..10 {
        laughs.push_str(&format!("<!ENTITY l{i} \"{}\">\n", format!("&l{};", i - 1).repeat(10)));
    }
    laughs.push_str("]>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><desc>&l9;</desc></svg>");
    assert!(refused(&laughs).contains("cannot read the SVG"));
    let deep = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}<rect width="1" height="1"/>{}</svg>"#,
        "<g>".repeat(10_000),
        "</g>".repeat(10_000)
    );
    let e = refused(&deep);
    assert!(e.contains("nested") || e.contains("cannot read the SVG"), "{e}");
    let big = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><!--{}--></svg>"#,
        "x".repeat(5_100_000)
    );
    assert!(refused(&big).contains("larger than 5 MB"));
    assert!(refused("not an svg at all").contains("cannot read the SVG"));
}

#[test]
fn a_missing_svg_is_a_located_error() {
    let p = crate::common::project_with_back_image("images/none.svg");
    let o = p.run(&["build"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("artwork `images/none.svg`") && e.contains("back.image"), "{e}");
}

#[test]
fn the_same_artwork_on_many_cards_is_embedded_once() {
    let b = crate::common::card("b", "Hvad nu?")
        .replace("\"fields\"", "\"back\": { \"image\": \"images/art.svg\" }, \"fields\"");
    let a = crate::common::card("a", "Hvordan går det?")
        .replace("\"fields\"", "\"back\": { \"image\": \"images/art.svg\" }, \"fields\"");
    let p = crate::common::project_with_back_image("images/art.svg");
    p.write("decks/d.json", &crate::common::deck(&format!("{a},\n{b}")));
    p.write("images/art.svg", ART);
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = Document::load(p.path("output/d-faces.pdf")).unwrap();
    let forms = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form"))
        // The art's even-odd fill (the category icons on the fronts have none).
        .filter(|s| String::from_utf8_lossy(&s.decompressed_content().unwrap_or_default()).contains("f*"))
        .count();
    assert_eq!(forms, 1, "the artwork should be one form XObject");
}

/// A PNG of `w` × `h` RGB pixels as a data URL.
fn png_url(w: u32, h: u32) -> String {
    use base64::Engine as _;
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7) as u8, (y * 5) as u8, 120]));
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png))
}

/// Text in the project's font and an embedded photo (`w` × `h` pixels over the whole 40 × 30 mm).
fn text_and_photo(w: u32, h: u32) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="90">
  <image x="0" y="0" width="120" height="90" href="{}"/>
  <text x="8" y="80" font-family="'Atkinson Hyperlegible Next'" font-weight="700" font-size="18" fill="#ffffff">Æbler</text>
</svg>"##,
        png_url(w, h)
    )
}

#[test]
fn svg_text_becomes_outlines_and_an_embedded_png_prints_in_cmyk() {
    let p = project_with_svg(&text_and_photo(480, 360));
    set_art_colors(&p, "layouts/cards/poker.json", r##"{ "#ffffff": "white" }"##);
    let o = p.run(&["build"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{e}");
    assert!(!e.contains("artwork images/art.svg: colour"), "the text's white is mapped: {e}");
    let doc = Document::load(p.path("output/d-faces.pdf")).unwrap();
    assert!(!has_name(&doc, b"DeviceRGB"), "a print file names DeviceRGB");
    // The photo is a CMYK image inside the artwork's form; the text is outlines, not a font.
    let images: Vec<_> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image"))
        .filter(|s| s.dict.get(b"Width").and_then(Object::as_i64).ok() == Some(480))
        .collect();
    assert_eq!(images.len(), 1);
    assert_eq!(images[0].dict.get(b"ColorSpace").and_then(Object::as_name).ok(), Some(&b"DeviceCMYK"[..]));
    let form = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form"))
        .find(|s| String::from_utf8_lossy(&s.decompressed_content().unwrap_or_default()).contains(" Do"))
        .expect("the artwork's form, drawing the photo");
    let ops: Vec<String> = Content::decode(&form.decompressed_content().unwrap())
        .unwrap()
        .operations
        .into_iter()
        .map(|o| o.operator)
        .collect();
    assert!(ops.iter().any(|o| o == "Do"), "the image is drawn in the form: {ops:?}");
    assert!(ops.iter().filter(|o| *o == "c").count() > 10, "glyph outlines are curves");
    assert!(!ops.iter().any(|o| o == "Tf" || o == "Tj" || o == "TJ"), "no text operators: {ops:?}");
    // On screen the photo keeps its RGB.
    let screen = Document::load(p.path("output/d-screen.pdf")).unwrap();
    assert!(has_name(&screen, b"DeviceRGB") || has_name(&screen, b"ICCBased"));
}

#[test]
fn a_coarse_image_inside_an_svg_is_reported_at_its_placed_size() {
    // 60 × 45 pixels over 40 × 30 mm: 38 ppi.
    let p = project_with_svg(&text_and_photo(60, 45));
    let o = p.run(&["build"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("image images/art.svg, image 1 has 38 ppi at its placed size (40.0 × 30.0 mm)"), "{e}");
    assert!(e.contains("card a") && e.contains("back.image"), "not located: {e}");
    assert!(p.pdfs().is_empty());
}

/// Two dots: teal (mapped by the layouts below) and gold (converted, with a warning).
const DOTS: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="10">
  <circle cx="5" cy="5" r="5" fill="#1b5e6b"/><circle cx="20" cy="5" r="5" fill="#f2c14e"/>
</svg>"##;

/// Inserts an SVG image block as `flow[1]` of a product file and maps teal in its layout.
fn svg_in_flow(p: &TempProject, product: &str, layout: &str) {
    p.edit(product, |s| {
        let mut v: serde_json::Value = serde_json::from_str(&s).unwrap();
        let block = serde_json::json!({ "image": "images/dots.svg", "alt": "To prikker", "height": 10 });
        v["flow"].as_array_mut().unwrap().insert(1, block);
        serde_json::to_string_pretty(&v).unwrap()
    });
    set_art_colors(p, layout, r##"{ "#1b5e6b": [12, 34, 56, 7] }"##);
}

#[test]
fn svg_in_leaflet_and_booklet_flows_prints_in_the_layouts_colours() {
    let p = TempProject::copy();
    std::fs::remove_dir_all(p.path("layouts/runs")).unwrap();
    p.write("images/dots.svg", DOTS);
    svg_in_flow(&p, "decks/leaflets/jobcenter-folder.json", "layouts/leaflets/roll-a4.json");
    svg_in_flow(&p, "decks/booklets/personlig-historie.json", "layouts/booklets/a5.json");
    let o = p.run(&["build", "jobcenter-folder", "personlig-historie"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{e}");
    // Only the unmapped gold is converted, once per product, at the image block.
    assert_eq!(e.matches("artwork images/dots.svg: colour #f2c14e is converted").count(), 2, "{e}");
    assert!(!e.contains("#1b5e6b"), "{e}");
    assert!(e.contains("(at flow[1])"), "not located at the block: {e}");
    for print in ["output/jobcenter-folder-print.pdf", "output/personlig-historie-print.pdf"] {
        let doc = Document::load(p.path(print)).unwrap();
        assert!(!has_name(&doc, b"DeviceRGB"), "{print} names DeviceRGB");
        let exact = doc.objects.values().filter_map(|o| o.as_stream().ok()).any(|s| {
            let data = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
            String::from_utf8_lossy(&data).contains("0.12 0.34 0.56 0.07 k")
        });
        assert!(exact, "{print}: the mapped teal is not the layout's colour");
    }
    // The download versions show the artwork as a figure with its alt text, in its own sRGB.
    for screen in ["output/jobcenter-folder-screen.pdf", "output/personlig-historie-screen.pdf"] {
        let doc = Document::load(p.path(screen)).unwrap();
        let alt = doc.objects.values().any(|o| {
            o.as_dict().is_ok_and(|d| {
                d.get(b"S").and_then(Object::as_name).ok() == Some(b"Figure")
                    && d.get(b"Alt").and_then(Object::as_str).ok() == Some(b"To prikker")
            })
        });
        assert!(alt, "{screen}: no figure with the alt text");
        assert!(!content_ops(&doc).iter().any(|o| o == "k"), "{screen}: CMYK operators in a download version");
    }
}
