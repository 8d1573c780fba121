//! Resolving a print run file: every product, sheet layout and region it names must exist (with
//! a "did you mean"), sample contact data is refused for the print shop, and the output intent
//! is loaded.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use crate::date::parse_ymd;
use crate::diag::{Diagnostic, Diagnostics, Topic, did_you_mean};
use crate::model::leaflet::{Leaflet, Region};
use crate::model::print_run::{Order, Run, RunItem, RunProduct};
use crate::model::project::Deck;
use crate::model::run::*;
use crate::model::sheet_layout::SheetLayout;
use crate::model::source::SourceFile;

/// What a run may refer to.
pub struct Known<'a> {
    /// Decks.
    pub decks: &'a [Deck],
    /// Leaflets.
    pub leaflets: &'a [Leaflet],
    /// Booklets.
    pub booklets: &'a [crate::model::booklet::Booklet],
    /// Sheet layouts.
    pub sheets: &'a BTreeMap<String, SheetLayout>,
    /// Regions.
    pub regions: &'a [Region],
    /// Products and sheet layouts whose files exist but failed to load (already reported).
    pub broken: &'a [String],
    /// Whether decks/regions.json exists but failed to load (already reported).
    pub regions_broken: bool,
}

fn suggest(word: &str, names: &[&str], what: &str) -> String {
    match did_you_mean(word, names.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? {what}: {}", names.join(", ")),
        None => format!("{what}: {}", names.join(", ")),
    }
}

/// Loads and checks a run. `allow_sample` is the command line's `--allow-sample-data`.
pub fn load_run(
    name: String,
    file: Arc<SourceFile>,
    root: &Path,
    known: &Known,
    allow_sample: bool,
    diags: &mut Diagnostics,
) -> Option<Run> {
    let spec: RunFile = match file.de_root() {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let before = diags.error_count();
    match known.regions.iter().find(|r| r.id == spec.region) {
        None if known.regions_broken => {}
        None => {
            let ids: Vec<&str> = known.regions.iter().map(|r| r.id.as_str()).collect();
            diags.push(
                Diagnostic::error(format!("unknown region `{}`", spec.region))
                    .with_hint(suggest(&spec.region, &ids, "regions in decks/regions.json"))
                    .at(file.locate("region")),
            );
        }
        Some(r) if r.sample && spec.delivery == Delivery::PrintShop => {
            if spec.allow_sample_data || allow_sample {
                diags.push(
                    Diagnostic::warning(format!(
                        "run `{name}` uses sample contact data for {}; it must not go to a printer",
                        r.name
                    ))
                    .with_hint(
                        "verify the region in decks/regions.json and remove \"sample\": true before ordering print",
                    )
                    .grouped_as("sample contact data used in {}; they must not go to a printer", "runs", name.as_str())
                    .with_topic(Topic::SampleData)
                    .at(file.locate("region")),
                );
            } else {
                diags.push(
                    Diagnostic::error(format!("run `{name}` is for a print shop, but the contact data of {} is sample data", r.name))
                        .with_hint("verify the data in decks/regions.json and remove \"sample\": true; for a proof, set \"allow_sample_data\": true in the run or pass --allow-sample-data")
                        .with_topic(Topic::SampleData)
                        .at(file.locate("region")),
                );
            }
        }
        Some(_) => {}
    }
    let names: Vec<&str> = known
        .decks
        .iter()
        .map(|d| d.name.as_str())
        .chain(known.leaflets.iter().map(|l| l.name.as_str()))
        .chain(known.booklets.iter().map(|b| b.name.as_str()))
        .collect();
    let mut products = Vec::new();
    let mut blocked_by = Vec::new();
    for (i, p) in spec.products.iter().enumerate() {
        let path = format!("products[{i}]");
        let item = if known.decks.iter().any(|d| d.name == p.product) {
            let shape = p.shape.unwrap_or(if spec.delivery == Delivery::Office { Shape::Sheets } else { Shape::Faces });
            match shape {
                Shape::Faces => RunItem::DeckFaces,
                Shape::Sheets => {
                    let sheet = p.sheet.clone().unwrap_or_else(|| "a4".into());
                    if !known.sheets.contains_key(&sheet) && !known.broken.contains(&sheet) {
                        let sn: Vec<&str> = known.sheets.keys().map(String::as_str).collect();
                        diags.push(
                            Diagnostic::error(format!("unknown sheet layout `{sheet}`"))
                                .with_hint(suggest(&sheet, &sn, "sheet layouts"))
                                .at(file.locate(&format!("{path}.sheet"))),
                        );
                    }
                    RunItem::DeckSheets(sheet)
                }
            }
        } else if known.leaflets.iter().any(|l| l.name == p.product) {
            if p.shape.is_some() || p.sheet.is_some() {
                diags.push(
                    Diagnostic::error("a leaflet has one print shape; `shape` and `sheet` are for decks")
                        .at(file.locate(&format!("{path}.product"))),
                );
            }
            RunItem::Leaflet
        } else if known.booklets.iter().any(|b| b.name == p.product) {
            if p.shape.is_some() || p.sheet.is_some() {
                diags.push(
                    Diagnostic::error("a booklet's print files follow from the delivery; `shape` and `sheet` are for decks")
                        .with_hint("a print-shop run gets the single pages and the imposed press sheets, an office run the A4 duplex file")
                        .at(file.locate(&format!("{path}.product"))),
                );
            }
            RunItem::Booklet
        } else if known.broken.contains(&p.product) {
            blocked_by.push(p.product.clone());
            continue;
        } else {
            diags.push(
                Diagnostic::error(format!("unknown product `{}`", p.product))
                    .with_hint(suggest(&p.product, &names, "products"))
                    .at(file.locate(&format!("{path}.product"))),
            );
            continue;
        };
        products.push(RunProduct { index: i, product: p.product.clone(), item, quantity: p.quantity.get() });
    }
    let deadline = spec.deadline.as_deref().and_then(|d| date_field(d, "deadline", "2026-12-15", &file, diags));
    let date = spec.date.as_deref().and_then(|d| date_field(d, "date", "2026-12-01", &file, diags));
    let date = date.map(crate::date::epoch_of);
    let output_intent = match spec.output_intent.as_ref().map(|o| o.load(root, &file)).transpose() {
        Ok(oi) => oi,
        Err(d) => {
            diags.push(d);
            None
        }
    };
    if diags.error_count() > before {
        return None;
    }
    Some(Run {
        folder: spec.folder.unwrap_or_else(|| name.clone()),
        name,
        description: spec.description,
        region: spec.region,
        delivery: spec.delivery,
        order: Order { title: spec.title, customer: spec.customer, delivery_address: spec.delivery_address, deadline },
        paper: spec.paper,
        date,
        output_intent,
        pdfx: spec.pdfx.unwrap_or_default(),
        print_condition: spec.print_condition,
        press_spot_colors: spec.press_spot_colors,
        products,
        allow_sample_data: spec.allow_sample_data || allow_sample,
        file,
        blocked_by,
    })
}

/// A run file's date field (`key`), written `YYYY-MM-DD`; an error located at the key otherwise.
fn date_field(
    text: &str,
    key: &str,
    example: &str,
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<(i64, u32, u32)> {
    let date = parse_ymd(text);
    if date.is_none() {
        diags.push(
            Diagnostic::error(format!("`{key}` `{text}` is not a date"))
                .with_hint(format!("write it as YYYY-MM-DD, e.g. {example}"))
                .at(file.locate(key)),
        );
    }
    date
}
