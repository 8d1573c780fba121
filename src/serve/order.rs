//! Ordering a print run in the browser: the form (`GET /bestil`), its checks, and the run file it
//! becomes (`POST /bestil`, then [`draft`]: the proof, the approval; [`made`]: the files and the
//! zip). An order is the very file the command line reads, `layouts/runs/<name>.json`, so
//! `tryksag build --run <name>` afterwards makes the same files.

mod draft;
mod made;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;

pub(super) use draft::{Drafts, approve, page_png, proof};
pub(super) use made::order_files;

use super::App;
use super::pages::{findings_list, page};
use crate::build::{Product, Selection, plan};
use crate::model::run::Delivery;
use crate::model::{Project, load_project};

/// The most copies one order line may ask for (a larger run is split, or made with the CLI).
pub const MAX_QUANTITY: u32 = 100_000;

/// The longest paper description accepted.
const MAX_PAPER: usize = 300;

/// What the print shop gets decks on, when the project has that sheet layout (else one card face
/// per page); an office printer gets A4, or the first sheet layout there is.
const PRINT_SHOP_SHEET: &str = "sra3";
const OFFICE_SHEET: &str = "a4";

/// A checked order: everything the run file says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Order {
    /// The run's name: its file stem and output folder.
    pub name: String,
    /// A line for people reading the run file.
    pub description: String,
    /// The region's id.
    pub region: String,
    /// The region's name (shown, not written: the run file names the id).
    pub region_name: String,
    /// Print shop or office printer.
    pub delivery: Delivery,
    /// Sample contact data allowed anyway (proofs only).
    pub allow_sample_data: bool,
    /// Paper, for the job ticket.
    pub paper: Option<String>,
    /// The day the order is made, `YYYY-MM-DD`: the run's files carry it, so the run rebuilds to
    /// the same bytes later, whatever else changes in the project.
    pub date: String,
    /// The products, in the project's order.
    pub products: Vec<OrderLine>,
}

/// One product of an order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderLine {
    /// The deck or leaflet name.
    pub product: String,
    /// How many to print.
    pub quantity: u32,
    /// For a deck: the sheet layout it is imposed on (`None`: one face per page).
    pub sheet: Option<String>,
}

/// The run file's text for `order`, as the shipped `layouts/runs/*.json` are written: the editor
/// schema first, 2-space indents, a final newline; the same order always gives the same bytes.
#[must_use]
pub fn run_text(order: &Order) -> String {
    use serde_json::{Map, Value, json};
    let mut m = Map::new();
    m.insert("$schema".into(), json!("../../schemas/run.schema.json"));
    m.insert("description".into(), json!(order.description));
    m.insert("region".into(), json!(order.region));
    m.insert("delivery".into(), json!(delivery_word(order.delivery)));
    if order.allow_sample_data {
        m.insert("allow_sample_data".into(), json!(true));
    }
    if let Some(p) = &order.paper {
        m.insert("paper".into(), json!(p));
    }
    m.insert("date".into(), json!(order.date));
    let products = order.products.iter().map(|l| {
        let mut p = Map::new();
        p.insert("product".into(), json!(l.product));
        p.insert("quantity".into(), json!(l.quantity));
        if let Some(sheet) = &l.sheet {
            // An office run puts decks on sheets by default; a print shop's must say so.
            if order.delivery == Delivery::PrintShop {
                p.insert("shape".into(), json!("sheets"));
            }
            p.insert("sheet".into(), json!(sheet));
        }
        Value::Object(p)
    });
    m.insert("products".into(), Value::Array(products.collect()));
    let mut text = serde_json::to_string_pretty(&Value::Object(m)).expect("JSON values always serialize");
    text.push('\n');
    text
}

/// The run file's word for a delivery.
fn delivery_word(d: Delivery) -> &'static str {
    match d {
        Delivery::PrintShop => "print-shop",
        Delivery::Office => "office",
    }
}

/// The Danish word for a delivery.
pub(super) fn delivery_name(d: Delivery) -> &'static str {
    match d {
        Delivery::PrintShop => "Trykkeri",
        Delivery::Office => "Kontorprinter",
    }
}

