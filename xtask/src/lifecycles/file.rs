//! The lifecycles file read: takes the text of `spec/lifecycles.txt`, gives each lifecycle
//! with its reads, fields and classified statuses, every bad line an error naming it.

use std::path::Path;

use crate::error::{Error, Errors};
use crate::http::Method;

/// Where the lifecycles live, relative to the repository root.
pub const FILE: &str = "spec/lifecycles.txt";

/// The resources the generator knows how to wait on, by the name the file gives them.
pub const KNOWN: &[&str] = &["deployment", "training_job", "promotion", "chain_deployment"];

/// What a status means to a waiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    InProgress,
    Ready,
    Failed,
    /// Failed, and a retry does not fix it.
    FailedForGood,
    Stopped,
}

impl Phase {
    const WORDS: &[(&str, Phase)] = &[
        ("in-progress", Phase::InProgress),
        ("ready", Phase::Ready),
        ("failed", Phase::Failed),
        ("failed-for-good", Phase::FailedForGood),
        ("stopped", Phase::Stopped),
    ];

    fn parse(word: &str) -> Option<Phase> {
        Phase::WORDS.iter().find(|(known, _)| *known == word).map(|(_, phase)| *phase)
    }
}

/// One status of a lifecycle, with where the file says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub name: String,
    pub phase: Phase,
    /// What to do about it, for a wait's error that ends there.
    pub hint: Option<String>,
    /// The `source` line above it.
    pub source: String,
    pub line: usize,
}

/// An operation the file names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub method: Method,
    pub path: String,
    pub line: usize,
}

/// A field of the answer, as a path of property names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub path: Vec<String>,
    /// Marked `?`: only some eras have it; without it the waiter does without.
    pub optional: bool,
    pub line: usize,
}

/// One resource's lifecycle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    pub name: String,
    pub line: usize,
    pub reads: Vec<Route>,
    pub status: Option<Field>,
    pub error: Option<Field>,
    pub progress: Option<Field>,
    /// A list field whose items each carry a status (`name` names each), and that status field.
    pub parts: Option<(Field, String)>,
    /// Log lines that end with the resource.
    pub logs: Option<Route>,
    /// On its way while this field is set; its own `status` is that lifecycle's.
    pub during: Option<(Field, String)>,
    /// The statuses are this other lifecycle's.
    pub statuses_of: Option<(String, usize)>,
    pub statuses: Vec<Status>,
}

/// Every lifecycle, with the file they came from.
#[derive(Debug, Clone, Default)]
pub struct Lifecycles {
    pub file: String,
    pub list: Vec<Lifecycle>,
}

impl Lifecycles {
    /// Reads [`FILE`] under `root`; no file, no lifecycles (and so no waiters).
    pub fn load(root: &Path) -> Result<Lifecycles, Errors> {
        match std::fs::read_to_string(root.join(FILE)) {
            Ok(text) => Lifecycles::parse(FILE, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Lifecycles::default()),
            Err(e) => Err(Error::new(FILE, format!("cannot read the lifecycles: {e}")).into()),
        }
    }

    /// The lifecycle named `name`.
    pub fn get(&self, name: &str) -> Option<&Lifecycle> {
        self.list.iter().find(|lifecycle| lifecycle.name == name)
    }

    /// The statuses of `lifecycle`: its own, or those of the one it takes them from.
    pub fn statuses_of<'a>(&'a self, lifecycle: &'a Lifecycle) -> &'a [Status] {
        match &lifecycle.statuses_of {
            Some((other, _)) => self.get(other).map_or(&[], |other| &other.statuses),
            None => &lifecycle.statuses,
        }
    }

    /// The error for a line of the file.
    pub fn error_at(&self, line: usize, message: String) -> Error {
        Error::new(&self.file, message).at(Some((line, 1)))
    }
}

const HINT: &str = "the lines of a lifecycle are `lifecycle NAME`, `read METHOD PATH`, `status[?] FIELD.FIELD`, \
                    `error[?] …`, `progress[?] …`, `parts FIELD STATUS`, `logs METHOD PATH`, `while FIELD NAME`, \
                    `statuses-of NAME`, `source WHERE` and `STATUS PHASE [-- HINT]` (the header of spec/lifecycles.txt)";

impl Lifecycles {
    /// Parses the text of a lifecycles file shown as `file`, reporting every bad line.
    pub fn parse(file: &str, text: &str) -> Result<Lifecycles, Errors> {
        let mut parser = Parser { file, errors: Errors::default(), list: Vec::new(), source: None };
        for (index, raw) in text.lines().enumerate() {
            let trimmed = raw.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                parser.line(index + 1, trimmed);
            }
        }
        let Parser { errors, list, .. } = parser;
        let lifecycles = Lifecycles { file: file.to_string(), list };
        let mut errors = errors;
        for error in lifecycles.consistency() {
            errors.push(error);
        }
        errors.into_result(lifecycles)
    }

    /// What a file can get wrong on its own: unknown and repeated names, a lifecycle with no
    /// statuses or no status field.
    fn consistency(&self) -> Vec<Error> {
        let mut errors = Vec::new();
        for (index, lifecycle) in self.list.iter().enumerate() {
            let at = |message: String| self.error_at(lifecycle.line, message).with_hint(HINT);
            if !KNOWN.contains(&lifecycle.name.as_str()) {
                errors.push(at(format!(
                    "no waiter knows the lifecycle `{}`: the generator knows {}",
                    lifecycle.name,
                    KNOWN.join(", ")
                )));
            }
            if self.list[..index].iter().any(|earlier| earlier.name == lifecycle.name) {
                errors.push(at(format!("a second lifecycle `{}`", lifecycle.name)));
            }
            if lifecycle.status.is_none() {
                errors.push(at(format!("the lifecycle `{}` has no `status` line", lifecycle.name)));
            }
            match &lifecycle.statuses_of {
                Some((other, line)) if self.get(other).is_none_or(|o| o.statuses_of.is_some()) => errors
                    .push(self.error_at(*line, format!("`statuses-of {other}`: no lifecycle `{other}` with statuses"))),
                None if lifecycle.statuses.is_empty() => {
                    errors.push(at(format!("the lifecycle `{}` lists no status", lifecycle.name)))
                }
                _ => {}
            }
        }
        errors
    }
}

