//! Black overprint and exact colour values, read back from built PDFs with lopdf.
//!
//! Every painting operator of every page is replayed (q/Q, gs, k/K, cs/scn, w, Tf) to know, for
//! each text, stroke and fill, its colour, size or width and whether the graphics state makes it
//! overprint (`/op` or `/OP` true with `/OPM 1`). The GWG 2022 rule is restated here from the
//! specification, not taken from the code: 100 % K text below 12 pt and 100 % K strokes below
//! 2 pt overprint, nothing else does.

use crate::common::{TempProject, card, deck, stderr};

use std::path::{Path, PathBuf};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

/// What an operator paints.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Text,
    Stroke,
    Fill,
}

/// One painted object as the content stream says it.
#[derive(Clone, Debug)]
struct Mark {
    kind: Kind,
    /// DeviceCMYK components (0–1), or `None` for another colour space (separations).
    cmyk: Option<[f32; 4]>,
    /// Font size (text) or line width (strokes).
    size: f32,
    overprint: bool,
}

impl Mark {
    /// The GWG 2022 rule for this object.
    fn should_overprint(&self) -> bool {
        self.cmyk == Some([0.0, 0.0, 0.0, 1.0])
            && match self.kind {
                Kind::Text => self.size < 12.0,
                Kind::Stroke => self.size < 2.0,
                Kind::Fill => false,
            }
    }
}

#[derive(Clone, Default)]
struct State {
    fill: Option<[f32; 4]>,
    stroke: Option<[f32; 4]>,
    width: f32,
    font_size: f32,
    fill_op: bool,
    stroke_op: bool,
    opm: i64,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap(),
        other => other,
    }
}

fn num(o: &Object) -> f32 {
    match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        other => panic!("not a number: {other:?}"),
    }
}

fn flag(d: &Dictionary, key: &[u8]) -> Option<bool> {
    d.get(key).ok().and_then(|v| v.as_bool().ok())
}

/// The `/ExtGState` dictionary of a page's resources.
fn ext_g_states(doc: &Document, page: ObjectId) -> Option<&Dictionary> {
    let page = doc.get_dictionary(page).unwrap();
    let res = deref(doc, page.get(b"Resources").ok()?).as_dict().ok()?;
    deref(doc, res.get(b"ExtGState").ok()?).as_dict().ok()
}

/// Every painted object of every page of `doc`, with the colour operands as written.
fn marks(doc: &Document) -> (Vec<Mark>, Vec<f32>) {
    let mut out = Vec::new();
    let mut operands = Vec::new();
    for page in doc.get_pages().into_values() {
        let states = ext_g_states(doc, page);
        let content = Content::decode(&doc.get_page_content(page)).unwrap();
        let mut stack = vec![State { width: 1.0, ..State::default() }];
        for op in &content.operations {
            let cur = stack.last_mut().unwrap();
            let cmyk = || -> [f32; 4] { [0, 1, 2, 3].map(|i| num(&op.operands[i])) };
            let mark = |kind, cmyk: Option<[f32; 4]>, size, overprint| Mark { kind, cmyk, size, overprint };
            match op.operator.as_str() {
                "q" => {
                    let top = cur.clone();
                    stack.push(top);
                }
                "Q" => drop(stack.pop()),
                "gs" => {
                    let name = op.operands[0].as_name().unwrap();
                    let d = deref(doc, states.expect("gs without ExtGState resources").get(name).unwrap());
                    let d = d.as_dict().unwrap();
                    if let Some(op) = flag(d, b"OP") {
                        cur.stroke_op = op;
                        cur.fill_op = op;
                    }
                    if let Some(op) = flag(d, b"op") {
                        cur.fill_op = op;
                    }
                    if let Ok(m) = d.get(b"OPM").and_then(Object::as_i64) {
                        cur.opm = m;
                    }
                }
                "k" => {
                    cur.fill = Some(cmyk());
                    operands.extend(cmyk());
                }
                "K" => {
                    cur.stroke = Some(cmyk());
                    operands.extend(cmyk());
                }
                "cs" | "sc" | "scn" | "g" | "rg" => {
                    cur.fill = None;
                    operands.extend(op.operands.iter().filter(|o| !matches!(o, Object::Name(_))).map(num));
                }
                "CS" | "SC" | "SCN" | "G" | "RG" => {
                    cur.stroke = None;
                    operands.extend(op.operands.iter().filter(|o| !matches!(o, Object::Name(_))).map(num));
                }
                "w" => cur.width = num(&op.operands[0]),
                "Tf" => cur.font_size = num(&op.operands[1]),
                "Tj" | "TJ" | "'" | "\"" => {
                    out.push(mark(Kind::Text, cur.fill, cur.font_size, cur.fill_op && cur.opm == 1));
                }
                "S" | "s" => out.push(mark(Kind::Stroke, cur.stroke, cur.width, cur.stroke_op && cur.opm == 1)),
                "f" | "F" | "f*" => out.push(mark(Kind::Fill, cur.fill, 0.0, cur.fill_op && cur.opm == 1)),
                "B" | "B*" | "b" | "b*" => {
                    out.push(mark(Kind::Fill, cur.fill, 0.0, cur.fill_op && cur.opm == 1));
                    out.push(mark(Kind::Stroke, cur.stroke, cur.width, cur.stroke_op && cur.opm == 1));
                }
                _ => {}
            }
        }
    }
    (out, operands)
}

