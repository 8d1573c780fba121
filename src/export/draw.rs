//! The one drawing path: a page's placed frames and marks, item by item, onto a krilla surface.
//! What differs between print and screen is passed in: the colour target ([`ColourTarget`]: how
//! colours are painted and which image data is embedded) and the content tags ([`Tags`]: none
//! for print, structure for screen).

use std::collections::HashMap;
use std::sync::Arc;

use krilla::geom::{PathBuilder, Point as KPoint, Size as KSize, Transform};
use krilla::graphic::Graphic;
use krilla::image::Image;
use krilla::num::NormalizedF32;
use krilla::overprint::Overprint;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke as KStroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::Font;

use super::ExportError;
use super::colour::{ColourTarget, PdfDraw};
use super::geom::{krilla_glyphs, ktransform, rect_path};
use crate::assets::ImageAsset;
use crate::assets::pdf_art::PdfArt;
use crate::assets::svg::{ArtClip, ArtImage, ArtPart, Cap, Join, Segment, Winding};
use crate::impose::Page;
use crate::layout::{Artwork, Frame, FrameItem, Stroke, VectorPath};
use crate::model::color::Color;
use crate::model::overprint::Painted;
use crate::text::{FontBook, FontId};

/// Marks drawn content for a reader (screen: tagged structure); print draws untagged (`()`).
pub(crate) trait Tags {
    /// Whether content is tagged: a tagged frame is drawn where it is placed, item by item
    /// (structure cannot be shared between places), an untagged frame shared by many places
    /// ([`Frame::shared`]) once as a form XObject.
    const TAGGED: bool = false;
    /// A placed frame begins (before its clip is known to have area).
    fn frame(&mut self, _frame: &Frame) {}
    /// Item `index` of the current frame is about to be drawn.
    fn item(&mut self, _surface: &mut Surface, _index: usize) {}
    /// A page mark is about to be drawn.
    fn mark(&mut self, _surface: &mut Surface) {}
    /// The item or mark just drawn ends.
    fn end(&mut self, _surface: &mut Surface) {}
}

impl Tags for () {}

/// Fonts and images embedded so far: each loaded once per document.
pub(crate) struct Embedded<'f> {
    book: &'f FontBook,
    fonts: Vec<Option<Font>>,
    images: HashMap<crate::assets::Digest, Image>,
    /// Artwork drawn so far as form XObjects: the same artwork on many cards is one object.
    graphics: Vec<(Arc<Artwork>, Graphic)>,
    /// Shared frames drawn so far as form XObjects, by [`Frame::shared`].
    frames: HashMap<u64, Graphic>,
    /// PDF artwork by file and page: one document per file, so krilla embeds each page once.
    pdf_pages: HashMap<(crate::assets::Digest, usize), PdfDraw>,
}

impl<'f> Embedded<'f> {
    /// Nothing embedded yet.
    pub(crate) fn new(book: &'f FontBook) -> Self {
        Embedded {
            book,
            fonts: vec![None; book.faces().count()],
            images: HashMap::new(),
            graphics: Vec::new(),
            frames: HashMap::new(),
            pdf_pages: HashMap::new(),
        }
    }

    fn font(&mut self, id: FontId) -> Result<Font, ExportError> {
        let slot = &mut self.fonts[id.0 as usize];
        if let Some(f) = slot {
            return Ok(f.clone());
        }
        let face = self.book.face(id);
        let font = Font::new(face.data.clone().into(), 0).ok_or_else(|| ExportError::Font(face.path.clone()))?;
        *slot = Some(font.clone());
        Ok(font)
    }

    fn image(&mut self, asset: &Arc<ImageAsset>, colours: &impl ColourTarget) -> Result<Image, ExportError> {
        if let Some(i) = self.images.get(&asset.digest) {
            return Ok(i.clone());
        }
        let image = colours.image(asset)?;
        self.images.insert(asset.digest, image.clone());
        Ok(image)
    }

    fn pdf_page(&mut self, art: &Arc<PdfArt>, colours: &impl ColourTarget) -> Result<PdfDraw, ExportError> {
        let key = (art.digest, art.page);
        if let Some(d) = self.pdf_pages.get(&key) {
            return Ok(d.clone());
        }
        // Another page of a file already embedded shares its document.
        let same_file = self.pdf_pages.iter().find_map(|((digest, _), d)| match d {
            PdfDraw::Page(doc) if *digest == art.digest => Some(doc.clone()),
            _ => None,
        });
        let draw = match same_file {
            Some(doc) => PdfDraw::Page(doc),
            None => colours.pdf_page(art)?,
        };
        self.pdf_pages.insert(key, draw.clone());
        Ok(draw)
    }

