//! PDF/X preflight in Rust: builds the shipped project once, reads every print PDF back with
//! lopdf and checks the machine-checkable PDF/X-4 clauses of ../shared/PRINT.md (the ground
//! ../shared/tools/pdfx_check.py --flavour x4 covers), so that `cargo test` checks the output
//! without Python. docs/pdfx.md maps every rule to the code that meets it and to the test here.
//!
//! Print PDFs are all `output/*.pdf` except `*-screen.pdf`: the decks' faces files and imposed
//! sheets, the leaflets' `*-print.pdf`, and the calibration sheets (`tryksag calibrate <sheet>`
//! for every sheet layout). Two
//! more builds check files the shipped project does not make by default: one with RGB and CMYK
//! images on every card back, and one with `--pdfx x1a` (PDF/X-1a:2003).
//!
//! Every check collects all violations (file, page or object) before failing, and
//! `the_checks_catch_broken_files` breaks a real file in one way per rule to show that each check
//! can fail.

use crate::common::{TempProject, repo, stderr};

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

/// Box nesting tolerance in points (as pdfx_check.py).
const EPS: f64 = 0.01;

// ---------------------------------------------------------------------------------------------
// The files under test

/// A print PDF read into memory.
struct Pdf {
    name: String,
    bytes: Vec<u8>,
}

impl Pdf {
    fn doc(&self) -> Document {
        Document::load_mem(&self.bytes).unwrap_or_else(|e| panic!("{}: lopdf cannot read it: {e}", self.name))
    }
}

fn is_print(path: &Path) -> bool {
    let name = path.file_name().unwrap().to_string_lossy();
    name.ends_with(".pdf") && !name.ends_with("-screen.pdf")
}

/// The sheet layouts the shipped project has (file stems of layouts/sheets/*.json).
fn sheet_layouts() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("layouts/sheets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Reads the print PDFs of an output folder, sorted by name.
fn read_prints(files: Vec<std::path::PathBuf>) -> Vec<Pdf> {
    let mut out: Vec<Pdf> = files
        .into_iter()
        .filter(|p| is_print(p))
        .map(|p| Pdf { name: p.file_name().unwrap().to_string_lossy().into_owned(), bytes: std::fs::read(&p).unwrap() })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The shipped project, built once (`tryksag build` plus `tryksag calibrate` for every sheet
/// layout, the way a user runs them: no SOURCE_DATE_EPOCH), and its print PDFs.
fn shipped() -> &'static [Pdf] {
    static BUILT: OnceLock<Vec<Pdf>> = OnceLock::new();
    BUILT.get_or_init(|| {
        let p = TempProject::copy();
        let o = p.run(&["build"]);
        assert_eq!(o.status.code(), Some(0), "tryksag build failed:\n{}", stderr(&o));
        for sheet in sheet_layouts() {
            let o = p.run(&["calibrate", &sheet]);
            assert_eq!(o.status.code(), Some(0), "tryksag calibrate {sheet} failed:\n{}", stderr(&o));
        }
        let prints = read_prints(p.pdfs());
        let names: Vec<&str> = prints.iter().map(|p| p.name.as_str()).collect();
        assert!(names.iter().any(|n| n.ends_with("-faces.pdf")), "no faces PDF among {names:?}");
        assert!(
            names
                .iter()
                .any(|n| !n.ends_with("-faces.pdf") && !n.ends_with("-print.pdf") && !n.starts_with("calibrate-")),
            "no imposed sheet PDF among {names:?}"
        );
        assert!(names.iter().any(|n| n.starts_with("calibrate-")), "no calibration sheet among {names:?}");
        prints
    })
}

/// Violations of one rule, each naming file and place.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn fail(&mut self, msg: impl Into<String>) {
        self.0.push(msg.into());
    }

    fn check(&mut self, ok: bool, msg: impl FnOnce() -> String) {
        if !ok {
            self.0.push(msg());
        }
    }

    fn assert_clean(&self, rule: &str) {
        assert!(
            self.0.is_empty(),
            "PDF/X rule violated: {rule}\n{} violation(s):\n  {}",
            self.0.len(),
            self.0.join("\n  ")
        );
    }
}

/// Runs a check over every shipped print PDF and fails with all violations.
fn every_print(rule: &str, mut check: impl FnMut(&str, &[u8], &Document, &mut Findings)) {
    let prints = shipped();
    assert!(!prints.is_empty(), "no print PDFs were built");
    let mut f = Findings::default();
    for pdf in prints {
        check(&pdf.name, &pdf.bytes, &pdf.doc(), &mut f);
    }
    f.assert_clean(rule);
}

// ---------------------------------------------------------------------------------------------
// Small lopdf helpers

fn deref<'a>(doc: &'a Document, obj: &'a Object) -> &'a Object {
    doc.dereference(obj).map(|(_, o)| o).unwrap_or(obj)
}

