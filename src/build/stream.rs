//! Decks are written while they are laid out. Cards are laid out a window at a time (in
//! parallel); each output's pages go to its PDF writer as soon as every frame they place exists,
//! and frames that no later page of any output needs are dropped. Memory is bounded by the window
//! rather than the deck, and laying out the next window overlaps with writing the current one.
//!
//! The pages come from plans made before layout ([`crate::impose::CardPlan`]): the front of card
//! `i` is frame `2 i`, its back `2 i + 1` ([`crate::impose::card_frame`]). Nothing here changes
//! what is drawn, so the bytes are the same as writing a fully laid-out document.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use super::util::alpha_images;
use crate::diag::Diagnostic;
use crate::export::{ExportError, PrintWriter};
use crate::impose::{Document, card_frame};
use crate::layout::card::{CardPool, DeckLayout};
use crate::layout::{Frame, Side};
use crate::timing::{self, Stage};

/// Cards laid out per window: enough to keep both cores busy, small enough that a 10 000-card
/// deck's frames never sit in memory at once.
pub const WINDOW: usize = 128;

/// One output of a streamed deck: its page plan and, when it is being written, its writer.
pub struct StreamOut<'f> {
    /// The plan (pages only; `frames` stays empty).
    pub doc: Document,
    /// The writer; `None` when only checking, or once a layout error means nothing is written.
    pub writer: Option<PrintWriter<'f>>,
    /// Collect images with an alpha channel (PDF/X-1a forbids them).
    pub find_alpha: bool,
    /// Images with an alpha channel on the deck's faces (paths, sorted; only with `find_alpha`).
    pub alpha_images: BTreeSet<String>,
    next: usize,
    /// `ready[p]`: frames `0..ready[p]` must exist before page `p` can be written.
    ready: Vec<usize>,
}

impl<'f> StreamOut<'f> {
    /// An output for `doc`'s pages, written by `writer` (or only planned, with `None`).
    #[must_use]
    pub fn new(doc: Document, writer: Option<PrintWriter<'f>>, find_alpha: bool) -> Self {
        let ready = doc.pages.iter().map(|p| p.content.iter().map(|c| c.frame + 1).max().unwrap_or(0)).collect();
        StreamOut { doc, writer, find_alpha, alpha_images: BTreeSet::new(), next: 0, ready }
    }

    /// Writes every page whose frames are all laid out (`frames 0..laid`); returns the pages
    /// written.
    fn advance(&mut self, store: &[Option<Arc<Frame>>], laid: usize) -> Result<Range<usize>, ExportError> {
        let from = self.next;
        let Some(w) = self.writer.as_mut() else { return Ok(from..from) };
        let frame = |i: usize| -> &Frame { store[i].as_deref().expect("a page's frames are laid out and kept") };
        while self.next < self.doc.pages.len() && self.ready[self.next] <= laid {
            w.page(&self.doc.pages[self.next], &frame)?;
            self.next += 1;
        }
        Ok(from..self.next)
    }
}

/// Lays out every card of the deck in windows and feeds the outputs. Diagnostics that `keep`
/// accepts are added to `diags` (a [`crate::diag::Folded`] keeps a deck's repeated warnings
/// small); the first error stops all writing (the layout goes on, so every
/// problem of the run is reported). Errors of the writers themselves come back as `Err`.
///
/// # Errors
///
/// When a writer fails (an image or font krilla cannot embed): the error names the page and
/// the frame it was drawing ([`ExportError::drawing`]).
pub fn stream_deck(
    dl: &DeckLayout,
    outs: &mut [StreamOut],
    window: usize,
    diags: &mut impl Extend<Diagnostic>,
    keep: &(dyn Fn(&Diagnostic) -> bool + Sync),
) -> Result<StreamStats, ExportError> {
    let n = dl.deck.cards.len();
    // A short first window, so that writing starts early; then full windows.
    let window = window.max(1);
    let first = (window / 4).max(1).min(n);
    let windows: Vec<Range<usize>> = std::iter::once(0..first)
        .chain((first..n).step_by(window).map(|s| s..(s + window).min(n)))
        .filter(|w| !w.is_empty())
        .collect();
    // How often each frame is still to be placed: a frame goes as soon as its count reaches zero
    // (a repeated last sheet keeps only the cards it repeats).
    let frames = card_frame(n, Side::Front);
    let mut uses = vec![0u32; frames];
    for o in outs.iter().filter(|o| o.writer.is_some()) {
        for c in o.doc.pages.iter().flat_map(|p| &p.content) {
            uses[c.frame] += 1;
        }
    }
    let mut store: Vec<Option<Arc<Frame>>> = vec![None; frames];
    let mut stats = StreamStats::default();
    let mut live = 0;
    let pool = CardPool::default();
    let mut pending = windows.first().map(|w| dl.cards(w.clone(), &pool));
    for (k, w) in windows.iter().enumerate() {
        let (faces, d) = pending.take().expect("each window is laid out before it is written");
        if d.iter().any(Diagnostic::is_error) && outs.iter().any(|o| o.writer.is_some()) {
            // Nothing will be written: stop writing and keep no frames.
            for o in outs.iter_mut() {
                o.writer = None;
            }
            uses.iter_mut().for_each(|u| *u = 0);
            store.iter_mut().for_each(|f| *f = None);
            live = 0;
        }
        diags.extend(d.into_iter().filter(|x| keep(x)));
        // Every output places every card, so the window's faces are every output's concern.
        if outs.iter().any(|o| o.find_alpha) {
            let alpha = alpha_images(faces.iter().flat_map(|c| [&*c.front, &*c.back]));
            for o in outs.iter_mut().filter(|o| o.find_alpha) {
                o.alpha_images.extend(alpha.iter().cloned());
            }
        }
        for (i, c) in faces.into_iter().enumerate() {
            let card = w.start + i;
            for (f, frame) in [(card_frame(card, Side::Front), c.front), (card_frame(card, Side::Back), c.back)] {
                if uses[f] > 0 {
                    store[f] = Some(frame);
                    live += 1;
                }
            }
        }
        stats.peak_frames = stats.peak_frames.max(live);
        let laid = card_frame(w.end, Side::Front);
        // The next window is laid out on the pool while the outputs (each its own krilla
        // document) write this one's pages side by side.
        let mut next = None;
        let mut written = Vec::new();
        rayon::in_place_scope(|s| {
            if let Some(r) = windows.get(k + 1) {
                let next = &mut next;
                let pool = &pool;
                s.spawn(move |_| *next = Some(dl.cards(r.clone(), pool)));
            }
            let store = &store;
            written = outs
                .par_iter_mut()
                .map(|o| timing::time(Stage::Export, || o.advance(store, laid)))
                .collect::<Vec<Result<Range<usize>, ExportError>>>();
        });
        for (o, pages) in outs.iter().zip(written) {
            for page in &o.doc.pages[pages?] {
                for c in &page.content {
                    uses[c.frame] -= 1;
                }
            }
        }
        pending = next;
        for (f, u) in store[..laid].iter_mut().zip(&uses) {
            if *u == 0 && f.take().is_some() {
                live -= 1;
            }
        }
        // Now and then, hand what the released frames and krilla's compressed chunks left free
        // back to the system: without it, peak RSS of a 10 000-card deck varied by a third.
        if k % 8 == 7 {
            super::util::release_freed_memory();
        }
    }
    stats.windows = windows.len();
    Ok(stats)
}

/// What a streamed deck cost in memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamStats {
    /// Windows laid out.
    pub windows: usize,
    /// Most frames held at once (a deck laid out in one go holds two per card).
    pub peak_frames: usize,
}
