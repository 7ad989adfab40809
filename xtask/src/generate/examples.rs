//! Examples: takes the model's component schemas and the client's types, gives each type a value
//! built from the API reference's own examples (`mock::Example`, the `mock` feature), for a
//! test's fixtures, and the generated test that each decodes and survives a round trip.
//!
//! A property's `example` comes first, then its documented `default`; a required property with
//! neither gets a placeholder of its type (its first enum value, the least number its bounds
//! allow, a fixed date, the property's name as a string, a list of one item); an optional one without
//! an example is left out. A type whose required part cannot be built (a pattern no placeholder
//! is known to match, a required cycle) gets no example.

use std::collections::{BTreeMap, BTreeSet};

use quote::format_ident;
use serde_json::{Map, Value, json};

use crate::model::Model;
use crate::naming::rust_name;

/// Where the generated test goes in `generated/`.
pub(super) const FILE: &str = "tests/examples.rs";

/// The `impl Example` items for `mock.rs` and the test of [`FILE`], printed.
pub(super) struct Examples {
    pub(super) impls: String,
    pub(super) test: String,
}

/// Each type's example, and their test.
pub(super) fn generate(model: &Model<'_>, api: &syn::File, renames: &[(String, String)]) -> Examples {
    let defined = defined_types(api);
    let renamed: BTreeMap<&str, &str> = renames.iter().map(|(from, to)| (from.as_str(), to.as_str())).collect();
    let mut impls: Vec<syn::Item> = Vec::new();
    let mut checks: Vec<syn::Stmt> = Vec::new();
    for schema in &model.schemas {
        let name = rust_name(schema.name);
        let name = renamed.get(name.as_str()).map_or(name.clone(), |to| (*to).to_string());
        if !defined.contains(&name) {
            continue;
        }
        let Some(value) =
            Builder { document: model.document, visiting: Vec::new(), property: "example" }.value(schema.value)
        else {
            continue;
        };
        let (ty, json) = (format_ident!("{name}"), super::values::raw_string(&value.to_string()));
        impls.push(syn::parse_quote! {
            impl crate::answers::Example for crate::types::#ty {
                fn example() -> Self {
                    crate::answers::from_example(#json)
                }
            }
        });
        checks.push(syn::parse_quote!(round_trip::<types::#ty>(#name);));
    }
    let impls = prettyplease::unparse(&syn::parse_quote!(#(#impls)*));
    let test: syn::File = syn::parse_quote! {
        //! Every type's `Example` (built from the API reference's examples) decodes, and comes back
        //! the same through a round trip: a test's fixture is a value the client reads.

        use baseten_management::mock::Example;
        use baseten_management::types;

        #[track_caller]
        fn round_trip<T: Example + serde::Serialize + serde::de::DeserializeOwned>(name: &str) {
            let json = serde_json::to_value(T::example()).unwrap_or_else(|e| panic!("{name}'s example: {e}"));
            let back: T = serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{name}'s example: {e}"));
            let again = serde_json::to_value(back).unwrap_or_else(|e| panic!("{name}'s example: {e}"));
            assert!(again == json, "{name}'s example changes in a round trip:\n  {json}\n  {again}");
        }

        #[test]
        fn every_example_decodes_and_survives_a_round_trip() {
            #(#checks)*
        }
    };
    Examples { impls, test: prettyplease::unparse(&test) }
}

/// The structs and enums the client's `types` module defines (not its aliases).
fn defined_types(api: &syn::File) -> BTreeSet<String> {
    let types = super::trees::module(&api.items, "types").unwrap_or(&[]);
    types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) => Some(item.ident.to_string()),
            syn::Item::Enum(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// Builds one example, following `$ref`s; `visiting` the components on the way, so a required
/// cycle gives no example instead of recursing forever.
struct Builder<'a> {
    document: &'a Value,
    visiting: Vec<&'a str>,
    /// The property being built, whose name a placeholder string takes.
    property: &'a str,
}

impl<'a> Builder<'a> {
    fn value(&mut self, schema: &'a Value) -> Option<Value> {
        if let Some(example) = schema.get("example") {
            return Some(example.clone());
        }
        if let Some(default) = schema.get("default").filter(|d| !d.is_null()) {
            return Some(default.clone());
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            return self.component(reference);
        }
        if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|values| values.first()) {
            return Some(first.clone());
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(members) = schema.get(key).and_then(Value::as_array) {
                return members.iter().find_map(|member| self.value(member));
            }
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("object") | None if schema.get("properties").is_some() => self.object(schema),
            Some("object") => Some(json!({})),
            Some("array") => self.array(schema),
            Some("string") => placeholder_string(schema, self.property),
            Some("integer" | "number") => Some(least_number(schema)),
            Some("boolean") => Some(json!(false)),
            _ => None,
        }
    }

    fn component(&mut self, reference: &'a str) -> Option<Value> {
        let target = self.document.pointer(reference.strip_prefix('#')?)?;
        if self.visiting.contains(&reference) {
            return None;
        }
        self.visiting.push(reference);
        let value = self.value(target);
        self.visiting.pop();
        value
    }

    fn object(&mut self, schema: &'a Value) -> Option<Value> {
        let required: Vec<&str> = crate::schema::required_names(schema);
        let mut out = Map::new();
        for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
            let documented = property.get("example").is_some();
            self.property = name;
            if required.contains(&name.as_str()) {
                out.insert(name.clone(), self.value(property)?);
            } else if documented && let Some(value) = self.value(property) {
                out.insert(name.clone(), value);
            }
        }
        Some(Value::Object(out))
    }

    /// A list of one item where its item can be built, else an empty one (unless it must have
    /// items).
    fn array(&mut self, schema: &'a Value) -> Option<Value> {
        match schema.get("items").and_then(|items| self.value(items)) {
            Some(item) => Some(json!([item])),
            None if schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) == 0 => Some(json!([])),
            None => None,
        }
    }
}

/// A string for a required property without an example: a date for a date, else a word its
/// length bounds allow (the property's name); `None` for a pattern (no placeholder is known to match it).
fn placeholder_string(schema: &Value, property: &str) -> Option<Value> {
    if schema.get("pattern").is_some() {
        return None;
    }
    let text = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => "2026-01-01T00:00:00Z".to_string(),
        Some("date") => "2026-01-01".to_string(),
        Some("uri" | "url") => "https://example.com".to_string(),
        _ => {
            let word = property.to_string();
            let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
            let max = schema.get("maxLength").and_then(Value::as_u64).map_or(usize::MAX, |max| max as usize);
            let word = if word.is_empty() { "example".to_string() } else { word };
            let padded = format!("{word:x<min$}");
            padded.chars().take(max).collect()
        }
    };
    Some(Value::String(text))
}

/// The least number the schema's bounds allow (0 without any).
fn least_number(schema: &Value) -> Value {
    let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
    let minimum = schema.get("minimum").and_then(Value::as_f64);
    let exclusive = schema.get("exclusiveMinimum").and_then(Value::as_bool).unwrap_or(false);
    let maximum = schema.get("maximum").and_then(Value::as_f64);
    let least = match (minimum, maximum) {
        (Some(min), _) if exclusive => min + 1.0,
        (Some(min), _) => min,
        (None, Some(max)) if max < 0.0 => max,
        _ => 0.0,
    };
    match integer {
        true => json!(least as i64),
        false => json!(least),
    }
}
