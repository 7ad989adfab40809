//! Report: takes the OpenAPI 3.0.3 document already in `generated/` and the new one, gives what
//! changed for users of the client, each change marked breaking or additive for a Rust caller,
//! and the version bump the crate needs.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

use crate::generate::rust_name;
use crate::merge::{Outcome, Reconciliation};
use crate::schema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// Code that compiled against the old crate may not compile against the new one.
    Breaking,
    /// New things; existing code keeps compiling.
    Additive,
    /// Texts only (descriptions, summaries): the docs change, the code does not.
    Docs,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub impact: Impact,
    pub what: String,
}

#[derive(Debug, Default)]
pub struct Report {
    pub changes: Vec<Change>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn count(&self, impact: Impact) -> usize {
        self.changes.iter().filter(|c| c.impact == impact).count()
    }

    /// The version after this report: breaking bumps the major (the minor below 1.0), additive
    /// the minor (the patch below 1.0), docs the patch; nothing keeps it.
    pub fn bump(&self, version: &str) -> String {
        let mut parts = version.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
        let (major, minor, patch) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        let worst = self.changes.iter().map(|c| c.impact).min();
        match (worst, major) {
            (None, _) => format!("{major}.{minor}.{patch}"),
            (Some(Impact::Breaking), 0) => format!("0.{}.0", minor + 1),
            (Some(Impact::Breaking), _) => format!("{}.0.0", major + 1),
            (Some(Impact::Additive), 0) | (Some(Impact::Docs), _) => format!("{major}.{minor}.{}", patch + 1),
            (Some(Impact::Additive), _) => format!("{major}.{}.0", minor + 1),
        }
    }

    /// Markdown for a pull request.
    pub fn to_markdown(&self, from: &str, to: &str) -> String {
        let mut out = format!("## API changes: baseten-management {from} → {to}\n\n");
        if self.is_empty() {
            out.push_str("No change to the client's API.\n");
            return out;
        }
        out.push_str(&format!(
            "{} breaking, {} additive, {} docs-only.\n",
            self.count(Impact::Breaking),
            self.count(Impact::Additive),
            self.count(Impact::Docs)
        ));
        for (impact, title) in
            [(Impact::Breaking, "Breaking"), (Impact::Additive, "Additive"), (Impact::Docs, "Docs only")]
        {
            let lines: Vec<&Change> = self.changes.iter().filter(|c| c.impact == impact).collect();
            if !lines.is_empty() {
                out.push_str(&format!("\n### {title}\n\n"));
                for change in lines {
                    out.push_str(&format!("- {}\n", change.what));
                }
            }
        }
        out
    }
}

/// The drift the merge settled between pages, and the reviewed decisions it applied, as
/// Markdown sections for the same pull request.
pub fn drift_markdown(reconciliations: &[Reconciliation]) -> String {
    let (decided, reconciled): (Vec<&Reconciliation>, Vec<&Reconciliation>) =
        reconciliations.iter().partition(|r| matches!(r.outcome, Outcome::Decided { .. }));
    let mut out = String::from("\n## Drift between pages\n\n");
    if reconciliations.is_empty() {
        out.push_str("The pages agree: nothing to reconcile.\n");
        return out;
    }
    out.push_str(&format!(
        "{} disagreements settled by the drift policy, {} by reviewed decisions.\n",
        reconciled.len(),
        decided.len()
    ));
    for (title, list) in [("Reconciled by the drift policy", reconciled), ("Settled by decisions", decided)] {
        if !list.is_empty() {
            out.push_str(&format!("\n### {title}\n\n"));
            for r in list {
                out.push_str(&format!("- {r}\n"));
            }
        }
    }
    out
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Impact::Breaking => "breaking",
            Impact::Additive => "additive",
            Impact::Docs => "docs",
        })
    }
}

/// What changed from `old` to `new`, both OpenAPI 3.0.3 documents as `generated/` holds them.
pub fn compare(old: &Value, new: &Value) -> Report {
    let mut changes = Vec::new();
    compare_operations(old, new, &mut changes);
    compare_types(old, new, &mut changes);
    changes.sort();
    changes.dedup();
    Report { changes }
}

fn push(changes: &mut Vec<Change>, impact: Impact, what: String) {
    changes.push(Change { impact, what });
}

