//! Paginated: takes the model of the OpenAPI 3.0.3 document, gives its paginated list
//! operations, found by their shape (not by name): a `cursor` query argument and an answer with `items` and
//! `pagination { has_more, cursor }`, or a `page_token` argument and an answer with a
//! `next_page_token` and one array. Each one's builder gets a `.stream()` of every item of every
//! page ([`stream_method`]), and a case in the crate's `tests/streams.rs` drives each against
//! mocks.

use std::collections::BTreeMap;

use quote::{format_ident, quote};
use serde_json::Value;

use crate::http::Method;
use crate::model::{Call, Model};
use crate::naming::rust_name;
use crate::schema;

/// How an operation's pages link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// `?cursor=` from `pagination.cursor`, while `pagination.has_more`.
    Cursor,
    /// `?page_token=` from `next_page_token`, while it is not `null`.
    Token,
}

/// One paginated list operation.
#[derive(Clone, Debug)]
pub(crate) struct Paginated {
    pub(crate) operation: String,
    pub(crate) path: String,
    pub(crate) form: Form,
    /// The answer's type, as typify names it.
    pub(crate) answer: String,
    /// The answer's field that holds the page's items.
    pub(crate) items: String,
    /// Whether `pagination.cursor` is an `Option` (not required, or nullable).
    pub(crate) optional_cursor: bool,
    /// The page size argument (`limit`, `page_size`), when there is one.
    pub(crate) size: Option<String>,
    /// The path's arguments, in order.
    pub(crate) path_arguments: Vec<String>,
    /// An answer with its required parts, and one item, for the tests' pages.
    pub(crate) page: Value,
    pub(crate) item: Value,
}

impl Form {
    /// The query argument that asks for a page after the first.
    pub(crate) fn argument(self) -> &'static str {
        match self {
            Form::Cursor => "cursor",
            Form::Token => "page_token",
        }
    }
}

/// The call the crate docs' stream example makes: the paginated list with the fewest path
/// arguments (by name), each set, and a page size of 100 where it takes one.
pub(crate) fn example_call(paginated: &BTreeMap<String, Paginated>) -> Option<String> {
    let list = paginated.values().min_by_key(|list| (list.path_arguments.len(), list.operation.clone()))?;
    let mut call = format!("{}()", list.operation);
    for argument in &list.path_arguments {
        call.push_str(&format!(".{argument}(\"abc123\")"));
    }
    if let Some(size) = &list.size {
        call.push_str(&format!(".{size}(100)"));
    }
    Some(call)
}

/// The document's paginated list operations, by operation id.
pub(crate) fn found(model: &Model<'_>) -> BTreeMap<String, Paginated> {
    let lists = model.calls.iter().filter(|call| call.method == Method::Get);
    lists
        .filter_map(|call| shape(model.document, call))
        .map(|found| (found.operation.clone(), found))
        .collect()
}

/// `call` as a paginated list.
fn shape(document: &Value, call: &Call<'_>) -> Option<Paginated> {
    let query = call.arguments_in("query");
    let path_arguments = call.arguments_in("path").into_iter().map(str::to_string).collect();
    let answer_ref = call.answer?;
    let answer_name = answer_ref.get("$ref").and_then(Value::as_str)?.rsplit('/').next()?;
    let answer = schema::follow(document, answer_ref);
    let form = match (query.contains(&"cursor"), query.contains(&"page_token")) {
        (true, false) => Form::Cursor,
        (false, true) => Form::Token,
        _ => return None,
    };
    let (items, optional_cursor) = match form {
        Form::Cursor => (cursor_items(document, answer)?, cursor_is_optional(document, answer)?),
        Form::Token => (token_items(answer)?, true),
    };
    let size = ["limit", "page_size"].into_iter().find(|name| query.contains(name)).map(str::to_string);
    let item_schema = answer.pointer(&format!("/properties/{}/items", schema::token(&items)))?;
    Some(Paginated {
        operation: call.id.to_string(),
        path: call.path.to_string(),
        form,
        answer: rust_name(answer_name),
        items,
        optional_cursor,
        size,
        path_arguments,
        page: super::values::required(document, answer),
        item: super::values::required(document, item_schema),
    })
}

