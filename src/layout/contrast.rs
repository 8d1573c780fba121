//! The contrast of text against what it is printed on: both colours converted from CMYK through
//! the output profile to sRGB (as the download version shows them), compared by WCAG 2's
//! relative luminance. Text under 18 pt (14 pt bold) needs 4.5 : 1, larger text 3 : 1. Checked
//! as text is laid out, beside the GWG rules, so a finding names the card and field.

use std::sync::Arc;

use crate::diag::{Diagnostic, Topic};
use crate::model::color::Color;
use crate::units::{Pt, Rect};

use super::frame::FrameItem;

/// WCAG 2 minimum for normal text.
pub const NORMAL: f64 = 4.5;
/// WCAG 2 minimum for large text (18 pt, or 14 pt bold).
pub const LARGE: f64 = 3.0;

/// The contrast check with the CMYK → sRGB transform of one output profile.
#[derive(Clone)]
pub struct Contrast {
    transform: Arc<moxcms::Transform8BitExecutor>,
}

impl std::fmt::Debug for Contrast {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Contrast")
    }
}

impl Contrast {
    /// The check for colours printed with `profile`; `None` when the profile cannot convert to
    /// sRGB (that is reported where the profile is read).
    #[must_use]
    pub fn new(profile: &[u8]) -> Option<Contrast> {
        crate::assets::profile::cmyk_to_srgb(profile).ok().map(|transform| Contrast { transform })
    }

    /// The sRGB colour of a print colour (`None` for registration, which is no content colour).
    #[must_use]
    pub fn srgb(&self, c: &Color) -> Option<[u8; 3]> {
        let cmyk = c.cmyk_bytes()?;
        let mut out = [0u8; 3];
        self.transform.transform(&cmyk, &mut out).ok()?;
        Some(out)
    }

    /// Text of `size` (`bold`: weight 700 or more) in `color` over `area` of a frame whose earlier
    /// items are `beneath`: a warning when its contrast against the topmost fill beneath (or the
    /// paper) is below WCAG 2's minimum.
    pub fn text(
        &self,
        color: &Color,
        size: Pt,
        bold: bool,
        area: Rect,
        beneath: &[FrameItem],
        out: &mut Vec<Diagnostic>,
    ) {
        let Some(bg) = background(beneath, area) else { return };
        let (Some(fg_rgb), Some(bg_rgb)) = (self.srgb(color), self.srgb(&bg)) else { return };
        let r = ratio(fg_rgb, bg_rgb);
        let large = size.0 >= 18.0 - 1e-9 || bold && size.0 >= 14.0 - 1e-9;
        let min = if large { LARGE } else { NORMAL };
        // Compared as printed in the message (two decimals), so a ratio shown as 4.50 passes.
        if (r * 100.0).round() / 100.0 >= min {
            return;
        }
        let what = if large { "large text (18 pt, or 14 pt bold)" } else { "text under 18 pt (14 pt bold)" };
        out.push(
            Diagnostic::warning(format!(
                "{} text in {} (sRGB {}) on {} (sRGB {}) has a contrast of {r:.2} : 1: WCAG 2 asks {min} : 1 for {what}",
                fmt_size(size),
                describe(color),
                hex(fg_rgb),
                describe(&bg),
                hex(bg_rgb),
            ))
            .with_hint("darken the background or the text (or lighten it), or set the text larger")
            .with_topic(Topic::Contrast),
        );
    }
}

fn fmt_size(size: Pt) -> String {
    format!("{:.1} pt", size.0)
}

fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

fn describe(c: &Color) -> String {
    match c {
        Color::Cmyk(v) if v.iter().all(|&x| x <= 0.0) => "white".into(),
        Color::Cmyk(v) => format!("CMYK {v:?}"),
        Color::Spot { name, tint, .. } => format!("`{name}` {tint} %"),
        Color::Registration => "registration".into(),
    }
}

