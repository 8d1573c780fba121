//! Reflowing content into pages of one column, for reading on screens: a list of blocks in
//! (typeset at the column's measure), pages of frames out. Blocks keep their reading order;
//! a block that is kept with the next one moves to the next page with it (headings, the title
//! block), a paragraph splits only with at least two lines on each page, images never split.
//! Used by the leaflet's download version (`layout/leaflet_screen.rs`); any product with a
//! reflowed download version (the booklet) builds its blocks the same way.

use crate::model::color::Color;
use crate::model::layout::Fit;
use crate::text::SetLine;
use crate::units::{Point, Pt, Rect, Size};

use super::frame::{Block, BlockKind, Frame, FrameItem};
use super::picture::Picture;

/// What a block shows.
#[derive(Clone, Debug)]
pub enum Content {
    /// Typeset lines (baselines from the top of the block) in one colour.
    Lines {
        /// The lines.
        lines: Vec<SetLine>,
        /// From the top of the block to the first baseline.
        ascent: Pt,
        /// From the last baseline to the bottom of the block.
        descent: Pt,
        /// Text colour.
        color: Color,
    },
    /// An image or artwork, fitted (contained) into the column's width and `height`.
    Image {
        /// The picture.
        picture: Picture,
        /// Height of its box.
        height: Pt,
    },
}

/// One block of reflowed content.
#[derive(Clone, Debug)]
pub struct FlowBlock {
    /// What it means (tags).
    pub kind: BlockKind,
    /// Its plain text (bookmarks).
    pub text: String,
    /// What it shows.
    pub content: Content,
    /// Space above it (none at a page's top).
    pub space_before: Pt,
    /// Whether it goes to the next page when the start of the next block does not fit after it.
    pub keep_with_next: bool,
    /// Whether it is never split across pages (a designed unit such as a contact block).
    pub whole: bool,
    /// A band of this colour behind the block, across the page's width (the title block on
    /// its cover colour); consecutive banded blocks make one band, from the page's top edge
    /// when the first of them starts the page.
    pub band: Option<Color>,
}

impl FlowBlock {
    fn len(&self) -> usize {
        match &self.content {
            Content::Lines { lines, .. } => lines.len(),
            Content::Image { .. } => 1,
        }
    }

    /// Height of lines `s..s + k`.
    fn height(&self, s: usize, k: usize) -> Pt {
        match &self.content {
            Content::Image { height, .. } => *height,
            Content::Lines { .. } if k == 0 => Pt::ZERO,
            Content::Lines { lines, ascent, descent, .. } => {
                lines[s + k - 1].baseline - lines[s].baseline + *ascent + *descent
            }
        }
    }

    /// Whether it may be split at all: text of more than three lines that is not `whole`.
    fn splits(&self) -> bool {
        matches!(self.content, Content::Lines { .. }) && !self.whole && self.len() > 3
    }

    /// The least of it that must follow a block kept with it: all of it, or its first two lines.
    fn start_height(&self) -> Pt {
        if self.splits() { self.height(0, 2) } else { self.height(0, self.len()) }
    }
}

/// The pages: their size and the column.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Column {
    /// Page size.
    pub page: Size,
    /// The text column on every page.
    pub rect: Rect,
}

/// A block that does not fit an empty page (index into the blocks, and by how much).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TooTall {
    /// Which block.
    pub block: usize,
    /// How much taller than the column it is.
    pub over: Pt,
}

