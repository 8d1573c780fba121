//! Vector artwork from SVG files, read with usvg (no system fonts, no files or URLs it names)
//! into plain paths in the SVG's own coordinates: what the layout places and export draws as
//! vectors.
//!
//! Only what prints exactly is accepted: solid fills and strokes, groups with transforms, simple
//! clip paths, text (set with the project's own fonts and turned into outlines, so no font is
//! needed to print it) and embedded JPEG or PNG images (made print-safe like any other image).
//! Gradients, patterns, masks, filters, transparency and linked files are refused with the
//! feature's name, so nothing is lost or turned into RGB in print.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sha2::{Digest as _, Sha256};
use usvg::roxmltree;

use super::{Digest, ImageAsset};
use crate::diag::Diagnostic;
use crate::units::Transform;

/// Largest SVG file read (5 MB: a logo or icon is a few kB).
pub const MAX_SVG_BYTES: u64 = 5_000_000;
/// Largest width or height of an SVG, in its user units (CSS px): 100 000 px is 26 m.
pub const MAX_SVG_SIDE: f32 = 100_000.0;
/// Deepest element nesting accepted (usvg converts groups recursively).
pub const MAX_SVG_DEPTH: usize = 256;
/// Most elements in one SVG.
pub const MAX_SVG_NODES: u32 = 200_000;

/// One step of a path outline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Segment {
    /// Start a subpath at a point.
    Move([f64; 2]),
    /// A straight line to a point.
    Line([f64; 2]),
    /// A cubic Bézier curve: two control points and the end point.
    Cubic([f64; 2], [f64; 2], [f64; 2]),
    /// Close the subpath.
    Close,
}

/// Which areas of a self-intersecting outline are inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Winding {
    /// Non-zero winding number.
    NonZero,
    /// Even-odd.
    EvenOdd,
}

/// The ends of a stroked open path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cap {
    /// Cut at the end point.
    Butt,
    /// A half circle.
    Round,
    /// A half square.
    Square,
}

/// The corners of a stroked path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// Pointed (up to the miter limit).
    Miter,
    /// Rounded.
    Round,
    /// Cut off.
    Bevel,
}

/// A colour of the artwork: as the SVG says it (sRGB) and converted through the output profile.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ArtColor {
    /// The SVG's sRGB colour.
    pub srgb: [u8; 3],
    /// CMYK in percent through the output profile (perceptual, as for RGB images).
    pub cmyk: [f64; 4],
}

