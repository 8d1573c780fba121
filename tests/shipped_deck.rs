//! Builds the shipped deck and reads the PDF back.

use crate::common::{TempProject, repo, stderr};
use lopdf::{Document, Object};

const MM: f64 = 72.0 / 25.4;

fn build(p: &TempProject) -> Vec<u8> {
    let o = p.run(&["build", "dialogkort"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    std::fs::read(p.path("output/dialogkort-faces.pdf")).unwrap()
}

fn rect(doc: &Document, page: &lopdf::Dictionary, key: &[u8]) -> [f64; 4] {
    let arr = page.get(key).unwrap_or_else(|_| panic!("page lacks {}", String::from_utf8_lossy(key)));
    let arr = match arr {
        Object::Reference(r) => doc.get_object(*r).unwrap().as_array().unwrap(),
        o => o.as_array().unwrap(),
    };
    let v: Vec<f64> =
        arr.iter().map(|o| o.as_float().map(f64::from).or_else(|_| o.as_i64().map(|i| i as f64)).unwrap()).collect();
    [v[0], v[1], v[2], v[3]]
}

fn close(a: [f64; 4], b: [f64; 4]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.01)
}

fn deck_json() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(repo().join("decks/dialogkort.json")).unwrap()).unwrap()
}

#[test]
fn shipped_deck_is_real() {
    let d = deck_json();
    let cards = d["cards"].as_array().unwrap();
    assert!(cards.len() >= 30, "at least 30 cards");
    let cats = d["categories"].as_array().unwrap().len();
    assert!((4..=6).contains(&cats));
    assert_eq!(d["language"], "da");
}

#[test]
fn faces_pdf_structure() {
    let p = TempProject::copy();
    let bytes = build(&p);
    let doc = Document::load_mem(&bytes).unwrap();
    let d = deck_json();
    let cards = d["cards"].as_array().unwrap();
    let pages = doc.get_pages();
    assert_eq!(pages.len(), cards.len() * 2, "front and back per card");

    let (w, h, b) = (63.0 * MM, 88.0 * MM, 3.0 * MM);
    for (_, id) in pages.iter() {
        let page = doc.get_dictionary(*id).unwrap();
        assert!(close(rect(&doc, page, b"MediaBox"), [0.0, 0.0, w + 2.0 * b, h + 2.0 * b]));
        assert!(close(rect(&doc, page, b"BleedBox"), [0.0, 0.0, w + 2.0 * b, h + 2.0 * b]));
        assert!(close(rect(&doc, page, b"TrimBox"), [b, b, w + b, h + b]));
        assert!(page.get(b"ArtBox").is_err(), "never both TrimBox and ArtBox");
    }

    // Fonts: embedded (FontFile2) and subset (ABCDEF+ prefix).
    let mut fonts = 0;
    for (_, obj) in doc.objects.iter() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor") {
            fonts += 1;
            assert!(dict.get(b"FontFile2").is_ok() || dict.get(b"FontFile3").is_ok(), "font not embedded");
            let name = String::from_utf8_lossy(dict.get(b"FontName").unwrap().as_name().unwrap()).into_owned();
            assert!(
                name.len() > 7 && name.as_bytes()[6] == b'+' && name[..6].chars().all(|c| c.is_ascii_uppercase()),
                "not subset: {name}"
            );
        }
    }
    assert!(fonts >= 3);

    // Colour: no RGB operators or colour spaces anywhere.
    for (_, obj) in doc.objects.iter() {
        if let Ok(name) = obj.as_name() {
            assert_ne!(name, b"DeviceRGB");
        }
    }
    for (_, id) in pages.iter() {
        let operations = crate::common::page_operations(&doc, *id);
        for op in &operations {
            assert!(
                !["rg", "RG", "g", "G"].contains(&op.operator.as_str()),
                "non-CMYK colour operator {}",
                op.operator
            );
        }
        let cs_ops: Vec<_> = operations.iter().filter(|o| o.operator == "k" || o.operator == "K").collect();
        assert!(!cs_ops.is_empty(), "CMYK colour operators expected");
    }

    // Text is extractable and Danish: each card's question appears on its front page.
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    for (i, c) in cards.iter().enumerate().step_by(7) {
        let text = norm(&doc.extract_text(&[(2 * i + 1) as u32]).unwrap());
        let text = text.replace("- ", "");
        let q = c["fields"]["question"].as_str().unwrap().replace('*', "");
        for word in q.split_whitespace().filter(|w| w.len() > 3) {
            let w = word.trim_matches(|c: char| !c.is_alphanumeric());
            assert!(text.contains(w) || text.contains(&w.to_uppercase()), "page {} lacks {w:?}: {text}", 2 * i + 1);
        }
    }
}

