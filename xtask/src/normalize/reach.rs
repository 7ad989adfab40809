//! Reach: takes an operation and the components its page offers, gives the components it
//! reaches through `$ref`s (every reference to nothing an error) and checks its path template
//! against its path parameters.

use serde_json::Value;

use super::canon::canon_parameter;
use super::{Components, Ctx, Normalized, Operation, resolve_parameter, template_names};
use crate::error::Errors;
use crate::schema;

impl Ctx<'_> {
    /// Collects the components the operation reaches, following `$ref`s transitively, and reports
    /// every reference to nothing.
    pub(super) fn used_components(&self, op: &Operation, available: &Value) -> Normalized<Components> {
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
    pub(super) fn check_path_template(&self, op: &Operation) -> Normalized<()> {
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
