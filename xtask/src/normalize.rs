//! Normalize: takes a page and its extracted block, in either form (a standard single-operation
//! OpenAPI 3.1 document, or Mintlify's older "resolved" form), gives one [`Operation`] carrying
//! the component schemas, parameters and security schemes it uses.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::error::{Error, Errors};
use crate::extract::{Block, METHODS};
use crate::page::Page;
use crate::schema;

/// One endpoint, independent of the form its page came in.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// The page it came from; not part of the operation's content.
    #[serde(skip)]
    pub page: String,
    pub method: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub deprecated: bool,
    pub servers: Vec<Value>,
    pub security: Vec<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path_parameters: Vec<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_body: Option<RequestBody>,
    pub responses: Map<String, Value>,
    pub components: Components,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub required: bool,
    pub content: Map<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Components {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub schemas: BTreeMap<String, Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, Value>,
    #[serde(rename = "securitySchemes", skip_serializing_if = "BTreeMap::is_empty")]
    pub security_schemes: BTreeMap<String, Value>,
}

impl Operation {
    /// The operation's content without the page it came from, for comparing two declarations.
    pub fn content(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// The operation alone, without its components: what must agree when two pages declare it.
    pub fn without_components(&self) -> Value {
        let mut value = self.content();
        if let Some(map) = value.as_object_mut() {
            map.remove("components");
        }
        value
    }

    /// Snapshot text: YAML of the operation's content.
    pub fn to_yaml(&self) -> String {
        crate::yaml::to_string(&self.content())
    }
}

pub fn normalize(page: &Page, block: &Block<'_>) -> Result<Operation, Errors> {
    let doc = parse_yaml(page, block)?;
    let Some(map) = doc.as_object() else {
        return Err(page.error("the OpenAPI block is not a YAML mapping").at(Some((block.fence_line + 1, 1))).into());
    };
    let ctx = Ctx { page, block };
    if map.contains_key("openapi") {
        return ctx.standard(map);
    }
    if let Some(paths) = map.get("paths").and_then(Value::as_object).filter(|p| p.contains_key("method")) {
        return ctx.legacy(map, paths);
    }
    Err(page
        .error("the block is not an OpenAPI document: it has neither `openapi:` nor Mintlify's `paths: {path, method}`")
        .at(Some((block.fence_line + 1, 1)))
        .into())
}

fn parse_yaml(page: &Page, block: &Block<'_>) -> Result<Value, Error> {
    crate::yaml::from_str(block.yaml).map_err(|e| {
        let at = e.location().map(|l| (block.page_line(l.line() as usize), l.column() as usize));
        let text = e.without_snippet().to_string();
        // The parser appends its own (block-relative) positions; ours is the page's.
        let mut message = match text.find(" at line ") {
            Some(i) => text[..i].to_string(),
            None => text,
        };
        // Advice meant for the parser's users, not for a maintainer reading a page.
        if let Some(i) = message.find(", set DuplicateKeyPolicy") {
            message.truncate(i);
        }
        if let Some(breach) = message.strip_prefix("budget breached: ") {
            // The parser names the limit as `Nodes { nodes: 250001 }`: say it in words.
            let words = breach
                .split_once(" { ")
                .and_then(|(_, fields)| fields.strip_suffix(" }"))
                .map(|fields| fields.replace(": ", " reached ").replace('_', " "))
                .unwrap_or_else(|| breach.to_string());
            let hint = if breach.starts_with("Depth") {
                "the block nests deeper than any docs page does: is it a docs page?"
            } else {
                "aliases that multiply (an alias bomb) or a runaway export: docs pages are plain YAML"
            };
            return page.error(format!("the YAML expands past the parser's limits: {words}")).at(at).with_hint(hint);
        }
        let error = page.error(format!("invalid YAML in the OpenAPI block: {message}")).at(at);
        if message.contains("tabs disallowed") {
            return error.with_hint("YAML indents with spaces only");
        }
        if message.contains("recursion limit") {
            return error.with_hint("the block nests deeper than any docs page does: is it a docs page?");
        }
        error
    })
}

struct Ctx<'a> {
    page: &'a Page,
    block: &'a Block<'a>,
}

