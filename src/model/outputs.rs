//! Output names: every file a build, a print run or `calibrate` writes, checked before anything
//! is written. Product and sheet layout names (file stems) and run folders must be plain names,
//! and no two of them may name the same file.

use std::collections::HashMap;

use super::element::{Element, ImageSource, TextSource, placeholders};
use super::print_run::RunItem;
use super::project::{Deck, Project};
use crate::diag::{Diagnostic, Location};

/// A file a product makes. Its name follows from the product's name by one rule, used by the
/// build's plan, by the check below and by the proofs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProductFile {
    /// `<deck>-faces.pdf`: one card face per page, for digital presses and finishing by hand.
    Faces,
    /// `<deck>-<sheet layout>.pdf`: the deck imposed on duplex sheets.
    Sheet(String),
    /// `<deck>-screen.pdf`: the deck's accessible download version, one card a page.
    DeckScreen,
    /// `<leaflet>-print.pdf`: the flat sheet, outside then inside.
    LeafletPrint,
    /// `<leaflet>-screen.pdf`: the accessible download version, panels in reading order.
    LeafletScreen,
    /// `<booklet>-print.pdf`: the booklet's pages one by one with bleed, in reading order (what
    /// digital print shops impose themselves).
    BookletPages,
    /// `<booklet>-<press sheet>.pdf` (e.g. `-sra3`): printer's spreads on press sheets in
    /// signature order, with creep, crop, fold and stitch marks.
    BookletPress(String),
    /// `<booklet>-office.pdf`: printer's spreads for an office duplex printer (A4 landscape,
    /// short-edge flip, no bleed).
    BookletOffice,
    /// `<booklet>-screen.pdf`: the accessible download version.
    BookletScreen,
}

impl ProductFile {
    /// The file's name for product `product`.
    #[must_use]
    pub fn file_name(&self, product: &str) -> String {
        match self {
            ProductFile::Faces => format!("{product}-faces.pdf"),
            ProductFile::Sheet(sheet) => format!("{product}-{sheet}.pdf"),
            ProductFile::LeafletPrint | ProductFile::BookletPages => format!("{product}-print.pdf"),
            ProductFile::BookletPress(sheet) => format!("{product}-{sheet}.pdf"),
            ProductFile::BookletOffice => format!("{product}-office.pdf"),
            ProductFile::DeckScreen | ProductFile::LeafletScreen | ProductFile::BookletScreen => {
                format!("{product}-screen.pdf")
            }
        }
    }
}

/// Whether a deck's cards show region data (`{region.*}` in its card layout or its cards' text,
/// or a field or condition of the layout named `region.*`). A print run then carries the deck's
/// download version too, as it carries a leaflet's: the region's contact data is in it.
#[must_use]
pub fn deck_shows_region(p: &Project, deck: &Deck) -> bool {
    let region = |name: &str| name.starts_with("region.");
    let in_text = |t: &str| placeholders(t).iter().any(|n| region(n));
    let layout = p.layouts.get(&deck.layout);
    let elements = layout.into_iter().flat_map(|l| l.front.iter().chain(&l.back));
    let in_layout = elements.into_iter().any(|e| match e {
        Element::Text { source: TextSource::Template(t), .. } => in_text(t),
        Element::Text { source: TextSource::Field(f), .. } => region(f),
        Element::Image { source: ImageSource::Field(f), .. } => region(f),
        Element::Image { source: ImageSource::File(_), .. } => false,
        Element::Rect { when, .. } | Element::Line { when, .. } => when.as_deref().is_some_and(region),
    });
    in_layout || deck.cards.iter().any(|c| c.fields.values().chain(c.back.values()).any(|t| in_text(t)))
}

