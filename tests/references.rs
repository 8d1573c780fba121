//! Reference tests in the style of resvg and krilla: every folder in `tests/refs/` is one tiny
//! project that shows one thing (a justified line with a hyphen, a crop-mark corner, a mirrored
//! back …). The binary builds it, and the PDF it writes is compared with two files committed
//! beside the inputs:
//!
//! - `ref.png`: the pages, rendered with hayro at a low resolution (cropped to the case);
//! - `ref.pdf.txt`: a readable snapshot of the PDF (objects in file order, content streams
//!   decompressed, binary streams as their size and SHA-256).
//!
//! A mismatch fails the case's own test and writes `new.png`, `diff.png` and `new.pdf.txt` next
//! to the references; `UPDATE_REFS=1 cargo test --release references::` rewrites them.
//! `tests/refs/README.md` says how to add a case.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};
use lopdf::{Dictionary, Object, StringFormat, xref::XrefEntry};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The fixed creation time of every reference build (outputs are deterministic given it).
const SOURCE_DATE_EPOCH: &str = "1700000000";

/// Largest difference of one colour channel that still counts as the same pixel. hayro's
/// rasteriser (vello_cpu) picks a SIMD path by CPU at run time, and those paths may round
/// anti-aliased edges one or two levels apart; a moved glyph or mark changes pixels by far more
/// (and changes the PDF snapshot, which is compared exactly).
const CHANNEL_TOLERANCE: u8 = 2;

/// Grey between pages in a reference image.
const GAP_GREY: [u8; 3] = [128, 128, 128];
const GAP_PX: u32 = 3;

/// `case.json`: what to build in a case and what to look at.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// One sentence: what this case shows (for the reader; not used).
    #[allow(dead_code)]
    about: String,
    /// Arguments to `tryksag` (`--root <project>` is appended).
    args: Vec<String>,
    /// The PDF to compare, relative to the project folder.
    pdf: String,
    /// Pages to render, 1-based (default: all).
    #[serde(default)]
    pages: Option<Vec<usize>>,
    /// Rendering resolution.
    #[serde(default = "default_dpi")]
    dpi: f32,
    /// Part of every rendered page to keep, in mm from the page's top-left corner.
    #[serde(default)]
    crop: Option<Crop>,
}

fn default_dpi() -> f32 {
    36.0
}

#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
struct Crop {
    x: f32,
    y: f32,
    width: f32,
    height: f32,
}

/// Files in a case folder that are the test's own, not project inputs.
const CASE_FILES: [&str; 6] = ["case.json", "ref.png", "ref.pdf.txt", "new.png", "diff.png", "new.pdf.txt"];

fn refs_dir() -> PathBuf {
    crate::common::repo().join("tests/refs")
}

