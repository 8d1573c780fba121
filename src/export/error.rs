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
    /// PDF artwork where it cannot go (`reason`), or a screen raster of it that failed.
    #[error("cannot place pdf artwork {} (page {page}): {reason}", .path.display())]
    PdfArt {
        /// The artwork file.
        path: PathBuf,
        /// Its page, from 1.
        page: usize,
        /// Why.
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
    /// Drawing a page failed (an image that cannot be embedded, a font): the failure, with the
    /// page and frame it was drawing. The message is the failure's; the caller names the place
    /// (see [`ExportError::drawing`]), e.g. as the diagnostic's subject.
    #[error("{cause}")]
    Drawing {
        /// The page's label ([`crate::impose::Page::label`]).
        page: String,
        /// The placed frame's index ([`crate::impose::Placed::frame`]); `None`: the page's marks.
        frame: Option<usize>,
        /// What failed.
        cause: Box<ExportError>,
    },
}

impl ExportError {
    /// The failure `self`, met while drawing `frame` (or the marks) of the page labelled `page`.
    pub(crate) fn on_page(self, page: &str, frame: Option<usize>) -> ExportError {
        match self {
            located @ ExportError::Drawing { .. } => located,
            cause => ExportError::Drawing { page: page.to_string(), frame, cause: Box::new(cause) },
        }
    }

    /// Where drawing failed: the page's label and the placed frame's index (`None`: the marks),
    /// when the failure happened while drawing a page.
    #[must_use]
    pub fn drawing(&self) -> Option<(&str, Option<usize>)> {
        match self {
            ExportError::Drawing { page, frame, .. } => Some((page, *frame)),
            _ => None,
        }
    }
}
