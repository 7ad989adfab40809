//! Waiters: takes the OpenAPI 3.0.3 document, gives the `Client::wait_for_*` methods for the
//! deployment reads it has (by id, development, production), each polling its get operation
//! through `crate::wait::poll`; none when the document has none of them, and then the crate
//! has no `wait` module either.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::naming::rust_name;
use crate::schema;

/// A deployment read the client can wait on: its route, the waiter's name, what it waits for.
struct Read {
    path: &'static str,
    waiter: &'static str,
    /// How the deployment is named in the waiter's docs and errors.
    what: &'static str,
}

const READS: &[Read] = &[
    Read {
        path: "/v1/models/{model_id}/deployments/{deployment_id}",
        waiter: "wait_for_deployment",
        what: "deployment",
    },
    Read {
        path: "/v1/models/{model_id}/deployments/development",
        waiter: "wait_for_development_deployment",
        what: "development deployment",
    },
    Read {
        path: "/v1/models/{model_id}/deployments/production",
        waiter: "wait_for_production_deployment",
        what: "production deployment",
    },
];

/// The waiters' `impl Client` block, or `None` when the document has no deployment read whose
/// answer carries a `status`.
pub(super) fn waiters(document: &Value) -> Option<TokenStream> {
    let methods: Vec<TokenStream> = READS.iter().filter_map(|read| waiter(document, read)).collect();
    if methods.is_empty() {
        return None;
    }
    Some(quote! {
        impl Client {
            #(#methods)*
        }
    })
}

/// Whether the crate for `document` has waiters (and so the `wait` module).
pub(super) fn any(document: &Value) -> bool {
    READS.iter().any(|read| waiter(document, read).is_some())
}

fn waiter(document: &Value, read: &Read) -> Option<TokenStream> {
    let op = document.get("paths")?.get(read.path)?.get("get")?;
    let operation = op.get("operationId").and_then(Value::as_str)?;
    let answer = op.pointer("/responses/200/content/application~1json/schema")?;
    let name = answer.get("$ref").and_then(Value::as_str)?.rsplit('/').next()?;
    let answer_schema = schema::follow(document, answer);
    let has_status = answer_schema.pointer("/properties/status").is_some()
        && answer_schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|f| f == "status"));
    if !has_status {
        return None;
    }
    let ty = format_ident!("{}", rust_name(name));
    let (get, waiter) = (format_ident!("{operation}"), format_ident!("{}", read.waiter));
    let by_id = read.path.contains("{deployment_id}");
    let doc = format!(
        "Polls [`Client::{operation}`] until the {what} is ready (`ACTIVE`, or `SCALED_TO_ZERO` unless \
         [`Wait::active_only`](crate::Wait::active_only)), as [`Wait`](crate::Wait) says: a 404 in its first \
         seconds is a {what} not visible yet, a rate limit waits as the client's retry policy does, each poll is \
         a `tracing` event with the status seen. The error names the {what}, its last status and how long it waited.",
        what = read.what
    );
    let (params, args, named) = if by_id {
        (
            quote!(model_id: &str, deployment_id: &str,),
            quote!(.model_id(model_id).deployment_id(deployment_id)),
            quote!(format!("deployment {deployment_id} of model {model_id}")),
        )
    } else {
        let what = format!("{} of model {{model_id}}", read.what);
        (quote!(model_id: &str,), quote!(.model_id(model_id)), quote!(format!(#what)))
    };
    Some(quote! {
        #[doc = #doc]
        pub async fn #waiter(
            &self,
            #params
            wait: &crate::Wait,
        ) -> ::std::result::Result<types::#ty, crate::WaitError> {
            let get = || async move { self.#get() #args .send().await.map(ResponseValue::into_inner) };
            crate::wait::poll(#named, wait, get, |deployment| deployment.status.as_str()).await
        }
    })
}
