//! The print condition a file is checked against: the Ghent Workgroup's GWG 2022 variants
//! tryksag knows, each a table of plain rule values, so every number lives here once
//! (`docs/gwg.md` explains them clause by clause).
//!
//! Chosen with `"print_condition"` on a print run or a sheet layout (the run's wins); the
//! default is `gwg2022-sheet-cmyk` for print-shop files and `none` for office delivery.

use serde::Deserialize;

use crate::units::Pt;

/// A print condition as written in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
pub enum PrintCondition {
    /// GWG 2022 sheet-fed offset, CMYK only (the default for print-shop delivery).
    #[serde(rename = "gwg2022-sheet-cmyk")]
    Gwg2022SheetCmyk,
    /// GWG 2022 digital press (cut sheet).
    #[serde(rename = "gwg2022-digital")]
    Gwg2022Digital,
    /// No GWG rules (office printers): only the image resolution of [`NONE_IMAGES`].
    #[serde(rename = "none")]
    None,
}

impl PrintCondition {
    /// The name as written in JSON, e.g. `gwg2022-sheet-cmyk`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            PrintCondition::Gwg2022SheetCmyk => "gwg2022-sheet-cmyk",
            PrintCondition::Gwg2022Digital => "gwg2022-digital",
            PrintCondition::None => "none",
        }
    }

    /// The GWG rule values of this variant (`None` for no GWG condition).
    #[must_use]
    pub fn rules(self) -> Option<&'static GwgRules> {
        match self {
            PrintCondition::Gwg2022SheetCmyk => Some(&SHEET_CMYK),
            PrintCondition::Gwg2022Digital => Some(&DIGITAL),
            PrintCondition::None => None,
        }
    }

    /// The image resolution limits that apply (GWG's, or [`NONE_IMAGES`]).
    #[must_use]
    pub fn images(self) -> &'static ImageLimits {
        self.rules().map_or(&NONE_IMAGES, |r| &r.images)
    }
}

/// What a print file is checked against: its print condition and the spot colours its press
/// prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrintCheck<'p> {
    /// The print condition.
    pub condition: PrintCondition,
    /// Spot colours the press prints (the run's `press_spot_colors`).
    pub press_spots: &'p [String],
}

impl PrintCheck<'_> {
    /// No checks (screen versions).
    pub const NONE: PrintCheck<'static> = PrintCheck { condition: PrintCondition::None, press_spots: &[] };
}

/// Effective resolution limits for placed images, in pixels per inch at the placed size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageLimits {
    /// Continuous-tone images below this are an error.
    pub error_below: f64,
    /// Continuous-tone images below this are a warning.
    pub warn_below: f64,
    /// 1-bit (line art) images below this are an error.
    pub bilevel_error_below: f64,
    /// 1-bit images below this are a warning.
    pub bilevel_warn_below: f64,
}

/// The rule values of one GWG 2022 variant.
#[derive(Debug, Clone, PartialEq)]
pub struct GwgRules {
    /// The variant's name in diagnostics, e.g. `GWG 2022 sheet-fed CMYK`.
    pub name: &'static str,
    /// Text in more than one ink, or white (knocked-out) text, must be at least this size.
    pub min_text_multi_ink: Pt,
    /// Lines in more than one ink, or white lines, must be at least this wide.
    pub min_line_multi_ink: Pt,
    /// Any line must be at least this wide.
    pub min_line: Pt,
    /// Total ink (sum of the inks' percentages) in any area, at most.
    pub max_total_ink: f64,
    /// Image resolution.
    pub images: ImageLimits,
    /// Rich black: a colour with K at least this (percent) …
    pub rich_black_k: f64,
    /// … may have at most this total ink when used for text.
    pub rich_black_max_ink: f64,
    /// Whether spot colours are an error unless the run names them in `press_spot_colors`
    /// (false: a warning, the press converts them).
    pub spots_are_errors: bool,
}

