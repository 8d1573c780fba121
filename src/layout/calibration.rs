//! The content of the duplex calibration sheet: a front with scales of reference ticks and the
//! instructions, a back with ticks shifted by known steps. Held against the light, the back tick
//! that lines up with its front tick gives the correction to write into the sheet layout's
//! `duplex.back_offset`. Impose (`calibrate.rs`) puts the two frames on pages.

use crate::model::SheetLayout;
use crate::model::color::Color;
use crate::model::sheet::Flip;
use crate::text::TextError;
use crate::text::markup::{MarkupError, parse};
use crate::text::{ParaStyle, Typesetter};
use crate::units::{Mm, Point, Pt, Rect};

use super::{Frame, FrameItem, Stroke};

/// Why the calibration sheet's texts could not be set. Display gives the message users see.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CalibrationError {
    /// A text's markup is unbalanced.
    #[error(transparent)]
    Markup(#[from] MarkupError),
    /// A text could not be set (a glyph the fonts lack).
    #[error(transparent)]
    Text(#[from] TextError),
}

/// Steps of the scales in mm, as seen from the front.
pub const STEPS: [f64; 9] = [-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0];
/// Distance between ticks of a scale.
const PITCH_MM: f64 = 9.0;
const TICK_MM: f64 = 9.0;

/// Which way a scale measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    /// Vertical ticks in a row; measures x.
    X,
    /// Horizontal ticks in a column; measures y.
    Y,
}

/// A scale: where its 0 tick sits on the front and what it measures.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    /// Axis measured.
    pub axis: Axis,
    /// Position of the first tick's start on the front.
    pub origin: Point,
    /// Short name printed beside it (e.g. "x øverst").
    pub name: &'static str,
}

fn mm(v: f64) -> Pt {
    Mm(v).to_pt()
}

fn label(v: f64) -> String {
    let s = format!("{:+.1}", v).replace('.', ",").replace('-', "−");
    if v == 0.0 { "0".into() } else { s }
}

/// The four scales: x at top and bottom (their difference reveals an angle), y left and right.
pub fn scales(sheet: &SheetLayout) -> Vec<Scale> {
    let (w, h) = (sheet.size.w, sheet.size.h);
    let span = mm(PITCH_MM * (STEPS.len() - 1) as f64);
    let m = mm(30.0);
    vec![
        Scale { axis: Axis::X, origin: Point::new((w - span) / 2.0, m), name: "x øverst" },
        Scale { axis: Axis::X, origin: Point::new((w - span) / 2.0, h - m - mm(TICK_MM)), name: "x nederst" },
        Scale { axis: Axis::Y, origin: Point::new(m, (h - span) / 2.0), name: "y venstre" },
        Scale { axis: Axis::Y, origin: Point::new(w - m - mm(TICK_MM), (h - span) / 2.0), name: "y højre" },
    ]
}

/// How far apart the two x scales (top and bottom) and the two y scales (left and right) are.
#[must_use]
pub fn scale_distances(sheet: &SheetLayout) -> [Pt; 2] {
    let s = scales(sheet);
    [s[1].origin.y - s[0].origin.y, s[3].origin.x - s[2].origin.x]
}

/// The readings of the four scales, in mm, as the sheet asks for them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Readings {
    /// `x øverst`.
    pub top: f64,
    /// `x nederst`.
    pub bottom: f64,
    /// `y venstre`.
    pub left: f64,
    /// `y højre`.
    pub right: f64,
}

/// The correction the instructions printed on the sheet compute from its readings: `(x mm, y mm,
/// angle °)` to add to `duplex.back_offset`. A back turned by a small angle about the sheet's
/// centre moves the two x scales by the same amount in opposite directions (and the y scales
/// likewise), so the shift is the mean of two opposite scales and the angle their difference
/// over their distance. `(y right − y left)` gives the same angle; the sheet names it as a check.
#[must_use]
pub fn corrections(r: Readings, sheet: &SheetLayout) -> (f64, f64, f64) {
    let [x_dist, _] = scale_distances(sheet).map(|d| d.to_mm().0);
    ((r.top + r.bottom) / 2.0, (r.left + r.right) / 2.0, (r.top - r.bottom) / x_dist * 180.0 / std::f64::consts::PI)
}

/// Tick segment `i` of a scale on the front, or (with `shift`) displaced along the axis.
fn tick(s: &Scale, i: usize, shift: Pt, extend: Pt) -> (Point, Point) {
    let along = mm(PITCH_MM * i as f64) + shift;
    let len = mm(TICK_MM);
    match s.axis {
        Axis::X => (
            Point::new(s.origin.x + along, s.origin.y + extend),
            Point::new(s.origin.x + along, s.origin.y + len + extend),
        ),
        Axis::Y => (
            Point::new(s.origin.x + extend, s.origin.y + along),
            Point::new(s.origin.x + len + extend, s.origin.y + along),
        ),
    }
}

