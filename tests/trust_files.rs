//! Issue #12, "files that are not what they claim" and "paths": damaged fonts, images and output
//! profiles, decompression bombs, unbounded proof resolutions, input paths that leave the project
//! and output names that leave the output folder or collide. Every case must exit with a located
//! error, never panic, and leave nothing (not even a temporary file) in output/.

use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::{TempProject, bomb_png, bomb_png_of, card, deck, project_with_back_image, stderr};

const FONT: &str = "fonts/AtkinsonHyperlegibleNext/AtkinsonHyperlegibleNext_400Regular.ttf";

/// Every file below `dir` (recursively).
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.extend(files_below(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Exit code 1, every `needle` in stderr, no panic, and output/ holds exactly `kept` (files that
/// were there before) and no temporary file.
fn assert_refused_keeping(p: &TempProject, o: &Output, needles: &[&str], kept: &[&str]) {
    let e = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    for n in needles {
        assert!(e.contains(n), "expected {n:?} in:\n{e}");
    }
    let mut files: Vec<String> = files_below(&p.path("output"))
        .iter()
        .map(|f| f.strip_prefix(p.path("output")).unwrap().display().to_string())
        .collect();
    files.sort();
    assert_eq!(files, kept, "output/ after a refused build\n{e}");
}

fn assert_refused(p: &TempProject, o: &Output, needles: &[&str]) {
    assert_refused_keeping(p, o, needles, &[]);
}

// ---------------------------------------------------------------------------------------------
// Fonts

/// The glyph data of `c` overwritten with an empty glyph (0 contours): the font still parses,
/// but prints the character blank.
fn strip_glyph(font: &[u8], c: char) -> Vec<u8> {
    use read_fonts::{FontRef, TableProvider};
    let f = FontRef::new(font).unwrap();
    let gid = f.cmap().unwrap().map_codepoint(c).unwrap();
    let loca = f.loca(None).unwrap();
    let at = loca.get_raw(gid.to_u32() as usize).unwrap() as usize;
    let glyf = f.table_directory.table_records().iter().find(|r| r.tag() == read_fonts::types::Tag::new(b"glyf"));
    let glyf_at = glyf.unwrap().offset() as usize;
    let mut out = font.to_vec();
    // numberOfContours = 0 and an empty bounding box.
    out[glyf_at + at..glyf_at + at + 10].fill(0);
    out
}

#[test]
fn damaged_fonts_are_errors_naming_the_font_file() {
    let good = std::fs::read(crate::common::repo().join(FONT)).unwrap();
    let mut noise = vec![0u8; 40_000];
    let mut x = 7u32;
    for b in &mut noise {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        *b = (x >> 16) as u8;
    }
    // Garbage after a valid table directory: the tables' bytes are noise.
    let mut noisy_tables = good.clone();
    let n = noisy_tables.len();
    noisy_tables[n / 3..].copy_from_slice(&noise.iter().cycle().take(n - n / 3).copied().collect::<Vec<u8>>());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated to a third", good[..good.len() / 3].to_vec(), "damaged font"),
        ("truncated to the header", good[..200].to_vec(), "damaged font"),
        ("random bytes", noise.clone(), "damaged font"),
        ("noise in the tables", noisy_tables, "damaged font"),
        ("glyph for H stripped", strip_glyph(&good, 'H'), "`H` (U+0048) has no outline"),
        ("empty file", Vec::new(), "damaged font"),
    ];
    for (what, bytes, message) in cases {
        let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
        std::fs::write(p.path(FONT), &bytes).unwrap();
        for cmd in ["build", "check"] {
            let o = p.run(&[cmd]);
            assert_refused(&p, &o, &[FONT, message]);
            assert!(stderr(&o).contains(&format!("--> {FONT}")), "{what}: the location names the font\n{}", stderr(&o));
        }
    }
}

/// `font` with the table tagged `from` renamed `to` (its directory re-sorted, as readers search
/// it by tag): a glyf font whose outlines claim to be CFF2.
fn retag(font: &[u8], from: &[u8; 4], to: &[u8; 4]) -> Vec<u8> {
    let mut out = font.to_vec();
    let count = usize::from(u16::from_be_bytes([font[4], font[5]]));
    let mut records: Vec<[u8; 16]> = (0..count).map(|i| font[12 + 16 * i..28 + 16 * i].try_into().unwrap()).collect();
    let r = records.iter_mut().find(|r| &r[..4] == from).unwrap();
    r[..4].copy_from_slice(to);
    records.sort();
    for (i, r) in records.iter().enumerate() {
        out[12 + 16 * i..28 + 16 * i].copy_from_slice(r);
    }
    out
}

/// The PDF writer subsets only glyf and CFF outlines: a CFF2 font (a variable font with
/// PostScript outlines) is refused when it is read, naming the file and what to use instead,
/// rather than failing at export.
#[test]
fn a_cff2_font_is_refused_with_what_to_use_instead() {
    let good = std::fs::read(crate::common::repo().join(FONT)).unwrap();
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    std::fs::write(p.path(FONT), retag(&good, b"glyf", b"CFF2")).unwrap();
    for cmd in ["build", "check"] {
        let o = p.run(&[cmd]);
        assert_refused(&p, &o, &[&format!("--> {FONT}"), "unsuitable font", "CFF2", "use a static instance"]);
        assert!(!stderr(&o).contains("damaged"), "{}", stderr(&o));
    }
}

/// A face no style uses is never printed: its glyphs are not drawn to check them, so a stripped
/// glyph there does not stop the build; a face a style names, even only as a fallback, is checked.
#[test]
fn only_the_glyphs_of_faces_a_style_uses_are_checked() {
    const UNUSED: &str = "fonts/SourceSans3/SourceSans3_600SemiBold.ttf";
    const FALLBACK: &str = "fonts/SourceSans3/SourceSans3_400Regular.ttf";
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    for (font, refused) in [(UNUSED, false), (FALLBACK, true)] {
        let good = std::fs::read(p.path(font)).unwrap();
        std::fs::write(p.path(font), strip_glyph(&good, 'H')).unwrap();
        let o = p.run(&["build"]);
        let e = stderr(&o);
        if refused {
            assert_refused(&p, &o, &[&format!("--> {font}"), "`H` (U+0048) has no outline"]);
        } else {
            assert_eq!(o.status.code(), Some(0), "{e}");
            std::fs::remove_dir_all(p.path("output")).unwrap();
        }
        std::fs::write(p.path(font), good).unwrap();
    }
}

#[test]
fn a_font_linked_from_outside_the_project_is_refused() {
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(crate::common::repo().join(FONT), outside.path().join("x.ttf")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("x.ttf"), p.path("fonts/x.ttf")).unwrap();
    let o = p.run(&["build"]);
    assert_refused(&p, &o, &["font file `fonts/x.ttf` is a link to a file outside the project folder"]);
    // A link loop inside fonts/ is read once, not followed without end.
    std::fs::remove_file(p.path("fonts/x.ttf")).unwrap();
    std::os::unix::fs::symlink(p.path("fonts"), p.path("fonts/loop")).unwrap();
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

// ---------------------------------------------------------------------------------------------
// Images

fn jpeg(w: u16, h: u16, cmyk: bool) -> Vec<u8> {
    let n = if cmyk { 4 } else { 3 };
    let mut px = Vec::with_capacity(w as usize * h as usize * n);
    for y in 0..h {
        for x in 0..w {
            px.extend_from_slice(&[(x % 200) as u8, (y % 200) as u8, 40, 10][..n]);
        }
    }
    let mut out = Vec::new();
    let ct = if cmyk { jpeg_encoder::ColorType::Cmyk } else { jpeg_encoder::ColorType::Rgb };
    jpeg_encoder::Encoder::new(&mut out, 90).encode(&px, w, h, ct).unwrap();
    out
}

fn png_rgb(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 160]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::from(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A JPEG header (SOI, SOF0 of `w` × `h`, 3 components) with no scan data.
fn bomb_jpeg(w: u16, h: u16) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08];
    out.extend(h.to_be_bytes());
    out.extend(w.to_be_bytes());
    out.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
    out
}

#[test]
fn damaged_images_are_located_errors() {
    let cmyk = jpeg(960, 720, true);
    let rgb = jpeg(960, 720, false);
    let png = png_rgb(960, 720);
    let mut bad_crc = png.clone();
    let mid = bad_crc.len() / 2;
    bad_crc[mid] ^= 0x55;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        // CMYK JPEGs are embedded byte for byte: a cut-off one must not reach the PDF.
        ("images/cmyk-cut.jpg", cmyk[..cmyk.len() * 2 / 3].to_vec(), "truncated"),
        ("images/cmyk-header.jpg", cmyk[..300].to_vec(), "truncated"),
        ("images/rgb-cut.jpg", rgb[..rgb.len() / 2].to_vec(), "truncated"),
        ("images/cut.png", png[..png.len() / 2].to_vec(), "cannot decode"),
        ("images/crc.png", bad_crc, "cannot decode"),
        ("images/noise.png", b"\x89PNG\r\n\x1a\nnot really a png at all".to_vec(), "damaged"),
        ("images/text.jpg", b"this is a text file".to_vec(), "not a JPEG or PNG file"),
        ("images/empty.png", Vec::new(), "not a JPEG or PNG file"),
    ];
    for (rel, bytes, message) in cases {
        let p = project_with_back_image(rel);
        std::fs::write(p.path(rel), &bytes).unwrap();
        let o = p.run(&["build"]);
        assert_refused(&p, &o, &[&format!("image {rel}: "), message, "decks/d.json:", "(at cards[0].back.image)"]);
    }
}

#[test]
fn decompression_bombs_are_refused_from_the_header() {
    for (rel, bytes, size) in [
        ("images/bomb.png", bomb_png(100_000, 100_000), "100000 × 100000 pixels (10000 megapixels)"),
        ("images/wide.png", bomb_png(2_000_000, 60), "2000000 × 60 pixels (120 megapixels)"),
        ("images/bomb.jpg", bomb_jpeg(60_000, 60_000), "60000 × 60000 pixels (3600 megapixels)"),
    ] {
        let p = project_with_back_image(rel);
        std::fs::write(p.path(rel), &bytes).unwrap();
        let o = p.run(&["build"]);
        assert_refused(&p, &o, &[size, "more than the 100 megapixels allowed", "(at cards[0].back.image)"]);
    }
    // 72 megapixels is allowed, but at 16 bits per RGBA channel it decodes to 576 MB.
    let p = project_with_back_image("images/deep.png");
    std::fs::write(p.path("images/deep.png"), bomb_png_of(9000, 8000, 16, 6)).unwrap();
    let o = p.run(&["build"]);
    assert_refused(&p, &o, &["image images/deep.png: decoding needs 576 MB, more than the 536 MB allowed"]);
}

// ---------------------------------------------------------------------------------------------
// Output profiles

/// A deck imposed on a4, whose sheet layout names `rel` as its output profile.
fn project_with_sheet_profile(rel: &str) -> TempProject {
    let p = TempProject::with_deck(
        &deck(&card("a", "Hvordan går det?"))
            .replace("\"layout\": \"poker\",", "\"layout\": \"poker\",\n  \"sheets\": [\"a4\"],"),
    );
    p.edit("layouts/sheets/a4.json", |s| {
        s.replace(
            "\"slug\": true,",
            &format!("\"slug\": true,\n  \"output_intent\": {{ \"profile\": \"{rel}\", \"identifier\": \"X\" }},"),
        )
    });
    p
}

#[test]
fn damaged_or_wrong_profiles_are_errors_naming_file_and_key() {
    let fogra = std::fs::read(crate::common::repo().join("layouts/profiles/CoatedFOGRA39.icc")).unwrap();
    let mut noisy = fogra.clone();
    let mut x = 3u32;
    for b in &mut noisy[400..] {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        *b = (x >> 16) as u8;
    }
    let srgb = moxcms::ColorProfile::new_srgb().encode().unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("srgb", srgb, "mntr"),
        ("half", fogra[..fogra.len() / 2].to_vec(), "truncated"),
        ("header", fogra[..1000].to_vec(), "truncated"),
        // The header is intact: only parsing the tags finds this.
        ("noisy", noisy, "the profile"),
        ("random", b"random bytes, not an icc profile at all, but long enough to have a header..........................................................................................................................".to_vec(), "not an icc profile"),
    ];
    for (name, bytes, message) in cases {
        let rel = format!("layouts/profiles/{name}.icc");
        let p = project_with_sheet_profile(&rel);
        std::fs::write(p.path(&rel), &bytes).unwrap();
        let o = p.run(&["check"]);
        assert_refused(
            &p,
            &o,
            &[&format!("output profile {rel}: "), message, "layouts/sheets/a4.json:", "(at output_intent.profile)"],
        );
        let o = p.run(&["build"]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{e}");
        assert!(!p.path("output/d-a4.pdf").exists() && !e.contains("panicked"), "{name}: {e}");
        assert!(
            files_below(&p.path("output")).iter().all(|f| !f.file_name().unwrap().to_string_lossy().starts_with('.'))
        );
    }
}

#[test]
fn a_damaged_default_profile_stops_the_build() {
    let p = TempProject::copy();
    std::fs::write(p.path("layouts/profiles/CoatedFOGRA39.icc"), b"not a profile").unwrap();
    let o = p.run(&["build"]);
    assert_refused(&p, &o, &["output profile layouts/profiles/CoatedFOGRA39.icc: "]);
}

// ---------------------------------------------------------------------------------------------
// Input paths

#[test]
fn image_paths_outside_the_project_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.png"), png_rgb(960, 720)).unwrap();
    let abs = outside.path().join("x.png").display().to_string();
    for (rel, message) in [
        ("../x.png", "leaves the project folder"),
        ("images/../../x.png", "leaves the project folder"),
        (abs.as_str(), "is an absolute path"),
        ("images/link.png", "is a link to a file outside the project folder"),
        ("images", "is a folder, not a file"),
        ("images\\\\x.png", "contains `\\`"),
    ] {
        let p = project_with_back_image(rel);
        std::os::unix::fs::symlink(outside.path().join("x.png"), p.path("images/link.png")).unwrap();
        let o = p.run(&["build"]);
        let shown = rel.replace("\\\\", "\\");
        assert_refused(&p, &o, &[&format!("image `{shown}` {message}"), "decks/d.json:", "(at cards[0].back.image)"]);
    }
}

