//! The booklet's download version (`personlig-historie-screen.pdf`), built from the real
//! project: language and title, tab order, bookmarks, the contents as links to the pages of
//! their headings, the structure tree (chapters, quotes, lists, figures, reading order) and a
//! text layer without hyphens inserted by line breaking.

use std::collections::HashMap;

use crate::common::{TempProject, repo, stderr};
use lopdf::{Dictionary, Document, Object, ObjectId};

const PDF: &str = "output/personlig-historie-screen.pdf";

/// The booklet's chapters, in order (its level-1 headings; the contents' own title first).
const CHAPTERS: [&str; 9] = [
    "Indhold",
    "Til dig",
    "Stigma og selvstigma",
    "Min personlige historie",
    "Øvelser",
    "Til konsulenten",
    "Om EN AF OS og PsykInfo",
    "Din historie er mere end din sygdom",
    "Bestil hæftet",
];

fn text_of(doc: &Document, o: Option<&Object>) -> String {
    match o.map(|o| doc.dereference(o).map(|(_, o)| o)) {
        Some(Ok(o @ Object::String(..))) => lopdf::decode_text_string(o).unwrap(),
        _ => String::new(),
    }
}

fn dict<'a>(doc: &'a Document, o: &'a Object) -> &'a Dictionary {
    doc.dereference(o).unwrap().1.as_dict().unwrap()
}

/// One structure element in reading order: its type, title (`/T`), alt text, page (`/Pg`).
#[derive(Debug)]
struct Elem {
    kind: String,
    title: String,
    alt: Option<String>,
    page: Option<ObjectId>,
}

fn structure(doc: &Document) -> Vec<Elem> {
    fn walk(doc: &Document, o: &Object, out: &mut Vec<Elem>) {
        let Ok((_, o)) = doc.dereference(o) else { return };
        match o {
            Object::Array(a) => a.iter().for_each(|k| walk(doc, k, out)),
            Object::Dictionary(d) => {
                let Ok(kind) = d.get(b"S").and_then(Object::as_name) else { return };
                out.push(Elem {
                    kind: String::from_utf8_lossy(kind).into_owned(),
                    title: text_of(doc, d.get(b"T").ok()),
                    alt: d.get(b"Alt").ok().map(|a| text_of(doc, Some(a))),
                    page: d.get(b"Pg").ok().and_then(|p| p.as_reference().ok()),
                });
                if let Ok(k) = d.get(b"K") {
                    walk(doc, k, out);
                }
            }
            _ => {}
        }
    }
    let root = dict(doc, doc.catalog().unwrap().get(b"StructTreeRoot").unwrap());
    let mut out = Vec::new();
    walk(doc, root.get(b"K").unwrap(), &mut out);
    out
}

/// The outline's entries below `parent`: (title, children's titles).
fn outline(doc: &Document, parent: &Dictionary) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut at = parent.get(b"First").ok().cloned();
    while let Some(o) = at {
        let d = dict(doc, &o);
        let children = outline(doc, d).into_iter().map(|(t, _)| t).collect();
        out.push((text_of(doc, d.get(b"Title").ok()), children));
        at = d.get(b"Next").ok().cloned();
    }
    out
}

