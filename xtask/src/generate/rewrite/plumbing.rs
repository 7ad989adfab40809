//! Plumbing: takes the client's items, gives them without what a user should not meet:
//! progenitor's hooks and unchecked constructors hidden, its `ignore`d examples gone, and a
//! missing argument named with the setter that gives it.

use syn::visit_mut::VisitMut;

/// progenitor's `impl ClientInfo for Client` (`baseurl()`, `client()`, `inner()`) is plumbing the
/// operations use; `Client::base_url` is the user's. Hidden from the docs.
pub(super) fn hide_progenitor_hooks(items: &mut [syn::Item]) {
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
pub(super) fn name_what_is_missing(file: &mut syn::File) {
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

/// progenitor's `Client::new` (a 60 s connect timeout, no User-Agent, a panic when TLS fails)
/// goes; `new_with_client` (no URL check) stays for `ClientBuilder`, inside the crate.
pub(super) fn hide_unchecked_constructors(block: &mut syn::ItemImpl) {
    block.items.retain(|member| !matches!(member, syn::ImplItem::Fn(f) if f.sig.ident == "new"));
    for member in &mut block.items {
        if let syn::ImplItem::Fn(f) = member
            && f.sig.ident == "new_with_client"
        {
            f.vis = syn::parse_quote!(pub(crate));
        }
    }
}

pub(in crate::generate) fn is_client_impl(block: &syn::ItemImpl) -> bool {
    block.trait_.is_none() && matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

/// Drops progenitor's ```` ```ignore ```` example from a method's docs: it does not compile
/// (its arguments are placeholders), and the crate docs show a compiled one.
pub(super) fn strip_ignored_examples(attrs: &mut [syn::Attribute]) {
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
