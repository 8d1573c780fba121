//! Duplex geometry: where the back of a point on the front lands (PRINT.md).
//!
//! Vertical axis: (x, y) lies behind (W − x, y). Horizontal axis: behind (x, H − y). Coordinates
//! are mirrored, not slot indices, so asymmetric margins work too.

use crate::model::TurnAxis;
use crate::units::{Point, Pt, Rect, Size, Transform};

/// A quarter-turn rotation, clockwise on the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Rotation {
    /// Upright.
    #[default]
    R0,
    /// 90° clockwise.
    R90,
    /// 180°.
    R180,
    /// 270° clockwise (90° counter-clockwise).
    R270,
}

impl Rotation {
    /// The transform that places a frame of `size`, turned by `self`, with its bounding box's
    /// top-left corner at `at`.
    pub fn place(self, size: Size, at: Point) -> Transform {
        let (w, h, x, y) = (size.w.0, size.h.0, at.x.0, at.y.0);
        match self {
            Rotation::R0 => Transform::translate(at.x, at.y),
            Rotation::R90 => Transform { sx: 0.0, ky: 1.0, kx: -1.0, sy: 0.0, tx: x + h, ty: y },
            Rotation::R180 => Transform { sx: -1.0, ky: 0.0, kx: 0.0, sy: -1.0, tx: x + w, ty: y + h },
            Rotation::R270 => Transform { sx: 0.0, ky: -1.0, kx: 1.0, sy: 0.0, tx: x, ty: y + w },
        }
    }

    /// Whether the frame's width and height swap on the page.
    pub fn is_quarter(self) -> bool {
        matches!(self, Rotation::R90 | Rotation::R270)
    }

    fn deg(self) -> u32 {
        match self {
            Rotation::R0 => 0,
            Rotation::R90 => 90,
            Rotation::R180 => 180,
            Rotation::R270 => 270,
        }
    }

    fn from_deg(d: u32) -> Rotation {
        match d % 360 {
            90 => Rotation::R90,
            180 => Rotation::R180,
            270 => Rotation::R270,
            _ => Rotation::R0,
        }
    }
}

/// The rectangle on the back page behind `r` on the front.
pub fn behind_rect(r: Rect, axis: TurnAxis, sheet: Size) -> Rect {
    let a = axis.behind(r.min, sheet);
    let b = axis.behind(r.max, sheet);
    Rect { min: Point::new(a.x.min(b.x), a.y.min(b.y)), max: Point::new(a.x.max(b.x), a.y.max(b.y)) }
}

/// How a back is turned so that it reads upright when the card is turned over about its own
/// vertical axis: a mirror about the vertical axis maps rotation θ to −θ, about the horizontal
/// axis to 180° − θ (so upright cards get 180° backs).
pub fn back_rotation(front: Rotation, axis: TurnAxis) -> Rotation {
    let d = front.deg();
    Rotation::from_deg(match axis {
        TurnAxis::Vertical => 360 - d,
        TurnAxis::Horizontal => 540 - d,
    })
}

/// The transform applied to a whole back page for a back offset given as seen from the front:
/// `dx` right, `dy` down, `angle` clockwise degrees. A mirror turns each into its opposite along
/// the mirrored axis, and reverses the sense of rotation.
pub fn back_offset_transform(axis: TurnAxis, dx: Pt, dy: Pt, angle: f64, sheet: Size) -> Transform {
    let (bx, by) = match axis {
        TurnAxis::Vertical => (-dx, dy),
        TurnAxis::Horizontal => (dx, -dy),
    };
    let centre = Point::new(sheet.w / 2.0, sheet.h / 2.0);
    Transform::translate(bx, by).after(&Transform::rotate_about(-angle, centre))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_rotations_follow_the_mirror() {
        assert_eq!(back_rotation(Rotation::R0, TurnAxis::Vertical), Rotation::R0);
        assert_eq!(back_rotation(Rotation::R0, TurnAxis::Horizontal), Rotation::R180);
        assert_eq!(back_rotation(Rotation::R90, TurnAxis::Vertical), Rotation::R270);
        assert_eq!(back_rotation(Rotation::R90, TurnAxis::Horizontal), Rotation::R90);
    }

    #[test]
    fn offset_seen_from_the_front_flips_sign_on_the_mirrored_axis() {
        let sheet = Size { w: Pt(600.0), h: Pt(800.0) };
        // A back point that should sit behind front point f: with +2 pt right (seen from front),
        // the back page moves it −2 pt for a vertical-axis turn.
        let f = Point::new(Pt(100.0), Pt(100.0));
        let b = TurnAxis::Vertical.behind(f, sheet);
        let t = back_offset_transform(TurnAxis::Vertical, Pt(2.0), Pt(3.0), 0.0, sheet);
        let moved = TurnAxis::Vertical.behind(t.apply(b), sheet);
        assert!((moved.x.0 - 102.0).abs() < 1e-9 && (moved.y.0 - 103.0).abs() < 1e-9);
        let b = TurnAxis::Horizontal.behind(f, sheet);
        let t = back_offset_transform(TurnAxis::Horizontal, Pt(2.0), Pt(3.0), 0.0, sheet);
        let moved = TurnAxis::Horizontal.behind(t.apply(b), sheet);
        assert!((moved.x.0 - 102.0).abs() < 1e-9 && (moved.y.0 - 103.0).abs() < 1e-9);
    }

    #[test]
    fn placement_keeps_the_frame_in_its_box() {
        let size = Size { w: Pt(10.0), h: Pt(20.0) };
        let at = Point::new(Pt(100.0), Pt(50.0));
        for r in [Rotation::R0, Rotation::R90, Rotation::R180, Rotation::R270] {
            let t = r.place(size, at);
            let (bw, bh) = if r.is_quarter() { (20.0, 10.0) } else { (10.0, 20.0) };
            for p in [(0.0, 0.0), (10.0, 0.0), (0.0, 20.0), (10.0, 20.0)] {
                let q = t.apply(Point::new(Pt(p.0), Pt(p.1)));
                assert!(q.x.0 >= 100.0 - 1e-9 && q.x.0 <= 100.0 + bw + 1e-9, "{r:?} {q:?}");
                assert!(q.y.0 >= 50.0 - 1e-9 && q.y.0 <= 50.0 + bh + 1e-9, "{r:?} {q:?}");
            }
        }
    }
}
