//! Determinism: the same pages give byte-identical output across runs, whatever their order
//! on disk, the subfolders they sit in, or their line ends.

use xtask::Page;

use crate::spec_pages;

fn files(pages: &[Page]) -> std::collections::BTreeMap<String, String> {
    crate::build(pages).unwrap_or_else(|e| panic!("the pages do not build:\n{e}")).files
}

#[track_caller]
fn same(
    what: &str,
    expected: &std::collections::BTreeMap<String, String>,
    actual: &std::collections::BTreeMap<String, String>,
) {
    for (path, text) in expected {
        let other = actual.get(path).unwrap_or_else(|| panic!("{what}: generated/{path} is missing"));
        if other != text {
            panic!("{what}: generated/{path} differs\n{}", xtask::write::diff(text, other, path));
        }
    }
    assert_eq!(expected.len(), actual.len(), "{what}: a different set of files");
}

#[test]
fn two_runs_give_the_same_bytes() {
    let pages = spec_pages();
    same("a second run", &files(&pages), &files(&pages));
}

#[test]
fn subfolders_below_a_section_and_order_do_not_matter() {
    let pages = spec_pages();
    let expected = files(&pages);
    let mut moved: Vec<Page> = pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            // The first folder is the page's docs section; what lies below it is only filing.
            let (section, name) = page.path.trim_start_matches("spec/").split_once('/').expect("in a section");
            Page::new(format!("spec/{section}/{}{name}", ["", "a/", "a/b/"][i % 3]), page.text.clone())
        })
        .collect();
    moved.reverse();
    same("pages in subfolders, reversed", &expected, &files(&moved));
}

#[test]
fn crlf_pages_give_what_lf_pages_give() {
    let pages = spec_pages();
    let crlf: Vec<Page> = pages.iter().map(|p| Page::new(p.path.clone(), p.text.replace('\n', "\r\n"))).collect();
    same("CRLF line ends", &files(&pages), &files(&crlf));
}
