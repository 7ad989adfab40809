//! Shown: takes a piece of a public item's signature (a function's, a type, generics, a variant's
//! fields), gives it on one line as rustfmt lays it out (`fn send(&self, body: &str)`), for the
//! report and for comparing two crates' items: prettyplease prints it inside the smallest item
//! that holds it, and the whitespace is folded.

/// prettyplease's text of `item` on one line.
fn one_line(item: syn::Item) -> String {
    let file: syn::File = syn::parse_quote!(#item);
    prettyplease::unparse(&file).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What `item` prints between `before` and `after`, the wrapper's own text.
fn inside(item: syn::Item, before: &str, after: &str) -> String {
    let text = one_line(item);
    let inner = text.strip_prefix(before).and_then(|text| text.strip_suffix(after));
    inner.unwrap_or(&text).trim().to_string()
}

pub(super) fn signature(sig: &syn::Signature) -> String {
    inside(syn::parse_quote!(#sig {}), "", "{}")
}

pub(super) fn ty(ty: &syn::Type) -> String {
    inside(syn::parse_quote!(type Shown = #ty;), "type Shown =", ";")
}

/// `<T: Bound>`; where clauses are not part of it (as `syn` prints generics).
pub(super) fn generics(generics: &syn::Generics) -> String {
    let params = &generics.params;
    if params.is_empty() {
        String::new()
    } else {
        inside(syn::parse_quote!(struct Shown<#params>;), "struct Shown", ";")
    }
}

/// A variant's fields: `(u32)`, `{ id: String }`, or nothing.
pub(super) fn fields(fields: &syn::Fields) -> String {
    inside(syn::parse_quote!(enum Shown { Variant #fields }), "enum Shown { Variant", ", }")
}

/// A type alias without its docs: `pub type Name<T> = Target<T>;`.
pub(super) fn alias(alias: &syn::ItemType) -> String {
    let mut alias = alias.clone();
    alias.attrs.clear();
    one_line(syn::Item::Type(alias))
}
