//! Merge: takes every page's [`Operation`], gives one OpenAPI 3.1 document in a fixed order
//! (paths sorted, methods in HTTP order, components sorted), with the drift between pages
//! reconciled as a tolerant reader would and each reconciliation reported.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value, json};

use crate::error::{Error, Errors};
use crate::extract::METHODS;
use crate::naming;
use crate::schema::token as escape;
use crate::normalize::Operation;

/// Keys that document a schema rather than constrain it: on drift, the richer declaration's win.
const TEXT_KEYS: &[&str] = &["description", "title", "examples", "example", "summary", "externalDocs"];

pub struct Merged {
    pub document: Value,
    pub reconciliations: Vec<Reconciliation>,
    /// `(name, METHOD, path, page)` in document order.
    pub operations: Vec<(String, String, String, String)>,
}

/// One place where pages disagreed and the merge chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciliation {
    /// `schemas/DeploymentV1`
    pub component: String,
    /// `properties/labels`, relative to the component.
    pub at: String,
    pub what: String,
    /// The pages that have what is described (first) and those that don't (second).
    pub with: Vec<String>,
    pub without: Vec<String>,
}

impl fmt::Display for Reconciliation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.at.is_empty() { String::new() } else { format!(" {}", self.at) };
        write!(f, "{}{at}: {} (on {}; not on {})", self.component, self.what, self.with.join(", "), self.without.join(", "))
    }
}

