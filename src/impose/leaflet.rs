//! Imposing a folded leaflet: the outside and inside of the sheet with panels in the order the
//! fold requires, crop marks at the corners and dashed fold marks outside the bleed; and the
//! screen version, the reflowed pages of the download version.

use crate::layout::leaflet::LeafletPanels;
use crate::layout::{Frame, FrameItem, Stroke};
use crate::model::color::Color;
use crate::units::{Mm, Point, Pt, Rect, Size};

use super::grid::Grid;
use super::marks::{MarkStyle, crop_marks};
use super::pages::{FramePage, frame_pages};
use super::{Document, Page, Placed};
use crate::model::fold::{FoldGeometry, PanelRole, SheetSide};

/// Mark settings for leaflets (same offset and length for crop and fold marks).
fn mark_style(bleed: Pt, dash: bool) -> MarkStyle {
    MarkStyle {
        offset: bleed.max(Mm(3.0).to_pt()),
        length: Mm(5.0).to_pt(),
        width: Pt(0.25),
        color: Color::Registration,
        dash: dash.then(|| vec![Pt(3.0), Pt(2.0)]),
    }
}

/// Fold marks: a dashed mark above and below the sheet at each fold.
pub fn fold_marks(folds: &[Pt], trim: Rect, style: &MarkStyle) -> Vec<FrameItem> {
    let stroke = Stroke { color: style.color.clone(), width: style.width, dash: style.dash.clone() };
    let (o, l) = (style.offset, style.length);
    folds
        .iter()
        .flat_map(|&f| {
            let x = trim.min.x + f;
            [
                FrameItem::Line {
                    from: Point::new(x, trim.min.y - o - l),
                    to: Point::new(x, trim.min.y - o),
                    stroke: stroke.clone(),
                },
                FrameItem::Line {
                    from: Point::new(x, trim.max.y + o),
                    to: Point::new(x, trim.max.y + o + l),
                    stroke: stroke.clone(),
                },
            ]
        })
        .collect()
}

/// The print document: page 1 the outside, page 2 the inside. `office`: the page is the trimmed
/// sheet itself (no bleed, no marks) for printing on A4 paper.
pub fn print_document(
    title: &str,
    g: &FoldGeometry,
    panels: &LeafletPanels,
    bleed: Pt,
    marks: bool,
    office: bool,
) -> Document {
    let crop = mark_style(bleed, false);
    let m = if office {
        Pt::ZERO
    } else if marks {
        crop.offset + crop.length
    } else {
        bleed
    };
    let w = g.sheet.w;
    let trim = Rect::from_origin_size(Point::new(m, m), g.sheet);
    let media = Size { w: g.sheet.w + m * 2.0, h: g.sheet.h + m * 2.0 };
    let mut doc = Document { title: title.to_string(), ..Document::default() };
    doc.frames.push(panels.cover.clone().into());
    doc.frame_labels.push("cover".into());
    let cover_ix = 0;
    let mut frame_ix = vec![None; g.panels.len()];
    for (i, f) in panels.panels.iter().enumerate() {
        if let Some(f) = f {
            doc.frames.push(f.clone().into());
            doc.frame_labels.push(format!("panel {}", g.panels[i].name));
            frame_ix[i] = Some(doc.frames.len() - 1);
        }
    }
    let cover_panels: Vec<usize> = (0..g.panels.len()).filter(|&i| g.panels[i].role == PanelRole::Cover).collect();
    for (side, folds, label) in
        [(SheetSide::Outside, &g.folds_outside, "outside"), (SheetSide::Inside, &g.folds_inside, "inside")]
    {
        let mut content = Vec::new();
        for (i, p) in g.panels.iter().enumerate().filter(|(_, p)| p.side == side) {
            // The panel's area on the page; bleed only where it meets the sheet edge.
            let left = if p.x.0.abs() < 1e-6 { bleed } else { Pt::ZERO };
            let right = if (p.x + p.width - w).abs().0 < 1e-6 { bleed } else { Pt::ZERO };
            let clip = Rect {
                min: Point::new(trim.min.x + p.x - left, trim.min.y - bleed),
                max: Point::new(trim.min.x + p.x + p.width + right, trim.max.y + bleed),
            };
            let (frame, shift) = if p.role == PanelRole::Cover {
                // A cover across two flaps (gate fold) shows its left part on the first flap and
                // its right part on the second.
                let before: Pt = cover_panels
                    .iter()
                    .take_while(|&&c| c != i)
                    .map(|&c| g.panels[c].width)
                    .fold(Pt::ZERO, |a, b| a + b);
                (cover_ix, before)
            } else {
                (frame_ix[i].expect("non-cover panels have frames"), Pt::ZERO)
            };
            content.push(Placed {
                frame,
                at: Point::new(trim.min.x + p.x - shift - bleed, trim.min.y - bleed),
                rotation: Default::default(),
                clip: Some(clip),
            });
        }
        let mut page_marks = Vec::new();
        if marks {
            let grid = Grid { cols: 1, rows: 1, rotated: false, cell: g.sheet, gap: Pt::ZERO, slots: vec![trim], trim };
            page_marks = crop_marks(&grid, &crop, &Rect::from_origin_size(Point::default(), media)).0;
            page_marks.extend(fold_marks(folds, trim, &mark_style(bleed, true)));
        }
        doc.pages.push(Page {
            media,
            trim_box: trim,
            bleed_box: if office { trim } else { trim.inflate(bleed) },
            content,
            marks: page_marks.into(),
            transform: None,
            label: label.into(),
        });
    }
    doc
}

/// The screen document: the download version's reflowed pages (`layout::leaflet_screen`), in
/// reading order, each page its frame (no bleed, no marks).
pub fn screen_document(title: &str, pages: Vec<Frame>) -> Document {
    let pages = (pages.into_iter().enumerate())
        .map(|(i, frame)| FramePage { frame, label: format!("page {}", i + 1), transform: None })
        .collect();
    frame_pages(title.to_string(), pages)
}