impl ArtColor {
    /// `#rrggbb`, as written in SVG files and in a layout's `artwork_colors`.
    #[must_use]
    pub fn hex(&self) -> String {
        let [r, g, b] = self.srgb;
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

/// How a path is outlined.
#[derive(Clone, Debug, PartialEq)]
pub struct ArtStroke {
    /// Colour.
    pub color: ArtColor,
    /// Width, in the path's own coordinates.
    pub width: f64,
    /// Ends.
    pub cap: Cap,
    /// Corners.
    pub join: Join,
    /// Miter limit.
    pub miter_limit: f64,
    /// Dash array and offset; none for solid.
    pub dash: Option<(Vec<f64>, f64)>,
}

/// A clip outline in the artwork's coordinates (its transform already applied).
#[derive(Clone, Debug, PartialEq)]
pub struct ArtClip {
    /// The outline.
    pub segments: Vec<Segment>,
    /// Which areas are inside.
    pub rule: Winding,
}

/// One filled and/or stroked path of the artwork.
#[derive(Clone, Debug, PartialEq)]
pub struct ArtPath {
    /// The outline, in the path's own coordinates.
    pub segments: Vec<Segment>,
    /// From the path's coordinates to the artwork's (view box mapped to `0..width`, `0..height`).
    pub transform: Transform,
    /// Fill colour and rule.
    pub fill: Option<(ArtColor, Winding)>,
    /// Outline.
    pub stroke: Option<ArtStroke>,
    /// Clips, all applied (intersected), outermost first.
    pub clips: Vec<ArtClip>,
}

/// A raster image inside the artwork, already print-safe (see [`super::load`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ArtImage {
    /// The image, named "file.svg, image N" in diagnostics.
    pub asset: Arc<ImageAsset>,
    /// Its size in its own coordinates: it covers `0..width` × `0..height` there.
    pub width: f64,
    /// Height in its own coordinates.
    pub height: f64,
    /// From the image's coordinates to the artwork's.
    pub transform: Transform,
    /// Clips, all applied, outermost first.
    pub clips: Vec<ArtClip>,
}

/// One part of the artwork, in painting order.
#[derive(Clone, Debug, PartialEq)]
pub enum ArtPart<P> {
    /// A filled and/or stroked path.
    Path(P),
    /// An embedded raster image.
    Image(ArtImage),
}

/// A loaded SVG: its size in its user units and its parts in painting order.
#[derive(Clone, Debug, PartialEq)]
pub struct VectorArt {
    /// The file as shown in diagnostics.
    pub path: PathBuf,
    /// Width (user units).
    pub width: f64,
    /// Height (user units).
    pub height: f64,
    /// Paths and images, in painting order.
    pub parts: Vec<ArtPart<ArtPath>>,
    /// SHA-256 of the file's bytes.
    pub digest: Digest,
}

/// What is wrong with an SVG file. Display gives the message users read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SvgError {
    /// The file is no well-formed SVG.
    #[error("cannot read the SVG ({0})")]
    Parse(String),
    /// Nested deeper than [`MAX_SVG_DEPTH`].
    #[error("elements are nested more than {MAX_SVG_DEPTH} deep")]
    TooDeep,
    /// Larger than [`MAX_SVG_SIDE`] or without area.
    #[error("its size {0} × {1} is not between 0 and {MAX_SVG_SIDE} on each side")]
    Size(f32, f32),
    /// A feature that cannot be placed as print-safe vectors yet.
    #[error("it uses {0}, which tryksag cannot place as vector art yet")]
    Unsupported(&'static str),
    /// A reference to another file or a URL.
    #[error("it refers to another file or address ({0}); artwork must be self-contained")]
    External(String),
    /// Text in a font the project does not have.
    #[error("its text asks for the font {asked}, which is not in the project's fonts/ folder (it has {have})")]
    Font {
        /// The font-family list as the SVG gives it.
        asked: String,
        /// The families the project has.
        have: String,
    },
    /// Text with a character none of the project's fonts has.
    #[error("its text has the character {0:?} (U+{1:04X}), which none of the project's fonts has")]
    Glyph(char, u32),
    /// An embedded image that cannot be used.
    #[error("its embedded image {0}: {1}")]
    Image(usize, String),
}

impl SvgError {
    /// How to fix it.
    #[must_use]
    pub fn hint(&self) -> &'static str {
        match self {
            SvgError::Font { .. } => {
                "set the text in one of the project's fonts (font-family), or convert it to outlines in your editor"
            }
            SvgError::Glyph(..) => "replace the character, or convert the text to outlines in your editor",
            SvgError::Image(..) => "embed the image as JPEG or PNG (or replace it with vector shapes)",
            SvgError::Unsupported(_) => {
                "use solid fills and strokes only (flatten transparency, expand gradients and effects), or export it as PNG"
            }
            SvgError::External(_) => "embed or remove the linked file; use plain vector shapes",
            SvgError::Size(..) => "set width, height or viewBox to the artwork's real size",
            SvgError::Parse(_) | SvgError::TooDeep => "export the SVG again from your editor",
        }
    }
}

/// Converts sRGB colours to CMYK percentages, all of one file at once.
pub type ToCmyk<'a> = dyn Fn(&[[u8; 3]]) -> Vec<[f64; 4]> + 'a;

/// Loads an embedded image's bytes (named as given) for print.
pub type LoadImage<'a> = dyn Fn(&Path, Vec<u8>) -> Result<ImageAsset, Diagnostic> + 'a;

/// What reading an SVG needs from the project.
pub struct SvgInputs<'a> {
    /// Converts the SVG's sRGB colours (one call per file with all of them, so the profile
    /// transform is built once).
    pub cmyk: &'a ToCmyk<'a>,
    /// The project's fonts for text (asked for only when the SVG has text).
    pub fonts: &'a (dyn Fn() -> Arc<usvg::fontdb::Database> + 'a),
    /// Loads an embedded JPEG or PNG (named as given) as any image is loaded for print.
    pub image: &'a LoadImage<'a>,
}

