//! Raster images for print: loaded once, checked, and made print-safe.
//!
//! - CMYK and greyscale JPEGs pass through untouched (their DCT data goes into the PDF as is);
//! - RGB images (JPEG or PNG) are converted to CMYK through the output profile with moxcms
//!   (source: the image's embedded ICC profile, else sRGB; perceptual intent), so no RGB ever
//!   reaches a print file;
//! - greyscale PNGs stay DeviceGray; alpha is kept as a soft mask.
//!
//! The other input asset, the ICC output profile, is in [`profile`].

pub mod pdf_art;
pub(crate) mod profile;
pub mod svg;

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use image::ImageDecoder;
use sha2::{Digest as _, Sha256};

use crate::diag::Diagnostic;

/// Pixel data of a print-ready image.
#[derive(Clone, Debug, PartialEq)]
pub enum ImageData {
    /// A CMYK or greyscale JPEG, embedded unchanged.
    Jpeg(Arc<Vec<u8>>),
    /// 8-bit samples, 4 per pixel (CMYK, 0 = no ink) or 1 (grey, 0 = black).
    Pixels {
        /// CMYK (true) or grey (false).
        cmyk: bool,
        /// Samples, row by row.
        samples: Arc<Vec<u8>>,
        /// Optional 8-bit alpha.
        alpha: Option<Arc<Vec<u8>>>,
    },
}

/// A SHA-256 content hash.
pub type Digest = [u8; 32];

/// A loaded image.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageAsset {
    /// The file as shown in diagnostics.
    pub path: PathBuf,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The data to embed.
    pub data: ImageData,
    /// Whether RGB data was converted to CMYK.
    pub converted: bool,
    /// The SHA-256 of the file's bytes: the image's identity, so the same picture is embedded
    /// once however many cards show it (it never reaches the PDF itself).
    pub digest: Digest,
    /// The file's original bytes (screen versions embed these, RGB and all).
    pub original: Arc<Vec<u8>>,
    /// The most ink any visible pixel prints, computed once when the image is loaded (`None`
    /// where the pixels are not read: CMYK JPEGs pass through undecoded).
    pub ink: Option<Ink>,
    /// Whether the image is 1-bit (line art: a 1-bit greyscale PNG).
    pub bilevel: bool,
}

/// The most ink an image's pixels print, in percent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ink {
    /// The largest total ink (C + M + Y + K) of any pixel.
    pub max_total: f64,
    /// The largest C + M + Y of any pixel: what lies beneath 100 % K overprinting the image.
    pub max_cmy: f64,
}

impl Ink {
    /// The ink of 8-bit samples: 4 per pixel (CMYK, 0 = no ink) or 1 (grey, 0 = black). Pixels
    /// that `alpha` makes fully transparent print nothing and are skipped.
    #[must_use]
    pub fn of(samples: &[u8], cmyk: bool, alpha: Option<&[u8]>) -> Ink {
        let visible = |i: usize| alpha.is_none_or(|a| a.get(i).is_none_or(|&v| v > 0));
        let (mut total, mut cmy) = (0u32, 0u32);
        if cmyk {
            for (i, p) in samples.chunks_exact(4).enumerate() {
                let c = u32::from(p[0]) + u32::from(p[1]) + u32::from(p[2]);
                if c + u32::from(p[3]) > total && visible(i) {
                    total = c + u32::from(p[3]);
                }
                if c > cmy && visible(i) {
                    cmy = c;
                }
            }
        } else {
            for (i, &g) in samples.iter().enumerate() {
                if u32::from(255 - g) > total && visible(i) {
                    total = u32::from(255 - g);
                }
            }
        }
        let pct = |v: u32| f64::from(v) * 100.0 / 255.0;
        Ink { max_total: pct(total), max_cmy: pct(cmy) }
    }
}

impl ImageAsset {
    /// Whether the image has an alpha channel (transparency; not allowed in PDF/X-1a).
    pub fn has_alpha(&self) -> bool {
        matches!(&self.data, ImageData::Pixels { alpha: Some(_), .. })
    }
}

