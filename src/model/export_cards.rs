//! `tryksag export-cards`: a deck's cards written as a spreadsheet (`.xlsx` or `.csv`) that
//! `cards_from` reads back into the same cards, so that an editor can start from a deck.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::project::{Card, Deck};
use super::spreadsheet::Format;
use crate::diag::Diagnostic;

/// The worksheet an exported workbook holds its cards on.
pub const SHEET: &str = "Kort";

/// The header row: `id`, `category`, `copies`, then every `fields.*` and `back.*` a card has.
fn header(cards: &[Card]) -> Vec<String> {
    let fields: BTreeSet<&String> = cards.iter().flat_map(|c| c.fields.keys()).collect();
    let back: BTreeSet<&String> = cards.iter().flat_map(|c| c.back.keys()).collect();
    let mut h: Vec<String> = ["id", "category", "copies"].map(String::from).to_vec();
    h.extend(fields.into_iter().map(|f| format!("fields.{f}")));
    h.extend(back.into_iter().map(|b| format!("back.{b}")));
    h
}

/// The text of `card`'s column `key` (not `copies`).
fn text<'a>(card: &'a Card, key: &str) -> &'a str {
    match key {
        "id" => &card.id,
        "category" => &card.category,
        _ => match key.split_once('.') {
            Some(("fields", f)) => card.fields.get(f).map_or("", String::as_str),
            Some(("back", b)) => card.back.get(b).map_or("", String::as_str),
            _ => "",
        },
    }
}

/// The deck's cards as an `.xlsx` workbook (one sheet, [`SHEET`]).
fn xlsx(cards: &[Card]) -> Result<Vec<u8>, String> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(SHEET).map_err(|e| e.to_string())?;
    let header = header(cards);
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, h) in header.iter().enumerate() {
        let col = u16::try_from(c).map_err(|_| "too many fields for one sheet".to_string())?;
        sheet.write_string_with_format(0, col, h, &bold).map_err(|e| e.to_string())?;
        for (r, card) in cards.iter().enumerate() {
            let row = u32::try_from(r + 1).map_err(|_| "too many cards for one sheet".to_string())?;
            if h == "copies" {
                sheet.write_number(row, col, f64::from(card.copies)).map_err(|e| e.to_string())?;
            } else if !text(card, h).is_empty() {
                // Longer than a cell may hold (32 767 characters) is an error, never cut.
                sheet.write_string(row, col, text(card, h)).map_err(|e| format!("card `{}`, `{h}`: {e}", card.id))?;
            }
        }
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

/// The deck's cards as CSV UTF-8 with a BOM and `;` between fields, as Danish Excel opens it.
fn csv(cards: &[Card]) -> Result<Vec<u8>, String> {
    let mut w = csv::WriterBuilder::new().delimiter(b';').terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let header = header(cards);
    w.write_record(&header).map_err(|e| e.to_string())?;
    for card in cards {
        let copies = card.copies.to_string();
        w.write_record(header.iter().map(|h| if h == "copies" { copies.as_str() } else { text(card, h) }))
            .map_err(|e| e.to_string())?;
    }
    let mut out = b"\xEF\xBB\xBF".to_vec();
    out.extend(w.into_inner().map_err(|e| e.to_string())?);
    Ok(out)
}

/// Writes `deck`'s cards to `to` (a path relative to the project folder `root`, ending in
/// `.xlsx` or `.csv`), atomically; returns the file written.
///
/// # Errors
///
/// A path that is not a spreadsheet's or leaves the project, or a file that cannot be written.
pub fn export_cards(root: &Path, deck: &Deck, to: &str) -> Result<PathBuf, Diagnostic> {
    let refuse = |message: String, hint: &str| Err(Diagnostic::error(message).with_hint(hint));
    if let Err(e) = crate::paths::check_relative(to) {
        return refuse(e.describe("the spreadsheet"), e.hint);
    }
    let bytes = match Format::of(to) {
        Some(Format::Xlsx) => xlsx(&deck.cards),
        Some(Format::Csv) => csv(&deck.cards),
        _ => return refuse(format!("`{to}` is not an .xlsx or .csv file"), "name a file ending in .xlsx or .csv"),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return refuse(format!("the cards cannot be written as a spreadsheet: {e}"), "shorten the text"),
    };
    let path = root.join(to);
    // Links may not take the file out of the project: the nearest folder that exists (and the
    // file, if it exists) must lie inside it.
    let inside = |p: &Path| match (p.canonicalize(), root.canonicalize()) {
        (Ok(p), Ok(r)) => p.starts_with(r),
        _ => false,
    };
    let folder = path.ancestors().skip(1).find(|a| a.exists()).unwrap_or(root);
    if !inside(folder) || (path.exists() && !inside(&path)) || path.is_dir() {
        return refuse(
            format!("`{to}` is not a file inside the project folder"),
            "write the spreadsheet into the project, e.g. decks/dialogkort.xlsx",
        );
    }
    crate::files::write_atomic(&path, &bytes)
        .map_err(|e| Diagnostic::error(e.to_string()).with_hint("check the folder's permissions"))?;
    Ok(path)
}
