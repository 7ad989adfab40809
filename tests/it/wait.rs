//! The deployment waiter against mocks: every ready, failed, stopped, unlisted and timed-out
//! path, `SCALED_TO_ZERO` waited through to `ACTIVE`, a 404 in the first seconds, a rate limit.

use std::time::Duration;

use baseten_management::chrono::{DateTime, Utc};
use baseten_management::mock::{self, Answer, MockServer, MockServerExt, Sequence};
use baseten_management::types::{DeploymentStatusV1, DeploymentV1};
use baseten_management::{Client, Phase, StatusCode, Wait, WaitError, WaitErrorKind};

use crate::check;

/// A development deployment `d1` of model `m1` in `status`: the wait and error tests' fixture.
pub(crate) fn deployment(status: &str) -> DeploymentV1 {
    let created: DateTime<Utc> = "2026-11-25T12:00:00Z".parse().unwrap();
    DeploymentV1::builder()
        .id("d1")
        .model_id("m1")
        .name("dev")
        .created_at(created)
        .status(DeploymentStatusV1::from(status))
        .is_development(true)
        .is_production(false)
        .active_replica_count(1)
        .try_into()
        .unwrap()
}

/// Polls without real waiting.
fn quick() -> Wait {
    Wait::default().interval(Duration::from_millis(1))
}

/// A server whose development deployment of m1 answers `statuses` in turn (then nothing).
async fn serving(statuses: &[&str]) -> (MockServer, Client, Sequence) {
    let server = MockServer::start_async().await;
    let sequence = Sequence::new();
    for status in statuses {
        server.get_development_deployment(|when, then| {
            sequence.step(when.model_id("m1"));
            then.ok(&deployment(status));
        });
    }
    let client = mock::client_builder(&server).build().unwrap();
    (server, client, sequence)
}

async fn wait_development(statuses: &[&str], wait: &Wait) -> (Result<DeploymentV1, WaitError>, usize) {
    let (_server, client, sequence) = serving(statuses).await;
    let result = client.wait_for_development_deployment("m1", wait).await;
    (result, sequence.answered())
}

#[tokio::test]
async fn a_new_deployment_is_ready_at_scaled_to_zero_by_default() {
    let (result, polls) = wait_development(&["BUILDING", "DEPLOYING", "SCALED_TO_ZERO"], &quick()).await;
    let ready = result.expect("SCALED_TO_ZERO is ready");
    check("default wait", "status, polls", (ready.status.as_str(), polls), ("SCALED_TO_ZERO", 3));
}

#[tokio::test]
async fn active_only_waits_through_scaled_to_zero_and_waking_up() {
    let statuses = ["BUILDING", "SCALED_TO_ZERO", "WAKING_UP", "ACTIVE"];
    let (result, polls) = wait_development(&statuses, &quick().active_only()).await;
    let ready = result.expect("ACTIVE in the end");
    check("active only", "status, polls", (ready.status.as_str(), polls), ("ACTIVE", 4));
}

#[tokio::test]
async fn each_ending_status_is_its_error_naming_the_deployment() {
    for (status, kind, says) in [
        ("BUILD_FAILED", "Failed { retryable: true }", "a retry or a new deployment may fix it"),
        ("DEPLOY_FAILED", "Failed { retryable: true }", "failed: DEPLOY_FAILED"),
        ("FAILED", "Failed { retryable: true }", "failed: FAILED"),
        ("BUILD_STOPPED", "Failed { retryable: false }", "not worth retrying"),
        ("UNHEALTHY", "Stopped", "is stopped: UNHEALTHY"),
        ("INACTIVE", "Stopped", "is stopped: INACTIVE"),
        ("DEACTIVATING", "Stopped", "is stopped: DEACTIVATING"),
        ("HIBERNATING", "Unlisted", "a status the docs do not list: not taken as ready"),
    ] {
        let (result, polls) = wait_development(&["BUILDING", status], &quick()).await;
        let error = result.expect_err(status);
        check(status, "kind", format!("{:?}", error.kind), kind.to_string());
        check(status, "last status, polls", (error.last_status(), polls), (Some(status), 2));
        let text = error.to_string();
        assert!(text.starts_with("development deployment of model m1"), "{status}: {text}");
        assert!(text.contains(says), "{status}: {text}");
    }
}

#[tokio::test]
async fn a_status_the_caller_names_is_what_the_caller_says() {
    let wait = quick().phase("HIBERNATING", Phase::InProgress);
    let (result, polls) = wait_development(&["HIBERNATING", "ACTIVE"], &wait).await;
    check("HIBERNATING in progress", "status, polls", (result.unwrap().status.as_str(), polls), ("ACTIVE", 2));
}

#[tokio::test]
async fn the_deadline_ends_a_wait_with_the_last_status_and_the_time_waited() {
    let server = MockServer::start_async().await;
    let polled = server.get_deployment(|when, then| {
        when.model_id("m1").deployment_id("d1");
        then.ok(&deployment("BUILDING"));
    });
    let client = mock::client_builder(&server).build().unwrap();
    let wait = quick().interval(Duration::from_millis(20)).deadline(Duration::from_millis(100));
    let error = client.wait_for_deployment("m1", "d1", &wait).await.expect_err("never ready");
    assert!(matches!(error.kind, WaitErrorKind::TimedOut), "{error:?}");
    check("timed out", "last status", error.last_status(), Some("BUILDING"));
    assert!(error.waited >= Duration::from_millis(100), "{error:?}");
    assert!(error.to_string().starts_with("deployment d1 of model m1 is not ready after "), "{error}");
    let polls = polled.calls_async().await;
    assert!((3..=7).contains(&polls), "{polls} polls in 100 ms at 20 ms apart");
}

#[tokio::test]
async fn a_404_right_after_a_promote_is_polled_through_a_later_one_is_not() {
    let server = MockServer::start_async().await;
    let sequence = Sequence::new();
    for _ in 0..2 {
        server.get_development_deployment(|when, then| {
            sequence.step(when);
            then.error(404, "Model m1 has no development deployment");
        });
    }
    server.get_development_deployment(|when, then| {
        sequence.step(when);
        then.ok(&deployment("ACTIVE"));
    });
    let client = mock::client_builder(&server).build().unwrap();
    let ready = client.wait_for_development_deployment("m1", &quick()).await.expect("visible after two 404s");
    check("early 404", "status, polls", (ready.status.as_str(), sequence.answered()), ("ACTIVE", 3));

    let (_server, client, _) = serving(&[]).await;
    let wait = quick().not_found_grace(Duration::ZERO);
    let error = client.wait_for_development_deployment("m1", &wait).await.expect_err("no such deployment");
    let WaitErrorKind::Call(call) = &error.kind else { panic!("not the poll's error: {error:?}") };
    check("404 past the grace", "status", call.status(), Some(StatusCode::NOT_FOUND));
}

#[tokio::test]
async fn a_rate_limit_waits_as_the_clients_retry_policy_does() {
    let server = MockServer::start_async().await;
    let sequence = Sequence::new();
    server.get_development_deployment(|when, then| {
        sequence.step(when);
        then.rate_limited(Duration::from_secs(37));
    });
    server.get_development_deployment(|when, then| {
        sequence.step(when);
        then.ok(&deployment("ACTIVE"));
    });
    let client = mock::client_builder(&server).build().unwrap();
    let ready = client.wait_for_development_deployment("m1", &quick()).await.expect("retried after the 429");
    check("429 then ACTIVE", "status, answers", (ready.status.as_str(), sequence.answered()), ("ACTIVE", 2));
}
