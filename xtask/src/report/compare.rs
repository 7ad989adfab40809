//! Compare: takes the models of the OpenAPI 3.0.3 document already in `generated/` and of the
//! new one, gives each change between them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::change::Change;
use super::summary::Report;
use super::type_expr::TypeExpr;
use crate::direction::Direction;
use crate::model::{Call, Model};
use crate::naming::rust_name;
use crate::schema;

/// What changed from `old` to `new`, the models of two OpenAPI 3.0.3 documents as `generated/`
/// holds them.
pub fn compare(old: &Model<'_>, new: &Model<'_>) -> Report {
    let mut changes = Vec::new();
    let (before, after) = (operations(old), operations(new));
    compare_operations((&before, &after), &mut changes);
    compare_auth((&before, &after), &mut changes);
    compare_servers(old, new, &mut changes);
    compare_types(old, new, &mut changes);
    // Breaking first, then as the report reads.
    changes.sort_by_cached_key(|change| (change.impact(), change.to_string()));
    changes.dedup();
    Report { changes, surface: Vec::new() }
}

/// `operationId` → the call.
type Operations<'m, 'a> = BTreeMap<&'a str, &'m Call<'a>>;

fn operations<'m, 'a>(model: &'m Model<'a>) -> Operations<'m, 'a> {
    model.calls.iter().map(|call| (call.id, call)).collect()
}

fn compare_operations((before, after): (&Operations<'_, '_>, &Operations<'_, '_>), changes: &mut Vec<Change>) {
    let route = |call: &Call<'_>| format!("{} {}", call.method, call.path);
    for (id, call) in after.iter().filter(|(id, _)| !before.contains_key(*id)) {
        changes.push(Change::OperationAdded { operation: id.to_string(), route: route(call) });
    }
    for (id, was) in before {
        let Some(is) = after.get(id) else {
            changes.push(Change::OperationRemoved { operation: id.to_string(), route: route(was) });
            continue;
        };
        compare_arguments(id, &arguments(was), &arguments(is), changes);
        if (was.summary, was.description) != (is.summary, is.description) {
            changes.push(Change::OperationDocs { operation: id.to_string() });
        }
    }
}

fn compare_arguments(
    id: &str,
    was: &BTreeMap<String, Argument>,
    is: &BTreeMap<String, Argument>,
    changes: &mut Vec<Change>,
) {
    let (operation, argument) = (|| id.to_string(), |name: &String| name.clone());
    for (name, now) in is {
        let Some(before) = was.get(name) else {
            changes.push(Change::ArgumentAdded {
                operation: operation(),
                argument: argument(name),
                required: now.required,
            });
            continue;
        };
        if before.required != now.required {
            changes.push(Change::ArgumentRequired {
                operation: operation(),
                argument: argument(name),
                required: now.required,
            });
        }
        if before.server_default != now.server_default {
            changes.push(Change::ServerDefault {
                owner: operation(),
                field: argument(name),
                was: before.server_default.clone(),
                is: now.server_default.clone(),
            });
        }
    }
    for name in was.keys().filter(|n| !is.contains_key(*n)) {
        changes.push(Change::ArgumentRemoved { operation: operation(), argument: argument(name) });
    }
}

/// What the report compares of an argument.
struct Argument {
    required: bool,
    /// The default the server uses when the argument is left out (see `defaults`).
    server_default: Option<String>,
}

/// Argument name → what it is; the request body counts as the argument `body`.
fn arguments(call: &Call<'_>) -> BTreeMap<String, Argument> {
    let mut out: BTreeMap<String, Argument> = call
        .parameters
        .iter()
        .map(|p| (p.name.to_string(), Argument { required: p.required, server_default: server_default(p.value) }))
        .collect();
    if let Some(body) = &call.body {
        out.insert("body".into(), Argument { required: body.required, server_default: None });
    }
    out
}

fn server_default(value: &Value) -> Option<String> {
    value.get(crate::defaults::SERVER_DEFAULT).map(Value::to_string)
}

