//! The token: when one is set, every request carries it as `Authorization: Bearer <token>`, as
//! the `tryksag_token` cookie, or once as `?token=<token>`, which sets the cookie (HttpOnly, so
//! page scripts never see it) and redirects to the same page without the token in its address.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{App, pages};

/// The cookie that carries the token after `?token=`.
pub(super) const COOKIE: &str = "tryksag_token";

/// Lets a request through when no token is set or it carries the right one; answers 401 with a
/// plain Danish page otherwise.
pub(super) async fn require_token(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let Some(token) = app.config.token.as_deref() else { return next.run(req).await };
    if header_token(req.headers()).is_some_and(|t| same(t, token)) {
        return next.run(req).await;
    }
    let query = Query::<HashMap<String, String>>::try_from_uri(req.uri()).map(|q| q.0).unwrap_or_default();
    if query.get("token").is_some_and(|given| same(given, token)) {
        let cookie = format!("{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
        // The same page, without the token in the address bar or the browser's history.
        let to = without_token(req.uri());
        return (StatusCode::SEE_OTHER, [(header::SET_COOKIE, cookie), (header::LOCATION, to)]).into_response();
    }
    (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], pages::unauthorized()).into_response()
}

/// Refuses a form sent from another web site (cross-site request forgery): on 127.0.0.1 no token
/// is needed, so any page the staff member has open could otherwise post an order or change a
/// region's contact data. A request that changes something (anything but GET and HEAD) must come
/// from this server's own pages: the browser's `Sec-Fetch-Site` is `same-origin` or `none`, and
/// an `Origin` header, when sent, names the host the request was sent to. Scripts and tests that
/// send neither header are let through (they carry the token where one is needed).
pub(super) async fn same_origin(req: Request, next: Next) -> Response {
    let m = req.method();
    if m == axum::http::Method::GET || m == axum::http::Method::HEAD || from_here(req.headers()) {
        return next.run(req).await;
    }
    pages::cross_site()
}

/// Whether a request's browser headers say it comes from this server's own pages (or say nothing).
fn from_here(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if text("sec-fetch-site").is_some_and(|s| !matches!(s, "same-origin" | "none")) {
        return false;
    }
    match text("origin") {
        None => true,
        Some(origin) => {
            let host = origin.split_once("://").map_or("", |(_, rest)| rest);
            text("host").is_some_and(|h| h.eq_ignore_ascii_case(host))
        }
    }
}

/// The address of a request without its `token` parameter; every other parameter is kept as
/// written (a link to a proof with guides stays one).
fn without_token(uri: &axum::http::Uri) -> String {
    let kept: Vec<&str> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some("token"))
        .collect();
    if kept.is_empty() { uri.path().to_string() } else { format!("{}?{}", uri.path(), kept.join("&")) }
}

/// The token a request carries in its `Authorization` header or its cookie.
fn header_token(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    bearer.or_else(|| {
        headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(name, _)| *name == COOKIE)
            .map(|(_, value)| value)
    })
}

/// Compares in time that does not depend on where the strings first differ (a guesser learns
/// nothing from how long a wrong token takes).
fn same(given: &str, token: &str) -> bool {
    let (a, b) = (given.as_bytes(), token.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abd", "abc"));
        assert!(!same("ab", "abc"));
        assert!(!same("", "abc"));
    }

    #[test]
    fn only_forms_from_this_server_are_taken() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(*k, v.parse().unwrap());
            }
            h
        };
        assert!(from_here(&headers(&[])), "a script without browser headers");
        assert!(from_here(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:8080")])));
        assert!(from_here(&headers(&[("sec-fetch-site", "same-origin"), ("host", "h:1"), ("origin", "http://H:1")])));
        assert!(!from_here(&headers(&[("host", "127.0.0.1:8080"), ("origin", "https://evil.example")])));
        assert!(!from_here(&headers(&[("host", "127.0.0.1:8080"), ("origin", "http://127.0.0.1:9999")])));
        assert!(!from_here(&headers(&[("host", "127.0.0.1:8080"), ("origin", "null")])), "a sandboxed page");
        assert!(!from_here(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!from_here(&headers(&[("sec-fetch-site", "same-site"), ("origin", "http://127.0.0.1:8080")])));
    }

    #[test]
    fn the_redirect_keeps_every_parameter_but_the_token() {
        let uri = |s: &str| s.parse::<axum::http::Uri>().unwrap();
        assert_eq!(without_token(&uri("/bestil/x?token=abc")), "/bestil/x");
        assert_eq!(without_token(&uri("/bestil/x?hjaelpelinjer=1&token=abc&v=2")), "/bestil/x?hjaelpelinjer=1&v=2");
        assert_eq!(without_token(&uri("/?tokens=1&token=a")), "/?tokens=1");
        assert_eq!(without_token(&uri("/a%20b?token=a")), "/a%20b");
    }

    #[test]
    fn the_cookie_is_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=1; tryksag_token=xyz; b=2".parse().unwrap());
        assert_eq!(header_token(&h), Some("xyz"));
        h.insert(header::AUTHORIZATION, "Bearer qq".parse().unwrap());
        assert_eq!(header_token(&h), Some("qq"));
    }
}