/// Whether `name` can be a run's file stem and folder: `[a-z0-9-]`, 1–60 characters, not
/// starting with `-`.
#[must_use]
pub fn safe_name(name: &str) -> bool {
    (1..=60).contains(&name.len())
        && !name.starts_with('-')
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// What the form offers, read from the project.
pub(super) struct Catalogue {
    /// Regions: id, name, sample data.
    regions: Vec<(String, String, bool)>,
    /// Products in the project's order.
    products: Vec<Offer>,
    /// The sheet layouts decks go on, per delivery.
    print_sheet: Option<String>,
    office_sheet: Option<String>,
    /// Run names and output folders in use.
    taken: Vec<String>,
}

/// A product on the form.
struct Offer {
    name: String,
    title: String,
    kind: Kind,
}

/// What kind of product an offer is (a deck is ordered with a sheet layout).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Deck,
    Leaflet,
    Booklet,
}

impl Kind {
    /// What staff call it, as the form shows it.
    fn danish(self) -> &'static str {
        match self {
            Kind::Deck => "(dialogkort)",
            Kind::Leaflet => "(folder)",
            Kind::Booklet => "(hæfte)",
        }
    }
}

impl Catalogue {
    fn of(p: &Project) -> Catalogue {
        let jobs = plan(p, &Selection { no_runs: true, ..Selection::default() }).jobs;
        let products = jobs
            .iter()
            .map(|j| match j.product {
                Product::Deck(d) => Offer { name: d.name.clone(), title: d.title.clone(), kind: Kind::Deck },
                Product::Leaflet(l) => Offer { name: l.name.clone(), title: l.title.clone(), kind: Kind::Leaflet },
                Product::Booklet(b) => Offer { name: b.name.clone(), title: b.title.clone(), kind: Kind::Booklet },
            })
            .collect();
        let has = |s: &str| p.sheets.contains_key(s).then(|| s.to_string());
        Catalogue {
            regions: p.regions.iter().map(|r| (r.id.clone(), r.name.clone(), r.sample)).collect(),
            products,
            print_sheet: has(PRINT_SHOP_SHEET),
            office_sheet: has(OFFICE_SHEET).or_else(|| p.sheets.keys().next().cloned()),
            taken: p.runs.iter().flat_map(|r| [r.name.clone(), r.folder.clone()]).collect(),
        }
    }

    /// Whether `name` is in use: by a run (its name or folder), a run file, something in the
    /// output folder, or the proofs' folder.
    fn is_taken(&self, name: &str, root: &Path, out: &Path) -> bool {
        self.taken.iter().any(|t| t == name)
            || name == "proof"
            || root.join("layouts/runs").join(format!("{name}.json")).exists()
            || std::fs::symlink_metadata(out.join(name)).is_ok()
    }

    /// `<region>-<n>` with the lowest free `n`.
    fn free_name(&self, region: &str, root: &Path, out: &Path) -> String {
        let stem: String = region
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '-' })
            .take(50)
            .collect();
        let stem = stem.trim_matches('-');
        let stem = if stem.is_empty() { "ordre" } else { stem };
        (1..).map(|n| format!("{stem}-{n}")).find(|n| !self.is_taken(n, root, out)).expect("a free number")
    }
}

/// What was typed into the form, kept as typed so a form with errors shows it again.
#[derive(Clone, Debug, Default)]
pub(super) struct Values {
    region: String,
    products: Vec<String>,
    quantities: BTreeMap<String, String>,
    delivery: String,
    paper: String,
    name: String,
    sample: bool,
}

impl Values {
    /// Reads an `application/x-www-form-urlencoded` body.
    fn parse(body: &[u8]) -> Values {
        let mut v = Values::default();
        for (k, val) in form_urlencoded::parse(body) {
            let val = val.trim().to_string();
            match k.as_ref() {
                "region" => v.region = val,
                "produkt" => v.products.push(val),
                "levering" => v.delivery = val,
                "papir" => v.paper = val,
                "navn" => v.name = val,
                "eksempeldata" => v.sample = true,
                k => {
                    if let Some(p) = k.strip_prefix("antal-") {
                        v.quantities.insert(p.to_string(), val);
                    }
                }
            }
        }
        v
    }

