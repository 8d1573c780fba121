//! Tests of the whole finishing pass on small krilla documents.

use super::ids::uuid;
use super::*;
use krilla::Document as KrillaDocument;
use krilla::color::{cmyk, rgb};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use lopdf::ObjectId;
use read_fonts::{FontRef, TableProvider};

const FOGRA39: &[u8] = include_bytes!("../../../layouts/profiles/CoatedFOGRA39.icc");
const FONT: &[u8] = include_bytes!("../../../fonts/AtkinsonHyperlegibleNext/AtkinsonHyperlegibleNext_400Regular.ttf");
const MM: f32 = 72.0 / 25.4;
/// 2026-03-01T12:34:56Z
const DATE: i64 = 1_772_368_496;

/// What the test page draws.
#[derive(Clone, Copy, PartialEq)]
enum Art {
    Cmyk,
    Rgb,
    IsolatedGroup,
}

/// One 63×88 mm card with 3 mm bleed: a 69×94 mm page, TrimBox and BleedBox set.
fn card(flavour: PdfxFlavour, art: Art) -> Vec<u8> {
    let mut doc = KrillaDocument::new_with(krilla_settings(flavour));
    doc.set_metadata(Metadata::new().title("krilla's own title".into()).authors(vec!["Æble Ørn".into()]));
    let (w, h) = (69.0 * MM, 94.0 * MM);
    let settings = PageSettings::from_wh(w, h)
        .unwrap()
        .with_bleed_box(Rect::from_xywh(0.0, 0.0, w, h))
        .with_trim_box(Rect::from_xywh(3.0 * MM, 3.0 * MM, 63.0 * MM, 88.0 * MM));
    let mut page = doc.start_page_with(settings);
    let mut surface = page.surface();
    if art == Art::IsolatedGroup {
        surface.push_isolated();
    }
    let paint = match art {
        Art::Rgb => rgb::Color::new(200, 30, 30).into(),
        _ => cmyk::Color::new(0, 128, 255, 0).into(),
    };
    surface.set_fill(Some(Fill { paint, opacity: NormalizedF32::ONE, rule: FillRule::NonZero }));
    let mut pb = PathBuilder::new();
    pb.push_rect(Rect::from_xywh(0.0, 0.0, w, h / 2.0).unwrap());
    surface.draw_path(&pb.finish().unwrap());
    if art == Art::IsolatedGroup {
        surface.pop();
    }
    if art == Art::Cmyk {
        // 100 % K text, so that the checked file carries an embedded font subset.
        surface.set_fill(Some(Fill {
            paint: cmyk::Color::new(0, 0, 0, 255).into(),
            opacity: NormalizedF32::ONE,
            rule: FillRule::NonZero,
        }));
        let text = "Ærøskøbing";
        let cmap = FontRef::new(FONT).unwrap().cmap().unwrap();
        let glyphs: Vec<KrillaGlyph> = text
            .char_indices()
            .map(|(i, c)| KrillaGlyph {
                glyph_id: GlyphId::new(cmap.map_codepoint(c).unwrap().to_u32()),
                text_range: i..i + c.len_utf8(),
                x_advance: 0.6,
                x_offset: 0.0,
                y_offset: 0.0,
                y_advance: 0.0,
                location: None,
            })
            .collect();
        let font = Font::new(FONT.into(), 0).unwrap();
        let at = Point::from_xy(8.0 * MM, 70.0 * MM);
        surface.draw_glyphs(at, &glyphs, font, text, 12.0, false);
    }
    surface.finish();
    page.finish();
    doc.finish().unwrap()
}

fn opts(flavour: PdfxFlavour) -> PdfxOptions<'static> {
    PdfxOptions {
        flavour,
        title: "Kortspil – æøå (test)",
        date_epoch: DATE,
        profile: FOGRA39,
        output_condition_identifier: "FOGRA39",
        output_condition: "Coated FOGRA39 (ISO 12647-2:2004)",
        trapped: false,
        creator: "tryksag 0.1.0",
        gwg: false,
    }
}

fn info(doc: &Document) -> &Dictionary {
    let id = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    doc.get_dictionary(id).unwrap()
}

fn string(d: &Dictionary, key: &[u8]) -> String {
    lopdf::decode_text_string(d.get(key).unwrap()).unwrap()
}

