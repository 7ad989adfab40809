//! Schema: takes any JSON Schema (or a whole OpenAPI document), gives its subschemas with
//! their JSON pointers, its `$ref`s and what they point to. The one walker every stage uses, so
//! that normalize, merge, downgrade, the enum hoisting, cut and report agree on what a
//! schema's children are.

use serde_json::{Map, Value};

/// How a keyword's value holds subschemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// One subschema: `items: {...}`.
    One,
    /// Subschemas by name: `properties: {name: {...}}`.
    ByName,
    /// Subschemas in order: `anyOf: [{...}]`.
    InOrder,
}

/// Every keyword whose value holds subschemas (JSON Schema 2020-12 and OpenAPI 3.0).
pub const SUBSCHEMA_KEYWORDS: &[(&str, Holds)] = &[
    ("properties", Holds::ByName),
    ("patternProperties", Holds::ByName),
    ("dependentSchemas", Holds::ByName),
    ("$defs", Holds::ByName),
    ("definitions", Holds::ByName),
    ("allOf", Holds::InOrder),
    ("anyOf", Holds::InOrder),
    ("oneOf", Holds::InOrder),
    ("prefixItems", Holds::InOrder),
    ("items", Holds::One),
    ("additionalProperties", Holds::One),
    ("additionalItems", Holds::One),
    ("unevaluatedProperties", Holds::One),
    ("unevaluatedItems", Holds::One),
    ("not", Holds::One),
    ("contains", Holds::One),
    ("propertyNames", Holds::One),
    ("if", Holds::One),
    ("then", Holds::One),
    ("else", Holds::One),
];

/// How `keyword`'s value holds subschemas; `None` when it holds none.
pub fn holds(keyword: &str) -> Option<Holds> {
    SUBSCHEMA_KEYWORDS.iter().find(|(k, _)| *k == keyword).map(|(_, holds)| *holds)
}

/// Where a subschema sits in its parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// `items`, `not`, ...
    Keyword(&'static str),
    /// `properties/name`
    Named(&'static str, &'a str),
    /// `anyOf/1`
    Index(&'static str, usize),
}

impl Step<'_> {
    pub fn keyword(&self) -> &'static str {
        match self {
            Step::Keyword(k) | Step::Named(k, _) | Step::Index(k, _) => k,
        }
    }

    /// The step as JSON-pointer tokens: `/properties/a~1b`.
    pub fn pointer(&self) -> String {
        match self {
            Step::Keyword(k) => format!("/{k}"),
            Step::Named(k, name) => format!("/{k}/{}", token(name)),
            Step::Index(k, i) => format!("/{k}/{i}"),
        }
    }
}

/// The direct subschemas of `schema`, in key order. A keyword whose value has the wrong shape
/// (`properties: 3`) holds none; `true` and `false` are subschemas.
pub fn children(schema: &Value) -> Vec<(Step<'_>, &Value)> {
    let mut out = Vec::new();
    let Value::Object(map) = schema else { return out };
    for (key, value) in map {
        let Some((keyword, holds)) = SUBSCHEMA_KEYWORDS.iter().find(|(k, _)| k == key) else { continue };
        let holds = if *keyword == "items" && value.is_array() { Holds::InOrder } else { *holds };
        match (holds, value) {
            (Holds::One, _) => out.push((Step::Keyword(keyword), value)),
            (Holds::ByName, Value::Object(named)) => {
                out.extend(named.iter().map(|(name, s)| (Step::Named(keyword, name.as_str()), s)));
            }
            (Holds::InOrder, Value::Array(items)) => {
                out.extend(items.iter().enumerate().map(|(i, s)| (Step::Index(keyword, i), s)));
            }
            _ => {}
        }
    }
    out
}

