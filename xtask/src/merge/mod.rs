//! Merge: takes every page's [`Operation`] and the reviewed [`Decisions`], gives one OpenAPI
//! 3.1 document in a fixed order (paths sorted, methods in HTTP order, components sorted), with
//! the drift between pages reconciled by the drift policy ([`policy`]) and each
//! reconciliation reported.

mod credential;
pub mod errata;
pub mod policy;
mod reconcile;

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

pub use reconcile::{ALIASES, Conflict, Outcome, Reconciliation, Side, drift_markdown};
use reconcile::{Declaration, Reconciler, Record, Sizes};

use crate::decisions::Decisions;
use crate::direction::{Direction, Directions};
use crate::document::OpenApi31;
use crate::error::{Error, Errors};
use crate::http::Method;
use crate::naming;
use crate::normalize::Operation;
use crate::provenance::Provenance;
use crate::schema::{self, token as escape};

pub struct Merged {
    pub document: OpenApi31,
    /// Every disagreement between pages the merge settled, decisions included, in document order.
    pub reconciliations: Vec<Reconciliation>,
    /// Every operation, in document order.
    pub endpoints: Vec<Endpoint>,
    /// Which page declared each operation and component, for the stages after the merge.
    pub provenance: Provenance,
}

/// An operation as the merged document lists it: its name, and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The client method's name, the `operationId` (see `naming`).
    pub name: String,
    pub method: Method,
    pub path: String,
    /// The page that declares it.
    pub page: String,
}

pub fn merge(mut operations: Vec<Operation>, decisions: &Decisions) -> Result<Merged, Errors> {
    operations.sort_by_cached_key(|op| (op.path.clone(), op.method, op.page.clone()));
    let mut errors = Errors::default();
    let (mut unique, duplicates) = one_per_endpoint(operations, &mut errors);
    let credential = credential::one_credential(&mut unique);
    let endpoints = names(&unique, &mut errors);
    let declaring: Vec<&Operation> = unique.iter().chain(&duplicates).collect();
    let sizes = sizes(&declaring);
    let mut drift = Drift::new(decisions, &sizes);
    let mut provenance = Provenance::new(unique.first().map_or("spec/", |op| op.page.as_str()));
    let directions = directions(&declaring);
    let components = components(&declaring, &directions, &mut drift, &mut provenance);
    let servers = most_common(unique.iter().map(|op| &op.servers));
    let security = most_common(unique.iter().map(|op| &op.security));
    let mut paths: Map<String, Value> = Map::new();
    for (op, endpoint) in unique.iter().zip(&endpoints) {
        let item = paths.entry(op.path.clone()).or_insert_with(|| json!({}));
        if let Some(item) = item.as_object_mut() {
            item.insert(op.method.key().to_string(), operation_object(op, &endpoint.name, servers, security));
        }
        let at = format!("/paths/{}/{}", escape(&op.path), op.method.key());
        provenance.record(at, &op.page, Some(&endpoint.name));
        if let Some(title) = &op.title {
            provenance.record_title(&op.page, title);
        }
    }
    reconcile_path_parameters(&mut paths, &unique, &mut drift);
    let mut reconciliations = drift.finish(&mut errors);
    reconciliations.extend(credential);
    let mut document = document(servers, security, paths, components);
    let value = document.value_mut();
    note_fields_some_eras_refuse(value, &reconciliations, &declaring, &directions);
    tag_sections(value, &unique);
    reconciliations.extend(errata::correct(value, &mut provenance));
    errors.into_result(Merged { document, reconciliations, endpoints, provenance })
}

/// The merged document around its paths and components.
fn document(
    servers: Option<&Vec<Value>>,
    security: Option<&Vec<Value>>,
    paths: Map<String, Value>,
    components: Map<String, Value>,
) -> OpenApi31 {
    let mut document = Map::new();
    let info = json!({
        "title": "Baseten management API",
        "description": "REST API for management of Baseten resources",
        "version": "1.0.0",
    });
    document.insert("info".into(), info);
    if let Some(servers) = servers {
        document.insert("servers".into(), json!(servers));
    }
    if let Some(security) = security {
        document.insert("security".into(), json!(security));
    }
    document.insert("paths".into(), Value::Object(paths));
    document.insert("components".into(), Value::Object(components));
    OpenApi31::with_fields(document)
}