fn is_array(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("array")
}

/// `items` when the answer has a required `items` array and a required `pagination` with a
/// required `has_more` and a `cursor`.
fn cursor_items(document: &Value, answer: &Value) -> Option<String> {
    let items = answer.pointer("/properties/items")?;
    let pagination = schema::follow_property(document, answer.pointer("/properties/pagination")?);
    let linked = schema::requires(answer, "items")
        && schema::requires(answer, "pagination")
        && is_array(items)
        && schema::requires(pagination, "has_more")
        && pagination.pointer("/properties/cursor").is_some();
    linked.then(|| "items".to_string())
}

/// Whether `pagination.cursor` is an `Option` in Rust: not required, or nullable.
fn cursor_is_optional(document: &Value, answer: &Value) -> Option<bool> {
    let pagination = schema::follow_property(document, answer.pointer("/properties/pagination")?);
    let cursor = pagination.pointer("/properties/cursor")?;
    Some(!schema::requires(pagination, "cursor") || cursor.get("nullable") == Some(&Value::Bool(true)))
}

/// The one required array of an answer with a `next_page_token` that can be absent or `null`.
fn token_items(answer: &Value) -> Option<String> {
    let token = answer.pointer("/properties/next_page_token")?;
    if schema::requires(answer, "next_page_token") && token.get("nullable") != Some(&Value::Bool(true)) {
        return None;
    }
    let properties = answer.get("properties").and_then(Value::as_object)?;
    let mut arrays = properties.iter().filter(|(name, property)| is_array(property) && schema::requires(answer, name));
    match (arrays.next(), arrays.next()) {
        (Some((name, _)), None) => Some(name.clone()),
        _ => None,
    }
}

