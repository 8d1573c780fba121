//! Messages that can be trusted (issue #12): every kind of broken JSON gets its own located
//! error, echoed input is short and cannot control the terminal, and usage errors exit 2 with
//! one line and a "did you mean". Each case checks the exit code, the location, that nothing
//! panicked and that nothing was written.

use std::path::Path;
use std::process::Output;

use crate::common::{TempProject, card, deck, repo, stderr};

/// Files under `dir`, recursively (empty when it does not exist).
fn files_in(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() { out.extend(files_in(&p)) } else { out.push(p) }
        }
    }
    out
}

/// 1-based line and column (in chars) of the `nth` (0-based) occurrence of `needle` in `text`.
fn line_col(text: &str, needle: &str, nth: usize) -> (usize, usize) {
    let at = text.match_indices(needle).nth(nth).unwrap_or_else(|| panic!("no {needle:?} #{nth}")).0;
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

/// Runs `args` and asserts a failure with `code`, `needles` in stderr, no panic and no output.
fn fails(p: &TempProject, args: &[&str], code: i32, needles: &[&str]) -> String {
    let o: Output = p.run(args);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "{args:?}:\n{e}");
    assert!(!e.contains("panicked"), "{e}");
    for n in needles {
        assert!(e.contains(n), "{n:?} not in:\n{e}");
    }
    assert!(files_in(&p.path("output")).is_empty(), "output written: {:?}", files_in(&p.path("output")));
    e
}

/// Writes `decks/d.json` as `text` into a one-deck project, checks and builds it, and asserts a
/// located failure with `message` at the position of the `nth` `needle`.
fn deck_fails(text: &str, needle: &str, nth: usize, message: &str) -> String {
    let p = TempProject::with_deck(text);
    let (l, c) = line_col(text, needle, nth);
    let at = format!("decks/d.json:{l}:{c}");
    fails(&p, &["check"], 1, &[&at, message]);
    fails(&p, &["build"], 1, &[&at, message])
}

fn one_card() -> String {
    deck(&card("a", "Hvad nu?"))
}

#[test]
fn duplicate_keys_are_errors_at_the_second_key() {
    // Top level.
    let d = one_card().replacen("\"layout\": \"poker\",", "\"layout\": \"poker\",\n  \"title\": \"Igen\",", 1);
    let e = deck_fails(&d, "\"title\"", 1, "duplicate key `title` (first at line 2)");
    assert!(e.contains("hint: remove one of them"), "{e}");
    // In a card's fields (the path names the card).
    let d = deck(&card("a", "Hvad nu?").replace("\"title\": \"Titel\",", "\"title\": \"Titel\", \"title\": \"Igen\","));
    let e = deck_fails(&d, "\"title\"", 2, "duplicate key `title` (first at line 8)");
    assert!(e.contains("(at cards[0].fields.title)"), "{e}");
    // The same key spelled with an escape is the same key.
    let d = deck(&card("a", "Hvad nu?").replace("\"id\": \"a\",", "\"id\": \"a\", \"\\u0069d\": \"b\","));
    deck_fails(&d, "\"\\u0069d\"", 0, "duplicate key `id`");
    // In a style of a card layout.
    let p = TempProject::with_deck(&one_card());
    p.edit("layouts/cards/poker.json", |s| {
        s.replacen("\"size\": \"12pt\",", "\"size\": \"12pt\", \"size\": \"13pt\",", 1)
    });
    let text = std::fs::read_to_string(p.path("layouts/cards/poker.json")).unwrap();
    let (l, c) = line_col(&text, "\"size\": \"13pt\"", 0);
    let e = fails(&p, &["check"], 1, &[&format!("layouts/cards/poker.json:{l}:{c}"), "duplicate key `size`"]);
    assert!(e.contains(&format!("(first at line {l})")) && e.contains("(at styles.question.size)"), "{e}");
    // One mistake, one error: the deck that uses the broken layout is not blamed too.
    assert_eq!(e.matches("error:").count(), 1, "{e}");
}