/// The `/C1` arrays (the full-tint end of an exponential function) in `o` and below it.
fn c1_arrays(o: &Object, out: &mut Vec<Vec<f32>>) {
    match o {
        Object::Array(a) => a.iter().for_each(|o| c1_arrays(o, out)),
        Object::Dictionary(d) => {
            for (k, v) in d.iter() {
                match (k.as_slice(), v) {
                    (b"C1", Object::Array(a)) => out.push(a.iter().map(num).collect()),
                    _ => c1_arrays(v, out),
                }
            }
        }
        _ => {}
    }
}

/// Whether any graphics state of the file turns overprint on.
fn any_overprint_state(doc: &Document) -> bool {
    doc.objects
        .values()
        .any(|o| o.as_dict().is_ok_and(|d| flag(d, b"OP") == Some(true) || flag(d, b"op") == Some(true)))
}

fn pdfs_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(pdfs_below(&p));
        } else if p.extension().is_some_and(|e| e == "pdf") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn is_screen(p: &Path) -> bool {
    p.file_name().unwrap().to_string_lossy().ends_with("-screen.pdf")
}

fn build(p: &TempProject, args: &[&str]) -> Vec<(String, Document)> {
    let o = p.run(&[&["build"], args].concat());
    assert_eq!(o.status.code(), Some(0), "tryksag build {args:?} failed:\n{}", stderr(&o));
    let out = p.path("output");
    pdfs_below(&out)
        .into_iter()
        .map(|f| (f.strip_prefix(&out).unwrap().display().to_string(), Document::load(&f).unwrap()))
        .collect()
}

/// Asserts the rule for every painted object of every print file and returns how many objects
/// overprint in each.
fn assert_rule(files: &[(String, Document)]) -> Vec<(String, usize)> {
    let mut wrong = Vec::new();
    let mut counts = Vec::new();
    for (name, doc) in files.iter().filter(|(n, _)| !is_screen(Path::new(n))) {
        let (marks, _) = marks(doc);
        assert!(!marks.is_empty(), "{name}: nothing painted was found");
        wrong.extend(marks.iter().filter(|m| m.overprint != m.should_overprint()).map(|m| format!("{name}: {m:?}")));
        counts.push((name.clone(), marks.iter().filter(|m| m.overprint).count()));
    }
    assert!(wrong.is_empty(), "objects that break the overprint rule:\n{}", wrong.join("\n"));
    counts
}

#[test]
fn shipped_print_files_overprint_small_black_and_nothing_else_and_screen_files_never() {
    let p = TempProject::copy();
    let files = build(&p, &[]);
    let counts = assert_rule(&files);
    // The card backs' 8 pt note and the leaflet's 9.75 pt body text are 100 % K.
    for (name, n) in &counts {
        if name.contains("dialogkort") || name.contains("folder-print") {
            assert!(*n > 0, "{name}: no object overprints");
        }
    }
    let screens: Vec<_> = files.iter().filter(|(n, _)| is_screen(Path::new(n))).collect();
    assert!(!screens.is_empty());
    for (name, doc) in screens {
        assert!(!any_overprint_state(doc), "{name}: a screen file overprints");
    }
}

#[test]
fn a_layout_switches_black_overprint_off() {
    let p = TempProject::copy();
    let off = |s: String| s.replacen("\"description\"", "\"overprint_black\": false,\n  \"description\"", 1);
    p.edit("layouts/cards/poker.json", off);
    p.edit("layouts/cards/a6.json", off);
    p.edit("layouts/leaflets/roll-a4.json", off);
    let files = build(&p, &[]);
    for (name, doc) in files.iter().filter(|(n, _)| n.contains("dialogkort") || n.contains("folder")) {
        assert!(!any_overprint_state(doc), "{name} overprints though its layout says not to");
        // The objects the rule names are still there: only their overprint is gone.
        if !is_screen(Path::new(name)) {
            assert!(marks(doc).0.iter().any(Mark::should_overprint), "{name}: no small 100 % K object to test");
        }
    }
    // The job tickets follow no layout and keep the rule.
    let tickets: Vec<_> = files.into_iter().filter(|(n, _)| n.contains("jobseddel")).collect();
    assert!(!tickets.is_empty());
    assert_rule(&tickets);
}

#[test]
fn pdfx_1a_keeps_the_overprint() {
    let p = TempProject::copy();
    let files = build(&p, &["--pdfx", "x1a"]);
    let counts = assert_rule(&files);
    assert!(counts.iter().filter(|(n, _)| n.contains("dialogkort")).all(|(_, n)| *n > 0), "{counts:?}");
}

