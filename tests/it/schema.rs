//! The shared schema walker: every stage visits the same subschemas, with the same pointers.

use serde_json::{Value, json};

use crate::check;

/// Walks `schema` as every stage does and compares the pointers it visits with `expected`.
#[track_caller]
fn check_walk(case: &str, schema: &Value, expected: &[&str]) {
    let mut seen = Vec::new();
    xtask::schema::walk(schema, "#", &mut |at, _| seen.push(at.to_string()));
    check(case, "pointers visited", seen, expected.iter().map(|s| s.to_string()).collect());
}

#[test]
fn walk_visits_every_subschema_with_its_pointer() {
    let schema = json!({
        "type": "object",
        "properties": {"a/b": {"type": "string"}, "c": {"items": {"not": {"type": "null"}}}},
        "additionalProperties": {"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}]},
        "prefixItems": [true],
        "if": {"const": 1}, "then": {}, "else": {},
        "enum": [{"properties": {"not-a": "schema"}}],
        "examples": [{"items": {}}],
    });
    check_walk(
        "a schema using every kind of subschema keyword",
        &schema,
        &[
            "#",
            "#/properties/a~1b",
            "#/properties/c",
            "#/properties/c/items",
            "#/properties/c/items/not",
            "#/additionalProperties",
            "#/additionalProperties/anyOf/0",
            "#/additionalProperties/anyOf/1",
            "#/prefixItems/0",
            "#/if",
            "#/then",
            "#/else",
        ],
    );
}

#[test]
fn refs_are_found_anywhere_and_components_named_unescaped() {
    let document = json!({
        "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/a~1b"}}}}}}}},
        "components": {"schemas": {"a/b": {"type": "object", "properties": {"x": {"$ref": "#/components/schemas/X"}}}, "X": {}}},
    });
    check(
        "a document",
        "refs",
        xtask::schema::refs(&document),
        vec!["#/components/schemas/a~1b", "#/components/schemas/X"],
    );
    check(
        "#/components/schemas/a~1b",
        "component",
        xtask::schema::component_ref("#/components/schemas/a~1b"),
        Some(("schemas", "a/b".to_string())),
    );
    check(
        "#/components/schemas/a~1b",
        "target",
        xtask::schema::resolve(&document, "#/components/schemas/a~1b"),
        document.pointer("/components/schemas/a~1b"),
    );
    check("a path, not a component", "component", xtask::schema::component_ref("#/paths/~1a"), None);
}
