//! A panic in a worker becomes an error naming the product, without a raw backtrace on the
//! terminal. (Temporary files and the stop on Ctrl-C are in [`crate::files`].)

use std::cell::Cell;
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// A caught panic: its message (Display shows it as it is).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Panic(pub String);

/// Runs `f`; a panic in it (or in the parallel work it starts) is returned as its message.
///
/// # Errors
///
/// The panic's message, when `f` panicked.
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Panic> {
    quiet_hook();
    ACTIVE.fetch_add(1, Ordering::SeqCst);
    CATCHING.with(|c| c.set(c.get() + 1));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get() - 1));
    ACTIVE.fetch_sub(1, Ordering::SeqCst);
    r.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".into());
        Panic(message)
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
        assert_eq!(catch(|| panic!("boom {}", 1)), Err::<(), _>(Panic("boom 1".into())));
        let r = catch(|| {
            use rayon::prelude::*;
            (0..64).into_par_iter().map(|i| if i == 40 { panic!("in the pool") } else { i }).sum::<i32>()
        });
        assert_eq!(r, Err(Panic("in the pool".into())));
    }
}
