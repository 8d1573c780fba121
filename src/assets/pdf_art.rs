//! Vector artwork from PDF files: one page of a PDF, read with hayro-syntax (read-only) and
//! checked before export embeds it unchanged as a form XObject (krilla's `pdf` feature, which
//! copies the page's content and resources into the print file).
//!
//! Only what prints as the file says is accepted: colour in CMYK, grey or separations (RGB in
//! any form is refused: `DeviceRGB`, `CalRGB`, ICC-based with three components, also as the
//! blending space of a transparency group, in images, shadings and inline images; Lab only as a
//! separation's alternate), embedded outline fonts, no encryption, no transfer functions, no
//! external streams, no LZW. The walk over the page's resources follows each object once, to a
//! limited depth, so cyclic or deeply nested files end with an error rather than a hang.

use std::collections::HashSet;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use hayro_syntax::Pdf;
use hayro_syntax::object::{Array, Dict, MaybeRef, Name, ObjRef, Object, Stream};
use hayro_syntax::xref::XRef;
use hayro_syntax::{Filter, LoadPdfError, PdfVersion};
use sha2::{Digest as _, Sha256};

use super::{Digest, Ink};

/// Largest PDF file read (20 MB: a logo or illustration is a few hundred kB).
pub const MAX_PDF_BYTES: u64 = 20_000_000;
/// Most pages a PDF with artwork may have.
pub const MAX_PDF_PAGES: usize = 1000;
/// Deepest nesting followed from a page's resources (form XObjects in form XObjects, patterns,
/// colour spaces, soft masks).
pub const MAX_PDF_DEPTH: usize = 32;
/// Most objects visited for one page.
pub const MAX_PDF_OBJECTS: usize = 100_000;
/// Most bytes of decoded content streams scanned for one page (a decompression bomb stops here).
pub const MAX_PDF_CONTENT_BYTES: usize = MAX_PDF_CONTENT_MB * 1024 * 1024;
const MAX_PDF_CONTENT_MB: usize = 64;
/// Largest width or height of a page, in points (5 m).
pub const MAX_PDF_SIDE: f32 = 14_400.0;

/// One page of a PDF file, checked for print.
pub struct PdfArt {
    /// The file as shown in diagnostics.
    pub path: PathBuf,
    /// The page, counted from 1.
    pub page: usize,
    /// Width in points (the page's crop box, rotated as the page says).
    pub width: f64,
    /// Height in points.
    pub height: f64,
    /// The most ink the page's colour operators set (`k`, `K`, `g`, `G`; separation tints and
    /// images are not counted: their ink is the designer's, checked in their editor).
    pub ink: Ink,
    /// The SHA-256 of the file's bytes.
    pub digest: Digest,
    /// The parsed file, which export embeds.
    pub pdf: Arc<Pdf>,
    /// The file's bytes (screen versions rasterize the page from them).
    pub bytes: Arc<Vec<u8>>,
    /// The page in sRGB pixels for screen versions, made on first use.
    raster: OnceLock<Result<Arc<ArtRaster>, String>>,
}

impl std::fmt::Debug for PdfArt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PdfArt")
            .field("path", &self.path)
            .field("page", &self.page)
            .field("width", &self.width)
            .field("height", &self.height)
            .field("ink", &self.ink)
            .finish_non_exhaustive()
    }
}

/// The same file's same page is the same artwork.
impl PartialEq for PdfArt {
    fn eq(&self, other: &Self) -> bool {
        self.digest == other.digest && self.page == other.page
    }
}

/// A PDF page rasterized for screen: straight (not premultiplied) sRGB and alpha.
#[derive(Debug, Clone, PartialEq)]
pub struct ArtRaster {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// 3 bytes per pixel, row by row.
    pub rgb: Vec<u8>,
    /// 1 byte per pixel.
    pub alpha: Vec<u8>,
    /// The artwork's digest and page: the raster's identity.
    pub key: (Digest, usize),
}

/// Pixels on the longer side of a screen raster: enough for a figure on a screen or an office
/// printer (300 ppi at 25 cm).
pub const SCREEN_RASTER_SIDE: f32 = 3000.0;

impl PdfArt {
    /// The page index (from 0), as krilla counts.
    #[must_use]
    pub fn index(&self) -> usize {
        self.page - 1
    }

