//! The waiters' tests: takes the found lifecycle reads, gives the cases of the crate's
//! `tests/waiters.rs` (its harness a template), each waiter against mocks playing its lifecycle (statuses taken from `spec/lifecycles.txt`):
//! a 404, on its way, ready; a failure named with the server's message; a hinted status held to
//! the deadline; a failed part named; a status waited out until it goes.

use quote::{format_ident, quote};
use serde_json::{Value, json};

use super::found::Found;
use crate::lifecycles::{self, Phase, Status};

/// The cases' path in the crate; their harness is the template `tests/waiters.rs`.
pub(crate) const FILE: &str = "tests/waiters/cases.rs";

/// `tests/waiters/cases.rs`, or `None` without waiters.
pub(crate) fn tests(found: &[Found<'_>]) -> Option<String> {
    if found.is_empty() {
        return None;
    }
    let mut cases: Vec<syn::ItemFn> = Vec::new();
    for found in found {
        cases.extend(match found.lifecycle.name == "deployment" {
            true => Some(deployment_test(found)),
            false => lifecycle_test(found),
        });
    }
    cases.extend(found.iter().find(|f| super::found::can_follow_a_promotion(f)).map(promotion_test));
    let doc = [
        "One case per waiter (and a promotion followed to its environment), for the harness in",
        "`tests/waiters.rs`.",
    ];
    Some(super::super::cases::file(
        &doc,
        syn::parse_quote!(
            use super::*;
        ),
        cases,
    ))
}

/// Each path argument's test value: `m1`, `d2`.
fn argument_values(found: &Found<'_>) -> Vec<String> {
    let letters = found.arguments.iter().map(|argument| argument.chars().next().unwrap_or('x'));
    letters.enumerate().map(|(index, letter)| format!("{letter}{}", index + 1)).collect()
}

/// The mock's path and the error's name for the resource, with the test's argument values.
fn path_and_resource(found: &Found<'_>) -> (String, String) {
    let (mut path, mut resource) = (found.route.path.clone(), super::found::resource_format(found));
    for (argument, value) in found.arguments.iter().zip(argument_values(found)) {
        path = path.replace(&format!("{{{argument}}}"), &value);
        resource = resource.replace(&format!("{{{argument}}}"), &value);
    }
    (path, resource)
}

/// The deployment waiters: through a 404, `BUILDING`, `SCALED_TO_ZERO`, `WAKING_UP` to
/// `ACTIVE` (waiting for `ACTIVE` only), then to a `BUILD_STOPPED` it names.
fn deployment_test(found: &Found<'_>) -> syn::ItemFn {
    let waiter = format_ident!("{}", found.waiter);
    let name = format_ident!("{}_waits_for_active_and_names_a_failure", found.waiter);
    let (path, what) = path_and_resource(found);
    let args = argument_values(found);
    let answer = crate::generate::values::raw_string(&found.value.to_string());
    syn::parse_quote! {
        #[tokio::test]
        async fn #name() {
            let changes = statuses("/status", &[None, Some("BUILDING"), Some("SCALED_TO_ZERO"), Some("WAKING_UP"), Some("ACTIVE")]);
            let served = serve(#path, #answer, &changes).await;
            let ready = served.client.#waiter(#(#args,)* &quick().active_only()).await.expect("ACTIVE in the end");
            assert_eq!((ready.status.as_str(), served.sequence.answered()), ("ACTIVE", 5));

            let served = serve(#path, #answer, &statuses("/status", &[Some("BUILDING"), Some("BUILD_STOPPED")])).await;
            let error = served.client.#waiter(#(#args,)* &quick()).await.expect_err("BUILD_STOPPED");
            assert!(matches!(error.kind, WaitErrorKind::Failed { retryable: false }), "{error:?}");
            assert_eq!(error.last_status(), Some("BUILD_STOPPED"));
            assert!(error.to_string().starts_with(#what), "{error}");
        }
    }
}

/// `wait_for_promotion`: ready and not yet production is waited through, to production; for
/// another environment, to that environment.
fn promotion_test(found: &Found<'_>) -> syn::ItemFn {
    let answer = crate::generate::values::raw_string(&found.value.to_string());
    syn::parse_quote! {
        #[tokio::test]
        async fn wait_for_promotion_waits_until_the_deployment_serves_the_environment() {
            let path = "/v1/models/m1/deployments/d1";
            let served = serve(path, #answer, &[
                Some(json!({ "/status": "BUILDING", "/is_production": false, "/environment": null })),
                Some(json!({ "/status": "ACTIVE", "/is_production": false, "/environment": null })),
                Some(json!({ "/status": "ACTIVE", "/is_production": true, "/environment": "production" })),
            ])
            .await;
            let promoted = served.client.wait_for_promotion("m1", "d1", "production", &quick()).await.expect("production");
            assert_eq!((promoted.is_production, served.sequence.answered()), (true, 3));

            let served = serve(path, #answer, &[
                Some(json!({ "/status": "ACTIVE", "/is_production": false, "/environment": null })),
                Some(json!({ "/status": "ACTIVE", "/is_production": false, "/environment": "staging" })),
            ])
            .await;
            let wait = quick().deadline(Duration::from_secs(30));
            let staged = served.client.wait_for_promotion("m1", "d1", "staging", &wait).await.expect("staging");
            assert_eq!((staged.environment.as_deref(), served.sequence.answered()), (Some("staging"), 2));

            let served = serve(path, #answer, &[Some(json!({ "/status": "ACTIVE", "/is_production": false }))]).await;
            let wait = quick().deadline(Duration::from_millis(50));
            let error = served.client.wait_for_promotion("m1", "d1", "production", &wait).await.expect_err("never production");
            assert!(matches!(error.kind, WaitErrorKind::TimedOut), "{error:?}");
            assert!(error.to_string().starts_with("deployment d1 of model m1, promoted to production,"), "{error}");
        }
    }
}

/// A JSON pointer for a field path.
fn pointer(path: &[String]) -> String {
    path.iter().map(|name| format!("/{}", crate::schema::token(name))).collect()
}

/// The first status of `statuses` in `phase` (with a hint, when `hinted`).
fn first(statuses: &[Status], phase: Phase, hinted: bool) -> Option<&str> {
    let found = statuses.iter().find(|s| s.phase == phase && (!hinted || s.hint.is_some()));
    found.map(|status| status.name.as_str())
}

/// `value` with the field at `path` set to `to`, objects made on the way.
fn set(value: &mut Value, path: &[String], to: Value) {
    let Some((first, rest)) = path.split_first() else { return *value = to };
    if !value.is_object() {
        *value = json!({});
    }
    if let Some(object) = value.as_object_mut() {
        set(object.entry(first.clone()).or_insert(Value::Null), rest, to);
    }
}

/// The answer the test's changes start from: the status's and the error's containers filled
/// (an `in_progress_promotion` is `null` in the least answer), the error field there.
fn base_answer(found: &Found<'_>) -> Value {
    let mut base = found.value.clone();
    let status = found.lifecycle.status.as_ref();
    let steps = status.and_then(|field| lifecycles::field_steps(found.document, found.schema, field));
    for (index, step) in steps.iter().flatten().enumerate() {
        let path = &status.map(|field| &field.path[..=index]).unwrap_or_default();
        let here = path.iter().try_fold(&base, |at, name| at.get(name));
        if step.optional && here.is_none_or(Value::is_null) && index + 1 < steps.as_ref().map_or(0, Vec::len) {
            set(&mut base, path, crate::generate::values::required(found.document, step.schema));
        }
    }
    let error = found.lifecycle.error.as_ref();
    if let Some(error) = error.filter(|error| lifecycles::field_steps(found.document, found.schema, error).is_some()) {
        set(&mut base, &error.path, Value::Null);
    }
    if let Some((field, _)) = &found.lifecycle.during {
        set(&mut base, &field.path, Value::Null);
    }
    // Every part ready: the resource's own status decides, until a test fails a part.
    let ready = first(found.lifecycles.statuses_of(found.lifecycle), Phase::Ready, false);
    if let (Some((list, status)), Some(ready)) = (&found.lifecycle.parts, ready) {
        let parts = list.path.iter().try_fold(&mut base, |at, name| at.get_mut(name));
        for part in parts.and_then(Value::as_array_mut).into_iter().flatten() {
            part[status.as_str()] = json!(ready);
        }
    }
    base
}

/// A change: each `(pointer, value)`.
fn change(pairs: &[(&str, Value)]) -> Value {
    Value::Object(pairs.iter().map(|(pointer, value)| (pointer.to_string(), value.clone())).collect())
}

/// A lifecycle's waiter played through: ready, failed with its message, held at a hinted
/// status to the deadline, a failed part, a status waited out.
fn lifecycle_test(found: &Found<'_>) -> Option<syn::ItemFn> {
    let lifecycles = found.lifecycles;
    let statuses = lifecycles.statuses_of(found.lifecycle);
    let own = found
        .lifecycle
        .status
        .as_ref()
        .filter(|field| lifecycles::field_steps(found.document, found.schema, field).is_some());
    let own_pointer = own.map(|field| pointer(&field.path));
    let (ready, on_its_way) = (first(statuses, Phase::Ready, false)?, first(statuses, Phase::InProgress, false)?);
    let failed = first(statuses, Phase::Failed, false).or(first(statuses, Phase::FailedForGood, false))?;
    let mut steps = Vec::new();
    if let Some(p) = &own_pointer {
        steps.push(ready_case(found, p, on_its_way, ready));
        steps.push(failed_case(found, p, on_its_way, failed));
        steps.extend(
            first(statuses, Phase::InProgress, true).map(|hinted| hinted_case(found, p, hinted, ready, statuses)),
        );
        steps.extend(parts_case(found, p, ready, failed));
    }
    steps.extend(during_case(found, own_pointer.as_deref().map(|p| (p, ready))));
    let name = format_ident!("{}_follows_its_lifecycle", found.waiter);
    let body: Vec<syn::Stmt> = steps.into_iter().flatten().collect();
    Some(syn::parse_quote! {
        #[tokio::test]
        async fn #name() {
            #(#body)*
        }
    })
}

/// What each case needs: the served answer, the call, the resource's name.
struct Case {
    answer: String,
    path: String,
    resource: String,
    call: proc_macro2::TokenStream,
}

fn case(found: &Found<'_>) -> Case {
    let (path, resource) = path_and_resource(found);
    let (waiter, args) = (format_ident!("{}", found.waiter), argument_values(found));
    Case {
        answer: base_answer(found).to_string(),
        path,
        resource,
        call: quote!(served.client.#waiter(#(#args,)* &wait).await),
    }
}

fn changes(list: &[Option<Value>]) -> proc_macro2::TokenStream {
    let items = list.iter().map(|change| match change {
        Some(change) => {
            let text = crate::generate::values::raw_string(&change.to_string());
            quote!(Some(serde_json::from_str::<Value>(#text).expect("a change")))
        }
        None => quote!(None),
    });
    quote!(&[#(#items),*])
}

fn ready_case(found: &Found<'_>, p: &str, on_its_way: &str, ready: &str) -> Vec<syn::Stmt> {
    let Case { answer, path, call, .. } = case(found);
    let list = changes(&[None, Some(change(&[(p, json!(on_its_way))])), Some(change(&[(p, json!(ready))]))]);
    syn::parse_quote! {
        let (served, wait) = (serve(#path, #answer, #list).await, quick());
        #call.expect(#ready);
        assert_eq!(served.sequence.answered(), 3, "a 404, {}, then {}", #on_its_way, #ready);
    }
}

fn failed_case(found: &Found<'_>, p: &str, on_its_way: &str, failed: &str) -> Vec<syn::Stmt> {
    let Case { answer, path, call, resource } = case(found);
    let error = found
        .lifecycle
        .error
        .as_ref()
        .filter(|e| lifecycles::field_steps(found.document, found.schema, e).is_some());
    let mut last = vec![(p, json!(failed))];
    let error_pointer = error.map(|error| pointer(&error.path));
    if let Some(error) = &error_pointer {
        last.push((error.as_str(), json!("the node ran out of memory")));
    }
    let list = changes(&[Some(change(&[(p, json!(on_its_way))])), Some(change(&last))]);
    let message =
        error_pointer.map(|_| quote!(assert!(error.to_string().contains(": the node ran out of memory"), "{error}");));
    syn::parse_quote! {
        let (served, wait) = (serve(#path, #answer, #list).await, quick());
        let error = #call.expect_err(#failed);
        assert!(matches!(error.kind, WaitErrorKind::Failed { .. }), "{error:?}");
        assert_eq!(error.last_status(), Some(#failed));
        assert!(error.to_string().starts_with(#resource), "{error}");
        #message
    }
}

/// A hinted status on its way (a paused promotion): waited through when it moves on (resumed),
/// held to the deadline when it does not, the error saying what it was and what to do.
fn hinted_case(found: &Found<'_>, p: &str, hinted: &str, ready: &str, statuses: &[Status]) -> Vec<syn::Stmt> {
    let Case { answer, path, call, .. } = case(found);
    let hint = statuses.iter().find(|s| s.name == hinted).and_then(|s| s.hint.clone()).unwrap_or_default();
    let resumed = changes(&[Some(change(&[(p, json!(hinted))])), Some(change(&[(p, json!(ready))]))]);
    let list = changes(&[Some(change(&[(p, json!(hinted))]))]);
    syn::parse_quote! {
        let (served, wait) = (serve(#path, #answer, #resumed).await, quick());
        #call.expect("resumed");
        assert_eq!(served.sequence.answered(), 2, "{} then {}", #hinted, #ready);
        let served = serve(#path, #answer, #list).await;
        let wait = quick().deadline(Duration::from_millis(50));
        let error = #call.expect_err("held to the deadline");
        assert!(matches!(error.kind, WaitErrorKind::TimedOut), "{error:?}");
        assert!(error.to_string().contains(#hint), "{error}");
    }
}

/// A chain whose own status is ready and one chainlet failed: failed, naming the chainlet.
fn parts_case(found: &Found<'_>, p: &str, ready: &str, failed: &str) -> Option<Vec<syn::Stmt>> {
    let (list, status) = found.lifecycle.parts.as_ref()?;
    let Case { answer, path, call, .. } = case(found);
    let part_pointer = format!("{}/0/{}", pointer(&list.path), crate::schema::token(status));
    let noun = super::found::part_noun(list)?;
    let list = changes(&[Some(change(&[(p, json!(ready)), (part_pointer.as_str(), json!(failed))]))]);
    Some(syn::parse_quote! {
        let (served, wait) = (serve(#path, #answer, #list).await, quick());
        let error = #call.expect_err("a failed part");
        assert!(matches!(error.kind, WaitErrorKind::Failed { .. }), "{error:?}");
        assert!(error.part.as_deref().is_some_and(|part| part.starts_with(#noun)), "{error:?}");
        assert!(error.to_string().contains(#noun), "{error}");
    })
}

/// A status the resource waits out (a promotion's candidate deployment): on its way, ready
/// but still there, gone: ready; and a failed one: failed, naming it.
fn during_case(found: &Found<'_>, own: Option<(&str, &str)>) -> Option<Vec<syn::Stmt>> {
    let (field, other) = found.lifecycle.during.as_ref()?;
    let steps = lifecycles::field_steps(found.document, found.schema, field)?;
    let statuses = found.lifecycles.statuses_of(found.lifecycles.get(other)?);
    let (on_its_way, ready) = (first(statuses, Phase::InProgress, false)?, first(statuses, Phase::Ready, false)?);
    let failed = first(statuses, Phase::Failed, false)?;
    let held = crate::generate::values::required(found.document, steps.last()?.schema);
    let with = |status: &str| {
        let mut held = held.clone();
        held["status"] = json!(status);
        held
    };
    let at = pointer(&field.path);
    let step = |value: Value| {
        let mut pairs = vec![(at.as_str(), value)];
        pairs.extend(own.map(|(p, ready)| (p, json!(ready))));
        Some(change(&pairs))
    };
    let Case { answer, path, call, .. } = case(found);
    let list = changes(&[step(with(on_its_way)), step(with(ready)), step(Value::Null)]);
    let failing = changes(&[step(with(failed))]);
    let noun = super::found::during_noun(field);
    Some(syn::parse_quote! {
        let (served, wait) = (serve(#path, #answer, #list).await, quick());
        #call.expect("done once it has gone");
        assert_eq!(served.sequence.answered(), 3, "{} {}, then {}, then gone", #noun, #on_its_way, #ready);
        let (served, wait) = (serve(#path, #answer, #failing).await, quick());
        let error = #call.expect_err(#failed);
        assert!(matches!(error.kind, WaitErrorKind::Failed { .. }), "{error:?}");
        assert!(error.part.as_deref().is_some_and(|part| part.starts_with(#noun)), "{error:?}");
    })
}