#[test]
fn a_layout_image_src_and_a_profile_outside_the_project_are_refused() {
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    p.edit("layouts/cards/poker.json", |s| {
        let anchor = "\"fill\": \"backdrop\", \"bleed\": true },";
        s.replacen(anchor, &format!("{anchor}\n    {{ \"type\": \"image\", \"src\": \"/etc/passwd\", \"x\": 11.5, \"y\": 50, \"width\": 40, \"height\": 30 }},"), 1)
    });
    let o = p.run(&["build"]);
    assert_refused(&p, &o, &["image `/etc/passwd` is an absolute path", "layouts/cards/poker.json:", ".src)"]);

    let p = project_with_sheet_profile("../CoatedFOGRA39.icc");
    let o = p.run(&["check"]);
    assert_refused(
        &p,
        &o,
        &["output profile `../CoatedFOGRA39.icc` leaves the project folder", "(at output_intent.profile)"],
    );
}

#[test]
fn project_files_linked_from_outside_or_not_regular_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.json"), deck(&card("b", "Udefra?"))).unwrap();
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    std::os::unix::fs::symlink(outside.path().join("x.json"), p.path("decks/x.json")).unwrap();
    let o = p.run(&["build"]);
    assert_refused_keeping(
        &p,
        &o,
        &["file `decks/x.json` is a link to a file outside the project folder", "--> decks/x.json"],
        &["d-faces.pdf", "d-screen.pdf"],
    );
    // A FIFO would block a reader for ever; it is refused without being opened.
    std::fs::remove_file(p.path("decks/x.json")).unwrap();
    std::fs::remove_dir_all(p.path("output")).unwrap();
    let made = std::process::Command::new("mkfifo").arg(p.path("layouts/sheets/fifo.json")).status().unwrap();
    assert!(made.success());
    let o = p.run(&["check"]);
    assert_refused(&p, &o, &["file `layouts/sheets/fifo.json` is not a regular file"]);
}

