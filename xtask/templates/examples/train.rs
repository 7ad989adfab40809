//! Trains: creates a training job in a project, follows its logs while waiting for it, then
//! lists its checkpoints.
//!
//! ```sh
//! BASETEN_API_KEY=... cargo run -p baseten-management --example train -- PROJECT_ID [BASE_IMAGE]
//! ```
//!
//! `BASETEN_BASE_URL` points it at another server (a proxy, a local mock).

use std::time::Duration;

use baseten_management::types::{CreateTrainingJobImageV1, CreateTrainingJobV1, LogV1, TrainingJobCheckpointV1};
use baseten_management::{Client, Follow, Wait};
use futures::StreamExt as _;

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
    let project = args.next().ok_or("usage: train PROJECT_ID [BASE_IMAGE]")?;
    let image = args.next().unwrap_or_else(|| "pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime".to_string());
    let client = Client::from_env()?;
    // A job queues, runs for hours and completes; its logs end 10 s after it does.
    let wait = Wait::default().interval(Duration::from_secs(15)).deadline(Duration::from_secs(12 * 60 * 60));
    let checkpoints =
        train(&client, &project, &image, &wait, &Follow::default(), |line| println!("{}", line.message)).await?;
    for checkpoint in &checkpoints {
        println!("checkpoint {}", checkpoint.checkpoint_id);
    }
    Ok(())
}

/// Creates the job, gives each of its log lines to `on_line` (each once, as they arrive) while
/// waiting for it, and answers its checkpoints; a failed job is an error with its
/// `error_message`.
pub(crate) async fn train(
    client: &Client,
    project: &str,
    image: &str,
    wait: &Wait,
    follow: &Follow,
    mut on_line: impl FnMut(&LogV1),
) -> Result<Vec<TrainingJobCheckpointV1>, Failure> {
    let job = CreateTrainingJobV1::builder().image(CreateTrainingJobImageV1::builder().base_image(image));
    let created = client
        .create_training_project_job()
        .training_project_id(project)
        .body_map(|body| body.training_job(job))
        .send()
        .await?;
    let job = &created.training_job.id;
    println!("training job {job} created");
    let call = client.list_training_project_job_logs().training_project_id(project).training_job_id(job);
    // The follow ends by itself a grace after the job; a failed poll ends it with its error.
    let logs = call.follow(follow).for_each(|line| {
        match line {
            Ok(line) => on_line(&line),
            Err(error) => eprintln!("logs: {error}"),
        }
        async {}
    });
    let (waited, ()) = tokio::join!(client.wait_for_training_job(project, job, wait), logs);
    let done = waited?;
    println!("training job {job}: {}", done.training_job.current_status);
    let checkpoints = client
        .list_training_project_job_checkpoints()
        .training_project_id(project)
        .training_job_id(job)
        .send()
        .await?;
    Ok(checkpoints.into_inner().checkpoints)
}
