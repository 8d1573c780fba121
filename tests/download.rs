//! The download versions (`*-screen.pdf`): the deck's as an accessible PDF (tags, bookmarks,
//! reading order, sRGB only, language, title), whole words and links in their text layer, and
//! the print files' text layer (soft hyphens, no links).

use crate::common::{TempProject, stderr};
use lopdf::{Document, Object};

/// One structure element, in reading order: its type and title (`/T`).
#[derive(Debug)]
struct Elem {
    kind: String,
    title: String,
}

fn text_of(doc: &Document, o: Option<&Object>) -> String {
    match o.map(|o| doc.dereference(o).map(|(_, o)| o)) {
        Some(Ok(Object::String(b, _))) => {
            lopdf::decode_text_string(&Object::String(b.clone(), lopdf::StringFormat::Literal))
                .unwrap_or_else(|_| String::from_utf8_lossy(b).into_owned())
        }
        _ => String::new(),
    }
}

/// The structure elements in tree (reading) order.
fn structure(doc: &Document) -> Vec<Elem> {
    fn walk(doc: &Document, o: &Object, out: &mut Vec<Elem>) {
        let Ok((_, o)) = doc.dereference(o) else { return };
        match o {
            Object::Array(a) => a.iter().for_each(|k| walk(doc, k, out)),
            Object::Dictionary(d) => {
                let Ok(kind) = d.get(b"S").and_then(Object::as_name) else { return };
                out.push(Elem {
                    kind: String::from_utf8_lossy(kind).into_owned(),
                    title: text_of(doc, d.get(b"T").ok()),
                });
                if let Ok(k) = d.get(b"K") {
                    walk(doc, k, out);
                }
            }
            _ => {}
        }
    }
    let root = doc.catalog().unwrap().get(b"StructTreeRoot").unwrap();
    let root = doc.dereference(root).unwrap().1.as_dict().unwrap();
    let mut out = Vec::new();
    walk(doc, root.get(b"K").unwrap(), &mut out);
    out
}

/// The outline as (title, number of children) for the entries below `parent`.
fn outline(doc: &Document, parent: &lopdf::Dictionary) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    let mut at = parent.get(b"First").ok().cloned();
    while let Some(o) = at {
        let d = doc.dereference(&o).unwrap().1.as_dict().unwrap();
        let children = outline(doc, d).into_iter().map(|(t, _)| t).collect();
        out.push((text_of(doc, d.get(b"Title").ok()), children));
        at = d.get(b"Next").ok().cloned();
    }
    out
}

/// Every stream's decoded content (page content, fonts' ToUnicode, ICC profiles…) with its dictionary.
fn streams(doc: &Document) -> Vec<(lopdf::Dictionary, Vec<u8>)> {
    doc.objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .map(|s| (s.dict.clone(), s.decompressed_content().unwrap_or_else(|_| s.content.clone())))
        .collect()
}

