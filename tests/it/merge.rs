//! Merging: the real drift between the pages, the tolerant-reader rules on made-up drift, and
//! the conflicts that must stop a run, each naming both pages. The drift policy row by row is
//! in `drift.rs`.

use serde_json::{Value, json};
use xtask::Page;

/// A standard-form page `spec/<name>.md` for `GET <path>` answering with the schema `Thing`,
/// declared as `thing` (unindented YAML).
fn page(name: &str, path: &str, thing: &str) -> Page {
    let thing: String = thing.trim().lines().map(|line| format!("      {line}\n")).collect();
    let text = format!(
        r#"# {name}

````yaml get {path}
openapi: 3.1.0
info:
  title: t
  version: '1'
paths:
  {path}:
    get:
      summary: {name}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Thing'
components:
  schemas:
    Thing:
{thing}````
"#
    );
    Page::new(format!("spec/{name}.md"), text)
}

/// Merges `pages` and compares what comes out, as text, with `expected`: the merged `Thing` and
/// every reconciliation, or every error (the merge stage's own: positions in the page come from
/// the run, see `drift.rs` and `bad_input.rs`).
#[track_caller]
fn check(pages: &[Page], expected: &str) {
    let merged = xtask::normalize_pages(pages)
        .and_then(|operations| xtask::merge::merge(operations, &xtask::Decisions::default()));
    let actual = match merged {
        Ok(merged) => {
            let thing = xtask::yaml::to_string(&merged.document["components"]["schemas"]["Thing"]);
            let lines: String = merged.reconciliations.iter().map(|r| format!("- {r}\n")).collect();
            format!("Thing:\n{thing}reconciled:\n{lines}")
        }
        Err(errors) => format!("{errors}\n"),
    };
    let names: Vec<&str> = pages.iter().map(|p| p.path.as_str()).collect();
    crate::check_text(&names.join(" + "), "merge", &actual, expected.trim_start());
}

