//! Showing a diagnostic: as plain text or with ANSI colours, through codespan-reporting, with a
//! bounded, escaped excerpt of the source line and a caret under the column.

use std::fmt::Write as _;
use std::io::Write as _;

use codespan_reporting::diagnostic as cr;
use codespan_reporting::files as cr_files;
use codespan_reporting::term::{self, termcolor::WriteColor as _};

use super::text::*;
use super::*;

impl Diagnostic {
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
        if let Some(rule) = self.rule {
            report = report.with_code(rule);
        }
        let file = loc.file.as_ref().map(|f| escape_controls(&f.display().to_string()));
        let at = match (&loc.cell, &loc.json_path) {
            (Some(cell), _) => format!(", cell {}", escape_controls(cell)),
            (None, Some(p)) => format!(" (at {p})"),
            (None, None) => String::new(),
        };
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
pub(super) fn buffer(colour: bool) -> term::termcolor::Buffer {
    if colour { term::termcolor::Buffer::ansi() } else { term::termcolor::Buffer::no_color() }
}

/// The one line a snippet shows, as codespan-reporting's file database: the bounded, escaped
/// excerpt as text, reported at the line and column the location names.
#[derive(Default)]
pub(super) struct Excerpt {
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