/// `operationId` → (`METHOD path`, operation, path-level parameters).
fn operations(doc: &Value) -> BTreeMap<String, (String, &Value, Vec<&Value>)> {
    let mut out = BTreeMap::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        let shared: Vec<&Value> = item.get("parameters").and_then(Value::as_array).into_iter().flatten().collect();
        for (method, op) in item.as_object().into_iter().flatten() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                out.insert(id.to_string(), (format!("{} {path}", method.to_uppercase()), op, shared.clone()));
            }
        }
    }
    out
}

fn compare_operations(old: &Value, new: &Value, changes: &mut Vec<Change>) {
    let (before, after) = (operations(old), operations(new));
    for (id, (route, ..)) in &after {
        if !before.contains_key(id) {
            push(changes, Impact::Additive, format!("operation `{id}` added (`{route}`)"));
        }
    }
    for (id, (route, old_op, old_shared)) in &before {
        let Some((_, new_op, new_shared)) = after.get(id) else {
            push(changes, Impact::Breaking, format!("operation `{id}` removed (`{route}`)"));
            continue;
        };
        let (was, is) = (parameters(old, old_op, old_shared), parameters(new, new_op, new_shared));
        for (name, required) in &is {
            match was.get(name) {
                None if *required => {
                    push(changes, Impact::Breaking, format!("`{id}`: required argument `{name}` added"))
                }
                None => push(changes, Impact::Additive, format!("`{id}`: optional argument `{name}` added")),
                Some(before) if before != required => push(
                    changes,
                    Impact::Breaking,
                    format!("`{id}`: argument `{name}` is now {}", if *required { "required" } else { "optional" }),
                ),
                _ => {}
            }
        }
        for name in was.keys().filter(|n| !is.contains_key(*n)) {
            push(changes, Impact::Breaking, format!("`{id}`: argument `{name}` removed"));
        }
        if text(old_op) != text(new_op) {
            push(changes, Impact::Docs, format!("`{id}`: summary or description changed"));
        }
    }
}

/// Parameter name → required, for an operation (path-level parameters included, `$ref`s
/// followed); the request body counts as the argument `body`.
fn parameters(doc: &Value, op: &Value, shared: &[&Value]) -> BTreeMap<String, bool> {
    let mut out = BTreeMap::new();
    let own = op.get("parameters").and_then(Value::as_array).into_iter().flatten();
    for parameter in shared.iter().copied().chain(own) {
        let parameter = schema::follow(doc, parameter);
        if let Some(name) = parameter.get("name").and_then(Value::as_str) {
            out.insert(name.to_string(), parameter.get("required") == Some(&Value::Bool(true)));
        }
    }
    if let Some(body) = op.get("requestBody") {
        out.insert("body".into(), schema::follow(doc, body).get("required") == Some(&Value::Bool(true)));
    }
    out
}

fn text(value: &Value) -> (Option<&Value>, Option<&Value>) {
    (value.get("summary"), value.get("description"))
}

fn compare_types(old: &Value, new: &Value, changes: &mut Vec<Change>) {
    let empty = Map::new();
    let schemas = |doc: &'_ Value| -> BTreeMap<String, Value> {
        doc.pointer("/components/schemas")
            .and_then(Value::as_object)
            .unwrap_or(&empty)
            .iter()
            .map(|(name, schema)| (rust_name(name), schema.clone()))
            .collect()
    };
    let (before, after) = (schemas(old), schemas(new));
    for name in after.keys().filter(|n| !before.contains_key(*n)) {
        push(changes, Impact::Additive, format!("type `{name}` added"));
    }
    for (name, was) in &before {
        let Some(is) = after.get(name) else {
            push(changes, Impact::Breaking, format!("type `{name}` removed"));
            continue;
        };
        compare_type(name, was, is, changes);
    }
}

