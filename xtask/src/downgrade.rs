//! Downgrade: takes the merged OpenAPI 3.1 document, gives the OpenAPI 3.0.3 document that
//! progenitor reads, saying the same thing: `null` unions become `nullable`, `$ref` siblings move
//! beside an `allOf`, `const` becomes a one-value `enum`, and so on. What 3.0.3 cannot say is an
//! error, never silently dropped.

use serde_json::{Map, Value, json};

use crate::error::{Error, Errors};
use crate::schema::{self, token as escape};

/// Keywords 3.0.3 lacks that only annotate: dropping them changes no instance's validity.
const ANNOTATIONS: &[&str] = &["$schema", "$id", "$comment", "$anchor", "contentMediaType", "contentEncoding"];

/// Keywords 3.0.3 lacks that constrain: there is no faithful translation.
const UNSUPPORTED: &[&str] = &[
    "prefixItems",
    "unevaluatedProperties",
    "unevaluatedItems",
    "patternProperties",
    "propertyNames",
    "dependentSchemas",
    "dependentRequired",
    "contains",
    "minContains",
    "maxContains",
    "if",
    "then",
    "else",
    "$dynamicRef",
];

/// `origin` names the file errors are reported against (the merged document's destination).
pub fn downgrade(document: &Value, origin: &str) -> Result<Value, Errors> {
    let mut errors = Vec::new();
    let mut out = document.clone();
    if let Some(map) = out.as_object_mut() {
        map.insert("openapi".into(), json!("3.0.3"));
        map.remove("webhooks");
        map.remove("jsonSchemaDialect");
        if let Some(info) = map.get_mut("info").and_then(Value::as_object_mut) {
            info.remove("summary");
            if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
                license.remove("identifier");
            }
        }
        if let Some(paths) = map.get_mut("paths").and_then(Value::as_object_mut) {
            for (path, item) in paths.iter_mut() {
                let Some(item) = item.as_object_mut() else { continue };
                for (key, value) in item.iter_mut() {
                    let at = format!("/paths/{}/{key}", escape(path));
                    if key == "parameters" {
                        parameters(value, &at, &mut errors);
                    } else if let Some(op) = value.as_object_mut() {
                        operation(op, &at, &mut errors);
                    }
                }
            }
        }
        if let Some(components) = map.get_mut("components").and_then(Value::as_object_mut) {
            if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
                for (name, schema) in schemas.iter_mut() {
                    *schema = downgrade_schema(schema, &format!("/components/schemas/{name}"), &mut errors);
                }
            }
            if let Some(params) = components.get_mut("parameters").and_then(Value::as_object_mut) {
                for (name, p) in params.iter_mut() {
                    parameter(p, &format!("/components/parameters/{name}"), &mut errors);
                }
            }
        }
    }
    let errors: Vec<Error> = errors
        .into_iter()
        .map(|(at, message)| Error::new(origin, format!("cannot express `{at}` in OpenAPI 3.0.3: {message}")))
        .collect();
    Errors(errors).into_result(out)
}

type Problems = Vec<(String, String)>;

fn operation(op: &mut Map<String, Value>, at: &str, errors: &mut Problems) {
    if let Some(list) = op.get_mut("parameters") {
        parameters(list, &format!("{at}/parameters"), errors);
    }
    if let Some(content) = op.get_mut("requestBody").and_then(|b| b.get_mut("content")).and_then(Value::as_object_mut) {
        media(content, &format!("{at}/requestBody/content"), errors);
    }
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        for (status, response) in responses.iter_mut() {
            if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
                media(content, &format!("{at}/responses/{status}/content"), errors);
            }
        }
    }
}

fn media(content: &mut Map<String, Value>, at: &str, errors: &mut Problems) {
    for (kind, entry) in content.iter_mut() {
        if let Some(schema) = entry.get_mut("schema") {
            *schema = downgrade_schema(schema, &format!("{at}/{}/schema", escape(kind)), errors);
        }
    }
}

fn parameters(list: &mut Value, at: &str, errors: &mut Problems) {
    for (i, p) in list.as_array_mut().into_iter().flatten().enumerate() {
        parameter(p, &format!("{at}/{i}"), errors);
    }
}

fn parameter(p: &mut Value, at: &str, errors: &mut Problems) {
    let Some(map) = p.as_object_mut() else { return };
    // 3.0.3 requires `required: true` on every path parameter.
    if map.get("in").and_then(Value::as_str) == Some("path") {
        map.insert("required".into(), json!(true));
    }
    if let Some(schema) = map.get_mut("schema") {
        *schema = downgrade_schema(schema, &format!("{at}/schema"), errors);
    }
}

/// `{type: 'null'}`, or what this stage already made of it (members are downgraded first):
/// `{enum: [null], nullable: true}`.
fn is_null_type(schema: &Value) -> bool {
    let Some(m) = schema.as_object() else { return false };
    let null_type = m.get("type").and_then(Value::as_str) == Some("null")
        && m.keys().all(|k| k == "type" || TEXTS.contains(&k.as_str()));
    let null_enum = m.get("enum") == Some(&json!([null]))
        && m.get("nullable") == Some(&json!(true))
        && m.keys().all(|k| k == "enum" || k == "nullable" || TEXTS.contains(&k.as_str()));
    null_type || null_enum
}