fn built(p: &TempProject, args: &[&str]) {
    let o = p.run(args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn the_deck_download_is_tagged_by_category_and_card_with_bookmarks() {
    let p = TempProject::copy();
    built(&p, &["build", "dialogkort"]);
    let doc = Document::load(p.path("output/dialogkort-screen.pdf")).unwrap();
    let catalog = doc.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"da");
    let prefs = doc.dereference(catalog.get(b"ViewerPreferences").unwrap()).unwrap().1.as_dict().unwrap();
    assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    let info = doc.dereference(doc.trailer.get(b"Info").unwrap()).unwrap().1.as_dict().unwrap();
    assert_eq!(text_of(&doc, info.get(b"Title").ok()), "Dialogkort til jobcentre");

    let tree = structure(&doc);
    let headings: Vec<(&str, &str)> =
        tree.iter().filter(|e| e.kind.starts_with('H')).map(|e| (e.kind.as_str(), e.title.as_str())).collect();
    // The cover's title, then each category once, above its cards' titles.
    assert_eq!(headings[0], ("H1", "Dialogkort til jobcentre"));
    let categories: Vec<&str> = headings.iter().filter(|h| h.0 == "H2").map(|h| h.1).collect();
    assert_eq!(
        categories,
        ["Lige nu", "Det der fylder", "Det der hjælper", "Arbejdsliv og tilpasninger", "Egen historie og selvstigma"]
    );
    assert_eq!(headings.iter().filter(|h| h.0 == "H3").count(), 35, "one heading per card: {headings:?}");
    assert_eq!(headings.iter().filter(|h| h.0 == "H1").count(), 1);
    let first_card = headings.iter().position(|h| h == &("H3", "Dagsformen")).unwrap();
    assert_eq!(headings[first_card - 1], ("H2", "Lige nu"));
    // Reading order: each card's title, then its question and prompt; the footer (deck title,
    // card number) is decoration, so no paragraph repeats the deck title.
    let kinds: Vec<&str> = tree.iter().map(|e| e.kind.as_str()).collect();
    let at = tree.iter().position(|e| e.title == "Dagsformen").unwrap();
    assert_eq!(&kinds[at..at + 4], ["H3", "P", "P", "H3"], "{:?}", &kinds[at..at + 6]);
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1 + 35 + 2, "cover, every front, the two cards with their own back");
    let norm = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let page2 = norm(doc.extract_text(&[2]).unwrap());
    assert!(page2.contains("Dagsformen") && page2.contains("Hvordan har du det"), "{page2}");

    // Bookmarks: the title, with one entry per category, each with its cards.
    let outlines = doc.dereference(catalog.get(b"Outlines").unwrap()).unwrap().1.as_dict().unwrap();
    let top = outline(&doc, outlines);
    assert_eq!(top.len(), 1, "{top:?}");
    let root = doc.dereference(outlines.get(b"First").unwrap()).unwrap().1.as_dict().unwrap();
    let cats = outline(&doc, root);
    assert_eq!(cats.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), categories);
    assert_eq!(cats.iter().map(|c| c.1.len()).sum::<usize>(), 35);
    assert_eq!(cats[0].1[0], "Dagsformen");

    // sRGB only: no CMYK colour space, operator or profile anywhere.
    let bytes = std::fs::read(p.path("output/dialogkort-screen.pdf")).unwrap();
    assert!(!bytes.windows(11).any(|w| w == b"/DeviceCMYK"));
    for (dict, data) in streams(&doc) {
        assert!(dict.get(b"N").ok().and_then(|n| n.as_i64().ok()) != Some(4), "a CMYK ICC profile");
        if dict.get(b"Length").is_ok() && dict.get(b"Type").is_err() && dict.get(b"Subtype").is_err() {
            let content = lopdf::content::Content::decode(&data).map(|c| c.operations).unwrap_or_default();
            assert!(content.iter().all(|o| o.operator != "k" && o.operator != "K"), "a CMYK colour operator");
        }
    }
}

