//! The text engine with the committed fonts: shaping, hyphenation, breaking, justification.

use tryksag::text::Align;
use tryksag::text::FontSet;
use tryksag::text::Hyphenator;
use tryksag::text::Shaper;
use tryksag::text::parse_markup as parse;
use tryksag::text::{FontBook, ParaStyle, TextBlock, TextError, Typesetter};
use tryksag::units::Pt;

const FAMILY: &str = "Atkinson Hyperlegible Next";

fn book() -> &'static FontBook {
    crate::common::shipped_fonts()
}

fn style(book: &FontBook, align: Align, hyphenate: bool) -> ParaStyle {
    ParaStyle {
        fonts: FontSet {
            regular: book.find(FAMILY, 400, false).unwrap(),
            bold: book.find(FAMILY, 700, false),
            italic: book.find(FAMILY, 400, true),
            bold_italic: book.find(FAMILY, 700, true),
        },
        size: Pt(10.0),
        leading: Pt(13.0),
        align,
        hyphenate,
        tracking: 0.0,
        uppercase: false,
        paragraph_spacing: Pt(0.0),
        fallback: Vec::new(),
        breaking: Default::default(),
    }
}

fn set(text: &str, align: Align, hyphenate: bool, width: f64) -> Result<TextBlock, TextError> {
    let book = book();
    let hy = Hyphenator::new(["Ærøs-kø-bing"]);
    let ts = Typesetter::new(Shaper::new(book), &hy);
    ts.set(&parse(text).unwrap(), &style(book, align, hyphenate), Pt(width))
}

fn line_text(b: &TextBlock) -> Vec<String> {
    b.lines.iter().map(|l| l.runs.iter().map(|r| r.text.as_str()).collect::<String>()).collect()
}

const TEXT: &str = "Du behøver ikke at være psykolog eller vide specielt meget om psykisk sygdom for at tale med en borger, der har det svært. Det handler om helt almindelig kontakt.";

#[test]
fn justified_lines_fill_the_measure_exactly() {
    let b = set(TEXT, Align::Justify, true, 150.0).unwrap();
    assert!(b.lines.len() >= 4);
    for l in &b.lines[..b.lines.len() - 1] {
        let w: f64 = l.runs.iter().flat_map(|r| &r.glyphs).map(|g| g.advance().0).sum();
        assert!((w - 150.0).abs() < 0.01, "justified line is {w} pt wide");
    }
    let last = b.lines.last().unwrap();
    assert!(last.width.0 < 150.0);
}

#[test]
fn ragged_lines_never_exceed_the_measure_and_keep_natural_spaces() {
    let b = set(TEXT, Align::Left, true, 150.0).unwrap();
    for l in &b.lines {
        assert!(l.width.0 <= 150.0 + 1e-6, "{}", l.width.0);
    }
    // Text survives breaking: joining the lines (minus hyphens) gives the source back.
    let joined = line_text(&b)
        .iter()
        .map(|l| l.strip_suffix('-').map(str::to_string).unwrap_or(format!("{l} ")))
        .collect::<String>();
    assert_eq!(joined.trim(), TEXT);
}

#[test]
fn long_danish_compound_is_hyphenated_at_pattern_points() {
    let src = "Beskæftigelsesrettet indsats til borgere med psykiske lidelser";
    let b = set(src, Align::Left, true, 70.0).unwrap();
    let lines = line_text(&b);
    assert!(lines.iter().any(|l| l.ends_with('-')), "{lines:?}");
    let hy = Hyphenator::default();
    for (i, l) in lines.iter().enumerate() {
        if let Some(head) = l.strip_suffix('-') {
            let left = head.split(' ').next_back().unwrap();
            let right = lines[i + 1].split(' ').next().unwrap();
            let word = format!("{left}{right}");
            assert!(
                hy.points(&word).contains(&left.chars().count()),
                "break {left}-{right} is not a hyphenation point of {}",
                hy.show(&word)
            );
        }
    }
}