/// The project's font files as a font database for SVG text, and nothing else (no system fonts).
#[must_use]
pub fn font_database(fonts: &[Arc<Vec<u8>>]) -> Arc<usvg::fontdb::Database> {
    let mut db = usvg::fontdb::Database::new();
    for data in fonts {
        let data: Arc<dyn AsRef<[u8]> + Send + Sync> = data.clone();
        db.load_font_source(usvg::fontdb::Source::Binary(data));
    }
    Arc::new(db)
}

/// Reads an SVG file's bytes into vector art.
///
/// # Errors
///
/// A damaged, hostile or unsupported SVG (see [`SvgError`]).
pub fn read_svg(path: &Path, bytes: &[u8], inputs: &SvgInputs) -> Result<VectorArt, SvgError> {
    let text = std::str::from_utf8(bytes).map_err(|_| SvgError::Parse("it is not UTF-8 text".into()))?;
    let options = roxmltree::ParsingOptions { allow_dtd: true, nodes_limit: MAX_SVG_NODES, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| SvgError::Parse(e.to_string()))?;
    let has_text = check_elements(&doc)?;
    // What usvg's callbacks meet and cannot return: the first problem wins.
    let problem: Mutex<Option<SvgError>> = Mutex::new(None);
    let report = |e: SvgError| {
        let mut p = problem.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        p.get_or_insert(e);
    };
    let mut opt = usvg::Options {
        // Never read a file or address the SVG names (usvg's default reads local files); data
        // URLs are taken as JPEG or PNG only.
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|mime, data, _| embedded(mime, data, &report)),
            resolve_string: Box::new(|_, _| None),
        },
        font_resolver: usvg::FontResolver {
            select_font: Box::new(|font, db| {
                let id = select_font(font, db);
                if id.is_none() {
                    report(SvgError::Font { asked: families(font), have: project_families(db) });
                }
                id
            }),
            select_fallback: Box::new(|c, used, db| {
                let id = (usvg::FontResolver::default_fallback_selector())(c, used, db);
                if id.is_none() {
                    report(SvgError::Glyph(c, u32::from(c)));
                }
                id
            }),
        },
        // No default font: text without a font-family it can read is an error, not Times.
        font_family: String::new(),
        ..usvg::Options::default()
    };
    if has_text {
        opt.fontdb = (inputs.fonts)();
    }
    let tree = usvg::Tree::from_xmltree(&doc, &opt).map_err(|e| SvgError::Parse(e.to_string()))?;
    drop(opt);
    if let Some(e) = problem.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner) {
        return Err(e);
    }
    let size = tree.size();
    let (w, h) = (size.width(), size.height());
    if !(w > 0.0 && h > 0.0 && w <= MAX_SVG_SIDE && h <= MAX_SVG_SIDE) {
        return Err(SvgError::Size(w, h));
    }
    let mut raw = Vec::new();
    group(tree.root(), &[], &mut raw)?;
    // Colours converted all at once.
    let mut srgb: Vec<[u8; 3]> = Vec::new();
    for p in &raw {
        let RawPart::Path(p) = p else { continue };
        for c in [p.fill.map(|f| f.0), p.stroke.as_ref().map(|s| s.color)].into_iter().flatten() {
            if !srgb.contains(&c) {
                srgb.push(c);
            }
        }
    }
    let converted = (inputs.cmyk)(&srgb);
    let color = |c: [u8; 3]| {
        let i = srgb.iter().position(|s| *s == c).unwrap_or(0);
        ArtColor { srgb: c, cmyk: converted.get(i).copied().unwrap_or([0.0, 0.0, 0.0, 100.0]) }
    };
    let mut parts = Vec::with_capacity(raw.len());
    let mut images = 0;
    for part in raw {
        parts.push(match part {
            RawPart::Path(p) => ArtPart::Path(ArtPath {
                segments: p.segments,
                transform: p.transform,
                fill: p.fill.map(|(c, r)| (color(c), r)),
                stroke: p.stroke.map(|s| ArtStroke {
                    color: color(s.color),
                    width: s.width,
                    cap: s.cap,
                    join: s.join,
                    miter_limit: s.miter_limit,
                    dash: s.dash,
                }),
                clips: p.clips,
            }),
            RawPart::Image { data, width, height, transform, clips } => {
                images += 1;
                let name = PathBuf::from(format!("{}, image {images}", path.display()));
                let asset = (inputs.image)(&name, data.to_vec()).map_err(|d| {
                    // The loader's message starts "image NAME: "; the SVG error names the file.
                    let what = d.message.split_once(": ").map_or(d.message.as_str(), |(_, w)| w);
                    SvgError::Image(images, what.to_string())
                })?;
                ArtPart::Image(ArtImage { asset: Arc::new(asset), width, height, transform, clips })
            }
        });
    }
    Ok(VectorArt {
        path: path.to_path_buf(),
        width: f64::from(w),
        height: f64::from(h),
        parts,
        digest: Sha256::digest(bytes).into(),
    })
}

