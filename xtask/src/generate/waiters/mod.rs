//! Waiters: takes the model of the OpenAPI 3.0.3 document and the lifecycles of
//! `spec/lifecycles.txt`, gives a `Client::wait_for_*` method for each lifecycle read the
//! document has (three deployment reads, a training job, an environment's promotion, a chain
//! deployment), each polling its get operation through `crate::wait::poll` and with a
//! `wait_for_*_until` for after an action on what exists already, and the
//! `lifecycles` module of what each status means; none when the document has none of them, and
//! then the crate has no `wait` module either. The crate's `tests/waiters.rs` drives each
//! against mocks.

mod found;
mod reads;
mod tests;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use found::{can_follow_a_promotion, resource_format};

pub(super) use found::{Found, found};
pub(super) use tests::{FILE, tests};

/// What to wait on after each action that starts a deployment on its way: the waiters' block
/// docs. Operations in code spans, not links: a document may lack some of them.
const AFTER_EACH_ACTION: &str = "\
Each polls a read until what it waits on is ready or has failed, as `spec/lifecycles.txt` says \
what each status means (see [`crate::Wait`] and [`crate::lifecycles`]).

What to wait on after each action:

| after | wait on | why |
|---|---|---|
| `create_deployment` | `wait_for_deployment(model_id, &created.deployment.id, ..)` | the answer names the new deployment |
| `promote_development_deployment`, `promote_deployment` | `wait_for_promotion(model_id, &promoted.id, \"production\", ..)` | the answer is the deployment being promoted; production stays the previous deployment (already `ACTIVE`) until this one is ready, so waiting on production would return at once |
| `promote_environment` | `wait_for_promotion(model_id, &promoted.id, env_name, ..)`, then `wait_for_environment_promotion(model_id, env_name, ..)` | the first returns when the deployment is ready and serves the environment; the second when the environment's rollout (its traffic ramp) has finished: use it where the old deployment must have stopped serving |
| `activate_*_deployment`, `retry_*_deployment` | the same deployment: `wait_for_deployment_until`, `wait_for_development_deployment_until` or `wait_for_production_deployment_until`, with [`Wait::active_only`](crate::Wait::active_only), until its status is no longer the one it had | the answer says only that the request was taken: the first reads may still show `INACTIVE` or `FAILED`, which would end a plain wait; `SCALED_TO_ZERO` would count as ready |
| `update_environment`, `update_*_autoscaling_settings` | the deployment the settings apply to (`current_deployment` of `get_environment`), with `wait_for_deployment_until`, until its `autoscaling_settings` read what was sent; nothing, when the answer's status is `UNCHANGED` | it goes `UPDATING`, then back to `ACTIVE`, but the first reads may still be the `ACTIVE` of before |
| `create_training_job`, `recreate_training_job` | `wait_for_training_job(project_id, &job.id, ..)`, its logs with the logs call's `.follow()` | the job queues, runs and completes; a failure's `error_message` is in the error |
| `promote_chain_environment`, a chain deploy | `wait_for_chain_deployment(chain_id, &deployment.id, ..)` | ready when the chain deployment and every chainlet are |
";

