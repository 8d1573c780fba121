//! Colour targets: how a print colour becomes a krilla paint, and which data of an image is
//! embedded. Print keeps the colours as they are (DeviceCMYK, Separation for spot colours and
//! registration) with the declared percentages written exactly (75 % is `0.75`), and 100 %
//! black objects overprinting as `model/overprint.rs` says; screen converts them to sRGB through
//! the CMYK output profile (relative colorimetric, so paper white becomes screen white; 8-bit is
//! right there) and never overprints.

use std::collections::HashMap;
use std::sync::Arc;

use krilla::color::separation::{SeparationColorant, SeparationSpace};
use krilla::color::{cmyk, rgb, separation};
use krilla::image::Image;
use krilla::paint::Paint;

use super::ExportError;
use super::images::{original_image, print_image, raster_image};
use crate::assets::ImageAsset;
use crate::assets::pdf_art::PdfArt;
use crate::assets::profile::{ProfileError, cmyk_to_srgb};
use crate::layout::ArtPaint;
use crate::model::color::Color;
use crate::model::overprint::{self, Painted};

/// What the one drawing path ([`super::draw`]) asks of a colour target.
pub(crate) trait ColourTarget {
    /// The paint of a colour.
    fn paint(&mut self, c: &Color) -> Paint;
    /// The paint of a colour of vector artwork (print: its print colour).
    fn art_paint(&mut self, p: &ArtPaint) -> Paint {
        self.paint(&p.print)
    }
    /// The image krilla embeds for an asset.
    fn image(&self, asset: &Arc<ImageAsset>) -> Result<Image, ExportError>;
    /// How a page of PDF artwork is drawn: embedded as it is (print), or as an image.
    fn pdf_page(&self, art: &Arc<PdfArt>) -> Result<PdfDraw, ExportError>;
    /// Whether an object painted so in colour `c` overprints (never, unless a target says so).
    fn overprints(&self, _c: &Color, _painted: Painted) -> bool {
        false
    }
}

/// A percentage (0–100) as the fraction krilla writes: 75 becomes 0.75, 74.9 becomes 0.749.
fn fraction(v: f64) -> f32 {
    (v.clamp(0.0, 100.0) / 100.0) as f32
}

/// A CMYK colour in percentages, exactly.
fn exact_cmyk([c, m, y, k]: [f64; 4]) -> cmyk::Color {
    cmyk::Color::new_f32(fraction(c), fraction(m), fraction(y), fraction(k))
}

/// Print colours: DeviceCMYK, and Separation for spot colours and registration, as declared.
pub(crate) struct Print {
    /// Whether 100 % black text and lines overprint by the GWG rule (the layout's
    /// `overprint_black`).
    pub(crate) overprint_black: bool,
    /// Whether PDF artwork may be embedded: not in PDF/X-1a, which forbids transparency groups
    /// and every embedded page is one (krilla isolates it, as LaTeX does).
    pub(crate) pdf_art: bool,
}

/// How a page of PDF artwork is drawn.
#[derive(Clone)]
pub(crate) enum PdfDraw {
    /// As a form XObject made from the page (its content and resources copied).
    Page(krilla::pdf::PdfDocument),
    /// As an image.
    Image(Image),
}

impl ColourTarget for Print {
    fn paint(&mut self, c: &Color) -> Paint {
        match c {
            Color::Cmyk(v) => exact_cmyk(*v).into(),
            Color::Spot { name, fallback, tint } => {
                let space =
                    SeparationSpace::new(SeparationColorant::Custom(name.clone()), exact_cmyk(*fallback).into());
                krilla::color::Color::from(separation::Color::new_f32(fraction(*tint), space)).into()
            }
            Color::Registration => {
                let space =
                    SeparationSpace::new(SeparationColorant::AllColorants, cmyk::Color::new(255, 255, 255, 255).into());
                krilla::color::Color::from(separation::Color::new(255, space)).into()
            }
        }
    }

    fn image(&self, asset: &Arc<ImageAsset>) -> Result<Image, ExportError> {
        print_image(asset)
    }