fn copy_tree(from: &Path, to: &Path, skip: &[&str]) {
    std::fs::create_dir_all(to).unwrap();
    let mut entries: Vec<_> = std::fs::read_dir(from).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_str().unwrap();
        if skip.contains(&name) {
            continue;
        }
        let dest = to.join(name);
        if p.is_dir() {
            copy_tree(&p, &dest, &[]);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// Builds case `name` in a temporary project (the repository's fonts and profiles, plus the
/// case's inputs) and returns the PDF's bytes and the case description.
fn build_case(name: &str) -> (Case, Vec<u8>) {
    let dir = refs_dir().join(name);
    let case: Case = serde_json::from_str(&std::fs::read_to_string(dir.join("case.json")).unwrap())
        .unwrap_or_else(|e| panic!("case `{name}`: bad case.json: {e}"));
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&crate::common::repo().join("fonts"), &tmp.path().join("fonts"), &[]);
    copy_tree(&crate::common::repo().join("layouts/profiles"), &tmp.path().join("layouts/profiles"), &[]);
    copy_tree(&dir, tmp.path(), &CASE_FILES);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(&case.args)
        .arg("--root")
        .arg(tmp.path())
        .env("SOURCE_DATE_EPOCH", SOURCE_DATE_EPOCH)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "case `{name}`: tryksag {} failed:\n{}",
        case.args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = std::fs::read(tmp.path().join(&case.pdf))
        .unwrap_or_else(|e| panic!("case `{name}`: {} was not written: {e}", case.pdf));
    (case, pdf)
}

// ---------------------------------------------------------------------------------------------
// Images

/// An RGB8 image.
#[derive(Clone, PartialEq, Debug)]
struct Rgb {
    w: u32,
    h: u32,
    px: Vec<u8>,
}

impl Rgb {
    fn new(w: u32, h: u32, fill: [u8; 3]) -> Rgb {
        Rgb { w, h, px: fill.repeat((w * h) as usize) }
    }

    fn get(&self, x: u32, y: u32) -> Option<[u8; 3]> {
        (x < self.w && y < self.h).then(|| {
            let i = ((y * self.w + x) * 3) as usize;
            [self.px[i], self.px[i + 1], self.px[i + 2]]
        })
    }

    fn set(&mut self, x: u32, y: u32, c: [u8; 3]) {
        let i = ((y * self.w + x) * 3) as usize;
        self.px[i..i + 3].copy_from_slice(&c);
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, self.w, self.h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::High);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&self.px).unwrap();
        w.finish().unwrap();
        out
    }

    fn decode(bytes: &[u8]) -> Rgb {
        let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Png).unwrap().to_rgb8();
        Rgb { w: img.width(), h: img.height(), px: img.into_raw() }
    }
}

/// Renders the chosen pages of `pdf`, crops each and stacks them top to bottom with a grey gap.
fn render(pdf: &[u8], case: &Case) -> Rgb {
    let data = Arc::new(pdf.to_vec());
    let doc = Pdf::new(data).expect("hayro cannot read the PDF");
    let pages = doc.pages();
    let wanted: Vec<usize> = match &case.pages {
        Some(p) => p.clone(),
        None => (1..=pages.len()).collect(),
    };
    let scale = case.dpi / 72.0;
    let cache = RenderCache::new();
    let interp = InterpreterSettings::default();
    let pix = PixmapSettings { x_scale: scale, y_scale: scale, bg_color: WHITE };
    let mut parts = Vec::new();
    for n in wanted {
        let page = pages.get(n - 1).unwrap_or_else(|| panic!("the PDF has no page {n}"));
        let pm = hayro::render(page, &cache, &interp, &RenderSettings::default(), &pix);
        let (w, h) = (u32::from(pm.width()), u32::from(pm.height()));
        // Opaque white background: premultiplied and straight alpha are the same bytes.
        let rgba = pm.data_as_u8_slice();
        let px_per_mm = case.dpi / 25.4;
        let (x0, y0, cw, ch) = match case.crop {
            Some(c) => {
                let x0 = ((c.x * px_per_mm).round() as u32).min(w);
                let y0 = ((c.y * px_per_mm).round() as u32).min(h);
                let cw = ((c.width * px_per_mm).round() as u32).min(w - x0);
                let ch = ((c.height * px_per_mm).round() as u32).min(h - y0);
                (x0, y0, cw, ch)
            }
            None => (0, 0, w, h),
        };
        let mut img = Rgb::new(cw, ch, [0; 3]);
        for y in 0..ch {
            for x in 0..cw {
                let i = (((y + y0) * w + x + x0) * 4) as usize;
                img.set(x, y, [rgba[i], rgba[i + 1], rgba[i + 2]]);
            }
        }
        parts.push(img);
    }
    stack(&parts)
}

fn stack(parts: &[Rgb]) -> Rgb {
    let w = parts.iter().map(|p| p.w).max().unwrap_or(0);
    let h = parts.iter().map(|p| p.h).sum::<u32>() + GAP_PX * (parts.len().saturating_sub(1) as u32);
    let mut out = Rgb::new(w, h, GAP_GREY);
    let mut top = 0;
    for p in parts {
        for y in 0..p.h {
            for x in 0..p.w {
                out.set(x, top + y, p.get(x, y).unwrap());
            }
        }
        top += p.h + GAP_PX;
    }
    out
}

