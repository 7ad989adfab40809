//! The codegen pipeline: takes the docs pages in `spec/`, gives the `baseten-management` crate
//! in `generated/`. Stages, in order: [`page`], [`extract`], [`normalize`], [`merge`],
//! [`downgrade`], [`generate`], [`write`].

pub mod downgrade;
pub mod error;
pub mod extract;
pub mod generate;
pub mod merge;
pub mod naming;
pub mod normalize;
pub mod page;
pub mod write;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

pub use error::{Error, Errors};
pub use merge::Reconciliation;
pub use normalize::Operation;
pub use page::Page;

pub const SPEC_DIR: &str = "spec";
pub const GENERATED_DIR: &str = "generated";

/// Everything one run produced, in memory: nothing is written yet.
pub struct Run {
    pub pages: usize,
    /// `(name, METHOD, path, page)`.
    pub operations: Vec<(String, String, String, String)>,
    pub schemas: usize,
    pub reconciliations: Vec<Reconciliation>,
    /// The merged OpenAPI 3.1 document, before the downgrade.
    pub merged: Value,
    /// The downgraded OpenAPI 3.0.3 document.
    pub downgraded: Value,
    /// The crate's files, relative to `generated/`.
    pub files: BTreeMap<String, String>,
}

/// Extracts and normalizes every page, reporting every page's problems, not only the first.
pub fn normalize_pages(pages: &[Page]) -> Result<Vec<Operation>, Errors> {
    let mut errors = Errors::default();
    let mut operations = Vec::new();
    for page in pages {
        match extract::extract(page).and_then(|block| normalize::normalize(page, &block)) {
            Ok(op) => operations.push(op),
            Err(e) => errors.extend(e),
        }
    }
    errors.into_result(operations)
}

/// The whole pipeline short of writing.
pub fn build(pages: &[Page]) -> Result<Run, Errors> {
    let operations = normalize_pages(pages)?;
    let merged = merge::merge(operations)?;
    let origin = format!("{GENERATED_DIR}/openapi.yaml");
    let downgraded = downgrade::downgrade(&merged.document, &origin)?;
    let files = generate::generate(&downgraded)?;
    let schemas = merged.document.pointer("/components/schemas").and_then(Value::as_object).map_or(0, |s| s.len());
    Ok(Run {
        pages: pages.len(),
        operations: merged.operations,
        schemas,
        reconciliations: merged.reconciliations,
        merged: merged.document,
        downgraded,
        files,
    })
}

/// A key as one JSON-pointer token (RFC 6901): `~` and `/` escaped.
pub(crate) fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Reads `spec/` under `root` and runs the pipeline.
pub fn codegen(root: &Path) -> Result<Run, Errors> {
    let pages = page::load_pages(root, &root.join(SPEC_DIR))?;
    build(&pages)
}

/// `cargo xtask codegen`: runs the pipeline and, only when all of it succeeded, makes
/// `generated/` under `root` what it produced (all files or none).
pub fn codegen_and_write(root: &Path) -> Result<(Run, Vec<(String, write::Change)>), Errors> {
    let run = codegen(root)?;
    let changes = write::apply(root, &root.join(GENERATED_DIR), &run.files)?;
    Ok((run, changes))
}
