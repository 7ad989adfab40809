//! Canon: takes a parameter, a media type or a response object, gives it laid out canonically
//! (keys sorted, `name` and `in` first, the schema canonical), so both page forms give the same
//! bytes.

use serde_json::{Map, Value};

use crate::schema;

/// `name` and `in` first, then the rest sorted, the schema canonical.
pub fn canon_parameter(parameter: &Value) -> Value {
    let Value::Object(map) = parameter else { return parameter.clone() };
    let mut out = Map::new();
    for key in ["name", "in"] {
        if let Some(v) = map.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    let mut rest: Vec<&String> = map.keys().filter(|k| *k != "name" && *k != "in").collect();
    rest.sort();
    for key in rest {
        let v = &map[key];
        out.insert(key.clone(), if key == "schema" { schema::canonical(v) } else { v.clone() });
    }
    Value::Object(out)
}

pub(super) fn canon_media(media: &Value) -> Value {
    let Value::Object(map) = media else { return media.clone() };
    map.iter()
        .map(|(k, v)| (k.clone(), if k == "schema" { schema::canonical(v) } else { v.clone() }))
        .collect()
}

pub(super) fn canon_response(response: &Value) -> Value {
    let Value::Object(map) = response else { return response.clone() };
    map.iter()
        .map(|(k, v)| {
            let v = match (k.as_str(), v) {
                ("content", Value::Object(c)) => {
                    Value::Object(c.iter().map(|(m, e)| (m.clone(), canon_media(e))).collect())
                }
                _ => v.clone(),
            };
            (k.clone(), v)
        })
        .collect()
}
