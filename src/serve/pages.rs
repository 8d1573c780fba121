//! The pages, as server-side HTML (maud: the templates are Rust, checked when compiled, and every
//! value is escaped unless marked otherwise). Plain accessible Danish: `lang="da"`, one `h1`, a
//! skip link, tables with header cells, the one stylesheet from `/style.css`.

use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use super::App;
use crate::build::{Selection, plan};
use crate::diag::Diagnostics;
use crate::model::run::Delivery;
use crate::model::{Project, Run, load_project};

/// An HTML answer, with headers that keep the page to its own resources.
pub(super) fn page(status: StatusCode, title: &str, body: Markup) -> Response {
    let doc = html! {
        (DOCTYPE)
        html lang="da" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – tryksag" }
                link rel="stylesheet" href="/style.css";
            }
            body {
                a class="skip" href="#indhold" { "Spring til indholdet" }
                header { p { a href="/" { "tryksag" } " · tryksager til PsykInfo" } }
                main id="indhold" { h1 { (title) } (body) }
            }
        }
    };
    let headers = [
        (header::CONTENT_TYPE, "text/html; charset=utf-8"),
        (header::CONTENT_SECURITY_POLICY, "default-src 'self'; frame-ancestors 'none'"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
    ];
    (status, headers, doc.into_string()).into_response()
}

/// 401: the token is missing or wrong.
pub(super) fn unauthorized() -> Response {
    page(
        StatusCode::UNAUTHORIZED,
        "Adgang kræver en nøgle",
        html! {
            p { "Denne side kan kun åbnes med den adgangsnøgle, som tryksag skrev, da den blev startet." }
            p { "Brug hele adressen med nøglen (den slutter med " code { "?token=…" } "), eller spørg den, der startede tryksag." }
        },
    )
}

/// 403: a form sent from another web site (see `auth::same_origin`).
pub(super) fn cross_site() -> Response {
    page(
        StatusCode::FORBIDDEN,
        "Formularen kom fra en anden side",
        html! {
            p { "tryksag tager kun imod bestillinger og ændringer, der er sendt fra tryksags egne sider. Denne kom fra en anden hjemmeside, så intet er ændret." }
            p { "Åbn " a href="/" { "forsiden" } ", og udfyld formularen dér." }
        },
    )
}

/// 400: a download address that is not a plain file name in the output folder.
pub(super) fn bad_path() -> Response {
    page(
        StatusCode::BAD_REQUEST,
        "Ugyldig filadresse",
        html! { p { "Filer kan kun hentes fra mappen med færdige filer, med navnet som det står på " a href="/" { "forsiden" } "." } },
    )
}

/// 404 for every address that names nothing.
pub(super) async fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Siden findes ikke",
        html! { p { "Der er ingen side eller fil med den adresse. Gå til " a href="/" { "forsiden" } "." } },
    )
}

/// `GET /`: the products, the regions and the recent print runs; or, when the project does not
/// load, its errors as the command line shows them. The project is read again on every visit.
pub(super) async fn start(State(app): State<Arc<App>>) -> Response {
    let app2 = app.clone();
    let body = tokio::task::spawn_blocking(move || {
        let (root, out) = (&app2.config.root, &app2.config.out_dir);
        let (project, diags) = load_project(root);
        start_body(project.as_ref(), &diags, root, out)
    })
    .await;
    match body {
        Ok(body) => page(StatusCode::OK, "Tryksager", body),
        Err(_) => page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Noget gik galt",
            html! { p { "Projektet kunne ikke læses. Prøv at genindlæse siden." } },
        ),
    }
}

/// The start page's content.
fn start_body(project: Option<&Project>, diags: &Diagnostics, root: &Path, out: &Path) -> Markup {
    let errors = diags.error_count();
    html! {
        @if errors > 0 || project.is_none() {
            section class="errors" aria-labelledby="fejl" {
                h2 id="fejl" { "Projektet har fejl" }
                p { "Ret disse fejl i filerne, og genindlæs så siden. Produkter med fejl kan ikke laves." }
                (findings_list(&diags.0))
            }
        }
        @if let Some(p) = project {
            p { a href="/bestil" id="ny-trykordre" { "Ny trykordre" } " – vælg region, produkter og antal, se korrekturen, og godkend." }
            (products(p, out))
            (regions(p))
            (runs(p, root, out))
        }
    }
}