/// The parse's state: the lifecycles so far and the `source` the next statuses come from.
struct Parser<'f> {
    file: &'f str,
    errors: Errors,
    list: Vec<Lifecycle>,
    source: Option<String>,
}

impl Parser<'_> {
    fn error(&mut self, line: usize, message: String) {
        self.errors.push(Error::new(self.file, message).at(Some((line, 1))).with_hint(HINT));
    }

    fn line(&mut self, line: usize, text: &str) {
        let (keyword, rest) = text.split_once(char::is_whitespace).map_or((text, ""), |(k, r)| (k, r.trim()));
        if keyword == "lifecycle" {
            self.source = None;
            return self.list.push(Lifecycle {
                name: rest.to_string(),
                line,
                reads: Vec::new(),
                status: None,
                error: None,
                progress: None,
                parts: None,
                logs: None,
                during: None,
                statuses_of: None,
                statuses: Vec::new(),
            });
        }
        if keyword == "source" {
            self.source = Some(rest.to_string());
            return;
        }
        let Some(lifecycle) = self.list.last_mut() else {
            return self.error(line, format!("`{text}` before the first `lifecycle` line"));
        };
        if let Err(message) = apply(lifecycle, keyword, rest, line, self.source.as_deref()) {
            self.error(line, message);
        }
    }
}

/// One line of a lifecycle's block applied to it.
fn apply(
    lifecycle: &mut Lifecycle,
    keyword: &str,
    rest: &str,
    line: usize,
    source: Option<&str>,
) -> Result<(), String> {
    let words: Vec<&str> = rest.split_whitespace().collect();
    let field =
        |path: &str, optional: bool| Field { path: path.split('.').map(str::to_string).collect(), optional, line };
    match (keyword, words.as_slice()) {
        ("read", [method, path]) => lifecycle.reads.push(route(method, path, line)?),
        ("logs", [method, path]) => lifecycle.logs = Some(route(method, path, line)?),
        ("status" | "status?", [path]) => lifecycle.status = Some(field(path, keyword.ends_with('?'))),
        ("error" | "error?", [path]) => lifecycle.error = Some(field(path, keyword.ends_with('?'))),
        ("progress" | "progress?", [path]) => lifecycle.progress = Some(field(path, keyword.ends_with('?'))),
        ("parts", [path, status]) => lifecycle.parts = Some((field(path, false), status.to_string())),
        ("while", [path, other]) => lifecycle.during = Some((field(path, false), other.to_string())),
        ("statuses-of", [other]) => lifecycle.statuses_of = Some((other.to_string(), line)),
        (status, _) if is_status(status) => {
            lifecycle.statuses.push(status_line(lifecycle, status, rest, line, source)?)
        }
        _ => return Err(format!("not a lifecycle line: `{keyword} {rest}`")),
    }
    Ok(())
}

fn is_status(word: &str) -> bool {
    word.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn route(method: &str, path: &str, line: usize) -> Result<Route, String> {
    let parsed = Method::parse(method).filter(|parsed| parsed.to_string() == method);
    match parsed {
        Some(method) if path.starts_with('/') => Ok(Route { method, path: path.to_string(), line }),
        _ => Err(format!("`{method} {path}` is not an operation: a method in capitals and a path from `/`")),
    }
}

/// `STATUS PHASE [-- HINT]`, under the latest `source`.
fn status_line(
    lifecycle: &Lifecycle,
    name: &str,
    rest: &str,
    line: usize,
    source: Option<&str>,
) -> Result<Status, String> {
    let (phase, hint) = rest.split_once("--").map_or((rest, None), |(p, h)| (p, Some(h.trim().to_string())));
    let words = Phase::WORDS.iter().map(|(word, _)| *word).collect::<Vec<_>>().join(", ");
    let phase =
        Phase::parse(phase.trim()).ok_or_else(|| format!("`{name}`: `{}` is not one of {words}", phase.trim()))?;
    let source = source.ok_or_else(|| format!("`{name}` has no `source` line above it in its lifecycle"))?;
    if let Some(earlier) = lifecycle.statuses.iter().find(|status| status.name == name) {
        return Err(format!("`{name}` again (the first is on line {})", earlier.line));
    }
    Ok(Status { name: name.to_string(), phase, hint, source: source.to_string(), line })
}
