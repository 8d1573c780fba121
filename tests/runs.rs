//! Regional print runs: all five regions, the sample-data policy, region variables, isolation of
//! failures, and job tickets that match the files.

use crate::common::{TempProject, repo, stderr};

fn regions() -> Vec<serde_json::Value> {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("decks/regions.json")).unwrap()).unwrap();
    v["regions"].as_array().unwrap().clone()
}

fn text_of(path: &std::path::Path, page: u32) -> String {
    let doc = lopdf::Document::load(path).unwrap();
    doc.extract_text(&[page]).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_region_gets_its_own_contact_block_and_a_matching_ticket() {
    let p = TempProject::copy();
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let regions = regions();
    assert_eq!(regions.len(), 5);
    for r in &regions {
        let id = r["id"].as_str().unwrap();
        let dir = p.path(&format!("output/{id}"));
        // The leaflet's back panel (outside page) carries this region's name, address and phone.
        let outside = text_of(&dir.join("jobcenter-folder-print.pdf"), 1);
        assert!(outside.contains(r["name"].as_str().unwrap()), "{id}: {outside}");
        for key in ["address", "phone", "email"] {
            let v = r["fields"][key].as_str().unwrap();
            assert!(outside.contains(v), "{id}: {key} {v} missing");
        }
        for other in regions.iter().filter(|o| o["id"] != r["id"]) {
            assert!(!outside.contains(other["name"].as_str().unwrap()), "{id} carries another region's block");
        }
        // The job ticket lists exactly the files written (the printed ones and, apart, the
        // download versions), with their real page counts and checksums.
        let ticket: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("jobseddel.json")).unwrap()).unwrap();
        assert_eq!(ticket["region"], id);
        assert_eq!(ticket["sample_data"], true);
        let printed = ticket["items"].as_array().unwrap();
        let downloads = ticket["downloads"].as_array().unwrap();
        assert!(
            printed.iter().all(|i| !i["file"].as_str().unwrap().ends_with("-screen.pdf")),
            "{id}: a download version is listed as printed"
        );
        assert!(downloads.iter().any(|i| i["file"] == "jobcenter-folder-screen.pdf"), "{id}: {downloads:?}");
        let items: Vec<&serde_json::Value> = printed.iter().chain(downloads).collect();
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".pdf") && n != "jobseddel.pdf")
            .collect();
        files.sort();
        let mut listed: Vec<String> = items.iter().map(|i| i["file"].as_str().unwrap().to_string()).collect();
        listed.sort();
        assert_eq!(files, listed);
        for it in &items {
            let bytes = std::fs::read(dir.join(it["file"].as_str().unwrap())).unwrap();
            assert_eq!(it["sha256"].as_str().unwrap(), tryksag::build::sha256_hex(&bytes));
            let pages = lopdf::Document::load_mem(&bytes).unwrap().get_pages().len();
            assert_eq!(it["pages"].as_u64().unwrap() as usize, pages, "{}", it["file"]);
        }
        let sheet = printed.iter().find(|i| i["file"] == "dialogkort-sra3.pdf").unwrap();
        assert_eq!(sheet["per_sheet"], 18);
        assert_eq!(
            sheet["total_sheets"].as_u64().unwrap(),
            sheet["sheets"].as_u64().unwrap() * sheet["quantity"].as_u64().unwrap()
        );
        // The PDF ticket says the same.
        let pdf_text = text_of(&dir.join("jobseddel.pdf"), 1);
        assert!(pdf_text.contains("Jobseddel") && pdf_text.contains(sheet["sha256"].as_str().unwrap()), "{pdf_text}");
        assert!(pdf_text.contains("eksempeldata"), "sample data must be flagged on the ticket");
        // A title the shop reads (job and region, not a file name); the shop prints no download version.
        let name = r["name"].as_str().unwrap();
        let title = format!("Jobseddel – Dialogkort til jobcentre, jobcenterfolder og arbejdshæfte, {name}");
        assert_eq!(ticket["title"], title.as_str());
        assert!(pdf_text.contains(&title), "{pdf_text}");
        assert!(pdf_text.contains("rullefals") && !pdf_text.contains("-screen.pdf"), "{pdf_text}");
    }
}

