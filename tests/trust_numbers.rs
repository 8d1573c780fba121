//! Numbers out of their domain are refused when the file is read: the error names the value's own
//! key with file:line:col, the process exits 1 without panicking, and nothing is written.

use crate::common::{TempProject, stderr};
use serde_json::Value;

/// Sets the value at `pointer` (RFC 6901) of a JSON file of the project.
fn set(p: &TempProject, file: &str, pointer: &str, v: Value) {
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(p.path(file)).unwrap()).unwrap();
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    match doc.pointer_mut(parent).unwrap_or_else(|| panic!("{file}: no {parent}")) {
        Value::Object(m) => {
            m.insert(key.to_string(), v);
        }
        Value::Array(a) => a[key.parse::<usize>().unwrap()] = v,
        _ => panic!("{file}: {parent} is not a container"),
    }
    p.write(file, &serde_json::to_string_pretty(&doc).unwrap());
}

/// Builds with one value changed and checks the refusal: exit 1, the message (naming the key),
/// the location `file:line:col (at json.path)`, no panic, no output.
fn refused(file: &str, pointer: &str, v: Value, message: &str, json_path: &str) {
    let p = TempProject::copy();
    set(&p, file, pointer, v.clone());
    let o = p.run(&["build", "--allow-sample-data"]);
    let e = stderr(&o);
    let case = format!("{file} {pointer} = {v}");
    assert_eq!(o.status.code(), Some(1), "{case}: {e}");
    assert!(!e.contains("panicked"), "{case}: {e}");
    assert!(e.contains(message), "{case}: expected `{message}` in:\n{e}");
    let at = format!(" (at {json_path})");
    let line = e.lines().find(|l| l.contains(&format!("--> {file}:")) && l.ends_with(&at));
    assert!(line.is_some(), "{case}: expected a location {file}:line:col{at} in:\n{e}");
    assert!(!e.contains("internal error"), "{case}: {e}");
    // The one mistake is reported once (not also as a symptom elsewhere).
    assert_eq!(e.matches(message).count(), 1, "{case}: reported more than once:\n{e}");
    let written: Vec<_> = p.pdfs().into_iter().filter(|f| f.to_string_lossy().contains("dialogkort")).collect();
    if file.contains("cards") || file.starts_with("decks/dialogkort") {
        assert!(written.is_empty(), "{case}: a PDF of the broken deck was written: {written:?}");
    }
}

#[test]
fn lengths_out_of_range_name_their_key() {
    let poker = "layouts/cards/poker.json";
    refused(poker, "/bleed", 500.into(), "`bleed` must be at least 0 and at most 25 mm, not 500 mm", "bleed");
    refused(poker, "/bleed", (-3).into(), "`bleed` must be at least 0", "bleed");
    refused(poker, "/trim/width", 0.into(), "`width` must be more than 0 and at most 2000 mm", "trim.width");
    refused(poker, "/trim/height", 1e308.into(), "`height` must be more than 0 and at most 2000 mm", "trim.height");
    refused(poker, "/safe", "1e400mm".into(), "invalid length `1e400mm`", "safe");
    refused(poker, "/front/4/x", (-1e9).into(), "`x` must be at least -2000", "front[4].x");
    refused(poker, "/front/4/width", "0pt".into(), "`width` must be more than 0", "front[4].width");
    refused(poker, "/front/5/from/0", 1e300.into(), "`from[0]` must be at least -2000", "front[5].from[0]");
    let a4 = "layouts/sheets/a4.json";
    refused(
        a4,
        "/size",
        serde_json::json!({"width": 1e12, "height": 297}),
        "`width` must be more than 0",
        "size.width",
    );
    refused(a4, "/margin", 5000.into(), "`margin` must be at least 0 and at most 1000 mm", "margin");
    refused(a4, "/unprintable", 200.into(), "`unprintable` must be at least 0 and at most 50 mm", "unprintable");
    refused(a4, "/marks/length", 0.into(), "`length` must be more than 0 and at most 50 mm", "marks.length");
    let leaflet = "layouts/leaflets/roll-a4.json";
    refused(leaflet, "/compensation", 80.into(), "`compensation` must be at least 0 and at most 20 mm", "compensation");
    refused(leaflet, "/padding/top", (-5).into(), "`top` must be at least 0", "padding.top");
}

