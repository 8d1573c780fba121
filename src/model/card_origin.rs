//! Where a card was written: an entry of the deck's `cards` array or a row of the spreadsheet
//! named by `cards_from`, so that every later error about the card points there.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::source::{SourceFile, join_path};
use super::spreadsheet::column_letters;
use crate::diag::Location;

/// The origin of one card.
#[derive(Clone, Debug)]
pub enum CardOrigin {
    /// `cards[i]` of the deck file.
    Deck(usize),
    /// A row of a spreadsheet (1-based, as the spreadsheet shows it).
    Row(Arc<SheetPlace>, usize),
}

/// A spreadsheet cards come from, and which column holds which card key.
#[derive(Debug)]
pub struct SheetPlace {
    /// The file, relative to the project folder.
    pub file: PathBuf,
    /// The worksheet's name; `None` for CSV.
    pub sheet: Option<String>,
    /// Card key (`id`, `fields.question`) → 0-based column and its header text.
    pub columns: BTreeMap<String, (usize, String)>,
}

impl SheetPlace {
    /// The location of the cell in `col` (0-based) and `row` (1-based), with its header.
    pub fn cell(&self, col: usize, row: usize) -> Location {
        let header = self.columns.values().find(|(c, _)| *c == col).map(|(_, h)| h.as_str()).unwrap_or("");
        let mut cell = format!("{}{}{row}", self.sheet_prefix(), column_letters(col));
        if !header.is_empty() {
            cell.push_str(&format!(" (column \"{header}\")"));
        }
        Location { file: Some(self.file.clone()), cell: Some(cell), ..Location::default() }
    }

    /// The location of a whole row (1-based).
    pub fn row(&self, row: usize) -> Location {
        Location {
            file: Some(self.file.clone()),
            cell: Some(format!("{}row {row}", self.sheet_prefix())),
            ..Location::default()
        }
    }

    fn sheet_prefix(&self) -> String {
        self.sheet.as_ref().map(|s| format!("{s}!")).unwrap_or_default()
    }
}

impl CardOrigin {
    /// The location of the card's value at `sub` (`id`, `category`, `fields.question`, `fields`,
    /// or empty for the whole card); `deck` is the deck file.
    pub fn locate(&self, deck: &SourceFile, sub: &str) -> Location {
        match self {
            CardOrigin::Deck(i) => deck.locate(&join_path(&format!("cards[{i}]"), sub)),
            CardOrigin::Row(place, row) => match place.columns.get(sub) {
                Some((col, _)) => place.cell(*col, *row),
                None => place.row(*row),
            },
        }
    }

    /// Where a field the card lacks belongs (`question`, `back.note`): the card's `fields` in
    /// the deck file, or the field's cell when a column holds it (an empty cell).
    pub fn locate_missing(&self, deck: &SourceFile, field: &str) -> Location {
        match self {
            CardOrigin::Deck(_) => self.locate(deck, "fields"),
            CardOrigin::Row(..) if field.starts_with("back.") => self.locate(deck, field),
            CardOrigin::Row(..) => self.locate(deck, &format!("fields.{field}")),
        }
    }

    /// Like [`CardOrigin::locate`], but the key of a member of the deck file.
    pub fn locate_key(&self, deck: &SourceFile, sub: &str) -> Location {
        match self {
            CardOrigin::Deck(i) => deck.locate_key(&join_path(&format!("cards[{i}]"), sub)),
            CardOrigin::Row(..) => self.locate(deck, sub),
        }
    }
}
