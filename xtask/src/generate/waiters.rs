//! Waiters: takes the model of the OpenAPI 3.0.3 document, gives the `Client::wait_for_*` methods for the
//! deployment reads it has (by id, development, production), each polling its get operation
//! through `crate::wait::poll`; none when the document has none of them, and then the crate
//! has no `wait` module either. The crate's `tests/waiters.rs` drives each against mocks.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::model::Model;
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

/// A deployment read the document has: the read, its operation, its answer's type and a value
/// of it (for the tests).
pub(super) struct Found<'a> {
    read: &'static Read,
    operation: String,
    answer: String,
    /// The answer's schema, followed.
    schema: &'a Value,
    value: Value,
}

/// What to wait on after each action that starts a deployment on its way: the waiters' block
/// docs. Operations in code spans, not links: a document may lack some of them.
const AFTER_EACH_ACTION: &str = "\
Polls a deployment read until the deployment is ready or has failed: see [`crate::Wait`].

What to wait on after each action:

| after | wait on | why |
|---|---|---|
| `create_deployment` | `wait_for_deployment(model_id, &created.deployment.id, ..)` | the answer names the new deployment |
| `promote_development_deployment`, `promote_deployment` | `wait_for_promotion(model_id, &promoted.id, \"production\", ..)` | the answer is the deployment being promoted; production stays the previous deployment (already `ACTIVE`) until this one is ready, so waiting on production would return at once |
| `promote_environment` | `wait_for_promotion(model_id, &promoted.id, env_name, ..)` | as above, for that environment |
| `activate_*_deployment`, `retry_*_deployment` | the same deployment: `wait_for_deployment`, `wait_for_development_deployment` or `wait_for_production_deployment`, with [`Wait::active_only`](crate::Wait::active_only) | the answer says only that the request was taken; `SCALED_TO_ZERO` would count as ready |
| `update_environment`, `update_*_autoscaling_settings` | the deployment the settings apply to (`current_deployment` of `get_environment`), with `wait_for_deployment` | it goes `UPDATING`, then back to `ACTIVE` |
";

/// The waiters' `impl Client` block, or `None` when the document has no deployment read whose
/// answer carries a `status`.
pub(super) fn waiters(found: &[Found<'_>]) -> Option<TokenStream> {
    let mut methods: Vec<TokenStream> = found.iter().map(waiter).collect();
    if methods.is_empty() {
        return None;
    }
    methods.extend(found.iter().find(|f| can_follow_a_promotion(f)).map(promotion_waiter));
    let heading = format!("# Waiting for deployments\n\n{AFTER_EACH_ACTION}");
    Some(quote! {
        #[doc = #heading]
        impl Client {
            #(#methods)*
        }
    })
}

/// Whether the document gives the client a `wait_for_promotion`.
pub(super) fn can_wait_for_promotion(found: &[Found<'_>]) -> bool {
    found.iter().any(can_follow_a_promotion)
}

/// Whether `found` reads a deployment by id whose answer says which environment it serves
/// (`environment`, an `Option`: optional or nullable) and whether it is production (`is_production`, required): what
/// [`promotion_waiter`] reads.
fn can_follow_a_promotion(found: &Found<'_>) -> bool {
    let (schema, by_id) = (found.schema, found.read.path.contains("{deployment_id}"));
    let kind = |field: &str| schema.pointer(&format!("/properties/{field}/type")).and_then(Value::as_str);
    by_id
        && kind("is_production") == Some("boolean")
        && schema::requires(schema, "is_production")
        && kind("environment") == Some("string")
        && (!schema::requires(schema, "environment")
            || schema.pointer("/properties/environment/nullable") == Some(&Value::Bool(true)))
}

/// `wait_for_promotion`: the deployment by id until it is ready *and* serves the environment.
fn promotion_waiter(found: &Found<'_>) -> TokenStream {
    let ty = format_ident!("{}", found.answer);
    let get = format_ident!("{}", found.operation);
    let doc = format!(
        "Polls [`Client::{}`] until the deployment is ready and serves `environment` (`\"production\"` after \
         `promote_development_deployment` or `promote_deployment`; the environment's name after \
         `promote_environment`). A promotion answers the deployment it builds, while the environment keeps its \
         previous deployment until this one is ready: wait on the id the promotion answered. Otherwise as \
         [`Client::wait_for_deployment`]; the error names the deployment and the environment.",
        found.operation
    );
    quote! {
        #[doc = #doc]
        pub async fn wait_for_promotion(
            &self,
            model_id: &str,
            deployment_id: &str,
            environment: &str,
            wait: &crate::Wait,
        ) -> ::std::result::Result<types::#ty, crate::WaitError> {
            let get = || async move {
                self.#get().model_id(model_id).deployment_id(deployment_id).send().await.map(ResponseValue::into_inner)
            };
            let arrived = |deployment: &types::#ty| {
                deployment.environment.as_deref() == Some(environment)
                    || (environment == "production" && deployment.is_production)
            };
            let named = format!("deployment {deployment_id} of model {model_id}, promoted to {environment},");
            crate::wait::poll(named, wait, get, |deployment| deployment.status.as_str(), arrived).await
        }
    }
}

