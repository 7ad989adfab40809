//! Contract: takes the rewritten client and the model of the document progenitor read, gives the generated
//! crate's `tests/contract/cases.rs`: for every operation, a call through the typed client with
//! schema-valid arguments (its required ones; and a second case with every optional one too),
//! its body built through its typed builder. `tests/contract.rs` runs them against Prism.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::surface::{Setter, Surface};
use super::values;
use crate::error::Error;
use crate::model::{Call, Model};
use crate::naming::rust_name;
use crate::provenance::Provenance;
use crate::schema;

/// The cases' path in the crate.
pub(crate) const FILE: &str = "tests/contract/cases.rs";

/// Which arguments a case sets.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Arguments {
    Required,
    Every,
}

impl Arguments {
    fn label(self) -> &'static str {
        match self {
            Arguments::Required => "required arguments",
            Arguments::Every => "every argument",
        }
    }

    fn value(self, document: &Value, schema: &Value) -> Value {
        match self {
            Arguments::Required => values::required(document, schema),
            Arguments::Every => values::complete(document, schema),
        }
    }
}

/// The cases file; an error, on the operation's page, when the client lacks a setter a
/// parameter or a body field needs.
pub(crate) fn cases(api: &syn::File, model: &Model<'_>, provenance: &Provenance) -> Result<String, Error> {
    let (surface, document) = (Surface::of(api), model.document);
    let mut calls = Vec::new();
    for operation in &model.calls {
        let setters = |arguments| setters(&surface, document, operation, arguments);
        let required = setters(Arguments::Required).map_err(|e| provenance.error(&operation.at, e))?;
        let every = setters(Arguments::Every).map_err(|e| provenance.error(&operation.at, e))?;
        let differs = required.to_string() != every.to_string();
        calls.push(call(operation, Arguments::Required, required));
        if differs {
            calls.push(call(operation, Arguments::Every, every));
        }
    }
    let file: syn::File = syn::parse_quote! {
        //! The contract cases: every operation through the typed client, with its required
        //! arguments, and again with every argument where it has optional ones.

        use super::prism::{Case, outcome};

        /// `json` as the type an argument or a field takes.
        fn from<T: serde::de::DeserializeOwned>(json: &str) -> T {
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{json} is not a value of the argument's type: {e}"))
        }

        pub(crate) fn cases() -> Vec<Case> {
            Vec::from([#(#calls),*])
        }
    };
    Ok(prettyplease::unparse(&file))
}

/// The builder calls that set `arguments` of `operation`: `.model_id(from::<String>("\"x\""))`.
fn setters(
    surface: &Surface<'_>,
    document: &Value,
    operation: &Call<'_>,
    arguments: Arguments,
) -> Result<TokenStream, String> {
    let setters = surface
        .arguments(operation.id)
        .ok_or_else(|| format!("the client has no operation `{}` with an argument builder", operation.id))?;
    let mut out = TokenStream::new();
    for parameter in &operation.parameters {
        let name = parameter.name;
        if !parameter.required && arguments == Arguments::Required {
            continue;
        }
        let setter = heck::ToSnakeCase::to_snake_case(name);
        let ty = setters.get(&setter).ok_or_else(|| format!("the builder has no setter `{setter}` for `{name}`"))?;
        let value = arguments.value(document, parameter.schema.unwrap_or(&Value::Null));
        let (setter, json) = (format_ident!("{setter}"), values::raw_string(&value.to_string()));
        out.extend(quote!(.#setter(from::<#ty>(#json))));
    }
    if let Some(body) = operation.body.as_ref().and_then(|body| body.schema) {
        let ty = setters.get("body").ok_or("the builder has no `body` setter")?;
        let value = body_value(surface, document, body, ty, arguments)?;
        out.extend(quote!(.body(#value)));
    }
    Ok(out)
}

/// The request body: through the typed builder of its struct, each field set from JSON; a body
/// that is no struct with a builder (a map, a union) from JSON whole.
fn body_value(
    surface: &Surface<'_>,
    document: &Value,
    body: &Value,
    ty: &syn::Type,
    arguments: Arguments,
) -> Result<TokenStream, String> {
    let component = body.get("$ref").and_then(Value::as_str).and_then(schema::component_ref);
    let schema = schema::follow(document, body);
    let fields = component.as_ref().and_then(|(_, name)| surface.struct_fields(&rust_name(name)));
    let Some(fields) = fields else {
        let json = values::raw_string(&arguments.value(document, body).to_string());
        return Ok(quote!(from::<#ty>(#json)));
    };
    let required: Vec<&str> = crate::schema::required_names(schema);
    let properties = schema.get("properties").and_then(Value::as_object);
    let mut out = quote!(#ty::builder());
    for (property, property_schema) in properties.into_iter().flatten() {
        if arguments == Arguments::Required && !required.contains(&property.as_str()) {
            continue;
        }
        let Setter { name: setter, takes: field_ty } =
            fields.get(property).ok_or_else(|| format!("the body's builder has no field for `{property}`"))?;
        let json = values::raw_string(&arguments.value(document, property_schema).to_string());
        out.extend(quote!(.#setter(from::<#field_ty>(#json))));
    }
    Ok(out)
}

fn call(operation: &Call<'_>, arguments: Arguments, setters: TokenStream) -> TokenStream {
    let (id, method, path) = (operation.id, operation.method.to_string(), operation.path);
    let client_method = format_ident!("{id}");
    let label = arguments.label();
    quote! {
        Case {
            operation: #id,
            method: #method,
            path: #path,
            arguments: #label,
            call: |client| outcome(client.#client_method() #setters .send()),
        }
    }
}
