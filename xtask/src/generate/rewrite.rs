//! Rewrite: takes progenitor's parsed output, gives it the shape the support code expects: the
//! operation builders through [`super::builders`], string enums open, no constructor that skips
//! the builder's checks, and no doc example left `ignore`d.

use std::collections::BTreeMap;

use quote::{format_ident, quote};
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use super::enums::OpenEnum;
use super::pages::Paginated;

/// A type typify named that we renamed: `(typify's name, ours)`.
pub(crate) type Renames = Vec<(String, String)>;

/// Rewrites the client (`src/api.rs`); an error when progenitor's output lacks a shape this
/// relies on, so a progenitor upgrade cannot silently skip a rewrite. Gives the types renamed,
/// for [`mock`].
pub(crate) fn client(
    file: &mut syn::File,
    enums: &[OpenEnum],
    unions: &[String],
    paginated: &BTreeMap<String, Paginated>,
    groups: &[crate::sections::Group],
) -> Result<Renames, String> {
    let types = super::trees::module(&file.items, "types").ok_or("progenitor's output has no `types` module")?;
    let renames = give_way_to_open_enums(types, enums);
    let mut streams = BTreeMap::new();
    for (operation, paginated) in paginated {
        let item = super::pages::item_type(types, paginated).ok_or_else(|| {
            format!(
                "{operation} is paginated, but its answer {} has no `Vec` field {}",
                paginated.answer, paginated.items
            )
        })?;
        streams.insert(operation.clone(), (paginated, item));
    }
    rename(&mut file.items, &renames);
    let mut sends = 0;
    let mut operations = 0;
    for item in &mut file.items {
        match item {
            syn::Item::Mod(module) if module.ident == "builder" => {
                sends += super::builders::rewrite(module, &streams)?;
            }
            syn::Item::Mod(module) if module.ident == "types" => {
                let (_, items) = module.content.as_mut().ok_or("progenitor's `types` module has no body")?;
                tolerate_unknown_fields(items);
                open_discriminated_unions(items, unions)?;
                super::structs::rewrite(items)?;
                items.extend(enums.iter().flat_map(open_enum));
            }
            syn::Item::Impl(block) if is_client_impl(block) => {
                hide_unchecked_constructors(block);
                for member in &mut block.items {
                    if let syn::ImplItem::Fn(method) = member
                        && type_name_of_output(&method.sig.output).starts_with("builder::")
                    {
                        operations += 1;
                        strip_ignored_examples(&mut method.attrs);
                    }
                }
            }
            _ => {}
        }
    }
    name_what_is_missing(file);
    hide_progenitor_hooks(&mut file.items);
    split_by_section(&mut file.items, groups)?;
    // progenitor's prelude re-exports `Client`, which the crate root already does.
    file.items.retain(|item| !matches!(item, syn::Item::Mod(module) if module.ident == "prelude"));
    document(&mut file.items, &[], &client_doc);
    super::builder_modules::rename(&mut file.items)?;
    link_bare_urls(file);
    if sends != operations {
        return Err(format!(
            "progenitor's output has {operations} operation methods on Client but {sends} `send` methods in `builder`"
        ));
    }
    Ok(renames)
}

