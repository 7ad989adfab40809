//! Downgrade: takes the merged OpenAPI 3.1 document, gives the OpenAPI 3.0.3 document that
//! progenitor reads, saying the same thing: `null` unions become `nullable`, `$ref` siblings move
//! beside an `allOf`, `const` becomes a one-value `enum`, and so on. What 3.0.3 cannot say is an
//! error, never silently dropped.

use serde_json::{Map, Value, json};

use crate::document::{OpenApi30, OpenApi31};
use crate::error::Errors;
use crate::provenance::Provenance;
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

/// The 3.0.3 document; every schema 3.0.3 cannot express is an error on the page that
/// declared it (`provenance`).
pub fn downgrade(document: &OpenApi31, provenance: &Provenance) -> Result<OpenApi30, Errors> {
    let mut problems = Problems::new();
    let mut map = document.as_object().cloned().unwrap_or_default();
    downgrade_header(&mut map);
    if let Some(paths) = map.get_mut("paths").and_then(Value::as_object_mut) {
        downgrade_paths(paths, &mut problems);
    }
    if let Some(components) = map.get_mut("components").and_then(Value::as_object_mut) {
        downgrade_components(components, &mut problems);
    }
    let errors = problems
        .into_iter()
        .map(|Problem { at, message }| provenance.error(&at, format!("cannot be said in OpenAPI 3.0.3: {message}")));
    Errors(errors.collect()).into_result(OpenApi30::with_fields(map))
}

/// Something 3.0.3 cannot say, at a pointer of the merged document.
struct Problem {
    at: String,
    message: String,
}

impl Problem {
    fn new(at: &str, message: impl Into<String>) -> Problem {
        Problem { at: at.to_string(), message: message.into() }
    }
}

type Problems = Vec<Problem>;

/// 3.1's document-level additions dropped (`with_fields` writes `openapi: 3.0.3`).
fn downgrade_header(document: &mut Map<String, Value>) {
    document.remove("webhooks");
    document.remove("jsonSchemaDialect");
    if let Some(info) = document.get_mut("info").and_then(Value::as_object_mut) {
        info.remove("summary");
        if let Some(license) = info.get_mut("license").and_then(Value::as_object_mut) {
            license.remove("identifier");
        }
    }
}

fn downgrade_paths(paths: &mut Map<String, Value>, problems: &mut Problems) {
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else { continue };
        for (key, value) in item.iter_mut() {
            let at = format!("/paths/{}/{key}", escape(path));
            if key == "parameters" {
                parameters(value, &at, problems);
            } else if let Some(op) = value.as_object_mut() {
                operation(op, &at, problems);
            }
        }
    }
}

fn downgrade_components(components: &mut Map<String, Value>, problems: &mut Problems) {
    if let Some(schemas) = components.get_mut("schemas").and_then(Value::as_object_mut) {
        for (name, schema) in schemas.iter_mut() {
            *schema = downgrade_schema(schema, &format!("/components/schemas/{}", escape(name)), problems);
        }
    }
    if let Some(params) = components.get_mut("parameters").and_then(Value::as_object_mut) {
        for (name, p) in params.iter_mut() {
            parameter(p, &format!("/components/parameters/{}", escape(name)), problems);
        }
    }
}

fn operation(op: &mut Map<String, Value>, at: &str, problems: &mut Problems) {
    if let Some(list) = op.get_mut("parameters") {
        parameters(list, &format!("{at}/parameters"), problems);
    }
    if let Some(content) = op.get_mut("requestBody").and_then(|b| b.get_mut("content")).and_then(Value::as_object_mut) {
        media(content, &format!("{at}/requestBody/content"), problems);
    }
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        for (status, response) in responses.iter_mut() {
            if let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) {
                media(content, &format!("{at}/responses/{status}/content"), problems);
            }
        }
    }
}

fn media(content: &mut Map<String, Value>, at: &str, problems: &mut Problems) {
    for (kind, entry) in content.iter_mut() {
        if let Some(schema) = entry.get_mut("schema") {
            *schema = downgrade_schema(schema, &format!("{at}/{}/schema", escape(kind)), problems);
        }
    }
}

fn parameters(list: &mut Value, at: &str, problems: &mut Problems) {
    for (i, p) in list.as_array_mut().into_iter().flatten().enumerate() {
        parameter(p, &format!("{at}/{i}"), problems);
    }
}

