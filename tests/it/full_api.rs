//! The whole management API (183 operations, cut from Baseten's full spec) through the whole
//! pipeline: what only the full spec exercises. `.ci/full-api` compiles the crate it gives.

use std::collections::BTreeMap;

use syn::visit::Visit;

use crate::check;

const SPEC: &str = "baseten-management-2026-08-22.json";

/// The generated files' texts: syntax trees cannot be shared between the test threads.
struct Full {
    api_text: String,
    mock_text: String,
    unset_text: String,
    cases_text: String,
    streams_text: Option<String>,
    waiters_text: String,
    lib_text: String,
    has_wait_module: bool,
    operations: Vec<String>,
    document: serde_json::Value,
}

fn parse(text: &str) -> syn::File {
    syn::parse_file(text).expect("generated code parses")
}

fn full() -> &'static Full {
    static FULL: std::sync::OnceLock<Full> = std::sync::OnceLock::new();
    FULL.get_or_init(|| {
        let path = crate::repo_root().join("tests/fixtures/openapi").join(SPEC);
        let spec: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let pages = xtask::cut::cut(&spec);
        let run = crate::build_with_lifecycles(&pages).unwrap_or_else(|e| panic!("{SPEC}: the pipeline failed:\n{e}"));
        check(SPEC, "operations", run.endpoints.len(), 183);
        Full {
            api_text: run.files["src/api.rs"].clone(),
            mock_text: run.files["src/mock.rs"].clone(),
            unset_text: run.files["tests/unset_fields.rs"].clone(),
            cases_text: run.files["tests/contract/cases.rs"].clone(),
            streams_text: run.files.get("tests/streams/cases.rs").cloned(),
            waiters_text: run.files.get("tests/waiters/cases.rs").cloned().unwrap_or_default(),
            lib_text: run.files["src/lib.rs"].clone(),
            has_wait_module: run.files.contains_key("src/wait.rs"),
            operations: run.endpoints.iter().map(|e| e.name.clone()).collect(),
            document: run.downgraded.into_value(),
        }
    })
}

