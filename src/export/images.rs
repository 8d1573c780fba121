//! Images as krilla embeds them. Print embeds the print-ready data (CMYK or grey pixels, or a
//! CMYK/grey JPEG as it is); screen embeds the original file (PNG or JPEG, RGB and all). Neither
//! sets /Interpolate: the pixels are shown as they are.

use std::sync::Arc;

use krilla::image::{BitsPerComponent, CustomImage, Image, ImageColorspace};

use super::ExportError;
use crate::assets::pdf_art::ArtRaster;
use crate::assets::{ImageAsset, ImageData};

/// The print-ready data of an image.
pub(crate) fn print_image(asset: &Arc<ImageAsset>) -> Result<Image, ExportError> {
    match &asset.data {
        ImageData::Jpeg(bytes) => Image::from_jpeg(bytes.clone().into(), false),
        ImageData::Pixels { .. } => Image::from_custom(PrintImage(asset.clone()), false),
    }
    .map_err(|reason| ExportError::Image { path: asset.path.clone(), reason })
}

/// The original file of an image.
pub(crate) fn original_image(asset: &ImageAsset) -> Result<Image, ExportError> {
    let bytes = &asset.original;
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Image::from_png(bytes.clone().into(), false)
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        Image::from_jpeg(bytes.clone().into(), false)
    } else {
        Err("not a png or jpeg file".to_string())
    }
    .map_err(|e| ExportError::Image { path: asset.path.clone(), reason: e.to_lowercase() })
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

/// A PDF page rasterized for screen: sRGB pixels with alpha.
pub(crate) fn raster_image(raster: Arc<ArtRaster>) -> Result<Image, String> {
    Image::from_custom(Raster(raster), false).map_err(|e| e.to_lowercase())
}

/// sRGB pixels of a rasterized PDF page for krilla; hashed by the artwork's digest and page.
#[derive(Clone)]
struct Raster(Arc<ArtRaster>);

impl std::hash::Hash for Raster {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.key.hash(state);
    }
}

impl CustomImage for Raster {
    fn color_channel(&self) -> &[u8] {
        &self.0.rgb
    }
    fn alpha_channel(&self) -> Option<&[u8]> {
        Some(&self.0.alpha)
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
        ImageColorspace::Rgb
    }
}
