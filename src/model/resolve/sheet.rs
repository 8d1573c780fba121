//! Resolving a sheet layout file into a [`SheetLayout`]: named sizes and orientation, margins,
//! marks, duplex settings and the output intent, with every value checked.

use std::path::Path;
use std::sync::Arc;

use crate::diag::Diagnostic;
use crate::model::color::Color;
use crate::model::sheet::*;
use crate::model::sheet_layout::SheetLayout;
use crate::model::source::SourceFile;
use crate::units::{Mm, Pt, Size};

/// Resolves a sheet layout file.
pub fn sheet_layout(name: String, file: Arc<SourceFile>, root: &Path) -> Result<SheetLayout, Vec<Diagnostic>> {
    let spec: SheetSpec = file.de_root().map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let output_intent = match spec.output_intent.as_ref().map(|o| o.load(root, &file)).transpose() {
        Ok(oi) => oi,
        Err(d) => {
            errors.push(d);
            None
        }
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
        print_condition: spec.print_condition,
    })
}
