//! Saddle-stitched booklets: page order on nested sheets, creep (shingling) compensation, the
//! imposed spreads for a press sheet or an office duplex printer, and the booklet's single pages
//! and download pages. Plain data and geometry; the pages come from `layout::booklet` (which pads
//! them to a multiple of four), each sheet's shift from the model's `Binding::creep`.
//!
//! **Creep.** `S` sheets are folded and nested, sheet `s = 0` outside. A folded sheet is two
//! leaves, `2 t` thick for a caliper `t`: one leaf (`t`) on each side of the fold. The fold of
//! sheet `s` therefore lies inside the `s` sheets around it, `s × t` further from the spine's
//! outside than the outer fold, and its leaves reach `s × t` further towards the fore-edge. The
//! book is trimmed flush at the fore-edge, so sheet `s` loses `s × t` there. Compensation shifts
//! both pages of sheet `s` towards the spine by `creep(s) = s × t`: the outside sheet does not
//! move, the centre sheet moves most, `(S − 1) × t` (24 pages A5 = 6 sheets of 0.1–0.12 mm
//! paper: 0.5–0.6 mm); with a separate cover paper of caliper `c`, `creep(s) = c + (s − 1) × t`. The shifted pages meet at the sheet's own fold, so each loses a strip of
//! `creep(s)` at the spine: the spine-side margin must take it ([`check_margin`]).

use std::fmt;
use std::sync::Arc;

use crate::layout::{Frame, FrameItem, Stroke};
use crate::model::TurnAxis;
use crate::units::{Mm, Point, Pt, Rect, Size};

use super::duplex::behind_rect;
use super::grid::Grid;
use super::leaflet::fold_marks;
use super::marks::{MarkStyle, crop_marks};
use super::{Document, FrameBox, Marks, Page, Placed};

/// The two pages on one side of a folded sheet, as seen from that side (1-based page numbers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SidePages {
    /// Left of the fold.
    pub left: u32,
    /// Right of the fold.
    pub right: u32,
}

/// The pages of one sheet: the side that faces out when folded, and the inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SheetPages {
    /// Pages `N − 2s` and `2s + 1`.
    pub outside: SidePages,
    /// Pages `2s + 2` and `N − 2s − 1`.
    pub inside: SidePages,
}

/// Why a booklet cannot be imposed; the caller turns it into a located diagnostic.
#[derive(Clone, Debug, PartialEq)]
pub enum BookletError {
    /// Page count not a positive multiple of four.
    PageCount {
        /// The count.
        pages: u32,
    },
    /// A spread (with bleed and marks) does not fit the sheet in either orientation.
    NoFit {
        /// What is needed, mm.
        need: (f64, f64),
        /// The sheet, mm.
        sheet: (f64, f64),
    },
    /// A margin cannot take a sheet's creep shift and keep the safe distance.
    Margin {
        /// Sheet index, 0 = outside.
        sheet: usize,
        /// The margin, mm.
        margin: f64,
        /// The sheet's shift, mm.
        shift: f64,
        /// The safe distance, mm.
        safe: f64,
    },
}

impl fmt::Display for BookletError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BookletError::PageCount { pages } => {
                write!(f, "a saddle-stitched booklet needs a multiple of 4 pages, not {pages}")
            }
            BookletError::NoFit { need, sheet } => write!(
                f,
                "a spread of {:.1} × {:.1} mm (with bleed and marks) does not fit a {:.1} × {:.1} mm sheet",
                need.0, need.1, sheet.0, sheet.1
            ),
            BookletError::Margin { sheet, margin, shift, safe } => write!(
                f,
                "sheet {} (from the outside) shifts its pages {shift:.2} mm towards the spine: the {margin:.1} mm margin keeps {:.2} mm, less than the safe {safe:.1} mm",
                sheet + 1,
                margin - shift
            ),
        }
    }
}

impl std::error::Error for BookletError {}

/// Which pages each sheet holds, outside sheet first, for `pages` pages (a multiple of 4).
pub fn page_order(pages: u32) -> Result<Vec<SheetPages>, BookletError> {
    if pages == 0 || !pages.is_multiple_of(4) {
        return Err(BookletError::PageCount { pages });
    }
    let n = pages;
    Ok((0..n / 4)
        .map(|s| SheetPages {
            outside: SidePages { left: n - 2 * s, right: 2 * s + 1 },
            inside: SidePages { left: 2 * s + 2, right: n - 2 * s - 1 },
        })
        .collect())
}