#[test]
fn type_settings_out_of_range_name_their_key() {
    let poker = "layouts/cards/poker.json";
    let q = "/styles/question";
    refused(
        poker,
        &format!("{q}/size"),
        "0pt".into(),
        "`size` must be at least 4 and at most 200 pt",
        "styles.question.size",
    );
    refused(poker, &format!("{q}/size"), "900pt".into(), "`size` must be at least 4", "styles.question.size");
    refused(
        poker,
        &format!("{q}/leading"),
        0.into(),
        "`leading` must be at least 1 and at most 400 pt",
        "styles.question.leading",
    );
    refused(
        poker,
        &format!("{q}/leading"),
        "2pt".into(),
        "`leading` 2.0 pt is less than 0.7 × the type size",
        "styles.question.leading",
    );
    refused(
        poker,
        &format!("{q}/tracking"),
        5000.into(),
        "`tracking` must be at least -100 and at most 500/1000 em",
        "styles.question.tracking",
    );
    refused(
        poker,
        &format!("{q}/tracking"),
        (-800).into(),
        "`tracking` must be at least -100",
        "styles.question.tracking",
    );
    refused(
        poker,
        &format!("{q}/weight"),
        5000.into(),
        "`weight` must be at least 1 and at most 1000",
        "styles.question.weight",
    );
    refused(poker, "/front/4/min_size", "1pt".into(), "`min_size` must be at least 4", "front[4].min_size");
}

#[test]
fn colours_counts_and_angles_out_of_range_name_their_key() {
    let poker = "layouts/cards/poker.json";
    refused(
        poker,
        "/colors/ink",
        serde_json::json!([0, 0, 0, 150]),
        "cmyk values must lie between 0 and 100",
        "colors.ink",
    );
    refused(
        poker,
        "/colors/ink",
        serde_json::json!([-5, 0, 0, 100]),
        "cmyk values must lie between 0 and 100",
        "colors.ink",
    );
    refused(
        poker,
        "/colors/ink",
        serde_json::json!({"spot": "PANTONE 3145 C", "cmyk": [100, 0, 30, 20], "tint": 300}),
        "`tint` must be at least 0 and at most 100 %",
        "colors.ink.tint",
    );
    refused(poker, "/ink_limit", 0.into(), "`ink_limit` must be more than 0 and at most 400 %", "ink_limit");
    let deck = "decks/dialogkort.json";
    refused(
        deck,
        "/cards/0/copies",
        1e12.into(),
        "`copies` must be at least 1 and at most 100, not 1e12",
        "cards[0].copies",
    );
    refused(deck, "/cards/0/copies", 0.into(), "`copies` must be at least 1", "cards[0].copies");
    refused(deck, "/cards/0/copies", 2.5.into(), "`copies` must be a whole number", "cards[0].copies");
    let run = "layouts/runs/hovedstaden.json";
    refused(
        run,
        "/products/0/quantity",
        0.into(),
        "`quantity` must be at least 1 and at most 1000000",
        "products[0].quantity",
    );
    refused(run, "/products/1/quantity", 1e15.into(), "`quantity` must be at least 1", "products[1].quantity");
    let a4 = "layouts/sheets/a4.json";
    refused(
        a4,
        "/duplex/back_offset/angle",
        90.into(),
        "`angle` must be at least -10 and at most 10°",
        "duplex.back_offset.angle",
    );
    refused(
        a4,
        "/duplex/back_offset/x",
        300.into(),
        "`x` must be at least -20 and at most 20 mm",
        "duplex.back_offset.x",
    );
}

#[test]
fn values_in_range_that_do_not_fit_together_name_the_setting() {
    // Each value lies in its own range, but together they put print off the paper or make text
    // impossible: the error names the setting, not a later symptom.
    let a4 = "layouts/sheets/a4.json";
    refused(
        a4,
        "/duplex/back_offset",
        serde_json::json!({"x": 20, "y": -20, "angle": 10}),
        "`back_offset` moves the backs' bleed",
        "duplex.back_offset",
    );
    refused(a4, "/origin", serde_json::json!([150, 0]), "the cards' bleed reaches", "origin");
    let leaflet = "layouts/leaflets/roll-a4.json";
    refused(leaflet, "/padding/outer", 90.into(), "`padding` leaves too little of the panel for text", "padding");
    refused(leaflet, "/padding/top", 190.into(), "the text frame is only", "padding");
}

#[test]
fn too_many_printed_cards_are_refused_at_once() {
    let cards: Vec<String> = (0..150)
        .map(|i| {
            crate::common::card(&format!("k{i}"), "Hvordan går det?")
                .replace("\"fields\"", "\"copies\": 100, \"fields\"")
        })
        .collect();
    let p = TempProject::with_deck(&crate::common::deck(&cards.join(",\n")));
    let o = p.run(&["build"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("the deck prints 15000 cards (with `copies`), more than the 10000 one file may hold"), "{e}");
    assert!(e.contains("--> decks/d.json:") && e.contains("(at cards)"), "{e}");
    assert!(p.pdfs().is_empty());
}