    /// The form's first values: the first region, print shop, the shipped runs' quantities.
    fn initial(cat: &Catalogue) -> Values {
        Values {
            region: cat.regions.first().map(|r| r.0.clone()).unwrap_or_default(),
            quantities: cat.products.iter().map(|o| (o.name.clone(), default_quantity(o).to_string())).collect(),
            delivery: "print-shop".into(),
            ..Values::default()
        }
    }
}

/// The quantities the shipped runs order: 150 decks, 1000 leaflets, 300 booklets.
fn default_quantity(o: &Offer) -> u32 {
    match o.kind {
        Kind::Deck => 150,
        Kind::Leaflet => 1000,
        Kind::Booklet => 300,
    }
}

/// Problems with the form, by the id of the field (or group) they belong to, in form order.
type Problems = Vec<(String, String)>;

/// Checks the values against the project; the order, or every problem found.
fn check(v: &Values, cat: &Catalogue, root: &Path, out: &Path) -> Result<Order, Problems> {
    let mut problems: Problems = Vec::new();
    let mut problem = |field: &str, msg: String| problems.push((field.to_string(), msg));
    let region = cat.regions.iter().find(|r| r.0 == v.region);
    if v.region.is_empty() {
        problem("region", "Vælg en region.".into());
    } else if region.is_none() {
        problem("region", format!("Regionen «{}» findes ikke i projektet. Vælg en fra listen.", v.region));
    }
    let mut lines = Vec::new();
    for unknown in v.products.iter().filter(|p| !cat.products.iter().any(|o| &o.name == *p)) {
        problem("produkter", format!("Produktet «{unknown}» findes ikke i projektet."));
    }
    if v.products.is_empty() {
        problem("produkter", "Vælg mindst ét produkt.".into());
    }
    let delivery = match v.delivery.as_str() {
        "print-shop" => Some(Delivery::PrintShop),
        "office" => Some(Delivery::Office),
        _ => None,
    };
    for o in cat.products.iter().filter(|o| v.products.contains(&o.name)) {
        let field = format!("antal-{}", o.name);
        let typed = v.quantities.get(&o.name).map_or("", String::as_str);
        let quantity = match typed.parse::<u64>() {
            _ if typed.is_empty() => Err(format!("Skriv, hvor mange «{}» der skal trykkes.", o.title)),
            Ok(0) => Err("Antallet skal være mindst 1.".to_string()),
            Ok(n) if n > u64::from(MAX_QUANTITY) => {
                Err("Højst 100000 ad gangen. Del ordren op, hvis der skal trykkes flere.".to_string())
            }
            Ok(n) => Ok(n as u32),
            Err(_) => Err("Skriv antallet som et helt tal, fx 150.".to_string()),
        };
        match quantity {
            Ok(q) => {
                let sheet = match (o.kind == Kind::Deck, delivery) {
                    (true, Some(Delivery::PrintShop)) => cat.print_sheet.clone(),
                    (true, Some(Delivery::Office)) => {
                        if cat.office_sheet.is_none() {
                            problem(
                                "levering",
                                "Projektet har ingen arkopsætning til kontorprinteren (layouts/sheets/).".into(),
                            );
                        }
                        cat.office_sheet.clone()
                    }
                    _ => None,
                };
                lines.push(OrderLine { product: o.name.clone(), quantity: q, sheet });
            }
            Err(msg) => problem(&field, msg),
        }
    }
    if delivery.is_none() {
        problem("levering", "Vælg, om der skal trykkes på et trykkeri eller på kontorets printer.".into());
    }
    if v.paper.chars().count() > MAX_PAPER {
        problem("papir", format!("Skriv papiret med højst {MAX_PAPER} tegn."));
    }
    let name = if v.name.is_empty() && region.is_some() { cat.free_name(&v.region, root, out) } else { v.name.clone() };
    if !v.name.is_empty() && !safe_name(&v.name) {
        problem(
            "navn",
            "Navnet må kun have små bogstaver a–z, tal og bindestreg (højst 60 tegn), fx hovedstaden-efteraar.".into(),
        );
    } else if !v.name.is_empty() && cat.is_taken(&v.name, root, out) {
        problem("navn", format!("Navnet «{}» er allerede brugt af en anden trykordre. Vælg et andet.", v.name));
    }
    let (Some((_, region_name, _)), Some(delivery), true) = (region, delivery, problems.is_empty()) else {
        return Err(problems);
    };
    // The products' names, not their titles: a leaflet's title is a whole question.
    let names: Vec<&str> = lines.iter().map(|l| l.product.as_str()).collect();
    Ok(Order {
        name,
        description: format!("{region_name}, {}: {}", delivery_name(delivery).to_lowercase(), names.join(", ")),
        region: v.region.clone(),
        region_name: region_name.clone(),
        delivery,
        allow_sample_data: v.sample,
        paper: (!v.paper.is_empty()).then(|| v.paper.clone()),
        date: today(),
        products: lines,
    })
}

