//! Export: the only stage that touches a PDF library (krilla writes, lopdf finishes).
//!
//! One drawing path ([`draw`]) puts a document's frame items on krilla surfaces, parameterised
//! by a colour target ([`colour`]): print files in DeviceCMYK and Separation ([`print`]), then
//! made PDF/X by the finishing pass ([`pdfx`]); screen files in sRGB, tagged and accessible
//! ([`screen`]). Nothing of krilla's or lopdf's leaves this room: callers pass a document and a
//! target and get bytes or an [`ExportError`].

mod colour;
mod draw;
mod error;
mod geom;
mod images;
pub(crate) mod pdfx;
mod print;
pub(crate) mod screen;

pub use error::ExportError;
pub use pdfx::warm_profile;
pub use print::{PrintTarget, PrintWriter, finish_pdfx, finish_pdfx_for, write_print_pdf, write_unfinished_pdf};
pub use screen::{ScreenTarget, write_screen_pdf};