/// Largest image accepted, in pixels: 100 megapixels (an A3 page at 600 ppi is 70). Checked from
/// the file's header before anything is decoded, so a decompression bomb costs nothing.
pub const MAX_PIXELS: u64 = 100_000_000;
/// Largest image file read.
pub const MAX_FILE_BYTES: u64 = 256_000_000;
/// Memory the decoder may allocate for the decoded pixels (image's limit).
pub const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// Loads images once per path; shared between threads.
pub struct ImageCache {
    root: PathBuf,
    profile: Arc<Vec<u8>>,
    /// The project's font files, for text in SVG artwork.
    fonts: Vec<Arc<Vec<u8>>>,
    /// Their database, made when the first SVG with text is read.
    font_db: std::sync::OnceLock<Arc<usvg::fontdb::Database>>,
    cache: Mutex<HashMap<String, Result<Arc<ImageAsset>, Diagnostic>>>,
    art: Mutex<HashMap<String, Result<Arc<svg::VectorArt>, Diagnostic>>>,
    /// PDF files read (by path) and their pages checked (by path and page).
    pdfs: Mutex<PdfCache>,
}

/// A PDF file as read, and its bytes.
type PdfFile = (Arc<hayro_syntax::Pdf>, Arc<Vec<u8>>);

/// The PDF files an [`ImageCache`] has read, and the pages it has checked.
#[derive(Default)]
struct PdfCache {
    files: HashMap<String, Result<PdfFile, Diagnostic>>,
    pages: HashMap<(String, usize), Result<Arc<pdf_art::PdfArt>, Diagnostic>>,
}

impl ImageCache {
    /// A cache for a project root, converting RGB into the given CMYK output profile; `fonts`
    /// are the project's font files (text in SVG artwork is set with them and nothing else).
    pub fn new(root: &Path, profile: Arc<Vec<u8>>, fonts: Vec<Arc<Vec<u8>>>) -> ImageCache {
        ImageCache {
            root: root.to_path_buf(),
            profile,
            fonts,
            font_db: std::sync::OnceLock::new(),
            cache: Mutex::new(HashMap::new()),
            art: Mutex::new(HashMap::new()),
            pdfs: Mutex::new(PdfCache::default()),
        }
    }

    /// The CMYK output profile the content is printed with.
    #[must_use]
    pub fn profile(&self) -> &[u8] {
        &self.profile
    }

    /// The image at `rel` (relative to the project root, and inside it after following links).
    /// Errors are unlocated; the caller places them at the key that named the image.
    pub fn get(&self, rel: &str) -> Result<Arc<ImageAsset>, Diagnostic> {
        if let Some(hit) = self.cache.lock().expect("image cache").get(rel) {
            return hit.clone();
        }
        let res = crate::paths::read_input(&self.root, rel, MAX_FILE_BYTES)
            .map_err(|e| Diagnostic::error(e.describe("image")).with_hint(e.hint))
            .and_then(|bytes| load(Path::new(rel), bytes, &self.profile))
            .map(Arc::new);
        self.cache.lock().expect("image cache").insert(rel.to_string(), res.clone());
        res
    }

    /// The SVG artwork at `rel` (inside the project, as for [`ImageCache::get`]), its colours
    /// converted to CMYK through the output profile. Errors are unlocated.
    pub fn svg(&self, rel: &str) -> Result<Arc<svg::VectorArt>, Diagnostic> {
        if let Some(hit) = self.art.lock().expect("artwork cache").get(rel) {
            return hit.clone();
        }
        let res = crate::paths::read_input(&self.root, rel, svg::MAX_SVG_BYTES)
            .map_err(|e| {
                // The size limit's own hint speaks of raster resolution.
                let hint = if e.message.contains("larger than") {
                    "simplify the artwork or save it as plain SVG (not Inkscape SVG with embedded previews)"
                } else {
                    e.hint
                };
                Diagnostic::error(e.describe("artwork")).with_hint(hint)
            })
            .and_then(|bytes| {
                let inputs = svg::SvgInputs {
                    cmyk: &|c| srgb_to_cmyk(&self.profile, c),
                    fonts: &|| self.font_db.get_or_init(|| svg::font_database(&self.fonts)).clone(),
                    image: &|p, b| load(p, b, &self.profile),
                };
                svg::read_svg(Path::new(rel), &bytes, &inputs).map_err(|e| {
                    Diagnostic::error(format!("artwork {}: {e}", Path::new(rel).display())).with_hint(e.hint())
                })
            })
            .map(Arc::new);
        self.art.lock().expect("artwork cache").insert(rel.to_string(), res.clone());
        res
    }
}

