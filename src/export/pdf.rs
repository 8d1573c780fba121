//! Writing a [`Document`] with krilla. Colours map to DeviceCMYK or Separation only.

use std::collections::HashMap;
use std::sync::Arc;

use krilla::color::separation::{SeparationColorant, SeparationSpace};
use krilla::color::{cmyk, separation};
use krilla::geom::{PathBuilder, Point as KPoint, Rect as KRect, Size as KSize, Transform};
use krilla::image::{BitsPerComponent, CustomImage, Image, ImageColorspace};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Paint, Stroke as KStroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document as KDocument, SerializeSettings};

use crate::assets::{ImageAsset, ImageData};
use crate::impose::{Document, Page};
use crate::layout::{Frame, FrameItem, Stroke};
use crate::model::color::Color;
use crate::text::FontBook;
use crate::units::Rect;

/// A percentage (0–100) as an 8-bit colour component.
pub(crate) fn pct(v: f64) -> u8 {
    (v.clamp(0.0, 100.0) * 2.55).round() as u8
}

fn paint(c: &Color) -> Paint {
    match c {
        Color::Cmyk([cy, m, y, k]) => cmyk::Color::new(pct(*cy), pct(*m), pct(*y), pct(*k)).into(),
        Color::Spot { name, fallback: [cy, m, y, k], tint } => {
            let space = SeparationSpace::new(
                SeparationColorant::Custom(name.clone()),
                cmyk::Color::new(pct(*cy), pct(*m), pct(*y), pct(*k)).into(),
            );
            krilla::color::Color::from(separation::Color::new(pct(*tint), space)).into()
        }
        Color::Registration => {
            let space =
                SeparationSpace::new(SeparationColorant::AllColorants, cmyk::Color::new(255, 255, 255, 255).into());
            krilla::color::Color::from(separation::Color::new(255, space)).into()
        }
    }
}

fn fill(c: &Color) -> Fill {
    Fill { paint: paint(c), opacity: NormalizedF32::ONE, rule: FillRule::NonZero }
}

fn stroke(s: &Stroke) -> KStroke {
    stroke_with(s, paint(&s.color))
}

/// A stroke in a given paint (print: CMYK/separation; screen: sRGB).
pub(crate) fn stroke_with(s: &Stroke, paint: Paint) -> KStroke {
    KStroke {
        paint,
        width: s.width.0 as f32,
        miter_limit: 4.0,
        line_cap: LineCap::Butt,
        line_join: LineJoin::Miter,
        opacity: NormalizedF32::ONE,
        dash: s.dash.as_ref().map(|d| StrokeDash { array: d.iter().map(|v| v.0 as f32).collect(), offset: 0.0 }),
    }
}

/// A tryksag transform as krilla's.
pub(crate) fn ktransform(t: &crate::units::Transform) -> Transform {
    Transform::from_row(t.sx as f32, t.ky as f32, t.kx as f32, t.sy as f32, t.tx as f32, t.ty as f32)
}

/// krilla's rectangle; `None` for one without area or with a coordinate f32 cannot hold (the model
/// keeps lengths within ±10 m, so this is a guard, not a path real input takes).
fn krect(r: &Rect) -> Option<KRect> {
    KRect::from_ltrb(r.min.x.0 as f32, r.min.y.0 as f32, r.max.x.0 as f32, r.max.y.0 as f32)
}

/// Pushes a clip to `r`; false (nothing pushed) when `r` has no area.
fn push_clip(surface: &mut Surface, r: &Rect) -> bool {
    let mut pb = PathBuilder::new();
    let Some(k) = krect(r) else { return false };
    pb.push_rect(k);
    match pb.finish() {
        Some(path) => {
            surface.push_clip_path(&path, &FillRule::NonZero);
            true
        }
        None => false,
    }
}

/// A page box for krilla, or an error naming the box.
fn page_box(r: &Rect, what: &str, label: &str) -> Result<KRect, String> {
    krect(r).ok_or_else(|| format!("{label}: the {what} has no area or lies beyond any page ({r:?})"))
}