/// A dictionary, or a stream's dictionary, behind `obj`.
fn dict<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Dictionary> {
    match deref(doc, obj) {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn get<'a>(doc: &'a Document, d: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    d.get(key).ok().map(|o| deref(doc, o))
}

fn is_name(obj: &Object, name: &[u8]) -> bool {
    matches!(obj, Object::Name(n) if n == name)
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A text string (PDFDocEncoding or UTF-16BE) behind `obj`; `None` for other object types.
fn text(doc: &Document, obj: &Object) -> Option<String> {
    match deref(doc, obj) {
        o @ Object::String(..) => lopdf::decode_text_string(o).ok(),
        _ => None,
    }
}

fn num(doc: &Document, obj: &Object) -> Option<f64> {
    deref(doc, obj).as_float().ok().map(f64::from)
}

/// `[llx lly urx ury]`, normalised.
fn rect(doc: &Document, obj: &Object) -> Option<[f64; 4]> {
    let Object::Array(a) = deref(doc, obj) else { return None };
    if a.len() != 4 {
        return None;
    }
    let v: Vec<f64> = a.iter().map(|o| num(doc, o)).collect::<Option<_>>()?;
    Some([v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
}

fn inside(a: [f64; 4], b: [f64; 4]) -> bool {
    a[0] >= b[0] - EPS && a[1] >= b[1] - EPS && a[2] <= b[2] + EPS && a[3] <= b[3] + EPS
}

fn overlaps(a: [f64; 4], b: [f64; 4]) -> bool {
    !(a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1])
}

fn mm(b: [f64; 4]) -> String {
    let v: Vec<String> = b.iter().map(|x| format!("{:.2}", x * 25.4 / 72.0)).collect();
    format!("[{}] mm", v.join(" "))
}

/// Calls `f` on `obj` and everything nested in it (not following references), with the
/// dictionary key it sits under.
fn walk<'a>(obj: &'a Object, key: Option<&'a [u8]>, f: &mut dyn FnMut(&'a Object, Option<&'a [u8]>)) {
    f(obj, key);
    match obj {
        Object::Array(a) => a.iter().for_each(|o| walk(o, None, f)),
        Object::Dictionary(d) => d.iter().for_each(|(k, v)| walk(v, Some(k.as_slice()), f)),
        Object::Stream(s) => s.dict.iter().for_each(|(k, v)| walk(v, Some(k.as_slice()), f)),
        _ => {}
    }
}

/// Every indirect object and everything inside it: `f(object number, object, key)`.
fn walk_all<'a>(doc: &'a Document, f: &mut dyn FnMut(u32, &'a Object, Option<&'a [u8]>)) {
    for (&(n, _), obj) in &doc.objects {
        walk(obj, None, &mut |o, k| f(n, o, k));
    }
}

fn info(doc: &Document) -> Option<&Dictionary> {
    doc.trailer.get(b"Info").ok().and_then(|o| dict(doc, o))
}

/// The page's `/Resources` (own or inherited).
fn page_resources(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    let (inline, ids) = doc.get_page_resources(page).ok()?;
    inline.or_else(|| ids.first().and_then(|id| doc.get_dictionary(*id).ok()))
}

/// A page box; MediaBox and CropBox are inherited through /Parent, the others are not.
fn page_box(doc: &Document, page: &Dictionary, key: &[u8], inheritable: bool) -> Option<[f64; 4]> {
    let mut node = page;
    for _ in 0..32 {
        if let Ok(v) = node.get(key) {
            return rect(doc, v);
        }
        if !inheritable {
            return None;
        }
        node = node.get(b"Parent").ok().and_then(|p| dict(doc, p))?;
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Dates

/// `D:YYYYMMDDHHmmSS` plus a zone (`Z`, `+HH'mm'`, `-HH'mm'`) → (YYYYMMDDHHmmSS, offset minutes).
/// Only full dates are accepted: tryksag always writes seconds and a zone.
fn pdf_date(s: &str) -> Option<(String, i32)> {
    let rest = s.strip_prefix("D:")?;
    let (digits, zone) = rest.split_at_checked(14)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let offset = match zone {
        "Z" => 0,
        _ => {
            let sign = match zone.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let z = zone[1..].trim_end_matches('\'');
            let (h, m) = z.split_once('\'').unwrap_or((z, "00"));
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            sign * (h.parse::<i32>().ok()? * 60 + m.parse::<i32>().ok()?)
        }
    };
    Some((digits.to_string(), offset))
}

/// `YYYY-MM-DDTHH:mm:SS` plus `Z` or `±HH:mm` → the same form as [`pdf_date`].
fn xmp_date(s: &str) -> Option<(String, i32)> {
    let (dt, zone) = s.split_at_checked(19)?;
    let b = dt.as_bytes();
    if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let digits: String = dt.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 14 {
        return None;
    }
    let offset = match zone {
        "Z" => 0,
        _ => {
            let sign = match zone.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (h, m) = zone[1..].split_once(':')?;
            sign * (h.parse::<i32>().ok()? * 60 + m.parse::<i32>().ok()?)
        }
    };
    Some((digits, offset))
}

// ---------------------------------------------------------------------------------------------
// XMP

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The text of an XMP property, written as an element (`<xmp:CreateDate>…</…>`, nested rdf
/// containers reduced to their text) or as an attribute (`xmp:CreateDate="…"`).
fn xmp_prop(xmp: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    if let Some(i) = xmp.find(&open) {
        let rest = &xmp[i + open.len()..];
        let inner = &rest[..rest.find(&format!("</{tag}>"))?];
        let mut plain = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => plain.push(c),
                _ => {}
            }
        }
        return Some(unescape(plain.trim()));
    }
    let attr = format!(" {tag}=\"");
    let i = xmp.find(&attr)? + attr.len();
    let end = xmp[i..].find('"')?;
    Some(unescape(&xmp[i..i + end]))
}

/// The catalog's /Metadata packet, checked to be an uncompressed XML metadata stream.
fn xmp_packet(name: &str, doc: &Document, f: &mut Findings) -> Option<String> {
    let cat = doc.catalog().ok()?;
    let Some(Object::Stream(s)) = get(doc, cat, b"Metadata") else {
        f.fail(format!("{name}: the catalog has no /Metadata stream"));
        return None;
    };
    f.check(s.dict.get(b"Type").is_ok_and(|t| is_name(t, b"Metadata")), || {
        format!("{name}: the metadata stream lacks /Type /Metadata")
    });
    f.check(s.dict.get(b"Subtype").is_ok_and(|t| is_name(t, b"XML")), || {
        format!("{name}: the metadata stream lacks /Subtype /XML")
    });
    f.check(!s.dict.has(b"Filter"), || {
        format!("{name}: the metadata stream is compressed (file tools cannot find it)")
    });
    match String::from_utf8(s.content.clone()) {
        Ok(x) => Some(x),
        Err(_) => {
            f.fail(format!("{name}: the metadata stream is not UTF-8 text"));
            None
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The checks, one per rule group. Each reports every violation it finds.

/// Header `%PDF-1.x` with 1.x ≤ 1.6; no catalog /Version above 1.6.
fn check_header(name: &str, bytes: &[u8], doc: &Document, f: &mut Findings) {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(16)]).into_owned();
    let version = head
        .strip_prefix("%PDF-")
        .and_then(|r| r.get(..3))
        .and_then(|v| v.split_once('.'))
        .and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?)));
    match version {
        Some(v) => {
            f.check(v <= (1, 6), || format!("{name}: header is %PDF-{}.{}, PDF/X-4 allows 1.6 at most", v.0, v.1))
        }
        None => f.fail(format!("{name}: no %PDF-1.x header (starts {head:?})")),
    }
    if let Some(v) = doc.catalog().ok().and_then(|c| c.get(b"Version").ok()) {
        let v = v.as_name().map(lossy).unwrap_or_default();
        f.check(v.as_str() <= "1.6" && v.len() == 3, || format!("{name}: catalog /Version {v} is above 1.6"));
    }
}

/// Trailer /ID: an array of two non-empty strings.
fn check_file_id(name: &str, _bytes: &[u8], doc: &Document, f: &mut Findings) {
    match doc.trailer.get(b"ID").map(|o| deref(doc, o)) {
        Ok(Object::Array(id)) => {
            f.check(id.len() == 2, || format!("{name}: trailer /ID has {} entries, not 2", id.len()));
            for (i, s) in id.iter().enumerate() {
                let ok = matches!(deref(doc, s), Object::String(b, _) if !b.is_empty());
                f.check(ok, || format!("{name}: trailer /ID entry {i} is not a non-empty string: {s:?}"));
            }
        }
        Ok(other) => f.fail(format!("{name}: trailer /ID is not an array: {other:?}")),
        Err(_) => f.fail(format!("{name}: the trailer has no /ID")),
    }
}

/// Info: Title, CreationDate = ModDate, Trapped /False, GTS_PDFXVersion (PDF/X-4); XMP: dc:title,
/// xmp:CreateDate = xmp:ModifyDate = the Info date, pdfxid:GTS_PDFXVersion, pdf:Trapped,
/// xmpMM:DocumentID, VersionID, RenditionClass, with the namespaces PDF/X-4 names.
fn check_metadata(name: &str, _bytes: &[u8], doc: &Document, f: &mut Findings) {
    let Some(info) = info(doc) else {
        f.fail(format!("{name}: the trailer has no /Info dictionary"));
        return;
    };
    let title = info.get(b"Title").ok().and_then(|t| text(doc, t)).unwrap_or_default();
    f.check(!title.trim().is_empty(), || format!("{name}: Info /Title is missing or empty"));
    let created = info.get(b"CreationDate").ok().and_then(|t| text(doc, t));
    let modified = info.get(b"ModDate").ok().and_then(|t| text(doc, t));
    let info_date = created.as_deref().and_then(pdf_date);
    f.check(info_date.is_some(), || format!("{name}: Info /CreationDate {created:?} is not a full PDF date"));
    f.check(modified.as_deref().and_then(pdf_date).is_some(), || {
        format!("{name}: Info /ModDate {modified:?} is not a full PDF date")
    });
    f.check(created == modified, || {
        format!("{name}: Info /CreationDate {created:?} differs from /ModDate {modified:?}")
    });
    match info.get(b"Trapped").map(|o| deref(doc, o)) {
        Ok(t) => f.check(is_name(t, b"False"), || format!("{name}: Info /Trapped is {t:?}, expected the name /False")),
        Err(_) => f.fail(format!("{name}: Info /Trapped is missing")),
    }
    match info.get(b"GTS_PDFXVersion").map(|o| deref(doc, o)) {
        Ok(v @ Object::String(..)) => {
            let v = text(doc, v).unwrap_or_default();
            f.check(v == "PDF/X-4", || format!("{name}: Info /GTS_PDFXVersion is {v:?}, expected \"PDF/X-4\""))
        }
        Ok(other) => f.fail(format!("{name}: Info /GTS_PDFXVersion is not a string: {other:?}")),
        Err(_) => f.fail(format!("{name}: Info /GTS_PDFXVersion is missing")),
    }

    let Some(xmp) = xmp_packet(name, doc, f) else { return };
    f.check(xmp.starts_with("<?xpacket begin=") && xmp.trim_end().ends_with("<?xpacket end=\"w\"?>"), || {
        format!("{name}: the XMP packet lacks its <?xpacket?> wrapper")
    });
    for (prefix, uri) in [
        ("dc", "http://purl.org/dc/elements/1.1/"),
        ("xmp", "http://ns.adobe.com/xap/1.0/"),
        ("pdf", "http://ns.adobe.com/pdf/1.3/"),
        ("xmpMM", "http://ns.adobe.com/xap/1.0/mm/"),
        ("pdfxid", "http://www.npes.org/pdfx/ns/id/"),
    ] {
        let decl = format!("xmlns:{prefix}=\"{uri}\"");
        f.check(xmp.contains(&decl), || format!("{name}: XMP does not declare {decl}"));
    }
    let prop = |tag: &str| xmp_prop(&xmp, tag).filter(|v| !v.is_empty());
    match prop("dc:title") {
        Some(t) => {
            f.check(t == title.trim(), || format!("{name}: XMP dc:title {t:?} differs from Info /Title {title:?}"))
        }
        None => f.fail(format!("{name}: XMP dc:title is missing")),
    }
    let create = prop("xmp:CreateDate");
    let modify = prop("xmp:ModifyDate");
    f.check(create.as_deref().and_then(xmp_date).is_some(), || {
        format!("{name}: XMP xmp:CreateDate {create:?} is missing or not a full date")
    });
    f.check(create == modify, || {
        format!("{name}: XMP xmp:CreateDate {create:?} differs from xmp:ModifyDate {modify:?}")
    });
    if let (Some(a), Some(b)) = (&info_date, create.as_deref().and_then(xmp_date)) {
        f.check(*a == b, || format!("{name}: XMP xmp:CreateDate {create:?} is not the Info /CreationDate {created:?}"));
    }
    let version = prop("pdfxid:GTS_PDFXVersion");
    f.check(version.as_deref() == Some("PDF/X-4"), || {
        format!("{name}: XMP pdfxid:GTS_PDFXVersion is {version:?}, expected PDF/X-4")
    });
    let trapped = prop("pdf:Trapped");
    f.check(trapped.as_deref() == Some("False"), || {
        format!("{name}: XMP pdf:Trapped is {trapped:?}, expected False (as Info /Trapped)")
    });
    for tag in ["xmpMM:DocumentID", "xmpMM:VersionID", "xmpMM:RenditionClass"] {
        f.check(prop(tag).is_some(), || format!("{name}: XMP {tag} is missing or empty"));
    }
}

