//! The output profile, an input asset like an image: an ICC CMYK output (`prtr`) profile, checked
//! in full before any file names it as its output intent (its header, a moxcms parse, and
//! transforms both ways that make sense), and the CMYK → sRGB transform made from it. Slow
//! results are kept per profile for the process ([`PerProfile`]).

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::{Arc, Mutex, OnceLock};

/// Why an output profile cannot be used. Display gives a short lower-case reason (the ICC
/// signatures keep their case).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// Fewer bytes than an ICC header.
    #[error("not an icc profile: {0} bytes, shorter than the 128-byte header")]
    TooShort(usize),
    /// No `acsp` at offset 36.
    #[error("not an icc profile: no `acsp` signature in the header")]
    NoSignature,
    /// The header declares more bytes than there are.
    #[error("the icc profile is truncated: its header says {declared} bytes, the file has {len}")]
    Truncated {
        /// Size in the header.
        declared: usize,
        /// Bytes present.
        len: usize,
    },
    /// Not a device output profile.
    #[error("profile class is `{0}`, a print run needs a CMYK output (prtr) profile")]
    Class(String),
    /// Not CMYK.
    #[error("profile colour space is `{0}`, a print run needs a CMYK output (prtr) profile")]
    ColourSpace(String),
    /// moxcms cannot parse it.
    #[error("the profile is damaged: moxcms cannot read it ({0})")]
    Damaged(String),
    /// moxcms parses it, but not as a CMYK output profile.
    #[error("the profile is not a cmyk output (prtr) profile")]
    NotCmykOutput,
    /// A transform cannot be built or run.
    #[error("the profile cannot convert {what} ({reason})")]
    Convert {
        /// e.g. `srgb to cmyk`.
        what: &'static str,
        /// moxcms's error, lower case.
        reason: String,
    },
    /// The transforms run, but give nonsense.
    #[error(
        "the profile's colour tables are damaged: no ink converts to rgb {paper:?}, 100 % black to {black:?}, white to cmyk {white:?}, black to {ink:?}"
    )]
    Tables {
        /// RGB of no ink.
        paper: [u8; 3],
        /// RGB of 100 % K.
        black: [u8; 3],
        /// CMYK of sRGB white.
        white: [u8; 4],
        /// CMYK of sRGB black.
        ink: [u8; 4],
    },
    /// Reading the CMYK profile for the screen transform failed.
    #[error("cannot read the cmyk profile ({0})")]
    Unreadable(String),
    /// The screen transform's source is not CMYK.
    #[error("the cmyk profile is not a cmyk profile")]
    NotCmyk,
    /// Building the screen transform failed.
    #[error("cannot convert cmyk to srgb ({0})")]
    NoScreenTransform(String),
    /// A cache lock was poisoned by a panic elsewhere.
    #[error("profile cache poisoned")]
    Poisoned,
}

/// moxcms's error as the lower-case text in messages.
fn cms(e: moxcms::CmsError) -> String {
    format!("{e:?}").to_lowercase()
}

/// A process-wide cache of something slow to derive from an ICC profile (its compressed stream,
/// a colour transform): every file of a run uses the same one or two profiles. Found by a fast
/// hash of the profile's bytes and their length, then by the bytes themselves (a profile is
/// 0.5–1 MB, and std's SipHash over it was a millisecond of every PDF/X pass; comparing is
/// cheaper, and no two profiles can share a value). A caller that asks while another makes the
/// value waits for it instead of making it again.
pub struct PerProfile<T>(OnceLock<Mutex<Slots<T>>>);

/// Each profile's value (by hash and length, then bytes), behind its own lock, held while the
/// value is made.
type Slots<T> = HashMap<(u64, usize), Vec<(Box<[u8]>, Arc<Mutex<Option<T>>>)>>;

impl<T: Clone> PerProfile<T> {
    /// An empty cache (for a `static`).
    #[must_use]
    pub const fn new() -> Self {
        PerProfile(OnceLock::new())
    }

    /// The value for `profile`, made by `make` the first time (errors are not kept: the next
    /// caller tries again).
    ///
    /// # Errors
    ///
    /// `make`'s error, or [`ProfileError::Poisoned`] (turned into `E`).
    pub fn get_or_make<E: From<ProfileError>>(
        &self,
        profile: &[u8],
        make: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, E> {
        let mut h = rustc_hash::FxHasher::default();
        h.write(profile);
        let key = (h.finish(), profile.len());
        let cache = self.0.get_or_init(Default::default);
        let slot = {
            let mut slots = cache.lock().map_err(|_| ProfileError::Poisoned)?;
            let same = slots.entry(key).or_default();
            match same.iter().find(|(bytes, _)| **bytes == *profile) {
                Some((_, slot)) => slot.clone(),
                None => {
                    let slot = Arc::<Mutex<Option<T>>>::default();
                    same.push((profile.into(), slot.clone()));
                    slot
                }
            }
        };
        let mut value = slot.lock().map_err(|_| ProfileError::Poisoned)?;
        if let Some(v) = value.as_ref() {
            return Ok(v.clone());
        }
        let v = make()?;
        *value = Some(v.clone());
        Ok(v)
    }
}

impl<T: Clone> Default for PerProfile<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// The fields of an ICC header that decide whether a profile can be an output intent.
///
/// Read from the 128 header bytes themselves: moxcms keeps its header type private and only
/// parses a whole profile, refusing one with any field it does not know (a zero PCS, a private
/// class) with a bare `InvalidProfile`, and it files ICC v3 under 2.4 and refuses v5 — but the
/// messages must name the class and the exact version. moxcms then parses the profile in full
/// in [`verify_output_profile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IccHeader {
    /// Major version (2, 4, …).
    pub major: u8,
    /// Minor version.
    pub minor: u8,
    class: [u8; 4],
    space: [u8; 4],
}

