//! Outcome: takes what the reconciler settled or could not, gives it as records (each
//! disagreement, its pages and what the merge did), the conflict error that names both pages
//! and the decision that settles it, and the drift as Markdown.

use std::fmt;

use serde_json::Value;

use super::declarations::{Declaration, PageValues, in_order_of_first_appearance};
use crate::error::Error;
use crate::schema::token;

/// One place where pages disagreed and the merge settled it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reconciliation {
    /// JSON pointer, in the merged document, of the schema (or object) the keyword sits in.
    pub at: String,
    pub keyword: String,
    pub outcome: Outcome,
    /// What each group of pages declares, the richest declaration's group first.
    pub sides: Vec<Side>,
}

/// What the merge did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A property, enum value or union member some pages lack: kept.
    Kept(String),
    /// Texts differ: the richest declaration's kept.
    Richest,
    /// `true` kept: some page says so.
    True,
    /// Dropped: the pages disagree (a default, pattern or format), or a page has none (a bound,
    /// a subschema).
    Dropped,
    /// The loosest bound kept.
    Loosest(String),
    /// `name` required: requests alone reach the schema, and some page requires it.
    Required(String),
    /// `name` optional: responses reach the schema, and some page does not require it.
    Optional(String),
    /// `null` joins the type.
    Nullable,
    /// The type read is the union of the pages' (`number` over `integer`).
    ReadAs(String),
    /// The type sent is the intersection of the pages' (`integer` over `number`, no `null`
    /// unless every page has it).
    SentAs(String),
    /// The tightest bound kept: requests alone reach the schema.
    Tightest(String),
    /// A union member or mapping entry some pages lack, dropped: requests alone reach it.
    NotSent(String),
    /// Every operation authenticates with this bearer scheme, as every page's scheme accepts.
    OneCredential(String),
    /// One enum value spelled several ways: one variant reads every spelling, sends `sent`.
    Respelled { sent: String, also: Vec<String>, why: String },
    /// A reviewed decision kept this page's declaration.
    Decided { page: String, line: usize },
    /// A known mistake of the docs corrected (see `errata`): what the client does instead.
    Erratum(String),
}

/// Pages that declare the same thing, and what (briefly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub says: String,
    pub pages: Vec<String>,
    /// Whether these pages lack what is reconciled (a property, a union member, an enum value,
    /// a keyword): what they say is its absence.
    pub lacks: bool,
}

impl Side {
    /// Pages that declare what `says` says.
    pub fn new(says: impl Into<String>, pages: Vec<String>) -> Side {
        Side { says: says.into(), pages, lacks: false }
    }

    /// Up to three pages by name; past that, the first two and how many more.
    pub fn pages_in_brief(&self) -> String {
        match self.pages.as_slice() {
            [a, b, _, _, ..] => format!("{a}, {b} and {} more", self.pages.len() - 2),
            pages => pages.join(", "),
        }
    }
}

impl fmt::Display for Reconciliation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keyword = &self.keyword;
        write!(f, "`#{}`: ", self.at)?;
        match &self.outcome {
            Outcome::Kept(what) => write!(f, "{what} kept (union)")?,
            Outcome::Richest => write!(f, "`{keyword}` differs: the richest declaration's kept")?,
            Outcome::True => write!(f, "`{keyword}: true` kept")?,
            Outcome::Dropped if keyword == "default" => {
                write!(f, "`default` dropped: the server's current default applies")?
            }
            Outcome::Dropped => write!(f, "`{keyword}` dropped")?,
            Outcome::Loosest(value) => write!(f, "`{keyword}` loosest kept: {value}")?,
            Outcome::Required(name) => {
                write!(f, "`{name}` required (only requests reach it: required where any page requires it)")?
            }
            Outcome::Optional(name) => {
                write!(f, "`{name}` optional (responses reach it: required only where every page requires it)")?
            }
            Outcome::Nullable => write!(f, "`type` made nullable")?,
            Outcome::ReadAs(types) => write!(f, "`type` read as the union: {types}")?,
            Outcome::SentAs(types) => write!(f, "`type` sent as the intersection (only requests reach it): {types}")?,
            Outcome::Tightest(value) => write!(f, "`{keyword}` tightest kept (only requests reach it): {value}")?,
            Outcome::NotSent(what) => {
                write!(f, "{what} dropped (only requests reach it: sent only where every page accepts it)")?
            }
            Outcome::OneCredential(scheme) => write!(
                f,
                "every operation sends `Authorization: Bearer <key>` ({scheme}): what every page's scheme accepts"
            )?,
            Outcome::Respelled { sent, also, why } => {
                let also: Vec<String> = also.iter().map(|v| format!("{v:?}")).collect();
                write!(
                    f,
                    "enum value {sent:?} also spelled {}: one variant reads both, sends {sent:?} ({why})",
                    also.join(", ")
                )?
            }
            Outcome::Decided { page, line } => write!(f, "{page}'s declaration kept, as decided on line {line}")?,
            Outcome::Erratum(what) => write!(f, "docs erratum corrected: {what}")?,
        }
        let sides: Vec<String> =
            self.sides.iter().map(|side| format!("{} on {}", side.says, side.pages_in_brief())).collect();
        write!(f, " ({})", sides.join("; "))
    }
}

