//! The leaflet's composition: balanced panels, lists kept whole enough (never one bullet at a
//! panel top), headings with their text, the designed back panel with its web addresses (printed,
//! and links in the download version), and the short product title on the job ticket.

use crate::common::{TempProject, repo, stderr};

use tryksag::layout::{BlockKind, FrameItem, LeafletPanels};
use tryksag::model::{Project, load_project};

fn lay_out(p: &Project) -> (Option<LeafletPanels>, Vec<tryksag::diag::Diagnostic>) {
    crate::common::lay_out_first_leaflet(p)
}

/// A flow panel: its name, the depth (mm below the trim's top) of its last baseline, and its
/// blocks (kind, text).
type Panel = (String, f64, Vec<(BlockKind, String)>);

/// The flow panels in reading order.
fn panels(p: &Project, laid: &LeafletPanels) -> Vec<Panel> {
    let g = &p.leaflet_layouts[&p.leaflets[0].layout].geometry;
    g.flow_panels()
        .into_iter()
        .map(|i| {
            let f = laid.panels[i].as_ref().unwrap();
            let depth = f
                .blocks
                .iter()
                .flat_map(|b| f.items[b.items.clone()].iter())
                .filter_map(|it| match it {
                    FrameItem::Text { origin, .. } => Some(origin.y.0),
                    _ => None,
                })
                .fold(0.0, f64::max);
            let blocks = f.blocks.iter().map(|b| (b.kind.clone(), b.text.clone())).collect();
            (g.panels[i].name.to_string(), depth * 25.4 / 72.0, blocks)
        })
        .collect()
}

fn with_flow(flow: &str, layout_edit: impl FnOnce(String) -> String) -> TempProject {
    let p = TempProject::copy();
    std::fs::remove_dir_all(p.path("decks/leaflets")).unwrap();
    std::fs::remove_dir_all(p.path("layouts/runs")).unwrap();
    p.write(
        "decks/leaflets/t.json",
        &format!(
            r#"{{ "title": "Test", "language": "da", "layout": "roll-a4", "region": "hovedstaden",
  "fields": {{ "kicker": "K", "subtitle": "S", "audience": "A", "order": "O" }},
  "flow": [{flow}] }}"#
        ),
    );
    p.edit("layouts/leaflets/roll-a4.json", layout_edit);
    p
}

const PARA: &str = "Du behøver ikke at være psykolog eller vide specielt meget om psykisk sygdom for at tale med en borger, der har det svært. Det handler om helt almindelig kontakt og om at lytte.";

fn load(p: &TempProject) -> Project {
    let (proj, d) = load_project(p.dir.path());
    assert!(!d.has_errors(), "{:?}", d.0);
    proj.unwrap()
}

#[test]
fn the_shipped_leaflet_ends_its_panels_at_about_the_same_depth() {
    let (p, d) = load_project(&repo());
    assert!(!d.has_errors(), "{:?}", d.0);
    let p = p.unwrap();
    let (laid, diags) = lay_out(&p);
    assert!(diags.is_empty(), "{diags:?}");
    let ps = panels(&p, &laid.unwrap());
    let depths: Vec<f64> = ps.iter().map(|x| x.1).collect();
    let (lo, hi) = depths.iter().fold((f64::MAX, 0.0f64), |(a, b), &d| (a.min(d), b.max(d)));
    // Greedy filling left inside-3 at about 100 mm against 180 mm; balanced (with lists and
    // headings kept with their text), within 25 mm of each other.
    assert!(hi - lo <= 25.0, "panel depths {depths:?}");
    assert!(lo >= 150.0, "panel depths {depths:?}");
}

