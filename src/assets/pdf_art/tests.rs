//! The PDF artwork reader on hand-written files: what it accepts, what it refuses and why, and
//! hostile structure (cycles, deep nesting, decompression bombs).

use std::io::Write as _;
use std::path::Path;
use std::sync::Arc;

use super::*;

/// A PDF whose objects are `objects` (object 1 first, numbered in order), with object 1 as the
/// catalog, and a correct cross-reference table.
fn pdf<T: AsRef<[u8]>>(version: &str, objects: &[T]) -> Vec<u8> {
    let mut out = format!("%PDF-{version}\n%\u{e2}\u{e3}\n").into_bytes();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o.as_ref());
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

fn stream(dict: &str, data: &[u8]) -> String {
    // Content here is ASCII; a Latin-1 round trip keeps compressed bytes as they are.
    let body: String = data.iter().map(|&b| char::from(b)).collect();
    format!("<< /Length {} {dict} >>\nstream\n{body}\nendstream", data.len())
}

/// A one-page PDF (50 × 40 pt) with `content` and `resources`, and `extra` objects from 5 on.
fn page_pdf(content: &str, resources: &str, extra: &[String]) -> Vec<u8> {
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 50 40] /Contents 4 0 R /Resources << {resources} >> >>"),
        stream("", content.as_bytes()),
    ];
    objects.extend_from_slice(extra);
    pdf("1.6", &objects)
}

fn check(bytes: Vec<u8>, page: usize) -> Result<PdfArt, PdfArtError> {
    let bytes = Arc::new(bytes);
    let pdf = read_pdf(bytes.clone())?;
    check_page(Path::new("art/x.pdf"), &pdf, &bytes, page)
}

#[test]
fn a_cmyk_page_is_read_with_its_size_and_ink() {
    let art = check(page_pdf("0 0.8 0.6 0 k 0 0 50 40 re f 0.5 g 0 0 5 5 re f", "", &[]), 1).unwrap();
    assert_eq!((art.width, art.height, art.page, art.index()), (50.0, 40.0, 1, 0));
    assert!((art.ink.max_total - 140.0).abs() < 1e-9 && (art.ink.max_cmy - 140.0).abs() < 1e-9, "{:?}", art.ink);
}

#[test]
fn rgb_in_any_form_is_refused_and_named() {
    let rgb = |content: &str, res: &str, extra: &[String]| match check(page_pdf(content, res, extra), 1) {
        Err(PdfArtError::Rgb { what, .. }) => what,
        other => panic!("{other:?}"),
    };
    assert_eq!(rgb("1 0 0 rg 0 0 5 5 re f", "", &[]), "rgb colour in the content");
    assert_eq!(rgb("/DeviceRGB cs 1 0 0 sc", "", &[]), "rgb colour in the content");
    assert_eq!(rgb("/C0 cs 1 0 0 sc", "/ColorSpace << /C0 /DeviceRGB >>", &[]), "an rgb colour space");
    assert_eq!(rgb("BI /W 1 /H 1 /CS /RGB /BPC 8 ID \u{1}\u{2}\u{3} EI", "", &[]), "an rgb inline image");
    assert_eq!(
        rgb("/C0 cs 1 sc", "/ColorSpace << /C0 [/ICCBased 5 0 R] >>", &[stream("/N 3", b"icc")]),
        "an icc-based rgb colour space"
    );
    assert_eq!(
        rgb("", "/ColorSpace << /C0 [/CalRGB << /WhitePoint [1 1 1] >>] >>", &[]),
        "a calibrated rgb colour space"
    );
    assert_eq!(
        rgb(
            "/Im0 Do",
            "/XObject << /Im0 5 0 R >>",
            &[stream(
                "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceRGB /BitsPerComponent 8",
                b"abc"
            )]
        ),
        "an rgb image"
    );
    assert_eq!(
        rgb("/Sh0 sh", "/Shading << /Sh0 << /ShadingType 2 /ColorSpace /DeviceRGB /Coords [0 0 1 1] >> >>", &[]),
        "an rgb gradient"
    );
    // Transparency in RGB: a form whose group blends in RGB, even though it paints CMYK.
    assert_eq!(
        rgb(
            "/Fm0 Do",
            "/XObject << /Fm0 5 0 R >>",
            &[stream(
                "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Group << /S /Transparency /CS /DeviceRGB >>",
                b"0 0 0 1 k 0 0 5 5 re f"
            )]
        ),
        "a transparency group blending in rgb"
    );
    // RGB inside a nested form's content.
    assert_eq!(
        rgb(
            "/Fm0 Do",
            "/XObject << /Fm0 5 0 R >>",
            &[stream("/Type /XObject /Subtype /Form /BBox [0 0 10 10]", b"0 1 0 RG 0 0 m 5 5 l S")]
        ),
        "rgb colour in the content"
    );
}

#[test]
fn spot_colours_and_grey_pass_and_lab_only_as_a_spot_alternate() {
    let spot = "/ColorSpace << /S0 [/Separation /Teal /DeviceCMYK << /FunctionType 2 /Domain [0 1] /C0 [0 0 0 0] /C1 [1 0 0 0] /N 1 >>] \
                /L0 [/Separation /Gold [/Lab << /WhitePoint [0.95 1 1.09] >>] << /FunctionType 2 /Domain [0 1] /C0 [100 0 0] /C1 [50 20 60] /N 1 >>] >>";
    assert!(check(page_pdf("/S0 cs 0.5 scn 0 0 5 5 re f /L0 cs 1 scn 0 g", spot, &[]), 1).is_ok());
    let lab = "/ColorSpace << /L [/Lab << /WhitePoint [0.95 1 1.09] >>] >>";
    assert!(matches!(check(page_pdf("/L cs 50 0 0 sc", lab, &[]), 1), Err(PdfArtError::Lab { .. })));
}

