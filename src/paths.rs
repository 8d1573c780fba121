//! Paths written in project files: inputs must resolve inside the project folder, output names
//! must stay inside the output folder.
//!
//! Input paths are checked twice: as written (absolute paths and `..` that climbs out are
//! refused before touching the disk) and after following symlinks (both the project root and the
//! file are canonicalized, so a link pointing elsewhere is refused too). Only regular files are
//! read, and only up to a size limit, so a path naming a FIFO, a device or a huge file cannot
//! hang a build or exhaust memory.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Why an input path was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    /// The path as written, quoted and shortened for messages.
    pub path: String,
    /// What is wrong with it, e.g. "leaves the project folder" (to follow the path).
    pub message: String,
    /// How to fix it.
    pub hint: &'static str,
}

const RELATIVE_HINT: &str =
    "write the path relative to the project folder (e.g. images/foto.jpg) and keep the file inside the project";
const LINK_HINT: &str = "copy the file into the project folder instead of linking to a file elsewhere";

impl PathError {
    fn new(rel: &str, message: String, hint: &'static str) -> PathError {
        PathError { path: shown(rel), message, hint }
    }

    /// "`noun` `path` problem", e.g. "image `../a.png` leaves the project folder".
    pub fn describe(&self, noun: &str) -> String {
        format!("{noun} {} {}", self.path, self.message)
    }
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.path, self.message)
    }
}

/// Checks a path as written in a project file, without touching the disk: it must be relative,
/// use `/` between folders and not climb out of the project with `..`.
pub fn check_relative(rel: &str) -> Result<(), PathError> {
    if rel.trim().is_empty() {
        return Err(PathError::new(rel, "is empty".into(), RELATIVE_HINT));
    }
    if rel.chars().any(char::is_control) {
        return Err(PathError::new(rel, "contains a control character".into(), RELATIVE_HINT));
    }
    let b = rel.as_bytes();
    let drive = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
    if Path::new(rel).has_root() || rel.starts_with('\\') || drive {
        return Err(PathError::new(rel, "is an absolute path".into(), RELATIVE_HINT));
    }
    if rel.contains('\\') {
        return Err(PathError::new(rel, "contains `\\`".into(), "separate folders with `/`, e.g. images/foto.jpg"));
    }
    let mut depth = 0usize;
    for c in Path::new(rel).components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir if depth == 0 => {
                return Err(PathError::new(rel, "leaves the project folder".into(), RELATIVE_HINT));
            }
            Component::ParentDir => depth -= 1,
            Component::RootDir | Component::Prefix(_) => {
                return Err(PathError::new(rel, "is an absolute path".into(), RELATIVE_HINT));
            }
        }
    }
    Ok(())
}

/// `rel` in backticks, shortened (a message never echoes a long input).
fn shown(rel: &str) -> String {
    const MAX: usize = 80;
    // Control characters are escaped so that a message cannot rewrite the terminal.
    let s: String = rel
        .chars()
        .take(MAX)
        .map(|c| if c.is_control() { c.escape_debug().to_string() } else { c.to_string() })
        .collect();
    if rel.chars().count() > MAX { format!("`{s}…`") } else { format!("`{s}`") }
}

/// Resolves `path` (already joined to the root, or found by listing a project folder) to its
/// canonical form, which must lie inside `root` and be a regular file.
pub fn inside_root(root: &Path, path: &Path, rel: &str) -> Result<PathBuf, PathError> {
    let root = root.canonicalize().map_err(|e| {
        PathError::new(
            rel,
            format!("cannot be read: the project folder cannot be opened ({})", io_reason(&e)),
            "check --root",
        )
    })?;
    let real = path.canonicalize().map_err(|e| {
        PathError::new(
            rel,
            format!("cannot be read: {}", io_reason(&e)),
            "check the spelling; paths are relative to the project folder",
        )
    })?;
    if !real.starts_with(&root) {
        return Err(PathError::new(rel, "is a link to a file outside the project folder".into(), LINK_HINT));
    }
    let meta = std::fs::metadata(&real)
        .map_err(|e| PathError::new(rel, format!("cannot be read: {}", io_reason(&e)), RELATIVE_HINT))?;
    if !meta.is_file() {
        let what = if meta.is_dir() { "a folder, not a file" } else { "not a regular file (a device or pipe)" };
        return Err(PathError::new(rel, format!("is {what}"), "name a file"));
    }
    Ok(real)
}

/// Checks `rel` (a path written in a project file) and resolves it inside `root`.
pub fn resolve_input(root: &Path, rel: &str) -> Result<PathBuf, PathError> {
    check_relative(rel)?;
    inside_root(root, &root.join(rel), rel)
}

/// Reads a file found at a checked, canonical path, refusing files larger than `max` bytes.
pub fn read_limited(real: &Path, rel: &str, max: u64) -> Result<Vec<u8>, PathError> {
    let fail = |e: std::io::Error| {
        PathError::new(rel, format!("cannot be read: {}", io_reason(&e)), "check the file's permissions")
    };
    let f = std::fs::File::open(real).map_err(fail)?;
    let mut bytes = Vec::new();
    // One byte more than allowed tells "too large" apart from "exactly the limit".
    f.take(max + 1).read_to_end(&mut bytes).map_err(fail)?;
    if bytes.len() as u64 > max {
        return Err(PathError::new(
            rel,
            format!("is larger than {} MB", max / 1_000_000),
            "use a smaller file; print needs no more than 300 ppi at the printed size",
        ));
    }
    Ok(bytes)
}