/// A page's text as a screen reader gets it: glyphs through the fonts' ToUnicode maps, except
/// inside a span with ActualText, which reads as that text instead.
fn reader_text(doc: &Document, page: ObjectId) -> String {
    let fonts: HashMap<Vec<u8>, lopdf::Encoding> = (doc.get_page_fonts(page).unwrap().into_iter())
        .map(|(name, f)| (name, f.get_font_encoding(doc).unwrap()))
        .collect();
    let content = doc.get_and_decode_page_content(page).unwrap();
    let (mut out, mut font, mut replaced) = (String::new(), None, Vec::new());
    let show = |bytes: &[u8], font: Option<&lopdf::Encoding>, replaced: &[bool], out: &mut String| {
        if !replaced.iter().any(|r| *r) {
            out.push_str(&Document::decode_text(font.expect("a font is set"), bytes).unwrap());
        }
    };
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => font = fonts.get(op.operands[0].as_name().unwrap()),
            "BDC" | "BMC" => {
                let actual = op.operands.get(1).and_then(|p| p.as_dict().ok()).and_then(|p| p.get(b"ActualText").ok());
                if let Some(t) = actual {
                    out.push_str(&text_of(doc, Some(t)));
                }
                replaced.push(actual.is_some());
            }
            "EMC" => {
                replaced.pop();
            }
            // A new line or run: keep words apart.
            "Tm" | "Td" | "TD" | "T*" => out.push(' '),
            "Tj" => show(op.operands[0].as_str().unwrap(), font, &replaced, &mut out),
            "TJ" => {
                for part in op.operands[0].as_array().unwrap() {
                    if let Ok(b) = part.as_str() {
                        show(b, font, &replaced, &mut out);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn build() -> TempProject {
    let p = TempProject::copy();
    let o = p.run(&["build", "personlig-historie"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    p
}

#[test]
fn the_booklet_download_has_language_title_tab_order_and_chapter_bookmarks() {
    let p = build();
    let doc = Document::load(p.path(PDF)).unwrap();
    let catalog = doc.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"da");
    let prefs = dict(&doc, catalog.get(b"ViewerPreferences").unwrap());
    assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    let info = dict(&doc, doc.trailer.get(b"Info").unwrap());
    assert_eq!(text_of(&doc, info.get(b"Title").ok()), "Personlig historie og selvstigma");
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 20);
    for (n, id) in &pages {
        let tabs = doc.get_dictionary(*id).unwrap().get(b"Tabs");
        assert_eq!(tabs.and_then(Object::as_name).ok(), Some(&b"S"[..]), "page {n} has no /Tabs /S");
    }

    // Bookmarks: the title, with the chapters below it in order, each with its sections.
    let outlines = dict(&doc, catalog.get(b"Outlines").unwrap());
    let top = outline(&doc, outlines);
    assert_eq!(top.iter().map(|t| t.0.as_str()).collect::<Vec<_>>(), ["Personlig historie og selvstigma"]);
    let chapters = outline(&doc, dict(&doc, outlines.get(b"First").unwrap()));
    assert_eq!(chapters.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), CHAPTERS);
    assert_eq!(chapters[1].1, ["Sådan kan du bruge hæftet"]);
    assert_eq!(chapters[4].1, ["Før du begynder", "Hvor står du nu?", "Fra selvstigma til næste skridt"]);
}

#[test]
fn the_booklet_contents_link_to_the_pages_of_their_headings() {
    let p = build();
    let doc = Document::load(p.path(PDF)).unwrap();
    let pages = doc.get_pages();
    let number: HashMap<ObjectId, u32> = pages.iter().map(|(n, id)| (*id, *n)).collect();
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");

    // The contents are on page 2: one internal link per entry (the page's only annotations).
    let annots = doc.get_dictionary(pages[&2]).unwrap().get(b"Annots").unwrap();
    let annots = doc.dereference(annots).unwrap().1.as_array().unwrap();
    let mut goals = Vec::new();
    for a in annots {
        let a = dict(&doc, a);
        assert_eq!(a.get(b"Subtype").unwrap().as_name().unwrap(), b"Link");
        let alt = text_of(&doc, a.get(b"Contents").ok());
        let (heading, side) = alt.rsplit_once(", side ").unwrap_or_else(|| panic!("alt text {alt:?}"));
        let dest = doc.dereference(a.get(b"Dest").unwrap()).unwrap().1.as_array().unwrap();
        assert_eq!(dest[1].as_name().unwrap(), b"XYZ");
        let page = number[&dest[0].as_reference().unwrap()];
        // The page the link goes to is the one the entry prints, and shows the heading.
        assert_eq!(side, page.to_string(), "{heading}");
        let shown = norm(&reader_text(&doc, pages[&page]));
        assert!(shown.contains(heading), "{heading:?} not on page {page}: {shown}");
        goals.push((heading.to_string(), page));
    }
    let expected: Vec<(&str, u32)> = vec![
        ("Til dig", 3),
        ("Sådan kan du bruge hæftet", 3),
        ("Stigma og selvstigma", 4),
        ("Fordomme og myter", 4),
        ("Når fordommene bliver din egen stemme", 4),
        ("Sådan kan selvstigma vise sig", 5),
        ("Psykisk sygdom er ikke en fast tilstand", 5),
        ("Mødet med systemet", 6),
        ("Min personlige historie", 7),
        ("Mere end sygdommen", 7),
        ("Med dine egne ord", 7),
        ("Du vælger selv", 8),
        ("Øvelser", 9),
        ("Hvor står du nu?", 10),
        ("Fra selvstigma til næste skridt", 13),
        ("Til konsulenten", 17),
        ("Sådan kan I bruge hæftet i et møde", 17),
        ("Andre materialer", 18),
        ("Om EN AF OS og PsykInfo", 19),
    ];
    assert_eq!(goals.iter().map(|(h, p)| (h.as_str(), *p)).collect::<Vec<_>>(), expected);

    // The same pages by the structure tree: each heading's element is on the page its link goes to.
    let tree = structure(&doc);
    for (heading, page) in &goals {
        let h = tree.iter().find(|e| e.kind.starts_with('H') && e.title == *heading).unwrap();
        assert_eq!(h.page.map(|p| number[&p]), Some(*page), "{heading}");
    }
    // Tagged as one TOC with an item per entry, each a reference holding a link.
    let kinds: Vec<&str> = tree.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "TOC").count(), 1);
    let toc = kinds.iter().position(|k| *k == "TOC").unwrap();
    assert_eq!(kinds[toc - 1], "H2", "the contents' title");
    assert_eq!(&kinds[toc + 1..toc + 4], ["TOCI", "Reference", "Link"]);
    assert_eq!(kinds.iter().filter(|k| **k == "TOCI").count(), expected.len());
}

#[test]
fn the_booklet_download_is_tagged_in_reading_order() {
    let p = build();
    let doc = Document::load(p.path(PDF)).unwrap();
    let number: HashMap<ObjectId, u32> = doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let tree = structure(&doc);
    let count = |k: &str| tree.iter().filter(|e| e.kind == k).count();

    // Chapters are H2 (below the title's H1), in order.
    let h2: Vec<&str> = tree.iter().filter(|e| e.kind == "H2").map(|e| e.title.as_str()).collect();
    assert_eq!(h2, CHAPTERS);
    assert_eq!(count("H1"), 1);
    assert!(count("H3") > 10 && count("H4") > 5, "sections and exercises");
    assert_eq!(count("BlockQuote"), 2, "the two quotes");
    assert!(count("L") >= 5 && count("LI") > count("L"), "lists: {} L, {} LI", count("L"), count("LI"));
    assert_eq!(count("LI"), count("LBody"));
    // No figure without alt text.
    for f in tree.iter().filter(|e| e.kind == "Figure") {
        assert!(f.alt.as_deref().is_some_and(|a| !a.trim().is_empty()), "a figure without alt text: {f:?}");
    }
    // Reading order is page order: the elements' pages never go back.
    let order: Vec<u32> = tree.iter().filter_map(|e| e.page.map(|p| number[&p])).collect();
    assert!(order.len() > 100, "elements with a page: {}", order.len());
    assert!(order.windows(2).all(|w| w[0] <= w[1]), "reading order goes back a page: {order:?}");
    assert_eq!((order[0], *order.last().unwrap()), (1, 20));
}

/// Every hyphen between letters in the text layer stands in the source (`OS-ambassadører`);
/// a hyphen inserted by line breaking would read as a word the source does not have.
fn check_no_inserted_hyphens(doc: &Document, source: &str) -> usize {
    let mut hyphens = 0;
    for (n, id) in doc.get_pages() {
        // A soft hyphen is how an inserted hyphen may be written: not read.
        let text: String = reader_text(doc, id).chars().filter(|c| *c != '\u{ad}').collect();
        let chars: Vec<char> = text.chars().collect();
        for (i, _) in chars.iter().enumerate().filter(|(_, c)| **c == '-') {
            let before: String = chars[..i].iter().rev().take_while(|c| c.is_alphabetic()).collect();
            let after: String =
                chars[i + 1..].iter().skip_while(|c| c.is_whitespace()).take_while(|c| c.is_alphabetic()).collect();
            if before.is_empty() || after.is_empty() {
                continue;
            }
            let word = format!("{}-{after}", before.chars().rev().collect::<String>());
            assert!(source.contains(&word), "page {n} reads {word:?}, which the source does not have");
            hyphens += 1;
        }
    }
    hyphens
}

#[test]
fn the_booklet_text_layer_has_no_hyphens_inserted_by_line_breaking() {
    let source = std::fs::read_to_string(repo().join("decks/booklets/personlig-historie.json")).unwrap();
    let p = build();
    let doc = Document::load(p.path(PDF)).unwrap();
    // The shipped text breaks no word (ragged, words whole); its own hyphens are read as written.
    assert!(check_no_inserted_hyphens(&doc, &source) >= 2, "the source's own hyphens are read");
}