/// The deployment reads the document has, in the waiters' order.
pub(super) fn found<'a>(model: &Model<'a>) -> Vec<Found<'a>> {
    READS.iter().filter_map(|read| find(model, read)).collect()
}

fn find<'a>(model: &Model<'a>, read: &'static Read) -> Option<Found<'a>> {
    let (document, call) = (model.document, model.call("get", read.path)?);
    let operation = call.id.to_string();
    let answer = call.answer?;
    let name = answer.get("$ref").and_then(Value::as_str)?.rsplit('/').next()?;
    let answer_schema = schema::follow(document, answer);
    let has_status = answer_schema.pointer("/properties/status").is_some() && schema::requires(answer_schema, "status");
    has_status.then(|| Found {
        read,
        operation,
        answer: rust_name(name),
        schema: answer_schema,
        value: super::values::required(document, answer_schema),
    })
}

fn waiter(found: &Found<'_>) -> TokenStream {
    let (read, operation) = (found.read, &found.operation);
    let ty = format_ident!("{}", found.answer);
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
    quote! {
        #[doc = #doc]
        pub async fn #waiter(
            &self,
            #params
            wait: &crate::Wait,
        ) -> ::std::result::Result<types::#ty, crate::WaitError> {
            let get = || async move { self.#get() #args .send().await.map(ResponseValue::into_inner) };
            crate::wait::poll(#named, wait, get, |deployment| deployment.status.as_str(), |_| true).await
        }
    }
}

/// `wait_for_promotion`: ready and not yet production is waited through, to production; for
/// another environment, to that environment.
fn promotion_test(found: &Found<'_>) -> syn::ItemFn {
    let answer = super::values::raw_string(&found.value.to_string());
    syn::parse_quote! {
        #[tokio::test]
        async fn wait_for_promotion_waits_until_the_deployment_serves_the_environment() {
            let path = "/v1/models/m1/deployments/d1";
            let served = serve(path, #answer, &[
                Some(json!({ "status": "BUILDING", "is_production": false, "environment": null })),
                Some(json!({ "status": "ACTIVE", "is_production": false, "environment": null })),
                Some(json!({ "status": "ACTIVE", "is_production": true, "environment": "production" })),
            ])
            .await;
            let promoted = served.client.wait_for_promotion("m1", "d1", "production", &quick()).await.expect("production");
            assert_eq!((promoted.is_production, served.sequence.answered()), (true, 3));

            let served = serve(path, #answer, &[
                Some(json!({ "status": "ACTIVE", "is_production": false, "environment": null })),
                Some(json!({ "status": "ACTIVE", "is_production": false, "environment": "staging" })),
            ])
            .await;
            let wait = quick().deadline(Duration::from_secs(30));
            let staged = served.client.wait_for_promotion("m1", "d1", "staging", &wait).await.expect("staging");
            assert_eq!((staged.environment.as_deref(), served.sequence.answered()), (Some("staging"), 2));

            let served = serve(path, #answer, &[Some(json!({ "status": "ACTIVE", "is_production": false }))]).await;
            let wait = quick().deadline(Duration::from_millis(50));
            let error = served.client.wait_for_promotion("m1", "d1", "production", &wait).await.expect_err("never production");
            assert!(matches!(error.kind, WaitErrorKind::TimedOut), "{error:?}");
            assert!(error.to_string().starts_with("deployment d1 of model m1, promoted to production,"), "{error}");
        }
    }
}

/// The test file's path in the crate.
pub(super) const FILE: &str = "tests/waiters.rs";

