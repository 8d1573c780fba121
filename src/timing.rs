//! Stage timings for benchmarks: `TRYKSAG_TIMINGS=1 tryksag build` prints how the CPU time of a
//! build splits over the pipeline stages. Counters are process-wide and cheap (one atomic add).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Pipeline stages.
#[derive(Clone, Copy, Debug)]
pub enum Stage {
    /// Reading and checking JSON, fonts, profiles.
    Load = 0,
    /// Shaping, hyphenation, line breaking.
    Text,
    /// Templates and flow, minus text.
    Layout,
    /// Sheets, marks, folds.
    Impose,
    /// Writing the PDF with krilla.
    Export,
    /// The PDF/X finishing pass.
    Pdfx,
    /// Writing files.
    Write,
}

const NAMES: [&str; 7] = ["load", "text", "layout", "impose", "export (krilla)", "export (pdf/x pass)", "write"];
static NANOS: [AtomicU64; 7] = [const { AtomicU64::new(0) }; 7];

thread_local! {
    /// Time spent in nested timed calls on this thread, so an outer stage counts only its own.
    static NESTED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Runs `f`, adding its duration to `stage`, minus stages timed inside it on the same thread
/// (text inside layout): each stage gets its exclusive time, also when work runs in parallel.
pub fn time<T>(stage: Stage, f: impl FnOnce() -> T) -> T {
    let outer = NESTED.with(|n| n.replace(0));
    let t = Instant::now();
    let r = f();
    let elapsed = t.elapsed().as_nanos() as u64;
    let inner = NESTED.with(|n| n.replace(outer + elapsed));
    NANOS[stage as usize].fetch_add(elapsed.saturating_sub(inner), Ordering::Relaxed);
    r
}

/// A table of the stages' CPU time and share.
pub fn report() -> String {
    let vals: Vec<u64> = NANOS.iter().map(|a| a.load(Ordering::Relaxed)).collect();
    let total: u64 = vals.iter().sum::<u64>().max(1);
    let mut s = String::from("stage                 cpu ms   share\n");
    for (n, v) in NAMES.iter().zip(&vals) {
        s.push_str(&format!("{n:<20} {:>8.1}  {:>5.1} %\n", *v as f64 / 1e6, *v as f64 * 100.0 / total as f64));
    }
    s
}
