use super::*;
use crate::model::booklet_layout::{Binding, Paper};
use crate::model::color::Color;

const A5: (f64, f64) = (148.0, 210.0);

fn plan(pages: u32, bleed_mm: f64) -> BookletPlan {
    let b = Mm(bleed_mm).to_pt();
    let trim = Size { w: Mm(A5.0).to_pt(), h: Mm(A5.1).to_pt() };
    BookletPlan {
        page: FrameBox {
            size: Size { w: trim.w + b * 2.0, h: trim.h + b * 2.0 },
            trim: Rect::from_origin_size(Point::new(b, b), trim),
        },
        frames: (0..pages as usize).map(Some).collect(),
    }
}

/// Each sheet's creep for `sheets` sheets of a self-cover booklet on paper of caliper `t`.
fn creep(sheets: usize, t: Mm) -> Vec<Mm> {
    let paper = Paper { name: None, grammage: None, caliper: t };
    Binding { paper, cover_paper: None, stitches: Vec::new(), creep: true }.creep(sheets)
}

fn marks() -> BookletMarks {
    let h = Mm(A5.1).to_pt();
    BookletMarks {
        style: MarkStyle {
            offset: Mm(3.0).to_pt(),
            length: Mm(5.0).to_pt(),
            width: Pt(0.25),
            color: Color::Registration,
            dash: None,
        },
        stitches: vec![h / 4.0, h * 0.75],
    }
}

fn sra3() -> Size {
    Size { w: Mm(320.0).to_pt(), h: Mm(450.0).to_pt() }
}

