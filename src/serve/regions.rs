//! `/regioner`: the regions' contact data, and a form that edits one region in
//! `decks/regions.json`. A save is checked (Danish errors beside each field), checked again by the
//! real regions loader, refused when the file changed since the form was made (the form carries
//! the SHA-256 of the text it was made from), and written atomically, one save at a time.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::Form;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::App;
use super::pages::{findings_list, page};
use crate::diag::Diagnostics;
use crate::model::{Element, SourceFile, TextSource, load_project, placeholders};

/// The regions file, relative to the project folder.
const REGIONS: &str = "decks/regions.json";
/// The longest region name accepted, in characters.
pub const MAX_NAME: usize = 120;
/// The longest field value accepted, in characters (the sender line is the longest in use).
pub const MAX_FIELD: usize = 400;
/// The form field that marks the contact data verified.
const VERIFIED: &str = "bekraeftet";

/// One save at a time: the check against the file's hash and the write are one step.
static WRITES: Mutex<()> = Mutex::new(());

/// The regions file as read: its text, its hash and its JSON (keys in file order).
struct Loaded {
    text: String,
    value: Value,
}

impl Loaded {
    /// The regions, in file order.
    fn regions(&self) -> &[Value] {
        self.value.get("regions").and_then(Value::as_array).map_or(&[], Vec::as_slice)
    }
    /// The region with this id.
    fn region(&self, id: &str) -> Option<&Value> {
        self.regions().iter().find(|r| r.get("id").and_then(Value::as_str) == Some(id))
    }
}

/// SHA-256 of a text, as hex.
fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads and checks the regions file with the project's own loader; its errors otherwise.
fn load(root: &Path) -> Result<Loaded, Diagnostics> {
    let mut diags = Diagnostics::default();
    let text = match std::fs::read_to_string(root.join(REGIONS)) {
        Ok(t) => t,
        Err(e) => {
            diags.push(
                crate::diag::Diagnostic::error(format!("cannot read {REGIONS}: {e}")).in_file(Path::new(REGIONS)),
            );
            return Err(diags);
        }
    };
    check(&text, &mut diags).ok_or(diags)?;
    let value = serde_json::from_str(&text).map_err(|e| {
        let mut d = Diagnostics::default();
        d.push(crate::diag::Diagnostic::error(format!("invalid JSON: {e}")).in_file(Path::new(REGIONS)));
        d
    })?;
    Ok(Loaded { text, value })
}

/// Whether the regions loader accepts `text` (its diagnostics in `diags`).
fn check(text: &str, diags: &mut Diagnostics) -> Option<()> {
    let before = diags.error_count();
    let file = match SourceFile::parse(Path::new(REGIONS), text.to_string()) {
        Ok(f) => f,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    crate::model::resolve::regions_from(&file, diags)?;
    (diags.error_count() == before).then_some(())
}

/// The region keys the layouts print without `"optional": true` (`{region.phone}` → `phone`):
/// a region must have them. Empty when the project does not load.
fn required_keys(root: &Path) -> BTreeSet<String> {
    let (project, _) = load_project(root);
    let Some(p) = project else { return BTreeSet::new() };
    let card = p.layouts.values().flat_map(|l| l.front.iter().chain(&l.back));
    let leaflet = p
        .leaflet_layouts
        .values()
        .flat_map(|l| l.cover.iter().chain(&l.back).chain(l.panel.iter().flat_map(|(_, e)| e)));
    card.chain(leaflet)
        .filter_map(|e| match e {
            Element::Text { source: TextSource::Template(t), optional: false, .. } => Some(placeholders(t)),
            _ => None,
        })
        .flatten()
        .filter_map(|n| n.strip_prefix("region.").map(str::to_string))
        .filter(|k| k != "name")
        .collect()
}

/// A field's Danish label.
fn label(key: &str) -> String {
    match key {
        "sender" => "Afsender (teksten om, hvem der udgiver)".into(),
        "address" => "Adresse".into(),
        "phone" => "Telefon".into(),
        "email" => "E-mail".into(),
        "web" => "Hjemmeside".into(),
        "hours" => "Åbningstider".into(),
        "note" => "Bemærkning".into(),
        other => format!("Feltet «{other}»"),
    }
}

/// The form input of a field: its name and id (keys may hold any character; ids may not).
fn input_name(key: &str) -> String {
    format!("felt.{key}")
}
fn input_id(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect()
}

/// What the form shows: the values (as given, or from the file), and what is wrong with them.
#[derive(Debug, Default)]
pub(crate) struct Entry {
    /// The region's name.
    pub name: String,
    /// Each field the region has or the layouts need, in file order.
    pub fields: Vec<(String, String)>,
    /// Whether the contact data is marked as checked.
    pub verified: bool,
}

/// One problem with an entry: the form input it belongs to and the Danish sentence.
pub(crate) type Problem = (String, String);

/// Danish telephone numbers: 8 digits, spaces allowed, optionally `+45` first.
fn is_phone(v: &str) -> bool {
    let v = v.trim();
    let v = v.strip_prefix("+45").unwrap_or(v);
    let digits: String = v.chars().filter(|c| *c != ' ').collect();
    digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit())
}

