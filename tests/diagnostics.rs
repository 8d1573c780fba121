//! Bad input gives a located, explained error, a non-zero exit, and no PDF.

use crate::common::{TempProject, card, deck, stderr};

fn assert_failed(p: &TempProject, o: &std::process::Output) {
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(o));
    assert!(p.pdfs().is_empty(), "no PDF may be written on errors");
}

#[test]
fn malformed_json_points_at_the_line() {
    let p = TempProject::with_deck("{\n  \"title\": \"x\"\n  \"language\": \"da\"\n}");
    let o = p.run(&["build"]);
    assert_failed(&p, &o);
    let e = stderr(&o);
    assert!(e.contains("error: missing comma before this key"), "{e}");
    assert!(e.contains("decks/d.json:3:3"), "{e}");
    assert!(e.contains("\"language\": \"da\""), "snippet missing: {e}");
}

#[test]
fn wrong_type_names_path_and_line() {
    let c = card("a", "Hvordan går det?").replace("\"fields\"", "\"copies\": \"to\", \"fields\"");
    let p = TempProject::with_deck(&deck(&c));
    let o = p.run(&["build"]);
    assert_failed(&p, &o);
    let e = stderr(&o);
    assert!(e.contains("invalid type: string \"to\", expected a whole number"), "{e}");
    assert!(e.contains("decks/d.json:8:46") && e.contains("(at cards[0].copies)"), "{e}");
}

#[test]
fn unknown_keys_get_did_you_mean() {
    let c = card("a", "Hvordan går det?").replace("\"category\"", "\"categry\"");
    let p = TempProject::with_deck(&deck(&c));
    let o = p.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("unknown key `categry`"), "{e}");
    assert!(e.contains("did you mean `category`?"), "{e}");
    assert!(e.contains("(at cards[0].categry)"), "{e}");
}

#[test]
fn misspelt_field_is_flagged_with_suggestion() {
    let c = card("a", "Hvordan går det?").replace("\"question\"", "\"qestion\"");
    let p = TempProject::with_deck(&deck(&c));
    let o = p.run(&["build"]);
    assert_failed(&p, &o);
    let e = stderr(&o);
    assert!(e.contains("card `a` has no field `question`, which layout `poker` shows"), "{e}");
    assert!(e.contains("field `qestion` of card `a` is not shown") && e.contains("did you mean `question`?"), "{e}");
}

#[test]
fn missing_layout_is_named_with_suggestion() {
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")).replace("\"poker\"", "\"pokr\""));
    let o = p.run(&["build"]);
    assert_failed(&p, &o);
    let e = stderr(&o);
    assert!(e.contains("unknown card layout `pokr`") && e.contains("did you mean `poker`?"), "{e}");
    assert!(e.contains("decks/d.json:4:13"), "{e}");
}

