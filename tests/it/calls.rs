//! The generated client's per-call control and its surface: attempt and operation timeouts and a
//! retry policy for one call, a caller's own `reqwest::Client`, errors that keep the response's
//! status and headers, where the key may go, and what a call without its arguments says.

use std::time::{Duration, Instant};

use baseten_management::{Client, Error, RetryPolicy, StatusCode};

use crate::check;
use crate::client::{KEY, SECRETS, client, quick};
use crate::server::{Reply, Server, silent};

#[tokio::test]
async fn a_timeout_set_on_one_call_applies_to_that_call_only() {
    let (url, _hold) = silent().await;
    let client = Client::builder()
        .base_url(&url)
        .api_key(KEY)
        .attempt_timeout(Duration::from_secs(30))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let start = Instant::now();
    let error = client.list_secrets().attempt_timeout(Duration::from_millis(150)).send().await.unwrap_err();
    assert!(matches!(&error, Error::Transport { source, .. } if source.is_timeout()), "{error:?}");
    assert!(start.elapsed() < Duration::from_secs(5), "took {:?}", start.elapsed());
    check("per-call timeout", "kind", error.kind().into_owned(), "timeout".to_string());

    // The next call on the same client has the client's 30 s limit again.
    let next = tokio::time::timeout(Duration::from_millis(600), client.list_secrets().send()).await;
    assert!(next.is_err(), "the next call ended within 600 ms: {next:?}");
}

