//! Putting finished files in place: every product and run is written into its own staging
//! folder and moved into the output folder only when complete, each file by a rename, so no
//! reader ever sees half a product or a ticket that lists files that are not there.

use std::path::{Path, PathBuf};

use super::Written;
use super::ticket::TicketFiles;
use crate::files::{self, Temp, WriteError, write_atomic};
use crate::model::Run;

/// Why finished files could not be put in place. Display gives the message users see.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    /// A staged file could not be written.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A staged file could not be moved to its place.
    #[error("cannot write {}: {source}", .to.display())]
    Move {
        /// Where it was to go.
        to: PathBuf,
        /// Why not.
        source: std::io::Error,
    },
    /// The run's folder could not be created.
    #[error("cannot create {}: {source}", .dir.display())]
    Folder {
        /// The folder.
        dir: PathBuf,
        /// Why not.
        source: std::io::Error,
    },
    /// The old job ticket could not be removed.
    #[error("cannot replace {}: {source}", .path.display())]
    Replace {
        /// The old ticket file.
        path: PathBuf,
        /// Why not.
        source: std::io::Error,
    },
}

/// The staging folder of a product or run (`kind` is `""` or `"run-"`), when writing: registered
/// for removal on a stop, removed when dropped unless moved into place.
pub(super) fn staging(out_dir: &Path, kind: &str, name: &str) -> Temp {
    Temp::new(out_dir.join(format!(".tryksag-{kind}{}.tmp-{}", flat(name), std::process::id())))
}

/// A name that is safe as one path component of a staging folder.
fn flat(name: &str) -> String {
    name.chars().map(|c| if c == '/' || c == '\\' || c.is_control() { '_' } else { c }).collect()
}

/// Moves a product's staged files into `dest` (each by a rename, so each file is whole) and
/// returns them with their final paths.
pub(super) fn commit_files(stage: &Path, dest: &Path, files: Vec<Written>) -> Result<Vec<Written>, CommitError> {
    files::uninterrupted(|| {
        let mut done = Vec::new();
        for mut w in files {
            let name = w.path.file_name().map(PathBuf::from).unwrap_or_default();
            let to = dest.join(&name);
            std::fs::rename(stage.join(&name), &to).map_err(|source| CommitError::Move { to: to.clone(), source })?;
            w.path = to;
            done.push(w);
        }
        Ok(done)
    })
}

/// Files named in the job ticket at `dir` (plain file names only): the printed ones and the
/// download versions (what the web app offers as the run's files).
#[must_use]
pub fn ticketed(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("jobseddel.json")) else { return Vec::new() };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else { return Vec::new() };
    let list = |key: &str| v.get(key).and_then(|i| i.as_array()).cloned().unwrap_or_default();
    let items = [list("items"), list("downloads")].concat();
    items
        .iter()
        .filter_map(|i| i.get("file")?.as_str().map(str::to_string))
        .filter(|f| !f.is_empty() && !f.starts_with('.') && Path::new(f).file_name() == Some(std::ffi::OsStr::new(f)))
        .collect()
}

/// Writes the ticket into the run's staging folder, then moves the run into `dest`: the old
/// ticket goes first, then the new files replace the old ones, files the old ticket listed that
/// the run no longer makes are removed, and the new ticket comes last. So a ticket in `dest`
/// always lists exactly the run's files beside it, even if the machine stops half-way.
pub(super) fn commit_run(
    r: &Run,
    stage: &Path,
    dest: &Path,
    files: Vec<Written>,
    ticket: TicketFiles,
) -> Result<Vec<Written>, CommitError> {
    let ticket_row = |path: PathBuf, pages| Written {
        path,
        pages,
        sheets: None,
        product: format!("{} jobseddel", r.name),
        warnings: 0,
        millis: 0,
    };
    write_atomic(&stage.join("jobseddel.pdf"), &ticket.pdf)?;
    write_atomic(&stage.join("jobseddel.json"), ticket.json.as_bytes())?;
    files::uninterrupted(|| {
        std::fs::create_dir_all(dest).map_err(|source| CommitError::Folder { dir: dest.to_path_buf(), source })?;
        let old = ticketed(dest);
        for t in ["jobseddel.json", "jobseddel.pdf"] {
            match std::fs::remove_file(dest.join(t)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(CommitError::Replace { path: dest.join(t), source: e });
                }
                _ => {}
            }
        }
        let mut written = commit_files(stage, dest, files)?;
        for f in old {
            if !written.iter().any(|w| w.path.file_name() == Some(std::ffi::OsStr::new(&f))) {
                let _ = std::fs::remove_file(dest.join(&f));
            }
        }
        let tickets = vec![ticket_row(stage.join("jobseddel.json"), 0), ticket_row(stage.join("jobseddel.pdf"), 1)];
        // The PDF first: the JSON, which scripts read, appears last.
        let mut rows = commit_files(stage, dest, tickets.into_iter().rev().collect())?;
        rows.reverse();
        written.extend(rows);
        Ok(written)
    })
}
