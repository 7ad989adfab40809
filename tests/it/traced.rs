//! The client's `tracing` output (`src/bin/traced.rs` runs the calls under a recording
//! subscriber): a span per call with OpenTelemetry's HTTP client fields, a retry as an event in
//! its call's span, a wait's polls as events with the status seen.

use crate::check;

#[test]
fn a_span_per_call_with_otel_http_fields_and_retries_as_events() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_traced")).output().expect("run the traced binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "traced failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    // The mock server's port differs from run to run.
    let port = stdout.split("server.port=").nth(1).and_then(|rest| rest.split('\t').next()).unwrap_or("none");
    // How long a wait took differs too.
    let waited = |line: &str| match line.split_once("\twaited_ms=") {
        Some((before, _)) => format!("{before}\twaited_ms=MS"),
        None => line.to_string(),
    };
    let lines: Vec<String> = stdout.lines().map(|line| waited(&line.replace(port, "PORT"))).collect();
    let expected = [
        "span\trequest\tid=1\tbaseten.operation=list_secrets\tbaseten.request_id=req-1\thttp.request.method=GET\t\
         http.request.resend_count=1\thttp.response.status_code=200\totel.kind=client\totel.name=GET /v1/secrets\t\
         server.address=127.0.0.1\tserver.port=PORT\turl.full=http://127.0.0.1:PORT/v1/secrets\turl.template=/v1/secrets",
        "span\trequest\tid=2\tbaseten.operation=get_development_deployment\terror.type=404\thttp.request.method=GET\t\
         http.response.status_code=404\totel.kind=client\totel.name=GET /v1/models/{model_id}/deployments/development\t\
         otel.status_code=ERROR\tserver.address=127.0.0.1\tserver.port=PORT\t\
         url.full=http://127.0.0.1:PORT/v1/models/gone/deployments/development\t\
         url.template=/v1/models/{model_id}/deployments/development",
        "span\trequest\tid=3\tbaseten.operation=get_development_deployment\thttp.request.method=GET\t\
         http.response.status_code=200\totel.kind=client\totel.name=GET /v1/models/{model_id}/deployments/development\t\
         server.address=127.0.0.1\tserver.port=PORT\turl.full=http://127.0.0.1:PORT/v1/models/m1/deployments/development\t\
         url.template=/v1/models/{model_id}/deployments/development",
        "span\trequest\tid=4\tbaseten.operation=get_development_deployment\thttp.request.method=GET\t\
         http.response.status_code=200\totel.kind=client\totel.name=GET /v1/models/{model_id}/deployments/development\t\
         server.address=127.0.0.1\tserver.port=PORT\turl.full=http://127.0.0.1:PORT/v1/models/m1/deployments/development\t\
         url.template=/v1/models/{model_id}/deployments/development",
        "event\tWARN\tbaseten_management::retry\tspan=1\tattempt=2\tmessage=list_secrets (GET \
         http://127.0.0.1:PORT/v1/secrets): 429 Too Many Requests; retrying in 10ms (attempt 2 of 3)\twait_ms=10",
        // A wait's polls, one event each with the status seen.
        "event\tINFO\tbaseten_management\tspan=0\tmessage=status\tresource=development deployment of model m1\t\
         status=BUILDING\twaited_ms=MS",
        "event\tINFO\tbaseten_management\tspan=0\tmessage=status\tresource=development deployment of model m1\t\
         status=ACTIVE\twaited_ms=MS",
    ];
    check("two calls, one retried", "spans and events", lines, expected.map(String::from).to_vec());
}