/// A host name with a dot: labels of letters, digits and `-`, none empty.
fn is_host(h: &str) -> bool {
    h.contains('.') && h.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

/// `name@host.tld`, no spaces.
fn is_email(v: &str) -> bool {
    match v.split_once('@') {
        Some((local, host)) => !local.is_empty() && !local.contains(char::is_whitespace) && is_host(host),
        None => false,
    }
}

/// A web address: a host name with a dot, optionally `https://` (or `http://`) first and a path.
fn is_web(v: &str) -> bool {
    let v = v.strip_prefix("https://").or_else(|| v.strip_prefix("http://")).unwrap_or(v);
    let host = v.split('/').next().unwrap_or_default();
    !v.contains(char::is_whitespace) && is_host(host)
}

/// Whether a value is obviously the shipped sample (an "eksempel" address, a number starting
/// with 0, which no Danish number does).
fn looks_like_sample(key: &str, v: &str) -> bool {
    v.to_lowercase().contains("eksempel")
        || (key == "phone" && v.trim().trim_start_matches("+45").trim_start().starts_with('0'))
}

/// Everything wrong with an entry, field by field, in form order.
pub(crate) fn validate(e: &Entry, required: &BTreeSet<String>) -> Vec<Problem> {
    let mut out = Vec::new();
    let name = e.name.trim();
    if name.is_empty() {
        out.push(("name".into(), "Skriv regionens navn.".into()));
    } else if name.chars().count() > MAX_NAME {
        out.push((
            "name".into(),
            format!("Navnet må højst være {MAX_NAME} tegn; det er {} tegn.", name.chars().count()),
        ));
    } else if name.chars().any(char::is_control) {
        out.push(("name".into(), "Navnet må ikke indeholde linjeskift eller tabulatorer.".into()));
    }
    let mut sample = Vec::new();
    for (key, value) in &e.fields {
        let v = value.trim();
        let problem = if v.is_empty() {
            required.contains(key).then(|| format!("Skriv {} – det står på tryksagerne.", label(key).to_lowercase()))
        } else if v.chars().count() > MAX_FIELD {
            Some(format!("Teksten må højst være {MAX_FIELD} tegn; den er {} tegn.", v.chars().count()))
        } else if v.chars().any(char::is_control) {
            Some("Teksten må ikke indeholde linjeskift eller tabulatorer.".into())
        } else if key == "phone" && !is_phone(v) {
            Some("Skriv et dansk telefonnummer med 8 cifre, fx 33 12 34 56 (gerne med +45 foran).".into())
        } else if key == "email" && !is_email(v) {
            Some("Skriv en e-mailadresse, fx psykinfo@regionh.dk.".into())
        } else if key == "web" && !is_web(v) {
            Some("Skriv en hjemmesideadresse, fx www.psykinfo.dk (gerne med https:// foran).".into())
        } else if e.verified && looks_like_sample(key, v) {
            sample.push(label(key).to_lowercase());
            Some("Det her er stadig eksempeldata. Skriv regionens rigtige oplysninger.".into())
        } else {
            None
        };
        if let Some(p) = problem {
            out.push((input_name(key), p));
        }
    }
    if e.verified && looks_like_sample("name", name) {
        sample.push("navn".into());
        out.push(("name".into(), "Det her er stadig eksempeldata. Skriv regionens rigtige navn.".into()));
    }
    if !sample.is_empty() {
        out.push((
            VERIFIED.into(),
            format!(
                "Regionen kan ikke markeres som bekræftet, så længe den har eksempeldata ({}). Ret felterne, eller fjern krydset.",
                sample.join(", ")
            ),
        ));
    }
    out
}

/// The entry of a region as it is in the file, with empty values for keys the layouts need that
/// it lacks.
fn entry_of(region: &Value, required: &BTreeSet<String>) -> Entry {
    let str_of = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut fields: Vec<(String, String)> = region
        .get("fields")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), str_of(v))).collect())
        .unwrap_or_default();
    for k in required {
        if !fields.iter().any(|(f, _)| f == k) {
            fields.push((k.clone(), String::new()));
        }
    }
    Entry {
        name: region.get("name").map(str_of).unwrap_or_default(),
        fields,
        verified: !region.get("sample").and_then(Value::as_bool).unwrap_or(false),
    }
}