/// Today's date (UTC), `YYYY-MM-DD`, for a new order: `SOURCE_DATE_EPOCH` when it is set (it
/// stands for "now" in reproducible builds and tests), else the clock.
fn today() -> String {
    let now = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    crate::date::ymd(crate::build::source_date_epoch().unwrap_or_else(now))
}

/// `GET /bestil`: the order form.
pub(super) async fn form(State(app): State<Arc<App>>) -> Response {
    let root = app.config.root.clone();
    let shown = tokio::task::spawn_blocking(move || {
        let (project, diags) = load_project(&root);
        match project {
            Some(p) => {
                let cat = Catalogue::of(&p);
                Ok(form_page(StatusCode::OK, &cat, &Values::initial(&cat), &[]))
            }
            None => Err(diags),
        }
    })
    .await;
    match shown {
        Ok(Ok(r)) => r,
        Ok(Err(diags)) => project_broken(&diags.0),
        Err(_) => something_went_wrong(),
    }
}

/// `POST /bestil`: checks the form; builds the proof of a good order in memory and sends the
/// browser to it, or shows the form again (422) with every problem beside its field.
pub(super) async fn submit(State(app): State<Arc<App>>, body: Bytes) -> Response {
    let values = Values::parse(&body);
    let app2 = app.clone();
    let made = tokio::task::spawn_blocking(move || {
        let (root, out) = (&app2.config.root, &app2.config.out_dir);
        let (project, diags) = load_project(root);
        let Some(p) = project else { return Err(project_broken(&diags.0)) };
        let cat = Catalogue::of(&p);
        drop(p);
        match check(&values, &cat, root, out) {
            Ok(order) => Ok(draft::Draft::build(order, root, out)),
            Err(problems) => Err(form_page(StatusCode::UNPROCESSABLE_ENTITY, &cat, &values, &problems)),
        }
    })
    .await;
    match made {
        Ok(Ok(d)) => {
            let id = app.orders.insert(d);
            Redirect::to(&format!("/bestil/{id}")).into_response()
        }
        Ok(Err(page)) => page,
        Err(_) => something_went_wrong(),
    }
}

/// The project does not load: its errors, and nothing to order.
fn project_broken(diags: &[crate::diag::Diagnostic]) -> Response {
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Projektet har fejl",
        html! {
            section class="errors" {
                p { "Der kan ikke bestilles, før disse fejl i projektets filer er rettet. Genindlæs så siden." }
                (findings_list(diags))
            }
        },
    )
}

/// 500, when a build stopped unexpectedly.
pub(super) fn something_went_wrong() -> Response {
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Noget gik galt",
        html! { p { "Det lykkedes ikke. Prøv igen, og spørg den, der passer tryksag, hvis det sker igen." } },
    )
}

