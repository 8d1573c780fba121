//! Small pieces every product build uses: the source date, PDF/X-1a image checks, memory release.

use std::path::Path;
use std::time::UNIX_EPOCH;

use crate::diag::Diagnostic;
use crate::layout::{Frame, FrameItem};
use crate::model::Project;

/// The date stamped into files: `SOURCE_DATE_EPOCH` if set, else the newest input's modification
/// time, never the clock, so rebuilding unchanged inputs gives identical bytes.
pub fn source_date(project: &Project) -> i64 {
    if let Some(v) = source_date_epoch() {
        return v;
    }
    ["decks", "layouts", "fonts"].iter().map(|sub| newest_mtime(&project.root.join(sub))).max().unwrap_or(0)
}

/// `SOURCE_DATE_EPOCH` (Unix seconds), when it is set to a number: the reproducible-builds
/// stand-in for "now".
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse::<i64>().ok())
}

fn newest_mtime(p: &Path) -> i64 {
    let Ok(meta) = std::fs::metadata(p) else { return 0 };
    if meta.is_dir() {
        std::fs::read_dir(p)
            .map(|rd| rd.filter_map(|e| e.ok()).map(|e| newest_mtime(&e.path())).max().unwrap_or(0))
            .unwrap_or(0)
    } else {
        meta.modified().ok().and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs() as i64).unwrap_or(0)
    }
}

/// What PDF/X-1a forbids that a document may contain: transparency (image alpha).
pub fn x1a_problems<'a>(frames: impl IntoIterator<Item = &'a Frame>) -> Vec<Diagnostic> {
    x1a_alpha_errors(alpha_images(frames))
}

/// Paths of the images with an alpha channel that `frames` draw (sorted, once each).
pub fn alpha_images<'a>(frames: impl IntoIterator<Item = &'a Frame>) -> std::collections::BTreeSet<String> {
    let mut seen = std::collections::BTreeSet::new();
    for it in frames.into_iter().flat_map(|f| &f.items) {
        if let FrameItem::Image { asset, .. } = it
            && asset.has_alpha()
        {
            seen.insert(asset.path.display().to_string());
        }
    }
    seen
}

/// The PDF/X-1a errors for images with an alpha channel (by path).
pub fn x1a_alpha_errors(paths: std::collections::BTreeSet<String>) -> Vec<Diagnostic> {
    paths
        .into_iter()
        .map(|p| {
            Diagnostic::error(format!("image {p} has transparency (an alpha channel), which PDF/X-1a forbids"))
                .with_hint("flatten the image onto its background, or use PDF/X-4 (\"pdfx\": \"x4\")")
        })
        .collect()
}

/// Hands memory freed by the layout and the PDF writer back to the system before the PDF/X pass
/// allocates its own, where the allocator is glibc's (a program that links the library without
/// choosing one): glibc keeps freed blocks in per-thread arenas (and, after large frees, stops
/// using mmap for blocks up to 32 MB), so without this the peak RSS of a long deck varied by a
/// third from run to run. The command line's mimalloc purges freed pages itself (`src/main.rs`);
/// there this trims only glibc's own small heap.
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory to the system; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}
