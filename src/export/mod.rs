//! Export: the only stage that touches a PDF library.

pub mod pdf;
pub mod pdfx;
pub mod print;
pub mod screen;
