//! Overprint (tryksag patch).

/// Overprint settings of a graphics state (tryksag patch): whether stroking (`/OP`) and
/// non-stroking (`/op`) operations overprint, and the overprint mode (`/OPM`).
///
/// With overprint on, painting in a process colour space leaves the separations the colour does
/// not name untouched on an output device that separates; with overprint mode 1, a DeviceCMYK
/// component of 0 leaves that separation untouched too (so 100 % K text over a picture prints
/// black over it instead of knocking it out). Viewers that do not simulate overprint show no
/// difference.
#[derive(Debug, Hash, PartialEq, Eq, Clone, Copy)]
pub struct Overprint {
    /// Whether stroking operations overprint (`/OP`).
    pub stroke: bool,
    /// Whether non-stroking (fill) operations overprint (`/op`).
    pub fill: bool,
    /// Overprint mode 1 (`/OPM 1`, nonzero overprint) instead of 0.
    pub nonzero_mode: bool,
}
