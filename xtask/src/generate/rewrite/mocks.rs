//! Mocks: takes progenitor's httpmock extensions, gives their `When`s and `Then`s the crate's
//! `Expect` and `Answer`, and array arguments matched item by item.

use quote::quote;
use syn::visit_mut::VisitMut;

/// Every operation's `When` and `Then` get the support code's [`Expect`] and [`Answer`]: the
/// failure answers and sequences work for any operation.
pub(super) fn answer_and_expect(items: &mut [syn::Item]) {
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

/// progenitor's matcher for an array query argument calls `to_string()` on the `Vec`, which
/// does not compile. The client sends an array as the name repeated (`ids=a&ids=b`), so the
/// matcher requires each item as one of the argument's values.
pub(super) fn match_each_array_item(items: &mut [syn::Item]) {
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
