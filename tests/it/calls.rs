//! The generated client's per-call control and its surface: a timeout and a retry policy for one
//! call, a caller's own `reqwest::Client`, errors that keep the response's status and headers,
//! and where the key may go.

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
        .timeout(Duration::from_secs(30))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let start = Instant::now();
    let error = client.list_secrets().timeout(Duration::from_millis(150)).send().await.unwrap_err();
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
        .timeout(Duration::from_millis(150))
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
        "list_secrets: HTTP 200 OK (text/html; charset=utf-8), but the body is not the documented JSON: expected \
         value at line 1 column 1; the body starts: <!DOCTYPE html> <html><head><title>Sign in to the corporate \
         proxy</title></head><body>Please sign in…; an HTML page, not the API: check the base URL \
         (Baseten's API is https://api.baseten.co) and any proxy between (request id b-123)"
            .to_string(),
    );
    check("HTML page", "request_id", error.request_id(), Some("b-123"));
}
