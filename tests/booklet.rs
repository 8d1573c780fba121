//! The saddle-stitched booklet: pages, covers, contents, running heads and folios, the flow
//! rules across pages, padding, a fixed page count, exercises kept whole, creep on the press
//! sheets measured from the PDF, and the booklet in print runs.

use crate::common::{TempProject, repo, stderr};

use tryksag::layout::{BlockKind, BookletInput, BookletPages, Frame, FrameItem, PageKind, lay_out_booklet};
use tryksag::model::{PrintCheck, Project, load_project};
use tryksag::units::Mm;

fn lay_out(p: &Project) -> (Option<BookletPages>, Vec<tryksag::diag::Diagnostic>) {
    let b = &p.booklets[0];
    let images = tryksag::assets::ImageCache::new(&p.root, p.output_intent.profile.clone(), p.fonts.files());
    let input = BookletInput {
        booklet: b,
        layout: &p.booklet_layouts[&b.layout],
        fonts: &p.fonts,
        images: &images,
        region: p.regions.iter().find(|r| r.id == b.region),
        regions_file: p.regions_file.as_deref(),
    };
    lay_out_booklet(&input, PrintCheck::NONE, None)
}

fn shipped() -> (Project, BookletPages) {
    let (p, d) = load_project(&repo());
    let p = p.unwrap();
    assert!(!d.has_errors(), "{:?}", d.0);
    let (pages, diags) = lay_out(&p);
    assert!(!diags.iter().any(|d| d.is_error()), "{diags:?}");
    (p, pages.unwrap())
}

/// The text runs of a frame: (text, x, baseline y), in painting order.
fn runs(f: &Frame) -> Vec<(String, f64, f64)> {
    f.items
        .iter()
        .filter_map(|it| match it {
            FrameItem::Text { origin, run, .. } => Some((run.text.clone(), origin.x.0, origin.y.0)),
            _ => None,
        })
        .collect()
}

/// The runs in no block (decoration: running heads and folios).
fn margin_runs(f: &Frame) -> Vec<(String, f64, f64)> {
    let in_block: Vec<bool> = (0..f.items.len()).map(|i| f.blocks.iter().any(|b| b.items.contains(&i))).collect();
    f.items
        .iter()
        .enumerate()
        .filter(|(i, _)| !in_block[*i])
        .filter_map(|(_, it)| match it {
            FrameItem::Text { origin, run, .. } => Some((run.text.clone(), origin.x.0, origin.y.0)),
            _ => None,
        })
        .collect()
}

fn mm(v: f64) -> f64 {
    Mm(v).to_pt().0
}

#[test]
fn the_workbook_is_20_pages_with_its_covers_and_contents_on_page_2() {
    let (p, b) = shipped();
    assert_eq!(b.pages.len(), 20, "A5 workbook of 16–24 pages, a multiple of 4");
    assert_eq!(b.padding, 0);
    let kinds: Vec<PageKind> = b.pages.iter().map(|x| x.kind).collect();
    assert_eq!((kinds[0], kinds[1], kinds[19]), (PageKind::Cover, PageKind::Cover, PageKind::Cover));
    assert!(kinds[2..19].iter().all(|k| *k == PageKind::Text), "{kinds:?}");
    // The front cover has the title, the back cover the region's contact data.
    let front: String = runs(&b.pages[0].frame).into_iter().map(|r| r.0).collect::<Vec<_>>().join(" ");
    assert!(front.contains("Personlig historie og"), "{front}");
    let back: String = runs(&b.pages[19].frame).into_iter().map(|r| r.0).collect::<Vec<_>>().join(" ");
    let region = p.regions.iter().find(|r| r.id == "hovedstaden").unwrap();
    assert!(back.contains(&region.name.split(' ').next_back().unwrap().to_string()), "{back}");
    assert!(back.contains(region.fields["phone"].split(' ').next().unwrap()), "{back}");
    // Every page is the A5 trim with 3 mm bleed.
    for page in &b.pages {
        assert!((page.frame.trim.width().0 - mm(148.0)).abs() < 1e-6);
        assert!((page.frame.size.h.0 - mm(216.0)).abs() < 1e-6);
    }
}

