//! `GET /filer/<path>`: files from the output folder, and nothing else. A path is a list of plain
//! names: `..`, `.`, empty parts, backslashes, NUL and hidden names (the build's staging folders)
//! are refused before the file system is asked, and the file found must still lie inside the
//! output folder once symlinks are resolved.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::{Path as UrlPath, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{App, pages};

/// Characters written as they are in `filename*=UTF-8''…` (RFC 8187 attr-char).
const ATTR_CHAR: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'!').remove(b'#').remove(b'$').remove(b'&').remove(b'+').remove(b'-').remove(b'.');
const ATTR_CHAR_MORE: &AsciiSet = &ATTR_CHAR.remove(b'^').remove(b'_').remove(b'`').remove(b'|').remove(b'~');

/// Why a download is refused.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refused {
    /// The path is not a plain relative path (400).
    BadPath,
    /// No such file in the output folder (404), also for a symlink that leads out of it.
    NotFound,
}

/// The file `rel` (as decoded from the address) names inside `out_dir`, if it may be served.
pub(super) fn resolve(out_dir: &Path, rel: &str) -> Result<PathBuf, Refused> {
    let mut path = out_dir.to_path_buf();
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains(['\\', '\0']) || part.contains(':') {
            return Err(Refused::BadPath);
        }
        if part.starts_with('.') {
            return Err(Refused::NotFound);
        }
        path.push(part);
    }
    let base = out_dir.canonicalize().map_err(|_| Refused::NotFound)?;
    let real = path.canonicalize().map_err(|_| Refused::NotFound)?;
    if !real.starts_with(&base) || !real.is_file() {
        return Err(Refused::NotFound);
    }
    Ok(real)
}

/// The Content-Type of a file the build writes, by its extension.
fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).as_deref() {
        Some("pdf") => "application/pdf",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("zip") => "application/zip",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// `attachment` with the name as ASCII (others replaced) and in full as UTF-8.
fn disposition(name: &str) -> String {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' { c } else { '_' }).collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", utf8_percent_encode(name, ATTR_CHAR_MORE))
}

/// Serves one file of the output folder.
pub(super) async fn download(State(app): State<Arc<App>>, UrlPath(rel): UrlPath<String>) -> Response {
    let found = resolve(&app.config.out_dir, &rel);
    let path = match found {
        Ok(p) => p,
        Err(Refused::BadPath) => return (StatusCode::BAD_REQUEST, pages::bad_path()).into_response(),
        Err(Refused::NotFound) => return pages::not_found().await.into_response(),
    };
    let Ok(bytes) = tokio::fs::read(&path).await else { return pages::not_found().await.into_response() };
    let name = rel.rsplit('/').next().unwrap_or(&rel);
    let kind = content_type(name);
    let mut response = ([(header::CONTENT_TYPE, kind)], bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, header::HeaderValue::from_static("nosniff"));
    // Images show in the page (proofs); everything else is a download.
    if kind != "image/png"
        && let Ok(v) = header::HeaderValue::from_str(&disposition(name))
    {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_the_disposition_are_safe_and_whole() {
        assert_eq!(
            disposition("jobcenter-folder-øst.pdf"),
            "attachment; filename=\"jobcenter-folder-_st.pdf\"; filename*=UTF-8''jobcenter-folder-%C3%B8st.pdf"
        );
    }

    #[test]
    fn types_follow_the_extension() {
        assert_eq!(content_type("a.PDF"), "application/pdf");
        assert_eq!(content_type("jobseddel.json"), "application/json");
        assert_eq!(content_type("proof/x-1.png"), "image/png");
        assert_eq!(content_type("README"), "application/octet-stream");
    }

    #[test]
    fn only_plain_names_are_looked_up() {
        let dir = tempfile::tempdir().unwrap();
        for bad in ["../x", "a/../b", "./x", "a//b", "a\\..\\b", "/etc/passwd", "c:x", ""] {
            assert_eq!(resolve(dir.path(), bad), Err(Refused::BadPath), "{bad}");
        }
        assert_eq!(resolve(dir.path(), ".tryksag-x.tmp-1/a.pdf"), Err(Refused::NotFound));
        std::fs::write(dir.path().join("a.pdf"), "x").unwrap();
        assert!(resolve(dir.path(), "a.pdf").is_ok());
    }
}