fn xmp(doc: &Document) -> String {
    let id = doc.catalog().unwrap().get(b"Metadata").unwrap().as_reference().unwrap();
    let Object::Stream(s) = doc.get_object(id).unwrap() else { panic!("metadata is not a stream") };
    assert!(is_name(s.dict.get(b"Type").unwrap(), b"Metadata"));
    assert!(is_name(s.dict.get(b"Subtype").unwrap(), b"XML"));
    assert!(!s.dict.has(b"Filter"), "the xmp stream must be uncompressed");
    String::from_utf8(s.content.clone()).unwrap()
}

/// The text of `<tag>…</tag>` in the XMP.
fn xmp_value<'a>(xmp: &'a str, tag: &str) -> &'a str {
    let open = format!("<{tag}>");
    let start = xmp.find(&open).unwrap_or_else(|| panic!("{tag} missing")) + open.len();
    let end = start + xmp[start..].find(&format!("</{tag}>")).unwrap();
    &xmp[start..end]
}

fn check_common(out: &[u8], flavour: PdfxFlavour) -> Document {
    let doc = Document::load_mem(out).unwrap();
    assert!(out.starts_with(format!("%PDF-{}\n", flavour.pdf_version()).as_bytes()));
    assert_eq!(doc.version, flavour.pdf_version());

    // Exactly one GTS_PDFX output intent with the embedded CMYK profile.
    let cat = doc.catalog().unwrap();
    let Object::Array(intents) = cat.get(b"OutputIntents").unwrap() else { panic!() };
    assert_eq!(intents.len(), 1);
    let intent = doc.get_dictionary(intents[0].as_reference().unwrap()).unwrap();
    assert!(is_name(intent.get(b"S").unwrap(), b"GTS_PDFX"));
    assert!(is_name(intent.get(b"Type").unwrap(), b"OutputIntent"));
    assert_eq!(string(intent, b"OutputConditionIdentifier"), "FOGRA39");
    assert_eq!(string(intent, b"RegistryName"), "http://www.color.org");
    assert!(intent.has(b"OutputCondition") && intent.has(b"Info"));
    let pid = intent.get(b"DestOutputProfile").unwrap().as_reference().unwrap();
    let Object::Stream(profile) = doc.get_object(pid).unwrap() else { panic!() };
    assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 4);
    assert_eq!(profile.decompressed_content().unwrap(), FOGRA39);

    // Info.
    let info = info(&doc);
    assert_eq!(string(info, b"Title"), "Kortspil – æøå (test)");
    assert_eq!(string(info, b"Author"), "Æble Ørn");
    assert_eq!(string(info, b"Creator"), "tryksag 0.1.0");
    assert_eq!(string(info, b"Producer"), PRODUCER);
    assert_eq!(string(info, b"CreationDate"), "D:20260301123456+00'00'");
    assert_eq!(string(info, b"ModDate"), string(info, b"CreationDate"));
    assert!(is_name(info.get(b"Trapped").unwrap(), b"False"));
    assert_eq!(string(info, b"GTS_PDFXVersion"), flavour.version_name());

    // XMP.
    let xmp = xmp(&doc);
    let date = "2026-03-01T12:34:56+00:00";
    assert_eq!(xmp_value(&xmp, "xmp:CreateDate"), date);
    assert_eq!(xmp_value(&xmp, "xmp:ModifyDate"), date);
    assert_eq!(xmp_value(&xmp, "xmp:MetadataDate"), date);
    assert_eq!(xmp_value(&xmp, "pdf:Trapped"), "False");
    assert_eq!(xmp_value(&xmp, "dc:format"), "application/pdf");
    assert_eq!(xmp_value(&xmp, "xmpMM:VersionID"), "1");
    assert_eq!(xmp_value(&xmp, "xmpMM:RenditionClass"), "default");
    assert!(xmp_value(&xmp, "xmpMM:DocumentID").starts_with("uuid:"));
    assert!(xmp_value(&xmp, "xmpMM:InstanceID").starts_with("uuid:"));
    assert!(xmp.contains("<rdf:li xml:lang=\"x-default\">Kortspil – æøå (test)</rdf:li>"));
    assert!(xmp.contains("<rdf:li>Æble Ørn</rdf:li>"));

    // Trailer /ID: two 16-byte strings, matching the XMP ids.
    let Object::Array(id) = doc.trailer.get(b"ID").unwrap() else { panic!() };
    assert_eq!(id.len(), 2);
    let first: [u8; 16] = id[0].as_str().unwrap().try_into().unwrap();
    assert_eq!(uuid(&first)[..20], xmp_value(&xmp, "xmpMM:DocumentID")[..20]);

    // Boxes survive.
    let page = doc.get_dictionary(doc.page_iter().next().unwrap()).unwrap();
    assert!(page.has(b"TrimBox") && page.has(b"BleedBox"));
    doc
}

