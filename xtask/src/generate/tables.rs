//! Tables: takes the OpenAPI 3.0.3 document, gives what the support code looks up at run
//! time (the default server, each operation's auth scheme) and the open enums to declare.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::error::Error;
use crate::schema::{self, Step};

/// A string enum schema, declared through `open_enum!` instead of typify.
pub struct OpenEnum {
    /// The Rust name, as typify spells the schema's name (`APIKeyCategory` → `ApiKeyCategory`).
    pub name: String,
    pub description: Option<String>,
    /// `(variant, value)`, in the schema's order.
    pub variants: Vec<(String, String)>,
    /// The catch-all variant: `Unknown`, or `Unlisted` when a listed value takes `Unknown`.
    pub unknown: String,
}

/// Gives each inline string enum of two or more values (in a component's properties, items,
/// additional properties or compositions) a component of its own, named
/// `<component><Property>` (`Item` for array items), so it is declared open too: typify's
/// replacements only reach named schemas. One value is a tag (a downgraded `const`) and stays.
/// Only the document progenitor reads is changed; `generated/openapi.yaml` keeps the pages' shape.
pub(crate) fn hoist_inline_enums(document: &mut Value) {
    let Some(schemas) = document.pointer_mut("/components/schemas").and_then(Value::as_object_mut) else { return };
    let mut taken: BTreeSet<String> = schemas.keys().map(|name| rust_name(name)).collect();
    let mut hoisted = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        let name = rust_name(name);
        for (step, child) in schema::children_mut(schema) {
            hoist(child, &inline_name(&name, step), &mut taken, &mut hoisted);
        }
    }
    schemas.extend(hoisted);
}

/// The name typify would give an inline schema at `step` below the type `parent`.
fn inline_name(parent: &str, step: Step<'_>) -> String {
    match step {
        Step::Named(_, property) => format!("{parent}{}", rust_name(property)),
        Step::Keyword("items") | Step::Index("items" | "prefixItems", _) => format!("{parent}Item"),
        Step::Keyword("additionalProperties") => format!("{parent}Value"),
        Step::Keyword(keyword) => format!("{parent}{}", rust_name(keyword)),
        // A member of `allOf`, `anyOf` or `oneOf` is another shape of the same thing.
        Step::Index(..) => parent.to_string(),
    }
}

fn hoist(schema: &mut Value, name: &str, taken: &mut BTreeSet<String>, out: &mut Vec<(String, Value)>) {
    let is_enum = schema.get("type").and_then(Value::as_str) == Some("string")
        && schema.get("enum").and_then(Value::as_array).is_some_and(|values| values.len() > 1);
    if !is_enum {
        for (step, child) in schema::children_mut(schema) {
            hoist(child, &inline_name(name, step), taken, out);
        }
        return;
    }
    let Some(map) = schema.as_object_mut() else { return };
    let unique = free_name(name, taken);
    // What belongs to the use stays at the use; the rest is the enum.
    let mut site = serde_json::Map::new();
    for key in ["description", "default", "nullable"] {
        if let Some(value) = map.remove(key) {
            site.insert(key.to_string(), value);
        }
    }
    map.remove("title");
    let reference = serde_json::json!({ "$ref": format!("#/components/schemas/{unique}") });
    out.push((unique, std::mem::replace(schema, Value::Null)));
    *schema = if site.is_empty() {
        reference
    } else {
        site.insert("allOf".into(), Value::Array(vec![reference]));
        Value::Object(site)
    };
}

/// `name`, or `name2`, `name3`, ... : the first not in `taken`, which then takes it.
pub(super) fn free_name(name: &str, taken: &mut BTreeSet<String>) -> String {
    let free = (1..)
        .map(|n| if n == 1 { name.to_string() } else { format!("{name}{n}") })
        .find(|candidate| !taken.contains(candidate))
        .unwrap_or_else(|| name.to_string());
    taken.insert(free.clone());
    free
}

