//! Helpers shared by the integration tests: a throwaway copy of the project and the binary.
#![allow(dead_code)]

pub mod testdata;

use std::path::{Path, PathBuf};
use std::process::Output;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// The shipped fonts, loaded once for the whole test binary (loading checks every glyph of
/// every font, tens of milliseconds, and some tests set hundreds of paragraphs).
pub fn shipped_fonts() -> &'static tryksag::text::FontBook {
    static BOOK: std::sync::OnceLock<tryksag::text::FontBook> = std::sync::OnceLock::new();
    BOOK.get_or_init(|| tryksag::text::FontBook::load_dir(&repo().join("fonts")).unwrap())
}

/// A copy of the project's inputs in a temporary folder.
pub struct TempProject {
    pub dir: tempfile::TempDir,
}

impl TempProject {
    /// Copies decks/, layouts/ and fonts/.
    pub fn copy() -> TempProject {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["decks", "layouts", "fonts"] {
            copy_dir(&repo().join(sub), &dir.path().join(sub));
        }
        TempProject { dir }
    }

    /// Copies the project but replaces the decks (and leaflets and print runs, which refer to
    /// them) with one small deck `d.json`.
    pub fn with_deck(deck_json: &str) -> TempProject {
        let p = TempProject::copy();
        std::fs::remove_dir_all(p.path("decks")).unwrap();
        std::fs::remove_dir_all(p.path("layouts/runs")).unwrap();
        p.write("decks/d.json", deck_json);
        p
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, content: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    pub fn edit(&self, rel: &str, f: impl FnOnce(String) -> String) {
        let s = std::fs::read_to_string(self.path(rel)).unwrap();
        self.write(rel, &f(s));
    }

    /// Runs `tryksag <args> --root <this project>`.
    pub fn run(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
            .args(args)
            .arg("--root")
            .arg(self.dir.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .unwrap()
    }

    /// PDFs in output/.
    pub fn pdfs(&self) -> Vec<PathBuf> {
        match std::fs::read_dir(self.path("output")) {
            Ok(rd) => rd.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "pdf")).collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Print PDFs in output/: every PDF but the download versions (`*-screen.pdf`).
    pub fn print_pdfs(&self) -> Vec<PathBuf> {
        self.pdfs().into_iter().filter(|p| !p.to_string_lossy().ends_with("-screen.pdf")).collect()
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A minimal valid deck for the poker layout, with `cards` spliced in.
pub fn deck(cards: &str) -> String {
    format!(
        r#"{{
  "title": "Testkort",
  "language": "da",
  "layout": "poker",
  "sender": "PsykInfo",
  "categories": [{{ "id": "nu", "label": "Lige nu" }}],
  "cards": [
{cards}
  ]
}}"#
    )
}

/// A card JSON object for [`deck`].
pub fn card(id: &str, question: &str) -> String {
    format!(
        r#"    {{ "id": "{id}", "category": "nu", "fields": {{ "title": "Titel", "question": "{question}", "prompt": "En kort refleksion." }} }}"#
    )
}

/// A deck whose card `a` has `back.image` = `rel`, shown by an optional image box in the poker
/// layout, after
/// the backdrop so that the image is painted on top of it; the image file is the caller's.
pub fn project_with_back_image(rel: &str) -> TempProject {
    let c = card("a", "Hvordan går det?")
        .replace("\"fields\"", &format!("\"back\": {{ \"image\": \"{rel}\" }}, \"fields\""));
    let p = TempProject::with_deck(&deck(&c));
    std::fs::create_dir_all(p.path("images")).unwrap();
    p.edit("layouts/cards/poker.json", |s| {
        let anchor = "\"fill\": \"backdrop\", \"bleed\": true },";
        assert!(s.contains(anchor));
        s.replacen(
            anchor,
            &format!("{anchor}\n    {{ \"type\": \"image\", \"field\": \"back.image\", \"x\": 11.5, \"y\": 50, \"width\": 40, \"height\": 30, \"optional\": true }},"),
            1,
        )
    });
    p
}

/// CRC-32 of PNG chunks.
pub fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
        }
    }
    !c
}

pub fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend(data);
    out.extend(&body);
    out.extend(crc32(&body).to_be_bytes());
}

/// A well-formed PNG that declares `w` × `h` RGB pixels but holds a few bytes of data: decoding it
/// would allocate w × h × 3 bytes.
pub fn bomb_png(w: u32, h: u32) -> Vec<u8> {
    bomb_png_of(w, h, 8, 2)
}

