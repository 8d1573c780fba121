//! Vector artwork for a frame: an SVG's paths with each colour chosen for print, either the
//! layout colour its `artwork_colors` maps the sRGB value to or the output profile's conversion
//! (with a warning naming the colour, since a logo's exact ink is usually meant).

use crate::assets::svg::{ArtColor, VectorArt};
use crate::diag::Diagnostic;
use crate::model::color::Color;

use super::frame::{ArtPaint, Artwork, VectorPath, VectorStroke};

pub use crate::model::color::ArtColors;

/// The artwork with its print colours, and a warning for each distinct colour not mapped.
#[must_use]
pub fn artwork(art: &VectorArt, map: &ArtColors) -> (Artwork, Vec<Diagnostic>) {
    let mut missed: Vec<ArtColor> = Vec::new();
    let mut paint = |c: &ArtColor| ArtPaint {
        print: map.get(&c.srgb).cloned().unwrap_or_else(|| {
            if !missed.iter().any(|m| m.srgb == c.srgb) {
                missed.push(*c);
            }
            Color::Cmyk(c.cmyk)
        }),
        screen: c.srgb,
    };
    let paths = art
        .paths
        .iter()
        .map(|p| VectorPath {
            segments: p.segments.clone(),
            transform: p.transform,
            fill: p.fill.as_ref().map(|(c, r)| (paint(c), *r)),
            stroke: p.stroke.as_ref().map(|s| VectorStroke {
                paint: paint(&s.color),
                width: s.width,
                cap: s.cap,
                join: s.join,
                miter_limit: s.miter_limit,
                dash: s.dash.clone(),
            }),
            clips: p.clips.clone(),
        })
        .collect();
    let warnings = missed
        .iter()
        .map(|c| {
            let [cy, m, y, k] = c.cmyk;
            Diagnostic::warning(format!(
                "artwork {}: colour {} is converted through the output profile to C {cy} M {m} Y {y} K {k}",
                art.path.display(),
                c.hex()
            ))
            .with_hint(format!(
                "map it to one of the layout's colours in \"artwork_colors\", e.g. \"{}\": \"black\"",
                c.hex()
            ))
        })
        .collect();
    (Artwork { width: art.width, height: art.height, paths, pdf: None }, warnings)
}

/// Whether a file names SVG artwork (by its extension) rather than a raster image.
#[must_use]
pub fn is_svg(file: &str) -> bool {
    std::path::Path::new(file).extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"))
}