#[test]
fn building_twice_gives_identical_bytes() {
    let p = TempProject::copy();
    let a = build(&p);
    let b = build(&p);
    assert!(a == b, "rebuild differs");
    let q = TempProject::copy();
    // Same inputs in another folder, same date: same bytes.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(["build", "dialogkort", "--root"])
        .arg(q.dir.path())
        .env("SOURCE_DATE_EPOCH", "1764000000")
        .output()
        .unwrap();
    assert!(o.status.success());
    let c = std::fs::read(q.path("output/dialogkort-faces.pdf")).unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(["build", "dialogkort", "--root"])
        .arg(p.dir.path())
        .env("SOURCE_DATE_EPOCH", "1764000000")
        .output()
        .unwrap();
    assert!(o.status.success());
    let d = std::fs::read(p.path("output/dialogkort-faces.pdf")).unwrap();
    assert!(c == d, "same inputs and date must give the same bytes");
}

#[test]
fn the_deck_can_switch_format_by_changing_one_name() {
    let p = TempProject::copy();
    p.edit("decks/dialogkort.json", |s| s.replace("\"layout\": \"poker\"", "\"layout\": \"a6\""));
    let bytes = build(&p);
    let doc = Document::load_mem(&bytes).unwrap();
    let (_, id) = doc.get_pages().into_iter().next().unwrap();
    let page = doc.get_dictionary(id).unwrap();
    let b = 3.0 * MM;
    assert!(close(rect(&doc, page, b"TrimBox"), [b, b, 105.0 * MM + b, 148.0 * MM + b]));
}