/// Exactly one /S /GTS_PDFX output intent with an OutputConditionIdentifier and an embedded
/// CMYK printer profile (/N 4; ICC class `prtr`, colour space `CMYK`) — the shipped FOGRA39.
fn check_output_intent(name: &str, _bytes: &[u8], doc: &Document, f: &mut Findings) {
    let Some(cat) = doc.catalog().ok() else {
        f.fail(format!("{name}: no catalog"));
        return;
    };
    let intents: Vec<&Dictionary> = match get(doc, cat, b"OutputIntents") {
        Some(Object::Array(a)) => a.iter().filter_map(|o| dict(doc, o)).collect(),
        _ => Vec::new(),
    };
    let pdfx: Vec<&Dictionary> =
        intents.into_iter().filter(|d| d.get(b"S").is_ok_and(|s| is_name(s, b"GTS_PDFX"))).collect();
    f.check(pdfx.len() == 1, || format!("{name}: {} output intents with /S /GTS_PDFX, expected exactly 1", pdfx.len()));
    let Some(oi) = pdfx.first() else { return };
    let oci = oi.get(b"OutputConditionIdentifier").ok().and_then(|o| text(doc, o)).unwrap_or_default();
    f.check(!oci.trim().is_empty(), || format!("{name}: the output intent has no OutputConditionIdentifier string"));
    f.check(oci == "FOGRA39", || format!("{name}: OutputConditionIdentifier {oci:?}, the shipped default is FOGRA39"));
    let Some(Object::Stream(profile)) = get(doc, oi, b"DestOutputProfile") else {
        f.fail(format!("{name}: the output intent has no embedded DestOutputProfile stream"));
        return;
    };
    let n = profile.dict.get(b"N").ok().and_then(|n| n.as_i64().ok());
    f.check(n == Some(4), || format!("{name}: DestOutputProfile /N is {n:?}, expected 4 (CMYK)"));
    let icc = match profile.decompressed_content() {
        Ok(b) => b,
        Err(e) => {
            f.fail(format!("{name}: DestOutputProfile cannot be decoded: {e}"));
            return;
        }
    };
    if icc.len() < 128 || &icc[36..40] != b"acsp" {
        f.fail(format!("{name}: DestOutputProfile is not an ICC profile ({} bytes, no `acsp`)", icc.len()));
        return;
    }
    f.check(&icc[12..16] == b"prtr", || format!("{name}: ICC profile class {:?}, expected prtr", lossy(&icc[12..16])));
    f.check(&icc[16..20] == b"CMYK", || format!("{name}: ICC colour space {:?}, expected CMYK", lossy(&icc[16..20])));
    let shipped = std::fs::read(repo().join("layouts/profiles/CoatedFOGRA39.icc")).unwrap();
    f.check(icc == shipped, || format!("{name}: the embedded profile is not layouts/profiles/CoatedFOGRA39.icc"));
}

/// Every page: TrimBox and BleedBox of its own, no ArtBox, TrimBox ⊆ BleedBox ⊆ (CropBox) ⊆
/// MediaBox; no annotation inside the BleedBox.
fn check_boxes(name: &str, _bytes: &[u8], doc: &Document, f: &mut Findings) {
    let pages = doc.get_pages();
    f.check(!pages.is_empty(), || format!("{name}: no pages"));
    for (n, id) in pages {
        let at = format!("{name} page {n}");
        let Ok(page) = doc.get_dictionary(id) else {
            f.fail(format!("{at}: the page object is not a dictionary"));
            continue;
        };
        let media = page_box(doc, page, b"MediaBox", true);
        let crop = page_box(doc, page, b"CropBox", true);
        let bleed = page_box(doc, page, b"BleedBox", false);
        let trim = page_box(doc, page, b"TrimBox", false);
        f.check(media.is_some(), || format!("{at}: no MediaBox"));
        f.check(trim.is_some(), || format!("{at}: no TrimBox"));
        f.check(bleed.is_some(), || format!("{at}: no BleedBox"));
        f.check(!page.has(b"ArtBox"), || format!("{at}: has an ArtBox (never both TrimBox and ArtBox)"));
        if let Some(t) = trim {
            f.check(t[2] - t[0] > 1.0 && t[3] - t[1] > 1.0, || format!("{at}: empty TrimBox {}", mm(t)));
        }
        let chain = [("TrimBox", trim), ("BleedBox", bleed), ("CropBox", crop), ("MediaBox", media)];
        let chain: Vec<(&str, [f64; 4])> = chain.into_iter().filter_map(|(k, b)| b.map(|b| (k, b))).collect();
        for pair in chain.windows(2) {
            let ((a, ra), (b, rb)) = (pair[0], pair[1]);
            f.check(inside(ra, rb), || format!("{at}: {a} {} is not inside {b} {}", mm(ra), mm(rb)));
        }
        let limit = bleed.or(trim);
        if let Some(Object::Array(annots)) = get(doc, page, b"Annots") {
            for a in annots.iter().filter_map(|a| dict(doc, a)) {
                let subtype = a.get(b"Subtype").ok().and_then(|s| s.as_name().ok()).map(lossy).unwrap_or_default();
                let r = a.get(b"Rect").ok().and_then(|r| rect(doc, r));
                let exempt = subtype == "TrapNet" || subtype == "PrinterMark";
                if let (Some(r), Some(l), false) = (r, limit, exempt) {
                    f.check(!overlaps(r, l), || format!("{at}: {subtype} annotation {} inside the BleedBox", mm(r)));
                }
            }
        }
    }
}