/// A field the client sends that some pages lack while closing its object to other fields
/// (`additionalProperties: false`): a server of those pages' era refuses a request that sets
/// it. The client still sends it only when its caller sets it; the field's docs say so.
fn note_fields_some_eras_refuse(
    document: &mut Value,
    reconciliations: &[Reconciliation],
    declaring: &[&Operation],
    directions: &Directions,
) {
    for reconciliation in reconciliations.iter().filter(|r| r.keyword == "properties") {
        let Some(rest) = reconciliation.at.strip_prefix("/components/schemas/") else { continue };
        let Some((schema, field)) = rest.split_once("/properties/") else { continue };
        if field.contains('/') || !directions.sent(schema) {
            continue;
        }
        let lacking = reconciliation.sides.iter().filter(|side| side.lacks).flat_map(|s| &s.pages);
        let closed = lacking
            .filter(|page| {
                declaring.iter().any(|op| {
                    op.page == **page
                        && op.components.schemas.get(schema).and_then(|s| s.get("additionalProperties"))
                            == Some(&json!(false))
                })
            })
            .count();
        let property = document.pointer_mut(&reconciliation.at).and_then(Value::as_object_mut);
        let (Some(property), 1..) = (property, closed) else { continue };
        let said = property.get("description").and_then(Value::as_str).unwrap_or_default().to_string();
        let pages = if closed == 1 { "1 older page closes".to_string() } else { format!("{closed} older pages close") };
        let note = format!(
            "Not every docs page has this field: {pages} `{schema}` to other fields, so a server of their era \
             refuses a request that sets it."
        );
        property.insert("description".into(), json!(format!("{said}\n\n{note}").trim_start()));
    }
}

/// Each operation tagged with its page's docs section, and the document's `tags` the sections
/// in the docs' order, titled: how the client groups its methods, and how a reader of
/// `openapi.yaml` finds them. Pages at the top of `spec/` belong to no section.
fn tag_sections(document: &mut Value, operations: &[Operation]) {
    let mut sections: Vec<crate::sections::Section> = Vec::new();
    for op in operations {
        let Some(section) = crate::sections::of_page(&op.page) else { continue };
        let pointer = format!("/paths/{}/{}", escape(&op.path), op.method.key());
        if let Some(operation) = document.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            operation.insert("tags".into(), json!([section.name]));
        }
        if !sections.contains(&section) {
            sections.push(section);
        }
    }
    sections.sort_by_key(|section| crate::sections::rank(&section.name));
    let tags: Vec<Value> = sections
        .iter()
        .map(|section| json!({ "name": section.name, "description": section.title }))
        .collect();
    if let (false, Some(document)) = (tags.is_empty(), document.as_object_mut()) {
        document.insert("tags".into(), Value::Array(tags));
    }
}

/// The same endpoint on two pages: fine when identical, an error otherwise. Gives the
/// operations once each, and the second declarations, whose components still join the merge
/// (so drift in them is reconciled and reported).
fn one_per_endpoint(operations: Vec<Operation>, errors: &mut Errors) -> (Vec<Operation>, Vec<Operation>) {
    let mut unique: Vec<Operation> = Vec::new();
    let mut duplicates: Vec<Operation> = Vec::new();
    for op in operations {
        let Some(first) = unique.iter().find(|u| u.method == op.method && u.path == op.path) else {
            unique.push(op);
            continue;
        };
        let (a, b) = (first.without_components(), op.without_components());
        if a != b {
            let at = first_difference(&a, &b, "");
            let message = format!(
                "`{} {}` is also declared on {}, with different content (first difference at `{at}`)",
                op.method, op.path, first.page
            );
            errors.push(Error::new(op.page.clone(), message).with_hint("keep one page per endpoint in spec/"));
        }
        duplicates.push(op);
    }
    (unique, duplicates)
}

