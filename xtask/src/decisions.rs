//! Decisions: takes `spec/drift-decisions.txt`, the maintainers' reviewed answers to real
//! conflicts between pages, gives them as data for the merge. Each line keeps one page's
//! declaration at one JSON pointer of the merged document:
//!
//! ```text
//! # CreateGroupRequestV1.hierarchy: the August page is today's API.
//! keep spec/post-v1-gateway-groups.md at #/components/schemas/CreateGroupRequestV1/properties/hierarchy
//! ```

use std::path::Path;

use crate::error::{Error, Errors};

/// Where the decisions live, relative to the repository root.
pub const FILE: &str = "spec/drift-decisions.txt";

/// One reviewed decision: at `at`, the merge keeps `page`'s declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub page: String,
    /// A JSON pointer into the merged document, without the leading `#`.
    pub at: String,
    /// Its line in [`Decisions::file`], for every message about it.
    pub line: usize,
}

/// Every decision, with the file they came from.
#[derive(Debug, Clone)]
pub struct Decisions {
    pub file: String,
    pub list: Vec<Decision>,
}

impl Default for Decisions {
    /// None, from the usual file.
    fn default() -> Self {
        Decisions { file: FILE.to_string(), list: Vec::new() }
    }
}

impl Decisions {
    /// Reads [`FILE`] under `root`; no file, no decisions.
    pub fn load(root: &Path) -> Result<Decisions, Errors> {
        match std::fs::read_to_string(root.join(FILE)) {
            Ok(text) => Decisions::parse(FILE, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Decisions::default()),
            Err(e) => Err(Error::new(FILE, format!("cannot read the decisions: {e}")).into()),
        }
    }

    /// Parses the text of a decisions file shown as `file`, reporting every bad line.
    pub fn parse(file: &str, text: &str) -> Result<Decisions, Errors> {
        let mut errors = Errors::default();
        let mut list: Vec<Decision> = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let column = raw.len() - raw.trim_start().len() + 1;
            let error = |message: String| {
                Error::new(file, message)
                    .at(Some((line, column)))
                    .with_hint("a decision reads `keep spec/<page>.md at #/components/<kind>/<name>[/<pointer>]`")
            };
            let words: Vec<&str> = trimmed.split_whitespace().collect();
            let ["keep", page, "at", pointer] = words.as_slice() else {
                errors.push(error(format!("not a decision: `{trimmed}`")));
                continue;
            };
            let Some(at) = pointer.strip_prefix('#').filter(|at| at.starts_with("/components/")) else {
                errors.push(error(format!("`{pointer}` is not a pointer into the merged document's components")));
                continue;
            };
            if !page.ends_with(".md") {
                errors.push(error(format!("`{page}` is not a page: pages are `spec/….md`")));
                continue;
            }
            if let Some(earlier) = list.iter().find(|d| d.at == at) {
                errors
                    .push(error(format!("a second decision for `{pointer}` (the first is on line {})", earlier.line)));
                continue;
            }
            list.push(Decision { page: page.to_string(), at: at.to_string(), line });
        }
        errors.into_result(Decisions { file: file.to_string(), list })
    }

    pub fn at(&self, pointer: &str) -> Option<&Decision> {
        self.list.iter().find(|d| d.at == pointer)
    }

    /// The error for a decision that no longer answers a conflict.
    pub fn error(&self, decision: &Decision, message: String) -> Error {
        Error::new(&self.file, message).at(Some((decision.line, 1)))
    }
}

/// The line that keeps `page`'s declaration at `at`, as a maintainer adds it to [`FILE`].
pub fn line(page: &str, at: &str) -> String {
    format!("keep {page} at #{at}")
}
