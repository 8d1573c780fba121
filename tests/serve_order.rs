//! Ordering a print run in the browser (`/bestil`, `/ordre`), over HTTP through the router (one
//! router per test, so its drafts are kept between requests), on a copy of the project.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::TempProject;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use tryksag::build::{BuildOptions, build, sha256_hex};
use tryksag::model::{DraftRun, load_project};
use tryksag::serve::{ServeConfig, router};

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
    fn location(&self) -> String {
        self.headers[header::LOCATION].to_str().unwrap().to_string()
    }
}

fn app(p: &TempProject) -> Router {
    router(ServeConfig { root: p.dir.path().to_path_buf(), out_dir: p.path("output"), token: None })
}

async fn send(app: &Router, req: Request<Body>) -> Answer {
    let res = app.clone().oneshot(req).await.unwrap();
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap().to_vec();
    Answer { status: parts.status, headers: parts.headers, bytes }
}

async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(app: &Router, uri: &str, form: &str) -> Answer {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap();
    send(app, req).await
}

/// A good order: the shipped products for Hovedstaden (sample data) at the print shop.
const ORDER: &str = "region=hovedstaden&produkt=dialogkort&antal-dialogkort=150&produkt=jobcenter-folder\
&antal-jobcenter-folder=1000&levering=print-shop&papir=Silk+350+g%2Fm%C2%B2&navn=test-ordre&eksempeldata=1";

/// Posts `form` and follows the redirect to the draft's id.
async fn draft(app: &Router, form: &str) -> String {
    let a = post(app, "/bestil", form).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    a.location().strip_prefix("/bestil/").unwrap().to_string()
}

/// SHA-256 of every file in `dir`, by name.
fn hashes(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), sha256_hex(&std::fs::read(&p).unwrap())))
        .collect()
}

/// The files a job ticket lists, with its SHA-256 for each.
fn ticket_hashes(dir: &Path) -> BTreeMap<String, String> {
    let t: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("jobseddel.json")).unwrap()).unwrap();
    ["items", "downloads"]
        .iter()
        .flat_map(|k| t[k].as_array().cloned().unwrap_or_default())
        .map(|i| (i["file"].as_str().unwrap().to_string(), i["sha256"].as_str().unwrap().to_string()))
        .collect()
}

/// Every `<input …>` or `<select …>` with an id has a `<label for=…>`.
fn every_field_labelled(html: &str) {
    for tag in ["<input ", "<select "] {
        for part in html.split(tag).skip(1) {
            let attrs = &part[..part.find('>').unwrap()];
            let id = attrs.split("id=\"").nth(1).map(|s| &s[..s.find('"').unwrap()]).expect("a field with an id");
            assert!(html.contains(&format!("for=\"{id}\"")), "no label for {id}");
        }
    }
}

#[tokio::test]
async fn the_form_offers_every_region_and_product() {
    let p = TempProject::copy();
    let app = app(&p);
    let a = get(&app, "/bestil").await;
    assert_eq!(a.status, StatusCode::OK);
    let body = a.text();
    for part in [
        "<form id=\"bestilling\" method=\"post\" action=\"/bestil\">",
        "<select name=\"region\" id=\"region\"",
        "PsykInfo Region Hovedstaden (eksempeldata)",
        "PsykInfo Region Sjælland",
        "name=\"produkt\" value=\"dialogkort\" id=\"produkt-dialogkort\"",
        "name=\"produkt\" value=\"jobcenter-folder\" id=\"produkt-jobcenter-folder\"",
        "type=\"number\" name=\"antal-dialogkort\" id=\"antal-dialogkort\" min=\"1\"",
        "id=\"antal-jobcenter-folder\" min=\"1\" max=\"100000\" value=\"1000\"",
        "id=\"levering-trykkeri\"",
        "id=\"levering-kontor\"",
        "name=\"papir\" id=\"papir\"",
        "name=\"navn\" id=\"navn\"",
        "name=\"eksempeldata\" id=\"eksempeldata\"",
        "Brug eksempeldata alligevel (kun til prøvetryk)",
        "Til kontorprinter må eksempeldata altid bruges",
        "<button type=\"submit\" id=\"vis-korrektur\">Vis korrektur</button>",
        "<legend>Produkter og antal</legend>",
        "<legend>Levering</legend>",
        "SRA3",
    ] {
        assert!(body.contains(part), "{part} missing in {body}");
    }
    assert!(body.contains("id=\"antal-dialogkort\" min=\"1\" max=\"100000\" value=\"150\""), "{body}");
    every_field_labelled(&body);
    assert!(!body.contains("<script"), "no script on the form");
    // The start page leads to it, and to each run's files.
    let start = get(&app, "/").await.text();
    assert!(start.contains("href=\"/bestil\"") && start.contains("Ny trykordre"), "{start}");
    assert!(start.contains("href=\"/ordre/kontor-hovedstaden\""), "{start}");
}

