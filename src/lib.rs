//! tryksag: card decks and leaflets from JSON to print-ready PDFs.
//!
//! The pipeline is `model → text → layout → impose → export`; each stage returns plain data and
//! only [`export`] touches a PDF library.

// Diagnostics are the one error type and carry their location inline; boxing them buys nothing here.
#![allow(clippy::result_large_err)]

pub mod assets;
pub mod build;
pub mod date;
pub mod diag;
pub mod export;
pub mod files;
pub mod impose;
pub mod layout;
pub mod model;
pub(crate) mod paths;
pub mod proof;
pub mod schema;
pub mod serve;
pub mod text;
pub mod timing;
pub mod units;
pub mod watch;
