//! Cases: takes a test generator's cases, gives the file of them that the crate's compiled
//! harness (a template: `tests/streams.rs`, `tests/waiters.rs`, `tests/logs.rs`) includes as
//! `tests/<name>/cases.rs`, opening with `doc` and bringing the harness's names in with `import`.

pub(super) fn file(doc: &[&str], import: syn::ItemUse, cases: impl IntoIterator<Item = syn::ItemFn>) -> String {
    let doc = doc.iter().map(|line| format!(" {line}"));
    let cases = cases.into_iter();
    let file: syn::File = syn::parse_quote! {
        #(#![doc = #doc])*

        #import

        #(#cases)*
    };
    prettyplease::unparse(&file)
}
