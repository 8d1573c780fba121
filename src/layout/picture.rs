//! A picture for a frame: a raster image (JPEG, PNG) or vector artwork (SVG, a PDF page) named by a file,
//! loaded, fitted into a box and checked for print in one place, so a card's image element, a
//! leaflet's or booklet's image block and the download versions treat every kind alike.

use std::sync::Arc;

use crate::assets::{ImageAsset, ImageCache};
use crate::diag::{Diagnostic, Topic};
use crate::model::element::is_pdf;
use crate::model::layout::Fit;
use crate::units::Rect;

use super::artwork::{ArtColors, artwork, is_svg};
use super::frame::{Artwork, FrameItem};
use super::gwg::Checker;
use super::template::fit_art;

/// A loaded picture.
#[derive(Clone, Debug)]
pub enum Picture {
    /// A raster image, print-safe.
    Raster(Arc<ImageAsset>),
    /// Vector artwork with its print colours chosen.
    Vector(Arc<Artwork>),
}

impl Picture {
    /// Loads `file` (relative to the project) and for a PDF its `page` (from 1; default 1): a PDF
    /// page as artwork, SVG artwork with its colours chosen by `colors` (the warnings for
    /// colours converted through the output profile come back beside it), or a raster image.
    /// The error is unlocated: the caller places it at the key that named the file.
    ///
    /// # Errors
    ///
    /// A missing, damaged or unsupported file.
    pub fn load(
        images: &ImageCache,
        (file, page): (&str, Option<usize>),
        colors: &ArtColors,
    ) -> Result<(Picture, Vec<Diagnostic>), Diagnostic> {
        let topic = |d: Diagnostic| d.with_topic(Topic::Image);
        if is_pdf(file) {
            let art = images.pdf(file, page.unwrap_or(1)).map_err(topic)?;
            return Ok((Picture::Vector(Arc::new(Artwork::pdf_page(art))), Vec::new()));
        }
        if is_svg(file) {
            let art = images.svg(file).map_err(topic)?;
            let (art, warnings) = artwork(&art, colors);
            return Ok((Picture::Vector(Arc::new(art)), warnings));
        }
        Ok((Picture::Raster(images.get(file).map_err(topic)?), Vec::new()))
    }

    /// Where it is drawn in box `b` with `fit`, and the clip (for `cover`).
    #[must_use]
    pub fn fit(&self, b: Rect, fit: Fit) -> (Rect, Option<Rect>) {
        match self {
            Picture::Raster(a) => fit_art(b, f64::from(a.width), f64::from(a.height.max(1)), fit),
            Picture::Vector(a) => fit_art(b, a.width, a.height, fit),
        }
    }

    /// Checks it for print as drawn at `drawn` (resolution and ink, of embedded images too).
    pub fn check(&self, check: &Checker, drawn: Rect, found: &mut Vec<Diagnostic>) {
        match self {
            Picture::Raster(a) => check.image(a, drawn, found),
            Picture::Vector(a) => check.artwork(a, drawn, found),
        }
    }

    /// The frame item that draws it at `drawn`, clipped to `clip`.
    #[must_use]
    pub fn item(&self, drawn: Rect, clip: Option<Rect>) -> FrameItem {
        match self {
            Picture::Raster(asset) => FrameItem::Image { rect: drawn, clip, asset: asset.clone() },
            Picture::Vector(art) => FrameItem::Vector { rect: drawn, clip, art: art.clone() },
        }
    }

    /// Loads, fits into `b`, checks and returns the item: everything a layout does with a
    /// picture file. Warnings and findings go to `found`.
    ///
    /// # Errors
    ///
    /// As for [`Picture::load`].
    pub fn place(
        images: &ImageCache,
        file: (&str, Option<usize>),
        colors: &ArtColors,
        (b, fit): (Rect, Fit),
        check: &Checker,
        found: &mut Vec<Diagnostic>,
    ) -> Result<FrameItem, Diagnostic> {
        let (picture, warnings) = Picture::load(images, file, colors)?;
        found.extend(warnings);
        let (drawn, clip) = picture.fit(b, fit);
        picture.check(check, drawn, found);
        Ok(picture.item(drawn, clip))
    }
}