#[test]
fn hyphenated_words_read_whole_and_print_files_mark_inserted_hyphens() {
    let p = TempProject::copy();
    // A prompt that breaks "Almin-delig" on the first card, justified (pinned here, apart from the
    // shipped wording; ragged, it hyphenates only when it must and keeps the word whole).
    p.edit("layouts/cards/poker.json", |s| {
        s.replacen(r#""color": "muted", "align": "left" },"#, r#""color": "muted", "align": "justify" },"#, 1)
    });
    p.edit("decks/dialogkort.json", |s| {
        let shipped = "Man behøver ikke være psykolog for at tale om, hvordan man har det. Interesse og god tid til at svare er det vigtigste.";
        assert!(s.contains(shipped));
        s.replace(shipped, "Du behøver ikke være psykolog. Almindelig interesse og tid til at svare er det vigtigste.")
    });
    built(&p, &["build", "dialogkort"]);
    // The first card's prompt breaks "Almin-delig": the download version reads it whole on the
    // first part and not again on the continuation.
    let doc = Document::load(p.path("output/dialogkort-screen.pdf")).unwrap();
    let page = doc.get_pages()[&2];
    let content = doc.get_and_decode_page_content(page).unwrap();
    let actual: Vec<String> = content
        .operations
        .iter()
        .filter(|o| o.operator == "BDC")
        .filter_map(|o| o.operands.get(1)?.as_dict().ok()?.get(b"ActualText").ok().map(|t| text_of(&doc, Some(t))))
        .collect();
    assert!(actual.iter().any(|t| t.ends_with("psykolog. Almindelig")), "{actual:?}");
    assert!(actual.iter().any(|t| t.starts_with(" interesse og tid")), "{actual:?}");
    // The print file: the inserted hyphen stands for a soft hyphen (U+00AD), in the font's
    // ToUnicode map or as ActualText; the text layer has no "Almin-".
    let faces = Document::load(p.path("output/dialogkort-faces.pdf")).unwrap();
    let soft = streams(&faces).iter().any(|(_, d)| {
        let s = String::from_utf8_lossy(d).to_lowercase();
        s.contains("<00ad>") || s.contains("feff00ad")
    });
    assert!(soft, "no soft hyphen in the print file's text layer");
    let text = faces.extract_text(&[1]).unwrap();
    assert!(!text.contains("Almin-"), "{text}");
}

#[test]
fn addresses_are_links_in_the_download_version_only() {
    let p = TempProject::copy();
    built(&p, &["build", "jobcenter-folder"]);
    let doc = Document::load(p.path("output/jobcenter-folder-screen.pdf")).unwrap();
    let mut uris = Vec::new();
    for (_, page) in doc.get_pages() {
        let d = doc.get_dictionary(page).unwrap();
        let Ok(annots) = d.get(b"Annots").and_then(|a| doc.dereference(a)).and_then(|(_, a)| a.as_array()) else {
            continue;
        };
        for a in annots {
            let a = doc.dereference(a).unwrap().1.as_dict().unwrap();
            assert_eq!(a.get(b"Subtype").unwrap().as_name().unwrap(), b"Link");
            assert!(!text_of(&doc, a.get(b"Contents").ok()).is_empty(), "a link needs alt text");
            let action = doc.dereference(a.get(b"A").unwrap()).unwrap().1.as_dict().unwrap();
            uris.push(String::from_utf8_lossy(action.get(b"URI").unwrap().as_str().unwrap()).into_owned());
        }
    }
    assert!(uris.iter().any(|u| u.starts_with("mailto:") && u.contains('@')), "{uris:?}");
    assert!(uris.iter().any(|u| u.starts_with("https://")), "{uris:?}");
    assert!(structure(&doc).iter().any(|e| e.kind == "Link"), "links are Link structure elements");
    let print = std::fs::read(p.path("output/jobcenter-folder-print.pdf")).unwrap();
    assert!(!print.windows(4).any(|w| w == b"/URI"), "the print file has an action");
}

#[test]
fn a_run_carries_the_deck_download_only_when_its_cards_show_region_data() {
    let p = TempProject::copy();
    built(&p, &["build"]);
    assert!(p.path("output/dialogkort-screen.pdf").exists());
    assert!(!p.path("output/hovedstaden/dialogkort-screen.pdf").exists());
    // The back's sender line gives the region's phone instead (optional: the default build,
    // which has no region, leaves it out).
    p.edit("layouts/cards/poker.json", |s| {
        s.replacen("\"text\": \"{deck.sender}\"", "\"text\": \"{region.phone}\"", 1)
    });
    built(&p, &["build"]);
    assert!(p.path("output/hovedstaden/dialogkort-screen.pdf").exists());
    let ticket = std::fs::read_to_string(p.path("output/hovedstaden/jobseddel.json")).unwrap();
    assert!(ticket.contains("dialogkort-screen.pdf"), "{ticket}");
}

/// The independent validator, when it is installed (CI installs it: `.ci/run` pip-installs
/// page-validation and checks every `*-screen.pdf` again); skipped without it.
#[test]
fn download_versions_pass_page_validation_when_it_is_installed() {
    let have = std::process::Command::new("python3").args(["-c", "import page"]).output();
    if !have.is_ok_and(|o| o.status.success()) {
        eprintln!("page-validation is not installed: skipped (CI runs it in .ci/run)");
        return;
    }
    let p = TempProject::copy();
    built(&p, &["build", "dialogkort", "jobcenter-folder"]);
    for f in ["dialogkort-screen.pdf", "jobcenter-folder-screen.pdf"] {
        for profile in ["ua1", "2a"] {
            let script = "import sys, page\nr = page.validate_pdf(sys.argv[1], profile=sys.argv[2])\nprint(list(r.failures))\nsys.exit(1 if list(r.failures) else 0)";
            let o = std::process::Command::new("python3")
                .args(["-c", script])
                .arg(p.path(&format!("output/{f}")))
                .arg(profile)
                .output()
                .unwrap();
            assert!(o.status.success(), "{f} {profile}: {}", String::from_utf8_lossy(&o.stdout));
        }
    }
}