    /// Loads every font and image `items` use, so that drawing them cannot fail half-way.
    pub(crate) fn load<'a>(
        &mut self,
        items: impl Iterator<Item = &'a FrameItem>,
        colours: &impl ColourTarget,
    ) -> Result<(), ExportError> {
        for item in items {
            match item {
                FrameItem::Text { run, .. } => drop(self.font(run.font)?),
                FrameItem::Image { asset, .. } => drop(self.image(asset, colours)?),
                FrameItem::Vector { art, .. } => {
                    for i in art.images() {
                        drop(self.image(&i.asset, colours)?);
                    }
                    if let Some(pdf) = &art.pdf {
                        drop(self.pdf_page(pdf, colours)?);
                    }
                }
                FrameItem::Rect { .. } | FrameItem::Line { .. } => {}
            }
        }
        Ok(())
    }

    /// Loads every font and image of `page` (its placed frames and its marks) before it is
    /// drawn: krilla's surface must not be left half-drawn (it panics when dropped so). An error
    /// names the page and the frame ([`ExportError::drawing`]).
    pub(crate) fn load_page<'a>(
        &mut self,
        page: &Page,
        frame: &dyn Fn(usize) -> &'a Frame,
        colours: &impl ColourTarget,
    ) -> Result<(), ExportError> {
        for c in &page.content {
            self.load(frame(c.frame).items.iter(), colours).map_err(|e| e.on_page(&page.label, Some(c.frame)))?;
        }
        self.load(page.marks.iter(), colours).map_err(|e| e.on_page(&page.label, None))
    }
}

/// Draws a page's content: its placed frames (each clipped, if it has a clip; a clip without
/// area shows nothing of the frame), then its marks, all under the page transform.
/// `frame(i)` gives the frame that [`crate::impose::Placed::frame`] `i` names.
pub(crate) fn draw_page<'a, T: Tags>(
    surface: &mut Surface,
    page: &Page,
    frame: &dyn Fn(usize) -> &'a Frame,
    res: &mut Embedded,
    colours: &mut impl ColourTarget,
    tags: &mut T,
) -> Result<(), ExportError> {
    if let Some(t) = &page.transform {
        surface.push_transform(&ktransform(t));
    }
    for placed in &page.content {
        let frame = frame(placed.frame);
        tags.frame(frame);
        let clip = placed.clip.as_ref().map(rect_path);
        match &clip {
            Some(Some(path)) => surface.push_clip_path(path, &FillRule::NonZero),
            Some(None) => continue,
            None => {}
        }
        surface.push_transform(&ktransform(&placed.transform(frame)));
        let drawn = match frame.shared.filter(|_| !T::TAGGED) {
            Some(id) => shared_frame(surface, id, frame, res, colours).map(|g| surface.draw_graphic(g)),
            None => frame.items.iter().enumerate().try_for_each(|(i, item)| {
                tags.item(surface, i);
                draw_item(surface, item, res, colours)?;
                tags.end(surface);
                Ok(())
            }),
        };
        drawn.map_err(|e| e.on_page(&page.label, Some(placed.frame)))?;
        surface.pop();
        if clip.is_some() {
            surface.pop();
        }
    }
    for item in page.marks.iter() {
        tags.mark(surface);
        draw_item(surface, item, res, colours).map_err(|e| e.on_page(&page.label, None))?;
        tags.end(surface);
    }
    if page.transform.is_some() {
        surface.pop();
    }
    Ok(())
}

/// The form XObject of a shared frame (its items in frame coordinates), drawn the first time it
/// is placed: a common back on a thousand cards is written once and placed a thousand times.
fn shared_frame(
    surface: &mut Surface,
    id: u64,
    frame: &Frame,
    res: &mut Embedded,
    colours: &mut impl ColourTarget,
) -> Result<Graphic, ExportError> {
    if let Some(g) = res.frames.get(&id) {
        return Ok(g.clone());
    }
    let mut builder = surface.stream_builder();
    let mut inner = builder.surface();
    // Fonts and images were loaded for the page (`load_page`): drawing does not fail half-way.
    let drawn = frame.items.iter().try_for_each(|item| draw_item(&mut inner, item, res, colours));
    inner.finish();
    drawn?;
    let g = Graphic::new(builder.finish(), false);
    res.frames.insert(id, g.clone());
    Ok(g)
}

fn fill(c: &Color, colours: &mut impl ColourTarget) -> Fill {
    Fill { paint: colours.paint(c), opacity: NormalizedF32::ONE, rule: FillRule::NonZero }
}

fn stroke(s: &Stroke, colours: &mut impl ColourTarget) -> KStroke {
    KStroke {
        paint: colours.paint(&s.color),
        width: s.width.0 as f32,
        miter_limit: 4.0,
        line_cap: LineCap::Butt,
        line_join: LineJoin::Miter,
        opacity: NormalizedF32::ONE,
        dash: s.dash.as_ref().map(|d| StrokeDash { array: d.iter().map(|v| v.0 as f32).collect(), offset: 0.0 }),
    }
}

