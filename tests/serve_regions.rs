//! `/regioner` over HTTP (the router in process): the list, the form, Danish validation, saving
//! one region into decks/regions.json, stale forms and failed writes.

use crate::common::TempProject;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use tryksag::serve::{ServeConfig, router};

fn config(p: &TempProject) -> ServeConfig {
    ServeConfig { root: p.dir.path().to_path_buf(), out_dir: p.path("output"), token: None }
}

async fn send(cfg: &ServeConfig, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = router(cfg.clone()).oneshot(req).await.unwrap();
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (parts.status, parts.headers, String::from_utf8_lossy(&bytes).into_owned())
}

async fn get(cfg: &ServeConfig, uri: &str) -> (StatusCode, String) {
    let (s, _, b) = send(cfg, Request::get(uri).body(Body::empty()).unwrap()).await;
    (s, b)
}

/// Percent-encodes a form value.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn post(cfg: &ServeConfig, uri: &str, form: &[(&str, &str)]) -> (StatusCode, axum::http::HeaderMap, String) {
    let body: Vec<String> = form.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect();
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.join("&")))
        .unwrap();
    send(cfg, req).await
}

/// The value of the hidden `sha` field in a form page.
fn sha_of(page: &str) -> String {
    let at = page.find("name=\"sha\" value=\"").expect("a sha field") + "name=\"sha\" value=\"".len();
    page[at..at + 64].to_string()
}

/// Real contact data for Hovedstaden, as the form posts it.
fn real(sha: &str, verified: bool) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("sha", sha.to_string()),
        ("name", "PsykInfo Region Hovedstaden".to_string()),
        ("felt.sender", "Udgivet af PsykInfo Region Hovedstaden.".to_string()),
        ("felt.address", "Kristineberg 3, 2100 København Ø".to_string()),
        ("felt.phone", "+45 38 64 00 00".to_string()),
        ("felt.email", "psykinfo@regionh.dk".to_string()),
        ("felt.web", "https://www.psykinfo.regionh.dk".to_string()),
        ("felt.hours", "Man.–tors. kl. 10–15".to_string()),
    ];
    if verified {
        v.push(("bekraeftet", "ja".to_string()));
    }
    v
}

fn pairs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, s)| (*k, s.as_str())).collect()
}

