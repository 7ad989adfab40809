//! The change report, on Baseten's real history: the July and August 2026 specs, each cut into
//! single-operation pages as the docs site does, through the pipeline, then compared.

use std::collections::BTreeSet;

use serde_json::Value;
use xtask::report::{Change, Impact, Report, compare};

use xtask::{OpenApi30, VersionBump};

use crate::{check, repo_root};

fn spec(name: &str) -> Value {
    let text = std::fs::read_to_string(repo_root().join("tests/fixtures/openapi").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The downgraded document the pipeline makes of a full spec cut into pages.
fn through_pipeline(spec: &Value) -> OpenApi30 {
    let pages = xtask::cut::cut(spec);
    crate::build(&pages)
        .map(|run| run.downgraded)
        .unwrap_or_else(|e| panic!("the cut pages do not build:\n{e}"))
}

/// `METHOD path` of every operation, counted from the raw document.
fn routes(spec: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys().filter(|m| xtask::http::Method::from_key(m).is_some()) {
            out.insert(format!("{} {path}", method.to_uppercase()));
        }
    }
    out
}

#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (the whole API, two eras): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn july_to_august_against_counts_made_independently() {
    let (july, august) = (spec("baseten-management-2026-07-01.json"), spec("baseten-management-2026-08-22.json"));
    let (july_30, august_30) = (through_pipeline(&july), through_pipeline(&august));
    let report = compare(&july_30.model(), &august_30.model());
    let markdown = report.to_markdown("0.1.0", &report.bump("0.1.0"));
    std::fs::write(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("july-to-august.md"), &markdown).unwrap();

    let (before, after) = (routes(&july), routes(&august));
    let added = report.changes.iter().filter(|c| matches!(c, Change::OperationAdded { .. })).count();
    let removed = report.changes.iter().filter(|c| matches!(c, Change::OperationRemoved { .. })).count();
    check("July → August", "operations added", added, after.difference(&before).count());
    check("July → August", "operations removed", removed, before.difference(&after).count());

    // Verified by hand in the two JSON files.
    for expected in [
        (
            Impact::Breaking,
            "operation `create_model_apis_snapshot_for_model` removed (`POST /v1/model_apis/snapshots/{model_id}`)",
        ),
        // `hierarchy: $ref GroupHierarchyV1` became `$ref CreateGroupHierarchyV1`.
        (
            Impact::Breaking,
            "`CreateGroupRequestV1`: field `hierarchy` changed type from `GroupHierarchyV1` to `CreateGroupHierarchyV1`",
        ),
        // `s3_key` left `required` and became `anyOf: [string, null]`: only sent, so the
        // builder's setter still takes a `String`.
        (Impact::Additive, "`DeploymentArchiveSourceV1`: field `s3_key` is no longer required"),
        (Impact::Additive, "`DeploymentArchiveSourceV1`: field `s3_key` changed type from `string` to `string?`"),
        // The same on a type the client reads: `String` becomes `Option<String>` under a caller.
        (Impact::Breaking, "`LoopsRunV1`: field `sampler` changed type from `LoopsSamplerV1` to `LoopsSamplerV1?`"),
        // New on DeploymentV1, and required: a caller reads it, builds it only for a fixture.
        (
            Impact::Additive,
            "`DeploymentV1`: required field `request_backpressure_settings: RequestBackpressureSettingsV1` added (a fixture built with the builder must set it)",
        ),
        // Structs are `#[non_exhaustive]`: an optional field breaks no caller.
        (Impact::Additive, "`ApiKeyInfoV1`: optional field `owner: ApiKeyOwnerV1?` added"),
    ] {
        assert!(
            report.changes.iter().any(|c| (c.impact(), c.to_string().as_str()) == expected),
            "the report lacks {expected:?}:\n{markdown}"
        );
    }
    // 71 before the structs were `#[non_exhaustive]`, 53 of them added fields; each of these
    // 18 reviewed: a type changed, a field a caller reads became (or stopped being) `Option`,
    // an operation or type removed.
    check("July → August", "breaking changes", report.count(Impact::Breaking), 18);
    check("July → August", "version", report.bump("0.1.0"), "0.2.0".to_string());
}

/// A change of the given impact: removing, adding or describing a type.
fn change_of(impact: Impact) -> Change {
    let name = "Thing".to_string();
    let change = match impact {
        Impact::Breaking => Change::TypeRemoved { name },
        Impact::Additive => Change::TypeAdded { name },
        Impact::Runtime => Change::ServerChanged { from: "https://a.example".into(), to: "https://b.example".into() },
        Impact::Docs => Change::TypeDocs { name },
    };
    assert_eq!(change.impact(), impact);
    change
}

#[test]
fn bumps_follow_the_worst_change() {
    let report = |impacts: &[Impact]| Report {
        changes: impacts.iter().map(|&impact| change_of(impact)).collect(),
        surface: Vec::new(),
    };
    for (impacts, version, expected) in [
        (&[][..], "0.1.0", "0.1.0"),
        (&[Impact::Docs][..], "0.1.0", "0.1.1"),
        (&[Impact::Additive, Impact::Docs][..], "0.1.3", "0.1.4"),
        (&[Impact::Breaking, Impact::Additive][..], "0.1.3", "0.2.0"),
        (&[Impact::Additive][..], "1.2.3", "1.3.0"),
        (&[Impact::Runtime, Impact::Docs][..], "0.1.3", "0.1.4"),
        (&[Impact::Runtime][..], "1.2.3", "1.3.0"),
        (&[Impact::Breaking][..], "1.2.3", "2.0.0"),
    ] {
        check(&format!("{impacts:?} from {version}"), "bump", report(impacts).bump(version), expected.to_string());
    }
}