pub fn merge(mut operations: Vec<Operation>) -> Result<Merged, Errors> {
    let method_rank = |m: &str| METHODS.iter().position(|x| *x == m).unwrap_or(METHODS.len());
    operations.sort_by(|a, b| {
        (a.path.as_str(), method_rank(&a.method), a.page.as_str()).cmp(&(b.path.as_str(), method_rank(&b.method), b.page.as_str()))
    });
    let mut errors = Errors::default();

    // The same operation on two pages: fine when identical, an error otherwise.
    let mut unique: Vec<Operation> = Vec::new();
    let mut duplicates: Vec<Operation> = Vec::new();
    for op in operations {
        if let Some(first) = unique.iter().find(|u| u.method == op.method && u.path == op.path) {
            let (a, b) = (first.without_components(), op.without_components());
            if a != b {
                let at = first_difference(&a, &b, "");
                errors.push(
                    Error::new(
                        op.page.clone(),
                        format!(
                            "`{} {}` is also declared on {}, with different content (first difference at `{at}`)",
                            op.method.to_uppercase(),
                            op.path,
                            first.page
                        ),
                    )
                    .with_hint("keep one page per endpoint in spec/"),
                );
            }
            // Its components still join the merge, so drift in them is reconciled and reported.
            duplicates.push(op);
            continue;
        }
        unique.push(op);
    }

    let mut names: BTreeMap<String, &Operation> = BTreeMap::new();
    let mut listed = Vec::new();
    for op in &unique {
        let name = naming::operation_name(&op.method, &op.path);
        if let Some(other) = names.get(&name) {
            errors.push(
                Error::new(
                    op.page.clone(),
                    format!(
                        "`{} {}` and `{} {}` ({}) would both be named `{name}`",
                        op.method.to_uppercase(),
                        op.path,
                        other.method.to_uppercase(),
                        other.path,
                        other.page
                    ),
                )
                .with_hint("add a reviewed entry to OVERRIDES in xtask/src/naming.rs"),
            );
            continue;
        }
        names.insert(name.clone(), op);
        listed.push((name, op.method.to_uppercase(), op.path.clone(), op.page.clone()));
    }

    let mut reconciliations = Vec::new();
    let mut components = Map::new();
    for kind in ["schemas", "parameters", "securitySchemes"] {
        let mut declared: BTreeMap<&str, Vec<(&str, &Value)>> = BTreeMap::new();
        for op in unique.iter().chain(&duplicates) {
            let map = match kind {
                "schemas" => &op.components.schemas,
                "parameters" => &op.components.parameters,
                _ => &op.components.security_schemes,
            };
            for (name, value) in map {
                declared.entry(name.as_str()).or_default().push((op.page.as_str(), value));
            }
        }
        let mut merged = Map::new();
        for (name, declarations) in declared {
            match reconcile_component(&format!("{kind}/{name}"), &declarations, &mut reconciliations) {
                Ok(value) => {
                    merged.insert(name.to_string(), value);
                }
                Err(error) => errors.push(error),
            }
        }
        if !merged.is_empty() {
            components.insert(kind.to_string(), Value::Object(merged));
        }
    }

    let servers = most_common(unique.iter().map(|op| &op.servers));
    let security = most_common(unique.iter().map(|op| &op.security));
    let mut paths: Map<String, Value> = Map::new();
    for (op, (name, ..)) in unique.iter().zip(&listed) {
        let item = paths.entry(op.path.clone()).or_insert_with(|| json!({})).as_object_mut().expect("path items are objects");
        if !op.path_parameters.is_empty() {
            let existing = item.entry("parameters").or_insert_with(|| json!([])).as_array_mut().expect("a list");
            for parameter in &op.path_parameters {
                if !existing.contains(parameter) {
                    existing.push(parameter.clone());
                }
            }
        }
        let mut operation = Map::new();
        operation.insert("operationId".into(), json!(name));
        if let Some(s) = &op.summary {
            operation.insert("summary".into(), json!(s));
        }
        if let Some(d) = &op.description {
            operation.insert("description".into(), json!(d));
        }
        if op.deprecated {
            operation.insert("deprecated".into(), json!(true));
        }
        if !op.parameters.is_empty() {
            operation.insert("parameters".into(), json!(op.parameters));
        }
        if let Some(body) = &op.request_body {
            let mut b = Map::new();
            if let Some(d) = &body.description {
                b.insert("description".into(), json!(d));
            }
            b.insert("content".into(), Value::Object(body.content.clone()));
            b.insert("required".into(), json!(body.required));
            operation.insert("requestBody".into(), Value::Object(b));
        }
        operation.insert("responses".into(), Value::Object(op.responses.clone()));
        if Some(&op.security) != security {
            operation.insert("security".into(), json!(op.security));
        }
        if Some(&op.servers) != servers {
            operation.insert("servers".into(), json!(op.servers));
        }
        item.insert(op.method.clone(), Value::Object(operation));
    }
    // Path-level parameters of one path must agree across its operations' pages.
    for (path, item) in &paths {
        let parameters = item.get("parameters").and_then(Value::as_array).cloned().unwrap_or_default();
        for (i, a) in parameters.iter().enumerate() {
            for b in &parameters[i + 1..] {
                if a.get("name").is_some() && a.get("name") == b.get("name") && a.get("in") == b.get("in") {
                    let pages: Vec<&str> = unique.iter().filter(|o| &o.path == path).map(|o| o.page.as_str()).collect();
                    errors.push(Error::new(
                        pages[0].to_string(),
                        format!("path-level parameter `{}` of `{path}` differs between {}", a["name"], pages.join(" and ")),
                    ));
                }
            }
        }
    }

    let mut document = Map::new();
    document.insert("openapi".into(), json!("3.1.0"));
    document.insert(
        "info".into(),
        json!({
            "title": "Baseten management API",
            "description": "REST API for management of Baseten resources",
            "version": "1.0.0",
        }),
    );
    if let Some(servers) = servers {
        document.insert("servers".into(), json!(servers));
    }
    if let Some(security) = security {
        document.insert("security".into(), json!(security));
    }
    document.insert("paths".into(), Value::Object(paths));
    document.insert("components".into(), Value::Object(components));
    errors.into_result(Merged { document: Value::Object(document), reconciliations, operations: listed })
}

/// The value most operations share; ties go to the first in document order.
fn most_common<'a>(values: impl Iterator<Item = &'a Vec<Value>>) -> Option<&'a Vec<Value>> {
    let mut counts: Vec<(&Vec<Value>, usize)> = Vec::new();
    for value in values {
        match counts.iter_mut().find(|(v, _)| *v == value) {
            Some((_, n)) => *n += 1,
            None => counts.push((value, 1)),
        }
    }
    let best = counts.iter().map(|(_, n)| *n).max()?;
    counts.into_iter().find(|(_, n)| *n == best).map(|(v, _)| v).filter(|v| !v.is_empty())
}

