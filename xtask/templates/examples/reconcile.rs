//! Reconciles: makes each named model's production autoscaling settings what a file says,
//! sending only the settings that differ, and waits until each changed deployment reads them
//! back and is ready again. With `--dry-run` it says what it would change and changes nothing.
//!
//! ```sh
//! BASETEN_API_KEY=... cargo run -p baseten-management --example reconcile -- DESIRED.json [--dry-run]
//! ```
//!
//! The file maps model names to settings; a setting left out is left as it is:
//! `{"my-model": {"min_replica": 1, "max_replica": 4, "concurrency_target": 8}}`.
//! `BASETEN_BASE_URL` points it at another server (a proxy, a local mock).

use std::collections::BTreeMap;
use std::time::Duration;

use baseten_management::types::builders::UpdateAutoscalingSettingsV1Builder;
use baseten_management::types::{
    DeploymentV1, ModelV1, UpdateAutoscalingSettingsStatusV1, UpdateAutoscalingSettingsV1,
};
use baseten_management::{Client, Wait};
use serde_json::{Map, Value};

/// What can end the example: a call, a wait, the file, or how it was run.
type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Each model's settings as the file gives them, by model name.
pub(crate) type Desired = BTreeMap<String, Map<String, Value>>;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dry_run = args.iter().any(|arg| arg == "--dry-run");
    let path = args.iter().find(|arg| *arg != "--dry-run").ok_or("usage: reconcile DESIRED.json [--dry-run]")?;
    let desired: Desired = serde_json::from_str(&std::fs::read_to_string(path)?).map_err(|e| format!("{path}: {e}"))?;
    let client = Client::from_env()?;
    // An update goes UPDATING, then ACTIVE again, within minutes.
    let wait = Wait::default().interval(Duration::from_secs(10)).deadline(Duration::from_secs(30 * 60));
    for (model, changed) in reconcile(&client, &desired, dry_run, &wait).await? {
        let verb = if dry_run { "would change" } else { "changed" };
        match changed.is_empty() {
            true => println!("{model}: as desired"),
            false => println!("{model}: {verb} {}", changed.join(", ")),
        }
    }
    Ok(())
}

/// Brings each model `desired` names to its settings (checking every name and setting before
/// changing anything); answers, by model name, the changes made (`max_replica: 1 -> 4`).
pub(crate) async fn reconcile(
    client: &Client,
    desired: &Desired,
    dry_run: bool,
    wait: &Wait,
) -> Result<BTreeMap<String, Vec<String>>, Failure> {
    let models: Vec<ModelV1> = client.list_models().send().await?.into_inner().models;
    let mut plans = Vec::new();
    for (name, settings) in desired {
        let model = models.iter().find(|model| model.name == *name).ok_or(format!("no model is named `{name}`"))?;
        if model.production_deployment_id.is_none() {
            return Err(format!("`{name}` has no production deployment to reconcile").into());
        }
        plans.push((model, settings_of(name, settings)?));
    }
    let mut done = BTreeMap::new();
    for (model, settings) in plans {
        let production = client.get_production_deployment().model_id(&model.id).send().await?.into_inner();
        let (update, changed) = differences(&production, &settings)?;
        if !changed.is_empty() && !dry_run {
            apply(client, model, &production, update, wait).await?;
        }
        done.insert(model.name.clone(), changed);
    }
    Ok(done)
}

/// A model's settings as the update takes them; a name that is not a setting, or a value outside
/// its documented bounds, is an error (the types read past fields they do not know).
fn settings_of(model: &str, settings: &Map<String, Value>) -> Result<Map<String, Value>, Failure> {
    let typed: UpdateAutoscalingSettingsV1 =
        serde_json::from_value(Value::Object(settings.clone())).map_err(|e| format!("`{model}`: {e}"))?;
    // Built again through its builder, the documented bounds are checked before any change.
    let typed = UpdateAutoscalingSettingsV1::try_from(UpdateAutoscalingSettingsV1Builder::from(typed))
        .map_err(|e| format!("`{model}`: {e}"))?;
    let known = match serde_json::to_value(typed)? {
        Value::Object(known) => known,
        _ => Map::new(),
    };
    match settings.keys().find(|key| !known.contains_key(*key) && !settings[*key].is_null()) {
        Some(unknown) => Err(format!("`{model}`: `{unknown}` is not an autoscaling setting").into()),
        None => Ok(known),
    }
}

/// The settings of `desired` that `deployment` does not have yet, as an update and as lines.
fn differences(
    deployment: &DeploymentV1,
    desired: &Map<String, Value>,
) -> Result<(UpdateAutoscalingSettingsV1, Vec<String>), Failure> {
    let current = serde_json::to_value(&deployment.autoscaling_settings)?;
    let differing: Map<String, Value> = desired
        .iter()
        .filter(|(key, value)| current.get(key.as_str()) != Some(value))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let shown = |key: &str| current.get(key).map_or("unset".to_string(), Value::to_string);
    let lines = differing.iter().map(|(key, value)| format!("{key}: {} -> {value}", shown(key))).collect();
    Ok((serde_json::from_value(Value::Object(differing))?, lines))
}

/// Sends the update and waits until the deployment reads it back and is ready: its first reads
/// may still be the `ACTIVE` of before the update.
async fn apply(
    client: &Client,
    model: &ModelV1,
    production: &DeploymentV1,
    update: UpdateAutoscalingSettingsV1,
    wait: &Wait,
) -> Result<(), Failure> {
    let sent = serde_json::to_value(&update)?;
    let call = client.update_production_deployment_autoscaling_settings().model_id(&model.id).body(update);
    let answer = call.send().await?.into_inner();
    if answer.status == UpdateAutoscalingSettingsStatusV1::Unchanged {
        return Ok(());
    }
    let shows = |deployment: &DeploymentV1| {
        let settings = serde_json::to_value(&deployment.autoscaling_settings).unwrap_or_default();
        sent.as_object().into_iter().flatten().all(|(key, value)| settings.get(key) == Some(value))
    };
    client.wait_for_deployment_until(&model.id, &production.id, wait, shows).await?;
    Ok(())
}
