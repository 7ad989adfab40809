//! Shapes: takes declarations of a union's members (or lone schemas to lift into one), gives
//! them grouped by what each member is (its `$ref`, else its type), to be matched across pages.

use std::borrow::Cow;

use serde_json::{Map, Value, json};

use super::declarations::Declaration;
use super::outcome::{Conflict, conflict};
use crate::merge::policy;

/// Union members by shape (`$ref X`, `type string`; a second member of one shape on one page is
/// `... #2`), each with the pages' members of that shape, in order of first appearance.
pub(super) fn group_by_shape<'a>(lists: &[(&'a str, &'a Vec<Value>)]) -> Vec<(String, Vec<Declaration<'a>>)> {
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
    let shapes: Vec<String> = declarations.iter().map(|d| shape(d.value)).collect();
    !shapes.iter().any(|s| s == "any") && shapes.iter().any(|s| *s != shapes[0])
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

/// What a union member is, to match it with its counterpart on another page: its `$ref`, else
/// its type (`integer` is a `number`, one widens to the other; `null` beside a type aside).
pub(super) fn shape(member: &Value) -> String {
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
pub(super) fn label(member: &Value) -> String {
    match member.get("type") {
        Some(Value::String(t)) if member.get("$ref").is_none() => format!("type {t}"),
        _ => shape(member),
    }
}
