//! The screen version's tagging: which item is content and which decoration (artifact), and the
//! structure tree built from the frames' blocks, in reading order (pages, placed frames, blocks):
//! - `Title` → `H1`, `Heading(n)` → `Hn` (clamped to H2…H6), `Paragraph` → `P`;
//! - consecutive `ListItem` blocks → one `L` with `LI` children; a bullet or number that starts
//!   an item becomes its `Lbl`, the rest its `LBody`; a drawn (non-text) bullet is an artifact;
//! - `Figure` → `Figure` with alt text and bounding box;
//! - a text run that shows an e-mail or web address → `Link` with the run and its annotations;
//! - consecutive `ContentsEntry` blocks → one `TOC` with a `TOCI` per entry, holding a
//!   `Reference` › `Link` with the entry's text and its annotation ([`super::contents`]);
//! - every item in no block (and every mark) is an artifact.

use std::num::{NonZeroU16, NonZeroU64};

use krilla::outline::Outline;
use krilla::surface::{Location, Surface};
use krilla::tagging::{
    Artifact, ArtifactType, BBox, ContentTag, Identifier, ListNumbering, Node, SpanTag, Tag, TagGroup, TagTree,
};

use super::bounds::{block_top, item_bounds, page_rect, union};
use super::contents::EntryLinks;
use super::outline::Bookmarks;
use crate::export::draw::Tags;
use crate::export::geom::krect;
use crate::impose::Document;
use crate::layout::frame::BlockKind;
use crate::layout::{Frame, FrameItem};
use crate::text::FontBook;

/// Marked-content identifiers per page, placed frame and item (`None`: artifact, or not drawn).
pub(super) type Ids = Vec<Vec<Vec<Option<Identifier>>>>;

/// Link annotations per (page, placed frame, item) whose text shows the addresses.
pub(super) type Links = std::collections::HashMap<(usize, usize, usize), Vec<Identifier>>;

/// The krilla location of a page (for validation messages).
pub(super) fn page_location(page_index: usize) -> Location {
    NonZeroU64::new(page_index as u64 + 1).expect("page number is at least 1")
}

/// Tags a page's content as it is drawn and records the identifiers of its content.
pub(super) struct PageTags {
    /// Per placed frame, per item.
    pub(super) ids: Vec<Vec<Option<Identifier>>>,
    roles: Vec<Role>,
    /// Per item of the current frame: what a text run reads as in whole words (its ActualText).
    whole_words: Vec<Option<String>>,
}

impl PageTags {
    pub(super) fn new() -> Self {
        PageTags { ids: Vec::new(), roles: Vec::new(), whole_words: Vec::new() }
    }
}

impl Tags for PageTags {
    const TAGGED: bool = true;
    fn frame(&mut self, frame: &Frame) {
        let text = |item: &FrameItem| matches!(item, FrameItem::Text { .. });
        self.roles = (roles(frame).into_iter().zip(&frame.items))
            .map(|(role, item)| if role == Role::Content && text(item) { Role::Text } else { role })
            .collect();
        self.ids.push(vec![None; frame.items.len()]);
        self.whole_words = (frame.items.iter())
            .map(|item| match item {
                FrameItem::Text { run, .. } => run.whole_words.clone(),
                _ => None,
            })
            .collect();
    }

    fn item(&mut self, surface: &mut Surface, index: usize) {
        let role = self.roles[index];
        let tag = match role {
            Role::Artifact => ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout)),
            // A word split by line breaking is read whole: on its first part, empty on the rest.
            Role::Text => ContentTag::Span(SpanTag::empty().with_actual_text(self.whole_words[index].as_deref())),
            Role::Content => ContentTag::Other,
        };
        let id = surface.start_tagged(tag);
        if role != Role::Artifact
            && let Some(frame_ids) = self.ids.last_mut()
        {
            frame_ids[index] = Some(id);
        }
    }

    fn mark(&mut self, surface: &mut Surface) {
        // Marks are not expected on a screen page; if there are any, they are page artifacts.
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(ArtifactType::Page)));
    }

    fn end(&mut self, surface: &mut Surface) {
        surface.end_tagged();
    }
}

/// How an item is marked in the content stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Text, part of a block.
    Text,
    /// Other real content, part of a block.
    Content,
    /// Decoration.
    Artifact,
}