#[test]
fn folios_on_text_pages_only_at_the_outer_edge_and_running_heads_name_the_chapter() {
    let (p, b) = shipped();
    let layout = &p.booklet_layouts["a5"];
    let bleed = layout.bleed.0;
    let chapters: Vec<(&str, u32)> =
        b.headings.iter().filter(|(h, _)| h.level == 1).map(|(h, page)| (h.text.as_str(), *page)).collect();
    for (i, page) in b.pages.iter().enumerate() {
        let n = i as u32 + 1;
        let margin = margin_runs(&page.frame);
        let folio = margin.iter().find(|r| r.0 == n.to_string() && r.2 > bleed + mm(190.0));
        if page.kind != PageKind::Text {
            assert!(folio.is_none(), "page {n} ({:?}) must have no folio: {margin:?}", page.kind);
            continue;
        }
        let (_, x, _) = folio.unwrap_or_else(|| panic!("page {n} has no folio: {margin:?}"));
        // Right-hand (odd) pages: the folio ends at the outer (right) margin; left pages start at it.
        if n % 2 == 1 {
            assert!(*x > bleed + mm(148.0 - 15.0 - 10.0), "page {n} folio at {x}");
        } else {
            assert!((x - (bleed + mm(15.0))).abs() < 0.5, "page {n} folio at {x}");
        }
        // The running head: the title on left pages, the chapter on right pages; none where a
        // chapter begins.
        let head: String =
            margin.iter().filter(|r| r.2 < bleed + mm(19.0)).map(|r| r.0.as_str()).collect::<Vec<_>>().join(" ");
        let opens = chapters.iter().any(|(_, cp)| *cp == n);
        if opens {
            assert!(head.is_empty(), "page {n} opens a chapter but has a running head {head:?}");
            continue;
        }
        let chapter = chapters.iter().rev().find(|(_, cp)| *cp <= n).unwrap().0;
        let want = if n.is_multiple_of(2) { p.booklets[0].title.to_uppercase() } else { chapter.to_uppercase() };
        assert_eq!(
            head.split_whitespace().collect::<Vec<_>>(),
            want.split_whitespace().collect::<Vec<_>>(),
            "page {n}"
        );
    }
}

#[test]
fn the_contents_page_numbers_are_the_pages_the_headings_land_on() {
    let (_, b) = shipped();
    let contents = &b.pages[1].frame;
    let entries: Vec<_> =
        contents.blocks.iter().filter(|bl| matches!(bl.kind, BlockKind::ContentsEntry { .. })).collect();
    assert!(entries.len() >= 15, "{} entries", entries.len());
    for e in entries {
        let BlockKind::ContentsEntry { heading } = &e.kind else { unreachable!() };
        // The number is the entry's last text run.
        let number: u32 = contents.items[e.items.clone()]
            .iter()
            .rev()
            .find_map(|it| match it {
                FrameItem::Text { run, .. } => Some(run.text.parse().unwrap()),
                _ => None,
            })
            .unwrap();
        let found = (b.pages.iter().enumerate().skip(2))
            .find(|(_, pg)| {
                pg.frame.blocks.iter().any(|bl| matches!(bl.kind, BlockKind::Heading(_)) && &bl.text == heading)
            })
            .map(|(i, _)| i as u32 + 1);
        assert_eq!(Some(number), found, "contents entry {heading:?}");
    }
    // Chapters are listed in bold, sections indented.
    let xs: Vec<f64> = runs(contents).iter().map(|r| r.1).collect();
    assert!(xs.iter().any(|x| (x - xs[0]).abs() > mm(4.0)), "sections are indented");
}

