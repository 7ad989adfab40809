//! Trees: takes the syntax trees progenitor and typify write, gives the small readings of them
//! the rewrites and the test generators share: a module or struct by name, the last name of a
//! type path, the `T` of a `Result<T, _>` or a `Vec<T>`, a `#[serde(rename)]`, whether an item
//! is public.

use std::collections::BTreeSet;

/// The items of the inline module `name` among `items`.
pub(super) fn module<'a>(items: &'a [syn::Item], name: &str) -> Option<&'a [syn::Item]> {
    items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == name => module.content.as_ref().map(|(_, items)| &items[..]),
        _ => None,
    })
}

/// The struct `name` with named fields among `items`.
pub(super) fn find_struct<'a>(items: &'a [syn::Item], name: &str) -> Option<&'a syn::ItemStruct> {
    items.iter().find_map(|item| match item {
        syn::Item::Struct(s) if s.ident == name && matches!(s.fields, syn::Fields::Named(_)) => Some(s),
        _ => None,
    })
}

/// The names of the types declared among `items`: structs, enums, aliases.
pub(super) fn declared_types(items: &[syn::Item]) -> BTreeSet<String> {
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) => Some(item.ident.to_string()),
            syn::Item::Enum(item) => Some(item.ident.to_string()),
            syn::Item::Type(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// The last segment of a type path: `builder::GetDeployment<'_>` → `GetDeployment`.
pub(super) fn last_ident(ty: &syn::Type) -> Option<&syn::Ident> {
    match ty {
        syn::Type::Path(path) => path.path.segments.last().map(|s| &s.ident),
        _ => None,
    }
}

/// `T` of `outer<T, ..>` (`Result`, `Vec`, `Option`), whatever path leads to `outer`.
pub(super) fn argument_of<'a>(ty: &'a syn::Type, outer: &str) -> Option<&'a syn::Type> {
    let syn::Type::Path(path) = ty else { return None };
    let last = path.path.segments.last().filter(|s| s.ident == outer)?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else { return None };
    match args.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
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

/// Whether an item is `pub` (not `pub(crate)`, not private).
pub(super) fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// Whether a function returns a type of progenitor's `builder` module (`builder::ListModels`):
/// a `Client` method that starts an operation.
pub(super) fn returns_a_builder(output: &syn::ReturnType) -> bool {
    let syn::ReturnType::Type(_, ty) = output else { return false };
    let syn::Type::Path(path) = &**ty else { return false };
    path.path.segments.len() > 1 && path.path.segments.first().is_some_and(|first| first.ident == "builder")
}
