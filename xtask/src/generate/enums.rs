//! Enums: takes the OpenAPI 3.0.3 document, gives the string enums the client declares open:
//! every component one, and every inline one of two or more values hoisted into a component of
//! its own first (typify's replacements reach only named schemas).

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use serde_json::Value;

use crate::error::Errors;
use crate::model::Model;
use crate::naming::{free_name, rust_name};
use crate::provenance::Provenance;
use crate::schema::{self, Step};

/// A string enum schema, declared through `open_enum!` instead of typify.
pub struct OpenEnum {
    /// The Rust name, as typify spells the schema's name (`APIKeyCategory` → `ApiKeyCategory`).
    pub name: String,
    pub description: Option<String>,
    /// `(variant, value)`, in the schema's order: the value it sends.
    pub variants: Vec<(String, String)>,
    /// `(spelling, variant)`: another spelling a variant reads (the pages spell the value
    /// several ways; see `merge::ALIASES`).
    pub aliases: Vec<(String, String)>,
    /// The catch-all variant: `Unknown`, or `Unlisted` when a listed value takes `Unknown`.
    pub unknown: String,
}

/// The document progenitor reads: each inline string enum of two or more values hoisted.
pub struct Hoisted {
    pub document: Value,
    /// A hoisted enum's name → the pointer it was hoisted from, for errors about it.
    origins: BTreeMap<String, String>,
}

impl Hoisted {
    /// The pointer in the merged document that declares the component `name`.
    fn origin(&self, name: &str) -> String {
        self.origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("/components/schemas/{}", schema::token(name)))
    }
}

/// Gives each inline string enum of two or more values (in a component's properties, items,
/// additional properties or compositions) a component of its own, named
/// `<component><Property>` (`Item` for array items), so it is declared open too: typify's
/// replacements only reach named schemas. One value is a tag (a downgraded `const`) and stays.
/// Only the document progenitor reads is changed; `generated/openapi.yaml` keeps the pages' shape.
pub fn hoist_inline_enums(document: &Value) -> Hoisted {
    let mut document = document.clone();
    let mut origins = BTreeMap::new();
    if let Some(schemas) = document.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        let mut taken: BTreeSet<String> = schemas.keys().map(|name| rust_name(name)).collect();
        let mut hoisted = Vec::new();
        for (name, schema) in schemas.iter_mut() {
            let at = format!("/components/schemas/{}", schema::token(name));
            let mut place = Place { taken: &mut taken, hoisted: &mut hoisted, origins: &mut origins };
            for (step, child) in schema::children_mut(schema) {
                place.hoist(child, &inline_name(&rust_name(name), step), &format!("{at}{}", step.pointer()));
            }
        }
        schemas.extend(hoisted);
    }
    Hoisted { document, origins }
}

/// The name typify would give an inline schema at `step` below the type `parent`.
fn inline_name(parent: &str, step: Step<'_>) -> String {
    match step {
        Step::Named(_, property) => format!("{parent}{}", rust_name(property)),
        Step::Keyword("items") | Step::Index("items" | "prefixItems", _) => format!("{parent}Item"),
        Step::Keyword("additionalProperties") => format!("{parent}Value"),
        Step::Keyword(keyword) => format!("{parent}{}", rust_name(keyword)),
        // A member of `allOf`, `anyOf` or `oneOf` is another shape of the same thing.
        Step::Index(..) => parent.to_string(),
    }
}

/// Where hoisted enums go: the names taken, the new components, where each came from.
struct Place<'a> {
    taken: &'a mut BTreeSet<String>,
    hoisted: &'a mut Vec<(String, Value)>,
    origins: &'a mut BTreeMap<String, String>,
}

