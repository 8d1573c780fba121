//! Resolving a deck file: its layout and sheets looked up, categories and cards checked, into a
//! [`Deck`].

use std::collections::BTreeMap;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::cards_from::read_cards_from;

use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::card_layout::CardLayout;
use crate::model::card_origin::CardOrigin;
use crate::model::check_fields::check_card_fields;
use crate::model::deck;
use crate::model::project::{Card, Category, Deck};
use crate::model::source::{SourceFile, de_located};
use crate::text::hyphenate::Hyphenator;

/// The most cards (copies counted) one deck may print in one file.
pub const MAX_PRINTED_CARDS: u64 = 10_000;

/// Resolves and checks a deck file against the layouts and sheets; `None` when it cannot be laid out.
pub(crate) fn load_deck(
    root: &Path,
    name: String,
    file: Arc<SourceFile>,
    layouts: &BTreeMap<String, CardLayout>,
    sheets: &BTreeMap<String, crate::model::SheetLayout>,
    broken_layouts: &[String],
    diags: &mut Diagnostics,
) -> Option<Deck> {
    let spec: deck::DeckFile = match file.de_root() {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let before = diags.error_count();
    for d in spec.hyphenation.check_keep_together(&file) {
        diags.push(d);
    }
    if spec.language != "da" {
        diags.push(
            Diagnostic::warning(format!(
                "language `{}` has no hyphenation patterns here; only `da` is hyphenated",
                spec.language
            ))
            .at(file.locate("language")),
        );
    }
    let layout = layouts.get(&spec.layout);
    if layout.is_none() && broken_layouts.contains(&spec.layout) {
        // The layout's own errors are reported; this deck cannot be laid out.
        return None;
    }
    if layout.is_none() {
        let mut d = Diagnostic::error(format!("unknown card layout `{}`", spec.layout)).at(file.locate("layout"));
        let names: Vec<&str> = layouts.keys().map(String::as_str).collect();
        d = d.with_hint(match did_you_mean(&spec.layout, names.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? layouts are the files in layouts/cards/: {}", names.join(", ")),
            None => format!("layouts are the files in layouts/cards/ (without .json): {}", names.join(", ")),
        });
        diags.push(d);
    }
    for (i, s) in spec.sheets.iter().enumerate() {
        if !sheets.contains_key(s) && !broken_layouts.contains(s) {
            let names: Vec<&str> = sheets.keys().map(String::as_str).collect();
            let hint = match did_you_mean(s, names.iter().copied()) {
                Some(n) => format!("did you mean `{n}`? sheet layouts in layouts/sheets/: {}", names.join(", ")),
                None => format!("sheet layouts in layouts/sheets/: {}", names.join(", ")),
            };
            diags.push(
                Diagnostic::error(format!("unknown sheet layout `{s}`"))
                    .with_hint(hint)
                    .at(file.locate(&format!("sheets[{i}]"))),
            );
        }
    }
    let mut categories = Vec::new();
    for (i, c) in spec.categories.iter().enumerate() {
        if categories.iter().any(|x: &Category| x.id == c.id) {
            diags.push(
                Diagnostic::error(format!("category `{}` is defined twice", c.id))
                    .at(file.locate(&format!("categories[{i}].id"))),
            );
        }
        if let Some(l) = layout
            && !l.category_colors.contains_key(&c.id)
            && l.default_category_color.is_none()
        {
            diags.push(
                Diagnostic::error(format!("layout `{}` has no styling for category `{}`", l.name, c.id))
                    .with_hint(format!(
                        "add \"{}\": {{\"color\": …}} (or a \"*\" default) to \"categories\" in {}",
                        c.id,
                        l.file.path.display()
                    ))
                    .at(file.locate(&format!("categories[{i}].id"))),
            );
        }
        if let Some(l) = layout
            && l.needs_category_icon()
            && l.category_icon(&c.id).is_none()
        {
            diags.push(
                Diagnostic::error(format!("layout `{}` shows category icons but has none for `{}`", l.name, c.id))
                    .with_hint(format!(
                        "add \"icon\": \"…svg\" to \"categories\".\"{}\" (or to \"*\") in {}, or make the image element optional",
                        c.id,
                        l.file.path.display()
                    ))
                    .at(file.locate(&format!("categories[{i}].id"))),
            );
        }
        categories.push(Category { id: c.id.clone(), label: c.label.clone() });
    }
    let mut cards: Vec<Card> = Vec::with_capacity(spec.cards.len());
    // Ids seen so far (a set: decks of thousands of cards must not check in quadratic time).
    let mut ids = std::collections::HashSet::with_capacity(spec.cards.len());
    let check = CardCheck { file: &file, categories: &categories, layout };
    // Each card is checked on its own (on all cores: a deck may hold thousands); ids are then
    // admitted in the deck's order, so that the second of two equal ids is the one reported.
    let checked: Vec<Checked> = {
        use rayon::prelude::*;
        spec.cards.par_iter().enumerate().map(|(i, raw)| check.checked(raw, CardOrigin::Deck(i))).collect()
    };
    for c in checked {
        cards.extend(check.admit(c, &mut ids, diags));
    }
    if let Some(from) = &spec.cards_from
        && let Some(sheet) = read_cards_from(from, root, &file, diags)
    {
        for (row, raw) in &sheet.rows {
            match raw {
                Ok(raw) => {
                    let c = check.checked(raw, CardOrigin::Row(sheet.place.clone(), *row));
                    cards.extend(check.admit(c, &mut ids, diags));
                }
                Err(errors) => diags.extend(errors.iter().cloned()),
            }
        }
    }
    if spec.cards.is_empty() && spec.cards_from.is_none() {
        diags.push(Diagnostic::error("the deck has no cards").at(file.locate("cards")));
    }
    // Memory and time follow the printed cards; keep one file of a size a press and a PDF viewer
    // handle (the bench's largest deck).
    let printed: u64 = cards.iter().map(|c| u64::from(c.copies)).sum();
    if printed > MAX_PRINTED_CARDS {
        diags.push(
            Diagnostic::error(format!(
                "the deck prints {printed} cards (with `copies`), more than the {MAX_PRINTED_CARDS} one file may hold"
            ))
            .with_hint(
                "lower `copies`, or split the deck into several files; the print run's `quantity` orders more copies",
            )
            .at(file.locate("cards")),
        );
    }
    let load_errors = diags.error_count() - before;
    layout?;
    Some(Deck {
        load_errors,
        name,
        hyphenator: Hyphenator::new(spec.hyphenation.exceptions.iter().map(String::as_str)),
        keep_together: spec.hyphenation.keep_together,
        file,
        title: spec.title,
        subtitle: spec.subtitle,
        language: spec.language,
        layout: spec.layout,
        sender: spec.sender,
        sheets: spec.sheets,
        faces_crop_marks: spec.faces.crop_marks,
        categories,
        cards,
        cards_from: spec.cards_from.map(|f| crate::paths::lexical(Path::new(&f.file))),
    })
}

/// What every card of a deck is checked against, wherever it is written.
struct CardCheck<'a> {
    file: &'a SourceFile,
    categories: &'a [Category],
    layout: Option<&'a CardLayout>,
}