/// Renders the document to PDF bytes with the given krilla settings.
pub fn render(doc: &Document, fonts: &FontBook, settings: SerializeSettings) -> Result<Vec<u8>, String> {
    let mut w = PdfWriter::new(fonts, settings);
    for page in &doc.pages {
        w.page(page, &|i| &doc.frames[i])?;
    }
    w.finish()
}

/// A PDF being written page by page, so that a long deck never needs all its frames in memory:
/// the caller hands over each page with a look-up for the frames it places, then drops them.
/// Fonts are subset once, when the document is finished; images are embedded once.
pub struct PdfWriter<'f> {
    kdoc: KDocument,
    fonts: &'f FontBook,
    kfonts: Vec<Option<Font>>,
    images: HashMap<crate::assets::Digest, Image>,
    pages: usize,
}

impl<'f> PdfWriter<'f> {
    /// An empty document.
    #[must_use]
    pub fn new(fonts: &'f FontBook, settings: SerializeSettings) -> Self {
        PdfWriter {
            kdoc: KDocument::new_with(settings),
            fonts,
            kfonts: vec![None; fonts.faces().count()],
            images: HashMap::new(),
            pages: 0,
        }
    }

    /// Pages written so far.
    #[must_use]
    pub fn pages(&self) -> usize {
        self.pages
    }

    /// Appends a page; `frame(i)` gives the frame that [`crate::impose::Placed::frame`] `i` names.
    ///
    /// # Errors
    ///
    /// An empty page size, an image krilla cannot embed, a font krilla cannot load.
    pub fn page<'a>(&mut self, page: &Page, frame: &dyn Fn(usize) -> &'a Frame) -> Result<(), String> {
        let size = KSize::from_wh(page.media.w.0 as f32, page.media.h.0 as f32).ok_or("empty page")?;
        let ps = PageSettings::new(size)
            .with_trim_box(Some(page_box(&page.trim_box, "trim box", &page.label)?))
            .with_bleed_box(Some(page_box(&page.bleed_box, "bleed box", &page.label)?));
        let mut kp = self.kdoc.start_page_with(ps);
        let mut surface = kp.surface();
        if let Some(t) = &page.transform {
            surface.push_transform(&ktransform(t));
        }
        let (fonts, kfonts, images) = (self.fonts, &mut self.kfonts, &mut self.images);
        for placed in &page.content {
            let frame = frame(placed.frame);
            let clipped = match &placed.clip {
                Some(clip) => push_clip(&mut surface, clip),
                None => false,
            };
            if placed.clip.is_some() && !clipped {
                // A clip without area shows nothing of the frame.
                continue;
            }
            surface.push_transform(&ktransform(&placed.transform(frame)));
            draw_items(&mut surface, &frame.items, fonts, kfonts, images)?;
            surface.pop();
            if clipped {
                surface.pop();
            }
        }
        draw_items(&mut surface, &page.marks.shared, fonts, kfonts, images)?;
        draw_items(&mut surface, &page.marks.own, fonts, kfonts, images)?;
        if page.transform.is_some() {
            surface.pop();
        }
        surface.finish();
        kp.finish();
        self.pages += 1;
        Ok(())
    }

    /// Finishes the document (font subsetting, page tree) and returns its bytes.
    ///
    /// # Errors
    ///
    /// When krilla refuses the document.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        self.kdoc.finish().map_err(|e| format!("pdf export failed: {e:?}"))
    }
}

/// A run's glyphs for krilla: advances and offsets normalised by the font size (krilla's unit),
/// y offsets flipped (tryksag's y grows downwards).
pub(crate) fn krilla_glyphs(run: &crate::text::GlyphRun) -> Vec<KrillaGlyph> {
    let size = run.size.0 as f32;
    run.glyphs
        .iter()
        .map(|g| {
            KrillaGlyph::new(
                GlyphId::new(g.id as u32),
                g.advance().0 as f32 / size,
                g.x_offset().0 as f32 / size,
                -(g.y_offset().0 as f32) / size,
                0.0,
                g.text(),
                None,
            )
        })
        .collect()
}

/// Print-ready pixels (CMYK or grey, 8 bit) for krilla; hashed by content digest.
#[derive(Clone)]
struct PrintImage(Arc<ImageAsset>);

