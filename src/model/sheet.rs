//! Sheet layouts (`layouts/sheets/*.json`): the paper cards are imposed on, its margins, marks and
//! duplex settings.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use super::color::Color;
use super::length::Length;
use super::output_intent::OutputIntent;
use super::range::{
    BackAngle, BackExtraBleed, BackShift, Gutter, Len, MarkLength, MarkOffset, Num, Position, SheetExtent, SheetMargin,
    Stroke, Unprintable,
};
use super::rule::refuse;
use super::source::SourceFile;
use super::standard::PdfxFlavour;
use crate::diag::Diagnostic;
use crate::units::{Mm, Pt, Size};

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

/// The axis a duplex sheet turns about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TurnAxis {
    /// Left and right swap: (x, y) lies behind (W − x, y).
    Vertical,
    /// Top and bottom swap: (x, y) lies behind (x, H − y).
    Horizontal,
}

impl TurnAxis {
    /// The point on the back page behind `p` on the front of a sheet of size `sheet` (PRINT.md):
    /// coordinates are mirrored, not slot indices, so asymmetric margins work too.
    #[must_use]
    pub fn behind(self, p: crate::units::Point, sheet: crate::units::Size) -> crate::units::Point {
        match self {
            TurnAxis::Vertical => crate::units::Point::new(sheet.w - p.x, p.y),
            TurnAxis::Horizontal => crate::units::Point::new(p.x, sheet.h - p.y),
        }
    }
}

/// A resolved sheet layout (points).
#[derive(Clone, Debug)]
pub struct SheetLayout {
    /// File stem.
    pub name: String,
    /// Source file.
    pub file: Arc<SourceFile>,
    /// Sheet size after orientation.
    pub size: Size,
    /// Orientation.
    pub orientation: Orientation,
    /// Margins: top, right, bottom, left.
    pub margin: [Pt; 4],
    /// Printer's non-printing border.
    pub unprintable: Pt,
    /// Cut style.
    pub style: CutStyle,
    /// Explicit gutter (gutter style).
    pub gutter: Option<Pt>,
    /// May rotate cards.
    pub rotate: bool,
    /// Grid origin.
    pub origin: Option<(Pt, Pt)>,
    /// Empty slot policy.
    pub fill: Fill,
    /// Crop marks on.
    pub crop_marks: bool,
    /// Mark length.
    pub mark_length: Pt,
    /// Mark offset (None: bleed, at least 3 mm).
    pub mark_offset: Option<Pt>,
    /// Mark line width.
    pub mark_width: Pt,
    /// Mark colour.
    pub mark_color: Color,
    /// Marks on fronts only.
    pub marks_fronts_only: bool,
    /// Slug line on.
    pub slug: bool,
    /// Duplex flip.
    pub flip: Flip,
    /// Back offset: x, y (seen from the front) and clockwise degrees.
    pub back_offset: (Pt, Pt, f64),
    /// Extra back bleed.
    pub back_extra_bleed: Pt,
    /// PDF/X flavour.
    pub pdfx: PdfxFlavour,
    /// Output condition, if the sheet names its own.
    pub output_intent: Option<OutputIntent>,
}

impl SheetLayout {
    /// The axis the sheet turns about for this flip and orientation (PRINT.md's table).
    pub fn turn_axis(&self) -> TurnAxis {
        match (self.orientation, self.flip) {
            (Orientation::Portrait, Flip::Long) | (Orientation::Landscape, Flip::Short) => TurnAxis::Vertical,
            _ => TurnAxis::Horizontal,
        }
    }
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

/// Resolves a sheet layout file.
pub fn sheet_layout(name: String, file: Arc<SourceFile>, root: &Path) -> Result<SheetLayout, Vec<Diagnostic>> {
    let spec: SheetSpec = file.de_root().map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let output_intent = match &spec.output_intent {
        Some(o) => {
            match super::output_intent::load_output_intent(
                root,
                &o.profile,
                &o.identifier,
                o.condition.as_deref().unwrap_or(&o.identifier),
            ) {
                Ok(oi) => Some(oi),
                Err(d) => {
                    errors.push(d.at(file.locate("output_intent.profile")));
                    None
                }
            }
        }
        None => None,
    };
    let (w, h) = match &spec.size {
        SheetSize::Named(n) => match named_size(n) {
            Some((w, h)) => (Mm(w).to_pt(), Mm(h).to_pt()),
            None => {
                errors.push(
                    Diagnostic::error(format!("unknown sheet size `{n}`"))
                        .with_hint(
                            "use A5, A4, A3, SRA4, SRA3, Letter, Legal, Tabloid, or {\"width\": …, \"height\": …}",
                        )
                        .at(file.locate("size")),
                );
                (Pt(1.0), Pt(1.0))
            }
        },
        SheetSize::Custom { width, height } => (width.pt(), height.pt()),
    };
    let (short, long) = (w.min(h), w.max(h));
    let size = match spec.orientation {
        Orientation::Portrait => Size { w: short, h: long },
        Orientation::Landscape => Size { w: long, h: short },
    };
    let margin = match spec.margin {
        Sides::All(l) => [l.pt(); 4],
        Sides::Each { top, right, bottom, left } => [top.pt(), right.pt(), bottom.pt(), left.pt()],
    };
    if margin.iter().any(|m| m.0 < 0.0) {
        errors.push(Diagnostic::error("margins cannot be negative").at(file.locate("margin")));
    }
    let mark_width = spec.marks.width.map(|l| l.pt()).unwrap_or(Pt(0.25));
    if mark_width.0 < 0.25 {
        errors.push(Diagnostic::error("crop marks thinner than 0.25 pt may not print").at(file.locate("marks.width")));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(SheetLayout {
        name,
        file: file.clone(),
        size,
        orientation: spec.orientation,
        margin,
        unprintable: spec.unprintable.map(|l| l.pt()).unwrap_or(Pt::ZERO),
        style: spec.style,
        gutter: spec.gutter.map(|l| l.pt()),
        rotate: spec.rotate,
        origin: spec.origin.map(|[x, y]| (x.pt(), y.pt())),
        fill: spec.fill,
        crop_marks: spec.marks.crop,
        mark_length: spec.marks.length.map(|l| l.pt()).unwrap_or(Mm(5.0).to_pt()),
        mark_offset: spec.marks.offset.map(|l| l.pt()),
        mark_width,
        mark_color: match spec.marks.color {
            MarkColor::Registration => Color::Registration,
            MarkColor::Black => Color::BLACK,
        },
        marks_fronts_only: spec.marks.fronts_only,
        slug: spec.slug,
        flip: spec.duplex.flip,
        back_offset: (
            spec.duplex.back_offset.x.pt(),
            spec.duplex.back_offset.y.pt(),
            spec.duplex.back_offset.angle.get(),
        ),
        back_extra_bleed: spec.duplex.back_extra_bleed.map(|l| l.pt()).unwrap_or(Pt::ZERO),
        pdfx: spec.pdfx,
        output_intent,
    })
}