    /// The page in sRGB pixels for screen versions (rasterized with hayro, whose CMYK
    /// conversion is ICC-based), at most [`SCREEN_RASTER_SIDE`] pixels on its longer side;
    /// made once. The error is hayro's reason.
    ///
    /// # Errors
    ///
    /// When hayro cannot read the file.
    pub fn screen_raster(&self) -> Result<Arc<ArtRaster>, String> {
        self.raster.get_or_init(|| rasterize(&self.bytes, self.index(), (self.digest, self.page)).map(Arc::new)).clone()
    }
}

fn rasterize(bytes: &Arc<Vec<u8>>, index: usize, key: (Digest, usize)) -> Result<ArtRaster, String> {
    use hayro::vello_cpu::color::AlphaColor;
    let pdf = hayro::hayro_syntax::Pdf::new(bytes.clone()).map_err(|e| format!("{e:?}").to_lowercase())?;
    let page = pdf.pages().get(index).ok_or("the page is missing")?;
    let (w, h) = page.render_dimensions();
    let scale = SCREEN_RASTER_SIDE / w.max(h).max(1.0);
    let cache = hayro::RenderCache::new();
    let pix = hayro::PixmapSettings { x_scale: scale, y_scale: scale, bg_color: AlphaColor::TRANSPARENT };
    let pm = hayro::render(
        page,
        &cache,
        &hayro::hayro_interpret::InterpreterSettings::default(),
        &hayro::RenderSettings::default(),
        &pix,
    );
    let data = pm.data_as_u8_slice();
    let n = data.len() / 4;
    let (mut rgb, mut alpha) = (Vec::with_capacity(n * 3), Vec::with_capacity(n));
    for p in data.chunks_exact(4) {
        let a = p[3];
        // hayro's pixels are premultiplied; PDF images are not.
        let un =
            |v: u8| if a == 0 { 0 } else { ((u16::from(v) * 255 + u16::from(a) / 2) / u16::from(a)).min(255) as u8 };
        rgb.extend([un(p[0]), un(p[1]), un(p[2])]);
        alpha.push(a);
    }
    Ok(ArtRaster { width: u32::from(pm.width()), height: u32::from(pm.height()), rgb, alpha, key })
}

/// Why a PDF page cannot be placed. Display gives a short lower-case message (after the file).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PdfArtError {
    /// Not a PDF hayro can read.
    #[error("is not a readable pdf file")]
    Unreadable,
    /// Encrypted (PDF/X forbids it).
    #[error("is encrypted")]
    Encrypted,
    /// No pages.
    #[error("has no pages")]
    NoPages,
    /// Too many pages.
    #[error("has {0} pages, more than the {MAX_PDF_PAGES} accepted")]
    TooManyPages(usize),
    /// The page asked for is not there.
    #[error("has no page {page}: it has {count} page{}", if *.count == 1 { "" } else { "s" })]
    MissingPage {
        /// Asked for (from 1).
        page: usize,
        /// Pages in the file.
        count: usize,
    },
    /// A PDF version newer than print files are written in.
    #[error("is pdf {0}; print files are pdf 1.6 (pdf/x-4), which cannot embed newer pdf")]
    Version(&'static str),
    /// The page has no area or is huge.
    #[error("page {page} measures {width} × {height} pt")]
    Size {
        /// The page.
        page: usize,
        /// Width.
        width: f32,
        /// Height.
        height: f32,
    },
    /// RGB colour somewhere; the text says where.
    #[error("page {page} uses rgb colour ({what}); print files are cmyk, grey and spot colours only")]
    Rgb {
        /// The page.
        page: usize,
        /// What is RGB.
        what: String,
    },
    /// Lab colour as a painting space.
    #[error("page {page} paints in lab colour ({what}); print files are cmyk, grey and spot colours only")]
    Lab {
        /// The page.
        page: usize,
        /// Where.
        what: String,
    },
    /// A font whose program is not in the file.
    #[error("page {page} uses the font {font}, which is not embedded")]
    FontNotEmbedded {
        /// The page.
        page: usize,
        /// The font's name.
        font: String,
    },
    /// A Type 3 font (glyphs drawn as graphics).
    #[error("page {page} uses the type 3 font {font} (glyphs drawn as graphics)")]
    Type3Font {
        /// The page.
        page: usize,
        /// The font's name.
        font: String,
    },
    /// Something PDF/X forbids or this reader does not follow.
    #[error("page {page} uses {feature}, which print files cannot contain")]
    Unsupported {
        /// The page.
        page: usize,
        /// The feature.
        feature: &'static str,
    },
    /// Nested deeper than [`MAX_PDF_DEPTH`].
    #[error("page {0} nests its resources more than {MAX_PDF_DEPTH} levels deep")]
    TooDeep(usize),
    /// More than [`MAX_PDF_OBJECTS`] objects or [`MAX_PDF_CONTENT_BYTES`] of content.
    #[error("page {0} is too complex (more than {MAX_PDF_OBJECTS} objects or {MAX_PDF_CONTENT_MB} MB of content)")]
    TooComplex(usize),
    /// A content stream that cannot be decoded.
    #[error("page {0} has a content stream that cannot be decoded")]
    BadContent(usize),
}

