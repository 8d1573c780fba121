//! An order before it is approved: built in memory as the run it will be (the draft run of
//! [`BuildOptions::draft`]), kept for a while under a random id, shown page by page
//! (`GET /bestil/<id>`, its PNGs), and approved (`POST /bestil/<id>/godkend`): then, and only
//! then, the run file is written and the run built for real.

use std::collections::VecDeque;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

use super::{Order, delivery_name, run_text, something_went_wrong};
use crate::build::{BuildOptions, Made, build, write_new};
use crate::diag::Diagnostic;
use crate::model::DraftRun;
use crate::proof::{ProofOptions, encode_png, render};
use crate::serve::App;
use crate::serve::pages::{findings_list, page};

/// How many drafts are kept; an older one's id then answers "expired".
pub const KEPT_DRAFTS: usize = 16;

/// The proof images' resolution.
const PROOF_DPI: f32 = 100.0;

/// An order built in memory.
pub(in crate::serve) struct Draft {
    order: Order,
    /// The run file it becomes.
    text: String,
    /// What the build found, errors first.
    diags: Vec<Diagnostic>,
    /// The run's files, in plan order.
    files: Vec<Made>,
    /// Per file, its pages as PNGs without and with guides, made on first request.
    pngs: Vec<[Rendered; 2]>,
    /// Whether it was approved (approving twice builds once).
    approval: Mutex<Approval>,
}

/// A file's pages as PNGs once rendered, or why they could not be.
type Rendered = OnceLock<Result<Vec<Bytes>, String>>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Approval {
    Open,
    Making,
    Made,
}

impl Draft {
    /// Builds `order` as the run it will be, in memory (nothing is written).
    pub(in crate::serve) fn build(order: Order, root: &Path, out: &Path) -> Draft {
        let text = run_text(&order);
        let opts = BuildOptions {
            out_dir: out.to_path_buf(),
            write: false,
            keep: true,
            runs: vec![order.name.clone()],
            draft: Some(DraftRun { name: order.name.clone(), text: text.clone() }),
            ..BuildOptions::new(root)
        };
        let mut report = build(&opts);
        // Sample contact data stops a print-shop order, but staff should still see what it would
        // print: the proof is then built as `--allow-sample-data` would, and the error is kept.
        let only_sample = |d: &Diagnostic| !d.is_error() || d.topic == crate::diag::Topic::SampleData;
        if report.made.is_empty() && report.diags.has_errors() && report.diags.0.iter().all(only_sample) {
            let shown = build(&BuildOptions { allow_sample_data: true, ..opts });
            let errors = report.diags.0.into_iter().filter(Diagnostic::is_error);
            let rest = shown.diags.0.into_iter().filter(|d| d.topic != crate::diag::Topic::SampleData);
            report =
                crate::build::BuildReport { diags: crate::diag::Diagnostics(errors.chain(rest).collect()), ..shown };
        }
        let pngs = report.made.iter().map(|_| [OnceLock::new(), OnceLock::new()]).collect();
        Draft { order, text, diags: report.diags.0, files: report.made, pngs, approval: Mutex::new(Approval::Open) }
    }

    fn blocked(&self) -> bool {
        self.diags.iter().any(Diagnostic::is_error) || self.files.is_empty()
    }

    fn file_name(&self, i: usize) -> String {
        self.files[i].kind.file_name(&self.files[i].product)
    }

    fn approval(&self) -> std::sync::MutexGuard<'_, Approval> {
        self.approval.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The drafts, newest last, at most [`KEPT_DRAFTS`].
#[derive(Default)]
pub(in crate::serve) struct Drafts(Mutex<VecDeque<(String, Arc<Draft>)>>);

impl Drafts {
    /// Keeps `d` under a new random id (dropping the oldest beyond [`KEPT_DRAFTS`]).
    pub(in crate::serve) fn insert(&self, d: Draft) -> String {
        let mut bytes = [0u8; 12];
        // Without the system's random numbers, a clock-and-count id still tells drafts apart.
        if getrandom::fill(&mut bytes).is_err() {
            let t = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
            bytes[..8].copy_from_slice(&(t.as_nanos() as u64).to_le_bytes());
        }
        let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut all = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        all.push_back((id.clone(), Arc::new(d)));
        while all.len() > KEPT_DRAFTS {
            all.pop_front();
        }
        id
    }

    fn get(&self, id: &str) -> Option<Arc<Draft>> {
        let all = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        all.iter().find(|(i, _)| i == id).map(|(_, d)| d.clone())
    }
}

/// 404 for a draft id that is not (or no longer) kept.
fn expired() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Bestillingen er udløbet",
        html! {
            p { "Bestillingen findes ikke længere. tryksag gemmer kun de " (KEPT_DRAFTS) " nyeste bestillinger, og kun mens den kører." }
            p { a href="/bestil" { "Lav bestillingen igen" } "." }
        },
    )
}

