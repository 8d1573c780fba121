//! Imposed duplex sheets: fronts and backs interleaved, marks, slug line.

use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::layout::card::CardFaces;
use crate::layout::{Frame, FrameItem, Side};
use crate::model::sheet::{CutStyle, Fill};
use crate::model::{Color, SheetLayout};
use crate::units::{Mm, Point, Pt, Rect, Transform};

use super::duplex::{back_offset_transform, back_rotation, behind_rect};
use super::grid::{Grid, NoFit, fit, gap_for};
use super::marks::{MarkStyle, crop_marks};
use super::{CardPlan, Document, Marks, Page, Placed, Rotation, card_frame, card_frame_labels, card_frames};

/// What the slug line says, and the layout stage's function that sets a text as a one-line
/// frame (see [`crate::layout::slug::lay_out_slug`]); impose composes the text per sheet and
/// side and places the frame.
pub struct Slug<'a> {
    /// Job name (e.g. the product).
    pub job: String,
    /// Date as YYYY-MM-DD.
    pub date: String,
    /// Lays out a slug text in a colour (the marks'); `None` when it cannot be set.
    pub lay_out: &'a dyn Fn(&str, &Color) -> Option<Frame>,
}

/// An imposed document and the warnings met on the way.
pub struct Imposed {
    /// The document.
    pub doc: Document,
    /// Non-fatal findings (marks clipped, no room for the slug…).
    pub warnings: Vec<Diagnostic>,
    /// The grid used.
    pub grid: Grid,
    /// Number of sheets (each has a front and a back page).
    pub sheets: usize,
}

/// Imposes card faces on duplex sheets. `cards` must have been laid out with the sheet's back
/// extra bleed. Errors when no card fits or the settings contradict each other.
pub fn impose(
    title: &str,
    cards: &[CardFaces],
    sheet: &SheetLayout,
    slug: Option<&Slug>,
) -> Result<Imposed, Diagnostic> {
    let plans: Vec<CardPlan> = cards.iter().map(CardPlan::of).collect();
    let mut im = impose_plan(title, &plans, sheet, slug)?;
    im.doc.frames = card_frames(cards);
    Ok(im)
}