/// How two images differ: the number of pixels that differ by more than the tolerance in any
/// channel (every pixel counts when the sizes differ), and an image showing where.
struct ImageDiff {
    changed: usize,
    size_differs: bool,
    picture: Rgb,
}

/// Compares `new` with `reference`. The diff picture shows the reference faded to light grey
/// and every changed pixel in red (pixels only one image has: magenta).
fn compare_images(reference: &Rgb, new: &Rgb, tolerance: u8) -> ImageDiff {
    let (w, h) = (reference.w.max(new.w), reference.h.max(new.h));
    let mut picture = Rgb::new(w, h, [255, 0, 255]);
    let mut changed = 0;
    for y in 0..h {
        for x in 0..w {
            match (reference.get(x, y), new.get(x, y)) {
                (Some(a), Some(b)) => {
                    if a.iter().zip(b).any(|(p, q)| p.abs_diff(q) > tolerance) {
                        changed += 1;
                        picture.set(x, y, [255, 0, 0]);
                    } else {
                        let luma = (u32::from(a[0]) * 3 + u32::from(a[1]) * 6 + u32::from(a[2])) / 10;
                        let faded = (191 + luma / 4) as u8;
                        picture.set(x, y, [faded; 3]);
                    }
                }
                _ => changed += 1,
            }
        }
    }
    ImageDiff { changed, size_differs: (reference.w, reference.h) != (new.w, new.h), picture }
}

// ---------------------------------------------------------------------------------------------
// PDF snapshot

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn binary(bytes: &[u8]) -> String {
    format!("<binary {} bytes sha256 {}>", bytes.len(), hex(&Sha256::digest(bytes)))
}

fn name(n: &[u8]) -> String {
    let mut s = String::from("/");
    for &b in n {
        if b.is_ascii_graphic() && !b"#()<>[]{}/%".contains(&b) {
            s.push(b as char);
        } else {
            write!(s, "#{b:02X}").unwrap();
        }
    }
    s
}

fn string(bytes: &[u8], format: StringFormat) -> String {
    match format {
        StringFormat::Hexadecimal => format!("<{}>", hex(bytes)),
        StringFormat::Literal => {
            let mut s = String::from("(");
            for &b in bytes {
                match b {
                    b'(' | b')' | b'\\' => write!(s, "\\{}", b as char).unwrap(),
                    0x20..=0x7e => s.push(b as char),
                    _ => write!(s, "\\{b:03o}").unwrap(),
                }
            }
            s.push(')');
            s
        }
    }
}

/// One object as text; dictionaries and arrays that are short stay on one line.
fn object(o: &Object, indent: usize) -> String {
    match o {
        Object::Null => "null".into(),
        Object::Boolean(b) => b.to_string(),
        Object::Integer(i) => i.to_string(),
        Object::Real(r) => format!("{r}"),
        Object::Name(n) => name(n),
        Object::String(s, f) => string(s, *f),
        Object::Reference((id, g)) => format!("{id} {g} R"),
        Object::Array(items) => {
            let parts: Vec<String> = items.iter().map(|i| object(i, indent + 1)).collect();
            let inline = format!("[{}]", parts.join(" "));
            if inline.len() <= 100 && !inline.contains('\n') {
                return inline;
            }
            // Long arrays (widths, number lists) wrap like a paragraph, 100 characters a line.
            let pad = "  ".repeat(indent + 1);
            let mut lines = vec![String::new()];
            for p in parts {
                let last = lines.last_mut().unwrap();
                if !last.is_empty() && (last.len() + p.len() + 1 > 100 || p.contains('\n')) {
                    lines.push(String::new());
                }
                let last = lines.last_mut().unwrap();
                if !last.is_empty() {
                    last.push(' ');
                }
                last.push_str(&p);
            }
            let body: Vec<String> = lines.iter().map(|l| format!("{pad}{l}")).collect();
            format!("[\n{}\n{}]", body.join("\n"), "  ".repeat(indent))
        }
        Object::Dictionary(d) => dictionary(d, indent),
        Object::Stream(s) => dictionary(&s.dict, indent),
    }
}