/// A one-card deck whose poker layout paints a rich-black prompt, 100 % K lines of 0.5 and 3 pt,
/// a 75 % K line, a 75 % tint of a spot colour with a 74.9 % fallback, 12 pt 100 % K text, and
/// an 8 pt 100 % K note on the back.
fn variety() -> TempProject {
    let c = card("a", "Hvordan går det?").replace("\"fields\"", "\"back\": { \"text\": \"En note.\" }, \"fields\"");
    let p = TempProject::with_deck(&deck(&c));
    p.edit("layouts/cards/poker.json", |s| {
        s.replace("\"muted\": [0, 0, 0, 72],", "\"muted\": [60, 40, 40, 100], \"k75\": [0, 0, 0, 75], \"teal\": { \"spot\": \"Tryksag Teal\", \"cmyk\": [74.9, 10, 0, 0], \"tint\": 75 },")
            .replace(
                "  \"front\": [\n",
                "  \"front\": [\n    { \"type\": \"line\", \"from\": [5, 84], \"to\": [58, 84], \"width\": \"0.5pt\", \"color\": \"ink\" },\n    { \"type\": \"line\", \"from\": [5, 86], \"to\": [58, 86], \"width\": \"3pt\", \"color\": \"ink\" },\n    { \"type\": \"line\", \"from\": [5, 82], \"to\": [58, 82], \"width\": \"0.5pt\", \"color\": \"k75\" },\n    { \"type\": \"rect\", \"x\": 50, \"y\": 60, \"width\": 8, \"height\": 4, \"fill\": \"teal\" },\n",
            )
    });
    p
}

#[test]
fn overprint_follows_colour_size_and_width_exactly() {
    let p = variety();
    // The variety breaks GWG rules on purpose (rich black small text, a spot colour).
    let files = build(&p, &["--print-condition", "none"]);
    assert_rule(&files);
    let (_, faces) = files.iter().find(|(n, _)| n == "d-faces.pdf").expect("the faces file");
    let (marks, _) = marks(faces);
    let has = |kind, cmyk: [f32; 4], size: f32, overprint| {
        marks.iter().any(|m| m.kind == kind && m.cmyk == Some(cmyk) && m.size == size && m.overprint == overprint)
    };
    let k = [0.0, 0.0, 0.0, 1.0];
    assert!(has(Kind::Stroke, k, 0.5, true), "a thin 100 % K line overprints");
    assert!(has(Kind::Stroke, k, 3.0, false), "a 3 pt 100 % K line does not");
    assert!(has(Kind::Stroke, [0.0, 0.0, 0.0, 0.75], 0.5, false), "a 75 % K line does not");
    assert!(has(Kind::Text, k, 12.0, false), "12 pt 100 % K text does not");
    assert!(has(Kind::Text, k, 8.0, true), "8 pt 100 % K text overprints");
    assert!(has(Kind::Text, [0.6, 0.4, 0.4, 1.0], 8.5, false), "rich black text does not");
    assert!(marks.iter().any(|m| m.kind == Kind::Fill && m.cmyk.is_none()), "the spot colour fill is there");
    // One graphics state per distinct overprint state: text (fill) and lines (stroke).
    let mut states: Vec<(Option<bool>, Option<bool>, i64)> = faces
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| flag(d, b"OP").is_some() || flag(d, b"op").is_some())
        .map(|d| (flag(d, b"OP"), flag(d, b"op"), d.get(b"OPM").and_then(Object::as_i64).unwrap_or(0)))
        .collect();
    states.sort();
    assert_eq!(states, [(Some(false), Some(true), 1), (Some(true), Some(false), 1)]);
}

#[test]
fn colours_are_written_as_declared() {
    let p = variety();
    let files = build(&p, &["--print-condition", "none"]);
    let (_, faces) = files.iter().find(|(n, _)| n == "d-faces.pdf").expect("the faces file");
    let (_, operands) = marks(faces);
    // 75 % is 0.75, not 191/255 = 0.749; the 75 % spot tint too.
    assert!(operands.contains(&0.75), "no operand 0.75 in {operands:?}");
    // Every colour the layout declares is a whole or tenth percentage: so is every operand.
    let off: Vec<f32> = operands.iter().copied().filter(|v| ((v * 1000.0).round() - v * 1000.0).abs() > 1e-3).collect();
    assert!(off.is_empty(), "colour operands not as declared: {off:?}");
    // The spot colour's CMYK fallback (its tint function's C1) is 74.9 % cyan exactly.
    let mut c1 = Vec::new();
    for o in faces.objects.values() {
        c1_arrays(o, &mut c1);
    }
    assert!(c1.contains(&vec![0.749, 0.1, 0.0, 0.0]), "spot fallbacks: {c1:?}");
    // Print colours are exact in the decoded content stream; the raw bytes say so too.
    let content = faces.get_page_content(*faces.get_pages().get(&1).unwrap());
    assert!(String::from_utf8_lossy(&content).contains("0 0 0 0.75 K"));
}
