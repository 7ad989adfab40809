//! Structs: takes typify's `types` module, gives structs that a docs update can add a field to
//! without breaking a caller: `#[non_exhaustive]` (built through their builders, never as
//! literals), and builders in which a nullable field starts as `None` instead of an error.

use std::collections::{BTreeMap, BTreeSet};

use super::bounds::{Check, is_checkable};
use super::trees::{argument_of, last_ident, serde_rename};

/// A struct's field: its Rust name and type.
struct Declared {
    ident: syn::Ident,
    ty: syn::Type,
}

/// Rewrites the items of the `types` module: its structs and its `builder` module. `fields`
/// holds, by type name, the bounded fields a builder checks when it builds.
pub(super) fn rewrite(items: &mut [syn::Item], fields: &BTreeMap<String, Vec<Check>>) -> Result<(), String> {
    let declared = declared_fields(items);
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
    check_fields_when_built(builders, &declared, fields)?;
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
            value.try_into().map_err(|e| format!("`{field}`: {e}"))
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

/// Each struct's fields by JSON name, by struct name.
fn declared_fields(items: &[syn::Item]) -> BTreeMap<String, BTreeMap<String, Declared>> {
    let mut out = BTreeMap::new();
    for item in items {
        let syn::Item::Struct(declared) = item else { continue };
        let fields = declared.fields.iter().filter_map(|field| {
            let ident = field.ident.clone()?;
            let property = serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string());
            Some((property, Declared { ident, ty: field.ty.clone() }))
        });
        out.insert(declared.ident.to_string(), fields.collect());
    }
    out
}

/// In `impl TryFrom<XBuilder> for X`, the built value's bounded fields are checked before it is
/// given: a body outside its documented bounds is refused at `send()`, naming the field. A field
/// of a type that checks itself (a typify newtype) is left to it.
fn check_fields_when_built(
    builders: &mut [syn::Item],
    declared: &BTreeMap<String, BTreeMap<String, Declared>>,
    bounded: &BTreeMap<String, Vec<Check>>,
) -> Result<(), String> {
    for item in builders.iter_mut() {
        let syn::Item::Impl(block) = item else { continue };
        let is_try_from = block
            .trait_
            .as_ref()
            .is_some_and(|(.., path, _)| path.segments.last().is_some_and(|s| s.ident == "TryFrom"));
        let Some(name) = last_ident(&block.self_ty).map(ToString::to_string).filter(|_| is_try_from) else { continue };
        let Some(checks) = bounded.get(&name) else { continue };
        let mut statements: Vec<syn::Stmt> = Vec::new();
        for Check { name: property, bounds } in checks {
            let field = declared.get(&name).and_then(|fields| fields.get(property));
            let Declared { ident, ty } =
                field.ok_or_else(|| format!("{name} has no field for `{property}` to check"))?;
            if is_checkable(ty) {
                statements.push(syn::parse_quote!(#bounds.check(#property, &built.#ident)?;));
            }
        }
        let Some(syn::ImplItem::Fn(try_from)) = block.items.iter_mut().find(|m| matches!(m, syn::ImplItem::Fn(_)))
        else {
            return Err(format!("typify's `TryFrom` for {name} has no function"));
        };
        let [syn::Stmt::Expr(syn::Expr::Call(ok), None)] = try_from.block.stmts.as_slice() else {
            return Err(format!("typify's `TryFrom` for {name} is not one `Ok(Self {{ .. }})`"));
        };
        let built = ok.args.first().ok_or_else(|| format!("typify's `TryFrom` for {name} gives `Ok()`"))?.clone();
        try_from.block = syn::parse_quote!({
            let built = #built;
            #(#statements)*
            Ok(built)
        });
    }
    Ok(())
}
