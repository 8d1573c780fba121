//! The leaflet's download version, reflowed for screens: A4 portrait pages with one column, no
//! inserted hyphens, the content in reading order (the cover's texts, the flow, the back panel's
//! texts) in the structure tree, lists tagged as lists, addresses as links (also when an address
//! breaks across lines).

use crate::common::{TempProject, stderr};
use lopdf::{Document, Object};

const SCREEN: &str = "output/jobcenter-folder-screen.pdf";

fn built(p: &TempProject, args: &[&str]) -> Document {
    let o = p.run(args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    Document::load(p.path(SCREEN)).unwrap()
}

fn num(o: &Object) -> f64 {
    o.as_float().map(f64::from).or_else(|_| o.as_i64().map(|i| i as f64)).unwrap()
}

fn string(doc: &Document, o: Option<&Object>) -> String {
    match o.map(|o| doc.dereference(o).map(|(_, o)| o)) {
        Some(Ok(Object::String(b, _))) => {
            lopdf::decode_text_string(&Object::String(b.clone(), lopdf::StringFormat::Literal))
                .unwrap_or_else(|_| String::from_utf8_lossy(b).into_owned())
        }
        _ => String::new(),
    }
}

/// Structure elements in tree (reading) order: type and title.
fn structure(doc: &Document) -> Vec<(String, String)> {
    fn walk(doc: &Document, o: &Object, out: &mut Vec<(String, String)>) {
        let Ok((_, o)) = doc.dereference(o) else { return };
        match o {
            Object::Array(a) => a.iter().for_each(|k| walk(doc, k, out)),
            Object::Dictionary(d) => {
                let Ok(kind) = d.get(b"S").and_then(Object::as_name) else { return };
                out.push((String::from_utf8_lossy(kind).into_owned(), string(doc, d.get(b"T").ok())));
                if let Ok(k) = d.get(b"K") {
                    walk(doc, k, out);
                }
            }
            _ => {}
        }
    }
    let root = doc.catalog().unwrap().get(b"StructTreeRoot").unwrap();
    let root = doc.dereference(root).unwrap().1.as_dict().unwrap();
    let mut out = Vec::new();
    walk(doc, root.get(b"K").unwrap(), &mut out);
    out
}

/// The leaflet's flow as written: its headings, and the item count of each list.
fn flow(p: &TempProject) -> (Vec<String>, Vec<usize>) {
    let l: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.path("decks/leaflets/jobcenter-folder.json")).unwrap())
            .unwrap();
    let blocks = l["flow"].as_array().unwrap();
    let headings = blocks.iter().filter_map(|b| b["heading"].as_str().map(String::from)).collect();
    let lists = blocks.iter().filter_map(|b| b["list"].as_array().map(Vec::len)).collect();
    (headings, lists)
}

