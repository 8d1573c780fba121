//! Raster images in print files: CMYK pass-through, RGB conversion, resolution checks.

use crate::common::{TempProject, stderr};
use lopdf::{Document, Object};

/// [`crate::common::project_with_back_image`] with the image file written.
fn project_with_back_image(image_rel: &str, bytes: &[u8]) -> TempProject {
    let p = crate::common::project_with_back_image(image_rel);
    std::fs::write(p.path(image_rel), bytes).unwrap();
    p
}

fn png_rgb(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 160]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::from(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn image_xobjects(doc: &Document) -> Vec<&lopdf::Stream> {
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image"))
        .collect()
}

#[test]
fn rgb_png_is_converted_to_cmyk() {
    // 40 mm at 600 ppi ≈ 945 px.
    let p = project_with_back_image("images/foto.png", &png_rgb(960, 720));
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = Document::load(p.path("output/d-faces.pdf")).unwrap();
    let imgs = image_xobjects(&doc);
    assert!(!imgs.is_empty());
    for s in &imgs {
        let cs = s.dict.get(b"ColorSpace").unwrap().as_name().unwrap();
        assert!(cs == b"DeviceCMYK" || cs == b"DeviceGray", "image colour space {}", String::from_utf8_lossy(cs));
    }
    assert!(imgs.iter().any(|s| s.dict.get(b"ColorSpace").unwrap().as_name().unwrap() == b"DeviceCMYK"));
}

#[test]
fn coarse_image_is_an_error_and_medium_is_a_warning() {
    // 40 mm wide: 100 px ≈ 64 ppi (error), 400 px ≈ 254 ppi (warning).
    let p = project_with_back_image("images/lille.png", &png_rgb(100, 75));
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("image images/lille.png has 64 ppi at its placed size (40.0 × 30.0 mm): too coarse for print"),
        "{e}"
    );
    assert!(e.contains("card a") && e.contains("(at cards[0].back.image)"), "{e}");
    assert!(p.pdfs().is_empty());

    // 254 ppi passes GWG 2022 (warning below 224 ppi); tryksag's own `none` condition, here on
    // the a4 sheet layout, still prefers 300 ppi.
    let p = project_with_back_image("images/mellem.png", &png_rgb(400, 300));
    p.edit("layouts/sheets/a4.json", |s| s.replacen('{', "{\n  \"print_condition\": \"none\",", 1));
    p.edit("decks/d.json", |s| s.replacen("\"layout\": \"poker\",", "\"layout\": \"poker\", \"sheets\": [\"a4\"],", 1));
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: image images/mellem.png has 254 ppi"), "{}", stderr(&o));
}

#[test]
fn cmyk_jpeg_passes_through_untouched() {
    let (w, h) = (960u16, 720u16);
    let mut px = Vec::with_capacity(w as usize * h as usize * 4);
    for y in 0..h {
        for x in 0..w {
            px.extend_from_slice(&[(x % 200) as u8, (y % 200) as u8, 40, 10]);
        }
    }
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 90).encode(&px, w, h, jpeg_encoder::ColorType::Cmyk).unwrap();
    let p = project_with_back_image("images/cmyk.jpg", &jpeg);
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = Document::load(p.path("output/d-faces.pdf")).unwrap();
    let imgs = image_xobjects(&doc);
    let s = imgs
        .iter()
        .find(|s| s.dict.get(b"Filter").and_then(Object::as_name).ok() == Some(b"DCTDecode"))
        .expect("a DCT image");
    assert_eq!(s.content, jpeg, "the JPEG must be embedded byte for byte");
    assert_eq!(s.dict.get(b"ColorSpace").unwrap().as_name().unwrap(), b"DeviceCMYK");
    if let Ok(dir) = std::env::var("TRYKSAG_KEEP") {
        std::fs::copy(p.path("output/d-faces.pdf"), std::path::Path::new(&dir).join("cmyk-jpeg.pdf")).unwrap();
    }
}

#[test]
fn missing_image_file_names_card_and_file() {
    let p = project_with_back_image("images/findes.png", &png_rgb(960, 720));
    p.edit("decks/d.json", |s| s.replace("images/findes.png", "images/findes-ikke.png"));
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("image `images/findes-ikke.png` cannot be read: no such file"), "{e}");
    assert!(e.contains("deck d, card a"), "{e}");
}