#[test]
fn without_hyphenation_a_too_long_word_is_overfull() {
    let e = set("Beskæftigelsesrettet", Align::Left, false, 60.0).unwrap_err();
    match e {
        TextError::Overfull { word, over } => {
            assert_eq!(word, "Beskæftigelsesrettet");
            assert!(over.0 > 0.0);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn soft_hyphens_and_exceptions_decide_the_break() {
    // Patterns would offer several points; the soft hyphen allows only "selv-stigmatisering".
    let b = set("selv\u{ad}stigmatisering", Align::Left, true, 80.0).unwrap();
    assert_eq!(line_text(&b)[0], "selv-");
    let b = set("Ærøskøbing Ærøskøbing", Align::Left, true, 38.0).unwrap();
    for l in line_text(&b) {
        assert!(!l.ends_with('-') || l.ends_with("Ærøs-") || l.ends_with("Ærøskø-"), "{l}");
    }
}

#[test]
fn kerning_is_applied() {
    let book = book();
    let shaper = Shaper::new(book);
    let f = book.find(FAMILY, 400, false).unwrap();
    let sum = |t: &str| shaper.shape(f, t).iter().map(|g| g.advance).sum::<i32>();
    assert!(sum("To") < sum("T") + sum("o"), "no kerning between T and o");
}

#[test]
fn missing_glyph_is_an_error_naming_the_character() {
    let e = set("Sne ☃ i dag", Align::Left, true, 150.0).unwrap_err();
    assert_eq!(e, TextError::MissingGlyph { ch: '☃', font: format!("{FAMILY} 400") });
}

#[test]
fn forced_breaks_bullets_and_bold() {
    let b = set("Første\nAnden\n\n- **punkt** et\n- punkt to", Align::Left, true, 150.0).unwrap();
    let lines = line_text(&b);
    assert_eq!(lines, vec!["Første", "Anden", "•punkt et", "•punkt to"]);
    let bold = book().find(FAMILY, 700, false).unwrap();
    assert!(b.lines[2].runs.iter().any(|r| r.font == bold && r.text == "punkt"));
    // Bullet text is indented past the bullet.
    assert!(b.lines[2].runs[1].x.0 > 10.0);
}

#[test]
fn centre_and_right_alignment_place_lines() {
    let c = set("Kort linje", Align::Center, true, 150.0).unwrap();
    let r = set("Kort linje", Align::Right, true, 150.0).unwrap();
    let w = c.lines[0].width.0;
    assert!((c.lines[0].runs[0].x.0 - (150.0 - w) / 2.0).abs() < 1e-6);
    assert!((r.lines[0].runs[0].x.0 - (150.0 - w)).abs() < 1e-6);
}

#[test]
fn block_height_follows_leading() {
    let one = set("En linje", Align::Left, true, 150.0).unwrap();
    let three = set("En\nTo\nTre", Align::Left, true, 150.0).unwrap();
    assert!((three.height.0 - one.height.0 - 26.0).abs() < 1e-6);
}

#[test]
fn declared_fallback_fonts_fill_missing_characters() {
    let book = book();
    let hy = Hyphenator::default();
    let ts = Typesetter::new(Shaper::new(book), &hy);
    let mut st = style(book, Align::Left, true);
    let paras = parse("Fra A → B").unwrap();
    // Without a fallback the arrow is an error…
    assert!(matches!(ts.set(&paras, &st, Pt(150.0)), Err(TextError::MissingGlyph { ch: '→', .. })));
    // …with one, it is set in the fallback face and the rest stays in the main font.
    let source = book.find("Source Sans 3", 400, false).unwrap();
    st.fallback = vec![FontSet { regular: source, bold: None, italic: None, bold_italic: None }];
    let b = ts.set(&paras, &st, Pt(150.0)).unwrap();
    let runs = &b.lines[0].runs;
    assert_eq!(
        runs.iter().map(|r| (r.text.as_str(), r.font == source)).collect::<Vec<_>>(),
        vec![("Fra A ", false), ("→", true), (" B", false)]
    );
}
