//! Model: takes the OpenAPI 3.0.3 document progenitor reads, gives the calls the client makes,
//! walked once: each operation's id, route, arguments (path-level ones first, `$ref`s followed),
//! request body, answer and security; and which way each component schema travels. The emitters
//! (tables, contract cases, pages, waiters, unset fields) read these instead of walking `paths`
//! each in its own way.

use serde_json::Value;

use crate::direction::Directions;
use crate::schema;

/// The document, its calls in the document's order, and its schemas' directions.
pub(crate) struct Model<'a> {
    pub(crate) document: &'a Value,
    pub(crate) calls: Vec<Call<'a>>,
    pub(crate) directions: Directions,
}

/// One operation as the emitters need it.
pub(crate) struct Call<'a> {
    /// The operation id, the client's method name.
    pub(crate) id: &'a str,
    /// As the document writes it: `get`.
    pub(crate) method: &'a str,
    /// The path template.
    pub(crate) path: &'a str,
    /// Where the document declares it (`/paths/~1v1~1models/get`), for errors.
    pub(crate) at: String,
    /// Its parameters, path-level ones first, `$ref`s followed.
    pub(crate) parameters: Vec<&'a Value>,
    /// The JSON schema of its request body.
    pub(crate) body: Option<&'a Value>,
    /// The JSON schema of its `200` answer, as written (a `$ref` kept).
    pub(crate) answer: Option<&'a Value>,
    /// Its security requirements, or the document's.
    pub(crate) security: Option<&'a Value>,
}

impl<'a> Model<'a> {
    pub(crate) fn of(document: &'a Value) -> Model<'a> {
        let mut calls = Vec::new();
        for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
            let shared = item.get("parameters").and_then(Value::as_array).into_iter().flatten();
            let shared: Vec<&Value> = shared.map(|p| schema::follow(document, p)).collect();
            for (method, op) in item.as_object().into_iter().flatten() {
                let Some(id) = op.get("operationId").and_then(Value::as_str) else { continue };
                let own = op.get("parameters").and_then(Value::as_array).into_iter().flatten();
                calls.push(Call {
                    id,
                    method,
                    path,
                    at: format!("/paths/{}/{method}", schema::token(path)),
                    parameters: shared.iter().copied().chain(own.map(|p| schema::follow(document, p))).collect(),
                    body: op.pointer("/requestBody/content/application~1json/schema"),
                    answer: op.pointer("/responses/200/content/application~1json/schema"),
                    security: op.get("security").or(document.get("security")),
                });
            }
        }
        Model { document, calls, directions: Directions::of_document(document) }
    }

    /// The call at `method` and `path`.
    pub(crate) fn call(&self, method: &str, path: &str) -> Option<&Call<'a>> {
        self.calls.iter().find(|call| call.method == method && call.path == path)
    }
}

impl Call<'_> {
    /// The names of its arguments in `location` (`query`, `path`).
    pub(crate) fn arguments_in(&self, location: &str) -> Vec<&str> {
        self.parameters
            .iter()
            .filter(|p| p.get("in").and_then(Value::as_str) == Some(location))
            .filter_map(|p| p.get("name").and_then(Value::as_str))
            .collect()
    }
}
