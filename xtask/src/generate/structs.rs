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
    Ok(())
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