/// One card's data checked on its own: the card and what was found, or why it is no card.
enum Checked {
    /// The card did not deserialize.
    Broken(Diagnostic),
    /// The card, and the problems with its category and fields (in the order they are reported).
    Card(Card, Diagnostics),
}

impl CardCheck<'_> {
    /// Checks one card's data (an entry of `cards`, or a spreadsheet row made into one) against
    /// everything but the other cards; every error is located at `origin`.
    fn checked(&self, raw: &Value, origin: CardOrigin) -> Checked {
        let file = self.file;
        let locate = |p: &str, key: bool| if key { origin.locate_key(file, p) } else { origin.locate(file, p) };
        let c: deck::CardSpec = match de_located(raw, &locate) {
            Ok(c) => c,
            Err(d) => return Checked::Broken(d),
        };
        let mut found = Diagnostics::default();
        if !self.categories.iter().any(|x| x.id == c.category) {
            let ids: Vec<&str> = self.categories.iter().map(|x| x.id.as_str()).collect();
            let hint = match did_you_mean(&c.category, ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? categories: {}", ids.join(", ")),
                None => format!("categories of this deck: {}", ids.join(", ")),
            };
            found.push(
                Diagnostic::error(format!("unknown category `{}`", c.category))
                    .with_hint(hint)
                    .at(origin.locate(file, "category")),
            );
        }
        if let Some(l) = self.layout {
            check_card_fields(&c, &origin, l, file, &mut found);
        }
        // An empty text counts as absent, as an empty spreadsheet cell does: an optional field
        // written as "" leaves its box out (and an empty `back` is the common back), so that a
        // deck exported to a spreadsheet reads back into the same cards.
        let mut c = c;
        c.fields.retain(|_, v| !v.trim().is_empty());
        c.back.retain(|_, v| !v.trim().is_empty());
        let card =
            Card { origin, id: c.id, category: c.category, fields: c.fields, back: c.back, copies: c.copies.get() };
        Checked::Card(card, found)
    }

    /// Admits a checked card after those before it: a second card with an id already `ids` is
    /// reported before the card's own problems.
    fn admit(&self, checked: Checked, ids: &mut HashSet<String>, diags: &mut Diagnostics) -> Option<Card> {
        let (card, found) = match checked {
            Checked::Broken(d) => {
                diags.push(d);
                return None;
            }
            Checked::Card(card, found) => (card, found),
        };
        if !ids.insert(card.id.clone()) {
            diags.push(
                Diagnostic::error(format!("card id `{}` is used twice", card.id))
                    .with_hint("card ids must be unique within a deck")
                    .at(card.origin.locate(self.file, "id")),
            );
        }
        diags.extend(found.0);
        Some(card)
    }
}
