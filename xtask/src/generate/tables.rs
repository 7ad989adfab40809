//! Tables: takes the model of the OpenAPI 3.0.3 document, gives what the support code looks up
//! at run time: the default server, and each operation's auth scheme and route (for its span).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::model::Model;
use crate::error::Error;
use crate::provenance::Provenance;

/// `DEFAULT_BASE_URL`, `auth_scheme(operation_id)` and `route(operation_id)`; an operation whose security scheme the
/// client cannot send is an error on its page.
pub(crate) fn tables(model: &Model<'_>, provenance: &Provenance) -> Result<TokenStream, Error> {
    let document = model.document;
    let server = document.pointer("/servers/0/url").and_then(Value::as_str).unwrap_or("https://api.baseten.co");
    let server = server.trim_end_matches('/');
    let schemes = document.pointer("/components/securitySchemes").cloned().unwrap_or(Value::Null);

    let mut arms = Vec::new();
    let mut routes = Vec::new();
    for call in &model.calls {
        let scheme = match call.security {
            Some(requirements) => scheme(requirements, &schemes).map_err(|e| provenance.error(&call.at, e))?,
            None => quote!(None),
        };
        let (id, path, method) = (call.id, call.path, call.method.to_uppercase());
        arms.push(quote!(#id => #scheme,));
        routes.push(quote!(#id => crate::call::Route { method: #method, template: #path },));
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

        /// The method and URL template each operation's page declares.
        pub(crate) fn route(operation_id: &str) -> ::std::option::Option<crate::call::Route> {
            ::std::option::Option::Some(match operation_id {
                #(#routes)*
                _ => return None,
            })
        }
    })
}

/// The scheme a security requirement list names: the first requirement whose scheme the
/// client can send.
fn scheme(requirements: &Value, schemes: &Value) -> Result<TokenStream, String> {
    let names = crate::schema::requirement_names(requirements);
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
