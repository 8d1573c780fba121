//! The model stage: JSON files → validated, resolved data with every error located.
//!
//! Files: `decks/*.json` (what is on the cards) and `layouts/cards/*.json` (how a card looks).
//! Fonts come from `fonts/`. Loading collects all problems of all files before giving up.
//!
//! How the room is laid out:
//! - what the JSON files say (spec types, with serde and the schemas): [`deck`], [`layout`],
//!   [`sheet`], [`leaflet`], [`booklet`], [`run`]; the values in them: [`length`], [`range`], [`color`];
//! - reading them: [`source`] (located JSON), [`discover`] (which files a project has);
//! - turning them into resolved values: [`resolve`], into the types of [`project`],
//!   [`card_layout`], [`leaflet_layout`], [`booklet_layout`], [`element`], [`fold`] and [`output_intent`];
//! - checks across files: `check_fields` (cards against their layout), [`outputs`] (file names).

pub(crate) mod booklet;
pub(crate) mod booklet_layout;
pub(crate) mod card_layout;
pub(crate) mod card_origin;
mod check_fields;
pub(crate) mod color;
pub(crate) mod deck;
pub(crate) mod discover;
pub(crate) mod element;
pub(crate) mod export_cards;
pub(crate) mod fold;
pub(crate) mod layout;
pub(crate) mod leaflet;
pub(crate) mod leaflet_layout;
pub(crate) mod length;
pub(crate) mod output_intent;
pub(crate) mod outputs;
pub(crate) mod overprint;
pub(crate) mod print_condition;
pub(crate) mod print_run;
pub(crate) mod project;
pub(crate) mod range;
pub(crate) mod resolve;
pub(crate) mod rule;
pub(crate) mod run;
pub(crate) mod screen;
pub(crate) mod sheet;
pub(crate) mod sheet_layout;
pub(crate) mod source;
pub(crate) mod spreadsheet;
pub(crate) mod standard;

pub use card_layout::CardLayout;
pub use color::Color;
pub use discover::{DraftRun, LoadOptions, load_project, load_project_with};
pub use element::{ColorRef, Element, ImageSource, Style, TextSource, is_builtin, placeholders};
pub use export_cards::export_cards;
pub use length::{LENGTH_PATTERN, Length};
pub use output_intent::{DEFAULT_PROFILE, MAX_PROFILE_BYTES, OutputIntent, load_output_intent};
pub use print_condition::{PrintCheck, PrintCondition};
pub use print_run::{Run, RunItem, RunProduct};
pub use project::{Card, Category, Deck, Project, Spreadsheets};
pub use resolve::MAX_PRINTED_CARDS;
pub use resolve::sheet::sheet_layout;
pub use sheet::Fill;
pub use sheet_layout::{SheetLayout, TurnAxis};
pub use source::SourceFile;
pub use standard::PdfxFlavour;
