//! Sheet layouts as written in JSON (`layouts/sheets/*.json`): the paper cards are imposed on, its
//! margins, marks and duplex settings. The resolved layout is [`super::sheet_layout::SheetLayout`];
//! `resolve/sheet.rs` turns one into the other.

use serde::Deserialize;

use super::output_intent::{OutputIntent, load_output_intent};
use super::print_condition::PrintCondition;
use super::source::SourceFile;
use crate::diag::Diagnostic;

use super::length::Length;
use super::range::{
    BackAngle, BackExtraBleed, BackShift, Gutter, Len, MarkLength, MarkOffset, Num, Position, SheetExtent, SheetMargin,
    Stroke, Unprintable,
};
use super::rule::refuse;
use super::standard::PdfxFlavour;

/// A sheet layout as written in JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SheetSpec {
    /// Editor schema reference; ignored.
    #[serde(rename = "$schema", default)]
    #[expect(dead_code, reason = "read from JSON for editors and people; nothing acts on it")]
    pub schema: Option<String>,
    /// Human description.
    #[serde(default)]
    #[expect(dead_code, reason = "read from JSON for editors and people; nothing acts on it")]
    pub description: Option<String>,
    /// `"A4"`, `"A3"`, `"SRA3"`, `"SRA4"`, `"Letter"`, or `{"width": …, "height": …}`.
    pub size: SheetSize,
    /// `portrait` or `landscape` (swaps a named size's sides).
    #[serde(default)]
    pub orientation: Orientation,
    /// Least distance from the sheet edge to the outer cut lines; marks and outer bleed live here.
    #[serde(default = "ten")]
    pub margin: Sides,
    /// Border the printer cannot print (office printers: 4–5 mm); marks are kept inside it.
    #[serde(default)]
    pub unprintable: Option<Len<Unprintable>>,
    /// `shared` cut lines (no gutter) or `gutter` (each card keeps its own bleed).
    #[serde(default)]
    pub style: CutStyle,
    /// Gutter width for the `gutter` style (default 2 × bleed; at least that).
    #[serde(default)]
    pub gutter: Option<Len<Gutter>>,
    /// Whether cards may be turned 90° to fit more.
    #[serde(default = "yes")]
    pub rotate: bool,
    /// Top-left corner of the grid's trim `[x, y]`; absent: the grid is centred.
    #[serde(default)]
    pub origin: Option<[Len<Position>; 2]>,
    /// Empty slots on the last sheet: `blank` or `repeat` (the deck again from the start).
    #[serde(default)]
    pub fill: Fill,
    /// Crop marks.
    #[serde(default)]
    pub marks: MarksSpec,
    /// Slug line outside the bleed (job, deck, sheet n of m, side, date, sheet layout).
    #[serde(default = "yes")]
    pub slug: bool,
    /// Double-sided printing.
    #[serde(default)]
    pub duplex: DuplexSpec,
    /// PDF/X flavour of this output: `x4` (default) or `x1a` (PDF/X-1a:2003).
    #[serde(default)]
    pub pdfx: PdfxFlavour,
    /// The paper's output condition (default: FOGRA39 coated).
    #[serde(default)]
    pub output_intent: Option<OutputIntentSpec>,
    /// GWG 2022 print condition files on this sheet are checked against (a run's wins; default:
    /// the run's delivery, `gwg2022-sheet-cmyk` without a run).
    #[serde(default)]
    pub print_condition: Option<PrintCondition>,
}

/// An output condition: a CMYK output profile and its registered name.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputIntentSpec {
    /// Profile file relative to the project, e.g. `layouts/profiles/PSOuncoated_v3_FOGRA52.icc`.
    pub profile: String,
    /// Registered characterisation, e.g. `FOGRA52`.
    pub identifier: String,
    /// Human-readable condition, e.g. "PSO Uncoated v3 (FOGRA52)".
    #[serde(default)]
    pub condition: Option<String>,
}

impl OutputIntentSpec {
    /// Loads the profile this names (see [`super::output_intent::load_output_intent`]); an error is
    /// located at `output_intent.profile` in `file`.
    pub(crate) fn load(&self, root: &std::path::Path, file: &SourceFile) -> Result<OutputIntent, Diagnostic> {
        let condition = self.condition.as_deref().unwrap_or(&self.identifier);
        load_output_intent(root, &self.profile, &self.identifier, condition)
            .map_err(|d| d.at(file.locate("output_intent.profile")))
    }
}

fn ten() -> Sides {
    Sides::All(Len::mm(10.0))
}
fn yes() -> bool {
    true
}

/// A named or explicit sheet size.
#[derive(Debug, schemars::JsonSchema)]
#[schemars(untagged)]
pub enum SheetSize {
    /// A standard name.
    #[schemars(extend("examples" = ["A4", "A3", "A5", "SRA3", "SRA4", "Letter", "Legal", "Tabloid"]))]
    Named(String),
    /// Explicit size (portrait sense: as written).
    Custom {
        /// Width.
        width: Len<SheetExtent>,
        /// Height.
        height: Len<SheetExtent>,
    },
}

impl<'de> Deserialize<'de> for SheetSize {
    // By hand, not `untagged`: that would hide a side's range error behind "expected a size".
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Custom {
            #[serde(deserialize_with = "Length::deserialize_unbounded")]
            width: Length,
            #[serde(deserialize_with = "Length::deserialize_unbounded")]
            height: Length,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Named(String),
            Custom(Custom),
        }
        let side = |name: &'static str, l: Length| Len::new(l).map_err(|e| refuse(e.at_key(name)));
        match Raw::deserialize(d).map_err(|_| {
            D::Error::custom(
                "expected a sheet size: \"A4\", \"A3\", \"SRA3\", \"SRA4\", \"Letter\" or {\"width\": …, \"height\": …}",
            )
        })? {
            Raw::Named(n) => Ok(SheetSize::Named(n)),
            Raw::Custom(c) => Ok(SheetSize::Custom { width: side("width", c.width)?, height: side("height", c.height)? }),
        }
    }
}