impl ImageCache {
    /// Page `page` (from 1) of the PDF artwork at `rel` (inside the project, as for
    /// [`ImageCache::get`]), checked for print ([`pdf_art`]); the file is read once however
    /// many of its pages are asked for. Errors are unlocated.
    pub fn pdf(&self, rel: &str, page: usize) -> Result<Arc<pdf_art::PdfArt>, Diagnostic> {
        let key = (rel.to_string(), page);
        if let Some(hit) = self.pdfs.lock().expect("pdf cache").pages.get(&key) {
            return hit.clone();
        }
        let fail = |e: pdf_art::PdfArtError| {
            Diagnostic::error(format!("artwork {}: {e}", Path::new(rel).display())).with_hint(e.hint())
        };
        let file = self.pdfs.lock().expect("pdf cache").files.get(rel).cloned();
        let file = file.unwrap_or_else(|| {
            let res = crate::paths::read_input(&self.root, rel, pdf_art::MAX_PDF_BYTES)
                .map_err(|e| {
                    let hint = if e.message.contains("larger than") {
                        "simplify the artwork, or save only the page you need as a PDF of its own"
                    } else {
                        e.hint
                    };
                    Diagnostic::error(e.describe("artwork")).with_hint(hint)
                })
                .and_then(|bytes| {
                    let bytes = Arc::new(bytes);
                    pdf_art::read_pdf(bytes.clone()).map(|pdf| (pdf, bytes)).map_err(fail)
                });
            self.pdfs.lock().expect("pdf cache").files.insert(rel.to_string(), res.clone());
            res
        });
        let res = file.and_then(|(pdf, bytes)| {
            pdf_art::check_page(Path::new(rel), &pdf, &bytes, page).map(Arc::new).map_err(fail)
        });
        self.pdfs.lock().expect("pdf cache").pages.insert(key, res.clone());
        res
    }
}

/// sRGB colours as CMYK percentages through the output profile (perceptual, as for RGB images);
/// 100 % K for every colour if the profile cannot convert (it was verified when loaded).
fn srgb_to_cmyk(profile: &[u8], colors: &[[u8; 3]]) -> Vec<[f64; 4]> {
    let t = profile::srgb_to_cmyk(profile).ok();
    let rgb: Vec<u8> = colors.iter().flatten().copied().collect();
    let mut cmyk = vec![0u8; colors.len() * 4];
    if t.is_none_or(|t| t.transform(&rgb, &mut cmyk).is_err()) {
        return vec![[0.0, 0.0, 0.0, 100.0]; colors.len()];
    }
    // Whole tenths of a percent: the values written are stable and readable.
    let pct = |v: u8| (f64::from(v) * 1000.0 / 255.0).round() / 10.0;
    cmyk.chunks_exact(4)
        .zip(colors)
        // Pure white is the paper: the profile's round trip leaves a stray 0.4 % dot of magenta.
        .map(|(c, rgb)| if *rgb == [255; 3] { [0.0; 4] } else { [pct(c[0]), pct(c[1]), pct(c[2]), pct(c[3])] })
        .collect()
}

/// Number of colour components of a baseline/progressive JPEG (from its SOF marker).
fn jpeg_components(b: &[u8]) -> Option<u8> {
    let mut i = 2;
    while i + 9 < b.len() {
        if b[i] != 0xFF {
            return None;
        }
        let marker = b[i + 1];
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        if matches!(marker, 0xC0..=0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF) {
            return b.get(i + 9).copied();
        }
        i += 2 + len;
    }
    None
}

/// Walks a JPEG's segments and entropy-coded data to its end-of-image marker. The DCT data of a
/// CMYK JPEG goes into the PDF unchanged, and decoders fill a cut-off scan with grey rather than
/// fail, so a truncated file must be caught here.
/// What [`jpeg_structure`] finds wrong with a JPEG. Display gives the message users see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
enum JpegError {
    /// The file ends before its end-of-image marker.
    #[error("the file is truncated (it ends before the end-of-image marker)")]
    Truncated,
    /// A segment length below 2 (at this byte).
    #[error("the file is damaged (bad segment length at byte {0})")]
    SegmentLength(usize),
}

fn jpeg_structure(b: &[u8]) -> Result<(), JpegError> {
    let mut i = 2;
    loop {
        // Fill bytes (0xFF) may precede a marker.
        while b.get(i) == Some(&0xFF) && b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        match (b.get(i), b.get(i + 1)) {
            (Some(0xFF), Some(0xD9)) => return Ok(()),
            (Some(0xFF), Some(m)) if (0xD0..=0xD7).contains(m) || *m == 0x01 => i += 2,
            (Some(0xFF), Some(&m)) => {
                let len = match (b.get(i + 2), b.get(i + 3)) {
                    (Some(&h), Some(&l)) => u16::from_be_bytes([h, l]) as usize,
                    _ => return Err(JpegError::Truncated),
                };
                if len < 2 {
                    return Err(JpegError::SegmentLength(i + 2));
                }
                i += 2 + len;
                if i > b.len() {
                    return Err(JpegError::Truncated);
                }
                if m == 0xDA {
                    // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart.
                    loop {
                        match (b.get(i), b.get(i + 1)) {
                            (Some(0xFF), Some(0x00 | 0xD0..=0xD7 | 0xFF)) => i += if b[i + 1] == 0xFF { 1 } else { 2 },
                            (Some(0xFF), Some(_)) => break,
                            (Some(_), _) => i += 1,
                            (None, _) => return Err(JpegError::Truncated),
                        }
                    }
                }
            }
            (None, _) | (Some(0xFF), None) => return Err(JpegError::Truncated),
            // Stray bytes between segments: decoders skip them, and so does this walk.
            (Some(_), _) => i += 1,
        }
    }
}

