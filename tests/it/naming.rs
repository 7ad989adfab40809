//! The naming rule: the 17 documented names, and unique names across Baseten's whole spec.

use std::collections::BTreeMap;

use serde_json::Value;
use xtask::naming::operation_name;

const DOCUMENTED: &[(&str, &str, &str)] = &[
    ("delete", "/v1/api_keys/{api_key_prefix}", "delete_api_key"),
    ("delete", "/v1/chains/{chain_id}", "delete_chain"),
    ("delete", "/v1/chains/{chain_id}/deployments/{chain_deployment_id}", "delete_chain_deployment"),
    ("delete", "/v1/models/{model_id}", "delete_model"),
    ("delete", "/v1/models/{model_id}/deployments/{deployment_id}", "delete_deployment"),
    ("delete", "/v1/models/{model_id}/deployments/{deployment_id}/replicas/{replica_id}", "delete_deployment_replica"),
    ("delete", "/v1/training_projects/{training_project_id}", "delete_training_project"),
    ("delete", "/v1/training_projects/{training_project_id}/jobs/{training_job_id}", "delete_training_project_job"),
    ("get", "/v1/api_keys", "list_api_keys"),
    ("get", "/v1/billing/usage_summary", "get_billing_usage_summary"),
    ("get", "/v1/chains", "list_chains"),
    ("get", "/v1/chains/{chain_id}", "get_chain"),
    ("get", "/v1/chains/{chain_id}/deployments", "list_chain_deployments"),
    ("get", "/v1/chains/{chain_id}/deployments/{chain_deployment_id}", "get_chain_deployment"),
    ("get", "/v1/chains/{chain_id}/environments", "list_chain_environments"),
    ("get", "/v1/chains/{chain_id}/environments/{env_name}", "get_chain_environment"),
    ("get", "/v1/instance_type_prices", "list_instance_type_prices"),
    ("get", "/v1/instance_types", "list_instance_types"),
    ("get", "/v1/model_apis", "list_model_apis"),
    ("get", "/v1/model_apis/{model_api_name}", "get_model_api"),
    ("get", "/v1/models", "list_models"),
    ("get", "/v1/models/{model_id}", "get_model"),
    ("get", "/v1/models/{model_id}/deployments", "list_deployments"),
    ("get", "/v1/models/{model_id}/deployments/development", "get_development_deployment"),
    ("get", "/v1/models/{model_id}/deployments/production", "get_production_deployment"),
    ("get", "/v1/models/{model_id}/deployments/{deployment_id}", "get_deployment"),
    ("get", "/v1/models/{model_id}/deployments/{deployment_id}/config", "get_deployment_config"),
    ("get", "/v1/models/{model_id}/deployments/{deployment_id}/download", "get_deployment_download"),
    ("get", "/v1/models/{model_id}/deployments/{deployment_id}/logs", "list_deployment_logs"),
    ("get", "/v1/models/{model_id}/deployments/{deployment_id}/metrics", "list_deployment_metrics"),
    ("get", "/v1/models/{model_id}/environments", "list_environments"),
    ("get", "/v1/models/{model_id}/environments/{env_name}", "get_environment"),
    ("get", "/v1/secrets", "list_secrets"),
    ("get", "/v1/teams", "list_teams"),
    ("get", "/v1/teams/{team_id}/secrets", "list_team_secrets"),
    ("get", "/v1/training_projects", "list_training_projects"),
    ("get", "/v1/training_projects/{training_project_id}", "get_training_project"),
    ("get", "/v1/training_projects/{training_project_id}/cache/summary", "get_training_project_cache_summary"),
    ("get", "/v1/training_projects/{training_project_id}/jobs", "list_training_project_jobs"),
    ("get", "/v1/training_projects/{training_project_id}/jobs/{training_job_id}", "get_training_project_job"),
    (
        "get",
        "/v1/training_projects/{training_project_id}/jobs/{training_job_id}/auth_codes",
        "list_training_project_job_auth_codes",
    ),
    (
        "get",
        "/v1/training_projects/{training_project_id}/jobs/{training_job_id}/checkpoint_files",
        "list_training_project_job_checkpoint_files",
    ),
    (
        "get",
        "/v1/training_projects/{training_project_id}/jobs/{training_job_id}/checkpoints",
        "list_training_project_job_checkpoints",
    ),
    (
        "get",
        "/v1/training_projects/{training_project_id}/jobs/{training_job_id}/download",
        "get_training_project_job_download",
    ),
    (
        "get",
        "/v1/training_projects/{training_project_id}/jobs/{training_job_id}/logs",
        "list_training_project_job_logs",
    ),
    (
        "get",
        "/v1/training_projects/{training_project_id}/jobs/{training_job_id}/metrics",
        "list_training_project_job_metrics",
    ),
    ("patch", "/v1/chains/{chain_id}/environments/{env_name}", "update_chain_environment"),
    (
        "patch",
        "/v1/chains/{chain_id}/environments/{env_name}/chainlet_settings/autoscaling_settings",
        "update_chain_environment_chainlet_settings_autoscaling_settings",
    ),
    (
        "patch",
        "/v1/models/{model_id}/deployments/development/autoscaling_settings",
        "update_development_deployment_autoscaling_settings",
    ),
    (
        "patch",
        "/v1/models/{model_id}/deployments/production/autoscaling_settings",
        "update_production_deployment_autoscaling_settings",
    ),
    (
        "patch",
        "/v1/models/{model_id}/deployments/{deployment_id}/autoscaling_settings",
        "update_deployment_autoscaling_settings",
    ),
    ("patch", "/v1/models/{model_id}/environments/{env_name}", "update_environment"),
    ("post", "/v1/api_keys", "create_api_key"),
    ("post", "/v1/chains/{chain_id}/deployments/{chain_deployment_id}/deactivate", "deactivate_chain_deployment"),
    ("post", "/v1/chains/{chain_id}/environments", "create_chain_environment"),
    (
        "post",
        "/v1/chains/{chain_id}/environments/{env_name}/chainlet_settings/instance_types/update",
        "update_chain_environment_chainlet_settings_instance_types",
    ),
    ("post", "/v1/chains/{chain_id}/environments/{env_name}/promote", "promote_chain_environment"),
    ("post", "/v1/models", "create_model"),
    ("post", "/v1/models/{model_id}/deployments", "create_deployment"),
    ("post", "/v1/models/{model_id}/deployments/development/activate", "activate_development_deployment"),
    ("post", "/v1/models/{model_id}/deployments/development/deactivate", "deactivate_development_deployment"),
    ("post", "/v1/models/{model_id}/deployments/development/promote", "promote_development_deployment"),
    ("post", "/v1/models/{model_id}/deployments/development/retry", "retry_development_deployment"),
    ("post", "/v1/models/{model_id}/deployments/production/activate", "activate_production_deployment"),
    ("post", "/v1/models/{model_id}/deployments/production/deactivate", "deactivate_production_deployment"),
    ("post", "/v1/models/{model_id}/deployments/production/retry", "retry_production_deployment"),
    ("post", "/v1/models/{model_id}/deployments/{deployment_id}/activate", "activate_deployment"),
    ("post", "/v1/models/{model_id}/deployments/{deployment_id}/deactivate", "deactivate_deployment"),
    ("post", "/v1/models/{model_id}/deployments/{deployment_id}/promote", "promote_deployment"),
    ("post", "/v1/models/{model_id}/deployments/{deployment_id}/retry", "retry_deployment"),
    ("post", "/v1/models/{model_id}/environments", "create_environment"),
    ("post", "/v1/models/{model_id}/environments/{env_name}/activate", "activate_environment_deployment"),
    ("post", "/v1/models/{model_id}/environments/{env_name}/cancel_promotion", "cancel_environment_promotion"),
    ("post", "/v1/models/{model_id}/environments/{env_name}/deactivate", "deactivate_environment_deployment"),
    (
        "post",
        "/v1/models/{model_id}/environments/{env_name}/force_cancel_promotion",
        "force_cancel_environment_promotion",
    ),
    (
        "post",
        "/v1/models/{model_id}/environments/{env_name}/force_roll_forward_promotion",
        "force_roll_forward_environment_promotion",
    ),
    ("post", "/v1/models/{model_id}/environments/{env_name}/pause_promotion", "pause_environment_promotion"),
    ("post", "/v1/models/{model_id}/environments/{env_name}/promote", "promote_environment"),
    ("post", "/v1/models/{model_id}/environments/{env_name}/resume_promotion", "resume_environment_promotion"),
    ("post", "/v1/prepare_model_upload", "prepare_model_upload"),
    ("post", "/v1/secrets", "create_secret"),
    ("post", "/v1/teams/{team_id}/api_keys", "create_team_api_key"),
    ("post", "/v1/teams/{team_id}/secrets", "create_team_secret"),
    ("post", "/v1/teams/{team_id}/training_projects", "create_team_training_project"),
    ("post", "/v1/training_jobs/search", "search_training_jobs"),
    ("post", "/v1/training_projects", "create_training_project"),
    ("post", "/v1/training_projects/{training_project_id}/jobs", "create_training_project_job"),
    (
        "post",
        "/v1/training_projects/{training_project_id}/jobs/{training_job_id}/recreate",
        "recreate_training_project_job",
    ),
    ("post", "/v1/training_projects/{training_project_id}/jobs/{training_job_id}/stop", "stop_training_project_job"),
];

