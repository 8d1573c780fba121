//! The model stage: JSON files → validated, resolved data with every error located.
//!
//! Files: `decks/*.json` (what is on the cards) and `layouts/cards/*.json` (how a card looks).
//! Fonts come from `fonts/`. Loading collects all problems of all files before giving up.

pub mod color;
pub mod deck;
pub mod layout;
pub mod leaflet;
pub mod length;
pub mod outputs;
pub mod range;
pub mod resolve;
pub mod run;
pub mod sheet;
pub mod source;
pub mod standard;

pub use resolve::{CardLayout, ColorRef, Element, ImageSource, Style, TextSource};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::text::FontBook;
use crate::text::hyphenate::Hyphenator;
use source::SourceFile;

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
    /// Position in the deck file (for locating errors).
    pub index: usize,
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
}

impl Deck {
    /// The label of a category id.
    pub fn category_label<'a>(&'a self, id: &'a str) -> &'a str {
        self.categories.iter().find(|c| c.id == id).map(|c| c.label.as_str()).unwrap_or(id)
    }
}

/// The CMYK output condition print files are made for.
#[derive(Clone, Debug)]
pub struct OutputIntent {
    /// The ICC output profile bytes.
    pub profile: Arc<Vec<u8>>,
    /// Registered characterisation name, e.g. `FOGRA39`.
    pub identifier: String,
    /// Human-readable condition.
    pub condition: String,
}

/// The most cards (copies counted) one deck may print in one file.
pub const MAX_PRINTED_CARDS: u64 = 10_000;

/// The default profile shipped in `layouts/profiles/`.
pub const DEFAULT_PROFILE: &str = "layouts/profiles/CoatedFOGRA39.icc";

/// Largest ICC profile read (CMYK output profiles are 0.5–5 MB).
pub const MAX_PROFILE_BYTES: u64 = 32_000_000;

/// Loads and checks an output profile file: inside the project, a CMYK `prtr` profile that moxcms
/// parses and converts with (see [`crate::assets::profile::verify_output_profile`]).
pub fn load_output_intent(
    root: &Path,
    rel: &str,
    identifier: &str,
    condition: &str,
) -> Result<OutputIntent, Diagnostic> {
    let bytes = crate::paths::read_input(root, rel, MAX_PROFILE_BYTES).map_err(|e| {
        Diagnostic::error(e.describe("output profile"))
            .with_hint(format!("{}; print files need a CMYK output profile, the default is {DEFAULT_PROFILE}", e.hint))
    })?;
    crate::assets::profile::verify_output_profile(&bytes).map_err(|e| {
        Diagnostic::error(format!("output profile {rel}: {e}"))
            .with_hint("use a CMYK printer profile (.icc) from the print shop or color.org, e.g. PSOcoated_v3.icc")
    })?;
    Ok(OutputIntent { profile: Arc::new(bytes), identifier: identifier.into(), condition: condition.into() })
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
    pub sheets: BTreeMap<String, sheet::SheetLayout>,
    /// Decks in file-name order.
    pub decks: Vec<Deck>,
    /// The default output intent (FOGRA39).
    pub output_intent: OutputIntent,
    /// Leaflet layouts by name.
    pub leaflet_layouts: BTreeMap<String, leaflet::LeafletLayout>,
    /// Leaflets in file-name order.
    pub leaflets: Vec<leaflet::Leaflet>,
    /// Regions (contact data), with their source file.
    pub regions: Vec<leaflet::Region>,
    /// The regions file, for locating problems.
    pub regions_file: Option<Arc<SourceFile>>,
    /// Print runs in file-name order.
    pub runs: Vec<run::Run>,
    /// Output names that are unusable or shared by two outputs ([`outputs::check_outputs`]); with
    /// any, nothing is written.
    pub output_conflicts: usize,
}