#[test]
fn fonts_must_be_embedded_and_not_type_3() {
    let text = "BT /F1 12 Tf (Hi) Tj ET";
    let standard = "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>";
    assert_eq!(
        check(page_pdf(text, standard, &[]), 1).err(),
        Some(PdfArtError::FontNotEmbedded { page: 1, font: "Helvetica".into() })
    );
    let embedded = "/Font << /F1 << /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Sans /FontDescriptor 5 0 R >> >>";
    let fd = "<< /Type /FontDescriptor /FontName /ABCDEF+Sans /FontFile2 6 0 R >>".to_string();
    assert!(check(page_pdf(text, embedded, &[fd, stream("", b"glyf")]), 1).is_ok());
    let type0 = "/Font << /F1 << /Type /Font /Subtype /Type0 /BaseFont /Cid /DescendantFonts [<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Cid /FontDescriptor << /FontName /Cid >> >>] >> >>";
    assert!(
        matches!(check(page_pdf(text, type0, &[]), 1), Err(PdfArtError::FontNotEmbedded { font, .. }) if font == "Cid")
    );
    let type3 = "/Font << /F1 << /Type /Font /Subtype /Type3 /FontMatrix [1 0 0 1 0 0] /CharProcs << >> >> >>";
    assert!(matches!(check(page_pdf(text, type3, &[]), 1), Err(PdfArtError::Type3Font { .. })));
}

#[test]
fn missing_pages_broken_files_newer_versions_and_bad_sizes_are_refused() {
    let one = page_pdf("0 0 0 1 k", "", &[]);
    assert_eq!(check(one.clone(), 3).err(), Some(PdfArtError::MissingPage { page: 3, count: 1 }));
    assert_eq!(check(one, 0).err(), Some(PdfArtError::MissingPage { page: 0, count: 1 }));
    assert_eq!(check(b"not a pdf at all".to_vec(), 1).err(), Some(PdfArtError::Unreadable));
    assert_eq!(check(Vec::new(), 1).err(), Some(PdfArtError::Unreadable));
    let newer = pdf(
        "1.7",
        &[
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 50 40] >>".to_string(),
        ],
    );
    assert_eq!(check(newer, 1).err(), Some(PdfArtError::Version("1.7")));
    let sized = |media: &str| {
        pdf(
            "1.6",
            &[
                "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
                format!("<< /Type /Page /Parent 2 0 R /MediaBox {media} >>"),
            ],
        )
    };
    assert!(matches!(check(sized("[0 0 0 40]"), 1), Err(PdfArtError::Size { width: 0.0, .. })));
    assert!(matches!(check(sized("[0 0 20000 40]"), 1), Err(PdfArtError::Size { width: 20000.0, .. })));
}

#[test]
fn features_print_files_forbid_are_named() {
    let unsupported = |res: &str, extra: &[String]| match check(page_pdf("/Fm0 Do", res, extra), 1) {
        Err(PdfArtError::Unsupported { feature, .. }) => feature,
        other => panic!("{other:?}"),
    };
    assert_eq!(unsupported("/ExtGState << /G0 << /TR /Identity >> >>", &[]), "a transfer function");
    assert_eq!(
        unsupported("/XObject << /Fm0 5 0 R >>", &[stream("/Subtype /Form /BBox [0 0 1 1] /Filter /LZWDecode", b"x")]),
        "lzw compression"
    );
}

#[test]
fn cycles_end_and_deep_nesting_is_an_error() {
    // A form that draws itself: followed once, so the scan ends (and finds nothing wrong).
    let cyclic = stream("/Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /Me 5 0 R >> >>", b"/Me Do");
    let art = check(page_pdf("/Fm0 Do", "/XObject << /Fm0 5 0 R >>", &[cyclic]), 1);
    assert!(art.is_ok(), "{art:?}");
    // A chain of forms deeper than the limit.
    let chain: Vec<String> = (0..MAX_PDF_DEPTH + 5)
        .map(|i| {
            stream(
                &format!("/Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /X {} 0 R >> >>", i + 6),
                b"/X Do",
            )
        })
        .collect();
    assert_eq!(check(page_pdf("/X Do", "/XObject << /X 5 0 R >>", &chain), 1).err(), Some(PdfArtError::TooDeep(1)));
}

#[test]
fn a_decompression_bomb_stops_at_the_content_limit() {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..(MAX_PDF_CONTENT_BYTES / zeros.len() + 2) {
        z.write_all(&zeros).unwrap();
    }
    let packed = z.finish().unwrap();
    let mut content = format!("<< /Length {} /Filter /FlateDecode >>\nstream\n", packed.len()).into_bytes();
    content.extend_from_slice(&packed);
    content.extend_from_slice(b"\nendstream");
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 50 40] /Contents 4 0 R >>".to_vec(),
        content,
    ];
    assert_eq!(check(pdf("1.6", &objects), 1).err(), Some(PdfArtError::TooComplex(1)));
}

#[test]
fn the_content_scanner_skips_strings_and_inline_data() {
    assert_eq!(scan_content(b"(1 0 0 rg) Tj <7267> Tj % rg\n0 0 0 1 k").rgb, None);
    assert_eq!(scan_content(b"BI /W 1 /H 1 /CS /G ID rg RG EI 0 g").rgb, None);
    assert_eq!(scan_content(b"(a \\) rg) Tj 1 0 0 rg").rgb, Some("rgb colour in the content"));
    let p = scan_content(b"0.1 0.2 0.3 0.4 K 1 G 0.25 0.25 0.25 0.25 k");
    assert!((p.max_total - 100.0).abs() < 1e-9 && (p.max_cmy - 75.0).abs() < 1e-9, "{p:?}");
}
