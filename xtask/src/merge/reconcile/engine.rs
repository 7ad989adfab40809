//! Engine: takes every page's declaration of one component (or path-level parameter), gives
//! the one declaration the merged document holds, walking it keyword by keyword as
//! [`policy`](crate::merge::policy) says, with a record of each disagreement it settled; or the
//! real conflict it cannot settle, unless a reviewed decision settles it.

use std::borrow::Cow;

use serde_json::{Map, Value, json};

use super::bounds::{loosest, tightest, types};
use super::declarations::{Declaration, PageValues, Sizes, union_of_lists};
use super::outcome::{Conflict, Outcome, Presence, Reconciliation, conflict, conflict_between, sides};
use super::shapes::{in_canonical_order, lift_into_union, unlift_single_member};
use crate::decisions::{Decision, Decisions};
use crate::direction::Direction;
use crate::error::Error;
use crate::merge::policy::{self, Rule};
use crate::schema::token;

/// What reconciling one component needs besides its declarations.
pub(crate) struct Reconciler<'a> {
    pub direction: Direction,
    pub decisions: &'a Decisions,
    /// Each component schema's property count (the most any page declares): a read union
    /// puts its largest members first.
    pub sizes: &'a Sizes,
    /// What the whole merge has settled so far, added to as this reconciles.
    pub record: &'a mut Record,
}

/// What the merge settles over all its components: one state, which each [`Reconciler`] adds to.
#[derive(Default)]
pub(crate) struct Record {
    /// Lines of the decisions visited, stale or applied.
    pub visited: Vec<usize>,
    pub log: Vec<Reconciliation>,
    /// Decisions that answer no conflict, or name a page that does not declare their pointer.
    pub errors: Vec<Error>,
}