/// Each operation named; two operations with one name are an error.
fn names(operations: &[Operation], errors: &mut Errors) -> Vec<Endpoint> {
    let mut names: BTreeMap<String, &Operation> = BTreeMap::new();
    let mut listed = Vec::new();
    for op in operations {
        let name = naming::operation_name(op.method, &op.path);
        if let Some(other) = names.get(&name) {
            let message = format!(
                "`{} {}` and `{} {}` ({}) would both be named `{name}`",
                op.method, op.path, other.method, other.path, other.page
            );
            errors.push(
                Error::new(op.page.clone(), message)
                    .with_hint("add a reviewed entry to OVERRIDES in xtask/src/naming.rs"),
            );
            continue;
        }
        names.insert(name.clone(), op);
        listed.push(Endpoint { name, method: op.method, path: op.path.clone(), page: op.page.clone() });
    }
    listed
}

/// What the merge settled, the decisions it used, and the conflicts it could not settle.
struct Drift<'a> {
    decisions: &'a Decisions,
    sizes: &'a Sizes,
    /// What the reconcilers settled, and the errors: stale decisions and, in turn, the
    /// conflicts no decision settled.
    record: Record,
}

impl<'a> Drift<'a> {
    fn new(decisions: &'a Decisions, sizes: &'a Sizes) -> Self {
        Drift { decisions, sizes, record: Record::default() }
    }

