//! A deck's `cards_from`: the spreadsheet read, its columns mapped to card keys, and each row
//! turned into the same card data a `cards` entry is, to be checked like one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::card_origin::SheetPlace;
use crate::model::deck::CardsFrom;
use crate::model::source::SourceFile;
use crate::model::spreadsheet::{self, Cell, Format, SheetError, Table, column_index, number_text};

/// The cards of a spreadsheet: where they are, and each non-empty row (1-based) as card data.
pub(super) struct SheetCards {
    /// The file, sheet and columns.
    pub place: Arc<SheetPlace>,
    /// Row number and the card as a `cards` entry would hold it, or the errors of its cells
    /// that cannot be card values.
    pub rows: Vec<(usize, Result<Value, Vec<Diagnostic>>)>,
}

const KEYS_HINT: &str = "card keys are id, category, copies, fields.<name> and back.<name>";

/// Reads `cards_from` (paths relative to `root`); `None` after reporting why it cannot be used.
pub(super) fn read_cards_from(
    spec: &CardsFrom,
    root: &Path,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<SheetCards> {
    let at_file = || file.locate("cards_from.file");
    let Some(format) = Format::of(&spec.file) else {
        diags.push(
            Diagnostic::error(format!("`{}` is not a .csv, .xlsx or .ods file", spec.file))
                .with_hint("save the cards as CSV UTF-8, .xlsx or .ods and name that file")
                .at(at_file()),
        );
        return None;
    };
    let bytes = match crate::paths::read_input(root, &spec.file, spreadsheet::MAX_BYTES) {
        Ok(b) => b,
        Err(e) => {
            let hint = if e.message.starts_with("is larger") { "split the cards into several decks" } else { e.hint };
            diags.push(Diagnostic::error(e.describe("spreadsheet")).with_hint(hint).at(at_file()));
            return None;
        }
    };
    let table = match spreadsheet::read(&bytes, format, spec.sheet.as_deref()) {
        Ok(t) => t,
        Err(e) => {
            let at = match e {
                SheetError::UnknownSheet { .. } | SheetError::SheetInCsv => file.locate("cards_from.sheet"),
                _ => at_file(),
            };
            let mut hint = e.hint();
            if let SheetError::UnknownSheet { name, sheets } = &e
                && let Some(s) = did_you_mean(name, sheets.iter().map(String::as_str))
            {
                hint = format!("did you mean `{s}`? {hint}");
            }
            diags.push(Diagnostic::error(format!("spreadsheet `{}` {e}", spec.file)).with_hint(hint).at(at));
            return None;
        }
    };
    let columns = map_columns(spec, &table, file, diags)?;
    let place = Arc::new(SheetPlace { file: PathBuf::from(&spec.file), sheet: table.sheet.clone(), columns });
    let rows = rows(&place, &table);
    if rows.is_empty() {
        diags.push(
            Diagnostic::error(format!("spreadsheet `{}` has no cards, only its header row", spec.file))
                .with_hint("write one card per row below the header")
                .at(at_file()),
        );
    }
    Some(SheetCards { place, rows })
}

/// Whether `key` names a card value (`fields.question`).
fn is_card_key(key: &str) -> bool {
    matches!(key, "id" | "category" | "copies")
        || ["fields.", "back."].iter().any(|p| key.strip_prefix(p).is_some_and(|n| !n.trim().is_empty()))
}

/// Card key → column and header, from `columns` or (by default) from the headers that are keys.
fn map_columns(
    spec: &CardsFrom,
    table: &Table,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<BTreeMap<String, (usize, String)>> {
    let header = table.header();
    let before = diags.error_count();
    let mut columns = BTreeMap::new();
    match &spec.columns {
        None => {
            for (i, h) in header.iter().enumerate() {
                if is_card_key(h) && columns.insert(h.clone(), (i, h.clone())).is_some() {
                    diags.push(
                        Diagnostic::error(format!("two columns of `{}` are headed `{h}`", spec.file))
                            .with_hint("give each column its own header")
                            .at(file.locate("cards_from.file")),
                    );
                }
            }
        }
        Some(map) => {
            for (key, column) in map {
                let at = file.locate(&format!("cards_from.columns.{key}"));
                if !is_card_key(key) {
                    let mut d = Diagnostic::error(format!("unknown card key `{key}`"));
                    d = match did_you_mean(key, ["id", "category", "copies"]) {
                        Some(s) => d.with_hint(format!("did you mean `{s}`? {KEYS_HINT}")),
                        None => d.with_hint(KEYS_HINT),
                    };
                    diags.push(d.at(file.locate_key(&format!("cards_from.columns.{key}"))));
                    continue;
                }
                let by_header = header.iter().position(|h| h == column.trim());
                let Some(col) = by_header.or_else(|| column_index(column.trim())) else {
                    let heads: Vec<&str> = header.iter().map(String::as_str).filter(|h| !h.is_empty()).collect();
                    let list = format!("the columns of `{}` are headed: {}", spec.file, heads.join(", "));
                    let hint = match did_you_mean(column, heads.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`? {list}"),
                        None => format!("name a column by its letter (\"C\") or its header; {list}"),
                    };
                    diags.push(
                        Diagnostic::error(format!("no column `{column}` in `{}`", spec.file)).with_hint(hint).at(at),
                    );
                    continue;
                };
                columns.insert(key.clone(), (col, header.get(col).cloned().unwrap_or_default()));
            }
        }
    }
    for key in ["id", "category"] {
        if diags.error_count() == before && !columns.contains_key(key) {
            let at = if spec.columns.is_some() { "cards_from.columns" } else { "cards_from" };
            diags.push(
                Diagnostic::error(format!("no column of `{}` gives the cards' `{key}`", spec.file))
                    .with_hint(format!(
                        "head a column `{key}`, or map one in \"columns\": {{\"{key}\": \"A\"}} (a letter or a header)"
                    ))
                    .at(file.locate(at)),
            );
        }
    }
    (diags.error_count() == before).then_some(columns)
}

/// The non-empty rows below the header as card data, or the errors of the cells that cannot be.
fn rows(place: &Arc<SheetPlace>, table: &Table) -> Vec<(usize, Result<Value, Vec<Diagnostic>>)> {
    let mut out = Vec::new();
    for (i, row) in table.rows.iter().enumerate().skip(1) {
        let number = i + 1;
        let cell_at = |col: usize| row.get(col).unwrap_or(&Cell::Empty);
        if place.columns.values().all(|(c, _)| cell_at(*c).is_empty()) {
            continue;
        }
        let mut card = Map::new();
        let (mut fields, mut back) = (Map::new(), Map::new());
        let mut errors = Vec::new();
        for (key, (col, _)) in &place.columns {
            match value(key, cell_at(*col)) {
                Ok(None) => {}
                Ok(Some(v)) => {
                    if let Some(name) = key.strip_prefix("fields.") {
                        fields.insert(name.to_string(), v);
                    } else if let Some(name) = key.strip_prefix("back.") {
                        back.insert(name.to_string(), v);
                    } else {
                        card.insert(key.clone(), v);
                    }
                }
                Err((message, hint)) => {
                    errors.push(Diagnostic::error(message).with_hint(hint).at(place.cell(*col, number)));
                }
            }
        }
        if !errors.is_empty() {
            out.push((number, Err(errors)));
            continue;
        }
        card.insert("fields".into(), Value::Object(fields));
        if !back.is_empty() {
            card.insert("back".into(), Value::Object(back));
        }
        out.push((number, Ok(Value::Object(card))));
    }
    out
}

/// A cell as the value of card key `key`: `None` for an empty optional cell.
fn value(key: &str, cell: &Cell) -> Result<Option<Value>, (String, String)> {
    let required = matches!(key, "id" | "category");
    Ok(Some(match cell {
        Cell::Empty if required => {
            return Err((
                format!("the card's `{key}` is empty"),
                match key {
                    "id" => "give every card row an id, e.g. nu-01 (ids are unique in the deck)".into(),
                    _ => "write the category's id (see \"categories\" in the deck file)".into(),
                },
            ));
        }
        Cell::Empty => return Ok(None),
        // What a date or a truth value looks like depends on the spreadsheet program and its
        // language (2-12-2026, 12/2/26; SAND, TRUE): no text for a card can be read from it.
        Cell::Date(d) => {
            return Err((
                format!("the cell for `{key}` holds a date or time ({d}), not text"),
                "format the cell as text (Format Cells → Text) and type the value again".into(),
            ));
        }
        Cell::Bool(b) if key != "copies" => {
            return Err((
                format!("the cell for `{key}` holds the truth value {}, not text", if *b { "TRUE" } else { "FALSE" }),
                "format the cell as text (Format Cells → Text) and type the value again".into(),
            ));
        }
        Cell::Error(e) => {
            return Err((
                format!("the cell for `{key}` holds the formula error {e}"),
                "fix the formula, or type the value".into(),
            ));
        }
        Cell::Number(n) if key == "copies" => {
            if n.fract() == 0.0 && n.abs() < 1e15 {
                Value::from(*n as i64)
            } else {
                Value::from(*n)
            }
        }
        Cell::Text(s) if key == "copies" => match s.trim().parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => {
                return Err((
                    format!("`copies` must be a whole number, not \"{}\"", s.trim()),
                    "write how many of the card to print in digits, e.g. 2 (an empty cell prints one)".into(),
                ));
            }
        },
        // Only `copies` comes here; the deck check says it is not a number.
        Cell::Bool(b) => Value::Bool(*b),
        Cell::Number(n) => Value::String(number_text(*n)),
        Cell::Text(s) if required => Value::String(s.trim().to_string()),
        Cell::Text(s) => Value::String(s.clone()),
    }))
}
