//! The rooms of the pipeline only look down: every `crate::` (and, in the CLI, `tryksag::`)
//! path in `src/` is checked against the table of allowed imports in `docs/architecture.md`,
//! and the PDF libraries against the rooms that may use them. A new import against the table
//! fails here with the file and line; change the table only together with the design.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `room: allowed, rooms` lines of the ```layers block, and `extern crate: rooms` lines.
struct Table {
    rooms: BTreeMap<String, BTreeSet<String>>,
    externs: BTreeMap<String, BTreeSet<String>>,
}

fn table() -> Table {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md")).unwrap();
    let block = doc.split("```layers\n").nth(1).expect("docs/architecture.md has a ```layers block");
    let block = &block[..block.find("```").expect("the ```layers block ends")];
    let mut t = Table { rooms: BTreeMap::new(), externs: BTreeMap::new() };
    for line in block.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (head, deps) = line.split_once(':').unwrap_or_else(|| panic!("`{line}`: expected `room: deps`"));
        let deps: BTreeSet<String> =
            deps.split(',').map(str::trim).filter(|d| !d.is_empty() && *d != "-").map(String::from).collect();
        match head.trim().strip_prefix("extern ") {
            Some(krate) => t.externs.insert(krate.trim().to_string(), deps),
            None => t.rooms.insert(head.trim().to_string(), deps),
        };
    }
    t
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The room a source file belongs to: its first component under `src/` (`main.rs` is `cli`).
fn room_of(rel: &Path) -> Option<String> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    match first {
        "lib.rs" => None,
        "main.rs" => Some("cli".into()),
        f => Some(f.trim_end_matches(".rs").to_string()),
    }
}

/// The code of a line without its comment (a `//` outside a string literal).
fn code(line: &str) -> &str {
    let mut in_str = false;
    let b = line.as_bytes();
    for i in 0..b.len() {
        match b[i] {
            b'"' if i == 0 || b[i - 1] != b'\\' => in_str = !in_str,
            b'/' if !in_str && b.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// The rooms a line names: `crate::room` (and `prefix::room`), including `use crate::{a, b::c}`.
fn named_rooms(line: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    let pat = format!("{prefix}::");
    let mut rest = line;
    while let Some(i) = rest.find(&pat) {
        // Not the tail of a longer path (`foo_crate::`).
        let before = rest[..i].chars().next_back();
        rest = &rest[i + pat.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(inner.split(',').map(|p| ident(p.trim())).filter(|s| !s.is_empty()));
        } else {
            let id = ident(rest);
            if !id.is_empty() {
                out.push(id);
            }
        }
    }
    out
}

fn ident(s: &str) -> String {
    s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// External crates a line names as a path (`krilla::`, `use lopdf::…`).
fn named_crates<'a>(line: &str, crates: impl Iterator<Item = &'a String>) -> Vec<String> {
    crates
        .filter(|k| {
            let pat = format!("{k}::");
            line.match_indices(&pat).any(|(i, _)| {
                !line[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
            })
        })
        .cloned()
        .collect()
}

fn violations() -> Vec<String> {
    let t = table();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rs_files(&src, &mut files);
    files.sort();
    let mut bad = Vec::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap();
        let Some(room) = room_of(rel) else { continue };
        let Some(allowed) = t.rooms.get(&room) else {
            bad.push(format!("src/{}: room `{room}` is not in the table of docs/architecture.md", rel.display()));
            continue;
        };
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let line = code(line);
            let prefix = if room == "cli" { "tryksag" } else { "crate" };
            for dep in named_rooms(line, prefix) {
                if dep != room && !allowed.contains(&dep) && t.rooms.contains_key(&dep) {
                    bad.push(format!("src/{}:{}: `{room}` imports `{dep}`", rel.display(), n + 1));
                } else if !t.rooms.contains_key(&dep) && dep != room && prefix == "crate" && dep != "self" {
                    bad.push(format!("src/{}:{}: `{dep}` is not a room of the table", rel.display(), n + 1));
                }
            }
            for krate in named_crates(line, t.externs.keys()) {
                if !t.externs[&krate].contains(&room) {
                    bad.push(format!("src/{}:{}: `{room}` uses the crate `{krate}`", rel.display(), n + 1));
                }
            }
        }
    }
    bad
}

#[test]
fn every_room_imports_only_what_the_table_allows() {
    let bad = violations();
    assert!(bad.is_empty(), "imports against docs/architecture.md:\n{}", bad.join("\n"));
}

#[test]
fn the_table_is_a_pipeline_without_cycles() {
    let t = table();
    // Depth-first: a room may not reach itself through what it is allowed to import.
    fn reaches(t: &Table, from: &str, target: &str, seen: &mut BTreeSet<String>) -> bool {
        t.rooms
            .get(from)
            .into_iter()
            .flatten()
            .any(|d| d == target || (seen.insert(d.clone()) && reaches(t, d, target, seen)))
    }
    for room in t.rooms.keys() {
        assert!(!reaches(&t, room, room, &mut BTreeSet::new()), "the table lets `{room}` import itself through others");
        for d in &t.rooms[room] {
            assert!(t.rooms.contains_key(d), "`{room}` may import `{d}`, which is not a room");
        }
    }
}

#[test]
fn the_checker_sees_imports_in_all_their_forms() {
    assert_eq!(named_rooms("use crate::model::sheet::TurnAxis;", "crate"), ["model"]);
    assert_eq!(named_rooms("use crate::{layout::Frame, units::Pt};", "crate"), ["layout", "units"]);
    assert_eq!(named_rooms("let x = crate::export::pdfx::finish(a);", "crate"), ["export"]);
    assert_eq!(named_rooms("use tryksag::build::build;", "tryksag"), ["build"]);
    assert!(named_rooms("my_crate::model::x", "crate").is_empty());
    assert_eq!(code("let s = \"a // b\"; // crate::export"), "let s = \"a // b\"; ");
    let k = ["krilla".to_string()];
    assert_eq!(named_crates("use krilla::Document;", k.iter()), ["krilla"]);
    assert!(named_crates("use crate::export::krilla_settings;", k.iter()).is_empty());
}
