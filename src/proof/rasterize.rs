//! PDF pages to pixels (hayro, pure Rust) and pixels to PNG.

use std::ops::Range;
use std::sync::Arc;

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings};
use rayon::prelude::*;

/// Lowest resolution accepted for proofs.
pub const MIN_DPI: f32 = 10.0;
/// Highest resolution accepted for proofs.
pub const MAX_DPI: f32 = 1200.0;
/// Largest page pixmap rasterized (4 bytes a pixel: 400 MB).
pub const MAX_PAGE_PIXELS: u64 = 100_000_000;
/// Most pixels of one document held at once (all its pages are rasterized before writing).
pub const MAX_DOCUMENT_PIXELS: u64 = 400_000_000;

/// Why a PDF could not be rasterized. Display gives the message users see.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RasterError {
    /// A resolution outside [`MIN_DPI`]–[`MAX_DPI`].
    #[error("invalid resolution {0} dpi (allowed: {MIN_DPI}–{MAX_DPI} dpi)")]
    Resolution(f32),
    /// A page above [`MAX_PAGE_PIXELS`] (1-based page number, pixels).
    #[error(
        "page {page} would be {:.0} megapixels at {dpi} dpi, more than the {} allowed; use a lower --dpi",
        .pixels / 1e6,
        MAX_PAGE_PIXELS / 1_000_000
    )]
    Page {
        /// The page (1-based).
        page: usize,
        /// Its pixels.
        pixels: f64,
        /// The resolution asked for.
        dpi: f32,
    },
    /// A document above [`MAX_DOCUMENT_PIXELS`].
    #[error(
        "the {pages} pages would be {} megapixels at {dpi} dpi, more than the {} allowed at once; use a lower --dpi",
        .pixels / 1_000_000,
        MAX_DOCUMENT_PIXELS / 1_000_000
    )]
    Document {
        /// Its pages.
        pages: usize,
        /// Their pixels.
        pixels: u64,
        /// The resolution asked for.
        dpi: f32,
    },
    /// hayro cannot read the file (its reason).
    #[error("the proof renderer cannot read the PDF: {0}")]
    Unreadable(String),
    /// A page wider or higher than a pixmap can be (1-based page number).
    #[error("page {0} is too large to render at this resolution")]
    TooLarge(usize),
}

/// Why pixels could not be encoded as PNG. Display gives the message users see.
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    /// The pixel buffer does not match the size.
    #[error("{len} bytes are not a {w} × {h} RGBA image")]
    Size {
        /// Bytes given.
        len: usize,
        /// Width.
        w: u32,
        /// Height.
        h: u32,
    },
    /// The encoder failed.
    #[error("{0}")]
    Encode(#[from] png::EncodingError),
}

/// An RGBA8 image: width, height, pixels (row by row, 4 bytes each, opaque).
pub type Image = (u32, u32, Vec<u8>);

/// Rasterizes every page of `pdf` at `dpi` into RGBA8 pixmaps (width, height, data) on white.
///
/// The size is hayro's: page size in points × dpi / 72, truncated to whole pixels. Pages are
/// rasterized in parallel; each page's pixels depend only on the page, so the result is the same
/// whatever the number of threads.
///
/// Refuses resolutions outside [`MIN_DPI`]–[`MAX_DPI`], a page above [`MAX_PAGE_PIXELS`] and a
/// document above [`MAX_DOCUMENT_PIXELS`] before allocating anything.
///
/// # Errors
///
/// The limits above, and a PDF hayro cannot read ([`RasterError`]).
pub fn rasterize(pdf: &[u8], dpi: f32) -> Result<Vec<Image>, RasterError> {
    if !(dpi.is_finite() && (MIN_DPI..=MAX_DPI).contains(&dpi)) {
        return Err(RasterError::Resolution(dpi));
    }
    let data = Arc::new(pdf.to_vec());
    let count = {
        let pdf = open(&data)?;
        let scale = f64::from(dpi) / 72.0;
        let mut total = 0u64;
        for (i, page) in pdf.pages().iter().enumerate() {
            let (w, h) = page.render_dimensions();
            let px = (f64::from(w) * scale).ceil() * (f64::from(h) * scale).ceil();
            if !px.is_finite() || px > MAX_PAGE_PIXELS as f64 {
                return Err(RasterError::Page { page: i + 1, pixels: px, dpi });
            }
            total += px as u64;
        }
        if total > MAX_DOCUMENT_PIXELS {
            return Err(RasterError::Document { pages: pdf.pages().len(), pixels: total, dpi });
        }
        pdf.pages().len()
    };
    let chunk = count.div_ceil(rayon::current_num_threads().max(1)).max(1);
    let ranges: Vec<Range<usize>> = (0..count).step_by(chunk).map(|s| s..(s + chunk).min(count)).collect();
    let parts: Vec<Vec<Image>> =
        ranges.into_par_iter().map(|r| rasterize_range(&data, r, dpi / 72.0)).collect::<Result<_, _>>()?;
    Ok(parts.into_iter().flatten().collect())
}