/// A data URL's image if it is a JPEG or PNG; anything else is reported (usvg would skip it).
fn embedded(mime: &str, data: Arc<Vec<u8>>, report: &dyn Fn(SvgError)) -> Option<usvg::ImageKind> {
    let jpeg = data.starts_with(&[0xFF, 0xD8, 0xFF]);
    let png = data.starts_with(b"\x89PNG\r\n\x1a\n");
    match mime {
        "image/jpeg" | "image/jpg" | "image/png" | "text/plain" if jpeg => Some(usvg::ImageKind::JPEG(data)),
        "image/jpeg" | "image/jpg" | "image/png" | "text/plain" if png => Some(usvg::ImageKind::PNG(data)),
        "image/svg+xml" => {
            report(SvgError::Unsupported("an SVG embedded as an image"));
            None
        }
        _ => {
            report(SvgError::Unsupported("an embedded image that is not JPEG or PNG"));
            None
        }
    }
}

/// The project font for a text's font-family list: the first named family the project has, in
/// the weight and style closest to what is asked. Generic families (`sans-serif`) are never
/// taken, so text is never set in a font nobody chose.
fn select_font(font: &usvg::Font, db: &mut Arc<usvg::fontdb::Database>) -> Option<usvg::fontdb::ID> {
    use usvg::fontdb::{Family, Query, Style};
    let named: Vec<Family> = font
        .families()
        .iter()
        .filter_map(|f| match f {
            usvg::FontFamily::Named(n) => Some(Family::Name(n)),
            _ => None,
        })
        .collect();
    let style = match font.style() {
        usvg::FontStyle::Normal => Style::Normal,
        usvg::FontStyle::Italic => Style::Italic,
        usvg::FontStyle::Oblique => Style::Oblique,
    };
    named.iter().find_map(|family| {
        db.query(&Query {
            families: std::slice::from_ref(family),
            weight: usvg::fontdb::Weight(font.weight()),
            stretch: usvg::fontdb::Stretch::Normal,
            style,
        })
    })
}

/// A font-family list as written, e.g. `"Arial", sans-serif`.
fn families(font: &usvg::Font) -> String {
    if let [usvg::FontFamily::Named(n)] = font.families()
        && n.is_empty()
    {
        // usvg's fallback: none was given, or it was not valid CSS.
        return "none it can read (no font-family, or a name with a digit not in quotes: write 'Source Sans 3')".into();
    }
    font.families().iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

/// The project's family names, for the message.
fn project_families(db: &usvg::fontdb::Database) -> String {
    let mut names: Vec<&str> = db.faces().filter_map(|f| f.families.first().map(|(n, _)| n.as_str())).collect();
    names.sort_unstable();
    names.dedup();
    if names.is_empty() {
        return "no fonts".into();
    }
    names.join(", ")
}

/// Refuses what usvg would drop silently (images it may not load) and nests too deep for its
/// recursive conversion; says whether there is text (which needs the project's fonts).
fn check_elements(doc: &roxmltree::Document) -> Result<bool, SvgError> {
    let mut text = false;
    // Depth without recursion: roxmltree's own tree is flat.
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        if node.ancestors().nth(MAX_SVG_DEPTH).is_some() {
            return Err(SvgError::TooDeep);
        }
        match node.tag_name().name() {
            "text" => text = true,
            "image" | "feImage" => {
                let href = node.attributes().find(|a| a.name() == "href").map_or("", |a| a.value());
                if !href.trim_start().starts_with("data:") {
                    return Err(SvgError::External(href.chars().take(60).collect()));
                }
            }
            "foreignObject" => return Err(SvgError::Unsupported("foreignObject (HTML)")),
            "use" => {
                let href = node.attributes().find(|a| a.name() == "href").map(|a| a.value()).unwrap_or("");
                if !href.starts_with('#') {
                    return Err(SvgError::External(href.chars().take(60).collect()));
                }
            }
            _ => {}
        }
    }
    Ok(text)
}

