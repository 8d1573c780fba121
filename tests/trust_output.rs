//! Output integrity (issue #12): job tickets always describe exactly the files beside them, a run
//! changes all at once or not at all, no temporary files survive errors, panics or SIGTERM,
//! `check` refuses what `build` refuses, and the summary counts the warnings that were printed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::SystemTime;

use crate::common::{TempProject, card, deck, stderr};
use tryksag::build::sha256_hex;

/// `tryksag <args> --root <p>` with extra environment variables.
fn run_env(p: &TempProject, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tryksag"));
    c.args(args).arg("--root").arg(p.dir.path()).env_remove("SOURCE_DATE_EPOCH").env_remove("TRYKSAG_TEST_PANIC");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Every file under `dir`, relative, with its bytes and modification time.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, SystemTime)> {
    let mut m = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let meta = std::fs::metadata(&p).unwrap();
                m.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    (std::fs::read(&p).unwrap(), meta.modified().unwrap()),
                );
            }
        }
    }
    m
}

/// No temporary file or staging folder anywhere in the output folder.
fn assert_no_temp(p: &TempProject) {
    let mut todo = vec![p.path("output")];
    while let Some(d) = todo.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            assert!(!name.starts_with('.') && !name.contains(".tmp"), "temporary file left: {}", e.path().display());
            if e.path().is_dir() {
                todo.push(e.path());
            }
        }
    }
}

/// Every run folder with a ticket: each listed file exists with its checksum, no PDF is unlisted,
/// and there is no ticket half (JSON without PDF or the other way round). Returns the folders.
fn assert_tickets_consistent(p: &TempProject) -> Vec<String> {
    let mut folders = Vec::new();
    let Ok(rd) = std::fs::read_dir(p.path("output")) else { return folders };
    for e in rd {
        let dir = e.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let (json, pdf) = (dir.join("jobseddel.json"), dir.join("jobseddel.pdf"));
        assert_eq!(json.exists(), pdf.exists(), "{name}: a ticket without its other half");
        let pdfs: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".pdf") && n != "jobseddel.pdf")
            .collect();
        if !json.exists() {
            assert!(pdfs.is_empty(), "{name}: files without a ticket: {pdfs:?}");
            continue;
        }
        let t: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let mut listed = Vec::new();
        let printed = t["items"].as_array().unwrap();
        for it in printed.iter().chain(t["downloads"].as_array().unwrap()) {
            let f = it["file"].as_str().unwrap();
            let bytes = std::fs::read(dir.join(f)).unwrap_or_else(|_| panic!("{name}: listed file {f} is missing"));
            assert_eq!(it["sha256"].as_str().unwrap(), sha256_hex(&bytes), "{name}/{f}: checksum");
            listed.push(f.to_string());
        }
        for f in &pdfs {
            assert!(listed.contains(f), "{name}: {f} is not on the ticket {listed:?}");
        }
        folders.push(name);
    }
    folders.sort();
    folders
}