/// Checks that `margin` minus each sheet's shift keeps `safe`. The margin is the one the shift
/// eats: with compensation the pages are shifted towards the spine and meet at their own sheet's
/// fold, so it is the spine-side margin measured in the layout (without compensation the same
/// amount would come off the fore-edge margin instead).
pub fn check_margin(creep: &[Mm], margin: Mm, safe: Mm) -> Result<(), BookletError> {
    match creep.iter().enumerate().find(|(_, c)| margin.0 - c.0 < safe.0 - 1e-9) {
        Some((sheet, c)) => Err(BookletError::Margin { sheet, margin: margin.0, shift: c.0, safe: safe.0 }),
        None => Ok(()),
    }
}

/// A booklet as imposition sees it: page geometry and which frame shows each printed page.
#[derive(Clone, Debug, PartialEq)]
pub struct BookletPlan {
    /// Every page's frame geometry (bleed on all sides; the spine side is clipped away).
    pub page: FrameBox,
    /// For printed page `p` (1-based), `frames[p − 1]`: the frame, `None` for a blank page.
    pub frames: Vec<Option<usize>>,
}

/// Mark settings of a press sheet.
#[derive(Clone, Debug)]
pub struct BookletMarks {
    /// Crop marks; fold marks use the same with a dash. Offset at least the bleed.
    pub style: MarkStyle,
    /// Staple positions, measured down from the top trim (e.g. ¼ and ¾ of the height).
    pub stitches: Vec<Pt>,
}

/// How the sheet is turned over for its inside. Both are a turn about the axis parallel to the
/// spine (left and right swap, [`TurnAxis::Vertical`]); which paper edge that is depends on the
/// sheet's orientation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flip {
    /// Landscape sheet: flip on the short edge.
    ShortEdge,
    /// Portrait sheet: flip on the long edge.
    LongEdge,
}

/// An imposed booklet.
#[derive(Clone, Debug)]
pub struct ImposedBooklet {
    /// Two pages per sheet: its outside, then its inside (as seen from that side).
    pub doc: Document,
    /// How to turn the sheet over in duplex.
    pub flip: Flip,
    /// Each sheet's creep shift.
    pub creep: Vec<Mm>,
}

/// Imposes on press sheets of `sheet` (either orientation; the one that fits the spread is
/// chosen, landscape first): spreads with bleed on the outer edges, centred, each page shifted
/// by its sheet's creep, crop marks at the outer trim corners, dashed fold marks at the spine and
/// stitch marks at the staples' heights, all outside the bleed.
pub fn press_sheet(
    title: &str,
    plan: &BookletPlan,
    sheet: Size,
    creep: &[Mm],
    marks: &BookletMarks,
) -> Result<ImposedBooklet, BookletError> {
    let bleed = plan.page.bleed();
    let trim = plan.page.trim.size();
    let reach = marks.style.offset.max(bleed) + marks.style.length;
    let need = Size { w: trim.w * 2.0 + reach * 2.0, h: trim.h + reach * 2.0 };
    let (long, short) = (sheet.w.max(sheet.h), sheet.w.min(sheet.h));
    let media = [Size { w: long, h: short }, Size { w: short, h: long }]
        .into_iter()
        .find(|m| need.w.0 <= m.w.0 + 1e-6 && need.h.0 <= m.h.0 + 1e-6)
        .ok_or_else(|| no_fit(need, sheet))?;
    let flip = if media.w.0 >= media.h.0 { Flip::ShortEdge } else { Flip::LongEdge };
    spreads(title, plan, media, creep, Some(marks), flip)
}

/// Imposes for an office duplex printer: A4 landscape, two pages a side, no bleed, no marks,
/// short-edge flip; pages still shifted by their sheet's creep.
pub fn office_duplex(title: &str, plan: &BookletPlan, creep: &[Mm]) -> Result<ImposedBooklet, BookletError> {
    let media = Size { w: Mm(297.0).to_pt(), h: Mm(210.0).to_pt() };
    let trim = plan.page.trim.size();
    let need = Size { w: trim.w * 2.0, h: trim.h };
    if need.w.0 > media.w.0 + 1e-6 || need.h.0 > media.h.0 + 1e-6 {
        return Err(no_fit(need, media));
    }
    spreads(title, plan, media, creep, None, Flip::ShortEdge)
}

