//! Crop marks: outside the grid only, one per cut line at each end (two per gutter), starting at
//! least the bleed away from the trim, never inside any card's bleed.

use crate::layout::{FrameItem, Stroke};
use crate::model::color::Color;
use crate::units::{Point, Pt, Rect};

use super::grid::Grid;

/// Mark settings in points.
#[derive(Clone, Debug)]
pub struct MarkStyle {
    /// Gap from the grid's trim to the mark's start (≥ bleed).
    pub offset: Pt,
    /// Length.
    pub length: Pt,
    /// Line width.
    pub width: Pt,
    /// Colour.
    pub color: Color,
    /// Dashed (fold marks).
    pub dash: Option<Vec<Pt>>,
}

/// Marks for every cut line of the grid, clipped to the printable `area`. Returns the marks and
/// how many had to be shortened or dropped.
pub fn crop_marks(grid: &Grid, style: &MarkStyle, area: &Rect) -> (Vec<FrameItem>, usize) {
    let t = grid.trim;
    let mut out = Vec::new();
    let mut clipped = 0;
    let stroke = Stroke { color: style.color.clone(), width: style.width, dash: style.dash.clone() };
    let mut push = |a: Point, b: Point| {
        let (c, cut) = clip_segment(a, b, area);
        clipped += usize::from(cut);
        if let Some((a, b)) = c {
            out.push(FrameItem::Line { from: a, to: b, stroke: stroke.clone() });
        }
    };
    let (o, l) = (style.offset, style.length);
    for x in grid.cuts_x() {
        push(Point::new(x, t.min.y - o - l), Point::new(x, t.min.y - o));
        push(Point::new(x, t.max.y + o), Point::new(x, t.max.y + o + l));
    }
    for y in grid.cuts_y() {
        push(Point::new(t.min.x - o - l, y), Point::new(t.min.x - o, y));
        push(Point::new(t.max.x + o, y), Point::new(t.max.x + o + l, y));
    }
    (out, clipped)
}

/// Clips an axis-parallel segment to `area`; marks shorter than 1 mm are dropped.
fn clip_segment(a: Point, b: Point, area: &Rect) -> (Option<(Point, Point)>, bool) {
    let lo = Point::new(a.x.min(b.x).max(area.min.x), a.y.min(b.y).max(area.min.y));
    let hi = Point::new(a.x.max(b.x).min(area.max.x), a.y.max(b.y).min(area.max.y));
    let cut = lo.x.0 > a.x.min(b.x).0 + 1e-6
        || lo.y.0 > a.y.min(b.y).0 + 1e-6
        || hi.x.0 < a.x.max(b.x).0 - 1e-6
        || hi.y.0 < a.y.max(b.y).0 - 1e-6;
    let len = (hi.x - lo.x).max(hi.y - lo.y).0;
    let outside = hi.x.0 < lo.x.0 - 1e-6 || hi.y.0 < lo.y.0 - 1e-6;
    if outside || len < crate::units::Mm(1.0).to_pt().0 {
        return (None, true);
    }
    (Some((lo, hi)), cut)
}