/// The region object with the entry's values: keys stay in their order; `sample` is removed when
/// verified and set (after `name`) when not; an emptied field that no layout needs is removed.
fn updated(region: &Value, e: &Entry) -> Value {
    let old = region.as_object().cloned().unwrap_or_default();
    let mut out = Map::new();
    let sample = (!e.verified).then_some(Value::Bool(true));
    let fields: Map<String, Value> = e
        .fields
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.clone(), Value::String(v.trim().to_string())))
        .collect();
    for (k, v) in &old {
        match k.as_str() {
            "name" => {
                out.insert(k.clone(), Value::String(e.name.trim().to_string()));
                if !old.contains_key("sample")
                    && let Some(s) = &sample
                {
                    out.insert("sample".into(), s.clone());
                }
            }
            "sample" => {
                if let Some(s) = &sample {
                    out.insert(k.clone(), s.clone());
                }
            }
            "fields" => {
                out.insert(k.clone(), Value::Object(fields.clone()));
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    if !old.contains_key("fields") && !fields.is_empty() {
        out.insert("fields".into(), Value::Object(fields));
    }
    Value::Object(out)
}

/// The regions file as text in its own style: two-space indents, one region key a line, and each
/// region's `fields` on one line. The same value gives the same bytes.
pub(crate) fn to_text(root: &Value) -> String {
    let compact = |v: &Value| serde_json::to_string(v).unwrap_or_default();
    let key = |k: &str| compact(&Value::String(k.to_string()));
    let one_line = |v: &Value| match v.as_object() {
        Some(m) if m.is_empty() => "{}".to_string(),
        Some(m) => {
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{}: {}", key(k), compact(v))).collect();
            format!("{{ {} }}", parts.join(", "))
        }
        None => compact(v),
    };
    let region = |r: &Value| match r.as_object() {
        Some(m) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("      {}: {}", key(k), if k == "fields" { one_line(v) } else { compact(v) }))
                .collect();
            format!("    {{\n{}\n    }}", parts.join(",\n"))
        }
        None => format!("    {}", compact(r)),
    };
    let top: Vec<String> = root
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| match v.as_array() {
                    Some(a) if k == "regions" && !a.is_empty() => {
                        let rs: Vec<String> = a.iter().map(region).collect();
                        format!("  {}: [\n{}\n  ]", key(k), rs.join(",\n"))
                    }
                    _ => format!("  {}: {}", key(k), compact(v)),
                })
                .collect()
        })
        .unwrap_or_default();
    format!("{{\n{}\n}}\n", top.join(",\n"))
}

/// The address of a region's form (ids are written by people; anything but a plain name is
/// percent-encoded).
fn form_url(id: &str) -> String {
    let mut s = String::from("/regioner/");
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// The page shown when the regions file cannot be read or checked.
fn broken(diags: &Diagnostics) -> Response {
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Regionsfilen kan ikke læses",
        html! {
            p { "Filen " code { (REGIONS) } " har fejl, så regionerne kan ikke vises eller rettes her. Bed en designer om at rette filen." }
            (findings_list(&diags.0))
        },
    )
}

