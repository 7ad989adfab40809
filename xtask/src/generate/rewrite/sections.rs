//! Sections: takes progenitor's one `impl Client`, gives one block per docs section, each
//! headed by its title.

use std::collections::BTreeMap;

use super::docs::add_doc;
use super::plumbing::is_client_impl;
use crate::generate::trees::returns_a_builder;

/// progenitor's one `impl Client` of operation methods becomes one per docs section, in the
/// docs' order, each headed by its section's title: on docs.rs a reader finds a secret's
/// methods under *Secrets*, not among all of them.
pub(super) fn split_by_section(items: &mut Vec<syn::Item>, groups: &[crate::sections::Group]) -> Result<(), String> {
    let is_operations = |item: &syn::Item| matches!(item, syn::Item::Impl(block) if is_client_impl(block) && block.items.iter().any(is_operation));
    let at = items
        .iter()
        .position(is_operations)
        .ok_or("progenitor's output has no `impl Client` of operations")?;
    let syn::Item::Impl(mut block) = items.remove(at) else { return Err("an `impl Client` that is not one".into()) };
    let mut methods: BTreeMap<String, syn::ImplItem> = BTreeMap::new();
    let mut others = Vec::new();
    for member in std::mem::take(&mut block.items) {
        match &member {
            syn::ImplItem::Fn(method) if is_operation(&member) => {
                drop(methods.insert(method.sig.ident.to_string(), member))
            }
            _ => others.push(member),
        }
    }
    let mut blocks = Vec::new();
    for group in groups {
        let mut section = syn::ItemImpl { items: Vec::new(), ..block.clone() };
        section
            .items
            .extend(group.operations.iter().filter_map(|name| methods.remove(&name.replace('-', "_"))));
        add_doc(&mut section.attrs, section_doc(group.section.as_ref()));
        blocks.push(syn::Item::Impl(section));
    }
    if let Some(name) = methods.keys().next() {
        return Err(format!("the operation method `{name}` is in no section of the document's `tags`"));
    }
    if !others.is_empty() {
        blocks.push(syn::Item::Impl(syn::ItemImpl { items: others, ..block }));
    }
    items.splice(at..at, blocks);
    Ok(())
}

pub(super) fn is_operation(member: &syn::ImplItem) -> bool {
    matches!(member, syn::ImplItem::Fn(method) if returns_a_builder(&method.sig.output))
}

pub(super) fn section_doc(section: Option<&crate::sections::Section>) -> String {
    match section {
        Some(section) => format!(
            "# {}\n\nThe operations Baseten's API reference documents under *{}*.",
            section.title, section.title
        ),
        None => "# Other operations\n\nThe operations of pages outside the docs' sections.".to_string(),
    }
}