fn dictionary(d: &Dictionary, indent: usize) -> String {
    let pairs: Vec<(String, &Object)> = d.iter().map(|(k, v)| (name(k), v)).collect();
    let inline =
        format!("<<{}>>", pairs.iter().map(|(k, v)| format!(" {k} {}", object(v, indent))).collect::<String>() + " ");
    if inline.len() <= 100 && !inline.contains('\n') && !pairs.iter().any(|(_, v)| matches!(v, Object::Dictionary(_))) {
        return inline;
    }
    let pad = "  ".repeat(indent + 1);
    let mut s = String::from("<<\n");
    for (k, v) in pairs {
        writeln!(s, "{pad}{k} {}", object(v, indent + 1)).unwrap();
    }
    s + &"  ".repeat(indent) + ">>"
}

/// Stream data as text when it is text (content streams, CMaps, XMP), else as its size and hash.
fn stream_body(s: &lopdf::Stream) -> String {
    let is_image = s.dict.get(b"Subtype").ok().and_then(|o| o.as_name().ok()) == Some(b"Image".as_slice());
    let data = if is_image { None } else { s.decompressed_content().ok() };
    let Some(data) = data else {
        return format!("{}\n", binary(&s.content));
    };
    let texty = data.iter().filter(|&&b| b >= 0x20 || b"\n\r\t".contains(&b)).count();
    if data.is_empty() {
        return String::new();
    }
    if texty * 100 < data.len() * 97 || std::str::from_utf8(&data).is_err() && data.len() > 4096 {
        return format!("{}\n", binary(&data));
    }
    let text = match std::str::from_utf8(&data) {
        Ok(t) => t.to_owned(),
        Err(_) => {
            let mut t = String::new();
            for &b in &data {
                if b.is_ascii() && (b >= 0x20 || b"\n\r\t".contains(&b)) {
                    t.push(b as char);
                } else {
                    write!(t, "\\x{b:02x}").unwrap();
                }
            }
            t
        }
    };
    // Trailing spaces dropped and runs of blank lines (XMP padding) counted, for readability.
    let mut t = String::new();
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        match blank {
            0 => {}
            1 => t.push('\n'),
            n => writeln!(t, "<{n} blank lines>").unwrap(),
        }
        blank = 0;
        t.push_str(line);
        t.push('\n');
    }
    if blank > 1 {
        writeln!(t, "<{blank} blank lines>").unwrap();
    }
    t
}

/// A readable, stable snapshot of a PDF: the header, every object in the order of its offset in
/// the file (objects inside object streams after their container), the trailer and the file's
/// length.
fn snapshot(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf cannot read the PDF");
    let header = pdf.split(|&b| b == b'\n').next().unwrap_or_default();
    let mut out = format!("{}\n", String::from_utf8_lossy(header).trim_end());
    let position = |id: u32| match doc.reference_table.get(id) {
        Some(XrefEntry::Normal { offset, .. }) => (u64::from(*offset), 0u32, id),
        Some(XrefEntry::Compressed { container, index }) => match doc.reference_table.get(*container) {
            Some(XrefEntry::Normal { offset, .. }) => (u64::from(*offset), u32::from(*index) + 1, id),
            _ => (u64::MAX, 0, id),
        },
        _ => (u64::MAX, 0, id),
    };
    let mut ids: Vec<_> = doc.objects.keys().copied().collect();
    ids.sort_by_key(|(id, _)| position(*id));
    for id in ids {
        let o = &doc.objects[&id];
        writeln!(out, "\n{} {} obj", id.0, id.1).unwrap();
        writeln!(out, "{}", object(o, 0)).unwrap();
        if let Object::Stream(s) = o {
            out.push_str("stream\n");
            out.push_str(&stream_body(s));
            out.push_str("endstream\n");
        }
    }
    writeln!(out, "\ntrailer\n{}", dictionary(&doc.trailer, 0)).unwrap();
    // Last, so that the first difference reported is the object that changed, not the length.
    writeln!(out, "\n{} bytes in all", pdf.len()).unwrap();
    out
}

