//! A resolved print run: its region, delivery, output condition, and the products it makes.

use std::sync::Arc;

use super::output_intent::OutputIntent;
use super::print_condition::PrintCondition;
use super::run::Delivery;
use super::source::SourceFile;
use super::standard::PdfxFlavour;

/// What a run product is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunItem {
    /// A deck as faces.
    DeckFaces,
    /// A deck imposed on a sheet layout.
    DeckSheets(String),
    /// A leaflet.
    Leaflet,
    /// A saddle-stitched booklet.
    Booklet,
}

/// A resolved run product.
#[derive(Clone, Debug)]
pub struct RunProduct {
    /// Position in the run file's `products` (for locating problems).
    pub index: usize,
    /// Product name.
    pub product: String,
    /// What to make.
    pub item: RunItem,
    /// Quantity.
    pub quantity: u32,
}

/// A resolved run.
#[derive(Clone, Debug)]
pub struct Run {
    /// File stem.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// Region id.
    pub region: String,
    /// Delivery.
    pub delivery: Delivery,
    /// Output folder name.
    pub folder: String,
    /// What the job ticket says about the order.
    pub order: Order,
    /// Paper.
    pub paper: Option<String>,
    /// The order's date (Unix seconds, midnight UTC), stamped in the run's files instead of the
    /// inputs' modification time (see [`crate::model::run::RunFile::date`]).
    pub date: Option<i64>,
    /// Output condition override.
    pub output_intent: Option<OutputIntent>,
    /// PDF/X flavour.
    pub pdfx: PdfxFlavour,
    /// The print condition the run names, if it names one.
    pub print_condition: Option<PrintCondition>,
    /// Spot colours the press prints.
    pub press_spot_colors: Vec<String>,
    /// Products.
    pub products: Vec<RunProduct>,
    /// Whether sample data was allowed.
    pub allow_sample_data: bool,
    /// Source.
    pub file: Arc<SourceFile>,
    /// Products of the run that could not be loaded (their errors are reported where they are):
    /// the run is not built, so that it never gets files and a ticket without them.
    pub blocked_by: Vec<String>,
}

/// The order as the print shop reads it on the job ticket (all optional in the run file).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Order {
    /// The job's name (without the region's).
    pub title: Option<String>,
    /// The ordering customer.
    pub customer: Option<String>,
    /// Delivery address.
    pub delivery_address: Option<String>,
    /// Deadline: year, month, day (checked as a real date).
    pub deadline: Option<(i64, u32, u32)>,
}
