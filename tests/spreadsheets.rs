//! Cards from a spreadsheet (`cards_from`): CSV, XLSX and ODS read into the same cards as the
//! `cards` array, errors located by cell, and the round trip through `export-cards`.

use std::io::Write as _;
use std::process::Output;

use crate::common::{TempProject, stderr};

/// The deck of `crate::common::deck` without cards, taking them from `cards_from` (JSON text).
fn sheet_deck(cards_from: &str) -> String {
    crate::common::deck("").replace("\"cards\": [\n\n  ]", &format!("\"cards\": [],\n  \"cards_from\": {cards_from}"))
}

/// Two categories, so that an unknown one has a near miss.
fn two_categories(deck: String) -> String {
    deck.replace(
        r#"[{ "id": "nu", "label": "Lige nu" }]"#,
        r#"[{ "id": "nu", "label": "Lige nu" }, { "id": "hjaelper", "label": "Det der hjælper" }]"#,
    )
}

/// Runs tryksag with a fixed `SOURCE_DATE_EPOCH`, so that two builds can be compared byte for byte.
fn run_fixed(p: &TempProject, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(args)
        .arg("--root")
        .arg(p.dir.path())
        .env("SOURCE_DATE_EPOCH", "1764633600")
        .output()
        .unwrap()
}

