//! What can go wrong when writing a PDF. Display gives the short lower-case message users see;
//! build turns it into a located diagnostic.

use std::path::PathBuf;

use super::pdfx::PdfxError;
use super::screen::ScreenError;
use crate::assets::profile::ProfileError;
use crate::units::Rect;

/// An export failure.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A print page without area.
    #[error("empty page")]
    EmptyPage,
    /// A screen page without area (1-based page number).
    #[error("page {0} has an empty media box")]
    EmptyMediaBox(usize),
    /// A page box krilla cannot take.
    #[error("{label}: the {what} has no area or lies beyond any page ({rect:?})")]
    PageBox {
        /// The page's label.
        label: String,
        /// `trim box` or `bleed box`.
        what: &'static str,
        /// The box.
        rect: Rect,
    },
    /// An image krilla cannot embed.
    #[error("cannot embed image {}: {reason}", .path.display())]
    Image {
        /// The image file.
        path: PathBuf,
        /// krilla's reason.
        reason: String,
    },
    /// A font krilla cannot load.
    #[error("krilla cannot load font {}", .0.display())]
    Font(PathBuf),
    /// krilla refused the print document.
    #[error("pdf export failed: {0}")]
    Krilla(String),
    /// The screen version's own problems.
    #[error(transparent)]
    Screen(#[from] ScreenError),
    /// The output profile.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The PDF/X finishing pass.
    #[error(transparent)]
    Pdfx(#[from] PdfxError),
}