fn compare_type(name: &str, was: &Value, is: &Value, changes: &mut Vec<Change>) {
    let values = |s: &Value| -> BTreeSet<String> {
        s.get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    let (old_values, new_values) = (values(was), values(is));
    for value in new_values.difference(&old_values) {
        // Open, non-exhaustive enums: a new variant breaks no match.
        push(changes, Impact::Additive, format!("`{name}`: enum value `{value}` added"));
    }
    for value in old_values.difference(&new_values) {
        push(changes, Impact::Breaking, format!("`{name}`: enum value `{value}` removed"));
    }

    let properties = |s: &Value| s.get("properties").and_then(Value::as_object).cloned().unwrap_or_default();
    let required = |s: &Value| -> BTreeSet<String> {
        s.get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect()
    };
    let (old_props, new_props) = (properties(was), properties(is));
    let (old_required, new_required) = (required(was), required(is));
    for (field, schema) in &new_props {
        if old_props.contains_key(field) {
            continue;
        }
        // A new public field breaks struct literals (typify's structs are not non_exhaustive).
        let kind = if new_required.contains(field) { "required" } else { "optional" };
        push(
            changes,
            Impact::Breaking,
            format!(
                "`{name}`: {kind} field `{field}: {}` added (breaks struct literals; builders are unaffected)",
                type_of(schema)
            ),
        );
    }
    for (field, old_schema) in &old_props {
        let Some(new_schema) = new_props.get(field) else {
            push(changes, Impact::Breaking, format!("`{name}`: field `{field}` removed"));
            continue;
        };
        let (a, b) = (type_of(old_schema), type_of(new_schema));
        if a != b {
            push(changes, Impact::Breaking, format!("`{name}`: field `{field}` changed type from `{a}` to `{b}`"));
        }
        let required = new_required.contains(field);
        if let Some((impact, what)) = default_change(old_schema, new_schema, required) {
            push(changes, impact, format!("`{name}`: field `{field}` {what}"));
        }
        match (old_required.contains(field), required) {
            (false, true) => push(changes, Impact::Breaking, format!("`{name}`: field `{field}` is now required")),
            (true, false) => {
                push(changes, Impact::Breaking, format!("`{name}`: field `{field}` is no longer required"))
            }
            _ => {}
        }
        if text(old_schema) != text(new_schema) || old_schema.get("title") != new_schema.get("title") {
            push(changes, Impact::Docs, format!("`{name}`: the docs of `{field}` changed"));
        }
    }
    if was.get("description") != is.get("description") {
        push(changes, Impact::Docs, format!("`{name}`: description changed"));
    }
}

/// What a change of a field's documented default does to the client. typify fills an
/// optional field's default into `Default`, the builders and decoding, and types the field
/// without `Option` when the default is not `null`; the docs of request types carry no default
/// (see `defaults`), so such a field is sent only when set.
fn default_change(was: &Value, is: &Value, required: bool) -> Option<(Impact, String)> {
    let default = |s: &Value| s.get("default").filter(|d| !d.is_null()).cloned();
    let rust = |s: &Value| {
        let base = type_of(s);
        let option = base.ends_with('?') || !required && default(s).is_none();
        let base = base.trim_end_matches('?').to_string();
        if option { format!("Option<{base}>") } else { base }
    };
    let retyped = || match (rust(was), rust(is)) {
        (a, b) if a != b => format!(" (`{a}` becomes `{b}`)"),
        _ => String::new(),
    };
    match (default(was), default(is)) {
        (Some(old), None) if !required => Some((
            Impact::Breaking,
            format!("is no longer filled with the documented default `{old}`: unset, it is not sent{}", retyped()),
        )),
        (None, Some(new)) if !required => Some((
            Impact::Breaking,
            format!("is now filled with the documented default `{new}` when unset{}", retyped()),
        )),
        (Some(old), Some(new)) if old != new => {
            Some((Impact::Additive, format!("has a new documented default: `{new}` (was `{old}`)")))
        }
        _ => None,
    }
}

/// A schema as a short type expression (`DeploymentV1`, `[string]`, `integer?`), to compare.
pub fn type_of(schema: &Value) -> String {
    let nullable = if schema.get("nullable") == Some(&Value::Bool(true)) { "?" } else { "" };
    let base = if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        rust_name(reference.rsplit('/').next().unwrap_or(reference))
    } else if let Some([only]) = schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        type_of(only)
    } else if let Some(options) = schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Value::as_array) {
        options.iter().map(type_of).collect::<Vec<_>>().join(" | ")
    } else {
        match schema.get("type").and_then(Value::as_str) {
            Some("array") => format!("[{}]", schema.get("items").map(type_of).unwrap_or_else(|| "any".into())),
            Some("object") if schema.get("properties").is_none() => match schema.get("additionalProperties") {
                Some(v @ Value::Object(_)) => format!("map of {}", type_of(v)),
                _ => "object".into(),
            },
            Some(t) => match schema.get("format").and_then(Value::as_str) {
                Some(format) => format!("{t} ({format})"),
                None => t.to_string(),
            },
            None if schema.get("enum") == Some(&serde_json::json!([null])) => "null".into(),
            None => "any".into(),
        }
    };
    format!("{base}{nullable}")
}