/// `tests/waiters.rs`: each waiter through a 404, `BUILDING`, `SCALED_TO_ZERO`, `WAKING_UP` to
/// `ACTIVE` (waiting for `ACTIVE` only), then to a `BUILD_STOPPED` it names; `None` without
/// waiters.
pub(super) fn tests(found: &[Found<'_>]) -> Option<String> {
    if found.is_empty() {
        return None;
    }
    let mut cases: Vec<syn::ItemFn> = found.iter().map(test_function).collect();
    cases.extend(found.iter().find(|f| can_follow_a_promotion(f)).map(promotion_test));
    let file: syn::File = syn::parse_quote! {
        //! Each deployment waiter against mocks: a 404 (not visible yet), then `BUILDING`,
        //! `SCALED_TO_ZERO`, `WAKING_UP`, `ACTIVE` when waiting for `ACTIVE` only; a
        //! `BUILD_STOPPED` is an error naming the deployment; a promotion is waited for until the
        //! deployment serves its environment. Needs the `mock` feature (`Cargo.toml` says so).

        use std::time::Duration;

        use baseten_management::mock::httpmock::Method::GET;
        use baseten_management::mock::{self, MockServer, Sequence};
        use baseten_management::{Client, Wait, WaitErrorKind};
        use serde_json::{json, Value};

        /// A mock server answering one path in turn, the answers it gave, and a client of it.
        struct Served {
            _server: MockServer,
            sequence: Sequence,
            client: Client,
        }

        /// Serves `path` in turn: a 404 for `None`, else `answer` with the fields of the change.
        async fn serve(path: &str, answer: &str, changes: &[Option<Value>]) -> Served {
            let (server, sequence) = (MockServer::start_async().await, Sequence::new());
            for change in changes {
                let mut body: Value = serde_json::from_str(answer).expect("an answer");
                server.mock(|when, then| {
                    sequence.step(when.method(GET).path(path));
                    let Some(change) = change else {
                        then.status(404).json_body(json!({ "error": "not found" }));
                        return;
                    };
                    for (field, value) in change.as_object().expect("fields") {
                        body[field] = value.clone();
                    }
                    then.status(200).json_body(body);
                });
            }
            let client = mock::client_builder(&server).build().expect("a client");
            Served { _server: server, sequence, client }
        }

        /// Each status as a change of the answer; `None` a 404.
        fn statuses(statuses: &[Option<&str>]) -> Vec<Option<Value>> {
            statuses.iter().map(|status| status.map(|status| json!({ "status": status }))).collect()
        }

        fn quick() -> Wait {
            Wait::default().interval(Duration::from_millis(1))
        }

        #(#cases)*
    };
    Some(prettyplease::unparse(&file))
}

fn test_function(found: &Found<'_>) -> syn::ItemFn {
    let waiter = format_ident!("{}", found.read.waiter);
    let name = format_ident!("{}_waits_for_active_and_names_a_failure", found.read.waiter);
    let path = found.read.path.replace("{model_id}", "m1").replace("{deployment_id}", "d1");
    let by_id = found.read.path.contains("{deployment_id}");
    let args = if by_id { quote!("m1", "d1",) } else { quote!("m1",) };
    let what = if by_id { "deployment d1 of model m1".to_string() } else { format!("{} of model m1", found.read.what) };
    let answer = super::values::raw_string(&found.value.to_string());
    syn::parse_quote! {
        #[tokio::test]
        async fn #name() {
            let changes = statuses(&[None, Some("BUILDING"), Some("SCALED_TO_ZERO"), Some("WAKING_UP"), Some("ACTIVE")]);
            let served = serve(#path, #answer, &changes).await;
            let ready = served.client.#waiter(#args &quick().active_only()).await.expect("ACTIVE in the end");
            assert_eq!((ready.status.as_str(), served.sequence.answered()), ("ACTIVE", 5));

            let served = serve(#path, #answer, &statuses(&[Some("BUILDING"), Some("BUILD_STOPPED")])).await;
            let error = served.client.#waiter(#args &quick()).await.expect_err("BUILD_STOPPED");
            assert!(matches!(error.kind, WaitErrorKind::Failed { retryable: false }), "{error:?}");
            assert_eq!(error.last_status(), Some("BUILD_STOPPED"));
            assert!(error.to_string().starts_with(#what), "{error}");
        }
    }
}
