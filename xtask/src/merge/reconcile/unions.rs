//! Unions: the reconciler's rule for `anyOf`/`oneOf` members and a discriminator: members
//! matched across pages by shape, read as the union and sent as the intersection.

use serde_json::{Map, Value, json};

use super::declarations::{Declaration, PageValues, in_order_of_first_appearance};
use super::engine::Reconciler;
use super::outcome::{Conflict, Outcome, Presence, Reconciliation, conflict_between};
use super::shapes::{Shape, group_by_shape, label};
use crate::schema::token;

impl Reconciler<'_> {
    /// `anyOf`/`oneOf` members matched by shape, each reconciled. Read, a member some pages lack
    /// is kept, the largest objects first; sent, it is dropped, and nothing left is a conflict.
    pub(super) fn members(&mut self, at: &str, key: &str, values: &PageValues<'_>) -> Result<Value, Box<Conflict>> {
        let mut lists: Vec<(&str, &Vec<Value>)> = Vec::new();
        for (page, value) in values {
            match value {
                Some(Value::Array(list)) => lists.push((page, list)),
                _ => return Err(conflict_between(at, key, values[0], (page, *value))),
            }
        }
        let mut groups = group_by_shape(&lists);
        let pages: Vec<&str> = lists.iter().map(|(page, _)| *page).collect();
        let everywhere = |members: &Vec<Declaration<'_>>| members.len() == lists.len();
        let shared = groups.iter().any(|(member, members)| member.shape != Shape::Null && everywhere(members));
        if !shared && !self.is_read() {
            let differs = values.iter().find(|(_, v)| *v != values[0].1).unwrap_or(&values[0]);
            return Err(conflict_between(at, key, values[0], *differs));
        }
        if self.is_read() && groups.iter().any(|(_, members)| !everywhere(members)) {
            groups.sort_by_key(|(member, _)| {
                (member.shape == Shape::Null, std::cmp::Reverse(self.size_of(&member.shape)))
            });
        }
        let mut out = Vec::new();
        for (member, members) in &groups {
            let here = format!("{at}/{}/{}", token(key), out.len());
            let what = match (&member.shape, members.first()) {
                (Shape::Null, _) => "member `null` (nullable)".to_string(),
                (_, Some(first)) => format!("member `{}`", label(first.value)),
                (shape, None) => format!("member `{shape}`"),
            };
            let having: Vec<&str> = members.iter().map(|member| member.page).collect();
            let sides = Presence { pages: &pages, having: &having }.sides("a member");
            if !everywhere(members) && !self.is_read() {
                let at = format!("{at}/{}", token(key));
                self.record.log.push(Reconciliation {
                    at,
                    keyword: key.to_string(),
                    outcome: Outcome::NotSent(what),
                    sides,
                });
                continue;
            }
            out.push(self.node(&here, members)?);
            if !everywhere(members) {
                let outcome = Outcome::Kept(what);
                self.record.log.push(Reconciliation { at: here, keyword: key.to_string(), outcome, sides });
            }
        }
        Ok(Value::Array(out))
    }
    /// How many properties a member of this shape has (a `$ref`'s component's), to order a
    /// read union: an untagged union decodes into the first member that fits, so a member whose
    /// fields include another's comes before it.
    pub(super) fn size_of(&self, shape: &Shape) -> usize {
        shape.component().and_then(|name| self.sizes.get(name)).copied().unwrap_or(0)
    }
    /// A discriminator: the same `propertyName`; its `mapping` every page's entries when read,
    /// the entries every page has when sent. One tag mapped to two targets is a conflict.
    pub(super) fn discriminator(&mut self, at: &str, values: &PageValues<'_>) -> Result<Value, Box<Conflict>> {
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
        let pages: Vec<&str> = mappings.iter().map(|(page, _)| *page).collect();
        let mut out = Map::new();
        for (tag, mapped) in in_order_of_first_appearance(
            mappings
                .iter()
                .flat_map(|(page, mapping)| mapping.iter().map(move |(tag, target)| (tag, (*page, target)))),
        ) {
            let (first, target) = mapped[0];
            if let Some((page, other)) = mapped.iter().find(|(_, other)| *other != target) {
                let at = format!("{here}/mapping");
                return Err(conflict_between(&at, tag, (first, Some(target)), (page, Some(*other))));
            }
            let listing: Vec<&str> = mapped.iter().map(|(page, _)| *page).collect();
            let presence = Presence { pages: &pages, having: &listing };
            let everywhere = presence.everywhere();
            if !everywhere {
                let sides = presence.sides("mapped");
                let what = format!("mapping `{tag}`");
                let outcome = if self.is_read() { Outcome::Kept(what) } else { Outcome::NotSent(what) };
                self.record.log.push(Reconciliation { at: here.clone(), keyword: "mapping".into(), outcome, sides });
            }
            if everywhere || self.is_read() {
                out.insert(tag.clone(), target.clone());
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
}
