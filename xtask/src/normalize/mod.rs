//! Normalize: takes a page and its extracted block, in either form (a standard single-operation
//! OpenAPI 3.1 document, or Mintlify's older "resolved" form), gives one [`Operation`] carrying
//! the component schemas, parameters and security schemes it uses. Each form is read in a file
//! of its own (`standard`, `resolved`); both end in `reach` (the components the operation
//! reaches, its path template checked) and lay values out by `canon`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::http::Method;
use serde_json::{Map, Value};

use crate::error::{Error, Errors};
use crate::extract::Block;
use crate::page::Page;
use crate::schema;

mod canon;
mod reach;
mod resolved;
mod standard;

pub use canon::canon_parameter;

/// One endpoint, independent of the form its page came in.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// The page it came from; not part of the operation's content.
    #[serde(skip)]
    pub page: String,
    /// The page's `# title`, as the docs' navigation names the operation; not part of its content.
    #[serde(skip)]
    pub title: Option<String>,
    pub method: Method,
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

/// The page's `# title` and the `> description` under it: the legacy form's summary and description.
pub(super) fn heading(markdown: &str) -> (Option<String>, Option<String>) {
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

/// One page being normalized: every error it makes points into the page's block.
struct Ctx<'a> {
    page: &'a Page,
    block: &'a Block<'a>,
}

/// A step of normalizing: every problem it found, positioned in the page.
type Normalized<T> = Result<T, Errors>;

impl Ctx<'_> {
    /// An error positioned at the first occurrence of `needle` in the block.
    fn error(&self, message: impl Into<String>, needle: &str) -> Error {
        self.page.error(message).at(self.at(needle))
    }

    fn fail<T>(&self, message: impl Into<String>, needle: &str) -> Normalized<T> {
        Err(self.error(message, needle).into())
    }

    fn at(&self, needle: &str) -> Option<(usize, usize)> {
        if needle.is_empty() {
            return Some((self.block.fence_line, 1));
        }
        self.page.locate(needle, self.block.offset).or(Some((self.block.fence_line, 1)))
    }

    /// The operation's method, typed; the fence has it already (`check_fence`), so only a
    /// method OpenAPI does not know fails here.
    fn method_of(&self, method: &str, path: &str) -> Normalized<Method> {
        Method::parse(method).map_or_else(|| self.fail(format!("`{method}` is not an HTTP method"), path), Ok)
    }

    fn check_fence(&self, method: &str, path: &str) -> Normalized<()> {
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
