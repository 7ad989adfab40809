//! The crate's deploy example (`examples/deploy.rs`) against a mock server playing a rollout:
//! the new deployment builds, deploys and sits `SCALED_TO_ZERO` (ready), is promoted into
//! `staging`, serves it while the environment still lists it as the candidate, then the
//! candidate goes and the environment serves it alone. Each poll is a step of one sequence, so
//! the test also says how many polls the example made.

use std::time::Duration;

use baseten_management::Wait;
use baseten_management::mock::httpmock::Method::{GET, POST};
use baseten_management::mock::{self, MockServer, Sequence};
use serde_json::{Value, json};

use crate::check;

/// The example, compiled here against the client.
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "../../generated/examples/deploy.rs"]
mod deploy_example;

/// Deployment `d2` of model `m1` in `status`, serving `environment`.
fn deployment(status: &str, environment: Option<&str>) -> Value {
    let mut value = serde_json::to_value(crate::wait::deployment(status)).unwrap();
    value["id"] = json!("d2");
    value["is_development"] = json!(false);
    value["environment"] = json!(environment);
    value
}

/// The environment `staging` of `m1`: serving `current`, promoting `candidate`.
fn environment(current: Value, candidate: Value) -> Value {
    let settings = json!({
        "min_replica": 0, "max_replica": 1, "autoscaling_window": 60, "scale_down_delay": 900,
        "concurrency_target": 1, "target_utilization_percentage": 70,
    });
    let instance = json!({
        "id": "i", "name": "L4", "memory_limit_mib": 1, "millicpu_limit": 1, "gpu_count": 1, "gpu_type": "L4",
        "gpu_memory_limit_mib": 1,
    });
    json!({
        "name": "staging", "created_at": "2026-11-25T12:00:00Z", "model_id": "m1", "current_deployment": current,
        "candidate_deployment": candidate, "autoscaling_settings": settings, "promotion_settings": {},
        "instance_type": instance,
    })
}

#[tokio::test]
async fn the_deploy_example_waits_for_the_deployment_then_for_the_rollout() {
    let server = MockServer::start_async().await;
    let created = json!({
        "model": {
            "id": "m1", "name": "m", "created_at": "2026-11-25T12:00:00Z", "deployments_count": 2,
            "production_deployment_id": "p1", "development_deployment_id": "d1", "instance_type_name": "L4",
            "team_name": "ml",
        },
        "deployment": deployment("BUILDING", None),
    });
    server.mock(|when, then| {
        when.method(POST).path("/v1/models/m1/deployments");
        then.status(200).json_body(created);
    });
    server.mock(|when, then| {
        when.method(POST)
            .path("/v1/models/m1/environments/staging/promote")
            .json_body_includes(r#"{"deployment_id":"d2"}"#);
        then.status(200).json_body(deployment("SCALED_TO_ZERO", None));
    });
    let serving = deployment("ACTIVE", Some("staging"));
    let mut previous = serving.clone();
    previous["id"] = json!("d1");
    let polls = [
        ("/v1/models/m1/deployments/d2", deployment("BUILDING", None)),
        ("/v1/models/m1/deployments/d2", deployment("DEPLOYING", None)),
        ("/v1/models/m1/deployments/d2", deployment("SCALED_TO_ZERO", None)),
        // Promoted: it wakes, then serves staging.
        ("/v1/models/m1/deployments/d2", deployment("WAKING_UP", None)),
        ("/v1/models/m1/deployments/d2", deployment("ACTIVE", Some("staging"))),
        // The rollout: the old deployment still current, the new one the candidate, then alone.
        ("/v1/models/m1/environments/staging", environment(previous.clone(), deployment("UPDATING", None))),
        ("/v1/models/m1/environments/staging", environment(previous, deployment("ACTIVE", Some("staging")))),
        ("/v1/models/m1/environments/staging", environment(serving, Value::Null)),
    ];
    let sequence = Sequence::new();
    for (path, answer) in polls.clone() {
        server.mock(|when, then| {
            sequence.step(when.method(GET).path(path));
            then.status(200).json_body(answer);
        });
    }
    let client = mock::client_builder(&server).build().unwrap();
    let wait = Wait::default().interval(Duration::from_millis(1)).deadline(Duration::from_secs(20));
    let serving = deploy_example::deploy(&client, "m1", "uploads/m1.tgz", "staging", &wait)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    check(
        "the rollout",
        "serving, status, polls",
        (serving.id.as_str(), serving.status.as_str(), sequence.answered()),
        ("d2", "ACTIVE", polls.len()),
    );
}