fn types_module(file: &syn::File) -> &[syn::Item] {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "types" => module.content.as_ref().map(|(_, items)| &items[..]),
            _ => None,
        })
        .expect("a `types` module")
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (the whole API, 183 operations): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn every_string_enum_of_two_or_more_values_is_open() {
    // A closed one is all unit variants; an open one ends in `Unknown(String)`. One value is a
    // tag (a `const`), rightly closed.
    let api = parse(&full().api_text);
    let closed: Vec<String> = types_module(&api)
        .iter()
        .filter_map(|item| match item {
            syn::Item::Enum(e) if e.variants.len() > 1 && e.variants.iter().all(|v| v.fields.is_empty()) => {
                Some(e.ident.to_string())
            }
            _ => None,
        })
        .collect();
    check(SPEC, "closed string enums in `types`", closed, vec![]);
    // The three the spec declares inline, now components of their own.
    for name in [
        "LoopsCheckpointConfigTarget",
        "LibraryListingMetadataV1InputModalitiesItem",
        "LibraryListingMetadataV1OutputModalitiesItem",
    ] {
        assert!(full().api_text.contains(&format!("pub enum {name} {{")), "{SPEC}: no open enum {name}");
    }
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (the whole API, 183 operations): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn typify_names_give_way_to_open_enums() {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    let api = parse(&full().api_text);
    for item in types_module(&api) {
        let name = match item {
            syn::Item::Struct(s) => s.ident.to_string(),
            syn::Item::Enum(e) => e.ident.to_string(),
            syn::Item::Type(t) => t.ident.to_string(),
            _ => continue,
        };
        *count.entry(name).or_default() += 1;
    }
    let twice: Vec<&String> = count.iter().filter(|(_, n)| **n > 1).map(|(name, _)| name).collect();
    check(SPEC, "types declared twice", twice, vec![]);
    // The component `Name` (a deployment status) keeps its name; typify's inline `name` string
    // (titled "Name") is named after the first struct that holds it.
    let text = &full().api_text;
    assert!(text.contains("pub enum Name {"), "{SPEC}: the open enum `Name` is missing");
    assert!(text.contains("pub struct CreateLoopsRunRequestV1Name("), "{SPEC}: typify's `Name` was not renamed");
    assert!(!text.contains("Option<Name>"), "{SPEC}: a field still names typify's `Name` as `Name`");
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (the whole API, 183 operations): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn array_query_arguments_are_matched_item_by_item() {
    // progenitor's matcher calls `to_string()` on a `Vec`, which does not compile.
    struct Finder(Vec<String>);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_impl_item_fn(&mut self, method: &'ast syn::ImplItemFn) {
            let signature = quote::quote!(#method).to_string();
            if signature.contains(":: vec :: Vec <") && signature.contains("query_param (") {
                let folds = signature.contains(". fold (");
                if !folds || signature.contains("query_param (\"") && signature.contains(", value . to_string ())") {
                    self.0.push(method.sig.ident.to_string());
                }
            }
        }
    }
    let mut finder = Finder(Vec::new());
    finder.visit_file(&parse(&full().mock_text));
    check(SPEC, "mock matchers for array arguments that do not match each item", finder.0, vec![]);
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (the whole API, 183 operations): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn bare_urls_in_the_docs_are_links() {
    let text = &full().api_text;
    assert!(
        text.contains("see <https://docs.baseten.co/observability/export-metrics/supported-metrics> for"),
        "{SPEC}: the metrics URL is not a link"
    );
    // Every `http(s)://` in a doc line outside code is inside `<...>`.
    let bare: Vec<&str> = text
        .lines()
        .filter(|line| line.trim_start().starts_with("///"))
        .filter(|line| {
            line.match_indices("https://")
                .any(|(at, _)| !line[..at].ends_with('<') && !line[..at].ends_with('`'))
        })
        .collect();
    check(SPEC, "doc lines with a bare URL", bare, vec![]);
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (the whole API, 183 operations): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn every_request_struct_has_an_unset_fields_case() {
    let full = full();
    crate::unset::check_unset_cases_cover_every_request_struct(SPEC, &full.document, &full.api_text, &full.unset_text);
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (the whole API, 183 operations): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn optional_arguments_start_unset() {
    // Each operation builder's `new` starts every argument as `Ok(None)` (optional), `Err(..)`
    // (required) or `Ok(Default::default())` (a body's builder): no documented default.
    struct Starts(Vec<String>);
    impl<'ast> Visit<'ast> for Starts {
        fn visit_impl_item_fn(&mut self, method: &'ast syn::ImplItemFn) {
            if method.sig.ident == "new" {
                syn::visit::visit_impl_item_fn(self, method);
            }
        }
        fn visit_field_value(&mut self, field: &'ast syn::FieldValue) {
            if let syn::Expr::Call(call) = &field.expr
                && quote::quote!(#call.func).to_string().starts_with("Ok")
            {
                let start = call.args.first().map(|a| quote::quote!(#a).to_string()).unwrap_or_default();
                if !matches!(start.as_str(), "None" | ":: std :: default :: Default :: default ()") {
                    let member = &field.member;
                    self.0.push(format!("{}: Ok({start})", quote::quote!(#member)));
                }
            }
        }
    }
    let mut starts = Starts(Vec::new());
    starts.visit_file(&parse(&full().api_text));
    check(SPEC, "arguments that start set", starts.0, vec![]);
    assert!(full().api_text.contains("limit: Ok(None),"), "{SPEC}: list_audit_logs' `limit` does not start unset");
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (the whole API, 183 operations): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn every_operation_has_a_contract_case() {
    let full = full();
    let missing: Vec<&String> = full
        .operations
        .iter()
        .filter(|name| !full.cases_text.contains(&format!("operation: \"{name}\",")))
        .collect();
    check(SPEC, "operations without a contract case", missing, vec![]);
}

/// The operations whose builders have a `.stream()`.
fn streamed_operations(api: &syn::File) -> Vec<String> {
    let builders = api.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "requests" => module.content.as_ref().map(|(_, items)| &items[..]),
        _ => None,
    });
    let mut out = Vec::new();
    for item in builders.expect("a `requests` module") {
        let syn::Item::Impl(block) = item else { continue };
        let streams = block.items.iter().any(|m| matches!(m, syn::ImplItem::Fn(f) if f.sig.ident == "stream"));
        let text = quote::quote!(#block).to_string();
        if let (true, Some(rest)) = (streams, text.split("operation_id : \"").nth(1)) {
            out.extend(rest.split('"').next().map(str::to_string));
        }
    }
    out.sort();
    out
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (the whole API, 183 operations): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn every_paginated_list_streams_and_every_deployment_read_waits() {
    // Found by shape: 6 lists by cursor, 2 by page token, as the spec's own documents have them,
    // and 5 logs operations (a time window, a limit, lines with nanosecond timestamps).
    let api = parse(&full().api_text);
    let streamed = streamed_operations(&api);
    check(
        SPEC,
        "operations with a .stream()",
        streamed,
        [
            "get_model_apis_usage",
            "list_audit_logs",
            "list_chain_audit_logs",
            "list_chain_deployment_chainlet_logs",
            "list_deployment_logs",
            "list_environment_logs",
            "list_loops_checkpoint_files",
            "list_loops_deployment_logs",
            "list_model_apis",
            "list_model_audit_logs",
            "list_training_project_job_checkpoint_files",
            "list_training_project_job_logs",
            "list_users",
        ]
        .map(String::from)
        .to_vec(),
    );
    let streams = full().streams_text.as_deref().expect("tests/streams/cases.rs for the paginated lists");
    check(SPEC, "stream tests", streams.matches("_streams_every_page()").count(), 8);
    let waiters: Vec<&str> = [
        "wait_for_deployment",
        "wait_for_development_deployment",
        "wait_for_production_deployment",
        "wait_for_training_job",
        "wait_for_environment_promotion",
        "wait_for_chain_deployment",
        "wait_for_promotion",
    ]
    .into_iter()
    .filter(|waiter| full().api_text.contains(&format!("pub async fn {waiter}(")))
    .collect();
    check(SPEC, "waiters", waiters.len(), 7);
    check(SPEC, "waiter tests", full().waiters_text.matches("_waits_for_active_and_names_a_failure()").count(), 3);
    check(SPEC, "lifecycle tests", full().waiters_text.matches("_follows_its_lifecycle()").count(), 3);
    // The whole API's environment read has `in_progress_promotion`: its status is read too.
    assert!(
        full().api_text.contains("value.in_progress_promotion.as_ref()?.status.as_str()"),
        "in_progress_promotion read"
    );
    check(SPEC, "promotion tests", full().waiters_text.matches("fn wait_for_promotion_waits_until").count(), 1);
    assert!(full().has_wait_module && full().lib_text.contains("\nmod wait;\n"), "the wait module is declared");
    assert!(!full().lib_text.contains("codegen: with"), "a template marker was left in lib.rs");
}