#[test]
fn balanced_panels_keep_the_fill_ratio_and_greedy_is_still_there() {
    // Text for about one and a half panels of four: balanced over the two it needs.
    let flow: Vec<String> = (0..9).map(|i| format!(r#"{{ "paragraph": "{PARA} {i}." }}"#)).collect();
    let flow = flow.join(",\n");
    let p = with_flow(&flow, |s| s);
    let ps = panels(&load(&p), &lay_out(&load(&p)).0.unwrap());
    let deepest = ps.iter().map(|x| x.1).fold(0.0, f64::max);
    assert!(ps.iter().filter(|x| x.1 > 0.0).count() >= 2, "{ps:?}");
    for (name, depth, _) in ps.iter().filter(|x| x.1 > 0.0) {
        assert!(*depth >= 0.6 * deepest, "{name} at {depth:.1} mm, deepest {deepest:.1} mm: {ps:?}");
    }
    // `"balance": false` fills each panel before the next: the last used one is then short.
    let g = with_flow(&flow, |s| s.replace(r#""balance": { "min_fill": 0.6 }"#, r#""balance": false"#));
    let gs = panels(&load(&g), &lay_out(&load(&g)).0.unwrap());
    assert!(gs[0].1 > ps[0].1 + 20.0, "greedy {gs:?} balanced {ps:?}");
    let last = gs.iter().rfind(|x| x.1 > 0.0).unwrap();
    assert!(last.1 < 0.6 * gs[0].1, "greedy {gs:?}");
}

#[test]
fn a_panel_left_short_by_the_rules_is_a_warning_naming_it() {
    // A list of three short items cannot split (two on each side), so a tall list after a full
    // panel of text leaves that panel short; with a strict ratio that is said, naming the panel.
    let mut flow: Vec<String> = (0..4).map(|i| format!(r#"{{ "paragraph": "{PARA} {PARA} {i}." }}"#)).collect();
    flow.push(format!(r#"{{ "list": ["{PARA}", "{PARA}", "{PARA}"] }}"#));
    let p = with_flow(&flow.join(",\n"), |s| s.replace(r#""min_fill": 0.6"#, r#""min_fill": 0.999"#));
    let (laid, diags) = lay_out(&load(&p));
    assert!(laid.is_some(), "{diags:?}");
    let w: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert!(w.iter().any(|m| m.starts_with("panel `") && m.contains("less than 0.999 of the deepest panel")), "{w:?}");
    // A ratio outside 0–1 is a located error.
    let bad = with_flow(r#"{ "paragraph": "x" }"#, |s| s.replace(r#""min_fill": 0.6"#, r#""min_fill": 1.5"#));
    let o = bad.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("layouts/leaflets/roll-a4.json:"), "{}", stderr(&o));
}

#[test]
fn a_list_never_leaves_one_bullet_at_a_panel_top_nor_splits_an_item() {
    let item = "Læg tre-fire kort frem, og lad borgeren vælge det, der giver mening i dag.";
    let (mut split_lists, mut cases) = (0, 0);
    // Lead-in text of many lengths moves the panel break across every item of the lists.
    for n in 0..14 {
        let lead: String = PARA.chars().take(40 + n * 9).collect();
        let mut flow: Vec<String> = vec![format!(r#"{{ "paragraph": "{lead}" }}"#)];
        for k in 0..6 {
            flow.push(format!(r#"{{ "paragraph": "{PARA} {k}" }}"#));
            flow.push(r#"{ "heading": "Sådan kan du bruge kortene" }"#.into());
            let items: Vec<String> = (0..5).map(|j| format!(r#""{item} {j}""#)).collect();
            flow.push(format!(r#"{{ "list": [{}] }}"#, items.join(", ")));
        }
        let p = with_flow(&flow.join(",\n"), |s| s);
        let proj = load(&p);
        let Some(laid) = lay_out(&proj).0 else { continue };
        cases += 1;
        let ps = panels(&proj, &laid);
        for w in ps.windows(2) {
            let (a, b) = (&w[0].2, &w[1].2);
            let (Some(last), Some(first)) = (a.last(), b.first()) else { continue };
            assert!(!matches!(last.0, BlockKind::Heading(_)), "heading last in {}: {:?}", w[0].0, last.1);
            if matches!(first.0, BlockKind::ListItem) && matches!(last.0, BlockKind::ListItem) {
                assert_ne!(last.1, first.1, "a list item split across {} / {}", w[0].0, w[1].0);
                split_lists += 1;
                let before = a.iter().rev().take_while(|x| matches!(x.0, BlockKind::ListItem)).count();
                let after = b.iter().take_while(|x| matches!(x.0, BlockKind::ListItem)).count();
                assert!(before >= 2 && after >= 2, "list split {before}+{after} at {} / {}", w[0].0, w[1].0);
            }
            if matches!(first.0, BlockKind::ListItem) {
                let after = b.iter().take_while(|x| matches!(x.0, BlockKind::ListItem)).count();
                assert!(after >= 2, "one bullet alone at the top of {}", w[1].0);
            }
        }
    }
    assert!(cases >= 5, "{cases}");
    assert!(split_lists >= 1, "the sweep must split a list somewhere");
}

const JOBCENTRE: &str = "https://www.sundhedsstyrelsen.dk/da/en-af-os/Til-fagpersoner/Jobcentre";
const GUIDE: &str = "https://www.sundhedsstyrelsen.dk/da/en-af-os/Fakta-og-viden/Psykisk-lidelse-paa-arbejdspladsen/Rimelige-tilpasninger-paa-arbejdspladsen";

#[test]
fn the_back_panel_prints_the_web_addresses_and_the_download_links_them_whole() {
    let p = TempProject::copy();
    let o = p.run(&["build", "--run", "hovedstaden"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dir = p.path("output/hovedstaden");
    let doc = lopdf::Document::load(dir.join("jobcenter-folder-print.pdf")).unwrap();
    // The outside page: the addresses, broken over lines only after their own `/` or `-`, and
    // never with an inserted hyphen (so joining the lines gives them back).
    let text = crate::common::page_text_lines(&doc, 1);
    assert!(text.contains("Læs mere") && text.contains("Om materialerne"), "{text}");
    let joined: String = text.lines().map(str::trim).collect();
    for url in [JOBCENTRE, GUIDE] {
        assert!(joined.contains(url), "{url} not in {joined}");
    }
    for line in text.lines().map(str::trim).filter(|l| l.contains("sundhedsstyrelsen") || l.contains("arbejdspladsen"))
    {
        assert!(!line.contains('\u{ad}'), "{line:?}");
    }
    assert!(text.contains("Dialogkort til jobcentre") && text.contains("Personlig historie og selvstigma"), "{text}");
    // The download version: every piece of a broken address links to the whole address (the
    // guide's address is longer than the reflowed column, so it is broken there too).
    let uris: Vec<String> =
        crate::common::link_annotations(&lopdf::Document::load(dir.join("jobcenter-folder-screen.pdf")).unwrap())
            .into_iter()
            .map(|l| l.1)
            .collect();
    for (url, pieces) in [(JOBCENTRE, 1), (GUIDE, 2)] {
        assert!(uris.iter().filter(|u| *u == url).count() >= pieces, "{url}: {uris:?}");
    }
    assert!(uris.iter().all(|u| !u.contains("sundhedsstyrelsen") || *u == JOBCENTRE || *u == GUIDE), "{uris:?}");
}

#[test]
fn a_web_address_wider_than_its_box_or_not_an_address_is_a_located_error() {
    let p = TempProject::copy();
    p.edit("decks/leaflets/jobcenter-folder.json", |s| {
        s.replace(
            "https://www.sundhedsstyrelsen.dk/da/en-af-os/Til-fagpersoner/Jobcentre",
            "https://www.sundhedsstyrelsenjobcentrenesfaellesinformationsportalforfagpersoner.dk/x",
        )
    });
    let o = p.run(&["build", "jobcenter-folder"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("wider") && e.contains("back"), "{e}");
    assert!(p.pdfs().iter().all(|f| !f.ends_with("jobcenter-folder-print.pdf")), "{:?}", p.pdfs());
    let p = TempProject::copy();
    p.edit("decks/leaflets/jobcenter-folder.json", |s| {
        s.replace(
            "\"url\": \"https://www.sundhedsstyrelsen.dk/da/en-af-os/Til",
            "\"url\": \"www.sundhedsstyrelsen.dk/da/en-af-os/Til",
        )
    });
    let o = p.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains("is not a web address")
            && e.contains("decks/leaflets/jobcenter-folder.json:")
            && e.contains("links[0].url"),
        "{e}"
    );
}

#[test]
fn the_ticket_names_the_leaflet_by_its_short_title() {
    let p = TempProject::copy();
    // A run of the leaflet alone, without a `title` of its own.
    p.edit("layouts/runs/hovedstaden.json", |s| {
        s.replace("  \"title\": \"Dialogkort til jobcentre, jobcenterfolder og arbejdshæfte\",\n", "")
            .replace(",\n    { \"product\": \"personlig-historie\", \"quantity\": 300 }", "")
            .replace(
                "    { \"product\": \"dialogkort\", \"quantity\": 150, \"shape\": \"sheets\", \"sheet\": \"sra3\" },\n",
                "",
            )
    });
    let o = p.run(&["build", "--run", "hovedstaden"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.path("output/hovedstaden/jobseddel.json")).unwrap()).unwrap();
    assert_eq!(t["title"], "Jobseddel – Folder til jobcentre, PsykInfo Region Hovedstaden", "{t}");
    assert_eq!(t["items"][0]["title"], "Folder til jobcentre", "{t}");
}
