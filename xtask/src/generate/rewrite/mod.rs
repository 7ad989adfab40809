//! Rewrite: takes progenitor's parsed output, gives it the shape the support code expects: the
//! operation builders through [`super::builders`], string enums open (`open_enums`), the
//! plumbing out of the user's way (`plumbing`), every public item documented (`docs`), one
//! `impl Client` per docs section (`sections`), and the mocks typed answers (`mocks`).

use std::collections::BTreeMap;

use super::enums::OpenEnum;
use super::paginated::Paginated;
use super::trees::returns_a_builder;
use docs::{client_doc, document, link_bare_urls, mock_doc, replace_in_docs};
use mocks::{answer_and_expect, match_each_array_item, match_path_arguments_exactly};
pub(crate) use open_enums::Renames;
use open_enums::{give_way_to_open_enums, open_discriminated_unions, open_enum, rename, tolerate_unknown_fields};
pub(super) use plumbing::is_client_impl;
use plumbing::{
    hide_progenitor_hooks, hide_unchecked_constructors, keep_why_an_argument_does_not_convert, name_what_is_missing,
    strip_ignored_examples,
};
use sections::split_by_section;

mod docs;
mod mocks;
mod open_enums;
mod plumbing;
mod sections;

/// Rewrites the client (`src/api.rs`); an error when progenitor's output lacks a shape this
/// relies on, so a progenitor upgrade cannot silently skip a rewrite. Gives the types renamed,
/// for [`mock`].
pub(crate) fn client(
    file: &mut syn::File,
    enums: &[OpenEnum],
    unions: &[String],
    paginated: &BTreeMap<String, Paginated>,
    logs: &BTreeMap<String, crate::generate::logs::Logs>,
    groups: &[crate::sections::Group],
    bounded: &super::bounds::Bounded,
) -> Result<Renames, String> {
    let types = super::trees::module(&file.items, "types").ok_or("progenitor's output has no `types` module")?;
    let renames = give_way_to_open_enums(types, enums);
    let streams = added_methods(types, paginated, logs)?;
    rename(&mut file.items, &renames);
    let mut sends = 0;
    let mut operations = 0;
    for item in &mut file.items {
        match item {
            syn::Item::Mod(module) if module.ident == "builder" => {
                sends += super::builders::rewrite(module, &streams, bounded)?;
                let (_, items) = module.content.as_mut().ok_or("progenitor's `builder` module has no body")?;
                if keep_why_an_argument_does_not_convert(items) == 0 {
                    return Err("progenitor's argument setters have no `.map_err(|_| \"conversion to …\")` to give \
                                the reason"
                        .into());
                }
            }
            syn::Item::Mod(module) if module.ident == "types" => {
                let (_, items) = module.content.as_mut().ok_or("progenitor's `types` module has no body")?;
                tolerate_unknown_fields(items);
                open_discriminated_unions(items, unions)?;
                super::structs::rewrite(items, &bounded.fields)?;
                items.extend(enums.iter().flat_map(open_enum));
            }
            syn::Item::Impl(block) if is_client_impl(block) => {
                hide_unchecked_constructors(block);
                for member in &mut block.items {
                    if let syn::ImplItem::Fn(method) = member
                        && returns_a_builder(&method.sig.output)
                    {
                        operations += 1;
                        strip_ignored_examples(&mut method.attrs);
                    }
                }
            }
            _ => {}
        }
    }
    name_what_is_missing(file);
    hide_progenitor_hooks(&mut file.items);
    split_by_section(&mut file.items, groups)?;
    // progenitor's prelude re-exports `Client`, which the crate root already does.
    file.items.retain(|item| !matches!(item, syn::Item::Mod(module) if module.ident == "prelude"));
    document(&mut file.items, &[], &client_doc);
    super::builder_modules::rename(&mut file.items)?;
    link_bare_urls(file);
    if sends != operations {
        return Err(format!(
            "progenitor's output has {operations} operation methods on Client but {sends} `send` methods in `builder`"
        ));
    }
    Ok(renames)
}

/// The methods builders gain, by operation id: a paginated list's `.stream()`, a logs
/// operation's `.stream()` and `.follow()`.
fn added_methods(
    types: &[syn::Item],
    paginated: &BTreeMap<String, Paginated>,
    logs: &BTreeMap<String, crate::generate::logs::Logs>,
) -> Result<super::builders::Added, String> {
    let mut added = BTreeMap::new();
    for (operation, paginated) in paginated {
        let item = super::paginated::item_type(types, paginated).ok_or_else(|| {
            format!(
                "{operation} is paginated, but its answer {} has no `Vec` field {}",
                paginated.answer, paginated.items
            )
        })?;
        added.insert(operation.clone(), vec![super::paginated::stream_method(paginated, &item)]);
    }
    for (operation, logs) in logs {
        added.entry(operation.clone()).or_default().extend(super::logs::methods(logs));
    }
    Ok(added)
}

/// Rewrites the httpmock extensions (`src/mock.rs`): documents what progenitor leaves bare, so
/// the crate can deny missing docs.
pub(crate) fn mock(file: &mut syn::File, renames: &Renames) -> Result<(), String> {
    rename(&mut file.items, renames);
    match_each_array_item(&mut file.items)?;
    if match_path_arguments_exactly(&mut file.items)? == 0 {
        return Err("progenitor's mocks have no path argument matched with `format!(\"^…{}…$\", ..)` to rewrite".into());
    }
    let doc = include_str!("../../../templates/mock.md");
    file.attrs.push(syn::parse_quote!(#![doc = #doc]));
    answer_and_expect(&mut file.items);
    // `MockServer` is re-exported here, which makes progenitor's explicit link target redundant.
    for item in &mut file.items {
        if let syn::Item::Trait(ext) = item {
            replace_in_docs(&mut ext.attrs, "[`MockServer`](::httpmock::MockServer)", "[`MockServer`]");
        }
    }
    file.items.insert(
        0,
        syn::parse_quote!(
            pub use crate::answers::{Answer, Example, Expect, MOCK_WAIT_CAP, Sequence, client_builder};
        ),
    );
    file.items.insert(
        0,
        syn::parse_quote!(
            pub use ::httpmock::{self, MockServer};
        ),
    );
    document(&mut file.items, &[], &mock_doc);
    Ok(())
}
