//! The generated client against live local servers: auth, retries, timeouts, errors, forward
//! compatibility, and the typed httpmock extensions of the `mock` feature.

use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use baseten_management::types::{DeploymentStatusV1, DeploymentV1};
use baseten_management::{AuthScheme, Client, Error, RetryPolicy, StatusCode};

use crate::check;
use crate::server::{Reply, Server};

pub(crate) const KEY: &str = "sk-test-0123456789";

pub(crate) fn client(server: &Server, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(&server.url)
        .api_key(KEY)
        .retry(policy)
        .build()
        .expect("a valid configuration")
}

/// Fast backoff, so tests that retry 5xx do not wait long.
pub(crate) fn quick() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
}

pub(crate) const SECRETS: &str =
    r#"{"secrets": [{"created_at": "2026-01-02T03:04:05Z", "name": "hf_token", "team_name": "ml"}]}"#;

fn deployment(status: &str) -> String {
    serde_json::json!({
        "id": "d1", "created_at": "2026-01-02T03:04:05Z", "name": "dev", "model_id": "m1",
        "is_production": false, "is_development": true, "status": status, "active_replica_count": 1,
        "autoscaling_settings": null, "instance_type_name": "L4", "environment": null,
    })
    .to_string()
}

fn methods_and_paths(server: &Server) -> Vec<String> {
    server.requests().iter().map(|r| format!("{} {}", r.method, r.path)).collect()
}

#[tokio::test]
async fn each_operation_sends_the_key_in_its_pages_scheme() {
    let server = Server::start(vec![Reply::json(200, SECRETS)]).await;
    client(&server, RetryPolicy::default()).list_secrets().send().await.expect("list_secrets");
    Client::builder()
        .base_url(&server.url)
        .api_key(KEY)
        .auth_scheme(AuthScheme::ApiKey)
        .build()
        .unwrap()
        .list_secrets()
        .send()
        .await
        .expect("list_secrets with Api-Key");
    Client::builder()
        .base_url(&server.url)
        .build()
        .unwrap()
        .list_secrets()
        .send()
        .await
        .expect("no key");

    let seen: Vec<Option<String>> =
        server.requests().iter().map(|r| r.header("authorization").map(str::to_string)).collect();
    check(
        "list_secrets (ApiKeyAuth on its page, BearerAuth on newer pages)",
        "Authorization headers: the one credential, forced Api-Key, no key",
        seen,
        vec![Some(format!("Bearer {KEY}")), Some(format!("Api-Key {KEY}")), None],
    );
    let agent = server.requests()[0].header("user-agent").map(str::to_string);
    check(
        "list_secrets",
        "User-Agent",
        agent,
        Some(format!("baseten-management/{}", xtask::Previous::read(&crate::repo_root()).version.unwrap())),
    );
}

#[test]
fn pages_declaring_bearer_auth_make_every_operation_send_bearer() {
    // spec/ holds pages of both auth eras: the older pages' `ApiKeyAuth` (an apiKey in
    // `Authorization`) accepts `Bearer <key>` too, so every operation sends it (ARCHITECTURE.md, "One
    // credential"); here with every Bearer page but one dropped.
    let mut bearer_pages = 0;
    let pages: Vec<xtask::Page> = crate::spec_pages()
        .into_iter()
        .filter(|page| {
            let bearer = page.text.contains("scheme: bearer");
            bearer_pages += usize::from(bearer);
            !bearer || page.path.ends_with("billing/gets-billing-usage-summary-for-a-date-range.md")
        })
        .collect();
    assert!(bearer_pages > 1, "spec/ has {bearer_pages} pages declaring `BearerAuth`");
    let run = crate::build(&pages).unwrap_or_else(|e| panic!("spec/ with one Bearer page does not build:\n{e}"));
    let api = &run.files["src/api.rs"];
    for (operation, scheme) in
        [("list_secrets", "Bearer"), ("list_models", "Bearer"), ("get_billing_usage_summary", "Bearer")]
    {
        let arm = format!("\"{operation}\" => Some(crate::AuthScheme::{scheme}),");
        assert!(api.contains(&arm), "src/api.rs lacks `{arm}`; its auth table:\n{}", table(api));
    }
}

fn table(api: &str) -> &str {
    api.find("fn auth_scheme").map_or(api, |at| &api[at..])
}

