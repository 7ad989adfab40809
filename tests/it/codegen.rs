//! The generated crate: `generated/` is what `spec/` produces, and snapshots of the merged
//! spec and of the client's public surface make a docs change a readable review.

use std::collections::BTreeMap;
use std::path::PathBuf;

use xtask::write::{self, Stale};

use crate::{check, repo_root};

fn run() -> xtask::Run {
    crate::build(&crate::spec_pages()).unwrap_or_else(|e| panic!("spec/ does not build:\n{e}"))
}

#[test]
fn generated_is_what_spec_produces() {
    let root = repo_root();
    // As `cargo xtask codegen --check` runs: after what generated/ holds (its version).
    let input = xtask::Input::load(&root).unwrap_or_else(|e| panic!("spec/ does not load:\n{e}"));
    let run =
        xtask::build(&input, &xtask::Previous::read(&root)).unwrap_or_else(|e| panic!("spec/ does not build:\n{e}"));
    let stale = write::check(&root, &root.join(xtask::GENERATED_DIR), &run.files);
    let report: Vec<String> = stale.iter().map(ToString::to_string).collect();
    assert!(report.is_empty(), "generated/ is stale: run `cargo xtask codegen`\n{}", report.join("\n"));
}

#[test]
fn merged_spec() {
    insta::assert_snapshot!(xtask::yaml::to_string(&run().merged));
}

#[test]
fn client_public_surface() {
    let code = std::fs::read_to_string(repo_root().join("generated/src/api.rs")).expect("generated/src/api.rs");
    let file = syn::parse_file(&code).expect("generated code parses");
    let mut surface = file.clone();
    surface.attrs.clear();
    surface.items = public(&file.items, "");
    insta::assert_snapshot!(prettyplease::unparse(&surface));
}

/// Public items with their signatures and fields: no bodies, attributes or trait impls.
/// `types::builders` is left out: it mirrors `types` field for field.
fn public(items: &[syn::Item], module: &str) -> Vec<syn::Item> {
    let is_pub = |vis: &syn::Visibility| matches!(vis, syn::Visibility::Public(_));
    let mut out = Vec::new();
    for item in items {
        match item.clone() {
            syn::Item::Struct(mut s) if is_pub(&s.vis) => {
                s.attrs.clear();
                s.fields = match s.fields {
                    syn::Fields::Named(mut named) => {
                        named.named = named.named.into_iter().filter(|f| is_pub(&f.vis)).map(strip_field).collect();
                        syn::Fields::Named(named)
                    }
                    syn::Fields::Unnamed(mut unnamed) => {
                        unnamed.unnamed = unnamed.unnamed.into_iter().map(strip_field).collect();
                        syn::Fields::Unnamed(unnamed)
                    }
                    unit => unit,
                };
                out.push(syn::Item::Struct(s));
            }
            syn::Item::Enum(mut e) if is_pub(&e.vis) => {
                e.attrs.clear();
                for v in &mut e.variants {
                    v.attrs.clear();
                    for f in &mut v.fields {
                        f.attrs.clear();
                    }
                }
                out.push(syn::Item::Enum(e));
            }
            syn::Item::Impl(mut i) if i.trait_.is_none() => {
                i.attrs.clear();
                i.items.retain_mut(|member| match member {
                    syn::ImplItem::Fn(f) if is_pub(&f.vis) => {
                        f.attrs.clear();
                        f.block = syn::parse_quote!({});
                        true
                    }
                    _ => false,
                });
                if !i.items.is_empty() {
                    out.push(syn::Item::Impl(i));
                }
            }
            syn::Item::Mod(mut m) if is_pub(&m.vis) && !(module == "types" && m.ident == "builders") => {
                m.attrs.clear();
                let name = m.ident.to_string();
                if let Some((_, content)) = &mut m.content {
                    *content = public(content, &name);
                }
                out.push(syn::Item::Mod(m));
            }
            syn::Item::Type(mut t) if is_pub(&t.vis) => {
                t.attrs.clear();
                out.push(syn::Item::Type(t));
            }
            _ => {}
        }
    }
    out
}

fn strip_field(mut field: syn::Field) -> syn::Field {
    field.attrs.clear();
    field
}

/// A scratch directory under the target dir, empty on return.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