impl Place<'_> {
    /// Hoists `schema` (at `at`) if it is an inline enum, else looks below it.
    fn hoist(&mut self, schema: &mut Value, name: &str, at: &str) {
        let is_enum = schema.get("type").and_then(Value::as_str) == Some("string")
            && schema.get("enum").and_then(Value::as_array).is_some_and(|values| values.len() > 1);
        if !is_enum {
            // typify names an inline schema after its `title`, and gives two different schemas
            // of one title one type (two `Kind` tags, say); without a title it names the schema
            // after its place, which is unique.
            if let Some(map) = schema.as_object_mut() {
                map.remove("title");
            }
            for (step, child) in schema::children_mut(schema) {
                self.hoist(child, &inline_name(name, step), &format!("{at}{}", step.pointer()));
            }
            return;
        }
        let Some(map) = schema.as_object_mut() else { return };
        let unique = free_name(name, self.taken);
        // What belongs to the use stays at the use; the rest is the enum.
        let mut site = serde_json::Map::new();
        for key in ["description", "default", "nullable"] {
            if let Some(value) = map.remove(key) {
                site.insert(key.to_string(), value);
            }
        }
        map.remove("title");
        let reference = serde_json::json!({ "$ref": format!("#/components/schemas/{unique}") });
        self.origins.insert(unique.clone(), at.to_string());
        self.hoisted.push((unique, std::mem::replace(schema, Value::Null)));
        *schema = if site.is_empty() {
            reference
        } else {
            site.insert("allOf".into(), Value::Array(vec![reference]));
            Value::Object(site)
        };
    }
}

/// The Rust names typify gives the discriminated unions (a `oneOf` with a `discriminator`):
/// the client adds each a catch-all, so a tag a later server adds still decodes.
pub(super) fn discriminated_unions(model: &Model<'_>) -> Vec<String> {
    fn visit(schema: &Value, name: &str, out: &mut Vec<String>) {
        // typify declares a union of one member as the member itself.
        let members = schema.get("oneOf").and_then(Value::as_array).map_or(0, Vec::len);
        if members > 1 && schema.get("discriminator").is_some() {
            out.push(name.to_string());
        }
        for (step, child) in schema::children(schema) {
            visit(child, &inline_name(name, step), out);
        }
    }
    let mut out = Vec::new();
    for schema in &model.schemas {
        visit(schema.value, &rust_name(schema.name), &mut out);
    }
    out
}

/// Every component schema that is a string enum; every enum whose values do not make distinct
/// variants is an error on the page that declared it.
pub fn open_enums(hoisted: &Hoisted, provenance: &Provenance) -> Result<Vec<OpenEnum>, Errors> {
    let schemas = hoisted.document.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten();
    let mut enums = Vec::new();
    let mut errors = Errors::default();
    for (name, schema) in schemas {
        let (Some("string"), Some(values)) =
            (schema.get("type").and_then(Value::as_str), schema.get("enum").and_then(Value::as_array))
        else {
            continue;
        };
        let aliases = schema.get(crate::merge::ALIASES).and_then(Value::as_object);
        let aliases: BTreeMap<&str, &str> = aliases
            .into_iter()
            .flatten()
            .filter_map(|(alias, sent)| Some((alias.as_str(), sent.as_str()?)))
            .collect();
        match variants(values, &aliases) {
            Ok((variants, unknown)) => enums.push(OpenEnum {
                name: rust_name(name),
                description: schema.get("description").and_then(Value::as_str).map(str::to_string),
                aliases: aliases.iter().map(|(alias, sent)| (alias.to_string(), rust_name(sent))).collect(),
                variants,
                unknown,
            }),
            Err(message) => errors.push(provenance.error(&hoisted.origin(name), message)),
        }
    }
    errors.into_result(enums)
}

/// `(variant, value)` for each value but the other spellings of one (`aliases`), and the
/// catch-all's name; or why the values cannot be variants.
fn variants(values: &[Value], aliases: &BTreeMap<&str, &str>) -> Result<(Vec<(String, String)>, String), String> {
    let mut variants: Vec<(String, String)> = Vec::new();
    for value in values {
        let Some(value) = value.as_str() else { return Err(format!("enum value {value} is not a string")) };
        if aliases.contains_key(value) {
            continue;
        }
        let variant = rust_name(value);
        if let Some((_, other)) = variants.iter().find(|(v, _)| *v == variant) {
            return Err(format!("enum values {other:?} and {value:?} both become the Rust variant {variant}"));
        }
        variants.push((variant, value.to_string()));
    }
    let unknown = if variants.iter().any(|(v, _)| v == "Unknown") { "Unlisted" } else { "Unknown" };
    if variants.iter().any(|(v, _)| v == unknown) {
        return Err("enum values take both `Unknown` and `Unlisted`; no name is left for the catch-all".into());
    }
    Ok((variants, unknown.to_string()))
}
