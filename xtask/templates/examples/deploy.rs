//! Deploys: adds a deployment to a model from an archive already uploaded (through
//! `prepare_model_upload`), waits until it is ready, promotes it into an environment and waits
//! until the rollout has finished.
//!
//! ```sh
//! BASETEN_API_KEY=... cargo run -p baseten-management --example deploy -- MODEL_ID S3_KEY [ENVIRONMENT]
//! ```
//!
//! `BASETEN_BASE_URL` points it at another server (a proxy, a local mock).

use std::time::Duration;

use baseten_management::types::{DeploymentArchivePayloadV1, DeploymentArchiveSourceV1, DeploymentV1};
use baseten_management::{Client, Wait};

/// What can end the example: a call, a wait, or how it was run.
type Failure = Box<dyn std::error::Error + Send + Sync>;

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
    let mut args = std::env::args().skip(1);
    let usage = "usage: deploy MODEL_ID S3_KEY [ENVIRONMENT]";
    let (model, key) = (args.next().ok_or(usage)?, args.next().ok_or(usage)?);
    let environment = args.next().unwrap_or_else(|| "production".to_string());
    let client = Client::from_env()?;
    // A build and a model load take minutes; a rollout ramps traffic over more.
    let wait = Wait::default().interval(Duration::from_secs(10)).deadline(Duration::from_secs(60 * 60));
    let serving = deploy(&client, &model, &key, &environment, &wait).await?;
    println!("{environment} serves deployment {} ({})", serving.id, serving.status);
    Ok(())
}

/// Adds the deployment, waits until it is ready, promotes it into `environment` and waits
/// until the environment serves it with no promotion left under way; answers the deployment.
pub(crate) async fn deploy(
    client: &Client,
    model: &str,
    key: &str,
    environment: &str,
    wait: &Wait,
) -> Result<DeploymentV1, Failure> {
    let payload = DeploymentArchivePayloadV1::builder().config(serde_json::Map::new());
    let source = DeploymentArchiveSourceV1::builder().deployment(payload).s3_key(key);
    let created = client.create_deployment().model_id(model).body_map(|body| body.source(source)).send().await?;
    let deployment = &created.deployment.id;
    println!("deployment {deployment} created: {}", created.deployment.status);
    // SCALED_TO_ZERO counts as ready: it wakes on the first request, or on the promotion.
    let ready = client.wait_for_deployment(model, deployment, wait).await?;
    println!("deployment {deployment}: {}", ready.status);
    let promotion = client.promote_environment().model_id(model).env_name(environment);
    promotion.body_map(|body| body.deployment_id(deployment.clone())).send().await?;
    // The deployment serves the environment first; the rollout (old replicas ramped down) ends later.
    client.wait_for_promotion(model, deployment, environment, wait).await?;
    let settled = client.wait_for_environment_promotion(model, environment, wait).await?;
    let serving = settled.current_deployment.ok_or("the environment serves no deployment after the promotion")?;
    Ok(serving)
}