/// The scheme each operation authenticates with: its own `security`, else the document's.
fn compare_auth((before, after): (&Operations<'_, '_>, &Operations<'_, '_>), changes: &mut Vec<Change>) {
    let mut moved: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (id, was) in before {
        let Some(is) = after.get(id) else { continue };
        let (from, to) = (auth(was), auth(is));
        if from != to {
            moved.entry((from, to)).or_default().push(id.to_string());
        }
    }
    for ((from, to), operations) in moved {
        changes.push(Change::AuthChanged { operations, from, to });
    }
}

/// An operation's security requirement as the client sends it: each scheme's name and kind.
fn auth(call: &Call<'_>) -> String {
    let schemes = call.security.as_deref().unwrap_or_default();
    if schemes.is_empty() {
        return "no scheme".to_string();
    }
    let described: Vec<String> = schemes
        .iter()
        .map(|scheme| {
            let (name, field) = (scheme.name, |key: &str| scheme.field(key).unwrap_or("?"));
            match field("type") {
                "http" => format!("`{name}` (http {})", field("scheme")),
                "apiKey" => format!("`{name}` (apiKey in {} `{}`)", field("in"), field("name")),
                other => format!("`{name}` ({other})"),
            }
        })
        .collect();
    described.join(" and ")
}

/// The document's first server: the base URL a client uses unless told otherwise.
fn compare_servers(old: &Model<'_>, new: &Model<'_>, changes: &mut Vec<Change>) {
    let url = |model: &Model<'_>| model.server.unwrap_or("none").to_string();
    let (from, to) = (url(old), url(new));
    if from != to {
        changes.push(Change::ServerChanged { from, to });
    }
}

fn text(value: &Value) -> (Option<&Value>, Option<&Value>) {
    (value.get("summary"), value.get("description"))
}

fn compare_types(old: &Model<'_>, new: &Model<'_>, changes: &mut Vec<Change>) {
    let by_rust_name = |model: &Model<'_>| -> BTreeMap<String, (Value, Direction)> {
        model.schemas.iter().map(|s| (rust_name(s.name), (s.value.clone(), s.direction))).collect()
    };
    let (before, after) = (by_rust_name(old), by_rust_name(new));
    for name in after.keys().filter(|n| !before.contains_key(*n)) {
        changes.push(Change::TypeAdded { name: name.clone() });
    }
    for (name, (was, _)) in &before {
        let Some((is, direction)) = after.get(name) else {
            changes.push(Change::TypeRemoved { name: name.clone() });
            continue;
        };
        compare_enum_values(name, was, is, changes);
        compare_fields(name, *direction, was, is, changes);
        if was.get("description") != is.get("description") {
            changes.push(Change::TypeDocs { name: name.clone() });
        }
    }
}

/// Enum values added and removed wherever they sit in the type: the type's own (`Name`), a
/// field's, inline, through its items or union members (`Name.field`), a field's of an inline
/// object (`Name.field.inner`). A `const` is a one-value enum.
fn compare_enum_values(name: &str, was: &Value, is: &Value, changes: &mut Vec<Change>) {
    let (before, after) = (enum_values(name, was), enum_values(name, is));
    let empty = BTreeSet::new();
    for (place, values) in &after {
        for value in values.difference(before.get(place).unwrap_or(&empty)) {
            changes.push(Change::EnumValueAdded { name: place.clone(), value: value.clone() });
        }
    }
    for (place, values) in &before {
        for value in values.difference(after.get(place).unwrap_or(&empty)) {
            changes.push(Change::EnumValueRemoved { name: place.clone(), value: value.clone() });
        }
    }
}