impl PdfArtError {
    /// What the designer can do about it.
    #[must_use]
    pub fn hint(&self) -> &'static str {
        match self {
            PdfArtError::Unreadable => "export the artwork again as PDF from its editor (PDF/X-4 with CMYK output)",
            PdfArtError::Encrypted => "save the PDF without a password or security settings",
            PdfArtError::NoPages | PdfArtError::MissingPage { .. } => {
                "choose a page the file has with \"page\" (counted from 1)"
            }
            PdfArtError::TooManyPages(_) => "save the page you need as a PDF of its own",
            PdfArtError::Version(_) | PdfArtError::Unsupported { .. } | PdfArtError::BadContent(_) => {
                "export the PDF as PDF/X-4 from your editor"
            }
            PdfArtError::Size { .. } => "give the artwork page a size between 1 pt and 5 m",
            PdfArtError::Rgb { .. } | PdfArtError::Lab { .. } => {
                "export the PDF as PDF/X-4 with CMYK output (convert colours to the destination) from your editor"
            }
            PdfArtError::FontNotEmbedded { .. } | PdfArtError::Type3Font { .. } => {
                "embed the fonts when exporting (PDF/X-4 does), or convert the text to outlines"
            }
            PdfArtError::TooDeep(_) | PdfArtError::TooComplex(_) => {
                "simplify the artwork, or flatten it in your editor before exporting"
            }
        }
    }
}

/// Reads a PDF file (without checking any page).
///
/// # Errors
///
/// Unreadable, encrypted, without pages, with too many pages, or newer than PDF 1.6.
pub fn read_pdf(bytes: Arc<Vec<u8>>) -> Result<Arc<Pdf>, PdfArtError> {
    let pdf = Pdf::new(bytes.clone()).map_err(|e| match e {
        LoadPdfError::Decryption(_) => PdfArtError::Encrypted,
        LoadPdfError::Invalid => PdfArtError::Unreadable,
    })?;
    // hayro opens files encrypted with an empty user password without asking; a password no
    // one uses fails on those and only on those.
    if matches!(Pdf::new_with_password(bytes, "\u{1}tryksag\u{1}"), Err(LoadPdfError::Decryption(_))) {
        return Err(PdfArtError::Encrypted);
    }
    let count = pdf.pages().len();
    if count == 0 {
        return Err(PdfArtError::NoPages);
    }
    if count > MAX_PDF_PAGES {
        return Err(PdfArtError::TooManyPages(count));
    }
    let too_new = match pdf.version() {
        PdfVersion::Pdf17 => Some("1.7"),
        PdfVersion::Pdf20 => Some("2.0"),
        _ => None,
    };
    if let Some(v) = too_new {
        return Err(PdfArtError::Version(v));
    }
    Ok(Arc::new(pdf))
}

