//! Diagnostics: the one error type of tryksag.
//!
//! Every problem (bad JSON, an unknown font, text that does not fit) becomes a [`Diagnostic`] with
//! a location: a file with line, column and JSON path, and/or the subject it concerns (deck, card,
//! field). Runs collect all diagnostics and print them together.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic as cr;
use codespan_reporting::files as cr_files;
use codespan_reporting::term::{self, termcolor::WriteColor as _};
use serde::Serialize;

/// How serious a diagnostic is. In JSON: `"error"` or `"warning"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Output is refused.
    Error,
    /// Output is written, but a human should look.
    Warning,
}

/// Where a diagnostic points. In JSON: `file`, `line`, `column`, `path` and `subject` (each
/// `null` when unknown).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Location {
    /// The file, relative to the project root where possible.
    #[serde(serialize_with = "file_as_text")]
    pub file: Option<PathBuf>,
    /// 1-based line and column in `file`.
    #[serde(flatten, serialize_with = "line_and_column")]
    pub line_col: Option<(usize, usize)>,
    /// The JSON path of the value, e.g. `cards[3].fields.question`.
    #[serde(rename = "path")]
    pub json_path: Option<String>,
    /// What the diagnostic concerns, e.g. `deck dialogkort, card nu-03, field question`.
    pub subject: Option<String>,
    /// The source line at `line_col`, kept for the snippet: the whole line, or only an excerpt
    /// of a long one (see `snippet_from`).
    #[serde(skip)]
    pub source_line: Option<String>,
    /// The char index in its line where `source_line` starts (0: the whole line is kept), so a
    /// diagnostic in a long minified line holds a short excerpt, not the line.
    #[serde(skip)]
    pub snippet_from: usize,
}

/// A file as JSON: its path as text, as it is shown.
fn file_as_text<S: serde::Serializer>(file: &Option<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
    file.as_ref().map(|f| f.display().to_string()).serialize(s)
}

/// The line and column as two JSON fields, `line` and `column`.
fn line_and_column<S: serde::Serializer>(line_col: &Option<(usize, usize)>, s: S) -> Result<S::Ok, S::Error> {
    #[derive(Serialize)]
    struct LineColumn {
        line: Option<usize>,
        column: Option<usize>,
    }
    LineColumn { line: line_col.map(|(l, _)| l), column: line_col.map(|(_, c)| c) }.serialize(s)
}

/// A located problem with a message and an optional hint. In JSON (`check --format json`): an
/// object with `severity`, `message`, `hint` and the [`Location`]'s fields.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Short, lower-case statement of what is wrong.
    pub message: String,
    /// How to fix it, when we know.
    pub hint: Option<String>,
    /// Where it is.
    #[serde(flatten)]
    pub location: Location,
    /// Set when the message names one of many similar subjects (a run, a product): the same
    /// statement for any of them, so that [`Diagnostics::grouped`] shows them as one.
    #[serde(skip)]
    pub group: Option<Group>,
    /// What kind of finding this is, for callers that treat some kinds apart (not shown).
    #[serde(skip)]
    pub topic: Topic,
}

/// What kind of finding a diagnostic is: how code that keeps or drops diagnostics tells them
/// apart (never by their message text).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Topic {
    /// Anything not singled out below.
    #[default]
    General,
    /// An image that cannot be used or is too coarse: a finding that differs with the output
    /// condition an image is converted for (so each variant of a deck's layout reports it).
    Image,
}

/// How a diagnostic that names its subject reads when it stands for several.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The statement with `{}` where the subjects go, e.g. `"sample contact data used in {}"`.
    pub template: String,
    /// What the subjects are, plural (`"runs"`).
    pub noun: String,
    /// This diagnostic's subject, e.g. `hovedstaden`.
    pub item: String,
}

