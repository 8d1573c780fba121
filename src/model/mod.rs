//! The model stage: JSON files → validated, resolved data with every error located.
//!
//! Files: `decks/*.json` (what is on the cards) and `layouts/cards/*.json` (how a card looks).
//! Fonts come from `fonts/`. Loading collects all problems of all files before giving up.
//!
//! How the room is laid out:
//! - what the JSON files say (spec types, with serde and the schemas): [`deck`], [`layout`],
//!   [`sheet`], [`leaflet`], [`run`]; the values in them: [`length`], [`range`], [`color`];
//! - reading them: [`source`] (located JSON), [`discover`] (which files a project has);
//! - turning them into resolved values: [`resolve`], into the types of [`project`],
//!   [`card_layout`], [`leaflet_layout`], [`element`], [`fold`] and [`output_intent`];
//! - checks across files: `check_fields` (cards against their layout), [`outputs`] (file names).

pub mod card_layout;
mod check_fields;
pub mod color;
pub mod deck;
pub mod discover;
pub mod element;
pub mod fold;
pub mod layout;
pub mod leaflet;
pub mod leaflet_layout;
pub mod length;
pub mod output_intent;
pub mod outputs;
pub mod project;
pub mod range;
pub mod resolve;
pub mod rule;
pub mod run;
pub mod sheet;
pub mod source;
pub mod standard;

pub use card_layout::CardLayout;
pub use discover::{load_project, load_project_with};
pub use element::{ColorRef, Element, ImageSource, Style, TextSource, is_builtin, placeholders};
pub use output_intent::{DEFAULT_PROFILE, MAX_PROFILE_BYTES, OutputIntent, load_output_intent};
pub use project::{Card, Category, Deck, Project};
pub use resolve::MAX_PRINTED_CARDS;