/// Why a colour space is not allowed in a CMYK PDF/X-4 print file, or `None` if it is:
/// DeviceCMYK, DeviceGray, ICCBased with /N 4, and Separation/DeviceN/Indexed/Pattern built on
/// those.
fn colour_space_problem(doc: &Document, cs: &Object) -> Option<String> {
    match deref(doc, cs) {
        Object::Name(n) => match n.as_slice() {
            b"DeviceCMYK" | b"DeviceGray" | b"Pattern" => None,
            other => Some(format!("/{}", lossy(other))),
        },
        Object::Array(a) => {
            let family = a.first().map(|o| deref(doc, o)).and_then(|o| o.as_name().ok()).unwrap_or(b"");
            let base = |i: usize, what: &str| match a.get(i) {
                Some(b) => colour_space_problem(doc, b).map(|p| format!("/{what} on {p}")),
                None => Some(format!("/{what} without its base colour space")),
            };
            match family {
                b"DeviceCMYK" | b"DeviceGray" => None,
                b"Separation" | b"DeviceN" => base(2, &lossy(family)),
                b"Indexed" => base(1, "Indexed"),
                b"Pattern" if a.len() > 1 => base(1, "Pattern"),
                b"Pattern" => None,
                b"ICCBased" => {
                    let n = a.get(1).and_then(|s| dict(doc, s)).and_then(|d| d.get(b"N").ok()?.as_i64().ok());
                    (n != Some(4)).then(|| format!("/ICCBased with /N {n:?} (only CMYK, N 4)"))
                }
                other => Some(format!("/{}", lossy(other))),
            }
        }
        other => Some(format!("a malformed colour space {other:?}")),
    }
}

/// Counts from a content-stream scan, to show that the scan saw something.
#[derive(Default)]
struct ColourStats {
    operations: usize,
    colour_operators: usize,
    named_spaces: usize,
}

/// Walks content streams: pages, the Form XObjects they draw (`Do`, recursively), and every other
/// Form XObject or tiling pattern in the file (soft-mask groups and the like).
struct ContentScan<'a> {
    doc: &'a Document,
    name: &'a str,
    visited: BTreeSet<ObjectId>,
    stats: ColourStats,
}

