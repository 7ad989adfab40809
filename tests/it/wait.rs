//! The deployment waiter against mocks: every ready, failed, stopped, unlisted and timed-out
//! path, `SCALED_TO_ZERO` waited through to `ACTIVE`, a 404 in the first seconds, a rate limit,
//! and the reads after an action that may still show the deployment as it was.

use std::time::Duration;

use baseten_management::chrono::{DateTime, Utc};
use baseten_management::mock::Example;
use baseten_management::mock::{self, Answer, MockServer, MockServerExt, Sequence};
use baseten_management::types::{AutoscalingSettingsV1, DeploymentStatusV1, DeploymentV1};
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
    answering(statuses.iter().map(|status| deployment(status)).collect()).await
}

/// A server whose development deployment of m1 answers `answers` in turn (then nothing).
async fn answering(answers: Vec<DeploymentV1>) -> (MockServer, Client, Sequence) {
    let server = MockServer::start_async().await;
    let sequence = Sequence::new();
    for answer in &answers {
        server.get_development_deployment(|when, then| {
            sequence.step(when.model_id("m1"));
            then.ok(answer);
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

/// After an update the first reads may still be the `ACTIVE` of before, which a plain wait takes
/// for done; `_until` judges no status before the answer shows the new settings.
#[tokio::test]
async fn a_wait_after_an_update_judges_nothing_before_the_answer_shows_it() {
    let with_max_replica = |status: &str, max_replica: i64| {
        let mut settings = AutoscalingSettingsV1::example();
        settings.max_replica = max_replica;
        let mut answer = deployment(status);
        answer.autoscaling_settings = Some(settings);
        answer
    };
    let answers = || {
        let before = [("ACTIVE", 1), ("ACTIVE", 1)].map(|(status, max)| with_max_replica(status, max));
        let after = [("UPDATING", 4), ("ACTIVE", 4)].map(|(status, max)| with_max_replica(status, max));
        before.into_iter().chain(after).collect::<Vec<_>>()
    };
    let (_server, client, sequence) = answering(answers()).await;
    let early = client.wait_for_development_deployment("m1", &quick()).await.unwrap();
    let max = |answer: &DeploymentV1| answer.autoscaling_settings.as_ref().map(|settings| settings.max_replica);
    check("a plain wait", "max_replica, polls", (max(&early), sequence.answered()), (Some(1), 1));
    let (_server, client, sequence) = answering(answers()).await;
    let shows = |answer: &DeploymentV1| max(answer) == Some(4);
    let applied = client.wait_for_development_deployment_until("m1", &quick(), shows).await.unwrap();
    let seen = (applied.status.as_str(), max(&applied), sequence.answered());
    check("until the settings show", "status, max_replica, polls", seen, ("ACTIVE", Some(4), 4));
}

/// After an activation the first reads may still be `INACTIVE`, which ends a plain wait as
/// stopped; one that never shows the change times out naming the last status.
#[tokio::test]
async fn a_wait_after_an_activation_polls_through_the_status_it_had() {
    let statuses = ["INACTIVE", "INACTIVE", "WAKING_UP", "ACTIVE"];
    let (result, polls) = wait_development(&statuses, &quick().active_only()).await;
    let error = result.expect_err("INACTIVE ends a plain wait");
    check("a plain wait", "kind, polls", (format!("{:?}", error.kind), polls), ("Stopped".to_string(), 1));
    let (_server, client, sequence) = serving(&statuses).await;
    let left = |answer: &DeploymentV1| answer.status != DeploymentStatusV1::Inactive;
    let active = client.wait_for_development_deployment_until("m1", &quick().active_only(), left).await.unwrap();
    check("until it leaves INACTIVE", "status, polls", (active.status.as_str(), sequence.answered()), ("ACTIVE", 4));
    let server = MockServer::start_async().await;
    server.get_development_deployment(|when, then| {
        when.model_id("m1");
        then.ok(&deployment("INACTIVE"));
    });
    let client = mock::client_builder(&server).build().unwrap();
    let wait = quick().interval(Duration::from_millis(10)).deadline(Duration::from_millis(50));
    let error = client.wait_for_development_deployment_until("m1", &wait, left).await.expect_err("never activated");
    assert!(matches!(error.kind, WaitErrorKind::TimedOut), "{error:?}");
    check("never shows", "last status", error.last_status(), Some("INACTIVE"));
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