#[test]
fn flow_rules_hold_across_pages_and_exercises_stay_whole() {
    let (p, b) = shipped();
    let layout = &p.booklet_layouts["a5"];
    let (top, bottom) = (layout.bleed.0 + mm(19.0), layout.bleed.0 + mm(210.0 - 20.0));
    // (page, kind, lines, text) of every flowed block.
    let mut blocks = Vec::new();
    for (i, page) in b.pages.iter().enumerate().filter(|(_, pg)| pg.kind == PageKind::Text) {
        let f = &page.frame;
        for bl in &f.blocks {
            let mut ys: Vec<i64> = f.items[bl.items.clone()]
                .iter()
                .filter_map(|it| match it {
                    FrameItem::Text { origin, .. } => Some((origin.y.0 * 100.0).round() as i64),
                    _ => None,
                })
                .collect();
            ys.dedup();
            blocks.push((i + 1, bl.kind.clone(), ys.len(), bl.text.clone()));
        }
        // Everything of the flow is inside the text area (exercises' grounds too).
        for it in &f.items {
            if let FrameItem::Rect { rect, fill: Some(_), .. } = it {
                assert!(rect.min.y.0 >= top - 0.01 && rect.max.y.0 <= bottom + 0.01, "page {}: {rect:?}", i + 1);
            }
        }
    }
    for w in blocks.windows(2) {
        let (a, c) = (&w[0], &w[1]);
        if a.0 != c.0 {
            assert!(!matches!(a.1, BlockKind::Heading(_)), "heading {:?} alone at the bottom of page {}", a.3, a.0);
            if a.3 == c.3 && a.1 == BlockKind::Paragraph {
                assert!(a.2 >= 2 && c.2 >= 2, "paragraph split {}+{} lines at page {}: {:?}", a.2, c.2, a.0, a.3);
            }
        }
    }
    // Every exercise is whole on one page: its ground, its title, its prompts and tick boxes.
    for (i, page) in b.pages.iter().enumerate() {
        let f = &page.frame;
        for (k, bl) in f.blocks.iter().enumerate() {
            if !(matches!(bl.kind, BlockKind::Heading(_)) && bl.text.starts_with("Øvelse ")) {
                continue;
            }
            let ex = p.booklets[0].flow.iter().find(|(x, _)| format!("{x:?}").contains(&bl.text)).unwrap();
            let text = format!("{:?}", ex.0);
            let prompts = text.matches("Prompt(").count();
            let following = &f.blocks[k + 1..];
            let prompts_here = following
                .iter()
                .take_while(|x| !matches!(x.kind, BlockKind::Heading(_)))
                .filter(|x| x.kind == BlockKind::Paragraph)
                .count();
            assert!(
                prompts_here >= prompts,
                "page {}: {:?} has {prompts} prompts, {prompts_here} here",
                i + 1,
                bl.text
            );
            let ticks = text.matches("Ticks(").count();
            let boxes = f.items.iter().filter(|it| matches!(it, FrameItem::Rect { fill: None, stroke: Some(_), rect } if (rect.width().0 - rect.height().0).abs() < 1e-6)).count();
            assert!(ticks == 0 || boxes >= 3, "page {}: {:?} has no tick boxes", i + 1, bl.text);
            // Its ground starts just above the title.
            let title_y = match &f.items[bl.items.start] {
                FrameItem::Text { origin, .. } => origin.y.0,
                _ => unreachable!(),
            };
            assert!(
                f.items.iter().any(|it| matches!(it, FrameItem::Rect { fill: Some(_), rect, .. } if rect.min.y.0 < title_y && title_y - rect.min.y.0 < mm(12.0))),
                "page {}: no ground under {:?}", i + 1, bl.text
            );
        }
    }
    // Seven exercises, the exercises chapter's own page and the consultant's page.
    let all: Vec<&str> = (blocks.iter().filter(|x| matches!(x.1, BlockKind::Heading(_)) && x.3.starts_with("Øvelse ")))
        .map(|x| x.3.as_str())
        .collect::<Vec<_>>();
    assert_eq!(all.len(), 7, "{all:?}");
    assert!(blocks.iter().any(|x| x.3 == "Til konsulenten"));
}

