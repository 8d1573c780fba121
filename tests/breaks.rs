//! Danish sample paragraphs, ragged and justified at three measures, with their breaks pinned: a
//! readable snapshot per case in `tests/break_refs/` (the lines as set, inserted hyphens shown),
//! rewritten with `UPDATE_REFS=1 cargo test --release breaks::`. Every case is also checked
//! against the rules a Danish designer expects: no hyphenated word under 7 letters, at least 3
//! letters each side of a hyphen, at most 2 (justified) or 1 (ragged) hyphenated lines in a row, no
//! hyphen on the line before the last (of three or more), and a last line of at least 7 characters or a warning.

use std::path::{Path, PathBuf};

use tryksag::text::parse_markup as parse;
use tryksag::text::{Align, Breaking, FontBook, FontSet, Hyphenator, ParaStyle, Shaper, TextBlock, Typesetter};
use tryksag::units::{Mm, Pt};

const FAMILY: &str = "Atkinson Hyperlegible Next";

/// Sample paragraphs from the shipped leaflet and cards and from the seeds' source texts.
const TEXTS: &[(&str, &str)] = &[
    (
        "moedet",
        "Mange, der er eller har været berørt af psykisk sygdom, kan have et lavere selvværd og er ekstra bekymrede, når det gælder arbejdsmarkedet. Derfor betyder selve mødet med jobcentret meget for, om borgeren får tillid og mod på samarbejde og nye udfordringer.",
    ),
    (
        "rammevilkaar",
        "Tilknytningen til arbejdsmarkedet afhænger af en række rammevilkår – blandt andet af, om arbejdspladsen ved behov er villig til at foretage rimelige tilpasninger af arbejdsopgaverne og timetallet.",
    ),
    (
        "beskaeftigelse",
        "Den beskæftigelsesrettede indsats virker bedst, når kontaktpersonen kender borgerens kompetencer, og når selvstigmatisering og omgivelsernes holdninger bliver talt om i personalegruppen.",
    ),
    (
        "kontakt",
        "Du behøver ikke at være psykolog eller vide specielt meget om psykisk sygdom for at tale med en borger, der har det svært. Det handler om helt almindelig kontakt.",
    ),
];

const MEASURES: &[f64] = &[40.0, 55.0, 70.0];

fn book() -> &'static FontBook {
    crate::common::shipped_fonts()
}

fn style(book: &FontBook, align: Align, size: f64, breaking: Breaking) -> ParaStyle {
    ParaStyle {
        fonts: FontSet {
            regular: book.find(FAMILY, 400, false).unwrap(),
            bold: book.find(FAMILY, 700, false),
            italic: book.find(FAMILY, 400, true),
            bold_italic: book.find(FAMILY, 700, true),
        },
        size: Pt(size),
        leading: Pt(size * 1.3),
        align,
        hyphenate: true,
        tracking: 0.0,
        uppercase: false,
        paragraph_spacing: Pt(0.0),
        fallback: Vec::new(),
        breaking,
    }
}

fn set(book: &FontBook, text: &str, align: Align, size: f64, width: Pt, breaking: Breaking) -> TextBlock {
    let hy = Hyphenator::new(["job-cen-tret"]);
    let ts = Typesetter::new(Shaper::new(book), &hy);
    ts.set(&parse(text).unwrap(), &style(book, align, size, breaking), width).unwrap()
}

/// Each line's text and whether it ends in a hyphen line breaking inserted.
fn lines(b: &TextBlock) -> Vec<(String, bool)> {
    b.lines
        .iter()
        .map(|l| {
            let text = l.runs.iter().map(|r| r.text.as_str()).collect::<String>();
            (text, l.runs.last().is_some_and(|r| r.inserted_hyphen))
        })
        .collect()
}

/// Checks the rules on a set paragraph; `limit` is the most hyphenated lines in a row.
fn check_rules(name: &str, b: &TextBlock, limit: usize) {
    let ls = lines(b);
    let mut row = 0;
    for (i, (text, hyphen)) in ls.iter().enumerate() {
        if !hyphen {
            row = 0;
            continue;
        }
        row += 1;
        assert!(row <= limit, "{name}: {row} hyphenated lines in a row at line {}: {ls:?}", i + 1);
        // The last full line of a paragraph of three or more lines.
        assert!(i + 1 < ls.len(), "{name}: hyphen on the last line: {ls:?}");
        assert!(i + 2 < ls.len() || ls.len() == 2, "{name}: hyphen on the last full line: {ls:?}");
        let before = text.trim_end_matches('-').rsplit(' ').next().unwrap();
        let after = ls[i + 1].0.split(' ').next().unwrap();
        let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
        assert!(letters(before) >= 3 && letters(after) >= 3, "{name}: `{before}-{after}` breaks under 3 letters");
        assert!(letters(before) + letters(after) >= 7, "{name}: `{before}-{after}` is shorter than 7 letters");
    }
    if ls.len() > 1 && b.short_last_lines == 0 {
        let last = &ls.last().unwrap().0;
        assert!(last.chars().count() >= 7, "{name}: last line `{last}` is short and not reported");
    }
}