/// A relative path as written, compared by what it names: without `.` and with each `..` taking
/// away the folder before it (`decks/./data/../kort.csv` → `decks/kort.csv`). Nothing is read
/// from the disk; a `..` that would climb out is kept (such a path is refused elsewhere).
pub fn lexical(rel: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// [`resolve_input`] and [`read_limited`] together.
pub fn read_input(root: &Path, rel: &str, max: u64) -> Result<Vec<u8>, PathError> {
    read_limited(&resolve_input(root, rel)?, rel, max)
}

/// An I/O error as a short lower-case reason ("no such file or directory").
pub fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = s.split(" (os error").next().unwrap_or(&s);
    s.to_lowercase()
}

/// Longest name accepted for something that becomes a file or folder name.
pub const MAX_NAME: usize = 100;

/// Checks a name that becomes (part of) a file or folder name in the output folder: not empty,
/// one plain name (no `/`, `\`, `.` or `..`), not hidden (a leading `.` marks temporary files),
/// no control characters, at most [`MAX_NAME`] characters.
/// What is wrong with a name that becomes a file or folder name ([`check_output_name`]). Display
/// gives the message users see; a name is quoted, with control characters escaped.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Empty or only spaces.
    #[error("the name is empty")]
    Empty,
    /// Longer than [`MAX_NAME`].
    #[error("the name is longer than {MAX_NAME} characters")]
    TooLong,
    /// A control character.
    #[error("name {0} contains a control character")]
    Control(String),
    /// `/` or `\`, or a root.
    #[error("name {0} contains a path separator; it must be one plain name")]
    Separator(String),
    /// A leading `.`.
    #[error("name {0} starts with `.` (hidden and temporary files do)")]
    Hidden(String),
    /// Leading or trailing spaces.
    #[error("name {0} starts or ends with a space")]
    Spaces(String),
}

pub fn check_output_name(name: &str) -> Result<(), NameError> {
    if name.trim().is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().count() > MAX_NAME {
        return Err(NameError::TooLong);
    }
    if name.chars().any(char::is_control) {
        return Err(NameError::Control(shown(name)));
    }
    if Path::new(name).has_root() || name.contains(['/', '\\']) {
        return Err(NameError::Separator(shown(name)));
    }
    if name.starts_with('.') {
        return Err(NameError::Hidden(shown(name)));
    }
    if name != name.trim() {
        return Err(NameError::Spaces(shown(name)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_are_checked_as_written() {
        assert!(check_relative("images/a.png").is_ok());
        assert!(check_relative("./images/../images/a.png").is_ok());
        for bad in ["", " ", "/etc/passwd", "../a.png", "images/../../a.png", "C:/x.png", "\\\\srv\\x", "a\\b.png"] {
            assert!(check_relative(bad).is_err(), "{bad:?}");
        }
        assert!(check_relative("../a.png").unwrap_err().message.contains("leaves the project folder"));
        assert!(check_relative("/tmp/a.png").unwrap_err().message.contains("absolute"));
    }

    #[test]
    fn lexical_paths_name_the_same_file_alike() {
        let l = |s: &str| lexical(Path::new(s));
        assert_eq!(l("./decks//data/../kort.csv"), PathBuf::from("decks/kort.csv"));
        assert_eq!(l("decks/kort.csv"), PathBuf::from("decks/kort.csv"));
        assert_eq!(l("../kort.csv"), PathBuf::from("../kort.csv"));
        assert_eq!(l("a/../../kort.csv"), PathBuf::from("../kort.csv"));
    }

    #[test]
    fn links_out_of_the_root_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("x.png"), b"x").unwrap();
        std::fs::write(root.path().join("in.png"), b"x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("x.png"), root.path().join("link.png")).unwrap();
        std::os::unix::fs::symlink(root.path().join("in.png"), root.path().join("ok.png")).unwrap();
        assert!(resolve_input(root.path(), "in.png").is_ok());
        assert!(resolve_input(root.path(), "ok.png").is_ok());
        let e = resolve_input(root.path(), "link.png").unwrap_err();
        assert!(e.message.contains("outside the project folder"), "{e}");
        assert!(resolve_input(root.path(), ".").unwrap_err().message.contains("folder"));
        assert_eq!(read_limited(&root.path().join("in.png"), "in.png", 1).unwrap(), b"x");
        std::fs::write(root.path().join("big"), [0u8; 10]).unwrap();
        assert!(read_input(root.path(), "big", 9).is_err());
    }

    #[test]
    fn output_names_are_one_plain_name() {
        assert!(check_output_name("hovedstaden-2026").is_ok());
        for bad in ["", "  ", ".", "..", "../x", "/tmp/x", "a/b", "a\\b", ".skjult", "a\nb", " a"] {
            assert!(check_output_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_output_name(&"x".repeat(MAX_NAME + 1)).is_err());
    }
}