impl<'a> Reconciler<'a> {
    pub(crate) fn new(
        direction: Direction,
        decisions: &'a Decisions,
        sizes: &'a Sizes,
        record: &'a mut Record,
    ) -> Self {
        Reconciler { direction, decisions, sizes, record }
    }
    /// Whether responses reach what is reconciled (alone or with requests): the client reads it,
    /// so it takes the union; what only requests reach takes the intersection.
    pub(super) fn is_read(&self) -> bool {
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
    pub(super) fn decide(
        &mut self,
        at: &str,
        declarations: &[Declaration<'_>],
        decision: &Decision,
    ) -> Result<Value, Box<Conflict>> {
        self.record.visited.push(decision.line);
        let logged = self.record.log.len();
        let attempt = self.reconcile(at, declarations);
        // Bounds narrowed to what every page accepts may be narrower than any page meant (a
        // rate in (1, 2] became a percentage in [1, 50]): a decision may choose one page's.
        let narrowed = self.record.log[logged..].iter().any(|r| matches!(r.outcome, Outcome::Tightest(_)));
        let conflict = match attempt {
            Ok(value) if !narrowed => {
                let message =
                    format!("no conflict at `#{at}` any more: the pages' declarations reconcile, no bound narrowed");
                let error = self.decisions.error(decision, message).with_hint("remove the line");
                self.record.errors.push(error);
                return Ok(value);
            }
            Ok(_) => None,
            Err(conflict) => Some(conflict),
        };
        self.record.log.truncate(logged);
        let Some(kept) = declarations.iter().find(|d| d.page == decision.page) else {
            let pages: Vec<&str> = declarations.iter().map(|d| d.page).collect();
            let message = format!("{} does not declare `#{at}`; {} do", decision.page, pages.join(", "));
            self.record.errors.push(self.decisions.error(decision, message));
            return match conflict {
                Some(conflict) => Err(conflict),
                None => self.reconcile(at, declarations),
            };
        };
        let sides = sides(&declarations.iter().map(|d| (d.page, Some(d.value))).collect::<Vec<_>>());
        let outcome = Outcome::Decided { page: decision.page.clone(), line: decision.line };
        self.record.log.push(Reconciliation { at: at.to_string(), keyword: String::new(), outcome, sides });
        Ok(kept.value.clone())
    }
    pub(super) fn reconcile(&mut self, at: &str, declarations: &[Declaration<'_>]) -> Result<Value, Box<Conflict>> {
        let first = declarations[0].value;
        if declarations.iter().all(|d| d.value == first) {
            return Ok(first.clone());
        }
        if let Some(other) = declarations.iter().find(|d| !d.value.is_object()) {
            return Err(conflict(at, "", &declarations[0], other));
        }
        let lifted = lift_into_union(at, declarations, self.is_read())?;
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
    pub(super) fn keyword(
        &mut self,
        at: &str,
        key: &str,
        values: &PageValues<'_>,
    ) -> Result<Option<Value>, Box<Conflict>> {
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
            Rule::LowerBound | Rule::UpperBound if self.is_read() => Some(loosest(rule, values)),
            Rule::LowerBound | Rule::UpperBound => Some(tightest(rule, values)),
            Rule::TypeByDirection => types(values, self.is_read()).map(|(outcome, types)| (outcome, Some(types))),
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
    pub(super) fn record(&mut self, at: &str, keyword: &str, outcome: Outcome, values: &PageValues<'_>) {
        self.record.log.push(Reconciliation {
            at: at.to_string(),
            keyword: keyword.to_string(),
            outcome,
            sides: sides(values),
        });
    }
    /// The union of `properties` (or other subschemas by name), each reconciled.
    pub(super) fn named(&mut self, at: &str, key: &str, values: &PageValues<'_>) -> Result<Value, Box<Conflict>> {
        let mut maps: Vec<(&str, &Map<String, Value>)> = Vec::new();
        for (page, value) in values {
            match value {
                None => {}
                Some(Value::Object(map)) => maps.push((page, map)),
                Some(_) => return Err(conflict_between(at, key, values[0], (page, *value))),
            }
        }
        let mut out = Map::new();
        for (name, _) in union_of_lists(maps.iter().map(|(page, map)| (*page, map.keys()))) {
            let here = format!("{at}/{}/{}", token(key), token(name));
            let has: Vec<(&str, Option<&Value>)> =
                values.iter().map(|(p, v)| (*p, v.and_then(|v| v.get(name.as_str())))).collect();
            let declarations: Vec<Declaration<'_>> =
                has.iter().filter_map(|(page, v)| v.map(|value| Declaration { page, value })).collect();
            out.insert(name.clone(), self.node(&here, &declarations)?);
            let (pages, having): (Vec<&str>, Vec<&str>) =
                (values.iter().map(|(page, _)| *page).collect(), declarations.iter().map(|d| d.page).collect());
            let presence = Presence { pages: &pages, having: &having };
            if !presence.everywhere() {
                let sides = presence.sides("declared");
                let what = if key == "properties" { "property" } else { key };
                let outcome = Outcome::Kept(format!("{what} `{name}`"));
                self.record.log.push(Reconciliation { at: here, keyword: key.to_string(), outcome, sides });
            }
        }
        Ok(Value::Object(out))
    }
    /// `required` by direction: a list on a schema, a flag on a parameter.
    pub(super) fn required(&mut self, at: &str, values: &PageValues<'_>) -> Option<Value> {
        if values.iter().any(|(_, v)| v.is_some_and(Value::is_boolean)) {
            let any = values.iter().any(|(_, v)| *v == Some(&json!(true)));
            self.record(at, "required", if any { Outcome::True } else { Outcome::Dropped }, values);
            return Some(json!(any));
        }
        let lists: Vec<(&str, Vec<&str>)> = values
            .iter()
            .map(|(p, v)| (*p, v.and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()))
            .collect();
        let pages: Vec<&str> = lists.iter().map(|(page, _)| *page).collect();
        let mut kept = Vec::new();
        for (name, listing) in union_of_lists(lists.iter().map(|(page, list)| (*page, list.iter().copied()))) {
            let presence = Presence { pages: &pages, having: &listing };
            let everywhere = presence.everywhere();
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
                let sides = presence.sides("required");
                self.record
                    .log
                    .push(Reconciliation { at: at.to_string(), keyword: "required".into(), outcome, sides });
            }
        }
        (!kept.is_empty()).then_some(Value::Array(kept))
    }
    /// `allOf`, `prefixItems`: position by position.
    pub(super) fn positional(&mut self, at: &str, key: &str, values: &PageValues<'_>) -> Result<Value, Box<Conflict>> {
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
    pub(super) fn subschema(
        &mut self,
        at: &str,
        key: &str,
        values: &PageValues<'_>,
    ) -> Result<Option<Value>, Box<Conflict>> {
        if values.iter().any(|(_, v)| v.is_none() || *v == Some(&json!(true))) {
            self.record(at, key, Outcome::Dropped, values);
            return Ok(None);
        }
        let declarations: Vec<Declaration<'_>> =
            values.iter().filter_map(|(page, v)| v.map(|value| Declaration { page, value })).collect();
        self.node(&format!("{at}/{}", token(key)), &declarations).map(Some)
    }
}
