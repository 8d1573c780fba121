//! The designer's live preview: `/preview/<product>` shows every page of the product's default
//! files as images, rendered as `tryksag proof` does, with the guides on or off; one background
//! watcher rebuilds what a saved change affects and tells open pages through server-sent events,
//! and `/preview.js` swaps the new content in. A build that fails shows its errors as the command
//! line does, beside the last good proof. `/miniature/<product>.png` is the start page's thumbnail.
//!
//! Per product only the latest outcome (version, diagnostics) and the last good proof (its files
//! and the PNGs rendered from them so far) are kept; a newer good proof replaces the older one.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Once, OnceLock, Weak};
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use tokio::sync::broadcast;

use super::App;
use super::pages::page;
use crate::build::{BuildOptions, FaceCache, Made, build};
use crate::diag::Diagnostic;
use crate::model::outputs::ProductFile;
use crate::proof::{ProofOptions, encode_png, render};
use crate::watch::{InputWatcher, affected};

/// The resolution of preview pages (as `tryksag proof` by default).
const PAGE_DPI: f32 = 100.0;

/// The resolution of the start page's thumbnails.
const THUMB_DPI: f32 = 30.0;

/// How long a file's changes must rest before it is rebuilt (editors save in several steps).
const SETTLE: Duration = Duration::from_millis(100);

/// How often the watcher thread looks whether the server is still there.
const WATCH_POLL: Duration = Duration::from_millis(200);

/// The previews of one server: the cache, the one watcher and the channel to open pages.
pub(super) struct Previews {
    root: PathBuf,
    out_dir: PathBuf,
    entries: Mutex<HashMap<String, Entry>>,
    /// Held while a product is built, so that concurrent first requests build it once.
    building: Mutex<()>,
    /// `(product, version)` after every rebuild.
    events: broadcast::Sender<(String, u64)>,
    watcher: Once,
    /// Why the watcher could not start (the page then says it does not refresh by itself).
    watch_error: OnceLock<String>,
    /// Which decks read which spreadsheet, as the latest build found.
    spreadsheets: Mutex<BTreeMap<PathBuf, Vec<String>>>,
    /// Card faces of earlier builds: an edit lays out only the cards it changed.
    faces: Arc<FaceCache>,
}

/// What is known about one product's preview.
struct Entry {
    /// Bumped by every build of the product.
    version: u64,
    /// The latest build's diagnostics (errors first).
    diags: Vec<Diagnostic>,
    /// Whether the latest build made the files (`good` is then its proof).
    current: bool,
    /// The last build that made the files.
    good: Option<Arc<Proof>>,
}

/// The files of one build, and the PNGs rendered from them when first asked for.
struct Proof {
    version: u64,
    files: Vec<ProofFile>,
    thumb: OnceLock<Option<Arc<Vec<u8>>>>,
}

/// A file's pages as PNGs, rendered once; or why they could not be.
type Pngs = OnceLock<Result<Vec<Arc<Vec<u8>>>, String>>;

/// One file the build made, with its pages as PNGs: `[without guides, with guides]`.
struct ProofFile {
    made: Made,
    pngs: [Pngs; 2],
}

/// A snapshot of an entry for a page.
struct View {
    version: u64,
    diags: Vec<Diagnostic>,
    current: bool,
    good: Option<Arc<Proof>>,
}

impl Previews {
    pub(super) fn new(root: PathBuf, out_dir: PathBuf) -> Previews {
        Previews {
            root,
            out_dir,
            entries: Mutex::new(HashMap::new()),
            building: Mutex::new(()),
            events: broadcast::channel(64).0,
            watcher: Once::new(),
            watch_error: OnceLock::new(),
            spreadsheets: Mutex::new(BTreeMap::new()),
            faces: Arc::default(),
        }
    }