/// Two pages that declare one keyword differently, where the policy allows no difference.
#[derive(Debug, Clone)]
pub struct Conflict {
    /// The schema (or object) holding the keyword: where a decision applies.
    pub at: String,
    pub keyword: String,
    pub first: (String, Option<Value>),
    pub second: (String, Option<Value>),
}

impl Conflict {
    /// The error a maintainer sees: both pages, the pointer, and the lines that settle it.
    pub fn to_error(&self, decisions_file: &str) -> Error {
        let ((a, x), (b, y)) = (&self.first, &self.second);
        let keyword = if self.keyword.is_empty() { String::new() } else { format!("/{}", token(&self.keyword)) };
        let (x, y) = (brief(x.as_ref()), brief(y.as_ref()));
        Error::new(b, format!("`#{}{keyword}` differs between pages: {y} here, {x} on {a}", self.at))
            .about(&self.at)
            .with_hint(format!(
                "the drift policy (ARCHITECTURE.md, \"The merge rule\") does not settle this. If one page is right, keep its \
                 declaration with one of these lines in {decisions_file}:\n    {}\n    {}",
                crate::decisions::line(a, &self.at),
                crate::decisions::line(b, &self.at)
            ))
    }
}

pub(super) fn conflict(at: &str, keyword: &str, a: &Declaration<'_>, b: &Declaration<'_>) -> Box<Conflict> {
    Box::new(Conflict {
        at: at.to_string(),
        keyword: keyword.to_string(),
        first: (a.page.to_string(), Some(a.value.get(keyword).unwrap_or(a.value).clone())),
        second: (b.page.to_string(), Some(b.value.get(keyword).unwrap_or(b.value).clone())),
    })
}

pub(super) fn conflict_between(
    at: &str,
    keyword: &str,
    a: (&str, Option<&Value>),
    b: (&str, Option<&Value>),
) -> Box<Conflict> {
    Box::new(Conflict {
        at: at.to_string(),
        keyword: keyword.to_string(),
        first: (a.0.to_string(), a.1.cloned()),
        second: (b.0.to_string(), b.1.cloned()),
    })
}

/// The pages grouped by what they declare (absent counts), in order of first appearance.
pub(super) fn sides(values: &PageValues<'_>) -> Vec<Side> {
    let groups = in_order_of_first_appearance(values.iter().map(|(page, value)| (*value, *page)));
    groups
        .into_iter()
        .map(|(value, pages)| {
            let pages = in_order_of_first_appearance(pages.into_iter().map(|page| (page, ())));
            let pages = pages.into_iter().map(|(page, _)| page.to_string()).collect();
            Side { says: brief(value), pages, lacks: value.is_none() }
        })
        .collect()
}

/// Which of the pages declare, list or map something: every one, or some, and then the sides
/// a record of it gives.
#[derive(Clone, Copy)]
pub(super) struct Presence<'a> {
    pub(super) pages: &'a [&'a str],
    pub(super) having: &'a [&'a str],
}

impl Presence<'_> {
    pub(super) fn everywhere(&self) -> bool {
        self.pages.iter().all(|page| self.having.contains(page))
    }

    /// The pages grouped by whether they have it, each side saying so in `word`: `declared` /
    /// `not declared`.
    pub(super) fn sides(&self, word: &str) -> Vec<Side> {
        let has = |page: &&str| self.having.contains(page);
        let pages = in_order_of_first_appearance(self.pages.iter().map(|page| (*page, ())));
        let groups = in_order_of_first_appearance(pages.into_iter().map(|(page, _)| (has(&page), page.to_string())));
        let groups = groups.into_iter().map(|(has, pages)| {
            let says = if has { word.to_string() } else { format!("not {word}") };
            Side { says, pages, lacks: !has }
        });
        groups.collect()
    }
}

/// A value in one short line; `absent` for none.
pub(crate) fn brief(value: Option<&Value>) -> String {
    let Some(value) = value else { return "absent".to_string() };
    let text = value.to_string();
    if text.chars().count() > 60 { format!("{}…", text.chars().take(60).collect::<String>()) } else { text }
}

/// The drift the merge settled between pages, and the reviewed decisions it applied, as
/// Markdown sections for the same pull request.
pub fn drift_markdown(reconciliations: &[Reconciliation]) -> String {
    let (decided, reconciled): (Vec<&Reconciliation>, Vec<&Reconciliation>) =
        reconciliations.iter().partition(|r| matches!(r.outcome, Outcome::Decided { .. }));
    let mut out = String::from("\n## Drift between pages\n\n");
    if reconciliations.is_empty() {
        out.push_str("The pages agree: nothing to reconcile.\n");
        return out;
    }
    out.push_str(&format!(
        "{} disagreements settled by the drift policy, {} by reviewed decisions.\n",
        reconciled.len(),
        decided.len()
    ));
    for (title, list) in [("Reconciled by the drift policy", reconciled), ("Settled by decisions", decided)] {
        if !list.is_empty() {
            out.push_str(&format!("\n### {title}\n\n"));
            for r in list {
                out.push_str(&format!("- {r}\n"));
            }
        }
    }
    out
}