/// Checks page `page` (from 1) of a file [`read_pdf`] read, as artwork for print.
///
/// # Errors
///
/// A missing page, a page without area, and what the module documentation lists.
pub fn check_page(path: &Path, pdf: &Arc<Pdf>, bytes: &Arc<Vec<u8>>, page: usize) -> Result<PdfArt, PdfArtError> {
    let pages = pdf.pages();
    let count = pages.len();
    let Some(p) = page.checked_sub(1).and_then(|i| pages.get(i)) else {
        return Err(PdfArtError::MissingPage { page, count });
    };
    // hayro shows a page without area as A4; its form would show nothing.
    let b = p.intersected_crop_box();
    if !(b.width() >= 1.0 && b.height() >= 1.0) {
        return Err(PdfArtError::Size { page, width: b.width() as f32, height: b.height() as f32 });
    }
    let (w, h) = p.render_dimensions();
    let fits = |v: f32| v.is_finite() && (1.0..=MAX_PDF_SIDE).contains(&v);
    if !fits(w) || !fits(h) {
        return Err(PdfArtError::Size { page, width: w, height: h });
    }
    let mut scan = Scan::new(p.xref(), page);
    scan.page(p)?;
    Ok(PdfArt {
        path: path.to_path_buf(),
        page,
        width: f64::from(w),
        height: f64::from(h),
        ink: scan.ink(),
        digest: Sha256::digest(bytes.as_slice()).into(),
        pdf: pdf.clone(),
        bytes: bytes.clone(),
        raster: OnceLock::new(),
    })
}

/// Where a colour space is used: what an RGB finding says, and whether Lab is allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Role {
    /// A colour space resource or any other place.
    Space,
    /// A separation's or DeviceN's alternate (Lab is fine: the ink is the separation).
    Alternate,
    /// A transparency group's blending space.
    Blending,
    /// An image's colour space.
    Image,
    /// A shading's colour space.
    Shading,
    /// The alternate of an ICC-based space (only read by applications without colour management).
    IccAlternate,
}

impl Role {
    fn describe(self) -> &'static str {
        match self {
            Role::Space | Role::IccAlternate => "an rgb colour space",
            Role::Alternate => "an rgb alternate of a spot colour",
            Role::Blending => "a transparency group blending in rgb",
            Role::Image => "an rgb image",
            Role::Shading => "an rgb gradient",
        }
    }
}

/// The walk over one page's content and resources.
struct Scan<'a> {
    xref: &'a XRef,
    page: usize,
    seen: HashSet<(ObjRef, Role)>,
    objects: usize,
    content_bytes: usize,
    max_total: f64,
    max_cmy: f64,
}

impl<'a> Scan<'a> {
    fn new(xref: &'a XRef, page: usize) -> Self {
        Scan { xref, page, seen: HashSet::new(), objects: 0, content_bytes: 0, max_total: 0.0, max_cmy: 0.0 }
    }

    fn ink(&self) -> Ink {
        Ink { max_total: self.max_total, max_cmy: self.max_cmy }
    }

    fn rgb(&self, what: &str) -> PdfArtError {
        PdfArtError::Rgb { page: self.page, what: what.to_string() }
    }

    fn unsupported(&self, feature: &'static str) -> PdfArtError {
        PdfArtError::Unsupported { page: self.page, feature }
    }

