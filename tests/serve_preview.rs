//! The designer's live preview in `tryksag serve`: pages, images, errors beside the last good
//! proof, server-sent events from the real watcher, thumbnails. HTTP through the router (one
//! router per test, so the previews' cache lives across its requests).

use std::time::Duration;

use crate::common::TempProject;
use axum::Router;
use axum::body::{Body, BodyDataStream};
use axum::http::{Request, StatusCode, header};
use futures_util::StreamExt;
use tower::ServiceExt;
use tryksag::serve::{ServeConfig, router};

fn app(p: &TempProject) -> Router {
    router(ServeConfig { root: p.dir.path().to_path_buf(), out_dir: p.path("output"), token: None })
}

/// Status, headers and body bytes of one GET.
async fn get(app: &Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = res.into_parts();
    (parts.status, parts.headers, axum::body::to_bytes(body, usize::MAX).await.unwrap().to_vec())
}

async fn text(app: &Router, uri: &str) -> (StatusCode, String) {
    let (status, _, body) = get(app, uri).await;
    (status, String::from_utf8(body).unwrap())
}

/// A PNG's width and height from its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let be = |i: usize| u32::from_be_bytes(png[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

/// The event stream of a product's preview, and the text read from it so far.
struct Events {
    body: BodyDataStream,
    buf: String,
}

impl Events {
    async fn open(app: &Router, product: &str) -> Events {
        let uri = format!("/preview/{product}/events");
        let res = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_TYPE], "text/event-stream");
        Events { body: res.into_body().into_data_stream(), buf: String::new() }
    }

    /// The version the next `korrektur` event announces; fails after a generous 30 s.
    async fn next(&mut self) -> u64 {
        let wait = async {
            loop {
                if let Some(end) = self.buf.find("\n\n") {
                    let event: String = self.buf.drain(..end + 2).collect();
                    if event.lines().any(|l| l == "event: korrektur") {
                        let data = event.lines().find_map(|l| l.strip_prefix("data: ")).expect("data");
                        return data.parse().expect("a version");
                    }
                    continue;
                }
                let chunk = self.body.next().await.expect("the stream stays open").unwrap();
                self.buf.push_str(&String::from_utf8_lossy(&chunk));
            }
        };
        tokio::time::timeout(Duration::from_secs(30), wait).await.expect("an event within 30 s")
    }
}

#[tokio::test]
async fn the_page_lists_every_page_of_every_default_file() {
    let p = TempProject::copy();
    let app = app(&p);
    // What the build makes for the product, counted independently of the server.
    let opts = tryksag::build::BuildOptions {
        write: false,
        keep: true,
        no_runs: true,
        only: vec!["dialogkort".into()],
        ..tryksag::build::BuildOptions::new(p.dir.path())
    };
    let made = tryksag::build::build(&opts).made;
    assert!(made.len() >= 2, "faces, sheets, screen version");
    let (status, page) = text(&app, "/preview/dialogkort").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<html lang=\"da\">") && page.contains("Korrektur: dialogkort"), "{page}");
    for (i, m) in made.iter().enumerate() {
        assert!(page.contains(&m.kind.file_name("dialogkort")), "{page}");
        for n in 1..=m.pages.len() {
            assert!(page.contains(&format!("src=\"/preview/dialogkort/side/{}/{n}.png?v=1\"", i + 1)), "{i} {n}");
        }
        assert!(!page.contains(&format!("/side/{}/{}.png", i + 1, m.pages.len() + 1)));
    }
    let total: usize = made.iter().map(|m| m.pages.len()).sum();
    assert_eq!(page.matches("<img ").count(), total);
    assert_eq!(page.matches(" alt=\"").count(), total, "every image has a text");
    // The guides switch is a plain form: a fieldset with a legend, labelled choices, guides on.
    assert!(page.contains("<form method=\"get\" action=\"/preview/dialogkort\">") && page.contains("<legend>"));
    assert!(page.contains("value=\"1\" checked>") && !page.contains("value=\"0\" checked"), "{page}");
    // The one script comes from the server; nothing inline (the CSP forbids it).
    assert_eq!(page.matches("<script").count(), 1);
    assert!(page.contains("<script src=\"/preview.js\"></script>"));
    let (status, _, js) = get(&app, "/preview.js").await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8(js).unwrap().contains("new EventSource("));

    let (_, off) = text(&app, "/preview/dialogkort?hjaelpelinjer=0").await;
    assert!(off.contains("value=\"0\" checked") && off.contains(".png?v=1&amp;hjaelpelinjer=0\""), "{off}");
}

