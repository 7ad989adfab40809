//! A training pipeline's step as a downstream crate writes it (issue 33's): upsert a project,
//! create a job with a nested body, follow its logs while waiting for it, list its checkpoints;
//! and its tests against the typed mocks, each fixture a documented example changed where the
//! test cares.

use std::time::Duration;

use baseten_management::mock::{self, Answer, Example, MockServer, MockServerExt, Sequence};
use baseten_management::types::{
    CreateTrainingJobAcceleratorV1, CreateTrainingJobComputeV1, CreateTrainingJobImageV1, CreateTrainingJobResponseV1,
    CreateTrainingJobV1, GetLogsResponseV1, GetTrainingJobCheckpointsResponseV1, GetTrainingJobResponseV1, LogV1,
    TrainingJobCheckpointV1, UpsertTrainingProjectResponseV1, UpsertTrainingProjectV1,
};
use baseten_management::{Client, Follow, Wait};
use futures::TryStreamExt as _;

use crate::check;

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// What the step is given.
struct Job<'a> {
    project: &'a str,
    image: &'a str,
    gpus: i64,
}

/// Upserts the project, trains, and answers the checkpoints and the log lines seen.
async fn training_step(
    client: &Client,
    job: &Job<'_>,
    wait: &Wait,
    follow: &Follow,
) -> Result<(Vec<TrainingJobCheckpointV1>, Vec<String>), Failure> {
    let project = UpsertTrainingProjectV1::builder().name(job.project);
    let upserted = client.create_training_project().body_map(|body| body.training_project(project)).send().await?;
    let project = upserted.into_inner().training_project.id;
    let accelerator = CreateTrainingJobAcceleratorV1::builder().accelerator("H100").count(job.gpus);
    let body = CreateTrainingJobV1::builder()
        .name("nightly")
        .image(CreateTrainingJobImageV1::builder().base_image(job.image))
        .compute(CreateTrainingJobComputeV1::builder().node_count(1).accelerator(accelerator));
    let created = client
        .create_training_project_job()
        .training_project_id(&project)
        .body_map(|request| request.training_job(body))
        .send()
        .await?;
    let id = created.into_inner().training_job.id;
    let logs = client.list_training_project_job_logs().training_project_id(&project).training_job_id(&id);
    let lines = logs.follow(follow).map_ok(|line| line.message).try_collect::<Vec<String>>();
    let (done, lines) = tokio::join!(client.wait_for_training_job(&project, &id, wait), lines);
    done?;
    let call = client.list_training_project_job_checkpoints().training_project_id(&project).training_job_id(&id);
    Ok((call.send().await?.into_inner().checkpoints, lines?))
}

const JOB: Job<'static> = Job { project: "nightly-llm", image: "pytorch/pytorch:2.5.1", gpus: 8 };

fn quick() -> (Wait, Follow) {
    let wait = Wait::default().interval(Duration::from_millis(10)).deadline(Duration::from_secs(10));
    let follow = Follow::default().interval(Duration::from_millis(10)).grace_after_end(Duration::from_millis(50));
    (wait, follow)
}

