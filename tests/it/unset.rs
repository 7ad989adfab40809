//! The client sends only what its caller set: request types built with nothing set serialize to
//! nothing, the docs' defaults live in the docs, and `tests/unset_fields.rs` (generated with the
//! crate) covers every struct a request sends.

use serde_json::Value;

use crate::{check, repo_root};

#[cfg(feature = "client")]
#[test]
fn request_types_built_with_nothing_set_send_nothing() {
    use baseten_management::types::{PromoteRequestV1, UpdateRollingDeployConfigV1};
    use serde_json::json;

    let promote: PromoteRequestV1 = PromoteRequestV1::builder().try_into().expect("no required fields");
    check("PromoteRequestV1::builder()", "JSON", serde_json::to_value(promote).unwrap(), json!({}));
    let rolling: UpdateRollingDeployConfigV1 =
        UpdateRollingDeployConfigV1::builder().try_into().expect("no required fields");
    check("UpdateRollingDeployConfigV1::builder()", "JSON", serde_json::to_value(rolling).unwrap(), json!({}));
    check("PromoteRequestV1::default()", "JSON", serde_json::to_value(PromoteRequestV1::default()).unwrap(), json!({}));
    // What the caller sets is sent, `false` included.
    let promote: PromoteRequestV1 =
        PromoteRequestV1::builder().scale_down_previous_production(false).try_into().unwrap();
    check(
        "scale_down_previous_production(false)",
        "JSON",
        serde_json::to_value(promote).unwrap(),
        json!({"scale_down_previous_production": false}),
    );
}

#[test]
fn the_docs_default_is_in_the_field_docs() {
    let code = std::fs::read_to_string(repo_root().join("generated/src/api.rs")).expect("generated/src/api.rs");
    for (owner, field, sentence) in [
        ("PromoteRequestV1", "scale_down_previous_production", "The server uses `true` when unset."),
        ("UpdateRollingDeployConfigV1", "max_surge_percent", "The server uses `20` when unset."),
    ] {
        let struct_at = code.find(&format!("pub struct {owner} {{")).unwrap_or_else(|| panic!("no struct {owner}"));
        let at =
            struct_at + code[struct_at..].find(&format!("pub {field}:")).unwrap_or_else(|| panic!("no field {field}"));
        let docs = &code[..at];
        let docs = &docs[docs.rfind("/**").unwrap_or(0)..];
        assert!(docs.contains(sentence), "the docs of `{field}` lack {sentence:?}:\n{docs}");
    }
}

/// Every object schema requests reach, as its Rust name: each has a case in the generated
/// test file, or typify made it something without a builder (a map newtype).
pub(crate) fn check_unset_cases_cover_every_request_struct(what: &str, document: &Value, api: &str, tests: &str) {
    let directions = xtask::model::Model::of(document).directions;
    let schemas = document["components"]["schemas"].as_object().expect("components.schemas");
    let mut uncovered = Vec::new();
    let mut covered = 0;
    for (name, _) in schemas.iter().filter(|(name, s)| directions.sent(name) && s.get("properties").is_some()) {
        let rust = xtask::naming::rust_name(name);
        if tests.contains(&format!("let built: types::{rust} = types::{rust}::builder()")) {
            covered += 1;
        } else if !api.contains(&format!("pub struct {rust}(")) {
            uncovered.push(rust);
        }
    }
    check(what, "request structs without a case in tests/unset_fields.rs", uncovered, vec![]);
    assert!(covered > 0, "{what}: no request struct has a case");
}

#[test]
fn the_generated_cases_cover_every_request_struct() {
    let read = |path: &str| std::fs::read_to_string(repo_root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let document = xtask::yaml::from_str(&read("generated/openapi.yaml")).expect("generated/openapi.yaml");
    check_unset_cases_cover_every_request_struct(
        "generated/",
        &document,
        &read("generated/src/api.rs"),
        &read("generated/tests/unset_fields.rs"),
    );
}