const TEXTS: &[&str] = &["description", "title"];

pub fn downgrade_schema(schema: &Value, at: &str, errors: &mut Problems) -> Value {
    let mut node = match schema {
        Value::Object(_) => schema.clone(),
        Value::Bool(true) => return json!({}),
        Value::Bool(false) => return json!({ "not": {} }),
        other => {
            errors.push((at.to_string(), format!("a schema must be an object, found {other}")));
            return other.clone();
        }
    };

    for (step, child) in schema::children_mut(&mut node) {
        // 3.0.3 takes a boolean `additionalProperties`; elsewhere `true` and `false` become objects.
        if step.keyword() != "additionalProperties" || child.is_object() {
            *child = downgrade_schema(child, &format!("{at}{}", step.pointer()), errors);
        }
    }
    let Some(m) = node.as_object_mut() else { return node };

    for key in ANNOTATIONS {
        m.remove(*key);
    }
    for key in UNSUPPORTED {
        if m.contains_key(*key) {
            errors.push((at.to_string(), format!("`{key}` has no 3.0.3 equivalent")));
        }
    }
    if let Some(defs) = m.remove("$defs")
        && defs.as_object().is_some_and(|d| !d.is_empty())
    {
        errors.push((at.to_string(), "`$defs` has no 3.0.3 equivalent: declare them as components".into()));
    }

    let mut nullable = false;
    match m.get("type").cloned() {
        Some(Value::Array(types)) => {
            nullable |= types.iter().any(|t| t == "null");
            let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
            m.remove("type");
            match rest.len() {
                0 => {}
                1 => {
                    m.insert("type".into(), rest[0].clone());
                }
                _ => {
                    let alternatives: Vec<Value> = rest.into_iter().map(|t| json!({ "type": t })).collect();
                    if m.contains_key("anyOf") {
                        errors.push((at.to_string(), "a `type` list beside `anyOf`".into()));
                    } else {
                        m.insert("anyOf".into(), Value::Array(alternatives));
                    }
                }
            }
            if m.get("type").is_none() && !m.contains_key("anyOf") && nullable {
                m.insert("enum".into(), json!([null]));
            }
        }
        Some(Value::String(t)) if t == "null" => {
            m.remove("type");
            nullable = true;
            m.insert("enum".into(), json!([null]));
        }
        _ => {}
    }

    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(items)) = m.get(key) else { continue };
        if !items.iter().any(is_null_type) {
            continue;
        }
        nullable = true;
        let mut rest: Vec<Value> = items.iter().filter(|s| !is_null_type(s)).cloned().collect();
        m.remove(key);
        match rest.len() {
            0 => {
                m.insert("enum".into(), json!([null]));
            }
            1 => {
                let only = rest.remove(0);
                if only.get("$ref").is_some() {
                    // 3.0.3 ignores siblings of `$ref`, so the reference goes into an `allOf`.
                    if let Some(a) = m.entry("allOf").or_insert_with(|| json!([])).as_array_mut() {
                        a.push(only)
                    }
                } else if let Value::Object(inner) = only {
                    for (k, v) in inner {
                        if m.contains_key(&k) && !TEXTS.contains(&k.as_str()) {
                            errors.push((at.to_string(), format!("`{k}` both beside and inside a nullable `{key}`")));
                        }
                        m.entry(k).or_insert(v);
                    }
                }
            }
            _ => {
                m.insert(key.into(), Value::Array(rest));
            }
        }
    }
    if nullable {
        m.insert("nullable".into(), json!(true));
    }

    if let Some(value) = m.remove("const") {
        if m.contains_key("enum") {
            errors.push((at.to_string(), "`const` beside `enum`".into()));
        }
        // A default equal to the one allowed value says nothing more, and typify rejects it
        // where the property is a union's discriminator.
        if m.get("default") == Some(&value) {
            m.remove("default");
        }
        m.insert("enum".into(), json!([value]));
    }
    for (exclusive, bound) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(n @ Value::Number(_)) = m.get(exclusive).cloned() {
            if m.contains_key(bound) {
                errors.push((at.to_string(), format!("`{exclusive}` as a number beside `{bound}`")));
            }
            m.insert(bound.into(), n);
            m.insert(exclusive.into(), json!(true));
        }
    }
    if let Some(examples) = m.remove("examples")
        && let Some(first) = examples.as_array().and_then(|e| e.first())
    {
        m.entry("example").or_insert_with(|| first.clone());
    }
    if m.contains_key("$ref") && m.len() > 1 {
        let reference = m.remove("$ref").expect("checked");
        if let Some(a) = m.entry("allOf").or_insert_with(|| json!([])).as_array_mut() {
            a.insert(0, json!({ "$ref": reference }))
        }
    }
    node
}