#[tokio::test]
async fn a_retry_policy_set_on_one_call_applies_to_that_call_only() {
    let limited = r#"{"error": "Rate limit exceeded", "retry_after": 0.05}"#;
    let server =
        Server::start(vec![Reply::json(429, limited), Reply::json(429, limited), Reply::json(200, SECRETS)]).await;
    let client = client(&server, quick());
    let error = client.list_secrets().retry(RetryPolicy::disabled()).send().await.unwrap_err();
    check("429, retry disabled for the call", "status", error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    check("429, retry disabled for the call", "requests", server.requests().len(), 1);

    // The client's own policy (3 attempts) for the next call: a 429, then the 200.
    client.list_secrets().send().await.expect("retried after retry_after");
    check("the next call", "requests", server.requests().len(), 3);
}

#[tokio::test]
async fn a_callers_reqwest_client_gets_the_key_retries_and_user_agent() {
    let limited = r#"{"error": "Rate limit exceeded", "retry_after": 0.01}"#;
    let server = Server::start(vec![Reply::json(429, limited), Reply::json(200, SECRETS)]).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-app", "mine".parse().unwrap());
    let own = reqwest::Client::builder().default_headers(headers).build().unwrap();
    let client = Client::builder().base_url(&server.url).api_key(KEY).http_client(own).build().unwrap();
    client.list_secrets().send().await.expect("retried through the caller's client");
    let requests = server.requests();
    check("caller's client", "requests", requests.len(), 2);
    let seen = |name: &str| requests[1].header(name).map(str::to_string);
    check("caller's client", "x-app", seen("x-app"), Some("mine".to_string()));
    check("caller's client", "authorization", seen("authorization"), Some(format!("Bearer {KEY}")));
    let agent = seen("user-agent").unwrap_or_default();
    assert!(agent.starts_with("baseten-management/"), "user-agent: {agent}");
}

#[tokio::test]
async fn the_builders_timeout_applies_to_a_callers_client_when_set() {
    let (url, _hold) = silent().await;
    let client = Client::builder()
        .base_url(&url)
        .api_key(KEY)
        .http_client(reqwest::Client::new())
        .attempt_timeout(Duration::from_millis(150))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = tokio::time::timeout(Duration::from_secs(5), client.list_secrets().send())
        .await
        .expect("the builder's timeout ended the call")
        .unwrap_err();
    check("caller's client, builder timeout", "kind", error.kind().into_owned(), "timeout".to_string());
}

#[test]
fn the_key_goes_over_plain_http_to_loopback_only() {
    for url in ["http://api.example.com", "http://10.0.0.7:8080", "http://[fe80::1]"] {
        let error = Client::builder().base_url(url).api_key(KEY).build().unwrap_err();
        let text = error.to_string();
        assert!(text.contains("plain http to a host other than loopback"), "{url}: {text}");
        assert!(!text.contains(KEY), "{url}: {text}");
    }
    for url in ["http://127.0.0.1:9", "http://localhost:8080", "http://[::1]:80", "https://api.example.com"] {
        Client::builder().base_url(url).api_key(KEY).build().unwrap_or_else(|e| panic!("{url}: {e}"));
    }
    // Without a key, nothing secret goes anywhere.
    Client::builder().base_url("http://proxy.internal").build().expect("no key, any URL");
}

#[tokio::test]
async fn an_api_error_keeps_the_headers_and_names_the_request_id() {
    let headers = vec![("x-request-id", "req-7f3a".to_string()), ("x-other", "1".to_string())];
    let server = Server::start(vec![Reply::Json(404, headers, r#"{"error": "Model m9 not found"}"#.into())]).await;
    let error = client(&server, quick()).get_development_deployment().model_id("m9").send().await.unwrap_err();
    check("404 with a request id", "request_id", error.request_id(), Some("req-7f3a"));
    check("404 with a request id", "x-other", error.headers().and_then(|h| h.get("x-other")).is_some(), true);
    check(
        "404 with a request id",
        "Display",
        error.to_string(),
        "get_development_deployment: HTTP 404 Not Found: Model m9 not found; check the ids in the request \
         (request id req-7f3a)"
            .to_string(),
    );
    check("404 with a request id", "kind", error.kind().into_owned(), "404".to_string());
}

#[tokio::test]
async fn a_200_carrying_an_html_page_says_what_it_is() {
    let page = "<!DOCTYPE html>\n<html><head><title>Sign in to the corporate proxy</title></head><body>Please sign \
                in to continue to the requested site, then try again.</body></html>";
    let headers =
        vec![("content-type", "text/html; charset=utf-8".to_string()), ("x-baseten-request-id", "b-123".to_string())];
    let server = Server::start(vec![Reply::Json(200, headers, page.into())]).await;
    let error = client(&server, quick()).list_secrets().send().await.unwrap_err();
    let Error::Decode { status, body, .. } = &error else { panic!("not a Decode error: {error:?}") };
    check("HTML page", "status", *status, StatusCode::OK);
    check("HTML page", "body kept whole", body.as_str(), page);
    check(
        "HTML page",
        "Display",
        error.to_string(),
        "list_secrets: HTTP 200 OK (text/html; charset=utf-8), but the body is not the documented JSON; the body \
         starts: <!DOCTYPE html> <html><head><title>Sign in to the corporate \
         proxy</title></head><body>Please sign in…; an HTML page, not the API: check the base URL \
         (Baseten's API is https://api.baseten.co) and any proxy between (request id b-123)"
            .to_string(),
    );
    check("HTML page", "request_id", error.request_id(), Some("b-123"));
    let cause = std::error::Error::source(&error).map(ToString::to_string);
    check("HTML page", "source", cause.as_deref(), Some("expected value at line 1 column 1"));
}

#[test]
fn an_empty_or_blank_api_key_is_refused_when_the_client_is_built() {
    let built = [
        ("with_api_key(\"\")", Client::with_api_key("")),
        ("with_api_key(\" \\t\")", Client::with_api_key(" \t")),
        ("builder().api_key(\"\")", Client::builder().api_key("").build()),
    ];
    for (how, result) in built {
        let error = result.expect_err(how);
        assert!(matches!(error, Error::Config { .. }), "{how}: {error:?}");
        assert!(error.to_string().contains("the API key is empty"), "{how}: {error}");
    }
}

#[tokio::test]
async fn an_operation_timeout_bounds_every_attempt_and_wait_of_a_call() {
    let (url, _hold) = silent().await;
    let policy = RetryPolicy::default().max_attempts(3).initial_backoff(Duration::from_millis(20));
    let builder = Client::builder()
        .base_url(&url)
        .api_key(KEY)
        .retry(policy)
        .attempt_timeout(Duration::from_millis(150));

    // Attempts only: three of 150 ms and two waits, about 490 ms.
    let client = builder.clone().build().unwrap();
    let start = Instant::now();
    let error = client.list_secrets().send().await.unwrap_err();
    let attempts_only = start.elapsed();
    assert!(matches!(&error, Error::Transport { source, .. } if source.is_timeout()), "{error:?}");
    assert!(attempts_only >= Duration::from_millis(450), "three attempts took {attempts_only:?}");

    // The client's operation timeout ends the call at 200 ms, inside an attempt of 10 s: no
    // bound on the clock but the attempt's, which is 50 times the limit.
    let patient = builder.attempt_timeout(Duration::from_secs(10));
    let client = patient.operation_timeout(Duration::from_millis(200)).build().unwrap();
    let start = Instant::now();
    let error = client.list_secrets().send().await.unwrap_err();
    let bounded = start.elapsed();
    let Error::Timeout { operation, limit, .. } = &error else { panic!("not an operation timeout: {error:?}") };
    check("operation timeout", "operation, limit", (*operation, *limit), ("list_secrets", Duration::from_millis(200)));
    check("operation timeout", "kind", error.kind().into_owned(), "timeout".to_string());
    let within = Duration::from_millis(200)..Duration::from_secs(10);
    assert!(within.contains(&bounded), "the 200 ms operation timeout took {bounded:?}");
    eprintln!("150 ms attempts, 3 of them: {attempts_only:?}; 10 s attempts, a 200 ms operation timeout: {bounded:?}");

    // One call's own operation timeout replaces the client's: the error names its limit.
    let error = client.list_secrets().operation_timeout(Duration::from_millis(60)).send().await.unwrap_err();
    assert!(matches!(&error, Error::Timeout { limit, .. } if *limit == Duration::from_millis(60)), "{error:?}");
}

/// The documented bounds every era accepts are kept at `send()`: an argument or a body field
/// outside them is `InvalidRequest` naming it, its value and the bound, and nothing is sent.
#[tokio::test]
async fn a_value_outside_its_documented_bounds_is_refused_and_nothing_is_sent() {
    use baseten_management::types::UpdateAutoscalingSettingsV1;
    let server = Server::start(vec![Reply::json(200, SECRETS)]).await;
    let client = client(&server, quick());
    let logs = client.list_training_project_job_logs().training_project_id("p1").training_job_id("j1");
    let error = logs.limit(5000).send().await.unwrap_err();
    let Error::InvalidRequest { operation, message, .. } = &error else { panic!("{error:?}") };
    check(
        "limit 5000",
        "operation, message",
        (*operation, message.as_str()),
        ("list_training_project_job_logs", "`limit` is 5000, more than its maximum 1000"),
    );
    let error = client.list_deployment_logs().model_id("m1").deployment_id("d1").includes(vec!["x".to_string(); 9]);
    check(
        "9 includes",
        "message",
        error.send().await.unwrap_err().to_string(),
        "list_deployment_logs: nothing was sent: `includes` has 9 items, more than its maximum 8".to_string(),
    );
    let error = client
        .update_deployment_autoscaling_settings()
        .model_id("m1")
        .deployment_id("d1")
        .body_map(|settings| settings.max_scale_down_rate(80u64))
        .send()
        .await
        .unwrap_err();
    check(
        "max_scale_down_rate 80",
        "message",
        error.to_string(),
        "update_deployment_autoscaling_settings: nothing was sent: the body: `max_scale_down_rate` is 80, more than its \
         maximum 50"
            .to_string(),
    );
    let built = UpdateAutoscalingSettingsV1::builder().max_scale_down_rate(50u64);
    assert!(UpdateAutoscalingSettingsV1::try_from(built).is_ok(), "50, at the bound, is inside");
    check("out of bounds", "requests sent", server.requests().len(), 0);
}

/// A value that does not convert to its argument's or field's type is refused with the reason
/// (typify's newtype says which bound; the standard library why a number does not fit).
#[tokio::test]
async fn a_value_that_does_not_convert_is_refused_with_the_reason() {
    let server = Server::start(vec![Reply::json(200, SECRETS)]).await;
    let client = client(&server, quick());
    let logs = client.list_deployment_logs().model_id("m1").deployment_id("d1");
    check(
        "a replica of 300 characters",
        "message",
        logs.replica("g".repeat(300).as_str()).send().await.unwrap_err().to_string(),
        "list_deployment_logs: nothing was sent: `replica`: longer than 256 characters".to_string(),
    );
    let settings = client.update_deployment_autoscaling_settings().model_id("m1").deployment_id("d1");
    check(
        "a rate past i64",
        "message",
        settings.body_map(|settings| settings.max_replica(u64::MAX)).send().await.unwrap_err().to_string(),
        "update_deployment_autoscaling_settings: nothing was sent: the body: `max_replica`: out of range \
         integral type conversion attempted"
            .to_string(),
    );
    check("does not convert", "requests sent", server.requests().len(), 0);
}

#[tokio::test]
async fn a_missing_required_argument_names_its_setter_and_nothing_is_sent() {
    let server = Server::start(vec![Reply::json(200, SECRETS)]).await;
    let client = client(&server, quick());
    let error = client.get_deployment().model_id("m1").send().await.unwrap_err();
    let Error::InvalidRequest { operation, message, .. } = &error else { panic!("{error:?}") };
    check(
        "missing argument",
        "operation, message",
        (*operation, message.as_str()),
        ("get_deployment", "missing required argument `deployment_id`: set it with `.deployment_id(..)`"),
    );
    let error = client.create_api_key().body_map(|body| body.name("ci")).send().await.unwrap_err();
    check(
        "missing body field",
        "message",
        error.to_string(),
        "create_api_key: nothing was sent: the body: missing required field `type_`: set it with `.type_(..)`"
            .to_string(),
    );
    check("missing argument", "requests sent", server.requests().len(), 0);
}