/// `.stream()` for the builder of `paginated`, whose items are `item` (as the `builder` module
/// names it).
pub(crate) fn stream_method(paginated: &Paginated, item: &syn::Type) -> syn::ImplItem {
    let items = format_ident!("{}", paginated.items);
    let argument = format_ident!("{}", paginated.form.argument());
    let operation = &paginated.operation;
    let token = match (paginated.form, paginated.optional_cursor) {
        (Form::Cursor, true) => quote! {
            match (page.pagination.has_more, page.pagination.cursor) {
                (true, ::std::option::Option::Some(cursor)) => ::std::option::Option::Some(cursor),
                _ => ::std::option::Option::None,
            }
        },
        (Form::Cursor, false) => quote!(page.pagination.has_more.then(|| page.pagination.cursor)),
        (Form::Token, _) => quote!(page.next_page_token),
    };
    let doc = match paginated.form {
        Form::Cursor => {
            "Every item of every page, in order: follows `pagination.cursor` while `pagination.has_more`, \
             with this call's other arguments (its `limit`, its filters) on every page. A failed page ends the \
             stream with its error; a cursor an earlier page gave ends it with [`crate::Error::RepeatedCursor`] \
             (a server that would loop forever)."
        }
        Form::Token => {
            "Every item of every page, in order: follows `next_page_token` until it is `null`, with this \
             call's other arguments on every page. A failed page ends the stream with its error; a token an \
             earlier page gave ends it with [`crate::Error::RepeatedCursor`] (a server that would loop forever)."
        }
    };
    syn::parse_quote! {
        #[doc = #doc]
        pub fn stream(self) -> ::futures::stream::BoxStream<'a, ::std::result::Result<#item, crate::Error>> {
            use ::futures::{StreamExt as _, TryStreamExt as _};
            // The next page's builder, or the error that ends the stream after this page's items.
            let start = (::std::option::Option::Some(::std::result::Result::Ok(self)), ::std::collections::BTreeSet::new());
            ::futures::stream::try_unfold(start, |(next, mut seen)| async move {
                let builder = match next {
                    ::std::option::Option::None => return ::std::result::Result::Ok(::std::option::Option::None),
                    ::std::option::Option::Some(next) => next?,
                };
                let page = builder.clone().send().await?.into_inner();
                let next = match #token {
                    ::std::option::Option::Some(token) if !seen.insert(token.to_string()) => {
                        let cursor = token.to_string();
                        ::std::option::Option::Some(::std::result::Result::Err(crate::Error::RepeatedCursor { operation: #operation, cursor }))
                    }
                    ::std::option::Option::Some(token) => ::std::option::Option::Some(::std::result::Result::Ok(builder.#argument(token))),
                    ::std::option::Option::None => ::std::option::Option::None,
                };
                let items = ::futures::stream::iter(page.#items.into_iter().map(::std::result::Result::Ok));
                ::std::result::Result::Ok(::std::option::Option::Some((items, (next, seen))))
            })
            .try_flatten()
            .boxed()
        }
    }
}

/// The item type of `paginated`'s answer, found in typify's `types` module and written as the
/// `builder` module names it (`types::AuditLogV1`).
pub(crate) fn item_type(types: &[syn::Item], paginated: &Paginated) -> Option<syn::Type> {
    let answer = super::trees::find_struct(types, &paginated.answer)?;
    let field = answer.fields.iter().find(|f| f.ident.as_ref().is_some_and(|i| *i == paginated.items))?;
    let item = super::trees::argument_of(&field.ty, "Vec")?;
    match item {
        syn::Type::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            let ident = &p.path.segments[0].ident;
            let declared = super::trees::declared_types(types).contains(&ident.to_string());
            Some(if declared { syn::parse_quote!(types::#item) } else { item.clone() })
        }
        _ => Some(item.clone()),
    }
}

/// The cases' path in the crate; their harness is the template `tests/streams.rs`.
pub(crate) const FILE: &str = "tests/streams/cases.rs";

/// `tests/streams/cases.rs`: each paginated operation's `.stream()` checked by the harness
/// (`Pages::check`: linked pages, one of them empty; a page that fails; a repeated cursor);
/// `None` when the document has none.
pub(crate) fn tests(paginated: &BTreeMap<String, Paginated>) -> Option<String> {
    if paginated.is_empty() {
        return None;
    }
    let doc = ["One case per paginated list, for the harness in `tests/streams.rs`."];
    Some(super::cases::file(
        &doc,
        syn::parse_quote!(
            use super::Pages;
        ),
        paginated.values().map(test_function),
    ))
}

fn test_function(paginated: &Paginated) -> syn::ItemFn {
    let name = format_ident!("{}_streams_every_page", paginated.operation);
    let operation = format_ident!("{}", paginated.operation);
    let mut path = paginated.path.clone();
    for argument in &paginated.path_arguments {
        path = path.replace(&format!("{{{argument}}}"), "p1");
    }
    let arguments: Vec<syn::Ident> = paginated.path_arguments.iter().map(|a| format_ident!("{a}")).collect();
    let size_setter = paginated.size.as_ref().map(|s| {
        let s = format_ident!("{s}");
        quote!(.#s(2))
    });
    let (argument, cursor, items) = (paginated.form.argument(), paginated.form == Form::Cursor, &paginated.items);
    let size = match &paginated.size {
        Some(size) => quote!(Some(#size)),
        None => quote!(None),
    };
    let (page, item) = (
        super::values::raw_string(&paginated.page.to_string()),
        super::values::raw_string(&paginated.item.to_string()),
    );
    syn::parse_quote! {
        #[tokio::test]
        async fn #name() {
            let pages = Pages { path: #path, argument: #argument, cursor: #cursor, items: #items, size: #size, page: #page, item: #item };
            pages.check(|client| client.#operation() #(.#arguments("p1"))* #size_setter.stream()).await;
        }
    }
}
