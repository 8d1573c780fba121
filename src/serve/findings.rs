//! Diagnostics as staff read them: a plain Danish headline, where it is (card, panel, field or
//! file), and the command line's message kept as the detail for whoever fixes the files.

use crate::diag::{Diagnostic, Severity};

/// One diagnostic, told in plain Danish for the pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Whether it stops the order (an error) or only asks for a look (a warning).
    pub blocks: bool,
    /// What is wrong, in a sentence without technical words.
    pub headline: String,
    /// Where: the card, panel or field it concerns, or the file and line.
    pub place: Option<String>,
    /// What to do about it, in Danish, when there is something a staff member can do.
    pub advice: Option<String>,
    /// The command line's message, hint and location, for the person who edits the files.
    pub detail: String,
}

/// The Danish reading of one diagnostic.
pub fn finding(d: &Diagnostic) -> Finding {
    let blocks = d.severity == Severity::Error;
    let headline = if blocks {
        "Der er en fejl, som skal rettes, før filerne kan laves.".to_string()
    } else {
        "Der er noget, som bør ses efter, før der trykkes.".to_string()
    };
    Finding { blocks, headline, place: place(d), advice: None, detail: d.render() }
}

/// The card, panel or field a diagnostic concerns, else its file and line.
fn place(d: &Diagnostic) -> Option<String> {
    let loc = &d.location;
    if let Some(s) = &loc.subject {
        return Some(s.clone());
    }
    let file = loc.file.as_ref()?.display().to_string();
    Some(match loc.line_col {
        Some((line, _)) => format!("{file}, linje {line}"),
        None => file,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;

    #[test]
    fn an_error_blocks_and_keeps_the_message_as_detail() {
        let d = Diagnostic::error("text does not fit").with_hint("shorten it").about("deck d, card c1");
        let f = finding(&d);
        assert!(f.blocks);
        assert_eq!(f.place.as_deref(), Some("deck d, card c1"));
        assert!(f.detail.contains("text does not fit") && f.detail.contains("shorten it"), "{}", f.detail);
    }

    #[test]
    fn a_warning_does_not_block_and_is_placed_by_file_and_line() {
        let d = Diagnostic::warning("loose line").at(Location {
            file: Some("decks/d.json".into()),
            line_col: Some((12, 3)),
            ..Location::default()
        });
        let f = finding(&d);
        assert!(!f.blocks);
        assert_eq!(f.place.as_deref(), Some("decks/d.json, linje 12"));
    }
}
