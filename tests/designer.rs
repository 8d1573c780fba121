//! Designer workflow: machine-readable check output and the watch loop.

use crate::common::{TempProject, card, deck};
use std::time::{Duration, Instant};

#[test]
fn check_json_parses_and_carries_locations() {
    let p = TempProject::with_deck(&deck(&format!(
        "{},\n{}",
        card("a", "☃"),
        card("b", "Fint").replace("\"nu\"", "\"nuu\"")
    )));
    let o = p.run(&["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(v["errors"], 2);
    let diags = v["diagnostics"].as_array().unwrap();
    let cat = diags.iter().find(|d| d["message"].as_str().unwrap().contains("unknown category")).unwrap();
    assert_eq!(cat["severity"], "error");
    assert_eq!(cat["file"], "decks/d.json");
    assert_eq!(cat["path"], "cards[1].category");
    assert!(cat["line"].as_u64().unwrap() > 1 && cat["column"].as_u64().unwrap() > 1);
    assert!(cat["hint"].as_str().unwrap().contains("did you mean `nu`?"));
    let glyph = diags.iter().find(|d| d["message"].as_str().unwrap().contains("U+2603")).unwrap();
    assert_eq!(glyph["path"], "cards[0].fields.question");
    assert!(glyph["subject"].as_str().unwrap().contains("card a"));
    // A clean project gives an empty list and exit 0.
    let ok = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    let o = ok.run(&["check", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["errors"], 0);
}

fn wait_for(mut f: impl FnMut() -> bool, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn watch_rebuilds_after_a_change_and_survives_errors() {
    let p = TempProject::with_deck(&deck(&card("a", "Hvordan går det?")));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(["watch", "--root"])
        .arg(p.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let out = p.path("output/d-faces.pdf");
    let text = |path: &std::path::Path| {
        lopdf::Document::load(path).ok().and_then(|d| d.extract_text(&[1]).ok()).unwrap_or_default()
    };
    let first = wait_for(|| out.exists(), Duration::from_secs(60));
    // An error in between must not stop the watcher.
    std::thread::sleep(Duration::from_millis(400));
    p.edit("decks/d.json", |s| s.replace("Hvordan går det?", "**ulukket"));
    std::thread::sleep(Duration::from_millis(1500));
    p.edit("decks/d.json", |s| s.replace("**ulukket", "Hvad fylder mest lige nu?"));
    let rebuilt = wait_for(|| text(&out).contains("fylder"), Duration::from_secs(60));
    let _ = child.kill();
    let _ = child.wait();
    assert!(first, "the first build did not happen");
    assert!(rebuilt, "the change was not rebuilt: {}", text(&out));
}

/// Temporary files (`.name.tmpPID`, staging folders) left in `dir` or below.
fn temp_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.contains(".tmp") {
                found.push(e.path());
            }
            if e.path().is_dir() {
                todo.push(e.path());
            }
        }
    }
    found
}

#[test]
fn ctrl_c_stops_the_watcher_at_once_and_cleanly() {
    let cards: Vec<String> = (0..400).map(|i| card(&format!("k{i}"), &format!("Spørgsmål nummer {i}?"))).collect();
    let p = TempProject::with_deck(&deck(&cards.join(",\n")));
    // Stopped while waiting, and stopped in the middle of the rebuild an edit started.
    for during_build in [false, true] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
            .args(["watch", "--root"])
            .arg(p.dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let out = p.path("output/d-faces.pdf");
        assert!(wait_for(|| out.exists(), Duration::from_secs(60)), "the first build did not happen");
        std::thread::sleep(Duration::from_millis(500));
        if during_build {
            p.edit("decks/d.json", |s| s.replace("nummer 1?", "nummer én?"));
            // The change settles (250 ms), then the rebuild runs.
            std::thread::sleep(Duration::from_millis(400));
        }
        // SAFETY: sending a signal to our own child process.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) }, 0);
        let stopped = Instant::now();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "stopped by Ctrl-C: {status:?}");
        assert!(stopped.elapsed() < Duration::from_secs(5), "took {:?}", stopped.elapsed());
        assert_eq!(temp_files(&p.path("output")), Vec::<std::path::PathBuf>::new());
        lopdf::Document::load(&out).expect("the PDF is whole");
    }
}