/// Builds `p` and returns its output files by name.
fn built(p: &TempProject) -> Vec<(String, Vec<u8>)> {
    let o = run_fixed(p, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(p.path("output"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|f| f.extension().is_some_and(|e| e == "pdf"))
        .map(|f| (f.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&f).unwrap()))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

/// The cards the spreadsheet tests write, as JSON: Danish letters, a line break, a soft hyphen
/// and markup.
const JSON_CARDS: &str = r#"    { "id": "nu-01", "category": "nu", "copies": 2, "fields": { "title": "Søvn og år", "question": "Hvordan har du det *i dag*?\nOg i går?", "prompt": "Tal om hjælp og ærlig\u00adhed." } },
    { "id": "nu-02", "category": "nu", "fields": { "title": "Æbler", "question": "Hvad giver dig energi – før og nu?", "prompt": "Spørg til det, der virker." } }"#;

const Q1: &str = "Hvordan har du det *i dag*?\nOg i går?";
const P1: &str = "Tal om hjælp og ærlig\u{ad}hed.";

fn json_pdfs() -> Vec<(String, Vec<u8>)> {
    built(&TempProject::with_deck(&crate::common::deck(JSON_CARDS)))
}

#[test]
fn csv_with_danish_letters_semicolons_and_quoted_newlines_gives_the_json_decks_pdfs() {
    // Danish Excel writes `;` and a BOM; the line break sits in a quoted field.
    let csv = format!(
        "\u{feff}id;category;copies;fields.title;fields.question;fields.prompt\r\n\
         nu-01;nu;2;Søvn og år;\"{}\";{P1}\r\n\
         ;;;;;\r\n\
         nu-02;nu;;Æbler;Hvad giver dig energi – før og nu?;Spørg til det, der virker.\r\n",
        Q1.replace('\n', "\r\n")
    );
    let p = TempProject::with_deck(&sheet_deck(r#"{ "file": "decks/kort.csv" }"#));
    p.write("decks/kort.csv", &csv);
    assert_eq!(built(&p), json_pdfs());
}

#[test]
fn csv_with_commas_and_mapped_headers() {
    let csv = format!(
        "Nummer,Kategori,Titel,Spørgsmål,Refleksion,Antal\n\
         nu-01,nu,Søvn og år,\"{Q1}\",{P1},2\n\
         nu-02,nu,Æbler,Hvad giver dig energi – før og nu?,\"Spørg til det, der virker.\"\n"
    );
    let p = TempProject::with_deck(&sheet_deck(
        r#"{ "file": "decks/kort.csv", "columns": { "id": "A", "category": "Kategori", "copies": "Antal",
           "fields.title": "C", "fields.question": "Spørgsmål", "fields.prompt": "Refleksion" } }"#,
    ));
    p.write("decks/kort.csv", &csv);
    assert_eq!(built(&p), json_pdfs());
}

#[test]
fn csv_in_another_encoding_is_refused_with_a_hint() {
    let p = TempProject::with_deck(&sheet_deck(r#"{ "file": "decks/kort.csv" }"#));
    std::fs::write(p.path("decks/kort.csv"), b"id;category;fields.title\nnu-01;nu;S\xf8vn\n").unwrap();
    let o = p.run(&["check"]);
    let e = stderr(&o);
    assert!(!o.status.success());
    assert!(e.contains("spreadsheet `decks/kort.csv` is not UTF-8"), "{e}");
    assert!(e.contains("CSV UTF-8"), "{e}");
    assert!(e.contains("cards_from.file"), "{e}");
}

/// An XLSX workbook of the test cards, on a sheet `Kort` after a sheet `Noter`, with Danish
/// headers and copies as a number.
fn xlsx() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("Noter").unwrap().write(0, 0, "Ikke kort").unwrap();
    let s = book.add_worksheet().set_name("Kort").unwrap();
    for (c, h) in ["Nummer", "Kategori", "Titel", "Spørgsmål", "Refleksion", "Antal"].iter().enumerate() {
        s.write(0, c as u16, *h).unwrap();
    }
    let rows = [
        ["nu-01", "nu", "Søvn og år", Q1, P1],
        ["nu-02", "nu", "Æbler", "Hvad giver dig energi – før og nu?", "Spørg til det, der virker."],
    ];
    for (r, row) in rows.iter().enumerate() {
        // An empty row between the two cards is skipped.
        let r = (r * 2 + 1) as u32;
        for (c, v) in row.iter().enumerate() {
            s.write(r, c as u16, *v).unwrap();
        }
    }
    s.write(1, 5, 2).unwrap();
    book.save_to_buffer().unwrap()
}

const MAPPED: &str = r#""columns": { "id": "A", "category": "Kategori", "copies": "Antal",
   "fields.title": "C", "fields.question": "Spørgsmål", "fields.prompt": "E" }"#;

#[test]
fn xlsx_by_headers_and_letters_gives_the_json_decks_pdfs() {
    let p =
        TempProject::with_deck(&sheet_deck(&format!(r#"{{ "file": "decks/kort.xlsx", "sheet": "Kort", {MAPPED} }}"#)));
    std::fs::write(p.path("decks/kort.xlsx"), xlsx()).unwrap();
    assert_eq!(built(&p), json_pdfs());
}

#[test]
fn unknown_sheet_lists_the_sheets() {
    let p =
        TempProject::with_deck(&sheet_deck(&format!(r#"{{ "file": "decks/kort.xlsx", "sheet": "kort", {MAPPED} }}"#)));
    std::fs::write(p.path("decks/kort.xlsx"), xlsx()).unwrap();
    let e = stderr(&p.run(&["check"]));
    assert!(e.contains("has no sheet `kort`"), "{e}");
    assert!(e.contains("did you mean `Kort`? the sheets are: Noter, Kort"), "{e}");
    assert!(e.contains("cards_from.sheet"), "{e}");
}

/// A minimal ODS file (what LibreOffice needs and calamine reads) of `rows` on sheet `Kort`;
/// a cell that parses as a number is written as one.
fn ods(rows: &[&[&str]]) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut body = String::new();
    for row in rows {
        body.push_str("<table:table-row>");
        for cell in *row {
            if cell.is_empty() {
                body.push_str("<table:table-cell/>");
            } else if cell.parse::<f64>().is_ok() {
                body.push_str(&format!(
                    r#"<table:table-cell office:value-type="float" office:value="{cell}"><text:p>{cell}</text:p></table:table-cell>"#
                ));
            } else {
                body.push_str(&format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                    esc(cell)
                ));
            }
        }
        body.push_str("</table:table-row>");
    }
    ods_of(&body, &[])
}

/// An ODS file whose sheet `Kort` holds the table rows `body` (XML), with more `parts` (name,
/// bytes, deflated).
fn ods_of(body: &str, parts: &[(&str, &[u8])]) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Kort">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        zip.start_file(*name, deflated).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn ods_by_headers_and_letters_gives_the_json_decks_pdfs() {
    // ODS keeps a line break as two paragraphs; the first card's question is on one line here.
    let one_line = JSON_CARDS.replace(r"\nOg i går?", " Og i går?");
    let q1 = Q1.replace('\n', " ");
    let bytes = ods(&[
        &["Nummer", "Kategori", "Titel", "Spørgsmål", "Refleksion", "Antal"],
        &["nu-01", "nu", "Søvn og år", &q1, P1, "2"],
        &["", "", "", "", "", ""],
        &["nu-02", "nu", "Æbler", "Hvad giver dig energi – før og nu?", "Spørg til det, der virker.", ""],
    ]);
    let p = TempProject::with_deck(&sheet_deck(&format!(r#"{{ "file": "decks/kort.ods", {MAPPED} }}"#)));
    std::fs::write(p.path("decks/kort.ods"), bytes).unwrap();
    assert_eq!(built(&p), built(&TempProject::with_deck(&crate::common::deck(&one_line))));
}

#[test]
fn errors_name_the_cell_and_its_column() {
    let csv = "id;category;copies;fields.title;fields.question;fields.prompt\n\
               nu-01;nu;to;T;Q;P\n\
               nu-02;hjaelpr;1;T;Q;P\n\
               nu-03;nu;1;T;Q;P\n\
               nu-03;nu;1;T;Q;P\n\
               ;nu;1;T;Q;P\n";
    let p = TempProject::with_deck(&two_categories(sheet_deck(r#"{ "file": "decks/kort.csv" }"#)));
    p.write("decks/kort.csv", csv);
    let o = p.run(&["check"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    for (message, cell) in [
        ("`copies` must be", "--> decks/kort.csv, cell C2 (column \"copies\")"),
        ("unknown category `hjaelpr`", "--> decks/kort.csv, cell B3 (column \"category\")"),
        ("card id `nu-03` is used twice", "--> decks/kort.csv, cell A5 (column \"id\")"),
        ("the card's `id` is empty", "--> decks/kort.csv, cell A6 (column \"id\")"),
    ] {
        let at = e.find(message).unwrap_or_else(|| panic!("no {message:?} in {e}"));
        assert!(e[at..].lines().nth(1).is_some_and(|l| l.trim() == cell.trim()), "{message}: {e}");
    }
    assert!(e.contains("did you mean `hjaelper`?"), "{e}");
    assert_eq!(e.lines().filter(|l| l.starts_with("error")).count(), 4, "{e}");
    // check --format json names the file and the cell, in their own members.
    let o = p.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    let diags = v["diagnostics"].as_array().unwrap();
    let copies = diags.iter().find(|d| d["message"].as_str().unwrap().contains("`copies` must be")).unwrap();
    assert_eq!(copies["file"], "decks/kort.csv");
    assert_eq!(copies["cell"], "C2 (column \"copies\")");
    assert!(
        copies["hint"].as_str().unwrap().contains("whole number")
            || copies["hint"].as_str().unwrap().contains("digits")
    );
    assert!(copies.get("path").is_none_or(serde_json::Value::is_null), "{copies}");
    assert_eq!(diags.iter().filter(|d| d["cell"].is_string()).count(), 4, "{v}");
}

#[test]
fn xlsx_errors_name_the_sheet() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet().set_name("Kort").unwrap();
    for (c, h) in ["id", "category", "fields.title", "fields.question", "fields.prompt", "copies"].iter().enumerate() {
        s.write(0, c as u16, *h).unwrap();
    }
    for (c, v) in ["nu-01", "nu", "T", "Q", "P"].iter().enumerate() {
        s.write(13, c as u16, *v).unwrap();
    }
    s.write(13, 5, 2.5).unwrap();
    let p = TempProject::with_deck(&sheet_deck(r#"{ "file": "decks/kort.xlsx" }"#));
    std::fs::write(p.path("decks/kort.xlsx"), book.save_to_buffer().unwrap()).unwrap();
    let e = stderr(&p.run(&["check"]));
    assert!(e.contains("--> decks/kort.xlsx, cell Kort!F14 (column \"copies\")"), "{e}");
}

#[test]
fn unknown_column_suggests_a_header() {
    let p = TempProject::with_deck(&sheet_deck(
        r#"{ "file": "decks/kort.csv", "columns": { "id": "A", "category": "Kategorie", "fields.title": "C",
           "fields.question": "D", "fields.prompt": "E" } }"#,
    ));
    p.write("decks/kort.csv", "Nummer;Kategori;Titel;Spørgsmål;Refleksion\nnu-01;nu;T;Q;P\n");
    let o = p.run(&["check"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("no column `Kategorie` in `decks/kort.csv`"), "{e}");
    assert!(e.contains("did you mean `Kategori`?"), "{e}");
    assert!(e.contains("cards_from.columns.category"), "{e}");
}

#[test]
fn unknown_card_key_in_columns() {
    let p = TempProject::with_deck(&sheet_deck(
        r#"{ "file": "decks/kort.csv", "columns": { "id": "A", "kategori": "B" } }"#,
    ));
    p.write("decks/kort.csv", "id;category\nnu-01;nu\n");
    let e = stderr(&p.run(&["check"]));
    assert!(e.contains("unknown card key `kategori`"), "{e}");
}

#[test]
fn missing_file_and_a_path_outside_the_project_are_located() {
    for (file, says) in [
        ("decks/nej.csv", "cannot be read"),
        ("../kort.csv", "leaves the project folder"),
        ("decks/kort.txt", "is not a .csv"),
    ] {
        let p = TempProject::with_deck(&sheet_deck(&format!(r#"{{ "file": "{file}" }}"#)));
        let o = p.run(&["check"]);
        assert!(!o.status.success());
        let e = stderr(&o);
        assert!(e.contains(says) && e.contains("cards_from.file"), "{file}: {e}");
    }
}

#[test]
fn cards_from_comes_after_the_cards_array_and_ids_stay_unique() {
    let deck = crate::common::deck(&crate::common::card("nu-01", "Q"))
        .replace("\n  ]\n}", "\n  ],\n  \"cards_from\": { \"file\": \"decks/kort.csv\" }\n}");
    let p = TempProject::with_deck(&deck);
    p.write("decks/kort.csv", "id,category,fields.title,fields.question,fields.prompt\nnu-01,nu,T,Q,P\n");
    let e = stderr(&p.run(&["check"]));
    assert!(e.contains("card id `nu-01` is used twice"), "{e}");
    assert!(e.contains("cell A2 (column \"id\")"), "{e}");
}

/// The shipped deck exported, and read back from the spreadsheet by a deck with `cards: []`,
/// gives the same PDFs byte for byte.
fn round_trip(to: &str) {
    let p = TempProject::copy();
    let before = built(&p);
    let o = p.run(&["export-cards", "dialogkort", "--to", to]);
    assert!(o.status.success(), "{}", stderr(&o));
    p.edit("decks/dialogkort.json", |s| {
        let start = s.find("\"cards\": [").unwrap();
        format!("{}\"cards\": [],\n  \"cards_from\": {{ \"file\": \"{to}\" }}\n}}\n", &s[..start])
    });
    std::fs::remove_dir_all(p.path("output")).unwrap();
    assert_eq!(built(&p), before);
}

#[test]
fn export_cards_to_xlsx_and_back_gives_the_same_pdfs() {
    round_trip("decks/dialogkort.xlsx");
}

#[test]
fn export_cards_to_csv_and_back_gives_the_same_pdfs() {
    round_trip("decks/dialogkort.csv");
}

#[test]
fn export_cards_refuses_a_path_outside_the_project() {
    let p = TempProject::copy();
    for to in ["../kort.xlsx", "/tmp/kort.xlsx", "decks/kort.json"] {
        let o = p.run(&["export-cards", "dialogkort", "--to", to]);
        assert!(!o.status.success(), "{to}");
        assert!(!p.path("kort.xlsx").exists());
    }
}

/// Waits up to `limit` for `f` to hold.
fn wait_for(mut f: impl FnMut() -> bool, limit: std::time::Duration) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    false
}

#[test]
fn watch_rebuilds_only_the_decks_that_read_a_saved_spreadsheet() {
    use std::os::unix::fs::MetadataExt as _;
    use std::time::Duration;
    // Deck `d` reads a spreadsheet outside the input folders; deck `e` has cards of its own.
    let p = TempProject::with_deck(&sheet_deck(r#"{ "file": "tabeller/kort.csv" }"#));
    p.write("decks/e.json", &crate::common::deck(&crate::common::card("e-01", "Hvad nu?")));
    let csv = |q: &str| format!("id;category;fields.title;fields.question;fields.prompt\nnu-01;nu;Titel;{q};Kort.\n");
    p.write("tabeller/kort.csv", &csv("Hvordan går det?"));
    let log = p.path("watch.log");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(["watch", "--root"])
        .arg(p.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let (d, e) = (p.path("output/d-faces.pdf"), p.path("output/e-faces.pdf"));
    let text = |path: &std::path::Path| {
        lopdf::Document::load(path).ok().and_then(|d| d.extract_text(&[1]).ok()).unwrap_or_default()
    };
    let first = wait_for(|| d.exists() && e.exists(), Duration::from_secs(60));
    let e_first = std::fs::metadata(&e).map(|m| m.ino()).ok();
    std::thread::sleep(Duration::from_millis(400));
    // Saved as LibreOffice does: a lock file while open, a temporary file renamed over the
    // document.
    p.write("tabeller/.~lock.kort.csv#", "tryksag,test");
    p.write("tabeller/lu4711ab.tmp", &csv("Hvad fylder mest lige nu?"));
    std::fs::rename(p.path("tabeller/lu4711ab.tmp"), p.path("tabeller/kort.csv")).unwrap();
    let rebuilt = wait_for(|| text(&d).contains("fylder"), Duration::from_secs(60));
    // Time for a wrong rebuild of the other deck to show.
    std::thread::sleep(Duration::from_millis(1500));
    let _ = child.kill();
    let _ = child.wait();
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(first, "the first build did not happen: {log}");
    assert!(rebuilt, "the saved spreadsheet was not rebuilt: {log}");
    let changes: Vec<&str> = log.lines().filter(|l| l.starts_with("changed:")).collect();
    assert_eq!(changes, ["changed: tabeller/kort.csv"], "{log}");
    assert_eq!(std::fs::metadata(&e).map(|m| m.ino()).ok(), e_first, "deck e was rebuilt too: {log}");
}

/// `check` of a deck reading `file` (written with `bytes`): its stderr, after asserting that it
/// failed within a few seconds with the error located at `cards_from.file`.
fn refused_quickly(file: &str, bytes: &[u8]) -> String {
    let p = TempProject::with_deck(&sheet_deck(&format!(r#"{{ "file": "{file}" }}"#)));
    std::fs::write(p.path(file), bytes).unwrap();
    let started = std::time::Instant::now();
    let o = p.run(&["check"]);
    let e = stderr(&o);
    assert!(!o.status.success(), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "took {:?}: {e}", started.elapsed());
    assert!(e.contains("cards_from.file"), "{e}");
    assert_eq!(e.lines().filter(|l| l.starts_with("error")).count(), 1, "{e}");
    e
}

/// A workbook with sheet `Kort`: a header, one card, and `more` further cells (row, column, text).
fn xlsx_with(more: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet().set_name("Kort").unwrap();
    for (c, h) in ["id", "category", "fields.title", "fields.question", "fields.prompt"].iter().enumerate() {
        s.write(0, c as u16, *h).unwrap();
        s.write(1, c as u16, ["nu-01", "nu", "T", "Q", "P"][c]).unwrap();
    }
    for (r, c, v) in more {
        s.write(*r, *c, *v).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn xlsx_with_cells_far_apart_is_refused_without_building_the_range_between() {
    // The last cell of a sheet: the range from A1 would hold 17 billion cells.
    let e = refused_quickly("decks/kort.xlsx", &xlsx_with(&[(1_048_575, 16_383, "x")]));
    assert!(e.contains("spreadsheet `decks/kort.xlsx` has more than 100000 rows (a value in Kort!XFD1048576)"), "{e}");
    assert!(e.contains("split the cards into several decks"), "{e}");
    let e = refused_quickly("decks/kort.xlsx", &xlsx_with(&[(5, 200, "x")]));
    assert!(e.contains("has more than 200 columns (a value in Kort!GS6)"), "{e}");
    // Just inside the limits is read.
    let p = TempProject::with_deck(&sheet_deck(r#"{ "file": "decks/kort.xlsx" }"#));
    std::fs::write(p.path("decks/kort.xlsx"), xlsx_with(&[(99_999, 199, "noter")])).unwrap();
    let o = p.run(&["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn ods_that_repeats_rows_or_cells_past_the_limits_is_refused_before_it_is_expanded() {
    let header = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>category</text:p></table:table-cell></table:table-row>"#;
    let cell = r#"<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>"#;
    // A million rows of a hundred numbers, in a few hundred bytes.
    let rows = format!(
        r#"{header}<table:table-row table:number-rows-repeated="1000000">{}</table:table-row>"#,
        cell.replace("<table:table-cell ", r#"<table:table-cell table:number-columns-repeated="100" "#)
    );
    let e = refused_quickly("decks/kort.ods", &ods_of(&rows, &[]));
    assert!(e.contains("has more than 100000 rows (a value in row 1000001)"), "{e}");
    // Sixteen thousand columns in one cell.
    let wide = format!(
        "{header}<table:table-row>{}</table:table-row>",
        cell.replace("<table:table-cell ", r#"<table:table-cell table:number-columns-repeated="16384" "#)
    );
    let e = refused_quickly("decks/kort.ods", &ods_of(&wide, &[]));
    assert!(e.contains("has more than 200 columns (a value in Kort!XFD2)"), "{e}");
    // 150 columns × 20 000 rows: within rows and columns, but more cells than a deck holds.
    let many = format!(
        r#"{header}<table:table-row table:number-rows-repeated="20000">{}</table:table-row>"#,
        cell.replace("<table:table-cell ", r#"<table:table-cell table:number-columns-repeated="150" "#)
    );
    let e = refused_quickly("decks/kort.ods", &ods_of(&many, &[]));
    assert!(e.contains("has more than 2000000 cells in use"), "{e}");
    // A run of a billion spaces in one cell.
    let spaces = format!(
        r#"{header}<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="1000000000"/>b</text:p></table:table-cell></table:table-row>"#
    );
    let e = refused_quickly("decks/kort.ods", &ods_of(&spaces, &[]));
    assert!(e.contains("has more than 50 MB of text"), "{e}");
}

#[test]
fn a_workbook_that_unpacks_to_too_much_is_refused() {
    // 200 MB of zeros deflate to some 200 kB.
    let zeros = vec![0u8; 200_000_000];
    let bomb = ods_of("", &[("Pictures/zeros.bin", &zeros)]);
    assert!(bomb.len() < 1_000_000);
    let e = refused_quickly("decks/kort.ods", &bomb);
    assert!(e.contains("spreadsheet `decks/kort.ods` unpacks to more than 200 MB (at most 100 MB)"), "{e}");
    assert!(e.contains("save the cards alone as a new .xlsx or .ods file"), "{e}");
}

/// A workbook with the test cards' header on sheet `Kort`, each row's cells written by `cell`
/// (row from 1, column from 0).
fn xlsx_rows(rows: u32, cell: impl Fn(&mut rust_xlsxwriter::Worksheet, u32, u16)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet().set_name("Kort").unwrap();
    for (c, h) in ["id", "category", "fields.title", "fields.question", "fields.prompt"].iter().enumerate() {
        s.write(0, c as u16, *h).unwrap();
    }
    for r in 1..=rows {
        for c in 0..5 {
            cell(s, r, c);
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn numbers_and_formulas_read_as_the_spreadsheet_shows_them() {
    use rust_xlsxwriter::Formula;
    // An id typed as the number 7, a title made by a formula (its value as last calculated), a
    // question that is a sum, a prompt that is a number with decimals.
    let bytes = xlsx_rows(1, |s, r, c| {
        match c {
            0 => s.write_number(r, c, 7.0).map(|_| ()),
            1 => s.write(r, c, "nu").map(|_| ()),
            2 => s.write_formula(r, c, Formula::new(r#"="Søvn"&" og år""#).set_result("Søvn og år")).map(|_| ()),
            3 => s.write_formula(r, c, Formula::new("=0.1+0.2").set_result("0.30000000000000004")).map(|_| ()),
            _ => s.write_number(r, c, 2.5).map(|_| ()),
        }
        .unwrap()
    });
    let p = TempProject::with_deck(&sheet_deck(r#"{ "file": "decks/kort.xlsx" }"#));
    std::fs::write(p.path("decks/kort.xlsx"), bytes).unwrap();
    let json = r#"    { "id": "7", "category": "nu", "fields": { "title": "Søvn og år", "question": "0.3", "prompt": "2.5" } }"#;
    assert_eq!(built(&p), built(&TempProject::with_deck(&crate::common::deck(json))));
}

#[test]
fn dates_truth_values_and_formula_errors_are_located_errors() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula};
    let date = Format::new().set_num_format("dd-mm-yyyy");
    let bytes = xlsx_rows(3, |s, r, c| {
        match (r, c) {
            (_, 0) => s.write(r, c, format!("nu-0{r}")).map(|_| ()),
            (_, 1) => s.write(r, c, "nu").map(|_| ()),
            (1, 2) => {
                s.write_datetime_with_format(r, c, ExcelDateTime::from_ymd(2026, 12, 2).unwrap(), &date).map(|_| ())
            }
            (2, 3) => s.write_boolean(r, c, true).map(|_| ()),
            (3, 4) => s.write_formula(r, c, Formula::new("=1/0").set_result("#DIV/0!")).map(|_| ()),
            _ => s.write(r, c, "Tekst").map(|_| ()),
        }
        .unwrap()
    });
    let p = TempProject::with_deck(&sheet_deck(r#"{ "file": "decks/kort.xlsx" }"#));
    std::fs::write(p.path("decks/kort.xlsx"), bytes).unwrap();
    let o = p.run(&["check"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    for (message, cell) in [
        (
            "the cell for `fields.title` holds a date or time (2026-12-02), not text",
            "Kort!C2 (column \"fields.title\")",
        ),
        ("the cell for `fields.question` holds the truth value TRUE, not text", "Kort!D3 (column \"fields.question\")"),
        ("the cell for `fields.prompt` holds the formula error #DIV/0!", "Kort!E4 (column \"fields.prompt\")"),
    ] {
        let at = e.find(message).unwrap_or_else(|| panic!("no {message:?} in {e}"));
        let next = e[at..].lines().nth(1).unwrap_or_default();
        assert_eq!(next.trim(), format!("--> decks/kort.xlsx, cell {cell}"), "{message}: {e}");
    }
    assert!(e.contains("format the cell as text"), "{e}");
    assert!(e.contains("fix the formula, or type the value"), "{e}");
    assert_eq!(e.lines().filter(|l| l.starts_with("error")).count(), 3, "{e}");
}

#[test]
fn an_id_typed_as_a_number_is_the_same_id_as_its_text() {
    let bytes = xlsx_rows(2, |s, r, c| {
        match (r, c) {
            (1, 0) => s.write_number(r, c, 7.0).map(|_| ()),
            (2, 0) => s.write(r, c, "7").map(|_| ()),
            (_, 1) => s.write(r, c, "nu").map(|_| ()),
            _ => s.write(r, c, "Tekst").map(|_| ()),
        }
        .unwrap()
    });
    let p = TempProject::with_deck(&sheet_deck(r#"{ "file": "decks/kort.xlsx" }"#));
    std::fs::write(p.path("decks/kort.xlsx"), bytes).unwrap();
    let e = stderr(&p.run(&["check"]));
    assert!(e.contains("card id `7` is used twice"), "{e}");
    assert!(e.contains("cell Kort!A3 (column \"id\")"), "{e}");
}

/// Cards with an optional field (`back.text`) written, written empty, and left out.
const BACKS: &str = r#"    { "id": "a", "category": "nu", "back": { "text": "Bagsiden." }, "fields": { "title": "T", "question": "Q", "prompt": "P" } },
    { "id": "b", "category": "nu", "back": { "text": "" }, "fields": { "title": "T", "question": "Q", "prompt": "P" } },
    { "id": "c", "category": "nu", "fields": { "title": "T", "question": "Q", "prompt": "P" } }"#;

#[test]
fn optional_fields_empty_or_absent_survive_the_round_trip() {
    for to in ["decks/kort.xlsx", "decks/kort.csv"] {
        let p = TempProject::with_deck(&crate::common::deck(BACKS));
        let before = built(&p);
        let o = p.run(&["export-cards", "d", "--to", to]);
        assert!(o.status.success(), "{}", stderr(&o));
        p.write("decks/d.json", &sheet_deck(&format!(r#"{{ "file": "{to}" }}"#)));
        std::fs::remove_dir_all(p.path("output")).unwrap();
        assert_eq!(built(&p), before, "{to}");
    }
    // An empty optional field is the same as none: the common back.
    let without = BACKS.replace(r#""back": { "text": "" }, "#, "");
    assert_eq!(
        built(&TempProject::with_deck(&crate::common::deck(BACKS))),
        built(&TempProject::with_deck(&crate::common::deck(&without)))
    );
}

#[test]
fn an_empty_field_the_layout_needs_is_an_error_in_json_and_in_a_spreadsheet() {
    let json = crate::common::card("a", "").replace("\"question\": \"\"", "\"question\": \" \"");
    let p = TempProject::with_deck(&crate::common::deck(&json));
    let o = p.run(&["check"]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("field `question` of card `a` is empty, and layout `poker` shows it"), "{e}");
    assert!(e.contains("cards[0].fields.question"), "{e}");
    assert!(e.contains("\"optional\": true"), "{e}");
    assert_eq!(e.lines().filter(|l| l.starts_with("error")).count(), 1, "{e}");
    let p = TempProject::with_deck(&sheet_deck(r#"{ "file": "decks/kort.csv" }"#));
    p.write("decks/kort.csv", "id;category;fields.title;fields.question;fields.prompt\na;nu;T; ;P\n");
    let e = stderr(&p.run(&["check"]));
    assert!(e.contains("card `a` has no field `question`"), "{e}");
    assert!(e.contains("--> decks/kort.csv, cell D2 (column \"fields.question\")"), "{e}");
    assert_eq!(e.lines().filter(|l| l.starts_with("error")).count(), 1, "{e}");
}
