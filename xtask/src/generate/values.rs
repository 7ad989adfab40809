//! Values: takes a schema of the OpenAPI 3.0.3 document progenitor reads, gives the smallest
//! JSON value the schema accepts: required properties only, the first enum value, the lowest
//! bound, no array items unless `minItems` asks. The generated tests build request types from it.

use serde_json::{Map, Value, json};

use crate::schema;

/// Deeper than any of Baseten's schemas nest; a recursive schema stops here with `null`.
const MAX_DEPTH: usize = 32;

/// The smallest value `schema` accepts, `$ref`s resolved in `document`.
pub(crate) fn smallest(document: &Value, schema: &Value) -> Value {
    smallest_at(document, schema, 0)
}

fn smallest_at(document: &Value, schema: &Value, depth: usize) -> Value {
    let schema = schema::follow(document, schema);
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    let next = |s: &Value| smallest_at(document, s, depth + 1);
    if schema.get("nullable") == Some(&json!(true)) {
        return Value::Null;
    }
    if let Some(value) =
        schema.get("enum").and_then(Value::as_array).and_then(|values| values.iter().find(|v| !v.is_null()))
    {
        return value.clone();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema.get(key).and_then(Value::as_array).and_then(|members| members.first()) {
            return next(first);
        }
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        return members.iter().map(next).fold(Value::Null, merge);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => object(schema, &next),
        Some("array") => {
            let count = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let item = schema.get("items").map(&next).unwrap_or(Value::Null);
            Value::Array((0..count).map(|_| item.clone()).collect())
        }
        Some("string") => string(schema),
        Some("integer") => json!(lowest(schema).map_or(0, |n| n.ceil() as i64)),
        Some("number") => json!(lowest(schema).unwrap_or(0.0)),
        Some("boolean") => json!(false),
        _ if schema.get("properties").is_some() => object(schema, &next),
        _ => Value::Null,
    }
}

/// The required properties, each at its smallest.
fn object(schema: &Value, next: &dyn Fn(&Value) -> Value) -> Value {
    let properties = schema.get("properties").and_then(Value::as_object);
    let required = schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
    let mut out = Map::new();
    for name in required {
        let property = properties.and_then(|p| p.get(name)).unwrap_or(&Value::Null);
        out.insert(name.to_string(), next(property));
    }
    Value::Object(out)
}

fn string(schema: &Value) -> Value {
    let example = schema.get("example").filter(|e| e.is_string());
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
    if let (Some(example), true) = (example, schema.get("pattern").is_some()) {
        return example.clone();
    }
    let length = schema.get("minLength").and_then(Value::as_u64).unwrap_or(1).max(1);
    json!("x".repeat(length as usize))
}

/// The lowest number the bounds allow, if they set one.
fn lowest(schema: &Value) -> Option<f64> {
    let minimum = schema.get("minimum").and_then(Value::as_f64);
    let exclusive = schema.get("exclusiveMinimum") == Some(&json!(true));
    match (minimum, exclusive) {
        (Some(n), true) => Some(n + 1.0),
        (Some(n), false) => Some(n),
        (None, _) => schema.get("maximum").and_then(Value::as_f64).filter(|max| *max < 0.0),
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