impl Diagnostic {
    /// A new error without location. Like every text a diagnostic takes, the message is
    /// [bounded](bounded): input it quotes cannot flood or control the terminal.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: bounded(&message.into(), MAX_MESSAGE),
            hint: None,
            location: Location::default(),
            group: None,
            topic: Topic::General,
        }
    }
    /// A new warning without location.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(message) }
    }
    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(bounded(&hint.into(), MAX_HINT));
        self
    }
    /// Marks the diagnostic as one of a kind that may occur for many subjects: `template` says
    /// the same for all of them, with `{}` where "`<n> <noun>: a, b, …`" goes.
    pub fn grouped_as(
        mut self,
        template: impl Into<String>,
        noun: impl Into<String>,
        item: impl Into<String>,
    ) -> Diagnostic {
        self.group = Some(Group { template: template.into(), noun: noun.into(), item: item.into() });
        self
    }
    /// Sets what kind of finding this is.
    #[must_use]
    pub fn with_topic(mut self, topic: Topic) -> Diagnostic {
        self.topic = topic;
        self
    }
    /// Sets the location.
    pub fn at(mut self, location: Location) -> Diagnostic {
        // Keep a subject set earlier if the new location has none.
        let subject = location.subject.clone().or(self.location.subject.take());
        self.location = location;
        self.location.subject = subject;
        // Keys in a JSON path come from the file.
        self.location.json_path = self.location.json_path.map(|p| bounded(&p, MAX_MESSAGE));
        self
    }
    /// Sets only the file (no line known).
    pub fn in_file(mut self, file: &Path) -> Diagnostic {
        self.location.file = Some(file.to_path_buf());
        self
    }
    /// Sets the subject (deck, card, field).
    pub fn about(mut self, subject: impl Into<String>) -> Diagnostic {
        self.location.subject = Some(bounded(&subject.into(), MAX_MESSAGE));
        self
    }
    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic as plain text, with a source snippet when the line is known.
    pub fn render(&self) -> String {
        self.render_styled(false)
    }

    /// Renders the diagnostic for a terminal that shows colours (ANSI escapes).
    pub fn render_in_colour(&self) -> String {
        self.render_styled(true)
    }

    /// Renders through codespan-reporting: header, snippet with line number and caret, and the
    /// subject and hint as notes. The location line names the real line and column (the snippet
    /// may be an excerpt of a long line) and the JSON path; every line below the header is
    /// indented by two spaces.
    fn render_styled(&self, colour: bool) -> String {
        let loc = &self.location;
        let level = match self.severity {
            Severity::Error => cr::Severity::Error,
            Severity::Warning => cr::Severity::Warning,
        };
        let mut notes = Vec::new();
        if let Some(subject) = &loc.subject {
            notes.push(format!("in {subject}"));
        }
        if let Some(h) = &self.hint {
            notes.push(format!("hint: {h}"));
        }
        let mut report = cr::Diagnostic::new(level).with_message(&self.message).with_notes(notes);
        let file = loc.file.as_ref().map(|f| escape_controls(&f.display().to_string()));
        let at = loc.json_path.as_ref().map(|p| format!(" (at {p})")).unwrap_or_default();
        let mut excerpt = Excerpt::default();
        let snippet_shown =
            if let (Some(name), Some((line, column)), Some(src)) = (&file, loc.line_col, &loc.source_line) {
                let (text, caret) =
                    snippet(src, column.saturating_sub(1).saturating_sub(loc.snippet_from), loc.snippet_from > 0);
                let byte = text.char_indices().nth(caret).map_or(text.len(), |(b, _)| b);
                report = report.with_labels(vec![cr::Label::primary((), byte..byte)]);
                excerpt = Excerpt { name: name.clone(), line, column, text };
                true
            } else {
                false
            };
        let config = term::Config { chars: term::Chars::ascii(), ..term::Config::default() };
        let mut out = buffer(colour);
        // The excerpt answers every question the renderer asks, so it cannot fail.
        let _ = term::emit_to_write_style(&mut out, &config, &excerpt, &report);
        let text = String::from_utf8_lossy(out.as_slice()).into_owned();
        let mut lines: Vec<String> = text.trim_end().lines().map(str::to_string).collect();
        match &file {
            // codespan-reporting wrote `--> file:line:column` as the second line.
            Some(_) if snippet_shown => lines[1].push_str(&at),
            // A file without a snippet: the location line, in codespan-reporting's look.
            Some(name) => {
                let line_col = loc.line_col.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default();
                let mut arrow = buffer(colour);
                let _ = arrow.set_color(&term::Styles::default().source_border);
                let _ = arrow.write_all(config.chars.snippet_start.as_bytes());
                let _ = arrow.reset();
                lines.insert(1, format!(" {} {name}{line_col}{at}", String::from_utf8_lossy(arrow.as_slice())));
            }
            None => {}
        }
        let mut s = String::new();
        for (i, line) in lines.iter().enumerate() {
            let indent = if i == 0 || line.is_empty() { "" } else { "  " };
            let _ = writeln!(s, "{indent}{line}");
        }
        s
    }
}

/// Where a rendering goes: plain text, or text with ANSI colours.
fn buffer(colour: bool) -> term::termcolor::Buffer {
    if colour { term::termcolor::Buffer::ansi() } else { term::termcolor::Buffer::no_color() }
}

