//! Model: takes an OpenAPI document (3.1 or 3.0.3), gives what the stages after the merge read
//! of it, walked once: its calls (each operation's id, route, docs section, arguments with
//! `$ref`s followed, request body, answer, auth schemes), its schemas with the way each travels,
//! its tags and its server. `defaults`, the report and every emitter of `generate` read these;
//! none walks `paths` of its own.

use serde_json::Value;

use crate::direction::{Direction, Directions};
use crate::http::Method;
use crate::schema;

/// The document, and what the stages read of it.
pub struct Model<'a> {
    pub document: &'a Value,
    /// The base URL of its first server.
    pub server: Option<&'a str>,
    /// Its tags, in order: the docs sections.
    pub tags: Vec<Tag<'a>>,
    /// Its operations, in the document's order.
    pub calls: Vec<Call<'a>>,
    /// Its component schemas, in the document's order.
    pub schemas: Vec<Schema<'a>>,
    /// Which way each component travels.
    pub directions: Directions,
}

/// A tag of the document: a docs section.
pub struct Tag<'a> {
    pub name: &'a str,
    pub description: Option<&'a str>,
}

/// A component schema.
pub struct Schema<'a> {
    pub name: &'a str,
    pub value: &'a Value,
    pub direction: Direction,
}

/// One operation.
pub struct Call<'a> {
    /// The operation id, the client's method name.
    pub id: &'a str,
    pub method: Method,
    /// The path template.
    pub path: &'a str,
    /// Where the document declares it (`/paths/~1v1~1models/get`), for errors.
    pub at: String,
    /// Its first tag: the docs section it stands under.
    pub section: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub description: Option<&'a str>,
    /// Its parameters, path-level ones first.
    pub parameters: Vec<Parameter<'a>>,
    pub body: Option<Body<'a>>,
    /// The JSON schema of its `200` answer, as written (a `$ref` kept).
    pub answer: Option<&'a Value>,
    /// The schemes of its security requirements, or of the document's; `None` when neither
    /// says.
    pub security: Option<Vec<Scheme<'a>>>,
}

/// A parameter, its `$ref` followed.
pub struct Parameter<'a> {
    pub name: &'a str,
    /// `path`, `query`, `header`.
    pub location: &'a str,
    pub required: bool,
    pub schema: Option<&'a Value>,
    /// The parameter object, for what the fields above leave out (its default, its example).
    pub value: &'a Value,
}

/// A request body, its `$ref` followed.
pub struct Body<'a> {
    /// The JSON schema of its `application/json` content.
    pub schema: Option<&'a Value>,
    pub required: bool,
}

/// A security scheme a requirement names, and its definition in the document.
pub struct Scheme<'a> {
    pub name: &'a str,
    pub definition: Option<&'a Value>,
}

impl<'a> Model<'a> {
    pub fn of(document: &'a Value) -> Model<'a> {
        let mut calls = Vec::new();
        let (mut sent, mut read) = (Vec::new(), Vec::new());
        for (path, item) in document.get("paths").and_then(Value::as_object).into_iter().flatten() {
            let shared = item.get("parameters").and_then(Value::as_array).into_iter().flatten();
            let shared: Vec<&Value> = shared.collect();
            sent.extend(shared.iter().flat_map(|p| schema::refs(p)));
            let operations = item.as_object().into_iter().flatten();
            for (method, operation) in operations.filter_map(|(key, operation)| Some((Method::parse(key)?, operation)))
            {
                for part in ["parameters", "requestBody"] {
                    sent.extend(operation.get(part).into_iter().flat_map(schema::refs));
                }
                read.extend(operation.get("responses").into_iter().flat_map(schema::refs));
                let Some(id) = operation.get("operationId").and_then(Value::as_str) else { continue };
                calls.push(Call::of(document, (path, method), id, operation, &shared));
            }
        }
        let directions = Directions::reached(sent, read, &|name| components_refs(document, name));
        Model {
            document,
            server: document.pointer("/servers/0/url").and_then(Value::as_str),
            tags: tags(document),
            calls,
            schemas: schemas(document, &directions),
            directions,
        }
    }

    /// The call at `method` and `path`.
    pub fn call(&self, method: Method, path: &str) -> Option<&Call<'a>> {
        self.calls.iter().find(|call| call.method == method && call.path == path)
    }
}