/// A step of normalizing: every problem it found, positioned in the page.
type Step<T> = Result<T, Errors>;

/// The one operation of a standard page, and what holds it.
struct Located<'a> {
    path: &'a String,
    item: &'a Map<String, Value>,
    method: &'a String,
    operation: &'a Map<String, Value>,
}

/// A resolved-form page's parameters back in the standard layout.
#[derive(Default)]
struct Parameters {
    /// Path parameters, as references to `components`.
    path: Vec<Value>,
    /// Query, header and cookie parameters.
    other: Vec<Value>,
    components: Map<String, Value>,
}

impl Ctx<'_> {
    /// An error positioned at the first occurrence of `needle` in the block.
    fn error(&self, message: impl Into<String>, needle: &str) -> Error {
        self.page.error(message).at(self.at(needle))
    }

    fn fail<T>(&self, message: impl Into<String>, needle: &str) -> Step<T> {
        Err(self.error(message, needle).into())
    }

    fn at(&self, needle: &str) -> Option<(usize, usize)> {
        if needle.is_empty() {
            return Some((self.block.fence_line, 1));
        }
        self.page.locate(needle, self.block.offset).or(Some((self.block.fence_line, 1)))
    }

    fn check_fence(&self, method: &str, path: &str) -> Step<()> {
        if method != self.block.method || path != self.block.path {
            let (fm, fp) = (&self.block.method, &self.block.path);
            return self.fail(
                format!(
                    "the fence says `{} {fp}` but the document declares `{} {path}`",
                    fm.to_uppercase(),
                    method.to_uppercase()
                ),
                path,
            );
        }
        Ok(())
    }

    fn standard(&self, doc: &Map<String, Value>) -> Step<Operation> {
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
            method: method.to_string(),
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
    fn the_one_operation<'d>(&self, doc: &'d Map<String, Value>) -> Step<Located<'d>> {
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
        let methods: Vec<&String> = item.keys().filter(|k| METHODS.contains(&k.as_str())).collect();
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
    fn finish(&self, mut op: Operation, available: &Value) -> Step<Operation> {
        op.components = self.used_components(&op, available)?;
        self.check_path_template(&op)?;
        Ok(op)
    }

    fn parameter_list(&self, list: Option<&Value>) -> Step<Vec<Value>> {
        match list {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => Ok(items.iter().map(canon_parameter).collect()),
            Some(_) => self.fail("`parameters` is not a list", "parameters:"),
        }
    }

    fn request_body(&self, body: &Value) -> Step<RequestBody> {
        let Some(content) = body.get("content").and_then(Value::as_object) else {
            return self.fail("the `requestBody` has no `content` mapping", "requestBody:");
        };
        Ok(RequestBody {
            description: text(body.get("description")),
            required: body.get("required").and_then(Value::as_bool).unwrap_or(false),
            content: content.iter().map(|(media, m)| (media.clone(), canon_media(m))).collect(),
        })
    }

    /// Mintlify's resolved form (`paths: {path, method, request, response}`) back to the
    /// operation a standard page declares.
    fn legacy(&self, doc: &Map<String, Value>, p: &Map<String, Value>) -> Step<Operation> {
        let (Some(path), Some(method)) =
            (p.get("path").and_then(Value::as_str), p.get("method").and_then(Value::as_str))
        else {
            return self.fail("Mintlify's `paths` needs string `path` and `method`", "paths:");
        };
        let method = method.to_ascii_lowercase();
        self.check_fence(&method, path)?;
        let empty = Map::new();
        let request = p.get("request").and_then(Value::as_object).unwrap_or(&empty);
        let mut rebuilt = BTreeMap::new();
        let (security, security_schemes) = self.legacy_security_list(request)?;
        let parameters = self.legacy_parameters(request)?;
        let request_body = self.legacy_body(request, &mut rebuilt)?;
        let responses = self.legacy_responses(p, &mut rebuilt)?;
        let (summary, description) = heading(&self.page.text[..self.block.offset]);
        let op = Operation {
            page: self.page.path.clone(),
            method,
            path: path.to_string(),
            summary,
            description,
            deprecated: p.get("deprecated").and_then(Value::as_bool).unwrap_or(false),
            servers: p.get("servers").and_then(Value::as_array).cloned().unwrap_or_default(),
            security,
            path_parameters: parameters.path,
            parameters: parameters.other,
            request_body,
            responses,
            components: Components::default(),
        };
        let (available, twice) = self.legacy_components(doc, rebuilt, parameters.components, security_schemes);
        match (self.finish(op, &available), twice.is_empty()) {
            (Ok(op), true) => Ok(op),
            (Ok(_), false) => Err(twice),
            (Err(mut errors), _) => {
                errors.0.splice(0..0, twice.0);
                Err(errors)
            }
        }
    }

    /// The resolved form's security entries: the requirement list and the schemes it names.
    fn legacy_security_list(&self, request: &Map<String, Value>) -> Step<(Vec<Value>, Map<String, Value>)> {
        let mut security = Vec::new();
        let mut schemes = Map::new();
        for entry in request.get("security").and_then(Value::as_array).into_iter().flatten() {
            let (name, scheme) = self.legacy_security(entry)?;
            security.push(json!({ name.clone(): [] }));
            schemes.insert(name, scheme);
        }
        Ok((security, schemes))
    }

    /// The resolved form's parameter groups; path parameters become path-level component
    /// references, as the standard pages have them.
    fn legacy_parameters(&self, request: &Map<String, Value>) -> Step<Parameters> {
        let mut out = Parameters::default();
        let Some(groups) = request.get("parameters").and_then(Value::as_object) else { return Ok(out) };
        for location in ["path", "query", "header", "cookie"] {
            let Some(group) = groups.get(location).and_then(Value::as_object) else { continue };
            for (name, entry) in group {
                let parameter = self.legacy_parameter(name, location, entry)?;
                if location == "path" {
                    out.components.insert(name.clone(), parameter);
                    out.path.push(json!({ "$ref": format!("#/components/parameters/{name}") }));
                } else {
                    out.other.push(parameter);
                }
            }
        }
        Ok(out)
    }

    /// The resolved form's request body; `required: true` in its `schemaArray` requires it.
    fn legacy_body(
        &self,
        request: &Map<String, Value>,
        rebuilt: &mut BTreeMap<String, Value>,
    ) -> Step<Option<RequestBody>> {
        let Some(body) = request.get("body").and_then(Value::as_object).filter(|b| !b.is_empty()) else {
            return Ok(None);
        };
        let mut required = false;
        let mut content = Map::new();
        for (media, entry) in body {
            let (schema, body_required) = self.schema_array(entry, rebuilt)?;
            required |= body_required;
            content.insert(media.clone(), json!({ "schema": schema }));
        }
        Ok(Some(RequestBody { description: None, required, content }))
    }

    /// The resolved form's responses, each media entry's `schemaArray` back to a schema.
    fn legacy_responses(
        &self,
        p: &Map<String, Value>,
        rebuilt: &mut BTreeMap<String, Value>,
    ) -> Step<Map<String, Value>> {
        let mut responses = Map::new();
        for (status, entry) in p.get("response").and_then(Value::as_object).into_iter().flatten() {
            let mut response = Map::new();
            let mut content = Map::new();
            for (key, value) in entry.as_object().into_iter().flatten() {
                if key == "description" {
                    response.insert("description".into(), value.clone());
                    continue;
                }
                // Mintlify keeps the response's description inside its media entry.
                if let Some(d) = value.get("description") {
                    response.entry("description").or_insert_with(|| d.clone());
                }
                let (schema, _) = self.schema_array(value, rebuilt)?;
                content.insert(key.clone(), json!({ "schema": schema }));
            }
            response.entry("description").or_insert_with(|| json!(""));
            if !content.is_empty() {
                response.insert("content".into(), Value::Object(content));
            }
            responses.insert(status.clone(), Value::Object(response));
        }
        Ok(responses)
    }

    /// The components a resolved-form page makes available: those it declares, the schemas
    /// rebuilt from its `refIdentifier`s, its path parameters and security schemes. A schema it
    /// declares twice, differently, is an error.
    fn legacy_components(
        &self,
        doc: &Map<String, Value>,
        rebuilt: BTreeMap<String, Value>,
        parameters: Map<String, Value>,
        security_schemes: Map<String, Value>,
    ) -> (Value, Errors) {
        let mut available = doc.get("components").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut schemas = available.get("schemas").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut twice = Errors::default();
        for (name, schema) in rebuilt {
            if let Some(existing) = schemas.get(&name)
                && schema::canonical(existing) != schema
            {
                twice.push(self.error(format!("schema `{name}` is declared twice on this page, differently"), &name));
            }
            schemas.insert(name, schema);
        }
        available.insert("schemas".into(), Value::Object(schemas));
        available.insert("parameters".into(), Value::Object(parameters));
        available.insert("securitySchemes".into(), Value::Object(security_schemes));
        (Value::Object(available), twice)
    }

    /// `{title, parameters: {header: {Authorization: {type, ...}}}}` back to a security scheme.
    fn legacy_security(&self, entry: &Value) -> Step<(String, Value)> {
        let Some(name) = entry.get("title").and_then(Value::as_str) else {
            return self.fail("a `security` entry has no `title`", "security:");
        };
        for location in ["header", "query", "cookie"] {
            let Some(group) = entry.pointer(&format!("/parameters/{location}")).and_then(Value::as_object) else {
                continue;
            };
            if let Some((param, scheme)) = group.iter().next() {
                let mut out = Map::new();
                let kind = scheme.get("type").and_then(Value::as_str).unwrap_or("apiKey");
                out.insert("type".into(), json!(kind));
                if kind == "apiKey" {
                    out.insert("in".into(), json!(location));
                    out.insert("name".into(), json!(param));
                }
                for (k, v) in scheme.as_object().into_iter().flatten() {
                    if k != "type" {
                        out.insert(k.clone(), v.clone());
                    }
                }
                return Ok((name.to_string(), Value::Object(out)));
            }
        }
        self.fail(format!("the security scheme `{name}` names no header, query or cookie"), name)
    }

    /// `{schema: [{type, required, description, ...}]}` back to a parameter object.
    fn legacy_parameter(&self, name: &str, location: &str, entry: &Value) -> Step<Value> {
        let Some(list) = entry.get("schema").and_then(Value::as_array).filter(|l| !l.is_empty()) else {
            return self.fail(format!("parameter `{name}` has no `schema` list"), name);
        };
        let mut required = location == "path";
        let mut description = None;
        let mut deprecated = None;
        let mut schemas = Vec::new();
        for item in list {
            let Some(item) = item.as_object() else {
                return self.fail(format!("parameter `{name}` has a schema that is not a mapping"), name);
            };
            let mut item = item.clone();
            if let Some(Value::Bool(r)) = item.remove("required") {
                required |= r;
            }
            description = description.or(item.remove("description"));
            deprecated = deprecated.or(item.remove("deprecated"));
            schemas.push(Value::Object(item));
        }
        let schema = if schemas.len() == 1 { schemas.remove(0) } else { json!({ "anyOf": schemas }) };
        let mut out = Map::new();
        out.insert("name".into(), json!(name));
        out.insert("in".into(), json!(location));
        if let Some(d) = description {
            out.insert("description".into(), d);
        }
        out.insert("required".into(), json!(required));
        if let Some(d) = deprecated {
            out.insert("deprecated".into(), d);
        }
        out.insert("schema".into(), schema);
        Ok(canon_parameter(&Value::Object(out)))
    }

    /// A media entry's `schemaArray` back to a schema: a `$ref` to the component it names
    /// (rebuilt into `rebuilt`), or the inline schema. Also gives the body's `required` flag.
    fn schema_array(&self, entry: &Value, rebuilt: &mut BTreeMap<String, Value>) -> Step<(Value, bool)> {
        let Some(items) = entry.get("schemaArray").and_then(Value::as_array).filter(|l| !l.is_empty()) else {
            return self.fail("a request or response has no `schemaArray`", "schemaArray");
        };
        let mut required = false;
        let mut schemas = Vec::new();
        for item in items {
            let Some(item) = item.as_object() else {
                return self.fail("a `schemaArray` item is not a mapping", "schemaArray");
            };
            let mut item = item.clone();
            if let Some(Value::Bool(r)) = item.remove("required") {
                required |= r;
            }
            let reference = item.remove("refIdentifier");
            if let Some(names) = item.remove("requiredProperties") {
                item.insert("required".into(), names);
            }
            if let Some(Value::Object(properties)) = item.get_mut("properties") {
                for property in properties.values_mut() {
                    unwrap_single_all_of(property);
                }
            }
            let schema = schema::canonical(&Value::Object(item));
            match reference.as_ref().and_then(Value::as_str) {
                Some(r) => {
                    let Some(name) = r.strip_prefix("#/components/schemas/") else {
                        return self.fail(format!("`refIdentifier: {r}` is not a component schema"), r);
                    };
                    rebuilt.insert(name.to_string(), schema);
                    schemas.push(json!({ "$ref": r }));
                }
                None => schemas.push(schema),
            }
        }
        let schema = if schemas.len() == 1 { schemas.remove(0) } else { json!({ "anyOf": schemas }) };
        Ok((schema, required))
    }

    /// Collects the components the operation reaches, following `$ref`s transitively, and reports
    /// every reference to nothing.
    fn used_components(&self, op: &Operation, available: &Value) -> Step<Components> {
        let mut components = Components::default();
        let mut errors = Errors::default();
        let content = op.content();
        let mut queue: Vec<String> = schema::refs(&content).into_iter().map(str::to_string).collect();
        while let Some(reference) = queue.pop() {
            let Some((kind, name)) =
                schema::component_ref(&reference).filter(|(k, _)| matches!(*k, "schemas" | "parameters"))
            else {
                errors.push(self.error(
                    format!("unsupported `$ref: {reference}`: pages may reference only `#/components/schemas/*` and `#/components/parameters/*`"),
                    &reference,
                ));
                continue;
            };
            let slot = if kind == "schemas" { &mut components.schemas } else { &mut components.parameters };
            if slot.contains_key(&name) {
                continue;
            }
            let Some(value) = available.get(kind).and_then(|k| k.get(&name)) else {
                let message = format!("`$ref: {reference}` points to nothing: the page declares no {kind} `{name}`");
                errors.push(self.error(message, &reference));
                continue;
            };
            let value = if kind == "schemas" { schema::canonical(value) } else { canon_parameter(value) };
            queue.extend(schema::refs(&value).into_iter().map(str::to_string));
            slot.insert(name, value);
        }
        for requirement in &op.security {
            for name in requirement.as_object().into_iter().flat_map(|m| m.keys()) {
                match available.pointer(&format!("/securitySchemes/{}", schema::token(name))) {
                    Some(scheme) => {
                        components.security_schemes.insert(name.clone(), scheme.clone());
                    }
                    None => {
                        errors.push(
                            self.error(
                                format!("security requirement `{name}` names no declared security scheme"),
                                name,
                            ),
                        );
                    }
                }
            }
        }
        errors.into_result(components)
    }

    /// Every `{name}` in the path must be a declared path parameter, and the other way round.
    fn check_path_template(&self, op: &Operation) -> Step<()> {
        let mut errors = Errors::default();
        let declared: Vec<String> = op
            .path_parameters
            .iter()
            .chain(&op.parameters)
            .filter_map(|p| resolve_parameter(p, &op.components))
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
            .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_string))
            .collect();
        for name in template_names(&op.path) {
            if !declared.iter().any(|d| d == name) {
                let message = format!("path parameter `{{{name}}}` of `{}` is declared nowhere", op.path);
                errors.push(self.error(message, &format!("{{{name}}}")));
            }
        }
        for name in &declared {
            if !template_names(&op.path).any(|t| t == name) {
                errors.push(self.error(format!("path parameter `{name}` does not appear in `{}`", op.path), name));
            }
        }
        errors.into_result(())
    }
}

