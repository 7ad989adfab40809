//! Plumbing: takes the client's items, gives them without what a user should not meet:
//! progenitor's hooks and unchecked constructors hidden, its `ignore`d examples gone, a missing
//! argument named with the setter that gives it, and one that does not convert with the reason.

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

/// progenitor's argument setters drop the reason a value does not convert
/// (`.map_err(|_| "conversion to `Replica` for replica failed".to_string())`), where typify's
/// newtypes give one ("longer than 256 characters"). Each keeps it (`` `replica`: longer than 256
/// characters``), its conversion's error bound by `Display` as progenitor's body setter is; gives
/// how many setters it rewrote.
pub(super) fn keep_why_an_argument_does_not_convert(builders: &mut [syn::Item]) -> usize {
    struct Reasons {
        argument: String,
        rewritten: usize,
    }
    impl VisitMut for Reasons {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if is_reason_dropped(expr) {
                let message = syn::LitStr::new(&format!("`{}`: {{e}}", self.argument), proc_macro2::Span::call_site());
                *expr = syn::parse_quote!(|e| format!(#message));
                self.rewritten += 1;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    let mut setters = 0;
    for item in builders {
        let syn::Item::Impl(block) = item else { continue };
        for member in &mut block.items {
            let syn::ImplItem::Fn(setter) = member else { continue };
            let Some(value) = converted_value(&setter.sig) else { continue };
            let mut reasons = Reasons { argument: setter.sig.ident.to_string(), rewritten: 0 };
            reasons.visit_block_mut(&mut setter.block);
            if reasons.rewritten > 0 {
                let bound = syn::parse_quote!(#value::Error: ::std::fmt::Display);
                setter.sig.generics.make_where_clause().predicates.push(bound);
                setters += 1;
            }
        }
    }
    setters
}

/// A setter's `V` of `V: TryInto<T>`: the type parameter of the value it converts.
fn converted_value(sig: &syn::Signature) -> Option<syn::Type> {
    let predicates = &sig.generics.where_clause.as_ref()?.predicates;
    predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(predicate) = predicate else { return None };
        let converts = predicate.bounds.iter().any(|bound| {
            matches!(bound, syn::TypeParamBound::Trait(bound)
                if bound.path.segments.last().is_some_and(|segment| segment.ident == "TryInto"))
        });
        converts.then(|| predicate.bounded_ty.clone())
    })
}

/// progenitor's `|_| "conversion to `T` for NAME failed".to_string()`.
fn is_reason_dropped(expr: &syn::Expr) -> bool {
    let syn::Expr::Closure(closure) = expr else { return false };
    let [syn::Pat::Wild(_)] = closure.inputs.iter().collect::<Vec<_>>()[..] else { return false };
    let syn::Expr::MethodCall(call) = &*closure.body else { return false };
    let syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(message), .. }) = &*call.receiver else { return false };
    call.method == "to_string" && message.value().starts_with("conversion to `")
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