#[test]
fn byte_order_mark_is_accepted() {
    let p = TempProject::copy();
    p.edit("decks/dialogkort.json", |s| format!("\u{feff}{s}"));
    let o = p.run(&["build", "dialogkort"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!p.pdfs().is_empty());
    // Positions after a BOM are those an editor shows (the BOM is no column).
    let d = format!("\u{feff}{}", one_card().replacen("\"layout\": \"poker\"", "\"layout\" \"poker\"", 1));
    let p = TempProject::with_deck(&d);
    let (l, c) = line_col(&d[3..], "\"poker\"", 0);
    fails(&p, &["check"], 1, &[&format!("decks/d.json:{l}:{c}"), "expected `:` after the key `layout`"]);
}

#[test]
fn trailing_commas_are_named() {
    let d = one_card().replacen("\"sender\": \"PsykInfo\",", "\"sender\": \"PsykInfo\",\n}", 1);
    let e = deck_fails(&d, ",\n}", 0, "trailing comma before `}`");
    assert!(e.contains("hint: remove it"), "{e}");
    let d = deck(&format!("{},", card("a", "Hvad nu?")));
    deck_fails(&d, ",\n  ]", 0, "trailing comma before `]`");
    let d = one_card().replace("\"label\": \"Lige nu\" }", "\"label\": \"Lige nu\", }");
    deck_fails(&d, ", }", 0, "trailing comma before `}`");
}

#[test]
fn empty_files_say_they_are_empty() {
    for (text, message) in [("", "the file is empty"), ("  \n\t\n", "the file holds only whitespace")] {
        let p = TempProject::with_deck(text);
        let e = fails(&p, &["check"], 1, &["decks/d.json:1:1", message]);
        assert!(e.contains("hint: write one JSON object"), "{e}");
        fails(&p, &["build"], 1, &["decks/d.json:1:1", message]);
    }
}

#[test]
fn invalid_utf8_has_line_and_column() {
    let text = one_card();
    let (l, c) = line_col(&text, "PsykInfo", 0);
    assert_eq!(l, 5);
    for (bad, hint) in
        [(&b"\xE6"[..], "Latin-1"), (&b"\xFF\xFF"[..], "save the file as UTF-8"), (&b"\xC3"[..], "UTF-8")]
    {
        let mut bytes = text.as_bytes().to_vec();
        let at = text.find("PsykInfo").unwrap() + 4;
        bytes.splice(at..at, bad.iter().copied());
        let p = TempProject::with_deck("");
        std::fs::write(p.path("decks/d.json"), &bytes).unwrap();
        let e = fails(&p, &["check"], 1, &[&format!("decks/d.json:{l}:{}", c + 4), "not valid UTF-8", hint]);
        assert!(e.contains("\"sender\": \"Psyk\u{fffd}"), "{e}");
    }
    // In the middle of line 3.
    let p = TempProject::with_deck("");
    std::fs::write(p.path("decks/d.json"), b"{\n  \"title\": \"T\",\n  \"language\": \"d\xF8a\",\n}").unwrap();
    fails(&p, &["build"], 1, &["decks/d.json:3:17", "not valid UTF-8 (byte 0xF8)", "Latin-1"]);
}

#[test]
fn top_level_must_be_an_object() {
    for (text, found) in [
        ("[]", "an array"),
        ("\n  [ { \"title\": 1 } ]", "an array"),
        ("42", "a number"),
        ("\"x\"", "a string"),
        ("null", "null"),
    ] {
        let (l, c) = if text.starts_with('\n') { (2, 3) } else { (1, 1) };
        let p = TempProject::with_deck(text);
        fails(&p, &["check"], 1, &[&format!("decks/d.json:{l}:{c}"), &format!("at the top level, found {found}")]);
    }
}

#[test]
fn lone_surrogates_are_named() {
    for esc in ["\\ud800", "\\udfff", "\\ud83d\\u0041"] {
        let d = deck(&card("a", &format!("Hvad {esc} nu?")));
        let e = deck_fails(&d, esc, 0, "lone surrogate escape");
        assert!(e.contains("(at cards[0].fields.question)") && e.contains("hint: \\uD800"), "{e}");
    }
    // A proper pair is fine.
    let p = TempProject::with_deck(&deck(&card("a", "Hvad nu? \\ud83d\\ude00")));
    assert!(!stderr(&p.run(&["check"])).contains("surrogate"));
}

#[test]
fn strings_and_files_are_bounded() {
    // Card text is long-ish at most; ids and names far shorter.
    let text = "ord ".repeat(30_000);
    let d = deck(&card("a", &text));
    let e = deck_fails(&d, &format!("\"{text}"), 0, "string of 120000 characters is too long (at most 100000 here)");
    assert!(e.len() < 3000, "the message echoes the string: {} bytes", e.len());
    let id = "x".repeat(5000);
    let d = deck(&card(&id, "Hvad nu?"));
    let e = deck_fails(&d, &format!("\"{id}\""), 0, "string of 5000 characters is too long (at most 1000 here)");
    assert!(e.len() < 3000, "{} bytes", e.len());
    // A key.
    let d = one_card().replacen("\"layout\"", &format!("\"{id}\""), 1);
    deck_fails(&d, &format!("\"{id}\""), 0, "key of 5000 characters is too long");
    // A file larger than the bound is refused before it is read (a sparse file: no disk used).
    let p = TempProject::with_deck(&one_card());
    let f = std::fs::OpenOptions::new().append(true).open(p.path("decks/d.json")).unwrap();
    f.set_len(65 * 1024 * 1024).unwrap();
    let t = std::time::Instant::now();
    fails(&p, &["check"], 1, &["decks/d.json is too large: 65 MB", "at most 64 MB"]);
    assert!(t.elapsed().as_secs() < 5);
}

#[test]
fn deep_nesting_is_a_located_error() {
    for (open, close) in [("[", "]"), ("{\"a\": ", "}")] {
        let d = one_card().replacen(
            "\"sender\": \"PsykInfo\"",
            &format!("\"sender\": {}1{}", open.repeat(200), close.repeat(200)),
            1,
        );
        // The 64th level: the deck object is the first.
        let e = deck_fails(&d, open, 63, "nesting deeper than 64 levels");
        assert!(e.contains("(at sender"), "{e}");
    }
    // serde_json's own limit (128) is never met.
    let d = one_card().replacen(
        "\"sender\": \"PsykInfo\"",
        &format!("\"sender\": {}{}", "[".repeat(5000), "]".repeat(5000)),
        1,
    );
    deck_fails(&d, "[", 63, "nesting deeper than 64 levels");
}

#[test]
fn echoed_input_cannot_control_the_terminal() {
    // An unknown key holding an ANSI sequence, written as an escape and raw.
    for key in ["\\u001b[31mquestion\\u001b[0m", "qu\u{202e}estion", "\\u001b]0;title\\u0007"] {
        let d = deck(&card("a", "Hvad nu?").replace("\"id\": \"a\",", &format!("\"id\": \"a\", \"{key}\": 1,")));
        let p = TempProject::with_deck(&d);
        let e = fails(&p, &["check"], 1, &["unknown key `", "decks/d.json:"]);
        assert!(!e.contains('\u{1b}') && !e.contains('\u{7}') && !e.contains('\u{202e}'), "{e:?}");
        assert!(e.contains("\\u{1b}") || e.contains("\\u{202e}"), "{e}");
    }
    // A raw ESC inside a string is a syntax error; the snippet shows it escaped.
    let d = deck(&card("a", "Hvad \u{1b}[2J nu?"));
    let p = TempProject::with_deck(&d);
    let e = fails(&p, &["check"], 1, &["control character U+001B inside a string"]);
    assert!(!e.contains('\u{1b}') && e.contains("Hvad \\u{1b}[2J nu?"), "{e:?}");
    // A long unknown value is shortened.
    let long = "z".repeat(900);
    let d = one_card().replacen("\"poker\"", &format!("\"{long}\""), 1);
    let p = TempProject::with_deck(&d);
    let o = p.run(&["check"]);
    let e = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(e.contains("`zzz") && e.contains("z…`") && e.len() < 2500, "{} bytes:\n{e}", e.len());
}

#[test]
fn long_minified_lines_are_excerpted() {
    // A whole deck on one line, with an unknown key near its end.
    let mut cards: Vec<String> = (0..300).map(|i| card(&format!("k{i}"), "Hvad nu?")).collect();
    cards[299] = cards[299].replace("\"category\"", "\"categry\"");
    let d = deck(&cards.join(",\n")).replace('\n', " ");
    let p = TempProject::with_deck(&d);
    let e = fails(&p, &["check"], 1, &["unknown key `categry`", "did you mean `category`?"]);
    let (l, c) = line_col(&d, "\"categry\"", 0);
    assert!(e.contains(&format!("decks/d.json:{l}:{c}")), "{e}");
    let snippet = e.lines().find(|l| l.starts_with("  1 | ")).unwrap();
    assert!(snippet.chars().count() < 100 && snippet.contains("\"categry\""), "{snippet}");
}

/// Runs the binary in `dir` with `args`.
fn run_in(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
        .args(args)
        .current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

#[test]
fn every_help_example_works_as_written() {
    let help = run_in(&repo(), &["--help"]);
    let help = String::from_utf8(help.stdout).unwrap();
    let examples: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Examples:"))
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .map(|l| l.trim().split("  ").next().unwrap().trim())
        .collect();
    assert!(examples.len() >= 10, "{examples:?}");
    // The examples that name a project folder expect it as `tryk`; the others run inside it.
    let dir = tempfile::tempdir().unwrap();
    let tryk = dir.path().join("tryk");
    for sub in ["decks", "layouts", "fonts"] {
        std::fs::create_dir_all(&tryk).unwrap();
        let cp = std::process::Command::new("cp").arg("-r").arg(repo().join(sub)).arg(tryk.join(sub)).status();
        assert!(cp.unwrap().success());
    }
    for ex in examples {
        let args: Vec<&str> = ex.split_whitespace().collect();
        assert_eq!(args[0], "tryksag", "{ex}");
        let cwd = if ex.contains("--root") { dir.path() } else { tryk.as_path() };
        if args[1] == "watch" {
            let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tryksag"))
                .args(&args[1..])
                .current_dir(cwd)
                .stderr(std::process::Stdio::piped())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap();
            // The first build, then it waits for changes: stop it there.
            let mut err = child.stderr.take().unwrap();
            let (tx, rx) = std::sync::mpsc::channel();
            let reader = std::thread::spawn(move || {
                let mut seen = Vec::new();
                let mut buf = [0u8; 4096];
                while let Ok(n) = std::io::Read::read(&mut err, &mut buf) {
                    if n == 0 {
                        break;
                    }
                    seen.extend_from_slice(&buf[..n]);
                    if String::from_utf8_lossy(&seen).contains("watching for changes…") {
                        break;
                    }
                }
                let _ = tx.send(());
                String::from_utf8_lossy(&seen).into_owned()
            });
            // Never wait for ever: stop the watcher after a generous time in any case.
            let _ = rx.recv_timeout(std::time::Duration::from_secs(120));
            let _ = child.kill();
            let e = reader.join().unwrap();
            let _ = child.wait();
            assert!(e.contains("watching for changes…") && !e.contains("error:"), "{ex}:\n{e}");
            continue;
        }
        let o = run_in(cwd, &args[1..]);
        assert_eq!(o.status.code(), Some(0), "{ex}:\n{}", stderr(&o));
        assert!(!stderr(&o).contains("error:"), "{ex}:\n{}", stderr(&o));
    }
    assert!(dir.path().join("tryk-pdf").is_dir(), "the --root/--out example wrote nothing");
    assert!(tryk.join("output/calibrate-a4.pdf").is_file());
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    let p = TempProject::copy();
    p.write("notes.txt", "x");
    let out_file = p.path("notes.txt").display().to_string();
    let under_file = p.path("notes.txt/pdf").display().to_string();
    for (args, message) in [
        (vec!["build", "--out", &out_file], "is a file, not a folder"),
        (vec!["build", "--out", &under_file], "cannot create the folder"),
        (vec!["calibrate", "a4", "--out", &out_file], "is a file, not a folder"),
        (vec!["calibrate", "a5"], "unknown sheet layout `a5`"),
        (vec!["build", "dialogkrt"], "unknown product `dialogkrt`"),
        (vec!["check", "dialogkrt"], "unknown product `dialogkrt`"),
        (vec!["build", "--run", "hovedstaden-trykkeri"], "unknown run `hovedstaden-trykkeri`"),
        (vec!["build", "--region", "sjælland"], "unknown region `sjælland`"),
        (vec!["build", "--region", "Sjælland"], "unknown region `Sjælland`"),
    ] {
        let e = fails(&p, &args, 2, &[message]);
        let lines: Vec<&str> = e.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!(lines.len() <= 2 && lines[0].starts_with("error: "), "{args:?}:\n{e}");
        assert!(lines.get(1).is_none_or(|l| l.starts_with("   = hint: ")), "{e}");
    }
    assert!(!p.path("notes.txt/pdf").exists() && p.path("notes.txt").is_file());
    let e = fails(&p, &["build", "--region", "sjælland"], 2, &[]);
    assert!(e.contains("did you mean `sjaelland`?"), "{e}");
    let e = fails(&p, &["build", "--run", "kontor-hovedstadn"], 2, &[]);
    assert!(e.contains("did you mean `kontor-hovedstaden`?"), "{e}");
    let e = fails(&p, &["calibrate", "A4"], 2, &[]);
    assert!(e.contains("did you mean `a4`?"), "{e}");
    // --format json keeps the exit code.
    let o = p.run(&["check", "--format", "json", "nope"]);
    assert_eq!(o.status.code(), Some(2));
    // A root that is no project, for every command.
    let empty = tempfile::tempdir().unwrap();
    for cmd in ["build", "check", "proof", "schema", "calibrate"] {
        let mut args = vec![cmd];
        if cmd == "calibrate" {
            args.push("a4");
        }
        args.extend(["--root", empty.path().to_str().unwrap()]);
        let o = run_in(&repo(), &args);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        assert!(stderr(&o).contains("is not a tryksag project"), "{}", stderr(&o));
        assert!(files_in(empty.path()).is_empty() && std::fs::read_dir(empty.path()).unwrap().next().is_none());
    }
    // A missing --out folder that can be created is fine, and is not left behind on errors.
    let p = TempProject::with_deck("{");
    let out = p.path("new/pdf").display().to_string();
    fails(&p, &["build", "--out", &out], 1, &["the file ends before this `{` is closed"]);
    assert!(!p.path("new").exists());
}
