//! Reconcile: takes every page's declaration of one component (or path-level parameter),
//! gives the one declaration the merged document holds, keyword by keyword as [`policy`]
//! says, with a record of each disagreement it settled; or the real conflict it cannot settle,
//! unless a reviewed decision settles it.

use std::borrow::Cow;
use std::fmt;

use serde_json::{Map, Value, json};

use super::policy::{self, Rule};
use crate::decisions::{Decision, Decisions};
use crate::direction::Direction;
use crate::error::Error;
use crate::schema::token;

/// One page's declaration of what is being reconciled.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Declaration<'a> {
    pub page: &'a str,
    pub value: &'a Value,
}

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
    /// A reviewed decision kept this page's declaration.
    Decided { page: String, line: usize },
}

/// Pages that declare the same thing, and what (briefly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub says: String,
    pub pages: Vec<String>,
}

impl Side {
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
            Outcome::Decided { page, line } => write!(f, "{page}'s declaration kept, as decided on line {line}")?,
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
                "the drift policy (README, \"The merge rule\") does not settle this. If one page is right, keep its \
                 declaration with one of these lines in {decisions_file}:\n    {}\n    {}",
                crate::decisions::line(a, &self.at),
                crate::decisions::line(b, &self.at)
            ))
    }
}

/// What reconciling one component needs besides its declarations.
pub(crate) struct Reconciler<'a> {
    pub direction: Direction,
    pub decisions: &'a Decisions,
    /// Lines of the decisions visited, stale or applied.
    pub visited: Vec<usize>,
    pub log: Vec<Reconciliation>,
    /// Decisions that answer no conflict, or name a page that does not declare their pointer.
    pub errors: Vec<Error>,
}

type Values<'a> = [(&'a str, Option<&'a Value>)];

impl<'a> Reconciler<'a> {
    pub(crate) fn new(direction: Direction, decisions: &'a Decisions) -> Self {
        Reconciler { direction, decisions, visited: Vec::new(), log: Vec::new(), errors: Vec::new() }
    }