#[test]
fn codegen_reports_a_docs_update_and_bumps_the_version_once() {
    let root = crate::bad_input::scratch("report");
    let page = root.join("spec/deployments/gets-a-models-development-deployment.md");
    let text = std::fs::read_to_string(&page).unwrap();
    // Baseten adds a deployment status, and rewords a description.
    let text = text.replacen("        - WAKING_UP\n", "        - WAKING_UP\n        - HIBERNATING\n", 1);
    let text = text.replacen("summary: Gets a model's", "summary: Fetches a model's", 1);
    std::fs::write(&page, text).unwrap();
    // Codegen stops until the lifecycles say what the new status means (tests/it/lifecycles.rs).
    let lifecycles = root.join(xtask::lifecycles::FILE);
    let reviewed = std::fs::read_to_string(&lifecycles).unwrap();
    let reviewed = reviewed.replacen("WAKING_UP in-progress\n", "WAKING_UP in-progress\nHIBERNATING in-progress\n", 1);
    std::fs::write(&lifecycles, reviewed).unwrap();

    let before = xtask::Previous::read(&root).version.expect("generated/Cargo.toml has a version");
    // Additive and docs changes bump the patch below 1.0.
    let after = Report { changes: vec![change_of(Impact::Additive)], surface: Vec::new() }.bump(&before);
    assert!(before.starts_with("0.") && after != before, "{before} -> {after}");
    let run = xtask::codegen(&root).unwrap_or_else(|e| panic!("{e}")).run;
    let changes: Vec<(Impact, String)> = run.report.changes.iter().map(|c| (c.impact(), c.to_string())).collect();
    check(
        "HIBERNATING added, a summary reworded",
        "report",
        changes,
        vec![
            (Impact::Additive, "`DeploymentStatusV1`: enum value `HIBERNATING` added".to_string()),
            (Impact::Docs, "`get_development_deployment`: summary or description changed".to_string()),
        ],
    );
    let bump = |before: &str, after: &str| VersionBump { before: before.to_string(), after: after.to_string() };
    check("the first run after the update", "version", run.version.clone(), bump(&before, &after));
    let manifest = std::fs::read_to_string(root.join("generated/Cargo.toml")).unwrap();
    assert!(manifest.contains(&format!("\nversion = \"{after}\"\n")), "generated/Cargo.toml:\n{manifest}");

    // A second run compares with what the first wrote: nothing changed, nothing bumped.
    let again = xtask::codegen(&root).unwrap_or_else(|e| panic!("{e}"));
    assert!(again.run.report.is_empty(), "{:?}", again.run.report.changes);
    check("the second run", "version", again.run.version, bump(&after, &after));
    check("the second run", "files written", again.written, vec![]);
}

/// Compares two documents as the change report does, and its changes (impact and sentence,
/// in report order) with `expected`.
#[track_caller]
fn check_report(case: &str, before: &Value, after: &Value, expected: &[(Impact, &str)]) {
    let document = |value: &Value| OpenApi30::from_value(value.clone()).unwrap_or_else(|e| panic!("{case}: {e}"));
    let changes: Vec<(Impact, String)> = compare(&document(before).model(), &document(after).model())
        .changes
        .iter()
        .map(|c| (c.impact(), c.to_string()))
        .collect();
    let expected: Vec<(Impact, String)> = expected.iter().map(|(i, s)| (*i, s.to_string())).collect();
    check(case, "report", changes, expected);
}

#[test]
fn a_default_the_client_stops_filling_in_is_breaking() {
    // `PromoteRequestV1` before and after `defaults` moved its documented default into its docs.
    let document = |field: serde_json::Value| {
        serde_json::json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": {"PromoteRequestV1": {
            "type": "object", "properties": {"scale_down_previous_production": field}}}}})
    };
    let before = document(serde_json::json!({"type": "boolean", "default": true, "description": "Scale down."}));
    let after = document(
        serde_json::json!({"type": "boolean", "description": "Scale down.\n\nThe server uses `true` when unset."}),
    );
    check_report(
        "default: true moved into the docs",
        &before,
        &after,
        &[
            (
                Impact::Breaking,
                "`PromoteRequestV1`: field `scale_down_previous_production` is no longer filled with the documented default \
                 `true`: unset, it is not sent (`boolean` becomes `Option<boolean>`)",
            ),
            (Impact::Docs, "`PromoteRequestV1`: the docs of `scale_down_previous_production` changed"),
        ],
    );
    check_report(
        "the default back",
        &after,
        &before,
        &[
            (
                Impact::Breaking,
                "`PromoteRequestV1`: field `scale_down_previous_production` is now filled with the documented default \
                 `true` when unset (`Option<boolean>` becomes `boolean`)",
            ),
            (Impact::Docs, "`PromoteRequestV1`: the docs of `scale_down_previous_production` changed"),
        ],
    );
}

#[test]
fn the_report_lists_the_drift_under_its_own_heading() {
    let run = crate::build(&crate::spec_pages()).unwrap_or_else(|e| panic!("{e}"));
    let markdown = xtask::merge::drift_markdown(&run.reconciliations);
    let section = markdown
        .split("## Drift between pages")
        .nth(1)
        .unwrap_or_else(|| panic!("no drift heading:\n{markdown}"));
    for reconciliation in &run.reconciliations {
        let line = format!("- {reconciliation}\n");
        assert!(section.contains(&line), "the drift section lacks {line:?}:\n{markdown}");
    }
    assert!(section.contains("13 disagreements settled by the drift policy, 0 by reviewed decisions."), "{markdown}");
}
