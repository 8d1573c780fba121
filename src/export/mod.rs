//! Export: the only stage that touches a PDF library.

pub mod icc;
pub mod pdf;
pub mod pdfx;
pub mod print;
pub mod screen;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock};

/// A process-wide cache of something slow to derive from an ICC profile (its compressed stream,
/// a colour transform): every file of a run uses the same one or two profiles. Keyed by a hash of
/// the profile's bytes and their length; the key never leaves the process, so std's hasher does.
pub(crate) struct PerProfile<T>(OnceLock<Mutex<HashMap<(u64, usize), T>>>);

impl<T: Clone> PerProfile<T> {
    /// An empty cache (for a `static`).
    pub(crate) const fn new() -> Self {
        PerProfile(OnceLock::new())
    }

    /// The value for `profile`, made by `make` the first time.
    pub(crate) fn get_or_make(&self, profile: &[u8], make: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        profile.hash(&mut h);
        let key = (h.finish(), profile.len());
        let cache = self.0.get_or_init(Default::default);
        if let Some(v) = cache.lock().map_err(|_| "profile cache poisoned")?.get(&key) {
            return Ok(v.clone());
        }
        let v = make()?;
        cache.lock().map_err(|_| "profile cache poisoned")?.insert(key, v.clone());
        Ok(v)
    }
}