// ---------------------------------------------------------------------------------------------
// Running a case

fn updating() -> bool {
    std::env::var_os("UPDATE_REFS").is_some_and(|v| v != "0" && !v.is_empty())
}

fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}: reference `{x}`, new `{y}`", i + 1);
        }
    }
    format!("the reference has {} lines, the new snapshot {}", a.lines().count(), b.lines().count())
}

fn run_case(name: &str) {
    let dir = refs_dir().join(name);
    let (case, pdf) = build_case(name);
    let image = render(&pdf, &case);
    let text = snapshot(&pdf);
    let (ref_png, ref_txt) = (dir.join("ref.png"), dir.join("ref.pdf.txt"));
    let (new_png, diff_png, new_txt) = (dir.join("new.png"), dir.join("diff.png"), dir.join("new.pdf.txt"));
    for stale in [&new_png, &diff_png, &new_txt] {
        let _ = std::fs::remove_file(stale);
    }
    if updating() {
        std::fs::write(&ref_png, image.encode()).unwrap();
        std::fs::write(&ref_txt, &text).unwrap();
        return;
    }
    let mut failures = Vec::new();
    match std::fs::read(&ref_png) {
        Ok(bytes) => {
            let d = compare_images(&Rgb::decode(&bytes), &image, CHANNEL_TOLERANCE);
            if d.changed > 0 {
                std::fs::write(&new_png, image.encode()).unwrap();
                std::fs::write(&diff_png, d.picture.encode()).unwrap();
                let size = if d.size_differs { " (the size differs)" } else { "" };
                failures.push(format!("{} pixels differ{size}; see new.png and diff.png", d.changed));
            }
        }
        Err(_) => {
            std::fs::write(&new_png, image.encode()).unwrap();
            failures.push("ref.png is missing; new.png written".into());
        }
    }
    match std::fs::read_to_string(&ref_txt) {
        Ok(reference) if reference == text => {}
        Ok(reference) => {
            std::fs::write(&new_txt, &text).unwrap();
            failures
                .push(format!("the PDF snapshot differs at {}; see new.pdf.txt", first_difference(&reference, &text)));
        }
        Err(_) => {
            std::fs::write(&new_txt, &text).unwrap();
            failures.push("ref.pdf.txt is missing; new.pdf.txt written".into());
        }
    }
    assert!(
        failures.is_empty(),
        "reference case `{name}` ({}) does not match:\n  {}\n(if the change is intended: UPDATE_REFS=1 cargo test --release references::)",
        dir.display(),
        failures.join("\n  ")
    );
}

/// One `#[test]` per case folder, so a failure names its case.
macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        const CASES: &[&str] = &[$(stringify!($name)),*];
        $( #[test] fn $name() { run_case(stringify!($name)); } )*
    };
}

