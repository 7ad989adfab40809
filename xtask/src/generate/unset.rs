//! Unset: takes the rewritten client and the document progenitor read, gives the generated
//! crate's `tests/unset_fields.rs`: every struct a request sends, built through its builder with
//! only its required fields set, must serialize to exactly those fields. The docs' defaults are
//! the server's business, so nothing the caller left unset may reach the wire.

use std::collections::BTreeMap;

use quote::{format_ident, quote};
use serde_json::Value;

use super::surface::{Setter, Surface};
use super::values::{self, raw_string};
use crate::error::Error;
use crate::model::{Model, Schema};
use crate::naming::rust_name;
use crate::provenance::Provenance;
use crate::schema;

/// The test file's path in the crate.
pub(crate) const FILE: &str = "tests/unset_fields.rs";

/// One request type's case: its Rust name, each required field's setter, type and value.
struct Case {
    name: String,
    fields: Vec<Field>,
    expected: Value,
}

struct Field {
    setter: syn::Ident,
    ty: syn::Type,
    value: Value,
}

/// The test file, or an error naming a request type whose required property has no field.
pub(crate) fn tests(api: &syn::File, model: &Model<'_>, provenance: &Provenance) -> Result<String, Error> {
    let (surface, document) = (Surface::of(api), model.document);
    let mut cases = Vec::new();
    let objects_sent = model.schemas.iter().filter(|s| s.sent() && s.value.get("properties").is_some());
    for &Schema { name, value: schema, .. } in objects_sent {
        // typify makes some object schemas enums or newtypes: they have no builder to check.
        let Some(fields) = surface.struct_fields(&rust_name(name)) else { continue };
        let case = case(name, schema, &fields, document)
            .map_err(|e| provenance.error(&format!("/components/schemas/{}", schema::token(name)), e))?;
        cases.push(case);
    }
    let functions = cases.iter().map(test_function);
    let file: syn::File = syn::parse_quote! {
        //! Every type a request sends, built with only its required fields set, serializes to
        //! exactly those fields: the client sends only what its caller set.

        use baseten_management::types;

        /// `json` as the type a builder field takes.
        fn from<T: serde::de::DeserializeOwned>(json: &str) -> T {
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{json} is not a value of the field's type: {e}"))
        }

        #[track_caller]
        fn check<T: serde::Serialize>(name: &str, built: T, expected: &str) {
            let actual = serde_json::to_value(&built).expect("a built value serializes");
            let expected: serde_json::Value = serde_json::from_str(expected).expect("the expected JSON parses");
            assert!(
                actual == expected,
                "{name} built with only its required fields set sends more than them:\n  sent     {actual}\n  expected {expected}"
            );
        }

        #(#functions)*
    };
    Ok(prettyplease::unparse(&file))
}

fn case(name: &str, schema: &Value, fields: &BTreeMap<String, Setter>, document: &Value) -> Result<Case, String> {
    let properties = schema.get("properties").and_then(Value::as_object);
    let required = schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
    let mut out = Vec::new();
    let mut expected = serde_json::Map::new();
    for property in required {
        let Some(Setter { name: setter, takes: ty }) = fields.get(property) else {
            return Err(format!("`{name}` requires `{property}`, which its Rust struct has no field for"));
        };
        let value = values::required(document, properties.and_then(|p| p.get(property)).unwrap_or(&Value::Null));
        expected.insert(property.to_string(), value.clone());
        out.push(Field { setter: setter.clone(), ty: ty.clone(), value });
    }
    Ok(Case { name: rust_name(name), fields: out, expected: Value::Object(expected) })
}

fn test_function(case: &Case) -> syn::Item {
    let name = &case.name;
    let ty = format_ident!("{name}");
    let function = format_ident!("{}", heck::ToSnakeCase::to_snake_case(name.as_str()));
    let setters = case.fields.iter().map(|Field { setter, ty, value }| {
        let json = raw_string(&value.to_string());
        quote!(.#setter(from::<#ty>(#json)))
    });
    let expected = raw_string(&case.expected.to_string());
    let failed = format!("{name}: the builder rejects its required fields");
    syn::parse_quote! {
        #[test]
        fn #function() {
            let built: types::#ty = types::#ty::builder() #(#setters)* .try_into().expect(#failed);
            check(#name, built, #expected);
        }
    }
}