#[test]
fn check_reports_every_stale_missing_and_stray_file_and_write_repairs_them() {
    let root = scratch("write-check");
    let dir = root.join("generated");
    let files: BTreeMap<String, String> =
        [("Cargo.toml", "a = 1\n"), ("src/lib.rs", "fn x() {}\n"), ("openapi.yaml", "openapi: 3.0.3\n")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    write::apply(&root, &dir, &files).expect("first write");
    check("scratch", "after a write", write::check(&root, &dir, &files), vec![]);

    std::fs::write(dir.join("src/lib.rs"), "fn y() {}\n").unwrap();
    std::fs::remove_file(dir.join("openapi.yaml")).unwrap();
    std::fs::write(dir.join("src/extra.rs"), "// hand-written\n").unwrap();
    let stale = write::check(&root, &dir, &files);
    let kinds: Vec<String> = stale
        .iter()
        .map(|s| match s {
            Stale::Missing(p) => format!("missing {p}"),
            Stale::Changed(p, diff) => {
                assert!(
                    diff.contains("-fn y() {}") && diff.contains("+fn x() {}"),
                    "the diff must show the change:\n{diff}"
                );
                format!("stale {p}")
            }
            Stale::Stray(p) => format!("stray {p}"),
        })
        .collect();
    check(
        "scratch",
        "what --check reports",
        kinds,
        vec![
            "missing generated/openapi.yaml".into(),
            "stale generated/src/lib.rs".into(),
            "stray generated/src/extra.rs".into(),
        ],
    );
    let before = std::fs::metadata(dir.join("Cargo.toml")).unwrap().modified().unwrap();
    write::apply(&root, &dir, &files).expect("repair");
    check("scratch", "after the repair", write::check(&root, &dir, &files), vec![]);
    let after = std::fs::metadata(dir.join("Cargo.toml")).unwrap().modified().unwrap();
    assert_eq!(before, after, "an unchanged file is not rewritten");
}

#[test]
fn every_operation_and_type_carries_the_docs_texts() {
    let code = std::fs::read_to_string(repo_root().join("generated/src/api.rs")).expect("generated/src/api.rs");
    for text in [
        "Gets a model's development deployment and returns the deployment.",
        "Creates an API key with the provided name and type.",
        "A deployment of a model.",
        "Target number of in-flight tokens for autoscaling decisions.",
    ] {
        assert!(code.contains(text), "generated/src/api.rs lacks the docs text {text:?}");
    }
}

/// docs.rs search finds a method by its docs page's title and by the verb its summary uses.
#[test]
fn a_method_is_found_by_its_docs_title_and_its_summary_s_verb() {
    let code = std::fs::read_to_string(repo_root().join("generated/src/api.rs")).expect("generated/src/api.rs");
    let file = syn::parse_file(&code).expect("generated code parses");
    let mut aliases: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Impl(block) = item else { continue };
        for member in &block.items {
            let syn::ImplItem::Fn(method) = member else { continue };
            for attr in method.attrs.iter().filter(|attr| attr.path().is_ident("doc")) {
                let _ = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("alias") {
                        let alias: syn::LitStr = meta.value()?.parse()?;
                        aliases.entry(method.sig.ident.to_string()).or_default().push(alias.value());
                    }
                    Ok(())
                });
            }
        }
    }
    let of = |method: &str| aliases.get(method).cloned().unwrap_or_default();
    check("aliases", "create_secret", of("create_secret"), vec!["Upsert a secret".into(), "upsert_secret".into()]);
    check(
        "aliases",
        "create_team_secret",
        of("create_team_secret"),
        vec!["Upsert a team secret".into(), "upsert_team_secret".into()],
    );
    check(
        "aliases",
        "create_training_project",
        of("create_training_project"),
        vec!["Upserts a training project".into(), "upsert_training_project".into()],
    );
    check("aliases", "get_model", of("get_model"), vec!["By ID".to_string()]);
    let titled = aliases
        .values()
        .filter(|names| names.iter().any(|name| name.contains(' ') || name.starts_with(char::is_uppercase)))
        .count();
    assert!(titled >= 50, "only {titled} methods carry their docs title as an alias");
}

#[test]
fn every_generated_file_says_how_it_is_made() {
    for (path, text) in &run().files {
        if path.starts_with("LICENSE-") {
            continue;
        }
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.contains("@generated by `cargo xtask codegen`"),
            "generated/{path} opens with {first:?}, not the header"
        );
    }
}

#[test]
fn open_enums_take_typifys_names_and_a_free_catch_all() {
    let document = serde_json::json!({"components": {"schemas": {
        "APIStatus": {"type": "string", "enum": ["UNKNOWN", "ACTIVE", "in-progress", "3d"]},
        "Plain": {"type": "string", "enum": ["a"]},
        "NotAnEnum": {"type": "object"},
    }}});
    let open_enums = |document| {
        let case = xtask::provenance::Provenance::one_page("spec/case.md");
        xtask::generate::open_enums(&xtask::generate::hoist_inline_enums(document), &case)
    };
    let enums = open_enums(&document).expect("the enums are declarable");
    let shapes: Vec<(String, Vec<String>, String)> = enums
        .iter()
        .map(|e| (e.name.clone(), e.variants.iter().map(|(v, _)| v.clone()).collect(), e.unknown.clone()))
        .collect();
    check(
        "APIStatus, Plain",
        "names, variants and catch-all",
        shapes,
        vec![
            (
                "ApiStatus".into(),
                vec!["Unknown".into(), "Active".into(), "InProgress".into(), "X3d".into()],
                "Unlisted".into(),
            ),
            ("Plain".into(), vec!["A".into()], "Unknown".into()),
        ],
    );

    let clash = serde_json::json!({"components": {"schemas": {"Mode": {"type": "string", "enum": ["a-b", "a_b"]}}}});
    let error = open_enums(&clash).err().expect("two values, one variant").to_string();
    assert!(
        error.contains(
            "spec/case.md: `#/components/schemas/Mode`: enum values \"a-b\" and \"a_b\" both become the Rust variant AB"
        ),
        "{error}"
    );
}

