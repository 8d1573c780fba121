//! `tryksag serve` over HTTP: the router answered in process (`tower::ServiceExt::oneshot`, no
//! sockets), and once the binary on a real loopback port.

use std::io::{BufRead, BufReader, Read, Write};

use crate::common::TempProject;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use tryksag::serve::{BODY_LIMIT, ServeConfig, router};

const TOKEN: &str = "s3cret-token-for-tests";

fn config(p: &TempProject, token: Option<&str>) -> ServeConfig {
    ServeConfig { root: p.dir.path().to_path_buf(), out_dir: p.path("output"), token: token.map(String::from) }
}

/// Status, headers and body text of one request.
async fn send(cfg: &ServeConfig, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = router(cfg.clone()).oneshot(req).await.unwrap();
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (parts.status, parts.headers, String::from_utf8_lossy(&bytes).into_owned())
}

async fn get(cfg: &ServeConfig, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    send(cfg, Request::get(uri).body(Body::empty()).unwrap()).await
}

#[tokio::test]
async fn the_start_page_lists_products_regions_and_runs() {
    let p = TempProject::copy();
    p.edit("decks/regions.json", |s| s.replacen("\"sample\": true", "\"sample\": false", 1));
    let cfg = config(&p, None);
    let (status, headers, body) = get(&cfg, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(body.contains("<html lang=\"da\">"), "{body}");
    for product in ["Dialogkort til jobcentre", "dialogkort-faces.pdf", "jobcenter-folder-print.pdf"] {
        assert!(body.contains(product), "{product} missing in {body}");
    }
    assert!(body.contains("PsykInfo Region Hovedstaden") && body.contains("PsykInfo Region Sjælland"), "{body}");
    assert!(body.contains("Bekræftet") && body.contains("Eksempeldata – ikke bekræftet"), "{body}");
    assert!(body.contains("kontor-hovedstaden") && body.contains("Kontorprinter"), "{body}");
    // Nothing built yet: names without links; no errors shown.
    assert!(!body.contains("href=\"/filer/"), "{body}");
    assert!(!body.contains("Projektet har fejl"), "{body}");
}

#[tokio::test]
async fn built_files_and_tickets_are_linked_and_served_with_their_type() {
    let p = TempProject::copy();
    let out = p.path("output");
    std::fs::create_dir_all(out.join("kontor-hovedstaden")).unwrap();
    std::fs::write(out.join("dialogkort-faces.pdf"), b"%PDF-1.7 test").unwrap();
    std::fs::write(out.join("kontor-hovedstaden/jobseddel.pdf"), b"%PDF-1.7 ticket").unwrap();
    std::fs::write(out.join("kontor-hovedstaden/jobseddel.json"), b"{}").unwrap();
    std::fs::create_dir_all(out.join("proof")).unwrap();
    std::fs::write(out.join("proof/kort-1.png"), b"\x89PNG").unwrap();
    let cfg = config(&p, None);
    let (_, _, body) = get(&cfg, "/").await;
    assert!(body.contains("href=\"/filer/dialogkort-faces.pdf\""), "{body}");
    assert!(body.contains("href=\"/filer/kontor-hovedstaden/jobseddel.pdf\""), "{body}");

    let (status, headers, body) = get(&cfg, "/filer/dialogkort-faces.pdf").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"dialogkort-faces.pdf\"")
    );
    assert_eq!(body, "%PDF-1.7 test");
    let (status, headers, _) = get(&cfg, "/filer/kontor-hovedstaden/jobseddel.json").await;
    assert_eq!((status, &headers[header::CONTENT_TYPE]), (StatusCode::OK, &"application/json".parse().unwrap()));
    let (status, headers, _) = get(&cfg, "/filer/proof/kort-1.png").await;
    assert_eq!((status, &headers[header::CONTENT_TYPE]), (StatusCode::OK, &"image/png".parse().unwrap()));
    assert!(!headers.contains_key(header::CONTENT_DISPOSITION));
    assert_eq!(get(&cfg, "/filer/ikke-her.pdf").await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&cfg, "/filer/proof").await.0, StatusCode::NOT_FOUND, "a folder is not a file");
}

