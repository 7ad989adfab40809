//! Mocks: takes progenitor's httpmock extensions, gives their `When`s and `Then`s the crate's
//! `Expect` and `Answer`, path arguments matched exactly as sent, and array arguments matched
//! item by item.

use syn::punctuated::Punctuated;
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
/// matcher requires each item as one of the argument's values. Gives how many it rewrote; an
/// error for a method over a `Vec` with no `query_param(name, value.to_string())` to rewrite.
pub(super) fn match_each_array_item(items: &mut [syn::Item]) -> Result<usize, String> {
    #[derive(Default)]
    struct Arrays {
        in_vec_method: bool,
        rewritten: usize,
        missed: Vec<String>,
    }
    impl VisitMut for Arrays {
        fn visit_impl_item_fn_mut(&mut self, method: &mut syn::ImplItemFn) {
            self.in_vec_method = names_a_vec(&method.sig.generics);
            let before = self.rewritten;
            syn::visit_mut::visit_impl_item_fn_mut(self, method);
            if self.in_vec_method && self.rewritten == before {
                self.missed.push(method.sig.ident.to_string());
            }
        }
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let (true, syn::Expr::MethodCall(call)) = (self.in_vec_method, &*expr)
                && call.method == "query_param"
                && call.args.len() == 2
                && call.args.last().is_some_and(is_value_to_string)
            {
                let (receiver, name) = (&call.receiver, &call.args[0]);
                *expr = syn::parse_quote! {
                    value.iter().fold(#receiver, |when, item| when.query_param(#name, item.to_string()))
                };
                self.rewritten += 1;
                return;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    let mut arrays = Arrays::default();
    for item in items {
        arrays.visit_item_mut(item);
    }
    match arrays.missed.as_slice() {
        [] => Ok(arrays.rewritten),
        missed => Err(format!("the mock methods {missed:?} take a `Vec` but match no `value.to_string()` to rewrite")),
    }
}

/// Whether generics (their bounds or where clause) name `Vec`: `T: Into<Option<Vec<String>>>`.
fn names_a_vec(generics: &syn::Generics) -> bool {
    struct Find(bool);
    impl<'a> syn::visit::Visit<'a> for Find {
        fn visit_type_path(&mut self, path: &'a syn::TypePath) {
            self.0 |= path.path.segments.last().is_some_and(|segment| segment.ident == "Vec");
            syn::visit::visit_type_path(self, path);
        }
    }
    let mut find = Find(false);
    syn::visit::Visit::visit_generics(&mut find, generics);
    find.0
}

/// `value.to_string()`.
fn is_value_to_string(expr: &syn::Expr) -> bool {
    matches!(expr, syn::Expr::MethodCall(call)
        if call.method == "to_string" && call.args.is_empty() && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("value")))
}

/// progenitor matches a path argument with `Regex::new(&format!("^/v1/a/.*/b/{}$", value))`: the
/// value unescaped (`j.1` answers for `jx1`, `job(1` panics), not percent-encoded as the client
/// sends it, and the other arguments' `.*` across slashes. Each such method calls the support
/// code's `path_argument` with the path as a template instead; gives how many it rewrote, an
/// error for a method it cannot read.
pub(super) fn match_path_arguments_exactly(items: &mut [syn::Item]) -> Result<usize, String> {
    let mut rewritten = 0;
    for block in items.iter_mut().flat_map(operation_impls) {
        if !super::super::trees::last_ident(&block.self_ty).is_some_and(|name| name.to_string().ends_with("When")) {
            continue;
        }
        for member in &mut block.items {
            let syn::ImplItem::Fn(method) = member else { continue };
            let Some(pattern) = path_pattern(&method.block) else { continue };
            let template = path_template(&pattern).map_err(|e| format!("mock method `{}`: {e}", method.sig.ident))?;
            let value: syn::Expr = match takes_str(&method.sig) {
                true => syn::parse_quote!(value),
                false => syn::parse_quote!(&value.to_string()),
            };
            method.block = syn::parse_quote!({
                Self(self.0.path_matches(crate::answers::path_argument(#template, #value)))
            });
            rewritten += 1;
        }
    }
    Ok(rewritten)
}

/// Whether the method's argument is a `&str`.
fn takes_str(signature: &syn::Signature) -> bool {
    signature.inputs.iter().any(|input| {
        matches!(input, syn::FnArg::Typed(arg)
            if matches!(&*arg.ty, syn::Type::Reference(to) if matches!(&*to.elem, syn::Type::Path(path) if path.path.is_ident("str"))))
    })
}

/// The `impl` blocks of the `operations` module.
fn operation_impls(item: &mut syn::Item) -> impl Iterator<Item = &mut syn::ItemImpl> {
    let items = match item {
        syn::Item::Mod(module) if module.ident == "operations" => module.content.as_mut().map(|(_, items)| items),
        _ => None,
    };
    items.into_iter().flatten().filter_map(|item| match item {
        syn::Item::Impl(block) => Some(block),
        _ => None,
    })
}

/// The pattern of the method's `format!("^…{}…$", ..)`, if it has one.
fn path_pattern(body: &syn::Block) -> Option<String> {
    struct Find(Option<String>);
    impl<'a> syn::visit::Visit<'a> for Find {
        fn visit_macro(&mut self, mac: &'a syn::Macro) {
            let args = mac.parse_body_with(Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated);
            if mac.path.is_ident("format")
                && let Ok(args) = args
                && let Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(pattern), .. })) = args.first()
                && pattern.value().starts_with('^')
            {
                self.0 = Some(pattern.value());
            }
        }
    }
    let mut find = Find(None);
    syn::visit::Visit::visit_block(&mut find, body);
    find.0
}

/// progenitor's `^/v1/a/.*/b/{}$` as `path_argument`'s template `/v1/a/*/b/{}`.
fn path_template(pattern: &str) -> Result<String, String> {
    let path = pattern.strip_prefix('^').and_then(|p| p.strip_suffix('$'));
    let path = path.ok_or_else(|| format!("the path pattern `{pattern}` is not anchored at both ends"))?;
    let segments: Vec<&str> = path
        .split('/')
        .map(|segment| match segment {
            ".*" => Ok("*"),
            "{}" => Ok("{}"),
            // The template's own marks; any other text is a literal the support code escapes.
            literal if !literal.contains(['*', '{', '}']) => Ok(literal),
            other => Err(format!(
                "the path pattern `{pattern}` has a segment `{other}` that is neither text nor an argument"
            )),
        })
        .collect::<Result<_, _>>()?;
    match segments.iter().filter(|s| **s == "{}").count() {
        1 => Ok(segments.join("/")),
        n => Err(format!("the path pattern `{pattern}` has {n} places for the argument, not one")),
    }
}
