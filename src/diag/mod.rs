//! Diagnostics: the one error type of tryksag.
//!
//! Every problem (bad JSON, an unknown font, text that does not fit) becomes a [`Diagnostic`] with
//! a location: a file with line, column and JSON path, and/or the subject it concerns (deck, card,
//! field). Runs collect all diagnostics and print them together.

use std::path::{Path, PathBuf};

use serde::Serialize;

mod group;
mod render;
mod suggest;
#[cfg(test)]
mod tests;
mod text;

pub use group::Folded;
pub use suggest::did_you_mean;
use text::{MAX_HINT, MAX_MESSAGE, bounded};
pub use text::{MAX_QUOTE, escape_controls, excerpt};

/// How serious a diagnostic is. In JSON: `"error"` or `"warning"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
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
    /// The spreadsheet cell (or row) in `file`, as a spreadsheet user reads it, with its column's
    /// header: `Kort!C14 (column "Spørgsmål")`. In JSON only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
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
    /// The rule of a print standard it breaks, e.g. `GWG 4.14 small text` (shown as the
    /// diagnostic's code; in JSON only when set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
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
    /// A print-condition (GWG) rule: it differs with the condition a file is checked against,
    /// so each variant of a deck's layout reports it.
    PrintRule,
    /// An image with too few pixels for its placed size (like [`Topic::Image`], it differs with
    /// the output condition).
    CoarseImage,
    /// Sample contact data in a region that a print-shop run uses.
    SampleData,
    /// Text that does not fit its box, its panel or the leaflet.
    Overflow,
    /// A character no font of the style has a glyph for.
    MissingGlyph(char),
    /// A text box outside the safe area, where cutting may take it.
    SafeArea,
    /// Text too close in colour to what is beneath it.
    Contrast,
    /// Lines that could not be set within the spacing tolerance.
    LooseLines,
    /// A paragraph ending in a line shorter than its style allows.
    ShortLastLine,
    /// An input file that cannot be read: unreadable, not UTF-8, or not valid JSON.
    Syntax,
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
    /// The subjects of repeats already folded into this one ([`Folded`]), distinct and in the
    /// order they were met; the message still names only `item` until [`Diagnostics::grouped`].
    pub more: Vec<String>,
}

impl Diagnostic {
    /// A new error without location. Like every text a diagnostic takes, the message is
    /// [bounded](bounded): input it quotes cannot flood or control the terminal.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: bounded(&message.into(), MAX_MESSAGE),
            hint: None,
            rule: None,
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
        self.group = Some(Group { template: template.into(), noun: noun.into(), item: item.into(), more: Vec::new() });
        self
    }
    /// Names the rule of a print standard the diagnostic is about.
    #[must_use]
    pub fn with_rule(mut self, rule: &'static str) -> Diagnostic {
        self.rule = Some(rule);
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
}

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