#[tokio::test]
async fn traversal_out_of_the_output_folder_is_refused() {
    let p = TempProject::copy();
    let out = p.path("output");
    std::fs::create_dir_all(out.join("sub")).unwrap();
    std::fs::write(out.join("ok.pdf"), b"x").unwrap();
    p.write("secret.json", "{\"hemmelig\": true}");
    std::os::unix::fs::symlink(p.path("secret.json"), out.join("link.json")).unwrap();
    std::os::unix::fs::symlink(p.path("decks"), out.join("decks")).unwrap();
    let cfg = config(&p, None);
    for uri in [
        "/filer/../secret.json",
        "/filer/sub/../../secret.json",
        "/filer/%2e%2e/secret.json",
        "/filer/%2E%2E%2Fsecret.json",
        "/filer/sub%2f..%2f..%2fsecret.json",
        "/filer/..%5csecret.json",
        "/filer//etc/passwd",
        "/filer/%2fetc%2fpasswd",
        "/filer/%252e%252e/secret.json",
        "/filer/link.json",
        "/filer/decks/regions.json",
        "/filer/.tryksag-run-x.tmp-1/jobseddel.pdf",
    ] {
        let (status, _, body) = get(&cfg, uri).await;
        assert!(status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST, "{uri}: {status}");
        assert!(!body.contains("hemmelig") && !body.contains("regions"), "{uri}: {body}");
    }
    assert_eq!(get(&cfg, "/filer/%2e%2e/secret.json").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(get(&cfg, "/filer/ok.pdf").await.0, StatusCode::OK);
}

#[tokio::test]
async fn a_token_is_needed_when_one_is_set() {
    let p = TempProject::copy();
    let cfg = config(&p, Some(TOKEN));
    let (status, headers, body) = get(&cfg, "/").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
    assert!(body.contains("lang=\"da\"") && body.contains("Adgang kræver en nøgle"), "{body}");
    assert!(!body.contains("Dialogkort til jobcentre"), "{body}");
    for uri in ["/health", "/style.css", "/filer/x.pdf", "/?token=wrong-token-for-tests"] {
        assert_eq!(get(&cfg, uri).await.0, StatusCode::UNAUTHORIZED, "{uri}");
    }
    let with = |auth: &str| Request::get("/").header(header::AUTHORIZATION, auth).body(Body::empty()).unwrap();
    assert_eq!(send(&cfg, with("Bearer wrong-token-for-tests")).await.0, StatusCode::UNAUTHORIZED);
    let (status, _, body) = send(&cfg, with(&format!("Bearer {TOKEN}"))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Dialogkort til jobcentre"));

    // A browser: ?token= once sets the cookie and leads to the page without the token.
    let (status, headers, _) = get(&cfg, &format!("/health?token={TOKEN}")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/health");
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with(&format!("tryksag_token={TOKEN};")) && cookie.contains("HttpOnly"), "{cookie}");
    let jar = cookie.split(';').next().unwrap().to_string();
    let req = Request::get("/health").header(header::COOKIE, &jar).body(Body::empty()).unwrap();
    let (status, _, body) = send(&cfg, req).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "ok\n"));
    let req =
        Request::get("/").header(header::COOKIE, "tryksag_token=wrong-token-for-tests").body(Body::empty()).unwrap();
    assert_eq!(send(&cfg, req).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_stylesheet_and_health_need_no_token_on_loopback() {
    let p = TempProject::copy();
    let cfg = config(&p, None);
    let (status, headers, css) = get(&cfg, "/style.css").await;
    assert_eq!((status, &headers[header::CONTENT_TYPE]), (StatusCode::OK, &"text/css; charset=utf-8".parse().unwrap()));
    assert!(css.contains("focus-visible"));
    assert_eq!(get(&cfg, "/health").await.2, "ok\n");
    let (status, _, body) = get(&cfg, "/ingen-side").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Siden findes ikke"));
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413() {
    let p = TempProject::copy();
    let cfg = config(&p, None);
    let big = vec![b'a'; BODY_LIMIT + 1];
    let req = Request::post("/")
        .header(header::CONTENT_LENGTH, big.len())
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(big))
        .unwrap();
    assert_eq!(send(&cfg, req).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    let small = Request::post("/").header(header::CONTENT_LENGTH, 1).body(Body::from("a")).unwrap();
    assert_eq!(send(&cfg, small).await.0, StatusCode::METHOD_NOT_ALLOWED, "under the limit it reaches the router");
}

#[tokio::test]
async fn a_broken_project_shows_its_errors_and_the_server_goes_on() {
    let p = TempProject::copy();
    p.edit("decks/dialogkort.json", |s| s.replacen("\"title\": \"Dialogkort til jobcentre\",", "\"title\": ,", 1));
    let cli = crate::common::stderr(&p.run(&["check"]));
    let cfg = config(&p, None);
    let (status, _, body) = get(&cfg, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Projektet har fejl"), "{body}");
    // The first located line of the CLI's message, escaped as HTML.
    let located = cli.lines().find(|l| l.contains("dialogkort.json:")).expect("the CLI locates the error");
    let escaped = located.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    assert!(body.contains(escaped.trim()), "{located} not in {body}");
    // Fixed on disk: the next visit reads the project again.
    p.edit("decks/dialogkort.json", |s| s.replacen("\"title\": ,", "\"title\": \"Dialogkort til jobcentre\",", 1));
    let (status, _, body) = get(&cfg, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("Projektet har fejl") && body.contains("Dialogkort til jobcentre"), "{body}");
}

#[test]
fn the_binary_serves_on_a_loopback_port_and_needs_a_token_beyond_it() {
    let p = TempProject::copy();
    let bad = p.run(&["serve", "--token", "kort"]);
    assert_eq!(bad.status.code(), Some(2), "{}", crate::common::stderr(&bad));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(["serve", "--listen", "127.0.0.1:0", "--root"])
        .arg(p.dir.path())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let addr = line.split("http://").nth(1).and_then(|r| r.split('/').next()).map(String::from);
    let answer = addr.as_deref().map(|a| {
        let mut s = std::net::TcpStream::connect(a).unwrap();
        s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let mut r = String::new();
        s.read_to_string(&mut r).unwrap();
        r
    });
    child.kill().unwrap();
    child.wait().unwrap();
    let answer = answer.unwrap_or_else(|| panic!("no address in {line:?}"));
    assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("ok\n"), "{answer}");
    assert!(!line.contains("token="), "{line}");
    assert!(tryksag::serve::needs_token(&"0.0.0.0:8080".parse().unwrap()));
    assert!(tryksag::serve::needs_token(&"192.168.1.2:8080".parse().unwrap()));
    assert!(!tryksag::serve::needs_token(&"[::1]:8080".parse().unwrap()));
    let t = tryksag::serve::new_token().unwrap();
    assert_eq!(t.len(), 64);
    assert_ne!(t, tryksag::serve::new_token().unwrap());
    assert!(tryksag::serve::check_token(&t).is_ok());
}

#[tokio::test]
async fn a_form_sent_from_another_web_site_changes_nothing() {
    let p = TempProject::copy();
    let cfg = config(&p, None);
    let regions = std::fs::read(p.path("decks/regions.json")).unwrap();
    for uri in ["/bestil", "/regioner/hovedstaden"] {
        for (name, value) in [("origin", "https://evil.example"), ("sec-fetch-site", "cross-site")] {
            let req = Request::post(uri)
                .header(header::HOST, "127.0.0.1:8080")
                .header(name, value)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("region=hovedstaden&produkt=dialogkort&antal-dialogkort=5&levering=office&name=X"))
                .unwrap();
            let (status, _, body) = send(&cfg, req).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{uri} {name}");
            assert!(body.contains("intet er ændret"), "{body}");
        }
    }
    assert_eq!(std::fs::read(p.path("decks/regions.json")).unwrap(), regions);
    assert!(!p.path("output").exists());
    // The same form from the server's own page reaches the handler (here: 422, the form is incomplete).
    let req = Request::post("/regioner/hovedstaden")
        .header(header::HOST, "127.0.0.1:8080")
        .header("origin", "http://127.0.0.1:8080")
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("name="))
        .unwrap();
    assert_ne!(send(&cfg, req).await.0, StatusCode::FORBIDDEN);
}
