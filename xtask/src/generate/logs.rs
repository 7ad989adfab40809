//! Logs: takes the model of the OpenAPI 3.0.3 document and the lifecycles, gives its logs
//! operations, found by their shape (not by name): a `GET` whose query takes
//! `start_epoch_millis`, `end_epoch_millis` and `limit`, answering one required list of lines
//! that each carry a required string `timestamp`. Each one's builder gets a `.stream()` of
//! every line of its window and a `.follow(&Follow)` of the lines as they arrive, both through
//! `crate::logs`; a follow of a resource whose lifecycle names these logs ends with it.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::http::Method;
use crate::lifecycles::Lifecycles;
use crate::model::{Call, Model};
use crate::naming::rust_name;
use crate::schema;

/// One logs operation.
#[derive(Clone, Debug)]
pub(crate) struct Logs {
    pub(crate) operation: String,
    pub(crate) path: String,
    /// The path's arguments, in order.
    pub(crate) path_arguments: Vec<String>,
    /// A line with its required parts, for the tests.
    pub(crate) example: Value,
    /// The answer's field that holds the lines.
    pub(crate) lines: String,
    /// The lines' type, as typify names it.
    pub(crate) line: String,
    /// What ends a follow: the lifecycle whose `{lifecycle}_has_ended` method the waiters give
    /// the client, and the path arguments it takes.
    pub(crate) ends_with: Option<(String, Vec<String>)>,
}

/// The query arguments a logs operation takes.
const WINDOW: &[&str] = &["start_epoch_millis", "end_epoch_millis", "limit", "direction"];

/// The document's logs operations, by operation id.
pub(crate) fn found(model: &Model<'_>, lifecycles: &Lifecycles) -> BTreeMap<String, Logs> {
    let gets = model.calls.iter().filter(|call| call.method == Method::Get);
    let found = gets.filter_map(|call| shape(model, lifecycles, call));
    found.map(|logs| (logs.operation.clone(), logs)).collect()
}

fn shape(model: &Model<'_>, lifecycles: &Lifecycles, call: &Call<'_>) -> Option<Logs> {
    let document = model.document;
    let query = call.arguments_in("query");
    if !WINDOW.iter().all(|argument| query.contains(argument)) {
        return None;
    }
    let answer = schema::follow(document, call.answer?);
    let required: Vec<&str> = answer.get("required")?.as_array()?.iter().filter_map(Value::as_str).collect();
    let [lines] = required.as_slice() else { return None };
    let items = answer.pointer(&format!("/properties/{}/items", schema::token(lines)))?;
    let line_name = items.get("$ref").and_then(Value::as_str)?.rsplit('/').next()?;
    let line = schema::follow(document, items);
    let timestamp = line.pointer("/properties/timestamp/type").and_then(Value::as_str);
    (timestamp == Some("string") && schema::requires(line, "timestamp")).then(|| Logs {
        operation: call.id.to_string(),
        path: call.path.to_string(),
        path_arguments: call.arguments_in("path").into_iter().map(str::to_string).collect(),
        example: super::values::required(document, line),
        lines: lines.to_string(),
        line: rust_name(line_name),
        ends_with: ends_with(model, lifecycles, call),
    })
}

/// The lifecycle whose `logs` line names `call`, when the document has its read, and that
/// read's path arguments (each one of the logs call's too).
fn ends_with(model: &Model<'_>, lifecycles: &Lifecycles, call: &Call<'_>) -> Option<(String, Vec<String>)> {
    let lifecycle = lifecycles.list.iter().find(|lifecycle| {
        lifecycle.logs.as_ref().is_some_and(|logs| logs.method == call.method && logs.path == call.path)
    })?;
    let read = lifecycle.reads.iter().find_map(|read| model.call(read.method, &read.path))?;
    let arguments: Vec<String> = read.arguments_in("path").into_iter().map(str::to_string).collect();
    let logs_arguments = call.arguments_in("path");
    arguments
        .iter()
        .all(|argument| logs_arguments.contains(&argument.as_str()))
        .then(|| (lifecycle.name.clone(), arguments))
}

