//! The screen version of a document: a tagged, accessible PDF aimed at PDF/UA-1.
//!
//! Unlike print files, a screen PDF is read on screens and by screen readers: pages in reading
//! order, no marks, no bleed, RGB colours. The frames' [`Block`](crate::layout::frame::Block)s give the
//! semantics:
//! - `Title` → `H1`, `Heading(n)` → `Hn` (clamped to H2…H6), `Paragraph` → `P`;
//! - consecutive `ListItem` blocks → one `L` with `LI` children; a bullet or number that starts
//!   an item becomes its `Lbl`, the rest its `LBody`; a drawn (non-text) bullet is an artifact;
//! - `Figure` → `Figure` with alt text and bounding box;
//! - every item in no block (and every mark) is an artifact.
//!
//! Colours are print colours converted to sRGB through the CMYK profile (relative colorimetric,
//! so paper white becomes screen white); the original image files are embedded as they are.
//! krilla's PDF/UA-1 validator runs on export; its findings become one lower-case error.
//!
//! Geometry as everywhere: points, top-left origin, y down.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::num::{NonZeroU16, NonZeroU64};
use std::sync::Arc;

use super::icc::cmyk_to_srgb;
use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder, ValidationError};
use krilla::destination::XyzDestination;
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point as KPoint, Rect as KRect, Size as KSize, Transform as KTransform};
use krilla::icc::ICCProfile;
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke as KStroke};
use krilla::surface::{Location, Surface};
use krilla::tagging::{
    Artifact, ArtifactType, BBox, ContentTag, Identifier, ListNumbering, Node, SpanTag, Tag, TagGroup, TagTree,
};
use krilla::text::Font;
use krilla::{Document as KDocument, SerializeSettings};

use crate::impose::{Document, Page};
use crate::layout::frame::BlockKind;
use crate::layout::{Frame, FrameItem, Stroke};
use crate::model::color::Color;
use crate::text::FontBook;
use crate::units::{Point, Pt, Rect, Transform};

/// Options of a screen PDF.
pub struct ScreenOptions<'a> {
    /// Document title (shown in the window title bar).
    pub title: &'a str,
    /// BCP 47 language, e.g. "da".
    pub lang: &'a str,
    /// Seconds since the Unix epoch for the creation date (no clock!).
    pub date_epoch: i64,
    /// The CMYK profile the print colours are defined for (FOGRA39 bytes), used to convert CMYK to sRGB.
    pub cmyk_profile: &'a [u8],
}

/// Renders a document (pages in reading order, each page usually one Placed frame at (0,0), no marks) as a tagged,
/// accessible PDF: structure tree from the frames' blocks (Title → H1, Heading(n) → Hn (H2..H6), Paragraph → P,
/// consecutive ListItem blocks → one L with LI/LBody children (the bullet glyph is the Lbl), Figure → Figure with
/// alt text), everything not in a block as artifacts, document language, title with DisplayDocTitle, bookmarks
/// (outline) for every Title/Heading block pointing at its page and position, sRGB colours only. Validated as
/// PDF/UA-1 by krilla.
///
/// Errors (lower-case): a figure without alt text (checked before export), a block that refers to
/// items its frame does not have, an unreadable profile, font or image, and every PDF/UA-1 finding
/// of krilla's validator, listed.
pub fn render_screen(doc: &Document, fonts: &FontBook, opts: &ScreenOptions) -> Result<Vec<u8>, String> {
    check(doc, opts)?;
    let mut colors = Colors::new(opts.cmyk_profile)?;
    let res = Resources::load(doc, fonts)?;

    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| format!("cannot configure pdf/ua-1 export: {e:?}").to_lowercase())?;
    let cmyk =
        ICCProfile::<4>::new(opts.cmyk_profile).ok_or("the cmyk profile cannot be read as a 4-channel icc profile")?;
    let settings = SerializeSettings {
        configuration,
        enable_tagging: true,
        xmp_metadata: true,
        // sRGB is written as ICC-based sRGB; a CMYK JPEG (embedded as is) gets the print profile,
        // so no Device colour space appears in the file.
        no_device_cs: true,
        cmyk_profile: Some(cmyk),
        ..SerializeSettings::default()
    };

    let mut kdoc = KDocument::new_with(settings);
    // Marked-content identifiers per page, placed frame and item (None: artifact).
    let mut ids: Vec<Vec<Vec<Option<Identifier>>>> = Vec::with_capacity(doc.pages.len());
    for (pi, page) in doc.pages.iter().enumerate() {
        let size = KSize::from_wh(page.media.w.0 as f32, page.media.h.0 as f32)
            .ok_or_else(|| format!("page {} has an empty media box", pi + 1))?;
        // MediaBox only: a screen page has no trim or bleed.
        let mut kp = kdoc.start_page_with(PageSettings::new(size));
        let mut surface = kp.surface();
        surface.set_location(page_location(pi));
        if let Some(t) = &page.transform {
            surface.push_transform(&ktransform(t));
        }
        let mut page_ids = Vec::with_capacity(page.content.len());
        for placed in &page.content {
            let frame = &doc.frames[placed.frame];
            let roles = roles(frame);
            if let Some(path) = placed.clip.as_ref().and_then(rect_path) {
                surface.push_clip_path(&path, &FillRule::NonZero);
            }
            surface.push_transform(&ktransform(&placed.transform(frame)));
            let mut frame_ids = Vec::with_capacity(frame.items.len());
            for (item, role) in frame.items.iter().zip(&roles) {
                let tag = match (role, item) {
                    (Role::Artifact, _) => ContentTag::Artifact(Artifact::with_kind(ArtifactType::Layout)),
                    (Role::Content, FrameItem::Text { .. }) => ContentTag::Span(SpanTag::empty()),
                    (Role::Content, _) => ContentTag::Other,
                };
                let id = surface.start_tagged(tag);
                draw_item(&mut surface, item, &res, &mut colors);
                surface.end_tagged();
                frame_ids.push((*role == Role::Content).then_some(id));
            }
            surface.pop();
            if placed.clip.as_ref().and_then(rect_path).is_some() {
                surface.pop();
            }
            page_ids.push(frame_ids);
        }
        // Marks are not expected on a screen page; if there are any, they are page artifacts.
        for item in &page.marks {
            surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(ArtifactType::Page)));
            draw_item(&mut surface, item, &res, &mut colors);
            surface.end_tagged();
        }
        if page.transform.is_some() {
            surface.pop();
        }
        surface.reset_location();
        surface.finish();
        kp.finish();
        ids.push(page_ids);
    }

    let (tree, outline) = structure(doc, fonts, &ids, opts.lang);
    kdoc.set_tag_tree(tree);
    kdoc.set_outline(outline);
    kdoc.set_metadata(metadata(opts));
    kdoc.finish().map_err(describe_error)
}

