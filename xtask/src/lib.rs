//! The codegen pipeline: takes the docs pages in `spec/`, gives the `baseten-management` crate
//! in `generated/`. Stages, in order: [`page`], [`extract`], [`normalize`], [`merge`] (with the
//! [`decisions`]), [`defaults`], [`downgrade`] (then the [`lifecycles`] checked), [`report`]
//! (the spec's changes; the Rust surface's after generate), [`generate`], [`write`]; [`build`]
//! runs them in memory and [`codegen`] writes what they give. Beside them, [`fetch`] and [`cut`];
//! the command line is declared in [`flags`]. Shared by the stages: [`schema`] (the walker), [`yaml`],
//! [`naming`], [`sections`], [`direction`], [`provenance`], [`error`]. Between the merge and
//! the crate the document travels typed by its version ([`document`]), and the stages read it
//! through one [`model`].

// Bad input is an error naming its page, never a panic.
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod cut;
pub mod decisions;
pub mod defaults;
pub mod direction;
pub mod document;
pub mod downgrade;
pub mod error;
pub mod extract;
pub mod fetch;
pub mod flags;
pub mod generate;
pub mod http;
pub mod lifecycles;
pub mod merge;
pub mod model;
pub mod naming;
pub mod normalize;
pub mod page;
pub mod provenance;
pub mod public;
pub mod report;
pub mod schema;
pub mod sections;
pub mod write;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::Path;

pub use decisions::Decisions;
pub use document::{OpenApi30, OpenApi31};
pub use error::{Error, Errors};
pub use lifecycles::Lifecycles;
pub use merge::{Endpoint, Reconciliation};
pub use normalize::Operation;
pub use page::Page;
pub use page::SPEC_DIR;
pub use write::{GENERATED_DIR, Written};

/// What a run reads: the docs pages, and the reviewed decisions and lifecycles beside them.
pub struct Input {
    pub pages: Vec<Page>,
    pub decisions: Decisions,
    pub lifecycles: Lifecycles,
}

impl Input {
    /// `spec/` under `root`: every page, and `spec/drift-decisions.txt` and
    /// `spec/lifecycles.txt` if they are there. Every problem of all three is reported.
    pub fn load(root: &Path) -> Result<Input, Errors> {
        let loaded = (page::load_pages(root, &root.join(SPEC_DIR)), Decisions::load(root), Lifecycles::load(root));
        match loaded {
            (Ok(pages), Ok(decisions), Ok(lifecycles)) => Ok(Input { pages, decisions, lifecycles }),
            (pages, decisions, lifecycles) => {
                let mut errors = Errors::default();
                errors.extend(pages.err().unwrap_or_default());
                errors.extend(decisions.err().unwrap_or_default());
                errors.extend(lifecycles.err().unwrap_or_default());
                Err(errors)
            }
        }
    }

    /// Pages alone, with no decisions and no lifecycles (so no waiters).
    pub fn from_pages(pages: Vec<Page>) -> Input {
        Input { pages, decisions: Decisions::default(), lifecycles: Lifecycles::default() }
    }

    /// These lifecycles instead.
    pub fn with_lifecycles(self, lifecycles: Lifecycles) -> Input {
        Input { lifecycles, ..self }
    }
}

/// Everything one run produced, in memory: nothing is written yet.
pub struct Run {
    pub pages: usize,
    /// Pages `cut --stand-ins` rendered, not exported by the docs site.
    pub stand_ins: usize,
    /// Every operation, in document order.
    pub endpoints: Vec<Endpoint>,
    pub schemas: usize,
    pub reconciliations: Vec<Reconciliation>,
    /// The merged document, request-side defaults moved into descriptions.
    pub merged: OpenApi31,
    /// The downgraded document.
    pub downgraded: OpenApi30,
    /// The crate's files, relative to `generated/`.
    pub files: BTreeMap<String, String>,
    pub version: VersionBump,
    /// What changed for users of the client since `generated/openapi.yaml` (empty when there was
    /// none to compare with).
    pub report: report::Report,
}

impl Run {
    /// The pull request's Markdown: the API changes and the version bump, then the drift the
    /// merge reconciled. The one place it is assembled.
    pub fn markdown(&self) -> String {
        let VersionBump { before, after } = &self.version;
        format!("{}{}", self.report.to_markdown(before, after), merge::drift_markdown(&self.reconciliations))
    }
}

/// The crate version before a run and after it, as the change report bumps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionBump {
    pub before: String,
    pub after: String,
}

/// What `cargo xtask codegen` did: the run, and the files it wrote or removed.
pub struct Codegen {
    pub run: Run,
    pub written: Vec<Written>,
}

/// What `generated/` held before a run: the crate version, the OpenAPI document and the public
/// items of its code.
#[derive(Default)]
pub struct Previous {
    pub version: Option<String>,
    pub spec: Option<OpenApi30>,
    /// `src/**/*.rs`, by path: read now, parsed only when a run gets as far as comparing.
    pub sources: BTreeMap<String, String>,
}