fn parameter(p: &mut Value, at: &str, problems: &mut Problems) {
    let Some(map) = p.as_object_mut() else { return };
    // 3.0.3 requires `required: true` on every path parameter.
    if map.get("in").and_then(Value::as_str) == Some("path") {
        map.insert("required".into(), json!(true));
    }
    if let Some(schema) = map.get_mut("schema") {
        *schema = downgrade_schema(schema, &format!("{at}/schema"), problems);
    }
}

/// `{type: 'null'}`, or what this stage already made of it (members are downgraded first):
/// `{enum: [null], nullable: true}`.
fn is_null_type(schema: &Value) -> bool {
    let Some(schema) = schema.as_object() else { return false };
    let null_type = schema.get("type").and_then(Value::as_str) == Some("null")
        && schema.keys().all(|k| k == "type" || TEXTS.contains(&k.as_str()));
    let null_enum = schema.get("enum") == Some(&json!([null]))
        && schema.get("nullable") == Some(&json!(true))
        && schema.keys().all(|k| k == "enum" || k == "nullable" || TEXTS.contains(&k.as_str()));
    null_type || null_enum
}

const TEXTS: &[&str] = &["description", "title"];

fn downgrade_schema(schema: &Value, at: &str, problems: &mut Problems) -> Value {
    let mut node = match schema {
        Value::Object(_) => schema.clone(),
        Value::Bool(true) => return json!({}),
        Value::Bool(false) => return json!({ "not": {} }),
        other => {
            problems.push(Problem::new(at, format!("a schema must be an object, found {other}")));
            return other.clone();
        }
    };
    for (step, child) in schema::children_mut(&mut node) {
        // 3.0.3 takes a boolean `additionalProperties`; elsewhere `true` and `false` become objects.
        if step.keyword() != "additionalProperties" || child.is_object() {
            *child = downgrade_schema(child, &format!("{at}{}", step.pointer()), problems);
        }
    }
    let Some(schema) = node.as_object_mut() else { return node };
    drop_annotations(schema, at, problems);
    let null_type = type_list_to_type(schema, at, problems);
    let null_member = null_members_to_nullable(schema, at, problems);
    if null_type || null_member {
        schema.insert("nullable".into(), json!(true));
    }
    const_to_enum(schema, at, problems);
    exclusive_bounds_to_booleans(schema);
    examples_to_example(schema);
    ref_siblings_into_all_of(schema);
    node
}

/// Drops the 3.1 annotations 3.0.3 lacks; refuses the constraints it lacks.
fn drop_annotations(schema: &mut Map<String, Value>, at: &str, problems: &mut Problems) {
    for key in ANNOTATIONS {
        schema.remove(*key);
    }
    for key in UNSUPPORTED.iter().filter(|key| schema.contains_key(**key)) {
        problems.push(Problem::new(at, format!("`{key}` has no 3.0.3 equivalent")));
    }
    if let Some(defs) = schema.remove("$defs")
        && defs.as_object().is_some_and(|d| !d.is_empty())
    {
        problems.push(Problem::new(at, "`$defs` has no 3.0.3 equivalent: declare them as components"));
    }
}

/// `type: [X, 'null']` → `type: X`, `type: 'null'` → `enum: [null]`, several types → `anyOf`.
/// Whether `null` was among them.
fn type_list_to_type(schema: &mut Map<String, Value>, at: &str, problems: &mut Problems) -> bool {
    match schema.get("type").cloned() {
        Some(Value::Array(types)) => {
            let nullable = types.iter().any(|t| t == "null");
            let mut rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
            schema.remove("type");
            match rest.len() {
                0 => {}
                1 => {
                    schema.insert("type".into(), rest.remove(0));
                }
                _ if schema.contains_key("anyOf") => problems.push(Problem::new(at, "a `type` list beside `anyOf`")),
                _ => {
                    let alternatives = rest.into_iter().map(|t| json!({ "type": t })).collect();
                    schema.insert("anyOf".into(), Value::Array(alternatives));
                }
            }
            if nullable && !schema.contains_key("type") && !schema.contains_key("anyOf") {
                schema.insert("enum".into(), json!([null]));
            }
            nullable
        }
        Some(Value::String(t)) if t == "null" => {
            schema.remove("type");
            schema.insert("enum".into(), json!([null]));
            true
        }
        _ => false,
    }
}

