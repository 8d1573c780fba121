//! The GWG 2022 rules checked while laying out: every text run, line, fill and image is checked
//! against the print condition's table (`model::print_condition`) as it is made, so a finding
//! can name the card and field or the leaflet block. The findings come back unlocated; the
//! caller places them (as it does for its other diagnostics). Printer's marks, the slug and the
//! calibration sheet lie outside the trim box and are not laid out here, so they are not checked.

use crate::assets::ImageAsset;
use crate::diag::{Diagnostic, Topic};
use crate::model::color::Color;
use crate::model::overprint::{self, Painted};
use crate::model::print_condition::{GwgRules, ImageLimits, PrintCheck, rule};
use crate::units::{Point, Pt, Rect};

use super::frame::{Artwork, FrameItem};

/// The checks for one print condition.
#[derive(Clone, Copy, Debug)]
pub struct Checker<'a> {
    rules: Option<&'static GwgRules>,
    images: &'static ImageLimits,
    press_spots: &'a [String],
}

impl<'a> Checker<'a> {
    /// The checks `check` asks for.
    #[must_use]
    pub fn new(check: PrintCheck<'a>) -> Checker<'a> {
        Checker { rules: check.condition.rules(), images: check.condition.images(), press_spots: check.press_spots }
    }

    /// Text of `size` in `color`, drawn over `area` of a frame whose earlier items are `beneath`.
    pub fn text(&self, color: &Color, size: Pt, area: Rect, beneath: &[FrameItem], out: &mut Vec<Diagnostic>) {
        let Some(r) = self.rules else { return };
        if size < r.min_text_multi_ink && (inks(color) > 1 || is_white(color)) {
            out.push(found(
                Diagnostic::error(format!(
                    "{:.2} pt text in {}: below the {} pt {} allows for text that is white or in more than one ink",
                    size.0,
                    describe(color),
                    r.min_text_multi_ink.0,
                    r.name
                ))
                .with_hint(format!(
                    "set it at {} pt or larger, or in one ink (100 % K for black)",
                    r.min_text_multi_ink.0
                )),
                rule::SMALL_TEXT,
            ));
        }
        if let Color::Cmyk([_, _, _, k]) = color
            && *k >= r.rich_black_k
            && color.total_ink() > r.rich_black_max_ink + 1e-9
        {
            out.push(found(
                Diagnostic::error(format!(
                    "text in rich black {} has {:.0} % total ink: {} allows at most {:.0} % for black (K ≥ {:.0} %)",
                    describe(color),
                    color.total_ink(),
                    r.name,
                    r.rich_black_max_ink,
                    r.rich_black_k
                ))
                .with_hint("use [0, 0, 0, 100] for black text, or lower C, M and Y"),
                rule::RICH_BLACK,
            ));
        }
        self.ink(color, Painted::Text(size), area, beneath, out);
        self.spot(color, out);
    }

    /// A line or outline of `width` in `color`.
    pub fn stroke(&self, color: &Color, width: Pt, area: Rect, beneath: &[FrameItem], out: &mut Vec<Diagnostic>) {
        let Some(r) = self.rules else { return };
        let several = inks(color) > 1 || is_white(color);
        let min = if several { r.min_line_multi_ink.max(r.min_line) } else { r.min_line };
        if width < min {
            let what = if several { "white or in more than one ink" } else { "in any colour" };
            out.push(found(
                Diagnostic::error(format!(
                    "{:.3} pt line in {}: below the {} pt {} allows for a line {what}",
                    width.0,
                    describe(color),
                    min.0,
                    r.name
                ))
                .with_hint(format!(
                    "make it at least {} pt wide{}",
                    min.0,
                    if several { ", or one ink" } else { "" }
                )),
                rule::THIN_LINES,
            ));
        }
        self.ink(color, Painted::Stroke(width), area, beneath, out);
        self.spot(color, out);
    }

    /// A filled area in `color`.
    pub fn fill(&self, color: &Color, out: &mut Vec<Diagnostic>) {
        self.ink(color, Painted::Fill, Rect::default(), &[], out);
        self.spot(color, out);
    }

    /// An image drawn at `drawn`: its effective resolution (for every condition, `none` with
    /// tryksag's own limits) and the total ink of its pixels.
    pub fn image(&self, a: &ImageAsset, drawn: Rect, out: &mut Vec<Diagnostic>) {
        if let Some(d) = resolution(a, drawn, self.images, self.rules.is_some()) {
            out.push(d);
        }
        let (Some(r), Some(ink)) = (self.rules, a.ink) else { return };
        if ink.max_total > r.max_total_ink + 0.5 {
            // An RGB image tryksag converted holds what the output profile gives (FOGRA39's
            // darkest black is above 320 %): a warning; a CMYK file as supplied: an error.
            let d = if a.converted { Diagnostic::warning } else { Diagnostic::error };
            out.push(found(
                d(format!(
                    "image {} has pixels with {:.0} % total ink: {} allows at most {:.0} %",
                    a.path.display(),
                    ink.max_total,
                    r.name,
                    r.max_total_ink
                ))
                .with_hint("convert the image with the print shop's output profile (or lower its darkest areas)"),
                rule::TOTAL_INK,
            ));
        }
    }

    /// The images embedded in artwork drawn into `drawn`, each at the size it is printed.
    pub fn artwork(&self, art: &Artwork, drawn: Rect, out: &mut Vec<Diagnostic>) {
        if !(art.width > 0.0 && art.height > 0.0) {
            return;
        }
        let (sx, sy) = (drawn.width().0 / art.width, drawn.height().0 / art.height);
        for i in art.images() {
            let t = &i.transform;
            // The image's edges on the page (a rotated or skewed image by their lengths).
            let across = (sx * t.sx * i.width).hypot(sy * t.ky * i.width);
            let down = (sx * t.kx * i.height).hypot(sy * t.sy * i.height);
            let at = Point::new(drawn.min.x + Pt(sx * t.tx), drawn.min.y + Pt(sy * t.ty));
            self.image(&i.asset, Rect { min: at, max: Point::new(at.x + Pt(across), at.y + Pt(down)) }, out);
        }
    }

    fn ink(&self, color: &Color, painted: Painted, area: Rect, beneath: &[FrameItem], out: &mut Vec<Diagnostic>) {
        let Some(r) = self.rules else { return };
        if matches!(color, Color::Registration) {
            return; // refused in content by the model; a mark colour
        }
        let own = color.total_ink();
        // 100 % K that overprints adds its ink to what lies beneath (GWG's overprint rule). A
        // colour on its own is held to the layout's `ink_limit` by the model (300 % unless the
        // designer raises it for the printer's paper), so only overprinting is checked here.
        if !overprint::overprints(color, painted) {
            return;
        }
        let under = beneath_cmy(beneath, area);
        let (total, over) = (own + under, under > 0.0);
        if total > r.max_total_ink + 1e-9 {
            let what = if over {
                format!("overprinting 100 % K over {:.0} % C + M + Y gives {total:.0} % total ink", total - own)
            } else {
                format!("colour {} has {total:.0} % total ink", describe(color))
            };
            out.push(found(
                Diagnostic::error(format!("{what}: {} allows at most {:.0} %", r.name, r.max_total_ink)).with_hint(
                    if over {
                        "lighten the area beneath, or move the black text or line off it"
                    } else {
                        "lower C, M or Y (keep K)"
                    },
                ),
                rule::TOTAL_INK,
            ));
        }
    }

    fn spot(&self, color: &Color, out: &mut Vec<Diagnostic>) {
        let Some(r) = self.rules else { return };
        let Color::Spot { name, .. } = color else { return };
        if self.press_spots.iter().any(|s| s == name) {
            return;
        }
        let d = if r.spots_are_errors {
            Diagnostic::error(format!("spot colour `{name}`: {} prints CMYK only", r.name))
        } else {
            Diagnostic::warning(format!("spot colour `{name}`: {} presses print it from CMYK", r.name))
        };
        out.push(found(
            d.with_hint(format!(
                "use the colour's CMYK values, or name it in the run's \"press_spot_colors\": [\"{name}\"] if the press prints it"
            )),
            rule::SPOT_COLOURS,
        ));
    }
}

fn found(d: Diagnostic, rule: &'static str) -> Diagnostic {
    d.with_rule(rule).with_topic(Topic::PrintRule)
}

/// How many inks the colour prints (white: none).
fn inks(c: &Color) -> usize {
    match c {
        Color::Cmyk(v) => v.iter().filter(|&&x| x > 0.0).count(),
        Color::Spot { tint, .. } => usize::from(*tint > 0.0),
        Color::Registration => 4,
    }
}

fn is_white(c: &Color) -> bool {
    matches!(c, Color::Cmyk(v) if v.iter().all(|&x| x <= 0.0))
}

fn describe(c: &Color) -> String {
    match c {
        Color::Cmyk(v) if v.iter().all(|&x| x <= 0.0) => "white".into(),
        Color::Cmyk(v) => format!("{v:?}"),
        Color::Spot { name, tint, .. } => format!("`{name}` {tint} %"),
        Color::Registration => "registration".into(),
    }
}

/// The most C + M + Y of earlier items that overlap `area`: what lies beneath an overprinting
/// black object.
fn beneath_cmy(items: &[FrameItem], area: Rect) -> f64 {
    let cmy = |c: &Color| match c {
        Color::Cmyk([c, m, y, _]) => c + m + y,
        Color::Spot { .. } => c.total_ink(),
        Color::Registration => 300.0,
    };
    items
        .iter()
        .filter_map(|it| match it {
            FrameItem::Rect { rect, fill: Some(f), .. } if rect.intersects(&area) => Some(cmy(f)),
            FrameItem::Image { rect, clip, asset }
                if rect.intersects(&area) && clip.is_none_or(|c| c.intersects(&area)) =>
            {
                asset.ink.map(|i| i.max_cmy)
            }
            // Artwork by its bounding box, as a rectangle of its inkiest colour or image.
            FrameItem::Vector { rect, clip, art }
                if rect.intersects(&area) && clip.is_none_or(|c| c.intersects(&area)) =>
            {
                art.max_cmy(cmy)
            }
            _ => None,
        })
        .fold(0.0, f64::max)
}

/// The area a line of `width` from `from` to `to` covers (its bounding box).
#[must_use]
pub fn line_area(from: Point, to: Point, width: Pt) -> Rect {
    let h = width / 2.0;
    Rect {
        min: Point::new(from.x.min(to.x) - h, from.y.min(to.y) - h),
        max: Point::new(from.x.max(to.x) + h, from.y.max(to.y) + h),
    }
}

/// Effective resolution at the placed size against `limits`; under a GWG condition the finding
/// names its rule.
fn resolution(a: &ImageAsset, drawn: Rect, limits: &ImageLimits, gwg: bool) -> Option<Diagnostic> {
    let ppi = (a.width as f64 / (drawn.width().0 / 72.0)).min(a.height as f64 / (drawn.height().0 / 72.0));
    let (error, warn) = if a.bilevel {
        (limits.bilevel_error_below, limits.bilevel_warn_below)
    } else {
        (limits.error_below, limits.warn_below)
    };
    let kind = if a.bilevel { "1-bit image" } else { "image" };
    let what = format!(
        "{kind} {} has {ppi:.0} ppi at its placed size ({:.1} × {:.1} mm)",
        a.path.display(),
        drawn.width().to_mm().0,
        drawn.height().to_mm().0
    );
    let hint = format!(
        "print needs {warn:.0} ppi: supply at least {} × {} pixels, or place it smaller",
        (drawn.width().0 / 72.0 * warn).ceil(),
        (drawn.height().0 / 72.0 * warn).ceil()
    );
    let d = if ppi < error {
        Diagnostic::error(format!("{what}: too coarse for print"))
    } else if ppi < warn {
        Diagnostic::warning(format!("{what}: below the {warn:.0} ppi print prefers"))
    } else {
        return None;
    };
    let d = d.with_hint(hint).with_topic(Topic::CoarseImage);
    Some(if gwg { d.with_rule(rule::IMAGE_RESOLUTION) } else { d })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::print_condition::PrintCondition;

    fn sheet() -> Checker<'static> {
        Checker::new(PrintCheck { condition: PrintCondition::Gwg2022SheetCmyk, press_spots: &[] })
    }