/// The files a booklet makes: all four for the default outputs; for a print shop the single
/// pages, the press sheets and the download version; for an office the A4 spreads and the
/// download version.
#[must_use]
pub fn booklet_files(p: &Project, booklet: &str, delivery: Option<super::run::Delivery>) -> Vec<ProductFile> {
    use super::run::Delivery;
    let press = p
        .booklets
        .iter()
        .find(|b| b.name == booklet)
        .and_then(|b| p.booklet_layouts.get(&b.layout))
        .map_or_else(|| "sra3".to_string(), |l| press_sheet_file_part(&l.press_sheet_name));
    match delivery {
        None => vec![
            ProductFile::BookletPages,
            ProductFile::BookletPress(press),
            ProductFile::BookletOffice,
            ProductFile::BookletScreen,
        ],
        Some(Delivery::PrintShop) => {
            vec![ProductFile::BookletPages, ProductFile::BookletPress(press), ProductFile::BookletScreen]
        }
        Some(Delivery::Office) => vec![ProductFile::BookletOffice, ProductFile::BookletScreen],
    }
}

/// A press sheet's name as part of a file name: `SRA3` → `sra3`, `450 × 320 mm` → `450x320`.
fn press_sheet_file_part(name: &str) -> String {
    let s: String = name
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            '×' => Some('x'),
            _ => None,
        })
        .collect();
    s.strip_suffix("mm").unwrap_or(&s).to_string()
}

/// Who writes a file, for messages.
struct Writer {
    what: String,
    at: Location,
}

fn place(l: &Location) -> String {
    match (&l.file, l.line_col) {
        (Some(f), Some((line, col))) => format!(" ({}:{line}:{col})", f.display()),
        (Some(f), None) => format!(" ({})", f.display()),
        _ => String::new(),
    }
}

/// The files of the output folder, keyed case-insensitively (macOS and Windows treat `A.pdf` and
/// `a.pdf` as one file).
#[derive(Default)]
struct Plan {
    files: HashMap<String, Writer>,
    errors: Vec<Diagnostic>,
}

impl Plan {
    /// Records that `what` writes `file`; false (and an error) if another output writes it already.
    fn add(&mut self, file: String, what: String, at: Location) -> bool {
        match self.files.get(&file.to_lowercase()) {
            Some(first) => {
                self.errors.push(
                Diagnostic::error(format!(
                    "output/{file} would be written twice: by {what} and by {}{}",
                    first.what,
                    place(&first.at)
                ))
                .with_hint("rename one of them; a deck writes <deck>-faces.pdf, <deck>-<sheet layout>.pdf and <deck>-screen.pdf, a leaflet <leaflet>-print.pdf and <leaflet>-screen.pdf, a booklet <booklet>-print.pdf, <booklet>-<press sheet>.pdf, <booklet>-office.pdf and <booklet>-screen.pdf")
                .at(at),
            );
                false
            }
            None => {
                self.files.insert(file.to_lowercase(), Writer { what, at });
                true
            }
        }
    }
}