/// `anyOf`/`oneOf` with a `null` member → the other members (or the one other member, folded
/// in) and `nullable`. Whether there was such a member.
fn null_members_to_nullable(schema: &mut Map<String, Value>, at: &str, problems: &mut Problems) -> bool {
    let mut nullable = false;
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = schema.get(key) else { continue };
        if !members.iter().any(is_null_type) {
            continue;
        }
        nullable = true;
        let mut rest: Vec<Value> = members.iter().filter(|s| !is_null_type(s)).cloned().collect();
        schema.remove(key);
        match rest.len() {
            0 => {
                schema.insert("enum".into(), json!([null]));
            }
            1 => fold_in_the_one_member(schema, rest.remove(0), key, at, problems),
            _ => {
                schema.insert(key.into(), Value::Array(rest));
            }
        }
    }
    nullable
}

/// The one non-null member of a nullable union, into the schema around it.
fn fold_in_the_one_member(schema: &mut Map<String, Value>, only: Value, key: &str, at: &str, problems: &mut Problems) {
    if only.get("$ref").is_some() {
        // 3.0.3 ignores siblings of `$ref`, so the reference goes into an `allOf`.
        if let Some(all) = schema.entry("allOf").or_insert_with(|| json!([])).as_array_mut() {
            all.push(only);
        }
    } else if let Value::Object(inner) = only {
        for (k, v) in inner {
            if schema.contains_key(&k) && !TEXTS.contains(&k.as_str()) {
                problems.push(Problem::new(at, format!("`{k}` both beside and inside a nullable `{key}`")));
            }
            schema.entry(k).or_insert(v);
        }
    }
}

/// `const: X` → `enum: [X]`.
fn const_to_enum(schema: &mut Map<String, Value>, at: &str, problems: &mut Problems) {
    let Some(value) = schema.remove("const") else { return };
    if schema.contains_key("enum") {
        problems.push(Problem::new(at, "`const` beside `enum`"));
    }
    // A default equal to the one allowed value says nothing more, and typify rejects it
    // where the property is a union's discriminator.
    if schema.get("default") == Some(&value) {
        schema.remove("default");
    }
    schema.insert("enum".into(), json!([value]));
}

/// 3.1's numeric `exclusiveMinimum: N` → `minimum: N, exclusiveMinimum: true` (and the maximum).
/// Beside an inclusive bound (the merge keeps the tightest of each), the two say `x > N` and
/// `x >= M`: whichever is tighter is kept, the other says nothing more.
fn exclusive_bounds_to_booleans(schema: &mut Map<String, Value>) {
    for (exclusive, bound, lower) in [("exclusiveMinimum", "minimum", true), ("exclusiveMaximum", "maximum", false)] {
        let Some(n @ Value::Number(_)) = schema.get(exclusive).cloned() else { continue };
        let inclusive = schema.get(bound).and_then(Value::as_f64);
        let (strict, other) = (n.as_f64().unwrap_or(0.0), inclusive.unwrap_or(0.0));
        let exclusive_is_tighter = inclusive.is_none() || if lower { strict >= other } else { strict <= other };
        if exclusive_is_tighter {
            schema.insert(bound.into(), n);
            schema.insert(exclusive.into(), json!(true));
        } else {
            schema.remove(exclusive);
        }
    }
}

/// `examples: [a, ...]` → `example: a`.
fn examples_to_example(schema: &mut Map<String, Value>) {
    if let Some(examples) = schema.remove("examples")
        && let Some(first) = examples.as_array().and_then(|e| e.first())
    {
        schema.entry("example").or_insert_with(|| first.clone());
    }
}

/// 3.0.3 ignores the siblings of a `$ref`: it moves into an `allOf` beside them.
fn ref_siblings_into_all_of(schema: &mut Map<String, Value>) {
    if schema.len() < 2 {
        return;
    }
    if let Some(reference) = schema.remove("$ref")
        && let Some(all) = schema.entry("allOf").or_insert_with(|| json!([])).as_array_mut()
    {
        all.insert(0, json!({ "$ref": reference }));
    }
}