/// A page for when the work could not be done at all (the blocking task failed).
fn failed() -> Response {
    page(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Noget gik galt",
        html! { p { "Regionerne kunne ikke læses. Prøv at genindlæse siden." } },
    )
}

/// The table rows of the regions: name and id, verified or sample, and the edit link.
pub(super) fn table(regions: &[(String, String, bool)]) -> Markup {
    html! {
        table {
            thead { tr { th scope="col" { "Region" } th scope="col" { "Kontaktdata" } th scope="col" { "Ret" } } }
            tbody {
                @for (id, name, sample) in regions {
                    tr {
                        td { (name) br; span class="muted" { code { (id) } } }
                        td {
                            @if *sample { span class="warn" { "Eksempeldata – ikke bekræftet" } }
                            @else { span class="ok" { "Bekræftet" } }
                        }
                        td { a href=(form_url(id)) { "Ret " (name) } }
                    }
                }
            }
        }
    }
}

/// `GET /regioner`: every region, whether its contact data is verified, and a link to edit it.
pub(super) async fn list(State(app): State<Arc<App>>) -> Response {
    let root = app.config.root.clone();
    let Ok(loaded) = tokio::task::spawn_blocking(move || load(&root)).await else { return failed() };
    let loaded = match loaded {
        Ok(l) => l,
        Err(d) => return broken(&d),
    };
    let rows: Vec<(String, String, bool)> = loaded
        .regions()
        .iter()
        .map(|r| {
            let s = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
            (s("id"), s("name"), r.get("sample").and_then(Value::as_bool).unwrap_or(false))
        })
        .collect();
    page(
        StatusCode::OK,
        "Regioner",
        html! {
            p { "Kontaktdata for hver region står på folderne. Ret dem her, og markér dem som bekræftede, når de er kontrolleret. En trykordre til trykkeri kan ikke laves med eksempeldata." }
            @if rows.is_empty() { p { "Der er ingen regioner i " code { (REGIONS) } "." } }
            @else { (table(&rows)) }
        },
    )
}

/// The form page for one region.
fn form_page(status: StatusCode, id: &str, e: &Entry, problems: &[Problem], sha: &str, saved: bool) -> Response {
    let error_of = |input: &str| problems.iter().find(|(i, _)| i == input).map(|(_, m)| m.as_str());
    let field = |input: String, text: String, value: &str| {
        let iid = input_id(&input);
        let err = error_of(&input);
        let err_id = format!("{iid}-fejl");
        html! {
            div class="field" {
                label for=(iid) { (text) }
                @if let Some(m) = err { p class="fejltekst" id=(err_id) { strong { "Fejl: " } (m) } }
                // A long text (the sender line) gets room to be read whole; a line break in it is
                // refused by the checks, like every control character.
                @if value.chars().count() > 80 {
                    textarea id=(iid) name=(input) rows="3"
                        aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())] { (value) }
                } @else {
                    input type="text" id=(iid) name=(input) value=(value)
                        aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| err_id.as_str())];
                }
            }
        }
    };
    let title = format!("Ret {}", if e.name.trim().is_empty() { id } else { e.name.as_str() });
    page(
        status,
        &title,
        html! {
            @if saved { p role="status" class="ok" { "Gemt. Ændringen er skrevet i " code { (REGIONS) } "." } }
            @if !problems.is_empty() {
                section class="errors" role="alert" aria-labelledby="formfejl" {
                    h2 id="formfejl" { "Ændringen er ikke gemt" }
                    p { "Ret " (problems.len()) " fejl, og tryk Gem igen:" }
                    ul { @for (input, m) in problems { li { a href={ "#" (input_id(input)) } { (m) } } } }
                }
            }
            p { a href="/regioner" { "Tilbage til alle regioner" } }
            form method="post" action=(form_url(id)) {
                input type="hidden" name="sha" value=(sha);
                fieldset {
                    legend { "Region " code { (id) } }
                    (field("name".into(), "Navn".into(), &e.name))
                }
                fieldset {
                    legend { "Kontaktdata, som de står på tryksagerne" }
                    @for (key, value) in &e.fields { (field(input_name(key), label(key), value)) }
                }
                fieldset {
                    legend { "Kontrol" }
                    @let err = error_of(VERIFIED);
                    @if let Some(m) = err { p class="fejltekst" id="bekraeftet-fejl" { strong { "Fejl: " } (m) } }
                    input type="checkbox" name=(VERIFIED) id=(VERIFIED) value="ja" checked[e.verified]
                        aria-invalid=[err.map(|_| "true")] aria-describedby=[err.map(|_| "bekraeftet-fejl")];
                    " "
                    label for=(VERIFIED) { "Kontaktdata er kontrolleret og rigtige" }
                }
                button type="submit" id="gem" { "Gem" }
            }
        },
    )
}

