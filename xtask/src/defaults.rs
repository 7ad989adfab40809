//! Defaults: takes the merged document, gives it with every `default` on the request side (the
//! schemas requests reach, request bodies, parameters) moved into its description ("The server
//! uses `20` when unset."). The client sends only what its caller set: a default in the docs is
//! the server's business, and the server's may have moved since the docs were exported.
//! Responses keep theirs: a field a server leaves out still reads as its documented default.
//!
//! The request side's bounds stay, and are said in the description too ("Bounds: at least 1,
//! at most 1000; ..."): the client refuses a value outside them before sending, and its docs
//! say so where a caller reads the field or argument.

use serde_json::{Map, Value};

use crate::document::OpenApi31;
use crate::schema;

/// Moves every request-side `default` of `document` into the description beside it.
pub fn move_request_defaults(document: &mut OpenApi31) {
    let directions = document.model().directions;
    let document = document.value_mut();
    if let Some(schemas) = document.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        for (_, schema) in schemas.iter_mut().filter(|(name, _)| directions.sent(name)) {
            move_schema_defaults(schema);
        }
    }
    if let Some(parameters) = document.pointer_mut("/components/parameters").and_then(Value::as_object_mut) {
        parameters.values_mut().for_each(move_parameter_default);
    }
    let items = document.get_mut("paths").and_then(Value::as_object_mut).into_iter().flat_map(|p| p.values_mut());
    for item in items.filter_map(Value::as_object_mut) {
        for (key, value) in item.iter_mut() {
            if key == "parameters" {
                value.as_array_mut().into_iter().flatten().for_each(move_parameter_default);
                continue;
            }
            let parameters = value.get_mut("parameters").and_then(Value::as_array_mut);
            parameters.into_iter().flatten().for_each(move_parameter_default);
            let bodies = value.pointer_mut("/requestBody/content").and_then(Value::as_object_mut);
            for media in bodies.into_iter().flat_map(|content| content.values_mut()) {
                media.get_mut("schema").into_iter().for_each(move_schema_defaults);
            }
        }
    }
}

fn move_schema_defaults(schema: &mut Value) {
    move_defaults(schema, true);
}

/// Moves the defaults of `schema` and says its bounds; the root's only when `root_bounds` (a
/// parameter's are said in the parameter's description).
fn move_defaults(schema: &mut Value, root_bounds: bool) {
    schema::walk_mut(schema, "", &mut |at, node| {
        // A union's member is documented through the union that holds it.
        let member = at.rsplit('/').nth(1).is_some_and(|parent| parent == "anyOf" || parent == "oneOf");
        if !member
            && (root_bounds || !at.is_empty())
            && let Some(map) = node.as_object_mut()
        {
            describe_bounds(map);
        }
        if let Some(map) = node.as_object_mut()
            && let Some(default) = map.remove("default")
        {
            // A tag's only value as its default says nothing the tag does not.
            let tag =
                map.get("const") == Some(&default) || map.get("enum") == Some(&Value::Array(vec![default.clone()]));
            if !tag {
                describe(map, &default);
            }
            // Keys stay in the canonical order normalize gave them.
            map.sort_keys();
        }
    });
}

/// A parameter's default goes into the parameter's description, which the client's docs list
/// under the operation's arguments.
fn move_parameter_default(parameter: &mut Value) {
    let Some(schema) = parameter.get_mut("schema") else { return };
    let default = schema.as_object_mut().and_then(|s| s.remove("default"));
    let bounds = schema.as_object().and_then(bounds_of);
    move_defaults(schema, false);
    let Some(map) = parameter.as_object_mut() else { return };
    if let Some(bounds) = bounds {
        append(map, &bounds);
    }
    if let Some(default) = default {
        describe(map, &default);
    }
    *parameter = crate::normalize::canon_parameter(parameter);
}

/// Adds the bounds of the node (or of its one non-null union member) to its description.
fn describe_bounds(map: &mut Map<String, Value>) {
    if let Some(bounds) = bounds_of(map) {
        append(map, &bounds);
    }
}

/// "Bounds: at least 1, at most 1000; …" for a schema's own bounds, or its one non-null
/// union member's; `None` without any.
fn bounds_of(schema: &Map<String, Value>) -> Option<String> {
    let members = ["anyOf", "oneOf"].into_iter().filter_map(|key| schema.get(key)?.as_array()).flatten();
    let not_null: Vec<&Map<String, Value>> = members
        .filter_map(Value::as_object)
        .filter(|m| m.get("type").and_then(Value::as_str) != Some("null"))
        .collect();
    let schema = match not_null.as_slice() {
        [only] if phrases(schema).is_empty() => *only,
        _ => schema,
    };
    let phrases = phrases(schema);
    (!phrases.is_empty())
        .then(|| format!("Bounds: {}; the client refuses a value outside them before sending.", phrases.join(", ")))
}

fn phrases(schema: &Map<String, Value>) -> Vec<String> {
    let number = |key: &str| schema.get(key).filter(|v| v.is_number()).map(Value::to_string);
    let mut out = Vec::new();
    let ranges = [
        ("minimum", "at least {}"),
        ("exclusiveMinimum", "more than {}"),
        ("maximum", "at most {}"),
        ("exclusiveMaximum", "less than {}"),
        ("minLength", "at least {} characters"),
        ("maxLength", "at most {} characters"),
        ("minItems", "at least {} items"),
        ("maxItems", "at most {} items"),
    ];
    for (key, phrase) in ranges {
        if let Some(value) = number(key) {
            out.push(phrase.replace("{}", &value));
        }
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        out.push(format!("matching `{pattern}`"));
    }
    out
}

/// `sentence` after `map`'s description, a paragraph of its own.
fn append(map: &mut Map<String, Value>, sentence: &str) {
    match map.get_mut("description") {
        Some(Value::String(text)) if !text.trim().is_empty() => {
            text.push_str("\n\n");
            text.push_str(sentence);
        }
        _ => {
            map.insert("description".into(), Value::String(sentence.to_string()));
        }
    }
}

/// The keyword that keeps a moved default beside the description that tells it, for the
/// change report (a default the server uses changes what an unset field means at run time).
pub const SERVER_DEFAULT: &str = "x-server-default";

/// Adds "The server uses `X` when unset." to `map`'s description, and `X` as
/// [`SERVER_DEFAULT`]; a `null` default says nothing an unset field does not.
fn describe(map: &mut Map<String, Value>, default: &Value) {
    if default.is_null() {
        return;
    }
    map.insert(SERVER_DEFAULT.into(), default.clone());
    let shown = match default {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    append(map, &format!("The server uses `{shown}` when unset."));
}
