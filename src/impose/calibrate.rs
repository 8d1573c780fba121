//! The duplex calibration sheet as a document: the front and back frames laid out by
//! [`crate::layout::calibration`], each on its own page, the back moved by the sheet layout's
//! current back offset so that the reading is the correction to add.

use crate::layout::Frame;
use crate::model::SheetLayout;

use super::Document;
use super::duplex::back_offset_transform;
use super::pages::{FramePage, frame_pages};

/// The two-page calibration document of `sheet` from its laid-out `[front, back]`.
#[must_use]
pub fn calibration_document(sheet: &SheetLayout, [front, back]: [Frame; 2]) -> Document {
    let (ox, oy, ang) = sheet.back_offset;
    let back_t = (ox.0 != 0.0 || oy.0 != 0.0 || ang != 0.0)
        .then(|| back_offset_transform(sheet.turn_axis(), ox, oy, ang, sheet.size));
    frame_pages(
        format!("Kalibrering {}", sheet.name),
        vec![
            FramePage { frame: front, label: "front".into(), transform: None },
            FramePage { frame: back, label: "back".into(), transform: back_t },
        ],
    )
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use crate::layout::calibration::{Axis, Readings, corrections, scales};

    use crate::model::source::SourceFile;
    use crate::model::{SheetLayout, TurnAxis, sheet_layout};
    use crate::units::{Mm, Point, Pt, Transform};

    use super::back_offset_transform;

    fn sheet(orientation: &str, flip: &str) -> SheetLayout {
        let json = format!(
            "{{\"size\": \"A4\", \"orientation\": \"{orientation}\", \"margin\": 10, \"duplex\": {{\"flip\": \"{flip}\"}}}}"
        );
        let file = SourceFile::parse(Path::new("layouts/sheets/t.json"), json).unwrap();
        sheet_layout("t".into(), Arc::new(file), Path::new(".")).unwrap()
    }

    /// What a scale reads, in mm, when the press puts the back `error` off (as seen from the
    /// front): the step whose back tick meets its front tick is minus the error along the scale
    /// where the ticks overlap (readings taken as exact, not rounded to the 0.5 mm steps).
    fn read(sheet: &SheetLayout, error: &Transform) -> Readings {
        let r: Vec<f64> = scales(sheet)
            .iter()
            .map(|s| {
                // The 0 tick: front tick 9 mm long, back tick half a tick on; they overlap at 6.75 mm.
                let along = Mm(6.75).to_pt();
                let p = match s.axis {
                    Axis::X => Point::new(s.origin.x + Mm(18.0).to_pt() * 2.0, s.origin.y + along),
                    Axis::Y => Point::new(s.origin.x + along, s.origin.y + Mm(18.0).to_pt() * 2.0),
                };
                let q = error.apply(p);
                let moved = match s.axis {
                    Axis::X => q.x - p.x,
                    Axis::Y => q.y - p.y,
                };
                -moved.to_mm().0
            })
            .collect();
        Readings { top: r[0], bottom: r[1], left: r[2], right: r[3] }
    }

    #[test]
    fn the_printed_arithmetic_undoes_a_shifted_and_turned_back() {
        for (o, f) in [("portrait", "long"), ("portrait", "short"), ("landscape", "long"), ("landscape", "short")] {
            let sheet = sheet(o, f);
            let size = sheet.size;
            let centre = Point::new(size.w / 2.0, size.h / 2.0);
            // The press puts the back 0.8 mm right, 0.6 mm up and 0.3° clockwise, seen from the front.
            let error =
                Transform::translate(Mm(0.8).to_pt(), Mm(-0.6).to_pt()).after(&Transform::rotate_about(0.3, centre));
            let (x, y, angle) = corrections(read(&sheet, &error), &sheet);
            // Back content at q on the back page is seen from the front at behind(q), then moved
            // by the press; with the correction applied to the back page it must land where it
            // belongs, everywhere on the sheet.
            let axis: TurnAxis = sheet.turn_axis();
            let fix = back_offset_transform(axis, Mm(x).to_pt(), Mm(y).to_pt(), angle, size);
            for q in [Point::new(Pt::ZERO, Pt::ZERO), centre, Point::new(size.w, size.h), Point::new(size.w, Pt(0.0))] {
                let seen = error.apply(axis.behind(fix.apply(q), size));
                let want = axis.behind(q, size);
                let off = ((seen.x - want.x).0.hypot((seen.y - want.y).0) / 72.0 * 25.4).abs();
                assert!(off < 0.03, "{o}/{f}: {off:.3} mm off at {q:?} after x {x:.3}, y {y:.3}, angle {angle:.3}");
            }
            // The check the sheet names: the y scales give the same angle.
            let r = read(&sheet, &error);
            let [_, y_dist] = crate::layout::calibration::scale_distances(&sheet).map(|d| d.to_mm().0);
            let check = (r.right - r.left) / y_dist * 180.0 / std::f64::consts::PI;
            assert!((check - angle).abs() < 0.005, "{o}/{f}: y scales give {check:.3}°, x scales {angle:.3}°");
            // The old reading (x from the top scale alone) is wrong by the rotation's share.
            assert!((r.top - x).abs() > 0.1, "{o}/{f}: the top scale alone would do");
        }
    }
}
