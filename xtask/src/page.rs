//! Pages: takes the `spec/` directory, gives every `*.md` under it with its text and a way to turn
//! byte offsets into the line and column a person sees.

use std::path::Path;

use crate::error::{Error, Errors};

/// The folder of the docs pages, under the repository root.
pub const SPEC_DIR: &str = "spec";

#[derive(Debug, Clone)]
pub struct Page {
    /// Relative to the repository root, `/`-separated: the name every message uses.
    pub path: String,
    pub text: String,
}

impl Page {
    /// A page; CRLF line ends become LF, so a page saved on Windows gives the same output.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let text = if text.contains("\r\n") { text.replace("\r\n", "\n") } else { text };
        Page { path: path.into(), text }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// Where `needle` first occurs at or after byte `from`, for errors about a value rather than
    /// a parse position (a `$ref`, a property name).
    pub fn locate(&self, needle: &str, from: usize) -> Option<(usize, usize)> {
        let from = from.min(self.text.len());
        self.text.get(from..)?.find(needle).map(|i| self.line_col(from + i))
    }

    /// Where the page declares what `pointer` (into the merged document) names: a component
    /// (`/components/schemas/Thing/properties/x`) or an operation (`/paths/~1v1~1x/get/...`): its
    /// key, then each name below it in turn, as near as the text allows.
    pub fn locate_pointer(&self, pointer: &str) -> Option<(usize, usize)> {
        let tokens: Vec<String> = pointer.split('/').map(crate::schema::untoken).collect();
        let skip = if tokens.get(1).is_some_and(|t| t == "paths") { 2 } else { 3 };
        let names: Vec<&String> = tokens
            .iter()
            .skip(skip)
            .filter(|token| crate::schema::holds(token).is_none() && token.parse::<usize>().is_err())
            .collect();
        let (first, below) = names.split_first()?;
        // The resolved form names a component only in `refIdentifier: '#/components/schemas/Thing'`,
        // and a path as `path: /v1/x`.
        let mut at = self.find_key(first, 0).or_else(|| self.text.find(first.as_str()))?;
        for name in below {
            match self.find_key(name, at) {
                Some(next) => at = next,
                None => break,
            }
        }
        Some(self.line_col(at))
    }

    /// The offset of the first `key:` at or after `from` that starts a YAML key.
    fn find_key(&self, key: &str, from: usize) -> Option<usize> {
        let needle = format!("{key}:");
        let mut start = from;
        while let Some(found) = self.text.get(start..)?.find(&needle) {
            let at = start + found;
            let before = self.text[..at].chars().next_back();
            if before.is_none_or(|c| c == ' ' || c == '\n' || c == '{') {
                return Some(at);
            }
            start = at + needle.len();
        }
        None
    }

    pub fn error(&self, message: impl Into<String>) -> Error {
        Error::new(self.path.clone(), message)
    }
}

/// Pages larger than this are refused before they are read: Baseten's largest is a few dozen KB.
pub const MAX_PAGE_BYTES: u64 = 4 * 1024 * 1024;

/// Reads every `*.md` under `dir` (recursively), sorted by path so that the order on disk never
/// matters. `root` is what paths are shown relative to.
pub fn load_pages(root: &Path, dir: &Path) -> Result<Vec<Page>, Errors> {
    let mut files = Vec::new();
    let mut errors = Errors::default();
    collect(dir, &mut files, &mut errors);
    let mut pages = Vec::new();
    for file in files {
        let shown = display_path(root, &file);
        if let Ok(meta) = std::fs::metadata(&file)
            && meta.len() > MAX_PAGE_BYTES
        {
            errors.push(
                Error::new(shown, format!("the page is {} bytes; the limit is {MAX_PAGE_BYTES}", meta.len()))
                    .with_hint("a docs page is a few kilobytes of Markdown: is this the right file?"),
            );
            continue;
        }
        match std::fs::read(&file) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => pages.push(Page::new(shown, text)),
                Err(e) => {
                    let page = Page::new(
                        shown,
                        String::from_utf8_lossy(e.as_bytes()[..e.utf8_error().valid_up_to()].as_ref()).into_owned(),
                    );
                    let at = page.line_col(page.text.len());
                    errors.push(
                        page.error("the page is not valid UTF-8")
                            .at(Some(at))
                            .with_hint("docs pages are UTF-8 Markdown; download the page again"),
                    );
                }
            },
            Err(e) => errors.push(Error::new(shown, format!("cannot read the page: {e}"))),
        }
    }
    if pages.is_empty() && errors.is_empty() {
        errors.push(
            Error::new(display_path(root, dir), "no `*.md` pages found")
                .with_hint("spec/ holds the docs pages, one `.md` per endpoint"),
        );
    }
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    errors.into_result(pages)
}

fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>, errors: &mut Errors) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(Error::new(dir.display().to_string(), format!("cannot read the directory: {e}")));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            collect(&path, files, errors);
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
}

pub fn display_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