fn snapshot(b: &TextBlock, header: &str) -> String {
    let mut s = format!("{header}\n");
    for (text, _) in lines(b) {
        s.push_str(&format!("| {text}\n"));
    }
    s.push_str(&format!("loose lines: {}, short last lines: {}\n", b.loose_lines, b.short_last_lines));
    s
}

fn refs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/break_refs")
}

fn updating() -> bool {
    std::env::var_os("UPDATE_REFS").is_some_and(|v| v != "0" && !v.is_empty())
}

#[test]
fn danish_paragraphs_break_as_pinned_and_keep_the_rules() {
    let book = book();
    let mut failures = Vec::new();
    let (mut hyphens, mut cases) = (0, 0);
    for (ti, (name, text)) in TEXTS.iter().enumerate() {
        for (align, a) in [(Align::Left, "ragged"), (Align::Justify, "justified")] {
            for &mm in MEASURES {
                // 9 pt for the first two texts, 10 pt for the others.
                let size = if ti < 2 { 9.0 } else { 10.0 };
                let case = format!("{name}-{a}-{mm}mm-{size}pt");
                let b = set(book, text, align, size, Mm(mm).to_pt(), Breaking::default());
                check_rules(&case, &b, if align == Align::Justify { 2 } else { 1 });
                hyphens += lines(&b).iter().filter(|l| l.1).count();
                cases += 1;
                let snap = snapshot(&b, &format!("{name}, {a}, {mm} mm, {size} pt"));
                let file = refs().join(format!("{case}.txt"));
                if updating() {
                    std::fs::write(&file, &snap).unwrap();
                } else {
                    match std::fs::read_to_string(&file) {
                        Ok(r) if r == snap => {}
                        Ok(r) => failures.push(format!("{case}: breaks changed\n--- ref\n{r}--- new\n{snap}")),
                        Err(_) => failures.push(format!("{case}: no reference {}", file.display())),
                    }
                }
            }
        }
    }
    assert_eq!(cases, 24);
    // The suite must exercise hyphenation, not only whole words.
    assert!(hyphens >= 5, "only {hyphens} hyphenated lines in the suite");
    assert!(failures.is_empty(), "{}\n(if intended: UPDATE_REFS=1 cargo test --release breaks::)", failures.join("\n"));
}

#[test]
fn hyphens_in_a_row_are_limited_per_style() {
    let book = book();
    let text = TEXTS[2].1;
    // Find measures where an unlimited style sets two hyphenated lines in a row: the limit of 1
    // must then hold there.
    let mut tested = 0;
    for w in (90..=200).step_by(3) {
        let free = Breaking { hyphens_in_row: Some(10), ..Breaking::default() };
        let b = set(book, text, Align::Justify, 9.0, Pt(f64::from(w)), free);
        let ls = lines(&b);
        if !ls.windows(2).any(|p| p[0].1 && p[1].1) {
            continue;
        }
        tested += 1;
        let one = Breaking { hyphens_in_row: Some(1), ..Breaking::default() };
        let b = set(book, text, Align::Justify, 9.0, Pt(f64::from(w)), one);
        check_rules(&format!("limit 1 at {w} pt"), &b, 1);
    }
    assert!(tested >= 1, "no measure sets two hyphenated lines in a row without the limit");
}

#[test]
fn minimum_letters_are_configurable() {
    let book = book();
    let text = TEXTS[1].1;
    let wide = Breaking {
        words: tryksag::text::WordRules { min_word: 10, min_before: 5, min_after: 5 },
        ..Breaking::default()
    };
    for &mm in MEASURES {
        let b = set(book, text, Align::Justify, 9.0, Mm(mm).to_pt(), wide);
        let ls = lines(&b);
        for (i, (t, h)) in ls.iter().enumerate() {
            if *h {
                let before = t.trim_end_matches('-').rsplit(' ').next().unwrap();
                let after = ls[i + 1].0.split(' ').next().unwrap();
                let n = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
                assert!(n(before) >= 5 && n(after) >= 5 && n(before) + n(after) >= 10, "`{before}-{after}` at {mm} mm");
            }
        }
    }
}

#[test]
fn short_last_line_is_avoided_or_reported() {
    let book = book();
    // "… i en almindelig uge?" ends in a short word: with the rule the breaker moves a word down;
    // without it (0 characters) the short last line is allowed.
    let text = "Hvad tager mest af dine kræfter og din tid i en helt almindelig uge?";
    let mut avoided = 0;
    for w in (80..=160).step_by(2) {
        let off = Breaking { last_line_chars: 0, ..Breaking::default() };
        let b0 = set(book, text, Align::Left, 10.0, Pt(f64::from(w)), off);
        let last0 = lines(&b0).last().unwrap().0.clone();
        if lines(&b0).len() < 2 || last0.chars().count() >= 7 {
            continue;
        }
        let b = set(book, text, Align::Left, 10.0, Pt(f64::from(w)), Breaking::default());
        let last = lines(&b).last().unwrap().0.clone();
        assert!(last.chars().count() >= 7 || b.short_last_lines == 1, "`{last}` at {w} pt, not reported");
        avoided += usize::from(last.chars().count() >= 7);
    }
    assert!(avoided >= 1, "no measure where the short last line was avoided");
}