impl IccHeader {
    /// Reads the header of `data`.
    ///
    /// # Errors
    ///
    /// Too short, no `acsp` signature, or a declared size beyond the data.
    pub fn parse(data: &[u8]) -> Result<Self, ProfileError> {
        if data.len() < 128 {
            return Err(ProfileError::TooShort(data.len()));
        }
        if &data[36..40] != b"acsp" {
            return Err(ProfileError::NoSignature);
        }
        let declared = u32::from_be_bytes([data[0], data[1], data[2], data[3]]) as usize;
        if declared > data.len() {
            return Err(ProfileError::Truncated { declared, len: data.len() });
        }
        let sig = |at: usize| [data[at], data[at + 1], data[at + 2], data[at + 3]];
        Ok(IccHeader { major: data[8], minor: data[9] >> 4, class: sig(12), space: sig(16) })
    }
}

/// A four-byte ICC signature for a message (trailing spaces dropped).
fn signature(sig: [u8; 4]) -> String {
    sig.iter()
        .map(|&b| if b.is_ascii_graphic() || b == b' ' { b as char } else { '?' })
        .collect::<String>()
        .trim_end()
        .to_string()
}

/// Checks that `profile` is an ICC output (class `prtr`) profile with colour space CMYK, and
/// returns its header.
///
/// # Errors
///
/// When the bytes are not an ICC profile (too short, no `acsp` signature, truncated), or the
/// profile is not of class `prtr` with colour space `CMYK`.
pub fn check_output_profile(profile: &[u8]) -> Result<IccHeader, ProfileError> {
    let header = IccHeader::parse(profile)?;
    if &header.class != b"prtr" {
        return Err(ProfileError::Class(signature(header.class)));
    }
    if &header.space != b"CMYK" {
        return Err(ProfileError::ColourSpace(signature(header.space)));
    }
    Ok(header)
}

/// Checks an ICC output profile: the header ([`check_output_profile`]), a full parse, and working
/// CMYK → sRGB and sRGB → CMYK transforms whose results make sense (no ink is light, full black
/// is dark). The result is cached per profile for the process.
///
/// # Errors
///
/// The first thing wrong, as a [`ProfileError`].
pub fn verify_output_profile(profile: &[u8]) -> Result<(), ProfileError> {
    check_output_profile(profile)?;
    static CHECKED: PerProfile<()> = PerProfile::new();
    CHECKED.get_or_make(profile, || verify_transforms(profile))
}

fn verify_transforms(profile: &[u8]) -> Result<(), ProfileError> {
    let cmyk = moxcms::ColorProfile::new_from_slice(profile).map_err(|e| ProfileError::Damaged(cms(e)))?;
    if cmyk.profile_class != moxcms::ProfileClass::OutputDevice || cmyk.color_space != moxcms::DataColorSpace::Cmyk {
        return Err(ProfileError::NotCmykOutput);
    }
    let broken = |what, e| ProfileError::Convert { what, reason: cms(e) };
    // The transforms the exporters use (both cached, so checking them costs nothing more when
    // they are used): the screen versions' own and perceptual sRGB → CMYK as for images.
    // Each takes tens of milliseconds: made side by side.
    let (to_rgb, to_cmyk) = rayon::join(|| cmyk_to_srgb(profile), || srgb_to_cmyk(profile));
    let (to_rgb, to_cmyk) = (to_rgb?, to_cmyk?);
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
        let three = |s: &[u8]| [s[0], s[1], s[2]];
        let four = |s: &[u8]| [s[0], s[1], s[2], s[3]];
        return Err(ProfileError::Tables {
            paper: three(&rgb[..3]),
            black: three(&rgb[3..]),
            white: four(&ink[..4]),
            ink: four(&ink[4..]),
        });
    }
    Ok(())
}

