//! Tests of diagnostics: texts, escaping, grouping, rendering and JSON.

use super::suggest::*;
use super::text::*;
use super::*;

#[test]
fn suggests_close_names() {
    assert_eq!(did_you_mean("qestion", ["question", "prompt", "title"]), Some("question"));
    assert_eq!(did_you_mean("zzz", ["question", "prompt"]), None);
    // Danish letters and case do not count.
    assert_eq!(did_you_mean("sjælland", ["hovedstaden", "sjaelland"]), Some("sjaelland"));
    assert_eq!(did_you_mean("Sjælland", ["sjaelland"]), Some("sjaelland"));
    assert_eq!(did_you_mean("København", ["koebenhavn", "aarhus"]), Some("koebenhavn"));
    assert_eq!(did_you_mean("Århus", ["koebenhavn", "aarhus"]), Some("aarhus"));
    // Unfolded, these are four edits apart: too far for a five-letter word.
    assert_eq!(did_you_mean("Fæø", ["faeoe", "x"]), Some("faeoe"));
}

#[test]
fn echoed_input_is_escaped_and_bounded() {
    let d = Diagnostic::error("unknown key `\u{1b}[31mred\u{202e}x`").with_hint("a\nb").about("card `\u{7}`");
    assert_eq!(d.message, "unknown key `\\u{1b}[31mred\\u{202e}x`");
    assert_eq!(d.hint.as_deref(), Some("a\\u{a}b"));
    assert_eq!(d.location.subject.as_deref(), Some("card `\\u{7}`"));
    let long = "x".repeat(5000);
    let d = Diagnostic::error(format!("unknown value `{long}`")).with_hint(format!("allowed: {long}"));
    assert_eq!(d.message, format!("unknown value `{}…`", "x".repeat(MAX_QUOTE - 1)));
    assert_eq!(d.hint.as_deref().unwrap().chars().count(), MAX_HINT);
    // A backtick in the value cannot defeat the bound.
    let d = Diagnostic::error(format!("unknown value `a` {long} `b`"));
    assert_eq!(d.message.chars().count(), MAX_MESSAGE);
    assert_eq!(excerpt("abc", 3), "abc");
    assert_eq!(excerpt("abcd", 3), "ab…");
    // Escapes are never cut in half.
    assert_eq!(excerpt("ab\u{1b}cd", 6), "ab…");
}

#[test]
fn long_snippet_lines_are_windowed_around_the_caret() {
    let line = format!("{}\u{1b}{}", "a".repeat(500), "b".repeat(500));
    let d = Diagnostic::error("x").at(Location {
        file: Some("f.json".into()),
        line_col: Some((1, 501)),
        source_line: Some(line),
        ..Location::default()
    });
    let r = d.render();
    assert!(!r.contains('\u{1b}'), "{r}");
    let shown = r.lines().find(|l| l.starts_with("  1 | ")).unwrap();
    let caret = r.lines().find(|l| l.ends_with('^')).unwrap();
    assert!(shown.chars().count() <= 6 + SNIPPET_WIDTH + 6, "{shown}");
    assert!(shown.starts_with("  1 | …a") && shown.ends_with("b…"), "{shown}");
    // The caret stands under the escape.
    let at = caret.chars().count() - 1;
    assert_eq!(shown.chars().skip(at).take(6).collect::<String>(), "\\u{1b}");
    // An excerpt that starts later in the line (`snippet_from`) keeps the caret right.
    let d = Diagnostic::error("x").at(Location {
        file: Some("f.json".into()),
        line_col: Some((1, 1004)),
        source_line: Some("xyz^abc".into()),
        snippet_from: 1000,
        ..Location::default()
    });
    let r = d.render();
    assert!(r.contains("  1 | …xyz^abc\n    | "), "{r}");
    assert!(r.contains("\n    |     ^\n"), "{r}");
}

#[test]
fn renders_snippet_with_caret() {
    let d = Diagnostic::error("bad value").with_hint("use a number").at(Location {
        file: Some("decks/x.json".into()),
        line_col: Some((3, 5)),
        json_path: Some("cards[0].copies".into()),
        subject: None,
        cell: None,
        source_line: Some("    \"copies\": \"two\"".into()),
        snippet_from: 0,
    });
    let r = d.render();
    assert!(r.contains("decks/x.json:3:5 (at cards[0].copies)"), "{r}");
    assert!(r.contains("    ^"), "{r}");
    assert!(r.contains("hint: use a number"), "{r}");
}

fn run_warning(run: &str) -> Diagnostic {
    Diagnostic::warning(format!("run `{run}` uses sample data"))
        .with_hint("verify it")
        .grouped_as("sample data used in {}", "runs", run)
        .in_file(Path::new(&format!("layouts/runs/{run}.json")))
}

#[test]
fn the_same_statement_about_many_subjects_is_one_diagnostic() {
    let runs = ["a", "b", "c", "d", "e", "f"];
    let mut ds = Diagnostics(runs.iter().map(|r| run_warning(r)).collect());
    ds.push(Diagnostic::error("something else"));
    let g = ds.grouped();
    assert_eq!(g.0.len(), 2, "{g:?}");
    assert_eq!(g.0[0].message, "sample data used in 6 runs: a, b, c, d and 2 more");
    assert_eq!(g.0[0].hint.as_deref(), Some("verify it"));
    assert_eq!(g.0[0].location.file.as_deref(), Some(Path::new("layouts/runs/a.json")));
    assert_eq!(g.0[1].message, "something else");
    // Alone, a diagnostic keeps its own words.
    let one = Diagnostics(vec![run_warning("a")]).grouped();
    assert_eq!(one.0[0].message, "run `a` uses sample data");
    // A different hint is a different problem.
    let two = Diagnostics(vec![run_warning("a"), run_warning("b").with_hint("other")]).grouped();
    assert_eq!(two.0.len(), 2);
}