/// Every component schema that is a string enum.
pub fn open_enums(document: &Value) -> Result<Vec<OpenEnum>, Error> {
    let Some(schemas) = document.pointer("/components/schemas").and_then(Value::as_object) else {
        return Ok(Vec::new());
    };
    let mut enums = Vec::new();
    for (name, schema) in schemas {
        let (Some("string"), Some(values)) =
            (schema.get("type").and_then(Value::as_str), schema.get("enum").and_then(Value::as_array))
        else {
            continue;
        };
        let at = format!("generated/openapi.yaml: #/components/schemas/{}", crate::schema::token(name));
        let mut variants: Vec<(String, String)> = Vec::new();
        for value in values {
            let Some(value) = value.as_str() else {
                return Err(Error::new(&at, format!("enum value {value} is not a string")));
            };
            let variant = rust_name(value);
            if let Some((_, other)) = variants.iter().find(|(v, _)| *v == variant) {
                return Err(Error::new(
                    &at,
                    format!("enum values {other:?} and {value:?} both become the variant {variant}"),
                ));
            }
            variants.push((variant, value.to_string()));
        }
        let unknown = if variants.iter().any(|(v, _)| v == "Unknown") { "Unlisted" } else { "Unknown" };
        if variants.iter().any(|(v, _)| v == unknown) {
            return Err(Error::new(
                &at,
                "enum values take both `Unknown` and `Unlisted`; no name is left for the catch-all",
            ));
        }
        enums.push(OpenEnum {
            name: rust_name(name),
            description: schema.get("description").and_then(Value::as_str).map(str::to_string),
            variants,
            unknown: unknown.to_string(),
        });
    }
    Ok(enums)
}

/// The type or variant name typify gives `value`: PascalCase by heck, `X` before a leading
/// non-letter, `_` after a keyword.
pub fn rust_name(value: &str) -> String {
    use heck::ToPascalCase;
    let cleaned: String = value
        .replace('\'', "")
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '_' { c } else { '-' })
        .collect();
    let mut name = cleaned.to_pascal_case();
    if !name.starts_with(|c: char| c.is_alphabetic()) {
        name = format!("X{name}");
    }
    if syn::parse_str::<syn::Ident>(&name).is_err() {
        name.push('_');
    }
    name
}

/// `DEFAULT_BASE_URL` and `auth_scheme(operation_id)`.
pub(crate) fn tables(document: &Value) -> Result<TokenStream, String> {
    let server = document.pointer("/servers/0/url").and_then(Value::as_str).unwrap_or("https://api.baseten.co");
    let server = server.trim_end_matches('/');
    let schemes = document.pointer("/components/securitySchemes").cloned().unwrap_or(Value::Null);
    let default = document.get("security");

    let mut arms = Vec::new();
    let paths = document.get("paths").and_then(Value::as_object).into_iter().flatten();
    for (path, item) in paths {
        for (method, op) in item.as_object().into_iter().flatten() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else { continue };
            let at = format!("{} {path}", method.to_uppercase());
            let scheme = match op.get("security").or(default) {
                Some(requirements) => scheme(requirements, &schemes).map_err(|e| format!("{at}: {e}"))?,
                None => quote!(None),
            };
            arms.push(quote!(#id => #scheme,));
        }
    }
    Ok(quote! {
        /// The server the pages declare.
        pub(crate) const DEFAULT_BASE_URL: &str = #server;

        /// The scheme each operation's page declares for its API key; `None` for none.
        pub(crate) fn auth_scheme(operation_id: &str) -> ::std::option::Option<crate::AuthScheme> {
            match operation_id {
                #(#arms)*
                _ => None,
            }
        }
    })
}

/// The scheme a security requirement list names: the first requirement whose scheme the
/// client can send.
fn scheme(requirements: &Value, schemes: &Value) -> Result<TokenStream, String> {
    let names: Vec<&String> = requirements
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|r| r.keys())
        .collect();
    if names.is_empty() {
        return Ok(quote!(None));
    }
    for name in &names {
        let definition = &schemes[name.as_str()];
        let kind = definition.get("type").and_then(Value::as_str);
        let variant = match kind {
            Some("http")
                if definition
                    .get("scheme")
                    .and_then(Value::as_str)
                    .is_some_and(|s| s.eq_ignore_ascii_case("bearer")) =>
            {
                "Bearer"
            }
            Some("apiKey")
                if definition.get("in").and_then(Value::as_str) == Some("header")
                    && definition
                        .get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.eq_ignore_ascii_case("authorization")) =>
            {
                "ApiKey"
            }
            _ => continue,
        };
        let variant = format_ident!("{variant}");
        return Ok(quote!(Some(crate::AuthScheme::#variant)));
    }
    Err(format!(
        "no security scheme the client can send among {names:?}: it sends `Authorization: Api-Key` (type apiKey, \
         in header, name Authorization) or `Bearer` (type http, scheme bearer)"
    ))
}
