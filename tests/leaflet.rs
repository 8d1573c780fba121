//! The folded leaflet: text flow across panels, keep-with-next, widows and orphans, overflow.

use crate::common::{TempProject, repo, stderr};

use tryksag::layout::LeafletPanels;
use tryksag::layout::{BlockKind, FrameItem};
use tryksag::model::{Project, load_project};

fn lay_out(p: &Project) -> (Option<LeafletPanels>, Vec<tryksag::diag::Diagnostic>) {
    crate::common::lay_out_first_leaflet(p)
}

/// (panel name, block kind, line count, text) for every flowed block, in reading order.
fn flowed(p: &Project, panels: &LeafletPanels) -> Vec<(String, BlockKind, usize, String)> {
    let g = &p.leaflet_layouts[&p.leaflets[0].layout].geometry;
    let mut out = Vec::new();
    for i in g.flow_panels() {
        let f = panels.panels[i].as_ref().unwrap();
        for b in &f.blocks {
            let mut baselines: Vec<i64> = f.items[b.items.clone()]
                .iter()
                .filter_map(|it| match it {
                    FrameItem::Text { origin, .. } => Some((origin.y.0 * 100.0).round() as i64),
                    _ => None,
                })
                .collect();
            baselines.dedup();
            out.push((g.panels[i].name.to_string(), b.kind.clone(), baselines.len(), b.text.clone()));
        }
    }
    out
}

/// Rules of the flow: no heading ends a panel, a split paragraph keeps ≥ 2 lines on each side.
fn check_flow_rules(blocks: &[(String, BlockKind, usize, String)]) {
    for w in blocks.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.0 != b.0 {
            assert!(!matches!(a.1, BlockKind::Heading(_)), "heading {:?} left alone at the bottom of {}", a.3, a.0);
            if a.3 == b.3 {
                assert!(
                    a.2 >= 2 && b.2 >= 2,
                    "paragraph split {}+{} lines across {} / {}: {:?}",
                    a.2,
                    b.2,
                    a.0,
                    b.0,
                    a.3
                );
            }
        }
    }
}

#[test]
fn shipped_leaflet_flows_in_reading_order() {
    let (p, d) = load_project(&repo());
    let p = p.unwrap();
    assert!(!d.has_errors(), "{:?}", d.0);
    let (panels, diags) = lay_out(&p);
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    let panels = panels.unwrap();
    let blocks = flowed(&p, &panels);
    // Reading order: the flap first, then inside 1-2-3.
    assert_eq!(blocks[0].0, "flap");
    assert_eq!(blocks[0].3, "Mødet betyder meget");
    assert_eq!(blocks.last().unwrap().0, "inside-3");
    assert!(blocks.last().unwrap().3.starts_with("Landsindsatsen EN AF OS"));
    let order: Vec<&str> = blocks.iter().map(|b| b.0.as_str()).collect();
    let mut seen = order.clone();
    seen.dedup();
    assert_eq!(seen, vec!["flap", "inside-1", "inside-2", "inside-3"]);
    check_flow_rules(&blocks);
    // The back panel carries the region's contact block.
    let g = &p.leaflet_layouts["roll-a4"].geometry;
    let back = panels.panels[g.panel("back").unwrap()].as_ref().unwrap();
    assert!(back.blocks.iter().any(|b| b.text.contains("PsykInfo Region Hovedstaden")));
}

fn leaflet_json(flow: &str) -> String {
    format!(
        r#"{{ "title": "Test", "language": "da", "layout": "roll-a4", "region": "hovedstaden",
  "fields": {{ "kicker": "K", "subtitle": "S", "audience": "A", "order": "O" }},
  "flow": [{flow}] }}"#
    )
}

fn with_leaflet(flow: &str) -> TempProject {
    let p = TempProject::copy();
    std::fs::remove_dir_all(p.path("decks/leaflets")).unwrap();
    std::fs::remove_dir_all(p.path("layouts/runs")).unwrap();
    p.write("decks/leaflets/t.json", &leaflet_json(flow));
    p
}

const PARA: &str = "Du behøver ikke at være psykolog eller vide specielt meget om psykisk sygdom for at tale med en borger, der har det svært. Det handler om helt almindelig kontakt og om at lytte.";