    fn page(&mut self, p: &hayro_syntax::page::Page<'a>) -> Result<(), PdfArtError> {
        // The page's own group says how its transparency blends; a group in RGB is RGB art.
        if let Some(g) = p.raw().get::<Dict<'a>>(b"Group") {
            self.dict(&g, Role::Space, 1)?;
        }
        // The resources as hayro-write copies them: the page's and those it inherits.
        let mut res = Some(p.resources());
        while let Some(r) = res {
            for (d, role) in [
                (&r.color_spaces, Role::Space),
                (&r.ext_g_states, Role::Space),
                (&r.fonts, Role::Space),
                (&r.properties, Role::Space),
                (&r.x_objects, Role::Space),
                (&r.patterns, Role::Space),
                (&r.shadings, Role::Shading),
            ] {
                for (_, v) in d.entries() {
                    self.walk(v, role, 1)?;
                }
            }
            res = r.parent();
        }
        match p.raw().get::<Object<'a>>(b"Contents") {
            Some(Object::Stream(s)) => self.content(&s)?,
            Some(Object::Array(a)) => {
                for s in a.iter::<Stream<'a>>() {
                    self.content(&s)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn count(&mut self, depth: usize) -> Result<(), PdfArtError> {
        if depth > MAX_PDF_DEPTH {
            return Err(PdfArtError::TooDeep(self.page));
        }
        self.objects += 1;
        if self.objects > MAX_PDF_OBJECTS {
            return Err(PdfArtError::TooComplex(self.page));
        }
        Ok(())
    }

    fn walk(&mut self, item: MaybeRef<Object<'a>>, role: Role, depth: usize) -> Result<(), PdfArtError> {
        self.count(depth)?;
        let obj = match item {
            MaybeRef::Ref(r) => {
                if !self.seen.insert((r, role)) {
                    return Ok(());
                }
                // A reference to nothing is null.
                let Some(o) = self.xref.get::<Object<'a>>(r.into()) else { return Ok(()) };
                o
            }
            MaybeRef::NotRef(o) => o,
        };
        match obj {
            Object::Name(n) => self.name(&n, role),
            Object::Array(a) => self.array(&a, role, depth),
            Object::Dict(d) => self.dict(&d, role, depth),
            Object::Stream(s) => self.stream(&s, role, depth),
            _ => Ok(()),
        }
    }

    fn name(&self, n: &Name<'_>, role: Role) -> Result<(), PdfArtError> {
        match n.as_ref() {
            // What a colour-managed reader ignores; the ICC space itself is judged by its N.
            b"DeviceRGB" | b"RGB" if role == Role::IccAlternate => Ok(()),
            b"DeviceRGB" => Err(self.rgb(role.describe())),
            _ => Ok(()),
        }
    }

    fn array(&mut self, a: &Array<'a>, role: Role, depth: usize) -> Result<(), PdfArtError> {
        let mut items = a.raw_iter();
        let first = items.next();
        let head = match &first {
            Some(MaybeRef::NotRef(Object::Name(n))) => Some(n.as_ref().to_vec()),
            _ => None,
        };
        match head.as_deref() {
            Some(b"ICCBased") => {
                let Some(profile) = items.next() else { return Ok(()) };
                let stream = match profile {
                    MaybeRef::Ref(r) => self.xref.get::<Stream<'a>>(r.into()),
                    MaybeRef::NotRef(Object::Stream(s)) => Some(s),
                    MaybeRef::NotRef(_) => None,
                };
                if stream.and_then(|s| s.dict().get::<i64>(b"N")) == Some(3) {
                    return Err(self.rgb(match role {
                        Role::Alternate => "an icc-based rgb alternate of a spot colour",
                        Role::Blending => "a transparency group blending in icc-based rgb",
                        Role::Image => "an icc-based rgb image",
                        Role::Shading => "an icc-based rgb gradient",
                        Role::Space | Role::IccAlternate => "an icc-based rgb colour space",
                    }));
                }
                Ok(())
            }
            Some(b"CalRGB") => Err(self.rgb("a calibrated rgb colour space")),
            Some(b"Lab") if role != Role::Alternate => {
                Err(PdfArtError::Lab { page: self.page, what: "a lab colour space".into() })
            }
            Some(b"Lab" | b"CalGray") => Ok(()),
            Some(b"Separation") => {
                // [/Separation name alternate tint]
                let _name = items.next();
                if let Some(alt) = items.next() {
                    self.walk(alt, Role::Alternate, depth + 1)?;
                }
                for rest in items {
                    self.walk(rest, Role::Space, depth + 1)?;
                }
                Ok(())
            }
            Some(b"DeviceN") => {
                // [/DeviceN names alternate tint attributes?]
                let _names = items.next();
                if let Some(alt) = items.next() {
                    self.walk(alt, Role::Alternate, depth + 1)?;
                }
                for rest in items {
                    self.walk(rest, Role::Space, depth + 1)?;
                }
                Ok(())
            }
            _ => {
                if let Some(first) = first {
                    self.walk(first, role, depth + 1)?;
                }
                for item in items {
                    self.walk(item, role, depth + 1)?;
                }
                Ok(())
            }
        }
    }

    fn dict(&mut self, d: &Dict<'a>, role: Role, depth: usize) -> Result<(), PdfArtError> {
        let is = |key: &[u8], value: &[u8]| d.get::<Name<'_>>(key).is_some_and(|n| n.as_ref() == value);
        if is(b"Type", b"Font") || (d.contains_key(b"BaseFont") && d.contains_key(b"Subtype")) {
            return self.font(d);
        }
        if d.contains_key(b"TR") || d.get::<Name<'_>>(b"TR2").is_some_and(|n| n.as_ref() != b"Default") {
            return Err(self.unsupported("a transfer function"));
        }
        if d.contains_key(b"HTP") {
            return Err(self.unsupported("a halftone phase"));
        }
        let group = is(b"S", b"Transparency");
        let image = is(b"Subtype", b"Image");
        let shading = d.contains_key(b"ShadingType");
        let icc = d.contains_key(b"N") && d.contains_key(b"Alternate");
        for (key, value) in d.entries() {
            let key = key.as_ref();
            let role = match key {
                // Not part of the artwork: never followed (a page's parent is the whole file).
                b"Parent" | b"Metadata" | b"StructParent" | b"StructParents" | b"PieceInfo" => continue,
                b"CS" if group => Role::Blending,
                b"ColorSpace" if image => Role::Image,
                b"ColorSpace" if shading => Role::Shading,
                b"Alternate" if icc => Role::IccAlternate,
                b"Shading" => Role::Shading,
                _ if role == Role::Shading && !shading => Role::Shading,
                _ => Role::Space,
            };
            self.walk(value, role, depth + 1)?;
        }
        Ok(())
    }