impl<'a> ContentScan<'a> {
    fn resource(&self, res: Option<&'a Dictionary>, category: &[u8], key: &[u8]) -> Option<&'a Object> {
        let cat = get(self.doc, res?, category).and_then(|c| match c {
            Object::Dictionary(d) => Some(d),
            _ => None,
        })?;
        cat.get(key).ok()
    }

    /// Checks a colour space named by a `cs`/`CS` operand or an inline image's /CS.
    fn named_space(&mut self, operand: &Object, res: Option<&'a Dictionary>, at: &str, f: &mut Findings) {
        let Ok(n) = operand.as_name() else {
            f.fail(format!("{at}: colour space operand is not a name: {operand:?}"));
            return;
        };
        match n {
            b"DeviceCMYK" | b"DeviceGray" | b"Pattern" => {}
            b"DeviceRGB" => f.fail(format!("{at}: sets /DeviceRGB")),
            _ => {
                self.stats.named_spaces += 1;
                match self.resource(res, b"ColorSpace", n) {
                    None => f.fail(format!("{at}: colour space /{} is not in the resources", lossy(n))),
                    Some(cs) => {
                        if let Some(p) = colour_space_problem(self.doc, cs) {
                            f.fail(format!("{at}: colour space /{} is {p}", lossy(n)));
                        }
                    }
                }
            }
        }
    }

    fn stream(&mut self, data: &[u8], res: Option<&'a Dictionary>, at: &str, f: &mut Findings) {
        let content = match Content::decode(data) {
            Ok(c) => c,
            Err(e) => {
                f.fail(format!("{at}: content stream does not parse: {e}"));
                return;
            }
        };
        for op in &content.operations {
            self.stats.operations += 1;
            match op.operator.as_str() {
                "rg" | "RG" => f.fail(format!("{at}: operator {} paints in DeviceRGB", op.operator)),
                "PS" => f.fail(format!("{at}: PostScript operator PS")),
                "k" | "K" | "g" | "G" | "sc" | "SC" | "scn" | "SCN" => self.stats.colour_operators += 1,
                "cs" | "CS" => {
                    self.stats.colour_operators += 1;
                    match op.operands.first() {
                        Some(o) => self.named_space(o, res, &format!("{at}: operator {}", op.operator), f),
                        None => f.fail(format!("{at}: operator {} without an operand", op.operator)),
                    }
                }
                "Do" => {
                    let Some(key) = op.operands.first().and_then(|o| o.as_name().ok()) else { continue };
                    let Some(xo) = self.resource(res, b"XObject", key) else {
                        f.fail(format!("{at}: XObject /{} is not in the resources", lossy(key)));
                        continue;
                    };
                    let id = xo.as_reference().ok();
                    if let (Some(id), Object::Stream(s)) = (id, deref(self.doc, xo))
                        && s.dict.get(b"Subtype").is_ok_and(|t| is_name(t, b"Form"))
                        && self.visited.insert(id)
                    {
                        let inner = get(self.doc, &s.dict, b"Resources").and_then(|r| r.as_dict().ok()).or(res);
                        let at = format!("{at} → form /{} (object {})", lossy(key), id.0);
                        self.form(s, inner, &at, f);
                    }
                }
                "BI" => {
                    let Some(Object::Stream(image)) = op.operands.first() else { continue };
                    let d = &image.dict;
                    if let Ok(cs) = d.get(b"CS").or_else(|_| d.get(b"ColorSpace")) {
                        let full = match cs {
                            Object::Name(n) if n == b"CMYK" => Object::Name(b"DeviceCMYK".to_vec()),
                            Object::Name(n) if n == b"G" => Object::Name(b"DeviceGray".to_vec()),
                            Object::Name(n) if n == b"RGB" => Object::Name(b"DeviceRGB".to_vec()),
                            other => other.clone(),
                        };
                        match &full {
                            Object::Name(_) => self.named_space(&full, res, &format!("{at}: inline image"), f),
                            other => {
                                if let Some(p) = colour_space_problem(self.doc, other) {
                                    f.fail(format!("{at}: inline image in {p}"));
                                }
                            }
                        }
                    }
                    if let Ok(filter) = d.get(b"F").or_else(|_| d.get(b"Filter")) {
                        let names: Vec<&Object> = match filter {
                            Object::Array(a) => a.iter().collect(),
                            o => vec![o],
                        };
                        for n in names {
                            if is_name(n, b"LZW") || is_name(n, b"LZWDecode") {
                                f.fail(format!("{at}: inline image uses the LZW filter"));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn form(&mut self, s: &'a Stream, res: Option<&'a Dictionary>, at: &str, f: &mut Findings) {
        match s.decompressed_content() {
            Ok(data) => self.stream(&data, res, at, f),
            Err(e) => f.fail(format!("{at}: form content cannot be decoded: {e}")),
        }
    }
}

/// No /DeviceRGB name anywhere; every colour space in resources, images, shadings and
/// transparency groups is CMYK, gray, ICC CMYK or a separation on those; content streams set
/// colour with neither `rg`/`RG` nor `cs`/`CS` naming something else.
fn check_colour(name: &str, bytes: &[u8], doc: &Document, f: &mut Findings) {
    colour(name, bytes, doc, f);
}

/// [`check_colour`], returning what the content-stream scan saw.
fn colour(name: &str, _bytes: &[u8], doc: &Document, f: &mut Findings) -> ColourStats {
    walk_all(doc, &mut |n, obj, key| {
        if is_name(obj, b"DeviceRGB") {
            let under = key.map(|k| format!(" (under /{})", lossy(k))).unwrap_or_default();
            f.fail(format!("{name} object {n}: uses the name /DeviceRGB{under}"));
        }
        let d = match obj {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => return,
        };
        if let Ok(cs) = d.get(b"ColorSpace") {
            match deref(doc, cs) {
                // A resource dictionary's /ColorSpace: name → colour space.
                Object::Dictionary(spaces) => {
                    for (k, v) in spaces.iter() {
                        if let Some(p) = colour_space_problem(doc, v) {
                            f.fail(format!("{name} object {n}: resource colour space /{} is {p}", lossy(k)));
                        }
                    }
                }
                // An image's or a shading's colour space.
                other => {
                    if let Some(p) = colour_space_problem(doc, other) {
                        f.fail(format!("{name} object {n}: /ColorSpace is {p}"));
                    }
                }
            }
        }
        if d.get(b"S").is_ok_and(|s| is_name(s, b"Transparency"))
            && let Ok(cs) = d.get(b"CS")
            && let Some(p) = colour_space_problem(doc, cs)
        {
            f.fail(format!("{name} object {n}: transparency group blends in {p}"));
        }
    });

    let mut scan = ContentScan { doc, name, visited: BTreeSet::new(), stats: ColourStats::default() };
    for (n, id) in doc.get_pages() {
        let at = format!("{} page {n}", scan.name);
        let res = page_resources(doc, id);
        let mut data = Vec::new();
        for c in doc.get_page_contents(id) {
            match doc.get_object(c).and_then(Object::as_stream).map(Stream::decompressed_content) {
                Ok(Ok(d)) => {
                    data.extend_from_slice(&d);
                    data.push(b'\n');
                }
                _ => f.fail(format!("{at}: content stream object {} cannot be decoded", c.0)),
            }
        }
        scan.stream(&data, res, &at, f);
    }
    // Streams not reached through `Do` (soft-mask groups, patterns): their own resources.
    for (&id, obj) in &doc.objects {
        let Object::Stream(s) = obj else { continue };
        let form = s.dict.get(b"Subtype").is_ok_and(|t| is_name(t, b"Form"));
        let tiling = s.dict.get(b"PatternType").and_then(Object::as_i64).is_ok_and(|t| t == 1);
        if (form || tiling) && scan.visited.insert(id) {
            let res = get(doc, &s.dict, b"Resources").and_then(|r| r.as_dict().ok());
            scan.form(s, res, &format!("{name} object {}", id.0), f);
        }
    }
    f.check(scan.stats.operations > 0, || format!("{name}: no content operations were found to check"));
    f.check(scan.stats.colour_operators > 0, || format!("{name}: no colour operators were found to check"));
    scan.stats
}

/// Every font descriptor embeds its font (FontFile2/FontFile3, non-empty) under a subset name
/// (`ABCDEF+Name`); every Type0 font has /ToUnicode; simple fonts have descriptors.
fn check_fonts(name: &str, _bytes: &[u8], doc: &Document, f: &mut Findings) {
    let mut descriptors = 0;
    let mut type0 = 0;
    for (&(n, _), obj) in &doc.objects {
        let Some(d) = (match obj {
            Object::Dictionary(d) => Some(d),
            _ => None,
        }) else {
            continue;
        };
        let at = format!("{name} object {n}");
        let ty = d.get(b"Type").ok().and_then(|t| t.as_name().ok()).unwrap_or(b"");
        let subtype = d.get(b"Subtype").ok().and_then(|t| t.as_name().ok()).unwrap_or(b"");
        if ty == b"Font" {
            match subtype {
                b"Type0" => {
                    type0 += 1;
                    let tu = get(doc, d, b"ToUnicode");
                    f.check(matches!(tu, Some(Object::Stream(_))), || format!("{at}: Type0 font without /ToUnicode"));
                    let desc = match get(doc, d, b"DescendantFonts") {
                        Some(Object::Array(a)) if a.len() == 1 => dict(doc, &a[0]),
                        _ => None,
                    };
                    f.check(desc.is_some_and(|c| c.has(b"FontDescriptor")), || {
                        format!("{at}: Type0 font without a descendant font with a /FontDescriptor")
                    });
                }
                b"Type3" | b"CIDFontType0" | b"CIDFontType2" => {}
                other => f.check(d.has(b"FontDescriptor"), || {
                    format!("{at}: /{} font without a /FontDescriptor (not embedded)", lossy(other))
                }),
            }
            if matches!(subtype, b"CIDFontType0" | b"CIDFontType2") {
                f.check(d.has(b"FontDescriptor"), || format!("{at}: CID font without a /FontDescriptor"));
            }
        }
        if ty == b"FontDescriptor" {
            descriptors += 1;
            let font_name = d.get(b"FontName").ok().and_then(|o| o.as_name().ok()).map(lossy).unwrap_or_default();
            let file = get(doc, d, b"FontFile2").or_else(|| get(doc, d, b"FontFile3"));
            match file {
                Some(Object::Stream(s)) => f.check(s.decompressed_content().is_ok_and(|b| !b.is_empty()), || {
                    format!("{at}: font {font_name} has an empty or undecodable font file")
                }),
                _ => f.fail(format!("{at}: font {font_name} is not embedded (no FontFile2/FontFile3)")),
            }
            let b = font_name.as_bytes();
            let subset = b.len() > 7 && b[6] == b'+' && b[..6].iter().all(u8::is_ascii_uppercase);
            f.check(subset, || format!("{at}: font {font_name:?} has no subset prefix (ABCDEF+)"));
        }
    }
    f.check(descriptors > 0, || format!("{name}: no font descriptor found, so no font was checked"));
    f.check(type0 > 0, || format!("{name}: no Type0 font found, so /ToUnicode was not checked"));
}

/// No encryption, JavaScript, OpenAction or additional actions, form fields, embedded files or
/// alternate presentations; no LZW or Crypt filters, transfer functions, halftone phase,
/// PostScript or reference XObjects, OPI, external stream files or interpolated images.
fn check_forbidden(name: &str, bytes: &[u8], doc: &Document, f: &mut Findings) {
    f.check(!doc.trailer.has(b"Encrypt") && !doc.is_encrypted(), || format!("{name}: the file is encrypted"));
    f.check(!bytes.windows(8).any(|w| w == b"/Encrypt"), || format!("{name}: the file mentions /Encrypt"));
    if let Ok(cat) = doc.catalog() {
        f.check(!cat.has(b"OpenAction"), || format!("{name}: the catalog has an /OpenAction"));
        f.check(!cat.has(b"AA"), || format!("{name}: the catalog has additional actions (/AA)"));
        f.check(!cat.has(b"AcroForm"), || format!("{name}: the catalog has an /AcroForm (form fields)"));
        if let Some(names) = get(doc, cat, b"Names").and_then(|n| n.as_dict().ok()) {
            f.check(!names.has(b"JavaScript"), || format!("{name}: the catalog's /Names has /JavaScript"));
            f.check(!names.has(b"EmbeddedFiles"), || format!("{name}: the catalog's /Names has /EmbeddedFiles"));
            f.check(!names.has(b"AlternatePresentations"), || {
                format!("{name}: the catalog's /Names has /AlternatePresentations")
            });
        }
    }
    let mut streams = 0;
    walk_all(doc, &mut |n, obj, key| {
        let at = format!("{name} object {n}");
        if is_name(obj, b"JavaScript") {
            f.fail(format!("{at}: JavaScript"));
        }
        if key == Some(b"Filter") {
            let names: Vec<&Object> = match obj {
                Object::Array(a) => a.iter().collect(),
                o => vec![o],
            };
            for flt in names {
                if is_name(flt, b"LZWDecode") || is_name(flt, b"Crypt") {
                    f.fail(format!("{at}: uses the {} filter", lossy(flt.as_name().unwrap_or(b"?"))));
                }
            }
        }
        let d = match obj {
            Object::Dictionary(d) => d,
            Object::Stream(s) => {
                streams += 1;
                f.check(!s.dict.has(b"F"), || format!("{at}: stream refers to an external file (/F)"));
                &s.dict
            }
            _ => return,
        };
        f.check(!d.has(b"JS"), || format!("{at}: JavaScript action (/JS)"));
        f.check(!d.has(b"AA"), || format!("{at}: additional actions (/AA)"));
        f.check(!d.has(b"TR"), || format!("{at}: transfer function (/TR)"));
        f.check(d.get(b"TR2").map_or(true, |t| is_name(t, b"Default")), || format!("{at}: transfer function (/TR2)"));
        f.check(!d.has(b"HTP"), || format!("{at}: halftone phase (/HTP)"));
        f.check(!d.get(b"Subtype").is_ok_and(|s| is_name(s, b"PS")), || format!("{at}: PostScript XObject"));
        f.check(!d.has(b"OPI"), || format!("{at}: OPI"));
        f.check(!(d.has(b"Ref") && d.get(b"Subtype").is_ok_and(|s| is_name(s, b"Form"))), || {
            format!("{at}: reference XObject")
        });
        f.check(!d.get(b"Interpolate").is_ok_and(|v| matches!(v, Object::Boolean(true))), || {
            format!("{at}: image with /Interpolate true")
        });
    });
    f.check(streams > 0, || format!("{name}: no streams found, so no filter was checked"));
}

// ---------------------------------------------------------------------------------------------
// The tests

#[test]
fn shipped_print_pdfs_are_built_and_readable() {
    let prints = shipped();
    for pdf in prints {
        let doc = pdf.doc();
        assert!(!doc.get_pages().is_empty(), "{}: no pages", pdf.name);
    }
}

#[test]
fn header_is_pdf_1_6_or_lower() {
    every_print("header %PDF-1.6 or lower", check_header);
}

#[test]
fn trailer_has_a_file_identifier() {
    every_print("trailer /ID with two strings", check_file_id);
}

#[test]
fn info_and_xmp_identify_pdfx4_and_agree() {
    every_print("Info and XMP metadata (identification, title, dates, trapping, xmpMM ids)", check_metadata);
}

#[test]
fn one_gts_pdfx_output_intent_with_an_embedded_cmyk_printer_profile() {
    every_print("exactly one GTS_PDFX output intent with an embedded CMYK prtr profile", check_output_intent);
}

#[test]
fn every_page_has_nested_trim_and_bleed_boxes() {
    every_print("TrimBox and BleedBox on every page, no ArtBox, Trim ⊆ Bleed ⊆ Media", check_boxes);
}

#[test]
fn colour_is_cmyk_gray_or_separation_only() {
    let mut named = 0;
    every_print("no DeviceRGB; colour spaces CMYK, gray, ICC CMYK or separations", |name, bytes, doc, f| {
        named += colour(name, bytes, doc, f).named_spaces;
    });
    assert!(
        named > 0,
        "no `cs`/`CS` reference to a resource colour space was resolved in any file (the registration \
         separation of the slug and marks should be one)"
    );
}

#[test]
fn fonts_are_embedded_subset_and_mapped_to_unicode() {
    every_print("fonts embedded (FontFile2/3), subset (ABCDEF+), Type0 with /ToUnicode", check_fonts);
}

#[test]
fn no_encryption_actions_javascript_or_lzw() {
    every_print("no encryption, JavaScript, actions, LZW, transfer functions or PostScript", check_forbidden);
}

/// Builds a copy of the project with a fixed SOURCE_DATE_EPOCH (build and one calibration sheet)
/// and returns its print PDFs.
fn build_with_epoch(epoch: &str) -> Vec<Pdf> {
    let p = TempProject::copy();
    for args in [&["build"][..], &["calibrate", "a4"][..]] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
            .args(args)
            .arg("--root")
            .arg(p.dir.path())
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "tryksag {args:?} failed:\n{}", stderr(&o));
    }
    read_prints(p.pdfs())
}

#[test]
fn same_source_date_epoch_gives_identical_bytes_and_that_date() {
    // 1764000000 s = 2025-11-24 16:00:00 UTC. Two copies in different folders.
    let a = build_with_epoch("1764000000");
    let b = build_with_epoch("1764000000");
    let names = |v: &[Pdf]| v.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    assert!(!a.is_empty(), "no print PDFs were built");
    assert_eq!(names(&a), names(&b), "the two builds wrote different files");
    let mut f = Findings::default();
    for (x, y) in a.iter().zip(&b) {
        f.check(x.bytes == y.bytes, || format!("{}: two builds with the same SOURCE_DATE_EPOCH differ", x.name));
        let doc = x.doc();
        let Some(info) = info(&doc) else {
            f.fail(format!("{}: no Info dictionary", x.name));
            continue;
        };
        for key in [&b"CreationDate"[..], b"ModDate"] {
            let v = info.get(key).ok().and_then(|o| text(&doc, o));
            let want = Some(("20251124160000".to_string(), 0));
            f.check(v.as_deref().and_then(pdf_date) == want, || {
                format!("{}: Info /{} is {v:?}, expected D:20251124160000 in UTC", x.name, lossy(key))
            });
        }
        let mut xf = Findings::default();
        if let Some(xmp) = xmp_packet(&x.name, &doc, &mut xf) {
            let v = xmp_prop(&xmp, "xmp:CreateDate");
            f.check(v.as_deref().and_then(xmp_date) == Some(("20251124160000".to_string(), 0)), || {
                format!("{}: XMP xmp:CreateDate is {v:?}, expected 2025-11-24T16:00:00 in UTC", x.name)
            });
        }
        f.0.extend(xf.0);
    }
    f.assert_clean("reproducible output dated SOURCE_DATE_EPOCH");
}

/// All checks, for files other than the shipped set.
const ALL_CHECKS: [(&str, Check); 8] = [
    ("header", check_header),
    ("file id", check_file_id),
    ("metadata", check_metadata),
    ("output intent", check_output_intent),
    ("page boxes", check_boxes),
    ("colour", check_colour),
    ("fonts", check_fonts),
    ("forbidden", check_forbidden),
];

fn encode(img: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

#[test]
fn print_pdfs_with_rgb_and_cmyk_images_keep_to_pdfx4() {
    // The shipped card deck with three images on every back, over the backdrop: an RGB PNG with
    // a half-transparent alpha channel (converted to CMYK, soft mask), an RGB JPEG (converted)
    // and a CMYK JPEG (passed through). 20 × 15 mm at 960 × 720 px ≈ 1200 ppi.
    let p = TempProject::copy();
    std::fs::create_dir_all(p.path("images")).unwrap();
    let rgba = image::RgbaImage::from_fn(960, 720, |x, y| image::Rgba([(x % 256) as u8, (y % 256) as u8, 160, 128]));
    std::fs::write(p.path("images/alpha.png"), encode(rgba.into(), image::ImageFormat::Png)).unwrap();
    let rgb = image::RgbImage::from_fn(960, 720, |x, y| image::Rgb([200, (x % 256) as u8, (y % 256) as u8]));
    std::fs::write(p.path("images/foto.jpg"), encode(rgb.into(), image::ImageFormat::Jpeg)).unwrap();
    let mut cmyk = Vec::new();
    for y in 0..720u32 {
        for x in 0..960u32 {
            cmyk.extend_from_slice(&[(x % 200) as u8, (y % 200) as u8, 40, 10]);
        }
    }
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 90).encode(&cmyk, 960, 720, jpeg_encoder::ColorType::Cmyk).unwrap();
    std::fs::write(p.path("images/cmyk.jpg"), jpeg).unwrap();
    p.edit("layouts/cards/poker.json", |s| {
        let anchor = "\"fill\": \"backdrop\", \"bleed\": true },";
        assert!(s.contains(anchor), "the poker layout changed: no backdrop rect to put images over");
        let image = |src: &str, x: u32| {
            format!("\n    {{ \"type\": \"image\", \"src\": \"{src}\", \"x\": {x}, \"y\": 62, \"width\": 20, \"height\": 15 }},")
        };
        let images = [image("images/alpha.png", 5), image("images/foto.jpg", 26), image("images/cmyk.jpg", 47)].concat();
        s.replacen(anchor, &format!("{anchor}{images}"), 1)
    });
    // Only the card deck: the images are on the card layout.
    let o = p.run(&["build", "dialogkort"]);
    assert_eq!(o.status.code(), Some(0), "tryksag build dialogkort failed:\n{}", stderr(&o));
    let prints = read_prints(p.pdfs());
    assert!(prints.len() >= 2, "expected the faces file and imposed sheets, got {}", prints.len());
    let mut f = Findings::default();
    let mut images = 0;
    for pdf in &prints {
        let doc = pdf.doc();
        for (_, check) in ALL_CHECKS {
            check(&pdf.name, &pdf.bytes, &doc, &mut f);
        }
        let here: Vec<&Stream> = doc
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter(|s| s.dict.get(b"Subtype").is_ok_and(|t| is_name(t, b"Image")) && !s.dict.has(b"ImageMask"))
            .collect();
        let masks = here.iter().filter(|s| s.dict.has(b"SMask")).count();
        f.check(here.len() >= 4 && masks >= 1, || {
            format!(
                "{}: expected 3 images and a soft mask, found {} image XObjects, {masks} with /SMask",
                pdf.name,
                here.len()
            )
        });
        images += here.len();
    }
    assert!(images > 0, "no image XObject was checked");
    f.assert_clean("PDF/X-4 with raster images");
}

/// PDF/X-1a:2003 where it differs from X-4: header ≤ 1.4 without object or xref streams, Info
/// identification (`GTS_PDFXVersion` = `PDF/X-1a:2003`, title, equal dates, Trapped), an ICC
/// version 2 profile, no ICC-based, Lab or calibrated colour, no transparency at all, no optional
/// content, no 16-bit images, no JPEG 2000 or JBIG2.
fn check_x1a(name: &str, bytes: &[u8], doc: &Document, f: &mut Findings) {
    f.check(bytes.starts_with(b"%PDF-1.") && bytes.get(7).is_some_and(|v| (b'0'..=b'4').contains(v)), || {
        format!("{name}: header {:?}, PDF/X-1a:2003 allows 1.4 at most", String::from_utf8_lossy(&bytes[..8]))
    });
    for (&(n, _), obj) in &doc.objects {
        if let Object::Stream(s) = obj
            && s.dict.get(b"Type").is_ok_and(|t| is_name(t, b"ObjStm") || is_name(t, b"XRef"))
        {
            f.fail(format!("{name} object {n}: object or cross-reference stream (PDF 1.5)"));
        }
    }
    match info(doc) {
        Some(info) => {
            let get_text = |k: &[u8]| info.get(k).ok().and_then(|o| text(doc, o));
            let version = get_text(b"GTS_PDFXVersion");
            f.check(version.as_deref() == Some("PDF/X-1a:2003"), || {
                format!("{name}: Info /GTS_PDFXVersion is {version:?}, expected \"PDF/X-1a:2003\"")
            });
            f.check(get_text(b"Title").is_some_and(|t| !t.trim().is_empty()), || format!("{name}: no Info /Title"));
            let (c, m) = (get_text(b"CreationDate"), get_text(b"ModDate"));
            f.check(c.as_deref().and_then(pdf_date).is_some() && c == m, || {
                format!("{name}: Info /CreationDate {c:?} and /ModDate {m:?} must be equal full dates")
            });
            f.check(info.get(b"Trapped").is_ok_and(|t| is_name(t, b"False")), || {
                format!("{name}: Info /Trapped is not the name /False")
            });
        }
        None => f.fail(format!("{name}: no Info dictionary")),
    }
    if let Some(Object::Array(a)) = doc.catalog().ok().and_then(|c| get(doc, c, b"OutputIntents"))
        && let Some(Object::Stream(p)) =
            a.first().and_then(|oi| dict(doc, oi)).and_then(|oi| get(doc, oi, b"DestOutputProfile"))
    {
        let major = p.decompressed_content().ok().and_then(|b| b.get(8).copied());
        f.check(major == Some(2), || format!("{name}: the output profile is ICC version {major:?}, X-1a needs 2"));
    }
    if let Ok(cat) = doc.catalog() {
        f.check(!cat.has(b"OCProperties"), || format!("{name}: optional content (layers)"));
    }
    walk_all(doc, &mut |n, obj, key| {
        let at = format!("{name} object {n}");
        if let Object::Name(v) = obj
            && matches!(v.as_slice(), b"ICCBased" | b"Lab" | b"CalRGB" | b"CalGray")
            && key != Some(b"Alternate")
        {
            f.fail(format!("{at}: /{} colour (X-1a allows only CMYK, gray, separations)", lossy(v)));
        }
        let d = match obj {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => return,
        };
        if d.get(b"S").is_ok_and(|s| is_name(s, b"Transparency")) {
            f.fail(format!("{at}: transparency group"));
        }
        if d.get(b"Subtype").is_ok_and(|s| is_name(s, b"Image")) {
            let bpc = d.get(b"BitsPerComponent").ok().and_then(|b| b.as_i64().ok());
            f.check(bpc != Some(16), || format!("{at}: 16-bit image (PDF 1.5)"));
            f.check(d.get(b"SMaskInData").ok().and_then(|v| v.as_i64().ok()).is_none_or(|v| v == 0), || {
                format!("{at}: image with /SMaskInData")
            });
        }
        if let Ok(filter) = d.get(b"Filter") {
            let filters: Vec<&Object> = match filter {
                Object::Array(a) => a.iter().collect(),
                o => vec![o],
            };
            for flt in filters {
                f.check(!(is_name(flt, b"JPXDecode") || is_name(flt, b"JBIG2Decode")), || {
                    format!("{at}: JPEG 2000 or JBIG2 compression")
                });
            }
        }
        for k in [&b"CA"[..], b"ca"] {
            if let Some(v) = d.get(k).ok().and_then(|v| num(doc, v)) {
                f.check(v == 1.0, || format!("{at}: opacity /{} {v}", lossy(k)));
            }
        }
        if let Ok(sm) = d.get(b"SMask") {
            f.check(is_name(sm, b"None"), || format!("{at}: soft mask"));
        }
        if let Ok(bm) = d.get(b"BM") {
            let mode = match bm {
                Object::Array(a) => a.first(),
                o => Some(o),
            };
            f.check(mode.is_some_and(|m| is_name(m, b"Normal") || is_name(m, b"Compatible")), || {
                format!("{at}: blend mode {bm:?}")
            });
        }
    });
}

#[test]
fn the_x1a_option_writes_pdfx_1a_2003() {
    let p = TempProject::copy();
    let o = p.run(&["build", "--pdfx", "x1a"]);
    assert_eq!(o.status.code(), Some(0), "tryksag build --pdfx x1a failed:\n{}", stderr(&o));
    let prints = read_prints(p.pdfs());
    assert!(prints.len() >= 2, "expected the faces file and imposed sheets, got {}", prints.len());
    let mut f = Findings::default();
    for pdf in &prints {
        let doc = pdf.doc();
        for check in
            [check_file_id, check_output_intent, check_boxes, check_colour, check_fonts, check_forbidden, check_x1a]
                as [Check; 7]
        {
            check(&pdf.name, &pdf.bytes, &doc, &mut f);
        }
    }
    f.assert_clean("PDF/X-1a:2003");
}

// ---------------------------------------------------------------------------------------------
// The checks themselves can fail: break a shipped file one rule at a time.

/// The shipped faces PDF, changed by `edit`, saved and read back.
fn broken(edit: impl FnOnce(&mut Document)) -> (Vec<u8>, Document) {
    let faces = shipped().iter().find(|p| p.name.ends_with("-faces.pdf")).unwrap();
    let mut doc = faces.doc();
    edit(&mut doc);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let doc = Document::load_mem(&bytes).unwrap();
    (bytes, doc)
}

type Check = fn(&str, &[u8], &Document, &mut Findings);

fn expect_violation(check: Check, edit: impl FnOnce(&mut Document), needle: &str) {
    let (bytes, doc) = broken(edit);
    let mut f = Findings::default();
    check("broken.pdf", &bytes, &doc, &mut f);
    assert!(f.0.iter().any(|m| m.contains(needle)), "the check did not report {needle:?}; it reported: {:#?}", f.0);
}

fn first_page(doc: &Document) -> ObjectId {
    doc.page_iter().next().unwrap()
}

fn info_mut(doc: &mut Document) -> &mut Dictionary {
    let id = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    doc.get_dictionary_mut(id).unwrap()
}

fn catalog_entry(doc: &Document, key: &[u8]) -> ObjectId {
    doc.catalog().unwrap().get(key).unwrap().as_reference().unwrap()
}

fn page_resources_mut(doc: &mut Document, page: ObjectId) -> &mut Dictionary {
    match doc.get_dictionary(page).unwrap().get(b"Resources").unwrap().clone() {
        Object::Reference(id) => doc.get_dictionary_mut(id).unwrap(),
        _ => doc.get_dictionary_mut(page).unwrap().get_mut(b"Resources").unwrap().as_dict_mut().unwrap(),
    }
}

#[test]
fn the_checks_catch_broken_files() {
    // The unbroken file passes every check.
    let (bytes, doc) = broken(|_| {});
    let mut f = Findings::default();
    for (_, check) in ALL_CHECKS {
        check("unbroken.pdf", &bytes, &doc, &mut f);
    }
    f.assert_clean("a re-saved shipped file");

    // An X-4 file is not X-1a.
    let mut x1a = Findings::default();
    check_x1a("x4.pdf", &bytes, &doc, &mut x1a);
    for needle in ["PDF/X-1a:2003 allows 1.4 at most", "expected \"PDF/X-1a:2003\""] {
        assert!(x1a.0.iter().any(|m| m.contains(needle)), "check_x1a did not report {needle:?}: {:#?}", x1a.0);
    }
    expect_violation(
        check_x1a,
        |d| {
            let mut gs = Dictionary::new();
            gs.set("Type", Object::Name(b"ExtGState".to_vec()));
            gs.set("ca", Object::Real(0.5));
            d.add_object(gs);
        },
        "opacity /ca 0.5",
    );

    expect_violation(check_header, |d| d.version = "1.7".into(), "header is %PDF-1.7");
    expect_violation(check_file_id, |d| drop(d.trailer.remove(b"ID")), "no /ID");
    expect_violation(
        check_metadata,
        |d| info_mut(d).set("Trapped", Object::Name(b"Unknown".to_vec())),
        "expected the name /False",
    );
    expect_violation(
        check_metadata,
        |d| info_mut(d).set("ModDate", Object::string_literal("D:20000101000000Z")),
        "differs from /ModDate",
    );
    expect_violation(check_metadata, |d| drop(info_mut(d).remove(b"GTS_PDFXVersion")), "GTS_PDFXVersion is missing");
    expect_violation(
        check_metadata,
        |d| {
            let id = catalog_entry(d, b"Metadata");
            let s = d.get_object_mut(id).unwrap().as_stream_mut().unwrap();
            let xmp = String::from_utf8(s.content.clone()).unwrap();
            let xmp = xmp.replace(">PDF/X-4<", ">PDF/X-3<").replace("<xmp:ModifyDate>2", "<xmp:ModifyDate>1");
            s.set_content(xmp.into_bytes());
        },
        "pdfxid:GTS_PDFXVersion is Some(\"PDF/X-3\")",
    );
    expect_violation(
        check_metadata,
        |d| {
            let id = catalog_entry(d, b"Metadata");
            let s = d.get_object_mut(id).unwrap().as_stream_mut().unwrap();
            let xmp = String::from_utf8(s.content.clone()).unwrap().replace("xmpMM:RenditionClass", "xmpMM:Other");
            s.set_content(xmp.into_bytes());
        },
        "xmpMM:RenditionClass is missing",
    );
    expect_violation(
        check_output_intent,
        |d| {
            let cat = d.catalog_mut().unwrap();
            let Object::Array(a) = cat.get_mut(b"OutputIntents").unwrap() else { panic!() };
            a.push(a[0].clone());
        },
        "2 output intents",
    );
    expect_violation(
        check_output_intent,
        |d| {
            let Object::Array(a) = d.catalog().unwrap().get(b"OutputIntents").unwrap() else { panic!() };
            let oi = a[0].as_reference().unwrap();
            let p = d.get_dictionary(oi).unwrap().get(b"DestOutputProfile").unwrap().as_reference().unwrap();
            let s = d.get_object_mut(p).unwrap().as_stream_mut().unwrap();
            let mut icc = s.decompressed_content().unwrap();
            icc[12..16].copy_from_slice(b"mntr");
            s.dict.remove(b"Filter");
            s.set_content(icc);
            s.dict.set("N", 3);
        },
        "ICC profile class \"mntr\"",
    );
    expect_violation(
        check_boxes,
        |d| drop(d.get_dictionary_mut(first_page(d)).unwrap().remove(b"TrimBox")),
        "no TrimBox",
    );
    expect_violation(
        check_boxes,
        |d| {
            let p = d.get_dictionary_mut(first_page(d)).unwrap();
            p.set("TrimBox", vec![0.into(), 0.into(), 900.into(), 900.into()]);
            p.set("ArtBox", vec![0.into(), 0.into(), 10.into(), 10.into()]);
        },
        "TrimBox [0.00 0.00 317.50 317.50] mm is not inside BleedBox",
    );
    expect_violation(
        check_colour,
        |d| d.add_page_contents(first_page(d), b"1 0 0 rg 0 0 10 10 re f".to_vec()).unwrap(),
        "page 1: operator rg paints in DeviceRGB",
    );
    expect_violation(
        check_colour,
        |d| {
            let page = first_page(d);
            let res = page_resources_mut(d, page);
            if !res.has(b"ColorSpace") {
                res.set("ColorSpace", Dictionary::new());
            }
            let Object::Dictionary(cs) = res.get_mut(b"ColorSpace").unwrap() else { panic!("indirect /ColorSpace") };
            let mut cal = Dictionary::new();
            cal.set("WhitePoint", vec![Object::Real(0.95), 1.into(), Object::Real(1.09)]);
            cs.set("CsX", vec![Object::Name(b"CalRGB".to_vec()), cal.into()]);
            d.add_page_contents(page, b"/CsX cs 1 0 0 sc 0 0 10 10 re f".to_vec()).unwrap();
        },
        "page 1: operator cs: colour space /CsX is /CalRGB",
    );
    expect_violation(
        check_colour,
        |d| {
            let page = first_page(d);
            let res = page_resources_mut(d, page);
            if !res.has(b"ColorSpace") {
                res.set("ColorSpace", Dictionary::new());
            }
            let Object::Dictionary(cs) = res.get_mut(b"ColorSpace").unwrap() else { panic!("indirect /ColorSpace") };
            cs.set("CsY", Object::Name(b"DeviceRGB".to_vec()));
        },
        "uses the name /DeviceRGB",
    );
    expect_violation(
        check_fonts,
        |d| {
            let id = d
                .objects
                .iter()
                .find(|(_, o)| o.as_dict().is_ok_and(|x| x.get(b"Type").is_ok_and(|t| is_name(t, b"FontDescriptor"))))
                .map(|(id, _)| *id)
                .unwrap();
            let fd = d.get_dictionary_mut(id).unwrap();
            fd.remove(b"FontFile2");
            fd.set("FontName", Object::Name(b"AtkinsonHyperlegibleNext-Regular".to_vec()));
        },
        "has no subset prefix",
    );
    expect_violation(
        check_fonts,
        |d| {
            let ids: Vec<ObjectId> = d
                .objects
                .iter()
                .filter(|(_, o)| o.as_dict().is_ok_and(|x| x.get(b"Subtype").is_ok_and(|t| is_name(t, b"Type0"))))
                .map(|(id, _)| *id)
                .collect();
            d.get_dictionary_mut(ids[0]).unwrap().remove(b"ToUnicode");
        },
        "Type0 font without /ToUnicode",
    );
    expect_violation(
        check_forbidden,
        |d| {
            let mut js = Dictionary::new();
            js.set("S", Object::Name(b"JavaScript".to_vec()));
            js.set("JS", Object::string_literal("app.alert(1)"));
            d.catalog_mut().unwrap().set("OpenAction", js);
        },
        "the catalog has an /OpenAction",
    );
    expect_violation(
        check_forbidden,
        |d| {
            let mut dict = Dictionary::new();
            dict.set("Subtype", Object::Name(b"Image".to_vec()));
            dict.set("Interpolate", true);
            d.add_object(Stream::new(dict, Vec::new()));
        },
        "image with /Interpolate true",
    );
    expect_violation(
        check_forbidden,
        |d| {
            let mut dict = Dictionary::new();
            dict.set("Filter", Object::Name(b"LZWDecode".to_vec()));
            d.add_object(Stream::new(dict, Vec::new()));
        },
        "uses the LZWDecode filter",
    );
}