/// Lays `blocks` out into pages of one column, in order. Each page is a frame of the page's size
/// (no bleed) with the blocks' items in reading order; band rectangles are decoration.
///
/// # Errors
///
/// A block whose first line (or whose image) is taller than the column.
pub fn reflow(blocks: &[FlowBlock], column: &Column) -> Result<Vec<Frame>, TooTall> {
    let col = column.rect;
    let col_h = col.height();
    let new_page =
        || Frame { size: column.page, trim: Rect::from_origin_size(Point::default(), column.page), ..Frame::default() };
    let mut pages = vec![new_page()];
    let (mut y, mut at_top) = (Pt::ZERO, true);
    let (mut i, mut s) = (0usize, 0usize);
    let fits = |h: Pt, avail: Pt| h.0 <= avail.0 + 0.01;
    while i < blocks.len() {
        let b = &blocks[i];
        let n = b.len() - s;
        let gap = if at_top { Pt::ZERO } else { b.space_before };
        let avail = col_h - y - gap;
        let k_fit = (0..=n).rev().find(|&k| fits(b.height(s, k), avail)).unwrap_or(0);
        let mut k = if k_fit == n {
            n
        } else if !b.splits() || n <= 3 {
            0
        } else {
            // At least two lines on each page (no widow, no orphan).
            let k = k_fit.min(n - 2);
            if k < 2 { 0 } else { k }
        };
        // A block kept with the next needs room for the next's start (through a chain of kept blocks).
        if k == n && b.keep_with_next && !at_top {
            let mut need = y + gap + b.height(s, n);
            let mut j = i + 1;
            while let Some(next) = blocks.get(j) {
                if next.keep_with_next && j + 1 < blocks.len() {
                    need += next.space_before + next.height(0, next.len());
                    j += 1;
                } else {
                    need += next.space_before + next.start_height();
                    break;
                }
            }
            if !fits(need, col_h) {
                k = 0;
            }
        }
        if k == 0 && at_top {
            // An empty page cannot take it whole: split as the page allows, or give up.
            if k_fit == 0 {
                return Err(TooTall { block: i, over: b.height(s, n) - col_h });
            }
            k = k_fit;
        }
        if k == 0 {
            pages.push(new_page());
            (y, at_top) = (Pt::ZERO, true);
            continue;
        }
        let frame = pages.last_mut().expect("there is a page");
        let top = col.min.y + y + gap;
        let bottom = top + b.height(s, k);
        if let Some(c) = &b.band {
            // From the page's top edge (or where the previous block ended) to below the block;
            // the last banded block leaves room below its text, taken from its own leading.
            let from = if at_top { Pt::ZERO } else { col.min.y + y };
            let last = blocks.get(i + 1).is_none_or(|n| n.band.is_none()) || s + k < b.len();
            let pad = if last { b.space_before.max(Pt(12.0)) } else { Pt::ZERO };
            let rect = Rect { min: Point::new(Pt::ZERO, from), max: Point::new(column.page.w, bottom + pad) };
            frame.items.push(FrameItem::Rect { rect, fill: Some(c.clone()), stroke: None });
            y = bottom + pad - col.min.y;
        } else {
            y = bottom - col.min.y;
        }
        let start = frame.items.len();
        match &b.content {
            Content::Image { picture, height } => {
                let bx = Rect::from_origin_size(Point::new(col.min.x, top), Size { w: col.width(), h: *height });
                let (drawn, clip) = picture.fit(bx, Fit::Contain);
                frame.items.push(picture.item(drawn, clip));
            }
            Content::Lines { lines, ascent, color, .. } => {
                let base0 = lines[s].baseline;
                for line in &lines[s..s + k] {
                    for run in &line.runs {
                        let origin = Point::new(col.min.x + run.x, top + *ascent + (line.baseline - base0));
                        frame.items.push(FrameItem::Text { origin, run: run.clone(), color: color.clone() });
                    }
                }
            }
        }
        frame.blocks.push(Block { kind: b.kind.clone(), items: start..frame.items.len(), text: b.text.clone() });
        at_top = false;
        if s + k == b.len() {
            (i, s) = (i + 1, 0);
        } else {
            s += k;
            pages.push(new_page());
            (y, at_top) = (Pt::ZERO, true);
        }
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::GlyphRun;

    /// A text block of `n` lines of 10 pt leading (ascent 8, descent 2: each line 10 pt tall).
    fn text(n: usize, keep: bool) -> FlowBlock {
        let run = |i: usize| GlyphRun {
            font: crate::text::FontId(0),
            size: Pt(10.0),
            x: Pt::ZERO,
            glyphs: Vec::new(),
            text: format!("line {i}"),
            inserted_hyphen: false,
            whole_words: None,
        };
        let lines = (0..n)
            .map(|i| SetLine {
                baseline: Pt(8.0 + 10.0 * i as f64),
                runs: vec![run(i)],
                width: Pt(50.0),
                fit: Default::default(),
            })
            .collect();
        FlowBlock {
            kind: if keep { BlockKind::Heading(2) } else { BlockKind::Paragraph },
            text: String::new(),
            content: Content::Lines { lines, ascent: Pt(8.0), descent: Pt(2.0), color: Color::BLACK },
            space_before: Pt(10.0),
            keep_with_next: keep,
            whole: false,
            band: None,
        }
    }

    /// A page whose column holds ten lines.
    fn column() -> Column {
        let page = Size { w: Pt(100.0), h: Pt(140.0) };
        Column { page, rect: Rect { min: Point::new(Pt(20.0), Pt(20.0)), max: Point::new(Pt(80.0), Pt(120.0)) } }
    }

    /// Items (lines) per page.
    fn lines_per_page(pages: &[Frame]) -> Vec<usize> {
        pages.iter().map(|p| p.items.len()).collect()
    }

    #[test]
    fn a_paragraph_splits_with_two_lines_on_each_page() {
        // 6 lines fill the page to 6; a 5-line paragraph after them (gap 1 line) has room for 3:
        // it splits 3 + 2.
        let pages = reflow(&[text(6, false), text(5, false)], &column()).unwrap();
        assert_eq!(lines_per_page(&pages), [9, 2]);
        // 8 lines leave room for one more: a 5-line paragraph does not leave a single line.
        let pages = reflow(&[text(8, false), text(5, false)], &column()).unwrap();
        assert_eq!(lines_per_page(&pages), [8, 5]);
        // Every run stays inside the column.
        for p in &pages {
            for it in &p.items {
                let FrameItem::Text { origin, .. } = it else { panic!() };
                assert!(origin.x == Pt(20.0) && origin.y > Pt(20.0) && origin.y < Pt(120.0));
            }
        }
    }

    #[test]
    fn a_heading_moves_to_the_next_page_with_its_text() {
        // 6 lines, then a heading (fits: 7 + gap) and a 4-line paragraph whose first two lines
        // would not fit after it: the heading goes over with it.
        let pages = reflow(&[text(6, false), text(1, true), text(4, false)], &column()).unwrap();
        assert_eq!(lines_per_page(&pages), [6, 5]);
        assert_eq!(pages[1].blocks[0].kind, BlockKind::Heading(2));
        // With room for the paragraph's first two lines the heading stays.
        let pages = reflow(&[text(4, false), text(1, true), text(4, false)], &column()).unwrap();
        assert_eq!(pages[0].blocks.len(), 3);
    }

    #[test]
    fn whole_blocks_do_not_split_and_long_ones_split_where_they_must() {
        let mut contact = text(5, false);
        contact.whole = true;
        let pages = reflow(&[text(6, false), contact], &column()).unwrap();
        assert_eq!(lines_per_page(&pages), [6, 5]);
        // A text taller than the page splits where it must.
        assert_eq!(lines_per_page(&reflow(&[text(25, false)], &column()).unwrap()), [10, 10, 5]);
        assert_eq!(lines_per_page(&reflow(&[text(12, false)], &column()).unwrap()), [10, 2]);
        // A line taller than the column cannot be placed anywhere.
        let mut big = text(1, false);
        big.content = Content::Lines { lines: Vec::new(), ascent: Pt(200.0), descent: Pt::ZERO, color: Color::BLACK };
        if let Content::Lines { lines, .. } = &mut big.content {
            lines.push(SetLine { baseline: Pt(200.0), runs: Vec::new(), width: Pt::ZERO, fit: Default::default() });
        }
        assert_eq!(reflow(&[big], &column()), Err(TooTall { block: 0, over: Pt(100.0) }));
    }
}
