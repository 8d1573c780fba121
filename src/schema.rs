//! JSON Schemas for every JSON file kind, generated from the serde types in [`crate::model`].
//!
//! The committed files in `schemas/` are this module's output (`tryksag schema` rewrites them);
//! every shipped JSON file points at its schema with `"$schema"`, so editors complete and check
//! keys. The schemas describe the shape of a file only: names that must exist elsewhere (styles,
//! colours, categories, layouts, regions) are checked by `tryksag check`.

use std::path::{Path, PathBuf};

use schemars::{JsonSchema, Schema, SchemaGenerator};

use crate::model::booklet::{BookletFile, BookletLayoutFile};
use crate::model::deck::DeckFile;
use crate::model::layout::CardLayoutFile;
use crate::model::leaflet::{LeafletFile, LeafletLayoutFile, RegionsFile};
use crate::model::run::RunFile;
use crate::model::sheet::SheetSpec;

/// One file kind: its schema file name, where its files live, and a title.
struct Kind {
    file: &'static str,
    title: &'static str,
    generate: fn() -> Schema,
}

fn root<T: JsonSchema>() -> Schema {
    SchemaGenerator::default().into_root_schema_for::<T>()
}

const KINDS: [Kind; 9] = [
    Kind { file: "deck.schema.json", title: "tryksag deck (decks/*.json)", generate: root::<DeckFile> },
    Kind {
        file: "card-layout.schema.json",
        title: "tryksag card layout (layouts/cards/*.json)",
        generate: root::<CardLayoutFile>,
    },
    Kind {
        file: "sheet-layout.schema.json",
        title: "tryksag sheet layout (layouts/sheets/*.json)",
        generate: root::<SheetSpec>,
    },
    Kind {
        file: "leaflet-layout.schema.json",
        title: "tryksag leaflet layout (layouts/leaflets/*.json)",
        generate: root::<LeafletLayoutFile>,
    },
    Kind {
        file: "leaflet.schema.json",
        title: "tryksag leaflet (decks/leaflets/*.json)",
        generate: root::<LeafletFile>,
    },
    Kind {
        file: "booklet-layout.schema.json",
        title: "tryksag booklet layout (layouts/booklets/*.json)",
        generate: root::<BookletLayoutFile>,
    },
    Kind {
        file: "booklet.schema.json",
        title: "tryksag booklet (decks/booklets/*.json)",
        generate: root::<BookletFile>,
    },
    Kind { file: "regions.schema.json", title: "tryksag regions (decks/regions.json)", generate: root::<RegionsFile> },
    Kind { file: "run.schema.json", title: "tryksag print run (layouts/runs/*.json)", generate: root::<RunFile> },
];

/// Every file kind: (file name in schemas/, generated schema JSON text, pretty, ending in a newline).
pub fn schemas() -> Vec<(&'static str, String)> {
    KINDS
        .iter()
        .map(|k| {
            let mut schema = (k.generate)();
            // A friendlier title than the Rust type name; the description is the root type's doc comment.
            schema.insert("title".into(), k.title.into());
            let mut value = schema.to_value();
            tidy(&mut value);
            // Serialised as a `Schema`, which puts `$schema`, `title`, `description`, `type` first.
            let schema = Schema::try_from(value).expect("still a schema object");
            let mut text = serde_json::to_string_pretty(&schema).expect("a schema is plain JSON");
            text.push('\n');
            (k.file, text)
        })
        .collect()
}

/// Turns rustdoc text into editor text in every `description`: lines of a paragraph are joined
/// (editors wrap themselves) and intra-doc links `[`Name`]` become plain `` `Name` ``.
fn tidy(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    serde_json::Value::String(text) if key == "description" => *text = unwrap_doc(text),
                    _ => tidy(v),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(tidy),
        _ => {}
    }
}

fn unwrap_doc(doc: &str) -> String {
    let paragraphs: Vec<String> = doc
        .split("\n\n")
        .map(|para| {
            let mut out = String::new();
            for (i, line) in para.lines().enumerate() {
                let line = line.trim();
                if i > 0 {
                    out.push(if line.starts_with("- ") || line.starts_with("* ") { '\n' } else { ' ' });
                }
                out.push_str(line);
            }
            out
        })
        .collect();
    let text = paragraphs.join("\n\n");
    // Intra-doc links: "[`X`]" not followed by "(" (a Markdown link) loses its brackets.
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(start) = rest.find("[`") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find("`]") {
            Some(end) if !after[end + 2..].starts_with('(') && !after[..end + 1].contains('\n') => {
                out.push_str(&after[..end + 1]);
                rest = &after[end + 2..];
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Writes them into `dir` (atomically: write temp + rename, see [`crate::files::write_atomic`]); returns the paths written.
///
/// # Errors
///
/// When a schema file cannot be written.
pub fn write_schemas(dir: &Path) -> Result<Vec<PathBuf>, crate::files::WriteError> {
    schemas()
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            crate::files::write_atomic(&path, text.as_bytes()).map(|()| path)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_become_editor_text() {
        assert_eq!(
            unwrap_doc("One line\nwrapped.\n\nNext [`StyleSpec`] each."),
            "One line wrapped.\n\nNext `StyleSpec` each."
        );
        assert_eq!(unwrap_doc("A [`link`](http://x) and [x] and `[a]`."), "A [`link`](http://x) and [x] and `[a]`.");
        assert_eq!(unwrap_doc("List:\n- a\n- b"), "List:\n- a\n- b");
    }

    #[test]
    fn stable_and_titled() {
        let a = schemas();
        assert_eq!(a, schemas(), "schema output must not change from run to run");
        assert_eq!(a.len(), 9);
        for (name, text) in &a {
            let v: serde_json::Value = serde_json::from_str(text).unwrap();
            assert!(v["title"].as_str().is_some_and(|t| t.starts_with("tryksag")), "{name}: title");
            assert!(v["description"].as_str().is_some_and(|d| !d.is_empty()), "{name}: description");
            assert_eq!(v["additionalProperties"], false, "{name}: unknown keys must be rejected");
            assert!(v["properties"]["$schema"].is_object(), "{name}: `$schema` must be allowed");
        }
    }
}