#[tokio::test]
async fn bad_orders_get_the_form_again_with_a_danish_message_beside_the_field() {
    let p = TempProject::copy();
    let app = app(&p);
    let good = "region=hovedstaden&produkt=dialogkort&antal-dialogkort=150&levering=print-shop&eksempeldata=1";
    for (form, field, message) in [
        ("region=hovedstaden&levering=print-shop&antal-dialogkort=150", "produkter", "Vælg mindst ét produkt."),
        (&good.replace("antal-dialogkort=150", "antal-dialogkort="), "antal-dialogkort", "Skriv, hvor mange"),
        (
            &good.replace("antal-dialogkort=150", "antal-dialogkort=0"),
            "antal-dialogkort",
            "Antallet skal være mindst 1.",
        ),
        (
            &good.replace("antal-dialogkort=150", "antal-dialogkort=mange"),
            "antal-dialogkort",
            "Skriv antallet som et helt tal",
        ),
        (
            &good.replace("antal-dialogkort=150", "antal-dialogkort=100001"),
            "antal-dialogkort",
            "Højst 100000 ad gangen",
        ),
        (
            &good.replace("antal-dialogkort=150", "antal-dialogkort=-3"),
            "antal-dialogkort",
            "Skriv antallet som et helt tal",
        ),
        (
            &good.replace("region=hovedstaden", "region=atlantis"),
            "region",
            "Regionen «atlantis» findes ikke i projektet",
        ),
        (&format!("{good}&produkt=plakat"), "produkter", "Produktet «plakat» findes ikke i projektet."),
        (&format!("{good}&navn=Min+ordre"), "navn", "Navnet må kun have små bogstaver a–z"),
        (&format!("{good}&navn={}", "a".repeat(61)), "navn", "Navnet må kun have små bogstaver a–z"),
        (&format!("{good}&navn=hovedstaden"), "navn", "Navnet «hovedstaden» er allerede brugt"),
        (&format!("{good}&navn=proof"), "navn", "Navnet «proof» er allerede brugt"),
        (&good.replace("levering=print-shop", "levering=fax"), "levering", "Vælg, om der skal trykkes på et trykkeri"),
        (&good.replace("&levering=print-shop", ""), "levering", "Vælg, om der skal trykkes på et trykkeri"),
    ] {
        let a = post(&app, "/bestil", &format!("{form}&papir=Silk+170")).await;
        let body = a.text();
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{form}: {body}");
        assert!(body.contains(message), "{form}: {message} missing in {body}");
        assert!(body.contains("id=\"fejlopsummering\""), "{form}: no summary");
        assert!(body.contains(&format!("<a href=\"#{field}\">")), "{form}: the summary links to {field}");
        assert!(body.contains(&format!("id=\"{field}-fejl\"")), "{form}: no message at {field}");
        let field_tag = format!("id=\"{field}\"");
        let tag_at = body.find(&field_tag).unwrap_or_else(|| panic!("{form}: no {field}"));
        let tag = &body[body[..tag_at].rfind('<').unwrap()..tag_at + body[tag_at..].find('>').unwrap()];
        assert!(tag.contains("aria-invalid=\"true\""), "{form}: {tag}");
        assert!(tag.contains(&format!("{field}-fejl")), "{form}: not described by its message: {tag}");
        // What was typed is kept.
        assert!(body.contains("value=\"Silk 170\""), "{form}: the paper was lost");
        every_field_labelled(&body);
    }
    assert!(!p.path("layouts/runs/hovedstaden-1.json").exists());
    assert!(!p.path("output").exists(), "a bad order makes nothing");
}