    /// Reconciles the declarations at `at` (richest first) travelling `direction`.
    fn reconcile(&mut self, at: &str, direction: Direction, declarations: &[Declaration<'_>]) -> Option<Value> {
        let result = Reconciler::new(direction, self.decisions, self.sizes, &mut self.record).node(at, declarations);
        match result {
            Ok(value) => Some(value),
            Err(conflict) => {
                self.record.errors.push(conflict.to_error(&self.decisions.file));
                None
            }
        }
    }

    /// The reconciliations; the errors go to `errors`, with one for every decision that
    /// matched nothing the merge reconciled.
    fn finish(self, errors: &mut Errors) -> Vec<Reconciliation> {
        let Record { visited, log, errors: found } = self.record;
        errors.0.extend(found);
        for decision in self.decisions.list.iter().filter(|d| !visited.contains(&d.line)) {
            let message =
                format!("no conflict at `#{}` any more: every page declares it alike, or none does", decision.at);
            errors.push(self.decisions.error(decision, message).with_hint("remove the line"));
        }
        for spelling in self.decisions.spellings.iter().filter(|s| !visited.contains(&s.line)) {
            let message = format!("no enum at `#{}` spells a value several ways", spelling.at);
            errors.push(self.decisions.error_at(spelling.line, message).with_hint("remove the line"));
        }
        log
    }
}

/// Each component schema's property count, the most any page declares.
/// Which way each component travels, from every page's operation: a component reaches what
/// any page's declaration of it references.
fn directions(operations: &[&Operation]) -> Directions {
    let mut declared: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for op in operations {
        for (name, value) in op.components.schemas.iter().chain(&op.components.parameters) {
            declared.entry(name.as_str()).or_default().push(value);
        }
    }
    let mut request = Vec::new();
    let mut response = Vec::new();
    for op in operations {
        let parameters = op.path_parameters.iter().chain(&op.parameters);
        request.extend(parameters.flat_map(schema::refs));
        if let Some(body) = &op.request_body {
            request.extend(body.content.values().flat_map(schema::refs));
        }
        response.extend(op.responses.values().flat_map(schema::refs));
    }
    let refs_of = |name: &str| declared.get(name).into_iter().flatten().flat_map(|v| schema::refs(v)).collect();
    Directions::reached(request, response, &refs_of)
}

fn sizes(declaring: &[&Operation]) -> Sizes {
    let mut sizes = Sizes::new();
    for (name, schema) in declaring.iter().flat_map(|op| &op.components.schemas) {
        let count = schema.get("properties").and_then(Value::as_object).map_or(0, Map::len);
        let size = sizes.entry(name.clone()).or_default();
        *size = (*size).max(count);
    }
    sizes
}

/// Every component any page declares, its declarations reconciled, by kind then name.
fn components(
    declaring: &[&Operation],
    directions: &Directions,
    drift: &mut Drift<'_>,
    provenance: &mut Provenance,
) -> Map<String, Value> {
    let mut components = Map::new();
    for kind in ["schemas", "parameters", "securitySchemes"] {
        let mut declared: BTreeMap<&str, Vec<Declaration<'_>>> = BTreeMap::new();
        for op in declaring {
            let map = match kind {
                "schemas" => &op.components.schemas,
                "parameters" => &op.components.parameters,
                _ => &op.components.security_schemes,
            };
            for (name, value) in map {
                declared.entry(name.as_str()).or_default().push(Declaration { page: &op.page, value });
            }
        }
        let mut merged = Map::new();
        for (name, declarations) in declared {
            let at = format!("/components/{kind}/{}", escape(name));
            // Parameters are sent; a security scheme's direction does not matter.
            let direction = if kind == "schemas" { directions.of(name) } else { Direction::Request };
            let declarations = richest_first(declarations);
            provenance.record(at.clone(), declarations[0].page, Some(name));
            if let Some(value) = drift.reconcile(&at, direction, &declarations) {
                merged.insert(name.to_string(), value);
            }
        }
        if !merged.is_empty() {
            components.insert(kind.to_string(), Value::Object(merged));
        }
    }
    components
}

/// The richest declaration first (most properties, counted through the whole schema, then
/// most enum values, then most text; the first in operation order on a tie), the rest in
/// operation order: its texts and its order of properties and values win.
fn richest_first(mut declarations: Vec<Declaration<'_>>) -> Vec<Declaration<'_>> {
    let richest = (0..declarations.len())
        .max_by_key(|&i| (richness(declarations[i].value), std::cmp::Reverse(i)))
        .unwrap_or(0);
    let first = declarations.remove(richest);
    declarations.insert(0, first);
    declarations
}

/// Path-level parameters: each path's operations (pages) declare them alike, or reconciled.
fn reconcile_path_parameters(paths: &mut Map<String, Value>, operations: &[Operation], drift: &mut Drift<'_>) {
    for (path, item) in paths.iter_mut() {
        let mut by_name: Vec<(String, Vec<Declaration<'_>>)> = Vec::new();
        for op in operations.iter().filter(|op| &op.path == path) {
            for parameter in &op.path_parameters {
                let key = match parameter.get("$ref") {
                    Some(reference) => reference.to_string(),
                    None => format!("{} {}", parameter["in"], parameter["name"]),
                };
                let declaration = Declaration { page: &op.page, value: parameter };
                match by_name.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, declarations)) => declarations.push(declaration),
                    None => by_name.push((key, vec![declaration])),
                }
            }
        }
        let mut parameters = Vec::new();
        for (i, (_, declarations)) in by_name.iter().enumerate() {
            let at = format!("/paths/{}/parameters/{i}", escape(path));
            parameters.extend(drift.reconcile(&at, Direction::Request, declarations));
        }
        if let (false, Some(item)) = (parameters.is_empty(), item.as_object_mut()) {
            // Path-level parameters come first in a path item, as the pages write them.
            let operations = std::mem::take(item);
            item.insert("parameters".into(), Value::Array(parameters));
            item.extend(operations);
        }
    }
}

/// The operation object under its path in the merged document.
fn operation_object(op: &Operation, name: &str, servers: Option<&Vec<Value>>, security: Option<&Vec<Value>>) -> Value {
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
    Value::Object(operation)
}

/// How much a declaration says: properties (deep), enum values, then text length.
fn richness(value: &Value) -> (usize, usize, usize) {
    let mut acc = (0, 0, 0);
    crate::schema::walk(value, "", &mut |_, schema| {
        let Some(map) = schema.as_object() else { return };
        acc.0 += map.get("properties").and_then(Value::as_object).map_or(0, Map::len);
        acc.1 += map.get("enum").and_then(Value::as_array).map_or(0, Vec::len);
        for (key, text) in map {
            if let (policy::Rule::Richest, Value::String(text)) = (policy::rule(key), text) {
                acc.2 += text.len();
            }
        }
    });
    acc
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
