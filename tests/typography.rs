//! `tryksag check --typography`: the report lists what line breaking did per card or panel and
//! field, and it is what the built PDFs contain.

use crate::common::{TempProject, deck, stderr};
use lopdf::Document;
use serde_json::Value;

const PHRASE: &str = "Den Landsdækkende Rådgivning Om Psykisk Sårbarhed";

/// A deck whose questions (set justified) provoke a hyphenation and a short last line (card a),
/// loose lines (card c), and whose prompt breaks a keep-together phrase (card d).
fn provoking() -> TempProject {
    let card = |id: &str, q: &str, prompt: &str| {
        format!(
            r#"    {{ "id": "{id}", "category": "nu", "fields": {{ "title": "Titel", "question": "{q}", "prompt": "{prompt}" }} }}"#
        )
    };
    let cards = [
        card("a", "Hvordan oplever du beskæftigelsesindsatsen i kommunen lige nu?", "En kort refleksion."),
        card("b", "Hvad giver dig ro?", "En kort refleksion."),
        card("c", "Hvad er vigtigt for dig, at jeg ved om dig og dit liv i dag? Ja.", "En kort refleksion."),
        card("d", "Hvad giver dig ro?", &format!("Ring til {PHRASE} i dag.")),
    ];
    let d = deck(&cards.join(",\n")).replacen(
        r#""sender": "PsykInfo","#,
        &format!(r#""sender": "PsykInfo", "hyphenation": {{ "keep_together": ["{PHRASE}"] }},"#),
        1,
    );
    let p = TempProject::with_deck(&d);
    p.edit("layouts/cards/poker.json", |s| {
        let ragged = r#""color": "ink", "align": "left" },"#;
        assert!(s.contains(ragged));
        s.replacen(ragged, r#""color": "ink", "align": "justify" },"#, 1)
    });
    p
}

fn json(p: &TempProject, args: &[&str]) -> Value {
    let o = p.run(args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The report's fields of `product`.
fn fields<'a>(report: &'a Value, product: &str) -> &'a [Value] {
    let products = report["typography"].as_array().expect("a typography report");
    let p = products.iter().find(|p| p["product"] == product).unwrap_or_else(|| panic!("no {product}: {report}"));
    p["fields"].as_array().unwrap()
}

fn field<'a>(fields: &'a [Value], card: &str, name: &str) -> &'a Value {
    fields
        .iter()
        .find(|f| f["card"] == card && f["field"] == name)
        .unwrap_or_else(|| panic!("no {card}/{name} in {fields:?}"))
}

#[test]
fn hyphenations_loose_and_short_last_lines_and_broken_phrases_are_listed_by_card_and_field() {
    let p = provoking();
    let report = json(&p, &["check", "--typography", "--format", "json"]);
    let fs = fields(&report, "d");
    let a = field(fs, "a", "question");
    assert_eq!(a["file"], "decks/d.json");
    assert_eq!(a["line"], 8, "the card's question, where diagnostics point");
    assert!(a["column"].as_u64().is_some());
    let words: Vec<&str> = a["hyphenations"].as_array().unwrap().iter().map(|h| h["word"].as_str().unwrap()).collect();
    assert_eq!(words, ["beskæftigelses-|indsatsen"]);
    let short = &a["short_last_lines"][0];
    assert_eq!(
        (short["text"].as_str(), short["chars"].as_u64(), short["min_chars"].as_u64()),
        (Some("nu?"), Some(3), Some(7))
    );
    let c = field(fs, "c", "question");
    let loose = c["loose_lines"].as_array().unwrap();
    assert!(!loose.is_empty(), "{c}");
    for l in loose {
        assert!(l["ratio"].as_f64().unwrap() > 0.5, "{l}");
        assert!(l["word_space_percent"].as_u64().unwrap() > 100, "{l}");
        assert_eq!(l["beyond_tolerance"], false, "{l}");
    }
    assert_eq!(loose[0]["text"], "Hvad er vigtigt for dig, at");
    let d = field(fs, "d", "prompt");
    assert_eq!(d["unkept"], serde_json::json!([PHRASE]));
    // Card b has nothing to review.
    assert!(!fs.iter().any(|f| f["card"] == "b"), "{fs:?}");
    let summary = &report["typography"][0]["summary"];
    assert_eq!(summary["hyphenations"], 1);
    assert_eq!(
        summary["short_last_lines"].as_u64(),
        Some(fs.iter().map(|f| f["short_last_lines"].as_array().unwrap().len() as u64).sum())
    );
    assert_eq!(summary["unkept"], 1);

    // The same, for a terminal: grouped by card and field with its file:line:col, aligned.
    let o = p.run(&["check", "--typography"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.contains("typography of d: 1 hyphenation(s), "), "{text}");
    let at = format!("decks/d.json:8:{}", a["column"]);
    let head = text.lines().find(|l| l.trim_start().starts_with("card a, question")).expect(&text);
    assert!(head.ends_with(&at), "{head} / {at}");
    assert!(text.contains("    line 2    hyphen      beskæftigelses-|indsatsen\n"), "{text}");
    assert!(text.contains("short last  \"nu?\": 3 chars"), "{text}");
    assert!(text.contains(&format!("unkept      \"{PHRASE}\"")), "{text}");
    assert!(text.lines().any(|l| l.contains("loose") && l.contains("word spaces 1")), "{text}");
}

#[test]
fn without_the_flag_check_prints_what_it_did() {
    let p = provoking();
    let plain = p.run(&["check"]);
    let with = p.run(&["check", "--typography"]);
    assert_eq!(stderr(&plain), stderr(&with), "the diagnostics are the same");
    let plain_out = String::from_utf8(plain.stdout).unwrap();
    assert!(plain_out.starts_with("check passed: ") && plain_out.lines().count() == 1, "{plain_out}");
    assert!(String::from_utf8(with.stdout).unwrap().starts_with(&format!("{plain_out}\ntypography of d:")));
    let j = json(&p, &["check", "--format", "json"]);
    let keys: Vec<&String> = j.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["errors", "warnings", "diagnostics"]);
    // Errors still fail the check, report or not.
    p.edit("decks/d.json", |s| s.replacen("\"Hvad giver dig ro?\"", "\"Hvad giver dig **ro?\"", 1));
    for args in [&["check"][..], &["check", "--typography"]] {
        assert_eq!(p.run(args).status.code(), Some(1), "{args:?}");
    }
}