#[tokio::test]
async fn an_order_is_proofed_approved_and_rebuilt_by_the_cli_byte_for_byte() {
    let p = TempProject::copy();
    let app = app(&p);
    let id = draft(&app, ORDER).await;
    assert!(!p.path("layouts/runs/test-ordre.json").exists(), "a proof writes no run file");
    assert!(!p.path("output").exists(), "a proof writes no files");

    let body = get(&app, &format!("/bestil/{id}")).await.text();
    let warnings = &body[body.find("<section id=\"advarsler\"").expect("the findings")..];
    let warnings = &warnings[..warnings.find("</section>").unwrap()];
    assert!(warnings.contains("class=\"advarsel\"") && warnings.contains("sample contact data"), "{warnings}");
    assert!(body.contains("<button type=\"submit\" id=\"godkend\">Godkend og lav filerne</button>"), "{body}");
    assert!(body.contains(&format!("action=\"/bestil/{id}/godkend\"")), "{body}");
    assert!(body.contains("PsykInfo Region Hovedstaden") && body.contains("Silk 350 g/m²"), "{body}");
    for f in ["dialogkort-sra3.pdf", "jobcenter-folder-print.pdf", "jobcenter-folder-screen.pdf"] {
        assert!(body.contains(&format!("<h3>{f}</h3>")), "{f} missing in {body}");
    }
    let img =
        format!("<img class=\"korrektur\" src=\"/bestil/{id}/side/0/1.png\" alt=\"dialogkort-sra3.pdf, side 1\">");
    assert!(body.contains(&img), "{body}");
    assert!(body.contains(&format!("src=\"/bestil/{id}/side/1/2.png\"")), "{body}");
    assert!(body.contains("name=\"hjaelpelinjer\" value=\"1\" id=\"hjaelpelinjer\""), "{body}");
    every_field_labelled(&body);
    let guided = get(&app, &format!("/bestil/{id}?hjaelpelinjer=1")).await.text();
    assert!(guided.contains(&format!("src=\"/bestil/{id}/side/0/1.png?hjaelpelinjer=1\"")), "{guided}");

    let plain = get(&app, &format!("/bestil/{id}/side/1/1.png")).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.headers[header::CONTENT_TYPE], "image/png");
    assert!(plain.bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    let with_guides = get(&app, &format!("/bestil/{id}/side/1/1.png?hjaelpelinjer=1")).await;
    assert!(with_guides.bytes.starts_with(b"\x89PNG") && with_guides.bytes != plain.bytes, "guides change the image");
    assert_eq!(get(&app, &format!("/bestil/{id}/side/1/1.png")).await.bytes, plain.bytes, "kept and the same");
    for missing in ["/side/1/3.png", "/side/1/0.png", "/side/9/1.png", "/side/0/1.gif"] {
        assert_eq!(get(&app, &format!("/bestil/{id}{missing}")).await.status, StatusCode::NOT_FOUND, "{missing}");
    }

    let a = post(&app, &format!("/bestil/{id}/godkend"), "").await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    assert_eq!(a.location(), "/ordre/test-ordre");
    let run = std::fs::read_to_string(p.path("layouts/runs/test-ordre.json")).unwrap();
    // The order's date is the day it was made (checked below), the rest is fixed.
    let date = run.split("\"date\": \"").nth(1).and_then(|r| r.get(..10)).expect("a date in the run file").to_string();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let days = |d: &str| tryksag::date::parse_ymd(d).map(tryksag::date::epoch_of).unwrap() / 86_400;
    assert!((days(&date) - now / 86_400).abs() <= 1, "{date} is not today");
    assert_eq!(
        run.replace(&date, "DATE"),
        r#"{
  "$schema": "../../schemas/run.schema.json",
  "description": "PsykInfo Region Hovedstaden, trykkeri: dialogkort, jobcenter-folder",
  "region": "hovedstaden",
  "delivery": "print-shop",
  "allow_sample_data": true,
  "paper": "Silk 350 g/m²",
  "date": "DATE",
  "products": [
    {
      "product": "dialogkort",
      "quantity": 150,
      "shape": "sheets",
      "sheet": "sra3"
    },
    {
      "product": "jobcenter-folder",
      "quantity": 1000
    }
  ]
}
"#
    );
    let (project, diags) = load_project(p.dir.path());
    let r = project.unwrap().runs.into_iter().find(|r| r.name == "test-ordre").expect("the run loads");
    assert_eq!((r.region.as_str(), r.products.len(), r.products[0].quantity), ("hovedstaden", 2, 150));
    assert_eq!(diags.error_count(), 0, "{:?}", diags.0);

    let dir = p.path("output/test-ordre");
    let made = hashes(&dir);
    let names: Vec<&str> = made.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "dialogkort-sra3.pdf",
            "jobcenter-folder-print.pdf",
            "jobcenter-folder-screen.pdf",
            "jobseddel.json",
            "jobseddel.pdf"
        ]
    );
    for (f, sha) in ticket_hashes(&dir) {
        assert_eq!(made[&f], sha, "{f} as the ticket says");
    }

    // Approving again builds nothing and links to the order.
    let modified = std::fs::metadata(dir.join("jobseddel.json")).unwrap().modified().unwrap();
    let again = post(&app, &format!("/bestil/{id}/godkend"), "").await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.text().contains("href=\"/ordre/test-ordre\""), "{}", again.text());
    assert_eq!(std::fs::metadata(dir.join("jobseddel.json")).unwrap().modified().unwrap(), modified);

    // The order's page and its zip.
    let page = get(&app, "/ordre/test-ordre").await.text();
    assert!(page.contains("<a id=\"zip\" href=\"/ordre/test-ordre.zip\">Hent alle filer som zip</a>"), "{page}");
    for f in names.iter() {
        assert!(page.contains(&format!("href=\"/filer/test-ordre/{f}\"")), "{f} missing in {page}");
    }
    let z = get(&app, "/ordre/test-ordre.zip").await;
    assert_eq!(z.status, StatusCode::OK);
    assert_eq!(z.headers[header::CONTENT_TYPE], "application/zip");
    assert_eq!(z.headers[header::CONTENT_DISPOSITION], "attachment; filename=\"test-ordre.zip\"");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(z.bytes.clone())).unwrap();
    let mut in_zip = BTreeMap::new();
    let mut order = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        assert_eq!(f.compression(), zip::CompressionMethod::Deflated);
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        let name = f.name().unwrap().to_string();
        order.push(name.clone());
        in_zip.insert(name, sha256_hex(&bytes));
    }
    assert_eq!(order, names, "every file, in name order");
    assert_eq!(in_zip, made, "with the same bytes");
    assert_eq!(get(&app, "/ordre/test-ordre.zip").await.bytes, z.bytes, "the zip is the same every time");

    // The command line makes the very same files from the run file.
    std::fs::remove_dir_all(&dir).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(["build", "--run", "test-ordre", "--root"])
        .arg(p.dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(hashes(&dir), made, "the CLI build is byte-identical");
}