/// The CMYK → sRGB transform of a profile (relative colorimetric: paper white is screen white).
/// Building it evaluates the profile into a 4-D table, which took a tenth of a whole default
/// build when every screen file built its own, so each distinct profile is built once per process.
///
/// # Errors
///
/// When moxcms cannot read the profile, it is not CMYK, or the transform cannot be built.
pub fn cmyk_to_srgb(profile: &[u8]) -> Result<Arc<moxcms::Transform8BitExecutor>, ProfileError> {
    static CACHE: PerProfile<Arc<moxcms::Transform8BitExecutor>> = PerProfile::new();
    CACHE.get_or_make(profile, || {
        let src = moxcms::ColorProfile::new_from_slice(profile).map_err(|e| ProfileError::Unreadable(cms(e)))?;
        if src.color_space != moxcms::DataColorSpace::Cmyk {
            return Err(ProfileError::NotCmyk);
        }
        let dst = moxcms::ColorProfile::new_srgb();
        let options = moxcms::TransformOptions {
            rendering_intent: moxcms::RenderingIntent::RelativeColorimetric,
            ..Default::default()
        };
        // moxcms takes CMYK as four 8-bit channels (0 = no ink) in the Rgba layout.
        src.create_transform_8bit(moxcms::Layout::Rgba, &dst, moxcms::Layout::Rgb, options)
            .map_err(|e| ProfileError::NoScreenTransform(cms(e)))
    })
}

/// The perceptual sRGB → CMYK transform of an output profile, as RGB images and SVG colours
/// are converted (8-bit RGB in; CMYK out as four 8-bit channels in the Rgba layout, 0 = no ink).
/// Building it evaluates the profile into a 3-D table (about 10 ms), so each distinct profile is
/// built once per process: `watch` and `serve` build again after every save.
///
/// # Errors
///
/// When moxcms cannot read the profile, it is not CMYK, or the transform cannot be built.
pub fn srgb_to_cmyk(profile: &[u8]) -> Result<Arc<moxcms::Transform8BitExecutor>, ProfileError> {
    static CACHE: PerProfile<Arc<moxcms::Transform8BitExecutor>> = PerProfile::new();
    CACHE.get_or_make(profile, || {
        let dst = moxcms::ColorProfile::new_from_slice(profile).map_err(|e| ProfileError::Unreadable(cms(e)))?;
        if dst.color_space != moxcms::DataColorSpace::Cmyk {
            return Err(ProfileError::NotCmyk);
        }
        let options =
            moxcms::TransformOptions { rendering_intent: moxcms::RenderingIntent::Perceptual, ..Default::default() };
        moxcms::ColorProfile::new_srgb()
            .create_transform_8bit(moxcms::Layout::Rgb, &dst, moxcms::Layout::Rgba, options)
            .map_err(|e| ProfileError::Convert { what: "srgb to cmyk", reason: cms(e) })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_cache_keeps_one_value_per_distinct_profile() {
        static CACHE: PerProfile<usize> = PerProfile::new();
        let made = std::sync::atomic::AtomicUsize::new(0);
        let make = |v: usize| {
            made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Ok::<_, ProfileError>(v)
        };
        let a = vec![7u8; 4096];
        let mut b = a.clone();
        b[4000] = 8;
        assert_eq!(CACHE.get_or_make(&a, || make(1)), Ok(1));
        // Same length, other bytes: its own value, whatever the hash says.
        assert_eq!(CACHE.get_or_make(&b, || make(2)), Ok(2));
        assert_eq!(CACHE.get_or_make(&a.clone(), || make(3)), Ok(1));
        assert_eq!(CACHE.get_or_make(&b, || make(4)), Ok(2));
        assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 2);
    }

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
        assert!(verify_output_profile(&srgb).unwrap_err().to_string().contains("mntr"));
    }

    #[test]
    fn output_profile_check() {
        let header = check_output_profile(FOGRA39).unwrap();
        assert_eq!((header.major, header.minor), (2, 1));
        let mut fake = FOGRA39[..128].to_vec();
        fake[0..4].copy_from_slice(&128u32.to_be_bytes());
        fake[12..16].copy_from_slice(b"mntr");
        fake[16..20].copy_from_slice(b"RGB ");
        assert_eq!(
            check_output_profile(&fake).unwrap_err().to_string(),
            "profile class is `mntr`, a print run needs a CMYK output (prtr) profile"
        );
        fake[12..16].copy_from_slice(b"prtr");
        assert_eq!(
            check_output_profile(&fake).unwrap_err().to_string(),
            "profile colour space is `RGB`, a print run needs a CMYK output (prtr) profile"
        );
        assert!(check_output_profile(&FOGRA39[..100]).unwrap_err().to_string().contains("not an icc profile"));
        assert!(check_output_profile(&FOGRA39[..1000]).unwrap_err().to_string().contains("truncated"));
        // A header alone passes the header check, but not the full one.
        fake[16..20].copy_from_slice(b"CMYK");
        assert!(check_output_profile(&fake).is_ok());
        assert!(verify_output_profile(&fake).unwrap_err().to_string().starts_with("the profile is damaged"));
    }
}
