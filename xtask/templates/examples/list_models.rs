//! Lists the workspace's models and each one's development deployment.
//!
//! ```sh
//! BASETEN_API_KEY=... cargo run -p baseten-management --example list_models
//! ```
//!
//! `BASETEN_BASE_URL` points it at another server (a proxy, a local mock).

use baseten_management::{Client, Error, StatusCode};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Error> {
    let client = Client::from_env()?;
    let models = client.list_models().send().await?;
    println!("{} model(s) at {}", models.models.len(), client.base_url());
    for model in &models.models {
        let development = match client.get_development_deployment().model_id(&model.id).send().await {
            Ok(deployment) => deployment.status.to_string(),
            Err(Error::Api { status: StatusCode::NOT_FOUND, .. }) => "none".to_string(),
            Err(error) => return Err(error),
        };
        println!("{}\t{}\tdevelopment: {development}", model.id, model.name);
    }
    Ok(())
}