/// progenitor's `impl ClientInfo for Client` (`baseurl()`, `client()`, `inner()`) is plumbing the
/// operations use; `Client::base_url` is the user's. Hidden from the docs.
fn hide_progenitor_hooks(items: &mut [syn::Item]) {
    for item in items {
        if let syn::Item::Impl(block) = item
            && block
                .trait_
                .as_ref()
                .is_some_and(|(.., path, _)| path.segments.last().is_some_and(|s| s.ident == "ClientInfo"))
        {
            block.attrs.push(syn::parse_quote!(#[doc(hidden)]));
        }
    }
}

/// progenitor's "`model_id` was not initialized" and typify's "no value supplied for `name`",
/// as a caller reads them at `send()`: what is missing and the setter that gives it.
fn name_what_is_missing(file: &mut syn::File) {
    struct Messages;
    impl VisitMut for Messages {
        fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
            let text = lit.value();
            let message = match (text.strip_suffix(" was not initialized"), text.strip_prefix("no value supplied for "))
            {
                (Some(argument), _) => format!("missing required argument `{argument}`: set it with `.{argument}(..)`"),
                (_, Some(field)) => format!("missing required field `{field}`: set it with `.{field}(..)`"),
                _ => return,
            };
            *lit = syn::LitStr::new(&message, lit.span());
        }
    }
    Messages.visit_file_mut(file);
}

/// Rewrites the httpmock extensions (`src/mock.rs`): documents what progenitor leaves bare, so
/// the crate can deny missing docs.
pub(crate) fn mock(file: &mut syn::File, renames: &Renames) {
    rename(&mut file.items, renames);
    match_each_array_item(&mut file.items);
    let doc = include_str!("../../templates/mock.md");
    file.attrs.push(syn::parse_quote!(#![doc = #doc]));
    answer_and_expect(&mut file.items);
    // `MockServer` is re-exported here, which makes progenitor's explicit link target redundant.
    for item in &mut file.items {
        if let syn::Item::Trait(ext) = item {
            replace_in_docs(&mut ext.attrs, "[`MockServer`](::httpmock::MockServer)", "[`MockServer`]");
        }
    }
    file.items.insert(
        0,
        syn::parse_quote!(
            pub use crate::answers::{Answer, Expect, MOCK_WAIT_CAP, Sequence, client_builder};
        ),
    );
    file.items.insert(
        0,
        syn::parse_quote!(
            pub use ::httpmock::{self, MockServer};
        ),
    );
    // progenitor's matchers format path arguments with `value.to_string()`.
    file.attrs.push(syn::parse_quote!(#![allow(clippy::to_string_in_format_args)]));
    document(&mut file.items, &[], &mock_doc);
}

fn replace_in_docs(attrs: &mut [syn::Attribute], from: &str, to: &str) {
    for attr in attrs {
        if let syn::Meta::NameValue(doc) = &mut attr.meta
            && doc.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = &mut doc.value
        {
            *text = syn::LitStr::new(&text.value().replace(from, to), text.span());
        }
    }
}

/// Every operation's `When` and `Then` get the support code's [`Expect`] and [`Answer`]: the
/// failure answers and sequences work for any operation.
fn answer_and_expect(items: &mut [syn::Item]) {
    let Some((_, operations)) = items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "operations" => module.content.as_mut(),
        _ => None,
    }) else {
        return;
    };
    let mut impls: Vec<syn::Item> = Vec::new();
    for item in operations.iter() {
        let syn::Item::Struct(wrapper) = item else { continue };
        let name = &wrapper.ident;
        if name.to_string().ends_with("When") {
            impls.push(syn::parse_quote! {
                impl crate::answers::Expect for #name {
                    fn into_when(self) -> ::httpmock::When { self.0 }
                }
            });
        } else if name.to_string().ends_with("Then") {
            impls.push(syn::parse_quote! {
                impl crate::answers::Answer for #name {
                    fn into_then(self) -> ::httpmock::Then { self.0 }
                    fn from_then(then: ::httpmock::Then) -> Self { Self(then) }
                }
            });
        }
    }
    operations.extend(impls);
}

/// What an undocumented public item in the client is: `(module path, type, item, kind)` gives
/// its doc. The API reference describes operations and most properties; these cover the
/// plumbing progenitor and typify leave bare.
fn client_doc(module: &[String], owner: &str, name: &str, kind: Kind) -> String {
    let module: Vec<&str> = module.iter().map(String::as_str).collect();
    match (module.as_slice(), kind, name) {
        (["types"], Kind::Method, "builder") => {
            format!("Starts a [`builder::{owner}`], which checks the required fields.")
        }
        (["types"], Kind::Field, _) => format!("The `{name}` property (the API reference does not describe it)."),
        (["types", "builder"], Kind::Struct, _) => {
            format!("Builds a [`{name}`](super::{name}) field by field; `try_into()` checks the required ones.")
        }
        (["types", "builder"], Kind::Method, _) => format!("Sets `{name}`."),
        (["builder"], Kind::Method, "new") => {
            "Starts the request; the [`Client`](super::Client) method calls this.".into()
        }
        (["builder"], Kind::Method, "body") => "Sets the request body.".into(),
        (["builder"], Kind::Method, "body_map") => "Edits the request body through its builder.".into(),
        (["builder"], Kind::Method, _) => format!("Sets the `{name}` argument."),
        _ => format!("`{name}`."),
    }
}

fn mock_doc(_module: &[String], owner: &str, name: &str, kind: Kind) -> String {
    let side = if owner.ends_with("When") { "request" } else { "response" };
    match (kind, name) {
        (Kind::Struct, _) if name.ends_with("When") => {
            "The request side of a mock: the operation's method and path, narrowed by the methods.".into()
        }
        (Kind::Struct, _) => "The response side of a mock: one method per documented response.".into(),
        (Kind::Method, "new") => {
            format!("Wraps httpmock's {side} side; [`MockServerExt`](super::MockServerExt) does this.")
        }
        (Kind::Method, "into_inner") => "The httpmock value underneath, to go beyond the documented shapes.".into(),
        (Kind::Method, "ok") => "Responds `200 OK` with the typed body.".into(),
        (Kind::Method, "body") if side == "request" => "Matches the JSON request body.".into(),
        (Kind::Method, _) if side == "request" => format!("Matches the `{name}` argument."),
        (Kind::Method, _) if owner == "MockServerExt" => {
            format!("Mocks [`Client::{name}`](crate::Client::{name}): `config_fn` sets up its typed `When` and `Then`.")
        }
        _ => format!("Responds as `{name}`."),
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Struct,
    Field,
    Method,
}

type DocFor = dyn Fn(&[String], &str, &str, Kind) -> String;

/// Gives every undocumented public struct, field, method and trait method a doc from `doc_for`.
fn document(items: &mut [syn::Item], module: &[String], doc_for: &DocFor) {
    for item in items {
        match item {
            syn::Item::Mod(inner) => {
                let mut path = module.to_vec();
                path.push(inner.ident.to_string());
                if let Some((_, items)) = &mut inner.content {
                    document(items, &path, doc_for);
                }
            }
            syn::Item::Struct(item) => document_struct(item, module, doc_for),
            syn::Item::Enum(item) if is_public(&item.vis) => document_enum(item, module, doc_for),
            syn::Item::Impl(block) if block.trait_.is_none() => {
                let owner = type_name(&block.self_ty);
                let methods = block.items.iter_mut().filter_map(|member| match member {
                    syn::ImplItem::Fn(method) if is_public(&method.vis) => Some((&mut method.attrs, &method.sig)),
                    _ => None,
                });
                document_methods(methods, &owner, module, doc_for);
            }
            syn::Item::Trait(item) if is_public(&item.vis) => {
                let owner = item.ident.to_string();
                let methods = item.items.iter_mut().filter_map(|member| match member {
                    syn::TraitItem::Fn(method) => Some((&mut method.attrs, &method.sig)),
                    _ => None,
                });
                document_methods(methods, &owner, module, doc_for);
            }
            _ => {}
        }
    }
}

fn document_struct(item: &mut syn::ItemStruct, module: &[String], doc_for: &DocFor) {
    let name = item.ident.to_string();
    if is_public(&item.vis) && !has_doc(&item.attrs) {
        add_doc(&mut item.attrs, doc_for(module, &name, &name, Kind::Struct));
    }
    for field in &mut item.fields {
        if let (true, false, Some(ident)) = (is_public(&field.vis), has_doc(&field.attrs), &field.ident) {
            add_doc(&mut field.attrs, doc_for(module, &name, &ident.to_string(), Kind::Field));
        }
    }
}

fn document_enum(item: &mut syn::ItemEnum, module: &[String], doc_for: &DocFor) {
    let name = item.ident.to_string();
    if !has_doc(&item.attrs) {
        add_doc(&mut item.attrs, doc_for(module, &name, &name, Kind::Struct));
    }
    for variant in &mut item.variants {
        if !has_doc(&variant.attrs) {
            // A unit variant stands for the value serde renames it to.
            let doc = match serde_rename(&variant.attrs) {
                Some(value) if variant.fields.is_empty() => format!("`{value}`"),
                _ => format!("The `{}` alternative.", variant.ident),
            };
            add_doc(&mut variant.attrs, doc);
        }
        for field in &mut variant.fields {
            if let (false, Some(ident)) = (has_doc(&field.attrs), &field.ident) {
                add_doc(&mut field.attrs, doc_for(module, &name, &ident.to_string(), Kind::Field));
            }
        }
    }
}

/// Methods of `owner` (an impl block's or a trait's), each without docs given some.
fn document_methods<'a>(
    methods: impl Iterator<Item = (&'a mut Vec<syn::Attribute>, &'a syn::Signature)>,
    owner: &str,
    module: &[String],
    doc_for: &DocFor,
) {
    for (attrs, signature) in methods {
        if !has_doc(attrs) {
            add_doc(attrs, doc_for(module, owner, &signature.ident.to_string(), Kind::Method));
        }
    }
}

/// The API reference's texts hold bare URLs, which rustdoc wants as `<https://...>` links.
fn link_bare_urls(file: &mut syn::File) {
    struct Links;
    impl VisitMut for Links {
        fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
            // The literal's source form is checked first: unescaping every doc is the cost.
            if let syn::Meta::NameValue(doc) = &mut attr.meta
                && doc.path.is_ident("doc")
                && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = &mut doc.value
                && text.token().to_string().contains("://")
            {
                *text = syn::LitStr::new(&angle_bracket_urls(&text.value()), text.span());
            }
        }
    }
    Links.visit_file_mut(file);
}

