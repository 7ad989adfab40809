//! Normalization of both page forms: a snapshot per page, the legacy rebuild of `DeploymentV1`,
//! and each legacy twin against its standard-form page.

use serde_json::Value;

use crate::{check, normalize, page};

#[test]
fn every_page_normalizes_to_its_snapshot() {
    insta::glob!("../../spec", "**/*.md", |path| {
        let relative = xtask::page::display_path(&crate::repo_root(), path);
        let op = normalize(&page(&relative));
        insta::assert_snapshot!(op.to_yaml());
    });
}

#[test]
fn legacy_rebuild_of_deployment_v1_equals_the_standard_declaration() {
    // spec/ holds this page's newer, standard export; the resolved-form one is kept as a fixture.
    const LEGACY: &str = "tests/fixtures/exports/crawl-8d73ea0/deployments/gets-a-models-deployment-by-id.md";
    let legacy = page(LEGACY);
    assert!(legacy.text.contains("\n  path: "), "{LEGACY} is no longer the resolved form");
    let rebuilt = normalize(&legacy);
    let declared = normalize(&page("spec/deployments/gets-a-models-development-deployment.md"));
    let rebuilt = &rebuilt.components.schemas["DeploymentV1"];
    let declared = &declared.components.schemas["DeploymentV1"];
    check(LEGACY, "rebuilt DeploymentV1", rebuilt, declared);
    // Equal as values is not enough for reproducible output: the key order must agree too.
    check(LEGACY, "rebuilt DeploymentV1 as YAML", xtask::yaml::to_string(rebuilt), xtask::yaml::to_string(declared));
}

/// `(twin, standard page, the JSON pointers where the two exports really differ)`.
const TWINS: &[(&str, &str, &[&str])] = &[
    (
        "tests/fixtures/twins/gets-a-chain-deployment-by-id.md",
        "spec/deployments/gets-a-chain-deployment-by-id.md",
        &[
            // The legacy export titles the page; the standard one carries the operation's summary.
            "/summary",
            // The standard export leaves this response's description empty.
            "/responses/200/description",
            // Exported before `target_in_flight_tokens` existed.
            "/components/schemas/AutoscalingSettingsV1/properties/target_in_flight_tokens",
        ],
    ),
    (
        "tests/fixtures/twins/promotes-a-development-deployment-to-production.md",
        "spec/deployments/promote/promotes-a-development-deployment-to-production.md",
        &[
            "/summary",
            // The standard export leaves this response's description empty.
            "/responses/200/description",
            "/components/schemas/AutoscalingSettingsV1/properties/target_in_flight_tokens",
            // Exported before deployments had labels.
            "/components/schemas/DeploymentV1/properties/labels",
        ],
    ),
];

#[test]
fn legacy_twins_normalize_to_their_standard_pages_up_to_real_drift() {
    for (twin, standard, drift) in TWINS {
        let a = normalize(&page(twin)).content();
        let b = normalize(&page(standard)).content();
        let mut actual = Vec::new();
        differences(&a, &b, "", &mut actual);
        check(twin, "differences from its standard-form page", actual, drift.iter().map(|s| s.to_string()).collect());
    }
}

/// Every JSON pointer where `a` and `b` differ, descending into objects.
fn differences(a: &Value, b: &Value, at: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let here = format!("{at}/{key}");
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => differences(p, q, &here, out),
                    _ => out.push(here),
                }
            }
        }
        _ if a != b => out.push(at.to_string()),
        _ => {}
    }
}

#[test]
fn a_closing_fence_with_trailing_blanks_closes_the_block() {
    // CommonMark allows blanks after a closing fence; an editor or a proxy may leave them.
    let real = page("spec/api-keys/creates-an-api-key.md");
    let text = format!("{} \t\n", real.text.trim_end());
    let blanks = xtask::Page::new(real.path.clone(), text);
    let (ours, real_op) = (normalize(&blanks).to_yaml(), normalize(&real).to_yaml());
    crate::check_text(&real.path, "the page with blanks after its closing fence", &ours, &real_op);
}
