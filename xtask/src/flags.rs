//! Flags: takes the command line, gives the command and its options, declared once (xflags, as
//! rust-analyzer's xtask): the parser and `--help` come from this one declaration, so they
//! cannot disagree, and an unknown flag is an error that names it.

#![allow(missing_docs, unreachable_pub)]

use std::path::PathBuf;

xflags::xflags! {
    /// The docs pages in spec/ turned into the baseten-management crate in generated/, kept in
    /// step with the docs site.
    cmd xtask {
        /// Turns the docs pages in spec/ into the baseten-management crate in generated/, and
        /// reports what changed for users of the client since the generated/openapi.yaml on disk:
        /// operations and types added and removed, fields added, removed, retyped or made (not)
        /// required, enum values added and removed, the auth scheme, the server and the server's
        /// defaults, each breaking, additive, at run time or docs-only. The crate version in
        /// generated/Cargo.toml is bumped as the worst change says (below 1.0: breaking bumps the
        /// minor, the rest the patch).
        cmd codegen {
            /// Write nothing; exit 1 listing every stale, missing or stray file in generated/
            /// with a diff.
            optional --check
            /// Also write the change report as Markdown to FILE (for a pull request); not with
            /// --check, which writes nothing.
            optional --report file: PathBuf
            /// Read DIR/spec/ and write DIR/generated/ instead of the repository's.
            optional --root dir: PathBuf
        }
        /// Brings spec/ up to date from the docs site: reads its page index, downloads the
        /// Markdown export of every page listed under the management API reference, keeps those
        /// that hold one OpenAPI block, and writes them under spec/ by their path below the
        /// prefix. Pages are written only after every download succeeded, all or nothing. Prints
        /// the pages added, changed, unchanged, skipped (not API pages) and no longer listed.
        cmd fetch {
            /// The page index (default https://docs.baseten.co/llms.txt).
            optional --index url: String
            /// The site path of the API reference (default: /reference/management-api/, and
            /// /reference/training-api/ into spec/training/).
            optional --prefix path: String
            /// Download and report, write nothing.
            optional --dry-run
            /// Remove pages the index no longer lists (default: only report them).
            optional --prune
            /// Downloads at a time (default 8).
            optional --concurrency n: usize
            /// Seconds per request, connect included (default 30); 429, 5xx, timeouts and
            /// connection errors are retried 3 times with exponential backoff.
            optional --timeout secs: f64
        }
        /// Cuts full OpenAPI 3.1 documents (Baseten's /v1/spec) into one standard-form docs page
        /// per operation: `cut [--mix SEED] SPEC.json... DIR` writes DIR/<method>-<path>.md
        /// (`cargo xtask codegen --root` then reads them from DIR/spec/); given several specs
        /// and --mix, each operation's page comes from one of the specs that have it, picked by
        /// SEED. `cut [--mix SEED] --merged SPEC.json... FILE` writes no pages: they go through
        /// the pipeline up to the downgrade, and FILE gets the OpenAPI 3.0.3 document codegen
        /// would write. `cut --stand-ins ENDPOINTS SPEC.json` renders, from SPEC.json, a stand-in
        /// page in spec/ for every endpoint listed in ENDPOINTS (spec/endpoints.txt) that no
        /// exported page serves; stand-ins no longer needed are removed.
        cmd cut {
            /// Pick each operation's page from one of the specs, by SEED.
            optional --mix seed: u64
            /// Write the merged, downgraded document to FILE instead of pages.
            optional --merged
            /// Render spec/'s stand-ins from ENDPOINTS and SPEC.json.
            optional --stand-ins
            /// The specs, then DIR or FILE (or ENDPOINTS, then SPEC.json, with --stand-ins).
            repeated paths: PathBuf
        }
    }
}

impl Codegen {
    /// What the options cannot mean together.
    pub fn validate(&self) -> xflags::Result<()> {
        if self.check && self.report.is_some() {
            return Err(xflags::Error::new(
                "--check writes nothing, --report writes a file: run `cargo xtask codegen --report FILE` without --check",
            ));
        }
        Ok(())
    }
}
