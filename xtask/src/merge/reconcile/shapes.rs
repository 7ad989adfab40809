//! Shapes: takes declarations of a union's members (or lone schemas to lift into one), gives
//! them grouped by what each member is (its `$ref`, else its type), to be matched across pages.

use std::borrow::Cow;

use serde_json::{Map, Value, json};

use super::declarations::{Declaration, in_order_of_first_appearance};
use super::outcome::{Conflict, conflict};
use crate::merge::policy;

/// A union member's place among its page's members: its shape, and which of that shape it is
/// (a second member of one shape on one page is matched with the second on another).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Member {
    pub(super) shape: Shape,
    pub(super) nth: usize,
}

/// Union members by shape, each with the pages' members of that shape, in order of first
/// appearance.
pub(super) fn group_by_shape<'a>(lists: &[(&'a str, &'a Vec<Value>)]) -> Vec<(Member, Vec<Declaration<'a>>)> {
    let members = lists.iter().flat_map(|(page, list)| {
        let mut seen: Vec<Shape> = Vec::new();
        list.iter().map(move |member| {
            let shape = Shape::of(member);
            let nth = seen.iter().filter(|s| **s == shape).count() + 1;
            seen.push(shape.clone());
            (Member { shape, nth }, Declaration { page, value: member })
        })
    });
    in_order_of_first_appearance(members)
}

/// Where some declarations are a union (`anyOf`/`oneOf`) and others a lone schema, each lone
/// one becomes a one-member union, its annotations staying beside it; the members then match
/// by shape. Read (`reads`), lone schemas of different shapes (`$ref A` against `$ref B`,
/// `integer` against `string`) become an `anyOf` too, so the client reads either. A union
/// keyword against the other one is a conflict.
pub(super) fn lift_into_union<'a>(
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
pub(super) fn of_different_shapes(declarations: &[Declaration<'_>]) -> bool {
    let shapes: Vec<Shape> = declarations.iter().map(|d| Shape::of(d.value)).collect();
    !shapes.contains(&Shape::Any) && shapes.iter().any(|s| *s != shapes[0])
}

/// A union the merge made of lone schemas that came out with one member: the member itself,
/// its annotations beside it again (`X` against `anyOf [X, null]`, sent: `X`).
pub(super) fn unlift_single_member(out: &mut Map<String, Value>) {
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
pub(super) fn in_canonical_order(at: &str, mut map: Map<String, Value>) -> Value {
    let tokens: Vec<&str> = at.split('/').collect();
    let parameter =
        matches!(tokens.as_slice(), ["", "components", "parameters", _] | ["", "paths", _, "parameters", _]);
    map.sort_keys();
    if parameter { crate::normalize::canon_parameter(&Value::Object(map)) } else { Value::Object(map) }
}

/// What a union member is, to match it with its counterpart on another page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Shape {
    /// A `$ref`: `#/components/schemas/X`.
    Ref(String),
    /// Its types, `null` beside them aside, `integer` as `number` (one widens to the other).
    Types(Vec<String>),
    /// `type: null` alone.
    Null,
    /// No type: the first of `const`, `enum`, `allOf`, `anyOf`, `oneOf` it has.
    Keyword(&'static str),
    /// Nothing that says what it is: anything goes.
    Any,
}

impl Shape {
    pub(super) fn of(member: &Value) -> Shape {
        if let Some(reference) = member.get("$ref").and_then(Value::as_str) {
            return Shape::Ref(reference.to_string());
        }
        let core = |t: &str| if t == "integer" { "number".to_string() } else { t.to_string() };
        match member.get("type") {
            Some(Value::String(t)) if t == "null" => Shape::Null,
            Some(Value::String(t)) => Shape::Types(vec![core(t)]),
            Some(Value::Array(list)) => {
                let types: Vec<String> =
                    list.iter().filter_map(Value::as_str).filter(|t| *t != "null").map(core).collect();
                if types.is_empty() { Shape::Null } else { Shape::Types(types) }
            }
            Some(other) => Shape::Types(vec![other.to_string()]),
            None => ["const", "enum", "allOf", "anyOf", "oneOf"]
                .into_iter()
                .find(|k| member.get(*k).is_some())
                .map_or(Shape::Any, Shape::Keyword),
        }
    }

    /// The component a `$ref` names.
    pub(super) fn component(&self) -> Option<&str> {
        match self {
            Shape::Ref(reference) => reference.rsplit('/').next(),
            _ => None,
        }
    }
}

impl std::fmt::Display for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Shape::Ref(reference) => write!(f, "$ref {reference}"),
            Shape::Types(types) => write!(f, "type {}", types.join(",")),
            Shape::Null => f.write_str("type null"),
            Shape::Keyword(keyword) => f.write_str(keyword),
            Shape::Any => f.write_str("any"),
        }
    }
}

/// A union member as the pages write it, for the log: its `$ref`, else its `type`.
pub(super) fn label(member: &Value) -> String {
    match member.get("type") {
        Some(Value::String(t)) if member.get("$ref").is_none() => format!("type {t}"),
        _ => Shape::of(member).to_string(),
    }
}