/// GWG 2022 sheet-fed offset, CMYK (the variant GWG 2015 called SheetCmyk).
pub const SHEET_CMYK: GwgRules = GwgRules {
    name: "GWG 2022 sheet-fed CMYK",
    min_text_multi_ink: Pt(8.0),
    min_line_multi_ink: Pt(0.25),
    min_line: Pt(0.125),
    max_total_ink: 320.0,
    images: ImageLimits {
        error_below: 149.0,
        warn_below: 224.0,
        bilevel_error_below: 549.0,
        bilevel_warn_below: 799.0,
    },
    rich_black_k: 85.0,
    rich_black_max_ink: 280.0,
    spots_are_errors: true,
};

/// GWG 2022 digital press (the variant family GWG 2015 Digital called Digital CutSheet).
pub const DIGITAL: GwgRules = GwgRules {
    name: "GWG 2022 digital",
    min_text_multi_ink: Pt(5.0),
    min_line_multi_ink: Pt(0.25),
    min_line: Pt(0.125),
    max_total_ink: 320.0,
    images: ImageLimits { error_below: 95.0, warn_below: 149.0, bilevel_error_below: 349.0, bilevel_warn_below: 599.0 },
    rich_black_k: 85.0,
    rich_black_max_ink: 280.0,
    spots_are_errors: false,
};

/// What `none` uses for images (tryksag's own limits from before GWG: 150 ppi is too coarse for
/// any printer, 300 ppi is what print prefers).
pub const NONE_IMAGES: ImageLimits =
    ImageLimits { error_below: 150.0, warn_below: 300.0, bilevel_error_below: 150.0, bilevel_warn_below: 300.0 };

/// The rule names of GWG 2022 as diagnostics show them. GWG 2022 is published as a spreadsheet
/// of requirement IDs; the numbers here follow the GWG 2015 specification's section 4, whose
/// structure GWG 2022 keeps (`docs/gwg.md` says which are unsure).
pub mod rule {
    /// Text in several inks or white text below the minimum size.
    pub const SMALL_TEXT: &str = "GWG 4.14 small text";
    /// Lines in several inks or white lines below the minimum width; any line below the minimum.
    pub const THIN_LINES: &str = "GWG 4.15 thin lines";
    /// Total ink above the variant's maximum.
    pub const TOTAL_INK: &str = "GWG 4.19 total ink";
    /// Image resolution.
    pub const IMAGE_RESOLUTION: &str = "GWG 4.17 image resolution";
    /// Rich black text with too much total ink.
    pub const RICH_BLACK: &str = "GWG 4.20 rich black";
    /// Spot colours the press does not print.
    pub const SPOT_COLOURS: &str = "GWG 4.6 spot colours";
    /// Page boxes: CropBox equal to MediaBox.
    pub const PAGE_BOXES: &str = "GWG 4.2 page boxes";
    /// Transparency groups blend in CMYK.
    pub const BLEND_SPACE: &str = "GWG 4.22 transparency blend space";
    /// A CMYK output intent.
    pub const OUTPUT_INTENT: &str = "GWG 4.3 output intent";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_condition_reads_from_json_and_has_its_table() {
        for (json, c) in [
            ("\"gwg2022-sheet-cmyk\"", PrintCondition::Gwg2022SheetCmyk),
            ("\"gwg2022-digital\"", PrintCondition::Gwg2022Digital),
            ("\"none\"", PrintCondition::None),
        ] {
            let read: PrintCondition = serde_json::from_str(json).unwrap();
            assert_eq!(read, c);
            assert_eq!(format!("\"{}\"", c.name()), json);
        }
        assert!(serde_json::from_str::<PrintCondition>("\"gwg2015\"").is_err());
        assert_eq!(PrintCondition::Gwg2022SheetCmyk.rules().unwrap().min_text_multi_ink, Pt(8.0));
        assert_eq!(PrintCondition::Gwg2022Digital.rules().unwrap().min_text_multi_ink, Pt(5.0));
        assert_eq!(PrintCondition::Gwg2022Digital.images().error_below, 95.0);
        assert_eq!(PrintCondition::None.images().error_below, 150.0);
        assert!(PrintCondition::None.rules().is_none());
    }
}
