//! Every kind of error the client gives, printed as `anyhow` prints a chain (`{:#}`: each
//! link's `Display`, joined by `: `): no link repeats a cause that comes after it, so nothing
//! is printed twice; and what each link says.

use std::time::Duration;

use baseten_management::mock::{self, Answer, MockServer, MockServerExt};
use baseten_management::{Client, Error, RetryPolicy, Wait, WaitError};

use crate::client::{KEY, SECRETS};
use crate::server::{Reply, Server, silent};
use crate::wait::deployment;

/// `error` and its causes, each as its `Display` says it.
fn links(error: &(dyn std::error::Error + 'static)) -> Vec<String> {
    std::iter::successors(Some(error), |e| e.source()).map(ToString::to_string).collect()
}

/// Fails when a link's text holds the text of a cause after it: the cause is printed twice.
#[track_caller]
fn check_once(kind: &str, error: anyhow::Error) -> String {
    let chain = links(error.as_ref());
    for (n, link) in chain.iter().enumerate() {
        for cause in &chain[n + 1..] {
            assert!(
                cause.trim().is_empty() || !link.contains(cause.as_str()),
                "{kind}: link {n} repeats a later cause.\nlink: {link}\ncause: {cause}\nas anyhow prints it: {error:#}"
            );
        }
    }
    let printed = format!("{error:#}");
    crate::check(kind, "anyhow's {:#}", printed.clone(), chain.join(": "));
    printed
}

fn plain(url: &str) -> Client {
    Client::builder().base_url(url).api_key(KEY).retry(RetryPolicy::disabled()).build().unwrap()
}

/// Each kind of error, made for real (a refused connection, a silent server, answers a test
/// server gives), with the start of how anyhow prints it.
async fn every_kind() -> Vec<(&'static str, anyhow::Error, &'static str)> {
    let mut out: Vec<(&str, anyhow::Error, &str)> = Vec::new();
    let config = Client::with_api_key(" ").unwrap_err();
    out.push(("config", config.into(), "cannot build the Baseten client: the API key is empty"));

    let server = Server::start(vec![Reply::json(200, SECRETS)]).await;
    let invalid = plain(&server.url).get_deployment().model_id("m1").send().await.unwrap_err();
    out.push(("invalid request", invalid.into(), "get_deployment: nothing was sent: missing required argument"));

    // Port 9 (discard) on loopback: nothing listens there, so the connection is refused.
    let refused = plain("http://127.0.0.1:9").list_models().send().await.unwrap_err();
    out.push(("transport: connect", refused.into(), "list_models: could not connect: error sending request"));

    let (url, _hold) = silent().await;
    let timeout = plain(&url).list_secrets().attempt_timeout(Duration::from_millis(50)).send().await.unwrap_err();
    out.push(("transport: timeout", timeout.into(), "list_secrets: timed out: error sending request"));
    let call = plain(&url).list_secrets().operation_timeout(Duration::from_millis(50)).send().await.unwrap_err();
    out.push(("operation timeout", call.into(), "list_secrets: no answer within the operation timeout of 0.05 s"));

    let body = r#"{"error": "Model m1 not found"}"#;
    let server = Server::start(vec![Reply::json(404, body)]).await;
    let api = plain(&server.url).get_model().model_id("m1").send().await.unwrap_err();
    out.push(("api", api.into(), "get_model: HTTP 404 Not Found: Model m1 not found"));

    let html = Reply::Json(200, vec![("content-type", "text/html".into())], "<html>login</html>".into());
    let server = Server::start(vec![html]).await;
    let decode = plain(&server.url).list_secrets().send().await.unwrap_err();
    out.push((
        "decode",
        decode.into(),
        "list_secrets: HTTP 200 OK (text/html), but the body is not the documented JSON",
    ));

    for (kind, error, start) in wait_errors().await {
        out.push((kind, error.into(), start));
    }
    out
}

/// A wait error of each kind: failed, stopped, unlisted, timed out, a poll that failed.
async fn wait_errors() -> Vec<(&'static str, WaitError, &'static str)> {
    let quick = Wait::default().interval(Duration::from_millis(1)).deadline(Duration::from_millis(30));
    let mut out = Vec::new();
    let cases = [
        ("wait: failed", Some("BUILD_FAILED"), "development deployment of model m1 failed: BUILD_FAILED"),
        ("wait: stopped", Some("INACTIVE"), "development deployment of model m1 is stopped: INACTIVE"),
        ("wait: unlisted", Some("MIGRATING"), "development deployment of model m1 reports MIGRATING"),
        ("wait: timed out", Some("BUILDING"), "development deployment of model m1 is not ready after"),
        ("wait: a poll failed", None, "development deployment of model m1: the poll after"),
    ];
    for (kind, status, start) in cases {
        let server = MockServer::start_async().await;
        server.get_development_deployment(|_, then| match status {
            Some(status) => drop(then.ok(&deployment(status))),
            None => drop(then.error(500, "the database is down").header("x-request-id", "req-7")),
        });
        let client = mock::client_builder(&server).retry(RetryPolicy::disabled()).build().unwrap();
        let error = client.wait_for_development_deployment("m1", &quick).await.unwrap_err();
        out.push((kind, error, start));
    }
    out
}

#[tokio::test]
async fn every_error_kind_prints_each_cause_once_in_an_anyhow_chain() {
    let kinds = every_kind().await;
    assert_eq!(kinds.len(), 12, "the kinds this test covers");
    for (kind, error, start) in kinds {
        let printed = check_once(kind, error);
        assert!(printed.starts_with(start), "{kind}: printed as\n{printed}\nexpected it to start with\n{start}");
    }
}

#[tokio::test]
async fn a_poll_that_failed_is_the_wait_errors_cause_with_its_request_id() {
    let (_, error, _) = wait_errors().await.pop().expect("the poll error");
    let chain = links(&error);
    crate::check("poll failed", "links", chain.len(), 2);
    assert_eq!(
        chain[1], "get_development_deployment: HTTP 500 Internal Server Error: the database is down (request id req-7)",
        "{chain:?}"
    );
    assert!(!chain[0].contains("database"), "the wait error repeats its cause: {}", chain[0]);
}

#[tokio::test]
async fn a_refused_connection_is_named_once_with_every_cause() {
    let refused = plain("http://127.0.0.1:9").list_models().send().await.unwrap_err();
    assert!(matches!(&refused, Error::Transport { .. }), "{refused:?}");
    let printed = check_once("refused", refused.into());
    eprintln!("a refused connection, as anyhow's {{:#}} prints it:\n{printed}");
    // reqwest's cause chain ends at the operating system's word for it.
    assert!(printed.to_lowercase().contains("connection refused"), "{printed}");
    crate::check("refused", "times the URL is printed", printed.matches("http://127.0.0.1:9/v1/models").count(), 1);
}
