//! The table of contents of a download version as links: each `ContentsEntry` block gets a Link
//! annotation over its text and page number that goes to its heading (an XYZ destination at the
//! top of the heading's first line, as its bookmark does), with alt text naming the heading and
//! its page. [`super::tags`] tags consecutive entries as one `TOC`, each entry a `TOCI` with a
//! `Reference` › `Link` holding the entry's text and the annotation (PDF/UA-1 § 7.18.5).

use std::collections::HashMap;

use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::destination::XyzDestination;
use krilla::geom::Point as KPoint;
use krilla::page::Page as KPage;
use krilla::surface::Location;
use krilla::tagging::Identifier;

use super::bounds::{block_top, item_bounds, page_rect, union};
use super::errors::Finding;
use crate::export::geom::krect;
use crate::impose::{Document, Page};
use crate::layout::frame::{Block, BlockKind};
use crate::layout::{Frame, FrameItem};
use crate::text::FontBook;
use crate::units::{Pt, Transform};

/// Where one contents entry goes.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Goal {
    /// 0-based index of the heading's page.
    pub(super) page: usize,
    /// The top of the heading's first line (page coordinates, y down).
    pub(super) top: Pt,
    /// What a screen reader says about the link: the heading and its page ("Til dig, side 3").
    pub(super) alt: String,
}

/// The goal of every contents entry, by (page, placed frame, block).
pub(super) type Goals = HashMap<(usize, usize, usize), Goal>;

/// The link annotation of every contents entry, by (page, placed frame, block).
pub(super) type EntryLinks = HashMap<(usize, usize, usize), Identifier>;

/// The heading each contents entry goes to: the first `Heading` block (in reading order: pages,
/// placed frames, blocks) with the entry's heading text after the heading the previous entry
/// went to, as contents list headings in order. An entry whose heading is not found is a
/// finding (layout always makes both, so it means a broken document).
pub(super) fn goals(doc: &Document, fonts: &FontBook) -> (Goals, Vec<Finding>) {
    let mut headings: Vec<(&str, usize, Pt)> = Vec::new();
    // (page, placed frame, block), heading text, printed page number.
    type Entry<'a> = ((usize, usize, usize), &'a str, Option<String>);
    let mut entries: Vec<Entry> = Vec::new();
    for (pi, page) in doc.pages.iter().enumerate() {
        for (ci, placed) in page.content.iter().enumerate() {
            let Some(frame) = doc.frames.get(placed.frame) else { continue };
            for (bi, block) in frame.blocks.iter().enumerate() {
                match &block.kind {
                    BlockKind::Heading(_) => {
                        headings.push((&block.text, pi, block_top(page, placed.transform(frame), frame, block, fonts)));
                    }
                    BlockKind::ContentsEntry { heading } => {
                        entries.push(((pi, ci, bi), heading, printed_number(frame, block)));
                    }
                    _ => {}
                }
            }
        }
    }
    let (mut goals, mut found) = (Goals::new(), Vec::new());
    let mut next = 0;
    for (key, heading, number) in entries {
        match headings[next..].iter().position(|(text, ..)| *text == heading) {
            Some(at) => {
                let (_, page, top) = headings[next + at];
                next += at + 1;
                let alt = match number {
                    Some(n) => format!("{heading}, side {n}"),
                    None => heading.to_string(),
                };
                goals.insert(key, Goal { page, top, alt });
            }
            None => found.push(Finding::ContentsHeading { page: key.0 + 1, heading: heading.to_string() }),
        }
    }
    (goals, found)
}

/// The page number an entry shows: its last text item, if that is a number.
fn printed_number(frame: &Frame, block: &Block) -> Option<String> {
    let last = block.items.clone().rev().find_map(|i| match frame.items.get(i) {
        Some(FrameItem::Text { run, .. }) => Some(run.text.trim()),
        _ => None,
    })?;
    (!last.is_empty() && last.chars().all(|c| c.is_ascii_digit())).then(|| last.to_string())
}

/// Adds the link annotation of a contents entry to `kp`: over the bounds of the entry's text
/// items that are read (`read`), page number included, going to `goal`. `None` if the entry
/// shows no text.
#[allow(clippy::too_many_arguments)]
pub(super) fn annotate(
    kp: &mut KPage,
    page: &Page,
    placed: Transform,
    frame: &Frame,
    block: &Block,
    goal: &Goal,
    fonts: &FontBook,
    location: Location,
    read: impl Fn(usize) -> bool,
) -> Option<Identifier> {
    let text = block.items.clone().filter(|&i| read(i) && matches!(frame.items.get(i), Some(FrameItem::Text { .. })));
    let area = union(text.map(|i| item_bounds(&frame.items[i], fonts)).map(|r| page_rect(page, placed, &r)))?;
    let rect = krect(&area)?;
    // The view keeps the page's left edge, as a bookmark's does.
    let y = goal.top.0.clamp(0.0, page.media.h.0) as f32;
    let destination = XyzDestination::new(goal.page, KPoint::from_xy(0.0, y));
    let link = LinkAnnotation::new(rect, Target::Destination(destination.into()));
    let annotation = Annotation::new_link(link, Some(goal.alt.clone())).with_location(Some(location));
    Some(kp.add_tagged_annotation(annotation))
}