/// Place → the string values its enums list, below `schema` (not through `$ref`s: the
/// referenced type is compared on its own).
fn enum_values(place: &str, schema: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut pending = vec![(place.to_string(), schema)];
    while let Some((place, schema)) = pending.pop() {
        let listed = schema.get("enum").and_then(Value::as_array).into_iter().flatten();
        let values: BTreeSet<String> =
            listed.chain(schema.get("const")).filter_map(Value::as_str).map(str::to_string).collect();
        if !values.is_empty() {
            out.entry(place.clone()).or_default().extend(values);
        }
        for (step, child) in schema::children(schema) {
            let place = match step {
                schema::Step::Named("properties", field) => format!("{place}.{field}"),
                _ => place.clone(),
            };
            pending.push((place, child));
        }
    }
    out
}

fn compare_fields(owner: &str, direction: Direction, was: &Value, is: &Value, changes: &mut Vec<Change>) {
    let properties = |s: &Value| s.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let (old_props, new_props) = (properties(was), properties(is));
    let (old_required, new_required) = (strings(was, "required"), strings(is, "required"));
    let (owner, field) = (|| owner.to_string(), |name: &String| name.clone());
    for (name, schema) in new_props.iter().filter(|(name, _)| !old_props.contains_key(*name)) {
        let (ty, required) = (TypeExpr::of(schema), new_required.contains(name));
        changes.push(Change::FieldAdded { owner: owner(), field: field(name), ty, required, direction });
    }
    for (name, old_schema) in &old_props {
        let Some(new_schema) = new_props.get(name) else {
            changes.push(Change::FieldRemoved { owner: owner(), field: field(name) });
            continue;
        };
        let (from, to) = (TypeExpr::of(old_schema), TypeExpr::of(new_schema));
        if from != to {
            changes.push(Change::FieldRetyped { owner: owner(), field: field(name), from, to, direction });
        }
        let required = new_required.contains(name);
        if let Some(change) = default_change(owner(), field(name), old_schema, new_schema, required) {
            changes.push(change);
        }
        // Only a type the client sends leaves fields to the server's defaults.
        let (was, is) = (server_default(old_schema), server_default(new_schema));
        if was != is && direction != Direction::Response {
            changes.push(Change::ServerDefault { owner: owner(), field: field(name), was, is });
        }
        if old_required.contains(name) != required {
            changes.push(Change::FieldRequired { owner: owner(), field: field(name), required, direction });
        }
        if text(old_schema) != text(new_schema) || old_schema.get("title") != new_schema.get("title") {
            changes.push(Change::FieldDocs { owner: owner(), field: field(name) });
        }
        if let (Some(old_inner), Some(new_inner)) = (inline_object(old_schema), inline_object(new_schema)) {
            compare_fields(&format!("{}.{name}", owner()), direction, old_inner, new_inner, changes);
        }
    }
}

/// The object a field declares in place (its own `properties`, or its array items'), whose
/// fields the report compares too, named `Owner.field`.
fn inline_object(schema: &Value) -> Option<&Value> {
    let items = schema.get("items");
    [Some(schema), items]
        .into_iter()
        .flatten()
        .find(|s| s.get("properties").is_some_and(Value::is_object))
}

/// The strings of the list `key` of `schema` (`enum`, `required`).
fn strings(schema: &Value, key: &str) -> BTreeSet<String> {
    schema
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect()
}

/// What a change of a field's documented default does to the client. typify fills an
/// optional field's default into `Default`, the builders and decoding, and types the field
/// without `Option` when the default is not `null`; the docs of request types carry no default
/// (see `defaults`), so such a field is sent only when set.
fn default_change(owner: String, field: String, was: &Value, is: &Value, required: bool) -> Option<Change> {
    let default = |s: &Value| s.get("default").filter(|d| !d.is_null()).map(Value::to_string);
    let rust = |s: &Value| TypeExpr::of(s).rust(required, default(s).is_some());
    let (old, new) = (default(was), default(is));
    let moved = match (&old, &new) {
        (Some(_), None) | (None, Some(_)) => !required,
        (Some(a), Some(b)) => a != b,
        (None, None) => false,
    };
    let retyped = Some((rust(was), rust(is))).filter(|(a, b)| a != b);
    moved.then_some(Change::FieldDefault { owner, field, was: old, is: new, retyped })
}
