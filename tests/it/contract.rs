//! Contract tests of the client against Prism: the cases codegen writes
//! (`generated/tests/contract/cases.rs`, what the crate's own `tests/contract.rs` runs) against
//! the merged spec, with typed calls as a user writes them, which generated cases (arguments from
//! JSON) do not show; and the same cases against each standard-form page's own OpenAPI 3.1
//! document, so a meaning lost in normalize, merge, defaults or downgrade fails here.
//!
//! Needs Node.js (npx); Prism is installed from npm on first use: the slow tier.

// Codegen's, laid out by prettyplease: rustfmt leaves it alone.
#[rustfmt::skip]
#[path = "../../generated/tests/contract/cases.rs"]
mod cases;
// The harness as the generated crate has it; its environment knobs are for that crate's test.
#[allow(dead_code)]
#[path = "../../xtask/templates/tests/contract/prism.rs"]
mod prism;

use std::collections::BTreeSet;
use std::path::Path;

use baseten_management::types::ApiKeyCategory;
use prism::{Case, Document, outcome};

use crate::repo_root;

/// Serves each document and calls `cases` against it, two Prisms at a time (each is a Node
/// process, and CI has two cores); every failure, and each document's run.
fn check(documents: Vec<Document>, cases: &'static [Case], calls: usize) -> (Vec<String>, Vec<prism::Tally>) {
    let mut failures = Vec::new();
    let mut tallies = Vec::new();
    for pair in documents.chunks(2) {
        let runs: Vec<_> =
            pair.iter().cloned().map(|d| std::thread::spawn(move || prism::run(&d, cases, calls))).collect();
        for run in runs {
            let tally = run.join().expect("a contract thread");
            eprintln!(
                "{} calls, {} cases not in the document, {} answers Prism generated against its document (called again)",
                tally.calls,
                tally.absent.len(),
                tally.broken_by_prism
            );
            failures.extend(tally.failures.iter().cloned());
            tallies.push(tally);
        }
    }
    (failures, tallies)
}

fn generated_cases() -> &'static [Case] {
    static CASES: std::sync::OnceLock<Vec<Case>> = std::sync::OnceLock::new();
    CASES.get_or_init(cases::cases)
}

#[test]
fn every_operation_has_a_generated_case() {
    let spec = std::fs::read_to_string(repo_root().join("generated/openapi.yaml")).expect("generated/openapi.yaml");
    let spec = xtask::yaml::from_str(&spec).expect("generated/openapi.yaml parses");
    let operations: BTreeSet<String> = spec["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(serde_json::Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op.get("operationId").and_then(serde_json::Value::as_str))
        .map(str::to_string)
        .collect();
    let covered: BTreeSet<String> = generated_cases().iter().map(|case| case.operation.to_string()).collect();
    crate::check("generated/tests/contract/cases.rs", "operations with a case", covered, operations);
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (Node and Prism, ~50 s): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn each_operation_against_prism_serving_its_pages_own_document() {
    const SPEC_EXPECTED: &str = "tests/fixtures/contract/spec-expected.txt";
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("contract");
    std::fs::create_dir_all(&dir).unwrap();
    let mut documents = Vec::new();
    // The stand-ins are cut from one spec: served together, they are what each would be alone,
    // with one Prism instead of one per page.
    let mut stand_ins: Option<serde_json::Value> = None;
    for page in crate::spec_pages() {
        let block = xtask::extract::extract(&page).unwrap_or_else(|e| panic!("{e}"));
        let document: serde_json::Value = xtask::yaml::from_str(block.yaml).expect("the page's YAML parses");
        if document["paths"].get("method").is_some() {
            continue; // Mintlify's resolved form: not an OpenAPI document Prism can serve.
        }
        if xtask::cut::is_stand_in(&page.text) {
            match &mut stand_ins {
                Some(all) => join(all, &document),
                None => stand_ins = Some(document),
            }
            continue;
        }
        let stem = Path::new(&page.path).file_stem().unwrap().to_string_lossy().to_string();
        let file = dir.join(format!("{stem}.json"));
        std::fs::write(&file, document.to_string()).unwrap();
        // The page's document has its one operation: the other cases are skipped.
        documents.push(Document { path: file, requests: true, partial: true });
    }
    if let Some(all) = stand_ins {
        let file = dir.join("stand-ins.json");
        std::fs::write(&file, all.to_string()).unwrap();
        documents.push(Document { path: file, requests: true, partial: true });
    }
    assert!(documents.len() >= 12, "only {} standard-form pages found", documents.len());
    let pages = documents.len();
    let (failures, tallies) = check(documents, generated_cases(), 25);
    let expected = std::fs::read_to_string(repo_root().join(SPEC_EXPECTED)).expect(SPEC_EXPECTED);
    let expected: Vec<&str> = expected.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).collect();
    let covers = |entry: &str, failure: &str| match entry.strip_suffix(": Prism log") {
        Some(file) => failure.starts_with(&format!("{file}: Prism log: ")),
        None => failure.starts_with(&format!("{entry}, call ")),
    };
    let unexpected: Vec<&String> = failures.iter().filter(|f| !expected.iter().any(|e| covers(e, f))).collect();
    let stale: Vec<&&str> = expected.iter().filter(|e| !failures.iter().any(|f| covers(e, f))).collect();
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "{} unexpected contract failure(s):\n{}\nexpected in {SPEC_EXPECTED} but did not happen: {stale:#?}",
        unexpected.len(),
        unexpected.iter().map(|f| f.as_str()).collect::<Vec<_>>().join("\n")
    );
    // Every page ran its own operation's cases: each page skips all cases but its own.
    let skipped: usize = tallies.iter().map(|t| t.absent.len()).sum();
    let cases = generated_cases().len();
    assert!(skipped < pages * cases, "no page ran a case");
    for tally in &tallies {
        assert!(tally.absent.len() < cases, "a page's document ran none of the cases: {:?}", tally.absent.first());
    }
}