#[test]
fn check_reports_a_stale_contract_case_file() {
    let root = crate::bad_input::scratch("stale-contract-cases");
    let cases = root.join("generated/tests/contract/cases.rs");
    let text = std::fs::read_to_string(&cases).expect("generated/tests/contract/cases.rs");
    std::fs::write(&cases, text.replacen("\"required arguments\"", "\"hand-edited\"", 1)).unwrap();
    let input = xtask::Input::load(&root).unwrap_or_else(|e| panic!("{e}"));
    let run = xtask::build(&input, &xtask::Previous::read(&root)).unwrap_or_else(|e| panic!("{e}"));
    let stale: Vec<String> = write::check(&root, &root.join(xtask::GENERATED_DIR), &run.files)
        .iter()
        .map(|s| match s {
            Stale::Changed(path, diff) => {
                assert!(diff.contains("-            arguments: \"hand-edited\""), "{diff}");
                format!("stale {path}")
            }
            other => other.to_string(),
        })
        .collect();
    check("a hand-edited case", "what --check reports", stale, vec!["stale generated/tests/contract/cases.rs".into()]);
}

/// The waiters and streams come from the operations the spec has: `spec/` has the reads of
/// every lifecycle (three deployment reads, a training job, an environment, a chain deployment;
/// each waiter with its `_until` form)
/// and two paginated lists (model APIs, a training job's checkpoint files); without them there
/// is no `wait` module at all, no line of `lib.rs` names one, and no stream test.
#[test]
fn waiters_and_streams_exist_only_where_their_operations_do() {
    let pages = crate::spec_pages();
    let run = crate::build_with_lifecycles(&pages).unwrap_or_else(|e| panic!("{e}"));
    let api = &run.files["src/api.rs"];
    let waiters: Vec<&str> =
        api.lines().filter_map(|line| line.trim().strip_prefix("pub async fn wait_for_")).collect();
    check(
        "spec/",
        "waiters",
        waiters,
        vec![
            "deployment(",
            "deployment_until(",
            "development_deployment(",
            "development_deployment_until(",
            "production_deployment(",
            "production_deployment_until(",
            "training_job(",
            "training_job_until(",
            "environment_promotion(",
            "environment_promotion_until(",
            "chain_deployment(",
            "chain_deployment_until(",
            "promotion(",
        ],
    );
    check(
        "spec/",
        "streams (2 lists, 2 logs), follows, tests/streams.rs, src/logs.rs",
        (
            api.matches("pub fn stream(").count(),
            api.matches("pub fn follow(").count(),
            run.files.contains_key("tests/streams.rs"),
            run.files.contains_key("src/logs.rs"),
        ),
        (4, 2, true, true),
    );
    // The training job's follow ends with the job; the deployment's does not.
    check("spec/", "follows ending with a job", api.matches(".training_job_has_ended(").count(), 1);

    let reads = [
        "deployments/gets-a-models-deployment-by-id.md",
        "deployments/gets-a-models-development-deployment.md",
        "deployments/gets-a-models-production-deployment.md",
        "deployments/gets-a-chain-deployment-by-id.md",
        "environments/get-an-environments-details.md",
        "training/get-training-job.md",
        "model-apis/gets-all-model-apis.md",
        "training/get-training-job-checkpoint-files.md",
        "deployments/get-deployment-logs.md",
        "training/get-training-job-logs.md",
    ];
    let without: Vec<xtask::Page> = pages.into_iter().filter(|p| !reads.iter().any(|r| p.path.ends_with(r))).collect();
    let run = crate::build_with_lifecycles(&without).unwrap_or_else(|e| panic!("{e}"));
    let lib = &run.files["src/lib.rs"];
    let files = ["src/wait.rs", "tests/waiters.rs"].map(|file| run.files.contains_key(file));
    check("spec/ without its deployment reads and lists", "src/wait.rs, tests/waiters.rs", files, [false, false]);
    check("spec/ without its paginated lists", "tests/streams.rs", run.files.contains_key("tests/streams.rs"), false);
    check("spec/ without its logs", "src/logs.rs", run.files.contains_key("src/logs.rs"), false);
    for named in ["mod logs", "logs::", "Follow"] {
        assert!(!lib.contains(named), "lib.rs names the logs module ({named}):\n{lib}");
    }
    assert!(!run.files["src/api.rs"].contains("wait_for_"), "a waiter without its read");
    for named in ["mod wait", "wait::", "Wait::", "wait_for_"] {
        assert!(!lib.contains(named), "lib.rs names the wait module ({named}):\n{lib}");
    }
    assert!(!lib.contains("codegen: with"), "a template marker was left in lib.rs:\n{lib}");
}
