//! The N-up grid: how many cards fit on a sheet, and where each slot's trim lies.
//!
//! Rules (PRINT.md): the grid's cut lines keep at least the sheet margin from the sheet edge;
//! marks and the outer bleed live in that margin. With shared cuts cards abut; with gutters each
//! card keeps its own bleed and the gutter is at least twice the bleed. Both orientations of the
//! card are tried when rotation is allowed; the grid is centred unless an origin is given.

use crate::model::SheetLayout;
use crate::model::sheet::CutStyle;
use crate::units::{Point, Pt, Rect, Size};

/// A computed grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// Columns.
    pub cols: usize,
    /// Rows.
    pub rows: usize,
    /// Cards turned 90° clockwise.
    pub rotated: bool,
    /// Slot size on the sheet (the card's trim, turned if rotated).
    pub cell: Size,
    /// Gap between slots (0 for shared cuts).
    pub gap: Pt,
    /// Slot trim rectangles, row by row from the top-left.
    pub slots: Vec<Rect>,
    /// The rectangle enclosing all cut lines.
    pub trim: Rect,
}

impl Grid {
    /// Slots per sheet.
    pub fn capacity(&self) -> usize {
        self.cols * self.rows
    }
    /// Positions of vertical cut lines (x), left to right.
    pub fn cuts_x(&self) -> Vec<Pt> {
        cuts(self.trim.min.x, self.cols, self.cell.w, self.gap)
    }
    /// Positions of horizontal cut lines (y), top to bottom.
    pub fn cuts_y(&self) -> Vec<Pt> {
        cuts(self.trim.min.y, self.rows, self.cell.h, self.gap)
    }
}

fn cuts(start: Pt, n: usize, w: Pt, gap: Pt) -> Vec<Pt> {
    let mut v = Vec::new();
    for i in 0..n {
        let a = start + (w + gap) * i as f64;
        if i == 0 || gap.0 > 0.0 {
            v.push(a);
        }
        v.push(a + w);
    }
    v
}

/// Why no grid fits: how far the best single card misses, in width and height.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NoFit {
    /// Missing width (≤ 0 if it fits across).
    pub short_w: Pt,
    /// Missing height.
    pub short_h: Pt,
}

/// The gap between slots for a sheet and bleed.
pub fn gap_for(sheet: &SheetLayout, bleed: Pt) -> Pt {
    match sheet.style {
        CutStyle::Shared => Pt::ZERO,
        CutStyle::Gutter => sheet.gutter.unwrap_or(bleed * 2.0),
    }
}

fn count(avail: Pt, w: Pt, gap: Pt) -> usize {
    if avail.0 + 1e-6 < w.0 { 0 } else { ((avail.0 + gap.0 + 1e-6) / (w.0 + gap.0)).floor() as usize }
}

/// Fits the most cards of `card` trim size on the sheet.
pub fn fit(sheet: &SheetLayout, card: Size, bleed: Pt) -> Result<Grid, NoFit> {
    let [mt, mr, mb, ml] = sheet.margin;
    let avail = Size { w: sheet.size.w - ml - mr, h: sheet.size.h - mt - mb };
    let gap = gap_for(sheet, bleed);
    let mut best: Option<(usize, bool, usize, usize, Size)> = None;
    for rotated in [false, true] {
        if rotated && !sheet.rotate {
            continue;
        }
        let cell = if rotated { Size { w: card.h, h: card.w } } else { card };
        let (c, r) = (count(avail.w, cell.w, gap), count(avail.h, cell.h, gap));
        if c * r > best.map(|b| b.0).unwrap_or(0) {
            best = Some((c * r, rotated, c, r, cell));
        }
    }
    let Some((_, rotated, cols, rows, cell)) = best else {
        let miss = |cell: Size| NoFit { short_w: cell.w - avail.w, short_h: cell.h - avail.h };
        let a = miss(card);
        let b = miss(Size { w: card.h, h: card.w });
        let worst = |m: &NoFit| m.short_w.max(Pt::ZERO).0 + m.short_h.max(Pt::ZERO).0;
        return Err(if sheet.rotate && worst(&b) < worst(&a) { b } else { a });
    };
    let grid_w = cell.w * cols as f64 + gap * (cols as f64 - 1.0);
    let grid_h = cell.h * rows as f64 + gap * (rows as f64 - 1.0);
    let origin = match sheet.origin {
        Some((x, y)) => Point::new(x, y),
        None => Point::new(ml + (avail.w - grid_w) / 2.0, mt + (avail.h - grid_h) / 2.0),
    };
    let mut slots = Vec::with_capacity(cols * rows);
    for r in 0..rows {
        for c in 0..cols {
            let p = Point::new(origin.x + (cell.w + gap) * c as f64, origin.y + (cell.h + gap) * r as f64);
            slots.push(Rect::from_origin_size(p, cell));
        }
    }
    let trim = Rect::from_origin_size(origin, Size { w: grid_w, h: grid_h });
    Ok(Grid { cols, rows, rotated, cell, gap, slots, trim })
}