fn with(v: &[(&'static str, String)], key: &str, value: &str) -> Vec<(&'static str, String)> {
    v.iter().map(|(k, s)| (*k, if *k == key { value.to_string() } else { s.clone() })).collect()
}

/// The region objects of a regions file, by id, as JSON text.
fn region_texts(text: &str) -> Vec<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    v["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), serde_json::to_string(r).unwrap()))
        .collect()
}

#[tokio::test]
async fn the_list_and_the_form_show_every_region_and_field() {
    let p = TempProject::copy();
    let cfg = config(&p);
    let (status, body) = get(&cfg, "/regioner").await;
    assert_eq!(status, StatusCode::OK);
    for r in ["hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland"] {
        assert!(body.contains(&format!("href=\"/regioner/{r}\"")), "{r} in {body}");
    }
    assert!(body.contains("Eksempeldata – ikke bekræftet"), "{body}");
    // The start page links to the same forms.
    let (_, start) = get(&cfg, "/").await;
    assert!(start.contains("href=\"/regioner/hovedstaden\""), "{start}");

    let (status, form) = get(&cfg, "/regioner/hovedstaden").await;
    assert_eq!(status, StatusCode::OK);
    for (id, name) in [
        ("name", "name"),
        ("felt-sender", "felt.sender"),
        ("felt-address", "felt.address"),
        ("felt-phone", "felt.phone"),
        ("felt-email", "felt.email"),
        ("felt-web", "felt.web"),
        ("felt-hours", "felt.hours"),
    ] {
        assert!(form.contains(&format!("<label for=\"{id}\">")), "label for {id} in {form}");
        assert!(form.contains(&format!("id=\"{id}\" name=\"{name}\"")), "input {id} in {form}");
    }
    assert!(form.contains("value=\"00 00 00 01\""), "{form}");
    assert!(
        form.contains("<textarea id=\"felt-sender\" name=\"felt.sender\" rows=\"3\">Udgivet af"),
        "the long sender line in a text area: {form}"
    );
    assert!(form.contains("type=\"checkbox\" name=\"bekraeftet\" id=\"bekraeftet\""), "{form}");
    assert!(!form.contains("checked"), "sample data is not checked as verified: {form}");
    assert!(form.contains("Kontaktdata er kontrolleret og rigtige") && form.contains("id=\"gem\""), "{form}");
    assert!(form.contains("<legend>"), "{form}");
}

#[tokio::test]
async fn an_unknown_region_is_404() {
    let p = TempProject::copy();
    let cfg = config(&p);
    let (status, body) = get(&cfg, "/regioner/bornholm").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Regionen findes ikke"), "{body}");
    let (status, _, _) = post(&cfg, "/regioner/bornholm", &[("sha", "x"), ("name", "B")]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_invalid_value_is_refused_in_danish_beside_its_field_and_kept() {
    let p = TempProject::copy();
    let before = std::fs::read(p.path("decks/regions.json")).unwrap();
    let cfg = config(&p);
    let (_, form) = get(&cfg, "/regioner/hovedstaden").await;
    let ok = real(&sha_of(&form), false);
    let cases = [
        ("name", "", "name", "Skriv regionens navn."),
        ("felt.address", " ", "felt-address", "Skriv adresse – det står på tryksagerne."),
        ("felt.phone", "38 64 00", "felt-phone", "Skriv et dansk telefonnummer med 8 cifre"),
        ("felt.phone", "+46 38 64 00 00", "felt-phone", "Skriv et dansk telefonnummer med 8 cifre"),
        ("felt.email", "psykinfo.regionh.dk", "felt-email", "Skriv en e-mailadresse"),
        ("felt.web", "psykinfo", "felt-web", "Skriv en hjemmesideadresse"),
        ("felt.hours", &"x".repeat(401), "felt-hours", "Teksten må højst være 400 tegn"),
    ];
    for (field, value, id, message) in cases {
        let (status, _, body) = post(&cfg, "/regioner/hovedstaden", &pairs(&with(&ok, field, value))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}");
        assert!(body.contains(message), "{message} in {body}");
        // Beside the field, described by it, and summed up at the top with a link to it.
        assert!(body.contains(&format!("aria-invalid=\"true\" aria-describedby=\"{id}-fejl\"")), "{id}: {body}");
        assert!(body.contains(&format!("<p class=\"fejltekst\" id=\"{id}-fejl\">")), "{id}: {body}");
        assert!(body.contains(&format!("href=\"#{id}\"")) && body.contains("role=\"alert\""), "{body}");
        // Every value as given stays in the form.
        // A short value stays in its input; a long one is shown whole in a text area.
        let kept = body.contains(&format!("value=\"{value}\"")) || body.contains(&format!(">{value}</textarea>"));
        assert!(kept, "{value} kept in {body}");
        assert!(body.contains("value=\"Kristineberg 3, 2100 København Ø\"") || field == "felt.address", "{body}");
    }
    assert_eq!(std::fs::read(p.path("decks/regions.json")).unwrap(), before, "nothing was written");
}

#[tokio::test]
async fn sample_data_cannot_be_marked_verified() {
    let p = TempProject::copy();
    let cfg = config(&p);
    let (_, form) = get(&cfg, "/regioner/hovedstaden").await;
    let sha = sha_of(&form);
    let sample = [
        ("sha", sha.as_str()),
        ("name", "PsykInfo Region Hovedstaden"),
        ("felt.sender", "Udgivet af PsykInfo Region Hovedstaden."),
        ("felt.address", "Eksempelvej 1, 2100 København Ø"),
        ("felt.phone", "00 00 00 01"),
        ("felt.email", "psykinfo@eksempel.dk"),
        ("felt.web", "www.eksempel.dk/psykinfo"),
        ("felt.hours", "Man.–tors. kl. 10–15"),
        ("bekraeftet", "ja"),
    ];
    let (status, _, body) = post(&cfg, "/regioner/hovedstaden", &sample).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Regionen kan ikke markeres som bekræftet, så længe den har eksempeldata"), "{body}");
    assert!(body.contains("aria-describedby=\"bekraeftet-fejl\""), "{body}");
    assert!(body.contains("checked"), "the box stays as given: {body}");
    // Unverified, the same sample data may be saved.
    let (status, _, _) = post(&cfg, "/regioner/hovedstaden", &sample[..8]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_valid_edit_changes_only_that_region_and_the_project_still_loads() {
    let p = TempProject::copy();
    let path = p.path("decks/regions.json");
    let before = std::fs::read_to_string(&path).unwrap();
    let cfg = config(&p);
    let (_, form) = get(&cfg, "/regioner/hovedstaden").await;
    let (status, headers, _) = post(&cfg, "/regioner/hovedstaden", &pairs(&real(&sha_of(&form), false))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/regioner/hovedstaden?gemt=1");
    let after = std::fs::read_to_string(&path).unwrap();
    // The other regions' lines are the same bytes; the file keeps its style and `$schema`.
    let lines = |s: &str| s.lines().map(str::to_string).collect::<Vec<_>>();
    let (b, a) = (lines(&before), lines(&after));
    assert_eq!(a.len(), b.len());
    let changed: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    assert_eq!(changed, vec![7], "only the fields line of hovedstaden changes:\n{after}");
    assert!(a[7].contains("\"phone\": \"+45 38 64 00 00\"") && a[6].contains("\"sample\": true"), "{after}");
    let (rb, ra) = (region_texts(&before), region_texts(&after));
    assert_eq!(rb[1..], ra[1..]);
    let (project, diags) = tryksag::model::load_project(p.dir.path());
    assert!(project.is_some() && !diags.has_errors(), "{:?}", diags.0);

    let (status, page) = get(&cfg, "/regioner/hovedstaden?gemt=1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("role=\"status\"") && page.contains("Gemt."), "{page}");
    assert!(page.contains("value=\"Kristineberg 3, 2100 København Ø\""), "{page}");
}

#[tokio::test]
async fn marking_verified_lifts_the_sample_data_block_of_a_print_shop_run() {
    let p = TempProject::copy();
    p.write(
        "layouts/runs/tryk-hovedstaden.json",
        r#"{ "region": "hovedstaden", "title": "Folder", "delivery": "print-shop", "products": [ { "product": "jobcenter-folder", "quantity": 500 } ] }"#,
    );
    let build = || {
        let mut o = tryksag::build::BuildOptions::new(p.dir.path());
        o.write = false;
        o.runs = vec!["tryk-hovedstaden".into()];
        tryksag::build::build(&o)
    };
    let refused = build();
    assert!(refused.diags.has_errors(), "sample data refused for a print shop");
    let cfg = config(&p);
    let (_, form) = get(&cfg, "/regioner/hovedstaden").await;
    let (status, _, body) = post(&cfg, "/regioner/hovedstaden", &pairs(&real(&sha_of(&form), true))).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let text = std::fs::read_to_string(p.path("decks/regions.json")).unwrap();
    assert!(!region_texts(&text)[0].1.contains("sample"), "{text}");
    let (_, form) = get(&cfg, "/regioner/hovedstaden").await;
    assert!(form.contains("id=\"bekraeftet\" value=\"ja\" checked"), "{form}");
    let built = build();
    assert!(!built.diags.has_errors(), "{:?}", built.diags.0);

    // Unchecking marks it as sample data again.
    let (status, _, _) = post(&cfg, "/regioner/hovedstaden", &pairs(&real(&sha_of(&form), false))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let text = std::fs::read_to_string(p.path("decks/regions.json")).unwrap();
    assert!(region_texts(&text)[0].1.contains("\"sample\":true"), "{text}");
}

#[tokio::test]
async fn a_stale_form_is_refused_with_409() {
    let p = TempProject::copy();
    let cfg = config(&p);
    let (_, form) = get(&cfg, "/regioner/hovedstaden").await;
    let sha = sha_of(&form);
    // Someone else changes the file after the form was loaded.
    p.edit("decks/regions.json", |s| s.replace("Eksempelvej 2,", "Eksempelvej 22,"));
    let changed = std::fs::read(p.path("decks/regions.json")).unwrap();
    let (status, _, body) = post(&cfg, "/regioner/hovedstaden", &pairs(&real(&sha, false))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body.contains("siden du åbnede formularen"), "{body}");
    assert_eq!(std::fs::read(p.path("decks/regions.json")).unwrap(), changed);
}

#[tokio::test]
async fn a_failed_write_leaves_the_old_file_whole() {
    let p = TempProject::copy();
    let path = p.path("decks/regions.json");
    let before = std::fs::read(&path).unwrap();
    let cfg = config(&p);
    let (_, form) = get(&cfg, "/regioner/hovedstaden").await;
    // The temporary file cannot be made: a folder is in its place (this holds even for root,
    // who may write into a read-only folder), and the folder is read-only too.
    let blocker = p.path(&format!("decks/.regions.json.tmp{}", std::process::id()));
    std::fs::create_dir(&blocker).unwrap();
    std::fs::write(blocker.join("keep"), b"x").unwrap();
    let mut perms = std::fs::metadata(p.path("decks")).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(p.path("decks"), perms.clone()).unwrap();
    let (status, _, body) = post(&cfg, "/regioner/hovedstaden", &pairs(&real(&sha_of(&form), false))).await;
    #[expect(clippy::permissions_set_readonly_false, reason = "the temporary folder must be removable again")]
    perms.set_readonly(false);
    std::fs::set_permissions(p.path("decks"), perms).unwrap();
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.contains("Ændringen er ikke gemt") && body.contains("uændret"), "{body}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_real_project_with_sample_data_an_overflowing_card_and_a_missing_glyph_reads_in_danish() {
    let p = TempProject::copy();
    p.write(
        "layouts/runs/tryk-hovedstaden.json",
        r#"{ "region": "hovedstaden", "title": "Kort", "delivery": "print-shop", "products": [ { "product": "dialogkort", "quantity": 100 } ] }"#,
    );
    let long = "Hvordan ser en god periode ud for dig, og hvad kan du så? ".repeat(12);
    p.edit("decks/dialogkort.json", |s| {
        s.replace("\"Hvordan ser en god periode ud for dig, og hvad kan du så?\"", &format!("\"{}\"", long.trim()))
            .replacen("\"title\": \"Svære perioder\"", "\"title\": \"Svære perioder ☃\"", 1)
    });
    let mut o = tryksag::build::BuildOptions::new(p.dir.path());
    o.write = false;
    o.only = vec!["dialogkort".into()];
    o.no_runs = true;
    let report = tryksag::build::build(&o);
    let findings: Vec<_> = report.diags.0.iter().map(tryksag::serve::findings::finding).collect();
    let sample = findings.iter().find(|f| f.headline.contains("eksempeldata")).expect("a sample-data finding");
    assert!(sample.blocks, "{sample:?}");
    assert_eq!(sample.headline, "Regionens kontaktdata er eksempeldata, så trykordren kan ikke sendes til trykkeriet.");
    assert_eq!(
        sample.advice.as_deref(),
        Some("Ret kontaktdata for regionen under Regioner, og markér dem som bekræftede.")
    );
    assert!(
        sample.place.as_deref().is_some_and(|p| p.starts_with("layouts/runs/tryk-hovedstaden.json, linje ")),
        "{sample:?}"
    );
    let over = findings.iter().find(|f| f.headline.starts_with("Teksten er for lang")).expect("an overflow finding");
    assert!(over.blocks);
    assert_eq!(over.place.as_deref(), Some("kort nu-03, feltet «question»"), "{over:?}");
    assert_eq!(
        over.advice.as_deref(),
        Some("Bed en designer om at forkorte teksten på kort nu-03 (feltet «question»).")
    );
    assert!(over.detail.contains("does not fit"), "the technical message stays: {}", over.detail);
    let glyph = findings.iter().find(|f| f.headline.starts_with("Tegnet")).expect("a missing-glyph finding");
    assert_eq!(glyph.headline, "Tegnet «☃» (U+2603) findes ikke i skriften, så det kan ikke trykkes.");
    assert_eq!(glyph.place.as_deref(), Some("kort nu-04, feltet «title»"), "{glyph:?}");
}