    /// The declarations at `at` (a pointer in the merged document) as one, richest first.
    pub(crate) fn node(&mut self, at: &str, declarations: &[Declaration<'_>]) -> Result<Value, Box<Conflict>> {
        match self.decisions.at(at) {
            Some(decision) => self.decide(at, declarations, decision),
            None => self.reconcile(at, declarations),
        }
    }

    /// A reviewed decision at `at`: it must still answer a conflict there.
    fn decide(
        &mut self,
        at: &str,
        declarations: &[Declaration<'_>],
        decision: &Decision,
    ) -> Result<Value, Box<Conflict>> {
        self.visited.push(decision.line);
        let logged = self.log.len();
        let attempt = self.reconcile(at, declarations);
        let conflict = match attempt {
            Ok(value) => {
                let message = format!("no conflict at `#{at}` any more: the pages' declarations reconcile");
                let error = self.decisions.error(decision, message).with_hint("remove the line");
                self.errors.push(error);
                return Ok(value);
            }
            Err(conflict) => conflict,
        };
        self.log.truncate(logged);
        let Some(kept) = declarations.iter().find(|d| d.page == decision.page) else {
            let pages: Vec<&str> = declarations.iter().map(|d| d.page).collect();
            let message = format!("{} does not declare `#{at}`; {} do", decision.page, pages.join(", "));
            self.errors.push(self.decisions.error(decision, message));
            return Err(conflict);
        };
        let sides = sides(&declarations.iter().map(|d| (d.page, Some(d.value))).collect::<Vec<_>>());
        let outcome = Outcome::Decided { page: decision.page.clone(), line: decision.line };
        self.log.push(Reconciliation { at: at.to_string(), keyword: String::new(), outcome, sides });
        Ok(kept.value.clone())
    }

    fn reconcile(&mut self, at: &str, declarations: &[Declaration<'_>]) -> Result<Value, Box<Conflict>> {
        let first = declarations[0].value;
        if declarations.iter().all(|d| d.value == first) {
            return Ok(first.clone());
        }
        if let Some(other) = declarations.iter().find(|d| !d.value.is_object()) {
            return Err(conflict(at, "", &declarations[0], other));
        }
        let lifted = lift_into_union(at, declarations)?;
        let lifted: Vec<Declaration<'_>> = lifted.iter().map(|(page, value)| Declaration { page, value }).collect();
        let mut keys: Vec<&String> = Vec::new();
        for declaration in &lifted {
            for key in declaration.value.as_object().into_iter().flat_map(|m| m.keys()) {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        let mut out = Map::new();
        for key in keys {
            let values: Vec<(&str, Option<&Value>)> =
                lifted.iter().map(|d| (d.page, d.value.get(key.as_str()))).collect();
            if let Some(value) = self.keyword(at, key, &values)? {
                out.insert(key.clone(), value);
            }
        }
        Ok(in_canonical_order(at, out))
    }

    /// One keyword of the declarations at `at`, as its policy row says; `None` drops it.
    fn keyword(&mut self, at: &str, key: &str, values: &Values<'_>) -> Result<Option<Value>, Box<Conflict>> {
        let present: Vec<(&str, &Value)> = values.iter().filter_map(|(p, v)| v.map(|v| (*p, v))).collect();
        if present.len() == values.len() && present.iter().all(|(_, v)| *v == present[0].1) {
            return Ok(Some(present[0].1.clone()));
        }
        let rule = policy::rule(key);
        let settled = match rule {
            Rule::Richest => Some((Outcome::Richest, Some(present[0].1.clone()))),
            Rule::AnyTrue if present.iter().all(|(_, v)| v.is_boolean()) => {
                let any = present.iter().any(|(_, v)| **v == json!(true));
                Some(if any { (Outcome::True, Some(json!(true))) } else { (Outcome::Dropped, None) })
            }
            Rule::AgreeOrDrop => Some((Outcome::Dropped, None)),
            Rule::Smallest | Rule::Largest => Some(loosest(rule, values)),
            Rule::TypeOrNull => nullable(values).map(|types| (Outcome::Nullable, Some(types))),
            Rule::Union => return self.named(at, key, values).map(Some),
            Rule::EnumUnion => return Ok(Some(self.enum_values(at, values))),
            Rule::RequiredByDirection => return Ok(self.required(at, values)),
            Rule::Members => return self.members(at, key, values).map(Some),
            Rule::Positional => return self.positional(at, key, values).map(Some),
            Rule::Subschema => return self.subschema(at, key, values),
            Rule::AnyTrue | Rule::Agree => None,
        };
        let Some((outcome, value)) = settled else {
            let differs = values.iter().find(|(_, v)| *v != values[0].1).unwrap_or(&values[0]);
            return Err(conflict_between(at, key, values[0], *differs));
        };
        self.record(at, key, outcome, values);
        Ok(value)
    }

    fn record(&mut self, at: &str, keyword: &str, outcome: Outcome, values: &Values<'_>) {
        self.log.push(Reconciliation {
            at: at.to_string(),
            keyword: keyword.to_string(),
            outcome,
            sides: sides(values),
        });
    }

    /// The union of `properties` (or other subschemas by name), each reconciled.
    fn named(&mut self, at: &str, key: &str, values: &Values<'_>) -> Result<Value, Box<Conflict>> {
        let mut names: Vec<&String> = Vec::new();
        for (page, value) in values {
            match value {
                None => {}
                Some(Value::Object(map)) => names.extend(map.keys().filter(|k| !names.contains(k)).collect::<Vec<_>>()),
                Some(_) => return Err(conflict_between(at, key, values[0], (page, *value))),
            }
        }
        let mut out = Map::new();
        for name in names {
            let here = format!("{at}/{}/{}", token(key), token(name));
            let has: Vec<(&str, Option<&Value>)> =
                values.iter().map(|(p, v)| (*p, v.and_then(|v| v.get(name.as_str())))).collect();
            let declarations: Vec<Declaration<'_>> =
                has.iter().filter_map(|(page, v)| v.map(|value| Declaration { page, value })).collect();
            out.insert(name.clone(), self.node(&here, &declarations)?);
            if declarations.len() < values.len() {
                let presence: Vec<(&str, Option<&Value>)> =
                    has.iter().map(|(p, v)| (*p, v.map(|_| &Value::Null))).collect();
                let sides = sides(&presence)
                    .into_iter()
                    .map(|s| Side { says: presence_word(&s.says, "declared"), ..s })
                    .collect();
                let what = if key == "properties" { "property" } else { key };
                let outcome = Outcome::Kept(format!("{what} `{name}`"));
                self.log.push(Reconciliation { at: here, keyword: key.to_string(), outcome, sides });
            }
        }
        Ok(Value::Object(out))
    }

    /// The union of enum values, in order of first appearance.
    fn enum_values(&mut self, at: &str, values: &Values<'_>) -> Value {
        let lists: Vec<(&str, &[Value])> = values
            .iter()
            .map(|(p, v)| (*p, v.and_then(Value::as_array).map_or(&[][..], Vec::as_slice)))
            .collect();
        let mut out: Vec<Value> = Vec::new();
        for (_, list) in &lists {
            out.extend(list.iter().filter(|v| !out.contains(v)).cloned().collect::<Vec<_>>());
        }
        for value in &out {
            let presence: Vec<(&str, Option<&Value>)> =
                lists.iter().map(|(p, list)| (*p, list.contains(value).then_some(&Value::Null))).collect();
            if presence.iter().any(|(_, v)| v.is_none()) {
                let sides = sides(&presence)
                    .into_iter()
                    .map(|s| Side { says: presence_word(&s.says, "listed"), ..s })
                    .collect();
                let outcome = Outcome::Kept(format!("enum value {value}"));
                self.log.push(Reconciliation { at: at.to_string(), keyword: "enum".into(), outcome, sides });
            }
        }
        Value::Array(out)
    }

    /// `required` by direction: a list on a schema, a flag on a parameter.
    fn required(&mut self, at: &str, values: &Values<'_>) -> Option<Value> {
        if values.iter().any(|(_, v)| v.is_some_and(Value::is_boolean)) {
            let any = values.iter().any(|(_, v)| *v == Some(&json!(true)));
            self.record(at, "required", if any { Outcome::True } else { Outcome::Dropped }, values);
            return Some(json!(any));
        }
        let lists: Vec<(&str, Vec<&str>)> = values
            .iter()
            .map(|(p, v)| (*p, v.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()))
            .collect();
        let mut names: Vec<&str> = Vec::new();
        for (_, list) in &lists {
            names.extend(list.iter().filter(|n| !names.contains(n)).collect::<Vec<_>>());
        }
        let mut kept = Vec::new();
        for name in names {
            let presence: Vec<(&str, Option<&Value>)> =
                lists.iter().map(|(p, list)| (*p, list.contains(&name).then_some(&Value::Null))).collect();
            let everywhere = presence.iter().all(|(_, v)| v.is_some());
            let request_only = self.direction == Direction::Request;
            if everywhere || request_only {
                kept.push(json!(name));
            }
            if !everywhere {
                let outcome = if request_only {
                    Outcome::Required(name.to_string())
                } else {
                    Outcome::Optional(name.to_string())
                };
                let sides = sides(&presence)
                    .into_iter()
                    .map(|s| Side { says: presence_word(&s.says, "required"), ..s })
                    .collect();
                self.log.push(Reconciliation { at: at.to_string(), keyword: "required".into(), outcome, sides });
            }
        }
        (!kept.is_empty()).then_some(Value::Array(kept))
    }

    /// `anyOf`/`oneOf` members matched by shape, each reconciled; a member some pages lack is kept.
    fn members(&mut self, at: &str, key: &str, values: &Values<'_>) -> Result<Value, Box<Conflict>> {
        let mut lists: Vec<(&str, &Vec<Value>)> = Vec::new();
        for (page, value) in values {
            match value {
                Some(Value::Array(list)) => lists.push((page, list)),
                _ => return Err(conflict_between(at, key, values[0], (page, *value))),
            }
        }
        let groups = group_by_shape(&lists);
        let shared = groups.iter().any(|(shape, members)| shape != "type null" && members.len() == lists.len());
        if !shared {
            let differs = values.iter().find(|(_, v)| *v != values[0].1).unwrap_or(&values[0]);
            return Err(conflict_between(at, key, values[0], *differs));
        }
        let mut out = Vec::new();
        for (i, (shape, members)) in groups.iter().enumerate() {
            let here = format!("{at}/{}/{i}", token(key));
            out.push(self.node(&here, members)?);
            if members.len() < lists.len() {
                let presence: Vec<(&str, Option<&Value>)> = lists
                    .iter()
                    .map(|(p, _)| (*p, members.iter().any(|m| m.page == *p).then_some(&Value::Null)))
                    .collect();
                let sides = sides(&presence)
                    .into_iter()
                    .map(|s| Side { says: presence_word(&s.says, "a member"), ..s })
                    .collect();
                let what = if shape == "type null" {
                    "member `null` (nullable)".to_string()
                } else {
                    format!("member `{shape}`")
                };
                self.log.push(Reconciliation {
                    at: here,
                    keyword: key.to_string(),
                    outcome: Outcome::Kept(what),
                    sides,
                });
            }
        }
        Ok(Value::Array(out))
    }

    /// `allOf`, `prefixItems`: position by position.
    fn positional(&mut self, at: &str, key: &str, values: &Values<'_>) -> Result<Value, Box<Conflict>> {
        let lists: Vec<(&str, &Vec<Value>)> =
            values.iter().filter_map(|(p, v)| v.and_then(Value::as_array).map(|l| (*p, l))).collect();
        let length = lists.first().map(|(_, l)| l.len());
        if lists.len() < values.len() || lists.iter().any(|(_, l)| Some(l.len()) != length) {
            let differs = values
                .iter()
                .find(|(_, v)| v.and_then(Value::as_array).map(Vec::len) != length)
                .unwrap_or(&values[0]);
            return Err(conflict_between(at, key, values[0], *differs));
        }
        let mut out = Vec::new();
        for i in 0..length.unwrap_or(0) {
            let declarations: Vec<Declaration<'_>> =
                lists.iter().map(|(page, l)| Declaration { page, value: &l[i] }).collect();
            out.push(self.node(&format!("{at}/{}/{i}", token(key)), &declarations)?);
        }
        Ok(Value::Array(out))
    }

    /// `items`, `additionalProperties`, ...: reconciled, or dropped where a page allows anything.
    fn subschema(&mut self, at: &str, key: &str, values: &Values<'_>) -> Result<Option<Value>, Box<Conflict>> {
        if values.iter().any(|(_, v)| v.is_none() || *v == Some(&json!(true))) {
            self.record(at, key, Outcome::Dropped, values);
            return Ok(None);
        }
        let declarations: Vec<Declaration<'_>> =
            values.iter().filter_map(|(page, v)| v.map(|value| Declaration { page, value })).collect();
        self.node(&format!("{at}/{}", token(key)), &declarations).map(Some)
    }
}

/// Union members by shape (`$ref X`, `type string`; a second member of one shape on one page is
/// `... #2`), each with the pages' members of that shape, in order of first appearance.
fn group_by_shape<'a>(lists: &[(&'a str, &'a Vec<Value>)]) -> Vec<(String, Vec<Declaration<'a>>)> {
    let mut groups: Vec<(String, Vec<Declaration<'a>>)> = Vec::new();
    for (page, list) in lists {
        let mut seen: Vec<String> = Vec::new();
        for member in list.iter() {
            let mut shape = shape(member);
            let repeat = seen.iter().filter(|s| **s == shape).count();
            seen.push(shape.clone());
            if repeat > 0 {
                shape = format!("{shape} #{}", repeat + 1);
            }
            let declaration = Declaration { page, value: member };
            match groups.iter_mut().find(|(s, _)| *s == shape) {
                Some((_, members)) => members.push(declaration),
                None => groups.push((shape, vec![declaration])),
            }
        }
    }
    groups
}

/// Where some declarations are a union (`anyOf`/`oneOf`) and others a lone schema, each lone
/// one becomes a one-member union, its annotations staying beside it; the members then match
/// by shape. A union keyword against the other one is a conflict.
fn lift_into_union<'a>(
    at: &str,
    declarations: &[Declaration<'a>],
) -> Result<Vec<(&'a str, Cow<'a, Value>)>, Box<Conflict>> {
    let unions = ["anyOf", "oneOf"];
    let union_of = |d: &Declaration<'_>| unions.into_iter().find(|k| d.value.get(*k).is_some());
    let Some((first, key)) = declarations.iter().find_map(|d| union_of(d).map(|k| (d, k))) else {
        return Ok(declarations.iter().map(|d| (d.page, Cow::Borrowed(d.value))).collect());
    };
    let mut out = Vec::new();
    for declaration in declarations {
        match union_of(declaration) {
            Some(k) if k == key => out.push((declaration.page, Cow::Borrowed(declaration.value))),
            Some(_) => return Err(conflict(at, key, first, declaration)),
            None => {
                let Some(map) = declaration.value.as_object() else {
                    return Err(conflict(at, key, first, declaration));
                };
                let (beside, member): (Map<String, Value>, Map<String, Value>) =
                    map.iter().map(|(k, v)| (k.clone(), v.clone())).partition(|(k, _)| policy::stays_beside_union(k));
                let mut lifted = beside;
                lifted.insert(key.to_string(), json!([Value::Object(member)]));
                out.push((declaration.page, Cow::Owned(crate::schema::canonical(&Value::Object(lifted)))));
            }
        }
    }
    Ok(out)
}

/// The keys in the order normalize lays them out: a parameter object's `name` and `in` first,
/// then the rest sorted (a subschema's properties keep their order, being one value).
fn in_canonical_order(at: &str, mut map: Map<String, Value>) -> Value {
    let tokens: Vec<&str> = at.split('/').collect();
    let parameter =
        matches!(tokens.as_slice(), ["", "components", "parameters", _] | ["", "paths", _, "parameters", _]);
    map.sort_keys();
    if parameter { crate::normalize::canon_parameter(&Value::Object(map)) } else { Value::Object(map) }
}

/// What a union member is, to match it with its counterpart on another page.
fn shape(member: &Value) -> String {
    if let Some(reference) = member.get("$ref").and_then(Value::as_str) {
        return format!("$ref {reference}");
    }
    match member.get("type") {
        Some(Value::String(t)) => format!("type {t}"),
        Some(other) => format!("type {other}"),
        None => ["const", "enum", "allOf", "anyOf", "oneOf"]
            .into_iter()
            .find(|k| member.get(*k).is_some())
            .unwrap_or("any")
            .to_string(),
    }
}

/// The loosest of the bounds: none where a page has none, else the smallest (or largest).
fn loosest(rule: Rule, values: &Values<'_>) -> (Outcome, Option<Value>) {
    let numbers: Option<Vec<f64>> = values.iter().map(|(_, v)| v.and_then(Value::as_f64)).collect();
    let Some(numbers) = numbers else { return (Outcome::Dropped, None) };
    let pick = |a: f64, b: f64| if rule == Rule::Smallest { a.min(b) } else { a.max(b) };
    let best = numbers.iter().copied().fold(numbers[0], pick);
    let value = values
        .iter()
        .filter_map(|(_, v)| *v)
        .find(|v| v.as_f64() == Some(best))
        .cloned()
        .unwrap_or(Value::Null);
    (Outcome::Loosest(value.to_string()), Some(value))
}

/// `type` where the declarations differ only by `null`: the type with `null`.
fn nullable(values: &Values<'_>) -> Option<Value> {
    let types: Option<Vec<Vec<&str>>> = values
        .iter()
        .map(|(_, v)| match (*v)? {
            Value::String(t) => Some(vec![t.as_str()]),
            Value::Array(list) => list.iter().map(Value::as_str).collect(),
            _ => None,
        })
        .collect();
    let types = types?;
    fn without_null<'v>(list: &[&'v str]) -> Vec<&'v str> {
        list.iter().copied().filter(|t| *t != "null").collect()
    }
    let core = without_null(&types[0]);
    if core.is_empty() || types.iter().any(|list| without_null(list) != core) {
        return None;
    }
    let mut out: Vec<Value> = core.into_iter().map(|t| json!(t)).collect();
    out.push(json!("null"));
    Some(Value::Array(out))
}

fn conflict(at: &str, keyword: &str, a: &Declaration<'_>, b: &Declaration<'_>) -> Box<Conflict> {
    Box::new(Conflict {
        at: at.to_string(),
        keyword: keyword.to_string(),
        first: (a.page.to_string(), Some(a.value.get(keyword).unwrap_or(a.value).clone())),
        second: (b.page.to_string(), Some(b.value.get(keyword).unwrap_or(b.value).clone())),
    })
}

fn conflict_between(at: &str, keyword: &str, a: (&str, Option<&Value>), b: (&str, Option<&Value>)) -> Box<Conflict> {
    Box::new(Conflict {
        at: at.to_string(),
        keyword: keyword.to_string(),
        first: (a.0.to_string(), a.1.cloned()),
        second: (b.0.to_string(), b.1.cloned()),
    })
}

/// The pages grouped by what they declare (absent counts), in order of first appearance.
fn sides(values: &Values<'_>) -> Vec<Side> {
    let mut groups: Vec<(Option<&Value>, Vec<String>)> = Vec::new();
    for (page, value) in values {
        match groups.iter_mut().find(|(v, _)| v == value) {
            Some((_, pages)) if !pages.iter().any(|p| p == page) => pages.push(page.to_string()),
            Some(_) => {}
            None => groups.push((*value, vec![page.to_string()])),
        }
    }
    groups.into_iter().map(|(value, pages)| Side { says: brief(value), pages }).collect()
}

/// A side that says only whether something is there: `declared` / `not declared`.
fn presence_word(says: &str, word: &str) -> String {
    if says == "absent" { format!("not {word}") } else { word.to_string() }
}

/// A value in one short line; `absent` for none.
pub(crate) fn brief(value: Option<&Value>) -> String {
    let Some(value) = value else { return "absent".to_string() };
    let text = value.to_string();
    if text.chars().count() > 60 { format!("{}…", text.chars().take(60).collect::<String>()) } else { text }
}
