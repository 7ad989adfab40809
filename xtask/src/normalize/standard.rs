//! The standard form: takes a page's single-operation OpenAPI 3.1 document, gives its one
//! operation, its parameters and body laid out canonically.

use serde_json::{Map, Value, json};

use super::canon::{canon_media, canon_parameter, canon_response};
use super::{Components, Ctx, Normalized, Operation, RequestBody, text};
use crate::http::Method;

/// The one operation of a standard page, and what holds it.
struct Located<'a> {
    path: &'a String,
    item: &'a Map<String, Value>,
    method: &'a String,
    operation: &'a Map<String, Value>,
}

impl Ctx<'_> {
    pub(super) fn standard(&self, doc: &Map<String, Value>) -> Normalized<Operation> {
        let Located { path, item, method, operation: op } = self.the_one_operation(doc)?;
        let path_parameters = self.parameter_list(item.get("parameters"))?;
        let parameters = self.parameter_list(op.get("parameters"))?;
        let request_body = op.get("requestBody").map(|body| self.request_body(body)).transpose()?;
        let Some(responses) = op.get("responses").and_then(Value::as_object) else {
            return self.fail(format!("`{method} {path}` has no `responses`"), path);
        };
        let responses = responses.iter().map(|(status, r)| (status.clone(), canon_response(r))).collect();
        let security = op.get("security").or(doc.get("security"));
        let security = security.and_then(Value::as_array).cloned().unwrap_or_default();
        let servers = [op.get("servers"), item.get("servers"), doc.get("servers")]
            .into_iter()
            .flatten()
            .find_map(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let op = Operation {
            page: self.page.path.clone(),
            title: super::heading(&self.page.text[..self.block.offset]).0,
            method: self.method_of(method, path)?,
            path: path.clone(),
            summary: text(op.get("summary")),
            description: text(op.get("description")),
            deprecated: op.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
            servers,
            security,
            path_parameters,
            parameters,
            request_body,
            responses,
            components: Components::default(),
        };
        let available = doc.get("components").cloned().unwrap_or(json!({}));
        self.finish(op, &available)
    }

    /// A standard document's one path and one operation; anything else is an error.
    fn the_one_operation<'d>(&self, doc: &'d Map<String, Value>) -> Normalized<Located<'d>> {
        let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
        if !(version.starts_with("3.1") || version.starts_with("3.0")) {
            return self.fail(format!("unsupported `openapi: {version}`: expected 3.1.x (or 3.0.x)"), "openapi:");
        }
        let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
            return self.fail("the document has no `paths` mapping", "openapi:");
        };
        let (path, item) = match paths.iter().collect::<Vec<_>>().as_slice() {
            [(path, item)] => (*path, *item),
            many => {
                let message =
                    format!("the document declares {} paths; a page documents exactly one operation", many.len());
                return self.fail(message, "paths:");
            }
        };
        let Some(item) = item.as_object() else {
            return self.fail(format!("the path item `{path}` is not a mapping"), path);
        };
        let methods: Vec<&String> = item.keys().filter(|k| Method::from_key(k).is_some()).collect();
        let [method] = methods.as_slice() else {
            return self
                .fail(format!("`{path}` declares {} operations; a page documents exactly one", methods.len()), path);
        };
        self.check_fence(method, path)?;
        let Some(operation) = item[method.as_str()].as_object() else {
            return self.fail(format!("the operation `{method} {path}` is not a mapping"), path);
        };
        Ok(Located { path, item, method, operation })
    }

    /// Both forms end alike: attach the components the operation reaches, check its path template.
    pub(super) fn finish(&self, mut op: Operation, available: &Value) -> Normalized<Operation> {
        op.components = self.used_components(&op, available)?;
        self.check_path_template(&op)?;
        Ok(op)
    }

    fn parameter_list(&self, list: Option<&Value>) -> Normalized<Vec<Value>> {
        match list {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items.iter().map(canon_parameter).collect()),
            Some(_) => self.fail("`parameters` is not a list", "parameters:"),
        }
    }

    fn request_body(&self, body: &Value) -> Normalized<RequestBody> {
        let Some(content) = body.get("content").and_then(Value::as_object) else {
            return self.fail("the `requestBody` has no `content` mapping", "requestBody:");
        };
        Ok(RequestBody {
            description: text(body.get("description")),
            required: body.get("required").and_then(Value::as_bool).unwrap_or(false),
            content: content.iter().map(|(media, m)| (media.clone(), canon_media(m))).collect(),
        })
    }
}