    fn area() -> Rect {
        Rect { min: Point::new(Pt(10.0), Pt(10.0)), max: Point::new(Pt(50.0), Pt(20.0)) }
    }

    #[test]
    fn small_text_in_several_inks_or_white_breaks_the_rule_but_one_ink_does_not() {
        let mut out = Vec::new();
        sheet().text(&Color::Cmyk([0.0, 100.0, 100.0, 0.0]), Pt(7.0), area(), &[], &mut out);
        sheet().text(&Color::WHITE, Pt(7.5), area(), &[], &mut out);
        sheet().text(&Color::Cmyk([0.0, 100.0, 0.0, 0.0]), Pt(6.0), area(), &[], &mut out);
        sheet().text(&Color::Cmyk([0.0, 100.0, 100.0, 0.0]), Pt(8.0), area(), &[], &mut out);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out.iter().all(|d| d.rule == Some(rule::SMALL_TEXT) && d.is_error()));
        let none = Checker::new(PrintCheck::NONE);
        let mut out = Vec::new();
        none.text(&Color::WHITE, Pt(4.0), area(), &[], &mut out);
        assert!(out.is_empty());
    }

    #[test]
    fn overprinting_black_adds_the_ink_beneath() {
        let under =
            vec![FrameItem::Rect { rect: area(), fill: Some(Color::Cmyk([100.0, 80.0, 60.0, 0.0])), stroke: None }];
        let mut out = Vec::new();
        sheet().text(&Color::BLACK, Pt(9.0), area(), &under, &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!(out[0].rule, Some(rule::TOTAL_INK));
        assert!(out[0].message.contains("340 % total ink"), "{}", out[0].message);
        // 12 pt black does not overprint, so it knocks out what is beneath.
        let mut out = Vec::new();
        sheet().text(&Color::BLACK, Pt(12.0), area(), &under, &mut out);
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn lines_below_the_minimum_widths() {
        let mut out = Vec::new();
        let a = line_area(Point::new(Pt(0.0), Pt(0.0)), Point::new(Pt(10.0), Pt(0.0)), Pt(0.2));
        sheet().stroke(&Color::BLACK, Pt(0.2), a, &[], &mut out);
        assert!(out.is_empty(), "{out:?}");
        sheet().stroke(&Color::BLACK, Pt(0.1), a, &[], &mut out);
        sheet().stroke(&Color::Cmyk([50.0, 0.0, 0.0, 50.0]), Pt(0.2), a, &[], &mut out);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out.iter().all(|d| d.rule == Some(rule::THIN_LINES)));
    }

    #[test]
    fn spots_need_the_press_to_print_them() {
        let spot = Color::Spot { name: "PANTONE 3145 C".into(), fallback: [100.0, 0.0, 30.0, 20.0], tint: 100.0 };
        let mut out = Vec::new();
        sheet().fill(&spot, &mut out);
        assert_eq!(out.len(), 1);
        assert!(out[0].is_error() && out[0].rule == Some(rule::SPOT_COLOURS));
        let spots = vec!["PANTONE 3145 C".to_string()];
        let mut out = Vec::new();
        Checker::new(PrintCheck { condition: PrintCondition::Gwg2022SheetCmyk, press_spots: &spots })
            .fill(&spot, &mut out);
        assert!(out.is_empty());
    }
}