/// The project and the job created, as the mocks answer them; `status` the job's every read.
fn mock_up_to_the_job(server: &MockServer, statuses: &[&str]) {
    let mut project = UpsertTrainingProjectResponseV1::example();
    project.training_project.id = "p1".into();
    server.create_training_project(|when, then| {
        when.into_inner().json_body_includes(r#"{"training_project": {"name": "nightly-llm"}}"#);
        then.ok(&project);
    });
    let mut created = CreateTrainingJobResponseV1::example();
    created.training_job.id = "j1".into();
    server.create_training_project_job(|when, then| {
        let body = r#"{"training_job": {"compute": {"accelerator": {"accelerator": "H100", "count": 8}}}}"#;
        when.training_project_id("p1").into_inner().json_body_includes(body);
        then.ok(&created);
    });
    let sequence = Sequence::new();
    for (turn, status) in statuses.iter().enumerate() {
        let mut job = GetTrainingJobResponseV1::example();
        job.training_job.current_status = (*status).into();
        job.training_job.error_message = status.ends_with("FAILED").then(|| "out of memory".into());
        server.get_training_project_job(|when, then| {
            let when = when.training_project_id("p1").training_job_id("j1");
            if turn + 1 < statuses.len() {
                sequence.step(when);
            }
            then.ok(&job);
        });
    }
    let mut logs = GetLogsResponseV1::example();
    logs.logs = ["loading", "epoch 1"].iter().zip(1u64..).map(|(message, at)| line(message, at)).collect();
    server.list_training_project_job_logs(|when, then| {
        when.training_project_id("p1").training_job_id("j1");
        then.ok(&logs);
    });
}

fn line(message: &str, millisecond: u64) -> LogV1 {
    let mut line = LogV1::example();
    (line.message, line.timestamp) = (message.into(), (millisecond * 1_000_000).to_string());
    line
}

#[tokio::test]
async fn the_step_trains_and_answers_the_checkpoints_and_every_log_line_once() {
    let server = MockServer::start_async().await;
    mock_up_to_the_job(&server, &["TRAINING_JOB_QUEUED", "TRAINING_JOB_RUNNING", "TRAINING_JOB_COMPLETED"]);
    server.list_training_project_job_checkpoints(|when, then| {
        when.training_project_id("p1").training_job_id("j1");
        then.ok(&GetTrainingJobCheckpointsResponseV1::example());
    });
    let client = mock::client_builder(&server).build().unwrap();
    let (wait, follow) = quick();
    let (checkpoints, lines) = training_step(&client, &JOB, &wait, &follow).await.expect("trained");
    check("trained", "checkpoints", checkpoints.len(), 1);
    check("trained", "lines", lines, vec!["loading".to_string(), "epoch 1".to_string()]);
}

#[tokio::test]
async fn a_failed_job_is_an_error_with_the_server_s_message() {
    let server = MockServer::start_async().await;
    mock_up_to_the_job(&server, &["TRAINING_JOB_RUNNING", "TRAINING_JOB_FAILED"]);
    let client = mock::client_builder(&server).build().unwrap();
    let (wait, follow) = quick();
    let error = training_step(&client, &JOB, &wait, &follow).await.expect_err("the job failed").to_string();
    assert!(error.contains("TRAINING_JOB_FAILED") && error.contains("out of memory"), "{error}");
}

#[tokio::test]
async fn an_unavailable_api_is_retried_without_a_line_of_the_step_s_own() {
    let server = MockServer::start_async().await;
    let sequence = Sequence::new();
    // A poll is a GET: retried (a POST that may have been applied is not).
    server.get_training_project_job(|when, then| {
        sequence.step(when);
        then.error(503, "upstream unavailable");
    });
    mock_up_to_the_job(&server, &["TRAINING_JOB_COMPLETED"]);
    server.list_training_project_job_checkpoints(|when, then| {
        when.training_project_id("p1").training_job_id("j1");
        then.ok(&GetTrainingJobCheckpointsResponseV1::example());
    });
    let client = mock::client_builder(&server).build().unwrap();
    let (wait, follow) = quick();
    training_step(&client, &JOB, &wait, &follow).await.expect("trained after a retry");
    check("503 then 200", "answered", sequence.answered(), 1);
}

#[tokio::test]
async fn a_gpu_count_the_mock_does_not_expect_reaches_no_route_and_says_so() {
    let server = MockServer::start_async().await;
    mock_up_to_the_job(&server, &["TRAINING_JOB_COMPLETED"]);
    let client = mock::client_builder(&server).build().unwrap();
    let (wait, follow) = quick();
    let job = Job { gpus: 4, ..JOB };
    let error = training_step(&client, &job, &wait, &follow).await.expect_err("no mock for 4 GPUs").to_string();
    assert!(error.contains("HTTP 404") && error.contains("not Baseten's error body"), "{error}");
}