#[tokio::test]
async fn page_images_are_pngs_with_and_without_guides() {
    let p = TempProject::copy();
    let app = app(&p);
    let (status, headers, with) = get(&app, "/preview/dialogkort/side/1/1.png?v=1").await;
    assert_eq!((status, &headers[header::CONTENT_TYPE]), (StatusCode::OK, &"image/png".parse().unwrap()));
    assert!(headers[header::CACHE_CONTROL].to_str().unwrap().contains("immutable"), "this version's image");
    let (status, _, without) = get(&app, "/preview/dialogkort/side/1/1.png?v=1&hjaelpelinjer=0").await;
    assert_eq!(status, StatusCode::OK);
    // 100 dpi: a 63 × 88 mm card with 3 mm bleed each side.
    let (w, h) = png_size(&with);
    assert_eq!((w, h), png_size(&without));
    assert!((270..=273).contains(&w) && (369..=371).contains(&h), "{w} × {h}");
    assert_ne!(with, without, "the guides are drawn");
    // An image of an older version is still the proof there is, but not to be kept.
    let (status, headers, stale) = get(&app, "/preview/dialogkort/side/1/1.png?v=0").await;
    assert_eq!((status, &headers[header::CACHE_CONTROL]), (StatusCode::OK, &"no-cache".parse().unwrap()));
    assert_eq!(stale, with);
    let (_, _, leaflet) = get(&app, "/preview/jobcenter-folder/side/1/2.png").await;
    png_size(&leaflet);
    for uri in [
        "/preview/dialogkort/side/1/0.png",
        "/preview/dialogkort/side/1/999.png",
        "/preview/dialogkort/side/99/1.png",
        "/preview/dialogkort/side/1/1.gif",
        "/preview/dialogkort/side/x/1.png",
    ] {
        assert_eq!(get(&app, uri).await.0, StatusCode::NOT_FOUND, "{uri}");
    }
}

