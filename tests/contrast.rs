//! The contrast check (WCAG 2 through the output profile) and the located diagnostics of
//! keep-together phrases, on small projects and on the shipped one.

use crate::common::{TempProject, card, deck, stderr};

/// `check --format json`: the exit code and every diagnostic.
fn check(p: &TempProject) -> (Option<i32>, Vec<serde_json::Value>) {
    let o = p.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    let all = v.get("diagnostics").and_then(|d| d.as_array()).cloned().or_else(|| v.as_array().cloned()).unwrap();
    (o.status.code(), all)
}

fn about_contrast(all: &[serde_json::Value]) -> Vec<serde_json::Value> {
    all.iter().filter(|d| d["message"].as_str().unwrap_or("").contains("contrast of")).cloned().collect()
}

#[test]
fn white_on_the_old_light_teal_band_is_a_located_warning_with_its_ratio() {
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    p.edit("layouts/cards/poker.json", |s| {
        let from = r#""nu": { "color": [85, 10, 40, 30]"#;
        assert!(s.contains(from));
        s.replacen(from, r#""nu": { "color": [75, 0, 35, 10]"#, 1)
    });
    let (code, all) = check(&p);
    assert_eq!(code, Some(0), "a contrast finding is a warning: {all:?}");
    let found = about_contrast(&all);
    // The 8 pt category label (a template text: located in the layout) and the 12.5 pt title (a
    // field: located at the card).
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found.iter().all(|d| d["severity"] == "warning"));
    let label = found.iter().find(|d| d["path"] == "front[2]").expect("the category label");
    assert_eq!(label["file"], "layouts/cards/poker.json");
    assert!(label["subject"].as_str().unwrap().contains("card a"), "{label}");
    let m = label["message"].as_str().unwrap();
    assert!(m.contains("8.0 pt text in white") && m.contains("CMYK [75.0, 0.0, 35.0, 10.0]"), "{m}");
    assert!(m.contains("2.98 : 1") && m.contains("4.5 : 1"), "{m}");
    let title = found.iter().find(|d| d["path"] == "cards[0].fields.title").expect("the title");
    assert_eq!(title["file"], "decks/d.json");
}

#[test]
fn the_same_card_on_the_shipped_band_passes() {
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    let (code, all) = check(&p);
    assert_eq!(code, Some(0));
    assert!(about_contrast(&all).is_empty(), "{all:?}");
}

#[test]
fn the_shipped_products_meet_the_contrast_check() {
    let p = TempProject::copy();
    let (code, all) = check(&p);
    assert_eq!(code, Some(0));
    assert!(about_contrast(&all).is_empty(), "{:?}", about_contrast(&all));
    // The deck laid out on the A6 layout meets it too.
    p.edit("decks/dialogkort.json", |s| s.replacen("\"layout\": \"poker\"", "\"layout\": \"a6\"", 1));
    let (_, all) = check(&p);
    assert!(about_contrast(&all).is_empty(), "{:?}", about_contrast(&all));
}

fn with_keep(keep: &str, question: &str) -> TempProject {
    let d = deck(&card("a", question)).replacen(
        "\"sender\": \"PsykInfo\",",
        &format!("\"sender\": \"PsykInfo\",\n  \"hyphenation\": {{ \"keep_together\": {keep} }},"),
        1,
    );
    TempProject::with_deck(&d)
}

#[test]
fn an_empty_keep_together_phrase_is_a_located_error() {
    let p = with_keep(r#"["EN AF OS", " "]"#, "Hvordan går det?");
    let (code, all) = check(&p);
    assert_eq!(code, Some(1));
    let d = all.iter().find(|d| d["message"].as_str().unwrap().contains("keep-together")).expect("{all:?}");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "decks/d.json");
    assert_eq!(d["path"], "hyphenation.keep_together.1");
    assert!(d["line"].as_u64().is_some());
}

#[test]
fn a_keep_together_phrase_wider_than_its_box_is_a_warning_naming_card_and_field() {
    let phrase = "hos jobcentret i kommunen lige her";
    let p = with_keep(&format!("[\"{phrase}\"]"), &format!("Hvad siger du {phrase} i dag?"));
    let (code, all) = check(&p);
    assert_eq!(code, Some(0), "{all:?}");
    let d = all.iter().find(|d| d["message"].as_str().unwrap().contains("is kept together")).expect("{all:?}");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["path"], "cards[0].fields.question");
    assert!(d["subject"].as_str().unwrap().contains("card a"), "{d}");
    assert!(d["message"].as_str().unwrap().contains(phrase), "{d}");
    // Build makes the files all the same.
    assert_eq!(p.run(&["build"]).status.code(), Some(0));
}