/// Reconciles every declaration of one component. The richest declaration (most properties,
/// then most enum values, then the longest texts; ties to the first declaration in operation order: API path, then method) is the
/// base, so its texts win; the others are folded in one by one.
fn reconcile_component(component: &str, declarations: &[(&str, &Value)], log: &mut Vec<Reconciliation>) -> Result<Value, Error> {
    let (_, first) = declarations[0];
    if declarations.iter().all(|(_, v)| *v == first) {
        return Ok(first.clone());
    }
    let richest = (0..declarations.len())
        .max_by_key(|&i| (richness(declarations[i].1), std::cmp::Reverse(i)))
        .expect("at least one declaration");
    let (base_page, base) = declarations[richest];
    let mut merged = base.clone();
    let mut events = Vec::new();
    for (page, value) in declarations {
        if *value == base {
            continue;
        }
        merged = reconcile(&merged, value, "", &mut events).map_err(|conflict| {
            Error::new(
                page.to_string(),
                format!(
                    "`{component}` conflicts with its declaration on {base_page} at `{}`: {} here, {} there",
                    if conflict.at.is_empty() { "/" } else { &conflict.at },
                    brief(&conflict.theirs),
                    brief(&conflict.ours),
                ),
            )
            .with_hint("pages may add properties, required fields and enum values; they may not change a type")
        })?;
    }
    events.sort();
    events.dedup();
    for (at, what) in events {
        let (with, without): (Vec<_>, Vec<_>) = declarations
            .iter()
            .map(|(p, v)| (p.to_string(), has(v, &at, &what)))
            .partition(|(_, has)| *has);
        let mut with: Vec<String> = with.into_iter().map(|(p, _)| p).collect();
        let mut without: Vec<String> = without.into_iter().map(|(p, _)| p).collect();
        with.sort();
        with.dedup();
        without.sort();
        without.dedup();
        log.push(Reconciliation { component: component.to_string(), at: at.clone(), what: what.describe(), with, without });
    }
    Ok(merged)
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    /// A property some declarations lack: kept (union).
    Property,
    /// A property some declarations do not require: optional.
    Required(String),
    /// An enum value some declarations lack: kept (union).
    EnumValue(String),
    /// Texts differ: the richest declaration's are kept.
    Text(String),
}

impl Event {
    fn describe(&self) -> String {
        match self {
            Event::Property => "property kept (union of properties)".into(),
            Event::Required(p) => format!("`{p}` made optional (required only where every page requires it)"),
            Event::EnumValue(v) => format!("enum value {v} kept (union of values)"),
            Event::Text(k) => format!("`{k}` differs; the richest declaration's kept"),
        }
    }
}

/// Whether a declaration has what an event describes, to say which pages do.
fn has(value: &Value, at: &str, event: &Event) -> bool {
    let node = if at.is_empty() { Some(value) } else { value.pointer(at) };
    match event {
        Event::Property => node.is_some(),
        Event::Required(p) => node
            .and_then(|n| n.get("required"))
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|x| x.as_str() == Some(p))),
        Event::EnumValue(v) => node
            .and_then(|n| n.get("enum"))
            .and_then(Value::as_array)
            .is_some_and(|e| serde_json::from_str::<Value>(v).is_ok_and(|v| e.contains(&v))),
        Event::Text(k) => node.and_then(|n| n.get(k)).is_some(),
    }
}

struct Conflict {
    at: String,
    ours: Value,
    theirs: Value,
}