/// Centres of every full-frame filled rectangle on a page, in PDF points (from the content stream).
fn frame_centres(doc: &Document, page: lopdf::ObjectId, frame_w: f64, frame_h: f64) -> Vec<(f64, f64)> {
    let operations = crate::common::page_operations(doc, page);
    let num = |o: &Object| o.as_float().map(f64::from).or_else(|_| o.as_i64().map(|i| i as f64)).unwrap();
    let mul = |m: [f64; 6], n: [f64; 6]| {
        // m then n (PDF: cm pre-multiplies the CTM).
        [
            m[0] * n[0] + m[1] * n[2],
            m[0] * n[1] + m[1] * n[3],
            m[2] * n[0] + m[3] * n[2],
            m[2] * n[1] + m[3] * n[3],
            m[4] * n[0] + m[5] * n[2] + n[4],
            m[4] * n[1] + m[5] * n[3] + n[5],
        ]
    };
    let mut ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let mut stack = Vec::new();
    let mut path: Vec<(f64, f64)> = Vec::new();
    let mut out = Vec::new();
    for op in &operations {
        match op.operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap(),
            "cm" => {
                let m: Vec<f64> = op.operands.iter().map(num).collect();
                ctm = mul([m[0], m[1], m[2], m[3], m[4], m[5]], ctm);
            }
            "m" | "l" => {
                let v: Vec<f64> = op.operands.iter().map(num).collect();
                if op.operator == "m" {
                    path.clear();
                }
                path.push((ctm[0] * v[0] + ctm[2] * v[1] + ctm[4], ctm[1] * v[0] + ctm[3] * v[1] + ctm[5]));
            }
            "f" | "f*" | "B" if path.len() == 4 => {
                let xs = path.iter().map(|p| p.0);
                let ys = path.iter().map(|p| p.1);
                let (x0, x1) = (xs.clone().fold(f64::MAX, f64::min), xs.fold(f64::MIN, f64::max));
                let (y0, y1) = (ys.clone().fold(f64::MAX, f64::min), ys.fold(f64::MIN, f64::max));
                let (dw, dh) = (x1 - x0, y1 - y0);
                let fits = |u: f64, v: f64| (dw - u).abs() < 0.01 && (dh - v).abs() < 0.01;
                if fits(frame_w, frame_h) || fits(frame_h, frame_w) {
                    out.push(((x0 + x1) / 2.0, (y0 + y1) / 2.0));
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn a4_sheet_backs_register_with_fronts_in_the_pdf() {
    let p = TempProject::copy();
    let o = p.run(&["build", "dialogkort"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc = Document::load(p.path("output/dialogkort-a4.pdf")).unwrap();
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    let n_cards: usize =
        deck_json()["cards"].as_array().unwrap().iter().map(|c| c["copies"].as_u64().unwrap_or(1) as usize).sum();
    assert_eq!(pages.len(), 2 * n_cards.div_ceil(9));
    let (fw, fh) = (69.0 * MM, 94.0 * MM);
    let sheet_w = 210.0 * MM;
    for pair in pages.chunks(2) {
        let fronts = frame_centres(&doc, pair[0], fw, fh);
        let backs = frame_centres(&doc, pair[1], fw, fh);
        assert!(!fronts.is_empty());
        assert_eq!(fronts.len(), backs.len());
        // A4 portrait, long-edge flip: the sheet turns about its vertical axis, (x, y) ↦ (W − x, y).
        for f in &fronts {
            let want = (sheet_w - f.0, f.1);
            assert!(
                backs.iter().any(|b| (b.0 - want.0).abs() < 0.01 * MM && (b.1 - want.1).abs() < 0.01 * MM),
                "no back behind the front at {f:?}"
            );
        }
    }
    // Boxes: TrimBox encloses the cut lines inside the BleedBox inside the MediaBox.
    let page = doc.get_dictionary(pages[0]).unwrap();
    let (t, b, m) = (rect(&doc, page, b"TrimBox"), rect(&doc, page, b"BleedBox"), rect(&doc, page, b"MediaBox"));
    assert!(close(m, [0.0, 0.0, 210.0 * MM, 297.0 * MM]));
    assert!(close(b, [t[0] - 3.0 * MM, t[1] - 3.0 * MM, t[2] + 3.0 * MM, t[3] + 3.0 * MM]));
    assert!((t[2] - t[0] - 189.0 * MM).abs() < 0.01 && (t[3] - t[1] - 264.0 * MM).abs() < 0.01);
}

/// The card lies between the consultant and the citizen, who reads its face (and sees the back
/// when it is picked up): the consultant's prompts are phrased so that both can read them, and no
/// text on a card speaks of the person across the table as "borgeren".
#[test]
fn no_card_speaks_of_the_citizen_as_borgeren() {
    let d = deck_json();
    let mut texts: Vec<(String, String)> = ["title", "subtitle", "sender"]
        .iter()
        .map(|k| (format!("deck {k}"), d[*k].as_str().unwrap_or_default().to_string()))
        .collect();
    for c in d["cards"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        for (k, v) in c["fields"].as_object().unwrap() {
            texts.push((format!("{id} {k}"), v.as_str().unwrap().to_string()));
        }
        if let Some(b) = c["back"]["text"].as_str() {
            texts.push((format!("{id} back"), b.to_string()));
        }
    }
    assert!(texts.len() > 100, "{}", texts.len());
    for (at, text) in &texts {
        let words = text.split(|ch: char| !ch.is_alphabetic()).map(str::to_lowercase);
        assert!(!words.clone().any(|w| w.starts_with("borger")), "{at}: {text}");
    }
    // And the printed faces agree (the text layer is read back).
    let p = TempProject::copy();
    let bytes = build(&p);
    let doc = Document::load_mem(&bytes).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).unwrap().to_lowercase();
    assert!(text.contains("digital post"), "the text layer is readable: {text}");
    assert!(!text.contains("borger"), "{text}");
}
