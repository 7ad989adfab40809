//! Docs: takes the client's or the mocks' items, gives every public struct, field, method and
//! variant a doc (the crate denies `missing_docs`), and bare URLs as links.

use syn::visit_mut::VisitMut;

use crate::generate::trees::{is_public, last_ident, serde_rename};

pub(super) fn replace_in_docs(attrs: &mut [syn::Attribute], from: &str, to: &str) {
    for attr in attrs {
        if let syn::Meta::NameValue(doc) = &mut attr.meta
            && doc.path.is_ident("doc")
            && let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(text), .. }) = &mut doc.value
        {
            *text = syn::LitStr::new(&text.value().replace(from, to), text.span());
        }
    }
}

/// What an undocumented public item in the client is: `(module path, type, item, kind)` gives
/// its doc. The API reference describes operations and most properties; these cover the
/// plumbing progenitor and typify leave bare.
pub(super) fn client_doc(module: &[String], owner: &str, name: &str, kind: Kind) -> String {
    let module: Vec<&str> = module.iter().map(String::as_str).collect();
    match (module.as_slice(), kind, name) {
        (["types"], Kind::Method, "builder") => {
            // `builder_modules` names the module and the builder so; the link is written as it will read.
            format!("Starts a [`builders::{owner}Builder`], which checks the required fields.")
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

pub(super) fn mock_doc(_module: &[String], owner: &str, name: &str, kind: Kind) -> String {
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
pub(super) enum Kind {
    Struct,
    Field,
    Method,
}

pub(super) type DocFor = dyn Fn(&[String], &str, &str, Kind) -> String;

/// Gives every undocumented public struct, field, method and trait method a doc from `doc_for`.
pub(super) fn document(items: &mut [syn::Item], module: &[String], doc_for: &DocFor) {
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
                let owner = last_ident(&block.self_ty).map(ToString::to_string).unwrap_or_default();
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

pub(super) fn document_struct(item: &mut syn::ItemStruct, module: &[String], doc_for: &DocFor) {
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

pub(super) fn document_enum(item: &mut syn::ItemEnum, module: &[String], doc_for: &DocFor) {
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
pub(super) fn document_methods<'a>(
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
pub(super) fn link_bare_urls(file: &mut syn::File) {
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

pub(super) fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("doc"))
}

pub(super) fn add_doc(attrs: &mut Vec<syn::Attribute>, doc: String) {
    attrs.insert(0, syn::parse_quote!(#[doc = #doc]));
}
