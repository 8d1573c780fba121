//! Print colours. Everything is CMYK or a named separation; RGB never enters a print file.

use std::fmt;

use serde::Deserialize;

/// A resolved print colour.
#[derive(Clone, Debug, PartialEq)]
pub enum Color {
    /// Process colour, each component 0–100 %.
    Cmyk([f64; 4]),
    /// A spot colour: separation `name` at `tint` (0–100 %), with a CMYK fallback for proofs.
    Spot {
        /// Colorant name as the print shop knows it, e.g. "PANTONE 3145 C".
        name: String,
        /// CMYK used where the spot plate is not available.
        fallback: [f64; 4],
        /// Tint in percent.
        tint: f64,
    },
    /// Registration: 100 % on every plate (Separation /All), for marks only.
    Registration,
}

impl Color {
    /// 100 % K.
    pub const BLACK: Color = Color::Cmyk([0.0, 0.0, 0.0, 100.0]);
    /// No ink.
    pub const WHITE: Color = Color::Cmyk([0.0, 0.0, 0.0, 0.0]);

    /// Total ink coverage in percent (registration counts as 400 %).
    pub fn total_ink(&self) -> f64 {
        match self {
            Color::Cmyk(c) => c.iter().sum(),
            Color::Spot { fallback, tint, .. } => fallback.iter().sum::<f64>() * tint / 100.0,
            Color::Registration => 400.0,
        }
    }

    /// The colour as 8-bit CMYK, the input of a CMYK → sRGB profile transform (a spot colour is
    /// its fallback at its tint); `None` for registration, which has no colour of its own. The
    /// screen version and the contrast check convert colours through this.
    #[must_use]
    pub fn cmyk_bytes(&self) -> Option<[u8; 4]> {
        match self {
            Color::Cmyk(v) => Some(v.map(byte)),
            Color::Spot { fallback, tint, .. } => Some(fallback.map(|v| byte(v * tint.clamp(0.0, 100.0) / 100.0))),
            Color::Registration => None,
        }
    }
}

/// A percentage (0–100) as an 8-bit colour component.
fn byte(v: f64) -> u8 {
    (v.clamp(0.0, 100.0) * 2.55).round() as u8
}

/// Layout colours for the sRGB colours of SVG artwork (a layout's `artwork_colors`, resolved:
/// `#1b5e6b` → the layout's `teal`).
pub type ArtColors = std::collections::BTreeMap<[u8; 3], Color>;

/// A colour as written in JSON: `[c, m, y, k]` in percent, `{"spot": …, "cmyk": […]}`, or a
/// name (`"black"`, `"white"`, `"registration"`, `"category"`, or a key of the layout's `colors`).
#[derive(Clone, Debug, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(
    untagged,
    expecting = "a colour: [c, m, y, k] in percent, {\"spot\": name, \"cmyk\": [c, m, y, k]}, or a colour name"
)]
pub enum ColorSpec {
    /// `[c, m, y, k]`, each 0–100.
    Cmyk([f64; 4]),
    /// A named separation.
    Spot(SpotSpec),
    /// A reference by name.
    Name(String),
}

/// A spot colour as written in JSON.
#[derive(Clone, Debug, Deserialize, PartialEq, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpotSpec {
    /// The colorant name.
    pub spot: String,
    /// CMYK fallback in percent.
    pub cmyk: [f64; 4],
    /// Tint in percent (default 100).
    #[serde(default = "hundred")]
    pub tint: f64,
}

fn hundred() -> f64 {
    100.0
}

/// CMYK percentages of which one lies outside 0–100.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CmykError(pub [f64; 4]);

impl fmt::Display for CmykError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cmyk values must lie between 0 and 100 (percent), got {:?}", self.0)
    }
}

impl std::error::Error for CmykError {}

/// Validates CMYK percentages.
pub fn check_cmyk(c: &[f64; 4]) -> Result<(), CmykError> {
    if c.iter().any(|v| !(0.0..=100.0).contains(v)) {
        return Err(CmykError(*c));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cmyk_out_of_range_is_refused_with_its_values() {
        assert_eq!(check_cmyk(&[0.0, 100.0, 50.0, 0.0]), Ok(()));
        let e = check_cmyk(&[0.0, 101.0, 0.0, -1.0]).unwrap_err();
        assert_eq!(e, CmykError([0.0, 101.0, 0.0, -1.0]));
        assert_eq!(e.to_string(), "cmyk values must lie between 0 and 100 (percent), got [0.0, 101.0, 0.0, -1.0]");
    }

    #[test]
    fn percentages_become_bytes() {
        assert_eq!([byte(-5.0), byte(0.0), byte(50.0), byte(100.0), byte(120.0)], [0, 0, 127, 255, 255]); // 50 × 2.55 is just below 127.5 in f64
        let spot = Color::Spot { name: "X".into(), fallback: [100.0, 0.0, 0.0, 0.0], tint: 50.0 };
        assert_eq!(spot.cmyk_bytes(), Color::Cmyk([50.0, 0.0, 0.0, 0.0]).cmyk_bytes());
        assert_eq!(Color::Registration.cmyk_bytes(), None);
    }
}
