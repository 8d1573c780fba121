//! Diagnostics: the one error type of tryksag.
//!
//! Every problem (bad JSON, an unknown font, text that does not fit) becomes a [`Diagnostic`] with
//! a location: a file with line, column and JSON path, and/or the subject it concerns (deck, card,
//! field). Runs collect all diagnostics and print them together.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Output is refused.
    Error,
    /// Output is written, but a human should look.
    Warning,
}

/// Where a diagnostic points.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Location {
    /// The file, relative to the project root where possible.
    pub file: Option<PathBuf>,
    /// 1-based line and column in `file`.
    pub line_col: Option<(usize, usize)>,
    /// The JSON path of the value, e.g. `cards[3].fields.question`.
    pub json_path: Option<String>,
    /// What the diagnostic concerns, e.g. `deck dialogkort, card nu-03, field question`.
    pub subject: Option<String>,
    /// The source line at `line_col`, kept for the snippet.
    pub source_line: Option<String>,
}

/// A located problem with a message and an optional hint.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Short, lower-case statement of what is wrong.
    pub message: String,
    /// How to fix it, when we know.
    pub hint: Option<String>,
    /// Where it is.
    pub location: Location,
}

impl Diagnostic {
    /// A new error without location.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, message: message.into(), hint: None, location: Location::default() }
    }
    /// A new warning without location.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(message) }
    }
    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }
    /// Sets the location.
    pub fn at(mut self, location: Location) -> Diagnostic {
        // Keep a subject set earlier if the new location has none.
        let subject = location.subject.clone().or(self.location.subject.take());
        self.location = location;
        self.location.subject = subject;
        self
    }
    /// Sets only the file (no line known).
    pub fn in_file(mut self, file: &Path) -> Diagnostic {
        self.location.file = Some(file.to_path_buf());
        self
    }
    /// Sets the subject (deck, card, field).
    pub fn about(mut self, subject: impl Into<String>) -> Diagnostic {
        self.location.subject = Some(subject.into());
        self
    }
    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic for a terminal, with a source snippet when the line is known.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(s, "{label}: {}", self.message);
        let loc = &self.location;
        if let Some(file) = &loc.file {
            let mut where_ = file.display().to_string();
            if let Some((l, c)) = loc.line_col {
                let _ = write!(where_, ":{l}:{c}");
            }
            if let Some(p) = &loc.json_path {
                let _ = write!(where_, " (at {p})");
            }
            let _ = writeln!(s, "  --> {where_}");
            if let (Some((l, c)), Some(src)) = (loc.line_col, &loc.source_line) {
                let num = l.to_string();
                let pad = " ".repeat(num.len());
                let shown: String = src.chars().take(120).collect();
                let caret_col = src.chars().take(c.saturating_sub(1)).count().min(120);
                let _ = writeln!(s, "  {pad} |");
                let _ = writeln!(s, "  {num} | {shown}");
                let _ = writeln!(s, "  {pad} | {}^", " ".repeat(caret_col));
            }
        }
        if let Some(subject) = &loc.subject {
            let _ = writeln!(s, "   = in {subject}");
        }
        if let Some(h) = &self.hint {
            let _ = writeln!(s, "   = hint: {h}");
        }
        s
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
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_l = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word_l, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names() {
        assert_eq!(did_you_mean("qestion", ["question", "prompt", "title"]), Some("question"));
        assert_eq!(did_you_mean("zzz", ["question", "prompt"]), None);
    }

    #[test]
    fn renders_snippet_with_caret() {
        let d = Diagnostic::error("bad value").with_hint("use a number").at(Location {
            file: Some("decks/x.json".into()),
            line_col: Some((3, 5)),
            json_path: Some("cards[0].copies".into()),
            subject: None,
            source_line: Some("    \"copies\": \"two\"".into()),
        });
        let r = d.render();
        assert!(r.contains("decks/x.json:3:5 (at cards[0].copies)"), "{r}");
        assert!(r.contains("    ^"), "{r}");
        assert!(r.contains("hint: use a number"), "{r}");
    }
}
