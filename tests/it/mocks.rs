//! The `mock` feature as a downstream test uses it: Baseten's failure answers for any operation,
//! answers in sequence, and a client that does not sit out a mocked `retry_after`.

use std::time::{Duration, Instant};

use baseten_management::mock::{self, Answer, MockServer, MockServerExt, Sequence};
use baseten_management::{Error, RetryPolicy, StatusCode};

use crate::check;
use crate::client::SECRETS;

fn secrets() -> baseten_management::types::SecretsV1 {
    serde_json::from_str(SECRETS).unwrap()
}

#[tokio::test]
async fn an_error_answer_is_baseten_s_error_body() {
    let server = MockServer::start_async().await;
    server.delete_model(|when, then| {
        when.model_id("m1");
        then.error(409, "Model m1 has active deployments");
    });
    let client = mock::client_builder(&server).build().unwrap();
    let error = client.delete_model().model_id("m1").send().await.unwrap_err();
    let Error::Api { status, message, .. } = &error else { panic!("not an Api error: {error:?}") };
    check("error answer", "status", *status, StatusCode::CONFLICT);
    check("error answer", "message", message.as_deref(), Some("Model m1 has active deployments"));
}

#[tokio::test]
async fn a_rate_limit_then_success_costs_a_test_no_real_wait() {
    let server = MockServer::start_async().await;
    let sequence = Sequence::new();
    let limited = server.list_secrets(|when, then| {
        sequence.step(when);
        then.rate_limited(Duration::from_secs(37));
    });
    let listed = server.list_secrets(|when, then| {
        sequence.step(when);
        then.ok(&secrets());
    });
    let client = mock::client_builder(&server).build().unwrap();
    let start = Instant::now();
    let got = client.list_secrets().send().await.expect("retried after the 429");
    assert!(start.elapsed() < Duration::from_secs(5), "waited {:?}", start.elapsed());
    check("429 then 200", "secrets", got.secrets.len(), 1);
    check("429 then 200", "answered", sequence.answered(), 2);
    check("429 then 200", "hits", (limited.calls_async().await, listed.calls_async().await), (1, 1));

    // Without retries, the 429 is the caller's, with the server's retry_after.
    let sequence = Sequence::new();
    server.get_development_deployment(|when, then| {
        sequence.step(when.model_id("m1"));
        then.rate_limited(Duration::from_secs(37));
    });
    let error = client
        .get_development_deployment()
        .model_id("m1")
        .retry(RetryPolicy::disabled())
        .send()
        .await
        .unwrap_err();
    check("429 alone", "retry_after", error.retry_after(), Some(Duration::from_secs(37)));
}

