//! Inputs built to exhaust the machine (a decompression bomb, huge counts, a huge proof) are
//! refused within seconds and under 200 MB, each measured on its own process (`wait4`).
//!
//! A test binary of its own (the others are one, `tests/main.rs`): Linux counts the resident
//! memory of the process that starts a child into the child's peak (it is carried across
//! `exec`), and the shared test binary holds what its other tests built.

mod common;

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TempProject, bomb_png, card, deck, project_with_back_image, stderr};

/// Runs `tryksag <args> --root <p>` as [`TempProject::run`] does; returns its output and the
/// peak resident memory of that process, in MB.
#[allow(clippy::zombie_processes, reason = "reaped by wait4 below, which also gives its rusage")]
fn run_measured(p: &TempProject, args: &[&str]) -> (Output, f64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(args)
        .arg("--root")
        .arg(p.dir.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let read = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            r.read_to_end(&mut v).unwrap();
            v
        })
    };
    let out = read(Box::new(child.stdout.take().unwrap()));
    let err = read(Box::new(child.stderr.take().unwrap()));
    let mut status = 0;
    // SAFETY: wait4 writes only into the status and the struct it is given; the child is ours
    // and not waited for elsewhere.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut u) };
    assert_eq!(pid, child.id() as libc::pid_t);
    let o = Output {
        status: std::process::ExitStatus::from_raw(status),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    };
    (o, u.ru_maxrss as f64 / 1024.0) // kilobytes on Linux
}

/// Runs a case that must be refused; returns how long it took and its peak memory in MB.
fn refused_quickly(what: &str, p: &TempProject, args: &[&str], code: i32, message: &str) -> (Duration, f64) {
    let started = Instant::now();
    let (o, peak) = run_measured(p, args);
    let took = started.elapsed();
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "{what}: {e}");
    assert!(e.contains(message), "{what}: expected `{message}` in:\n{e}");
    assert!(!e.contains("panicked"), "{what}: {e}");
    assert!(p.pdfs().is_empty(), "{what}: a PDF was written");
    assert!(took < Duration::from_secs(10), "{what}: took {took:?}");
    assert!(peak < 200.0, "{what}: took {peak:.0} MB");
    (took, peak)
}

#[test]
fn bombs_and_huge_counts_are_refused_in_seconds_and_little_memory() {
    // A card back naming a PNG that declares 100 000 × 100 000 pixels (30 GB decoded).
    let p = project_with_back_image("images/bomb.png");
    std::fs::write(p.path("images/bomb.png"), bomb_png(100_000, 100_000)).unwrap();
    refused_quickly("bomb", &p, &["build"], 1, "more than the 100 megapixels allowed");

    // Counts: one card printed 10¹² times; 150 cards × 100 copies; a run of 10¹⁵.
    let c = card("a", "Hvordan går det?").replace("\"fields\"", "\"copies\": 1000000000000, \"fields\"");
    let p = TempProject::with_deck(&deck(&c));
    refused_quickly("copies", &p, &["build"], 1, "`copies` must be at least 1 and at most 100");
    let many: Vec<String> = (0..150)
        .map(|i| card(&format!("k{i}"), "Hvordan går det?").replace("\"fields\"", "\"copies\": 100, \"fields\""))
        .collect();
    let p = TempProject::with_deck(&deck(&many.join(",\n")));
    refused_quickly("printed cards", &p, &["build"], 1, "the deck prints 15000 cards");
    let p = TempProject::copy();
    p.edit("layouts/runs/hovedstaden.json", |s| s.replace("\"quantity\": 1000", "\"quantity\": 1000000000000000"));
    refused_quickly("quantity", &p, &["build", "--run", "hovedstaden"], 1, "`quantity` must be at least 1");

    // 99 000 characters in a box for a few words, allowed to shrink from 200 pt to 4 pt: set by
    // bisection about ten times (a walk down in quarter points set it 785 times, 20 s).
    let long = "Hvordan har du det i dag og hvad tænker du om arbejdet ".repeat(1800);
    let p = TempProject::with_deck(&deck(&card("a", &long[..99_000])));
    p.edit("layouts/cards/poker.json", |s| {
        s.replace("\"size\": \"12pt\", \"leading\": \"15pt\"", "\"size\": \"200pt\"").replacen(
            "\"style\": \"question\", \"min_size\": \"10pt\"",
            "\"style\": \"question\", \"min_size\": \"4pt\"",
            1,
        )
    });
    let (took, _) = refused_quickly("long text", &p, &["check"], 1, "too tall at 4.00 pt");
    assert!(took < Duration::from_secs(5), "auto-fit of a long text took {took:?}");

    // A proof at an absurd resolution is a usage error before anything is rendered.
    let p = TempProject::copy();
    let (_, peak) = refused_quickly("dpi", &p, &["proof", "--dpi", "1000000000"], 2, "dpi");
    eprintln!("peak memory of the last refused case: {peak:.0} MB");
}