/// The form, with `v` filled in and each problem beside its field.
fn form_page(status: StatusCode, cat: &Catalogue, v: &Values, problems: &[(String, String)]) -> Response {
    let err =
        |field: &str| -> Vec<&str> { problems.iter().filter(|(f, _)| f == field).map(|(_, m)| m.as_str()).collect() };
    let invalid = |field: &str| (!err(field).is_empty()).then_some("true");
    let described = |field: &str, help: Option<&str>| {
        let mut ids: Vec<String> = help.map(String::from).into_iter().collect();
        if !err(field).is_empty() {
            ids.push(format!("{field}-fejl"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let message = |field: &str| {
        let msgs = err(field);
        html! {
            @if !msgs.is_empty() {
                p class="fejltekst" id={ (field) "-fejl" } { strong { "Fejl: " } (msgs.join(" ")) }
            }
        }
    };
    let body = html! {
        @if !problems.is_empty() {
            section class="errors" id="fejlopsummering" role="alert" aria-labelledby="fejlopsummering-titel" {
                h2 id="fejlopsummering-titel" { "Ordren kan ikke laves endnu" }
                ul { @for (f, m) in problems { li { a href={ "#" (f) } { (m) } } } }
            }
        }
        p { "Vælg region, produkter og antal. Du ser en korrektur af præcis det, der bliver trykt, før noget bliver lavet." }
        form id="bestilling" method="post" action="/bestil" {
            p class="felt" {
                label for="region" { "Region" }
                br;
                select name="region" id="region" aria-invalid=[invalid("region")] aria-describedby=[described("region", None)] {
                    @for (id, name, sample) in &cat.regions {
                        option value=(id) selected[*id == v.region] { (name) @if *sample { " (eksempeldata)" } }
                    }
                }
                (message("region"))
            }
            fieldset id="produkter" aria-invalid=[invalid("produkter")] aria-describedby=[described("produkter", None)] {
                legend { "Produkter og antal" }
                (message("produkter"))
                @for o in &cat.products {
                    @let qid = format!("antal-{}", o.name);
                    @let typed = v.quantities.get(&o.name).cloned().unwrap_or_else(|| default_quantity(o).to_string());
                    p class="felt" {
                        input type="checkbox" name="produkt" value=(o.name) id={ "produkt-" (o.name) } checked[v.products.contains(&o.name)];
                        " "
                        label for={ "produkt-" (o.name) } { (o.title) " " span class="muted" { (o.kind.danish()) } }
                        br;
                        label for=(qid) { "Antal " span class="muted" { "(" (o.name) ")" } }
                        " "
                        input type="number" name=(qid) id=(qid) min="1" max=(MAX_QUANTITY) value=(typed) aria-invalid=[invalid(&qid)] aria-describedby=[described(&qid, None)];
                        (message(&qid))
                    }
                }
            }
            fieldset id="levering" aria-invalid=[invalid("levering")] aria-describedby=[described("levering", None)] {
                legend { "Levering" }
                (message("levering"))
                p class="felt" {
                    input type="radio" name="levering" value="print-shop" id="levering-trykkeri" checked[v.delivery == "print-shop"];
                    " " label for="levering-trykkeri" { "Trykkeri" }
                    " " span class="muted" { "(trykklare PDF/X-filer med beskæring"
                        @if let Some(s) = &cat.print_sheet { "; dialogkort på " (s.to_uppercase()) "-ark" } ")" }
                }
                p class="felt" {
                    input type="radio" name="levering" value="office" id="levering-kontor" checked[v.delivery == "office"];
                    " " label for="levering-kontor" { "Kontorprinter" }
                    " " span class="muted" { "(dobbeltsidede ark"
                        @if let Some(s) = &cat.office_sheet { " i " (s.to_uppercase()) } " til kontorets printer)" }
                }
            }
            p class="felt" {
                label for="papir" { "Papir (valgfrit)" }
                br;
                input type="text" name="papir" id="papir" value=(v.paper) maxlength=(MAX_PAPER) aria-invalid=[invalid("papir")] aria-describedby=[described("papir", Some("papir-hjaelp"))];
                br; span class="muted" id="papir-hjaelp" { "Står på jobsedlen til trykkeriet, fx «Silk 350 g/m², mat laminering»." }
                (message("papir"))
            }
            p class="felt" {
                label for="navn" { "Ordrens navn (valgfrit)" }
                br;
                input type="text" name="navn" id="navn" value=(v.name) maxlength="60" aria-invalid=[invalid("navn")] aria-describedby=[described("navn", Some("navn-hjaelp"))];
                br; span class="muted" id="navn-hjaelp" { "Små bogstaver a–z, tal og bindestreg. Tomt: regionens navn og det næste ledige nummer, fx hovedstaden-1." }
                (message("navn"))
            }
            p class="felt" {
                input type="checkbox" name="eksempeldata" id="eksempeldata" value="1" checked[v.sample] aria-describedby="eksempeldata-hjaelp";
                " " label for="eksempeldata" { "Brug eksempeldata alligevel (kun til prøvetryk)" }
                br; span class="muted" id="eksempeldata-hjaelp" {
                    "En region med eksempeldata har kontaktoplysninger, som ikke er bekræftet. Til trykkeri laves "
                    "ordren kun, hvis du sætter flueben her, og så med en advarsel: filerne må ikke sendes til "
                    "trykning. Til kontorprinter må eksempeldata altid bruges."
                }
            }
            p { button type="submit" id="vis-korrektur" { "Vis korrektur" } }
        }
    };
    page(status, "Ny trykordre", body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order() -> Order {
        Order {
            name: "hovedstaden-1".into(),
            description: "PsykInfo Region Hovedstaden, trykkeri: dialogkort, jobcenter-folder".into(),
            region: "hovedstaden".into(),
            region_name: "PsykInfo Region Hovedstaden".into(),
            delivery: Delivery::PrintShop,
            allow_sample_data: true,
            paper: Some("Silk 350 g/m²".into()),
            date: "2026-12-01".into(),
            products: vec![
                OrderLine { product: "dialogkort".into(), quantity: 150, sheet: Some("sra3".into()) },
                OrderLine { product: "jobcenter-folder".into(), quantity: 1000, sheet: None },
            ],
        }
    }

    #[test]
    fn the_run_text_is_written_as_the_shipped_runs_are() {
        let text = run_text(&order());
        assert_eq!(
            text,
            r#"{
  "$schema": "../../schemas/run.schema.json",
  "description": "PsykInfo Region Hovedstaden, trykkeri: dialogkort, jobcenter-folder",
  "region": "hovedstaden",
  "delivery": "print-shop",
  "allow_sample_data": true,
  "paper": "Silk 350 g/m²",
  "date": "2026-12-01",
  "products": [
    {
      "product": "dialogkort",
      "quantity": 150,
      "shape": "sheets",
      "sheet": "sra3"
    },
    {
      "product": "jobcenter-folder",
      "quantity": 1000
    }
  ]
}
"#
        );
        let office = Order { delivery: Delivery::Office, allow_sample_data: false, paper: None, ..order() };
        let text = run_text(&office);
        assert!(text.contains("\"delivery\": \"office\"") && text.contains("\"sheet\": \"sra3\""), "{text}");
        assert!(!text.contains("shape") && !text.contains("allow_sample_data") && !text.contains("paper"), "{text}");
        assert!(text.contains("\"date\": \"2026-12-01\""), "{text}");
    }

    #[test]
    fn names_are_plain_file_stems() {
        for ok in ["a", "hovedstaden-1", "x2-y", &"a".repeat(60)] {
            assert!(safe_name(ok), "{ok}");
        }
        for bad in ["", "-a", "Hovedstaden", "a b", "a/b", "..", "a.json", "æble", &"a".repeat(61)] {
            assert!(!safe_name(bad), "{bad}");
        }
    }

    #[test]
    fn form_bodies_are_read_with_repeated_products() {
        let v = Values::parse(b"region=sj%C3%A6lland&produkt=a&produkt=b&antal-a=+12+&levering=office&eksempeldata=1");
        assert_eq!(v.region, "sjælland");
        assert_eq!(v.products, ["a", "b"]);
        assert_eq!(v.quantities["a"], "12");
        assert_eq!(v.delivery, "office");
        assert!(v.sample);
    }
}