#[test]
fn folding_as_found_then_grouping_is_the_same_as_grouping_everything() {
    // Repeats (b twice), another kind between them, an ungrouped diagnostic, and a second list
    // folded separately (like a second product) that repeats subjects of the first.
    let first = ["a", "b", "c", "b", "d", "e", "f"];
    let second = ["f", "g", "a"];
    let mut all = Vec::new();
    let mut parts = Vec::new();
    for names in [&first[..], &second[..]] {
        let mut folded = Folded::default();
        for (i, r) in names.iter().enumerate() {
            let mut ds = vec![run_warning(r)];
            if i == 2 {
                ds.push(run_warning(r).with_hint("other"));
                ds.push(Diagnostic::error("something else"));
            }
            all.extend(ds.iter().cloned());
            folded.extend(ds);
        }
        let folded = folded.into_vec();
        assert_eq!(folded.len(), 3, "one per kind, plus the ungrouped one: {folded:?}");
        parts.extend(folded);
    }
    assert_eq!(parts[0].group.as_ref().map(|g| g.more.len()), Some(5), "b once: {parts:?}");
    let whole = Diagnostics(all).grouped();
    assert_eq!(Diagnostics(parts).grouped().0, whole.0);
    assert_eq!(whole.0[0].message, "sample data used in 7 runs: a, b, c, d and 3 more");
    // One subject alone keeps its own words, folded or not.
    let mut one = Folded::default();
    one.extend([run_warning("a"), run_warning("a")]);
    assert_eq!(Diagnostics(one.into_vec()).grouped().0[0].message, "run `a` uses sample data");
}

#[test]
fn the_same_problem_met_by_many_builds_is_listed_once_with_its_subjects() {
    let at = |subject: &str, line: usize| {
        Diagnostic::warning("image below 300 ppi")
            .at(Location { file: Some("decks/d.json".into()), line_col: Some((line, 3)), ..Location::default() })
            .about(subject)
    };
    let ds = Diagnostics(vec![
        at("deck d, card 1", 4),
        at("run x, d: deck d, card 1", 4),
        at("run y, d: deck d, card 1", 4),
        at("run y, d: deck d, card 1", 4),
        at("deck d, card 2", 9),
    ]);
    let g = ds.grouped();
    assert_eq!(g.0.len(), 2, "another line is another problem: {g:?}");
    assert_eq!(
        g.0[0].location.subject.as_deref(),
        Some("3 places: deck d, card 1; run x, d: deck d, card 1; run y, d: deck d, card 1")
    );
    assert_eq!(g.0[1].location.subject.as_deref(), Some("deck d, card 2"));
}

/// `s` without ANSI colour sequences.
fn uncoloured(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|c| *c == 'm');
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn renders_the_three_shapes_and_colour_only_adds_styling() {
    let snippet = Diagnostic::error("bad value").with_hint("use a number").about("deck d").at(Location {
        file: Some("decks/x.json".into()),
        line_col: Some((3, 5)),
        json_path: Some("cards[0].copies".into()),
        subject: None,
        cell: None,
        source_line: Some("    \"copies\": \"two\"".into()),
        snippet_from: 0,
    });
    assert_eq!(
        snippet.render(),
        "error: bad value\n    --> decks/x.json:3:5 (at cards[0].copies)\n    |\n  3 |     \"copies\": \"two\"\n    \
         |     ^\n    |\n    = in deck d\n    = hint: use a number\n"
    );
    let file = Diagnostic::warning("font broken").with_hint("replace it").in_file(Path::new("fonts/\u{1b}x.ttf"));
    assert_eq!(file.render(), "warning: font broken\n   --> fonts/\\u{1b}x.ttf\n   = hint: replace it\n");
    let bare = Diagnostic::error("unknown product `x`").with_hint("did you mean `y`?");
    assert_eq!(bare.render(), "error: unknown product `x`\n   = hint: did you mean `y`?\n");
    for d in [snippet, file, bare] {
        let c = d.render_in_colour();
        assert!(c.contains("\u{1b}["), "{c:?}");
        assert_eq!(uncoloured(&c), d.render());
    }
}

#[test]
fn json_has_the_documented_keys_in_order() {
    let d = Diagnostic::warning("w").about("card a").at(Location {
        file: Some("decks/d.json".into()),
        line_col: Some((2, 7)),
        json_path: Some("cards[0]".into()),
        source_line: Some("not in JSON".into()),
        ..Location::default()
    });
    assert_eq!(
        serde_json::to_string(&d).unwrap(),
        r#"{"severity":"warning","message":"w","hint":null,"file":"decks/d.json","line":2,"column":7,"path":"cards[0]","subject":"card a"}"#
    );
    let bare = serde_json::to_string(&Diagnostic::error("e").with_hint("h")).unwrap();
    assert_eq!(
        bare,
        r#"{"severity":"error","message":"e","hint":"h","file":null,"line":null,"column":null,"path":null,"subject":null}"#
    );
}

#[test]
fn a_spreadsheet_cell_is_shown_on_the_location_line() {
    let d = Diagnostic::error("bad copies").at(Location {
        file: Some("decks/kort.xlsx".into()),
        cell: Some("Kort!C14 (column \"Antal\")".into()),
        ..Location::default()
    });
    assert_eq!(d.render(), "error: bad copies\n   --> decks/kort.xlsx, cell Kort!C14 (column \"Antal\")\n");
}
