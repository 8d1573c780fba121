//! GWG 2022 rules checked while laying out: one small project per rule, and the diagnostic it
//! gives (rule name, file, JSON path, card).

use crate::common::{TempProject, card, deck, stderr};

fn project() -> TempProject {
    TempProject::with_deck(&deck(&card("a", "Hvordan går det?")))
}

/// `check --format json`: the diagnostics with the given rule.
fn with_rule(p: &TempProject, rule: &str) -> Vec<serde_json::Value> {
    let o = p.run(&["check", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&o)));
    let all = v.get("diagnostics").and_then(|d| d.as_array()).cloned().or_else(|| v.as_array().cloned()).unwrap();
    all.into_iter().filter(|d| d["rule"] == rule).collect()
}

fn edit_layout(p: &TempProject, from: &str, to: &str) {
    p.edit("layouts/cards/poker.json", |s| {
        assert!(s.contains(from), "{from}");
        s.replacen(from, to, 1)
    });
}

#[test]
fn white_text_below_8_pt_is_small_text() {
    let p = project();
    edit_layout(
        &p,
        r#""weight": 700, "size": "8pt", "leading": "8.5pt", "color": "white", "uppercase""#,
        r#""weight": 700, "size": "7pt", "leading": "8.5pt", "color": "white", "uppercase""#,
    );
    let found = with_rule(&p, "GWG 4.14 small text");
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert_eq!(d["severity"], "error");
    assert_eq!(d["file"], "layouts/cards/poker.json");
    assert_eq!(d["path"], "front[2]");
    assert!(d["line"].as_u64().is_some());
    assert!(d["subject"].as_str().unwrap().contains("card a"), "{d}");
    assert!(d["message"].as_str().unwrap().contains("7.00 pt text in white"), "{d}");
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("error[GWG 4.14 small text]"), "{}", stderr(&o));
    assert!(p.pdfs().is_empty());
}

#[test]
fn small_text_in_a_digital_sheet_condition_may_be_smaller() {
    // Faces stay sheet-fed CMYK; the a4 sheet layout is digital: 7 pt white passes there.
    let p = project();
    edit_layout(
        &p,
        r#""weight": 700, "size": "8pt", "leading": "8.5pt", "color": "white", "uppercase""#,
        r#""weight": 700, "size": "7pt", "leading": "8.5pt", "color": "white", "uppercase""#,
    );
    p.edit("layouts/sheets/a4.json", |s| s.replacen('{', "{\n  \"print_condition\": \"gwg2022-digital\",", 1));
    p.edit("decks/d.json", |s| s.replacen("\"layout\": \"poker\",", "\"layout\": \"poker\", \"sheets\": [\"a4\"],", 1));
    let found = with_rule(&p, "GWG 4.14 small text");
    assert_eq!(found.len(), 1, "only the faces' condition finds it: {found:?}");
    // The command line can ask for one condition for every file (a batch for a digital press).
    for (condition, found) in [("gwg2022-digital", false), ("none", false), ("gwg2022-sheet-cmyk", true)] {
        let o = p.run(&["check", "--print-condition", condition]);
        assert_eq!(o.status.code(), Some(if found { 1 } else { 0 }), "{condition}: {}", stderr(&o));
        assert_eq!(stderr(&o).contains("GWG 4.14 small text"), found, "{condition}: {}", stderr(&o));
    }
    let o = p.run(&["build", "--print-condition", "digital"]);
    assert_eq!(o.status.code(), Some(2), "an unknown condition is a usage error");
}

#[test]
fn overprinting_black_text_adds_the_ink_beneath() {
    // 8.5 pt 100 % K prompt overprints the card's tint: 240 % + 100 % = 340 %.
    let p = project();
    edit_layout(&p, r#""paper-tint": [4, 0, 2, 0]"#, r#""paper-tint": [100, 80, 60, 0]"#);
    edit_layout(
        &p,
        r#""size": "8.5pt", "leading": "11pt", "color": "muted""#,
        r#""size": "8.5pt", "leading": "11pt", "color": "ink""#,
    );
    let found = with_rule(&p, "GWG 4.19 total ink");
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert_eq!(d["file"], "decks/d.json");
    assert_eq!(d["path"], "cards[0].fields.prompt");
    assert!(d["message"].as_str().unwrap().contains("340 % total ink"), "{d}");
}

#[test]
fn rich_black_text_above_280_percent() {
    let p = project();
    edit_layout(&p, r#""ink": [0, 0, 0, 100]"#, r#""ink": [70, 60, 60, 95]"#);
    let found = with_rule(&p, "GWG 4.20 rich black");
    assert!(!found.is_empty());
    assert!(found.iter().any(|d| d["path"] == "cards[0].fields.question" && d["severity"] == "error"), "{found:?}");
}

#[test]
fn a_spot_colour_is_an_error_for_sheet_fed_cmyk() {
    let p = project();
    edit_layout(
        &p,
        r#""nu": { "color": [85, 10, 40, 30]"#,
        r#""nu": { "color": { "spot": "PANTONE 3145 C", "cmyk": [100, 0, 30, 20] }"#,
    );
    let found = with_rule(&p, "GWG 4.6 spot colours");
    // The band (front[1]) and the rule line (front[5]) use it.
    assert!(found.iter().any(|d| d["path"] == "front[1]" && d["file"] == "layouts/cards/poker.json"), "{found:?}");
    assert!(found.iter().all(|d| d["severity"] == "error"));
    assert!(found[0]["hint"].as_str().unwrap().contains("press_spot_colors"));
}

fn png_rgb(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 160]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::from(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn image_resolution_follows_the_condition() {
    // 40 mm wide: 300 px ≈ 190 ppi: a warning below GWG's 224 ppi, named by its rule.
    let p = crate::common::project_with_back_image("images/x.png");
    std::fs::write(p.path("images/x.png"), png_rgb(300, 225)).unwrap();
    let found = with_rule(&p, "GWG 4.17 image resolution");
    assert!(!found.is_empty());
    assert!(found.iter().all(|d| d["severity"] == "warning" && d["path"] == "cards[0].back.image"), "{found:?}");
    // 400 px ≈ 254 ppi: fine for GWG; below the 300 ppi `none` prefers (the a4 sheet, here).
    let p = crate::common::project_with_back_image("images/mellem.png");
    std::fs::write(p.path("images/mellem.png"), png_rgb(400, 300)).unwrap();
    assert!(with_rule(&p, "GWG 4.17 image resolution").is_empty());
    p.edit("layouts/sheets/a4.json", |s| s.replacen('{', "{\n  \"print_condition\": \"none\",", 1));
    p.edit("decks/d.json", |s| s.replacen("\"layout\": \"poker\",", "\"layout\": \"poker\", \"sheets\": [\"a4\"],", 1));
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: image images/mellem.png has 254 ppi"), "{}", stderr(&o));
}

#[test]
fn the_shipped_products_break_no_gwg_rule() {
    let p = TempProject::copy();
    let o = p.run(&["check", "--format", "json"]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(!text.contains("\"rule\""), "{text}");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