impl Schema<'_> {
    /// Whether requests reach it (alone or with responses).
    pub fn sent(&self) -> bool {
        self.direction != Direction::Response
    }
}

impl<'a> Call<'a> {
    fn of(
        document: &'a Value,
        (path, method): (&'a str, Method),
        id: &'a str,
        operation: &'a Value,
        shared: &[&'a Value],
    ) -> Call<'a> {
        let own = operation.get("parameters").and_then(Value::as_array).into_iter().flatten();
        let parameters = shared.iter().copied().chain(own).filter_map(|p| Parameter::of(schema::follow(document, p)));
        let text = |key: &str| operation.get(key).and_then(Value::as_str);
        Call {
            id,
            method,
            path,
            at: format!("/paths/{}/{}", schema::token(path), method.key()),
            section: operation.pointer("/tags/0").and_then(Value::as_str),
            summary: text("summary"),
            description: text("description"),
            parameters: parameters.collect(),
            body: operation.get("requestBody").map(|body| Body::of(schema::follow(document, body))),
            answer: operation.pointer("/responses/200/content/application~1json/schema"),
            security: operation.get("security").or(document.get("security")).map(|requirements| {
                let schemes = document.pointer("/components/securitySchemes");
                let named = schema::requirement_names(requirements).into_iter();
                named.map(|name| Scheme { name, definition: schemes.and_then(|s| s.get(name)) }).collect()
            }),
        }
    }

    /// The names of its arguments in `location` (`query`, `path`).
    pub fn arguments_in(&self, location: &str) -> Vec<&'a str> {
        self.parameters.iter().filter(|p| p.location == location).map(|p| p.name).collect()
    }
}

impl<'a> Parameter<'a> {
    fn of(value: &'a Value) -> Option<Parameter<'a>> {
        Some(Parameter {
            name: value.get("name").and_then(Value::as_str)?,
            location: value.get("in").and_then(Value::as_str).unwrap_or_default(),
            required: value.get("required") == Some(&Value::Bool(true)),
            schema: value.get("schema"),
            value,
        })
    }
}

impl<'a> Body<'a> {
    fn of(body: &'a Value) -> Body<'a> {
        Body {
            schema: body.pointer("/content/application~1json/schema"),
            required: body.get("required") == Some(&Value::Bool(true)),
        }
    }
}

impl Scheme<'_> {
    /// A field of its definition (`type`, `scheme`, `in`, `name`).
    pub fn field(&self, key: &str) -> Option<&str> {
        self.definition.and_then(|d| d.get(key)).and_then(Value::as_str)
    }
}

/// The references of the component schema or parameter `name`.
fn components_refs<'a>(document: &'a Value, name: &str) -> Vec<&'a str> {
    let component = ["schemas", "parameters"]
        .iter()
        .find_map(|kind| schema::resolve(document, &schema::reference_to(kind, name)));
    component.map(schema::refs).unwrap_or_default()
}

fn tags(document: &Value) -> Vec<Tag<'_>> {
    let tags = document.get("tags").and_then(Value::as_array).into_iter().flatten();
    tags.filter_map(|tag| {
        Some(Tag {
            name: tag.get("name")?.as_str()?,
            description: tag.get("description").and_then(Value::as_str),
        })
    })
    .collect()
}

fn schemas<'a>(document: &'a Value, directions: &Directions) -> Vec<Schema<'a>> {
    let schemas = document.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten();
    schemas.map(|(name, value)| Schema { name, value, direction: directions.of(name) }).collect()
}