// ---------------------------------------------------------------------------------------------
// Output names

fn set_folder(p: &TempProject, run: &str, folder: &str) {
    p.edit(&format!("layouts/runs/{run}.json"), |s| {
        s.replacen("\"region\":", &format!("\"folder\": {},\n  \"region\":", serde_json::json!(folder)), 1)
    });
}

#[test]
fn run_folders_must_be_one_plain_name_inside_the_output_folder() {
    let escape = tempfile::tempdir().unwrap();
    let abs = escape.path().join("x").display().to_string();
    for (folder, message) in [
        ("..", "starts with `.`"),
        ("../ude", "path separator"),
        (abs.as_str(), "path separator"),
        ("", "the name is empty"),
        ("  ", "the name is empty"),
        (".", "starts with `.`"),
        ("a/b", "path separator"),
        (".skjult", "starts with `.`"),
    ] {
        let p = TempProject::copy();
        set_folder(&p, "hovedstaden", folder);
        let o = p.run(&["build"]);
        assert_refused(&p, &o, &["run folder: ", message, "layouts/runs/hovedstaden.json:4:", "(at folder)"]);
        assert!(files_below(escape.path()).is_empty(), "{folder}: wrote outside the output folder");
        assert!(!p.path("ude").exists() && !p.path("jobseddel.json").exists());
    }
}