/// `text` with each bare `http(s)://` URL outside code (fenced or inline) written `<URL>`;
/// trailing punctuation and a closing quote or parenthesis stay outside.
pub(crate) fn angle_bracket_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut fenced = false;
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if fenced {
            out.push_str(line);
            continue;
        }
        let mut in_code = false;
        let mut rest = line;
        while !rest.is_empty() {
            let next_tick = rest.find('`');
            let next_url = [rest.find("https://"), rest.find("http://")].into_iter().flatten().min();
            match (next_tick, next_url) {
                (Some(tick), url) if url.is_none_or(|url| tick < url) || in_code => {
                    out.push_str(&rest[..=tick]);
                    rest = &rest[tick + 1..];
                    in_code = !in_code;
                }
                (_, Some(url)) => {
                    let before = &rest[..url];
                    out.push_str(before);
                    let end = rest[url..]
                        .find(|c: char| c.is_whitespace() || "<>`\"'".contains(c))
                        .map_or(rest.len(), |e| url + e);
                    let mut link = &rest[url..end];
                    while let Some(trimmed) = link.strip_suffix(['.', ',', ';', ':', ')', ']', '!', '?']) {
                        link = trimmed;
                    }
                    // Already a link: `<URL>` or `[text](URL)`.
                    if before.ends_with('<') || before.ends_with("](") {
                        out.push_str(link);
                    } else {
                        out.push('<');
                        out.push_str(link);
                        out.push('>');
                    }
                    rest = &rest[url + link.len()..];
                }
                (_, None) => {
                    out.push_str(rest);
                    rest = "";
                }
            }
        }
    }
    out
}

