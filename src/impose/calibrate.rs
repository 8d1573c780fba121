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