#[test]
fn headings_keep_with_next_and_no_lonely_lines_for_any_amount_of_text() {
    let (mut laid_out, mut splits, mut headings_on_top) = (0, 0, 0);
    for n in [8, 10, 12, 13, 14, 15, 17, 19, 21] {
        let mut flow: Vec<String> =
            (0..n).map(|i| format!(r#"{{ "paragraph": "{} {i}." }}"#, &PARA[..60 + (i * 7) % 100])).collect();
        for k in 0..4 {
            flow.insert(k * n / 4, r#"{ "heading": "En overskrift, der skal blive hos teksten" }"#.to_string());
            flow.push(format!(r#"{{ "paragraph": "{PARA} {PARA}" }}"#));
        }
        let p = with_leaflet(&flow.join(",\n"));
        let (proj, d) = load_project(p.dir.path());
        let proj = proj.unwrap();
        assert!(!d.has_errors(), "{:?}", d.0);
        let (panels, diags) = lay_out(&proj);
        let Some(panels) = panels else {
            // Too much text for this n is fine; it must then be the overflow error.
            assert!(diags.iter().any(|d| d.message.contains("does not fit the leaflet")), "{diags:?}");
            continue;
        };
        let blocks = flowed(&proj, &panels);
        check_flow_rules(&blocks);
        laid_out += 1;
        for w in blocks.windows(2) {
            if w[0].0 != w[1].0 {
                splits += usize::from(w[0].3 == w[1].3);
                headings_on_top += usize::from(matches!(w[1].1, BlockKind::Heading(_)));
            }
        }
    }
    // The sweep must really exercise panel breaks inside paragraphs and headings moved to a new panel.
    assert!(laid_out >= 5, "{laid_out}");
    assert!(splits >= 3, "{splits} split paragraphs");
    assert!(headings_on_top >= 1, "{headings_on_top} headings at a panel top");
}

#[test]
fn overflowing_text_names_the_last_panel_and_the_amount() {
    let flow: Vec<String> = (0..40).map(|_| format!(r#"{{ "paragraph": "{PARA} {PARA}" }}"#)).collect();
    let p = with_leaflet(&flow.join(",\n"));
    let o = p.run(&["build", "t"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("the text does not fit the leaflet:")
            && e.contains("mm left over after the last text panel `inside-3`"),
        "{e}"
    );
    assert!(e.contains("decks/leaflets/t.json:") && e.contains("(at flow["), "{e}");
    assert!(p.pdfs().is_empty());
}

#[test]
fn leaflet_content_errors_are_located() {
    let p = with_leaflet(r#"{ "image": "images/x.png" }, { "paragraf": "x" }"#);
    p.edit("decks/leaflets/t.json", |s| s.replace("\"hovedstaden\"", "\"hovedstadn\""));
    let o = p.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("an image needs alt text") && e.contains("(at flow[0])"), "{e}");
    assert!(e.contains("unknown key `paragraf`") && e.contains("did you mean `paragraph`?"), "{e}");
    assert!(e.contains("unknown region `hovedstadn`") && e.contains("did you mean `hovedstaden`?"), "{e}");
}

#[test]
fn print_file_has_both_sides_with_fold_marks() {
    let p = TempProject::copy();
    let o = p.run(&["build", "jobcenter-folder"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = lopdf::Document::load(p.path("output/jobcenter-folder-print.pdf")).unwrap();
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 2, "outside and inside");
    let mm = 72.0 / 25.4;
    for (_, id) in pages {
        let page = doc.get_dictionary(id).unwrap();
        let trim: Vec<f64> = page
            .get(b"TrimBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_float().map(f64::from).or_else(|_| o.as_i64().map(|i| i as f64)).unwrap())
            .collect();
        assert!((trim[2] - trim[0] - 297.0 * mm).abs() < 0.01 && (trim[3] - trim[1] - 210.0 * mm).abs() < 0.01);
        // Dashed strokes (fold marks): a `d` operator with a non-empty array, and at least 4 of them per side.
        let content = doc.get_and_decode_page_content(id).unwrap();
        let dashed = content
            .operations
            .iter()
            .filter(|o| {
                o.operator == "d" && o.operands.first().and_then(|a| a.as_array().ok()).is_some_and(|a| !a.is_empty())
            })
            .count();
        assert!(dashed >= 4, "{dashed} dashed strokes");
    }
    let text = doc.extract_text(&[1]).unwrap();
    assert!(text.contains("PsykInfo Region Hovedstaden"), "{text}");
}

#[test]
fn screen_version_is_tagged_in_reading_order_without_marks() {
    let p = TempProject::copy();
    let o = p.run(&["build", "jobcenter-folder"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let bytes = std::fs::read(p.path("output/jobcenter-folder-screen.pdf")).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let catalog = doc.catalog().unwrap();
    let mark_info =
        catalog.get(b"MarkInfo").and_then(|m| doc.dereference(m).map(|(_, o)| o)).unwrap().as_dict().unwrap();
    assert!(mark_info.get(b"Marked").unwrap().as_bool().unwrap());
    assert!(catalog.get(b"StructTreeRoot").is_ok());
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"da");
    let prefs =
        catalog.get(b"ViewerPreferences").and_then(|m| doc.dereference(m).map(|(_, o)| o)).unwrap().as_dict().unwrap();
    assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    assert!(catalog.get(b"Outlines").is_ok(), "bookmarks for headings");
    let has = |s: &[u8]| bytes.windows(s.len()).any(|w| w == s);
    for forbidden in [&b"/TrimBox"[..], b"/BleedBox", b"/Separation", b"/DeviceCMYK"] {
        assert!(!has(forbidden), "{} in the screen PDF", String::from_utf8_lossy(forbidden));
    }
    for tag in [&b"/H1"[..], b"/H2", b"/P", b"/L", b"/LI"] {
        assert!(has(tag), "no {} structure element", String::from_utf8_lossy(tag));
    }
    // Reflowed pages in reading order (tests/reflow.rs checks the pages): the cover's texts,
    // then the flow from its first heading, the back panel's texts on the last page.
    let pages = doc.get_pages();
    let n = pages.len();
    assert!(n >= 2, "{n} pages");
    let norm = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let text: Vec<String> = (1..=n as u32).map(|i| norm(doc.extract_text(&[i]).unwrap())).collect();
    assert!(text[0].contains("Hvordan skaber man som jobkonsulent"), "{}", text[0]);
    let cover_end = text[0].find("Til medarbejdere og konsulenter i jobcentre").expect("the audience line");
    assert!(text[0][cover_end..].contains("Mødet betyder meget"), "{}", text[0]);
    assert!(text[n - 1].contains("PsykInfo Region Hovedstaden"), "{}", text[n - 1]);
    let all = text.join(" ");
    let pos = |s: &str| all.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(
        pos("Mødet betyder meget") < pos("Dialogkort til jobcentre")
            && pos("Dialogkort til jobcentre") < pos("Om EN AF OS")
    );
    assert!(pos("Om EN AF OS") < pos("Bestil folderen"));
}

#[test]
fn template_images_in_leaflets_need_alt_text() {
    let p = TempProject::copy();
    p.edit("layouts/leaflets/roll-a4.json", |s| {
        s.replacen("\"cover\": [", "\"cover\": [\n    { \"type\": \"image\", \"src\": \"images/logo.png\", \"x\": 10, \"y\": 150, \"width\": 30, \"height\": 20 },", 1)
    });
    let o = p.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("an image in the leaflet's cover template needs `alt` text") && e.contains("(at cover[0])"),
        "{e}"
    );
}

/// The first `n` words of `s`.
fn words(s: &str, n: usize) -> String {
    s.split(' ').take(n).collect::<Vec<_>>().join(" ")
}

/// Long compounds in the body text at the panel measure: many hyphenated lines, many panel
/// breaks inside paragraphs; no panel may end in a hyphen (a reader would turn the leaflet
/// mid-word).
#[test]
fn no_panel_ends_in_a_hyphen() {
    const LONG: &str = "Tilknytningen til arbejdsmarkedet afhænger af rammevilkår og af, om arbejdspladsen ved behov foretager tilpasninger af arbejdsopgaverne, og om den beskæftigelsesrettede indsats kender borgerens kompetencer og omgivelsernes holdninger til selvstigmatisering.";
    let (mut splits, mut hyphens) = (0, 0);
    for n in 8..=20 {
        let flow: Vec<String> =
            (0..n).map(|i| format!(r#"{{ "paragraph": "{} {i}." }}"#, words(LONG, 18 + (i * 5) % 14))).collect();
        let p = with_leaflet(&flow.join(",\n"));
        // Justified body text hyphenates often enough for hyphens to meet panel ends.
        let layout = std::fs::read_to_string(p.path("layouts/leaflets/roll-a4.json")).unwrap();
        let body = r#""color": "ink", "align": "left", "paragraph_spacing""#;
        assert!(layout.contains(body));
        p.write(
            "layouts/leaflets/roll-a4.json",
            &layout.replace(body, r#""color": "ink", "align": "justify", "paragraph_spacing""#),
        );
        let (proj, d) = load_project(p.dir.path());
        let proj = proj.unwrap();
        assert!(!d.has_errors(), "{:?}", d.0);
        let (panels, _) = lay_out(&proj);
        let Some(panels) = panels else { continue };
        let g = &proj.leaflet_layouts[&proj.leaflets[0].layout].geometry;
        for i in g.flow_panels() {
            let f = panels.panels[i].as_ref().unwrap();
            let texts: Vec<&tryksag::text::GlyphRun> = f
                .items
                .iter()
                .filter_map(|it| match it {
                    FrameItem::Text { run, .. } => Some(run),
                    _ => None,
                })
                .collect();
            hyphens += texts.iter().filter(|r| r.inserted_hyphen).count();
            if let Some(last) = texts.last() {
                assert!(!last.inserted_hyphen, "panel {} ends in `{}` (n = {n})", g.panels[i].name, last.text);
            }
        }
        let blocks = flowed(&proj, &panels);
        splits += blocks.windows(2).filter(|w| w[0].0 != w[1].0 && w[0].3 == w[1].3).count();
    }
    assert!(splits >= 3, "{splits} paragraphs split across panels");
    assert!(hyphens >= 10, "{hyphens} hyphenated lines");
}

/// An anti-stigma text must not claim more than its source (`../shared/seeds/`): the hedges the
/// source has stay in the shipped leaflet.
#[test]
fn the_shipped_leaflet_keeps_the_sources_hedges() {
    let s = std::fs::read_to_string(repo().join("decks/leaflets/jobcenter-folder.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    let text: String = v["flow"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| match (&b["paragraph"], &b["list"]) {
            (serde_json::Value::String(p), _) => vec![p.clone()],
            (_, serde_json::Value::Array(items)) => items.iter().map(|i| i.as_str().unwrap().to_string()).collect(),
            _ => Vec::new(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    for hedge in [
        "Al erfaring peger på, at mange",
        "kan have et lavere selvværd",
        "mange kan komme sig efter psykisk sygdom",
        "For de fleste er psykisk sygdom en forbigående",
        "Selvstigmatisering kan være en hindring",
        "skal hjælpe borgeren til at blive opmærksom på",
        "kan blive forstærket",
    ] {
        assert!(text.contains(hedge), "lost the hedge «{hedge}»");
    }
    for claim in ["har et lavere selvværd", "mange kommer sig", "hjælper borgeren med"] {
        assert!(!text.contains(claim), "claims more than the source: «{claim}»");
    }
}

/// What is found in a template's own text (not a content field) points at the layout file's
/// element, where the designer fixes it, not at the top of the content file.
#[test]
fn a_template_texts_problem_points_at_the_layout() {
    let p = TempProject::copy();
    p.edit("layouts/leaflets/roll-a4.json", |s| {
        let box_ = r#""text": "Bestil folderen", "x": 10, "y": 15, "width": 80,"#;
        assert!(s.contains(box_));
        s.replace(box_, r#""text": "Bestil folderen", "x": 10, "y": 15, "width": 12,"#)
    });
    let o = p.run(&["check"]);
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    assert!(err.contains("layouts/leaflets/roll-a4.json:54:"), "{err}");
    assert!(!err.contains("jobcenter-folder.json:1:1"), "{err}");
}
