//! Card faces kept between builds, for the front-ends that build again and again (`watch`,
//! `serve`): a card whose content, place in the deck and deck-wide inputs are unchanged is not
//! laid out again; its frames are taken from here, and only the files are written anew.
//!
//! An entry is found by a 128-bit hash of everything the faces depend on that a deck file can
//! change: the card (id, category, fields, own back, copies), its number and the deck's count,
//! the deck's other settings (title, sender, categories, hyphenation, keep-together), the card
//! layout, the region, the print condition, the extra back bleed, the output profile and the
//! font files. What the hash cannot see (the bytes of images and artwork, a layout's files as
//! read) belongs to the front-end: it calls [`FaceCache::clear`] when any input other than a
//! product file or spreadsheet changed, as `watch` does.
//!
//! Only cards laid out without a diagnostic are kept: a diagnostic names lines of the deck file,
//! which move when another card is edited, so a card with one is laid out again every time.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::frame::Frame;

/// Faces of one card, as laid out.
#[derive(Clone)]
struct Entry {
    /// The deck the card is in.
    deck: Arc<str>,
    front: Arc<Frame>,
    back: Arc<Frame>,
    /// Taken or put since the last [`FaceCache::sweep`].
    used: bool,
}

/// Laid-out card faces by the hash of their inputs ([`FaceKey`]). Shared between the jobs of a
/// build and kept from one build to the next.
#[derive(Default)]
pub struct FaceCache {
    entries: Mutex<Entries>,
    /// Cards found here, and cards laid out (not found), since the cache was made.
    hits: AtomicUsize,
    misses: AtomicUsize,
}

#[derive(Default)]
struct Entries {
    faces: HashMap<FaceKey, Entry>,
    /// Decks laid out since the last sweep.
    decks: HashSet<Arc<str>>,
}

impl std::fmt::Debug for FaceCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FaceCache({} cards)", self.len())
    }
}

/// Most cards kept: a deck of ten thousand cards is kept whole, a bigger one partly (what does
/// not fit is laid out every time, as without a cache).
pub const MAX_CACHED_CARDS: usize = 20_000;

/// The hash of everything one card's faces depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FaceKey(u64, u64);

impl FaceKey {
    /// The key of whatever `feed` writes into a hasher (two independent 64-bit SipHashes, so a
    /// collision is out of reach for any number of cards a project has).
    pub fn of(feed: impl Fn(&mut DefaultHasher)) -> FaceKey {
        let half = |salt: u8| {
            let mut h = DefaultHasher::new();
            salt.hash(&mut h);
            feed(&mut h);
            h.finish()
        };
        FaceKey(half(0), half(1))
    }
}

impl FaceCache {
    /// An empty cache.
    #[must_use]
    pub fn new() -> FaceCache {
        FaceCache::default()
    }

    /// Deck `deck` is being laid out: at the next [`FaceCache::sweep`], its cards that were
    /// not used meanwhile are forgotten.
    pub fn lay_out(&self, deck: &str) {
        if let Ok(mut e) = self.entries.lock()
            && !e.decks.contains(deck)
        {
            e.decks.insert(deck.into());
        }
    }

    /// The faces laid out for `key` (front, back), marking them as still in use.
    pub fn get(&self, key: FaceKey) -> Option<(Arc<Frame>, Arc<Frame>)> {
        let found = self.entries.lock().ok().and_then(|mut entries| {
            let e = entries.faces.get_mut(&key)?;
            e.used = true;
            Some((e.front.clone(), e.back.clone()))
        });
        let counter = if found.is_some() { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// How many cards were found here and how many were laid out, since the cache was made
    /// (each layout of a card counts: a deck's print and download files lay it out apart).
    pub fn counts(&self) -> (usize, usize) {
        (self.hits.load(Ordering::Relaxed), self.misses.load(Ordering::Relaxed))
    }

    /// Keeps the faces laid out for `key`, a card of `deck` (unless the cache is full).
    pub fn put(&self, deck: &str, key: FaceKey, front: &Arc<Frame>, back: &Arc<Frame>) {
        let Ok(mut e) = self.entries.lock() else { return };
        if e.faces.len() >= MAX_CACHED_CARDS && !e.faces.contains_key(&key) {
            return;
        }
        let deck = e.decks.get(deck).cloned().unwrap_or_else(|| deck.into());
        e.faces.insert(key, Entry { deck, front: front.clone(), back: back.clone(), used: true });
    }

    /// Forgets the cards of the decks laid out since the last sweep that were not used (edited
    /// or removed), so the cache holds what the project has now; other decks' cards stay (the
    /// web app builds one product at a time). Called after each build.
    pub fn sweep(&self) {
        if let Ok(mut e) = self.entries.lock() {
            let decks = std::mem::take(&mut e.decks);
            e.faces.retain(|_, f| std::mem::replace(&mut f.used, false) || !decks.contains(&f.deck));
        }
    }

    /// Forgets everything: an input the keys do not cover (an image, a font, a layout) changed.
    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.faces.clear();
        }
    }

    /// Cards kept.
    pub fn len(&self) -> usize {
        self.entries.lock().map(|e| e.faces.len()).unwrap_or(0)
    }

    /// Whether no card is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sweep_forgets_what_the_last_build_of_a_deck_did_not_use() {
        let cache = FaceCache::new();
        let f = Arc::new(Frame::default());
        let [a, b, c] = [1, 2, 3].map(|n| FaceKey::of(|h| n.hash(h)));
        assert_ne!(a, b);
        cache.lay_out("d");
        cache.put("d", a, &f, &f);
        cache.put("d", b, &f, &f);
        cache.lay_out("e");
        cache.put("e", c, &f, &f);
        cache.sweep();
        assert_eq!(cache.len(), 3, "all were put in the last build");
        // Deck d again, with card b edited; deck e not built.
        cache.lay_out("d");
        assert!(cache.get(a).is_some());
        cache.sweep();
        assert!(cache.get(a).is_some() && cache.get(b).is_none(), "b was not used");
        assert!(cache.get(c).is_some(), "deck e was not laid out: its cards stay");
        cache.clear();
        assert!(cache.is_empty());
    }
}