#[tokio::test]
async fn an_unknown_product_is_404_listing_the_products() {
    let p = TempProject::copy();
    let app = app(&p);
    for uri in
        ["/preview/ukendt", "/preview/regions", "/preview/..", "/preview/ukendt/side/1/1.png", "/miniature/x.png"]
    {
        let (status, body) = text(&app, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        if uri.starts_with("/preview/u") || uri == "/miniature/x.png" {
            assert!(body.contains("Produktet findes ikke"), "{uri}: {body}");
            assert!(
                body.contains("href=\"/preview/dialogkort\"") && body.contains("href=\"/preview/jobcenter-folder\"")
            );
        }
    }
    assert_eq!(get(&app, "/preview/ukendt/events").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_broken_deck_shows_its_located_error_beside_the_last_good_proof_until_fixed() {
    let p = TempProject::copy();
    let app = app(&p);
    let (_, first) = text(&app, "/preview/dialogkort").await;
    assert!(first.contains("Version 1") && !first.contains("class=\"errors\""), "{first}");
    let mut events = Events::open(&app, "dialogkort").await;

    p.edit("decks/dialogkort.json", |s| s.replacen("\"title\": \"Dialogkort til jobcentre\",", "\"title\": ,", 1));
    assert_eq!(events.next().await, 2);
    let (status, fragment) = text(&app, "/preview/dialogkort/indhold").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!fragment.contains("<html"), "a fragment, not a page");
    // The CLI's located line (file:line:col), escaped as HTML, inside a pre with the snippet.
    let cli = crate::common::stderr(&p.run(&["check"]));
    let located = cli.lines().find(|l| l.contains("dialogkort.json:")).expect("the CLI locates the error");
    let escaped = located.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    assert!(fragment.contains(escaped.trim()), "{located} not in {fragment}");
    assert!(fragment.contains("&quot;title&quot;: ,"), "the snippet: {fragment}");
    // The previous images, marked as such, still served.
    assert!(fragment.contains("Seneste gode korrektur"), "{fragment}");
    assert!(fragment.contains("src=\"/preview/dialogkort/side/1/1.png?v=1\""), "{fragment}");
    assert_eq!(get(&app, "/preview/dialogkort/side/1/1.png?v=1").await.0, StatusCode::OK);
    let (_, page) = text(&app, "/preview/dialogkort").await;
    assert!(page.contains("Seneste gode korrektur") && page.contains(escaped.trim()));

    p.edit("decks/dialogkort.json", |s| s.replacen("\"title\": ,", "\"title\": \"Dialogkort til jobcentre\",", 1));
    assert_eq!(events.next().await, 3);
    let (_, fixed) = text(&app, "/preview/dialogkort/indhold").await;
    assert!(!fixed.contains("class=\"errors\"") && !fixed.contains("dialogkort.json:"), "{fixed}");
    assert!(!fixed.contains("Seneste gode korrektur") && fixed.contains("<h2>Korrektur</h2>"), "{fixed}");
    assert!(fixed.contains("src=\"/preview/dialogkort/side/1/1.png?v=3\""), "{fixed}");
}

#[tokio::test]
async fn a_saved_change_is_announced_by_an_event_within_seconds() {
    let p = TempProject::copy();
    let app = app(&p);
    let mut events = Events::open(&app, "dialogkort").await;
    let started = std::time::Instant::now();
    p.edit("decks/dialogkort.json", |s| {
        let (a, b) = s.split_once("\"question\": \"").expect("a card with a question");
        format!("{a}\"question\": \"Ny tekst? {b}")
    });
    assert_eq!(events.next().await, 2);
    assert!(started.elapsed() < Duration::from_secs(30));
    let (_, fragment) = text(&app, "/preview/dialogkort/indhold").await;
    assert!(fragment.contains("Version 2") && fragment.contains("1.png?v=2"), "{fragment}");
    // A change to the leaflet alone rebuilds the leaflet's preview, not the deck's.
    let mut leaflet = Events::open(&app, "jobcenter-folder").await;
    p.edit("decks/leaflets/jobcenter-folder.json", |s| s.replacen("\"title\": \"", "\"title\": \"Ny ", 1));
    assert_eq!(leaflet.next().await, 2);
    let (_, fragment) = text(&app, "/preview/dialogkort/indhold").await;
    assert!(fragment.contains("Version 2"), "{fragment}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_preview_and_image_requests_all_succeed() {
    let p = TempProject::copy();
    let app = app(&p);
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let app = app.clone();
            let product = if i % 2 == 0 { "dialogkort" } else { "jobcenter-folder" };
            tokio::spawn(async move {
                let (page, _, html) = get(&app, &format!("/preview/{product}")).await;
                let uri = format!("/preview/{product}/side/1/{}.png?v=1", i % 2 + 1);
                let (image, _, png) = get(&app, &uri).await;
                (page, String::from_utf8(html).unwrap().contains("Version 1"), image, png_size(&png))
            })
        })
        .collect();
    for t in tasks {
        let (page, first, image, _) = t.await.unwrap();
        assert_eq!((page, first, image), (StatusCode::OK, true, StatusCode::OK), "each product built once");
    }
}

#[tokio::test]
async fn the_start_page_shows_a_thumbnail_of_each_product() {
    let p = TempProject::copy();
    let app = app(&p);
    let (_, start) = text(&app, "/").await;
    for product in ["dialogkort", "jobcenter-folder"] {
        assert!(start.contains(&format!("src=\"/miniature/{product}.png\"")), "{start}");
        assert!(
            start.contains(&format!("href=\"/preview/{product}\"")),
            "the start page links to the live preview: {start}"
        );
        let (status, headers, png) = get(&app, &format!("/miniature/{product}.png")).await;
        assert_eq!((status, &headers[header::CONTENT_TYPE]), (StatusCode::OK, &"image/png".parse().unwrap()));
        let (_, _, page) = get(&app, &format!("/preview/{product}/side/1/1.png?hjaelpelinjer=0")).await;
        let ((w, h), (pw, ph)) = (png_size(&png), png_size(&page));
        assert!(w * 3 <= pw + 3 && h * 3 <= ph + 3 && w > 0, "{w} × {h} against {pw} × {ph}");
    }
    assert!(start.contains("alt=\"Første side af Dialogkort til jobcentre\""), "{start}");
}

#[tokio::test]
async fn a_saved_spreadsheet_rebuilds_the_preview_of_the_deck_that_reads_it() {
    // The deck's cards in a spreadsheet outside the input folders.
    let p = TempProject::copy();
    let o = p.run(&["export-cards", "dialogkort", "--to", "tabeller/kort.csv"]);
    assert!(o.status.success(), "{}", crate::common::stderr(&o));
    p.edit("decks/dialogkort.json", |s| {
        let start = s.find("\"cards\": [").unwrap();
        format!("{}\"cards\": [],\n  \"cards_from\": {{ \"file\": \"tabeller/kort.csv\" }}\n}}\n", &s[..start])
    });
    let app = app(&p);
    let (_, first) = text(&app, "/preview/dialogkort").await;
    assert!(first.contains("Version 1") && !first.contains("class=\"errors\""), "{first}");
    let (_, leaflet) = text(&app, "/preview/jobcenter-folder").await;
    assert!(leaflet.contains("Version 1"), "{leaflet}");
    let mut events = Events::open(&app, "dialogkort").await;
    // The watcher follows the spreadsheet once it has seen the build that reads it.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    // Saved as LibreOffice does: a lock file, a temporary file renamed over the document.
    let csv = std::fs::read_to_string(p.path("tabeller/kort.csv")).unwrap().replacen('?', "? Nu", 1);
    p.write("tabeller/.~lock.kort.csv#", "tryksag,test");
    p.write("tabeller/lu4711ab.tmp", &csv);
    std::fs::rename(p.path("tabeller/lu4711ab.tmp"), p.path("tabeller/kort.csv")).unwrap();
    assert_eq!(events.next().await, 2);
    let (_, fragment) = text(&app, "/preview/dialogkort/indhold").await;
    assert!(fragment.contains("Version 2"), "{fragment}");
    // The leaflet reads no spreadsheet: its preview was not rebuilt.
    let (_, leaflet) = text(&app, "/preview/jobcenter-folder/indhold").await;
    assert!(leaflet.contains("Version 1"), "{leaflet}");
}