/// [`bomb_png`] with a bit depth and PNG colour type (6: RGBA).
pub fn bomb_png_of(w: u32, h: u32, depth: u8, color: u8) -> Vec<u8> {
    use std::io::Write;
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([depth, color, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![0u8; 1 << 20]).unwrap();
    png_chunk(&mut out, b"IDAT", &z.finish().unwrap());
    png_chunk(&mut out, b"IEND", &[]);
    out
}

/// The print panels of the project's first leaflet, laid out in-process (no print condition).
pub fn lay_out_first_leaflet(
    p: &tryksag::model::Project,
) -> (Option<tryksag::layout::LeafletPanels>, Vec<tryksag::diag::Diagnostic>) {
    let l = &p.leaflets[0];
    let images = tryksag::assets::ImageCache::new(&p.root, p.output_intent.profile.clone(), p.fonts.files());
    let input = tryksag::layout::LeafletInput {
        leaflet: l,
        layout: &p.leaflet_layouts[&l.layout],
        fonts: &p.fonts,
        images: &images,
        region: p.regions.iter().find(|r| r.id == l.region),
        regions_file: p.regions_file.as_deref(),
    };
    tryksag::layout::lay_out_leaflet(&input, tryksag::model::PrintCheck::NONE, None)
}

/// Every link annotation's URI and rectangle, page by page (asserting each is a Link).
pub fn link_annotations(doc: &lopdf::Document) -> Vec<(u32, String, [f64; 4])> {
    let num = |o: &lopdf::Object| o.as_float().map(f64::from).or_else(|_| o.as_i64().map(|i| i as f64)).unwrap();
    let mut out = Vec::new();
    for (n, page) in doc.get_pages() {
        let d = doc.get_dictionary(page).unwrap();
        let Ok(annots) = d.get(b"Annots").and_then(|a| doc.dereference(a)).and_then(|(_, a)| a.as_array()) else {
            continue;
        };
        for a in annots {
            let a = doc.dereference(a).unwrap().1.as_dict().unwrap();
            assert_eq!(a.get(b"Subtype").unwrap().as_name().unwrap(), b"Link");
            let action = doc.dereference(a.get(b"A").unwrap()).unwrap().1.as_dict().unwrap();
            let uri = String::from_utf8_lossy(action.get(b"URI").unwrap().as_str().unwrap()).into_owned();
            let r: Vec<f64> = a.get(b"Rect").unwrap().as_array().unwrap().iter().map(num).collect();
            out.push((n, uri, [r[0], r[1], r[2], r[3]]));
        }
    }
    out
}

/// A page's content operations with every form XObject it draws (`Do`) written out in place,
/// as a viewer paints them: `q`, the form's `/Matrix` as `cm`, the form's own operations (its
/// forms written out too), `Q`. Shared faces (a common back) are forms placed many times.
pub fn page_operations(doc: &lopdf::Document, page: lopdf::ObjectId) -> Vec<lopdf::content::Operation> {
    let content = doc.get_and_decode_page_content(page).unwrap();
    let resources = doc.get_dictionary(page).unwrap().get(b"Resources").ok().and_then(|r| deref_dict(doc, r));
    let mut out = Vec::new();
    expand_forms(doc, content.operations, resources, &mut out, 0);
    out
}

fn deref_dict<'a>(doc: &'a lopdf::Document, o: &'a lopdf::Object) -> Option<&'a lopdf::Dictionary> {
    match o {
        lopdf::Object::Reference(id) => doc.get_dictionary(*id).ok(),
        lopdf::Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

fn expand_forms(
    doc: &lopdf::Document,
    ops: Vec<lopdf::content::Operation>,
    resources: Option<&lopdf::Dictionary>,
    out: &mut Vec<lopdf::content::Operation>,
    depth: usize,
) {
    use lopdf::content::{Content, Operation};
    assert!(depth < 16, "forms nested too deep");
    for op in ops {
        let form = (op.operator == "Do")
            .then(|| op.operands.first()?.as_name().ok())
            .flatten()
            .and_then(|name| resources?.get(b"XObject").ok().and_then(|x| deref_dict(doc, x))?.get(name).ok())
            .and_then(|r| r.as_reference().ok())
            .and_then(|id| doc.get_object(id).ok()?.as_stream().ok())
            .filter(|s| s.dict.get(b"Subtype").ok().and_then(|t| t.as_name().ok()) == Some(b"Form"));
        let Some(form) = form else {
            out.push(op);
            continue;
        };
        let data = form.decompressed_content().unwrap_or_else(|_| form.content.clone());
        let inner = Content::decode(&data).unwrap().operations;
        let inner_res = form.dict.get(b"Resources").ok().and_then(|r| deref_dict(doc, r)).or(resources);
        out.push(Operation::new("q", vec![]));
        if let Ok(m) = form.dict.get(b"Matrix").and_then(|m| m.as_array()) {
            out.push(Operation::new("cm", m.clone()));
        }
        expand_forms(doc, inner, inner_res, out, depth + 1);
        out.push(Operation::new("Q", vec![]));
    }
}

/// The text of page `page` (1-based) as lopdf extracts it, with a new line wherever a text
/// matrix is set (`Tm`): lopdf starts a line only at the end of a text object, and tryksag's
/// print files set a block's lines of one style in one text object, each line at its own `Tm`.
pub fn page_text_lines(doc: &lopdf::Document, page: u32) -> String {
    use lopdf::content::{Content, Operation};
    let mut doc = doc.clone();
    let id = doc.get_pages()[&page];
    let ops = doc.get_and_decode_page_content(id).unwrap().operations;
    let mut split = Vec::with_capacity(ops.len());
    let mut in_text = false;
    for op in ops {
        match op.operator.as_str() {
            "BT" => in_text = true,
            "ET" => in_text = false,
            "Tm" if in_text => {
                split.push(Operation::new("ET", vec![]));
                split.push(Operation::new("BT", vec![]));
            }
            _ => {}
        }
        split.push(op);
    }
    doc.change_page_content(id, Content { operations: split }.encode().unwrap()).unwrap();
    doc.extract_text(&[page]).unwrap()
}
