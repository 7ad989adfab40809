//! Spellings: the reconciler's rule for enum values: the union of the pages' values, and one
//! value spelled several ways (`queue_on_full`, `QUEUE_ON_FULL`) made one that reads each.

use serde_json::{Map, Value, json};

use super::declarations::{Declaration, PageValues, in_order_of_first_appearance, union_of_lists};
use super::engine::Reconciler;
use super::outcome::{Outcome, Presence, Reconciliation, Side};

/// The keyword the merge adds to an enum whose pages spell one value several ways: each other
/// spelling → the one sent (see [`Reconciler::respell`]).
pub const ALIASES: &str = "x-aliases";

impl Reconciler<'_> {
    /// The union of enum values, in order of first appearance.
    pub(super) fn enum_values(&mut self, at: &str, values: &PageValues<'_>) -> Value {
        let lists: Vec<(&str, &[Value])> = values
            .iter()
            .map(|(p, v)| (*p, v.and_then(Value::as_array).map_or(&[][..], Vec::as_slice)))
            .collect();
        let pages: Vec<&str> = lists.iter().map(|(page, _)| *page).collect();
        let union = union_of_lists(lists.iter().map(|(page, list)| (*page, list.iter())));
        for (value, listing) in &union {
            let presence = Presence { pages: &pages, having: listing };
            if !presence.everywhere() {
                let sides = presence.sides("listed");
                let outcome = Outcome::Kept(format!("enum value {value}"));
                self.record.log.push(Reconciliation { at: at.to_string(), keyword: "enum".into(), outcome, sides });
            }
        }
        let out: Vec<Value> = union.into_iter().map(|(value, _)| value.clone()).collect();
        Value::Array(out)
    }
    /// One enum value the pages spell several ways (`queue_on_full` on one page,
    /// `QUEUE_ON_FULL` on another; one Rust variant): the merged `enum` lists every spelling,
    /// the one sent first, and `x-aliases` maps each other spelling to it, so the variant reads
    /// all of them. Spellings one page lists side by side are two values, left to `generate`.
    pub(super) fn respell(&mut self, at: &str, declarations: &[Declaration<'_>], out: &mut Map<String, Value>) {
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
        let spelt = values.iter().filter_map(Value::as_str).map(|v| (crate::naming::rust_name(v), v.to_string()));
        let groups = in_order_of_first_appearance(spelt);
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
            self.record.log.retain(|r| !(r.at == at && r.keyword == "enum" && kept.contains(&r.outcome)));
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
                sides.push(Side::new(format!("{spelling:?}"), pages));
            }
            let outcome = Outcome::Respelled { sent, also, why };
            self.record.log.push(Reconciliation { at: at.to_string(), keyword: "enum".into(), outcome, sides });
        }
        for decision in self.decisions.spellings_at(at) {
            self.record.visited.push(decision.line);
            if !aliases.contains_key(&decision.value) && !aliases.values().any(|v| *v == json!(decision.value)) {
                let message = format!("`#{at}` has no value spelled several ways that `{}` is one of", decision.value);
                self.record
                    .errors
                    .push(self.decisions.error_at(decision.line, message).with_hint("remove the line"));
            }
        }
        if !aliases.is_empty() {
            out.insert("enum".into(), Value::Array(values));
            out.insert(ALIASES.into(), Value::Object(aliases));
        }
    }
    /// Which spelling of a respelled value is sent, and why: the one a decision names, else the
    /// one most pages list (a tie: the richest declaration's).
    pub(super) fn spelling_sent(
        &mut self,
        at: &str,
        spellings: &[String],
        lists: &[(&str, Vec<&str>)],
    ) -> (String, String) {
        let decided: Vec<_> =
            self.decisions.spellings_at(at).into_iter().filter(|d| spellings.contains(&d.value)).collect();
        match decided.as_slice() {
            [decision] => return (decision.value.clone(), format!("as decided on line {}", decision.line)),
            [first, second, ..] => {
                let message = format!(
                    "`{}` and `{}` (line {}) are spellings of one value: send one",
                    second.value, first.value, first.line
                );
                self.record
                    .errors
                    .push(self.decisions.error_at(second.line, message).with_hint("remove one of the lines"));
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
}