#[test]
fn from_env_reads_the_key_and_names_the_variable_when_it_is_missing() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = runtime.block_on(Server::start(vec![Reply::json(200, SECRETS)]));
    let run = |key: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_from-env"));
        command.env("BASETEN_BASE_URL", &server.url).env_remove("BASETEN_API_KEY");
        if let Some(key) = key {
            command.env("BASETEN_API_KEY", key);
        }
        // The child's request needs the server's task to run meanwhile.
        let output = runtime.block_on(async { tokio::task::spawn_blocking(move || command.output()).await });
        let output = output.unwrap().expect("run the from-env binary");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).trim().to_string(),
            String::from_utf8_lossy(&output.stderr).trim().to_string(),
        )
    };

    let (ok, stdout, _) = run(Some(KEY));
    check("from_env with the key set", "outcome", (ok, stdout.as_str()), (true, "1 secrets"));
    let sent = server.requests().last().and_then(|r| r.header("authorization").map(str::to_string));
    check("from_env with the key set", "Authorization", sent, Some(format!("Bearer {KEY}")));

    let (ok, _, stderr) = run(None);
    assert!(!ok && stderr.contains("BASETEN_API_KEY is not set"), "unset: {stderr}");
    let (ok, _, stderr) = run(Some("  "));
    assert!(!ok && stderr.contains("BASETEN_API_KEY is set but empty"), "empty: {stderr}");
    check("from_env", "requests the failing runs made", server.requests().len(), 1);
}

#[tokio::test]
async fn a_429_waits_for_retry_after_then_succeeds() {
    logs();
    let limited = r#"{"error": "Rate limit exceeded. Please try again later.", "retry_after": 1}"#;
    let server = Server::start(vec![Reply::json(429, limited), Reply::json(200, SECRETS)]).await;
    let secrets = client(&server, RetryPolicy::default()).list_secrets().send().await.expect("retried into success");
    check("429 then 200", "secrets", secrets.secrets.len(), 1);
    let requests = server.requests();
    check("429 then 200", "attempts", requests.len(), 2);
    let gap = requests[1].at - requests[0].at;
    assert!(gap >= Duration::from_secs(1), "the retry came {gap:?} after the 429, before its retry_after of 1 s");
    let lines = logged(&server.url);
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("WARN list_secrets (GET ")
                && line.contains("429 Too Many Requests; retrying in")),
        "{lines:?}"
    );
}