/// Names `METHOD path` by the rule and compares the name with `expected`.
#[track_caller]
fn check(method: &str, path: &str, expected: &str) {
    crate::check(
        &format!("{} {path}", method.to_uppercase()),
        "name",
        operation_name(xtask::http::Method::parse(method).unwrap(), path).as_str(),
        expected,
    );
}

#[test]
fn each_documented_operation_has_its_name() {
    for (method, path, name) in DOCUMENTED {
        check(method, path, name);
    }
    // The rule beyond the documented pages: owners other than models stay, `me` is an override, a
    // multi-word action keeps its object.
    check("get", "/v1/teams/{team_id}/secrets", "list_team_secrets");
    check("get", "/v1/users/me", "get_current_user");
    check(
        "post",
        "/v1/models/{model_id}/environments/{env_name}/force_cancel_promotion",
        "force_cancel_environment_promotion",
    );
}

#[test]
fn the_pages_operations_have_their_documented_names() {
    let run = crate::build(&crate::spec_pages()).unwrap_or_else(|e| panic!("{e}"));
    let mut actual: Vec<(String, String, String)> =
        run.endpoints.iter().map(|e| (e.method.key().to_string(), e.path.clone(), e.name.clone())).collect();
    let mut expected: Vec<(String, String, String)> =
        DOCUMENTED.iter().map(|(m, p, n)| (m.to_string(), p.to_string(), n.to_string())).collect();
    actual.sort();
    expected.sort();
    crate::check("spec/", "operation names", actual, expected);
}