/// The `{name}`s of a path template.
pub fn template_names(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
}

/// A parameter object, following a `#/components/parameters/*` reference.
pub fn resolve_parameter<'a>(parameter: &'a Value, components: &'a Components) -> Option<&'a Value> {
    match parameter.get("$ref").and_then(Value::as_str) {
        Some(r) => match schema::component_ref(r)? {
            ("parameters", name) => components.parameters.get(&name),
            _ => None,
        },
        None => Some(parameter),
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_string)
}

/// The page's `# title` and the `> description` under it: the legacy form's summary and description.
fn heading(markdown: &str) -> (Option<String>, Option<String>) {
    let mut lines = markdown.lines().map(str::trim_end);
    let title = lines
        .by_ref()
        .find(|l| l.starts_with("# ") && !l.starts_with("# Source:"))
        .map(|l| l[2..].trim().to_string());
    let mut description = Vec::new();
    for line in lines {
        match line.strip_prefix('>') {
            Some(quoted) => description.push(quoted.trim()),
            None if line.is_empty() && description.is_empty() => continue,
            None => break,
        }
    }
    let description = (!description.is_empty()).then(|| description.join(" "));
    (title, description)
}

fn unwrap_single_all_of(schema: &mut Value) {
    if let Some(map) = schema.as_object()
        && map.len() == 1
        && let Some(Value::Array(items)) = map.get("allOf")
        && items.len() == 1
    {
        *schema = items[0].clone();
    }
}

