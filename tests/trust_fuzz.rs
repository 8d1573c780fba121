//! Property test: the shipped JSON files, mutated at random (numbers to extremes, keys removed or
//! renamed, types swapped, strings lengthened, nesting deepened), never make tryksag panic; every
//! case ends in success or in located errors, and a product that fails leaves the files already in
//! the output folder untouched.
//!
//! Cases per run: `TRYKSAG_FUZZ_CASES` (default 80: each is a whole default build, and this test
//! is the last to finish in `cargo test`); the seed is printed and can be replayed with
//! `TRYKSAG_FUZZ_SEED`. Each `cargo test` run takes a new seed, so the cases explored grow with
//! every run while each failure stays reproducible.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::common::TempProject;
use crate::common::testdata::Rng;
use serde_json::Value;
use tryksag::build::{BuildOptions, build};

/// Every JSON input of the project, relative to its root.
fn json_files(root: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<PathBuf> = rd.map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, root, out);
            } else if p.extension().is_some_and(|e| e == "json") {
                out.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(&root.join("decks"), root, &mut out);
    walk(&root.join("layouts"), root, &mut out);
    out
}

/// Paths (as index lists) of every node of a JSON tree.
fn nodes(v: &Value, at: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(at.clone());
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                at.push(i);
                nodes(x, at, out);
                at.pop();
            }
        }
        Value::Object(m) => {
            for (i, x) in m.values().enumerate() {
                at.push(i);
                nodes(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn node<'a>(v: &'a Value, at: &[usize]) -> &'a Value {
    match (at.split_first(), v) {
        (None, _) => v,
        (Some((i, rest)), Value::Array(a)) => node(&a[*i], rest),
        (Some((i, rest)), Value::Object(m)) => node(m.values().nth(*i).unwrap(), rest),
        _ => unreachable!(),
    }
}

fn node_mut<'a>(v: &'a mut Value, at: &[usize]) -> &'a mut Value {
    match at.split_first() {
        None => v,
        Some((i, rest)) => match v {
            Value::Array(a) => node_mut(&mut a[*i], rest),
            Value::Object(m) => node_mut(m.values_mut().nth(*i).unwrap(), rest),
            _ => unreachable!(),
        },
    }
}

const EXTREMES: &[f64] = &[1e308, -1e308, 0.0, -1.0, -0.0001, 1e9, 4_294_967_296.0, 0.0001, 65_536.0, 1e-300, 2.5];