/// The client's private `{lifecycle}_has_ended` method.
pub(crate) fn has_ended(lifecycle: &str) -> String {
    format!("{lifecycle}_has_ended")
}

/// `impl LogLine for types::LogV1` for each lines' type.
pub(crate) fn line_impls(logs: &BTreeMap<String, Logs>) -> TokenStream {
    let mut types: Vec<&str> = logs.values().map(|logs| logs.line.as_str()).collect();
    types.sort_unstable();
    types.dedup();
    let types = types.into_iter().map(|name| format_ident!("{name}"));
    quote! {
        #(
            impl crate::logs::LogLine for types::#types {
                fn timestamp(&self) -> &str {
                    &self.timestamp
                }
            }
        )*
    }
}

/// The `.stream()` and `.follow()` of `logs`' builder, in the `builder` module.
pub(crate) fn methods(logs: &Logs) -> Vec<syn::ImplItem> {
    let (operation, lines) = (&logs.operation, format_ident!("{}", logs.lines));
    let line = format_ident!("{}", logs.line);
    let fetch = quote! {
        let fetch = move |window: crate::logs::Window| {
            let mut request = self
                .clone()
                .start_epoch_millis(window.start_ms)
                .limit(window.limit)
                .direction(types::SortOrderV1::from("asc"));
            request.end_epoch_millis = ::std::result::Result::Ok(window.end_ms);
            async move { request.send().await.map(|answer| answer.into_inner().#lines) }
        };
    };
    let checked = quote! {
        for invalid in [&self.limit.as_ref().err(), &self.start_epoch_millis.as_ref().err(), &self.end_epoch_millis.as_ref().err()] {
            if let ::std::option::Option::Some(message) = invalid {
                let error = crate::Error::InvalidRequest { operation: #operation, message: message.to_string() };
                return ::futures::StreamExt::boxed(::futures::stream::once(::std::future::ready(::std::result::Result::Err(error))));
            }
        }
        let limit = match &self.limit {
            ::std::result::Result::Ok(::std::option::Option::Some(limit)) => limit.to_string().parse::<u64>().unwrap_or(crate::logs::DEFAULT_LIMIT),
            _ => crate::logs::DEFAULT_LIMIT,
        }
        .clamp(1, crate::logs::MAX_LIMIT);
        let start = self.start_epoch_millis.clone().ok().flatten();
    };
    let ended = ended(logs);
    let stream_doc = "Every line from `start_epoch_millis` to `end_epoch_millis` (the server's default: the 30 minutes \
         before now), oldest first, each once: the window is split into the 7-day windows the server takes, each read \
         in requests of `limit` lines (the server's 500 unless set), each request after the first asking from the \
         millisecond of the newest line so far and dropping the lines it gives again, however many share a \
         millisecond. The call's `direction` is not used: lines come oldest first. More lines in one millisecond than \
         one request can read (1000) end the stream with [`crate::Error::CrowdedMillisecond`]; a failed request \
         (after the client's retries) ends it with its error. Memory holds one request's lines.";
    let follow_doc = "The lines as they arrive, from `start_epoch_millis` (default: the follow's start, less its \
         margin), as [`Follow`](crate::Follow) says: a poll every interval from a margin before the newest line \
         seen, each line yielded once, the memory held bounded by the margin's lines however long it runs. Ends when \
         dropped, at the follow's deadline, or with an error a failed request gives (after the client's retries); a \
         404 in its first seconds (what logs them just created) is waited through. The call's `end_epoch_millis` and \
         `direction` are not used.";
    let follow_doc = match &logs.ends_with {
        Some(_) => format!(
            "{follow_doc} It also ends a grace period ([`Follow::grace_after_end`](crate::Follow::grace_after_end)) \
             after what logs them has ended: its last lines still arrive."
        ),
        None => follow_doc.to_string(),
    };
    let stream: syn::ImplItem = syn::parse_quote! {
        #[doc = #stream_doc]
        pub fn stream(self) -> ::futures::stream::BoxStream<'a, ::std::result::Result<types::#line, crate::Error>> {
            #checked
            let range = crate::logs::range(start, self.end_epoch_millis.clone().ok().flatten());
            #fetch
            crate::logs::read(#operation, range, limit, fetch)
        }
    };
    let follow: syn::ImplItem = syn::parse_quote! {
        #[doc = #follow_doc]
        pub fn follow(self, follow: &crate::Follow) -> ::futures::stream::BoxStream<'a, ::std::result::Result<types::#line, crate::Error>> {
            #checked
            let margin = i64::try_from(follow.margin.as_millis()).unwrap_or(i64::MAX);
            let start = start.unwrap_or_else(|| crate::logs::now_ms().saturating_sub(margin));
            #ended
            #fetch
            crate::logs::follow(#operation, start, limit, follow, fetch, ended)
        }
    };
    vec![stream, follow]
}

/// `let ended = ..;`: the client's `has_ended` of what logs them, with this call's arguments.
fn ended(logs: &Logs) -> TokenStream {
    let Some((lifecycle, arguments)) = &logs.ends_with else {
        return quote!(let ended: ::std::option::Option<crate::logs::Ended<'a>> = ::std::option::Option::None;);
    };
    let method = format_ident!("{}", has_ended(lifecycle));
    let arguments: Vec<syn::Ident> = arguments.iter().map(|argument| format_ident!("{argument}")).collect();
    quote! {
        let ended: ::std::option::Option<crate::logs::Ended<'a>> = match (#(self.#arguments.clone(),)*) {
            (#(::std::result::Result::Ok(#arguments),)*) => {
                let client = self.client;
                ::std::option::Option::Some(::std::boxed::Box::new(move || {
                    #(let #arguments = #arguments.clone();)*
                    ::std::boxed::Box::pin(async move { client.#method(#(&#arguments),*).await })
                }))
            }
            _ => ::std::option::Option::None,
        };
    }
}

/// The cases' path in the crate; their harness is the template `tests/logs.rs`.
pub(crate) const FILE: &str = "tests/logs/cases.rs";

/// `tests/logs/cases.rs`: each logs operation's `.stream()` over a window the server pages in
/// two requests that overlap, and its `.follow()` to its deadline; `None` without logs
/// operations.
pub(crate) fn tests(logs: &BTreeMap<String, Logs>) -> Option<String> {
    if logs.is_empty() {
        return None;
    }
    let doc = ["One case per logs operation, for the harness in `tests/logs.rs`."];
    Some(super::cases::file(
        &doc,
        syn::parse_quote!(
            use super::*;
        ),
        logs.values().map(test_function),
    ))
}

fn test_function(logs: &Logs) -> syn::ItemFn {
    let name = format_ident!("{}_streams_each_line_once_and_follows_to_its_deadline", logs.operation);
    let operation = format_ident!("{}", logs.operation);
    let mut path = logs.path.clone();
    let setters: Vec<TokenStream> = logs
        .path_arguments
        .iter()
        .enumerate()
        .map(|(index, argument)| {
            let value = format!("a{}", index + 1);
            path = path.replace(&format!("{{{argument}}}"), &value);
            let setter = format_ident!("{argument}");
            quote!(.#setter(#value))
        })
        .collect();
    let (lines, line) = (&logs.lines, super::values::raw_string(&logs.example.to_string()));
    syn::parse_quote! {
        #[tokio::test]
        async fn #name() {
            let server = serve(#path, #lines, #line).await;
            let client = mock::client_builder(&server).build().expect("a client");
            let call = || client.#operation() #(#setters)* .start_epoch_millis(START).limit(2u64);
            let read: Vec<_> = call().end_epoch_millis(START + 2).stream().collect().await;
            let stamps: Vec<String> = read.into_iter().map(|line| line.expect("a line").timestamp).collect();
            let expected: Vec<String> = (0..3).map(|ms| ((START + ms) * 1_000_000).to_string()).collect();
            assert_eq!(stamps, expected, "each line once, in order");

            let follow = Follow::default().interval(Duration::from_millis(5)).deadline(Duration::from_millis(50));
            let followed: Vec<_> = call().follow(&follow).collect().await;
            assert!(followed.iter().all(Result::is_ok), "{followed:?}");
            assert_eq!(followed.len(), 3, "each line once until the deadline");
        }
    }
}
