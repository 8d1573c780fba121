//! Vector artwork for a frame: an SVG's paths with each colour chosen for print, either the
//! layout colour its `artwork_colors` maps the sRGB value to or the output profile's conversion
//! (with a warning naming the colour, since a logo's exact ink is usually meant).

use crate::assets::svg::{ArtColor, ArtPart, VectorArt};
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
    let parts = art
        .parts
        .iter()
        .map(|p| match p {
            ArtPart::Image(i) => ArtPart::Image(i.clone()),
            ArtPart::Path(p) => ArtPart::Path(VectorPath {
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
            }),
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
                "map it to one of the layout's colours in \"artwork_colors\", e.g. \"{}\": \"{}\"",
                c.hex(),
                suggested(c.srgb)
            ))
        })
        .collect();
    (Artwork { width: art.width, height: art.height, parts, pdf: None }, warnings)
}

/// A colour name to show in the hint: white or black by lightness, else a placeholder.
fn suggested([r, g, b]: [u8; 3]) -> &'static str {
    let light = 0.2126 * f64::from(r) + 0.7152 * f64::from(g) + 0.0722 * f64::from(b);
    if r.abs_diff(g) < 16 && g.abs_diff(b) < 16 && r.abs_diff(b) < 16 {
        if light > 200.0 {
            "white"
        } else if light < 60.0 {
            "black"
        } else {
            "<a name from \"colors\">"
        }
    } else {
        "<a name from \"colors\">"
    }
}

/// Whether a file names SVG artwork (by its extension) rather than a raster image.
#[must_use]
pub fn is_svg(file: &str) -> bool {
    std::path::Path::new(file).extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"))
}
