//! How a waiter reads its answer: takes a found lifecycle read, gives the `seen` function that
//! turns an answer into the statuses it holds (the resource's own, its parts', the one it waits
//! out), and the `lifecycles` module the statuses are classified by.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::found::Found;
use crate::lifecycles::{self, Field, Lifecycle, Phase, Step};

/// `DEPLOYMENT`, `TRAINING_JOB`: the lifecycle's constant in `crate::lifecycles`.
pub(super) fn constant_name(lifecycle: &Lifecycle) -> syn::Ident {
    format_ident!("{}", lifecycle.name.to_ascii_uppercase())
}

fn field_ident(name: &str) -> syn::Ident {
    syn::parse_str::<syn::Ident>(name).unwrap_or_else(|_| format_ident!("{name}_"))
}

/// `value.a.as_ref()?.b` for the steps to a field, and whether the last one is an `Option`.
fn access(steps: &[Step<'_>], from: TokenStream) -> (TokenStream, bool) {
    let mut expression = from;
    let Some((last, before)) = steps.split_last() else { return (expression, false) };
    for step in before {
        let name = field_ident(&step.name);
        expression = quote!(#expression.#name);
        if step.optional {
            expression = quote!(#expression.as_ref()?);
        }
    }
    let name = field_ident(&last.name);
    (quote!(#expression.#name), last.optional)
}

/// `fn name(value: &Answer) -> Option<#output> { .. }` reading `field`, `None` where the
/// document lacks it; `leaf` turns the field (a reference when it was an `Option`) into the output.
fn reader(
    found: &Found<'_>,
    field: Option<&Field>,
    name: &str,
    output: TokenStream,
    leaf: fn(TokenStream, bool) -> TokenStream,
) -> Option<TokenStream> {
    let steps = lifecycles::field_steps(found.document, found.schema, field?)?;
    let (expression, optional) = access(&steps, quote!(value));
    let (ty, name, body) = (format_ident!("{}", found.answer), format_ident!("{name}"), leaf(expression, optional));
    Some(quote! {
        fn #name(value: &types::#ty) -> ::std::option::Option<#output> {
            #body
        }
    })
}

/// The `seen` function: every status an answer holds, each with its lifecycle.
pub(super) fn seen_function(found: &Found<'_>) -> TokenStream {
    let ty = format_ident!("{}", found.answer);
    let own = constant_name(found.lifecycles.owner_of_statuses(found.lifecycle));
    let status = reader(found, found.lifecycle.status.as_ref(), "status", quote!(&str), |e, optional| match optional {
        true => quote!(::std::option::Option::Some(#e.as_ref()?.as_str())),
        false => quote!(::std::option::Option::Some(#e.as_str())),
    });
    let message =
        reader(found, found.lifecycle.error.as_ref(), "message", quote!(&str), |e, optional| match optional {
            true => quote!(#e.as_deref()),
            false => quote!(::std::option::Option::Some(#e.as_str())),
        });
    let progress =
        reader(found, found.lifecycle.progress.as_ref(), "progress", quote!(f64), |e, optional| match optional {
            true => quote!(#e.map(|progress| progress as f64)),
            false => quote!(::std::option::Option::Some(#e as f64)),
        });
    let own_seen = status.as_ref().map(|_| {
        let message = message.as_ref().map(|_| quote!(.message(message(value))));
        let progress = progress.as_ref().map(|_| quote!(.progress(progress(value))));
        quote!(seen.extend(status(value).map(|status| crate::wait::Seen::of(&crate::lifecycles::#own, status) #message #progress));)
    });
    let (parts, during) = (parts(found, &own), during(found));
    let (message, progress) = (status.as_ref().and(message), status.as_ref().and(progress));
    quote! {
        fn seen(value: &types::#ty) -> ::std::vec::Vec<crate::wait::Seen> {
            #status
            #message
            #progress
            let mut seen = ::std::vec::Vec::new();
            #own_seen
            #parts
            #during
            seen
        }
    }
}

/// Whether the object `schema` requires `field` as a string (a part's `name`, an `id`).
fn has_string(schema: &Value, field: &str) -> bool {
    crate::schema::requires(schema, field)
        && schema.pointer(&format!("/properties/{field}/type")).and_then(Value::as_str) == Some("string")
        && schema.pointer(&format!("/properties/{field}/nullable")) != Some(&Value::Bool(true))
}

/// The parts' statuses (a chain's chainlets), each named `chainlet {name}`.
fn parts(found: &Found<'_>, own: &syn::Ident) -> Option<TokenStream> {
    let (list, status) = found.lifecycle.parts.as_ref()?;
    let steps = lifecycles::field_steps(found.document, found.schema, list)?;
    let items = steps.last()?.schema.get("items").map(|items| crate::schema::follow(found.document, items))?;
    let status_field = Field { path: vec![status.clone()], optional: false, line: list.line };
    let status_steps = lifecycles::field_steps(found.document, items, &status_field)?;
    let (status_expression, optional) = access(&status_steps, quote!(part));
    let (iterate, _) = access(&steps, quote!(value));
    let iterate = match steps.last()?.optional {
        true => quote!(#iterate.iter().flatten()),
        false => quote!(#iterate.iter()),
    };
    let noun = super::found::part_noun(list)?;
    let (bind, name) = match has_string(items, "name") {
        true => (quote!(part), quote!(format!("{} {}", #noun, part.name))),
        false => (quote!((index, part)), quote!(format!("{} {}", #noun, index + 1))),
    };
    let iterate = match has_string(items, "name") {
        true => iterate,
        false => quote!(#iterate.enumerate()),
    };
    let status = match optional {
        true => quote!(let ::std::option::Option::Some(status) = #status_expression.as_ref() else { continue };),
        false => quote!(let status = &#status_expression;),
    };
    Some(quote! {
        for #bind in #iterate {
            #status
            seen.push(crate::wait::Seen::of(&crate::lifecycles::#own, status.as_str()).part(#name));
        }
    })
}

/// The status the resource waits out (a promotion's candidate deployment): on its way while
/// the field is set.
fn during(found: &Found<'_>) -> Option<TokenStream> {
    let (field, other) = found.lifecycle.during.as_ref()?;
    let other = found.lifecycles.get(other)?;
    let constant = constant_name(found.lifecycles.owner_of_statuses(other));
    let steps = lifecycles::field_steps(found.document, found.schema, field)?;
    let held = steps.last()?.schema;
    let status_field = Field { path: vec!["status".to_string()], optional: false, line: field.line };
    let status_steps = lifecycles::field_steps(found.document, held, &status_field)?;
    if status_steps.last()?.optional {
        return None;
    }
    let (expression, optional) = access(&steps, quote!(value));
    let noun = super::found::during_noun(field);
    let name = match has_string(held, "id") {
        true => quote!(format!("{} {}", #noun, during.id)),
        false => quote!(#noun.to_string()),
    };
    let push = quote!(seen.push(crate::wait::Seen::of(&crate::lifecycles::#constant, during.status.as_str()).part(#name).pending()););
    Some(match optional {
        true => quote!(if let ::std::option::Option::Some(during) = #expression.as_ref() { #push }),
        false => quote!({ let during = &#expression; #push }),
    })
}

/// The ready statuses of the waiter's lifecycle, for its docs: `` `ACTIVE`, `SCALED_TO_ZERO` ``.
pub(super) fn ready_statuses(found: &Found<'_>) -> String {
    let own = found
        .lifecycle
        .status
        .as_ref()
        .and_then(|f| lifecycles::field_steps(found.document, found.schema, f));
    if let (None, Some((field, _))) = (own, &found.lifecycle.during) {
        return format!("`{}` gone", field.path.join("."));
    }
    let statuses = found.lifecycles.statuses_of(found.lifecycle);
    let ready: Vec<String> = statuses
        .iter()
        .filter(|status| status.phase == Phase::Ready)
        .map(|status| format!("`{}`", status.name))
        .collect();
    ready.join(", ")
}

/// What else the waiter reads, for its docs.
pub(super) fn more_docs(found: &Found<'_>) -> String {
    let lifecycle = found.lifecycle;
    let mut more = String::new();
    if let Some(error) = &lifecycle.error {
        more.push_str(&format!(" A failure's `{}` is the error's `message`.", error.path.join(".")));
    }
    if let Some((list, _)) = &lifecycle.parts {
        more.push_str(&format!(
            " Ready when it and every item of `{0}` are; failed as soon as any item of `{0}` failed, naming it.",
            list.path.join(".")
        ));
    }
    if let Some((field, _)) = &lifecycle.during {
        more.push_str(&format!(
            " On its way while `{0}` is set (a failed `{0}` ends the wait, naming it){1}.",
            field.path.join("."),
            match &lifecycle.status {
                Some(status) => format!(", and while `{}` is", status.path.join(".")),
                None => String::new(),
            }
        ));
    }
    if let Some(progress) = &lifecycle.progress {
        more.push_str(&format!(" Each poll's event carries `{}` as `progress`.", progress.path.join(".")));
    }
    more
}

/// `pub mod lifecycles`: a constant per lifecycle the waiters use, each status with its phase.
pub(super) fn lifecycles_module(found: &[Found<'_>]) -> TokenStream {
    let Some(first) = found.first() else { return TokenStream::new() };
    let lifecycles = first.lifecycles;
    let mut used: Vec<&Lifecycle> = Vec::new();
    for found in found {
        let own = lifecycles.owner_of_statuses(found.lifecycle);
        let during = found.lifecycle.during.as_ref().and_then(|(_, other)| lifecycles.get(other));
        for lifecycle in std::iter::once(own).chain(during.map(|other| lifecycles.owner_of_statuses(other))) {
            if !used.iter().any(|known| known.name == lifecycle.name) {
                used.push(lifecycle);
            }
        }
    }
    let constants = used.iter().map(|lifecycle| constant(lifecycle));
    quote! {
        /// What each status of each resource the client waits on means: made from
        /// `spec/lifecycles.txt`, the reviewed account of the docs' prose, which every codegen
        /// checks against the docs' schemas.
        pub mod lifecycles {
            use crate::wait::{KnownStatus, Lifecycle, Phase};
            #(#constants)*
        }
    }
}

fn constant(lifecycle: &Lifecycle) -> TokenStream {
    let name = constant_name(lifecycle);
    let title = &lifecycle.name;
    let mut doc = format!("The `{title}` lifecycle.\n\n| status | means | source |\n|---|---|---|\n");
    let statuses = lifecycle.statuses.iter().map(|status| {
        let (phase, retryable) = match status.phase {
            Phase::InProgress => (quote!(InProgress), true),
            Phase::Ready => (quote!(Ready), true),
            Phase::Failed => (quote!(Failed), true),
            Phase::FailedForGood => (quote!(Failed), false),
            Phase::Stopped => (quote!(Stopped), true),
        };
        let meaning = format!("{:?}", status.phase);
        let hint = status.hint.as_ref().map(|hint| format!(": {hint}")).unwrap_or_default();
        doc.push_str(&format!("| `{}` | {meaning}{hint} | {} |\n", status.name, status.source));
        let (status_name, hint) = (
            &status.name,
            match &status.hint {
                Some(hint) => quote!(::std::option::Option::Some(#hint)),
                None => quote!(::std::option::Option::None),
            },
        );
        quote!(KnownStatus { name: #status_name, phase: Phase::#phase, retryable: #retryable, hint: #hint },)
    });
    let statuses: Vec<TokenStream> = statuses.collect();
    quote! {
        #[doc = #doc]
        pub const #name: Lifecycle = Lifecycle { name: #title, statuses: &[#(#statuses)*] };
    }
}