/// [`children`], mutable.
pub fn children_mut(schema: &mut Value) -> Vec<(Step<'_>, &mut Value)> {
    let mut out = Vec::new();
    let Value::Object(map) = schema else { return out };
    for (key, value) in map.iter_mut() {
        let Some((keyword, holds)) = SUBSCHEMA_KEYWORDS.iter().find(|(k, _)| k == key) else { continue };
        let holds = if *keyword == "items" && value.is_array() { Holds::InOrder } else { *holds };
        match (holds, value) {
            (Holds::One, value) => out.push((Step::Keyword(keyword), value)),
            (Holds::ByName, Value::Object(named)) => {
                out.extend(named.iter_mut().map(|(name, s)| (Step::Named(keyword, name.as_str()), s)));
            }
            (Holds::InOrder, Value::Array(items)) => {
                out.extend(items.iter_mut().enumerate().map(|(i, s)| (Step::Index(keyword, i), s)));
            }
            _ => {}
        }
    }
    out
}

/// Visits `schema` and every subschema below it, parents before children, each with its JSON
/// pointer (`at` is the pointer of `schema` itself).
pub fn walk<'a>(schema: &'a Value, at: &str, visit: &mut impl FnMut(&str, &'a Value)) {
    visit(at, schema);
    for (step, child) in children(schema) {
        walk(child, &format!("{at}{}", step.pointer()), visit);
    }
}

/// [`walk`], mutable: `visit` may change a schema before its children are visited.
pub fn walk_mut(schema: &mut Value, at: &str, visit: &mut impl FnMut(&str, &mut Value)) {
    visit(at, schema);
    for (step, child) in children_mut(schema) {
        let here = format!("{at}{}", step.pointer());
        walk_mut(child, &here, visit);
    }
}

/// Every `$ref` string in `value` (a schema, an operation or a whole document), in document order.
pub fn refs(value: &Value) -> Vec<&str> {
    fn collect<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("$ref", Value::String(r)) => out.push(r),
                        _ => collect(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    collect(value, &mut out);
    out
}

/// A local reference to a component: `#/components/schemas/Name` → `("schemas", "Name")`,
/// its name unescaped. `None` for anything else.
pub fn component_ref(reference: &str) -> Option<(&str, String)> {
    let (kind, name) = reference.strip_prefix("#/components/")?.split_once('/')?;
    (!name.contains('/')).then(|| (kind, untoken(name)))
}

/// The reference to a component: `("schemas", "a/b")` → `#/components/schemas/a~1b`.
pub fn reference_to(kind: &str, name: &str) -> String {
    format!("#/components/{kind}/{}", token(name))
}

/// What a local `$ref` points to in `document`.
pub fn resolve<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    document.pointer(reference.strip_prefix('#')?)
}

/// `value`, or what it points to when it is a `{$ref}` into `document`.
pub fn follow<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => resolve(document, reference).unwrap_or(value),
        None => value,
    }
}

/// The schema a property stands for: through a `$ref`, or an `allOf` of one (how the downgrade
/// writes a `$ref` with a description or `nullable` beside it).
pub fn follow_property<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        Some([only]) => follow(document, only),
        _ => follow(document, value),
    }
}

/// Whether the object `schema` lists `field` as `required`.
pub fn requires(schema: &Value, field: &str) -> bool {
    schema.get("required").and_then(Value::as_array).is_some_and(|r| r.iter().any(|f| f == field))
}

/// The names an object schema's `required` lists (none where it lists none).
pub fn required_names(schema: &Value) -> Vec<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

/// A key as one JSON-pointer token (RFC 6901): `~` and `/` escaped.
pub fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// One JSON-pointer token back to its key.
pub fn untoken(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// `schema` with its keys sorted and every subschema likewise, properties in their order: one
/// layout whatever form or tool produced the schema.
pub fn canonical(schema: &Value) -> Value {
    let Value::Object(map) = schema else { return schema.clone() };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    let mut out: Value = Value::Object(keys.into_iter().map(|k| (k.clone(), map[k].clone())).collect::<Map<_, _>>());
    for (_, child) in children_mut(&mut out) {
        *child = canonical(child);
    }
    out
}

/// The scheme names a `security` requirement list names, in order.
pub fn requirement_names(requirements: &Value) -> Vec<&String> {
    requirements
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|r| r.keys())
        .collect()
}