/// A part before its colours are converted and its images loaded.
enum RawPart {
    Path(RawPath),
    Image { data: Arc<Vec<u8>>, width: f64, height: f64, transform: Transform, clips: Vec<ArtClip> },
}

/// A path before its colours are converted.
struct RawPath {
    segments: Vec<Segment>,
    transform: Transform,
    fill: Option<([u8; 3], Winding)>,
    stroke: Option<RawStroke>,
    clips: Vec<ArtClip>,
}

struct RawStroke {
    color: [u8; 3],
    width: f64,
    cap: Cap,
    join: Join,
    miter_limit: f64,
    dash: Option<(Vec<f64>, f64)>,
}

fn transform(t: usvg::Transform) -> Transform {
    Transform {
        sx: f64::from(t.sx),
        ky: f64::from(t.ky),
        kx: f64::from(t.kx),
        sy: f64::from(t.sy),
        tx: f64::from(t.tx),
        ty: f64::from(t.ty),
    }
}

/// The segments of a usvg path, each point mapped by `t`.
fn segments(data: &usvg::tiny_skia_path::Path, t: usvg::Transform) -> Vec<Segment> {
    use usvg::tiny_skia_path::PathSegment as S;
    let p = |mut pt: usvg::tiny_skia_path::Point| {
        t.map_point(&mut pt);
        [f64::from(pt.x), f64::from(pt.y)]
    };
    let mut out = Vec::with_capacity(data.len());
    let mut last = [0.0, 0.0];
    for s in data.segments() {
        let seg = match s {
            S::MoveTo(a) => Segment::Move(p(a)),
            S::LineTo(a) => Segment::Line(p(a)),
            // A quadratic as the cubic it equals.
            S::QuadTo(c, a) => {
                let (c, a) = (p(c), p(a));
                let c1 = [last[0] + 2.0 / 3.0 * (c[0] - last[0]), last[1] + 2.0 / 3.0 * (c[1] - last[1])];
                let c2 = [a[0] + 2.0 / 3.0 * (c[0] - a[0]), a[1] + 2.0 / 3.0 * (c[1] - a[1])];
                Segment::Cubic(c1, c2, a)
            }
            S::CubicTo(c1, c2, a) => Segment::Cubic(p(c1), p(c2), p(a)),
            S::Close => Segment::Close,
        };
        match seg {
            Segment::Move(a) | Segment::Line(a) | Segment::Cubic(_, _, a) => last = a,
            Segment::Close => {}
        }
        out.push(seg);
    }
    out
}

fn solid(paint: &usvg::Paint, opacity: usvg::Opacity) -> Result<[u8; 3], SvgError> {
    if opacity.get() < 1.0 {
        return Err(SvgError::Unsupported("transparency (opacity below 1)"));
    }
    match paint {
        usvg::Paint::Color(c) => Ok([c.red, c.green, c.blue]),
        usvg::Paint::LinearGradient(_) | usvg::Paint::RadialGradient(_) => Err(SvgError::Unsupported("a gradient")),
        usvg::Paint::Pattern(_) => Err(SvgError::Unsupported("a pattern")),
    }
}

fn rule(r: usvg::FillRule) -> Winding {
    match r {
        usvg::FillRule::NonZero => Winding::NonZero,
        usvg::FillRule::EvenOdd => Winding::EvenOdd,
    }
}

/// A group's clip as one outline in artwork coordinates; several shapes or nested clips are
/// refused (they would need a union of outlines).
fn clip(g: &usvg::Group) -> Result<Option<ArtClip>, SvgError> {
    let Some(c) = g.clip_path() else { return Ok(None) };
    let complex = SvgError::Unsupported("a clip path of more than one simple shape");
    if c.clip_path().is_some() {
        return Err(complex);
    }
    match c.root().children() {
        [usvg::Node::Path(p)] => {
            let t = g.abs_transform().pre_concat(c.transform()).pre_concat(p.abs_transform());
            let rule = p.fill().map_or(Winding::NonZero, |f| rule(f.rule()));
            Ok(Some(ArtClip { segments: segments(p.data(), t), rule }))
        }
        _ => Err(complex),
    }
}

