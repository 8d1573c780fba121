//! The deck file (`decks/*.json`): what is on the cards.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::range::{Copies, Int};

/// A deck as written in JSON. Cards are kept raw here and checked one by one, so that one bad card
/// does not hide the errors of the others.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeckFile {
    /// Editor schema reference; ignored.
    #[serde(rename = "$schema", default)]
    #[expect(dead_code, reason = "read from JSON for editors and people; nothing acts on it")]
    pub schema: Option<String>,
    /// Deck title, e.g. "Dialogkort til jobcentre".
    pub title: String,
    /// Optional subtitle.
    #[serde(default)]
    pub subtitle: Option<String>,
    /// BCP 47 language tag; hyphenation supports `da`.
    pub language: String,
    /// Name of the card layout in `layouts/` (file name without `.json`).
    pub layout: String,
    /// Sender line, e.g. "PsykInfo · EN AF OS".
    #[serde(default)]
    pub sender: Option<String>,
    /// Hyphenation settings.
    #[serde(default)]
    pub hyphenation: HyphenationSpec,
    /// Sheet layouts (names in `layouts/sheets/`) to impose the deck on; each gives
    /// `output/<deck>-<sheet>.pdf`.
    #[serde(default)]
    pub sheets: Vec<String>,
    /// The one-face-per-page delivery (`<deck>-faces.pdf`).
    #[serde(default)]
    pub faces: FacesSpec,
    /// The categories cards belong to, in display order.
    pub categories: Vec<CategorySpec>,
    /// The cards (may be empty when `cards_from` gives them).
    #[serde(default)]
    #[schemars(with = "Vec<CardSpec>")]
    pub cards: Vec<Value>,
    /// Cards taken from a spreadsheet, after those of `cards`.
    #[serde(default)]
    pub cards_from: Option<CardsFrom>,
}

/// A spreadsheet (`.csv`, `.xlsx` or `.ods`) whose rows are cards: the first row names the
/// columns, every other non-empty row is one card.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CardsFrom {
    /// The file, relative to the project folder, e.g. `decks/dialogkort.xlsx`.
    pub file: String,
    /// The worksheet of an `.xlsx` or `.ods` file (default: the first).
    #[serde(default)]
    pub sheet: Option<String>,
    /// Card key (`id`, `category`, `copies`, `fields.<name>`, `back.<name>`) → the column that
    /// holds it, by its letter (`"A"`) or its header text (`"Spørgsmål"`). Default: every column
    /// whose header is a card key.
    #[serde(default)]
    pub columns: Option<BTreeMap<String, String>>,
}

/// Options of the one-face-per-page file.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FacesSpec {
    /// Crop marks around each card (the page grows to hold them); default false, as online print
    /// shops want.
    #[serde(default)]
    pub crop_marks: bool,
}

/// Per-deck hyphenation settings.
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HyphenationSpec {
    /// Words with their allowed break points marked by `-`, e.g. `"job-kon-su-lent"`. A word
    /// listed without any `-` is never hyphenated.
    #[serde(default)]
    pub exceptions: Vec<String>,
    /// Phrases and names never broken across lines nor hyphenated, e.g. `["EN AF OS",
    /// "PsykInfo"]`. Numbers with units, "kl. 9", phone numbers, the space before a clause's dash
    /// and abbreviations such as "f.eks." before a lower-case word are kept together anyway.
    #[serde(default)]
    pub keep_together: Vec<String>,
}

impl HyphenationSpec {
    /// Located errors for keep-together phrases that cannot be matched (empty, or holding a line
    /// break).
    pub(crate) fn check_keep_together(&self, file: &crate::model::source::SourceFile) -> Vec<crate::diag::Diagnostic> {
        self.keep_together
            .iter()
            .enumerate()
            .filter(|(_, p)| p.trim().is_empty() || p.contains('\n'))
            .map(|(i, p)| {
                crate::diag::Diagnostic::error(format!("keep-together phrase {p:?} is empty or holds a line break"))
                    .with_hint("write the phrase as it appears in the text, on one line, e.g. \"EN AF OS\"")
                    .at(file.locate(&format!("hyphenation.keep_together.{i}")))
            })
            .collect()
    }
}

/// A card category.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategorySpec {
    /// Short id used by cards and layouts.
    pub id: String,
    /// Label printed on the card.
    pub label: String,
}

/// One card.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CardSpec {
    /// Unique id, used in diagnostics and file names.
    pub id: String,
    /// Category id.
    pub category: String,
    /// Text fields bound by the layout's text boxes (e.g. `title`, `question`, `prompt`).
    pub fields: BTreeMap<String, String>,
    /// Fields for this card's own back, bound as `back.<name>`; absent means the common back.
    #[serde(default)]
    pub back: BTreeMap<String, String>,
    /// How many of this card to print (default 1).
    #[serde(default = "one")]
    pub copies: Int<Copies>,
}

fn one() -> Int<Copies> {
    Int::of(1)
}