/// What the text is printed on: the fill of the last (topmost) rectangle beneath that covers the
/// middle of `area`, else the paper. `None` when an image or artwork lies beneath (its pixels or
/// shapes decide).
fn background(items: &[FrameItem], area: Rect) -> Option<Color> {
    let (cx, cy) = ((area.min.x.0 + area.max.x.0) / 2.0, (area.min.y.0 + area.max.y.0) / 2.0);
    let covers = |r: &Rect| r.min.x.0 <= cx && cx <= r.max.x.0 && r.min.y.0 <= cy && cy <= r.max.y.0;
    for it in items.iter().rev() {
        match it {
            FrameItem::Rect { rect, fill: Some(f), .. } if covers(rect) => return Some(f.clone()),
            FrameItem::Image { rect, clip, .. } | FrameItem::Vector { rect, clip, .. }
                if covers(rect) && clip.is_none_or(|c| covers(&c)) =>
            {
                return None;
            }
            _ => {}
        }
    }
    Some(Color::WHITE)
}

/// WCAG 2 relative luminance of an sRGB colour.
fn luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

/// WCAG 2 contrast ratio of two sRGB colours (1 to 21).
#[must_use]
pub fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Point;

    const FOGRA39: &[u8] = include_bytes!("../../layouts/profiles/CoatedFOGRA39.icc");

    fn area() -> Rect {
        Rect { min: Point::new(Pt(10.0), Pt(10.0)), max: Point::new(Pt(50.0), Pt(20.0)) }
    }

    fn band(c: [f64; 4]) -> Vec<FrameItem> {
        let rect = Rect { min: Point::new(Pt(0.0), Pt(0.0)), max: Point::new(Pt(100.0), Pt(40.0)) };
        vec![FrameItem::Rect { rect, fill: Some(Color::Cmyk(c)), stroke: None }]
    }

    #[test]
    fn wcag_ratios() {
        assert!((ratio([255, 255, 255], [0, 0, 0]) - 21.0).abs() < 1e-9);
        assert!((ratio([255, 255, 255], [255, 255, 255]) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54 : 1.
        assert!((ratio([0x76, 0x76, 0x76], [255, 255, 255]) - 4.54).abs() < 0.01);
    }

    #[test]
    fn white_on_a_light_band_is_a_warning_with_its_ratio_and_on_a_dark_band_is_not() {
        let c = Contrast::new(FOGRA39).unwrap();
        let mut out = Vec::new();
        c.text(&Color::WHITE, Pt(8.0), true, area(), &band([75.0, 0.0, 35.0, 10.0]), &mut out);
        assert_eq!(out.len(), 1, "{out:?}");
        let m = &out[0].message;
        assert!(m.contains("white") && m.contains("CMYK [75.0, 0.0, 35.0, 10.0]") && m.contains(" : 1"), "{m}");
        assert!(m.contains("4.5 : 1"), "{m}");
        let mut out = Vec::new();
        c.text(&Color::WHITE, Pt(8.0), true, area(), &band([90.0, 45.0, 40.0, 35.0]), &mut out);
        assert!(out.is_empty(), "{out:?}");
        // Black on paper passes; a pale grey on paper does not.
        c.text(&Color::BLACK, Pt(8.0), false, area(), &[], &mut out);
        assert!(out.is_empty(), "{out:?}");
        c.text(&Color::Cmyk([0.0, 0.0, 0.0, 30.0]), Pt(8.0), false, area(), &[], &mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn large_text_needs_three_to_one() {
        let c = Contrast::new(FOGRA39).unwrap();
        // A mid grey that lies between 3 : 1 and 4.5 : 1 on white.
        let grey = Color::Cmyk([0.0, 0.0, 0.0, 60.0]);
        let r = ratio(c.srgb(&grey).unwrap(), [255, 255, 255]);
        assert!((3.0..4.5).contains(&r), "{r}");
        for (size, bold, warns) in [(12.0, false, true), (18.0, false, false), (14.0, true, false), (14.0, false, true)]
        {
            let mut out = Vec::new();
            c.text(&grey, Pt(size), bold, area(), &[], &mut out);
            assert_eq!(out.len(), usize::from(warns), "{size} pt bold {bold}: {out:?}");
        }
    }
}
