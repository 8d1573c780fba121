//! Writes a benchmark project: `cargo run --release --example bench_project -- <dir> <cards> [seed]`.
#[path = "../tests/common/testdata.rs"]
#[allow(dead_code)]
mod testdata;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(dir), Some(n)) = (args.get(1), args.get(2).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: bench_project <dir> <cards> [seed]");
        std::process::exit(2);
    };
    let seed = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Err(e) = testdata::write_bench_project(repo, std::path::Path::new(dir), n, seed) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
