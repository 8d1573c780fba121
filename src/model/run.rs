//! Print runs as written in JSON (`layouts/runs/*.json`): which products, for which region, how many, delivered how.
//! The resolved run is [`super::print_run::Run`]; `resolve/run.rs` makes one.

use serde::Deserialize;

use super::print_condition::PrintCondition;
use super::range::{Int, Quantity};
use super::sheet::OutputIntentSpec;
use super::standard::PdfxFlavour;

/// A print run as written in JSON.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunFile {
    /// Editor schema reference; ignored.
    #[serde(rename = "$schema", default)]
    #[expect(dead_code, reason = "read from JSON for editors and people; nothing acts on it")]
    pub schema: Option<String>,
    /// Human description, e.g. "Region Hovedstaden, trykkeri, efterår 2026".
    #[serde(default)]
    pub description: Option<String>,
    /// Region id in `decks/regions.json`; its contact data fills `{region.*}`.
    pub region: String,
    /// `print-shop` (PDF/X files for a printer) or `office` (A4 duplex sheets for an office printer).
    pub delivery: Delivery,
    /// Allow building a print-shop run although the region's contact data is marked sample.
    #[serde(default)]
    pub allow_sample_data: bool,
    /// Output folder name under `output/` (default: the run's file name).
    #[serde(default)]
    pub folder: Option<String>,
    /// The job's name on the ticket, as the print shop reads it (e.g. "Dialogkort til jobcentre og
    /// jobcenterfolder"); the region's name follows it. Default: the products' titles.
    #[serde(default)]
    pub title: Option<String>,
    /// The ordering customer, for the job ticket (e.g. "PsykInfo Region Hovedstaden, att. …").
    #[serde(default)]
    pub customer: Option<String>,
    /// Where the print shop delivers the printed job, for the job ticket.
    #[serde(default)]
    pub delivery_address: Option<String>,
    /// The date the printed job must be delivered by, as `YYYY-MM-DD` (a real date).
    #[serde(default)]
    pub deadline: Option<String>,
    /// The date of the order, as `YYYY-MM-DD`: the run's files and job ticket carry it (midnight
    /// UTC) instead of the inputs' modification time, so the run rebuilds to the same bytes
    /// whatever else changes in the project. `tryksag serve` writes the day the order was made.
    #[serde(default)]
    pub date: Option<String>,
    /// Paper, for the job ticket (e.g. "Silk 350 g/m²").
    #[serde(default)]
    pub paper: Option<String>,
    /// Output condition for this paper (default: FOGRA39).
    #[serde(default)]
    pub output_intent: Option<OutputIntentSpec>,
    /// PDF/X flavour (default x4).
    #[serde(default)]
    pub pdfx: Option<PdfxFlavour>,
    /// GWG 2022 print condition the run's files are checked against: `gwg2022-sheet-cmyk`,
    /// `gwg2022-digital` or `none` (default: sheet-fed CMYK for print-shop delivery, none for
    /// office delivery). Wins over the sheet layout's.
    #[serde(default)]
    pub print_condition: Option<PrintCondition>,
    /// Spot colours the press prints (their names as in the layouts, e.g. "PANTONE 3145 C"):
    /// allowed in the sheet-fed CMYK condition.
    #[serde(default)]
    pub press_spot_colors: Vec<String>,
    /// The products.
    pub products: Vec<RunProductSpec>,
}

/// How the run reaches paper.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    /// Files for a print shop: PDF/X, bleed, marks.
    PrintShop,
    /// Files for an office duplex printer.
    Office,
}

/// One product of a run.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RunProductSpec {
    /// A deck or leaflet name (file name without `.json`).
    pub product: String,
    /// How many to print.
    pub quantity: Int<Quantity>,
    /// For decks: `faces` (one card face per page) or `sheets` (imposed). Default: faces for a
    /// print shop, sheets for an office.
    #[serde(default)]
    pub shape: Option<Shape>,
    /// Sheet layout for `sheets` (default `a4`).
    #[serde(default)]
    pub sheet: Option<String>,
}

/// Delivery shape of a deck.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// One card face per page.
    Faces,
    /// Imposed duplex sheets.
    Sheets,
}
