//! Unset: takes the rewritten client and the document progenitor read, gives the generated
//! crate's `tests/unset_fields.rs`: every struct a request sends, built through its builder with
//! only its required fields set, must serialize to exactly those fields. The docs' defaults are
//! the server's business, so nothing the caller left unset may reach the wire.

use std::collections::BTreeMap;

use quote::{format_ident, quote};
use serde_json::Value;
use syn::visit_mut::VisitMut;

use super::rewrite::serde_rename;
use super::values;
use crate::direction::Directions;
use crate::error::Error;
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
pub(crate) fn tests(api: &syn::File, document: &Value, provenance: &Provenance) -> Result<String, Error> {
    let structs = Structs::of(api);
    let directions = Directions::of_document(document);
    let schemas = document.pointer("/components/schemas").and_then(Value::as_object).into_iter().flatten();
    let mut cases = Vec::new();
    for (name, schema) in schemas.filter(|(name, s)| directions.sent(name) && s.get("properties").is_some()) {
        // typify makes some object schemas enums or newtypes: they have no builder to check.
        let Some(fields) = structs.fields(&rust_name(name)) else { continue };
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

fn case(
    name: &str,
    schema: &Value,
    fields: &BTreeMap<String, (syn::Ident, syn::Type)>,
    document: &Value,
) -> Result<Case, String> {
    let properties = schema.get("properties").and_then(Value::as_object);
    let required = schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str);
    let mut out = Vec::new();
    let mut expected = serde_json::Map::new();
    for property in required {
        let Some((setter, ty)) = fields.get(property) else {
            return Err(format!("`{name}` requires `{property}`, which its Rust struct has no field for"));
        };
        let value = values::smallest(document, properties.and_then(|p| p.get(property)).unwrap_or(&Value::Null));
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

/// `text` as a raw string literal, with as many `#`s as it needs: JSON reads better unescaped.
fn raw_string(text: &str) -> proc_macro2::Literal {
    let hashes = (1..).map(|n| "#".repeat(n)).find(|h| !text.contains(&format!("\"{h}"))).unwrap_or_default();
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(text))
}

/// The structs of the client's `types` module: for each, its JSON property names with the
/// builder's setter and the field's type, as a test outside the crate writes it.
struct Structs<'a> {
    types: &'a [syn::Item],
    builders: &'a [syn::Item],
}

impl<'a> Structs<'a> {
    fn of(api: &'a syn::File) -> Self {
        let types = module(&api.items, "types");
        Structs { types, builders: module(types, "builder") }
    }

    fn fields(&self, name: &str) -> Option<BTreeMap<String, (syn::Ident, syn::Type)>> {
        let declared = find_struct(self.types, name)?;
        let builder = find_struct(self.builders, name)?;
        let mut out = BTreeMap::new();
        for field in &declared.fields {
            let ident = field.ident.clone()?;
            let property = serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string());
            let built = builder.fields.iter().find(|f| f.ident.as_ref() == Some(&ident))?;
            out.insert(property, (ident, outside_the_crate(ok_type(&built.ty)?)));
        }
        Some(out)
    }
}

fn module<'a>(items: &'a [syn::Item], name: &str) -> &'a [syn::Item] {
    items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == name => module.content.as_ref().map(|(_, items)| &items[..]),
            _ => None,
        })
        .unwrap_or(&[])
}

fn find_struct<'a>(items: &'a [syn::Item], name: &str) -> Option<&'a syn::ItemStruct> {
    items.iter().find_map(|item| match item {
        syn::Item::Struct(s) if s.ident == name && matches!(s.fields, syn::Fields::Named(_)) => Some(s),
        _ => None,
    })
}

/// `T` of a builder field's `Result<T, String>`.
fn ok_type(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last().filter(|s| s.ident == "Result")?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first()? {
        syn::GenericArgument::Type(ok) => Some(ok.clone()),
        _ => None,
    }
}

/// A type as `types::builder` writes it (`super::X`, `crate::types::X`), as a test outside
/// the crate must (`baseten_management::types::X`).
fn outside_the_crate(mut ty: syn::Type) -> syn::Type {
    struct Paths;
    impl VisitMut for Paths {
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            let first = path.segments.first().map(|s| s.ident.to_string());
            let prefix: Option<syn::Path> = match first.as_deref() {
                Some("super") => Some(syn::parse_quote!(::baseten_management::types)),
                Some("crate") => Some(syn::parse_quote!(::baseten_management)),
                _ => None,
            };
            if let Some(prefix) = prefix {
                let rest = path.segments.iter().skip(1).cloned();
                let mut segments = prefix.segments;
                segments.extend(rest);
                *path = syn::Path { leading_colon: prefix.leading_colon, segments };
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    Paths.visit_type_mut(&mut ty);
    ty
}