#[tokio::test]
async fn sample_data_for_the_print_shop_blocks_the_approval() {
    let p = TempProject::copy();
    let app = app(&p);
    let id = draft(&app, &ORDER.replace("&eksempeldata=1", "")).await;
    let body = get(&app, &format!("/bestil/{id}")).await.text();
    assert!(body.contains("class=\"fejl\"") && body.contains("sample data"), "{body}");
    assert!(body.contains("Ordren kan ikke godkendes") && !body.contains("id=\"godkend\""), "{body}");
    // What it would print is shown all the same, and the error is said once, not as a warning too.
    assert!(body.contains("<h3>dialogkort-sra3.pdf</h3>") && body.contains("class=\"korrektur\""), "{body}");
    assert!(!body.contains("class=\"advarsel\""), "no sample-data warning beside the error: {body}");
    let a = post(&app, &format!("/bestil/{id}/godkend"), "").await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!p.path("layouts/runs/test-ordre.json").exists() && !p.path("output").exists());

    // For the office printer, sample data is allowed: nothing blocks.
    let office = ORDER.replace("&eksempeldata=1", "").replace("print-shop", "office");
    let id = draft(&app, &office).await;
    let body = get(&app, &format!("/bestil/{id}")).await.text();
    assert!(body.contains("id=\"godkend\"") && body.contains("<h3>dialogkort-a4.pdf</h3>"), "{body}");
}

