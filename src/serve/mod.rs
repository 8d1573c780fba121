//! `tryksag serve`: a local web app for PsykInfo staff on the same project, plan and build as the
//! command line. axum on tokio; pages are server-side HTML (`pages.rs`, maud), downloads come only
//! from the output folder (`files.rs`), and anything but loopback needs a token (`auth.rs`).
//!
//! The project is read again for every page, so a change (or a fixed error) shows on reload, and
//! a project that fails to load is shown with its located errors while the server keeps running.

mod auth;
mod files;
pub mod findings;
mod order;
mod pages;
mod preview;
mod regions;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

/// The largest request body accepted (forms are small; a larger body gets 413).
pub const BODY_LIMIT: usize = 256 * 1024;

/// How long one request may take before it is answered with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The address `tryksag serve` listens on unless told otherwise.
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";

/// What the server serves, and to whom.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    /// The project folder (holds decks/, layouts/, fonts/).
    pub root: PathBuf,
    /// The output folder; the only folder files are downloaded from.
    pub out_dir: PathBuf,
    /// The token every request must carry; `None`: no token needed (loopback only).
    pub token: Option<String>,
}

/// The shared state of the handlers.
struct App {
    config: ServeConfig,
    /// The designer's previews: their cache, watcher and events.
    previews: Arc<preview::Previews>,
    /// Orders built but not yet approved (`/bestil/<id>`).
    orders: order::Drafts,
}

/// Whether listening on `addr` needs a token: anything but a loopback address does.
#[must_use]
pub fn needs_token(addr: &SocketAddr) -> bool {
    !addr.ip().is_loopback()
}

/// A new random token (32 bytes from the operating system's generator, as hex).
///
/// # Errors
/// When the operating system has no random numbers to give.
pub fn new_token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Checks a token given with `--token`: 16 or more letters, digits, `-`, `_` or `.` (it goes
/// into a cookie and an address as it is).
///
/// # Errors
/// What is wrong with it, in a sentence.
pub fn check_token(token: &str) -> Result<(), String> {
    if token.len() < 16 {
        return Err("the token must be at least 16 characters long".into());
    }
    if !token.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err("the token may only hold letters a–z, A–Z, digits, '-', '_' and '.'".into());
    }
    Ok(())
}

/// The web app: every route, behind the token check, the body limit and the timeout.
pub fn router(config: ServeConfig) -> Router {
    let previews = Arc::new(preview::Previews::new(config.root.clone(), config.out_dir.clone()));
    let app = Arc::new(App { config, previews, orders: order::Drafts::default() });
    Router::new()
        .route("/", get(pages::start))
        .route("/filer/{*path}", get(files::download))
        .route("/preview/{product}", get(preview::preview))
        .route("/preview/{product}/indhold", get(preview::fragment))
        .route("/preview/{product}/events", get(preview::events))
        .route("/preview/{product}/side/{file}/{page}", get(preview::page_image))
        .route("/miniature/{file}", get(preview::thumbnail))
        .route("/preview.js", get(preview::script))
        .route("/bestil", get(order::form).post(order::submit))
        .route("/bestil/{id}", get(order::proof))
        .route("/bestil/{id}/side/{file}/{page}", get(order::page_png))
        .route("/bestil/{id}/godkend", post(order::approve))
        .route("/ordre/{name}", get(order::order_files))
        .route("/regioner", get(regions::list))
        .route("/regioner/{id}", get(regions::form).post(regions::save))
        .route("/style.css", get(style))
        .route("/health", get(health))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(auth::same_origin))
        .layer(axum::middleware::from_fn_with_state(app.clone(), auth::require_token))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .with_state(app)
}

/// The one stylesheet, compiled in (no external resources, no build step).
async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("style.css"))
}

/// For scripts and monitors: the server answers.
async fn health() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "ok\n")
}

/// Listens on `listen` and serves until the process is stopped (Ctrl-C). `on_ready` is told the
/// address actually bound (port 0 picks a free one) before the first request is taken.
///
/// # Errors
/// When the address cannot be bound (in use, not this machine's) or the runtime cannot start.
pub fn serve(listen: SocketAddr, config: ServeConfig, on_ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        on_ready(listener.local_addr()?);
        axum::serve(listener, router(config)).await
    })
}