/// `GET /regioner/<id>`: the form with the region's values (`?gemt=1`: after a save).
pub(super) async fn form(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let root = app.config.root.clone();
    let done = tokio::task::spawn_blocking(move || {
        let loaded = match load(&root) {
            Ok(l) => l,
            Err(d) => return broken(&d),
        };
        let Some(region) = loaded.region(&id) else { return unknown(&id) };
        let entry = entry_of(region, &required_keys(&root));
        form_page(StatusCode::OK, &id, &entry, &[], &sha256(&loaded.text), q.contains_key("gemt"))
    })
    .await;
    done.unwrap_or_else(|_| failed())
}

/// 404: no region with that id.
fn unknown(id: &str) -> Response {
    page(
        StatusCode::NOT_FOUND,
        "Regionen findes ikke",
        html! { p { "Der er ingen region med id " code { (id) } " i " code { (REGIONS) } ". Se " a href="/regioner" { "alle regioner" } "." } },
    )
}

/// `POST /regioner/<id>`: checks the values, then writes the region into the regions file.
pub(super) async fn save(
    State(app): State<Arc<App>>,
    UrlPath(id): UrlPath<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let root = app.config.root.clone();
    let done = tokio::task::spawn_blocking(move || save_blocking(&root, &id, &pairs)).await;
    done.unwrap_or_else(|_| failed())
}

