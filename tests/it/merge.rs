//! Merging: the real drift between the pages, the tolerant-reader rules on made-up drift, and
//! the conflicts that must stop a run, each naming both pages.

use serde_json::json;
use xtask::Page;

use crate::check;

/// A standard-form page for `GET <path>` answering with the schema `Thing`, declared as `thing`
/// (YAML indented for `components.schemas.Thing`).
fn page(name: &str, path: &str, thing: &str) -> Page {
    let text = format!(
        "# {name}\n\n````yaml get {path}\nopenapi: 3.1.0\ninfo:\n  title: t\n  version: '1'\npaths:\n  {path}:\n    get:\n      summary: {name}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Thing'\ncomponents:\n  schemas:\n    Thing:\n{thing}\n````\n"
    );
    Page::new(format!("spec/{name}.md"), text)
}

fn merge(pages: &[Page]) -> Result<xtask::merge::Merged, xtask::Errors> {
    xtask::normalize_pages(pages).and_then(|ops| xtask::merge::merge(ops, &xtask::Decisions::default()))
}

#[test]
fn the_pages_drift_is_reconciled_and_reported() {
    let run = crate::build(&crate::spec_pages()).unwrap_or_else(|e| panic!("{e}"));
    let reported: Vec<(String, String, Vec<usize>)> = run
        .reconciliations
        .iter()
        .map(|r| (r.at.clone(), r.keyword.clone(), r.sides.iter().map(|side| side.pages.len()).collect()))
        .collect();
    check(
        "spec/",
        "reconciliations (pointer, keyword, pages on each side)",
        reported,
        vec![
            (
                "/components/schemas/AutoscalingSettingsV1/properties/target_in_flight_tokens".into(),
                "properties".into(),
                vec![5, 1],
            ),
            ("/components/schemas/DeploymentV1/properties/labels".into(), "properties".into(), vec![2, 3]),
        ],
    );
    let schemas = &run.merged["components"]["schemas"];
    for (schema, property) in [("DeploymentV1", "labels"), ("AutoscalingSettingsV1", "target_in_flight_tokens")] {
        assert!(schemas[schema]["properties"].get(property).is_some(), "{schema}.{property} must be kept");
        let required = schemas[schema]["required"].as_array().expect("required list");
        assert!(
            !required.contains(&json!(property)),
            "{schema}.{property} is missing on some pages: it cannot be required"
        );
    }
}

#[test]
fn drift_is_merged_as_a_tolerant_reader_would() {
    let a = page(
        "a",
        "/v1/a",
        // `Y` is a string: read as YAML 1.1 it would silently become `true`.
        "      type: object\n      description: A thing.\n      properties:\n        x: {type: string}\n        y: {type: integer}\n        status: {type: string, enum: [X, Y]}\n      required: [x, y]",
    );
    let b = page(
        "b",
        "/v1/b",
        "      type: object\n      description: A thing, richly described by the page with more properties.\n      properties:\n        x: {type: string}\n        z: {type: boolean}\n        w: {type: boolean}\n        status: {type: string, enum: [Y, Z]}\n      required: [x, z]",
    );
    let merged = merge(&[a, b]).unwrap_or_else(|e| panic!("{e}"));
    let thing = &merged.document["components"]["schemas"]["Thing"];
    let properties: Vec<&str> =
        thing["properties"].as_object().expect("properties").keys().map(String::as_str).collect();
    check(
        "a.md + b.md",
        "properties (union, richer page's order first)",
        properties,
        vec!["x", "z", "w", "status", "y"],
    );
    check("a.md + b.md", "required (intersection)", &thing["required"], &json!(["x"]));
    check("a.md + b.md", "enum (union)", &thing["properties"]["status"]["enum"], &json!(["Y", "Z", "X"]));
    check(
        "a.md + b.md",
        "description (richer page's)",
        &thing["description"],
        &json!("A thing, richly described by the page with more properties."),
    );
    let lines: Vec<String> = merged.reconciliations.iter().map(ToString::to_string).collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("/properties/y") && l.contains("not declared on spec/b.md; declared on spec/a.md")),
        "{lines:#?}"
    );
    assert!(lines.iter().any(|l| l.contains("`z` optional")), "{lines:#?}");
    assert!(lines.iter().any(|l| l.contains("enum value \"X\"")), "{lines:#?}");
}

#[test]
fn a_property_whose_type_differs_is_an_error_naming_both_pages() {
    let a = page("a", "/v1/a", "      type: object\n      properties:\n        x: {type: string}");
    let b = page("b", "/v1/b", "      type: object\n      properties:\n        x: {type: integer}");
    let errors = merge(&[a, b]).err().expect("a type conflict must fail").to_string();
    for needle in ["spec/a.md", "spec/b.md", "schemas/Thing", "/properties/x/type"] {
        assert!(errors.contains(needle), "the error must name {needle}:\n{errors}");
    }
}

#[test]
fn one_operation_on_two_pages_with_different_content_is_an_error_naming_both() {
    let a = page("a", "/v1/same", "      type: object");
    let mut b = page("b", "/v1/same", "      type: object");
    b.text = b.text.replace("summary: b", "summary: something else");
    let errors = merge(&[a, b]).err().expect("a duplicate operation must fail").to_string();
    for needle in ["spec/a.md", "spec/b.md", "GET /v1/same", "/summary"] {
        assert!(errors.contains(needle), "the error must name {needle}:\n{errors}");
    }
}

#[test]
fn a_ref_to_nothing_is_an_error_at_its_line() {
    let a = page(
        "a",
        "/v1/a",
        "      type: object\n      properties:\n        x:\n          $ref: '#/components/schemas/Missing'",
    );
    let errors = merge(&[a]).err().expect("a dangling $ref must fail");
    let error = &errors.0[0];
    check("spec/a.md", "error position", (error.file.as_str(), error.line), ("spec/a.md", Some(25)));
    assert!(error.message.contains("#/components/schemas/Missing"), "{error}");
}

#[test]
fn the_order_of_pages_does_not_change_a_byte() {
    let pages = crate::spec_pages();
    let forward = crate::build(&pages).unwrap_or_else(|e| panic!("{e}"));
    let mut reversed = pages.clone();
    reversed.reverse();
    let backward = crate::build(&reversed).unwrap_or_else(|e| panic!("{e}"));
    check("spec/ reversed", "generated files", &backward.files, &forward.files);
}