/// The shipped project with the workbook's flow cut to its first `keep` blocks.
fn shortened(keep: usize) -> TempProject {
    let t = TempProject::copy();
    t.edit("decks/booklets/personlig-historie.json", |s| {
        let mut v: serde_json::Value = serde_json::from_str(&s).unwrap();
        v["flow"].as_array_mut().unwrap().truncate(keep);
        serde_json::to_string_pretty(&v).unwrap()
    });
    t
}

#[test]
fn padding_adds_blank_pages_before_the_back_cover_and_says_how_much_text_fills_them() {
    let t = shortened(20);
    let (p, d) = load_project(t.dir.path());
    let p = p.unwrap();
    assert!(!d.has_errors(), "{:?}", d.0);
    let (pages, diags) = lay_out(&p);
    let b = pages.unwrap();
    assert_eq!(b.pages.len() % 4, 0);
    assert!(b.padding > 0);
    let n = b.pages.len();
    // The blanks are right before the back cover, and empty.
    for pg in &b.pages[n - 1 - b.padding as usize..n - 1] {
        assert_eq!(pg.kind, PageKind::Blank);
        assert!(pg.frame.items.is_empty());
    }
    assert_eq!(b.pages[n - 1].kind, PageKind::Cover);
    assert_eq!(b.pages[n - 2 - b.padding as usize].kind, PageKind::Text);
    let w = diags.iter().find(|d| d.message.contains("blank page(s) added")).expect("a padding warning");
    assert!(!w.is_error());
    assert!(
        w.message.starts_with(&format!("{} blank page(s) added before the back cover to make {n} pages", b.padding))
    );
    assert!(w.message.contains("lines (≈") && w.message.contains("words) of text would fill them"), "{}", w.message);
}

#[test]
fn text_over_a_fixed_page_count_is_an_error_naming_the_block_and_how_much() {
    let t = TempProject::copy();
    t.edit("layouts/booklets/a5.json", |s| s.replacen("\"press_sheet\"", "\"pages\": 12,\n  \"press_sheet\"", 1));
    let o = t.run(&["check"]);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("error: the text does not fit the layout's 12 pages:"), "{err}");
    assert!(err.contains("mm of text (about ") && err.contains("is over"), "{err}");
    assert!(err.contains("decks/booklets/personlig-historie.json:"), "{err}");
    assert!(err.contains("raise `pages` in the booklet layout to 20"), "{err}");
    // One mistake, one error.
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    // A count that is no multiple of 4 is refused where it is written.
    t.edit("layouts/booklets/a5.json", |s| s.replace("\"pages\": 12", "\"pages\": 18"));
    let err = stderr(&t.run(&["check"]));
    assert!(err.contains("a saddle-stitched booklet has a multiple of 4 pages, not 18"), "{err}");
    assert!(err.contains("layouts/booklets/a5.json:"), "{err}");
}

#[test]
fn a_fixed_page_count_with_room_pads_and_the_text_stays_put() {
    let t = TempProject::copy();
    t.edit("layouts/booklets/a5.json", |s| s.replacen("\"press_sheet\"", "\"pages\": 24,\n  \"press_sheet\"", 1));
    let (p, _) = load_project(t.dir.path());
    let (pages, diags) = lay_out(&p.unwrap());
    let b = pages.unwrap();
    assert_eq!((b.pages.len(), b.padding), (24, 4));
    assert!(diags.iter().any(|d| d.message.contains("the layout's fixed page count")));
}

/// The shipped project with the workbook's flow changed by `f`.
fn with_flow(f: impl FnOnce(&mut Vec<serde_json::Value>)) -> TempProject {
    let t = TempProject::copy();
    t.edit("decks/booklets/personlig-historie.json", |s| {
        let mut v: serde_json::Value = serde_json::from_str(&s).unwrap();
        f(v["flow"].as_array_mut().unwrap());
        serde_json::to_string_pretty(&v).unwrap()
    });
    t
}

fn first<'a>(flow: &'a mut [serde_json::Value], key: &str) -> &'a mut serde_json::Value {
    flow.iter_mut().find(|b| b.get(key).is_some()).unwrap()
}