fn save_blocking(root: &Path, id: &str, pairs: &[(String, String)]) -> Response {
    let given = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let required = required_keys(root);
    // A poisoned lock only means another save panicked; the file itself is whole (atomic writes).
    let _one_at_a_time = WRITES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let loaded = match load(root) {
        Ok(l) => l,
        Err(d) => return broken(&d),
    };
    let Some(region) = loaded.region(id) else { return unknown(id) };
    let sha = sha256(&loaded.text);
    if given("sha").as_deref() != Some(sha.as_str()) {
        return page(
            StatusCode::CONFLICT,
            "Regionen er ændret imens",
            html! {
                p { "Nogen har ændret " code { (REGIONS) } ", siden du åbnede formularen, så din ændring er ikke gemt (den ville overskrive den anden ændring)." }
                p { a href=(form_url(id)) { "Åbn formularen igen" } " for at se de nye oplysninger, og skriv så din ændring igen." }
            },
        );
    }
    let mut entry = entry_of(region, &required);
    entry.name = given("name").unwrap_or_default();
    for (key, value) in &mut entry.fields {
        *value = given(&input_name(key)).unwrap_or_default();
    }
    entry.verified = given(VERIFIED).is_some();
    let problems = validate(&entry, &required);
    if !problems.is_empty() {
        return form_page(StatusCode::UNPROCESSABLE_ENTITY, id, &entry, &problems, &sha, false);
    }
    let mut value = loaded.value.clone();
    if let Some(rs) = value.get_mut("regions").and_then(Value::as_array_mut) {
        for r in rs.iter_mut().filter(|r| r.get("id").and_then(Value::as_str) == Some(id)) {
            *r = updated(r, &entry);
        }
    }
    let text = to_text(&value);
    // Never write a file the loader would refuse.
    let mut diags = Diagnostics::default();
    if check(&text, &mut diags).is_none() {
        return page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Ændringen er ikke gemt",
            html! {
                p { "Med ændringen kunne " code { (REGIONS) } " ikke læses, så filen er ikke ændret." }
                (findings_list(&diags.0))
            },
        );
    }
    if let Err(e) = crate::build::write_atomic(&root.join(REGIONS), text.as_bytes()) {
        return page(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Ændringen er ikke gemt",
            html! {
                p { "Filen " code { (REGIONS) } " kunne ikke skrives, så den er uændret. Tjek, at mappen ikke er skrivebeskyttet, og prøv igen." }
                details { summary { "Teknisk besked" } pre { (e.to_string()) } }
            },
        );
    }
    (StatusCode::SEE_OTHER, [(header::LOCATION, format!("{}?gemt=1", form_url(id)))]).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(fields: &[(&str, &str)], verified: bool) -> Entry {
        Entry {
            name: "PsykInfo Region Hovedstaden".into(),
            fields: fields.iter().map(|(k, v)| ((*k).to_string(), (*v).to_string())).collect(),
            verified,
        }
    }

    fn problems(fields: &[(&str, &str)], verified: bool, required: &[&str]) -> Vec<Problem> {
        validate(&entry(fields, verified), &required.iter().map(|s| (*s).to_string()).collect())
    }

    #[test]
    fn the_shipped_file_is_written_back_byte_for_byte() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/decks/regions.json")).unwrap();
        assert_eq!(to_text(&serde_json::from_str(&text).unwrap()), text);
    }

    #[test]
    fn phones_are_eight_danish_digits() {
        for ok in ["33 12 34 56", "33123456", "+45 33 12 34 56", "+4533123456"] {
            assert!(is_phone(ok), "{ok}");
        }
        for bad in ["3312345", "33 12 34 567", "tlf 33123456", "+46 33123456", ""] {
            assert!(!is_phone(bad), "{bad}");
        }
    }

    #[test]
    fn emails_and_web_addresses_need_a_host_with_a_dot() {
        assert!(is_email("psykinfo@regionh.dk") && !is_email("psykinfo@regionh") && !is_email("@x.dk"));
        assert!(!is_email("a b@x.dk") && !is_email("psykinfo.regionh.dk"));
        assert!(is_web("www.psykinfo.dk/hovedstaden") && is_web("https://psykinfo.dk"));
        assert!(!is_web("psykinfo") && !is_web("https://") && !is_web("www.psyk info.dk"));
    }

    #[test]
    fn required_and_long_values_are_refused_in_danish() {
        let p = problems(&[("address", " "), ("hours", &"x".repeat(MAX_FIELD + 1))], false, &["address"]);
        assert_eq!(p[0], ("felt.address".into(), "Skriv adresse – det står på tryksagerne.".into()));
        assert!(p[1].1.starts_with("Teksten må højst være 400 tegn"), "{p:?}");
        // A field no layout needs may be empty.
        assert!(problems(&[("note", "")], false, &["address"]).is_empty());
    }

    #[test]
    fn sample_data_cannot_be_marked_verified() {
        let sample = [("phone", "00 00 00 01"), ("email", "psykinfo@eksempel.dk")];
        assert!(problems(&sample, false, &[]).is_empty(), "sample data may be kept while unverified");
        let p = problems(&sample, true, &[]);
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(p[2].0, VERIFIED);
        assert!(p[2].1.contains("eksempeldata (telefon, e-mail)"), "{p:?}");
        assert!(problems(&[("phone", "+45 33 12 34 56"), ("email", "psykinfo@regionh.dk")], true, &[]).is_empty());
    }

    #[test]
    fn verifying_removes_sample_and_unverifying_sets_it_after_the_name() {
        let region: Value =
            serde_json::from_str(r#"{"id":"h","name":"H","sample":true,"fields":{"b":"1","a":"2"}}"#).unwrap();
        let e = Entry {
            name: "H2".into(),
            fields: vec![("b".into(), "3".into()), ("a".into(), "".into())],
            verified: true,
        };
        assert_eq!(compact(&updated(&region, &e)), r#"{"id":"h","name":"H2","fields":{"b":"3"}}"#);
        let verified: Value = serde_json::from_str(r#"{"id":"h","name":"H","fields":{}}"#).unwrap();
        let e = Entry { name: "H".into(), fields: vec![], verified: false };
        assert_eq!(compact(&updated(&verified, &e)), r#"{"id":"h","name":"H","sample":true,"fields":{}}"#);
    }

    fn compact(v: &Value) -> String {
        serde_json::to_string(v).unwrap()
    }
}
