//! Typed lengths and geometry.
//!
//! Everything after the model stage works in points (`Pt`, 1/72 inch). Frames and pages use a
//! top-left origin with **y growing downwards**, like krilla; only the PDF file itself (written by
//! krilla) flips to PDF's bottom-left origin.

use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

/// Points per millimetre.
pub const PT_PER_MM: f64 = 72.0 / 25.4;

/// A length in millimetres (what designers write).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Mm(pub f64);

/// A length in PostScript points (what PDFs use).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Pt(pub f64);

impl Mm {
    /// Converts to points.
    pub fn to_pt(self) -> Pt {
        Pt(self.0 * PT_PER_MM)
    }
}

impl Pt {
    /// Zero points.
    pub const ZERO: Pt = Pt(0.0);
    /// Converts to millimetres.
    pub fn to_mm(self) -> Mm {
        Mm(self.0 / PT_PER_MM)
    }
    /// The larger of two lengths.
    pub fn max(self, other: Pt) -> Pt {
        Pt(self.0.max(other.0))
    }
    /// The smaller of two lengths.
    pub fn min(self, other: Pt) -> Pt {
        Pt(self.0.min(other.0))
    }
    /// Absolute value.
    pub fn abs(self) -> Pt {
        Pt(self.0.abs())
    }
}

impl From<Mm> for Pt {
    fn from(mm: Mm) -> Pt {
        mm.to_pt()
    }
}

macro_rules! arith {
    ($t:ident) => {
        impl Add for $t {
            type Output = $t;
            fn add(self, o: $t) -> $t {
                $t(self.0 + o.0)
            }
        }
        impl Sub for $t {
            type Output = $t;
            fn sub(self, o: $t) -> $t {
                $t(self.0 - o.0)
            }
        }
        impl AddAssign for $t {
            fn add_assign(&mut self, o: $t) {
                self.0 += o.0;
            }
        }
        impl SubAssign for $t {
            fn sub_assign(&mut self, o: $t) {
                self.0 -= o.0;
            }
        }
        impl Mul<f64> for $t {
            type Output = $t;
            fn mul(self, k: f64) -> $t {
                $t(self.0 * k)
            }
        }
        impl Div<f64> for $t {
            type Output = $t;
            fn div(self, k: f64) -> $t {
                $t(self.0 / k)
            }
        }
        impl Neg for $t {
            type Output = $t;
            fn neg(self) -> $t {
                $t(-self.0)
            }
        }
    };
}
arith!(Mm);
arith!(Pt);

/// A point in a frame or on a page (top-left origin, y down).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    /// Distance from the left edge.
    pub x: Pt,
    /// Distance from the top edge.
    pub y: Pt,
}

impl Point {
    /// A point from two lengths.
    pub fn new(x: Pt, y: Pt) -> Point {
        Point { x, y }
    }
}

/// A width and a height.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Size {
    /// Horizontal extent.
    pub w: Pt,
    /// Vertical extent.
    pub h: Pt,
}

/// An axis-aligned rectangle as a corner pair: `min` is the top-left, `max` the bottom-right corner.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    /// Top-left corner.
    pub min: Point,
    /// Bottom-right corner.
    pub max: Point,
}

impl Rect {
    /// A rectangle from its top-left corner and its size.
    pub fn from_origin_size(origin: Point, size: Size) -> Rect {
        Rect { min: origin, max: Point::new(origin.x + size.w, origin.y + size.h) }
    }
    /// The rectangle's width.
    pub fn width(&self) -> Pt {
        self.max.x - self.min.x
    }
    /// The rectangle's height.
    pub fn height(&self) -> Pt {
        self.max.y - self.min.y
    }
    /// The rectangle's size.
    pub fn size(&self) -> Size {
        Size { w: self.width(), h: self.height() }
    }
    /// Grows (or, negative, shrinks) the rectangle by `d` on every side.
    pub fn inflate(&self, d: Pt) -> Rect {
        Rect { min: Point::new(self.min.x - d, self.min.y - d), max: Point::new(self.max.x + d, self.max.y + d) }
    }
    /// Moves the rectangle by `(dx, dy)`.
    pub fn translate(&self, dx: Pt, dy: Pt) -> Rect {
        Rect { min: Point::new(self.min.x + dx, self.min.y + dy), max: Point::new(self.max.x + dx, self.max.y + dy) }
    }
    /// How far `inner` sticks out of `self` at its worst side (zero or negative when inside).
    pub fn overhang(&self, inner: &Rect) -> Pt {
        [self.min.x - inner.min.x, self.min.y - inner.min.y, inner.max.x - self.max.x, inner.max.y - self.max.y]
            .into_iter()
            .fold(Pt(f64::NEG_INFINITY), Pt::max)
    }
    /// Whether the two rectangles overlap in an area (touching edges do not count).
    pub fn intersects(&self, o: &Rect) -> bool {
        self.min.x.0 < o.max.x.0 && o.min.x.0 < self.max.x.0 && self.min.y.0 < o.max.y.0 && o.min.y.0 < self.max.y.0
    }
}