/// Draws `draw` with fill and stroke overprint as the colour target says for this item's fill
/// and stroke (overprint mode 1), or plainly when neither overprints.
fn overprinted(
    surface: &mut Surface,
    colours: &impl ColourTarget,
    fill: Option<(&Color, Painted)>,
    stroke: Option<&Stroke>,
    draw: impl FnOnce(&mut Surface),
) {
    let fill = fill.is_some_and(|(c, painted)| colours.overprints(c, painted));
    let stroke = stroke.is_some_and(|s| colours.overprints(&s.color, Painted::Stroke(s.width)));
    if fill || stroke {
        surface.push_overprint(Overprint { stroke, fill, nonzero_mode: true });
        draw(surface);
        surface.pop();
    } else {
        draw(surface);
    }
}

/// Draws one item; shapes without area are skipped.
fn draw_item(
    surface: &mut Surface,
    item: &FrameItem,
    res: &mut Embedded,
    colours: &mut impl ColourTarget,
) -> Result<(), ExportError> {
    match item {
        FrameItem::Rect { rect, fill: f, stroke: s } => {
            let Some(path) = rect_path(rect) else { return Ok(()) };
            surface.set_fill(f.as_ref().map(|c| fill(c, colours)));
            surface.set_stroke(s.as_ref().map(|s| stroke(s, colours)));
            overprinted(surface, colours, f.as_ref().map(|c| (c, Painted::Fill)), s.as_ref(), |surface| {
                surface.draw_path(&path);
            });
        }
        FrameItem::Image { rect, clip, asset } => {
            let image = res.image(asset, colours)?;
            let Some(size) = KSize::from_wh(rect.width().0 as f32, rect.height().0 as f32) else { return Ok(()) };
            let clip = clip.as_ref().map(rect_path);
            match &clip {
                Some(Some(path)) => surface.push_clip_path(path, &FillRule::NonZero),
                Some(None) => return Ok(()),
                None => {}
            }
            surface.push_transform(&Transform::from_translate(rect.min.x.0 as f32, rect.min.y.0 as f32));
            surface.draw_image(image, size);
            surface.pop();
            if clip.is_some() {
                surface.pop();
            }
        }
        FrameItem::Vector { rect, clip, art } => {
            let clip = clip.as_ref().map(rect_path);
            match &clip {
                Some(Some(path)) => surface.push_clip_path(path, &FillRule::NonZero),
                Some(None) => return Ok(()),
                None => {}
            }
            match &art.pdf {
                Some(pdf) => draw_pdf_art(surface, rect, pdf, res, colours)?,
                None => draw_artwork(surface, rect, art, res, colours)?,
            }
            if clip.is_some() {
                surface.pop();
            }
        }
        FrameItem::Line { from, to, stroke: s } => {
            let mut pb = PathBuilder::new();
            pb.move_to(from.x.0 as f32, from.y.0 as f32);
            pb.line_to(to.x.0 as f32, to.y.0 as f32);
            let Some(path) = pb.finish() else { return Ok(()) };
            surface.set_fill(None);
            surface.set_stroke(Some(stroke(s, colours)));
            overprinted(surface, colours, None, Some(s), |surface| surface.draw_path(&path));
        }
        FrameItem::Text { origin, run, color } => {
            let font = res.font(run.font)?;
            surface.set_fill(Some(fill(color, colours)));
            surface.set_stroke(None);
            let at = KPoint::from_xy(origin.x.0 as f32, origin.y.0 as f32);
            let (text, glyphs) = krilla_glyphs(run);
            overprinted(surface, colours, Some((color, Painted::Text(run.size))), None, |surface| {
                surface.draw_glyphs(at, &glyphs, font, &text, run.size.0 as f32, false);
            });
        }
    }
    Ok(())
}

/// The artwork's box mapped onto `rect`, then each path under its clips and transform.
/// Artwork never overprints: its colours are the designer's, not 100 % K text or rules.
fn draw_artwork(
    surface: &mut Surface,
    rect: &crate::units::Rect,
    art: &Arc<Artwork>,
    res: &mut Embedded,
    colours: &mut impl ColourTarget,
) -> Result<(), ExportError> {
    if !(art.width > 0.0 && art.height > 0.0) {
        return Ok(());
    }
    let graphic = match res.graphics.iter().find(|(a, _)| Arc::ptr_eq(a, art) || **a == **art) {
        Some((_, g)) => g.clone(),
        None => {
            let mut builder = surface.stream_builder();
            let mut inner = builder.surface();
            for part in &art.parts {
                match part {
                    ArtPart::Path(p) => draw_vector_path(&mut inner, p, colours),
                    ArtPart::Image(i) => {
                        let image = res.image(&i.asset, colours)?;
                        draw_art_image(&mut inner, i, image);
                    }
                }
            }
            inner.finish();
            let g = Graphic::new(builder.finish(), false);
            res.graphics.push((art.clone(), g.clone()));
            g
        }
    };
    let (sx, sy) = (rect.width().0 / art.width, rect.height().0 / art.height);
    surface.push_transform(&Transform::from_row(
        sx as f32,
        0.0,
        0.0,
        sy as f32,
        rect.min.x.0 as f32,
        rect.min.y.0 as f32,
    ));
    surface.draw_graphic(graphic);
    surface.pop();
    Ok(())
}

