//! Builder modules: takes the client after the other rewrites, gives progenitor's two `builder`
//! modules names that say what they build: `requests` (one request builder per operation) and
//! `types::builders` (`DeploymentV1Builder`, for fixtures), so no two public items share a name.

use std::collections::BTreeSet;

use quote::format_ident;
use syn::visit_mut::VisitMut;

/// Renames both modules and every path to their items; an error when progenitor's output lacks
/// either module.
pub(super) fn rename(items: &mut [syn::Item]) -> Result<(), String> {
    let (mut requests, mut builders) = (false, None);
    for item in items.iter_mut() {
        let syn::Item::Mod(module) = item else { continue };
        if module.ident == "types" {
            builders = rename_type_builders(module)?;
        } else if module.ident == "builder" {
            module.ident = format_ident!("requests");
            module.attrs.retain(|attr| !attr.path().is_ident("doc"));
            module.attrs.insert(
                0,
                syn::parse_quote!(#[doc = "The request builder of each operation: set its arguments, then `send()`."]),
            );
            requests = true;
        }
    }
    let (true, Some(builders)) = (requests, builders) else {
        return Err("progenitor's output lacks its `builder` module or `types::builder`".into());
    };
    let mut outside = Outside { builders: &builders };
    for item in items.iter_mut() {
        if !matches!(item, syn::Item::Mod(module) if module.ident == "types") {
            outside.visit_item_mut(item);
        }
    }
    Ok(())
}

/// `types::builder` becomes `types::builders`, each `X` in it `XBuilder`, and `builder::X` in
/// `types` follows; gives the builders' names before the rename, `None` without the module.
fn rename_type_builders(types: &mut syn::ItemMod) -> Result<Option<BTreeSet<String>>, String> {
    let (_, items) = types.content.as_mut().ok_or("progenitor's `types` module has no body")?;
    let Some(at) = items.iter().position(|i| matches!(i, syn::Item::Mod(m) if m.ident == "builder")) else {
        return Ok(None);
    };
    let syn::Item::Mod(module) = &mut items[at] else { unreachable!("found above") };
    module.ident = format_ident!("builders");
    module.attrs.retain(|attr| !attr.path().is_ident("doc"));
    module.attrs.insert(
        0,
        syn::parse_quote!(#[doc = "A builder for each type (`DeploymentV1::builder()` starts one): for test fixtures."]),
    );
    let names = struct_names(module);
    if let Some((_, inner)) = &mut module.content {
        let mut bare = Bare { names: &names };
        inner.iter_mut().for_each(|item| bare.visit_item_mut(item));
    }
    let mut within = WithinTypes { names: &names };
    for (n, item) in items.iter_mut().enumerate() {
        if n != at {
            within.visit_item_mut(item);
        }
    }
    Ok(Some(names))
}

fn struct_names(module: &syn::ItemMod) -> BTreeSet<String> {
    let items = module.content.as_ref().map(|(_, items)| items.as_slice()).unwrap_or_default();
    items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some(s.ident.to_string()),
            _ => None,
        })
        .collect()
}

fn builder_name(name: &str) -> syn::Ident {
    format_ident!("{name}Builder")
}

/// Inside `types::builders`: a bare `X` is the builder (the type is `super::X`).
struct Bare<'a> {
    names: &'a BTreeSet<String>,
}

impl VisitMut for Bare<'_> {
    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        if self.names.contains(&item.ident.to_string()) {
            item.ident = builder_name(&item.ident.to_string());
        }
        syn::visit_mut::visit_item_struct_mut(self, item);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none()
            && path.segments.len() == 1
            && self.names.contains(&path.segments[0].ident.to_string())
        {
            path.segments[0].ident = builder_name(&path.segments[0].ident.to_string());
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

/// In `types`, outside the builders: `builder::X` is `builders::XBuilder`.
struct WithinTypes<'a> {
    names: &'a BTreeSet<String>,
}

impl VisitMut for WithinTypes<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let segments: Vec<_> = path.segments.iter_mut().collect();
        if let [module, name, ..] = segments.as_slice()
            && module.ident == "builder"
            && self.names.contains(&name.ident.to_string())
        {
            let name = builder_name(&name.ident.to_string());
            path.segments[0].ident = format_ident!("builders");
            path.segments[1].ident = name;
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

/// Outside `types`: `builder::Op` is `requests::Op`, `types::builder::X` is
/// `types::builders::XBuilder`.
struct Outside<'a> {
    builders: &'a BTreeSet<String>,
}

impl VisitMut for Outside<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none() && path.segments.len() > 1 && path.segments[0].ident == "builder" {
            path.segments[0].ident = format_ident!("requests");
        }
        let at = path
            .segments
            .iter()
            .zip(path.segments.iter().skip(1))
            .position(|(before, module)| before.ident == "types" && module.ident == "builder");
        if let Some(at) = at
            && let Some(name) = path.segments.get(at + 2).map(|s| s.ident.to_string())
            && self.builders.contains(&name)
        {
            path.segments[at + 1].ident = format_ident!("builders");
            path.segments[at + 2].ident = builder_name(&name);
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}