#[test]
fn an_exercise_taller_than_the_text_area_is_an_error_at_the_exercise() {
    let t = with_flow(|flow| {
        let ex = first(flow, "exercise");
        ex["parts"].as_array_mut().unwrap().push(serde_json::json!({ "lines": 30 }));
    });
    let o = t.run(&["check"]);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("error: an exercise is ") && err.contains("mm taller than the text area"), "{err}");
    assert!(err.contains("split it in two"), "{err}");
    assert!(err.contains("(at flow["), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}

#[test]
fn bad_blocks_are_located_errors() {
    type Edit = fn(&mut Vec<serde_json::Value>);
    let cases: [(Edit, &str, &str); 4] = [
        (|f| first(f, "heading")["level"] = 5.into(), "a heading's level is 1, 2 or 3, not 5", "level"),
        (|f| first(f, "exercise")["parts"][0]["lines"] = 3.into(), "an exercise part needs exactly one of", "parts[0]"),
        (|f| first(f, "quote")["paragraph"] = "x".into(), "a flow block needs exactly one of", "flow["),
        (|f| first(f, "quote")["level"] = 1.into(), "`level` does not belong to this kind of block", "level"),
    ];
    for (edit, want, at) in cases {
        let t = with_flow(edit);
        let o = t.run(&["check"]);
        let err = stderr(&o);
        assert!(!o.status.success(), "{err}");
        assert!(err.contains(want), "{want}: {err}");
        assert!(err.contains("decks/booklets/personlig-historie.json:") && err.contains(at), "{err}");
        assert_eq!(err.matches("error:").count(), 1, "{err}");
    }
}

#[test]
fn a_margin_that_cannot_take_the_creep_is_an_error() {
    let t = TempProject::copy();
    t.edit("layouts/booklets/a5.json", |s| {
        s.replace("\"inner\": 18", "\"inner\": 5.3").replace("\"caliper\": 0.12", "\"caliper\": 0.4")
    });
    let o = t.run(&["check"]);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("the inner margin (5.3 mm) cannot take the creep: sheet 2 of 5 is shifted 0.40 mm"), "{err}");
    assert!(err.contains("layouts/booklets/a5.json:"), "{err}");
}

/// The horizontal translations (`1 0 0 -1 x y cm`) a page's content stream places frames with.
fn frame_origins(doc: &lopdf::Document, page: lopdf::ObjectId) -> Vec<f64> {
    let content = doc.get_and_decode_page_content(page).unwrap();
    let mut xs: Vec<f64> = Vec::new();
    for op in content.operations {
        if op.operator == "cm" {
            let v: Vec<f64> = op
                .operands
                .iter()
                .map(|o| o.as_float().map(f64::from).or_else(|_| o.as_i64().map(|i| i as f64)).unwrap())
                .collect();
            // Frames are drawn y-down from their top-left corner; marks in page coordinates.
            if v[0] == 1.0 && v[3] == -1.0 && v[4] > 0.0 && !xs.iter().any(|x| (x - v[4]).abs() < 1e-3) {
                xs.push(v[4]);
            }
        }
    }
    xs.sort_by(f64::total_cmp);
    xs
}