fn lines(page: &Page) -> Vec<(Point, Point)> {
    page.marks
        .iter()
        .filter_map(|it| match it {
            FrameItem::Line { from, to, .. } => Some((*from, *to)),
            _ => None,
        })
        .collect()
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn page_order_follows_the_formula_and_uses_every_page_once() {
    for n in [8, 12, 16, 20, 24] {
        let order = page_order(n).unwrap();
        assert_eq!(order.len() as u32, n / 4);
        let mut seen = Vec::new();
        for (s, sh) in order.iter().enumerate() {
            let s = s as u32;
            assert_eq!(sh.outside, SidePages { left: n - 2 * s, right: 2 * s + 1 });
            assert_eq!(sh.inside, SidePages { left: 2 * s + 2, right: n - 2 * s - 1 });
            for side in [sh.outside, sh.inside] {
                assert_eq!(side.left + side.right, n + 1, "{n} pages, sheet {s}");
                seen.extend([side.left, side.right]);
            }
        }
        seen.sort_unstable();
        assert_eq!(seen, (1..=n).collect::<Vec<_>>());
    }
    assert_eq!(page_order(8).unwrap()[1].outside, SidePages { left: 6, right: 3 });
    assert_eq!(page_order(10), Err(BookletError::PageCount { pages: 10 }));
    assert_eq!(page_order(0), Err(BookletError::PageCount { pages: 0 }));
}

#[test]
fn creep_grows_towards_the_centre_and_stays_in_range_for_24_pages_a5() {
    let c = creep(6, Mm(0.11));
    assert_eq!(c[0], Mm(0.0));
    assert!(c.windows(2).all(|w| w[1].0 > w[0].0));
    assert!(near(c[5].0, 0.55));
    for t in [0.1, 0.12] {
        let centre = creep(6, Mm(t))[5].0;
        assert!((0.5..=1.0).contains(&centre), "{centre}");
    }
}

#[test]
fn margin_check_names_the_sheet_that_cannot_take_the_shift() {
    let c = creep(6, Mm(0.5));
    assert!(check_margin(&c, Mm(15.0), Mm(3.0)).is_ok());
    let e = check_margin(&c, Mm(5.0), Mm(3.0)).unwrap_err();
    assert_eq!(e, BookletError::Margin { sheet: 5, margin: 5.0, shift: 2.5, safe: 3.0 });
    assert!(e.to_string().contains("sheet 6"), "{e}");
    // The first sheet that fails is named.
    let e = check_margin(&c, Mm(4.0), Mm(3.0)).unwrap_err();
    assert!(matches!(e, BookletError::Margin { sheet: 3, .. }), "{e:?}");
}

#[test]
fn press_sheet_shifts_inner_pages_towards_the_spine() {
    let t = Mm(0.1);
    let im = press_sheet("b", &plan(24, 3.0), sra3(), &creep(6, t), &marks()).unwrap();
    assert_eq!(im.doc.pages.len(), 12);
    let media = im.doc.pages[0].media;
    assert!(media.w.0 > media.h.0, "landscape chosen first");
    assert_eq!(im.flip, Flip::ShortEdge);
    let spine = media.w.0 / 2.0;
    let (pw, b) = (Mm(A5.0).to_pt().0, Mm(3.0).to_pt().0);
    for s in 0..6 {
        let page = &im.doc.pages[2 * s];
        let shift = Mm(s as f64 * t.0).to_pt().0;
        let [l, r] = [&page.content[0], &page.content[1]];
        assert_eq!(l.frame, 24 - 2 * s - 1);
        assert_eq!(r.frame, 2 * s);
        // Left page moves right, right page moves left, by the sheet's creep.
        assert!(near(l.at.x.0 + b + pw, spine + shift));
        assert!(near(r.at.x.0 + b, spine - shift));
        // No bleed at the spine: both are clipped at the fold.
        assert!(near(l.clip.unwrap().max.x.0, spine) && near(r.clip.unwrap().min.x.0, spine));
        assert!(near(l.clip.unwrap().min.x.0, page.bleed_box.min.x.0));
        assert!(near(page.trim_box.width().0, 2.0 * pw - 2.0 * shift));
    }
}

#[test]
fn press_sheet_sides_register_when_turned_about_the_spine() {
    let im = press_sheet("b", &plan(16, 3.0), sra3(), &creep(4, Mm(0.2)), &marks()).unwrap();
    for s in 0..4 {
        let (out, ins) = (&im.doc.pages[2 * s], &im.doc.pages[2 * s + 1]);
        let trim = |p: &Placed| {
            Rect::from_origin_size(
                Point::new(p.at.x + Mm(3.0).to_pt(), p.at.y + Mm(3.0).to_pt()),
                plan(16, 3.0).page.trim.size(),
            )
        };
        // Page 2s+2 (inside, left) is behind page 2s+1 (outside, right).
        let behind = behind_rect(trim(&out.content[1]), TurnAxis::Vertical, out.media);
        assert_eq!(ins.content[0].frame, 2 * s + 1);
        assert!(near(behind.min.x.0, trim(&ins.content[0]).min.x.0));
        assert!(near(behind.min.y.0, trim(&ins.content[0]).min.y.0));
        assert_eq!(ins.trim_box, behind_rect(out.trim_box, TurnAxis::Vertical, out.media));
        assert_eq!(lines(ins).len(), lines(out).len());
    }
}

#[test]
fn marks_lie_outside_the_bleed_and_on_the_sheet() {
    let im = press_sheet("b", &plan(24, 3.0), sra3(), &creep(6, Mm(0.12)), &marks()).unwrap();
    for page in &im.doc.pages {
        let ls = lines(page);
        // 8 crop, 2 fold, 2 × 2 stitch.
        assert_eq!(ls.len(), 14, "{}", page.label);
        let bleed = page.bleed_box;
        for (a, b) in ls {
            let lo = Point::new(a.x.min(b.x), a.y.min(b.y));
            let hi = Point::new(a.x.max(b.x), a.y.max(b.y));
            let inside_bleed = hi.x.0 > bleed.min.x.0 + 1e-6
                && lo.x.0 < bleed.max.x.0 - 1e-6
                && hi.y.0 > bleed.min.y.0 + 1e-6
                && lo.y.0 < bleed.max.y.0 - 1e-6;
            assert!(!inside_bleed, "{}: {a:?}–{b:?} inside the bleed", page.label);
            for p in [lo, hi] {
                assert!(p.x.0 >= 0.0 && p.y.0 >= 0.0, "{p:?}");
                assert!(p.x.0 <= page.media.w.0 && p.y.0 <= page.media.h.0, "{p:?}");
            }
        }
    }
    // The fold marks stand at the spine, the stitch marks at the staples' heights.
    let page = &im.doc.pages[0];
    let spine = page.media.w.0 / 2.0;
    assert_eq!(lines(page).iter().filter(|(a, b)| near(a.x.0, spine) && near(b.x.0, spine)).count(), 2);
    let h = Mm(A5.1).to_pt().0;
    for y in [page.trim_box.min.y.0 + h / 4.0, page.trim_box.min.y.0 + h * 0.75] {
        assert_eq!(lines(page).iter().filter(|(a, b)| near(a.y.0, y) && near(b.y.0, y)).count(), 2);
    }
}

#[test]
fn a_spread_too_large_for_the_sheet_is_an_error() {
    // A3 landscape takes the spread; a 300 mm square does not, either way round.
    let a3 = Size { w: Mm(297.0).to_pt(), h: Mm(420.0).to_pt() };
    assert_eq!(press_sheet("b", &plan(8, 3.0), a3, &creep(2, Mm(0.1)), &marks()).unwrap().flip, Flip::ShortEdge);
    let small = Size { w: Mm(300.0).to_pt(), h: Mm(300.0).to_pt() };
    let e = press_sheet("b", &plan(8, 3.0), small, &creep(2, Mm(0.1)), &marks()).unwrap_err();
    assert!(matches!(e, BookletError::NoFit { .. }), "{e:?}");
    let odd = BookletPlan { frames: vec![Some(0); 6], ..plan(8, 3.0) };
    assert_eq!(press_sheet("b", &odd, sra3(), &[], &marks()).unwrap_err(), BookletError::PageCount { pages: 6 });
}

#[test]
fn office_duplex_fits_a4_landscape_without_marks() {
    let mut p = plan(12, 3.0);
    p.frames[10] = None; // a blank page
    let im = office_duplex("b", &p, &creep(p.frames.len() / 4, Mm(0.1))).unwrap();
    assert_eq!(im.flip, Flip::ShortEdge);
    assert_eq!(im.doc.pages.len(), 6);
    let blank = im.doc.pages.iter().filter(|pg| pg.content.len() == 1).count();
    assert_eq!(blank, 1, "page 11 has no content");
    for page in &im.doc.pages {
        assert!(near(page.media.w.to_mm().0, 297.0) && near(page.media.h.to_mm().0, 210.0));
        assert!(page.marks.is_empty());
        assert_eq!(page.bleed_box, page.trim_box);
        let sheet = Rect::from_origin_size(Point::default(), page.media);
        for c in &page.content {
            let clip = c.clip.unwrap();
            assert!(sheet.overhang(&clip).0 <= 1e-6, "{} clipped by the paper", page.label);
            // The whole trimmed page is shown, less only the creep strip at the fold.
            assert!(clip.width().0 >= Mm(A5.0 - 0.3).to_pt().0 && near(clip.height().0, Mm(A5.1).to_pt().0));
        }
    }
    let too_big = BookletPlan {
        page: FrameBox {
            trim: Rect::from_origin_size(Point::default(), Size { w: Mm(150.0).to_pt(), h: Mm(210.0).to_pt() }),
            ..p.page
        },
        ..p
    };
    assert!(matches!(office_duplex("b", &too_big, &[]), Err(BookletError::NoFit { .. })));
}