cases! {
    calibration_sheet,
    card_back_common,
    card_back_own_text,
    category_band,
    crop_mark_corner,
    duplex_back_extra_bleed,
    duplex_back_offset,
    duplex_long_flip,
    duplex_short_flip,
    faces_crop_marks,
    image_at_bleed,
    image_cmyk_jpeg,
    image_fit_contain,
    image_fit_cover,
    image_fit_stretch,
    job_ticket,
    leaflet_flow_across_panels,
    leaflet_gate_fold,
    leaflet_half_fold,
    leaflet_image_in_flow,
    leaflet_roll_fold,
    leaflet_roll_panel_edge,
    leaflet_screen_srgb,
    leaflet_z_fold,
    line_widths,
    marks_fronts_only,
    marks_unprintable,
    office_deck_a4,
    office_leaflet_no_bleed,
    pdf_art_on_card,
    pdfx_x1a,
    print_shop_deck_faces,
    rect_bleed,
    rect_stroke,
    region_contact_block,
    registration_marks,
    sheet_fill_repeat,
    sheet_grid_gutter,
    sheet_grid_shared,
    sheet_origin,
    sheet_rotate,
    slug_line,
    spot_colour,
    template_placeholders,
    text_align_center,
    text_align_left,
    text_align_right,
    svg_art_on_card,
    text_auto_fit,
    text_colour,
    text_font_fallback,
    text_hyphenation_exception,
    text_justify_hyphen,
    text_leading,
    text_markup,
    text_paragraphs_list,
    text_soft_hyphen,
    text_tracking,
    text_uppercase,
    valign_bottom,
    valign_middle,
}

#[test]
fn every_case_folder_is_listed() {
    let mut folders: Vec<String> = std::fs::read_dir(refs_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut listed: Vec<String> = CASES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(folders, listed, "every folder in tests/refs/ must be listed in cases! {{ … }} and vice versa");
}

// ---------------------------------------------------------------------------------------------
// The comparison itself

#[test]
fn identical_images_compare_equal() {
    let a = Rgb::new(4, 3, [10, 20, 30]);
    let d = compare_images(&a, &a.clone(), CHANNEL_TOLERANCE);
    assert_eq!(d.changed, 0);
    assert!(!d.size_differs);
    assert!(
        d.picture.px.chunks(3).all(|p| p[0] == p[1] && p[1] == p[2] && p[0] >= 191),
        "unchanged pixels are faded grey"
    );
}

#[test]
fn a_difference_within_the_tolerance_is_no_change() {
    let a = Rgb::new(4, 3, [100, 100, 100]);
    let mut b = a.clone();
    b.set(1, 1, [100 + CHANNEL_TOLERANCE, 100 - CHANNEL_TOLERANCE, 100]);
    assert_eq!(compare_images(&a, &b, CHANNEL_TOLERANCE).changed, 0);
    b.set(2, 2, [100, 100, 101 + CHANNEL_TOLERANCE]);
    let d = compare_images(&a, &b, CHANNEL_TOLERANCE);
    assert_eq!(d.changed, 1, "one channel one level past the tolerance is a change");
    assert_eq!(d.picture.get(2, 2), Some([255, 0, 0]), "the changed pixel is red in the diff");
    assert_ne!(d.picture.get(1, 1), Some([255, 0, 0]));
}

#[test]
fn a_size_change_counts_the_missing_pixels() {
    let a = Rgb::new(4, 3, [0, 0, 0]);
    let b = Rgb::new(4, 4, [0, 0, 0]);
    let d = compare_images(&a, &b, CHANNEL_TOLERANCE);
    assert!(d.size_differs);
    assert_eq!(d.changed, 4, "the new row is 4 pixels only one image has");
    assert_eq!((d.picture.w, d.picture.h), (4, 4));
    assert_eq!(d.picture.get(0, 3), Some([255, 0, 255]));
}

#[test]
fn images_survive_the_png_round_trip() {
    let mut a = Rgb::new(5, 2, [1, 2, 3]);
    a.set(4, 1, [250, 0, 7]);
    assert_eq!(Rgb::decode(&a.encode()), a);
}

#[test]
fn pages_are_stacked_with_a_grey_gap() {
    let s = stack(&[Rgb::new(2, 1, [0; 3]), Rgb::new(3, 2, [255; 3])]);
    assert_eq!((s.w, s.h), (3, 1 + GAP_PX + 2));
    assert_eq!(s.get(2, 0), Some(GAP_GREY), "a narrower page leaves grey beside it");
    assert_eq!(s.get(0, 1), Some(GAP_GREY));
    assert_eq!(s.get(2, 1 + GAP_PX), Some([255; 3]));
}