fn open(data: &Arc<Vec<u8>>) -> Result<Pdf, RasterError> {
    Pdf::new(data.clone()).map_err(|e| RasterError::Unreadable(format!("{e:?}")))
}

/// Rasterizes pages `range` with one parser and one cache (hayro's caches are not thread-safe).
fn rasterize_range(data: &Arc<Vec<u8>>, range: Range<usize>, scale: f32) -> Result<Vec<Image>, RasterError> {
    let pdf = open(data)?;
    let pages = pdf.pages();
    let cache = RenderCache::new();
    // Our PDFs embed every font; the default resolver only serves hayro's built-in standard fonts
    // and never fetches anything.
    let interp = InterpreterSettings::default();
    let pix = PixmapSettings { x_scale: scale, y_scale: scale, bg_color: WHITE };
    range
        .map(|i| {
            let (w, h) = pages[i].render_dimensions();
            if w * scale >= f32::from(u16::MAX) || h * scale >= f32::from(u16::MAX) {
                return Err(RasterError::TooLarge(i + 1));
            }
            let pm = hayro::render(&pages[i], &cache, &interp, &RenderSettings::default(), &pix);
            // Opaque white background: premultiplied and straight alpha are the same bytes.
            Ok((u32::from(pm.width()), u32::from(pm.height()), pm.data_as_u8_slice().to_vec()))
        })
        .collect()
}

/// Encodes RGBA8 as PNG bytes (fixed settings, so the same pixels give the same bytes).
///
/// # Errors
///
/// A buffer that does not match the size, or the encoder's failure ([`PngError`]).
pub fn encode_png(w: u32, h: u32, rgba: &[u8]) -> Result<Vec<u8>, PngError> {
    if rgba.len() != w as usize * h as usize * 4 {
        return Err(PngError::Size { len: rgba.len(), w, h });
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fast);
    let mut writer = enc.write_header()?;
    writer.write_image_data(rgba)?;
    writer.finish()?;
    Ok(out)
}

/// Tiles images into one contact sheet: `columns` per row, each in a cell the size of the largest,
/// centred, with a gap, on grey.
pub fn contact_sheet(images: &[Image], columns: usize) -> Image {
    const GAP: u32 = 8;
    const GREY: [u8; 4] = [160, 160, 160, 255];
    let cols = columns.clamp(1, images.len().max(1)) as u32;
    let rows = images.len().div_ceil(cols as usize) as u32;
    let cell_w = images.iter().map(|i| i.0).max().unwrap_or(0);
    let cell_h = images.iter().map(|i| i.1).max().unwrap_or(0);
    let (w, h) = (cols * cell_w + (cols + 1) * GAP, rows * cell_h + (rows + 1) * GAP);
    let mut out = GREY.repeat(w as usize * h as usize);
    for (k, (iw, ih, px)) in images.iter().enumerate() {
        let (c, r) = (k as u32 % cols, k as u32 / cols);
        let x0 = GAP + c * (cell_w + GAP) + (cell_w - iw) / 2;
        let y0 = GAP + r * (cell_h + GAP) + (cell_h - ih) / 2;
        for y in 0..*ih {
            let src = &px[(y * iw * 4) as usize..((y + 1) * iw * 4) as usize];
            let at = (((y0 + y) * w + x0) * 4) as usize;
            out[at..at + src.len()].copy_from_slice(src);
        }
    }
    (w, h, out)
}

/// Shrinks an image by a whole factor `k`, averaging k × k blocks (the contact sheet of a
/// high-resolution proof stays a sensible size).
pub fn shrink(img: &Image, k: u32) -> Image {
    let (w, h, px) = img;
    if k <= 1 {
        return img.clone();
    }
    let (nw, nh) = ((w / k).max(1), (h / k).max(1));
    let mut out = Vec::with_capacity(nw as usize * nh as usize * 4);
    for y in 0..nh {
        for x in 0..nw {
            let mut sum = [0u32; 4];
            for yy in y * k..((y + 1) * k).min(*h) {
                for xx in x * k..((x + 1) * k).min(*w) {
                    let p = ((yy * w + xx) * 4) as usize;
                    sum.iter_mut().zip(&px[p..p + 4]).for_each(|(s, &v)| *s += u32::from(v));
                }
            }
            let n = ((((y + 1) * k).min(*h) - y * k) * (((x + 1) * k).min(*w) - x * k)).max(1);
            out.extend(sum.map(|s| ((s + n / 2) / n) as u8));
        }
    }
    (nw, nh, out)
}