/// The block that owns each item (the first block listing it), if any.
fn owners(frame: &Frame) -> Vec<Option<usize>> {
    let mut owner = vec![None; frame.items.len()];
    for (bi, block) in frame.blocks.iter().enumerate() {
        for i in block.items.clone() {
            if let Some(o @ None) = owner.get_mut(i) {
                *o = Some(bi);
            }
        }
    }
    owner
}

/// The role of every item of a frame.
fn roles(frame: &Frame) -> Vec<Role> {
    let owner = owners(frame);
    let mut roles: Vec<Role> = owner.iter().map(|o| if o.is_some() { Role::Content } else { Role::Artifact }).collect();
    // A drawn bullet (a shape before the text of a list item) is decoration: the list structure says it.
    for (bi, block) in frame.blocks.iter().enumerate() {
        if block.kind != BlockKind::ListItem {
            continue;
        }
        let owned: Vec<usize> = block.items.clone().filter(|&i| owner.get(i) == Some(&Some(bi))).collect();
        let has_text = owned.iter().any(|&i| matches!(frame.items[i], FrameItem::Text { .. }));
        for &i in &owned {
            match frame.items[i] {
                FrameItem::Rect { .. } | FrameItem::Line { .. } if has_text => roles[i] = Role::Artifact,
                _ => break,
            }
        }
    }
    roles
}

/// Whether a text is a list label: a bullet or dash, or a short number or letter with `.` or `)`.
fn is_label(text: &str) -> bool {
    let t = text.trim();
    let n = t.chars().count();
    if n == 0 || n > 4 {
        return false;
    }
    t.chars().all(|c| !c.is_alphanumeric())
        || ((t.ends_with('.') || t.ends_with(')')) && t[..t.len() - 1].chars().all(|c| c.is_alphanumeric()))
}

/// The list numbering a label suggests.
fn numbering(label: Option<&str>) -> ListNumbering {
    let Some(t) = label.map(str::trim) else { return ListNumbering::None };
    match t.chars().next() {
        Some('•' | '●') => ListNumbering::Disc,
        Some('◦' | '○') => ListNumbering::Circle,
        Some('▪' | '■' | '▫' | '□') => ListNumbering::Square,
        Some(c) if c.is_ascii_digit() => ListNumbering::Decimal,
        Some(c) if c.is_ascii_lowercase() => ListNumbering::LowerAlpha,
        Some(c) if c.is_ascii_uppercase() => ListNumbering::UpperAlpha,
        _ => ListNumbering::None,
    }
}

