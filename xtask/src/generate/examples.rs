//! Examples: takes the model's component schemas and the client's types, gives each type a value
//! built from the API reference's own examples (`mock::Example`, the `mock` feature), for a
//! test's fixtures, and the generated test that each decodes and survives a round trip.
//!
//! The values are [`values::documented`](super::values::documented)'s: a part's `example` first,
//! then its documented `default`; a required part with neither the value the generated tests
//! use; an optional one without an example left out.

use std::collections::{BTreeMap, BTreeSet};

use quote::format_ident;

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
        let value = super::values::documented(model.document, schema.value);
        if value.is_null() {
            continue;
        }
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