/// Loads and converts one image: size from the header (refused above [`MAX_PIXELS`]), then one
/// full decode within [`MAX_DECODE_BYTES`], so that a damaged file is an error here and never
/// reaches a PDF.
pub fn load(path: &Path, bytes: Vec<u8>, profile: &[u8]) -> Result<ImageAsset, Diagnostic> {
    let shown = path.display();
    let fail = |what: String| Diagnostic::error(format!("image {shown}: {what}"));
    let damaged_hint = "export the image again (as JPEG or PNG) from the original, or replace it";
    let is_jpeg = bytes.starts_with(&[0xFF, 0xD8, 0xFF]);
    let is_png = bytes.starts_with(b"\x89PNG\r\n\x1a\n");
    if !is_jpeg && !is_png {
        return Err(fail("not a JPEG or PNG file".into()).with_hint("save the image as JPEG or PNG"));
    }
    // imagesize reads the first chunk's fields without checking that it is the header chunk.
    if is_png && bytes.get(12..16) != Some(b"IHDR") {
        return Err(fail("the file is damaged (no PNG header chunk)".into()).with_hint(damaged_hint));
    }
    let size = imagesize::blob_size(&bytes)
        .map_err(|e| fail(format!("cannot read the image size, the file is damaged ({e})")).with_hint(damaged_hint))?;
    let pixels = size.width as u64 * size.height as u64;
    if pixels == 0 {
        return Err(fail("the image has no pixels (width or height 0)".into()).with_hint(damaged_hint));
    }
    if pixels > MAX_PIXELS || size.width > u32::MAX as usize || size.height > u32::MAX as usize {
        return Err(fail(format!(
            "{} × {} pixels ({} megapixels) is more than the {} megapixels allowed",
            size.width,
            size.height,
            pixels / 1_000_000,
            MAX_PIXELS / 1_000_000
        ))
        .with_hint("scale the image down; 300 ppi at the printed size is enough for print"));
    }
    if is_jpeg {
        jpeg_structure(&bytes).map_err(|e| fail(e.to_string()).with_hint(damaged_hint))?;
    }
    let digest: Digest = Sha256::digest(&bytes).into();
    let passthrough = is_jpeg && matches!(jpeg_components(&bytes), Some(1 | 4));
    let mut reader = image::ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| fail(format!("cannot read the file ({e})")))?;
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let mut decoder =
        reader.into_decoder().map_err(|e| fail(format!("cannot decode ({e})")).with_hint(damaged_hint))?;
    // image's `max_alloc` is advisory (the PNG decoder, for one, ignores it for the output
    // buffer), so the decoded size is checked here.
    if decoder.total_bytes() > MAX_DECODE_BYTES {
        return Err(fail(format!(
            "decoding needs {} MB, more than the {} MB allowed",
            decoder.total_bytes() / 1_000_000,
            MAX_DECODE_BYTES / 1_000_000
        ))
        .with_hint("save the image with 8 bits per channel, or scale it down"));
    }
    let icc = decoder.icc_profile().ok().flatten();
    let img = image::DynamicImage::from_decoder(decoder)
        .map_err(|e| fail(format!("cannot decode, the file is damaged or truncated ({e})")).with_hint(damaged_hint))?;
    let (width, height) = (img.width(), img.height());
    if (width as usize, height as usize) != (size.width, size.height) {
        return Err(fail(format!(
            "the header says {} × {} pixels but the data {width} × {height}",
            size.width, size.height
        ))
        .with_hint(damaged_hint));
    }
    if passthrough {
        drop(img);
        return Ok(ImageAsset {
            path: path.to_path_buf(),
            width,
            height,
            original: Arc::new(bytes.clone()),
            data: ImageData::Jpeg(Arc::new(bytes)),
            converted: false,
            digest,
            ink: None,
            bilevel: false,
        });
    }
    let original = Arc::new(bytes);
    let has_alpha = img.color().has_alpha();
    let alpha = has_alpha.then(|| Arc::new(img.to_luma_alpha8().pixels().map(|p| p.0[1]).collect::<Vec<u8>>()));
    if !img.color().has_color() {
        let grey = img.into_luma8().into_raw();
        // PNG header: bit depth at byte 24, colour type (0: greyscale) at 25.
        let bilevel = is_png && original.get(24..26) == Some(&[1, 0]);
        return Ok(ImageAsset {
            path: path.to_path_buf(),
            width,
            height,
            ink: Some(Ink::of(&grey, false, alpha.as_deref().map(Vec::as_slice))),
            bilevel,
            data: ImageData::Pixels { cmyk: false, samples: Arc::new(grey), alpha },
            converted: false,
            digest,
            original,
        });
    }
    // into_rgb8 reuses the decoded buffer of an 8-bit RGB image: one copy less of a large photo.
    let rgb = img.into_rgb8().into_raw();
    let src = icc
        .as_deref()
        .and_then(|p| moxcms::ColorProfile::new_from_slice(p).ok())
        .filter(|p| p.color_space == moxcms::DataColorSpace::Rgb);
    let t = match src {
        // An image's own RGB profile: a transform of its own.
        Some(src) => {
            let dst = moxcms::ColorProfile::new_from_slice(profile)
                .map_err(|e| Diagnostic::error(format!("output profile: {e:?}")))?;
            let options = moxcms::TransformOptions {
                rendering_intent: moxcms::RenderingIntent::Perceptual,
                ..Default::default()
            };
            src.create_transform_8bit(moxcms::Layout::Rgb, &dst, moxcms::Layout::Rgba, options)
                .map_err(|e| fail(format!("cannot convert RGB to CMYK ({e:?})")))?
        }
        None => profile::srgb_to_cmyk(profile).map_err(|e| fail(format!("cannot convert RGB to CMYK ({e})")))?,
    };
    let mut cmyk = vec![0u8; width as usize * height as usize * 4];
    t.transform(&rgb, &mut cmyk).map_err(|e| fail(format!("RGB to CMYK conversion failed ({e:?})")))?;
    Ok(ImageAsset {
        path: path.to_path_buf(),
        width,
        height,
        ink: Some(Ink::of(&cmyk, true, alpha.as_deref().map(Vec::as_slice))),
        bilevel: false,
        data: ImageData::Pixels { cmyk: true, samples: Arc::new(cmyk), alpha },
        converted: true,
        digest,
        original,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> Vec<u8> {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("layouts/profiles/CoatedFOGRA39.icc")).unwrap()
    }

    fn png(img: image::DynamicImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn rgb_is_converted_to_cmyk_through_the_profile() {
        let img =
            image::RgbImage::from_fn(
                4,
                2,
                |x, _| if x < 2 { image::Rgb([255, 255, 255]) } else { image::Rgb([0, 0, 0]) },
            );
        let a = load(Path::new("t.png"), png(img.into()), &profile()).unwrap();
        assert!(a.converted);
        let ImageData::Pixels { cmyk: true, samples, alpha: None } = &a.data else { panic!("{:?}", a.data) };
        // White is (nearly) no ink; black is heavy ink with much K.
        assert!(samples[..4].iter().map(|v| *v as u32).sum::<u32>() < 10, "{:?}", &samples[..4]);
        let black = &samples[8..12];
        assert!(black[3] > 200 && black.iter().map(|v| *v as u32).sum::<u32>() > 600, "{black:?}");
    }

    #[test]
    fn grey_png_stays_grey_and_jpeg_components_are_read() {
        let img = image::GrayImage::from_pixel(3, 3, image::Luma([128]));
        let a = load(Path::new("g.png"), png(img.into()), &profile()).unwrap();
        assert!(matches!(a.data, ImageData::Pixels { cmyk: false, .. }));
        assert_eq!((a.width, a.height), (3, 3));
        // A minimal SOF0 with 4 components.
        let sof = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, 0x04, 0, 0, 0, 0];
        assert_eq!(jpeg_components(&sof), Some(4));
    }

    #[test]
    fn identity_is_the_sha256_of_the_file() {
        let bytes = |v: u8| png(image::GrayImage::from_pixel(2, 2, image::Luma([v])).into());
        let a = load(Path::new("a.png"), bytes(10), &profile()).unwrap();
        let same = load(Path::new("b.png"), bytes(10), &profile()).unwrap();
        let other = load(Path::new("a.png"), bytes(11), &profile()).unwrap();
        assert_eq!(a.digest, <Digest>::from(Sha256::digest(bytes(10))));
        assert_eq!(a.digest, same.digest, "the same bytes under another name are the same image");
        assert_ne!(a.digest, other.digest);
    }
}