#[test]
fn x4_structure() {
    let out = finish(card(PdfxFlavour::X4, Art::Cmyk), &opts(PdfxFlavour::X4)).unwrap();
    let doc = check_common(&out, PdfxFlavour::X4);
    let xmp = xmp(&doc);
    assert_eq!(xmp_value(&xmp, "pdfxid:GTS_PDFXVersion"), "PDF/X-4");
    // krilla's own XMP and Info are gone.
    assert!(!out.windows(18).any(|w| w == b"krilla's own title"));
    if let Ok(path) = std::env::var("TRYKSAG_PDFX_OUT") {
        std::fs::write(path, &out).unwrap();
    }
}

#[test]
fn x1a_structure() {
    let out = finish(card(PdfxFlavour::X1a2003, Art::Cmyk), &opts(PdfxFlavour::X1a2003)).unwrap();
    let doc = check_common(&out, PdfxFlavour::X1a2003);
    assert!(out.starts_with(b"%PDF-1.4\n"));
    for obj in doc.objects.values() {
        if let Object::Stream(s) = obj {
            let t = s.dict.get(b"Type").ok();
            assert!(!t.is_some_and(|t| is_name(t, b"ObjStm") || is_name(t, b"XRef")));
        }
    }
    assert!(out.windows(5).any(|w| w == b"\nxref"), "classic xref table");
    assert!(!out.windows(6).any(|w| w == b"ObjStm"));
    let xmp = xmp(&doc);
    assert_eq!(xmp_value(&xmp, "pdfx:GTS_PDFXVersion"), "PDF/X-1a:2003");
    assert!(!xmp.contains("pdfxid:"));
    if let Ok(path) = std::env::var("TRYKSAG_PDFX1A_OUT") {
        std::fs::write(path, &out).unwrap();
    }
}

#[test]
fn deterministic() {
    let input = card(PdfxFlavour::X4, Art::Cmyk);
    assert_eq!(input, card(PdfxFlavour::X4, Art::Cmyk), "krilla itself is deterministic");
    let a = finish(input.clone(), &opts(PdfxFlavour::X4)).unwrap();
    let b = finish(input.clone(), &opts(PdfxFlavour::X4)).unwrap();
    assert_eq!(a, b);
    // A different date gives different ids.
    let mut later = opts(PdfxFlavour::X4);
    later.date_epoch += 1;
    let c = finish(input, &later).unwrap();
    assert_ne!(a, c);
}

#[test]
fn trapped_true() {
    let mut o = opts(PdfxFlavour::X4);
    o.trapped = true;
    let out = finish(card(PdfxFlavour::X4, Art::Cmyk), &o).unwrap();
    let doc = Document::load_mem(&out).unwrap();
    assert!(is_name(info(&doc).get(b"Trapped").unwrap(), b"True"));
    assert_eq!(xmp_value(&xmp(&doc), "pdf:Trapped"), "True");
}

#[test]
fn isolated_group_blends_in_cmyk_for_x4_and_fails_x1a() {
    let input = card(PdfxFlavour::X4, Art::IsolatedGroup);
    assert!(input.windows(10).any(|w| w == b"/DeviceRGB"), "krilla writes an rgb group");
    let out = finish(input.clone(), &opts(PdfxFlavour::X4)).unwrap();
    assert!(!out.windows(10).any(|w| w == b"/DeviceRGB"));
    assert!(out.windows(11).any(|w| w == b"/DeviceCMYK"));

    let input = card(PdfxFlavour::X1a2003, Art::IsolatedGroup);
    let err = finish(input, &opts(PdfxFlavour::X1a2003)).unwrap_err().to_string();
    assert!(err.contains("transparency"), "{err}");
}

