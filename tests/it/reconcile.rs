//! The crate's reconcile example (`examples/reconcile.rs`) against typed mocks: a model whose
//! production settings differ gets exactly the differing settings and is waited on until it reads
//! them back; a model already as desired gets no update; a dry run, and a file naming what is no
//! model, no production deployment or no setting, change nothing.

use std::time::Duration;

use baseten_management::mock::{self, Example, MockServer, MockServerExt, Sequence};
use baseten_management::types::{
    AutoscalingSettingsV1, DeploymentV1, ModelV1, ModelsV1, UpdateAutoscalingSettingsResponseV1,
    UpdateAutoscalingSettingsV1,
};
use baseten_management::{Client, Wait};
use serde_json::json;

use crate::check;

/// The example, compiled here against the client.
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "../../generated/examples/reconcile.rs"]
mod reconcile_example;

use reconcile_example::{Desired, reconcile};

/// Model `id` named `name`, its production deployment `p-{id}`.
fn model(id: &str, name: &str) -> ModelV1 {
    let mut model = ModelV1::example();
    (model.id, model.name, model.production_deployment_id) = (id.into(), name.into(), Some(format!("p-{id}")));
    model
}

/// The production deployment of model `id` in `status`, with `max_replica` replicas at most.
fn production(id: &str, status: &str, max_replica: i64) -> DeploymentV1 {
    let mut settings = AutoscalingSettingsV1::example();
    settings.max_replica = max_replica;
    let mut deployment = crate::wait::deployment(status);
    (deployment.id, deployment.model_id, deployment.is_production) = (format!("p-{id}"), id.into(), true);
    deployment.autoscaling_settings = Some(settings);
    deployment
}

/// Models `alpha` (m1, at most 1 replica), `beta` (m2, at most 2) and `gamma` (m3, no production
/// deployment); m1's deployment answers `polls` in turn after the update.
async fn serving(polls: &[(&str, i64)]) -> (MockServer, Client, Sequence) {
    let server = MockServer::start_async().await;
    let mut models = ModelsV1::example();
    let mut undeployed = model("m3", "gamma");
    undeployed.production_deployment_id = None;
    models.models = vec![model("m1", "alpha"), model("m2", "beta"), undeployed];
    server.list_models(|_, then| {
        then.ok(&models);
    });
    for (id, max_replica) in [("m1", 1), ("m2", 2)] {
        server.get_production_deployment(|when, then| {
            when.model_id(id);
            then.ok(&production(id, "ACTIVE", max_replica));
        });
    }
    let sequence = Sequence::new();
    for (status, max_replica) in polls {
        server.get_deployment(|when, then| {
            sequence.step(when.model_id("m1").deployment_id("p-m1"));
            then.ok(&production("m1", status, *max_replica));
        });
    }
    let client = mock::client_builder(&server).build().unwrap();
    (server, client, sequence)
}

fn desired(text: &str) -> Desired {
    serde_json::from_str(text).unwrap()
}

fn quick() -> Wait {
    Wait::default().interval(Duration::from_millis(1)).deadline(Duration::from_secs(5))
}

#[tokio::test]
async fn only_the_differing_settings_are_sent_and_waited_for() {
    let (server, client, sequence) = serving(&[("ACTIVE", 1), ("UPDATING", 4), ("ACTIVE", 4)]).await;
    let only_max_replica: UpdateAutoscalingSettingsV1 = serde_json::from_value(json!({"max_replica": 4})).unwrap();
    let update = server.update_production_deployment_autoscaling_settings(|when, then| {
        when.model_id("m1").body(&only_max_replica);
        then.ok(&UpdateAutoscalingSettingsResponseV1::example());
    });
    let wanted = desired(r#"{"alpha": {"max_replica": 4, "min_replica": 1}, "beta": {"max_replica": 2}}"#);
    let done = reconcile(&client, &wanted, false, &quick()).await.unwrap();
    let changed = |model: &str| done[model].clone();
    check("alpha", "changes", changed("alpha"), vec!["max_replica: 1 -> 4".to_string()]);
    check("beta", "changes", changed("beta"), Vec::<String>::new());
    check("the update", "calls", update.calls_async().await, 1);
    // The first read after the update is the ACTIVE of before: polled through.
    check("the wait", "polls", sequence.answered(), 3);
}

#[tokio::test]
async fn a_dry_run_and_a_file_that_names_what_is_not_there_change_nothing() {
    let (server, client, sequence) = serving(&[]).await;
    let update = server.update_production_deployment_autoscaling_settings(|_, then| {
        then.ok(&UpdateAutoscalingSettingsResponseV1::example());
    });
    let done = reconcile(&client, &desired(r#"{"alpha": {"max_replica": 4}}"#), true, &quick()).await.unwrap();
    check("a dry run", "changes", done["alpha"].clone(), vec!["max_replica: 1 -> 4".to_string()]);
    for (file, says) in [
        (r#"{"alpha": {"max_replica": 4}, "delta": {}}"#, "no model is named `delta`"),
        (r#"{"alpha": {"max_replica": 4}, "gamma": {}}"#, "`gamma` has no production deployment to reconcile"),
        (r#"{"alpha": {"max_replicas": 4}}"#, "`alpha`: `max_replicas` is not an autoscaling setting"),
        (r#"{"alpha": {"max_replica": "four"}}"#, "`alpha`: invalid type: string \"four\", expected i64"),
        (r#"{"alpha": {"max_scale_down_rate": 80}}"#, "`alpha`: `max_scale_down_rate` is 80, more than its maximum 50"),
    ] {
        let error = reconcile(&client, &desired(file), false, &quick()).await.expect_err(file);
        check(file, "error", error.to_string(), says.to_string());
    }
    check("nothing to change", "updates, polls", (update.calls_async().await, sequence.answered()), (0, 0));
}