#[test]
fn sample_data_is_refused_for_print_shops_unless_allowed() {
    let p = TempProject::copy();
    p.edit("layouts/runs/sjaelland.json", |s| s.replace("\"allow_sample_data\": true,", ""));
    let o = p.run(&["build", "--region", "sjaelland"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(
        e.contains(
            "run `sjaelland` is for a print shop, but the contact data of PsykInfo Region Sjælland is sample data"
        ),
        "{e}"
    );
    assert!(e.contains("layouts/runs/sjaelland.json:") && e.contains("--allow-sample-data"), "{e}");
    assert!(!p.path("output/sjaelland").exists(), "nothing may be written for a refused run");
    // Explicitly allowed on the command line: built, with a warning.
    let o = p.run(&["build", "--region", "sjaelland", "--allow-sample-data"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning: run `sjaelland` uses sample contact data"));
    assert!(p.path("output/sjaelland/jobcenter-folder-print.pdf").exists());
    // Verified data needs no permission.
    p.edit("decks/regions.json", |s| s.replacen("\"sample\": true,", "\"sample\": false,", 2));
    std::fs::remove_dir_all(p.path("output")).unwrap();
    let o = p.run(&["build", "--region", "sjaelland"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Only the selected region's runs were built.
    assert!(!p.path("output/hovedstaden").exists());
    assert!(!p.path("output/dialogkort-faces.pdf").exists());
}

#[test]
fn region_variables_work_in_any_text_and_unknown_ones_are_located_errors() {
    let p = TempProject::copy();
    // The first card's prompt becomes a sentence with the region's name and phone in it.
    p.edit("decks/dialogkort.json", |s| {
        let at = s.find("\"prompt\": \"").unwrap() + "\"prompt\": \"".len();
        let end = at + s[at..].find('"').unwrap();
        format!("{}Ring til {{region.name}} på {{region.phone}}.{}", &s[..at], &s[end..])
    });
    let o = p.run(&["build", "--region", "nordjylland"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = lopdf::Document::load(p.path("output/nordjylland/dialogkort-sra3.pdf")).unwrap();
    let text = doc.extract_text(&[1]).unwrap().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Nordjylland") && text.contains("05"), "{text}");

    p.edit("decks/dialogkort.json", |s| s.replace("{region.phone}", "{region.fax}"));
    let o = p.run(&["build", "--region", "nordjylland"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("unknown placeholder {region.fax}") && e.contains("(at cards[0].fields.prompt)"), "{e}");
}

#[test]
fn a_failing_product_leaves_the_others_intact() {
    let p = TempProject::copy();
    // Make the leaflet overflow: the runs without it, and the deck's own files, are still written;
    // the runs with it are not written at all (a run changes only as a whole).
    p.edit("decks/leaflets/jobcenter-folder.json", |s| {
        let extra = r#"{ "paragraph": "Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld. Fyld." },"#.repeat(60);
        s.replacen("\"flow\": [", &format!("\"flow\": [{extra}"), 1)
    });
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("does not fit the leaflet"), "{e}");
    assert!(e.contains("not written because products failed"), "{e}");
    assert!(lopdf::Document::load(p.path("output/dialogkort-sra3.pdf")).is_ok(), "the deck is complete");
    assert!(lopdf::Document::load(p.path("output/kontor-hovedstaden/dialogkort-a4.pdf")).is_ok());
    assert!(p.path("output/kontor-hovedstaden/jobseddel.json").exists());
    assert!(!p.path("output/hovedstaden").exists(), "a run with a failed product is not written");
    assert!(!p.path("output/jobcenter-folder-print.pdf").exists());
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(p.path("output"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn office_runs_impose_on_a4_without_bleed_beyond_the_paper() {
    let p = TempProject::copy();
    let o = p.run(&["build", "--run", "kontor-hovedstaden"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = lopdf::Document::load(p.path("output/kontor-hovedstaden/dialogkort-a4.pdf")).unwrap();
    let (_, id) = doc.get_pages().into_iter().next().unwrap();
    let media = doc
        .get_dictionary(id)
        .unwrap()
        .get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_float().map(f64::from).or_else(|_| o.as_i64().map(|i| i as f64)).unwrap())
        .collect::<Vec<_>>();
    assert!((media[2] - 595.2756).abs() < 0.01 && (media[3] - 841.8898).abs() < 0.01, "{media:?}");
    let ticket: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.path("output/kontor-hovedstaden/jobseddel.json")).unwrap())
            .unwrap();
    assert_eq!(ticket["delivery"], "office");
}

#[test]
fn run_errors_are_located() {
    let p = TempProject::copy();
    p.edit("layouts/runs/midtjylland.json", |s| {
        s.replace("\"product\": \"dialogkort\"", "\"product\": \"dialogkrt\"")
            .replace("\"midtjylland\"", "\"midtjyland\"")
    });
    let o = p.run(&["check"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert!(e.contains("unknown product `dialogkrt`") && e.contains("did you mean `dialogkort`?"), "{e}");
    assert!(e.contains("unknown region `midtjyland`") && e.contains("did you mean `midtjylland`?"), "{e}");
    // An unknown name on the command line is a usage error.
    let o = p.run(&["build", "--run", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown run `nope`"));
}

/// The workbook's name on job tickets (its `short_title`).
const BOOKLET: &str = "Personlig historie og selvstigma – jobcenter";

fn ticket_of(p: &TempProject, run: &str) -> (serde_json::Value, String) {
    let dir = p.path(&format!("output/{run}"));
    let json = serde_json::from_str(&std::fs::read_to_string(dir.join("jobseddel.json")).unwrap()).unwrap();
    (json, text_of(&dir.join("jobseddel.pdf"), 1))
}

#[test]
fn the_ticket_carries_the_order_from_the_run_file() {
    let p = TempProject::copy();
    p.edit("layouts/runs/hovedstaden.json", |s| {
        s.replacen(
            "\"delivery\":",
            "\"customer\": \"Testkunde A/S, att. Anne Holm\",\n  \"delivery_address\": \"Testvej 7, 3400 Hillerod\",\n  \"deadline\": \"2028-02-29\",\n  \"delivery\":",
            1,
        )
    });
    // Without a title the products' titles name the job.
    p.edit("layouts/runs/midtjylland.json", |s| {
        s.replace("  \"title\": \"Dialogkort til jobcentre, jobcenterfolder og arbejdshæfte\",\n", "")
    });
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (t, pdf) = ticket_of(&p, "hovedstaden");
    assert_eq!(t["customer"], "Testkunde A/S, att. Anne Holm");
    assert_eq!(t["delivery_address"], "Testvej 7, 3400 Hillerod");
    assert_eq!(t["deadline"], "2028-02-29");
    assert!(pdf.contains("Testkunde A/S, att. Anne Holm") && pdf.contains("Testvej 7, 3400 Hillerod"), "{pdf}");
    assert!(pdf.contains("Leveres senest: 29. februar 2028"), "{pdf}");
    // A print-shop run without them still shows the lines, empty; an office run leaves them out.
    let (t, pdf) = ticket_of(&p, "midtjylland");
    assert!(t["customer"].is_null() && t["delivery_address"].is_null() && t["deadline"].is_null(), "{t}");
    assert!(pdf.contains("Kunde: —") && pdf.contains("Leveres senest: —"), "{pdf}");
    // The leaflet's `short_title` names it on the ticket, not the cover's long question.
    let leaflet_title = "Folder til jobcentre";
    assert_eq!(
        t["title"],
        format!("Jobseddel – Dialogkort til jobcentre, {leaflet_title} og {BOOKLET}, PsykInfo Region Midtjylland")
            .as_str()
    );
    assert!(!pdf.contains("Hvordan skaber man"), "{pdf}");
    let (t, pdf) = ticket_of(&p, "kontor-hovedstaden");
    assert_eq!(t["title"], "Jobseddel – Dialogkort til jobcentre, PsykInfo Region Hovedstaden");
    assert!(pdf.contains("Jobseddel – Dialogkort til jobcentre, PsykInfo Region Hovedstaden"), "{pdf}");
    assert!(!pdf.contains("Kunde:") && !pdf.contains("Leveres senest:"), "{pdf}");
}

#[test]
fn download_versions_are_listed_apart_from_what_the_shop_prints() {
    let p = TempProject::copy();
    let o = p.run(&["build", "--run", "hovedstaden"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (t, pdf) = ticket_of(&p, "hovedstaden");
    let files = |key: &str| -> Vec<String> {
        t[key].as_array().unwrap().iter().map(|i| i["file"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(
        files("items"),
        [
            "dialogkort-sra3.pdf",
            "jobcenter-folder-print.pdf",
            "personlig-historie-print.pdf",
            "personlig-historie-sra3.pdf"
        ]
    );
    assert_eq!(files("downloads"), ["jobcenter-folder-screen.pdf", "personlig-historie-screen.pdf"]);
    assert!(p.path("output/hovedstaden/jobcenter-folder-screen.pdf").exists());
    assert!(pdf.contains("jobcenter-folder-print.pdf") && !pdf.contains("jobcenter-folder-screen.pdf"), "{pdf}");
}

#[test]
fn a_deadline_that_is_no_real_date_is_a_located_error() {
    for bad in ["2026-02-30", "15-12-2026", "2026-12-1"] {
        let p = TempProject::copy();
        p.edit("layouts/runs/hovedstaden.json", |s| {
            s.replace(
                "\"title\": \"Dialogkort til jobcentre, jobcenterfolder og arbejdshæfte\",",
                &format!("\"deadline\": \"{bad}\","),
            )
        });
        let o = p.run(&["build"]);
        assert_eq!(o.status.code(), Some(1), "{bad}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(e.contains(&format!("`deadline` `{bad}` is not a date")), "{e}");
        assert!(e.contains("layouts/runs/hovedstaden.json:5:") && e.contains("(at deadline)"), "{e}");
        assert!(e.contains("YYYY-MM-DD"), "{e}");
        assert!(!p.path("output/hovedstaden").exists(), "{bad}: the run was written");
    }
}

#[test]
fn a_run_with_a_date_is_stamped_with_it_whatever_else_changes() {
    let p = TempProject::copy();
    p.edit("layouts/runs/kontor-hovedstaden.json", |s| {
        s.replacen("\"delivery\":", "\"date\": \"2026-11-30\",\n  \"delivery\":", 1)
    });
    let build = |out: &str| {
        let dir = p.path(out);
        let o = p.run(&["build", "--run", "kontor-hovedstaden", "--out", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::read(p.path(&format!("{out}/kontor-hovedstaden/dialogkort-a4.pdf"))).unwrap()
    };
    let first = build("out1");
    let ticket = std::fs::read_to_string(p.path("out1/kontor-hovedstaden/jobseddel.json")).unwrap();
    let t: serde_json::Value = serde_json::from_str(&ticket).unwrap();
    assert_eq!(t["date"], "2026-11-30");
    assert!(String::from_utf8_lossy(&first).contains("D:20261130000000"), "the run's date is the file's date");
    // Another run file written later (a newer input) does not change this run's files.
    p.write(
        "layouts/runs/zz-later.json",
        &std::fs::read_to_string(p.path("layouts/runs/kontor-hovedstaden.json")).unwrap(),
    );
    assert_eq!(build("out2"), first);

    for bad in ["2026-11-31", "30-11-2026"] {
        p.edit("layouts/runs/kontor-hovedstaden.json", |s| {
            let at = s.find("\"date\": \"").unwrap() + 9;
            format!("{}{bad}{}", &s[..at], &s[at + 10..])
        });
        let dir = p.path("out3");
        let o = p.run(&["build", "--run", "kontor-hovedstaden", "--out", dir.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{bad}");
        let e = stderr(&o);
        assert!(e.contains(&format!("`date` `{bad}` is not a date")) && e.contains("(at date)"), "{e}");
        assert!(!p.path("out3/kontor-hovedstaden").exists());
    }
}
