//! The preflight: what makes a document not PDF/X (encryption aside, which the pass checks on
//! reading). Collects every problem and reports the first, with how many more there are.

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::scan::paints_rgb;
use super::{PdfxError, is_name};
use crate::model::standard::PdfxFlavour;

/// Collects what makes the document not PDF/X; reports the first few problems.
struct Checker<'a> {
    doc: &'a Document,
    flavour: PdfxFlavour,
    problems: Vec<String>,
}

/// Checks the document; the error names the first problem and counts the others.
pub(super) fn check_document(doc: &Document, flavour: PdfxFlavour) -> Result<(), PdfxError> {
    let mut c = Checker { doc, flavour, problems: Vec::new() };
    // Page-level findings first: "page 3 paints in devicergb" says more than an object number.
    c.catalog();
    c.pages();
    c.content_streams();
    for (&id, obj) in &doc.objects {
        c.object(id, obj, None);
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut unique = c.problems.into_iter().filter(|p| seen.insert(p.clone()));
    match unique.next() {
        None => Ok(()),
        Some(first) => Err(PdfxError::NotPdfx { first, more: unique.count() }),
    }
}

impl<'a> Checker<'a> {
    fn problem(&mut self, msg: String) {
        self.problems.push(msg);
    }

    fn deref(&self, obj: &'a Object) -> &'a Object {
        let doc: &'a Document = self.doc;
        doc.dereference(obj).map(|(_, o)| o).unwrap_or(obj)
    }

    fn dict(&self, obj: &'a Object) -> Option<&'a Dictionary> {
        match self.deref(obj) {
            Object::Dictionary(d) => Some(d),
            Object::Stream(s) => Some(&s.dict),
            _ => None,
        }
    }

    fn catalog(&mut self) {
        let doc: &'a Document = self.doc;
        let Ok(cat) = doc.catalog() else { return };
        let label = self.flavour.label();
        if cat.has(b"AA") {
            self.problem(format!("the document has actions (/AA); {label} forbids them"));
        }
        if let Some(oa) = cat.get(b"OpenAction").ok().and_then(|o| self.dict(o))
            && oa.has(b"S")
        {
            self.problem(format!("the document has an open action; {label} forbids actions"));
        }
        if let Some(names) = cat.get(b"Names").ok().and_then(|o| self.dict(o)) {
            if names.has(b"JavaScript") {
                self.problem(format!("the document has javascript; {label} forbids it"));
            }
            if names.has(b"EmbeddedFiles") {
                self.problem(format!("the document has embedded files; {label} forbids them"));
            }
        }
        if self.flavour == PdfxFlavour::X1a2003 && cat.has(b"OCProperties") {
            self.problem("the document has optional content (layers); pdf/x-1a forbids it".into());
        }
    }

    fn rect(&self, obj: &'a Object) -> Option<[f32; 4]> {
        let Object::Array(a) = self.deref(obj) else {
            return None;
        };
        if a.len() != 4 {
            return None;
        }
        let mut v = [0.0f32; 4];
        for (slot, item) in v.iter_mut().zip(a) {
            *slot = self.deref(item).as_float().ok()?;
        }
        Some([v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
    }

    /// A page box, following /Parent for the inheritable MediaBox and CropBox.
    fn page_box(&self, page: &'a Dictionary, key: &[u8], inheritable: bool) -> Option<[f32; 4]> {
        let mut node = page;
        for _ in 0..64 {
            if let Ok(v) = node.get(key) {
                return self.rect(v);
            }
            if !inheritable {
                return None;
            }
            node = node.get(b"Parent").ok().and_then(|p| self.dict(p))?;
        }
        None
    }

    fn pages(&mut self) {
        const EPS: f32 = 0.01;
        let inside = |a: [f32; 4], b: [f32; 4]| {
            a[0] >= b[0] - EPS && a[1] >= b[1] - EPS && a[2] <= b[2] + EPS && a[3] <= b[3] + EPS
        };
        let overlaps = |a: [f32; 4], b: [f32; 4]| !(a[2] <= b[0] || b[2] <= a[0] || a[3] <= b[1] || b[3] <= a[1]);
        let label = self.flavour.label();
        let doc: &'a Document = self.doc;
        for (n, page_id) in doc.get_pages() {
            let Ok(page) = doc.get_dictionary(page_id) else {
                continue;
            };
            let media = self.page_box(page, b"MediaBox", true);
            let crop = self.page_box(page, b"CropBox", true);
            let bleed = self.page_box(page, b"BleedBox", false);
            let trim = self.page_box(page, b"TrimBox", false);
            let art = self.page_box(page, b"ArtBox", false);
            let Some(media) = media else {
                self.problem(format!("page {n} has no mediabox"));
                continue;
            };
            match (trim, art) {
                (None, None) => {
                    self.problem(format!("page {n} has no trimbox; {label} needs one (or an artbox) on every page"))
                }
                (Some(_), Some(_)) => {
                    self.problem(format!("page {n} has both a trimbox and an artbox; {label} allows only one"))
                }
                _ => {}
            }
            let inner = trim.or(art);
            let chain = [("trimbox", inner), ("bleedbox", bleed), ("cropbox", crop), ("mediabox", Some(media))];
            let chain: Vec<(&str, [f32; 4])> = chain.into_iter().filter_map(|(name, b)| b.map(|b| (name, b))).collect();
            for pair in chain.windows(2) {
                if !inside(pair[0].1, pair[1].1) {
                    self.problem(format!("page {n}: the {} is not inside the {}", pair[0].0, pair[1].0));
                }
            }
            if page.has(b"AA") {
                self.problem(format!("page {n} has actions (/AA); {label} forbids them"));
            }
            let limit = bleed.or(inner);
            if let Ok(Object::Array(annots)) = page.get(b"Annots").map(|a| self.deref(a)) {
                for annot in annots {
                    let Some(a) = self.dict(annot) else { continue };
                    let subtype = a
                        .get(b"Subtype")
                        .ok()
                        .and_then(|s| s.as_name().ok())
                        .map(|s| String::from_utf8_lossy(s).to_lowercase())
                        .unwrap_or_else(|| "unknown".into());
                    if a.has(b"A") || a.has(b"AA") {
                        self.problem(format!(
                            "page {n} has a {subtype} annotation with an action; {label} forbids actions"
                        ));
                    }
                    let rect = a.get(b"Rect").ok().and_then(|r| self.rect(r));
                    let Some(rect) = rect.filter(|r| r[2] > r[0] && r[3] > r[1]) else {
                        continue;
                    };
                    match subtype.as_str() {
                        "trapnet" => {}
                        "printermark" => {
                            if inner.is_some_and(|i| overlaps(rect, i)) {
                                self.problem(format!("page {n} has a printer's mark annotation inside the trimbox"));
                            }
                        }
                        _ => {
                            if limit.is_some_and(|l| overlaps(rect, l)) {
                                self.problem(format!(
                                    "page {n} has a {subtype} annotation inside the bleedbox; {label} forbids that"
                                ));
                            }
                        }
                    }
                }
            }
        }
    }

    /// Colour spaces, transparency, transfer functions and filters in an object's dictionaries.
    fn object(&mut self, id: ObjectId, obj: &Object, key: Option<&[u8]>) {
        let at = || format!("object {}", id.0);
        let label = self.flavour.label();
        match obj {
            Object::Name(n) if n == b"DeviceRGB" && key != Some(b"Alternate") => {
                self.problem(format!(
                    "{} uses devicergb; {label} allows no plain rgb under a cmyk output intent (convert to cmyk)",
                    at()
                ));
            }
            Object::Array(a) => {
                if self.flavour == PdfxFlavour::X1a2003
                    && let Some(Object::Name(first)) = a.first()
                    && matches!(first.as_slice(), b"ICCBased" | b"Lab" | b"CalRGB" | b"CalGray")
                {
                    self.problem(format!(
                        "{} uses a {} colour space; pdf/x-1a allows only cmyk, gray and separations",
                        at(),
                        String::from_utf8_lossy(first).to_lowercase()
                    ));
                }
                for item in a {
                    self.object(id, item, None);
                }
            }
            Object::Dictionary(d) => self.dictionary(id, d),
            Object::Stream(s) => {
                self.dictionary(id, &s.dict);
                self.filters(id, &s.dict);
            }
            _ => {}
        }
    }

    fn dictionary(&mut self, id: ObjectId, d: &Dictionary) {
        let at = format!("object {}", id.0);
        let label = self.flavour.label();
        if d.has(b"TR") {
            self.problem(format!("{at} sets a transfer function; {label} forbids them"));
        }
        if let Ok(tr2) = d.get(b"TR2")
            && !is_name(tr2, b"Default")
        {
            self.problem(format!("{at} sets a transfer function (tr2); {label} forbids them"));
        }
        if d.has(b"HTP") {
            self.problem(format!("{at} sets a halftone phase; {label} forbids it"));
        }
        if self.flavour == PdfxFlavour::X1a2003 {
            let transparency =
                |what: &str| format!("{at} uses transparency ({what}); pdf/x-1a forbids it, use pdf/x-4");
            for key in [&b"CA"[..], b"ca"] {
                if let Ok(v) = d.get(key).and_then(Object::as_float)
                    && v != 1.0
                {
                    self.problem(transparency("opacity"));
                }
            }
            if let Ok(sm) = d.get(b"SMask")
                && !is_name(sm, b"None")
            {
                self.problem(transparency("soft mask"));
            }
            if let Ok(bm) = d.get(b"BM") {
                let mode = match bm {
                    Object::Array(a) => a.first(),
                    other => Some(other),
                };
                if !mode.is_some_and(|m| is_name(m, b"Normal") || is_name(m, b"Compatible")) {
                    self.problem(transparency("blend mode"));
                }
            }
            if d.get(b"SMaskInData").and_then(Object::as_i64).is_ok_and(|v| v != 0) {
                self.problem(transparency("soft mask in image data"));
            }
            if d.get(b"S").is_ok_and(|s| is_name(s, b"Transparency")) {
                self.problem(transparency("transparency group"));
            }
        }
        for (k, v) in d.iter() {
            self.object(id, v, Some(k));
        }
    }

    fn filters(&mut self, id: ObjectId, d: &Dictionary) {
        let names: Vec<Vec<u8>> = match d.get(b"Filter").map(|f| self.deref(f)) {
            Ok(Object::Name(n)) => vec![n.clone()],
            Ok(Object::Array(a)) => a.iter().filter_map(|f| f.as_name().ok().map(<[u8]>::to_vec)).collect(),
            _ => Vec::new(),
        };
        let label = self.flavour.label();
        for f in names {
            let bad = match f.as_slice() {
                b"LZWDecode" | b"Crypt" => true,
                b"JPXDecode" | b"JBIG2Decode" => self.flavour == PdfxFlavour::X1a2003,
                _ => false,
            };
            if bad {
                self.problem(format!(
                    "object {} uses the {} filter; {label} forbids it",
                    id.0,
                    String::from_utf8_lossy(&f).to_lowercase()
                ));
            }
        }
        if d.has(b"F") {
            self.problem(format!("object {} refers to an external file; {label} forbids that", id.0));
        }
    }

    /// Device colour set by operators inside content streams (`rg`, `RG`, `/DeviceRGB cs`).
    fn content_streams(&mut self) {
        let mut streams: Vec<(String, ObjectId)> = Vec::new();
        for (n, page_id) in self.doc.get_pages() {
            for content in self.doc.get_page_contents(page_id) {
                streams.push((format!("page {n}"), content));
            }
        }
        for (&id, obj) in &self.doc.objects {
            let Object::Stream(s) = obj else {
                if let Object::Dictionary(d) = obj
                    && d.get(b"Subtype").is_ok_and(|s| is_name(s, b"Type3"))
                {
                    // krilla draws glyphs it cannot embed as outlines (no glyf/CFF, colour or
                    // bitmap glyphs) as a Type 3 font: blank or RGB text on a press. FontBook
                    // refuses such fonts at load; this is the last line.
                    self.problem(format!(
                        "object {} is a type 3 font (glyphs drawn as graphics); print files need embedded outline fonts",
                        id.0
                    ));
                }
                if let Object::Dictionary(d) = obj
                    && d.get(b"Subtype").is_ok_and(|s| is_name(s, b"Type3"))
                    && let Some(procs) = d.get(b"CharProcs").ok().and_then(|p| self.dict(p))
                {
                    for (_, p) in procs.iter() {
                        if let Ok(r) = p.as_reference() {
                            streams.push((format!("object {}", r.0), r));
                        }
                    }
                }
                continue;
            };
            let form = s.dict.get(b"Subtype").is_ok_and(|t| is_name(t, b"Form"));
            let tiling = s.dict.get(b"PatternType").and_then(Object::as_i64).is_ok_and(|t| t == 1);
            if form || tiling {
                streams.push((format!("object {}", id.0), id));
            }
        }
        let label = self.flavour.label();
        // Inflating and scanning every content stream is most of this pass: do it in parallel.
        use rayon::prelude::*;
        let doc = self.doc;
        let rgb: Vec<bool> = streams
            .par_iter()
            .map(|(_, id)| match doc.get_object(*id) {
                // Best effort: a stream lopdf cannot decode is left to outside checkers.
                Ok(Object::Stream(s)) => s.decompressed_content().is_ok_and(|data| paints_rgb(&data)),
                _ => false,
            })
            .collect();
        for ((place, _), rgb) in streams.iter().zip(rgb) {
            if rgb {
                self.problem(format!(
                    "{place} paints in devicergb; {label} allows no plain rgb under a cmyk output intent (convert to cmyk)"
                ));
            }
        }
    }
}

/// The file-level GWG 2022 rules, on the finished document: the CropBox equal to the MediaBox (or
/// absent), every transparency group blending in CMYK, and a CMYK output intent. Only a break
/// upstream (krilla, the finishing pass) can make them fail.
pub(super) fn check_gwg(doc: &Document) -> Result<(), PdfxError> {
    use crate::model::print_condition::rule;
    let c = Checker { doc, flavour: PdfxFlavour::X4, problems: Vec::new() };
    let mut problems = Vec::new();
    for (n, page_id) in doc.get_pages() {
        let Ok(page) = doc.get_dictionary(page_id) else { continue };
        let media = c.page_box(page, b"MediaBox", true);
        if let Some(crop) = c.page_box(page, b"CropBox", true)
            && media.is_none_or(|m| m.iter().zip(crop).any(|(a, b)| (a - b).abs() > 0.01))
        {
            problems.push(format!("{}: page {n}: the cropbox differs from the mediabox", rule::PAGE_BOXES));
        }
    }
    for (&id, obj) in &doc.objects {
        let d = match obj {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        let mut groups = vec![d];
        if let Ok(g) = d.get(b"Group").map(|g| c.deref(g))
            && let Object::Dictionary(g) = g
        {
            groups.push(g);
        }
        for g in groups {
            if g.get(b"S").is_ok_and(|s| is_name(s, b"Transparency"))
                && let Ok(cs) = g.get(b"CS").map(|cs| c.deref(cs))
                && !is_name(cs, b"DeviceCMYK")
            {
                problems.push(format!(
                    "{}: object {}: a transparency group blends in {}, not cmyk",
                    rule::BLEND_SPACE,
                    id.0,
                    match cs {
                        Object::Name(n) => String::from_utf8_lossy(n).to_lowercase(),
                        _ => "a colour space other than devicecmyk".into(),
                    }
                ));
            }
        }
    }
    let cmyk_intent = doc.catalog().ok().and_then(|cat| cat.get(b"OutputIntents").ok()).is_some_and(|oi| {
        let Object::Array(a) = c.deref(oi) else { return false };
        a.iter().filter_map(|i| c.dict(i)).any(|i| {
            let profile = i.get(b"DestOutputProfile").ok().map(|p| c.deref(p));
            i.get(b"S").is_ok_and(|s| is_name(s, b"GTS_PDFX"))
                && matches!(profile, Some(Object::Stream(s))
                    if s.dict.get(b"N").ok().and_then(|n| n.as_i64().ok()) == Some(4))
        })
    });
    if !cmyk_intent {
        problems
            .push(format!("{}: the document has no cmyk (GTS_PDFX, 4-component) output intent", rule::OUTPUT_INTENT));
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut unique = problems.into_iter().filter(|p| seen.insert(p.clone()));
    match unique.next() {
        None => Ok(()),
        Some(first) => Err(PdfxError::NotGwg { first, more: unique.count() }),
    }
}

#[cfg(test)]
mod gwg_tests {
    use lopdf::{Dictionary, Document, Object, Stream, dictionary};

    use super::check_gwg;

    /// A one-page document with `page` entries, a transparency group blending in `cs`, and an
    /// output intent whose profile has `n` components.
    fn pdf(crop: Option<[i64; 4]>, cs: &[u8], n: i64) -> Document {
        let mut doc = Document::with_version("1.6");
        let pages_id = doc.new_object_id();
        let group = dictionary! { "S" => "Transparency", "CS" => Object::Name(cs.to_vec()) };
        let mut page = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 200.into(), 300.into()],
            "Group" => group,
        };
        if let Some(c) = crop {
            page.set("CropBox", c.iter().map(|&v| Object::Integer(v)).collect::<Vec<_>>());
        }
        let page_id = doc.add_object(page);
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            }),
        );
        let profile = doc.add_object(Stream::new(dictionary! { "N" => n }, vec![0; 16]));
        let intent =
            doc.add_object(dictionary! { "Type" => "OutputIntent", "S" => "GTS_PDFX", "DestOutputProfile" => profile });
        let catalog: Dictionary =
            dictionary! { "Type" => "Catalog", "Pages" => pages_id, "OutputIntents" => vec![intent.into()] };
        let root = doc.add_object(catalog);
        doc.trailer.set("Root", root);
        doc
    }

    fn first(doc: &Document) -> String {
        check_gwg(doc).unwrap_err().to_string()
    }

    #[test]
    fn a_well_made_file_passes() {
        assert_eq!(check_gwg(&pdf(None, b"DeviceCMYK", 4)), Ok(()));
        assert_eq!(check_gwg(&pdf(Some([0, 0, 200, 300]), b"DeviceCMYK", 4)), Ok(()));
    }

    #[test]
    fn a_cropbox_other_than_the_mediabox_fails() {
        let e = first(&pdf(Some([10, 10, 190, 290]), b"DeviceCMYK", 4));
        assert!(e.starts_with("GWG 4.2 page boxes: page 1: the cropbox differs from the mediabox"), "{e}");
    }

    #[test]
    fn a_group_blending_in_rgb_fails() {
        let e = first(&pdf(None, b"DeviceRGB", 4));
        assert!(e.contains("GWG 4.22 transparency blend space") && e.contains("blends in devicergb"), "{e}");
    }

    #[test]
    fn an_rgb_output_intent_fails() {
        let e = first(&pdf(None, b"DeviceCMYK", 3));
        assert!(e.starts_with("GWG 4.3 output intent: the document has no cmyk"), "{e}");
    }
}