    /// Whether `name` names a product: a deck, leaflet or booklet file exists for it (also when it is
    /// broken, so its errors can be shown), or it was previewed before.
    fn is_product(&self, name: &str) -> bool {
        let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'));
        if !plain || name == "regions" {
            return false;
        }
        let decks = self.root.join("decks");
        decks.join(format!("{name}.json")).is_file()
            || decks.join("leaflets").join(format!("{name}.json")).is_file()
            || decks.join("booklets").join(format!("{name}.json")).is_file()
            || self.lock().contains_key(name)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The product's preview, built first when it has none yet (blocking: call off the async
    /// threads). Starts the watcher the first time.
    fn view(self: &Arc<Self>, name: &str) -> View {
        self.start_watcher();
        if !self.lock().contains_key(name) {
            let _one = self.building.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if !self.lock().contains_key(name) {
                self.rebuild(name);
            }
        }
        let map = self.lock();
        let e = &map[name];
        View { version: e.version, diags: e.diags.clone(), current: e.current, good: e.good.clone() }
    }

    /// Builds the product's default files in memory (as `tryksag proof` does), records the
    /// outcome as a new version and tells the open pages.
    fn rebuild(&self, name: &str) {
        let opts = BuildOptions {
            write: false,
            keep: true,
            no_runs: true,
            only: vec![name.to_string()],
            out_dir: self.out_dir.clone(),
            faces: Some(self.faces.clone()),
            ..BuildOptions::new(&self.root)
        };
        let report = build(&opts);
        *self.spreadsheets.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = report.spreadsheets.clone();
        // No print runs are built: what their files say concerns no preview.
        let in_runs = |d: &Diagnostic| {
            d.location.file.as_ref().is_some_and(|f| f.parent().is_some_and(|p| p.ends_with("layouts/runs")))
        };
        let diags: Vec<Diagnostic> = report.diags.0.into_iter().filter(|d| !in_runs(d)).collect();
        let made: Vec<Made> = report.made.into_iter().filter(|m| m.product == name).collect();
        let version = {
            let mut map = self.lock();
            let e = map.entry(name.to_string()).or_insert(Entry {
                version: 0,
                diags: Vec::new(),
                current: false,
                good: None,
            });
            e.version += 1;
            e.diags = diags;
            e.current = !made.is_empty();
            if e.current {
                let files = made.into_iter().map(|made| ProofFile { made, pngs: Default::default() }).collect();
                e.good = Some(Arc::new(Proof { version: e.version, files, thumb: OnceLock::new() }));
            }
            e.version
        };
        // Nobody listening is no error.
        let _ = self.events.send((name.to_string(), version));
    }

    /// Starts the one watcher of the project, once. It holds the previews weakly and ends
    /// when the server is gone, so it keeps nothing alive and stops no shutdown.
    fn start_watcher(self: &Arc<Self>) {
        self.watcher.call_once(|| {
            let mut watcher = match InputWatcher::start(&self.root, SETTLE) {
                Ok(w) => w,
                Err(e) => {
                    let _ = self.watch_error.set(e.to_string());
                    return;
                }
            };
            let me: Weak<Previews> = Arc::downgrade(self);
            let spawned = std::thread::Builder::new().name("tryksag-preview-watch".into()).spawn(move || {
                let mut followed = BTreeMap::new();
                loop {
                    let files = watcher.next_changes(WATCH_POLL);
                    let Some(previews) = me.upgrade() else { break };
                    if !files.is_empty() {
                        previews.changed(&files);
                    }
                    // The spreadsheets decks read, as the latest build (of any preview) found.
                    let now = previews.spreadsheets();
                    if now != followed {
                        watcher.follow(now.keys());
                        followed = now;
                    }
                }
            });
            if let Err(e) = spawned {
                let _ = self.watch_error.set(e.to_string());
            }
        });
    }

    /// Which decks read which spreadsheet, as the latest build found.
    fn spreadsheets(&self) -> BTreeMap<PathBuf, Vec<String>> {
        self.spreadsheets.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Rebuilds the previewed products that a change to `files` affects.
    fn changed(&self, files: &[PathBuf]) {
        let previewed: Vec<String> = {
            let mut names: Vec<String> = self.lock().keys().cloned().collect();
            names.sort();
            names
        };
        let names = match affected(&self.root, files, &self.spreadsheets()) {
            Some(names) => previewed.into_iter().filter(|p| names.contains(p)).collect(),
            None => {
                // A layout, font, image or region changed: what no card key covers.
                self.faces.clear();
                previewed
            }
        };
        for name in names {
            let _one = self.building.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            self.rebuild(&name);
        }
    }
}

impl Proof {
    /// The PNG of page `page` (from 0) of file `file` (from 0), rendered with the rest of the
    /// file's pages the first time one is asked for. `None`: no such page.
    fn page_png(&self, file: usize, page: usize, guides: bool) -> Option<Result<Arc<Vec<u8>>, String>> {
        let f = self.files.get(file)?;
        if page >= f.made.pages.len() {
            return None;
        }
        let pngs = f.pngs[usize::from(guides)].get_or_init(|| {
            let imgs = render(&f.made, &ProofOptions { dpi: PAGE_DPI, overlays: guides }).map_err(|e| e.to_string())?;
            imgs.iter().map(|(w, h, px)| encode_png(*w, *h, px).map(Arc::new).map_err(|e| e.to_string())).collect()
        });
        match pngs {
            Ok(pages) => pages.get(page).cloned().map(Ok),
            Err(e) => Some(Err(e.clone())),
        }
    }

    /// The first page of the first file, small, without guides.
    fn thumb(&self) -> Option<Arc<Vec<u8>>> {
        self.thumb
            .get_or_init(|| {
                let f = self.files.first()?;
                let imgs = render(&f.made, &ProofOptions { dpi: THUMB_DPI, overlays: false }).ok()?;
                let (w, h, px) = imgs.first()?;
                encode_png(*w, *h, px).ok().map(Arc::new)
            })
            .clone()
    }
}

/// What a file is, in Danish.
fn file_label(kind: &ProductFile) -> String {
    match kind {
        ProductFile::Faces => "Kortenes sider (for- og bagside)".to_string(),
        ProductFile::Sheet(s) => format!("Trykark ({s})"),
        ProductFile::DeckScreen | ProductFile::LeafletScreen | ProductFile::BookletScreen => {
            "Version til skærm og download".to_string()
        }
        ProductFile::LeafletPrint => "Trykark (yderside og inderside)".to_string(),
        ProductFile::BookletPages => "Hæftets sider (enkeltsider med beskæring)".to_string(),
        ProductFile::BookletPress(s) => format!("Trykark til hæftning ({})", s.to_uppercase()),
        ProductFile::BookletOffice => "Hæfte til kontorets printer (A4, dobbeltsidet)".to_string(),
    }
}

/// The query of the preview's addresses.
#[derive(Deserialize, Default)]
pub(super) struct PreviewQuery {
    /// `0` turns the guides off; anything else (or nothing) leaves them on.
    hjaelpelinjer: Option<String>,
    /// The version an image belongs to.
    v: Option<String>,
}

impl PreviewQuery {
    fn guides(&self) -> bool {
        self.hjaelpelinjer.as_deref() != Some("0")
    }
}

/// 404 for a name that is no product, listing the products there are.
async fn unknown_product(app: &Arc<App>, name: &str) -> Response {
    let root = app.config.root.clone();
    let names = tokio::task::spawn_blocking(move || {
        let (project, _) = crate::model::load_project(&root);
        project.map_or_else(Vec::new, |p| {
            p.decks.iter().map(|d| d.name.clone()).chain(p.leaflets.iter().map(|l| l.name.clone())).collect()
        })
    })
    .await
    .unwrap_or_default();
    page(
        StatusCode::NOT_FOUND,
        "Produktet findes ikke",
        html! {
            p { "Der er intet produkt, der hedder " code { (name) } "." }
            @if names.is_empty() { p { "Projektet har ingen produkter, der kan vises." } }
            @else {
                p { "Disse produkter kan vises:" }
                ul { @for n in &names { li { a href={ "/preview/" (n) } { (n) } } } }
            }
        },
    )
}

/// The preview of `name` off the async threads; `None` when it is no product.
async fn view_of(app: &Arc<App>, name: &str) -> Option<View> {
    let previews = app.previews.clone();
    let name = name.to_string();
    tokio::task::spawn_blocking(move || previews.is_product(&name).then(|| previews.view(&name))).await.ok().flatten()
}

/// `GET /preview/<product>`: the whole page.
pub(super) async fn preview(
    State(app): State<Arc<App>>,
    Path(product): Path<String>,
    Query(q): Query<PreviewQuery>,
) -> Response {
    let Some(view) = view_of(&app, &product).await else { return unknown_product(&app, &product).await };
    let guides = q.guides();
    let body = html! {
        p { "Siden viser hver side af filerne, som " code { "tryksag proof" } " laver dem, og opdateres af sig selv, når en fil i projektet gemmes." }
        @if let Some(e) = app.previews.watch_error.get() {
            p class="warn" { "Siden kan ikke opdatere sig selv (" (e) "); genindlæs den efter at have gemt." }
        }
        form method="get" action={ "/preview/" (product) } {
            fieldset {
                legend { "Hjælpelinjer (beskæring, bleed, sikker afstand og fals)" }
                label { input type="radio" name="hjaelpelinjer" value="1" checked[guides]; " Vis" }
                " "
                label { input type="radio" name="hjaelpelinjer" value="0" checked[!guides]; " Skjul" }
                " "
                button type="submit" { "Opdatér visningen" }
            }
        }
        div id="korrektur" data-produkt=(product) { (content(&product, &view, guides)) }
        script src="/preview.js" {}
    };
    page(StatusCode::OK, &format!("Korrektur: {product}"), body)
}

/// `GET /preview/<product>/indhold`: the page's changing part, for the script to swap in.
pub(super) async fn fragment(
    State(app): State<Arc<App>>,
    Path(product): Path<String>,
    Query(q): Query<PreviewQuery>,
) -> Response {
    let Some(view) = view_of(&app, &product).await else { return unknown_product(&app, &product).await };
    let headers = [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")];
    (headers, content(&product, &view, q.guides()).into_string()).into_response()
}

/// The errors and warnings of the latest build, and the images of the last good proof.
fn content(product: &str, view: &View, guides: bool) -> Markup {
    let errors: Vec<&Diagnostic> = view.diags.iter().filter(|d| d.is_error()).collect();
    let warnings: Vec<&Diagnostic> = view.diags.iter().filter(|d| !d.is_error()).collect();
    let off = if guides { "" } else { "&hjaelpelinjer=0" };
    html! {
        p class="muted" role="status" { "Version " (view.version) }
        @if !errors.is_empty() {
            section class="errors" aria-labelledby="fejl" {
                h2 id="fejl" { "Fejl (" (errors.len()) ")" }
                p { "Ret fejlen i filen og gem den; siden opdateres af sig selv." }
                @for d in &errors { pre { (d.render()) } }
            }
        }
        @if !warnings.is_empty() {
            details {
                summary { "Advarsler (" (warnings.len()) ")" }
                @for d in &warnings { pre { (d.render()) } }
            }
        }
        @match &view.good {
            None => p { "Der er ingen korrektur at vise endnu: filerne kunne ikke laves." },
            Some(proof) => {
                @if view.current { h2 { "Korrektur" } }
                @else {
                    h2 { "Seneste gode korrektur" }
                    p { "Filerne kunne ikke laves efter den seneste ændring. Her er de, som de var før (version " (proof.version) ")." }
                }
                @for (i, f) in proof.files.iter().enumerate() {
                    @let label = file_label(&f.made.kind);
                    @let n = f.made.pages.len();
                    h3 { (label) " " span class="muted" { code { (f.made.kind.file_name(product)) } } }
                    ol class="pages" {
                        @for page in 1..=n {
                            li {
                                img src={ "/preview/" (product) "/side/" (i + 1) "/" (page) ".png?v=" (proof.version) (off) }
                                    alt={ (label) ", side " (page) " af " (n) }
                                    // The first pages are in view at once: lazy loading would only delay them.
                                    loading=(if i == 0 && page <= 4 { "eager" } else { "lazy" });
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /preview/<product>/side/<file>/<page>.png`: one page (both from 1) of the last good
/// proof. Cached for good when `v` names that proof's version.
pub(super) async fn page_image(
    State(app): State<Arc<App>>,
    Path((product, file, page)): Path<(String, String, String)>,
    Query(q): Query<PreviewQuery>,
) -> Response {
    let (Ok(file), Some(Ok(page))) = (file.parse::<usize>(), page.strip_suffix(".png").map(str::parse::<usize>)) else {
        return super::pages::not_found().await;
    };
    let Some(view) = view_of(&app, &product).await else { return unknown_product(&app, &product).await };
    let Some(proof) = view.good else { return super::pages::not_found().await };
    let guides = q.guides();
    let version = proof.version;
    let png = tokio::task::spawn_blocking(move || proof.page_png(file.checked_sub(1)?, page.checked_sub(1)?, guides))
        .await
        .ok()
        .flatten();
    let fresh = q.v.as_deref().and_then(|v| v.parse::<u64>().ok()) == Some(version);
    png_response(png, fresh).await
}

/// `GET /miniature/<product>.png`: the first page of the product's first file, small.
pub(super) async fn thumbnail(State(app): State<Arc<App>>, Path(file): Path<String>) -> Response {
    let Some(product) = file.strip_suffix(".png") else { return super::pages::not_found().await };
    let Some(view) = view_of(&app, product).await else { return unknown_product(&app, product).await };
    let Some(proof) = view.good else { return super::pages::not_found().await };
    let png = tokio::task::spawn_blocking(move || proof.thumb().map(Ok)).await.ok().flatten();
    png_response(png, false).await
}

/// A PNG answer; `fresh`: the address names this very version, so it may be kept.
async fn png_response(png: Option<Result<Arc<Vec<u8>>, String>>, fresh: bool) -> Response {
    match png {
        None => super::pages::not_found().await,
        Some(Err(e)) => page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Siden kunne ikke vises",
            html! { p { "Billedet kunne ikke laves: " (e) } },
        ),
        Some(Ok(bytes)) => {
            let cache = if fresh { "private, max-age=31536000, immutable" } else { "no-cache" };
            ([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, cache)], bytes.to_vec()).into_response()
        }
    }
}

/// `GET /preview/<product>/events`: a server-sent event `korrektur` (its data the new version)
/// after every rebuild of the product.
pub(super) async fn events(State(app): State<Arc<App>>, Path(product): Path<String>) -> Response {
    // Subscribed before the first build, so that no rebuild after it is missed.
    let rx = app.previews.events.subscribe();
    let Some(seen) = view_of(&app, &product).await.map(|v| v.version) else {
        return unknown_product(&app, &product).await;
    };
    let stream = futures_util::stream::unfold(rx, move |mut rx| {
        let product = product.clone();
        async move {
            loop {
                match rx.recv().await {
                    // Versions the page was made from are not news.
                    Ok((p, v)) if p == product && v > seen => {
                        return Some((
                            Ok::<_, Infallible>(Event::default().event("korrektur").data(v.to_string())),
                            rx,
                        ));
                    }
                    Ok(_) => {}
                    // Missed some: the page fetches the latest anyway.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        return Some((Ok(Event::default().event("korrektur").data("?")), rx));
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default()).into_response()
}

/// `GET /preview.js`: the little script that swaps in the new content on an event.
pub(super) async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], include_str!("preview.js"))
}