#[tokio::test]
async fn a_429_is_retried_for_post_too() {
    let server = Server::start(vec![
        Reply::Json(429, vec![("retry-after", "0".into())], r#"{"error": "slow down"}"#.into()),
        Reply::json(200, r#"{"success": true}"#),
    ])
    .await;
    let activated = client(&server, RetryPolicy::default())
        .activate_development_deployment()
        .model_id("m1")
        .send()
        .await;
    assert!(activated.expect("retried").success);
    check("POST 429 then 200", "requests", methods_and_paths(&server).len(), 2);
}

#[tokio::test]
async fn a_post_that_gets_503_is_not_retried() {
    let server =
        Server::start(vec![Reply::json(503, r#"{"error": "unavailable"}"#), Reply::json(200, r#"{"success": true}"#)])
            .await;
    let error = client(&server, quick()).activate_development_deployment().model_id("m1").send().await.unwrap_err();
    check("POST 503", "status", error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    check(
        "POST 503",
        "requests",
        methods_and_paths(&server),
        vec!["POST /v1/models/m1/deployments/development/activate".to_string()],
    );
}

#[tokio::test]
async fn a_get_that_keeps_getting_503_fails_after_the_configured_attempts() {
    for attempts in [3, 2, 1] {
        let server = Server::start(vec![Reply::json(503, r#"{"error": "unavailable"}"#)]).await;
        let error = client(&server, quick().max_attempts(attempts)).list_secrets().send().await.unwrap_err();
        check("GET 503 forever", "status", error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        check(
            "GET 503 forever",
            &format!("requests with max_attempts({attempts})"),
            server.requests().len(),
            attempts as usize,
        );
    }
    let server =
        Server::start(vec![Reply::json(502, "bad gateway"), Reply::json(504, ""), Reply::json(200, SECRETS)]).await;
    client(&server, quick()).list_secrets().send().await.expect("502, 504, then 200");
    check("GET 502, 504, 200", "requests", server.requests().len(), 3);
    let server = Server::start(vec![Reply::json(503, "")]).await;
    client(&server, RetryPolicy::disabled()).list_secrets().send().await.unwrap_err();
    check("retries disabled", "requests", server.requests().len(), 1);
}

#[tokio::test]
async fn connection_errors_are_retried_for_get_not_for_post() {
    let server = Server::start(vec![Reply::Hangup, Reply::json(200, SECRETS)]).await;
    client(&server, quick()).list_secrets().send().await.expect("GET retried after a hang-up");
    check("GET after a hang-up", "requests", server.requests().len(), 2);

    let server = Server::start(vec![Reply::Hangup, Reply::json(200, r#"{"success": true}"#)]).await;
    let error = client(&server, quick()).activate_development_deployment().model_id("m1").send().await.unwrap_err();
    assert!(matches!(error, Error::Transport { operation: "activate_development_deployment", .. }), "{error:?}");
    check("POST after a hang-up", "requests", server.requests().len(), 1);
}

#[tokio::test]
async fn no_retry_starts_past_the_cap_on_total_wait() {
    let limited = r#"{"error": "Rate limit exceeded. Please try again later.", "retry_after": 37}"#;
    let server = Server::start(vec![Reply::json(429, limited), Reply::json(200, SECRETS)]).await;
    let started = Instant::now();
    let policy = RetryPolicy::default().max_total_wait(Duration::from_secs(5));
    let error = client(&server, policy).list_secrets().send().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "waited {:?} in all, past the 5 s cap", started.elapsed());
    check("429 with retry_after 37, cap 5 s", "requests", server.requests().len(), 1);
    check("429 with retry_after 37, cap 5 s", "retry_after", error.retry_after(), Some(Duration::from_secs(37)));
    assert!(error.is_rate_limited());
    check(
        "429 with retry_after 37, cap 5 s",
        "Display",
        error.to_string(),
        "list_secrets: HTTP 429 Too Many Requests: Rate limit exceeded. Please try again later. (retry after 37 s)"
            .to_string(),
    );

    // Backoffs count against the cap too: 400 ms, then 800 ms would pass 1 s.
    let server = Server::start(vec![Reply::json(503, "")]).await;
    let policy = RetryPolicy::default()
        .max_attempts(10)
        .initial_backoff(Duration::from_millis(800))
        .max_total_wait(Duration::from_secs(1));
    client(&server, policy).list_secrets().send().await.unwrap_err();
    // 400..800 ms, then 800..1600 ms: the second backoff always passes the 1 s cap.
    check("503 forever, cap 1 s", "requests", server.requests().len(), 2);
}

#[tokio::test]
async fn an_error_carries_status_body_and_the_servers_message() {
    let server = Server::start(vec![Reply::json(404, r#"{"error": "Model m9 not found"}"#)]).await;
    let error = client(&server, RetryPolicy::default())
        .get_development_deployment()
        .model_id("m9")
        .send()
        .await
        .unwrap_err();
    let Error::Api { operation, status, message, retry_after, body, .. } = &error else {
        panic!("not an Api error: {error:?}")
    };
    check(
        "404",
        "fields",
        (*operation, *status, message.as_deref(), *retry_after),
        ("get_development_deployment", StatusCode::NOT_FOUND, Some("Model m9 not found"), None),
    );
    check("404", "body", body.as_str(), r#"{"error": "Model m9 not found"}"#);
    check(
        "404",
        "Display",
        error.to_string(),
        "get_development_deployment: HTTP 404 Not Found: Model m9 not found; check the ids in the request".to_string(),
    );

    // A 404 in another body (a mock server's, a proxy's) is no missing id: it says what came back.
    let server = Server::start(vec![Reply::json(404, "Request did not match any route or mock")]).await;
    let error = client(&server, RetryPolicy::default()).get_model().model_id("m9").send().await.unwrap_err();
    check(
        "404 not Baseten's",
        "Display",
        error.to_string(),
        "get_model: HTTP 404 Not Found: Request did not match any route or mock; not Baseten's error body: the \
         request reached no route of the API (check the base URL, a proxy between, or a mock's matchers)"
            .to_string(),
    );

    let server = Server::start(vec![Reply::json(500, "<html>\n  internal\n  error\n</html>")]).await;
    let error = client(&server, RetryPolicy::default()).list_secrets().send().await.unwrap_err();
    check(
        "500 with HTML",
        "Display",
        error.to_string(),
        "list_secrets: HTTP 500 Internal Server Error: <html> internal error </html>".to_string(),
    );
}

#[tokio::test]
async fn neither_debug_nor_errors_show_the_key() {
    let server = Server::start(vec![Reply::json(401, r#"{"error": "Invalid API key"}"#), Reply::Hangup]).await;
    let client = client(&server, RetryPolicy::disabled());
    let debug = format!("{client:?} {:?}", Client::builder().api_key(KEY));
    assert!(!debug.contains(KEY) && !debug.contains("0123456789"), "Debug shows the key: {debug}");
    assert!(debug.contains("<redacted>"), "Debug should say a key is set: {debug}");
    for error in [client.list_secrets().send().await.unwrap_err(), client.list_secrets().send().await.unwrap_err()] {
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("0123456789"), "an error shows the key: {shown}");
    }
}

#[tokio::test]
async fn unknown_enum_values_and_unknown_fields_deserialize() {
    let mut body: serde_json::Value = serde_json::from_str(&deployment("HIBERNATING")).unwrap();
    body["future_field"] = "us-east-4".into();
    body["autoscaling_settings"] = serde_json::json!({"min_replica": 0, "max_replica": 1, "future_knob": true,
        "autoscaling_window": 60, "scale_down_delay": 900, "concurrency_target": 1, "target_utilization_percentage": 70});
    let server = Server::start(vec![Reply::json(200, body.to_string())]).await;
    let deployment = client(&server, RetryPolicy::default()).get_development_deployment().model_id("m1").send().await;
    let deployment = deployment.expect("an unknown status and unknown fields deserialize");
    check("HIBERNATING", "status", &deployment.status, &DeploymentStatusV1::Unknown("HIBERNATING".into()));
    check("HIBERNATING", "as_str", deployment.status.as_str(), "HIBERNATING");
    let back = serde_json::to_value(&deployment.status).unwrap();
    check("HIBERNATING", "serialized", back, serde_json::json!("HIBERNATING"));
}

#[test]
fn known_enum_values_map_to_variants_and_round_trip() {
    for known in DeploymentStatusV1::KNOWN {
        let json = serde_json::to_string(known).unwrap();
        let back: DeploymentStatusV1 = serde_json::from_str(&json).unwrap();
        check(&json, "round trip", &back, known);
        assert!(!back.is_unknown(), "{json} is listed, so not Unknown");
    }
    let parsed: DeploymentV1 = serde_json::from_str(&deployment("SCALED_TO_ZERO")).unwrap();
    check("SCALED_TO_ZERO", "variant", parsed.status, DeploymentStatusV1::ScaledToZero);
    check("WAKING_UP", "FromStr", "WAKING_UP".parse::<DeploymentStatusV1>(), Ok(DeploymentStatusV1::WakingUp));
}

#[tokio::test]
async fn a_truncated_or_malformed_body_is_an_error_naming_the_operation() {
    let server =
        Server::start(vec![Reply::json(200, r#"{"secrets": [{"created_at": "2026-01-02T03:04:05Z", "na"#)]).await;
    let error = client(&server, RetryPolicy::default()).list_secrets().send().await.unwrap_err();
    assert!(matches!(error, Error::Decode { operation: "list_secrets", .. }), "{error:?}");
    check(
        "truncated JSON",
        "Display",
        error.to_string(),
        "list_secrets: HTTP 200 OK (application/json), but the body is not the documented JSON; the body starts: \
         {\"secrets\": [{\"created_at\": \"2026-01-02T03:04:05Z\", \"na"
            .to_string(),
    );
    let cause = std::error::Error::source(&error).map(ToString::to_string);
    check("truncated JSON", "source", cause.as_deref(), Some("EOF while parsing a string at line 1 column 55"));

    let server = Server::start(vec![Reply::json(200, r#"{"secrets": "none"}"#)]).await;
    let error = client(&server, RetryPolicy::default()).list_secrets().send().await.unwrap_err();
    assert!(matches!(error, Error::Decode { operation: "list_secrets", .. }), "{error:?}");

    // The connection closes before the announced length arrives.
    let server = Server::start(vec![Reply::Truncated { announced: 500, body: SECRETS[..40].to_string() }]).await;
    let error = client(&server, RetryPolicy::disabled()).list_secrets().send().await.unwrap_err();
    assert!(matches!(error, Error::Transport { operation: "list_secrets", .. }), "{error:?}");
    check("truncated body", "Display", error.to_string(), "list_secrets: no usable response".to_string());
}

#[tokio::test]
async fn a_slow_server_hits_the_request_timeout() {
    let (url, _hold) = crate::server::silent().await;
    let client = Client::builder()
        .base_url(&url)
        .api_key(KEY)
        .attempt_timeout(Duration::from_millis(200))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = client.list_secrets().send().await.unwrap_err();
    let Error::Transport { source, .. } = &error else { panic!("not a transport error: {error:?}") };
    assert!(source.is_timeout(), "{error}");
}

#[test]
fn a_bad_configuration_is_an_error() {
    for (builder, expected) in [
        (Client::builder().base_url("api.baseten.co"), "the base URL \"api.baseten.co\" is not an http(s) URL"),
        (Client::builder().api_key("line\nbreak"), "the API key contains characters a header cannot carry"),
    ] {
        let error = builder.build().unwrap_err();
        check("configuration", "error", error.to_string(), format!("cannot build the Baseten client: {expected}"));
    }
    check(
        "default",
        "base URL",
        Client::with_api_key(KEY).unwrap().base_url().to_string(),
        "https://api.baseten.co".to_string(),
    );
}

#[tokio::test]
async fn typed_mocks_for_downstream_tests() {
    use baseten_management::mock::MockServerExt;
    use baseten_management::types::{SecretV1, SecretsV1};

    // httpmock as the crate re-exports it: a downstream test needs no dependency of its own.
    let server = baseten_management::mock::MockServer::start_async().await;
    // The types are `#[non_exhaustive]`: a downstream fixture goes through the builders.
    let secret: SecretV1 = SecretV1::builder()
        .created_at(
            "2026-01-02T03:04:05Z"
                .parse::<baseten_management::chrono::DateTime<baseten_management::chrono::Utc>>()
                .unwrap(),
        )
        .name("hf_token")
        .team_name("ml")
        .try_into()
        .unwrap();
    let secrets: SecretsV1 = SecretsV1::builder().secrets(vec![secret]).try_into().unwrap();
    let listed = server.list_secrets(|when, then| {
        when.into_inner().header("authorization", format!("Bearer {KEY}"));
        then.ok(&secrets);
    });
    let deleted = server.delete_model(|when, then| {
        when.model_id("m1");
        then.into_inner().status(404).json_body(serde_json::json!({"error": "no model m1"}));
    });
    let client = Client::builder().base_url(server.base_url()).api_key(KEY).build().unwrap();
    let got = client.list_secrets().send().await.expect("the mocked list");
    let json = |value: &SecretsV1| serde_json::to_value(value).unwrap();
    check("mock", "secrets", json(&got), json(&secrets));
    let error = client.delete_model().model_id("m1").send().await.unwrap_err();
    check(
        "mock",
        "delete_model error",
        error.to_string(),
        "delete_model: HTTP 404 Not Found: no model m1; check the ids in the request".to_string(),
    );
    listed.assert_async().await;
    deleted.assert_async().await;
}

/// Retry log lines that mention `url`.
fn logged(url: &str) -> Vec<String> {
    logs().0.lock().unwrap().iter().filter(|line| line.contains(url)).cloned().collect()
}

struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target().starts_with("baseten_management")
    }
    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            self.0.lock().unwrap().push(format!("{} {}", record.level(), record.args()));
        }
    }
    fn flush(&self) {}
}

/// The logger, installed once for the whole binary; call it before the code that logs.
fn logs() -> &'static Capture {
    static CAPTURE: OnceLock<&'static Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture: &'static Capture = Box::leak(Box::new(Capture(Mutex::new(Vec::new()))));
        log::set_logger(capture).expect("no other logger in this binary");
        log::set_max_level(log::LevelFilter::Warn);
        capture
    })
}

#[tokio::test]
async fn a_chains_environments_decode_though_the_docs_declare_model_ones() {
    // The docs erratum (ARCHITECTURE.md, "Docs errata"): the page declares `EnvironmentsV1`, whose items
    // require a `model_id`; Baseten answers chain environments.
    let body = r#"{"environments": [{"name": "production", "created_at": "2026-01-02T03:04:05Z", "chain_id": "c1",
        "promotion_settings": {}, "chainlet_settings": [], "current_deployment": null}]}"#;
    let server = Server::start(vec![Reply::json(200, body)]).await;
    let listed = client(&server, RetryPolicy::default()).list_chain_environments().chain_id("c1").send().await;
    let listed = listed.expect("a chain's environments decode");
    let chain_ids: Vec<Option<&str>> = listed
        .environments
        .iter()
        .map(|item| match item {
            baseten_management::types::ChainOrModelEnvironmentV1::ChainEnvironmentV1(env) => {
                Some(env.chain_id.as_str())
            }
            _ => None,
        })
        .collect();
    check("list_chain_environments", "chain ids read as chain environments", chain_ids, vec![Some("c1")]);
}