fn reconcile(ours: &Value, theirs: &Value, at: &str, events: &mut Vec<(String, Event)>) -> Result<Value, Box<Conflict>> {
    if ours == theirs {
        return Ok(ours.clone());
    }
    let conflict = || Box::new(Conflict { at: at.to_string(), ours: ours.clone(), theirs: theirs.clone() });
    let (Value::Object(a), Value::Object(b)) = (ours, theirs) else { return Err(conflict()) };
    let mut out = a.clone();
    let keys: Vec<&String> = a.keys().chain(b.keys().filter(|k| !a.contains_key(*k))).collect();
    for key in keys {
        let here = format!("{at}/{}", escape(key));
        match (key.as_str(), a.get(key), b.get(key)) {
            (_, Some(x), Some(y)) if x == y => {}
            ("properties", x, y) => {
                let empty = Map::new();
                let x = x.and_then(Value::as_object).unwrap_or(&empty);
                let y = y.and_then(Value::as_object).unwrap_or(&empty);
                let mut properties = x.clone();
                for (name, schema) in y {
                    let p = format!("{here}/{}", escape(name));
                    match x.get(name) {
                        Some(mine) => {
                            properties.insert(name.clone(), reconcile(mine, schema, &p, events)?);
                        }
                        None => {
                            properties.insert(name.clone(), schema.clone());
                            events.push((p, Event::Property));
                        }
                    }
                }
                for name in x.keys().filter(|n| !y.contains_key(*n)) {
                    events.push((format!("{here}/{}", escape(name)), Event::Property));
                }
                out.insert(key.clone(), Value::Object(properties));
            }
            ("required", x, y) => {
                let list = |v: Option<&Value>| v.and_then(Value::as_array).cloned().unwrap_or_default();
                let (x, y) = (list(x), list(y));
                let kept: Vec<Value> = x.iter().filter(|n| y.contains(n)).cloned().collect();
                for dropped in x.iter().chain(&y).filter(|n| !kept.contains(n)) {
                    events.push((at.to_string(), Event::Required(dropped.as_str().unwrap_or_default().to_string())));
                }
                if kept.is_empty() {
                    out.remove(key);
                } else {
                    out.insert(key.clone(), Value::Array(kept));
                }
            }
            ("enum", Some(Value::Array(x)), Some(Value::Array(y))) => {
                let mut values = x.clone();
                for v in y.iter().filter(|v| !x.contains(v)) {
                    values.push(v.clone());
                }
                for v in x.iter().chain(y).filter(|v| !(x.contains(v) && y.contains(v))) {
                    events.push((at.to_string(), Event::EnumValue(v.to_string())));
                }
                out.insert(key.clone(), Value::Array(values));
            }
            (k, x, y) if TEXT_KEYS.contains(&k) => {
                if x.is_none() {
                    out.insert(key.clone(), y.cloned().unwrap_or(Value::Null));
                }
                events.push((at.to_string(), Event::Text(k.to_string())));
            }
            ("allOf" | "anyOf" | "oneOf" | "prefixItems", Some(Value::Array(x)), Some(Value::Array(y))) if x.len() == y.len() => {
                let items = x
                    .iter()
                    .zip(y)
                    .enumerate()
                    .map(|(i, (p, q))| reconcile(p, q, &format!("{here}/{i}"), events))
                    .collect::<Result<Vec<_>, _>>()?;
                out.insert(key.clone(), Value::Array(items));
            }
            ("items" | "additionalProperties" | "not" | "schema", Some(x), Some(y)) => {
                out.insert(key.clone(), reconcile(x, y, &here, events)?);
            }
            (_, x, y) => {
                return Err(Box::new(Conflict {
                    at: here,
                    ours: x.cloned().unwrap_or(Value::Null),
                    theirs: y.cloned().unwrap_or(Value::Null),
                }));
            }
        }
    }
    Ok(Value::Object(out))
}

/// How much a declaration says: properties (deep), enum values, then text length.
fn richness(value: &Value) -> (usize, usize, usize) {
    fn walk(v: &Value, acc: &mut (usize, usize, usize)) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    match (k.as_str(), x) {
                        ("properties", Value::Object(p)) => acc.0 += p.len(),
                        ("enum", Value::Array(e)) => acc.1 += e.len(),
                        (k, Value::String(s)) if TEXT_KEYS.contains(&k) => acc.2 += s.len(),
                        _ => {}
                    }
                    walk(x, acc);
                }
            }
            Value::Array(items) => items.iter().for_each(|x| walk(x, acc)),
            _ => {}
        }
    }
    let mut acc = (0, 0, 0);
    walk(value, &mut acc);
    acc
}

/// The JSON pointer of the first place two values differ.
pub fn first_difference(a: &Value, b: &Value, at: &str) -> String {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let here = format!("{at}/{}", escape(key));
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) if p == q => {}
                    (Some(p), Some(q)) => return first_difference(p, q, &here),
                    _ => return here,
                }
            }
            at.to_string()
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                if p != q {
                    return first_difference(p, q, &format!("{at}/{i}"));
                }
            }
            at.to_string()
        }
        _ if at.is_empty() => "/".to_string(),
        _ => at.to_string(),
    }
}

fn brief(value: &Value) -> String {
    let text = match value {
        Value::Null => return "absent".to_string(),
        other => other.to_string(),
    };
    if text.chars().count() > 80 { format!("{}…", text.chars().take(80).collect::<String>()) } else { text }
}
