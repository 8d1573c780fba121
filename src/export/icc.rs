//! Output profiles are checked in full before any file names one as its output intent: parsed by
//! moxcms, a CMYK output (`prtr`) profile, and able to convert colours both ways.

use super::PerProfile;

/// Checks an ICC output profile: the header (see [`super::pdfx::check_output_profile`]), a full
/// parse, and working CMYK → sRGB and sRGB → CMYK transforms whose results make sense (no ink is
/// light, full black is dark). The result is cached per profile for the process. Errors are short
/// lower-case reasons.
pub fn verify_output_profile(profile: &[u8]) -> Result<(), String> {
    super::pdfx::check_output_profile(profile)?;
    static CHECKED: PerProfile<()> = PerProfile::new();
    CHECKED.get_or_make(profile, || verify_transforms(profile))
}

fn verify_transforms(profile: &[u8]) -> Result<(), String> {
    let cmyk = moxcms::ColorProfile::new_from_slice(profile)
        .map_err(|e| format!("the profile is damaged: moxcms cannot read it ({e:?})").to_lowercase())?;
    if cmyk.profile_class != moxcms::ProfileClass::OutputDevice || cmyk.color_space != moxcms::DataColorSpace::Cmyk {
        return Err("the profile is not a cmyk output (prtr) profile".into());
    }
    let srgb = moxcms::ColorProfile::new_srgb();
    let opts = |intent| moxcms::TransformOptions { rendering_intent: intent, ..Default::default() };
    let broken = |what: &str, e: moxcms::CmsError| format!("the profile cannot convert {what} ({e:?})").to_lowercase();
    // The transforms the exporters use: the screen versions' own (cached, so checking it costs
    // nothing more when screen files are made) and perceptual sRGB → CMYK as for images.
    let to_rgb = cmyk_to_srgb(profile)?;
    let to_cmyk = srgb
        .create_transform_8bit(
            moxcms::Layout::Rgb,
            &cmyk,
            moxcms::Layout::Rgba,
            opts(moxcms::RenderingIntent::Perceptual),
        )
        .map_err(|e| broken("srgb to cmyk", e))?;
    // moxcms takes CMYK as four 8-bit channels, 0 = no ink.
    let mut rgb = [0u8; 6];
    to_rgb.transform(&[0, 0, 0, 0, 0, 0, 0, 255], &mut rgb).map_err(|e| broken("cmyk to srgb", e))?;
    let mut ink = [0u8; 8];
    to_cmyk.transform(&[255, 255, 255, 0, 0, 0], &mut ink).map_err(|e| broken("srgb to cmyk", e))?;
    let paper_light = rgb[..3].iter().all(|&v| v > 180);
    let black_dark = rgb[3..].iter().all(|&v| v < 110);
    let white_no_ink = ink[..4].iter().map(|&v| u32::from(v)).sum::<u32>() < 40;
    let black_inked = ink[4..].iter().map(|&v| u32::from(v)).sum::<u32>() > 400;
    if !(paper_light && black_dark && white_no_ink && black_inked) {
        return Err(format!(
            "the profile's colour tables are damaged: no ink converts to rgb {:?}, 100 % black to {:?}, white to cmyk {:?}, black to {:?}",
            &rgb[..3],
            &rgb[3..],
            &ink[..4],
            &ink[4..]
        ));
    }
    Ok(())
}

/// The CMYK → sRGB transform of a profile. Building it evaluates the profile into a 4-D table,
/// which took a tenth of a whole default build when every screen file built its own, so each
/// distinct profile is built once per process.
pub(crate) fn cmyk_to_srgb(profile: &[u8]) -> Result<std::sync::Arc<moxcms::Transform8BitExecutor>, String> {
    static CACHE: PerProfile<std::sync::Arc<moxcms::Transform8BitExecutor>> = PerProfile::new();
    CACHE.get_or_make(profile, || {
        let src = moxcms::ColorProfile::new_from_slice(profile)
            .map_err(|e| format!("cannot read the cmyk profile ({e:?})").to_lowercase())?;
        if src.color_space != moxcms::DataColorSpace::Cmyk {
            return Err("the cmyk profile is not a cmyk profile".into());
        }
        let dst = moxcms::ColorProfile::new_srgb();
        let options = moxcms::TransformOptions {
            rendering_intent: moxcms::RenderingIntent::RelativeColorimetric,
            ..Default::default()
        };
        // moxcms takes CMYK as four 8-bit channels (0 = no ink) in the Rgba layout.
        src.create_transform_8bit(moxcms::Layout::Rgba, &dst, moxcms::Layout::Rgb, options)
            .map_err(|e| format!("cannot convert cmyk to srgb ({e:?})").to_lowercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FOGRA39: &[u8] = include_bytes!("../../layouts/profiles/CoatedFOGRA39.icc");

    #[test]
    fn the_shipped_profile_passes_and_damaged_ones_do_not() {
        assert_eq!(verify_output_profile(FOGRA39), Ok(()));
        assert!(verify_output_profile(&FOGRA39[..FOGRA39.len() / 2]).is_err());
        // Tag data overwritten with noise, header intact.
        let mut noisy = FOGRA39.to_vec();
        let mut x = 1u32;
        for b in &mut noisy[400..] {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            *b = (x >> 16) as u8;
        }
        assert!(verify_output_profile(&noisy).is_err());
        let srgb = moxcms::ColorProfile::new_srgb().encode().unwrap();
        assert!(verify_output_profile(&srgb).unwrap_err().contains("mntr"));
    }
}