    fn stream(&mut self, s: &Stream<'a>, role: Role, depth: usize) -> Result<(), PdfArtError> {
        let d = s.dict();
        if d.contains_key(b"F") {
            return Err(self.unsupported("a stream in an external file"));
        }
        for f in s.filters() {
            match f {
                Filter::LzwDecode => return Err(self.unsupported("lzw compression")),
                Filter::Crypt => return Err(self.unsupported("an encrypted stream")),
                _ => {}
            }
        }
        let is = |key: &[u8], value: &[u8]| d.get::<Name<'_>>(key).is_some_and(|n| n.as_ref() == value);
        if is(b"Subtype", b"Image")
            && !d.get::<bool>(b"ImageMask").unwrap_or(false)
            && !d.contains_key(b"ColorSpace")
            && s.filters().iter().any(|f| matches!(f, Filter::JpxDecode))
        {
            return Err(self.unsupported("a jpeg 2000 image whose colours are only in the image data"));
        }
        self.dict(d, role, depth)?;
        if is(b"Subtype", b"Form") || d.get::<i64>(b"PatternType") == Some(1) {
            self.content(s)?;
        }
        Ok(())
    }

    fn font(&mut self, d: &Dict<'a>) -> Result<(), PdfArtError> {
        let name = d
            .get::<Name<'_>>(b"BaseFont")
            .map_or_else(|| "without a name".to_string(), |n| String::from_utf8_lossy(n.as_ref()).into_owned());
        let subtype = d.get::<Name<'_>>(b"Subtype");
        let subtype = subtype.as_ref().map(|n| n.as_ref());
        if subtype == Some(b"Type3") {
            return Err(PdfArtError::Type3Font { page: self.page, font: name });
        }
        let descriptor = if subtype == Some(b"Type0") {
            d.get::<Array<'a>>(b"DescendantFonts")
                .and_then(|a| a.iter::<Dict<'a>>().next())
                .and_then(|f| f.get::<Dict<'a>>(b"FontDescriptor"))
        } else {
            d.get::<Dict<'a>>(b"FontDescriptor")
        };
        let embedded = descriptor.is_some_and(|fd| {
            [&b"FontFile"[..], b"FontFile2", b"FontFile3"].iter().any(|k| fd.get::<Stream<'a>>(*k).is_some())
        });
        if embedded { Ok(()) } else { Err(PdfArtError::FontNotEmbedded { page: self.page, font: name }) }
    }

    /// Decodes a content stream (plain or Flate, within [`MAX_PDF_CONTENT_BYTES`] for the page)
    /// and scans its operators.
    fn content(&mut self, s: &Stream<'a>) -> Result<(), PdfArtError> {
        let filters = s.filters();
        let raw = s.raw_data();
        let budget = MAX_PDF_CONTENT_BYTES.saturating_sub(self.content_bytes);
        let data: Vec<u8> = match filters.as_slice() {
            [] => raw.into_owned(),
            [Filter::FlateDecode] if !s.dict().contains_key(b"DecodeParms") => {
                let mut out = Vec::new();
                let mut z = flate2::read::ZlibDecoder::new(raw.as_ref()).take(budget as u64 + 1);
                if z.read_to_end(&mut out).is_err() {
                    return Err(PdfArtError::BadContent(self.page));
                }
                out
            }
            _ => return Err(self.unsupported("a content stream compressed other than with flate")),
        };
        self.content_bytes += data.len();
        if data.len() > budget {
            return Err(PdfArtError::TooComplex(self.page));
        }
        let found = scan_content(&data);
        self.max_total = self.max_total.max(found.max_total);
        self.max_cmy = self.max_cmy.max(found.max_cmy);
        match found.rgb {
            Some(what) => Err(self.rgb(what)),
            None => Ok(()),
        }
    }
}

/// What a content stream's operators paint.
#[derive(Debug, Default, PartialEq)]
struct Painted {
    /// The first RGB colour set, described.
    rgb: Option<&'static str>,
    /// Largest C + M + Y + K of a `k`/`K` (or K of `g`/`G`), in percent.
    max_total: f64,
    /// Largest C + M + Y of a `k`/`K`.
    max_cmy: f64,
}

/// Scans a content stream's operators: RGB colour (`rg`, `RG`, `/DeviceRGB` as a colour space,
/// an inline image in RGB) and the ink of device colour operators. Strings, comments and inline
/// image data are skipped.
fn scan_content(data: &[u8]) -> Painted {
    let delim = |b: u8| b"()<>[]{}/%".contains(&b);
    let ws = |b: u8| b" \n\r\t\x0c\0".contains(&b);
    let mut found = Painted::default();
    let mut nums: Vec<f64> = Vec::new();
    let mut inline_dict = false;
    let (mut i, n) = (0, data.len());
    while i < n {
        let b = data[i];
        if ws(b) {
            i += 1;
            continue;
        }
        match b {
            b'%' => {
                while i < n && data[i] != b'\n' && data[i] != b'\r' {
                    i += 1;
                }
            }
            b'(' => {
                let mut depth = 0usize;
                while i < n {
                    match data[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i = (i + 1).min(n);
                nums.clear();
            }
            b'<' if data.get(i + 1) != Some(&b'<') => {
                i = data[i..].iter().position(|&b| b == b'>').map_or(n, |k| i + k + 1);
                nums.clear();
            }
            b'<' | b'>' => i += 2,
            b'[' | b']' | b'{' | b'}' | b')' => i += 1,
            _ => {
                let start = i;
                i += 1;
                while i < n && !ws(data[i]) && !delim(data[i]) {
                    i += 1;
                }
                let tok = &data[start..i];
                if tok[0] == b'/' {
                    // Inline images abbreviate: /CS /RGB.
                    let rgb = matches!(tok, b"/DeviceRGB" | b"/CalRGB") || (inline_dict && tok == b"/RGB");
                    if rgb && found.rgb.is_none() {
                        found.rgb = Some(if inline_dict { "an rgb inline image" } else { "rgb colour in the content" });
                    }
                    nums.clear();
                    continue;
                }
                if let Some(v) = std::str::from_utf8(tok).ok().and_then(|t| t.parse::<f64>().ok()) {
                    nums.push(v);
                    if nums.len() > 4 {
                        nums.remove(0);
                    }
                    continue;
                }
                match tok {
                    b"rg" | b"RG" if found.rgb.is_none() => found.rgb = Some("rgb colour in the content"),
                    b"k" | b"K" if nums.len() == 4 => {
                        let pct: Vec<f64> = nums.iter().map(|v| v.clamp(0.0, 1.0) * 100.0).collect();
                        let cmy = pct[0] + pct[1] + pct[2];
                        found.max_cmy = found.max_cmy.max(cmy);
                        found.max_total = found.max_total.max(cmy + pct[3]);
                    }
                    b"g" | b"G" if !nums.is_empty() => {
                        let k = (1.0 - nums[nums.len() - 1].clamp(0.0, 1.0)) * 100.0;
                        found.max_total = found.max_total.max(k);
                    }
                    b"BI" => inline_dict = true,
                    b"ID" => {
                        inline_dict = false;
                        // Inline image data is binary: jump to its end.
                        while i + 2 < n && !(ws(data[i]) && &data[i + 1..i + 3] == b"EI") {
                            i += 1;
                        }
                        i += 3;
                    }
                    _ => {}
                }
                nums.clear();
            }
        }
    }
    found
}

#[cfg(test)]
mod tests;
