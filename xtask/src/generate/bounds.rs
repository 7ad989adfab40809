//! Bounds: takes the model's request side (each operation's parameters, each sent schema's
//! properties), gives the bounds the client checks before it sends: `send()` refuses an argument
//! outside them, a body's builder a field outside them, with `Error::InvalidRequest` naming the
//! value and the bound (the support code's `crate::bounds`).
//!
//! Only values of a type `crate::bounds::Bounded` knows are checked (numbers, `String`, `Vec`,
//! `Option` of them): a string with a length or a pattern is a typify newtype, which checks
//! itself when built.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::model::Model;
use crate::naming::rust_name;

/// What the checks need of the model.
#[derive(Default)]
pub(crate) struct Bounded {
    /// By operation id: its bounded parameters, by the builder's name for them.
    pub(crate) arguments: BTreeMap<String, Vec<Check>>,
    /// By type name: its bounded properties, by JSON name.
    pub(crate) fields: BTreeMap<String, Vec<Check>>,
}

/// One bounded value: its name and a `crate::bounds::Bounds { .. }` expression.
pub(crate) struct Check {
    pub(crate) name: String,
    pub(crate) bounds: TokenStream,
}

/// The bounded parameters of every operation and properties of every sent schema.
pub(crate) fn found(model: &Model<'_>) -> Bounded {
    let mut bounded = Bounded::default();
    for call in &model.calls {
        let checks: Vec<Check> = call
            .parameters
            .iter()
            .filter_map(|parameter| {
                let name = argument_name(parameter.name);
                Some(Check { name, bounds: expression(parameter.schema?)? })
            })
            .collect();
        if !checks.is_empty() {
            bounded.arguments.insert(call.id.to_string(), checks);
        }
    }
    for schema in model.schemas.iter().filter(|schema| schema.sent()) {
        let properties = schema.value.get("properties").and_then(Value::as_object).into_iter().flatten();
        let checks: Vec<Check> = properties
            .filter_map(|(name, property)| Some(Check { name: name.clone(), bounds: expression(property)? }))
            .collect();
        if !checks.is_empty() {
            bounded.fields.insert(rust_name(schema.name), checks);
        }
    }
    bounded
}

/// progenitor's name for a parameter: snake case, a keyword given a trailing `_`.
fn argument_name(name: &str) -> String {
    let snake = heck::ToSnakeCase::to_snake_case(name);
    match syn::parse_str::<syn::Ident>(&snake) {
        Ok(_) => snake,
        Err(_) => format!("{snake}_"),
    }
}

/// `crate::bounds::Bounds { .. }` of the schema's own bounds (OpenAPI 3.0's: an exclusive bound
/// is `exclusiveMinimum: true` beside `minimum`); `None` without any.
pub(crate) fn expression(schema: &Value) -> Option<TokenStream> {
    let flag = |key: &str| schema.get(key).and_then(Value::as_bool).unwrap_or(false);
    let mut fields = Vec::new();
    for (key, field, exclusive) in
        [("minimum", "minimum", "exclusiveMinimum"), ("maximum", "maximum", "exclusiveMaximum")]
    {
        if let Some(value) = schema.get(key).and_then(Value::as_f64) {
            let (field, exclusive) = (format_ident!("{field}"), flag(exclusive));
            fields.push(quote!(#field: Some(crate::bounds::Limit { value: #value, exclusive: #exclusive })));
        }
    }
    let counts = [
        ("minLength", "min_length"),
        ("maxLength", "max_length"),
        ("minItems", "min_items"),
        ("maxItems", "max_items"),
    ];
    for (key, field) in counts {
        if let Some(value) = schema.get(key).and_then(Value::as_u64) {
            let field = format_ident!("{field}");
            fields.push(quote!(#field: Some(#value)));
        }
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        fields.push(quote!(pattern: Some(#pattern)));
    }
    (!fields.is_empty()).then(|| quote!(crate::bounds::Bounds { #(#fields,)* ..crate::bounds::Bounds::NONE }))
}

/// Whether `crate::bounds::Bounded` is implemented for `ty`, as progenitor and typify spell it.
pub(super) fn is_checkable(ty: &syn::Type) -> bool {
    let Some(last) = super::trees::last_ident(ty).map(ToString::to_string) else { return false };
    match last.as_str() {
        "Option" => super::trees::argument_of(ty, "Option").is_some_and(is_checkable),
        "Vec" | "String" | "NonZeroU64" => true,
        number => ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64"].contains(&number),
    }
}
