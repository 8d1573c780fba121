//! Decks are written while they are laid out. Cards are laid out a window at a time (in
//! parallel); each output's pages go to its PDF writer as soon as every frame they place exists,
//! and frames that no later page of any output needs are dropped. Memory is bounded by the window
//! rather than the deck, and laying out the next window overlaps with writing the current one.
//!
//! The pages come from plans made before layout ([`crate::impose::CardPlan`]): the front of card
//! `i` is frame `2 i`, its back `2 i + 1`. Nothing here changes what is drawn, so the bytes are
//! the same as rendering a fully laid-out document.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::export::pdf::PdfWriter;
use crate::impose::Document;
use crate::layout::card::{DeckLayout, TypesetterPool};
use crate::layout::{Frame, FrameItem};
use crate::timing::{self, Stage};

/// Cards laid out per window: enough to keep both cores busy, small enough that a 10 000-card
/// deck's frames never sit in memory at once.
pub const WINDOW: usize = 128;

/// One output of a streamed deck: its page plan and, when it is being written, its writer.
pub struct StreamOut<'f> {
    /// The plan (pages only; `frames` stays empty).
    pub doc: Document,
    /// The writer; `None` when only checking, or once a layout error means nothing is written.
    pub writer: Option<PdfWriter<'f>>,
    /// Collect images with an alpha channel (PDF/X-1a forbids them).
    pub find_alpha: bool,
    /// Images with alpha met on the pages written (paths, sorted).
    pub alpha_images: BTreeSet<String>,
    next: usize,
    /// `ready[p]`: frames `0..ready[p]` must exist before page `p` can be written.
    ready: Vec<usize>,
    /// `needs_from[p]`: the lowest frame that page `p` or any later page places.
    needs_from: Vec<usize>,
}

impl<'f> StreamOut<'f> {
    /// An output for `doc`'s pages, written by `writer` (or only planned, with `None`).
    #[must_use]
    pub fn new(doc: Document, writer: Option<PdfWriter<'f>>, find_alpha: bool) -> Self {
        let frames = |p: &crate::impose::Page| p.content.iter().map(|c| c.frame).collect::<Vec<_>>();
        let ready = doc.pages.iter().map(|p| frames(p).into_iter().max().map_or(0, |m| m + 1)).collect();
        let mut needs_from = vec![usize::MAX; doc.pages.len() + 1];
        for (i, p) in doc.pages.iter().enumerate().rev() {
            needs_from[i] = frames(p).into_iter().min().unwrap_or(usize::MAX).min(needs_from[i + 1]);
        }
        StreamOut { doc, writer, find_alpha, alpha_images: BTreeSet::new(), next: 0, ready, needs_from }
    }

    /// Writes every page whose frames are all laid out (`frames 0..laid`).
    fn advance(&mut self, store: &[Option<Arc<Frame>>], laid: usize) -> Result<(), String> {
        let Some(w) = self.writer.as_mut() else { return Ok(()) };
        let frame = |i: usize| -> &Frame { store[i].as_deref().expect("a page's frames are laid out and kept") };
        while self.next < self.doc.pages.len() && self.ready[self.next] <= laid {
            let page = &self.doc.pages[self.next];
            if self.find_alpha {
                for c in &page.content {
                    for it in &frame(c.frame).items {
                        if let FrameItem::Image { asset, .. } = it
                            && asset.has_alpha()
                        {
                            self.alpha_images.insert(asset.path.display().to_string());
                        }
                    }
                }
            }
            w.page(page, &frame)?;
            self.next += 1;
        }
        Ok(())
    }

    /// The lowest frame still needed (everything, when nothing more is written).
    fn needs_from(&self) -> usize {
        if self.writer.is_some() { self.needs_from[self.next] } else { usize::MAX }
    }
}

/// Lays out every card of the deck in windows and feeds the outputs. Diagnostics that `keep`
/// accepts are added to `diags`; the first error stops all writing (the layout goes on, so every
/// problem of the run is reported). Errors of the writers themselves come back as `Err`.
///
/// # Errors
///
/// When a writer fails (an image or font krilla cannot embed).
pub fn stream_deck(
    dl: &DeckLayout,
    outs: &mut [StreamOut],
    window: usize,
    diags: &mut Vec<Diagnostic>,
    keep: &(dyn Fn(&Diagnostic) -> bool + Sync),
) -> Result<(), String> {
    let n = dl.deck.cards.len();
    let windows: Vec<Range<usize>> = (0..n).step_by(window.max(1)).map(|s| s..(s + window).min(n)).collect();
    let mut store: Vec<Option<Arc<Frame>>> = vec![None; 2 * n];
    let mut released = 0;
    let pool = TypesetterPool::default();
    let mut pending = windows.first().map(|w| dl.cards(w.clone(), &pool));
    for (k, w) in windows.iter().enumerate() {
        let (faces, d) = pending.take().expect("each window is laid out before it is written");
        if d.iter().any(Diagnostic::is_error) {
            for o in outs.iter_mut() {
                o.writer = None;
            }
        }
        diags.extend(d.into_iter().filter(|x| keep(x)));
        for (i, c) in faces.into_iter().enumerate() {
            store[2 * (w.start + i)] = Some(c.front);
            store[2 * (w.start + i) + 1] = Some(c.back);
        }
        let laid = 2 * w.end;
        // krilla's writers stay on this thread; the next window is laid out on the pool meanwhile.
        let mut next = None;
        let mut written = Ok(());
        rayon::in_place_scope(|s| {
            if let Some(r) = windows.get(k + 1) {
                let next = &mut next;
                let pool = &pool;
                s.spawn(move |_| *next = Some(dl.cards(r.clone(), pool)));
            }
            written = timing::time(Stage::Export, || outs.iter_mut().try_for_each(|o| o.advance(&store, laid)));
        });
        written?;
        pending = next;
        let keep_from = outs.iter().map(StreamOut::needs_from).min().unwrap_or(usize::MAX).min(laid);
        for f in &mut store[released..keep_from.max(released)] {
            *f = None;
        }
        released = released.max(keep_from);
    }
    Ok(())
}
