//! What keeps a build from leaving a mess: temporary files and staging folders are registered
//! while they exist and removed on errors, on panics and (through [`stop_and_clean`], called
//! from the CLI's signal handler) on Ctrl-C / SIGTERM; a panic in a worker becomes an error
//! naming the product.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, Once, RwLock, RwLockReadGuard};

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

thread_local! {
    /// How many [`catch`] calls are running on this thread.
    static CATCHING: Cell<usize> = const { Cell::new(0) };
}

/// How many [`catch`] calls are running in the process.
static ACTIVE: AtomicUsize = AtomicUsize::new(0);

/// Installs (once) a panic hook that stays quiet for the panics [`catch`] turns into errors — on
/// its own thread, and on the thread pool's workers while a catch is running (the pool hands
/// their panics to the catching job) — and prints every other panic as before.
fn quiet_hook() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let caught = CATCHING.with(Cell::get) > 0
                || (ACTIVE.load(Ordering::SeqCst) > 0 && rayon::current_thread_index().is_some());
            if !caught {
                default(info);
            }
        }));
    });
}

/// Runs `f`; a panic in it (or in the parallel work it starts) is returned as its message.
///
/// # Errors
///
/// The panic's message, when `f` panicked.
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, String> {
    quiet_hook();
    ACTIVE.fetch_add(1, Ordering::SeqCst);
    CATCHING.with(|c| c.set(c.get() + 1));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get() - 1));
    ACTIVE.fetch_sub(1, Ordering::SeqCst);
    r.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into())
    })
}

/// Test hook: when the environment variable `TRYKSAG_TEST_PANIC` names `product`, panics (in
/// debug and release builds alike), so that tests can check that a crash while building a
/// product is caught, reported and writes nothing. Not for users.
pub fn test_panic(product: &str) {
    if std::env::var_os("TRYKSAG_TEST_PANIC").is_some_and(|v| v == product) {
        panic!("test panic requested by TRYKSAG_TEST_PANIC");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_its_message_also_from_the_pool() {
        assert_eq!(catch(|| 2), Ok(2));
        assert_eq!(catch(|| panic!("boom {}", 1)), Err::<(), _>("boom 1".into()));
        let r = catch(|| {
            use rayon::prelude::*;
            (0..64).into_par_iter().map(|i| if i == 40 { panic!("in the pool") } else { i }).sum::<i32>()
        });
        assert_eq!(r, Err("in the pool".into()));
    }

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
}