/// The one line a snippet shows, as codespan-reporting's file database: the bounded, escaped
/// excerpt as text, reported at the line and column the location names.
#[derive(Default)]
struct Excerpt {
    name: String,
    line: usize,
    column: usize,
    text: String,
}

impl<'a> cr_files::Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, cr_files::Error> {
        Ok(&self.name)
    }
    fn source(&'a self, (): ()) -> Result<&'a str, cr_files::Error> {
        Ok(&self.text)
    }
    fn line_index(&'a self, (): (), _byte: usize) -> Result<usize, cr_files::Error> {
        Ok(0)
    }
    fn line_number(&'a self, (): (), _line: usize) -> Result<usize, cr_files::Error> {
        Ok(self.line)
    }
    fn column_number(&'a self, (): (), _line: usize, _byte: usize) -> Result<usize, cr_files::Error> {
        Ok(self.column)
    }
    fn line_range(&'a self, (): (), line: usize) -> Result<std::ops::Range<usize>, cr_files::Error> {
        match line {
            0 => Ok(0..self.text.len()),
            given => Err(cr_files::Error::LineTooLarge { given, max: 0 }),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for Diagnostic {}

/// Diagnostics collected over a run.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    /// Adds many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }
    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }
    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }
    /// Whether any error was collected.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// The same problem met in many places becomes one diagnostic, so that the one that matters
    /// is not lost in repetition. Diagnostics are the same when severity, hint and either their
    /// [`Group`] template or their message and source location agree; the merged one lists the
    /// first few subjects and how many there are. Order: where each kind first occurred.
    #[must_use]
    pub fn grouped(self) -> Diagnostics {
        type Key = (Severity, Option<String>, String, Option<(PathBuf, Option<(usize, usize)>, Option<String>)>);
        let key = |d: &Diagnostic| -> Key {
            match &d.group {
                Some(g) => (d.severity, d.hint.clone(), g.template.clone(), None),
                None => (
                    d.severity,
                    d.hint.clone(),
                    d.message.clone(),
                    Some((
                        d.location.file.clone().unwrap_or_default(),
                        d.location.line_col,
                        d.location.json_path.clone(),
                    )),
                ),
            }
        };
        let mut kinds: Vec<(Key, Vec<Diagnostic>)> = Vec::new();
        let mut index: std::collections::BTreeMap<Key, usize> = std::collections::BTreeMap::new();
        for d in self.0 {
            let k = key(&d);
            match index.get(&k) {
                Some(&i) => kinds[i].1.push(d),
                None => {
                    index.insert(k.clone(), kinds.len());
                    kinds.push((k, vec![d]));
                }
            }
        }
        Diagnostics(kinds.into_iter().map(|(_, same)| merge(same)).collect())
    }
}

/// How many subjects a grouped diagnostic names before it says "and N more".
const GROUP_SHOWN: usize = 4;

/// `a, b, c, d and 3 more` (the first few of `items`, once each, with the number left out).
fn some_of(items: &[String], sep: &str) -> String {
    // "and 1 more" would take the room of the one left out.
    let n = if items.len() == GROUP_SHOWN + 1 { items.len() } else { GROUP_SHOWN };
    let shown = items.iter().take(n).cloned().collect::<Vec<_>>().join(sep);
    match items.len().saturating_sub(n) {
        0 => shown,
        more => format!("{shown} and {more} more"),
    }
}

/// One diagnostic for `same` (never empty), which say the same thing about different subjects.
fn merge(mut same: Vec<Diagnostic>) -> Diagnostic {
    let mut first = same.remove(0);
    if same.is_empty() {
        return first;
    }
    let mut items: Vec<String> = Vec::new();
    let mut add = |s: Option<String>| {
        if let Some(s) = s
            && !items.contains(&s)
        {
            items.push(s);
        }
    };
    match first.group.clone() {
        Some(g) => {
            add(Some(g.item.clone()));
            same.into_iter().for_each(|d| add(d.group.map(|x| x.item)));
            if items.len() > 1 {
                let list = format!("{} {}: {}", items.len(), g.noun, some_of(&items, ", "));
                first.message = g.template.replacen("{}", &list, 1);
                first.group = None;
            }
        }
        None => {
            add(first.location.subject.clone());
            same.into_iter().for_each(|d| add(d.location.subject));
            if items.len() > 1 {
                first.location.subject = Some(format!("{} places: {}", items.len(), some_of(&items, "; ")));
            }
        }
    }
    first
}

