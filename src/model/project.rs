//! The resolved project: the values a build reads after loading — the project with its decks,
//! categories and cards, and the leaflets with their flowing text (layouts and runs have their
//! own files).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use super::card_layout::CardLayout;
use super::leaflet;
use super::output_intent::OutputIntent;
use super::source::SourceFile;
use crate::text::FontBook;
use crate::text::hyphenate::Hyphenator;
use crate::units::Pt;

/// A category of a deck.
#[derive(Clone, Debug)]
pub struct Category {
    /// Id.
    pub id: String,
    /// Printed label.
    pub label: String,
}

/// A card, validated.
#[derive(Clone, Debug)]
pub struct Card {
    /// Where the card is written (for locating errors).
    pub origin: super::card_origin::CardOrigin,
    /// Unique id.
    pub id: String,
    /// Category id (known to the deck).
    pub category: String,
    /// Front text fields.
    pub fields: BTreeMap<String, String>,
    /// Own back fields (empty: common back).
    pub back: BTreeMap<String, String>,
    /// Copies to print.
    pub copies: u32,
}

/// A validated deck.
#[derive(Debug)]
pub struct Deck {
    /// File stem, used for output names.
    pub name: String,
    /// The source, for locating errors found later.
    pub file: Arc<SourceFile>,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Language tag.
    pub language: String,
    /// Card layout name.
    pub layout: String,
    /// Sender line.
    pub sender: Option<String>,
    /// Hyphenation rules.
    pub hyphenator: Hyphenator,
    /// Phrases never broken across lines.
    pub keep_together: Vec<String>,
    /// Sheet layouts to impose on.
    pub sheets: Vec<String>,
    /// Crop marks on the faces file.
    pub faces_crop_marks: bool,
    /// Categories in order.
    pub categories: Vec<Category>,
    /// Cards in order.
    pub cards: Vec<Card>,
    /// Errors found while loading; a deck with errors is laid out (to find more) but not written.
    pub load_errors: usize,
    /// The spreadsheet the deck takes cards from (`cards_from`), relative to the project folder
    /// as [`crate::paths::lexical`] writes it; also when it could not be read.
    pub cards_from: Option<PathBuf>,
}

impl Deck {
    /// The label of a category id.
    pub fn category_label<'a>(&'a self, id: &'a str) -> &'a str {
        self.categories.iter().find(|c| c.id == id).map(|c| c.label.as_str()).unwrap_or(id)
    }
}

/// Everything a build needs, loaded from a project directory.
#[derive(Debug)]
pub struct Project {
    /// The project root.
    pub root: PathBuf,
    /// Fonts from `fonts/`.
    pub fonts: Arc<FontBook>,
    /// Card layouts by name.
    pub layouts: BTreeMap<String, CardLayout>,
    /// Sheet layouts by name.
    pub sheets: BTreeMap<String, crate::model::SheetLayout>,
    /// Decks in file-name order.
    pub decks: Vec<Deck>,
    /// The default output intent (FOGRA39).
    pub output_intent: OutputIntent,
    /// Leaflet layouts by name.
    pub leaflet_layouts: BTreeMap<String, leaflet::LeafletLayout>,
    /// Leaflets in file-name order.
    pub leaflets: Vec<leaflet::Leaflet>,
    /// Booklet layouts by name.
    pub booklet_layouts: BTreeMap<String, super::booklet::BookletLayout>,
    /// Booklets in file-name order.
    pub booklets: Vec<super::booklet::Booklet>,
    /// Regions (contact data), with their source file.
    pub regions: Vec<leaflet::Region>,
    /// The regions file, for locating problems.
    pub regions_file: Option<Arc<SourceFile>>,
    /// Print runs in file-name order.
    pub runs: Vec<super::print_run::Run>,
    /// Output names that are unusable or shared by two outputs ([`outputs::check_outputs`]); with
    /// any, nothing is written.
    pub output_conflicts: usize,
}

/// The spreadsheets decks take their cards from: each file (relative to the project folder) with
/// the names of the decks that read it.
pub type Spreadsheets = BTreeMap<PathBuf, Vec<String>>;

impl Project {
    /// Which decks read which spreadsheet (`cards_from`), so that a change to one rebuilds them.
    pub fn spreadsheets(&self) -> Spreadsheets {
        let mut map = Spreadsheets::new();
        for d in &self.decks {
            if let Some(f) = &d.cards_from {
                map.entry(f.clone()).or_default().push(d.name.clone());
            }
        }
        map
    }
}

/// A resolved flow block.
#[derive(Clone, Debug, PartialEq)]
pub enum FlowBlock {
    /// Heading text.
    Heading(String),
    /// Paragraph markup.
    Paragraph(String),
    /// List items.
    List(Vec<String>),
    /// An image: file, alt text, height.
    Image(String, String, Pt),
}

/// A resolved leaflet.
#[derive(Debug)]
pub struct Leaflet {
    /// File stem (product name).
    pub name: String,
    /// Source file.
    pub file: Arc<SourceFile>,
    /// Title.
    pub title: String,
    /// Language.
    pub language: String,
    /// Layout name.
    pub layout: String,
    /// Region id.
    pub region: String,
    /// Short product name for the job ticket, if given.
    pub short_title: Option<String>,
    /// Template fields.
    pub fields: BTreeMap<String, String>,
    /// Web addresses the text refers to: (label, URL).
    pub links: Vec<(String, String)>,
    /// Hyphenation.
    pub hyphenator: Hyphenator,
    /// Phrases never broken across lines.
    pub keep_together: Vec<String>,
    /// Flowing text, with each block's JSON path.
    pub flow: Vec<(FlowBlock, String)>,
}
