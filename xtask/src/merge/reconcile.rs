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

/// The keyword the merge adds to an enum whose pages spell one value several ways: each other
/// spelling → the one sent (see [`Reconciler::respell`]).
pub const ALIASES: &str = "x-aliases";

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

/// What reconciling one component needs besides its declarations.
pub(crate) struct Reconciler<'a> {
    pub direction: Direction,
    pub decisions: &'a Decisions,
    /// Each component schema's property count (the most any page declares): a read union
    /// puts its largest members first.
    pub sizes: &'a Sizes,
    /// Lines of the decisions visited, stale or applied.
    pub visited: Vec<usize>,
    pub log: Vec<Reconciliation>,
    /// Decisions that answer no conflict, or name a page that does not declare their pointer.
    pub errors: Vec<Error>,
}

type PageValues<'a> = [(&'a str, Option<&'a Value>)];

/// Component schema name → how many properties it has.
pub(crate) type Sizes = std::collections::BTreeMap<String, usize>;

impl<'a> Reconciler<'a> {
    pub(crate) fn new(direction: Direction, decisions: &'a Decisions, sizes: &'a Sizes) -> Self {
        Reconciler {
            direction,
            decisions,
            sizes,
            visited: Vec::new(),
            log: Vec::new(),
            errors: Vec::new(),
        }
    }

    /// Whether responses reach what is reconciled (alone or with requests): the client reads it,
    /// so it takes the union; what only requests reach takes the intersection.
    fn reads(&self) -> bool {
        self.direction != Direction::Request
    }

    /// The declarations at `at` (a pointer in the merged document) as one, richest first.
    pub(crate) fn node(&mut self, at: &str, declarations: &[Declaration<'_>]) -> Result<Value, Box<Conflict>> {
        match self.decisions.at(at) {
            Some(decision) => self.decide(at, declarations, decision),
            None => self.reconcile(at, declarations),
        }
    }

    /// A reviewed decision at `at`: it must still answer a conflict there, or bounds the merge
    /// narrowed to what every page accepts.
    fn decide(
        &mut self,
        at: &str,
        declarations: &[Declaration<'_>],
        decision: &Decision,
    ) -> Result<Value, Box<Conflict>> {
        self.visited.push(decision.line);
        let logged = self.log.len();
        let attempt = self.reconcile(at, declarations);
        // Bounds narrowed to what every page accepts may be narrower than any page meant (a
        // rate in (1, 2] became a percentage in [1, 50]): a decision may choose one page's.
        let narrowed = self.log[logged..].iter().any(|r| matches!(r.outcome, Outcome::Tightest(_)));
        let conflict = match attempt {
            Ok(value) if !narrowed => {
                let message =
                    format!("no conflict at `#{at}` any more: the pages' declarations reconcile, no bound narrowed");
                let error = self.decisions.error(decision, message).with_hint("remove the line");
                self.errors.push(error);
                return Ok(value);
            }
            Ok(_) => None,
            Err(conflict) => Some(conflict),
        };
        self.log.truncate(logged);
        let Some(kept) = declarations.iter().find(|d| d.page == decision.page) else {
            let pages: Vec<&str> = declarations.iter().map(|d| d.page).collect();
            let message = format!("{} does not declare `#{at}`; {} do", decision.page, pages.join(", "));
            self.errors.push(self.decisions.error(decision, message));
            return match conflict {
                Some(conflict) => Err(conflict),
                None => self.reconcile(at, declarations),
            };
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
        let lifted = lift_into_union(at, declarations, self.reads())?;
        let was_lifted = lifted.iter().any(|(_, value)| matches!(value, Cow::Owned(_)));
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
        self.respell(at, &lifted, &mut out);
        if was_lifted {
            unlift_single_member(&mut out);
        }
        Ok(in_canonical_order(at, out))
    }

    /// One keyword of the declarations at `at`, as its policy row says; `None` drops it.
    fn keyword(&mut self, at: &str, key: &str, values: &PageValues<'_>) -> Result<Option<Value>, Box<Conflict>> {
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
            Rule::LowerBound | Rule::UpperBound if self.reads() => Some(loosest(rule, values)),
            Rule::LowerBound | Rule::UpperBound => Some(tightest(rule, values)),
            Rule::TypeByDirection => types(values, self.reads()).map(|(outcome, types)| (outcome, Some(types))),
            Rule::Mapping => return self.discriminator(at, values).map(Some),
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

    fn record(&mut self, at: &str, keyword: &str, outcome: Outcome, values: &PageValues<'_>) {
        self.log.push(Reconciliation {
            at: at.to_string(),
            keyword: keyword.to_string(),
            outcome,
            sides: sides(values),
        });
    }

    /// The union of `properties` (or other subschemas by name), each reconciled.
    fn named(&mut self, at: &str, key: &str, values: &PageValues<'_>) -> Result<Value, Box<Conflict>> {
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
                let sides = presence_sides(&presence, "declared");
                let what = if key == "properties" { "property" } else { key };
                let outcome = Outcome::Kept(format!("{what} `{name}`"));
                self.log.push(Reconciliation { at: here, keyword: key.to_string(), outcome, sides });
            }
        }
        Ok(Value::Object(out))
    }

    /// The union of enum values, in order of first appearance.
    fn enum_values(&mut self, at: &str, values: &PageValues<'_>) -> Value {
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
                let sides = presence_sides(&presence, "listed");
                let outcome = Outcome::Kept(format!("enum value {value}"));
                self.log.push(Reconciliation { at: at.to_string(), keyword: "enum".into(), outcome, sides });
            }
        }
        Value::Array(out)
    }

