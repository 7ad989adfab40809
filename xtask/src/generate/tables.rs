//! Tables: takes the model of the OpenAPI 3.0.3 document, gives what the support code looks up
//! at run time: the default server, and each operation's auth scheme and route (for its span).

use crate::error::Error;
use crate::model::{Model, Scheme};
use crate::provenance::Provenance;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// `DEFAULT_BASE_URL`, `auth_scheme(operation_id)` and `route(operation_id)`; an operation whose security scheme the
/// client cannot send is an error on its page.
pub(crate) fn tables(model: &Model<'_>, provenance: &Provenance) -> Result<TokenStream, Error> {
    let server = model.server.unwrap_or("https://api.baseten.co").trim_end_matches('/');

    let mut arms = Vec::new();
    let mut routes = Vec::new();
    for call in &model.calls {
        let scheme = match &call.security {
            Some(schemes) => scheme(schemes).map_err(|e| provenance.error(&call.at, e))?,
            None => quote!(None),
        };
        let (id, path, method) = (call.id, call.path, call.method.to_string());
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

/// The scheme a security requirement list names: the first whose scheme the client can send.
fn scheme(schemes: &[Scheme<'_>]) -> Result<TokenStream, String> {
    if schemes.is_empty() {
        return Ok(quote!(None));
    }
    for scheme in schemes {
        let variant = match scheme.field("type") {
            Some("http") if scheme.field("scheme").is_some_and(|s| s.eq_ignore_ascii_case("bearer")) => "Bearer",
            Some("apiKey")
                if scheme.field("in") == Some("header")
                    && scheme.field("name").is_some_and(|n| n.eq_ignore_ascii_case("authorization")) =>
            {
                "ApiKey"
            }
            _ => continue,
        };
        let variant = format_ident!("{variant}");
        return Ok(quote!(Some(crate::AuthScheme::#variant)));
    }
    let names: Vec<&str> = schemes.iter().map(|scheme| scheme.name).collect();
    Err(format!(
        "no security scheme the client can send among {names:?}: it sends `Authorization: Api-Key` (type apiKey, \
         in header, name Authorization) or `Bearer` (type http, scheme bearer)"
    ))
}