/// Lists `*.json` files in a directory, sorted; a missing directory is empty.
fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "json")).collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Reads a project file found by listing a folder: it must lie inside the project (a link to a
/// file elsewhere is refused) and be a regular file (a FIFO would block the build).
pub(crate) fn load_source(root: &Path, path: &Path, shown: &Path) -> Result<SourceFile, Diagnostic> {
    crate::paths::inside_root(root, path, &shown.display().to_string())
        .map_err(|e| Diagnostic::error(e.describe("file")).with_hint(e.hint).in_file(shown))?;
    SourceFile::load(path, shown)
}

fn stem(p: &Path) -> String {
    p.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Loads every `*.json` in `root/sub` with `resolve` (which returns warnings and the value),
/// keyed by file stem; also returns the stems of files that failed, so that files referring to
/// them are not blamed for their errors.
fn load_all<T>(
    root: &Path,
    sub: &str,
    diags: &mut Diagnostics,
    mut resolve: impl FnMut(String, Arc<SourceFile>) -> Result<(Vec<Diagnostic>, T), Vec<Diagnostic>>,
) -> (BTreeMap<String, T>, Vec<String>) {
    let mut ok = BTreeMap::new();
    let mut broken = Vec::new();
    for path in json_files(&root.join(sub)) {
        let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        let res = load_source(root, &path, &shown).map_err(|d| vec![d]).and_then(|f| resolve(stem(&path), Arc::new(f)));
        match res {
            Ok((warnings, v)) => {
                diags.extend(warnings);
                ok.insert(stem(&path), v);
            }
            Err(ds) => {
                broken.push(stem(&path));
                diags.extend(ds);
            }
        }
    }
    (ok, broken)
}

/// Loads and validates the project at `root`. Returns the project (possibly partial) and every
/// diagnostic found; callers refuse to write output when there are errors.
pub fn load_project(root: &Path) -> (Option<Project>, Diagnostics) {
    load_project_with(root, false)
}

/// [`load_project`], optionally allowing sample contact data in print-shop runs.
pub fn load_project_with(root: &Path, allow_sample: bool) -> (Option<Project>, Diagnostics) {
    let mut diags = Diagnostics::default();
    // The two slowest checks of loading (every glyph of every font; the output profile's
    // transforms) run side by side.
    let (fonts_read, default_intent) = rayon::join(
        || FontBook::load_dir_in(&root.join("fonts"), root),
        || load_output_intent(root, DEFAULT_PROFILE, "FOGRA39", "Coated FOGRA39 (ISO 12647-2:2004)"),
    );
    let fonts = match fonts_read {
        Ok(b) if b.faces().next().is_some() => Arc::new(b),
        Ok(_) => {
            diags.push(
                Diagnostic::error("no fonts found in fonts/")
                    .with_hint("put the .ttf or .otf files a layout names into fonts/"),
            );
            return (None, diags);
        }
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let output_intent = match default_intent {
        Ok(o) => o,
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };

    let (layouts, mut broken_layouts) = load_all(root, "layouts/cards", &mut diags, |name, f| {
        resolve::card_layout(name, f, &fonts).map(|l| (l.warnings.clone(), l))
    });
    let (sheets, broken_sheets) = load_all(root, "layouts/sheets", &mut diags, |name, f| {
        sheet::sheet_layout(name, f, root).map(|s| (Vec::new(), s))
    });
    broken_layouts.extend(broken_sheets);
    let (leaflet_layouts, broken_leaflet_layouts) = load_all(root, "layouts/leaflets", &mut diags, |name, f| {
        leaflet::leaflet_layout(name, f, &fonts, root).map(|l| (l.warnings.clone(), l))
    });
    let (regions_file, regions) = match leaflet::load_regions(root, &mut diags) {
        Some((f, r)) => (Some(f), r),
        None => (None, Vec::new()),
    };
    // A broken regions file is reported once; what refers to it is not blamed again.
    let regions_broken = regions_file.is_none() && root.join("decks").join("regions.json").exists();
    // Products whose files exist but failed: runs naming them are skipped, not told "unknown".
    let mut broken_products = Vec::new();
    let mut leaflets = Vec::new();
    for path in json_files(&root.join("decks").join("leaflets")) {
        let loaded = load_source(root, &path, &shown(&path)).map_err(|d| diags.push(d)).ok().and_then(|f| {
            leaflet::load_leaflet(
                stem(&path),
                Arc::new(f),
                &leaflet_layouts,
                &broken_leaflet_layouts,
                (!regions_broken).then_some(regions.as_slice()),
                &mut diags,
            )
        });
        match loaded {
            Some(l) => leaflets.push(l),
            None => broken_products.push(stem(&path)),
        }
    }

    let mut decks = Vec::new();
    // regions.json holds contact data, not a deck.
    let deck_files: Vec<PathBuf> = json_files(&root.join("decks"))
        .into_iter()
        .filter(|p| p.file_name().is_none_or(|n| n != "regions.json"))
        .collect();
    if deck_files.is_empty() && leaflets.is_empty() {
        diags.push(
            Diagnostic::warning("no decks found in decks/")
                .with_hint("add a deck file, e.g. decks/mydeck.json (see README)"),
        );
    }
    for path in deck_files {
        let loaded = load_source(root, &path, &shown(&path))
            .map_err(|d| diags.push(d))
            .ok()
            .and_then(|f| load_deck(stem(&path), Arc::new(f), &layouts, &sheets, &broken_layouts, &mut diags));
        match loaded {
            Some(d) => decks.push(d),
            None => broken_products.push(stem(&path)),
        }
    }
    let mut runs = Vec::new();
    broken_products.extend(broken_layouts.iter().cloned());
    let known = run::Known {
        decks: &decks,
        leaflets: &leaflets,
        sheets: &sheets,
        regions: &regions,
        broken: &broken_products,
        regions_broken,
    };
    for path in json_files(&root.join("layouts").join("runs")) {
        match load_source(root, &path, &shown(&path)) {
            Ok(f) => {
                if let Some(r) = run::load_run(stem(&path), Arc::new(f), root, &known, allow_sample, &mut diags) {
                    runs.push(r);
                }
            }
            Err(d) => diags.push(d),
        }
    }
    let mut project = Project {
        root: root.to_path_buf(),
        fonts,
        layouts,
        sheets,
        decks,
        output_intent,
        leaflet_layouts,
        leaflets,
        regions,
        regions_file,
        runs,
        output_conflicts: 0,
    };
    let conflicts = outputs::check_outputs(&project);
    project.output_conflicts = conflicts.len();
    diags.extend(conflicts);
    (Some(project), diags)
}

fn load_deck(
    name: String,
    file: Arc<SourceFile>,
    layouts: &BTreeMap<String, CardLayout>,
    sheets: &BTreeMap<String, sheet::SheetLayout>,
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
        categories.push(Category { id: c.id.clone(), label: c.label.clone() });
    }
    let mut cards: Vec<Card> = Vec::with_capacity(spec.cards.len());
    // Ids seen so far (a set: decks of thousands of cards must not check in quadratic time).
    let mut ids = std::collections::HashSet::with_capacity(spec.cards.len());
    for (i, raw) in spec.cards.iter().enumerate() {
        let path = format!("cards[{i}]");
        let c: deck::CardSpec = match file.de(raw, &path) {
            Ok(c) => c,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        if !ids.insert(c.id.clone()) {
            diags.push(
                Diagnostic::error(format!("card id `{}` is used twice", c.id))
                    .with_hint("card ids must be unique within a deck")
                    .at(file.locate(&format!("{path}.id"))),
            );
        }
        if !categories.iter().any(|x| x.id == c.category) {
            let ids: Vec<&str> = categories.iter().map(|x| x.id.as_str()).collect();
            let hint = match did_you_mean(&c.category, ids.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? categories: {}", ids.join(", ")),
                None => format!("categories of this deck: {}", ids.join(", ")),
            };
            diags.push(
                Diagnostic::error(format!("unknown category `{}`", c.category))
                    .with_hint(hint)
                    .at(file.locate(&format!("{path}.category"))),
            );
        }
        if let Some(l) = layout {
            check_card_fields(&c, &path, l, &file, diags);
        }
        cards.push(Card {
            index: i,
            id: c.id,
            category: c.category,
            fields: c.fields,
            back: c.back,
            copies: c.copies.get(),
        });
    }
    if spec.cards.is_empty() {
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
    })
}

/// Cards must provide what the layout binds; fields nobody shows are probably typos.
fn check_card_fields(c: &deck::CardSpec, path: &str, l: &CardLayout, file: &SourceFile, diags: &mut Diagnostics) {
    let bound = l.bound_fields();
    for (name, optional) in &bound {
        let present = match name.strip_prefix("back.") {
            Some(b) => c.back.contains_key(b),
            None => c.fields.contains_key(name.as_str()),
        };
        if !present && !optional {
            diags.push(
                Diagnostic::error(format!("card `{}` has no field `{name}`, which layout `{}` shows", c.id, l.name))
                    .with_hint(format!(
                        "add \"{name}\": \"…\" to the card's \"fields\", or mark the text box \"optional\": true in {}",
                        l.file.path.display()
                    ))
                    .at(file.locate(&format!("{path}.fields"))),
            );
        }
    }
    let known: Vec<&str> = bound.iter().map(|(n, _)| n.as_str()).collect();
    for (prefix, map) in [("", &c.fields), ("back.", &c.back)] {
        for key in map.keys() {
            let full = format!("{prefix}{key}");
            if !known.contains(&full.as_str()) {
                let mut d = Diagnostic::warning(format!(
                    "field `{full}` of card `{}` is not shown by layout `{}`",
                    c.id, l.name
                ))
                .at(file.locate_key(&format!("{path}.{}{key}", if prefix.is_empty() { "fields." } else { "back." })));
                if let Some(s) = did_you_mean(&full, known.iter().copied()) {
                    d = d.with_hint(format!("did you mean `{s}`?"));
                }
                diags.push(d);
            }
        }
    }
}