/// Sheet orientation.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// Taller than wide.
    #[default]
    Portrait,
    /// Wider than tall.
    Landscape,
}

/// One length for all sides, or each side.
#[derive(Clone, Copy, Debug, schemars::JsonSchema)]
#[schemars(untagged)]
pub enum Sides {
    /// The same on every side.
    All(Len<SheetMargin>),
    /// Per side.
    Each {
        /// Top.
        top: Len<SheetMargin>,
        /// Right.
        right: Len<SheetMargin>,
        /// Bottom.
        bottom: Len<SheetMargin>,
        /// Left.
        left: Len<SheetMargin>,
    },
}

impl<'de> Deserialize<'de> for Sides {
    // By hand, not `untagged`: an untagged enum would hide a side's range error behind "expected
    // a length or an object".
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Each {
            #[serde(deserialize_with = "Length::deserialize_unbounded")]
            top: Length,
            #[serde(deserialize_with = "Length::deserialize_unbounded")]
            right: Length,
            #[serde(deserialize_with = "Length::deserialize_unbounded")]
            bottom: Length,
            #[serde(deserialize_with = "Length::deserialize_unbounded")]
            left: Length,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            All(#[serde(deserialize_with = "Length::deserialize_unbounded")] Length),
            Each(Each),
        }
        let side = |name: &'static str, l: Length| Len::new(l).map_err(|e| refuse(e.at_key(name)));
        match Raw::deserialize(d).map_err(|_| {
            D::Error::custom("expected a length, or {\"top\": …, \"right\": …, \"bottom\": …, \"left\": …}")
        })? {
            Raw::All(l) => Len::new(l).map(Sides::All).map_err(|e| refuse(e.broken())),
            Raw::Each(e) => Ok(Sides::Each {
                top: side("top", e.top)?,
                right: side("right", e.right)?,
                bottom: side("bottom", e.bottom)?,
                left: side("left", e.left)?,
            }),
        }
    }
}

/// Imposition style.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CutStyle {
    /// Cards abut; one cut per line; bleed only around the grid.
    #[default]
    Shared,
    /// Gutters between cards; each card keeps its bleed; two cuts per gutter.
    Gutter,
}

/// What fills empty slots on the last sheet.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Fill {
    /// Leave them empty.
    #[default]
    Blank,
    /// Repeat the deck from its first card.
    Repeat,
}

/// Crop mark settings.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarksSpec {
    /// Draw crop marks.
    #[serde(default = "yes")]
    pub crop: bool,
    /// Mark length (default 5 mm).
    #[serde(default)]
    pub length: Option<Len<MarkLength>>,
    /// Gap between the trim and the mark (default: the bleed, at least 3 mm).
    #[serde(default)]
    pub offset: Option<Len<MarkOffset>>,
    /// Line width (default 0.25 pt).
    #[serde(default)]
    pub width: Option<Len<Stroke>>,
    /// `registration` (default, every plate) or `black` (100 % K, for office printers).
    #[serde(default)]
    pub color: MarkColor,
    /// Draw marks on front pages only.
    #[serde(default)]
    pub fronts_only: bool,
}

impl Default for MarksSpec {
    fn default() -> Self {
        MarksSpec {
            crop: true,
            length: None,
            offset: None,
            width: None,
            color: MarkColor::default(),
            fronts_only: false,
        }
    }
}

/// Mark colour.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MarkColor {
    /// Separation /All.
    #[default]
    Registration,
    /// 100 % K.
    Black,
}

/// Duplex settings.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DuplexSpec {
    /// The binding edge the printer driver is set to: `long` (default) or `short`.
    #[serde(default)]
    pub flip: Flip,
    /// Correction for printers that misregister the back, as seen from the front (see README).
    #[serde(default)]
    pub back_offset: BackOffset,
    /// Extra bleed on backs only, to hide small misregistration.
    #[serde(default)]
    pub back_extra_bleed: Option<Len<BackExtraBleed>>,
}

/// Driver flip edge.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Flip {
    /// Flip on the long edge.
    #[default]
    Long,
    /// Flip on the short edge.
    Short,
}

/// Back offset as seen from the front: +x moves the back's print right, +y down; `angle` in
/// degrees, clockwise.
#[derive(Clone, Copy, Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BackOffset {
    /// Right, as seen from the front.
    #[serde(default)]
    pub x: Len<BackShift>,
    /// Down, as seen from the front.
    #[serde(default)]
    pub y: Len<BackShift>,
    /// Clockwise degrees, as seen from the front.
    #[serde(default)]
    pub angle: Num<BackAngle>,
}

/// Standard sheet sizes in mm (portrait).
pub fn named_size(name: &str) -> Option<(f64, f64)> {
    Some(match name.to_ascii_uppercase().as_str() {
        "A5" => (148.0, 210.0),
        "A4" => (210.0, 297.0),
        "A3" => (297.0, 420.0),
        "SRA4" => (225.0, 320.0),
        "SRA3" => (320.0, 450.0),
        "LETTER" => (215.9, 279.4),
        "LEGAL" => (215.9, 355.6),
        "TABLOID" => (279.4, 431.8),
        _ => return None,
    })
}