#[test]
fn a_partial_build_leaves_every_ticket_consistent() {
    let p = TempProject::copy();
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = snapshot(&p.path("output/hovedstaden"));
    // A changed deck, rebuilt alone: its default files and the runs made of it alone change.
    p.edit("decks/dialogkort.json", |s| s.replacen("\"title\": \"Dagsformen\"", "\"title\": \"Dagsform\"", 1));
    let office_before = std::fs::read(p.path("output/kontor-hovedstaden/dialogkort-a4.pdf")).unwrap();
    let o = p.run(&["build", "dialogkort"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(assert_tickets_consistent(&p).len(), 7);
    assert_eq!(snapshot(&p.path("output/hovedstaden")), before, "a run with other products stays untouched");
    assert_ne!(std::fs::read(p.path("output/kontor-hovedstaden/dialogkort-a4.pdf")).unwrap(), office_before);
    assert!(!stdout(&o).contains("output/hovedstaden/"), "{}", stdout(&o));
    // Named with --run, the run is rebuilt whole, and its ticket still lists all its files.
    let o = p.run(&["build", "dialogkort", "--run", "hovedstaden"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("hovedstaden/jobcenter-folder-print.pdf"), "{}", stdout(&o));
    assert_ne!(snapshot(&p.path("output/hovedstaden")), before);
    assert_tickets_consistent(&p);
    // A product dropped from a run disappears from its folder with it.
    p.edit("layouts/runs/hovedstaden.json", |s| {
        s.replace(",\n    { \"product\": \"jobcenter-folder\", \"quantity\": 1000 }", "")
    });
    let o = p.run(&["build", "--run", "hovedstaden"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!p.path("output/hovedstaden/jobcenter-folder-print.pdf").exists());
    assert_tickets_consistent(&p);
    assert_no_temp(&p);
}

/// A good build, then `change`, then a build that must fail and leave output/ as it was.
fn failing_rebuild_changes_nothing(change: impl FnOnce(&TempProject), env: &[(&str, &str)], expect: &str) {
    let p = TempProject::copy();
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let before = snapshot(&p.path("output/hovedstaden"));
    // The deck changes too, so that rewriting its files would show.
    p.edit("decks/dialogkort.json", |s| s.replacen("\"title\": \"Dagsformen\"", "\"title\": \"Dagsform\"", 1));
    change(&p);
    let o = run_env(&p, &["build"], env);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains(expect), "{}", stderr(&o));
    assert_eq!(snapshot(&p.path("output/hovedstaden")), before, "the failed run's folder changed");
    assert_tickets_consistent(&p);
    assert_no_temp(&p);
}

#[test]
fn a_late_failure_in_one_product_changes_nothing_in_its_run() {
    // The leaflet fails in the PDF/X pass, after layout and rendering.
    failing_rebuild_changes_nothing(
        |p| {
            p.edit("decks/leaflets/jobcenter-folder.json", |s| {
                s.replacen(
                    "\"title\": \"Hvordan skaber man som jobkonsulent en god relation og dialog med borgeren?\"",
                    "\"title\": \" \"",
                    1,
                )
            })
        },
        &[],
        "runs not written because products failed (5 runs: hovedstaden,",
    );
}

/// Gives run `hovedstaden` 14 sheet files of the deck: too many lines for a one-page job ticket.
fn ticket_over_one_page(p: &TempProject) {
    let mut products = Vec::new();
    for i in 0..14 {
        std::fs::copy(p.path("layouts/sheets/a4.json"), p.path(&format!("layouts/sheets/x{i}.json"))).unwrap();
        products.push(format!(
            "{{ \"product\": \"dialogkort\", \"quantity\": 1, \"shape\": \"sheets\", \"sheet\": \"x{i}\" }}"
        ));
    }
    p.edit("layouts/runs/hovedstaden.json", |s| {
        let start = s.find("\"products\"").unwrap();
        format!("{}\"products\": [{}]\n}}\n", &s[..start], products.join(", "))
    });
}

#[test]
fn a_failing_job_ticket_changes_nothing_in_its_run() {
    // Every product succeeds; only the ticket (too many files for one page) fails.
    failing_rebuild_changes_nothing(ticket_over_one_page, &[], "the job ticket needs more than one page");
}

#[test]
fn a_panicking_worker_is_an_internal_error_and_writes_nothing() {
    // After a good build too: the panic comes after the product's files were written (staged).
    failing_rebuild_changes_nothing(
        |_| {},
        &[("TRYKSAG_TEST_PANIC", "jobcenter-folder")],
        "internal error while building jobcenter-folder: test panic requested by TRYKSAG_TEST_PANIC; please report this",
    );
    let p = TempProject::copy();
    let o = run_env(&p, &["build"], &[("TRYKSAG_TEST_PANIC", "jobcenter-folder")]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(!e.contains("panicked at") && !e.contains("RUST_BACKTRACE"), "raw panic output: {e}");
    // One mistake, one error: the panic once (for all the places it happened); that the runs
    // were left as they were is a warning.
    assert_eq!(e.matches("error:").count(), 1, "{e}");
    assert_eq!(e.matches("warning: runs not written").count(), 1, "{e}");
    assert!(e.contains("runs not written because products failed (5 runs: hovedstaden, midtjylland,"), "{e}");
    let mut all = Vec::new();
    let mut todo = vec![p.path("output")];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let q = e.unwrap().path();
            if q.is_dir() {
                todo.push(q.clone());
            }
            all.push(q.strip_prefix(p.path("output")).unwrap().display().to_string());
        }
    }
    assert!(!all.iter().any(|f| f.contains("jobcenter-folder")), "{all:?}");
    assert!(!p.path("output/hovedstaden").exists(), "{all:?}");
    assert!(p.path("output/dialogkort-faces.pdf").exists(), "the other products are built: {all:?}");
    assert_eq!(assert_tickets_consistent(&p), ["kontor-hovedstaden", "kontor-hovedstaden-haefte"]);
    assert_no_temp(&p);
}

#[test]
fn sigterm_during_a_long_build_leaves_no_temp_files_and_no_partial_run() {
    let p = TempProject::copy();
    let cards: Vec<String> = (0..3000).map(|i| card(&format!("k{i}"), &format!("Spørgsmål nummer {i}?"))).collect();
    p.write("decks/dialogkort.json", &deck(&cards.join(",\n")));
    let mut child = Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(["build", "--root"])
        .arg(p.dir.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    // SAFETY: sending a signal to our own child process.
    let sent = unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(sent, 0);
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(143), "stopped by SIGTERM: {status:?}");
    assert_no_temp(&p);
    assert_tickets_consistent(&p);
    // Whatever default file exists is whole.
    for f in p.pdfs() {
        lopdf::Document::load(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
    }
}

/// `check` must fail where `build` fails, with the same errors (apart from "not written").
fn check_refuses_what_build_refuses(change: impl FnOnce(&TempProject), env: &[(&str, &str)]) {
    let p = TempProject::copy();
    change(&p);
    let c = run_env(&p, &["check"], env);
    let b = run_env(&p, &["build"], env);
    assert_eq!(b.status.code(), Some(1), "build: {}", stderr(&b));
    assert_eq!(c.status.code(), Some(1), "check passed what build refuses: {}\nbuild: {}", stderr(&c), stderr(&b));
    let errors = |o: &Output| -> Vec<String> {
        stderr(o)
            .lines()
            .filter(|l| l.starts_with("error:") && !l.contains("not written"))
            .map(str::to_string)
            .collect()
    };
    let (ce, be) = (errors(&c), errors(&b));
    assert!(!be.is_empty());
    for e in &be {
        assert!(ce.contains(e), "check does not report `{e}`:\n{}", stderr(&c));
    }
    assert_tickets_consistent(&p);
    assert_no_temp(&p);
}

#[test]
fn check_refuses_a_bleed_that_does_not_fit_the_pdf() {
    check_refuses_what_build_refuses(
        |p| p.edit("layouts/cards/poker.json", |s| s.replacen("\"bleed\": \"3mm\"", "\"bleed\": \"500mm\"", 1)),
        &[],
    );
}

#[test]
fn check_refuses_a_job_ticket_longer_than_a_page() {
    check_refuses_what_build_refuses(ticket_over_one_page, &[]);
}

#[test]
fn check_refuses_what_the_pdfx_pass_refuses() {
    // A blank title (PDF/X needs one) and a date PDF cannot hold.
    check_refuses_what_build_refuses(
        |p| p.edit("decks/dialogkort.json", |s| s.replacen("\"Dialogkort til jobcentre\"", "\"   \"", 1)),
        &[],
    );
    check_refuses_what_build_refuses(|_| {}, &[("SOURCE_DATE_EPOCH", "99999999999999")]);
}

#[test]
fn the_summary_counts_the_warnings_printed_and_one_warning_stands_for_many_runs() {
    let p = TempProject::copy();
    let o = p.run(&["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = stderr(&o);
    let warnings: Vec<&str> = e.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(
        warnings,
        [
            "warning: sample contact data used in 5 runs: hovedstaden, midtjylland, nordjylland, sjaelland, syddanmark; they must not go to a printer"
        ],
        "{e}"
    );
    let out = stdout(&o);
    // 547 pages: each of the six leaflet download versions is four reflowed A4 pages; the
    // workbook is 20 pages, 10 as press sheets or office spreads, in six places and one office run.
    assert!(out.trim_end().ends_with("57 file(s), 547 page(s), 1 warning(s) above"), "{out}");
    // The warning concerns every file of those runs, and none of the others.
    let row = |file: &str| -> Vec<String> {
        let line = out.lines().find(|l| l.contains(file)).unwrap_or_else(|| panic!("{file} not in {out}"));
        line.split_whitespace().map(str::to_string).collect()
    };
    assert_eq!(row("output/sjaelland/dialogkort-sra3.pdf")[3], "1");
    assert_eq!(row("output/sjaelland/jobseddel.json")[3], "1");
    assert_eq!(row("output/kontor-hovedstaden/dialogkort-a4.pdf")[3], "0");
    assert_eq!(row("output/dialogkort-faces.pdf")[3], "0");
    // Building only runs without sample data says nothing about the others.
    let o = p.run(&["build", "--run", "kontor-hovedstaden"]);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
    assert!(stdout(&o).contains("0 warning(s) above"), "{}", stdout(&o));
}

#[test]
fn the_same_warning_from_every_build_of_a_product_is_one_diagnostic() {
    let p = TempProject::copy();
    // Too small a margin for this printer: marks shortened and no slug, on every sra3 file.
    p.edit("layouts/sheets/sra3.json", |s| s.replacen("\"margin\": 10,", "\"margin\": 4,\n  \"unprintable\": 3,", 1));
    for cmd in ["build", "check"] {
        let o = p.run(&[cmd]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let e = stderr(&o);
        let shortened: Vec<&str> = e.lines().filter(|l| l.contains("crop mark(s) were shortened")).collect();
        assert_eq!(shortened.len(), 1, "{e}");
        assert_eq!(e.matches("no room for the slug line").count(), 1, "{e}");
        assert!(
            e.contains("= in 6 places: deck dialogkort, sheet layout sra3; run hovedstaden, dialogkort: deck dialogkort, sheet layout sra3;")
                && e.contains(" and 2 more"),
            "{e}"
        );
        let printed = e.lines().filter(|l| l.starts_with("warning:")).count();
        let summary = if cmd == "build" {
            format!("{printed} warning(s) above")
        } else {
            format!("check passed: {printed} warning(s)")
        };
        assert!(stdout(&o).contains(&summary), "{}", stdout(&o));
    }
}