/// An image embedded in artwork: `0..width` × `0..height` under its transform and clips.
fn draw_art_image(surface: &mut Surface, i: &ArtImage, image: Image) {
    let Some(size) = KSize::from_wh(i.width as f32, i.height as f32) else { return };
    clipped(surface, &i.clips, |surface| {
        surface.push_transform(&ktransform(&i.transform));
        surface.draw_image(image, size);
        surface.pop();
    });
}

/// Draws under all of `clips` (intersected); a clip without area hides what it clips.
fn clipped(surface: &mut Surface, clips: &[ArtClip], draw: impl FnOnce(&mut Surface)) {
    let mut pushed = 0;
    for c in clips {
        let Some(clip) = segments_path(&c.segments) else { break };
        surface.push_clip_path(&clip, &fill_rule(c.rule));
        pushed += 1;
    }
    if pushed == clips.len() {
        draw(surface);
    }
    (0..pushed).for_each(|_| surface.pop());
}

/// A page of PDF artwork stretched onto `rect`: the page itself (one form XObject per page and
/// file, however often it is placed) or its image.
fn draw_pdf_art(
    surface: &mut Surface,
    rect: &crate::units::Rect,
    art: &Arc<PdfArt>,
    res: &mut Embedded,
    colours: &impl ColourTarget,
) -> Result<(), ExportError> {
    let Some(size) = KSize::from_wh(rect.width().0 as f32, rect.height().0 as f32) else { return Ok(()) };
    let draw = res.pdf_page(art, colours)?;
    surface.push_transform(&Transform::from_translate(rect.min.x.0 as f32, rect.min.y.0 as f32));
    match draw {
        PdfDraw::Page(doc) => surface.draw_pdf_page(&doc, size, art.index()),
        PdfDraw::Image(image) => surface.draw_image(image, size),
    }
    surface.pop();
    Ok(())
}

/// krilla's fill rule.
fn fill_rule(w: Winding) -> FillRule {
    match w {
        Winding::NonZero => FillRule::NonZero,
        Winding::EvenOdd => FillRule::EvenOdd,
    }
}

/// Artwork segments as a krilla path; `None` when empty or degenerate.
pub(crate) fn segments_path(segments: &[Segment]) -> Option<krilla::geom::Path> {
    let mut pb = PathBuilder::new();
    let f = |v: f64| v as f32;
    for s in segments {
        match *s {
            Segment::Move([x, y]) => pb.move_to(f(x), f(y)),
            Segment::Line([x, y]) => pb.line_to(f(x), f(y)),
            Segment::Cubic([x1, y1], [x2, y2], [x, y]) => pb.cubic_to(f(x1), f(y1), f(x2), f(y2), f(x), f(y)),
            Segment::Close => pb.close(),
        }
    }
    pb.finish()
}

fn draw_vector_path(surface: &mut Surface, p: &VectorPath, colours: &mut impl ColourTarget) {
    let Some(path) = segments_path(&p.segments) else { return };
    clipped(surface, &p.clips, |surface| {
        surface.push_transform(&ktransform(&p.transform));
        surface.set_fill(p.fill.as_ref().map(|(paint, rule)| Fill {
            paint: colours.art_paint(paint),
            opacity: NormalizedF32::ONE,
            rule: fill_rule(*rule),
        }));
        surface.set_stroke(p.stroke.as_ref().map(|s| {
            KStroke {
                paint: colours.art_paint(&s.paint),
                width: s.width as f32,
                miter_limit: s.miter_limit as f32,
                line_cap: match s.cap {
                    Cap::Butt => LineCap::Butt,
                    Cap::Round => LineCap::Round,
                    Cap::Square => LineCap::Square,
                },
                line_join: match s.join {
                    Join::Miter => LineJoin::Miter,
                    Join::Round => LineJoin::Round,
                    Join::Bevel => LineJoin::Bevel,
                },
                opacity: NormalizedF32::ONE,
                dash: s
                    .dash
                    .as_ref()
                    .map(|(a, o)| StrokeDash { array: a.iter().map(|v| *v as f32).collect(), offset: *o as f32 }),
            }
        }));
        surface.draw_path(&path);
        surface.pop();
    });
}