/// Builds the structure tree and the outline, in reading order (pages, placed frames, blocks).
pub(super) fn structure(
    doc: &Document,
    fonts: &FontBook,
    ids: &Ids,
    links: &Links,
    entries: &EntryLinks,
    lang: &str,
) -> (TagTree, Outline) {
    let mut tree = TagTree::new().with_lang(Some(lang.to_string()));
    let mut bookmarks = Bookmarks::default();
    // The open list: its numbering and items.
    let mut list: Option<(ListNumbering, Vec<Node>)> = None;
    // The open table of contents: its items.
    let mut toc: Option<Vec<Node>> = None;
    let close = |list: &mut Option<(ListNumbering, Vec<Node>)>, toc: &mut Option<Vec<Node>>, tree: &mut TagTree| {
        if let Some((n, items)) = list.take() {
            tree.push(TagGroup::with_children(Tag::L(n), items));
        }
        if let Some(items) = toc.take() {
            tree.push(TagGroup::with_children(Tag::TOC, items));
        }
    };
    for (pi, page) in doc.pages.iter().enumerate() {
        for (ci, placed) in page.content.iter().enumerate() {
            let frame = &doc.frames[placed.frame];
            let owner = owners(frame);
            for (bi, block) in frame.blocks.iter().enumerate() {
                let mine: Vec<usize> = block.items.clone().filter(|&i| owner.get(i) == Some(&Some(bi))).collect();
                let id = |i: usize| ids[pi][ci][i];
                // A run that shows an address is a `Link` with its annotations.
                let leaf = |i: usize, id: Identifier| -> Node {
                    match links.get(&(pi, ci, i)) {
                        Some(annots) => {
                            let children = std::iter::once(id).chain(annots.iter().copied()).map(Node::from).collect();
                            TagGroup::with_children(Tag::Link, children).into()
                        }
                        None => Node::from(id),
                    }
                };
                let leaves = |items: &[usize]| -> Vec<Node> {
                    items.iter().filter_map(|&i| id(i).map(|x| leaf(i, x))).collect()
                };
                match &block.kind {
                    BlockKind::ListItem => {
                        if let Some(items) = toc.take() {
                            tree.push(TagGroup::with_children(Tag::TOC, items));
                        }
                        let label = mine.first().copied().filter(|&i| {
                            mine.len() > 1
                                && id(i).is_some()
                                && matches!(&frame.items[i], FrameItem::Text { run, .. } if is_label(&run.text))
                        });
                        let label_text = label.and_then(|i| match &frame.items[i] {
                            FrameItem::Text { run, .. } => Some(run.text.as_str()),
                            _ => None,
                        });
                        let mut li = TagGroup::new(Tag::LI);
                        if let Some(l) = label {
                            li.push(TagGroup::with_children(Tag::Lbl, leaves(&[l])));
                        }
                        let body: Vec<usize> = mine.iter().copied().filter(|&i| Some(i) != label).collect();
                        li.push(TagGroup::with_children(Tag::LBody, leaves(&body)));
                        list.get_or_insert_with(|| (numbering(label_text), Vec::new())).1.push(li.into());
                    }
                    BlockKind::ContentsEntry { .. } => {
                        if let Some((n, items)) = list.take() {
                            tree.push(TagGroup::with_children(Tag::L(n), items));
                        }
                        let children = leaves(&mine);
                        // The entry's text and its annotation are the link; an entry without an
                        // annotation (it shows no text) still reads as an item.
                        let body: Node = match entries.get(&(pi, ci, bi)) {
                            Some(&annot) => {
                                let link = children.into_iter().chain([Node::from(annot)]).collect();
                                TagGroup::with_children(
                                    Tag::Reference,
                                    vec![TagGroup::with_children(Tag::Link, link).into()],
                                )
                                .into()
                            }
                            None => TagGroup::with_children(Tag::P, children).into(),
                        };
                        toc.get_or_insert_with(Vec::new).push(TagGroup::with_children(Tag::TOCI, vec![body]).into());
                    }
                    kind => {
                        close(&mut list, &mut toc, &mut tree);
                        let children = leaves(&mine);
                        let group = match kind {
                            BlockKind::Title | BlockKind::Heading(_) => {
                                let level = match kind {
                                    BlockKind::Heading(n) => (*n).clamp(2, 6),
                                    _ => 1,
                                };
                                let at = block_top(page, placed.transform(frame), frame, block, fonts);
                                bookmarks.push(level, &block.text, pi, at, page);
                                let level = NonZeroU16::new(u16::from(level)).expect("level is at least 1");
                                TagGroup::with_children(Tag::Hn(level, Some(block.text.clone())), children)
                            }
                            BlockKind::Paragraph => TagGroup::with_children(Tag::P, children),
                            BlockKind::Quote => TagGroup::with_children(Tag::BlockQuote, children),
                            BlockKind::Figure { alt } => {
                                let bbox = union(
                                    mine.iter()
                                        .map(|&i| item_bounds(&frame.items[i], fonts))
                                        .map(|r| page_rect(page, placed.transform(frame), &r)),
                                )
                                .and_then(|r| krect(&r))
                                .map(|r| BBox::new(pi, r));
                                let tag = Tag::Figure(Some(alt.clone()))
                                    .with_bbox(bbox)
                                    .with_location(Some(page_location(pi)));
                                TagGroup::with_children(tag, children)
                            }
                            BlockKind::ListItem | BlockKind::ContentsEntry { .. } => unreachable!("handled above"),
                        };
                        tree.push(group);
                    }
                }
            }
        }
    }
    close(&mut list, &mut toc, &mut tree);
    (tree, bookmarks.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_numbering() {
        assert!(is_label("•") && is_label("– ") && is_label("1.") && is_label("a)"));
        assert!(!is_label("Lyt") && !is_label("") && !is_label("12345."));
        assert!(matches!(numbering(Some("•")), ListNumbering::Disc));
        assert!(matches!(numbering(Some("3.")), ListNumbering::Decimal));
        assert!(matches!(numbering(Some("–")), ListNumbering::None));
    }
}
