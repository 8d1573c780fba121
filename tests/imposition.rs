//! Imposition geometry: grids, duplex registration, marks.

use std::path::Path;
use std::sync::Arc;

use tryksag::impose::Document;
use tryksag::impose::fit;
use tryksag::impose::{Imposed, impose};
use tryksag::layout::CardFaces;
use tryksag::layout::{Frame, FrameItem};
use tryksag::model::Color;
use tryksag::model::SourceFile;
use tryksag::model::{SheetLayout, TurnAxis, sheet_layout};
use tryksag::units::{Mm, Point, Pt, Rect, Size};

fn mm(v: f64) -> Pt {
    Mm(v).to_pt()
}

fn sheet(json: &str) -> SheetLayout {
    let f = SourceFile::parse(Path::new("t.json"), json.to_string()).unwrap();
    sheet_layout("t".into(), Arc::new(f), Path::new(env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn frame(trim: Size, bleed: Pt) -> Frame {
    let size = Size { w: trim.w + bleed * 2.0, h: trim.h + bleed * 2.0 };
    let r = Rect::from_origin_size(Point::default(), size);
    Frame {
        size,
        trim: Rect::from_origin_size(Point::new(bleed, bleed), trim),
        items: vec![FrameItem::Rect { rect: r, fill: Some(Color::BLACK), stroke: None }],
        blocks: Vec::new(),
        shared: None,
    }
}

fn cards(n: usize, w: f64, h: f64, back_extra: f64) -> Vec<CardFaces> {
    let trim = Size { w: mm(w), h: mm(h) };
    (0..n)
        .map(|i| CardFaces {
            id: format!("c{i}"),
            copies: 1,
            front: frame(trim, mm(3.0)).into(),
            back: frame(trim, mm(3.0 + back_extra)).into(),
        })
        .collect()
}

const POKER: (f64, f64) = (63.0, 88.0);
const A6: (f64, f64) = (105.0, 148.0);

fn count(json: &str, card: (f64, f64)) -> usize {
    fit(&sheet(json), Size { w: mm(card.0), h: mm(card.1) }, mm(3.0)).unwrap().capacity()
}

#[test]
fn counts_match_print_md() {
    assert_eq!(count(r#"{"size": "A4"}"#, POKER), 9);
    assert_eq!(count(r#"{"size": "A4", "style": "gutter"}"#, POKER), 8);
    assert_eq!(count(r#"{"size": "SRA3"}"#, POKER), 18);
    assert_eq!(count(r#"{"size": "SRA3"}"#, A6), 8);
    // Without rotation the gutter grid loses cards.
    assert_eq!(count(r#"{"size": "A4", "style": "gutter", "rotate": false}"#, POKER), 6);
}

#[test]
fn a_card_that_cannot_fit_says_by_how_much() {
    let s = sheet(r#"{"size": {"width": 100, "height": 100}, "margin": 10}"#);
    let e = impose("t", &cards(1, 105.0, 148.0, 0.0), &s, None).err().unwrap();
    assert!(
        e.message.contains("does not fit sheet layout `t`: it misses by 25.0 mm in width and 68.0 mm in height"),
        "{}",
        e.message
    );
}

#[test]
fn gutter_must_be_twice_the_bleed() {
    let s = sheet(r#"{"size": "A4", "style": "gutter", "gutter": 4}"#);
    let e = impose("t", &cards(1, 63.0, 88.0, 0.0), &s, None).err().unwrap();
    assert!(e.message.contains("less than twice the bleed"), "{}", e.message);
}

/// Card trim centre and top-centre on the page for every placement of a page.
fn anchors(doc: &Document, page: usize) -> Vec<(Point, Point)> {
    doc.pages[page]
        .content
        .iter()
        .map(|p| {
            let f = &doc.frames[p.frame];
            let t = p.transform(f);
            let page_t = doc.pages[page].transform;
            let apply = |q: Point| {
                let q = t.apply(q);
                page_t.map(|pt| pt.apply(q)).unwrap_or(q)
            };
            let c = Point::new((f.trim.min.x + f.trim.max.x) / 2.0, (f.trim.min.y + f.trim.max.y) / 2.0);
            let top = Point::new(c.x, f.trim.min.y);
            (apply(c), apply(top))
        })
        .collect()
}

fn near(a: Point, b: Point) -> bool {
    (a.x - b.x).abs().to_mm().0 < 0.01 && (a.y - b.y).abs().to_mm().0 < 0.01
}

fn check_registration(im: &Imposed, s: &SheetLayout, shift: (f64, f64)) {
    let doc = &im.doc;
    assert_eq!(doc.pages.len(), im.sheets * 2);
    for sheet_no in 0..im.sheets {
        let fronts = anchors(doc, 2 * sheet_no);
        let backs = anchors(doc, 2 * sheet_no + 1);
        assert_eq!(fronts.len(), backs.len());
        for ((fc, ft), (bc, bt)) in fronts.iter().zip(&backs) {
            // Seen from the front, the back lies exactly behind the front (plus any offset)…
            let want = Point::new(fc.x + mm(shift.0), fc.y + mm(shift.1));
            let seen = s.turn_axis().behind(*bc, s.size);
            assert!(near(seen, want), "{} {:?}: back centre {seen:?} is not behind {want:?}", s.name, s.turn_axis());
            // …and its top edge is on the same side as the front's top edge.
            let seen_top = s.turn_axis().behind(*bt, s.size);
            let want_top = Point::new(ft.x + mm(shift.0), ft.y + mm(shift.1));
            assert!(near(seen_top, want_top), "back is not upright: {seen_top:?} vs {want_top:?}");
        }
    }
}

#[test]
fn every_back_lies_behind_its_front_for_all_sheets_flips_and_orientations() {
    let sizes = ["\"A4\"", "\"A3\"", "\"SRA3\"", "\"SRA4\"", "\"Letter\"", "{\"width\": 330, \"height\": 488}"];
    let margins = ["10", "{\"top\": 8, \"right\": 25, \"bottom\": 30, \"left\": 12}"];
    let mut checked = 0;
    for size in sizes {
        for orientation in ["portrait", "landscape"] {
            for flip in ["long", "short"] {
                for style in ["shared", "gutter"] {
                    for margin in margins {
                        let json = format!(
                            r#"{{"size": {size}, "orientation": "{orientation}", "style": "{style}", "margin": {margin}, "duplex": {{"flip": "{flip}", "back_extra_bleed": 1}}}}"#
                        );
                        let s = sheet(&json);
                        for card in [POKER, A6] {
                            let im = impose("t", &cards(23, card.0, card.1, 1.0), &s, None).unwrap();
                            check_registration(&im, &s, (0.0, 0.0));
                            checked += 1;
                        }
                    }
                }
            }
        }
    }
    assert_eq!(checked, 6 * 2 * 2 * 2 * 2 * 2);
}

#[test]
fn turn_axis_follows_print_md() {
    let axis = |o: &str, f: &str| {
        sheet(&format!(r#"{{"size": "A4", "orientation": "{o}", "duplex": {{"flip": "{f}"}}}}"#)).turn_axis()
    };
    assert_eq!(axis("portrait", "long"), TurnAxis::Vertical);
    assert_eq!(axis("portrait", "short"), TurnAxis::Horizontal);
    assert_eq!(axis("landscape", "long"), TurnAxis::Horizontal);
    assert_eq!(axis("landscape", "short"), TurnAxis::Vertical);
}

#[test]
fn back_offset_is_applied_as_seen_from_the_front() {
    for flip in ["long", "short"] {
        let s = sheet(&format!(
            r#"{{"size": "A4", "duplex": {{"flip": "{flip}", "back_offset": {{"x": 1.5, "y": -0.5}}}}}}"#
        ));
        let im = impose("t", &cards(9, 63.0, 88.0, 0.0), &s, None).unwrap();
        check_registration(&im, &s, (1.5, -0.5));
        assert!(im.doc.pages[0].transform.is_none(), "fronts are never shifted");
    }
}

#[test]
fn crop_marks_stay_outside_every_bleed_box_and_count_right() {
    for (style, per_axis) in [("shared", 4), ("gutter", 0)] {
        let s = sheet(&format!(r#"{{"size": "A4", "style": "{style}"}}"#));
        let im = impose("t", &cards(9, 63.0, 88.0, 0.0), &s, None).unwrap();
        let page = &im.doc.pages[0];
        let lines: Vec<(Point, Point)> = page
            .marks
            .iter()
            .filter_map(|m| match m {
                FrameItem::Line { from, to, stroke } => {
                    assert!(stroke.width.0 >= 0.25);
                    assert_eq!(stroke.color, Color::Registration);
                    Some((*from, *to))
                }
                _ => None,
            })
            .collect();
        let g = &im.grid;
        let expected =
            if per_axis > 0 { 2 * (g.cols + 1) + 2 * (g.rows + 1) } else { 2 * (2 * g.cols) + 2 * (2 * g.rows) };
        assert_eq!(lines.len(), expected, "{style}");
        for slot in &g.slots {
            // Touching the bleed edge is fine (marks start at the bleed distance); entering is not.
            let bleed = slot.inflate(mm(3.0) - Pt(0.01));
            for (a, b) in &lines {
                let seg =
                    Rect { min: Point::new(a.x.min(b.x), a.y.min(b.y)), max: Point::new(a.x.max(b.x), a.y.max(b.y)) };
                assert!(!seg.intersects(&bleed), "mark {a:?}-{b:?} enters a card's bleed");
            }
        }
        // Page boxes: trim encloses the cut lines; marks lie between BleedBox and MediaBox.
        assert_eq!(page.trim_box, g.trim);
        for (a, b) in &lines {
            for p in [a, b] {
                assert!(
                    !(page.bleed_box.min.x.0 < p.x.0
                        && p.x.0 < page.bleed_box.max.x.0
                        && page.bleed_box.min.y.0 < p.y.0
                        && p.y.0 < page.bleed_box.max.y.0)
                );
                assert!(p.x.0 >= 0.0 && p.y.0 >= 0.0 && p.x.0 <= page.media.w.0 && p.y.0 <= page.media.h.0);
            }
        }
    }
}

#[test]
fn partial_last_sheet_and_fill_policies() {
    let blank = sheet(r#"{"size": "A4"}"#);
    let im = impose("t", &cards(11, 63.0, 88.0, 0.0), &blank, None).unwrap();
    assert_eq!(im.sheets, 2);
    assert_eq!(im.doc.pages[2].content.len(), 2, "last sheet partly filled");
    let repeat = sheet(r#"{"size": "A4", "fill": "repeat"}"#);
    let im = impose("t", &cards(11, 63.0, 88.0, 0.0), &repeat, None).unwrap();
    assert_eq!(im.doc.pages[2].content.len(), 9);
    // Copies are respected.
    let mut cs = cards(2, 63.0, 88.0, 0.0);
    cs[0].copies = 10;
    let im = impose("t", &cs, &blank, None).unwrap();
    assert_eq!(im.sheets, 2);
    assert_eq!(im.doc.pages[0].content.iter().filter(|p| p.frame == 0).count(), 9);
}

#[test]
fn marks_on_fronts_only() {
    let s = sheet(r#"{"size": "A4", "marks": {"fronts_only": true}}"#);
    let im = impose("t", &cards(9, 63.0, 88.0, 0.0), &s, None).unwrap();
    assert!(!im.doc.pages[0].marks.is_empty());
    assert!(im.doc.pages[1].marks.is_empty());
    let s = sheet(r#"{"size": "A4", "marks": {"crop": false}}"#);
    let im = impose("t", &cards(9, 63.0, 88.0, 0.0), &s, None).unwrap();
    assert!(im.doc.pages[0].marks.is_empty());
}

mod calibration {
    use super::*;
    use tryksag::impose::calibration_document;
    use tryksag::layout::{STEPS, lay_out_calibration};
    use tryksag::text::Align;
    use tryksag::text::FontSet;
    use tryksag::text::Hyphenator;
    use tryksag::text::Shaper;
    use tryksag::text::{ParaStyle, Typesetter};

    /// Vertical tick lines (x, top y) of a page, after the page transform.
    fn ticks(doc: &Document, page: usize) -> Vec<(f64, f64)> {
        let p = &doc.pages[page];
        let f = &doc.frames[p.content[0].frame];
        f.items
            .iter()
            .filter_map(|i| match i {
                FrameItem::Line { from, to, .. } if (from.x - to.x).abs().0 < 1e-9 => {
                    let a = p.transform.map(|t| t.apply(*from)).unwrap_or(*from);
                    Some((
                        a.x.to_mm().0,
                        a.y.to_mm().0.min(p.transform.map(|t| t.apply(*to)).unwrap_or(*to).y.to_mm().0),
                    ))
                }
                _ => None,
            })
            .collect()
    }

    fn doc_for(json: &str) -> (Document, SheetLayout) {
        let book = crate::common::shipped_fonts();
        let hy = Hyphenator::default();
        let ts = Typesetter::new(Shaper::new(book), &hy);
        let fam = &book.families()[0];
        let style = ParaStyle {
            fonts: FontSet {
                regular: book.find(fam, 400, false).unwrap(),
                bold: book.find(fam, 700, false),
                italic: None,
                bold_italic: None,
            },
            size: Pt(9.0),
            leading: Pt(11.0),
            align: Align::Left,
            hyphenate: false,
            tracking: 0.0,
            uppercase: false,
            paragraph_spacing: Pt(0.0),
            fallback: Vec::new(),
            breaking: Default::default(),
        };
        let s = sheet(json);
        (calibration_document(&s, lay_out_calibration(&s, &ts, &style, &style).unwrap()), s)
    }

    #[test]
    fn back_ticks_are_shifted_by_the_printed_steps_as_seen_from_the_front() {
        for (json, extra) in
            [(r#"{"size": "A4"}"#, 0.0), (r#"{"size": "A4", "duplex": {"back_offset": {"x": 1.0}}}"#, 1.0)]
        {
            let (doc, s) = doc_for(json);
            let front = ticks(&doc, 0);
            let back: Vec<(f64, f64)> = ticks(&doc, 1).into_iter().map(|(x, y)| (s.size.w.to_mm().0 - x, y)).collect();
            // The top x scale: the first nine vertical ticks on each side.
            assert_eq!(front.len(), 18);
            for (i, v) in STEPS.iter().enumerate() {
                let d = back[i].0 - front[i].0;
                assert!((d - v - extra).abs() < 0.01, "tick {i}: back is {d:.3} mm off, expected {}", v + extra);
            }
        }
    }
}