/// Per page of `pdf`: its text and how many inserted hyphens it has. An inserted hyphen stands
/// for a soft hyphen (U+00AD) in the text layer: in the font's ToUnicode map (then it is in the
/// extracted text) or as the ActualText of a marked span around the hyphen glyph.
fn soft_hyphens(pdf: &std::path::Path) -> Vec<(String, usize)> {
    let doc = Document::load(pdf).unwrap();
    doc.get_pages()
        .into_iter()
        .map(|(n, id)| {
            let text = doc.extract_text(&[n]).unwrap();
            let ops = doc.get_and_decode_page_content(id).unwrap().operations;
            let spans = ops
                .iter()
                .filter(|o| o.operator == "BDC")
                .filter_map(|o| o.operands.get(1)?.as_dict().ok()?.get(b"ActualText").ok()?.as_str().ok())
                .filter(|t| *t == b"\xfe\xff\x00\xad")
                .count();
            let mapped = text.matches('\u{ad}').count();
            (text, spans + mapped)
        })
        .collect()
}

/// Whether `page` (its text) shows `word` followed by a hyphen (the extracted text may have a
/// space before a hyphen drawn on its own).
fn shows_broken(page: &str, word: &str) -> bool {
    page.match_indices(word).any(|(i, _)| page[i + word.len()..].trim_start_matches(' ').starts_with(['-', '\u{ad}']))
}

/// Checks that the hyphenations the report gives for each page are the page's inserted hyphens.
fn same_hyphens(report: &[Vec<String>], pages: &[(String, usize)]) {
    assert_eq!(report.len(), pages.len());
    for (k, (words, (text, count))) in report.iter().zip(pages).enumerate() {
        assert_eq!(words.len(), *count, "page {}: {words:?} in {text}", k + 1);
        for w in words {
            assert!(shows_broken(text, w), "page {}: no `{w}-` in {text}", k + 1);
        }
    }
}

/// The word parts before `|` of a field's hyphenations, without the hyphen.
fn broken(f: &Value) -> Vec<String> {
    f["hyphenations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["word"].as_str().unwrap().split('|').next().unwrap().trim_end_matches('-').to_string())
        .collect()
}

/// The report's hyphenations on each page of a deck's faces file (card i: pages 2i, 2i + 1).
fn report_by_page(fs: &[Value], ids: &[String]) -> Vec<Vec<String>> {
    let mut pages = vec![Vec::new(); ids.len() * 2];
    for f in fs {
        let card = ids.iter().position(|i| f["card"] == i.as_str()).expect("a card of the deck");
        let back = f["field"].as_str().unwrap().starts_with("back");
        pages[card * 2 + usize::from(back)].extend(broken(f));
    }
    pages
}

fn card_ids(p: &TempProject, deck: &str) -> Vec<String> {
    let d: Value = serde_json::from_str(&std::fs::read_to_string(p.path(deck)).unwrap()).unwrap();
    d["cards"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn the_report_is_what_the_pdfs_contain() {
    // The provoking deck: card by card, the report's hyphenations are the faces file's.
    let p = provoking();
    let report = json(&p, &["check", "--typography", "--format", "json"]);
    let o = p.run(&["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let in_pdf = soft_hyphens(&p.path("output/d-faces.pdf"));
    same_hyphens(&report_by_page(fields(&report, "d"), &card_ids(&p, "decks/d.json")), &in_pdf);
    assert!(in_pdf.iter().map(|(_, n)| n).sum::<usize>() >= 1);

    // The shipped products: the deck's faces file card by card, the leaflet's print file.
    let p = TempProject::copy();
    let report = json(&p, &["check", "--typography", "--format", "json", "dialogkort", "jobcenter-folder"]);
    let o = p.run(&["build", "dialogkort", "jobcenter-folder"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let deck = fields(&report, "dialogkort");
    let ids = card_ids(&p, "decks/dialogkort.json");
    same_hyphens(&report_by_page(deck, &ids), &soft_hyphens(&p.path("output/dialogkort-faces.pdf")));
    // The leaflet's panels are imposed two sheet sides: the whole file's hyphens are the report's.
    let leaflet: Vec<String> = fields(&report, "jobcenter-folder").iter().flat_map(broken).collect();
    let pages = soft_hyphens(&p.path("output/jobcenter-folder-print.pdf"));
    let all: String = pages.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(leaflet.len(), pages.iter().map(|(_, n)| n).sum::<usize>(), "{leaflet:?}");
    assert!(leaflet.iter().all(|w| shows_broken(&all, w)), "{leaflet:?} in {all}");
    // Leaflet findings name their panel, not a card.
    for f in fields(&report, "jobcenter-folder") {
        assert!(f["card"].is_null() && f["panel"].is_string(), "{f}");
    }
}
