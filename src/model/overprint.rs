//! Which print objects overprint: the Ghent Workgroup's rule (GWG 2022, as in GWG 2015 §4.8–4.11)
//! that 100 % black text below 12 pt and 100 % black lines thinner than 2 pt print over what is
//! beneath them, so a press slightly out of register leaves no white halo around them. The one
//! place the rule lives: export sets the graphics state from it and the GWG checks add the ink
//! beneath an overprinted object to its total ink from it.

use crate::units::Pt;

use super::color::Color;

/// Text smaller than this overprints when it is 100 % black.
pub const TEXT_BELOW: Pt = Pt(12.0);
/// Lines (strokes) thinner than this overprint when they are 100 % black.
pub const LINE_BELOW: Pt = Pt(2.0);

/// How an object is painted, as far as the overprint rule asks.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Painted {
    /// Glyphs of this font size.
    Text(Pt),
    /// A stroke (line or outline) of this width.
    Stroke(Pt),
    /// A filled area.
    Fill,
}

/// Whether the colour is 100 % black and nothing else (C = M = Y = 0, K = 100).
#[must_use]
pub fn is_solid_black(c: &Color) -> bool {
    matches!(c, Color::Cmyk([0.0, 0.0, 0.0, k]) if *k >= 100.0)
}

/// Whether an object painted so in this colour overprints, when the layout has not switched
/// black overprint off.
#[must_use]
pub fn overprints(c: &Color, painted: Painted) -> bool {
    is_solid_black(c)
        && match painted {
            Painted::Text(size) => size < TEXT_BELOW,
            Painted::Stroke(width) => width < LINE_BELOW,
            Painted::Fill => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_solid_black_text_and_thin_lines_overprint() {
        assert!(overprints(&Color::BLACK, Painted::Text(Pt(9.0))));
        assert!(!overprints(&Color::BLACK, Painted::Text(Pt(12.0))));
        assert!(overprints(&Color::BLACK, Painted::Stroke(Pt(0.5))));
        assert!(!overprints(&Color::BLACK, Painted::Stroke(Pt(2.0))));
        assert!(!overprints(&Color::BLACK, Painted::Fill));
        // Rich black, 90 % K, a spot colour and registration never overprint by this rule.
        assert!(!overprints(&Color::Cmyk([60.0, 40.0, 40.0, 100.0]), Painted::Text(Pt(9.0))));
        assert!(!overprints(&Color::Cmyk([0.0, 0.0, 0.0, 90.0]), Painted::Text(Pt(9.0))));
        let spot = Color::Spot { name: "Black".into(), fallback: [0.0, 0.0, 0.0, 100.0], tint: 100.0 };
        assert!(!overprints(&spot, Painted::Text(Pt(9.0))));
        assert!(!overprints(&Color::Registration, Painted::Stroke(Pt(0.25))));
    }
}
