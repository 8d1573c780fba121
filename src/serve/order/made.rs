//! A made order: `GET /ordre/<name>` lists the run's files (as its job ticket names them) and
//! `GET /ordre/<name>.zip` hands them over in one zip.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::html;

use super::something_went_wrong;
use crate::build::ticketed;
use crate::serve::App;
use crate::serve::pages::page;

/// The job ticket's files, written beside the products.
const TICKET: [&str; 2] = ["jobseddel.json", "jobseddel.pdf"];

/// A run named in an address: its name is a plain file stem, its file exists, and its folder
/// (the run's `folder`, or its name) is one plain name in the output folder.
fn run_folder(root: &Path, name: &str) -> Option<String> {
    let plain = |s: &str| {
        !s.is_empty()
            && s.len() <= 100
            && !s.starts_with('.')
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    if !plain(name) {
        return None;
    }
    let text = std::fs::read_to_string(root.join("layouts/runs").join(format!("{name}.json"))).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    let folder = v.get("folder").and_then(|f| f.as_str()).unwrap_or(name).to_string();
    plain(&folder).then_some(folder)
}

/// The run's files in `dir`: what its ticket names, and the ticket, sorted; only regular files
/// (a link is not offered). Empty when the run has not been made.
fn run_files(dir: &Path) -> Vec<(String, u64)> {
    if !dir.join(TICKET[0]).is_file() {
        return Vec::new();
    }
    let mut names = ticketed(dir);
    names.extend(TICKET.iter().map(|t| t.to_string()));
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|n| {
            let m = std::fs::symlink_metadata(dir.join(&n)).ok().filter(std::fs::Metadata::is_file)?;
            Some((n, m.len()))
        })
        .collect()
}

/// A size as people read it.
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)).replace('.', ","),
        b if b >= 1024 => format!("{} kB", b.div_ceil(1024)),
        b => format!("{b} byte"),
    }
}

fn unknown_order() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Trykordren findes ikke",
        html! { p { "Der er ingen trykordre med det navn. Se trykordrerne på " a href="/" { "forsiden" } "." } },
    )
}

/// `GET /ordre/<name>` (the files) and `GET /ordre/<name>.zip` (all of them in one zip).
pub(in crate::serve) async fn order_files(State(app): State<Arc<App>>, UrlPath(name): UrlPath<String>) -> Response {
    let (name, zip) = match name.strip_suffix(".zip") {
        Some(n) => (n.to_string(), true),
        None => (name, false),
    };
    let (root, out) = (app.config.root.clone(), app.config.out_dir.clone());
    let found = tokio::task::spawn_blocking(move || {
        let folder = run_folder(&root, &name)?;
        let dir = out.join(&folder);
        let files = run_files(&dir);
        if zip {
            (!files.is_empty()).then(|| zip_of(&dir, &files).map(|z| Shown::Zip(folder, z)))
        } else {
            Some(Ok(Shown::Page(name, folder, files)))
        }
    })
    .await;
    match found {
        Ok(Some(Ok(Shown::Page(name, folder, files)))) => files_page(&name, &folder, &files),
        Ok(Some(Ok(Shown::Zip(folder, bytes)))) => (
            [
                (header::CONTENT_TYPE, "application/zip".to_string()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{folder}.zip\"")),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => unknown_order(),
        Ok(Some(Err(_))) | Err(_) => something_went_wrong(),
    }
}

enum Shown {
    Page(String, String, Vec<(String, u64)>),
    Zip(String, Vec<u8>),
}

/// The order's page: every file with its size, the job ticket, the zip.
fn files_page(name: &str, folder: &str, files: &[(String, u64)]) -> Response {
    let body = html! {
        @if files.is_empty() {
            p { "Filerne til denne trykordre er ikke lavet endnu." }
        } @else {
            p { "Filerne er lavet. Send dem (eller zip-filen) til trykkeriet sammen med jobsedlen, eller print dem på kontoret." }
            p { a id="zip" href={ "/ordre/" (name) ".zip" } { "Hent alle filer som zip" } }
            h2 { "Jobseddel" }
            p { a href={ "/filer/" (folder) "/jobseddel.pdf" } { "Jobseddel (PDF)" } " · "
                a href={ "/filer/" (folder) "/jobseddel.json" } { "til programmer (JSON)" } }
            h2 { "Filer" }
            table {
                thead { tr { th scope="col" { "Fil" } th scope="col" { "Størrelse" } } }
                tbody {
                    @for (f, len) in files {
                        tr { td { a href={ "/filer/" (folder) "/" (f) } { (f) } } td { (size(*len)) } }
                    }
                }
            }
        }
        p { "Ordren ligger i " code { "layouts/runs/" (name) ".json" } " og kan laves igen med " code { "tryksag build --run " (name) } "." }
    };
    page(StatusCode::OK, &format!("Trykordre {name}"), body)
}

/// A zip of `files` in `dir`: deflated, in name order, every entry dated 1980-01-01 (the zip
/// format's first day), so the same files always give the same zip.
fn zip_of(dir: &Path, files: &[(String, u64)]) -> std::io::Result<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, _) in files {
        let path: PathBuf = dir.join(name);
        let bytes = std::fs::read(&path)?;
        z.start_file(name.as_str(), opts).map_err(std::io::Error::other)?;
        z.write_all(&bytes)?;
    }
    Ok(z.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_in_danish() {
        assert_eq!(size(12), "12 byte");
        assert_eq!(size(2048), "2 kB");
        assert_eq!(size(3 * 1024 * 1024 + 512 * 1024), "3,5 MB");
    }

    #[test]
    fn run_names_and_folders_are_plain() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("layouts/runs")).unwrap();
        std::fs::write(dir.path().join("layouts/runs/a.json"), r#"{"folder": "../x"}"#).unwrap();
        std::fs::write(dir.path().join("layouts/runs/b.json"), r#"{"folder": "b-out"}"#).unwrap();
        std::fs::write(dir.path().join("layouts/runs/c.json"), r#"{}"#).unwrap();
        assert_eq!(run_folder(dir.path(), "a"), None);
        assert_eq!(run_folder(dir.path(), "b").as_deref(), Some("b-out"));
        assert_eq!(run_folder(dir.path(), "c").as_deref(), Some("c"));
        assert_eq!(run_folder(dir.path(), "../c"), None);
        assert_eq!(run_folder(dir.path(), "d"), None);
    }
}
