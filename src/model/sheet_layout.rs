//! A resolved sheet layout: sizes in points, every default applied, and the duplex turn axis.

use std::sync::Arc;

use super::color::Color;
use super::output_intent::OutputIntent;
use super::print_condition::PrintCondition;
use super::sheet::{CutStyle, Fill, Flip, Orientation};
use super::source::SourceFile;
use super::standard::PdfxFlavour;
use crate::units::{Point, Pt, Size};

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
    pub fn behind(self, p: Point, sheet: Size) -> Point {
        match self {
            TurnAxis::Vertical => Point::new(sheet.w - p.x, p.y),
            TurnAxis::Horizontal => Point::new(p.x, sheet.h - p.y),
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
    /// Print condition, if the sheet names its own.
    pub print_condition: Option<PrintCondition>,
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