/// Imposes cards known only by their geometry: the pages name frames by position (see
/// [`CardPlan`]) and the document has no frames yet.
pub fn impose_plan(
    title: &str,
    cards: &[CardPlan],
    sheet: &SheetLayout,
    slug: Option<&Slug>,
) -> Result<Imposed, Diagnostic> {
    let first = cards.first().ok_or_else(|| Diagnostic::error("no cards to impose"))?;
    let bleed = first.front.bleed();
    let back_bleed = first.back.bleed();
    let card = first.front.trim.size();
    let at_sheet = |d: Diagnostic| d.at(sheet.file.locate(""));
    if sheet.style == CutStyle::Gutter && gap_for(sheet, bleed).0 + 1e-6 < bleed.0 * 2.0 {
        return Err(at_sheet(Diagnostic::error(format!(
            "gutter {:.1} mm is less than twice the bleed ({:.1} mm)",
            gap_for(sheet, bleed).to_mm().0,
            (bleed * 2.0).to_mm().0
        )))
        .with_hint("make the gutter at least 2 × bleed, or use \"style\": \"shared\""));
    }
    let grid = fit(sheet, card, bleed).map_err(|NoFit { short_w, short_h }| {
        let miss = |p: Pt| if p.0 > 0.0 { format!("{:.1} mm", p.to_mm().0) } else { "0 mm".into() };
        at_sheet(Diagnostic::error(format!(
            "a {:.0} × {:.0} mm card does not fit sheet layout `{}`: it misses by {} in width and {} in height",
            card.w.to_mm().0,
            card.h.to_mm().0,
            sheet.name,
            miss(short_w),
            miss(short_h)
        )))
        .with_hint("use a larger sheet, smaller margins, or allow \"rotate\": true")
    })?;
    let mut warnings = Vec::new();
    let axis = sheet.turn_axis();
    let sz = sheet.size;

    // The card sequence: copies in deck order; the last sheet blank or repeated.
    let seq: Vec<usize> =
        cards.iter().enumerate().flat_map(|(i, c)| std::iter::repeat_n(i, c.copies as usize)).collect();
    let cap = grid.capacity();
    let n_sheets = seq.len().div_ceil(cap);

    let mut doc = Document { title: title.to_string(), frame_labels: card_frame_labels(cards), ..Document::default() };

    let mark_offset = sheet.mark_offset.unwrap_or(Mm(3.0).to_pt()).max(back_bleed).max(bleed);
    if let Some(o) = sheet.mark_offset
        && o.0 + 1e-6 < back_bleed.0
    {
        return Err(at_sheet(Diagnostic::error(format!(
            "crop marks start {:.1} mm from the trim, inside the bleed ({:.1} mm)",
            o.to_mm().0,
            back_bleed.to_mm().0
        )))
        .with_hint("set marks.offset to at least the bleed (including any back_extra_bleed)"));
    }
    let printable = Rect::from_origin_size(Point::default(), sz).inflate(-sheet.unprintable);
    let mark_style = MarkStyle {
        offset: mark_offset,
        length: sheet.mark_length,
        width: sheet.mark_width,
        color: sheet.mark_color.clone(),
        dash: None,
    };
    let (front_marks, clipped) =
        if sheet.crop_marks { crop_marks(&grid, &mark_style, &printable) } else { (Vec::new(), 0) };
    if clipped > 0 {
        warnings.push(at_sheet(Diagnostic::warning(format!(
            "{clipped} crop mark(s) were shortened or left out: they would reach into the printer's unprintable border"
        )))
        .with_hint("increase the margin so marks fit, or turn marks off for this printer"));
    }
    let back_trim = behind_rect(grid.trim, axis, sz);
    let mirror_line = |it: &FrameItem| match it {
        FrameItem::Line { from, to, stroke } => {
            FrameItem::Line { from: axis.behind(*from, sz), to: axis.behind(*to, sz), stroke: stroke.clone() }
        }
        other => other.clone(),
    };
    let back_marks: Vec<FrameItem> =
        if sheet.marks_fronts_only { Vec::new() } else { front_marks.iter().map(mirror_line).collect() };
    // Every sheet side carries the same crop marks: keep them once.
    let (front_marks, back_marks): (Arc<[FrameItem]>, Arc<[FrameItem]>) = (front_marks.into(), back_marks.into());
    let (ox, oy, angle) = sheet.back_offset;
    let back_t = (ox.0 != 0.0 || oy.0 != 0.0 || angle != 0.0).then(|| back_offset_transform(axis, ox, oy, angle, sz));
    // The bleed must stay on the paper, or the print shop's RIP crops it (and PDF/X forbids a
    // BleedBox outside the MediaBox): say which setting pushed it off.
    let media = Rect::from_origin_size(Point::default(), sz);
    let off = |r: Rect| media.overhang(&r);
    if off(grid.trim.inflate(bleed)).0 > 0.005 {
        let key = if sheet.origin.is_some() { "origin" } else { "margin" };
        return Err(Diagnostic::error(format!(
            "the cards' bleed reaches {:.1} mm beyond the sheet",
            off(grid.trim.inflate(bleed)).to_mm().0
        ))
        .with_hint(format!("move `{key}` so the grid and its bleed lie on the sheet"))
        .at(sheet.file.locate(key)));
    }
    if let Some(t) = &back_t {
        let over = off(transformed_bbox(t, back_trim.inflate(back_bleed)));
        if over.0 > 0.005 {
            return Err(Diagnostic::error(format!(
                "`back_offset` moves the backs' bleed {:.1} mm beyond the sheet",
                over.to_mm().0
            ))
            .with_hint("a misregistration correction is a millimetre or two; print `tryksag calibrate` and read the offset off it")
            .at(sheet.file.locate("duplex.back_offset")));
        }
    }
    let front_rot = if grid.rotated { Rotation::R90 } else { Rotation::R0 };
    let back_rot = back_rotation(front_rot, axis);

    for s in 0..n_sheets {
        let mut front = Vec::new();
        let mut back = Vec::new();
        for (k, slot) in grid.slots.iter().enumerate() {
            let pos = s * cap + k;
            let card = match seq.get(pos) {
                Some(&i) => i,
                None if sheet.fill == Fill::Repeat => seq[pos % seq.len()],
                None => continue,
            };
            let (c, r) = (k % grid.cols, k / grid.cols);
            let clip_for = |b: Pt| -> Rect {
                match sheet.style {
                    CutStyle::Gutter => slot.inflate(b),
                    // Shared cuts: bleed only on the grid's outside edges.
                    CutStyle::Shared => Rect {
                        min: Point::new(
                            slot.min.x - if c == 0 { b } else { Pt::ZERO },
                            slot.min.y - if r == 0 { b } else { Pt::ZERO },
                        ),
                        max: Point::new(
                            slot.max.x + if c + 1 == grid.cols { b } else { Pt::ZERO },
                            slot.max.y + if r + 1 == grid.rows { b } else { Pt::ZERO },
                        ),
                    },
                }
            };
            front.push(Placed {
                frame: card_frame(card, Side::Front),
                at: Point::new(slot.min.x - bleed, slot.min.y - bleed),
                rotation: front_rot,
                clip: Some(clip_for(bleed)),
            });
            let bslot = behind_rect(*slot, axis, sz);
            back.push(Placed {
                frame: card_frame(card, Side::Back),
                at: Point::new(bslot.min.x - back_bleed, bslot.min.y - back_bleed),
                rotation: back_rot,
                clip: Some(behind_rect(clip_for(back_bleed), axis, sz)),
            });
        }
        for (side, content) in [(Side::Front, front), (Side::Back, back)] {
            let is_front = side == Side::Front;
            let (trim_box, b) = if is_front { (grid.trim, bleed) } else { (back_trim, back_bleed) };
            let mut marks =
                Marks { shared: if is_front { front_marks.clone() } else { back_marks.clone() }, own: Vec::new() };
            if let Some(slug) = slug.filter(|_| sheet.slug) {
                let text = format!(
                    "{} · {} · ark {} af {} · {} · {} · {}",
                    slug.job,
                    title,
                    s + 1,
                    n_sheets,
                    side.danish(),
                    slug.date,
                    sheet.name
                );
                match slug_items(&text, &sheet.mark_color, slug, trim_box, mark_offset + sheet.mark_length, &printable)
                {
                    Some(items) => marks.own.extend(items),
                    None if s == 0 && is_front => warnings.push(
                        at_sheet(Diagnostic::warning("no room for the slug line outside the marks"))
                            .with_hint("increase the margin or set \"slug\": false"),
                    ),
                    None => {}
                }
            }
            let transform = if is_front { None } else { back_t };
            let bbox = |r: Rect| match &transform {
                Some(t) => transformed_bbox(t, r),
                None => r,
            };
            doc.pages.push(Page {
                media: sz,
                trim_box: bbox(trim_box),
                bleed_box: bbox(trim_box.inflate(b)),
                content,
                marks,
                transform,
                label: format!("sheet {} {}", s + 1, side.danish()),
            });
        }
    }
    Ok(Imposed { doc, warnings, grid, sheets: n_sheets })
}