#[test]
fn the_pages_drift_is_reconciled_and_reported() {
    let run = crate::build(&crate::spec_pages()).unwrap_or_else(|e| panic!("{e}"));
    let reported: Vec<(String, String, Vec<usize>)> = run
        .reconciliations
        .iter()
        .map(|r| (r.at.clone(), r.keyword.clone(), r.sides.iter().map(|side| side.pages.len()).collect()))
        .collect();
    crate::check(
        "spec/",
        "reconciliations (pointer, keyword, pages on each side)",
        reported,
        vec![
            (
                "/components/schemas/AutoscalingSettingsV1/properties/max_scale_down_rate".into(),
                "properties".into(),
                vec![4, 18],
            ),
            ("/components/schemas/DeploymentV1/properties/labels".into(), "properties".into(), vec![6, 10]),
            ("/components/schemas/DeploymentV1/properties/region".into(), "properties".into(), vec![4, 12]),
            (
                "/components/schemas/DeploymentV1/properties/request_backpressure_settings".into(),
                "properties".into(),
                vec![4, 12],
            ),
            ("/components/schemas/DeploymentV1".into(), "required".into(), vec![4, 12]),
            ("/components/schemas/TrainingJobV1/properties/node_count".into(), "properties".into(), vec![8, 4]),
            (
                "/components/schemas/TrainingJobV1/properties/checkpoint_sync_status".into(),
                "properties".into(),
                vec![8, 4],
            ),
            ("/components/schemas/TrainingJobV1/properties/priority".into(), "properties".into(), vec![8, 4]),
            ("/components/schemas/TrainingJobV1/properties/availability_model".into(), "properties".into(), vec![8, 4]),
            ("/components/schemas/TrainingJobV1/properties/user".into(), "properties".into(), vec![8, 4]),
            (
                "/components/schemas/UpdateAutoscalingSettingsV1/properties/max_scale_down_rate".into(),
                "properties".into(),
                vec![1, 6],
            ),
            ("/components/securitySchemes".into(), "security".into(), vec![54, 35]),
            ("/paths/~1v1~1chains~1{chain_id}~1environments/get".into(), "erratum".into(), vec![1, 1]),
        ],
    );
    let schemas = &run.merged["components"]["schemas"];
    for (schema, property) in [("DeploymentV1", "labels"), ("AutoscalingSettingsV1", "max_scale_down_rate")] {
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
    // `Y` is a string: read as YAML 1.1 it would silently become `true`.
    let a = page(
        "a",
        "/v1/a",
        r#"
type: object
description: A thing.
properties:
  x: {type: string}
  y: {type: integer}
  status: {type: string, enum: [X, Y]}
required: [x, y]
"#,
    );
    let b = page(
        "b",
        "/v1/b",
        r#"
type: object
description: A thing, richly described by the page with more properties.
properties:
  x: {type: string}
  z: {type: boolean}
  w: {type: boolean}
  status: {type: string, enum: [Y, Z]}
required: [x, z]
"#,
    );
    // Properties: the union, the richer page's order first; required: only where every page
    // requires it (responses reach `Thing`); enum: the union; texts: the richer page's.
    check(
        &[a, b],
        r#"
Thing:
description: A thing, richly described by the page with more properties.
properties:
  x:
    type: string
  z:
    type: boolean
  w:
    type: boolean
  status:
    enum:
    - "Y"
    - Z
    - X
    type: string
  "y":
    type: integer
required:
- x
type: object
reconciled:
- `#/components/schemas/Thing`: `description` differs: the richest declaration's kept ("A thing, richly described by the page with more properties.… on spec/b.md; "A thing." on spec/a.md)
- `#/components/schemas/Thing/properties/z`: property `z` kept (union) (declared on spec/b.md; not declared on spec/a.md)
- `#/components/schemas/Thing/properties/w`: property `w` kept (union) (declared on spec/b.md; not declared on spec/a.md)
- `#/components/schemas/Thing/properties/status`: enum value "Z" kept (union) (listed on spec/b.md; not listed on spec/a.md)
- `#/components/schemas/Thing/properties/status`: enum value "X" kept (union) (not listed on spec/b.md; listed on spec/a.md)
- `#/components/schemas/Thing/properties/y`: property `y` kept (union) (not declared on spec/b.md; declared on spec/a.md)
- `#/components/schemas/Thing`: `z` optional (responses reach it: required only where every page requires it) (required on spec/b.md; not required on spec/a.md)
- `#/components/schemas/Thing`: `y` optional (responses reach it: required only where every page requires it) (not required on spec/b.md; required on spec/a.md)
"#,
    );
}

#[test]
fn a_property_whose_type_differs_is_read_as_either() {
    // Responses reach `Thing`: the client reads what any page's server sends.
    let a = page("a", "/v1/a", "type: object\nproperties:\n  x: {type: string}");
    let b = page("b", "/v1/b", "type: object\nproperties:\n  x: {type: integer}");
    check(
        &[a, b],
        r#"
Thing:
properties:
  x:
    anyOf:
    - type: string
    - type: integer
type: object
reconciled:
- `#/components/schemas/Thing/properties/x/anyOf/0`: member `type string` kept (union) (a member on spec/a.md; not a member on spec/b.md)
- `#/components/schemas/Thing/properties/x/anyOf/1`: member `type integer` kept (union) (not a member on spec/a.md; a member on spec/b.md)
"#,
    );
}

#[test]
fn one_operation_on_two_pages_with_different_content_is_an_error_naming_both() {
    let a = page("a", "/v1/same", "type: object");
    let mut b = page("b", "/v1/same", "type: object");
    b.text = b.text.replace("summary: b", "summary: something else");
    check(
        &[a, b],
        r#"
error: spec/b.md: `GET /v1/same` is also declared on spec/a.md, with different content (first difference at `/summary`)
  hint: keep one page per endpoint in spec/
1 error
"#,
    );
}

#[test]
fn a_ref_to_nothing_is_an_error_at_its_line() {
    let a = page("a", "/v1/a", "type: object\nproperties:\n  x:\n    $ref: '#/components/schemas/Missing'");
    check(
        &[a],
        r#"
error: spec/a.md:25:18: `$ref: #/components/schemas/Missing` points to nothing: the page declares no schemas `Missing`
1 error
"#,
    );
}

#[test]
fn the_order_of_pages_does_not_change_a_byte() {
    let pages = crate::spec_pages();
    let forward = crate::build(&pages).unwrap_or_else(|e| panic!("{e}"));
    let mut reversed = pages.clone();
    reversed.reverse();
    let backward = crate::build(&reversed).unwrap_or_else(|e| panic!("{e}"));
    crate::check("spec/ reversed", "generated files", &backward.files, &forward.files);
}

#[test]
fn pages_of_both_auth_eras_send_one_credential_both_accept() {
    // spec/'s pages declare ApiKeyAuth (an apiKey in `Authorization`); August's BearerAuth.
    let text =
        std::fs::read_to_string(crate::repo_root().join("tests/fixtures/openapi/baseten-management-2026-08-22.json"));
    let august: serde_json::Value = serde_json::from_str(&text.unwrap()).unwrap();
    let bearer_page = xtask::cut::cut(&august).into_iter().find(|p| p.path == "spec/get-v1-secrets.md").unwrap();
    let mut pages = crate::spec_pages();
    pages.retain(|p| !p.path.ends_with("secrets/gets-all-secrets.md"));
    pages.push(bearer_page);
    let operations = xtask::normalize_pages(&pages).unwrap();
    let merged = xtask::merge::merge(operations, &xtask::Decisions::default()).unwrap_or_else(|e| panic!("{e}"));
    let document = &merged.document;
    let paths = document["paths"].as_object().unwrap();
    let effective: Vec<String> = paths
        .values()
        .flat_map(|item| item.as_object().unwrap().values().filter(|op| op.get("responses").is_some()))
        .map(|op| op.get("security").unwrap_or(&document["security"]).to_string())
        .collect();
    assert!(effective.iter().all(|s| s == r#"[{"BearerAuth":[]}]"#), "{effective:#?}");
    let said = merged.reconciliations.iter().map(ToString::to_string).find(|r| r.contains("every operation sends"));
    let said = said.expect("the run says every operation sends Bearer");
    assert!(
        said.starts_with(
            "`#/components/securitySchemes`: every operation sends `Authorization: Bearer <key>` (BearerAuth)"
        ),
        "{said}"
    );
    // The 53 older pages left with `ApiKeyAuth`; the bearer side, spec/'s newer pages and this one.
    assert!(
        said.contains("(an `apiKey` in `Authorization` on ") && said.contains(" and 51 more; `http` `bearer` on "),
        "{said}"
    );
    assert!(said.ends_with(" and 34 more)"), "{said}");
}

#[test]
fn the_chain_environments_erratum_applies_while_the_page_makes_the_mistake() {
    const PAGE: &str = "spec/environments/get-all-chain-environments.md";
    const LIST: &str = "/paths/~1v1~1chains~1{chain_id}~1environments/get";
    let answer = |run: &xtask::Run| {
        run.merged.pointer(&format!("{LIST}/responses/200/content/application~1json/schema")).cloned()
    };
    let run = crate::build(&crate::spec_pages()).unwrap_or_else(|e| panic!("{e}"));
    crate::check(
        PAGE,
        "the answer read",
        answer(&run),
        Some(json!({"$ref": "#/components/schemas/ChainEnvironmentsV1"})),
    );
    let items = &run.merged["components"]["schemas"]["ChainOrModelEnvironmentV1"]["oneOf"];
    crate::check(
        PAGE,
        "each item, the chain's shape first",
        items.clone(),
        json!([{"$ref": "#/components/schemas/ChainEnvironmentV1"}, {"$ref": "#/components/schemas/EnvironmentV1"}]),
    );
    let said = run.merged.pointer(&format!("{LIST}/description")).and_then(Value::as_str).unwrap_or_default();
    assert!(said.contains("**Docs erratum.**"), "the method's docs do not say what the client does: {said}");
    assert!(run.reconciliations.iter().any(|r| r.keyword == "erratum" && r.sides[0].pages == [PAGE]), "not reported");

    // The page fixed upstream: the correction does nothing.
    let fixed: Vec<Page> = crate::spec_pages()
        .into_iter()
        .map(|page| match page.path == PAGE {
            true => {
                Page::new(PAGE, page.text.replacen("$ref: '#/components/schemas/EnvironmentsV1'", "type: object", 1))
            }
            false => page,
        })
        .collect();
    let run = crate::build(&fixed).unwrap_or_else(|e| panic!("{e}"));
    crate::check(PAGE, "the answer of the fixed page", answer(&run), Some(json!({"type": "object"})));
    assert!(!run.reconciliations.iter().any(|r| r.keyword == "erratum"), "an erratum applied to a fixed page");
}