#[tokio::test]
async fn a_name_taken_after_the_proof_is_not_overwritten() {
    let p = TempProject::copy();
    let app = app(&p);
    let id = draft(&app, ORDER).await;
    p.write("layouts/runs/test-ordre.json", "{\"mine\": true}\n");
    let a = post(&app, &format!("/bestil/{id}/godkend"), "").await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.text());
    assert!(a.text().contains("intet blev overskrevet"));
    assert_eq!(std::fs::read_to_string(p.path("layouts/runs/test-ordre.json")).unwrap(), "{\"mine\": true}\n");
    assert!(!p.path("output/test-ordre").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_orders_at_once_keep_their_files_apart() {
    let p = TempProject::copy();
    let app = app(&p);
    let one = ORDER.replace("navn=test-ordre", "navn=ordre-en");
    let two = ORDER.replace("navn=test-ordre", "navn=ordre-to").replace("region=hovedstaden", "region=sjaelland");
    let (a, b) = tokio::join!(draft(&app, &one), draft(&app, &two));
    let (ua, ub) = (format!("/bestil/{a}/godkend"), format!("/bestil/{b}/godkend"));
    let (ra, rb) = tokio::join!(post(&app, &ua, ""), post(&app, &ub, ""));
    assert_eq!((ra.status, rb.status), (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER), "{} {}", ra.text(), rb.text());
    for (name, region) in [("ordre-en", "hovedstaden"), ("ordre-to", "sjaelland")] {
        let dir = p.path("output").join(name);
        let t: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("jobseddel.json")).unwrap()).unwrap();
        assert_eq!((t["run"].as_str(), t["region"].as_str()), (Some(name), Some(region)));
        let made = hashes(&dir);
        assert_eq!(made.len(), 5, "{made:?}");
        for (f, sha) in ticket_hashes(&dir) {
            assert_eq!(made[&f], sha, "{name}/{f}");
        }
    }
    let left: Vec<_> = std::fs::read_dir(p.path("output")).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(left.len(), 2, "no staging left: {left:?}");
}

#[tokio::test]
async fn unknown_and_expired_drafts_and_orders_are_404() {
    let p = TempProject::copy();
    let app = app(&p);
    for uri in ["/bestil/ukendt", "/bestil/ukendt/side/0/1.png"] {
        let a = get(&app, uri).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(a.text().contains("Bestillingen er udløbet"), "{uri}");
    }
    assert_eq!(post(&app, "/bestil/ukendt/godkend", "").await.status, StatusCode::NOT_FOUND);
    for uri in ["/ordre/ukendt", "/ordre/ukendt.zip", "/ordre/..%2Fdecks", "/ordre/.hidden"] {
        assert_eq!(get(&app, uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    // A run that is not built yet: its page says so, and there is no zip.
    let a = get(&app, "/ordre/kontor-hovedstaden").await;
    assert!(a.status == StatusCode::OK && a.text().contains("ikke lavet endnu"), "{}", a.text());
    assert_eq!(get(&app, "/ordre/kontor-hovedstaden.zip").await.status, StatusCode::NOT_FOUND);

    // Only the 16 newest drafts are kept.
    let small = "region=hovedstaden&produkt=jobcenter-folder&antal-jobcenter-folder=10&levering=office";
    let first = draft(&app, small).await;
    let mut last = String::new();
    for _ in 0..16 {
        last = draft(&app, small).await;
    }
    assert_eq!(get(&app, &format!("/bestil/{first}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &format!("/bestil/{last}")).await.status, StatusCode::OK);
}

#[test]
fn a_draft_run_is_built_in_memory_as_if_its_file_were_there() {
    let p = TempProject::copy();
    let run = |text: &str| BuildOptions {
        write: false,
        keep: true,
        runs: vec!["kontor-hovedstaden".into()],
        draft: Some(DraftRun { name: "kontor-hovedstaden".into(), text: text.into() }),
        ..BuildOptions::new(p.dir.path())
    };
    let text = r#"{ "region": "hovedstaden", "delivery": "office", "products": [{ "product": "dialogkort", "quantity": 3, "sheet": "a3" }] }"#;
    let report = build(&run(text));
    assert_eq!(report.diags.error_count(), 0, "{:?}", report.diags.0);
    let files: Vec<String> = report.made.iter().map(|m| m.kind.file_name(&m.product)).collect();
    assert_eq!(files, ["dialogkort-a3.pdf"], "the draft replaces the run file of that name");
    assert!(report.made[0].bytes.starts_with(b"%PDF"));
    assert!(!p.path("output").exists(), "nothing is written");

    let report = build(&run(
        "{ \"region\": \"hovedstaden\",\n  \"delivery\": \"office\", \"products\": [{ \"product\": \"plakat\", \"quantity\": 3 }] }",
    ));
    let d = report.diags.0.iter().find(|d| d.message.contains("unknown product `plakat`")).expect("located error");
    assert_eq!(d.location.file.as_deref(), Some(Path::new("layouts/runs/kontor-hovedstaden.json")));
    assert_eq!(d.location.line_col.map(|(l, _)| l), Some(2), "{d:?}");
    assert!(report.made.is_empty());
}
