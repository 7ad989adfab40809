//! Bounds and types: takes the pages' values of one bound or `type`, gives the one the merged
//! document keeps by direction: what is read takes the loosest, what is sent the tightest.

use serde_json::{Value, json};

use super::declarations::PageValues;
use super::outcome::Outcome;
use crate::merge::policy::Rule;

/// The loosest of the bounds: none where a page has none, else the smallest (or largest).
pub(super) fn loosest(rule: Rule, values: &PageValues<'_>) -> (Outcome, Option<Value>) {
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
pub(super) fn tightest(rule: Rule, values: &PageValues<'_>) -> (Outcome, Option<Value>) {
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
pub(super) fn types(values: &PageValues<'_>, reads: bool) -> Option<(Outcome, Value)> {
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