/// Applies one random mutation; returns what it did.
fn mutate(doc: &mut Value, rng: &mut Rng) -> String {
    let mut all = Vec::new();
    nodes(doc, &mut Vec::new(), &mut all);
    // Prefer numbers now and then: they are what the range checks guard.
    let numbers: Vec<&Vec<usize>> = all.iter().filter(|p| node(doc, p).is_number()).collect();
    let at = if !numbers.is_empty() && rng.below(3) == 0 {
        numbers[rng.below(numbers.len())].clone()
    } else {
        all[rng.below(all.len())].clone()
    };
    let node = node_mut(doc, &at);
    match rng.below(7) {
        0 | 1 => {
            let x = EXTREMES[rng.below(EXTREMES.len())];
            *node = serde_json::Number::from_f64(x).map(Value::Number).unwrap_or(Value::Null);
            format!("{at:?} = {x}")
        }
        2 => match node {
            Value::Object(m) if !m.is_empty() => {
                let k = m.keys().nth(rng.below(m.len())).unwrap().clone();
                if rng.below(2) == 0 {
                    m.shift_remove(&k);
                    format!("{at:?}: removed key {k}")
                } else {
                    let v = m.shift_remove(&k).unwrap();
                    m.insert(format!("{k}x"), v);
                    format!("{at:?}: renamed key {k}")
                }
            }
            Value::Array(a) if !a.is_empty() => {
                let i = rng.below(a.len());
                a.remove(i);
                format!("{at:?}: removed item {i}")
            }
            _ => {
                *node = Value::Null;
                format!("{at:?} = null")
            }
        },
        3 => {
            let swapped = match node {
                Value::Number(_) => Value::String("abc".into()),
                Value::String(_) => Value::from(42),
                Value::Object(_) => Value::Array(vec![]),
                Value::Array(_) => Value::Object(Default::default()),
                Value::Bool(_) => Value::from("ja"),
                Value::Null => Value::Bool(true),
            };
            *node = swapped;
            format!("{at:?}: type swapped")
        }
        4 => match node {
            Value::String(s) => {
                let n = [2, 50, 2000][rng.below(3)];
                *s = s.repeat(n).chars().take(300_000).collect();
                format!("{at:?}: string ×{n}")
            }
            _ => {
                *node = Value::String("x".repeat(200_000));
                format!("{at:?} = long string")
            }
        },
        5 => {
            let depth = [3, 40, 200][rng.below(3)];
            let mut v = node.take();
            for _ in 0..depth {
                v = Value::Array(vec![v]);
            }
            *node = v;
            format!("{at:?}: nested {depth} deep")
        }
        _ => {
            *node = Value::String(
                ["", "../../../etc/passwd", "/tmp/x", "{region.nope}", "\u{1b}[31m", "ø\u{0}"][rng.below(6)].into(),
            );
            format!("{at:?}: odd string")
        }
    }
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(d: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let Ok(rd) = std::fs::read_dir(d) else { return };
        for e in rd {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    walk(dir, &mut out);
    out
}

#[test]
fn mutated_inputs_never_panic_and_fail_located() {
    let cases: usize = std::env::var("TRYKSAG_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(80);
    let seed: u64 = std::env::var("TRYKSAG_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 | 1
    });
    eprintln!("fuzz seed {seed} ({cases} cases); replay with TRYKSAG_FUZZ_SEED={seed}");
    let mut rng = Rng(seed);
    let p = TempProject::copy();
    let root = p.dir.path().to_path_buf();
    let files = json_files(&root);
    let originals: Vec<String> = files.iter().map(|f| std::fs::read_to_string(root.join(f)).unwrap()).collect();
    let mut opts = BuildOptions::new(&root);
    opts.allow_sample_data = true;
    // A good build first: on errors, the files it wrote must stay as they are.
    let base = build(&opts);
    assert!(!base.diags.has_errors(), "the shipped project must build");
    let baseline = snapshot(&opts.out_dir);
    let (mut ok, mut failed) = (0, 0);
    let mut findings = Vec::new();
    for case in 0..cases {
        let k = rng.below(files.len());
        let mut doc: Value = serde_json::from_str(&originals[k]).unwrap();
        let what: Vec<String> = (0..1 + rng.below(2)).map(|_| mutate(&mut doc, &mut rng)).collect();
        let text = serde_json::to_string_pretty(&doc).unwrap();
        std::fs::write(root.join(&files[k]), &text).unwrap();
        let label = format!("case {case} (seed {seed}): {} {}", files[k].display(), what.join("; "));
        opts.write = rng.below(3) != 0;
        let before = snapshot(&opts.out_dir);
        let Ok(report) = std::panic::catch_unwind(|| build(&opts)) else {
            findings.push(format!("panicked: {label}"));
            std::fs::write(root.join(&files[k]), &originals[k]).unwrap();
            continue;
        };
        for d in &report.diags.0 {
            if d.message.starts_with("internal error") {
                findings.push(format!("{label}: {}", d.render()));
            }
            let l = &d.location;
            if d.is_error() && l.file.is_none() && l.subject.is_none() {
                findings.push(format!("{label}: error without a location: {}", d.render()));
            }
        }
        let after = snapshot(&opts.out_dir);
        let written: Vec<&PathBuf> = report.written.iter().map(|w| &w.path).collect();
        for (path, bytes) in &after {
            let name = path.file_name().unwrap().to_string_lossy();
            if name.starts_with('.') {
                findings.push(format!("{label}: temporary file left: {}", path.display()));
            }
            if !written.contains(&path) && before.get(path) != Some(bytes) {
                findings.push(format!("{label}: {} changed but was not reported written", path.display()));
            }
        }
        if report.diags.has_errors() {
            failed += 1;
        } else {
            ok += 1;
        }
        // Back to the shipped file and the good outputs for the next case.
        std::fs::write(root.join(&files[k]), &originals[k]).unwrap();
        if after != baseline {
            std::fs::remove_dir_all(&opts.out_dir).unwrap();
            for (path, bytes) in &baseline {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, bytes).unwrap();
            }
        }
    }
    eprintln!("fuzz: {cases} cases, {ok} built, {failed} refused with located errors");
    assert!(findings.is_empty(), "{} finding(s):\n{}", findings.len(), findings.join("\n\n"));
}