#[test]
fn a_run_folder_that_is_a_link_out_of_the_output_folder_is_refused() {
    let elsewhere = tempfile::tempdir().unwrap();
    let p = TempProject::copy();
    std::fs::create_dir_all(p.path("output")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), p.path("output/hovedstaden")).unwrap();
    let o = p.run(&["build"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(
        e.contains("(the folder of run `hovedstaden`) is a link or a file, not a folder") && !e.contains("panicked"),
        "{e}"
    );
    assert!(files_below(elsewhere.path()).is_empty(), "wrote through the link");
    assert!(p.pdfs().is_empty(), "nothing is written");
}

#[test]
fn two_outputs_writing_the_same_file_are_refused_before_writing() {
    // Two runs with one folder.
    let p = TempProject::copy();
    set_folder(&p, "hovedstaden", "samme");
    set_folder(&p, "sjaelland", "samme");
    let o = p.run(&["build"]);
    assert_refused(
        &p,
        &o,
        &[
            "output/samme would be written twice: by run `sjaelland` (its folder) and by run `hovedstaden` (its folder) (layouts/runs/hovedstaden.json:",
            "--> layouts/runs/sjaelland.json:",
        ],
    );
    // The same differing only in case (one folder on macOS and Windows).
    let p = TempProject::copy();
    set_folder(&p, "hovedstaden", "Samme");
    set_folder(&p, "sjaelland", "samme");
    assert_refused(&p, &p.run(&["build"]), &["would be written twice"]);

    // A sheet layout named `faces` makes <deck>-faces.pdf twice; an earlier file stays untouched.
    let p = TempProject::copy();
    std::fs::copy(p.path("layouts/sheets/a4.json"), p.path("layouts/sheets/faces.json")).unwrap();
    p.edit("decks/dialogkort.json", |s| s.replacen("\"sheets\": [\"a4\",", "\"sheets\": [\"faces\", \"a4\",", 1));
    p.write("output/dialogkort-faces.pdf", "from an earlier build");
    let o = p.run(&["build"]);
    assert_refused_keeping(
        &p,
        &o,
        &[
            "output/dialogkort-faces.pdf would be written twice: by deck `dialogkort` on sheet layout `faces` and by deck `dialogkort` (decks/dialogkort.json:1:1)",
            "(at sheets[0])",
        ],
        &["dialogkort-faces.pdf"],
    );
    assert_eq!(std::fs::read_to_string(p.path("output/dialogkort-faces.pdf")).unwrap(), "from an earlier build");
    // `check` reports the same and `calibrate` writes nothing either.
    assert_refused_keeping(&p, &p.run(&["check"]), &["would be written twice"], &["dialogkort-faces.pdf"]);
    assert_refused_keeping(&p, &p.run(&["calibrate", "a4"]), &["would be written twice"], &["dialogkort-faces.pdf"]);

    // The same product twice in one run.
    let p = TempProject::copy();
    p.edit("layouts/runs/hovedstaden.json", |s| {
        s.replacen(
            "\"products\": [",
            "\"products\": [\n    { \"product\": \"jobcenter-folder\", \"quantity\": 10 },",
            1,
        )
    });
    let o = p.run(&["build"]);
    assert_refused(
        &p,
        &o,
        &["output/hovedstaden/jobcenter-folder-print.pdf would be written twice", "(at products[2])"],
    );
}

// ---------------------------------------------------------------------------------------------
// Proof resolution

#[test]
fn proof_dpi_outside_its_range_is_a_usage_error() {
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    for dpi in ["0", "-5", "NaN", "inf", "1e9", "9", "1201", "abc", ""] {
        let o = p.run(&["proof", "--dpi", dpi]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "--dpi {dpi:?}: {e}");
        assert!(e.contains("from 10 to 1200 dpi") && !e.contains("panicked"), "--dpi {dpi:?}: {e}");
        assert!(files_below(&p.path("output")).is_empty());
    }
}

#[test]
fn the_proof_renderer_refuses_absurd_pixmaps() {
    // A 5 × 5 m page at 1200 dpi would be 54 000 megapixels.
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14000 14000] >>",
    ];
    let mut bytes = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(bytes.len());
        bytes.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = bytes.len();
    bytes.extend(b"xref\n0 4\n0000000000 65535 f \n");
    for o in offsets {
        bytes.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    bytes.extend(format!("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    let e = tryksag::proof::rasterize(&bytes, 1200.0).unwrap_err().to_string();
    assert!(e.contains("megapixels") && e.contains("lower --dpi"), "{e}");
    assert!(tryksag::proof::rasterize(&bytes, 0.0).unwrap_err().to_string().contains("invalid resolution"));
    assert!(tryksag::proof::rasterize(&bytes, f32::NAN).unwrap_err().to_string().contains("invalid resolution"));
}