#[test]
fn rgb_is_rejected() {
    let err = finish(card(PdfxFlavour::X4, Art::Rgb), &opts(PdfxFlavour::X4)).unwrap_err().to_string();
    assert!(err.starts_with("page 1 paints in devicergb"), "{err}");
}

#[test]
fn missing_trim_box_is_rejected() {
    let mut doc = KrillaDocument::new_with(krilla_settings(PdfxFlavour::X4));
    let page = doc.start_page_with(PageSettings::from_wh(100.0, 100.0).unwrap());
    page.finish();
    let err = finish(doc.finish().unwrap(), &opts(PdfxFlavour::X4)).unwrap_err().to_string();
    assert!(err.contains("page 1 has no trimbox"), "{err}");
}

/// Edits the first page of a krilla card with lopdf.
fn edit_page(flavour: PdfxFlavour, edit: impl FnOnce(&mut Document, ObjectId)) -> Vec<u8> {
    let mut doc = Document::load_mem(&card(flavour, Art::Cmyk)).unwrap();
    let page = doc.page_iter().next().unwrap();
    edit(&mut doc, page);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

#[test]
fn a_type3_font_is_rejected() {
    let input = edit_page(PdfxFlavour::X4, |doc, page| {
        let mut font = Dictionary::new();
        font.set("Type", Object::Name(b"Font".to_vec()));
        font.set("Subtype", Object::Name(b"Type3".to_vec()));
        font.set("CharProcs", Dictionary::new());
        let font = doc.add_object(font);
        let mut fonts = Dictionary::new();
        fonts.set("T3", Object::Reference(font));
        let mut res = Dictionary::new();
        res.set("Font", fonts);
        doc.get_dictionary_mut(page).unwrap().set("Resources", res);
    });
    let err = finish(input.clone(), &opts(PdfxFlavour::X4)).unwrap_err().to_string();
    assert!(err.contains("is a type 3 font"), "{err}");
}

#[test]
fn links_and_bad_boxes_are_rejected() {
    let input = edit_page(PdfxFlavour::X4, |doc, page| {
        let mut action = Dictionary::new();
        action.set("S", Object::Name(b"URI".to_vec()));
        action.set("URI", Object::string_literal("https://example.org"));
        let mut link = Dictionary::new();
        link.set("Type", Object::Name(b"Annot".to_vec()));
        link.set("Subtype", Object::Name(b"Link".to_vec()));
        link.set("Rect", vec![10.into(), 10.into(), 50.into(), 20.into()]);
        link.set("A", action);
        let link = doc.add_object(link);
        doc.get_dictionary_mut(page).unwrap().set("Annots", vec![Object::Reference(link)]);
    });
    let err = finish(input.clone(), &opts(PdfxFlavour::X4)).unwrap_err().to_string();
    assert!(err.starts_with("page 1 has a link annotation with an action"), "{err}");
    assert!(err.ends_with("(and 1 more problem)"), "{err}");

    let input = edit_page(PdfxFlavour::X4, |doc, page| {
        let boxes = vec![0.into(), 0.into(), 500.into(), 500.into()];
        doc.get_dictionary_mut(page).unwrap().set("TrimBox", boxes);
    });
    let err = finish(input.clone(), &opts(PdfxFlavour::X4)).unwrap_err().to_string();
    assert!(err.contains("page 1: the trimbox is not inside the bleedbox"), "{err}");
}

#[test]
fn options_are_checked() {
    let input = card(PdfxFlavour::X4, Art::Cmyk);
    let mut o = opts(PdfxFlavour::X4);
    o.title = "  ";
    assert!(finish(input.clone(), &o).unwrap_err().to_string().contains("title"));
    let mut o = opts(PdfxFlavour::X4);
    o.output_condition_identifier = "";
    assert!(finish(input.clone(), &o).unwrap_err().to_string().contains("output condition identifier"));
    let mut o = opts(PdfxFlavour::X4);
    o.date_epoch = i64::MAX;
    assert!(finish(input.clone(), &o).is_err());
    assert!(finish(b"not a pdf".to_vec(), &opts(PdfxFlavour::X4)).is_err());
    // A PDF 1.6 body cannot become PDF/X-1a:2003 (PDF 1.4) by changing the header.
    let err = finish(input, &opts(PdfxFlavour::X1a2003)).unwrap_err().to_string();
    assert!(err.contains("written as pdf 1.6"), "{err}");
}