fn line(a: Point, b: Point) -> FrameItem {
    FrameItem::Line { from: a, to: b, stroke: Stroke { color: Color::BLACK, width: Pt(0.3), dash: None } }
}

fn text(
    ts: &Typesetter,
    style: &ParaStyle,
    s: &str,
    at: Point,
    width: Pt,
    items: &mut Vec<FrameItem>,
) -> Result<Pt, CalibrationError> {
    let block = ts.set(&parse(s)?, style, width)?;
    for l in &block.lines {
        for r in &l.runs {
            items.push(FrameItem::Text {
                origin: Point::new(at.x + r.x, at.y + l.baseline),
                run: r.clone(),
                color: Color::BLACK,
            });
        }
    }
    Ok(block.height)
}

/// Lays out the calibration sheet of a sheet layout: its front and its back page as frames of
/// the sheet's size (the back's ticks already mirrored to where they print behind the front).
///
/// # Errors
///
/// When a text cannot be set (a glyph the fonts lack).
pub fn lay_out_calibration(
    sheet: &SheetLayout,
    ts: &Typesetter,
    body: &ParaStyle,
    heading: &ParaStyle,
) -> Result<[Frame; 2], CalibrationError> {
    let size = sheet.size;
    let axis = sheet.turn_axis();
    let mut front = Vec::new();
    let mut back = Vec::new();
    let half = mm(TICK_MM / 2.0);
    let centred = ParaStyle { align: crate::text::Align::Center, ..body.clone() };
    for s in scales(sheet) {
        for (i, v) in STEPS.iter().enumerate() {
            let (a, b) = tick(&s, i, Pt::ZERO, Pt::ZERO);
            front.push(line(a, b));
            // Seen from the front, back tick i sits `v` mm further along the axis, half a tick on.
            let (c, d) = tick(&s, i, mm(*v), half);
            back.push(line(axis.behind(c, size), axis.behind(d, size)));
            let (lab, st) = match s.axis {
                Axis::X => (Point::new(a.x - mm(6.0), b.y + half + mm(1.5)), &centred),
                Axis::Y => (Point::new(b.x + half + mm(1.5), a.y - mm(1.2)), body),
            };
            text(ts, st, &label(*v), lab, mm(12.0), &mut front)?;
        }
        let name_at = match s.axis {
            Axis::X => Point::new(s.origin.x - mm(22.0), s.origin.y + mm(2.0)),
            Axis::Y => Point::new(s.origin.x - mm(4.0), s.origin.y - mm(12.0)),
        };
        text(ts, body, &format!("**{}**", s.name), name_at, mm(20.0), &mut front)?;
    }
    let flip = match sheet.flip {
        Flip::Long => "den lange kant",
        Flip::Short => "den korte kant",
    };
    let (ox, oy, ang) = sheet.back_offset;
    let file = sheet.file.path.display();
    let margin = mm(30.0);
    let mut y = margin + mm(22.0);
    let w = size.w - margin * 2.0;
    y += text(ts, heading, &format!("Kalibrering af bagsiden – {}", sheet.name), Point::new(margin, y), w, &mut front)?
        + mm(3.0);
    let [x_dist, y_dist] = scale_distances(sheet).map(|d| d.to_mm().0);
    let intro = format!(
        "1. Udskriv dette ark dobbeltsidet med de samme indstillinger som kortene: vend på {flip}, 100 % størrelse (ingen tilpasning til siden).\n\
         2. Hold arket op mod lyset med denne side mod dig.\n\
         3. Find på hver skala den streg fra bagsiden, der flugter med en streg på forsiden; tallet under den er skalaens rettelse i mm.\n\
         4. x = (x øverst + x nederst) ÷ 2, y = (y venstre + y højre) ÷ 2. Læg dem til \"back_offset\" i {file}. Nu: x = {:.1}, y = {:.1}, angle = {:.2}.\n\
         5. Er x øverst og x nederst forskellige, er bagsiden drejet: læg (x øverst − x nederst) × 57,3 ÷ {x_dist:.0} til \"angle\" (kontrol: (y højre − y venstre) × 57,3 ÷ {y_dist:.0} giver det samme).\n\
         6. Udskriv arket igen: nu flugter stregerne ved 0 på alle fire skalaer.",
        ox.to_mm().0,
        oy.to_mm().0,
        ang
    );
    text(ts, body, &intro, Point::new(margin, y), w, &mut front)?;
    text(
        ts,
        body,
        &format!("Afstand mellem x-skalaerne: {x_dist:.0} mm · mellem y-skalaerne: {y_dist:.0} mm."),
        Point::new(margin, size.h - margin + mm(14.0)),
        w,
        &mut front,
    )?;
    text(ts, heading, "Bagside", Point::new(margin, margin + mm(22.0)), w, &mut back)?;

    let page_rect = Rect::from_origin_size(Point::default(), size);
    Ok([
        Frame { size, trim: page_rect, items: front, blocks: Vec::new(), shared: None },
        Frame { size, trim: page_rect, items: back, blocks: Vec::new(), shared: None },
    ])
}
