//! The screen version's bookmarks (outline): one entry per title or heading block, nested by
//! level, each pointing at its page and the top of its first line.

use krilla::destination::XyzDestination;
use krilla::geom::Point as KPoint;
use krilla::outline::{Outline, OutlineNode};

use crate::impose::Page;
use crate::units::Pt;

/// Outline entries nested by heading level.
#[derive(Default)]
pub(super) struct Bookmarks {
    outline: Outline,
    /// Open entries, shallowest first.
    stack: Vec<(u8, OutlineNode)>,
}

impl Bookmarks {
    /// An entry for a heading whose top is at `top` (page coordinates); the view keeps the page's left edge.
    pub(super) fn push(&mut self, level: u8, text: &str, page_index: usize, top: Pt, page: &Page) {
        self.close_to(level);
        let y = top.0.clamp(0.0, page.media.h.0) as f32;
        let node = OutlineNode::new(text.to_string(), XyzDestination::new(page_index, KPoint::from_xy(0.0, y)))
            .with_open(true);
        self.stack.push((level, node));
    }

    /// Closes every open entry at `level` or deeper.
    fn close_to(&mut self, level: u8) {
        while self.stack.last().is_some_and(|(l, _)| *l >= level) {
            let (_, node) = self.stack.pop().expect("checked above");
            match self.stack.last_mut() {
                Some((_, parent)) => parent.push_child(node),
                None => self.outline.push_child(node),
            }
        }
    }

    pub(super) fn finish(mut self) -> Outline {
        self.close_to(0);
        self.outline
    }
}