/// Checks what krilla cannot check (or reports less clearly): alt texts, title, language, block ranges.
fn check(doc: &Document, opts: &ScreenOptions) -> Result<(), String> {
    let mut errors = Vec::new();
    if opts.title.trim().is_empty() {
        errors.push("the document has no title".to_string());
    }
    if opts.lang.trim().is_empty() {
        errors.push("the document has no language".to_string());
    }
    for (pi, page) in doc.pages.iter().enumerate() {
        for placed in &page.content {
            let Some(frame) = doc.frames.get(placed.frame) else {
                errors.push(format!("page {} places frame {} which does not exist", pi + 1, placed.frame));
                continue;
            };
            for block in &frame.blocks {
                if let BlockKind::Figure { alt } = &block.kind
                    && alt.trim().is_empty()
                {
                    errors.push(format!("figure on page {} has no alt text", pi + 1));
                }
                if block.items.end > frame.items.len() {
                    errors.push(format!(
                        "a block on page {} (\"{}\") refers to item {} but its frame has {} items",
                        pi + 1,
                        block.text,
                        block.items.end - 1,
                        frame.items.len()
                    ));
                }
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors.join("; ")) }
}

/// The document metadata: title, language, date, creator.
fn metadata(opts: &ScreenOptions) -> Metadata {
    let (y, mo, d, h, mi, s) = crate::date::civil(opts.date_epoch);
    let date = DateTime::new(y.clamp(0, 9999) as u16)
        .month(mo as u8)
        .day(d as u8)
        .hour(h as u8)
        .minute(mi as u8)
        .second(s as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    Metadata::new()
        .title(opts.title.to_string())
        .language(opts.lang.to_string())
        .creation_date(date)
        .creator(concat!("tryksag ", env!("CARGO_PKG_VERSION")).to_string())
}

fn page_location(page_index: usize) -> Location {
    NonZeroU64::new(page_index as u64 + 1).expect("page number is at least 1")
}

// ---------------------------------------------------------------------------------------------
// Semantics: which item belongs where.

/// How an item is marked in the content stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Real content, part of a block.
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
fn structure(doc: &Document, fonts: &FontBook, ids: &[Vec<Vec<Option<Identifier>>>], lang: &str) -> (TagTree, Outline) {
    let mut tree = TagTree::new().with_lang(Some(lang.to_string()));
    let mut bookmarks = Bookmarks::default();
    // The open list: its numbering and items.
    let mut list: Option<(ListNumbering, Vec<Node>)> = None;
    let close = |list: &mut Option<(ListNumbering, Vec<Node>)>, tree: &mut TagTree| {
        if let Some((n, items)) = list.take() {
            tree.push(TagGroup::with_children(Tag::L(n), items));
        }
    };
    for (pi, page) in doc.pages.iter().enumerate() {
        for (ci, placed) in page.content.iter().enumerate() {
            let frame = &doc.frames[placed.frame];
            let owner = owners(frame);
            for (bi, block) in frame.blocks.iter().enumerate() {
                let mine: Vec<usize> = block.items.clone().filter(|&i| owner.get(i) == Some(&Some(bi))).collect();
                let id = |i: usize| ids[pi][ci][i];
                let leaves =
                    |items: &[usize]| -> Vec<Node> { items.iter().filter_map(|&i| id(i)).map(Node::from).collect() };
                match &block.kind {
                    BlockKind::ListItem => {
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
                    kind => {
                        close(&mut list, &mut tree);
                        let children = leaves(&mine);
                        let group = match kind {
                            BlockKind::Title | BlockKind::Heading(_) => {
                                let level = match kind {
                                    BlockKind::Heading(n) => (*n).clamp(2, 6),
                                    _ => 1,
                                };
                                let at = block
                                    .items
                                    .clone()
                                    .next()
                                    .and_then(|i| frame.items.get(i))
                                    .map(|it| item_bounds(it, fonts))
                                    .map(|r| page_rect(page, placed.transform(frame), &r).min.y)
                                    .unwrap_or(Pt::ZERO);
                                bookmarks.push(level, &block.text, pi, at, page);
                                let level = NonZeroU16::new(u16::from(level)).expect("level is at least 1");
                                TagGroup::with_children(Tag::Hn(level, Some(block.text.clone())), children)
                            }
                            BlockKind::Paragraph => TagGroup::with_children(Tag::P, children),
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
                            BlockKind::ListItem => unreachable!("handled above"),
                        };
                        tree.push(group);
                    }
                }
            }
        }
    }
    close(&mut list, &mut tree);
    (tree, bookmarks.finish())
}

/// Outline entries nested by heading level.
#[derive(Default)]
struct Bookmarks {
    outline: Outline,
    /// Open entries, shallowest first.
    stack: Vec<(u8, OutlineNode)>,
}

impl Bookmarks {
    /// An entry for a heading whose top is at `top` (page coordinates); the view keeps the page's left edge.
    fn push(&mut self, level: u8, text: &str, page_index: usize, top: Pt, page: &Page) {
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

    fn finish(mut self) -> Outline {
        self.close_to(0);
        self.outline
    }
}

// ---------------------------------------------------------------------------------------------
// Geometry.

/// The bounding box of an item in frame coordinates.
fn item_bounds(item: &FrameItem, fonts: &FontBook) -> Rect {
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
        FrameItem::Image { rect, clip, .. } => match clip {
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
fn page_rect(page: &Page, placed: Transform, r: &Rect) -> Rect {
    let corners =
        [r.min, Point::new(r.max.x, r.min.y), Point::new(r.min.x, r.max.y), r.max].map(|p| page_point(page, placed, p));
    union(corners.into_iter().map(|p| Rect { min: p, max: p })).expect("four corners")
}

fn union(rects: impl Iterator<Item = Rect>) -> Option<Rect> {
    rects.reduce(|a, b| Rect {
        min: Point::new(a.min.x.min(b.min.x), a.min.y.min(b.min.y)),
        max: Point::new(a.max.x.max(b.max.x), a.max.y.max(b.max.y)),
    })
}

use super::pdf::{ktransform, pct};

fn krect(r: &Rect) -> Option<KRect> {
    KRect::from_ltrb(r.min.x.0 as f32, r.min.y.0 as f32, r.max.x.0 as f32, r.max.y.0 as f32)
}

fn rect_path(r: &Rect) -> Option<krilla::geom::Path> {
    let mut pb = PathBuilder::new();
    pb.push_rect(krect(r)?);
    pb.finish()
}

// ---------------------------------------------------------------------------------------------
// Colours: print colours → sRGB.

/// Converts print colours to sRGB through the CMYK profile, caching every colour.
struct Colors {
    transform: Arc<moxcms::Transform8BitExecutor>,
    cache: HashMap<[u8; 4], rgb::Color>,
}

impl Colors {
    fn new(profile: &[u8]) -> Result<Colors, String> {
        Ok(Colors { transform: cmyk_to_srgb(profile)?, cache: HashMap::new() })
    }

    /// The sRGB colour of a print colour.
    fn rgb(&mut self, c: &Color) -> rgb::Color {
        let cmyk = match c {
            Color::Cmyk(v) => v.map(pct),
            Color::Spot { fallback, tint, .. } => fallback.map(|v| pct(v * tint.clamp(0.0, 100.0) / 100.0)),
            Color::Registration => return rgb::Color::black(),
        };
        if let Some(hit) = self.cache.get(&cmyk) {
            return *hit;
        }
        let mut out = [0u8; 3];
        let color = match self.transform.transform(&cmyk, &mut out) {
            Ok(()) => rgb::Color::new(out[0], out[1], out[2]),
            // Not expected with a valid profile; a naive conversion keeps the export going.
            Err(_) => {
                let [c, m, y, k] = cmyk.map(|v| 1.0 - f32::from(v) / 255.0);
                let f = |v: f32| (v * k * 255.0).round() as u8;
                rgb::Color::new(f(c), f(m), f(y))
            }
        };
        self.cache.insert(cmyk, color);
        color
    }

    fn fill(&mut self, c: &Color) -> Fill {
        Fill { paint: self.rgb(c).into(), opacity: NormalizedF32::ONE, rule: FillRule::NonZero }
    }

    fn stroke(&mut self, s: &Stroke) -> KStroke {
        super::pdf::stroke_with(s, self.rgb(&s.color).into())
    }
}

// ---------------------------------------------------------------------------------------------
// Drawing.

/// Fonts and images, loaded before drawing (krilla's surface must not be left half-drawn).
struct Resources {
    fonts: HashMap<u16, Font>,
    images: HashMap<crate::assets::Digest, Image>,
}

impl Resources {
    fn load(doc: &Document, book: &FontBook) -> Result<Resources, String> {
        let mut res = Resources { fonts: HashMap::new(), images: HashMap::new() };
        let items = doc
            .pages
            .iter()
            .flat_map(|p| p.content.iter().flat_map(|c| doc.frames[c.frame].items.iter()).chain(p.marks.iter()));
        for item in items {
            match item {
                FrameItem::Text { run, .. } => {
                    if let Entry::Vacant(slot) = res.fonts.entry(run.font.0) {
                        let face = book.face(run.font);
                        let font = Font::new(face.data.clone().into(), 0)
                            .ok_or_else(|| format!("krilla cannot load font {}", face.path.display()))?;
                        slot.insert(font);
                    }
                }
                FrameItem::Image { asset, .. } => {
                    if res.images.contains_key(&asset.digest) {
                        continue;
                    }
                    let bytes = &asset.original;
                    // No /Interpolate, as in print: the pixels are shown as they are.
                    let image = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
                        Image::from_png(bytes.clone().into(), false)
                    } else if bytes.starts_with(&[0xFF, 0xD8]) {
                        Image::from_jpeg(bytes.clone().into(), false)
                    } else {
                        Err("not a png or jpeg file".to_string())
                    }
                    .map_err(|e| format!("cannot embed image {}: {}", asset.path.display(), e.to_lowercase()))?;
                    res.images.insert(asset.digest, image);
                }
                FrameItem::Rect { .. } | FrameItem::Line { .. } => {}
            }
        }
        Ok(res)
    }
}

/// Draws one item; all resources are loaded, so drawing cannot fail (degenerate shapes are skipped).
fn draw_item(surface: &mut Surface, item: &FrameItem, res: &Resources, colors: &mut Colors) {
    match item {
        FrameItem::Rect { rect, fill, stroke } => {
            let Some(path) = rect_path(rect) else { return };
            surface.set_fill(fill.as_ref().map(|c| colors.fill(c)));
            surface.set_stroke(stroke.as_ref().map(|s| colors.stroke(s)));
            surface.draw_path(&path);
        }
        FrameItem::Line { from, to, stroke } => {
            let mut pb = PathBuilder::new();
            pb.move_to(from.x.0 as f32, from.y.0 as f32);
            pb.line_to(to.x.0 as f32, to.y.0 as f32);
            let Some(path) = pb.finish() else { return };
            surface.set_fill(None);
            surface.set_stroke(Some(colors.stroke(stroke)));
            surface.draw_path(&path);
        }
        FrameItem::Image { rect, clip, asset } => {
            let Some(image) = res.images.get(&asset.digest) else { return };
            let Some(size) = KSize::from_wh(rect.width().0 as f32, rect.height().0 as f32) else { return };
            let clip = clip.as_ref().and_then(rect_path);
            if let Some(path) = &clip {
                surface.push_clip_path(path, &FillRule::NonZero);
            }
            surface.push_transform(&KTransform::from_translate(rect.min.x.0 as f32, rect.min.y.0 as f32));
            surface.draw_image(image.clone(), size);
            surface.pop();
            if clip.is_some() {
                surface.pop();
            }
        }
        FrameItem::Text { origin, run, color } => {
            let Some(font) = res.fonts.get(&run.font.0) else { return };
            let size = run.size.0 as f32;
            let glyphs = super::pdf::krilla_glyphs(run);
            surface.set_fill(Some(colors.fill(color)));
            surface.set_stroke(None);
            surface.draw_glyphs(
                KPoint::from_xy(origin.x.0 as f32, origin.y.0 as f32),
                &glyphs,
                font.clone(),
                &run.text,
                size,
                false,
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Errors.

/// A krilla error as one lower-case message; validation findings are listed.
fn describe_error(e: KrillaError) -> String {
    match e {
        KrillaError::Validation(errors) => {
            let mut list: Vec<String> = errors.iter().map(|(e, _)| describe_validation(e)).collect();
            list.dedup();
            format!("the screen pdf is not pdf/ua-1 compliant: {}", list.join("; "))
        }
        other => format!("screen pdf export failed: {other}").to_lowercase(),
    }
}

fn on_page(loc: &Option<Location>) -> String {
    loc.map(|l| format!(" on page {l}")).unwrap_or_default()
}

fn describe_validation(e: &ValidationError) -> String {
    match e {
        ValidationError::NoDocumentTitle => "the document has no title".into(),
        ValidationError::NoDocumentLanguage => "the document has no language".into(),
        ValidationError::MissingAltText(loc) => format!("a figure has no alt text{}", on_page(loc)),
        ValidationError::MissingHeadingTitle => "a heading has no text (its bookmark title)".into(),
        ValidationError::MissingDocumentOutline => {
            "the document has no bookmarks (it needs at least one title or heading block)".into()
        }
        ValidationError::MissingTagging => "the document is not tagged".into(),
        ValidationError::ContainsNotDefGlyph(_, loc, text) => {
            format!("text \"{text}\" uses a glyph the font lacks (.notdef){}", on_page(loc))
        }
        ValidationError::NoCodepointMapping(_, glyph, loc) => {
            format!("glyph {} maps to no character{}", glyph.to_u32(), on_page(loc))
        }
        ValidationError::InvalidCodepointMapping(_, glyph, c, loc) => {
            format!("glyph {} maps to the invalid character u+{:04x}{}", glyph.to_u32(), *c as u32, on_page(loc))
        }
        ValidationError::RestrictedLicense(_) => "a font's licence does not allow embedding".into(),
        other => format!("{other:?}").to_lowercase(),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;
    use std::path::Path;

    use lopdf::{Document as LDocument, Object};

    use super::*;
    use crate::assets::ImageAsset;
    use crate::impose::{Placed, Rotation};
    use crate::layout::frame::Block;
    use crate::model::layout::Align;
    use crate::text::hyphenate::Hyphenator;
    use crate::text::markup::parse;
    use crate::text::paragraph::FontSet;
    use crate::text::shape::Shaper;
    use crate::text::{ParaStyle, Typesetter};
    use crate::units::Size;

    const FAMILY: &str = "Atkinson Hyperlegible Next";
    const PARAGRAPH: &str = "Du behøver ikke at være psykolog for at tale med en borger.";

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    fn profile() -> Vec<u8> {
        std::fs::read(root().join("layouts/profiles/CoatedFOGRA39.icc")).unwrap()
    }

    fn book() -> FontBook {
        FontBook::load_dir(&root().join("fonts")).unwrap()
    }

    fn style(book: &FontBook, size: f64, weight: u16) -> ParaStyle {
        ParaStyle {
            fonts: FontSet {
                regular: book.find(FAMILY, weight, false).unwrap(),
                bold: book.find(FAMILY, 700, false),
                italic: book.find(FAMILY, 400, true),
                bold_italic: book.find(FAMILY, 700, true),
            },
            size: Pt(size),
            leading: Pt(size * 1.3),
            align: Align::Left,
            hyphenate: false,
            tracking: 0.0,
            uppercase: false,
            paragraph_spacing: Pt(0.0),
            fallback: Vec::new(),
        }
    }

    /// A frame builder: text and shapes top to bottom, each text a block.
    struct Builder<'a> {
        book: &'a FontBook,
        frame: Frame,
        y: f64,
    }

    impl<'a> Builder<'a> {
        fn new(book: &'a FontBook) -> Self {
            let size = Size { w: Pt(298.0), h: Pt(420.0) };
            let trim = Rect { min: Point::default(), max: Point::new(size.w, size.h) };
            Builder { book, frame: Frame { size, trim, items: Vec::new(), blocks: Vec::new() }, y: 30.0 }
        }

        /// Sets markup text; returns the range of items it produced.
        fn text(&mut self, markup: &str, size: f64, weight: u16) -> std::ops::Range<usize> {
            let hy = Hyphenator::new([]);
            let ts = Typesetter::new(Shaper::new(self.book), &hy);
            let block = ts.set(&parse(markup).unwrap(), &style(self.book, size, weight), Pt(240.0)).unwrap();
            let start = self.frame.items.len();
            for line in &block.lines {
                for run in &line.runs {
                    let origin = Point::new(Pt(30.0) + run.x, Pt(self.y) + line.baseline);
                    self.frame.items.push(FrameItem::Text { origin, run: run.clone(), color: Color::BLACK });
                }
            }
            self.y += block.height.0 + 10.0;
            start..self.frame.items.len()
        }

        fn block(&mut self, kind: BlockKind, markup: &str, size: f64, weight: u16) {
            let items = self.text(markup, size, weight);
            let text = markup.trim_start_matches("- ").to_string();
            self.frame.blocks.push(Block { kind, items, text });
        }

        fn item(&mut self, item: FrameItem) -> usize {
            self.frame.items.push(item);
            self.frame.items.len() - 1
        }
    }

    fn png() -> Vec<u8> {
        let img = image::RgbImage::from_fn(8, 6, |x, y| image::Rgb([(x * 30) as u8, (y * 40) as u8, 200]));
        let mut out = Cursor::new(Vec::new());
        image::DynamicImage::from(img).write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn page(frame: usize, size: Size) -> Page {
        let all = Rect { min: Point::default(), max: Point::new(size.w, size.h) };
        Page {
            media: size,
            trim_box: all,
            bleed_box: all,
            content: vec![Placed { frame, at: Point::default(), rotation: Rotation::R0, clip: None }],
            marks: Default::default(),
            transform: None,
            label: format!("page {}", frame + 1),
        }
    }

    /// Two A5-ish pages: title, heading, paragraph, list; then a heading and a figure.
    fn document(book: &FontBook, alt: &str) -> Document {
        let mut one = Builder::new(book);
        // Decoration: a coloured band behind the title, in no block.
        one.item(FrameItem::Rect {
            rect: Rect { min: Point::new(Pt(0.0), Pt(0.0)), max: Point::new(Pt(298.0), Pt(20.0)) },
            fill: Some(Color::Cmyk([100.0, 40.0, 0.0, 0.0])),
            stroke: None,
        });
        one.block(BlockKind::Title, "Dialogkort til jobcentre", 18.0, 700);
        one.block(BlockKind::Heading(2), "Sådan bruger du kortene", 13.0, 700);
        one.block(BlockKind::Paragraph, PARAGRAPH, 10.0, 400);
        one.block(BlockKind::ListItem, "- Lyt til borgeren", 10.0, 400);
        one.block(BlockKind::ListItem, "- Spørg ind til dagen", 10.0, 400);
        one.item(FrameItem::Line {
            from: Point::new(Pt(30.0), Pt(400.0)),
            to: Point::new(Pt(268.0), Pt(400.0)),
            stroke: Stroke {
                color: Color::Spot { name: "PANTONE 3145 C".into(), fallback: [100.0, 0.0, 30.0, 20.0], tint: 50.0 },
                width: Pt(0.5),
                dash: None,
            },
        });

        let mut two = Builder::new(book);
        two.block(BlockKind::Heading(2), "Kontakt", 13.0, 700);
        let asset: ImageAsset = crate::assets::load(Path::new("figur.png"), png(), &profile()).unwrap();
        let top = Pt(two.y);
        two.y += 130.0;
        let image = two.item(FrameItem::Image {
            rect: Rect { min: Point::new(Pt(30.0), top), max: Point::new(Pt(190.0), top + Pt(120.0)) },
            clip: None,
            asset: Arc::new(asset),
        });
        two.frame.blocks.push(Block {
            kind: BlockKind::Figure { alt: alt.to_string() },
            items: image..image + 1,
            text: String::new(),
        });
        two.block(BlockKind::Paragraph, "Ring til PsykInfo.", 10.0, 400);

        let size = Size { w: Pt(298.0), h: Pt(420.0) };
        Document {
            title: "Dialogkort".into(),
            frames: vec![one.frame.into(), two.frame.into()],
            pages: vec![page(0, size), page(1, size)],
        }
    }

    fn render(doc: &Document, book: &FontBook) -> Result<Vec<u8>, String> {
        let profile = profile();
        let opts = ScreenOptions {
            title: "Dialogkort til jobcentre",
            lang: "da",
            date_epoch: 1_764_000_000,
            cmyk_profile: &profile,
        };
        render_screen(doc, book, &opts)
    }

    fn name(o: &Object) -> String {
        String::from_utf8_lossy(o.as_name().unwrap()).into_owned()
    }

    fn text(o: &Object) -> String {
        let bytes = o.as_str().unwrap();
        if bytes.starts_with(&[0xFE, 0xFF]) {
            let units: Vec<u16> = bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16(&units).unwrap()
        } else {
            String::from_utf8_lossy(bytes).into_owned()
        }
    }

    /// Every structure element below `id`, as (type, dictionary), depth first.
    fn elements(pdf: &LDocument, obj: &Object, out: &mut Vec<(String, lopdf::Dictionary)>) {
        let obj = match obj {
            Object::Reference(r) => pdf.get_object(*r).unwrap(),
            o => o,
        };
        match obj {
            Object::Array(a) => a.iter().for_each(|o| elements(pdf, o, out)),
            Object::Dictionary(d) => {
                if let Ok(s) = d.get(b"S") {
                    out.push((name(s), d.clone()));
                }
                if let Ok(k) = d.get(b"K") {
                    elements(pdf, k, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn tagged_accessible_pdf() {
        let book = book();
        let doc = document(&book, "Tegning af to personer, der taler sammen");
        let bytes = render(&doc, &book).unwrap();
        let pdf = LDocument::load_mem(&bytes).unwrap();
        let catalog = pdf.catalog().unwrap();

        // Tagged, with language, title shown in the window title bar.
        let mark = catalog.get_deref(b"MarkInfo", &pdf).unwrap().as_dict().unwrap();
        assert!(mark.get(b"Marked").unwrap().as_bool().unwrap());
        assert_eq!(text(catalog.get(b"Lang").unwrap()), "da");
        let vp = catalog.get_deref(b"ViewerPreferences", &pdf).unwrap().as_dict().unwrap();
        assert!(vp.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
        let info = pdf.trailer.get_deref(b"Info", &pdf).unwrap().as_dict().unwrap();
        assert_eq!(text(info.get_deref(b"Title", &pdf).unwrap()), "Dialogkort til jobcentre");
        assert!(String::from_utf8_lossy(&bytes).contains("pdfuaid:part"), "pdf/ua identification in xmp");

        // Structure tree.
        let root = catalog.get_deref(b"StructTreeRoot", &pdf).unwrap().as_dict().unwrap();
        let mut els = Vec::new();
        elements(&pdf, root.get(b"K").unwrap(), &mut els);
        let kinds: Vec<&str> = els.iter().map(|(k, _)| k.as_str()).collect();
        for k in ["Document", "H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Figure"] {
            assert!(kinds.contains(&k), "no {k} in {kinds:?}");
        }
        assert_eq!(kinds.iter().filter(|k| **k == "L").count(), 1, "two list items form one list: {kinds:?}");
        assert_eq!(kinds.iter().filter(|k| **k == "LI").count(), 2);
        assert_eq!(kinds.iter().filter(|k| **k == "H2").count(), 2);
        // Reading order: H1 before H2 before P before L before Figure.
        let pos = |k: &str| kinds.iter().position(|x| *x == k).unwrap();
        assert!(pos("H1") < pos("H2") && pos("H2") < pos("P") && pos("P") < pos("L") && pos("L") < pos("Figure"));
        let figure = &els.iter().find(|(k, _)| k == "Figure").unwrap().1;
        assert_eq!(text(figure.get(b"Alt").unwrap()), "Tegning af to personer, der taler sammen");
        assert!(format!("{:?}", figure.get(b"A").unwrap()).contains("BBox"), "figure has a bounding box");
        let h1 = &els.iter().find(|(k, _)| k == "H1").unwrap().1;
        assert_eq!(text(h1.get(b"T").unwrap()), "Dialogkort til jobcentre");

        // Bookmarks: title, with the two headings nested below it.
        let outlines = catalog.get_deref(b"Outlines", &pdf).unwrap().as_dict().unwrap();
        let first = outlines.get_deref(b"First", &pdf).unwrap().as_dict().unwrap();
        assert_eq!(text(first.get(b"Title").unwrap()), "Dialogkort til jobcentre");
        let child = first.get_deref(b"First", &pdf).unwrap().as_dict().unwrap();
        assert_eq!(text(child.get(b"Title").unwrap()), "Sådan bruger du kortene");
        let next = child.get_deref(b"Next", &pdf).unwrap().as_dict().unwrap();
        assert_eq!(text(next.get(b"Title").unwrap()), "Kontakt");
        // The second heading's destination is page 2.
        let pages: Vec<lopdf::ObjectId> = pdf.get_pages().into_values().collect();
        let dest = next.get_deref(b"Dest", &pdf).unwrap().as_array().unwrap();
        assert_eq!(dest[0].as_reference().unwrap(), pages[1]);
        assert_eq!(name(&dest[1]), "XYZ");

        // Screen colours only: no CMYK, no separations; MediaBox only.
        let raw = String::from_utf8_lossy(&bytes);
        for forbidden in ["/DeviceCMYK", "/Separation", "/TrimBox", "/BleedBox"] {
            assert!(!raw.contains(forbidden), "{forbidden} in the screen pdf");
        }
        for (_, id) in pdf.get_pages() {
            let page = pdf.get_dictionary(id).unwrap();
            assert!(page.get(b"MediaBox").is_ok());
        }
        // The artifact (the band) and real content both appear in the content stream.
        let content = String::from_utf8_lossy(&pdf.get_page_content(pages[0])).into_owned();
        assert!(content.contains("/Artifact"), "decoration is marked as artifact");
        assert!(content.contains("/Span"), "text is marked content");

        // Text is extractable.
        let extracted = pdf.extract_text(&[1]).unwrap();
        let squashed: String = extracted.split_whitespace().collect::<Vec<_>>().join(" ");
        for word in ["psykolog", "borger", "Lyt", "borgeren"] {
            assert!(squashed.contains(word), "{word:?} not in {squashed:?}");
        }

        // Deterministic.
        assert_eq!(bytes, render(&doc, &book).unwrap());
    }

    #[test]
    fn cmyk_becomes_srgb_through_the_profile() {
        let mut c = Colors::new(&profile()).unwrap();
        let white = c.rgb(&Color::WHITE);
        let black = c.rgb(&Color::BLACK);
        let cyan = c.rgb(&Color::Cmyk([100.0, 0.0, 0.0, 0.0]));
        let reg = c.rgb(&Color::Registration);
        let as_f = |c: rgb::Color| [c.red(), c.green(), c.blue()].map(i32::from);
        // Relative colorimetric: paper white is screen white; 100 % K is a dark grey, not pure black.
        assert!(as_f(white).iter().all(|v| *v >= 250), "{:?}", as_f(white));
        assert!(as_f(black).iter().all(|v| *v < 80), "{:?}", as_f(black));
        let [r, g, b] = as_f(cyan);
        assert!(r < 60 && g > 120 && b > 200, "cyan {:?}", [r, g, b]);
        assert_eq!(as_f(reg), [0, 0, 0]);
        // A 50 % tint of a spot colour is its fallback at half strength.
        let half = c.rgb(&Color::Spot { name: "X".into(), fallback: [100.0, 0.0, 0.0, 0.0], tint: 50.0 });
        assert_eq!(half, c.rgb(&Color::Cmyk([50.0, 0.0, 0.0, 0.0])));
        assert!(c.cache.len() >= 4);
    }

    #[test]
    fn figure_without_alt_text_is_an_error() {
        let book = book();
        let doc = document(&book, "  ");
        let err = render(&doc, &book).unwrap_err();
        assert!(err.contains("figure on page 2 has no alt text"), "{err}");
    }

    #[test]
    fn krilla_validation_findings_become_one_lower_case_message() {
        let book = book();
        let mut doc = document(&book, "Tegning");
        // A heading without text has no bookmark title: PDF/UA-1 forbids it, krilla reports it.
        std::sync::Arc::make_mut(&mut doc.frames[1]).blocks[0].text = String::new();
        let err = render(&doc, &book).unwrap_err();
        assert!(err.contains("pdf/ua-1") && err.contains("a heading has no text"), "{err}");
        assert_eq!(err, err.to_lowercase());
    }

    #[test]
    fn a_document_without_headings_still_exports() {
        let book = book();
        let mut doc = document(&book, "Tegning");
        for b in doc.frames.iter_mut().flat_map(|f| std::sync::Arc::make_mut(f).blocks.iter_mut()) {
            if matches!(b.kind, BlockKind::Title | BlockKind::Heading(_)) {
                b.kind = BlockKind::Paragraph;
            }
        }
        let pdf = LDocument::load_mem(&render(&doc, &book).unwrap()).unwrap();
        let outlines = pdf.catalog().unwrap().get_deref(b"Outlines", &pdf).unwrap().as_dict().unwrap();
        assert!(outlines.get(b"First").is_err(), "no bookmarks without headings");
    }

    #[test]
    fn cmyk_jpeg_is_embedded_with_the_print_profile_not_as_device_cmyk() {
        let book = book();
        let mut doc = document(&book, "Et foto");
        let px: Vec<u8> = (0..16 * 12).flat_map(|i| [(i % 16 * 16) as u8, 40, 0, 10]).collect();
        let mut jpeg = Vec::new();
        jpeg_encoder::Encoder::new(&mut jpeg, 90).encode(&px, 16, 12, jpeg_encoder::ColorType::Cmyk).unwrap();
        let asset = crate::assets::load(Path::new("foto.jpg"), jpeg, &profile()).unwrap();
        assert!(matches!(asset.data, crate::assets::ImageData::Jpeg(_)), "cmyk jpeg passes through");
        let FrameItem::Image { asset: a, .. } = &mut std::sync::Arc::make_mut(&mut doc.frames[1]).items[1] else {
            panic!("the figure's image")
        };
        *a = Arc::new(asset);
        let bytes = render(&doc, &book).unwrap();
        let raw = String::from_utf8_lossy(&bytes);
        assert!(!raw.contains("/DeviceCMYK"), "no device cmyk");
        assert!(raw.contains("/DCTDecode"), "the jpeg is embedded as is");
        let pdf = LDocument::load_mem(&bytes).unwrap();
        let icc_n4 = pdf
            .objects
            .values()
            .any(|o| o.as_stream().is_ok_and(|s| s.dict.get(b"N").and_then(Object::as_i64).is_ok_and(|n| n == 4)));
        assert!(icc_n4, "the jpeg's colour space is the 4-channel print profile");
    }

    #[test]
    fn labels_and_numbering() {
        assert!(is_label("•") && is_label("– ") && is_label("1.") && is_label("a)"));
        assert!(!is_label("Lyt") && !is_label("") && !is_label("12345."));
        assert!(matches!(numbering(Some("•")), ListNumbering::Disc));
        assert!(matches!(numbering(Some("3.")), ListNumbering::Decimal));
        assert!(matches!(numbering(Some("–")), ListNumbering::None));
    }
}