/// The value of `#[serde(rename = "...")]`.
pub(super) fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut value = None;
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                value = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    value
}

pub(super) fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("doc"))
}

fn add_doc(attrs: &mut Vec<syn::Attribute>, doc: String) {
    attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
}

/// progenitor's matcher for an array query argument calls `to_string()` on the `Vec`, which
/// does not compile. The client sends an array as the name repeated (`ids=a&ids=b`), so the
/// matcher requires each item as one of the argument's values.
fn match_each_array_item(items: &mut [syn::Item]) {
    struct Arrays(bool);
    impl VisitMut for Arrays {
        fn visit_impl_item_fn_mut(&mut self, method: &mut syn::ImplItemFn) {
            let generics = &method.sig.generics;
            self.0 = quote!(#generics).to_string().contains(":: vec :: Vec <")
                || method
                    .sig
                    .generics
                    .where_clause
                    .as_ref()
                    .is_some_and(|w| quote!(#w).to_string().contains(":: vec :: Vec <"));
            syn::visit_mut::visit_impl_item_fn_mut(self, method);
        }
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let (true, syn::Expr::MethodCall(call)) = (self.0, &*expr)
                && call.method == "query_param"
                && call.args.len() == 2
                && call.args.last().is_some_and(|arg| quote!(#arg).to_string() == "value . to_string ()")
            {
                let (receiver, name) = (&call.receiver, &call.args[0]);
                *expr = syn::parse_quote! {
                    value.iter().fold(#receiver, |when, item| when.query_param(#name, item.to_string()))
                };
                return;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    for item in items {
        Arrays(false).visit_item_mut(item);
    }
}

/// typify names some inline schemas itself (after their `title`) and may pick the name of a
/// component we declare as an open enum, since replaced names are not reserved. Its type gives
/// way: it becomes `<the first struct using it><name>`, as typify names inline types.
fn give_way_to_open_enums(types: &[syn::Item], enums: &[OpenEnum]) -> Renames {
    let declared = super::trees::declared_types(types);
    let mut taken = declared.clone();
    taken.extend(enums.iter().map(|open| open.name.clone()));
    let mut renames = Renames::new();
    for open in enums.iter().filter(|open| declared.contains(&open.name)) {
        let user = types.iter().find_map(|item| match item {
            syn::Item::Struct(item) if item.fields.iter().any(|f| mentions(&f.ty, &open.name)) => {
                Some(item.ident.to_string())
            }
            _ => None,
        });
        let name =
            crate::naming::free_name(&format!("{}{}", user.as_deref().unwrap_or("Inline"), open.name), &mut taken);
        renames.push((open.name.clone(), name));
    }
    renames
}

/// Whether `ty` names `ident` as typify writes a type in its module: bare.
fn mentions(ty: &syn::Type, ident: &str) -> bool {
    struct Finder<'a>(&'a str, bool);
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            self.1 |= path.segments.len() == 1 && path.segments[0].ident == self.0;
            syn::visit::visit_path(self, path);
        }
    }
    let mut finder = Finder(ident, false);
    finder.visit_type(ty);
    finder.1
}

/// Renames typify's types: their declarations, and the paths progenitor and typify write to
/// them (`Name`, `super::Name` inside `types`; `types::Name` anywhere). `crate::types::Name`,
/// which only a replacement writes, stays the open enum.
fn rename(items: &mut [syn::Item], renames: &Renames) {
    struct Renamer<'a> {
        renames: &'a Renames,
        in_types: usize,
    }
    impl Renamer<'_> {
        fn new_name(&self, ident: &syn::Ident) -> Option<syn::Ident> {
            let (_, new) = self.renames.iter().find(|(old, _)| ident == old)?;
            Some(syn::Ident::new(new, ident.span()))
        }
    }
    impl VisitMut for Renamer<'_> {
        fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
            let types = module.ident == "types";
            self.in_types += usize::from(types || self.in_types > 0);
            syn::visit_mut::visit_item_mod_mut(self, module);
            self.in_types -= usize::from(types || self.in_types > 0);
        }
        fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
            if let Some(new) = self.new_name(&item.ident).filter(|_| self.in_types > 0) {
                item.ident = new;
            }
            syn::visit_mut::visit_item_struct_mut(self, item);
        }
        fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
            if let Some(new) = self.new_name(&item.ident).filter(|_| self.in_types > 0) {
                item.ident = new;
            }
            syn::visit_mut::visit_item_enum_mut(self, item);
        }
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            let n = path.segments.len();
            if let Some(new) = path.segments.last().and_then(|last| self.new_name(&last.ident)) {
                let at = |i: usize, name: &str| path.segments[i].ident == name;
                let ours = match n {
                    1 => self.in_types > 0 && path.leading_colon.is_none(),
                    2 => (self.in_types > 0 && (at(0, "super") || at(0, "self"))) || at(0, "types"),
                    3 => at(0, "super") && at(1, "types"),
                    _ => false,
                };
                if ours && let Some(last) = path.segments.last_mut() {
                    last.ident = new;
                }
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    if renames.is_empty() {
        return;
    }
    let mut renamer = Renamer { renames, in_types: 0 };
    for item in items {
        renamer.visit_item_mut(item);
    }
}

/// Drops `#[serde(deny_unknown_fields)]` (typify's reading of `additionalProperties: false`):
/// a tolerant reader ignores the fields a newer server adds.
fn tolerate_unknown_fields(items: &mut [syn::Item]) {
    for item in items {
        if let syn::Item::Struct(item) = item {
            item.attrs.retain(|attr| {
                !(attr.path().is_ident("serde")
                    && attr.meta.require_list().is_ok_and(|list| list.tokens.to_string() == "deny_unknown_fields"))
            });
        }
    }
}

/// Gives each discriminated union (typify's untagged enum of the mapped members) a last variant
/// that keeps any other value: a tag the pages do not list yet (an audit event added after the
/// docs were exported) decodes instead of failing the whole answer. An error when typify
/// declared one otherwise, so a typify upgrade cannot silently close them again.
fn open_discriminated_unions(items: &mut [syn::Item], unions: &[String]) -> Result<(), String> {
    for name in unions {
        let item = items.iter_mut().find_map(|item| match item {
            syn::Item::Enum(item) if item.ident == name => Some(item),
            _ => None,
        });
        let Some(item) = item else {
            return Err(format!("typify declared no enum `{name}` for a discriminated union"));
        };
        let untagged = item.attrs.iter().any(|attr| {
            attr.path().is_ident("serde") && attr.meta.require_list().is_ok_and(|l| l.tokens.to_string() == "untagged")
        });
        if !untagged {
            return Err(format!("typify declared the discriminated union `{name}` other than as an untagged enum"));
        }
        let taken = |ident: &str| item.variants.iter().any(|v| v.ident == ident);
        let unknown = format_ident!("{}", if taken("Unknown") { "Unlisted" } else { "Unknown" });
        item.variants.push(syn::parse_quote! {
            /// A value whose tag the API reference does not list (yet), kept as sent.
            #unknown(::serde_json::Value)
        });
    }
    Ok(())
}

/// progenitor's one `impl Client` of operation methods becomes one per docs section, in the
/// docs' order, each headed by its section's title: on docs.rs a reader finds a secret's
/// methods under *Secrets*, not among all of them.
fn split_by_section(items: &mut Vec<syn::Item>, groups: &[crate::sections::Group]) -> Result<(), String> {
    let is_operations = |item: &syn::Item| matches!(item, syn::Item::Impl(block) if is_client_impl(block) && block.items.iter().any(is_operation));
    let at = items
        .iter()
        .position(is_operations)
        .ok_or("progenitor's output has no `impl Client` of operations")?;
    let syn::Item::Impl(mut block) = items.remove(at) else { return Err("an `impl Client` that is not one".into()) };
    let mut methods: BTreeMap<String, syn::ImplItem> = BTreeMap::new();
    let mut others = Vec::new();
    for member in std::mem::take(&mut block.items) {
        match &member {
            syn::ImplItem::Fn(method) if is_operation(&member) => {
                drop(methods.insert(method.sig.ident.to_string(), member))
            }
            _ => others.push(member),
        }
    }
    let mut blocks = Vec::new();
    for group in groups {
        let mut section = syn::ItemImpl { items: Vec::new(), ..block.clone() };
        section
            .items
            .extend(group.operations.iter().filter_map(|name| methods.remove(&name.replace('-', "_"))));
        add_doc(&mut section.attrs, section_doc(group.section.as_ref()));
        blocks.push(syn::Item::Impl(section));
    }
    if let Some(name) = methods.keys().next() {
        return Err(format!("the operation method `{name}` is in no section of the document's `tags`"));
    }
    if !others.is_empty() {
        blocks.push(syn::Item::Impl(syn::ItemImpl { items: others, ..block }));
    }
    items.splice(at..at, blocks);
    Ok(())
}

fn is_operation(member: &syn::ImplItem) -> bool {
    matches!(member, syn::ImplItem::Fn(method) if type_name_of_output(&method.sig.output).starts_with("builder::"))
}

fn section_doc(section: Option<&crate::sections::Section>) -> String {
    match section {
        Some(section) => format!(
            "# {}\n\nThe operations Baseten's API reference documents under *{}*.",
            section.title, section.title
        ),
        None => "# Other operations\n\nThe operations of pages outside the docs' sections.".to_string(),
    }
}

/// progenitor's `Client::new` (a 60 s connect timeout, no User-Agent, a panic when TLS fails)
/// goes; `new_with_client` (no URL check) stays for `ClientBuilder`, inside the crate.
fn hide_unchecked_constructors(block: &mut syn::ItemImpl) {
    block.items.retain(|member| !matches!(member, syn::ImplItem::Fn(f) if f.sig.ident == "new"));
    for member in &mut block.items {
        if let syn::ImplItem::Fn(f) = member
            && f.sig.ident == "new_with_client"
        {
            f.vis = syn::parse_quote!(pub(crate));
        }
    }
}

fn is_client_impl(block: &syn::ItemImpl) -> bool {
    block.trait_.is_none() && matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

fn type_name_of_output(output: &syn::ReturnType) -> String {
    match output {
        syn::ReturnType::Type(_, ty) => type_name(ty),
        syn::ReturnType::Default => String::new(),
    }
}

fn type_name(ty: &syn::Type) -> String {
    quote!(#ty).to_string().replace(' ', "")
}

/// Drops progenitor's ```` ```ignore ```` example from a method's docs: it does not compile
/// (its arguments are placeholders), and the crate docs show a compiled one.
fn strip_ignored_examples(attrs: &mut [syn::Attribute]) {
    for attr in attrs {
        let syn::Meta::NameValue(doc) = &mut attr.meta else { continue };
        if !doc.path.is_ident("doc") {
            continue;
        }
        let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = &mut doc.value else { continue };
        let value = text.value();
        if let Some(start) = value.find("```ignore") {
            let kept = value[..start].trim_end().to_string();
            *text = syn::LitStr::new(&kept, text.span());
        }
    }
}

/// The enum, its value table both ways, and `open_enum_impls!` for the rest.
fn open_enum(open: &OpenEnum) -> Vec<syn::Item> {
    let name = format_ident!("{}", open.name);
    let unknown = format_ident!("{}", open.unknown);
    let doc = open.description.clone().unwrap_or_else(|| format!("The `{}` values.", open.name));
    let idents: Vec<syn::Ident> = open.variants.iter().map(|(variant, _)| format_ident!("{variant}")).collect();
    let values: Vec<&String> = open.variants.iter().map(|(_, value)| value).collect();
    let docs = open.variants.iter().map(|(variant, value)| {
        let also: Vec<String> =
            open.aliases.iter().filter(|(_, v)| v == variant).map(|(alias, _)| format!("`{alias}`")).collect();
        if also.is_empty() {
            format!("`{value}`")
        } else {
            format!("`{value}` (reads {} too: the pages spell it both ways; sends `{value}`)", also.join(", "))
        }
    });
    let alias_values: Vec<&String> = open.aliases.iter().map(|(alias, _)| alias).collect();
    let alias_idents: Vec<syn::Ident> = open.aliases.iter().map(|(_, variant)| format_ident!("{variant}")).collect();
    let compat = format!(
        "Forward compatible: a value the API reference does not list deserializes to `{unknown}` \
         and serializes back unchanged."
    );
    let file: syn::File = syn::parse_quote! {
        #[doc = #doc]
        ///
        #[doc = #compat]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #docs] #idents, )*
            /// A value the API reference does not list (yet), kept as sent.
            #unknown(::std::string::String),
        }

        impl #name {
            /// Every value the API reference lists, in its order.
            pub const KNOWN: &'static [#name] = &[#( #name::#idents ),*];

            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#idents => #values, )*
                    #name::#unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => #name::#idents, )*
                    #( #alias_values => #name::#alias_idents, )*
                    other => #name::#unknown(other.to_string()),
                }
            }
        }

        crate::open_enum::open_enum_impls!(#name, #unknown);
    };
    file.items
}