/// An affine transform: `x' = sx·x + kx·y + tx`, `y' = ky·x + sy·y + ty` (krilla's row order).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transform {
    /// x scale.
    pub sx: f64,
    /// y shear (x contribution to y').
    pub ky: f64,
    /// x shear (y contribution to x').
    pub kx: f64,
    /// y scale.
    pub sy: f64,
    /// x translation.
    pub tx: f64,
    /// y translation.
    pub ty: f64,
}

impl Transform {
    /// The identity.
    pub const IDENTITY: Transform = Transform { sx: 1.0, ky: 0.0, kx: 0.0, sy: 1.0, tx: 0.0, ty: 0.0 };

    /// A translation.
    pub fn translate(dx: Pt, dy: Pt) -> Transform {
        Transform { tx: dx.0, ty: dy.0, ..Transform::IDENTITY }
    }

    /// A rotation by `deg` degrees clockwise (y down) about `c`.
    pub fn rotate_about(deg: f64, c: Point) -> Transform {
        let (s, co) = deg.to_radians().sin_cos();
        // p' = c + R (p − c), with R = [[cos, −sin], [sin, cos]] (clockwise when y points down).
        Transform {
            sx: co,
            ky: s,
            kx: -s,
            sy: co,
            tx: c.x.0 - co * c.x.0 + s * c.y.0,
            ty: c.y.0 - s * c.x.0 - co * c.y.0,
        }
    }

    /// Applies the transform to a point.
    pub fn apply(&self, p: Point) -> Point {
        Point::new(Pt(self.sx * p.x.0 + self.kx * p.y.0 + self.tx), Pt(self.ky * p.x.0 + self.sy * p.y.0 + self.ty))
    }

    /// `self` after `first`: applying the result equals applying `first`, then `self`.
    pub fn after(&self, first: &Transform) -> Transform {
        Transform {
            sx: self.sx * first.sx + self.kx * first.ky,
            ky: self.ky * first.sx + self.sy * first.ky,
            kx: self.sx * first.kx + self.kx * first.sy,
            sy: self.ky * first.kx + self.sy * first.sy,
            tx: self.sx * first.tx + self.kx * first.ty + self.tx,
            ty: self.ky * first.tx + self.sy * first.ty + self.ty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mm_to_pt() {
        assert!((Mm(25.4).to_pt().0 - 72.0).abs() < 1e-9);
        assert!((Pt(72.0).to_mm().0 - 25.4).abs() < 1e-9);
    }

    #[test]
    fn transforms_compose() {
        let r = Transform::rotate_about(90.0, Point::new(Pt(10.0), Pt(10.0)));
        let p = r.apply(Point::new(Pt(20.0), Pt(10.0)));
        // Clockwise with y down: right of the centre goes below it.
        assert!((p.x.0 - 10.0).abs() < 1e-9 && (p.y.0 - 20.0).abs() < 1e-9);
        let t = Transform::translate(Pt(5.0), Pt(0.0)).after(&r);
        assert!((t.apply(Point::new(Pt(20.0), Pt(10.0))).x.0 - 15.0).abs() < 1e-9);
    }

    #[test]
    fn overhang_measures_worst_side() {
        let outer = Rect::from_origin_size(Point::default(), Size { w: Pt(100.0), h: Pt(100.0) });
        let inner = Rect::from_origin_size(Point::new(Pt(-2.0), Pt(10.0)), Size { w: Pt(50.0), h: Pt(95.0) });
        assert_eq!(outer.overhang(&inner), Pt(5.0));
        assert!(outer.overhang(&outer.inflate(Pt(-1.0))).0 < 0.0);
    }
}
