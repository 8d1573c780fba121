//! Words that must not break: keep-together phrases and the automatic no-break spaces (number
//! and unit, "kl. 9", phone numbers, a clause's dash, abbreviations before a lower-case word),
//! set at every measure from narrow to wide.

use tryksag::text::parse_markup as parse;
use tryksag::text::{Align, Breaking, FontSet, Hyphenator, ParaStyle, Shaper, TextBlock, Typesetter};
use tryksag::units::Pt;

const FAMILY: &str = "Atkinson Hyperlegible Next";

fn set(text: &str, keep: &[&str], align: Align, width: f64) -> TextBlock {
    let book = crate::common::shipped_fonts();
    let hy = Hyphenator::new([]);
    let keep: Vec<String> = keep.iter().map(|s| s.to_string()).collect();
    let ts = Typesetter::new(Shaper::new(book), &hy).keep_together(&keep);
    let style = ParaStyle {
        fonts: FontSet { regular: book.find(FAMILY, 400, false).unwrap(), bold: None, italic: None, bold_italic: None },
        size: Pt(10.0),
        leading: Pt(13.0),
        align,
        hyphenate: true,
        tracking: 0.0,
        uppercase: false,
        paragraph_spacing: Pt(0.0),
        fallback: Vec::new(),
        breaking: Breaking::default(),
    };
    ts.set(&parse(text).unwrap(), &style, Pt(width)).unwrap()
}

/// The lines joined by `|`: a phrase split across lines has a `|` inside it.
fn lines(b: &TextBlock) -> String {
    b.lines.iter().map(|l| l.runs.iter().map(|r| r.text.as_str()).collect::<String>()).collect::<Vec<_>>().join("|")
}

/// Every measure from 90 to 240 pt, ragged and justified: `phrase` is always on one line.
fn never_split(text: &str, keep: &[&str], phrase: &str) {
    for align in [Align::Left, Align::Justify] {
        for w in (90..=240).step_by(3) {
            let b = set(text, keep, align, f64::from(w));
            let l = lines(&b);
            assert!(l.contains(phrase), "`{phrase}` split at {w} pt ({align:?}): {l}");
            assert!(b.unkept.is_empty());
        }
    }
}

/// With `phrase` changed to `unheld` (which no rule holds) some measure splits it: so the
/// measures tried do reach the phrase, and the tests can fail.
fn splits_somewhere(text: &str, phrase: &str, unheld: &str) -> bool {
    let text = text.replace(phrase, unheld);
    (90..=240).step_by(3).any(|w| !lines(&set(&text, &[], Align::Left, f64::from(w))).contains(unheld))
}

const ORG: &str = "Materialet er lavet af EN AF OS sammen med PsykInfo, der hjælper borgere og jobcentre hver dag.";

#[test]
fn keep_together_phrases_are_never_split_nor_hyphenated() {
    assert!(splits_somewhere(ORG, "EN AF OS", "EN AF OS"));
    never_split(ORG, &["EN AF OS", "PsykInfo"], "EN AF OS");
    never_split(ORG, &["EN AF OS", "PsykInfo"], "PsykInfo");
    // Extracted text shows ordinary spaces: the rule lives in the breaking, not the characters.
    assert!(!lines(&set(ORG, &["EN AF OS"], Align::Left, 100.0)).contains('\u{a0}'));
}

const CONTACT: &str = "Ring til os på telefon 70 27 07 07 eller +45 70 27 07 07, vi har åbent fra kl. 9 og svarer inden 20 min i telefonen.";

#[test]
fn phone_numbers_times_and_units_are_not_split() {
    for (phrase, unheld) in [
        ("70 27 07 07", "70 27 07 0x"),
        ("+45 70 27 07 07,", "+45 70 27 0x 07,"),
        ("kl. 9", "kl. x"),
        ("20 min", "20 mix"),
    ] {
        assert!(splits_somewhere(CONTACT, phrase, unheld), "{phrase}");
        never_split(CONTACT, &[], phrase);
    }
}

const ABBR: &str =
    "Tal om det, der fylder, f.eks. en svær morgen, bl.a. om søvn, dvs. hvordan natten var – og hvad der hjælper.";

#[test]
fn an_abbreviation_does_not_end_a_line_before_a_lower_case_word() {
    for (phrase, unheld) in
        [("f.eks. en", "f.eks. En"), ("bl.a. om", "bl.a. Om"), ("dvs. hv", "dvs. Hv"), ("var –", "var -")]
    {
        assert!(splits_somewhere(ABBR, phrase, unheld), "{phrase}");
        never_split(ABBR, &[], phrase);
    }
}

#[test]
fn a_phrase_wider_than_the_box_is_broken_with_a_report_not_an_error() {
    let b = set("fra EN AF OS i dag", &["EN AF OS"], Align::Left, 30.0);
    assert_eq!(b.unkept, vec!["EN AF OS".to_string()]);
    assert!(!lines(&b).contains("EN AF OS"));
}
