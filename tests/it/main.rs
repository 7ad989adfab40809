//! One integration binary for the workspace (matklad's "How to Test"): each module tests one
//! pipeline stage against real pages, and every comparison goes through [`check`].

mod bad_input;
#[cfg(feature = "client")]
mod calls;
mod cli;
#[cfg(feature = "client")]
mod client;
mod codegen;
#[cfg(feature = "client")]
mod contract;
mod determinism;
mod docs;
mod downgrade;
#[cfg(feature = "client")]
mod downstream;
mod drift;
#[cfg(feature = "client")]
mod errors;
mod fetch;
mod full_api;
mod fuzz;
mod history;
mod imports;
mod lifecycles;
#[cfg(feature = "client")]
mod logs;
mod merge;
#[cfg(feature = "client")]
mod mocks;
mod model;
mod naming;
mod normalize;
#[cfg(feature = "client")]
mod reconcile;
mod report;
#[cfg(feature = "client")]
mod rollout;
mod schema;
mod site;
mod sizes;
mod surface;
#[cfg(feature = "client")]
mod traced;
// Without the client, only `fetch` serves from it.
#[cfg_attr(not(feature = "client"), allow(dead_code))]
mod server;
#[cfg(feature = "client")]
mod training_step;
mod unset;
#[cfg(feature = "client")]
mod wait;

use std::path::{Path, PathBuf};

use xtask::{Operation, Page};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ sits in the repository").to_path_buf()
}

pub fn spec_pages() -> Vec<Page> {
    let root = repo_root();
    xtask::page::load_pages(&root, &root.join(xtask::SPEC_DIR)).unwrap_or_else(|e| panic!("spec/ does not load:\n{e}"))
}

/// A page from a path relative to the repository root.
pub fn page(relative: &str) -> Page {
    let text = std::fs::read_to_string(repo_root().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"));
    Page::new(relative, text)
}

/// The whole pipeline on `pages`, as a first run (nothing in `generated/` before) with no
/// decisions.
pub fn build(pages: &[Page]) -> Result<xtask::Run, xtask::Errors> {
    xtask::build(&xtask::Input::from_pages(pages.to_vec()), &xtask::Previous::default())
}

/// [`build`] with the repository's `spec/lifecycles.txt`: the waiters of what `pages` read.
pub fn build_with_lifecycles(pages: &[Page]) -> Result<xtask::Run, xtask::Errors> {
    let lifecycles = xtask::Lifecycles::load(&repo_root()).unwrap_or_else(|e| panic!("{e}"));
    let input = xtask::Input::from_pages(pages.to_vec()).with_lifecycles(lifecycles);
    xtask::build(&input, &xtask::Previous::default())
}

pub fn normalize(page: &Page) -> Operation {
    xtask::extract::extract(page)
        .and_then(|block| xtask::normalize::normalize(page, &block))
        .unwrap_or_else(|e| panic!("{} does not normalize:\n{e}", page.path))
}

/// [`check`] for text: the difference shown line by line.
#[track_caller]
pub fn check_text(input: &str, what: &str, actual: &str, expected: &str) {
    if actual != expected {
        let diff = xtask::write::diff(expected, actual, what);
        panic!("{input}: {what} is not as expected\n--- expected\n+++ actual\n{diff}");
    }
}

/// Compares what a stage produced with what it should have, and when they differ says which
/// input it was, what was expected, and where the two part.
#[track_caller]
pub fn check<T: std::fmt::Debug + PartialEq>(input: &str, what: &str, actual: T, expected: T) {
    if actual != expected {
        let (a, e) = (format!("{actual:#?}"), format!("{expected:#?}"));
        let diff = xtask::write::diff(&e, &a, what);
        panic!("{input}: {what} is not as expected\n--- expected\n+++ actual\n{diff}");
    }
}