/// Whether the query asks for guides (`hjaelpelinjer=1`).
fn wants_guides(query: Option<&str>) -> bool {
    query.is_some_and(|q| form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "hjaelpelinjer" && v == "1"))
}

/// `GET /bestil/<id>`: the proof of exactly what will be printed, the findings, and the approval.
pub(in crate::serve) async fn proof(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(d) = app.orders.get(&id) else { return expired() };
    let guides = wants_guides(query.as_deref());
    let suffix = if guides { "?hjaelpelinjer=1" } else { "" };
    let o = &d.order;
    let body = html! {
        h2 { "Ordren" }
        dl class="ordre" {
            dt { "Navn" } dd { code { (o.name) } }
            dt { "Region" } dd { (o.region_name) " " span class="muted" { "(" code { (o.region) } ")" } }
            dt { "Levering" } dd { (delivery_name(o.delivery)) }
            dt { "Produkter" } dd { ul class="files" { @for l in &o.products { li { (l.quantity) " × " code { (l.product) } @if let Some(s) = &l.sheet { " på " (s) "-ark" } } } } }
            dt { "Papir" } dd { (o.paper.as_deref().unwrap_or("ikke angivet")) }
            @if o.allow_sample_data { dt { "Eksempeldata" } dd { "Tilladt (kun til prøvetryk)" } }
        }
        section id="advarsler" aria-labelledby="advarsler-titel" {
            h2 id="advarsler-titel" { "Advarsler og fejl" }
            @if d.diags.is_empty() { p { "Ingen. Alt, tryksag kan kontrollere, er i orden." } }
            @else { (findings_list(&d.diags)) }
        }
        @if d.blocked() {
            section class="errors" {
                h2 { "Ordren kan ikke godkendes" }
                p { "Der er fejl, som skal rettes først. Ret dem (eller bed den, der passer projektets filer, om hjælp), og "
                    a href="/bestil" { "lav så bestillingen igen" } "." }
            }
        } @else {
            form method="post" action={ "/bestil/" (id) "/godkend" } {
                p { button type="submit" id="godkend" { "Godkend og lav filerne" } }
            }
        }
        h2 { "Korrektur" }
        form method="get" action={ "/bestil/" (id) } {
            p {
                input type="checkbox" name="hjaelpelinjer" value="1" id="hjaelpelinjer" checked[guides] aria-describedby="hjaelpelinjer-hjaelp";
                " " label for="hjaelpelinjer" { "Vis hjælpelinjer" } " "
                button type="submit" { "Opdater korrekturen" }
                br; span class="muted" id="hjaelpelinjer-hjaelp" { "Skæring: hel linje. Beskæring (bleed): stiplet. Sikker zone: prikket. Fals: streg-prik." }
            }
        }
        @for (f, made) in d.files.iter().enumerate() {
            @let name = d.file_name(f);
            h3 { (name) }
            @for p in 1..=made.pages.len() {
                p { img class="korrektur" src={ "/bestil/" (id) "/side/" (f) "/" (p) ".png" (suffix) } alt={ (name) ", side " (p) }; }
            }
        }
    };
    page(StatusCode::OK, "Korrektur", body)
}

/// `GET /bestil/<id>/side/<file>/<page>.png[?hjaelpelinjer=1]`: one page (from 1) of one file
/// (from 0) of the draft, at 100 dpi; a file's pages are rendered on the first request and kept.
pub(in crate::serve) async fn page_png(
    State(app): State<Arc<App>>,
    UrlPath((id, file, page_name)): UrlPath<(String, usize, String)>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(d) = app.orders.get(&id) else { return expired() };
    let number = page_name.strip_suffix(".png").and_then(|n| n.parse::<usize>().ok());
    let Some(pages) = d.files.get(file).map(|m| m.pages.len()) else { return super::super::pages::not_found().await };
    let Some(number) = number.filter(|n| (1..=pages).contains(n)) else {
        return super::super::pages::not_found().await;
    };
    let guides = wants_guides(query.as_deref());
    let rendered = tokio::task::spawn_blocking(move || {
        let pngs = d.pngs[file][usize::from(guides)].get_or_init(|| {
            let imgs = render(&d.files[file], &ProofOptions { dpi: PROOF_DPI, overlays: guides })
                .map_err(|e| e.to_string())?;
            imgs.iter().map(|(w, h, px)| encode_png(*w, *h, px).map(Bytes::from).map_err(|e| e.to_string())).collect()
        });
        pngs.as_ref().map(|p| p[number - 1].clone()).map_err(Clone::clone)
    })
    .await;
    match rendered {
        Ok(Ok(png)) => ([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "private, max-age=3600")], png)
            .into_response(),
        Ok(Err(e)) => page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Siden kunne ikke vises",
            html! { p { "Korrekturen af denne side kunne ikke laves." } pre { (e) } },
        ),
        Err(_) => something_went_wrong(),
    }
}