#[tokio::test]
async fn a_sequence_answers_each_step_once_then_falls_through() {
    let server = MockServer::start_async().await;
    let sequence = Sequence::new();
    for status in [503, 502] {
        server.list_secrets(|when, then| {
            sequence.step(when);
            then.error(status, "upstream unavailable");
        });
    }
    server.list_secrets(|when, then| {
        sequence.step(when);
        then.ok(&secrets());
    });
    // After the steps, a mock made without one.
    server.list_secrets(|_, then| {
        then.error(500, "the sequence is over");
    });
    let client = mock::client_builder(&server).build().unwrap();
    client.list_secrets().send().await.expect("503, 502, then the list");
    check("sequence", "answered", sequence.answered(), 3);
    let after = client.list_secrets().retry(RetryPolicy::disabled()).send().await.unwrap_err();
    check("after the sequence", "status", after.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
}

/// The structs are `#[non_exhaustive]`, so a fixture goes through a builder; a field the docs
/// allow `null` in starts as `None`, so a fixture sets what its test is about and no more.
#[tokio::test]
async fn a_fixture_sets_only_the_fields_it_needs() {
    use baseten_management::chrono::{DateTime, Utc};
    use baseten_management::types::{DeploymentStatusV1, DeploymentV1};

    let created: DateTime<Utc> = "2026-01-02T03:04:05Z".parse().unwrap();
    let deployment: DeploymentV1 = DeploymentV1::builder()
        .id("d1")
        .model_id("m1")
        .name("dev")
        .created_at(created)
        .status(DeploymentStatusV1::Active)
        .is_development(true)
        .is_production(false)
        .active_replica_count(1)
        .try_into()
        .unwrap_or_else(|e| panic!("a fixture without its nullable fields: {e}"));
    let unset = (deployment.autoscaling_settings.is_none(), deployment.environment.is_none());
    check("fixture", "nullable fields unset", unset, (true, true));

    let server = MockServer::start_async().await;
    server.get_development_deployment(|when, then| {
        when.model_id("m1");
        then.ok(&deployment);
    });
    let client = mock::client_builder(&server).build().unwrap();
    let got = client.get_development_deployment().model_id("m1").send().await.expect("the fixture, served");
    check("fixture", "read back", (got.id.as_str(), got.instance_type_name.as_deref()), ("d1", None));
}

#[tokio::test]
async fn an_answer_carries_the_headers_a_test_gives_it() {
    let server = MockServer::start_async().await;
    server.get_model(|when, then| {
        when.model_id("m1");
        then.error(503, "try later").header("x-request-id", "req-42").header("retry-after", "0");
    });
    let client = mock::client_builder(&server).retry(RetryPolicy::disabled()).build().unwrap();
    let error = client.get_model().model_id("m1").send().await.unwrap_err();
    check("answer with headers", "request id", error.request_id(), Some("req-42"));
    check("answer with headers", "retry after", error.retry_after(), Some(Duration::ZERO));
}

#[test]
fn a_fixture_can_read_the_clock_through_the_re_exported_chrono() {
    use baseten_management::chrono::{Duration as Span, Utc};
    use baseten_management::types::{DeploymentStatusV1, DeploymentV1};
    let now = Utc::now();
    let fixture: DeploymentV1 = DeploymentV1::builder()
        .id("d1")
        .model_id("m1")
        .name("dev")
        .created_at(now - Span::minutes(5))
        .status(DeploymentStatusV1::Active)
        .is_development(true)
        .is_production(false)
        .active_replica_count(1)
        .try_into()
        .unwrap();
    assert!(fixture.created_at < Utc::now(), "{fixture:?}");
}

/// A path argument's mock answers for that argument exactly as the client sends it (percent-
/// encoded), whatever characters it holds: no regex in it, no panic, no other id.
#[tokio::test]
async fn a_path_argument_matches_exactly_the_id_it_was_given() {
    let server = MockServer::start_async().await;
    for id in ["j.1", "job(1", "my job", "a/b", "ü+[x]*"] {
        server.delete_training_project_job(|when, then| {
            when.training_project_id("p1").training_job_id(id);
            then.error(409, id);
        });
    }
    let client = mock::client_builder(&server).retry(RetryPolicy::disabled()).build().unwrap();
    for (asked, answered) in [
        ("j.1", Some("j.1")),
        ("jx1", None),
        ("job(1", Some("job(1")),
        ("my job", Some("my job")),
        ("a/b", Some("a/b")),
        ("ü+[x]*", Some("ü+[x]*")),
        ("ü+[x]", None),
    ] {
        let error = client.delete_training_project_job().training_project_id("p1").training_job_id(asked);
        let error = error.send().await.unwrap_err();
        let got = match &error {
            Error::Api { status, message, .. } if *status == StatusCode::CONFLICT => message.as_deref(),
            _ => None,
        };
        check("path argument mock", asked, got, answered);
    }
}

/// A step's turn is consulted after its query matched, as `Sequence`'s docs say: a request its
/// query refuses leaves the turn to the next request.
#[tokio::test]
async fn a_request_a_step_refuses_by_query_does_not_use_up_its_turn() {
    let server = MockServer::start_async().await;
    let sequence = Sequence::new();
    server.list_model_apis(|when, then| {
        sequence.step(when.cursor("c1"));
        then.error(409, "first step");
    });
    server.list_model_apis(|when, then| {
        sequence.step(when);
        then.error(409, "second step");
    });
    let client = mock::client_builder(&server).retry(RetryPolicy::disabled()).build().unwrap();
    let mut answers = Vec::new();
    for cursor in ["other", "c1", "other"] {
        let error = client.list_model_apis().cursor(cursor).send().await.unwrap_err();
        answers.push(match error {
            Error::Api { status: StatusCode::CONFLICT, message, .. } => message.unwrap_or_default(),
            other => format!("{:?}", other.status()),
        });
    }
    check(
        "sequence by query",
        "answers",
        answers,
        ["Some(404)", "first step", "second step"].map(String::from).to_vec(),
    );
}

/// A nested body from builders: an optional field takes its type's builder and a `&str` as a
/// required one does, `set_*` an `Option`; only what was set is sent.
#[tokio::test]
async fn a_nested_body_is_built_from_the_builders_of_its_parts() {
    use baseten_management::types::{
        CreateTrainingJobAcceleratorV1, CreateTrainingJobComputeV1, CreateTrainingJobImageV1, CreateTrainingJobV1,
    };
    let server = MockServer::start_async().await;
    server.create_training_project_job(|when, then| {
        when.training_project_id("p1").into_inner().json_body(serde_json::json!({"training_job": {
            "name": "n",
            "image": {"base_image": "img"},
            "compute": {"node_count": 2, "accelerator": {"accelerator": "H100", "count": 8}},
        }}));
        then.error(409, "the body as built");
    });
    let client = mock::client_builder(&server).retry(RetryPolicy::disabled()).build().unwrap();
    let error = client
        .create_training_project_job()
        .training_project_id("p1")
        .body_map(|body| {
            body.training_job(
                CreateTrainingJobV1::builder()
                    .name("n")
                    .image(CreateTrainingJobImageV1::builder().base_image("img"))
                    .compute(
                        CreateTrainingJobComputeV1::builder()
                            .node_count(2)
                            .accelerator(CreateTrainingJobAcceleratorV1::builder().accelerator("H100").count(8))
                            .set_memory(None),
                    )
                    .set_priority(None),
            )
        })
        .send()
        .await
        .unwrap_err();
    check("nested body", "answer", error.status(), Some(StatusCode::CONFLICT));
}

/// A fixture is a type's example from the API reference, changed only where the test cares: no
/// builder chain of every required field, no `serde_json`.
#[tokio::test]
async fn a_fixture_is_the_documented_example_changed_where_the_test_cares() {
    use baseten_management::Wait;
    use baseten_management::mock::Example;
    use baseten_management::types::GetTrainingJobResponseV1;

    let mut answer = GetTrainingJobResponseV1::example();
    answer.training_job.current_status = "TRAINING_JOB_COMPLETED".to_string();
    check("example", "documented name kept", answer.training_job.name.as_deref(), Some("gpt-oss-job"));
    let server = MockServer::start_async().await;
    server.get_training_project_job(|when, then| {
        when.training_project_id("p1").training_job_id("j1");
        then.ok(&answer);
    });
    let client = mock::client_builder(&server).build().unwrap();
    let done = client.wait_for_training_job("p1", "j1", &Wait::default()).await.expect("a completed job");
    check("example", "status", done.training_job.current_status.as_str(), "TRAINING_JOB_COMPLETED");
}
