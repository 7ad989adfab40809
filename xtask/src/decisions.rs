//! Decisions: takes `spec/drift-decisions.txt`, the maintainers' reviewed answers to real
//! conflicts between pages, gives them as data for the merge. Each line keeps one page's
//! declaration at one JSON pointer of the merged document:
//!
//! ```text
//! # CreateGroupRequestV1.hierarchy: the August page is today's API.
//! keep spec/post-v1-gateway-groups.md at #/components/schemas/CreateGroupRequestV1/properties/hierarchy
//! ```
//!
//! A `keep` line also settles bounds the merge narrowed to what every page accepts, where that is
//! narrower than any page meant (a rate in (1, 2] that became a percentage in [1, 50]): the client
//! then sends within that page's bounds.
//!
//! Or, for an enum value the pages spell two ways (read both, send one), which spelling is sent:
//!
//! ```text
//! send QUEUE_ON_FULL at #/components/schemas/RequestBackpressurePolicyV1
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

/// One reviewed choice of spelling: at the enum `at`, the client sends `value` for the variant
/// the pages spell several ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spelling {
    pub value: String,
    /// The enum's JSON pointer in the merged document, without the leading `#`.
    pub at: String,
    pub line: usize,
}

/// Every decision, with the file they came from.
#[derive(Debug, Clone)]
pub struct Decisions {
    pub file: String,
    pub list: Vec<Decision>,
    pub spellings: Vec<Spelling>,
}

impl Default for Decisions {
    /// None, from the usual file.
    fn default() -> Self {
        Decisions { file: FILE.to_string(), list: Vec::new(), spellings: Vec::new() }
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
        let mut spellings: Vec<Spelling> = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let column = raw.len() - raw.trim_start().len() + 1;
            let error = |message: String| {
                Error::new(file, message).at(Some((line, column))).with_hint(
                    "a decision reads `keep spec/<page>.md at #/components/<kind>/<name>[/<pointer>]`, or `send \
                         <value> at #/components/schemas/<enum>[/<pointer>]`",
                )
            };
            let words: Vec<&str> = trimmed.split_whitespace().collect();
            let (verb, page, pointer) = match words.as_slice() {
                [verb @ ("keep" | "send"), what, "at", pointer] => (*verb, *what, *pointer),
                _ => {
                    errors.push(error(format!("not a decision: `{trimmed}`")));
                    continue;
                }
            };
            let Some(at) = pointer.strip_prefix('#').filter(|at| at.starts_with("/components/")) else {
                errors.push(error(format!("`{pointer}` is not a pointer into the merged document's components")));
                continue;
            };
            if verb == "send" {
                if let Some(earlier) = spellings.iter().find(|s| s.at == at && s.value == page) {
                    let message = format!("`{page}` at `{pointer}` again (the first is on line {})", earlier.line);
                    errors.push(error(message));
                    continue;
                }
                spellings.push(Spelling { value: page.to_string(), at: at.to_string(), line });
                continue;
            }
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
        errors.into_result(Decisions { file: file.to_string(), list, spellings })
    }

    /// The decision that keeps a page's declaration at `pointer`.
    pub fn at(&self, pointer: &str) -> Option<&Decision> {
        self.list.iter().find(|d| d.at == pointer)
    }

    /// The spellings chosen for the enum at `pointer`, one per value it spells several ways.
    pub fn spellings_at(&self, pointer: &str) -> Vec<&Spelling> {
        self.spellings.iter().filter(|s| s.at == pointer).collect()
    }

    /// The error for a line of the file.
    pub fn error_at(&self, line: usize, message: String) -> Error {
        Error::new(&self.file, message).at(Some((line, 1)))
    }

    /// The error for a decision that no longer answers a conflict.
    pub fn error(&self, decision: &Decision, message: String) -> Error {
        self.error_at(decision.line, message)
    }
}

/// The line that keeps `page`'s declaration at `at`, as a maintainer adds it to [`FILE`].
pub fn line(page: &str, at: &str) -> String {
    format!("keep {page} at #{at}")
}

/// The line that sends `value` for the respelled enum at `at`.
pub fn send_line(value: &str, at: &str) -> String {
    format!("send {value} at #{at}")
}
