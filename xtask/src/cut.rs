//! Cut: takes a full OpenAPI 3.1 document (Baseten's `/v1/spec`), gives one standard-form page
//! per operation, as the docs site exports them: the operation, its path-level parameters, the
//! components it reaches and the security scheme, in a ```` ````yaml <method> <path> ```` block.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::error::{Error, Errors};
use crate::extract::METHODS;
use crate::page::Page;
use crate::schema;

/// One page per operation, named `spec/<method>-<path>.md`, sorted by name.
pub fn cut(spec: &Value) -> Vec<Page> {
    let mut pages = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else { return pages };
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        for (method, operation) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let mut path_item = Map::new();
            if let Some(parameters) = item.get("parameters") {
                path_item.insert("parameters".into(), parameters.clone());
            }
            path_item.insert(method.clone(), operation.clone());
            let path_item = Value::Object(path_item);

            let mut document = Map::new();
            for key in ["openapi", "info", "servers", "security"] {
                if let Some(value) = spec.get(key) {
                    document.insert(key.into(), value.clone());
                }
            }
            document.insert("paths".into(), json!({ path: path_item.clone() }));
            document.insert("components".into(), reached_components(spec, &path_item));

            let summary = operation.get("summary").and_then(Value::as_str).unwrap_or(path);
            let yaml = crate::yaml::to_string(&Value::Object(document));
            let text = format!("# {summary}\n\n## OpenAPI\n\n````yaml {method} {path}\n{yaml}````\n");
            let slug: String = path
                .trim_start_matches('/')
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            pages.push(Page::new(format!("spec/{method}-{}.md", slug.trim_matches('-')), text));
        }
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    pages
}

/// `cargo xtask cut`: reads the full spec at `spec` (JSON, or YAML with JSON's booleans) and
/// writes its pages into `dir` as `<method>-<path>.md`, all or nothing; gives the page count.
pub fn cut_file(spec: &Path, dir: &Path) -> Result<usize, Errors> {
    let shown = spec.display().to_string();
    let text = std::fs::read_to_string(spec).map_err(|e| Error::new(&shown, format!("cannot read the spec: {e}")))?;
    let document: Value = crate::yaml::from_str(&text)
        .map_err(|e| Error::new(&shown, format!("not a JSON or YAML document: {e}")))?;
    let pages = cut(&document);
    if pages.is_empty() {
        return Err(Error::new(&shown, "the spec has no operations under `paths`").into());
    }
    let files: BTreeMap<String, String> = pages
        .iter()
        .map(|page| (page.path.trim_start_matches("spec/").to_string(), page.text.clone()))
        .collect();
    crate::write::apply_some(dir, &files, &[])?;
    Ok(files.len())
}

/// The components `root` reaches through `$ref`s (transitively), and every security scheme.
fn reached_components(spec: &Value, root: &Value) -> Value {
    let mut seen = BTreeSet::new();
    let mut pending = schema::refs(root);
    while let Some(reference) = pending.pop() {
        if seen.insert(reference)
            && let Some(target) = schema::resolve(spec, reference)
        {
            pending.extend(schema::refs(target));
        }
    }
    let mut components = Map::new();
    for reference in seen {
        let (Some((kind, name)), Some(value)) = (schema::component_ref(reference), schema::resolve(spec, reference)) else {
            continue;
        };
        if let Some(section) = components.entry(kind.to_string()).or_insert_with(|| json!({})).as_object_mut() {
            section.insert(name, value.clone());
        }
    }
    if let Some(schemes) = spec.pointer("/components/securitySchemes") {
        components.insert("securitySchemes".into(), schemes.clone());
    }
    Value::Object(components)
}