#[test]
fn the_rule_names_every_operation_of_the_full_spec_uniquely() {
    let path = crate::repo_root().join("tests/fixtures/openapi/baseten-management-2026-08-22.json");
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("JSON");
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys().filter(|k| xtask::http::Method::from_key(k).is_some())
        {
            names
                .entry(operation_name(xtask::http::Method::from_key(method).unwrap(), path))
                .or_default()
                .push(format!("{} {path}", method.to_uppercase()));
        }
    }
    let total: usize = names.values().map(Vec::len).sum();
    assert_eq!(total, 183, "the fixture holds Baseten's 183 operations");
    let clashes: Vec<_> = names.iter().filter(|(_, ops)| ops.len() > 1).collect();
    crate::check("baseten-management-2026-08-22.json", "operations sharing a name", clashes, vec![]);
    // Every name, so a change to the rule shows as a reviewable diff.
    let listing: String = names.iter().map(|(name, ops)| format!("{name:<56} {}\n", ops[0])).collect();
    insta::assert_snapshot!("names_of_183_operations", listing);
}

#[test]
fn names_are_rust_identifiers_whatever_the_path() {
    for (method, path) in [
        ("get", "/"),
        ("post", "/v2/weird-Path/{x}/do.it"),
        ("get", "/v1/{a}/{b}"),
        ("options", "/v1/models"),
        ("post", "/v1/x/2fa"),
    ] {
        let name = operation_name(xtask::http::Method::from_key(method).unwrap(), path);
        let ok = !name.is_empty()
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit());
        assert!(ok, "{method} {path} is named `{name}`, not a Rust identifier");
    }
}
