//! Vector artwork from SVG files, read with usvg (no fonts, no files or URLs it names) into
//! plain paths in the SVG's own coordinates: what the layout places and export draws as vectors.
//!
//! Only what prints exactly is accepted: solid fills and strokes, groups with transforms and
//! simple clip paths. Text, raster images, gradients, patterns, masks, filters and transparency
//! are refused with the feature's name, so nothing is lost or turned into RGB in print.

use std::path::{Path, PathBuf};

use sha2::{Digest as _, Sha256};
use usvg::roxmltree;

use super::Digest;
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

/// A loaded SVG: its size in its user units and its paths in painting order.
#[derive(Clone, Debug, PartialEq)]
pub struct VectorArt {
    /// The file as shown in diagnostics.
    pub path: PathBuf,
    /// Width (user units).
    pub width: f64,
    /// Height (user units).
    pub height: f64,
    /// The paths, in painting order.
    pub paths: Vec<ArtPath>,
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
}

impl SvgError {
    /// How to fix it.
    #[must_use]
    pub fn hint(&self) -> &'static str {
        match self {
            SvgError::Unsupported("text") => "convert the text to outlines (paths) in your editor",
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

/// Reads an SVG file's bytes into vector art; `cmyk` converts its sRGB colours (one call per file
/// with all of them, so the profile transform is built once).
///
/// # Errors
///
/// A damaged, hostile or unsupported SVG (see [`SvgError`]).
pub fn read_svg(path: &Path, bytes: &[u8], cmyk: &ToCmyk) -> Result<VectorArt, SvgError> {
    let text = std::str::from_utf8(bytes).map_err(|_| SvgError::Parse("it is not UTF-8 text".into()))?;
    let options = roxmltree::ParsingOptions { allow_dtd: true, nodes_limit: MAX_SVG_NODES, ..Default::default() };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| SvgError::Parse(e.to_string()))?;
    check_elements(&doc)?;
    let opt = usvg::Options {
        // Never read a file or address the SVG names (usvg's default reads local files).
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_xmltree(&doc, &opt).map_err(|e| SvgError::Parse(e.to_string()))?;
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
        for c in [p.fill.map(|f| f.0), p.stroke.as_ref().map(|s| s.color)].into_iter().flatten() {
            if !srgb.contains(&c) {
                srgb.push(c);
            }
        }
    }
    let converted = cmyk(&srgb);
    let color = |c: [u8; 3]| {
        let i = srgb.iter().position(|s| *s == c).unwrap_or(0);
        ArtColor { srgb: c, cmyk: converted.get(i).copied().unwrap_or([0.0, 0.0, 0.0, 100.0]) }
    };
    let paths = raw
        .into_iter()
        .map(|p| ArtPath {
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
        })
        .collect();
    Ok(VectorArt {
        path: path.to_path_buf(),
        width: f64::from(w),
        height: f64::from(h),
        paths,
        digest: Sha256::digest(bytes).into(),
    })
}

/// Refuses what usvg would drop silently (text without fonts, images it may not load) and nests
/// too deep for its recursive conversion.
fn check_elements(doc: &roxmltree::Document) -> Result<(), SvgError> {
    // Depth without recursion: roxmltree's own tree is flat.
    for node in doc.descendants().filter(roxmltree::Node::is_element) {
        if node.ancestors().nth(MAX_SVG_DEPTH).is_some() {
            return Err(SvgError::TooDeep);
        }
        match node.tag_name().name() {
            "text" | "tspan" | "textPath" => return Err(SvgError::Unsupported("text")),
            "image" | "feImage" => {
                let href = node
                    .attributes()
                    .find(|a| a.name() == "href")
                    .map(|a| a.value().chars().take(60).collect::<String>())
                    .unwrap_or_default();
                return Err(if href.starts_with("data:") {
                    SvgError::Unsupported("an embedded raster image")
                } else {
                    SvgError::External(href)
                });
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
    Ok(())
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
fn group(g: &usvg::Group, clips: &[ArtClip], out: &mut Vec<RawPath>) -> Result<(), SvgError> {
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
                out.push(RawPath {
                    segments: segments(p.data(), usvg::Transform::identity()),
                    transform: transform(p.abs_transform()),
                    fill,
                    stroke,
                    clips: clips.clone(),
                });
            }
            usvg::Node::Path(_) => {}
            usvg::Node::Image(_) => return Err(SvgError::Unsupported("a raster image")),
            usvg::Node::Text(_) => return Err(SvgError::Unsupported("text")),
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

    fn read(svg: &str) -> Result<VectorArt, SvgError> {
        read_svg(Path::new("a.svg"), svg.as_bytes(), &grey)
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
        assert_eq!(art.paths.len(), 3);
        let rect = &art.paths[0];
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
        assert!(matches!(art.paths[1].segments[..], [Segment::Move(_), Segment::Cubic(..)]));
        assert_eq!(art.paths[1].fill, None);
        let circle = &art.paths[2];
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
        assert_eq!(err(r##"<text>Hej</text>"##).hint(), "convert the text to outlines (paths) in your editor");
        assert_eq!(
            err(r##"<image href="data:image/png;base64,AAAA" width="1" height="1"/>"##),
            SvgError::Unsupported("an embedded raster image")
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
}
