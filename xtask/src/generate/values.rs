//! Values: takes a schema of the OpenAPI 3.0.3 document progenitor reads, gives a JSON value the
//! schema accepts: with its required parts only (the first enum value, `null` where allowed), or
//! complete (every property, a value where `null` would do). Numbers start from 1 and arrays
//! hold one item where the bounds allow: a stricter era of the server (a `minimum: 1`, a
//! `minItems: 1` the merge loosened) accepts them too. The generated tests build arguments from
//! them, written into the tests as raw string literals ([`raw_string`]).

use serde_json::{Map, Value, json};

use crate::schema;

/// Deeper than any of Baseten's schemas nest; a recursive schema stops here with `null`.
const MAX_DEPTH: usize = 32;

/// Past this depth the fullest value fills only what is required: a schema that nests itself
/// through optional properties would otherwise grow without end.
const FULL_DEPTH: usize = 6;

/// A value of `schema` with its required parts only, `$ref`s resolved in `document`.
pub(crate) fn required(document: &Value, schema: &Value) -> Value {
    Example { document, full: false, documented: false }.value(schema, 0)
}

/// A value of `schema` with every optional part set too, `$ref`s resolved in `document`.
pub(crate) fn complete(document: &Value, schema: &Value) -> Value {
    Example { document, full: true, documented: false }.value(schema, 0)
}

/// A value of `schema` as the docs show it: each part's documented `example` (else its
/// `default`) where it has one, the optional parts that have one, the required parts as
/// [`required`] gives them otherwise.
pub(crate) fn documented(document: &Value, schema: &Value) -> Value {
    Example { document, full: false, documented: true }.value(schema, 0)
}

struct Example<'a> {
    document: &'a Value,
    /// Every property and item, or only what is required.
    full: bool,
    /// The docs' examples and defaults first, and the optional parts that have one.
    documented: bool,
}

impl Example<'_> {
    fn value(&self, schema: &Value, depth: usize) -> Value {
        if let Some(shown) = self.shown(schema) {
            return shown.clone();
        }
        let schema = schema::follow(self.document, schema);
        if depth > MAX_DEPTH {
            return Value::Null;
        }
        if let Some(shown) = self.shown(schema) {
            return shown.clone();
        }
        let full = self.full && depth < FULL_DEPTH;
        if !full && schema.get("nullable") == Some(&json!(true)) {
            return Value::Null;
        }
        if let Some(value) = schema.get("enum").and_then(Value::as_array).and_then(|v| v.iter().find(|v| !v.is_null()))
        {
            return value.clone();
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = schema.get(key).and_then(Value::as_array).and_then(|members| members.first()) {
                return tagged(schema, first, self.value(first, depth + 1));
            }
        }
        if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
            return members.iter().map(|member| self.value(member, depth + 1)).fold(Value::Null, merge);
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("object") => self.object(schema, depth, full),
            Some("array") => self.array(schema, depth),
            Some("string") => string(schema),
            Some("integer") => json!(number(schema).ceil() as i64),
            Some("number") => json!(number(schema)),
            Some("boolean") => json!(full),
            _ if schema.get("properties").is_some() => self.object(schema, depth, full),
            _ => Value::Null,
        }
    }

    /// The docs' `example` of `schema`, else its non-null `default`, when `documented`.
    fn shown<'s>(&self, schema: &'s Value) -> Option<&'s Value> {
        let default = || schema.get("default").filter(|default| !default.is_null());
        self.documented.then(|| schema.get("example").or_else(default)).flatten()
    }

    /// The required properties, or every property when `full`; a typed map gets one entry then.
    fn object(&self, schema: &Value, depth: usize, full: bool) -> Value {
        let properties = schema.get("properties").and_then(Value::as_object);
        let required: Vec<&str> = crate::schema::required_names(schema);
        let mut out = Map::new();
        for name in &required {
            let property = properties.and_then(|p| p.get(*name)).unwrap_or(&Value::Null);
            out.insert(name.to_string(), self.value(property, depth + 1));
        }
        let wanted = |property: &Value| full || (self.documented && property.get("example").is_some());
        for (name, property) in properties.into_iter().flatten().filter(|(_, property)| wanted(property)) {
            if !out.contains_key(name) {
                out.insert(name.clone(), self.value(property, depth + 1));
            }
        }
        if let (true, Some(values @ Value::Object(_))) = (full, schema.get("additionalProperties")) {
            out.entry("x").or_insert_with(|| self.value(values, depth + 1));
        }
        Value::Object(out)
    }

    /// `minItems` items, and at least one where `maxItems` allows.
    fn array(&self, schema: &Value, depth: usize) -> Value {
        let minimum = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        let maximum = schema.get("maxItems").and_then(Value::as_u64).unwrap_or(u64::MAX);
        let count = minimum.max(1).min(maximum);
        let item = schema.get("items").map(|items| self.value(items, depth + 1)).unwrap_or(Value::Null);
        Value::Array((0..count).map(|_| item.clone()).collect())
    }
}