/// Checks the names that become file names and that no two outputs share a file. Returns the
/// errors; a project with any is built by nobody (nothing is written).
pub fn check_outputs(p: &Project) -> Vec<Diagnostic> {
    let mut plan = Plan::default();
    let name_error = |kind: &str, name: &str, e: crate::paths::NameError, at: Location| {
        Diagnostic::error(format!("{kind} name `{}` cannot name output files: {e}", name.escape_debug()))
            .with_hint("rename the file: its name (without .json) becomes part of the output file names")
            .at(at)
    };
    for d in &p.decks {
        if let Err(e) = crate::paths::check_output_name(&d.name) {
            plan.errors.push(name_error("deck", &d.name, e, d.file.locate("")));
        }
    }
    for l in &p.leaflets {
        if let Err(e) = crate::paths::check_output_name(&l.name) {
            plan.errors.push(name_error("leaflet", &l.name, e, l.file.locate("")));
        }
    }
    for b in &p.booklets {
        if let Err(e) = crate::paths::check_output_name(&b.name) {
            plan.errors.push(name_error("booklet", &b.name, e, b.file.locate("")));
        }
    }
    for s in p.sheets.values() {
        if let Err(e) = crate::paths::check_output_name(&s.name) {
            plan.errors.push(name_error("sheet layout", &s.name, e, s.file.locate("")));
        }
    }
    for r in &p.runs {
        // The folder is a folder name inside the output folder: one plain name.
        if let Err(e) = crate::paths::check_output_name(&r.folder) {
            plan.errors.push(
                Diagnostic::error(format!("run folder: {e}"))
                    .with_hint("\"folder\" names one folder inside the output folder, e.g. \"hovedstaden-2026\" (no `/`, `..` or leading `.`)")
                    .at(r.file.locate("folder")),
            );
        }
    }
    if !plan.errors.is_empty() {
        return plan.errors;
    }
    // The default build and `calibrate` write into the output folder itself.
    for d in &p.decks {
        plan.add(ProductFile::Faces.file_name(&d.name), format!("deck `{}`", d.name), d.file.locate(""));
        for (i, s) in d.sheets.iter().enumerate() {
            plan.add(
                ProductFile::Sheet(s.clone()).file_name(&d.name),
                format!("deck `{}` on sheet layout `{s}`", d.name),
                d.file.locate(&format!("sheets[{i}]")),
            );
        }
        plan.add(
            ProductFile::DeckScreen.file_name(&d.name),
            format!("deck `{}` (its download version)", d.name),
            d.file.locate(""),
        );
    }
    for l in &p.leaflets {
        let what = format!("leaflet `{}`", l.name);
        if plan.add(ProductFile::LeafletPrint.file_name(&l.name), what.clone(), l.file.locate("")) {
            plan.add(ProductFile::LeafletScreen.file_name(&l.name), what, l.file.locate(""));
        }
    }
    for b in &p.booklets {
        let what = format!("booklet `{}`", b.name);
        for kind in booklet_files(p, &b.name, None) {
            if !plan.add(kind.file_name(&b.name), what.clone(), b.file.locate("")) {
                break;
            }
        }
    }
    for s in p.sheets.values() {
        plan.add(format!("calibrate-{}.pdf", s.name), format!("`tryksag calibrate {}`", s.name), s.file.locate(""));
    }
    // Proofs go into proof/; each run into its own folder.
    plan.add("proof".into(), "`tryksag proof` (its folder)".into(), Location::default());
    for r in &p.runs {
        let at = r.file.locate("folder");
        // A run whose folder is taken is reported once, not once per file in it.
        if !plan.add(r.folder.clone(), format!("run `{}` (its folder)", r.name), at.clone()) {
            continue;
        }
        let f = &r.folder;
        for file in ["jobseddel.json", "jobseddel.pdf"] {
            plan.add(format!("{f}/{file}"), format!("run `{}` (its job ticket)", r.name), at.clone());
        }
        let mut screens: Vec<&str> = Vec::new();
        for rp in &r.products {
            let at = r.file.locate(&format!("products[{}]", rp.index));
            let what = format!("run `{}`, product {} (`{}`)", r.name, rp.index + 1, rp.product);
            // A deck that shows region data gets its download version once per run.
            if !matches!(rp.item, RunItem::Leaflet)
                && !screens.contains(&rp.product.as_str())
                && p.decks.iter().any(|d| d.name == rp.product && deck_shows_region(p, d))
            {
                screens.push(&rp.product);
                plan.add(format!("{f}/{}", ProductFile::DeckScreen.file_name(&rp.product)), what.clone(), at.clone());
            }
            match &rp.item {
                RunItem::DeckFaces => {
                    plan.add(format!("{f}/{}", ProductFile::Faces.file_name(&rp.product)), what, at);
                }
                RunItem::DeckSheets(s) => {
                    plan.add(format!("{f}/{}", ProductFile::Sheet(s.clone()).file_name(&rp.product)), what, at);
                }
                RunItem::Booklet => {
                    for kind in booklet_files(p, &rp.product, Some(r.delivery)) {
                        if !plan.add(format!("{f}/{}", kind.file_name(&rp.product)), what.clone(), at.clone()) {
                            break;
                        }
                    }
                }
                RunItem::Leaflet => {
                    // Both files or neither: one error for the product.
                    let print = format!("{f}/{}", ProductFile::LeafletPrint.file_name(&rp.product));
                    if plan.add(print, what.clone(), at.clone()) {
                        plan.add(format!("{f}/{}", ProductFile::LeafletScreen.file_name(&rp.product)), what, at);
                    }
                }
            }
        }
    }
    plan.errors
}
