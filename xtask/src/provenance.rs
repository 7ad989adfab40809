//! Provenance: takes what the merge learned about which page declared each operation and
//! component, gives the stages after it (downgrade, generate) errors that name that page and
//! the JSON pointer of what failed, never a file the failed run does not write.

use std::collections::BTreeMap;

use crate::error::Error;

/// Which page declared each part of the merged document.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// A pointer (an operation, a component, a path's parameters) → the page that declared it:
    /// for a component several pages declare, the richest, whose texts the merge kept.
    declared: BTreeMap<String, String>,
    /// Operation and component names → their pointers, for messages that name one.
    names: BTreeMap<String, String>,
    /// The page for what no declaration covers (the document's `servers`, say).
    fallback: String,
    /// A page → its `# title`, as the docs' navigation names its operation.
    titles: BTreeMap<String, String>,
}

impl Provenance {
    /// Everything declared by one page (a test's document, say).
    pub fn one_page(page: &str) -> Provenance {
        Provenance { fallback: page.to_string(), ..Provenance::default() }
    }

    /// Nothing recorded yet; what no declaration covers is `fallback`'s.
    pub fn new(fallback: &str) -> Provenance {
        Provenance::one_page(fallback)
    }

    /// `page` declared what `pointer` names, called `name` in messages (an operation's or a
    /// component's name), if it has one.
    pub fn record(&mut self, pointer: String, page: &str, name: Option<&str>) {
        if let Some(name) = name {
            self.names.entry(name.to_string()).or_insert_with(|| pointer.clone());
        }
        self.declared.entry(pointer).or_insert_with(|| page.to_string());
    }

    /// `page` is titled `title` in the docs.
    pub fn record_title(&mut self, page: &str, title: &str) {
        self.titles.insert(page.to_string(), title.to_string());
    }

    /// The title of the page that declared what `pointer` names, if it has one.
    pub fn title_of(&self, pointer: &str) -> Option<&str> {
        self.titles.get(self.page_of(pointer)).map(String::as_str)
    }

    /// The page that declared what `pointer` names: the deepest recorded pointer above it.
    pub fn page_of(&self, pointer: &str) -> &str {
        let mut at = pointer;
        loop {
            if let Some(page) = self.declared.get(at) {
                return page;
            }
            match at.rfind('/') {
                Some(i) if i > 0 => at = &at[..i],
                _ => return &self.fallback,
            }
        }
    }

    /// An error about `pointer`, on the page that declared it; the run turns the pointer into
    /// the page's line.
    pub fn error(&self, pointer: &str, message: impl std::fmt::Display) -> Error {
        Error::new(self.page_of(pointer), format!("`#{pointer}`: {message}")).about(pointer)
    }

    /// An error whose message may name an operation or a component (`list_models`,
    /// `DeploymentV1`): on the page that declared the first one it names, else the fallback's.
    pub fn error_naming(&self, message: impl Into<String>) -> Error {
        let message = message.into();
        let named = self.names.iter().find(|(name, _)| mentions(&message, name)).map(|(_, pointer)| pointer.clone());
        match named {
            Some(pointer) => self.error(&pointer, message),
            None => Error::new(&self.fallback, message)
                .with_hint("progenitor names no operation or schema here; this page comes first in spec/"),
        }
    }
}

/// Whether `text` holds `name` as a whole word.
fn mentions(text: &str, name: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}