/// `name` and `in` first, then the rest sorted, the schema canonical.
pub fn canon_parameter(parameter: &Value) -> Value {
    let Value::Object(map) = parameter else { return parameter.clone() };
    let mut out = Map::new();
    for key in ["name", "in"] {
        if let Some(v) = map.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    let mut rest: Vec<&String> = map.keys().filter(|k| *k != "name" && *k != "in").collect();
    rest.sort();
    for key in rest {
        let v = &map[key];
        out.insert(key.clone(), if key == "schema" { schema::canonical(v) } else { v.clone() });
    }
    Value::Object(out)
}

fn canon_media(media: &Value) -> Value {
    let Value::Object(map) = media else { return media.clone() };
    map.iter()
        .map(|(k, v)| (k.clone(), if k == "schema" { schema::canonical(v) } else { v.clone() }))
        .collect()
}

fn canon_response(response: &Value) -> Value {
    let Value::Object(map) = response else { return response.clone() };
    map.iter()
        .map(|(k, v)| {
            let v = match (k.as_str(), v) {
                ("content", Value::Object(c)) => {
                    Value::Object(c.iter().map(|(m, e)| (m.clone(), canon_media(e))).collect())
                }
                _ => v.clone(),
            };
            (k.clone(), v)
        })
        .collect()
}