/// Collects a group's paths (usvg has nested `<svg>`, `<use>` and `<switch>` resolved into groups).
fn group(g: &usvg::Group, clips: &[ArtClip], out: &mut Vec<RawPart>) -> Result<(), SvgError> {
    if g.opacity().get() < 1.0 {
        return Err(SvgError::Unsupported("transparency (group opacity below 1)"));
    }
    if g.mask().is_some() {
        return Err(SvgError::Unsupported("a mask"));
    }
    if !g.filters().is_empty() {
        return Err(SvgError::Unsupported("a filter effect"));
    }
    if g.blend_mode() != usvg::BlendMode::Normal {
        return Err(SvgError::Unsupported("a blend mode"));
    }
    let mut clips = clips.to_vec();
    clips.extend(clip(g)?);
    for node in g.children() {
        match node {
            usvg::Node::Group(child) => group(child, &clips, out)?,
            usvg::Node::Path(p) if p.is_visible() => {
                let fill = p.fill().map(|f| solid(f.paint(), f.opacity()).map(|c| (c, rule(f.rule())))).transpose()?;
                let stroke = p
                    .stroke()
                    .map(|s| {
                        solid(s.paint(), s.opacity()).map(|color| RawStroke {
                            color,
                            width: f64::from(s.width().get()),
                            cap: match s.linecap() {
                                usvg::LineCap::Butt => Cap::Butt,
                                usvg::LineCap::Round => Cap::Round,
                                usvg::LineCap::Square => Cap::Square,
                            },
                            join: match s.linejoin() {
                                usvg::LineJoin::Miter | usvg::LineJoin::MiterClip => Join::Miter,
                                usvg::LineJoin::Round => Join::Round,
                                usvg::LineJoin::Bevel => Join::Bevel,
                            },
                            miter_limit: f64::from(s.miterlimit().get()),
                            dash: s
                                .dasharray()
                                .map(|d| (d.iter().map(|v| f64::from(*v)).collect(), f64::from(s.dashoffset()))),
                        })
                    })
                    .transpose()?;
                if fill.is_none() && stroke.is_none() {
                    continue;
                }
                out.push(RawPart::Path(RawPath {
                    segments: segments(p.data(), usvg::Transform::identity()),
                    transform: transform(p.abs_transform()),
                    fill,
                    stroke,
                    clips: clips.clone(),
                }));
            }
            usvg::Node::Path(_) => {}
            usvg::Node::Image(i) if i.is_visible() => {
                let data = match i.kind() {
                    usvg::ImageKind::JPEG(d) | usvg::ImageKind::PNG(d) => d.clone(),
                    _ => return Err(SvgError::Unsupported("an embedded image that is not JPEG or PNG")),
                };
                let size = i.size();
                out.push(RawPart::Image {
                    data,
                    width: f64::from(size.width()),
                    height: f64::from(size.height()),
                    transform: transform(i.abs_transform()),
                    clips: clips.clone(),
                });
            }
            usvg::Node::Image(_) => {}
            // Text as usvg set it with the project's fonts: outlines, painted like paths.
            usvg::Node::Text(t) => group(t.flattened(), &clips, out)?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grey(c: &[[u8; 3]]) -> Vec<[f64; 4]> {
        c.iter().map(|_| [0.0, 0.0, 0.0, 50.0]).collect()
    }

    fn fonts() -> Arc<usvg::fontdb::Database> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/SourceSans3");
        let data: Vec<Arc<Vec<u8>>> = ["SourceSans3_400Regular.ttf", "SourceSans3_700Bold.ttf"]
            .iter()
            .map(|f| Arc::new(std::fs::read(Path::new(dir).join(f)).unwrap()))
            .collect();
        font_database(&data)
    }

    fn read(svg: &str) -> Result<VectorArt, SvgError> {
        let profile =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/profiles/CoatedFOGRA39.icc")).unwrap();
        let image = |p: &Path, b: Vec<u8>| super::super::load(p, b, &profile);
        read_svg(Path::new("a.svg"), svg.as_bytes(), &SvgInputs { cmyk: &grey, fonts: &fonts, image: &image })
    }

    fn paths(art: &VectorArt) -> Vec<&ArtPath> {
        art.parts
            .iter()
            .filter_map(|p| match p {
                ArtPart::Path(p) => Some(p),
                ArtPart::Image(_) => None,
            })
            .collect()
    }

    #[test]
    fn shapes_become_paths_with_their_paint_transform_and_clip() {
        let art = read(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10" viewBox="0 0 40 20">
            <clipPath id="c"><rect width="10" height="10"/></clipPath>
            <g transform="translate(5 0)"><rect width="4" height="4" fill="#102030" stroke="#ffffff" stroke-width="2"
               stroke-linejoin="round" stroke-linecap="square" stroke-dasharray="1 2" stroke-dashoffset="1"/></g>
            <path d="M0 0 Q10 10 20 0" fill="none" stroke="#000"/>
            <circle r="5" fill="#000" fill-rule="evenodd" clip-path="url(#c)"/></svg>"##,
        )
        .unwrap();
        assert_eq!((art.width, art.height), (20.0, 10.0));
        let art = paths(&art);
        assert_eq!(art.len(), 3);
        let rect = &art[0];
        // The view box halves everything; the group moves by 5 user units.
        assert_eq!((rect.transform.sx, rect.transform.tx), (0.5, 2.5));
        let (fill, rule) = rect.fill.unwrap();
        assert_eq!((fill.hex(), fill.cmyk, rule), ("#102030".into(), [0.0, 0.0, 0.0, 50.0], Winding::NonZero));
        let s = rect.stroke.as_ref().unwrap();
        assert_eq!(
            (s.width, s.cap, s.join, s.dash.clone()),
            (2.0, Cap::Square, Join::Round, Some((vec![1.0, 2.0], 1.0)))
        );
        // A quadratic curve becomes the cubic it equals.
        assert!(matches!(art[1].segments[..], [Segment::Move(_), Segment::Cubic(..)]));
        assert_eq!(art[1].fill, None);
        let circle = &art[2];
        assert_eq!(circle.fill.unwrap().1, Winding::EvenOdd);
        assert_eq!(circle.clips.len(), 1);
        // The clip is in artwork coordinates: the 10 × 10 square at half size.
        let far = circle.clips[0].segments.iter().filter_map(|s| match s {
            Segment::Move(p) | Segment::Line(p) => Some(p[0].max(p[1])),
            _ => None,
        });
        assert_eq!(far.fold(0.0, f64::max), 5.0);
    }

    #[test]
    fn what_cannot_print_exactly_is_named() {
        let err = |body: &str| {
            read(&format!(r##"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">{body}</svg>"##))
                .unwrap_err()
        };
        assert_eq!(
            err(r##"<g opacity="0.5"><rect width="1" height="1"/></g>"##),
            SvgError::Unsupported("transparency (group opacity below 1)")
        );
        assert_eq!(
            err(
                r##"<mask id="m"><rect width="1" height="1" fill="#fff"/></mask><rect width="2" height="2" mask="url(#m)"/>"##
            ),
            SvgError::Unsupported("a mask")
        );
        assert_eq!(
            err(
                r##"<pattern id="p" width="1" height="1"><rect width="1" height="1"/></pattern><rect width="2" height="2" fill="url(#p)"/>"#
            ),
            SvgError::Unsupported("a pattern")
        );
        assert_eq!(
            err(r##"<text font-family="Arial, sans-serif">Hej</text>"##
            ),
            SvgError::Font { asked: "\"Arial\", sans-serif".into(), have: "Source Sans 3".into() }
        );
        assert_eq!(
            err(r##"<image href="data:image/png;base64,AAAA" width="1" height="1"/>"##),
            SvgError::Unsupported("an embedded image that is not JPEG or PNG")
        );
        assert_eq!(err(r##"<image href="../x.png" width="1" height="1"/>"##), SvgError::External("../x.png".into()));
        assert!(read(r#"<svg xmlns="http://www.w3.org/2000/svg" width="0" height="9"/>"#).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_without_recursion() {
        let deep = |n: usize| {
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">{}<rect width="1" height="1"/>{}</svg>"#,
                "<g>".repeat(n),
                "</g>".repeat(n)
            )
        };
        assert!(read(&deep(100)).is_ok());
        assert_eq!(read(&deep(300)).unwrap_err(), SvgError::TooDeep);
        assert!(read(&deep(10_000)).is_err());
    }

    /// A PNG of `w` × `h` RGB pixels as a data URL.
    fn png_url(w: u32, h: u32) -> String {
        use base64::Engine as _;
        let img = image::RgbImage::from_pixel(w, h, image::Rgb([200, 30, 40]));
        let mut png = Vec::new();
        img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
        format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(png))
    }

    #[test]
    fn text_is_set_in_the_project_fonts_as_outlines() {
        let art = read(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40">
            <text x="10" y="30" font-family="'Source Sans 3', sans-serif" font-size="20" font-weight="700"
                  fill="#1b5e6b" transform="translate(5 0)">Æble</text></svg>"##,
        )
        .unwrap();
        let p = paths(&art);
        // One outline per glyph (usvg may merge a span's glyphs into one path).
        assert!(!p.is_empty());
        assert!(p.iter().all(|p| p.fill.is_some_and(|(c, _)| c.hex() == "#1b5e6b")));
        // The outlines lie where the text was set: from x = 15 rightwards, above the baseline y = 30.
        let (mut min_x, mut max_y) = (f64::MAX, f64::MIN);
        for path in &p {
            for s in &path.segments {
                if let Segment::Move(a) | Segment::Line(a) | Segment::Cubic(_, _, a) = s {
                    let x = path.transform.sx * a[0] + path.transform.kx * a[1] + path.transform.tx;
                    let y = path.transform.ky * a[0] + path.transform.sy * a[1] + path.transform.ty;
                    min_x = min_x.min(x);
                    max_y = max_y.max(y);
                }
            }
        }
        assert!((14.0..17.0).contains(&min_x), "{min_x}");
        assert!((28.0..=30.5).contains(&max_y), "{max_y}");
    }

    #[test]
    fn text_in_a_font_the_project_lacks_or_with_a_missing_character_is_named() {
        let svg = |family: &str, text: &str| {
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><text font-family="{family}">{text}</text></svg>"#
            )
        };
        // A generic family is never taken: text would come out in a font nobody chose.
        assert!(matches!(read(&svg("sans-serif", "Hej")), Err(SvgError::Font { .. })));
        assert_eq!(read(&svg("'Source Sans 3'", "\u{0F00}")).unwrap_err(), SvgError::Glyph('\u{0F00}', 0x0F00));
        assert!(read(&svg("'Source Sans 3'", "Hej")).is_ok());
        // Unquoted, a name with a digit is not CSS: said so, not set in a default font.
        let Err(SvgError::Font { asked, .. }) = read(&svg("Source Sans 3", "Hej")) else { panic!() };
        assert!(asked.contains("'Source Sans 3'"), "{asked}");
    }

    #[test]
    fn an_embedded_png_is_an_image_part_at_its_placed_size() {
        let art = read(&format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="50" height="50">
            <rect width="50" height="50" fill="#000"/>
            <image x="10" y="5" width="20" height="10" href="{}"/></svg>"##,
            png_url(40, 20)
        ))
        .unwrap();
        assert!(matches!(art.parts[0], ArtPart::Path(_)));
        let ArtPart::Image(i) = &art.parts[1] else { panic!("no image: {:?}", art.parts) };
        assert_eq!((i.asset.width, i.asset.height), (40, 20));
        // Drawn at 20 × 10 from (10, 5): its pixels mapped by the transform.
        assert_eq!((i.width * i.transform.sx, i.height * i.transform.sy), (20.0, 10.0));
        assert_eq!((i.transform.tx, i.transform.ty), (10.0, 5.0));
        assert_eq!(i.asset.path, Path::new("a.svg, image 1"));
    }

    #[test]
    fn embedded_images_that_are_not_jpeg_or_png_are_refused() {
        let with = |href: &str| {
            read(&format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><image width="9" height="9" href="{href}"/></svg>"#
            ))
        };
        assert_eq!(
            with("data:image/gif;base64,R0lGODlhAQABAAAAACw=").unwrap_err(),
            SvgError::Unsupported("an embedded image that is not JPEG or PNG")
        );
        assert_eq!(
            with("data:image/svg+xml;base64,PHN2Zy8+").unwrap_err(),
            SvgError::Unsupported("an SVG embedded as an image")
        );
        // A PNG that is damaged inside is the image loader's error, numbered.
        let broken = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVQI12P4";
        assert!(matches!(with(broken), Err(SvgError::Image(1, _))), "{:?}", with(broken));
        assert!(with(&png_url(3, 3)).is_ok());
        assert!(matches!(with("file:///etc/passwd"), Err(SvgError::External(_))));
    }
}