    /// `required` by direction: a list on a schema, a flag on a parameter.
    fn required(&mut self, at: &str, values: &PageValues<'_>) -> Option<Value> {
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
                let sides = presence_sides(&presence, "required");
                self.log.push(Reconciliation { at: at.to_string(), keyword: "required".into(), outcome, sides });
            }
        }
        (!kept.is_empty()).then_some(Value::Array(kept))
    }

    /// `anyOf`/`oneOf` members matched by shape, each reconciled. Read, a member some pages lack
    /// is kept, the largest objects first; sent, it is dropped, and nothing left is a conflict.
    fn members(&mut self, at: &str, key: &str, values: &PageValues<'_>) -> Result<Value, Box<Conflict>> {
        let mut lists: Vec<(&str, &Vec<Value>)> = Vec::new();
        for (page, value) in values {
            match value {
                Some(Value::Array(list)) => lists.push((page, list)),
                _ => return Err(conflict_between(at, key, values[0], (page, *value))),
            }
        }
        let mut groups = group_by_shape(&lists);
        let everywhere = |members: &Vec<Declaration<'_>>| members.len() == lists.len();
        let shared = groups.iter().any(|(shape, members)| shape != "type null" && everywhere(members));
        if !shared && !self.reads() {
            let differs = values.iter().find(|(_, v)| *v != values[0].1).unwrap_or(&values[0]);
            return Err(conflict_between(at, key, values[0], *differs));
        }
        if self.reads() && groups.iter().any(|(_, members)| !everywhere(members)) {
            groups.sort_by_key(|(shape, _)| (shape == "type null", std::cmp::Reverse(self.size_of_shape(shape))));
        }
        let mut out = Vec::new();
        for (shape, members) in &groups {
            let here = format!("{at}/{}/{}", token(key), out.len());
            let what = match (shape.as_str(), members.first()) {
                ("type null", _) => "member `null` (nullable)".to_string(),
                (_, Some(first)) => format!("member `{}`", label(first.value)),
                _ => format!("member `{shape}`"),
            };
            let presence: Vec<(&str, Option<&Value>)> = lists
                .iter()
                .map(|(p, _)| (*p, members.iter().any(|m| m.page == *p).then_some(&Value::Null)))
                .collect();
            let sides = presence_sides(&presence, "a member");
            if !everywhere(members) && !self.reads() {
                let at = format!("{at}/{}", token(key));
                self.log
                    .push(Reconciliation { at, keyword: key.to_string(), outcome: Outcome::NotSent(what), sides });
                continue;
            }
            out.push(self.node(&here, members)?);
            if !everywhere(members) {
                let outcome = Outcome::Kept(what);
                self.log.push(Reconciliation { at: here, keyword: key.to_string(), outcome, sides });
            }
        }
        Ok(Value::Array(out))
    }

    /// How many properties a member of this shape has (a `$ref`'s component's), to order a
    /// read union: an untagged union decodes into the first member that fits, so a member whose
    /// fields include another's comes before it.
    fn size_of_shape(&self, shape: &str) -> usize {
        let name = shape.strip_prefix("$ref ").and_then(|r| r.rsplit('/').next());
        name.and_then(|name| self.sizes.get(name)).copied().unwrap_or(0)
    }

    /// A discriminator: the same `propertyName`; its `mapping` every page's entries when read,
    /// the entries every page has when sent. One tag mapped to two targets is a conflict.
    fn discriminator(&mut self, at: &str, values: &PageValues<'_>) -> Result<Value, Box<Conflict>> {
        let here = format!("{at}/discriminator");
        let property = |v: Option<&Value>| v.and_then(|v| v.get("propertyName")).cloned();
        if let Some(differs) = values.iter().find(|(_, v)| property(*v) != property(values[0].1)) {
            return Err(conflict_between(at, "discriminator", values[0], *differs));
        }
        let mappings: Vec<(&str, Map<String, Value>)> = values
            .iter()
            .map(|(p, v)| {
                (*p, v.and_then(|v| v.get("mapping")).and_then(Value::as_object).cloned().unwrap_or_default())
            })
            .collect();
        let mut out = Map::new();
        for (_, mapping) in &mappings {
            for (tag, target) in mapping {
                let targets: Vec<(&str, Option<&Value>)> = mappings.iter().map(|(p, m)| (*p, m.get(tag))).collect();
                if let Some(other) = targets.iter().find(|(_, t)| t.is_some_and(|t| t != target)) {
                    let first = targets.iter().find(|(_, t)| *t == Some(target)).copied().unwrap_or(targets[0]);
                    return Err(conflict_between(&format!("{here}/mapping"), tag, first, *other));
                }
                if out.contains_key(tag) {
                    continue;
                }
                let everywhere = targets.iter().all(|(_, t)| t.is_some());
                if !everywhere {
                    let presence: Vec<(&str, Option<&Value>)> =
                        targets.iter().map(|(p, t)| (*p, t.map(|_| &Value::Null))).collect();
                    let sides = presence_sides(&presence, "mapped");
                    let what = format!("mapping `{tag}`");
                    let outcome = if self.reads() { Outcome::Kept(what) } else { Outcome::NotSent(what) };
                    self.log.push(Reconciliation { at: here.clone(), keyword: "mapping".into(), outcome, sides });
                }
                if everywhere || self.reads() {
                    out.insert(tag.clone(), target.clone());
                }
            }
        }
        let mut discriminator = values.iter().find_map(|(_, v)| *v).cloned().unwrap_or_else(|| json!({}));
        if let Some(map) = discriminator.as_object_mut() {
            map.remove("mapping");
            if !out.is_empty() {
                map.insert("mapping".into(), Value::Object(out));
            }
        }
        Ok(discriminator)
    }

    /// One enum value the pages spell several ways (`queue_on_full` on one page,
    /// `QUEUE_ON_FULL` on another; one Rust variant): the merged `enum` lists every spelling,
    /// the one sent first, and `x-aliases` maps each other spelling to it, so the variant reads
    /// all of them. Spellings one page lists side by side are two values, left to `generate`.
    fn respell(&mut self, at: &str, declarations: &[Declaration<'_>], out: &mut Map<String, Value>) {
        let Some(Value::Array(values)) = out.get("enum") else { return };
        let lists: Vec<(&str, Vec<&str>)> = declarations
            .iter()
            .map(|d| {
                (
                    d.page,
                    d.value
                        .get("enum")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect(),
                )
            })
            .collect();
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for value in values.iter().filter_map(Value::as_str) {
            let variant = crate::naming::rust_name(value);
            match groups.iter_mut().find(|(v, _)| *v == variant) {
                Some((_, spellings)) => spellings.push(value.to_string()),
                None => groups.push((variant, vec![value.to_string()])),
            }
        }
        let mut values = values.clone();
        let mut aliases = Map::new();
        for (_, spellings) in groups.into_iter().filter(|(_, spellings)| spellings.len() > 1) {
            let side_by_side =
                lists.iter().any(|(_, list)| spellings.iter().filter(|s| list.contains(&s.as_str())).count() > 1);
            if side_by_side {
                continue;
            }
            let (sent, why) = self.spelling_sent(at, &spellings, &lists);
            let also: Vec<String> = spellings.iter().filter(|s| **s != sent).cloned().collect();
            // Each spelling is on some pages only: one line says so for all of them.
            let kept: Vec<Outcome> =
                spellings.iter().map(|s| Outcome::Kept(format!("enum value {}", json!(s)))).collect();
            self.log.retain(|r| !(r.at == at && r.keyword == "enum" && kept.contains(&r.outcome)));
            // The sent spelling takes the place of the first: `as_str` and the docs show it.
            let first = values.iter().position(|v| spellings.iter().any(|s| v == s)).unwrap_or(0);
            values.retain(|v| *v != json!(sent));
            values.insert(first, json!(sent));
            for alias in &also {
                aliases.insert(alias.clone(), json!(sent));
            }
            let mut sides = Vec::new();
            for spelling in &spellings {
                let pages: Vec<String> = lists
                    .iter()
                    .filter(|(_, list)| list.contains(&spelling.as_str()))
                    .map(|(p, _)| p.to_string())
                    .collect();
                sides.push(Side { says: format!("{spelling:?}"), pages });
            }
            let outcome = Outcome::Respelled { sent, also, why };
            self.log.push(Reconciliation { at: at.to_string(), keyword: "enum".into(), outcome, sides });
        }
        for decision in self.decisions.spellings_at(at) {
            self.visited.push(decision.line);
            if !aliases.contains_key(&decision.value) && !aliases.values().any(|v| *v == json!(decision.value)) {
                let message = format!("`#{at}` has no value spelled several ways that `{}` is one of", decision.value);
                self.errors.push(self.decisions.error_at(decision.line, message).with_hint("remove the line"));
            }
        }
        if !aliases.is_empty() {
            out.insert("enum".into(), Value::Array(values));
            out.insert(ALIASES.into(), Value::Object(aliases));
        }
    }

    /// Which spelling of a respelled value is sent, and why: the one a decision names, else the
    /// one most pages list (a tie: the richest declaration's).
    fn spelling_sent(&mut self, at: &str, spellings: &[String], lists: &[(&str, Vec<&str>)]) -> (String, String) {
        let decided: Vec<_> =
            self.decisions.spellings_at(at).into_iter().filter(|d| spellings.contains(&d.value)).collect();
        match decided.as_slice() {
            [decision] => return (decision.value.clone(), format!("as decided on line {}", decision.line)),
            [first, second, ..] => {
                let message = format!(
                    "`{}` and `{}` (line {}) are spellings of one value: send one",
                    second.value, first.value, first.line
                );
                self.errors.push(self.decisions.error_at(second.line, message).with_hint("remove one of the lines"));
            }
            [] => {}
        }
        let count = |s: &String| lists.iter().filter(|(_, list)| list.contains(&s.as_str())).count();
        let most = spellings.iter().map(count).max().unwrap_or(0);
        let sent = spellings.iter().find(|s| count(s) == most).cloned().unwrap_or_default();
        let others: Vec<String> = spellings.iter().filter(|s| **s != sent).cloned().collect();
        let lines: Vec<String> = others.iter().map(|o| crate::decisions::send_line(o, at)).collect();
        let why = format!(
            "listed on {most} of {} pages; to send the other, add `{}` to {}",
            lists.len(),
            lines.join("` or `"),
            self.decisions.file
        );
        (sent, why)
    }

    /// `allOf`, `prefixItems`: position by position.
    fn positional(&mut self, at: &str, key: &str, values: &PageValues<'_>) -> Result<Value, Box<Conflict>> {
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
    fn subschema(&mut self, at: &str, key: &str, values: &PageValues<'_>) -> Result<Option<Value>, Box<Conflict>> {
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
/// by shape. Read (`reads`), lone schemas of different shapes (`$ref A` against `$ref B`,
/// `integer` against `string`) become an `anyOf` too, so the client reads either. A union
/// keyword against the other one is a conflict.
fn lift_into_union<'a>(
    at: &str,
    declarations: &[Declaration<'a>],
    reads: bool,
) -> Result<Vec<(&'a str, Cow<'a, Value>)>, Box<Conflict>> {
    let unions = ["anyOf", "oneOf"];
    let union_of = |d: &Declaration<'_>| unions.into_iter().find(|k| d.value.get(*k).is_some());
    let (first, key) = match declarations.iter().find_map(|d| union_of(d).map(|k| (d, k))) {
        Some(found) => found,
        None if reads && of_different_shapes(declarations) => (&declarations[0], "anyOf"),
        None => return Ok(declarations.iter().map(|d| (d.page, Cow::Borrowed(d.value))).collect()),
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

/// Whether lone schemas declare different things: another `$ref`, another type (`integer` and
/// `number` alike, `null` aside). A schema of no shape (anything goes) is not compared.
fn of_different_shapes(declarations: &[Declaration<'_>]) -> bool {
    let shapes: Vec<String> = declarations.iter().map(|d| shape(d.value)).collect();
    !shapes.iter().any(|s| s == "any") && shapes.iter().any(|s| *s != shapes[0])
}

/// A union the merge made of lone schemas that came out with one member: the member itself,
/// its annotations beside it again (`X` against `anyOf [X, null]`, sent: `X`).
fn unlift_single_member(out: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = out.get(key) else { continue };
        let [Value::Object(member)] = members.as_slice() else { continue };
        if out.contains_key("discriminator") || member.keys().any(|k| k != key && out.contains_key(k)) {
            continue;
        }
        let member = member.clone();
        out.remove(key);
        out.extend(member);
    }
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

/// What a union member is, to match it with its counterpart on another page: its `$ref`, else
/// its type (`integer` is a `number`, one widens to the other; `null` beside a type aside).
fn shape(member: &Value) -> String {
    if let Some(reference) = member.get("$ref").and_then(Value::as_str) {
        return format!("$ref {reference}");
    }
    let core = |t: &str| if t == "integer" { "number".to_string() } else { t.to_string() };
    match member.get("type") {
        Some(Value::String(t)) => format!("type {}", core(t)),
        Some(Value::Array(list)) => {
            let types: Vec<String> = list.iter().filter_map(Value::as_str).filter(|t| *t != "null").map(core).collect();
            if types.is_empty() { "type null".to_string() } else { format!("type {}", types.join(",")) }
        }
        Some(other) => format!("type {other}"),
        None => ["const", "enum", "allOf", "anyOf", "oneOf"]
            .into_iter()
            .find(|k| member.get(*k).is_some())
            .unwrap_or("any")
            .to_string(),
    }
}

/// A union member as the pages write it, for the log: its `$ref`, else its `type`.
fn label(member: &Value) -> String {
    match member.get("type") {
        Some(Value::String(t)) if member.get("$ref").is_none() => format!("type {t}"),
        _ => shape(member),
    }
}

/// The loosest of the bounds: none where a page has none, else the smallest (or largest).
fn loosest(rule: Rule, values: &PageValues<'_>) -> (Outcome, Option<Value>) {
    let numbers: Option<Vec<f64>> = values.iter().map(|(_, v)| v.and_then(Value::as_f64)).collect();
    let Some(numbers) = numbers else { return (Outcome::Dropped, None) };
    let pick = |a: f64, b: f64| if rule == Rule::LowerBound { a.min(b) } else { a.max(b) };
    let best = numbers.iter().copied().fold(numbers[0], pick);
    let value = values
        .iter()
        .filter_map(|(_, v)| *v)
        .find(|v| v.as_f64() == Some(best))
        .cloned()
        .unwrap_or(Value::Null);
    (Outcome::Loosest(value.to_string()), Some(value))
}

/// The tightest of the bounds a page sets (a page without one accepts anything): the largest
/// lower bound, the smallest upper bound.
fn tightest(rule: Rule, values: &PageValues<'_>) -> (Outcome, Option<Value>) {
    let numbers: Vec<&Value> = values.iter().filter_map(|(_, v)| *v).filter(|v| v.as_f64().is_some()).collect();
    let key = |v: &&Value| v.as_f64().unwrap_or(0.0);
    let best = if rule == Rule::LowerBound {
        numbers.iter().max_by(|a, b| key(a).total_cmp(&key(b)))
    } else {
        numbers.iter().min_by(|a, b| key(a).total_cmp(&key(b)))
    };
    match best {
        Some(value) => (Outcome::Tightest(value.to_string()), Some((*value).clone())),
        None => (Outcome::Dropped, None),
    }
}

/// `type` by direction, where the pages agree up to `null` and `integer` against `number`: read,
/// the union (`number`; `null` where any page has it); sent, the intersection (`integer`;
/// `null` only where every page has it). Other differences are for the members' rule.
fn types(values: &PageValues<'_>, reads: bool) -> Option<(Outcome, Value)> {
    let lists: Option<Vec<Vec<&str>>> = values
        .iter()
        .map(|(_, v)| match (*v)? {
            Value::String(t) => Some(vec![t.as_str()]),
            Value::Array(list) => list.iter().map(Value::as_str).collect(),
            _ => None,
        })
        .collect();
    let lists = lists?;
    let numeric = |t: &str| t == "integer" || t == "number";
    let core = |list: &[&str]| -> Vec<String> {
        let mut core: Vec<String> = list
            .iter()
            .filter(|t| **t != "null")
            .map(|t| if numeric(t) { "number" } else { t }.to_string())
            .collect();
        core.sort();
        core.dedup();
        core
    };
    let first = core(&lists[0]);
    if first.is_empty() || lists.iter().any(|list| core(list) != first) {
        return None;
    }
    let has = |t: &str| lists.iter().any(|list| list.contains(&t));
    let number = if reads && has("number") || !reads && !has("integer") { "number" } else { "integer" };
    let mut out: Vec<&str> = Vec::new();
    for t in lists[0].iter().filter(|t| **t != "null") {
        let t = if numeric(t) { number } else { t };
        if !out.contains(&t) {
            out.push(t);
        }
    }
    let nulls = lists.iter().filter(|list| list.contains(&"null")).count();
    if reads && nulls > 0 || nulls == lists.len() {
        out.push("null");
    }
    let value = if out.len() == 1 { json!(out[0]) } else { json!(out) };
    fn without_null<'v>(list: &[&'v str]) -> Vec<&'v str> {
        list.iter().filter(|t| **t != "null").copied().collect()
    }
    let only_null_differs = lists.iter().all(|list| without_null(list) == without_null(&lists[0]));
    let outcome = match (reads, only_null_differs) {
        (true, true) => Outcome::Nullable,
        (true, false) => Outcome::ReadAs(value.to_string()),
        (false, _) => Outcome::SentAs(value.to_string()),
    };
    Some((outcome, value))
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
fn sides(values: &PageValues<'_>) -> Vec<Side> {
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

/// The pages grouped by whether something is there (`presence` holds `Some` where it is), each
/// side saying so in `word`: `declared` / `not declared`.
fn presence_sides(presence: &PageValues<'_>, word: &str) -> Vec<Side> {
    let says = |side: &str| if side == "absent" { format!("not {word}") } else { word.to_string() };
    sides(presence).into_iter().map(|side| Side { says: says(&side.says), ..side }).collect()
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