/// Why an approval made nothing.
enum Refused {
    /// The name was taken since the form was sent.
    Taken,
    /// The run file could not be written.
    Write(String),
    /// The build failed (the run file was removed again).
    Build(Vec<Diagnostic>),
}

/// `POST /bestil/<id>/godkend`: writes `layouts/runs/<name>.json` (never over another file),
/// builds the run for real and sends the browser to its files. A second approval of the same
/// draft builds nothing and links to the order.
pub(in crate::serve) async fn approve(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>) -> Response {
    let Some(d) = app.orders.get(&id) else { return expired() };
    let name = d.order.name.clone();
    if d.blocked() {
        return page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Ordren kan ikke godkendes",
            html! { p { "Korrekturen har fejl. " a href={ "/bestil/" (id) } { "Se fejlene" } "." } },
        );
    }
    {
        let mut state = d.approval();
        match *state {
            Approval::Open => *state = Approval::Making,
            Approval::Making | Approval::Made => return already(&name, *state == Approval::Made),
        }
    }
    let (root, out) = (app.config.root.clone(), app.config.out_dir.clone());
    let d2 = d.clone();
    let result = tokio::task::spawn_blocking(move || make(&d2, &root, &out)).await;
    let outcome = match result {
        Ok(Ok(())) => {
            *d.approval() = Approval::Made;
            return Redirect::to(&format!("/ordre/{name}")).into_response();
        }
        Ok(Err(refused)) => refused,
        Err(_) => Refused::Write("byggeriet stoppede uventet".into()),
    };
    *d.approval() = Approval::Open;
    match outcome {
        Refused::Taken => page(
            StatusCode::CONFLICT,
            "Navnet er taget",
            html! {
                p { "En anden trykordre hedder nu også " code { (name) } ", så denne blev ikke lavet, og intet blev overskrevet." }
                p { a href="/bestil" { "Lav bestillingen igen" } " med et andet navn." }
            },
        ),
        Refused::Write(e) => page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Ordren kunne ikke gemmes",
            html! { p { "Ordrefilen kunne ikke skrives, så intet blev lavet." } pre { (e) } },
        ),
        Refused::Build(diags) => page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Filerne kunne ikke laves",
            html! {
                p { "Ordren blev ikke gemt, og ingen filer blev lavet. Ret fejlene, og " a href="/bestil" { "bestil igen" } "." }
                (findings_list(&diags))
            },
        ),
    }
}

/// The page for a draft that is approved already (or being made).
fn already(name: &str, made: bool) -> Response {
    page(
        StatusCode::OK,
        if made { "Ordren er allerede lavet" } else { "Ordren er ved at blive lavet" },
        html! { p { "Den er godkendt. Filerne findes under " a href={ "/ordre/" (name) } { "trykordren " (name) } "." } },
    )
}

/// Writes the run file (create-new) and builds the run; removes the file again if the build
/// did not put the run's files in place.
fn make(d: &Draft, root: &Path, out: &Path) -> Result<(), Refused> {
    let name = &d.order.name;
    let file = root.join("layouts/runs").join(format!("{name}.json"));
    if std::fs::symlink_metadata(out.join(name)).is_ok() {
        return Err(Refused::Taken);
    }
    match write_new(&file, d.text.as_bytes()) {
        Ok(()) => {}
        Err(e) if e.io().kind() == std::io::ErrorKind::AlreadyExists => return Err(Refused::Taken),
        Err(e) => return Err(Refused::Write(e.to_string())),
    }
    // The output folder exists before the build: a build that made it removes it again when it
    // is empty, which could race with another order's build creating its staging folder in it.
    if let Err(e) = std::fs::create_dir_all(out) {
        let _ = std::fs::remove_file(&file);
        return Err(Refused::Write(format!("cannot create {}: {e}", out.display())));
    }
    let opts = BuildOptions { out_dir: out.to_path_buf(), runs: vec![name.clone()], ..BuildOptions::new(root) };
    let report = build(&opts);
    let ticket = out.join(name).join("jobseddel.json");
    if report.written.iter().any(|w| w.path == ticket) {
        return Ok(());
    }
    let _ = std::fs::remove_file(&file);
    let mut diags: Vec<Diagnostic> = report.diags.0.into_iter().filter(Diagnostic::is_error).collect();
    if diags.is_empty() {
        diags.push(Diagnostic::error(format!("run `{name}` was not written")));
    }
    Err(Refused::Build(diags))
}
