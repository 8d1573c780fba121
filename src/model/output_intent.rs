//! The output condition print files are made for: the ICC output profile, read and checked.

use std::path::Path;
use std::sync::Arc;

use crate::diag::Diagnostic;

/// The CMYK output condition print files are made for.
#[derive(Clone, Debug)]
pub struct OutputIntent {
    /// The ICC output profile bytes.
    pub profile: Arc<Vec<u8>>,
    /// Registered characterisation name, e.g. `FOGRA39`.
    pub identifier: String,
    /// Human-readable condition.
    pub condition: String,
}

/// The default profile shipped in `layouts/profiles/`.
pub const DEFAULT_PROFILE: &str = "layouts/profiles/CoatedFOGRA39.icc";

/// Largest ICC profile read (CMYK output profiles are 0.5–5 MB).
pub const MAX_PROFILE_BYTES: u64 = 32_000_000;

/// Loads and checks an output profile file: inside the project, a CMYK `prtr` profile that moxcms
/// parses and converts with (see [`crate::assets::profile::verify_output_profile`]).
pub fn load_output_intent(
    root: &Path,
    rel: &str,
    identifier: &str,
    condition: &str,
) -> Result<OutputIntent, Diagnostic> {
    let bytes = crate::paths::read_input(root, rel, MAX_PROFILE_BYTES).map_err(|e| {
        Diagnostic::error(e.describe("output profile"))
            .with_hint(format!("{}; print files need a CMYK output profile, the default is {DEFAULT_PROFILE}", e.hint))
    })?;
    crate::assets::profile::verify_output_profile(&bytes).map_err(|e| {
        Diagnostic::error(format!("output profile {rel}: {e}"))
            .with_hint("use a CMYK printer profile (.icc) from the print shop or color.org, e.g. PSOcoated_v3.icc")
    })?;
    Ok(OutputIntent { profile: Arc::new(bytes), identifier: identifier.into(), condition: condition.into() })
}
