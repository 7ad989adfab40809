//! Direction: takes a merged document (or the references a stage's operations hold), gives for each component schema
//! whether requests reach it (a body or a parameter), responses reach it, or both. The merge
//! reconciles `required` by it, and `defaults` keeps defaults off the request side.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::schema;

/// Which way a schema travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Only in requests: the client sends it.
    Request,
    /// Only in responses: the client reads it.
    Response,
    /// Both ways.
    Both,
}

/// The component schemas requests and responses reach, transitively through `$ref`s.
#[derive(Debug, Default)]
pub struct Directions {
    request: BTreeSet<String>,
    response: BTreeSet<String>,
}

impl Directions {
    /// The schema named `name`'s direction; one nothing reaches reads as a response's, the
    /// tolerant choice.
    pub fn of(&self, name: &str) -> Direction {
        match (self.request.contains(name), self.response.contains(name)) {
            (true, true) => Direction::Both,
            (true, false) => Direction::Request,
            _ => Direction::Response,
        }
    }

    /// Whether requests reach the schema `name` (alone or with responses).
    pub fn sent(&self, name: &str) -> bool {
        self.request.contains(name)
    }

    /// From the references `request` and `response` hold, following `refs_of` (a component's
    /// own references): for a stage that holds its operations in another shape (the merge's
    /// pages).
    pub fn reached<'a>(
        request: Vec<&'a str>,
        response: Vec<&'a str>,
        refs_of: &dyn Fn(&str) -> Vec<&'a str>,
    ) -> Directions {
        Directions { request: reach(request, refs_of), response: reach(response, refs_of) }
    }

    /// From a merged document.
    pub fn of_document(document: &Value) -> Directions {
        let mut request = Vec::new();
        let mut response = Vec::new();
        let paths = document.get("paths").and_then(Value::as_object).into_iter().flat_map(|p| p.values());
        for item in paths.filter_map(Value::as_object) {
            for (key, value) in item {
                match key.as_str() {
                    "parameters" => request.extend(schema::refs(value)),
                    _ => {
                        for part in ["parameters", "requestBody"] {
                            request.extend(value.get(part).into_iter().flat_map(schema::refs));
                        }
                        response.extend(value.get("responses").into_iter().flat_map(schema::refs));
                    }
                }
            }
        }
        let refs_of = |name: &str| -> Vec<&str> {
            let component = ["schemas", "parameters"]
                .iter()
                .find_map(|kind| schema::resolve(document, &schema::reference_to(kind, name)));
            component.map(schema::refs).unwrap_or_default()
        };
        Directions { request: reach(request, &refs_of), response: reach(response, &refs_of) }
    }
}

/// The names of every component `roots` reach, following `refs_of` (a component's references).
fn reach<'a>(roots: Vec<&'a str>, refs_of: &dyn Fn(&str) -> Vec<&'a str>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending = roots;
    while let Some(reference) = pending.pop() {
        let Some((_, name)) = schema::component_ref(reference) else { continue };
        if seen.insert(name.clone()) {
            pending.extend(refs_of(&name));
        }
    }
    seen
}