#[test]
fn built_files_shift_inner_sheets_towards_the_spine_by_their_creep() {
    let t = TempProject::copy();
    let o = t.run(&["build", "personlig-historie"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc = lopdf::Document::load(t.path("output/personlig-historie-sra3.pdf")).unwrap();
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    assert_eq!(pages.len(), 10, "5 sheets, outside and inside");
    let caliper = Mm(0.12).to_pt().0;
    let outer = frame_origins(&doc, pages[0]);
    assert_eq!(outer.len(), 2, "{outer:?}");
    for (i, &page) in pages.iter().enumerate() {
        let s = (i / 2) as f64;
        let xs = frame_origins(&doc, page);
        assert_eq!(xs.len(), 2, "page {i}: {xs:?}");
        // The left page moves right, the right page left: towards the spine, by s × caliper.
        assert!((xs[0] - outer[0] - s * caliper).abs() < 1e-3, "sheet {s}: left at {}", xs[0]);
        assert!((outer[1] - xs[1] - s * caliper).abs() < 1e-3, "sheet {s}: right at {}", xs[1]);
        // The trim box of an inner sheet is narrower by its creep on each side (its leaves are trimmed).
        let d = doc.get_dictionary(page).unwrap();
        let trim: Vec<f64> = d
            .get(b"TrimBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_float().map(f64::from).or_else(|_| o.as_i64().map(|i| i as f64)).unwrap())
            .collect();
        assert!(((trim[2] - trim[0]) - (mm(296.0) - 2.0 * s * caliper)).abs() < 1e-2, "sheet {s}: {trim:?}");
    }
    // The office file has the same order, on A4 landscape without bleed.
    let office = lopdf::Document::load(t.path("output/personlig-historie-office.pdf")).unwrap();
    let first = *office.get_pages().values().next().unwrap();
    let media = office.get_dictionary(first).unwrap().get(b"MediaBox").unwrap().as_array().unwrap().clone();
    let w = media[2].as_float().map(f64::from).unwrap_or_else(|_| media[2].as_i64().unwrap() as f64);
    assert!((w - mm(297.0)).abs() < 0.01, "{w}");
    // The single pages: 20, each A5 with 3 mm bleed.
    let singles = lopdf::Document::load(t.path("output/personlig-historie-print.pdf")).unwrap();
    assert_eq!(singles.get_pages().len(), 20);
    // The download version leaves no blank page and has all 20.
    let screen = lopdf::Document::load(t.path("output/personlig-historie-screen.pdf")).unwrap();
    assert_eq!(screen.get_pages().len(), 20);
}

#[test]
fn print_runs_carry_the_booklet_with_binding_paper_and_creep_in_the_job_ticket() {
    let t = TempProject::copy();
    let o = t.run(&["build", "--run", "hovedstaden"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = t.path("output/hovedstaden");
    for f in ["personlig-historie-print.pdf", "personlig-historie-sra3.pdf", "personlig-historie-screen.pdf"] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    assert!(!dir.join("personlig-historie-office.pdf").exists(), "a print shop gets no office file");
    let ticket = std::fs::read_to_string(dir.join("jobseddel.json")).unwrap();
    for want in
        ["ryghæftning (saddle stitch), 2 hæfteklammer", "Silk 130 g/m² (0,12 mm)", "selvomslag", "ark 5: 0,48 mm"]
    {
        assert!(ticket.contains(want), "{want} in {ticket}");
    }
    let o = t.run(&["build", "--run", "kontor-hovedstaden-haefte"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dir = t.path("output/kontor-hovedstaden-haefte");
    assert!(dir.join("personlig-historie-office.pdf").is_file());
    assert!(!dir.join("personlig-historie-sra3.pdf").exists(), "an office gets no press sheets");
}

/// The shipped project with the booklet layout changed by `f` (a JSON edit), laid out.
fn with_layout(f: impl FnOnce(&mut serde_json::Value)) -> (Option<BookletPages>, Vec<tryksag::diag::Diagnostic>) {
    with_layout_in(TempProject::copy(), f)
}

fn with_layout_in(
    t: TempProject,
    f: impl FnOnce(&mut serde_json::Value),
) -> (Option<BookletPages>, Vec<tryksag::diag::Diagnostic>) {
    t.edit("layouts/booklets/a5.json", |s| {
        let mut v: serde_json::Value = serde_json::from_str(&s).unwrap();
        f(&mut v);
        serde_json::to_string_pretty(&v).unwrap()
    });
    let (p, d) = load_project(t.dir.path());
    assert!(!d.has_errors(), "{:?}", d.0);
    lay_out(&p.unwrap())
}

#[test]
fn chapters_can_start_on_right_hand_pages_leaving_a_blank_page() {
    let (pages, _) = with_layout(|v| v["flow"]["chapter_start"] = "right".into());
    let b = pages.unwrap();
    for (h, page) in b.headings.iter().filter(|(h, _)| h.level == 1) {
        assert_eq!(page % 2, 1, "chapter {:?} starts on page {page}", h.text);
    }
    let blanks: Vec<usize> =
        (b.pages.iter().enumerate()).filter(|(_, p)| p.kind == PageKind::Blank).map(|(i, _)| i + 1).collect();
    assert!(!blanks.is_empty());
    // A blank page before a chapter carries no folio or running head.
    for n in &blanks {
        assert!(b.pages[n - 1].frame.items.is_empty(), "page {n}");
    }
    assert_eq!(b.pages.len() % 4, 0);
}

#[test]
fn two_columns_flow_down_the_first_column_then_the_second() {
    // The text alone: the exercises are made for a full-width column.
    let t = with_flow(|flow| flow.retain(|b| b.get("exercise").is_none()));
    let (pages, diags) = with_layout_in(t, |v| {
        v["columns"] = 2.into();
        v["column_gap"] = 6.into();
        v["margins"]["inner"] = 12.into();
        v["margins"]["outer"] = 12.into();
    });
    let b = pages.unwrap_or_else(|| panic!("{diags:?}"));
    // A full text page has runs starting at two column edges.
    let page = b.pages.iter().find(|p| p.kind == PageKind::Text).unwrap();
    let mut lefts: Vec<i64> = runs(&page.frame).iter().map(|r| (r.1 / 10.0).round() as i64).collect();
    lefts.sort_unstable();
    lefts.dedup();
    let col = (mm(148.0 - 24.0) - mm(6.0)) / 2.0;
    let second = b.pages[2].frame.trim.min.x.0 + mm(12.0) + col + mm(6.0);
    assert!(
        runs(&b.pages[2].frame).iter().any(|r| (r.1 - second).abs() < 1.0),
        "no text at the second column ({second}): {lefts:?}"
    );
    assert!(b.pages.len() < 20, "two columns take fewer pages: {}", b.pages.len());
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 160]));
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::from(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn an_image_is_kept_with_its_caption_and_needs_alt_text() {
    // An image after every paragraph of a chapter: somewhere one reaches a page's foot, and its
    // caption must go with it.
    let t = with_flow(|flow| {
        let mut out = Vec::new();
        for (i, b) in flow.drain(..).enumerate() {
            let para = b.get("paragraph").is_some();
            out.push(b);
            if para && (10..40).contains(&i) {
                out.push(serde_json::json!({
                    "image": "images/foto.png", "alt": "Et foto", "height": 38,
                    "caption": format!("Billedtekst {i}: to linjer tekst under billedet, der hører sammen med det og skal stå på samme side.")
                }));
            }
        }
        *flow = out;
    });
    std::fs::create_dir_all(t.path("images")).unwrap();
    std::fs::write(t.path("images/foto.png"), png(600, 400)).unwrap();
    let (p, d) = load_project(t.dir.path());
    assert!(!d.has_errors(), "{:?}", d.0);
    let (pages, diags) = lay_out(&p.unwrap());
    let b = pages.unwrap_or_else(|| panic!("{diags:?}"));
    let mut figures = 0;
    for (i, page) in b.pages.iter().enumerate() {
        let blocks = &page.frame.blocks;
        for (k, bl) in blocks.iter().enumerate() {
            if let BlockKind::Figure { alt } = &bl.kind {
                figures += 1;
                assert_eq!(alt, "Et foto");
                let next = blocks.get(k + 1).unwrap_or_else(|| panic!("page {}: a figure without its caption", i + 1));
                assert!(next.text.starts_with("Billedtekst"), "page {}: {:?} follows the figure", i + 1, next.text);
            }
        }
    }
    assert_eq!(figures, 17, "every image is placed");
    // Without alt text an image is an error at the block.
    let t = with_flow(|flow| flow.insert(3, serde_json::json!({ "image": "images/foto.png", "height": 30 })));
    let err = stderr(&t.run(&["check"]));
    assert!(err.contains("an image needs alt text") && err.contains("(at flow[3])"), "{err}");
}