impl Previous {
    /// Reads `generated/Cargo.toml` and `generated/openapi.yaml` under `root`; what is missing
    /// or unreadable is left out (the first run has neither).
    pub fn read(root: &Path) -> Previous {
        let dir = root.join(GENERATED_DIR);
        let version = std::fs::read_to_string(dir.join("Cargo.toml")).ok().and_then(|manifest| {
            manifest.lines().find_map(|line| {
                let value = line.strip_prefix("version = \"")?.strip_suffix('"')?;
                Some(value.to_string())
            })
        });
        // Read as the pages are (YAML 1.2 booleans), or an enum value `off` would look changed.
        let text = std::fs::read_to_string(dir.join("openapi.yaml")).ok();
        let spec = text.and_then(|text| OpenApi30::from_value(yaml::from_str(&text).ok()?).ok());
        let sources = rust_sources(&dir, "src");
        Previous { version, spec, sources }
    }
}

/// The `.rs` files under `dir/folder`, by their path relative to `dir`.
fn rust_sources(dir: &Path, folder: &str) -> BTreeMap<String, String> {
    let rust = write::existing_files(&dir.join(folder))
        .into_iter()
        .filter(|path| path.extension() == Some("rs".as_ref()));
    rust.filter_map(|path| {
        let name = path.strip_prefix(dir).ok()?.to_string_lossy().into_owned();
        Some((name, std::fs::read_to_string(&path).ok()?))
    })
    .collect()
}

/// The whole pipeline short of writing: `input` to the crate's files in memory, the change
/// report comparing with `previous` and the crate version bumped as it says.
pub fn build(input: &Input, previous: &Previous) -> Result<Run, Errors> {
    let MergedSpec { merged, downgraded } = merged_spec(input)?;
    let located = |errors: Errors| locate(errors, &input.pages);
    let model = downgraded.model();
    input.lifecycles.check(&model, &merged.provenance).map_err(located)?;
    let mut report = match &previous.spec {
        Some(old) => report::compare(&old.model(), &model),
        None => report::Report::default(),
    };
    let schemas = model.schemas.len();
    let before = previous.version.clone().unwrap_or_else(|| generate::CRATE_VERSION.to_string());
    let by_spec = report.bump(&before);
    let mut files =
        generate::generate(&downgraded, &by_spec, &merged.provenance, &input.lifecycles).map_err(located)?;
    // The code may break callers where the spec does not (a template's method removed).
    if !previous.sources.is_empty() {
        let (old, new) = std::thread::scope(|scope| {
            let old = scope.spawn(|| public::Surface::of(&previous.sources));
            let new = public::Surface::of(&files);
            (old.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), new)
        });
        report.surface = public::compare(&old, &new);
    }
    let version = VersionBump { after: report.bump(&before), before };
    if version.after != by_spec {
        generate::set_version(&mut files, &version.after).map_err(located)?;
    }
    Ok(Run {
        pages: input.pages.len(),
        stand_ins: input.pages.iter().filter(|page| cut::is_stand_in(&page.text)).count(),
        endpoints: merged.endpoints,
        schemas,
        reconciliations: merged.reconciliations,
        merged: merged.document,
        downgraded,
        files,
        version,
        report,
    })
}

/// The pages merged, request-side defaults moved into descriptions, and downgraded: the document
/// `generated/openapi.yaml` holds.
pub struct MergedSpec {
    pub merged: merge::Merged,
    pub downgraded: OpenApi30,
}

/// The stages before generate: extract, normalize, merge, defaults, downgrade.
pub fn merged_spec(input: &Input) -> Result<MergedSpec, Errors> {
    let operations = normalize_pages(&input.pages)?;
    let mut merged = merge::merge(operations, &input.decisions).map_err(|errors| locate(errors, &input.pages))?;
    defaults::move_request_defaults(&mut merged.document);
    let downgraded =
        downgrade::downgrade(&merged.document, &merged.provenance).map_err(|errors| locate(errors, &input.pages))?;
    Ok(MergedSpec { merged, downgraded })
}

/// `cargo xtask codegen`: reads `spec/` under `root`, runs the pipeline after what
/// `generated/` holds and, only when all of it succeeded, makes `generated/` what it produced
/// (all files or none).
pub fn codegen(root: &Path) -> Result<Codegen, Errors> {
    let run = build(&Input::load(root)?, &Previous::read(root))?;
    let written = write::apply(root, &root.join(GENERATED_DIR), &run.files)?;
    Ok(Codegen { run, written })
}

/// Extracts and normalizes every page, reporting every page's problems, not only the first.
pub fn normalize_pages(pages: &[Page]) -> Result<Vec<Operation>, Errors> {
    let mut errors = Errors::default();
    let mut operations = Vec::new();
    let results = par_map(pages, |page| extract::extract(page).and_then(|block| normalize::normalize(page, &block)));
    for result in results {
        match result {
            Ok(op) => operations.push(op),
            Err(e) => errors.extend(e),
        }
    }
    errors.into_result(operations)
}

/// Gives each error about a page's declaration (a pointer, no line yet) the line that declares it.
fn locate(mut errors: Errors, pages: &[Page]) -> Errors {
    for error in errors.0.iter_mut().filter(|e| e.line.is_none()) {
        let (Some(pointer), Some(page)) = (&error.pointer, pages.iter().find(|p| p.path == error.file)) else {
            continue;
        };
        let at = page.locate_pointer(pointer);
        *error = std::mem::replace(error, Error::new("", "")).at(at);
    }
    errors
}

/// `items.iter().map(f)`, on every core: contiguous chunks, one thread each, results in order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads < 2 || items.len() < 8 {
        return items.iter().map(f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let chunks: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|chunk| scope.spawn(move || chunk.iter().map(f).collect::<Vec<R>>()))
            .collect();
        chunks
            .into_iter()
            .flat_map(|chunk| chunk.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}