/// Adds `page`'s paths and components to `all`: documents cut from one spec agree on both.
fn join(all: &mut serde_json::Value, page: &serde_json::Value) {
    let maps = ["/paths", "/components/schemas", "/components/parameters", "/components/securitySchemes"];
    for pointer in maps {
        let Some(theirs) = page.pointer(pointer).and_then(serde_json::Value::as_object) else { continue };
        if all.pointer(pointer).is_none() {
            let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
            let parent = if parent.is_empty() { &mut *all } else { all.pointer_mut(parent).expect("components") };
            parent[key] = serde_json::json!({});
        }
        let ours = all.pointer_mut(pointer).and_then(serde_json::Value::as_object_mut).expect("an object");
        for (name, value) in theirs {
            let kept = ours.entry(name.clone()).or_insert_with(|| value.clone());
            if pointer == "/paths" {
                // One path item, several operations: each page brings its own.
                let (kept, value) =
                    (kept.as_object_mut().expect("a path item"), value.as_object().expect("a path item"));
                kept.extend(value.iter().map(|(k, v)| (k.clone(), v.clone())));
            } else {
                assert!(kept == value, "stand-ins disagree on {pointer}/{name}: not cut from one spec");
            }
        }
    }
}

/// Calls as a user writes them: typed values, enum variants, builder closures.
fn typed_cases() -> Vec<Case> {
    vec![
        Case {
            operation: "create_api_key",
            method: "POST",
            path: "/v1/api_keys",
            arguments: "a typed enum and an optional name",
            call: |c| {
                let body = |b: baseten_management::types::builders::CreateApiKeyRequestV1Builder| {
                    b.name("ci").type_(ApiKeyCategory::Personal)
                };
                outcome(c.create_api_key().body_map(body).send())
            },
        },
        Case {
            operation: "update_deployment_autoscaling_settings",
            method: "PATCH",
            path: "/v1/models/{model_id}/deployments/{deployment_id}/autoscaling_settings",
            arguments: "typed integers through body_map",
            call: |c| {
                let update = c.update_deployment_autoscaling_settings().model_id("m1").deployment_id("d1");
                outcome(update.body_map(|b| b.min_replica(0i64).max_replica(2i64)).send())
            },
        },
        Case {
            operation: "promote_development_deployment",
            method: "POST",
            path: "/v1/models/{model_id}/deployments/development/promote",
            arguments: "a body left as its builder starts it",
            call: |c| outcome(c.promote_development_deployment().model_id("m1").body_map(|b| b).send()),
        },
    ]
}

/// Failures of the merged spec's cases no client can prevent: Prism's own answers.
const MERGED_EXPECTED: &str = "tests/fixtures/contract/merged-expected.txt";

/// What `generated/tests/contract.rs` runs in the crate (with its `contract` feature), run here so
/// the workspace's slow tier lists it, with the typed calls beside: one Prism serves both.
#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (Node and Prism, ~25 s): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn every_operation_and_the_typed_calls_against_prism_serving_the_merged_spec() {
    static CASES: std::sync::OnceLock<Vec<Case>> = std::sync::OnceLock::new();
    let cases = CASES.get_or_init(|| cases::cases().into_iter().chain(typed_cases()).collect());
    let document = Document { path: repo_root().join("generated/openapi.yaml"), requests: true, partial: false };
    let (mut failures, tallies) = check(vec![document], cases, prism::calls_per_case());
    let lacking = tallies.iter().filter(|tally| !tally.absent.is_empty());
    failures.extend(lacking.map(|tally| format!("generated/openapi.yaml lacks {:?}", tally.absent)));
    let (failures, stale) = prism::against(failures, &prism::expected_in(&repo_root().join(MERGED_EXPECTED)));
    assert!(
        failures.is_empty() && stale.is_empty(),
        "{} contract failure(s):\n{}\nexpected in {MERGED_EXPECTED} but did not happen: {stale:#?}",
        failures.len(),
        failures.join("\n")
    );
}