impl std::hash::Hash for PrintImage {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.digest.hash(state);
        self.0.path.hash(state);
    }
}

impl CustomImage for PrintImage {
    fn color_channel(&self) -> &[u8] {
        match &self.0.data {
            ImageData::Pixels { samples, .. } => samples,
            ImageData::Jpeg(_) => &[],
        }
    }
    fn alpha_channel(&self) -> Option<&[u8]> {
        match &self.0.data {
            ImageData::Pixels { alpha, .. } => alpha.as_deref().map(Vec::as_slice),
            ImageData::Jpeg(_) => None,
        }
    }
    fn bits_per_component(&self) -> BitsPerComponent {
        BitsPerComponent::Eight
    }
    fn size(&self) -> (u32, u32) {
        (self.0.width, self.0.height)
    }
    fn icc_profile(&self) -> Option<&[u8]> {
        None
    }
    fn color_space(&self) -> ImageColorspace {
        match &self.0.data {
            ImageData::Pixels { cmyk: false, .. } => ImageColorspace::Luma,
            _ => ImageColorspace::Cmyk,
        }
    }
}

fn draw_items(
    surface: &mut Surface,
    items: &[FrameItem],
    fonts: &FontBook,
    kfonts: &mut [Option<Font>],
    images: &mut HashMap<crate::assets::Digest, Image>,
) -> Result<(), String> {
    for item in items {
        match item {
            FrameItem::Rect { rect, fill: f, stroke: s } => {
                let mut pb = PathBuilder::new();
                let Some(k) = krect(rect) else { continue };
                pb.push_rect(k);
                let Some(path) = pb.finish() else { continue };
                surface.set_fill(f.as_ref().map(fill));
                surface.set_stroke(s.as_ref().map(stroke));
                surface.draw_path(&path);
            }
            FrameItem::Image { rect, clip, asset } => {
                let image = match images.get(&asset.digest) {
                    Some(i) => i.clone(),
                    None => {
                        // No /Interpolate: print RIPs should render the pixels as they are.
                        let i = match &asset.data {
                            ImageData::Jpeg(bytes) => Image::from_jpeg(bytes.clone().into(), false),
                            ImageData::Pixels { .. } => Image::from_custom(PrintImage(asset.clone()), false),
                        }
                        .map_err(|e| format!("cannot embed image {}: {e}", asset.path.display()))?;
                        images.insert(asset.digest, i.clone());
                        i
                    }
                };
                let Some(size) = KSize::from_wh(rect.width().0 as f32, rect.height().0 as f32) else { continue };
                let clipped = match clip {
                    Some(c) => push_clip(surface, c),
                    None => false,
                };
                if clip.is_some() && !clipped {
                    continue;
                }
                surface.push_transform(&Transform::from_translate(rect.min.x.0 as f32, rect.min.y.0 as f32));
                surface.draw_image(image, size);
                surface.pop();
                if clipped {
                    surface.pop();
                }
            }
            FrameItem::Line { from, to, stroke: s } => {
                let mut pb = PathBuilder::new();
                pb.move_to(from.x.0 as f32, from.y.0 as f32);
                pb.line_to(to.x.0 as f32, to.y.0 as f32);
                let Some(path) = pb.finish() else { continue };
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(s)));
                surface.draw_path(&path);
            }
            FrameItem::Text { origin, run, color } => {
                let idx = run.font.0 as usize;
                if kfonts[idx].is_none() {
                    let face = fonts.face(run.font);
                    kfonts[idx] = Some(
                        Font::new(face.data.clone().into(), 0)
                            .ok_or_else(|| format!("krilla cannot load font {}", face.path.display()))?,
                    );
                }
                let Some(font) = kfonts[idx].clone() else { continue };
                let size = run.size.0 as f32;
                let glyphs = krilla_glyphs(run);
                surface.set_fill(Some(fill(color)));
                surface.set_stroke(None);
                surface.draw_glyphs(
                    KPoint::from_xy(origin.x.0 as f32, origin.y.0 as f32),
                    &glyphs,
                    font,
                    &run.text,
                    size,
                    false,
                );
            }
        }
    }
    Ok(())
}