fn transformed_bbox(t: &Transform, r: Rect) -> Rect {
    let pts = [r.min, Point::new(r.max.x, r.min.y), Point::new(r.min.x, r.max.y), r.max].map(|p| t.apply(p));
    let (mut lo, mut hi) = (pts[0], pts[0]);
    for p in pts {
        lo = Point::new(lo.x.min(p.x), lo.y.min(p.y));
        hi = Point::new(hi.x.max(p.x), hi.y.max(p.y));
    }
    Rect { min: lo, max: hi }
}

/// Places the slug frame, in the marks' colour (the slug is a mark), below the bottom marks (or above the top ones), left-aligned with the grid.
fn slug_items(text: &str, color: &Color, slug: &Slug, trim: Rect, reach: Pt, area: &Rect) -> Option<Vec<FrameItem>> {
    let frame = (slug.lay_out)(text, color)?;
    let gap = Mm(1.5).to_pt();
    let below = trim.max.y + reach + gap;
    let above = trim.min.y - reach - gap - frame.size.h;
    let top = if below + frame.size.h <= area.max.y {
        below
    } else if above >= area.min.y {
        above
    } else {
        return None;
    };
    let x = trim.min.x.max(area.min.x);
    if x + frame.size.w > area.max.x {
        return None;
    }
    // Marks are drawn in page coordinates, so the frame's items are moved into place.
    Some(frame.items.into_iter().map(|item| item.moved_by(x, top)).collect())
}