fn no_fit(need: Size, sheet: Size) -> BookletError {
    BookletError::NoFit { need: (need.w.to_mm().0, need.h.to_mm().0), sheet: (sheet.w.to_mm().0, sheet.h.to_mm().0) }
}

/// The trim rectangles of a sheet's left and right page on its outside, centred on `media`.
fn slots(media: Size, page: Size, shift: Pt) -> (Rect, Rect) {
    let (cx, top) = (media.w / 2.0, (media.h - page.h) / 2.0);
    let left = Rect { min: Point::new(cx - page.w + shift, top), max: Point::new(cx + shift, top + page.h) };
    let right = Rect { min: Point::new(cx - shift, top), max: Point::new(cx + page.w - shift, top + page.h) };
    (left, right)
}

fn spreads(
    title: &str,
    plan: &BookletPlan,
    media: Size,
    creep: &[Mm],
    marks: Option<&BookletMarks>,
    flip: Flip,
) -> Result<ImposedBooklet, BookletError> {
    let order = page_order(plan.frames.len() as u32)?;
    // Each sheet's shift (the model's `Binding::creep`); a missing entry is no shift.
    let creep: Vec<Mm> = (0..order.len()).map(|s| creep.get(s).copied().unwrap_or(Mm(0.0))).collect();
    let frame_bleed = plan.page.bleed();
    let shown = if marks.is_some() { frame_bleed } else { Pt::ZERO };
    let page = plan.page.trim.size();
    let spine = media.w / 2.0;
    let axis = TurnAxis::Vertical;
    let mut doc = Document { title: title.to_string(), ..Document::default() };
    let n_frames = plan.frames.iter().flatten().map(|&f| f + 1).max().unwrap_or(0);
    doc.frame_labels = vec![String::new(); n_frames];
    for (p, f) in plan.frames.iter().enumerate() {
        if let Some(f) = f {
            doc.frame_labels[*f] = format!("page {}", p + 1);
        }
    }
    for (s, sheet) in order.iter().enumerate() {
        let (left, right) = slots(media, page, creep[s].to_pt());
        let trim = Rect { min: left.min, max: right.max };
        // Bleed on the outer edges only: each page is clipped at the fold.
        let clip_left = Rect {
            min: Point::new(left.min.x - shown, left.min.y - shown),
            max: Point::new(spine, left.max.y + shown),
        };
        let clip_right = Rect {
            min: Point::new(spine, right.min.y - shown),
            max: Point::new(right.max.x + shown, right.max.y + shown),
        };
        let front_marks: Vec<FrameItem> = match marks {
            Some(m) => spread_marks(trim, spine, media, frame_bleed, m),
            None => Vec::new(),
        };
        // The inside, seen from its own side, lies mirrored behind the outside: its left page
        // behind the outside's right page, so the two sides register.
        let behind = |r: Rect| behind_rect(r, axis, media);
        let back_marks: Vec<FrameItem> = front_marks.iter().map(|it| mirror(it, axis, media)).collect();
        let sides = [
            ("outside", sheet.outside, [(left, clip_left), (right, clip_right)], trim, front_marks),
            (
                "inside",
                sheet.inside,
                [(behind(right), behind(clip_right)), (behind(left), behind(clip_left))],
                behind(trim),
                back_marks,
            ),
        ];
        for (name, pages, slots, trim_box, marks) in sides {
            let content = [pages.left, pages.right]
                .into_iter()
                .zip(slots)
                .filter_map(|(p, (slot, clip))| {
                    plan.frames[p as usize - 1].map(|frame| Placed {
                        frame,
                        at: Point::new(slot.min.x - frame_bleed, slot.min.y - frame_bleed),
                        rotation: Default::default(),
                        clip: Some(clip),
                    })
                })
                .collect();
            doc.pages.push(Page {
                media,
                trim_box,
                bleed_box: trim_box.inflate(shown),
                content,
                marks: Marks { shared: Arc::from(Vec::new()), own: marks },
                transform: None,
                label: format!("sheet {} {name} (pages {} and {})", s + 1, pages.left, pages.right),
            });
        }
    }
    Ok(ImposedBooklet { doc, flip, creep })
}

