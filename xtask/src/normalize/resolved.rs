//! Mintlify's resolved form (`paths: {path, method, request, response}`, `schemaArray`,
//! `refIdentifier`, `requiredProperties`): takes an older page's document, gives the operation a
//! standard page declares, its components rebuilt, its summary from the page's heading.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::canon::canon_parameter;
use super::{Components, Ctx, Normalized, Operation, RequestBody};
use crate::error::Errors;
use crate::schema;

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
    /// Mintlify's resolved form (`paths: {path, method, request, response}`) back to the
    /// operation a standard page declares.
    pub(super) fn legacy(&self, doc: &Map<String, Value>, p: &Map<String, Value>) -> Normalized<Operation> {
        let (Some(path), Some(method)) =
            (p.get("path").and_then(Value::as_str), p.get("method").and_then(Value::as_str))
        else {
            return self.fail("Mintlify's `paths` needs string `path` and `method`", "paths:");
        };
        let method = method.to_ascii_lowercase();
        self.check_fence(&method, path)?;
        let method = self.method_of(&method, path)?;
        let empty = Map::new();
        let request = p.get("request").and_then(Value::as_object).unwrap_or(&empty);
        let mut rebuilt = BTreeMap::new();
        let (security, security_schemes) = self.legacy_security_list(request)?;
        let parameters = self.legacy_parameters(request)?;
        let request_body = self.legacy_body(request, &mut rebuilt)?;
        let responses = self.legacy_responses(p, &mut rebuilt)?;
        let (summary, description) = super::heading(&self.page.text[..self.block.offset]);
        let op = Operation {
            page: self.page.path.clone(),
            title: summary.clone(),
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
    fn legacy_security_list(&self, request: &Map<String, Value>) -> Normalized<(Vec<Value>, Map<String, Value>)> {
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
    fn legacy_parameters(&self, request: &Map<String, Value>) -> Normalized<Parameters> {
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
    ) -> Normalized<Option<RequestBody>> {
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
    ) -> Normalized<Map<String, Value>> {
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
    fn legacy_security(&self, entry: &Value) -> Normalized<(String, Value)> {
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
    fn legacy_parameter(&self, name: &str, location: &str, entry: &Value) -> Normalized<Value> {
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
    fn schema_array(&self, entry: &Value, rebuilt: &mut BTreeMap<String, Value>) -> Normalized<(Value, bool)> {
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