/// The waiters' `impl Client` block and the `lifecycles` module, or `None` when the document
/// has no lifecycle read; `ended` names the lifecycles whose logs a follow ends with, each of
/// which gets a private `{lifecycle}_has_ended`.
pub(super) fn waiters(found: &[Found<'_>], ended: &[&str]) -> Option<TokenStream> {
    let mut methods: Vec<TokenStream> = found.iter().map(waiter).collect();
    if methods.is_empty() {
        return None;
    }
    methods.extend(found.iter().find(|f| can_follow_a_promotion(f)).map(promotion_waiter));
    for lifecycle in ended {
        methods.extend(found.iter().find(|found| found.lifecycle.name == *lifecycle).map(has_ended));
    }
    let heading = format!("# Waiting\n\n{AFTER_EACH_ACTION}");
    let lifecycles = reads::lifecycles_module(found);
    Some(quote! {
        #lifecycles

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

/// `wait_for_promotion`: the deployment by id until it is ready *and* serves the environment.
fn promotion_waiter(found: &Found<'_>) -> TokenStream {
    let ty = format_ident!("{}", found.answer);
    let get = format_ident!("{}", found.operation);
    let seen = reads::seen_function(found);
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
            #seen
            let get = || async move {
                self.#get().model_id(model_id).deployment_id(deployment_id).send().await.map(ResponseValue::into_inner)
            };
            let arrived = |deployment: &types::#ty| {
                deployment.environment.as_deref() == Some(environment)
                    || (environment == "production" && deployment.is_production)
            };
            let resource = format!("deployment {deployment_id} of model {model_id}, promoted to {environment},");
            crate::wait::poll(crate::wait::Watch { resource, seen }, wait, get, arrived, |_| true).await
        }
    }
}

/// `wait_for_*`, and `wait_for_*_until` that judges no status before the answer shows what an
/// action on an existing resource changed.
fn waiter(found: &Found<'_>) -> TokenStream {
    let operation = &found.operation;
    let ty = format_ident!("{}", found.answer);
    let (get, waiter) = (format_ident!("{operation}"), format_ident!("{}", found.waiter));
    let until = format_ident!("{}_until", found.waiter);
    let doc = format!(
        "Polls [`Client::{operation}`] until the {what} is ready ({ready}), as [`Wait`](crate::Wait) says and \
         [`lifecycles::{constant}`](crate::lifecycles::{constant}) classifies its statuses: a 404 in its first \
         seconds is a {what} not visible yet, a rate limit waits as the client's retry policy does, each poll is \
         a `tracing` event with the status seen. The error names the {what}, its last status and how long it \
         waited.{more}",
        what = found.what,
        ready = reads::ready_statuses(found),
        constant = reads::constant_name(found.lifecycles.owner_of_statuses(found.lifecycle)),
        more = reads::more_docs(found),
    );
    // The deployment's statuses show the stale reads; another lifecycle's docs name none.
    let stale = match found.lifecycle.name.as_str() {
        "deployment" => {
            " (`ACTIVE` before `UPDATING` after an update, `INACTIVE` before `WAKING_UP` after an activation)"
        }
        _ => "",
    };
    let until_doc = format!(
        "As [`Client::{waiter}`], after an action on a {what} that already exists, whose first reads may still \
         show it as it was{stale}: no status is judged until `until` holds of an answer. `until` says what the \
         action changes (the settings it sets, the status it leaves); an action that never shows ends in \
         [`WaitErrorKind::TimedOut`](crate::WaitErrorKind::TimedOut) with the last status.",
        what = found.what,
    );
    let params: Vec<syn::Ident> = found.arguments.iter().map(|argument| format_ident!("{argument}")).collect();
    let resource = resource_format(found);
    let seen = reads::seen_function(found);
    quote! {
        #[doc = #doc]
        pub async fn #waiter(
            &self,
            #(#params: &str,)*
            wait: &crate::Wait,
        ) -> ::std::result::Result<types::#ty, crate::WaitError> {
            self.#until(#(#params,)* wait, |_| true).await
        }
        #[doc = #until_doc]
        pub async fn #until(
            &self,
            #(#params: &str,)*
            wait: &crate::Wait,
            until: impl Fn(&types::#ty) -> bool,
        ) -> ::std::result::Result<types::#ty, crate::WaitError> {
            #seen
            let get = || async move { self.#get() #(.#params(#params))* .send().await.map(ResponseValue::into_inner) };
            let resource = format!(#resource);
            crate::wait::poll(crate::wait::Watch { resource, seen }, wait, get, |_| true, until).await
        }
    }
}

/// `{lifecycle}_has_ended`: whether the resource has left its on-its-way statuses, for a
/// follow of its logs.
fn has_ended(found: &Found<'_>) -> TokenStream {
    let get = format_ident!("{}", found.operation);
    let method = format_ident!("{}", super::logs::has_ended(&found.lifecycle.name));
    let params = found.arguments.iter().map(|argument| format_ident!("{argument}"));
    let setters = params.clone();
    let seen = reads::seen_function(found);
    let doc = format!(
        "Whether the {} has ended (ready, failed or stopped): a follow of its logs ends a grace after.",
        found.what
    );
    quote! {
        #[doc = #doc]
        pub(crate) async fn #method(&self, #(#params: &str,)*) -> ::std::result::Result<bool, crate::Error> {
            #seen
            let value = self.#get() #(.#setters(#setters))* .send().await?.into_inner();
            ::std::result::Result::Ok(crate::wait::has_ended(seen(&value)))
        }
    }
}
