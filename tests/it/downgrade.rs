//! The 3.1 → 3.0.3 downgrade, schema by schema: each case is a 3.1 schema and the 3.0.3 schema
//! with the same meaning.

use serde_json::{Value, json};

/// Downgrades the component `S` declared as `schema` on the page `spec/case.md`, and compares
/// the 3.0.3 schema, or the errors, with `expected`.
#[track_caller]
fn check(case: &str, schema: Value, expected: Result<Value, &str>) {
    let document = json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {"S": schema}}});
    let document = xtask::OpenApi31::from_value(document).expect("a 3.1 document");
    let actual = xtask::downgrade::downgrade(&document, &xtask::provenance::Provenance::one_page("spec/case.md"))
        .map(|out| out["components"]["schemas"]["S"].clone())
        .map_err(|e| e.to_string());
    crate::check(case, "downgraded schema", actual, expected.map_err(str::to_string));
}

#[test]
fn each_31_construct_becomes_its_303_equivalent() {
    let cases = [
        (
            "null union",
            json!({"anyOf": [{"type": "string"}, {"type": "null"}], "title": "T"}),
            json!({"title": "T", "type": "string", "nullable": true}),
        ),
        (
            "null union of a $ref",
            json!({"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}]}),
            json!({"allOf": [{"$ref": "#/components/schemas/X"}], "nullable": true}),
        ),
        (
            "null union of two",
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}),
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true}),
        ),
        ("type list", json!({"type": ["integer", "null"]}), json!({"type": "integer", "nullable": true})),
        ("const", json!({"const": "A"}), json!({"enum": ["A"]})),
        // typify rejects such a default on a union's discriminator (the 183-operation spec's
        // `kind: {const: model_archive, default: model_archive}`).
        (
            "const with itself as default",
            json!({"type": "string", "const": "a", "default": "a"}),
            json!({"type": "string", "enum": ["a"]}),
        ),
        (
            "exclusive bound",
            json!({"type": "number", "exclusiveMinimum": 0}),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true}),
        ),
        ("examples", json!({"type": "string", "examples": ["a", "b"]}), json!({"type": "string", "example": "a"})),
        (
            "$ref with siblings",
            json!({"$ref": "#/components/schemas/X", "description": "d"}),
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/X"}]}),
        ),
    ];
    for (name, input, expected) in cases {
        check(name, input, Ok(expected));
    }
}

#[test]
fn a_31_keyword_without_a_303_equivalent_is_an_error_on_its_page() {
    check(
        "prefixItems",
        json!({"type": "array", "prefixItems": [{"type": "string"}]}),
        Err(
            "error: spec/case.md: `#/components/schemas/S`: cannot be said in OpenAPI 3.0.3: `prefixItems` has no 3.0.3 \
             equivalent\n1 error",
        ),
    );
}