#[test]
fn the_download_is_a4_portrait_with_one_column_and_no_inserted_hyphens() {
    let p = TempProject::copy();
    // Justified and hyphenated body text, so the print version surely hyphenates.
    p.edit("layouts/leaflets/roll-a4.json", |s| {
        let body = "\"color\": \"ink\", \"align\": \"left\", \"paragraph_spacing\"";
        assert!(s.contains(body));
        s.replacen(body, "\"color\": \"ink\", \"align\": \"justify\", \"hyphenate\": true, \"paragraph_spacing\"", 1)
    });
    let doc = built(&p, &["build", "jobcenter-folder"]);
    let mm = 72.0 / 25.4;
    let pages = doc.get_pages();
    assert!(pages.len() >= 2, "{} pages", pages.len());
    // The column of the shipped layout: 145 mm, centred.
    let (left, right) = ((210.0 - 145.0) / 2.0 * mm, (210.0 + 145.0) / 2.0 * mm);
    let mut runs = 0;
    for (&n, &id) in &pages {
        let page = doc.get_dictionary(id).unwrap();
        let media: Vec<f64> = page.get(b"MediaBox").unwrap().as_array().unwrap().iter().map(num).collect();
        assert!((media[2] - 210.0 * mm).abs() < 0.01 && (media[3] - 297.0 * mm).abs() < 0.01, "page {n}: {media:?}");
        let content = doc.get_and_decode_page_content(id).unwrap();
        for op in &content.operations {
            match op.operator.as_str() {
                // Every text run starts inside the column (the page number too).
                "Tm" => {
                    let x = num(&op.operands[4]);
                    assert!(
                        x > left - 0.01 && x < right,
                        "page {n}: a run at x = {x:.1} pt, column {left:.1}–{right:.1}"
                    );
                    runs += 1;
                }
                // A run with ActualText is a word split by an inserted hyphen.
                "BDC" => {
                    let props = op.operands.get(1).and_then(|o| o.as_dict().ok());
                    assert!(props.is_none_or(|d| d.get(b"ActualText").is_err()), "page {n}: an inserted hyphen");
                }
                _ => {}
            }
        }
        // A page number in the footer.
        let text = doc.extract_text(&[n]).unwrap();
        assert!(text.contains(&format!("Side {n} af {}", pages.len())), "page {n}: {text}");
    }
    assert!(runs > 100, "{runs} runs");
    // The print version of the same text does hyphenate (its inserted hyphens stand for soft
    // hyphens in the text layer); the screen version turns hyphenation off.
    let print = std::fs::read(p.path("output/jobcenter-folder-print.pdf")).unwrap();
    let print = Document::load_mem(&print).unwrap();
    let soft = print.objects.values().filter_map(|o| o.as_stream().ok()).any(|s| {
        let d = s.decompressed_content().unwrap_or_else(|_| s.content.clone());
        let t = String::from_utf8_lossy(&d).to_lowercase();
        t.contains("<00ad>") || t.contains("feff00ad")
    });
    assert!(soft, "the print version has no inserted hyphen");
}

#[test]
fn the_structure_tree_reads_cover_flow_and_back_in_order() {
    let p = TempProject::copy();
    let doc = built(&p, &["build", "jobcenter-folder"]);
    let tree = structure(&doc);
    let (headings, lists) = flow(&p);
    let h: Vec<(&str, &str)> =
        tree.iter().filter(|e| e.0.starts_with('H')).map(|e| (e.0.as_str(), e.1.as_str())).collect();
    // The cover's title first (H1), then the flow's headings in order, then the back's.
    assert_eq!(h[0], ("H1", "Hvordan skaber man som jobkonsulent en god relation og dialog med borgeren?"));
    let h2: Vec<&str> = h[1..].iter().map(|e| e.1).collect();
    assert!(h[1..].iter().all(|e| e.0 == "H2"), "{h:?}");
    assert_eq!(&h2[..headings.len()], headings.iter().map(String::as_str).collect::<Vec<_>>().as_slice());
    assert_eq!(&h2[headings.len()..], ["Bestil folderen", "Læs mere", "Om materialerne"]);
    // The kicker is read before the title: a paragraph first.
    assert_eq!(tree.iter().find(|e| e.0 != "Document").unwrap().0, "P", "{:?}", &tree[..3]);
    // Lists: one L per list of the flow, one LI (with Lbl and LBody) per item.
    let count = |k: &str| tree.iter().filter(|e| e.0 == k).count();
    assert_eq!(count("L"), lists.len());
    assert_eq!(count("LI"), lists.iter().sum::<usize>());
    assert_eq!(count("Lbl"), count("LI"));
    assert_eq!(count("LBody"), count("LI"));
    // The text in page order: the cover's texts, the flow, the back panel's texts last.
    let n = doc.get_pages().len() as u32;
    let all: String = (1..=n).map(|i| doc.extract_text(&[i]).unwrap()).collect::<Vec<_>>().join(" ");
    let all = all.split_whitespace().collect::<Vec<_>>().join(" ");
    let pos = |s: &str| all.find(s).unwrap_or_else(|| panic!("{s} missing from {all}"));
    let order = [
        "PSYKINFO",
        "Hvordan skaber man",
        "Inspiration til mødet",
        "Til medarbejdere og konsulenter",
        headings[0].as_str(),
        headings[headings.len() - 1].as_str(),
        "Bestil folderen",
        "PsykInfo Region Hovedstaden",
        "Udgivet af PsykInfo",
    ];
    for w in order.windows(2) {
        assert!(pos(w[0]) < pos(w[1]), "{:?} before {:?}", w[0], w[1]);
    }
}

