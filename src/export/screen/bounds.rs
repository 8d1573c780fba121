//! Where a frame item lies on a screen page: for a figure's bounding box, a bookmark's target and
//! a link's area.

use crate::impose::Page;
use crate::layout::frame::Block;
use crate::layout::{Frame, FrameItem};
use crate::text::FontBook;
use crate::units::{Point, Pt, Rect, Transform};

/// The bounding box of an item in frame coordinates.
pub(super) fn item_bounds(item: &FrameItem, fonts: &FontBook) -> Rect {
    match item {
        FrameItem::Text { origin, run, .. } => {
            let face = fonts.face(run.font);
            let k = run.size.0 / face.upem;
            let width: f64 = run.glyphs.iter().map(|g| g.advance().0).sum();
            Rect {
                min: Point::new(origin.x, origin.y - Pt(face.ascender * k)),
                max: Point::new(origin.x + Pt(width), origin.y - Pt(face.descender * k)),
            }
        }
        FrameItem::Rect { rect, .. } => *rect,
        FrameItem::Image { rect, clip, .. } | FrameItem::Vector { rect, clip, .. } => match clip {
            Some(c) => Rect {
                min: Point::new(rect.min.x.max(c.min.x), rect.min.y.max(c.min.y)),
                max: Point::new(rect.max.x.min(c.max.x), rect.max.y.min(c.max.y)),
            },
            None => *rect,
        },
        FrameItem::Line { from, to, .. } => Rect {
            min: Point::new(from.x.min(to.x), from.y.min(to.y)),
            max: Point::new(from.x.max(to.x), from.y.max(to.y)),
        },
    }
}

/// A frame point on the page (placed transform, then the page transform).
fn page_point(page: &Page, placed: Transform, p: Point) -> Point {
    let p = placed.apply(p);
    match &page.transform {
        Some(t) => t.apply(p),
        None => p,
    }
}

/// The page-space bounding box of a frame rectangle.
pub(super) fn page_rect(page: &Page, placed: Transform, r: &Rect) -> Rect {
    let corners =
        [r.min, Point::new(r.max.x, r.min.y), Point::new(r.min.x, r.max.y), r.max].map(|p| page_point(page, placed, p));
    union(corners.into_iter().map(|p| Rect { min: p, max: p })).expect("four corners")
}

/// The top of a block's first item on the page (where its bookmark and contents links go).
pub(super) fn block_top(page: &Page, placed: Transform, frame: &Frame, block: &Block, fonts: &FontBook) -> Pt {
    (block.items.clone().next())
        .and_then(|i| frame.items.get(i))
        .map(|it| item_bounds(it, fonts))
        .map(|r| page_rect(page, placed, &r).min.y)
        .unwrap_or(Pt::ZERO)
}

/// The smallest rectangle around all of `rects`; `None` if there are none.
pub(super) fn union(rects: impl Iterator<Item = Rect>) -> Option<Rect> {
    rects.reduce(|a, b| Rect {
        min: Point::new(a.min.x.min(b.min.x), a.min.y.min(b.min.y)),
        max: Point::new(a.max.x.max(b.max.x), a.max.y.max(b.max.y)),
    })
}