/// Diagnostics as a list staff can read: errors (`li.fejl`) and warnings (`li.advarsel`), each
/// with its Danish headline, where it is, what to do, and the technical message folded away.
pub(super) fn findings_list(diags: &[crate::diag::Diagnostic]) -> Markup {
    html! {
        ul class="findings" {
            @for d in diags {
                @let f = super::findings::finding(d);
                li class=(if f.blocks { "fejl" } else { "advarsel" }) {
                    strong { (if f.blocks { "Fejl: " } else { "Advarsel: " }) } (f.headline)
                    @if let Some(p) = &f.place { br; span class="muted" { "Hvor: " (p) } }
                    @if let Some(a) = &f.advice { br; (a) }
                    details { summary { "Teknisk besked" } pre { (f.detail) } }
                }
            }
        }
    }
}

/// A link to a file in the output folder when it is there, else its name and "not made yet".
fn file_link(out: &Path, rel: &str) -> Markup {
    let exists = out.join(rel).is_file();
    html! {
        @if exists { a href={ "/filer/" (rel) } { (rel) } }
        @else { (rel) " " span class="muted" { "(ikke lavet endnu)" } }
    }
}

/// Every product with the files its default outputs are (from the plan the build carries out).
fn products(p: &Project, out: &Path) -> Markup {
    let plan = plan(p, &Selection { no_runs: true, ..Selection::default() });
    html! {
        h2 { "Produkter" }
        @if plan.jobs.is_empty() { p { "Projektet har ingen produkter endnu." } }
        @for job in &plan.jobs {
            @let (kind, title) = match job.product {
                crate::build::Product::Deck(d) => (format!("Dialogkort, {} kort", d.cards.len()), d.title.as_str()),
                crate::build::Product::Leaflet(l) => ("Folder".to_string(), l.title.as_str()),
                crate::build::Product::Booklet(b) => ("Hæfte".to_string(), b.title.as_str()),
            };
            h3 { (title) }
            img class="miniature" src={ "/miniature/" (job.product_name()) ".png" } alt={ "Første side af " (title) } width="120";
            p class="muted" { (kind) " · " code { (job.product_name()) } " · "
                a href={ "/preview/" (job.product_name()) } { "Korrektur, der opdateres ved hver ændring" } }
            ul class="files" { @for f in &job.files { li { (file_link(out, &f.name)) } } }
        }
    }
}

/// The regions and whether their contact data is verified.
fn regions(p: &Project) -> Markup {
    html! {
        h2 { "Regioner" }
        @if p.regions.is_empty() { p { "Der er ingen regioner i decks/regions.json." } }
        @else {
            @let rows: Vec<(String, String, bool)> = p.regions.iter().map(|r| (r.id.clone(), r.name.clone(), r.sample)).collect();
            (super::regions::table(&rows))
        }
    }
}

/// The print runs, newest run file first, each with its job ticket when it has been built.
fn runs(p: &Project, root: &Path, out: &Path) -> Markup {
    let changed = |r: &Run| {
        std::fs::metadata(root.join("layouts/runs").join(format!("{}.json", r.name)))
            .and_then(|m| m.modified())
            .unwrap_or(SystemTime::UNIX_EPOCH)
    };
    let mut runs: Vec<&Run> = p.runs.iter().collect();
    runs.sort_by(|a, b| changed(b).cmp(&changed(a)).then_with(|| a.name.cmp(&b.name)));
    let region = |id: &str| p.regions.iter().find(|r| r.id == id).map_or(id.to_string(), |r| r.name.clone());
    html! {
        h2 { "Trykordrer" }
        @if runs.is_empty() { p { "Der er ingen trykordrer i layouts/runs/ endnu." } }
        @else {
            table {
                thead { tr {
                    th scope="col" { "Ordre" } th scope="col" { "Region" } th scope="col" { "Levering" }
                    th scope="col" { "Produkter" } th scope="col" { "Jobseddel" }
                } }
                tbody {
                    @for r in &runs {
                        tr {
                            td { a href={ "/ordre/" (r.name) } { code { (r.name) } } @if let Some(d) = &r.description { br; (d) } }
                            td { (region(&r.region)) }
                            td { @match r.delivery { Delivery::PrintShop => "Trykkeri", Delivery::Office => "Kontorprinter" } }
                            td { ul class="files" { @for rp in &r.products { li { (rp.quantity) " × " (rp.product) } } } }
                            td {
                                @let ticket = format!("{}/jobseddel.pdf", r.folder);
                                @if out.join(&ticket).is_file() { a href={ "/filer/" (ticket) } { "Jobseddel (PDF)" } }
                                @else { span class="muted" { "Ikke lavet endnu" } }
                            }
                        }
                    }
                }
            }
        }
    }
}