#[test]
fn addresses_are_links_also_when_broken_across_lines() {
    let p = TempProject::copy();
    let doc = built(&p, &["build", "jobcenter-folder"]);
    let uris: Vec<String> = crate::common::link_annotations(&doc).into_iter().map(|l| l.1).collect();
    assert!(uris.contains(&"mailto:psykinfo@eksempel.dk".to_string()), "{uris:?}");
    assert!(uris.contains(&"https://www.eksempel.dk/psykinfo".to_string()), "{uris:?}");
    assert!(structure(&doc).iter().any(|e| e.0 == "Link"));

    // An address longer than the column breaks across lines: each part links to all of it.
    let long = "www.eksempel.dk/psykinfo/materialer/dialogkort-til-jobcentre/vejledning-til-konsulenter-og-ledere-i-jobcentrene/om-psykisk-sygdom";
    p.edit("decks/leaflets/jobcenter-folder.json", |s| {
        s.replacen(
            "\"flow\": [",
            &format!("\"flow\": [\n    {{ \"paragraph\": \"Læs vejledningen på {long} og del den.\" }},"),
            1,
        )
    });
    let doc = built(&p, &["build", "jobcenter-folder"]);
    let uri = format!("https://{long}");
    let parts: Vec<[f64; 4]> =
        crate::common::link_annotations(&doc).into_iter().filter(|l| l.1 == uri).map(|l| l.2).collect();
    assert!(parts.len() >= 2, "the address on {} line(s): {:?}", parts.len(), crate::common::link_annotations(&doc));
    // On different lines.
    assert!(parts.windows(2).all(|w| (w[0][1] - w[1][1]).abs() > 5.0), "{parts:?}");
    // No link goes to a part of the address.
    assert!(
        crate::common::link_annotations(&doc).iter().all(|l| l.1 == uri || !l.1.contains("materialer")),
        "{:?}",
        crate::common::link_annotations(&doc)
    );
}

#[test]
fn the_screen_block_chooses_a5_and_a_column_too_wide_is_located() {
    let p = TempProject::copy();
    p.edit("layouts/leaflets/roll-a4.json", |s| {
        let start = s.find("\"screen\"").expect("the shipped layout has a screen block");
        let end = start + s[start..].find('}').unwrap() + 1;
        format!("{}\"screen\": {{ \"page\": \"A5\" }}{}", &s[..start], &s[end..])
    });
    let doc = built(&p, &["build", "jobcenter-folder"]);
    let mm = 72.0 / 25.4;
    for (_, id) in doc.get_pages() {
        let media: Vec<f64> =
            doc.get_dictionary(id).unwrap().get(b"MediaBox").unwrap().as_array().unwrap().iter().map(num).collect();
        assert!((media[2] - 148.0 * mm).abs() < 0.01 && (media[3] - 210.0 * mm).abs() < 0.01, "{media:?}");
    }
    p.edit("layouts/leaflets/roll-a4.json", |s| {
        s.replacen("\"page\": \"A5\"", "\"page\": \"A5\", \"measure\": 140", 1)
    });
    let o = p.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("the screen column is 140 mm wide") && e.contains("screen.measure"), "{e}");
}
