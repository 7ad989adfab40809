//! Structs: takes typify's `types` module, gives structs that a docs update can add a field to
//! without breaking a caller: `#[non_exhaustive]` (built through their builders, never as
//! literals), and builders in which a nullable field starts as `None` instead of an error.

use std::collections::BTreeSet;

use super::trees::{argument_of, last_ident};

/// Rewrites the items of the `types` module: its structs and its `builder` module.
pub(super) fn rewrite(items: &mut [syn::Item]) -> Result<(), String> {
    let mut builders = None;
    for item in items.iter_mut() {
        match item {
            syn::Item::Struct(item) if has_named_fields(item) && super::trees::is_public(&item.vis) => {
                item.attrs.push(syn::parse_quote!(#[non_exhaustive]));
            }
            syn::Item::Mod(module) if module.ident == "builder" => builders = module.content.as_mut(),
            _ => {}
        }
    }
    let (_, builders) = builders.ok_or("typify's `types` module has no `builder` module")?;
    let nullable = nullable_fields(builders);
    for item in builders.iter_mut() {
        if let syn::Item::Impl(block) = item
            && is_default_impl(block)
        {
            let owner = last_ident(&block.self_ty).map(ToString::to_string).unwrap_or_default();
            start_nullable_fields_empty(block, &owner, &nullable);
        }
    }
    let setters = convert_through_one_function(builders);
    if setters == 0 {
        return Err("typify's builders have no setter `value.try_into().map_err(|e| format!(..))` to shorten".into());
    }
    if super::setters::rewrite(builders)? == 0 {
        return Err("typify's builders have no setter of an optional field (`T: TryInto<Option<_>>`) to rewrite".into());
    }
    builders.push(syn::parse_quote! {
        /// A setter's conversion, written once: typify writes it out in each of hundreds of
        /// setters, a closure and a `format!` the compiler checks each time.
        fn converted<T, V>(value: V, field: &str) -> ::std::result::Result<T, ::std::string::String>
        where
            V: ::std::convert::TryInto<T>,
            V::Error: ::std::fmt::Display,
        {
            value.try_into().map_err(|e| format!("error converting supplied value for {field}: {e}"))
        }
    });
    Ok(())
}

/// Each builder setter's `value.try_into().map_err(|e| format!("error converting supplied value
/// for FIELD: {e}"))` becomes `converted(value, "FIELD")`, the same message from one function
/// (the crate's build spends less on the front end); gives how many it rewrote.
fn convert_through_one_function(builders: &mut [syn::Item]) -> usize {
    struct Setters(usize);
    impl syn::visit_mut::VisitMut for Setters {
        fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
            if let Some(field) = conversion_of_value(expr) {
                *expr = syn::parse_quote!(converted(value, #field));
                self.0 += 1;
            }
            syn::visit_mut::visit_expr_mut(self, expr);
        }
    }
    let mut setters = Setters(0);
    for item in builders.iter_mut() {
        syn::visit_mut::VisitMut::visit_item_mut(&mut setters, item);
    }
    setters.0
}

/// The field a setter's `value.try_into().map_err(|e| format!("...for FIELD: {e}"))` names.
fn conversion_of_value(expr: &syn::Expr) -> Option<String> {
    let syn::Expr::MethodCall(map_err) = expr else { return None };
    let syn::Expr::MethodCall(try_into) = &*map_err.receiver else { return None };
    let syn::Expr::Path(value) = &*try_into.receiver else { return None };
    let [syn::Expr::Closure(closure)] = map_err.args.iter().collect::<Vec<_>>()[..] else { return None };
    let syn::Expr::Macro(format) = &*closure.body else { return None };
    let shaped = map_err.method == "map_err" && try_into.method == "try_into" && try_into.args.is_empty();
    if !shaped || !value.path.is_ident("value") || !format.mac.path.is_ident("format") {
        return None;
    }
    let message: syn::LitStr = format.mac.parse_body().ok()?;
    let field = message.value();
    let field = field.strip_prefix("error converting supplied value for ")?.strip_suffix(": {e}")?;
    Some(field.to_string())
}

/// Named fields only: a newtype (`struct Name(String)`) checks its value on construction, and
/// a docs update cannot add a field to it.
fn has_named_fields(item: &syn::ItemStruct) -> bool {
    matches!(item.fields, syn::Fields::Named(_))
}

/// `(builder, field)` of each builder field that holds a `Result<Option<_>, String>`: a field the
/// docs allow `null` in (typify types an optional field so too, but starts it as `Ok` already).
fn nullable_fields(builders: &[syn::Item]) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for item in builders {
        let syn::Item::Struct(builder) = item else { continue };
        for field in &builder.fields {
            if let Some(ident) = &field.ident
                && holds_option(&field.ty)
            {
                out.insert((builder.ident.to_string(), ident.to_string()));
            }
        }
    }
    out
}

/// `Result<Option<_>, _>`.
fn holds_option(ty: &syn::Type) -> bool {
    argument_of(ty, "Result").and_then(last_ident).is_some_and(|ident| ident == "Option")
}

fn is_default_impl(block: &syn::ItemImpl) -> bool {
    block
        .trait_
        .as_ref()
        .is_some_and(|(.., path, _)| path.segments.last().is_some_and(|s| s.ident == "Default"))
}

/// In `impl Default for builder::X`, `field: Err("no value supplied ..")` becomes
/// `field: Ok(None)` for each nullable field: a fixture sets what it cares about.
fn start_nullable_fields_empty(block: &mut syn::ItemImpl, owner: &str, nullable: &BTreeSet<(String, String)>) {
    let mut visitor = StartEmpty { owner, nullable };
    syn::visit_mut::VisitMut::visit_item_impl_mut(&mut visitor, block);
}

struct StartEmpty<'a> {
    owner: &'a str,
    nullable: &'a BTreeSet<(String, String)>,
}

impl syn::visit_mut::VisitMut for StartEmpty<'_> {
    fn visit_field_value_mut(&mut self, value: &mut syn::FieldValue) {
        if let syn::Member::Named(ident) = &value.member
            && self.nullable.contains(&(self.owner.to_string(), ident.to_string()))
            && matches!(&value.expr, syn::Expr::Call(call) if matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("Err")))
        {
            value.expr = syn::parse_quote!(Ok(None));
        }
    }
}