fn mirror(it: &FrameItem, axis: TurnAxis, media: Size) -> FrameItem {
    match it {
        FrameItem::Line { from, to, stroke } => {
            FrameItem::Line { from: axis.behind(*from, media), to: axis.behind(*to, media), stroke: stroke.clone() }
        }
        other => other.clone(),
    }
}

/// Crop, fold and stitch marks of one spread's outside.
fn spread_marks(trim: Rect, spine: Pt, media: Size, bleed: Pt, m: &BookletMarks) -> Vec<FrameItem> {
    let style = MarkStyle { offset: m.style.offset.max(bleed), ..m.style.clone() };
    let grid = Grid { cols: 1, rows: 1, rotated: false, cell: trim.size(), gap: Pt::ZERO, slots: vec![trim], trim };
    let mut out = crop_marks(&grid, &style, &Rect::from_origin_size(Point::default(), media)).0;
    let fold = MarkStyle { dash: Some(vec![Pt(3.0), Pt(2.0)]), ..style.clone() };
    out.extend(fold_marks(&[spine - trim.min.x], trim, &fold));
    out.extend(stitch_marks(&m.stitches, trim, &style));
    out
}

/// Stitch marks: the spine lies inside the bleed, so each staple's height is marked by a short
/// horizontal line outside the bleed at both outer edges of the spread (a new mark kind, drawn
/// as the crop and fold marks are: a line in the marks' stroke). A rule between the two crosses
/// the spine where the staple goes.
pub fn stitch_marks(stitches: &[Pt], trim: Rect, style: &MarkStyle) -> Vec<FrameItem> {
    let stroke = Stroke { color: style.color.clone(), width: style.width, dash: None };
    let (o, l) = (style.offset, style.length);
    let line = |a: Point, b: Point| FrameItem::Line { from: a, to: b, stroke: stroke.clone() };
    stitches
        .iter()
        .flat_map(|&d| {
            let y = trim.min.y + d;
            [
                line(Point::new(trim.min.x - o - l, y), Point::new(trim.min.x - o, y)),
                line(Point::new(trim.max.x + o, y), Point::new(trim.max.x + o + l, y)),
            ]
        })
        .collect()
}

/// The print shop's file: every page on its own, with bleed on all four sides (the shop
/// imposes and trims), in reading order; `labels` name the pages in diagnostics.
#[must_use]
pub fn single_pages(title: &str, frames: Vec<Frame>, labels: Vec<String>) -> Document {
    let mut doc = Document { title: title.to_string(), ..Document::default() };
    for (i, frame) in frames.into_iter().enumerate() {
        let media = frame.size;
        doc.pages.push(Page {
            media,
            trim_box: frame.trim,
            bleed_box: Rect::from_origin_size(Point::default(), media),
            content: vec![Placed { frame: i, at: Point::default(), rotation: Default::default(), clip: None }],
            marks: Marks::default(),
            transform: None,
            label: labels.get(i).cloned().unwrap_or_default(),
        });
        doc.frames.push(frame.into());
    }
    doc.frame_labels = labels;
    doc
}

/// The download version's pages: each page cut to its trim (no bleed, no marks), in reading
/// order.
#[must_use]
pub fn download_pages(title: &str, frames: Vec<Frame>, labels: Vec<String>) -> Document {
    let mut doc = Document { title: title.to_string(), ..Document::default() };
    for (i, frame) in frames.into_iter().enumerate() {
        let media = frame.trim.size();
        let page = Rect::from_origin_size(Point::default(), media);
        doc.pages.push(Page {
            media,
            trim_box: page,
            bleed_box: page,
            content: vec![Placed {
                frame: i,
                at: Point::new(-frame.trim.min.x, -frame.trim.min.y),
                rotation: Default::default(),
                clip: Some(page),
            }],
            marks: Marks::default(),
            transform: None,
            label: labels.get(i).cloned().unwrap_or_default(),
        });
        doc.frames.push(frame.into());
    }
    doc.frame_labels = labels;
    doc
}

#[cfg(test)]
mod tests;