/// Most characters of one quoted input value (a `backticked` part) a message shows.
pub const MAX_QUOTE: usize = 80;
/// Most characters of a message (and of a subject or JSON path).
const MAX_MESSAGE: usize = 400;
/// Most characters of a hint (it may list every allowed name).
const MAX_HINT: usize = 1000;
/// Most characters of a source line a snippet shows.
const SNIPPET_WIDTH: usize = 80;

/// Whether `c` must not reach a terminal as it is: control characters (which include the ESC of
/// ANSI sequences), bidirectional overrides and invisible separators that could hide or reorder
/// what a message says.
fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// How `c` is shown: itself, or escaped as `\u{1b}`.
fn shown_char(c: char, out: &mut String) {
    if is_unsafe(c) {
        let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
    } else {
        out.push(c);
    }
}

/// `s` with every control character, ANSI escape and bidirectional override escaped (`\u{1b}`).
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    s.chars().for_each(|c| shown_char(c, &mut out));
    out
}

/// A short, printable excerpt of input: escaped like [`escape_controls`] and cut to `max`
/// characters with "…".
pub fn excerpt(s: &str, max: usize) -> String {
    let all = escape_controls(s);
    if all.chars().count() <= max {
        return all;
    }
    let mut out = String::new();
    let mut piece = String::new();
    let mut width = 0;
    for c in s.chars() {
        piece.clear();
        shown_char(c, &mut piece);
        // Whole escapes only, and room for the ellipsis.
        if width + piece.chars().count() >= max {
            break;
        }
        width += piece.chars().count();
        out.push_str(&piece);
    }
    out.push('…');
    out
}

/// A text for a diagnostic: control characters escaped, each `backticked` quote cut to
/// [`MAX_QUOTE`] characters, and the whole to `max`.
fn bounded(s: &str, max: usize) -> String {
    let safe = s.chars().all(|c| !is_unsafe(c)) && s.len() <= MAX_QUOTE.min(max);
    if safe {
        return s.to_string();
    }
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(&excerpt(part, MAX_QUOTE));
        } else {
            out.push_str(&escape_controls(part));
        }
    }
    if out.chars().count() > max { excerpt(&out, max) } else { out }
}

/// The snippet line for `line` with the caret at char index `col0`: escaped, and for a long
/// line a window of [`SNIPPET_WIDTH`] characters around the caret with "…" where it is cut.
/// `cut_before` says the line was already cut before its start. Returns the text and the
/// caret's display column.
fn snippet(line: &str, col0: usize, cut_before: bool) -> (String, usize) {
    // Tabs become one space so the caret stays under its character.
    let pieces: Vec<String> = line
        .chars()
        .map(|c| {
            let mut p = String::new();
            if c == '\t' {
                p.push(' ')
            } else {
                shown_char(c, &mut p)
            }
            p
        })
        .collect();
    let width = |ps: &[String]| ps.iter().map(|p| p.chars().count()).sum::<usize>();
    let col0 = col0.min(pieces.len());
    let (mut a, mut b) = (0, pieces.len());
    if width(&pieces) > SNIPPET_WIDTH - 2 {
        // Some context before the caret, then as much after it as fits.
        a = col0;
        let mut w = 0;
        while a > 0 && w + pieces[a - 1].chars().count() <= SNIPPET_WIDTH / 3 {
            a -= 1;
            w += pieces[a].chars().count();
        }
        b = a;
        let mut w = 0;
        while b < pieces.len() && w + pieces[b].chars().count() <= SNIPPET_WIDTH - 2 {
            w += pieces[b].chars().count();
            b += 1;
        }
    }
    let before = cut_before || a > 0;
    let mut shown = String::from(if before { "…" } else { "" });
    shown.extend(pieces[a..b].iter().map(String::as_str));
    if b < pieces.len() {
        shown.push('…');
    }
    (shown, usize::from(before) + width(&pieces[a..col0.max(a)]))
}

/// `s` lower-cased with æ, ø, å written ae, oe, aa, so `sjælland` matches `sjaelland`.
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push_str("oe"),
            'å' => out.push_str("aa"),
            _ => out.push(c),
        }
    }
    out
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
/// Case and the Danish letters (`æ` = `ae`, `ø` = `oe`, `å` = `aa`) do not count.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    // A word far longer than any name is no typo; this also bounds the work.
    if word.chars().count() > 200 {
        return None;
    }
    let word_l = fold(word);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&word_l, &fold(c)), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
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
}
