//! Writing files so that no reader ever sees half of one: atomic writes, and temporary files and
//! staging folders that are registered while they exist and removed on errors, on panics and
//! (through [`stop_and_clean`], called from the CLI's signal handler) on Ctrl-C / SIGTERM.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard};

/// Why a file could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The folder could not be created.
    Folder(PathBuf, std::io::Error),
    /// The file could not be written or renamed into place.
    File(PathBuf, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Folder(dir, e) => write!(f, "cannot create {}: {e}", dir.display()),
            WriteError::File(path, e) => write!(f, "cannot write {}: {e}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

impl From<WriteError> for String {
    fn from(e: WriteError) -> String {
        e.to_string()
    }
}

/// Paths that are to be removed if the process is stopped: temporary files and staging folders.
static TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Held (shared) while a file is written or a staged folder is moved into place; taken
/// exclusively, and never released, when the process is being stopped, so that nothing is
/// half-moved when the temporary paths are removed and nothing new is written afterwards.
static GATE: RwLock<()> = RwLock::new(());

fn temps() -> MutexGuard<'static, Vec<PathBuf>> {
    TEMPS.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Runs `f` (writing or moving files) so that a stop request waits until it has finished.
pub fn uninterrupted<R>(f: impl FnOnce() -> R) -> R {
    let _gate: RwLockReadGuard<'_, ()> = GATE.read().unwrap_or_else(std::sync::PoisonError::into_inner);
    f()
}

/// A temporary file or folder: registered for removal on a stop, removed when dropped unless
/// [`Temp::keep`] says it was moved into place.
#[derive(Debug)]
pub struct Temp {
    path: PathBuf,
    done: bool,
}

impl Temp {
    /// Registers `path` (which need not exist yet).
    pub fn new(path: PathBuf) -> Temp {
        temps().push(path.clone());
        Temp { path, done: false }
    }

    /// The path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Forgets the path without removing it (it was renamed into place, or is gone).
    pub fn keep(mut self) {
        self.done = true;
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.done {
            remove(&self.path);
        }
        let mut t = temps();
        if let Some(i) = t.iter().rposition(|p| *p == self.path) {
            t.swap_remove(i);
        }
    }
}

fn remove(p: &Path) {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => {
            let _ = std::fs::remove_dir_all(p);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(p);
        }
        Err(_) => {}
    }
}

/// For a stop (Ctrl-C, SIGTERM): waits for files being written or moved into place, removes
/// every registered temporary path and blocks all further writing. The caller then exits.
pub fn stop_and_clean() {
    let gate = GATE.write().unwrap_or_else(std::sync::PoisonError::into_inner);
    // Never released: the process is about to exit and must write nothing more.
    std::mem::forget(gate);
    let mut t = temps();
    for p in t.drain(..) {
        remove(&p);
    }
    // Keep the registry locked too, so no new temporary path appears.
    std::mem::forget(t);
}

/// The folder of `path` and a temporary file beside it: `.<name>.tmp<pid>` for [`write_atomic`]
/// (one writer per path at a time in a process: its callers write distinct paths or hold a lock),
/// and, for [`write_new`], a counter after the process id as well, since two orders of the same
/// name may be approved at once in `tryksag serve` and must not share one.
fn temp_beside<'a>(path: &'a Path, kind: &str) -> (&'a Path, Temp) {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let pid = std::process::id();
    let file = if kind == "tmp" {
        format!(".{name}.tmp{pid}")
    } else {
        format!(".{name}.{kind}{pid}-{}", NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    };
    (dir, Temp::new(dir.join(file)))
}

/// Writes via a temporary file in the same folder and a rename, so a reader never sees half a file.
/// The temporary file is removed on errors and when the process is stopped (see [`Temp`]).
///
/// # Errors
///
/// When the folder cannot be made or the file cannot be written or renamed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let (dir, tmp) = temp_beside(path, "tmp");
    uninterrupted(|| {
        std::fs::create_dir_all(dir).map_err(|e| WriteError::Folder(dir.to_path_buf(), e))?;
        std::fs::write(tmp.path(), bytes)
            .and_then(|()| std::fs::rename(tmp.path(), path))
            .map_err(|e| WriteError::File(path.to_path_buf(), e))
    })?;
    tmp.keep();
    Ok(())
}

/// [`write_atomic`] for a file that must not exist yet: the whole file appears at once (a hard
/// link from a finished temporary file), or, when `path` exists already, nothing is changed and
/// the error's `io::ErrorKind` is `AlreadyExists`.
///
/// # Errors
///
/// When `path` exists, or the folder cannot be made or the file cannot be written.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let (dir, tmp) = temp_beside(path, "new");
    uninterrupted(|| {
        std::fs::create_dir_all(dir).map_err(|e| WriteError::Folder(dir.to_path_buf(), e))?;
        std::fs::write(tmp.path(), bytes)
            .and_then(|()| std::fs::hard_link(tmp.path(), path))
            .map_err(|e| WriteError::File(path.to_path_buf(), e))
    })
    // The temporary name is removed when `tmp` is dropped; the new file keeps its contents.
}

impl WriteError {
    /// The I/O error behind it.
    #[must_use]
    pub fn io(&self) -> &std::io::Error {
        match self {
            WriteError::Folder(_, e) | WriteError::File(_, e) => e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_paths_are_removed_unless_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = Temp::new(dir.path().join("a"));
        std::fs::create_dir_all(a.path().join("sub")).unwrap();
        std::fs::write(a.path().join("sub/x"), b"x").unwrap();
        let b = Temp::new(dir.path().join("b"));
        std::fs::write(b.path(), b"b").unwrap();
        drop(a);
        b.keep();
        assert!(!dir.path().join("a").exists());
        assert!(dir.path().join("b").exists());
        assert!(!temps().iter().any(|p| p.starts_with(dir.path())));
    }

    #[test]
    fn a_new_file_never_replaces_one_that_exists() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.json");
        write_new(&path, b"first").unwrap();
        let e = write_new(&path, b"second").unwrap_err();
        assert_eq!(e.io().kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["run.json"], "no temporary file is left");
    }
}