#[test]
fn missing_font_family_and_missing_font_file() {
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    p.edit("layouts/cards/poker.json", |s| {
        s.replacen("\"font\": \"Atkinson Hyperlegible Next\"", "\"font\": \"Atkinson Hyperlegibel Next\"", 1)
    });
    // Remove the ExtraBold file that the title style needs.
    for e in std::fs::read_dir(p.path("fonts/AtkinsonHyperlegibleNext")).unwrap() {
        let path = e.unwrap().path();
        if path.to_string_lossy().contains("ExtraBold") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let o = p.run(&["build"]);
    assert_failed(&p, &o);
    let e = stderr(&o);
    assert!(
        e.contains("font family `Atkinson Hyperlegibel Next` is not in fonts/")
            && e.contains("did you mean `Atkinson Hyperlegible Next`?"),
        "{e}"
    );
    assert!(e.contains("font `Atkinson Hyperlegible Next` has no face with weight 800"), "{e}");
    assert!(e.contains("layouts/cards/poker.json:") && e.contains("(at styles.title.font)"), "{e}");
}

#[test]
fn overflowing_text_names_card_field_and_amount() {
    let long = "Hvad fylder mest for dig lige nu, og hvad ville gøre den største forskel? ".repeat(8);
    let p =
        TempProject::with_deck(&deck(&format!("{},\n{}", card("ok", "Kort spørgsmål?"), card("lang", long.trim()))));
    let o = p.run(&["build"]);
    assert_failed(&p, &o);
    let e = stderr(&o);
    assert!(e.contains("error: text does not fit its box:") && e.contains("mm too tall at 10.00 pt"), "{e}");
    assert!(e.contains("in deck d, card lang, field `question`"), "{e}");
    assert!(e.contains("(at cards[1].fields.question)"), "{e}");
}

#[test]
fn missing_glyph_names_the_character() {
    let p = TempProject::with_deck(&deck(&card("sne", "Hvordan er vejret ☃ i dag?")));
    let o = p.run(&["build"]);
    assert_failed(&p, &o);
    let e = stderr(&o);
    assert!(e.contains("character `☃` (U+2603) is missing from font Atkinson Hyperlegible Next 600"), "{e}");
    assert!(e.contains("card sne, field `question`"), "{e}");
}

#[test]
fn all_errors_of_a_run_are_reported() {
    let cards = [card("a", "☃"), card("b", "Fint").replace("\"nu\"", "\"nuu\""), card("c", "**ulukket")].join(",\n");
    let p = TempProject::with_deck(&deck(&cards));
    let o = p.run(&["build"]);
    assert_failed(&p, &o);
    let e = stderr(&o);
    assert!(e.contains("unknown category `nuu`") && e.contains("did you mean `nu`?"), "{e}");
    assert!(e.contains("U+2603"), "{e}");
    assert!(e.contains("never closed"), "{e}");
    assert!(e.contains("3 error(s)"), "{e}");
}

#[test]
fn check_writes_nothing_and_passes_on_good_input() {
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    let o = p.run(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!p.path("output").exists());
}

#[test]
fn usage_errors_exit_with_2() {
    let p = TempProject::copy();
    assert_eq!(p.run(&["frobnicate"]).status.code(), Some(2));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(["build", "--root", "/nonexistent"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not a tryksag project"));
}

#[test]
fn every_bad_element_of_a_layout_is_reported() {
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    p.edit("layouts/cards/poker.json", |s| {
        s.replace("\"type\": \"text\", \"field\": \"question\"", "\"type\": \"text\", \"feld\": \"question\"")
            .replace("\"type\": \"line\", \"from\": [5, 62.5]", "\"type\": \"lne\", \"from\": [5, 62.5]")
    });
    let o = p.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("unknown key `feld`") && e.contains("did you mean `field`?") && e.contains("(at front[4].feld)"),
        "{e}"
    );
    assert!(
        e.contains("unknown value `lne`") && e.contains("did you mean `line`?") && e.contains("(at front[5].type)"),
        "{e}"
    );
    // The deck is not blamed for its layout's errors.
    assert!(!e.contains("unknown card layout"), "{e}");
}

#[test]
fn duplicate_card_ids_point_at_the_second() {
    let cards = [card("a", "Hvordan går det?"), card("b", "Fint"), card("a", "Igen")].join(",\n");
    let p = TempProject::with_deck(&deck(&cards));
    let o = p.run(&["build"]);
    assert_failed(&p, &o);
    let e = stderr(&o);
    assert!(e.contains("card id `a` is used twice") && e.contains("(at cards[2].id)"), "{e}");
    assert!(e.contains("1 error(s)"), "{e}");
}

#[test]
fn a_large_decks_card_errors_come_in_deck_order_id_before_category() {
    // Cards are checked on all cores; what they find is reported in the deck's order, and a
    // repeated id before the same card's other problems.
    let mut cards: Vec<String> = (0..600).map(|i| card(&format!("k{i}"), "Hvordan går det?")).collect();
    for i in [150, 420] {
        cards[i] = card("k7", "Igen").replace(r#""category": "nu""#, r#""category": "nix""#);
    }
    let p = TempProject::with_deck(&deck(&cards.join(",\n")));
    let o = p.run(&["build"]);
    assert_failed(&p, &o);
    let e = stderr(&o);
    let at = |needle: &str, from: usize| {
        e[from..].find(needle).map(|i| from + i).unwrap_or_else(|| panic!("{needle} after {from} in {e}"))
    };
    let first_id = at("(at cards[150].id)", 0);
    let first_category = at("(at cards[150].category)", first_id);
    let second_id = at("(at cards[420].id)", first_category);
    at("(at cards[420].category)", second_id);
    assert!(e.contains("4 error(s)"), "{e}");
}
