//! Every integration test but `trust_limits` in one binary: one link instead of one per file,
//! so `cargo test --release` after `cargo build --release` compiles and links the tests once
//! (`autotests = false` in Cargo.toml). Each file of `tests/` is a module; `cargo test
//! --release booklet::` runs one of them.

/// The allocator of the command line (src/main.rs), so that in-process builds here allocate as
/// the shipped program does (and the fuzz test's hundred builds take less time).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod booklet;
mod booklet_screen;
mod breaks;
mod common;
mod contrast;
mod designer;
mod diagnostics;
mod download;
mod gwg;
mod images;
mod imposition;
mod incremental;
mod keep_together;
mod layering;
mod leaflet;
mod leaflet_balance;
mod overprint;
mod pdf_art;
mod pdfx;
mod print_options;
mod references;
mod reflow;
mod runs;
mod schemas;
mod serve;
mod serve_order;
mod serve_preview;
mod serve_regions;
mod shared_backs;
mod shipped_deck;
mod spreadsheets;
mod streaming;
mod svg;
mod text_engine;
mod text_objects;
mod trust_files;
mod trust_fuzz;
mod trust_messages;
mod trust_numbers;
mod trust_output;
mod typography;