    fn pdf_page(&self, art: &Arc<PdfArt>) -> Result<PdfDraw, ExportError> {
        if !self.pdf_art {
            return Err(ExportError::PdfArt {
                path: art.path.clone(),
                page: art.page,
                reason: "pdf/x-1a files cannot embed pdf pages (each is a transparency group); use pdf/x-4".into(),
            });
        }
        Ok(PdfDraw::Page(krilla::pdf::PdfDocument::new(art.pdf.clone())))
    }

    fn overprints(&self, c: &Color, painted: Painted) -> bool {
        self.overprint_black && overprint::overprints(c, painted)
    }
}

/// Screen colours: print colours converted to sRGB through the CMYK profile, each colour once.
pub(crate) struct Screen {
    transform: Arc<moxcms::Transform8BitExecutor>,
    cache: HashMap<[u8; 4], rgb::Color>,
}

impl Screen {
    /// Colours for the print colours of `profile`.
    pub(crate) fn new(profile: &[u8]) -> Result<Screen, ProfileError> {
        Ok(Screen { transform: cmyk_to_srgb(profile)?, cache: HashMap::new() })
    }

    /// The sRGB colour of a print colour.
    fn rgb(&mut self, c: &Color) -> rgb::Color {
        let Some(cmyk) = c.cmyk_bytes() else { return rgb::Color::black() };
        if let Some(hit) = self.cache.get(&cmyk) {
            return *hit;
        }
        let mut out = [0u8; 3];
        let color = match self.transform.transform(&cmyk, &mut out) {
            Ok(()) => rgb::Color::new(out[0], out[1], out[2]),
            // Not expected with a valid profile; a naive conversion keeps the export going.
            Err(_) => {
                let [c, m, y, k] = cmyk.map(|v| 1.0 - f32::from(v) / 255.0);
                let f = |v: f32| (v * k * 255.0).round() as u8;
                rgb::Color::new(f(c), f(m), f(y))
            }
        };
        self.cache.insert(cmyk, color);
        color
    }
}

impl ColourTarget for Screen {
    fn paint(&mut self, c: &Color) -> Paint {
        self.rgb(c).into()
    }

    /// The artwork's own sRGB: the download version shows the SVG as drawn.
    fn art_paint(&mut self, p: &ArtPaint) -> Paint {
        let [r, g, b] = p.screen;
        rgb::Color::new(r, g, b).into()
    }

    fn image(&self, asset: &Arc<ImageAsset>) -> Result<Image, ExportError> {
        original_image(asset)
    }