/// A union member's value with the union's discriminator set, even where the member leaves it
/// optional: without it, the value may match more than one member of a `oneOf`.
fn tagged(union: &Value, member: &Value, value: Value) -> Value {
    let Value::Object(mut object) = value else { return value };
    let Some(property) = union.pointer("/discriminator/propertyName").and_then(Value::as_str) else {
        return Value::Object(object);
    };
    let mapping = union.pointer("/discriminator/mapping").and_then(Value::as_object);
    let reference = member.get("$ref");
    let tag = mapping.into_iter().flatten().find(|(_, target)| Some(*target) == reference).map(|(tag, _)| tag);
    if let Some(tag) = tag {
        object.insert(property.to_string(), Value::String(tag.clone()));
    }
    Value::Object(object)
}

fn string(schema: &Value) -> Value {
    let by_format = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => Some("2026-01-01T00:00:00Z"),
        Some("date") => Some("2026-01-01"),
        Some("uuid") => Some("00000000-0000-0000-0000-000000000000"),
        Some("uri" | "url") => Some("https://example.com"),
        Some("email") => Some("user@example.com"),
        _ => None,
    };
    if let Some(text) = by_format {
        return json!(text);
    }
    if let (Some(example), true) = (schema.get("example").filter(|e| e.is_string()), schema.get("pattern").is_some()) {
        return example.clone();
    }
    let length = schema.get("minLength").and_then(Value::as_u64).unwrap_or(1).max(1);
    json!("x".repeat(length as usize))
}

/// The lowest number the bounds allow, 1 where they allow it.
fn number(schema: &Value) -> f64 {
    let minimum = schema.get("minimum").and_then(Value::as_f64);
    let exclusive = schema.get("exclusiveMinimum") == Some(&json!(true));
    let maximum = schema.get("maximum").and_then(Value::as_f64);
    match (minimum, exclusive, maximum) {
        (Some(n), true, _) => n + 1.0,
        (Some(n), false, _) => n.max(1.0).min(maximum.unwrap_or(f64::MAX)),
        (None, _, Some(max)) if max < 1.0 => max,
        (None, _, _) => 1.0,
    }
}

/// Two values of one `allOf`: objects combine, anything else the later one wins.
fn merge(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Object(mut a), Value::Object(b)) => {
            a.extend(b);
            Value::Object(a)
        }
        (a, Value::Null) => a,
        (_, b) => b,
    }
}

/// `text` as a raw string literal, with as many `#`s as it needs: JSON reads better unescaped.
pub(super) fn raw_string(text: &str) -> proc_macro2::Literal {
    let hashes = (1..).map(|n| "#".repeat(n)).find(|h| !text.contains(&format!("\"{h}"))).unwrap_or_default();
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(text))
}
