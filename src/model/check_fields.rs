//! Cross-file check: each card's fields against the fields its card layout shows.

use super::card_layout::CardLayout;
use super::card_origin::CardOrigin;
use super::deck;
use super::source::SourceFile;
use crate::diag::{Diagnostic, Diagnostics, did_you_mean};

/// Cards must provide what the layout binds; fields nobody shows are probably typos.
pub(crate) fn check_card_fields(
    c: &deck::CardSpec,
    origin: &CardOrigin,
    l: &CardLayout,
    file: &SourceFile,
    diags: &mut Diagnostics,
) {
    let bound = l.bound_fields();
    for (name, optional) in &bound {
        let value = match name.strip_prefix("back.") {
            Some(b) => c.back.get(b),
            None => c.fields.get(name.as_str()),
        };
        // An empty text is no text (as an empty spreadsheet cell is no value): where the layout
        // needs one, that is an error at the empty value.
        if value.is_some_and(|v| v.trim().is_empty()) && !optional {
            let at = if name.starts_with("back.") { name.clone() } else { format!("fields.{name}") };
            diags.push(
                Diagnostic::error(format!(
                    "field `{name}` of card `{}` is empty, and layout `{}` shows it",
                    c.id, l.name
                ))
                .with_hint(format!(
                    "write the text, or mark the text box \"optional\": true in {}",
                    l.file.path.display()
                ))
                .at(origin.locate(file, &at)),
            );
            continue;
        }
        if value.is_none() && !optional {
            diags.push(
                Diagnostic::error(format!("card `{}` has no field `{name}`, which layout `{}` shows", c.id, l.name))
                    .with_hint(format!(
                        "add \"{name}\": \"…\" to the card's \"fields\", or mark the text box \"optional\": true in {}",
                        l.file.path.display()
                    ))
                    .at(origin.locate_missing(file, name)),
            );
        }
    }
    let known: Vec<&str> = bound.iter().map(|(n, _)| n.as_str()).collect();
    for (prefix, map) in [("", &c.fields), ("back.", &c.back)] {
        for key in map.keys() {
            let full = format!("{prefix}{key}");
            if !known.contains(&full.as_str()) {
                let mut d = Diagnostic::warning(format!(
                    "field `{full}` of card `{}` is not shown by layout `{}`",
                    c.id, l.name
                ))
                .at(origin.locate_key(file, &format!("{}{key}", if prefix.is_empty() { "fields." } else { "back." })));
                if let Some(s) = did_you_mean(&full, known.iter().copied()) {
                    d = d.with_hint(format!("did you mean `{s}`?"));
                }
                diags.push(d);
            }
        }
    }
}