    /// PDF/A-2 and PDF/UA-1 validators cannot vouch for an embedded page (krilla refuses it in
    /// validated files), and the print page is CMYK: screen files show it as sRGB pixels.
    fn pdf_page(&self, art: &Arc<PdfArt>) -> Result<PdfDraw, ExportError> {
        let raster = art.screen_raster().map_err(|reason| ExportError::PdfArt {
            path: art.path.clone(),
            page: art.page,
            reason,
        })?;
        Ok(PdfDraw::Image(raster_image(raster).map_err(|reason| ExportError::PdfArt {
            path: art.path.clone(),
            page: art.page,
            reason,
        })?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> Vec<u8> {
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/layouts/profiles/CoatedFOGRA39.icc")).unwrap()
    }

    #[test]
    fn cmyk_becomes_srgb_through_the_profile() {
        let mut c = Screen::new(&profile()).unwrap();
        let white = c.rgb(&Color::WHITE);
        let black = c.rgb(&Color::BLACK);
        let cyan = c.rgb(&Color::Cmyk([100.0, 0.0, 0.0, 0.0]));
        let reg = c.rgb(&Color::Registration);
        let as_f = |c: rgb::Color| [c.red(), c.green(), c.blue()].map(i32::from);
        // Relative colorimetric: paper white is screen white; 100 % K is a dark grey, not pure black.
        assert!(as_f(white).iter().all(|v| *v >= 250), "{:?}", as_f(white));
        assert!(as_f(black).iter().all(|v| *v < 80), "{:?}", as_f(black));
        let [r, g, b] = as_f(cyan);
        assert!(r < 60 && g > 120 && b > 200, "cyan {:?}", [r, g, b]);
        assert_eq!(as_f(reg), [0, 0, 0]);
        // A 50 % tint of a spot colour is its fallback at half strength.
        let half = c.rgb(&Color::Spot { name: "X".into(), fallback: [100.0, 0.0, 0.0, 0.0], tint: 50.0 });
        assert_eq!(half, c.rgb(&Color::Cmyk([50.0, 0.0, 0.0, 0.0])));
        assert!(c.cache.len() >= 4);
    }

    #[test]
    fn percentages_become_exact_fractions() {
        assert_eq!([-5.0, 0.0, 74.9, 75.0, 100.0, 120.0].map(fraction), [0.0, 0.0, 0.749, 0.75, 1.0, 1.0]);
    }

    #[test]
    fn only_print_overprints_and_only_when_the_layout_lets_it() {
        let small = Painted::Text(crate::units::Pt(9.0));
        assert!(Print { overprint_black: true, pdf_art: true }.overprints(&Color::BLACK, small));
        assert!(!Print { overprint_black: false, pdf_art: true }.overprints(&Color::BLACK, small));
        assert!(!Print { overprint_black: true, pdf_art: true }.overprints(&Color::Cmyk([0.0, 0.0, 0.0, 90.0]), small));
        assert!(!Screen::new(&profile()).unwrap().overprints(&Color::BLACK, small));
    }

    /// A one-page document with a rectangle in 100 % K, drawn with overprint if asked.
    fn krilla_page(settings: krilla::SerializeSettings, overprint: bool) -> krilla::error::KrillaResult<Vec<u8>> {
        use krilla::geom::{PathBuilder, Rect};
        use krilla::overprint::Overprint;
        use krilla::paint::{Fill, FillRule};
        let mut doc = krilla::Document::new_with(settings);
        let mut page = doc.start_page_with(krilla::page::PageSettings::from_wh(100.0, 100.0).unwrap());
        let mut surface = page.surface();
        if overprint {
            surface.push_overprint(Overprint { stroke: false, fill: true, nonzero_mode: true });
        }
        let paint = cmyk::Color::new_f32(0.0, 0.0, 0.0, 1.0).into();
        surface.set_fill(Some(Fill { paint, opacity: krilla::num::NormalizedF32::ONE, rule: FillRule::NonZero }));
        let mut pb = PathBuilder::new();
        pb.push_rect(Rect::from_xywh(10.0, 10.0, 50.0, 50.0).unwrap());
        surface.draw_path(&pb.finish().unwrap());
        if overprint {
            surface.pop();
        }
        surface.finish();
        page.finish();
        doc.finish()
    }

    #[test]
    fn krillas_pdfa_validators_reject_overprint() {
        use krilla::configure::{Archival, ConfigurationBuilder, ValidationError};
        let pdfa = || krilla::SerializeSettings {
            configuration: ConfigurationBuilder::new().with_archival_validator(Archival::A2_B).finish().unwrap(),
            no_device_cs: true,
            cmyk_profile: Some(krilla::icc::ICCProfile::<4>::new(&profile()).unwrap()),
            ..krilla::SerializeSettings::default()
        };
        assert!(krilla_page(pdfa(), false).is_ok());
        match krilla_page(pdfa(), true) {
            Err(krilla::error::KrillaError::Validation(errors)) => {
                assert!(errors.iter().any(|e| matches!(e, (ValidationError::Overprint(_), _))), "{errors:?}");
            }
            other => panic!("PDF/A-2b with overprint mode 1 was accepted: {:?}", other.map(|b| b.len())),
        }
        // Without a validator (print files) the graphics state is written as asked.
        let bytes = krilla_page(krilla::SerializeSettings::default(), true).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/OP false") && text.contains("/op true") && text.contains("/OPM 1"), "{text}");
    }
}
