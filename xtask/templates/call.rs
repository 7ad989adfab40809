//! One operation call: takes an operation builder's request and its per-call options, gives the
//! response or a [`crate::Error`]; runs the call in a span after OpenTelemetry's HTTP client
//! conventions, its attempts through [`crate::retry`], and reads the body into the documented type.

use std::future::Future;
use std::time::Duration;

use progenitor_client::{ClientInfo, OperationInfo, ResponseValue};
use reqwest::header::HeaderMap;
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument;

use crate::{Client, Error, RetryPolicy};

/// What one call sets for itself, through its builder's `.attempt_timeout(..)`,
/// `.operation_timeout(..)` and `.retry(..)`; unset, the client's settings apply.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallOptions {
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) operation_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
}

/// An operation's method and URL template (`/v1/models/{model_id}`), as its page declares them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Route {
    pub(crate) method: &'static str,
    pub(crate) template: &'static str,
}

// The operation builders name them here; the error module, below this one, defines them.
pub(crate) use crate::error::{Raw, Undecodable};

/// Runs an operation's `send_raw` in its span, within the call's operation timeout (`limit`,
/// else the client's), and turns a failure into [`Error`]. With no subscriber that wants the
/// span, the call runs bare: a call nobody traces pays for no span.
pub(crate) async fn send<T>(
    operation: &'static str,
    client: &Client,
    limit: Option<Duration>,
    call: impl Future<Output = Result<T, Raw>>,
) -> Result<T, Error> {
    let limit = limit.or(client.inner().operation_timeout());
    let span = span(operation);
    if span.is_disabled() {
        return outcome(within(operation, limit, call).await, &span);
    }
    async { outcome(within(operation, limit, call).await, &tracing::Span::current()) }
        .instrument(span)
        .await
}

/// `call`'s result as [`Error`], or [`Error::Timeout`] once `limit` passes; the body of an
/// undocumented answer is read within the limit too.
async fn within<T>(
    operation: &'static str,
    limit: Option<Duration>,
    call: impl Future<Output = Result<T, Raw>>,
) -> Result<T, Error> {
    let answered = async {
        match call.await {
            Ok(value) => Ok(value),
            Err(raw) => Err(Error::from_raw(raw, operation).await),
        }
    };
    match limit {
        None => answered.await,
        Some(limit) => tokio::time::timeout(limit, answered).await.unwrap_or(Err(Error::Timeout { operation, limit })),
    }
}

/// The call's result, a failure recorded on its span.
fn outcome<T>(result: Result<T, Error>, span: &tracing::Span) -> Result<T, Error> {
    let error = match result {
        Ok(value) => return Ok(value),
        Err(error) => error,
    };
    span.record("error.type", error.kind().as_ref());
    span.record("otel.status_code", "ERROR");
    if let Some(id) = error.request_id() {
        span.record("baseten.request_id", id);
    }
    Err(error)
}

/// The span of one call; fields after OpenTelemetry's HTTP client semantic conventions, the
/// ones known later recorded as they become known.
fn span(operation: &'static str) -> tracing::Span {
    tracing::info_span!(
        target: "baseten_management",
        "request",
        otel.name = %format_args!("{} {}", route(operation).method, route(operation).template),
        otel.kind = "client",
        otel.status_code = tracing::field::Empty,
        baseten.operation = operation,
        http.request.method = route(operation).method,
        url.template = route(operation).template,
        url.full = tracing::field::Empty,
        server.address = tracing::field::Empty,
        server.port = tracing::field::Empty,
        http.request.resend_count = tracing::field::Empty,
        http.response.status_code = tracing::field::Empty,
        baseten.request_id = tracing::field::Empty,
        error.type = tracing::field::Empty,
    )
}

fn route(operation: &str) -> Route {
    crate::api::route(operation).unwrap_or(Route { method: "_OTHER", template: "" })
}

/// Sends `request` for `info`'s operation, with `options` over the client's settings: the
/// attempts, the waits between them, the last response (whatever its status).
pub(crate) async fn exec(
    client: &Client,
    mut request: Request,
    info: &OperationInfo,
    options: &CallOptions,
) -> reqwest::Result<Response> {
    let config = client.inner();
    if let Some(timeout) = options.attempt_timeout.or(config.attempt_timeout()) {
        *request.timeout_mut() = Some(timeout);
    }
    let span = tracing::Span::current();
    if !span.is_disabled() {
        let url = request.url();
        span.record("url.full", url.as_str());
        if let Some(host) = url.host_str() {
            span.record("server.address", host);
        }
        if let Some(port) = url.port_or_known_default() {
            span.record("server.port", port);
        }
    }
    let policy = options.retry.as_ref().unwrap_or(config.retry_policy());
    let result = crate::retry::execute(client.client(), policy, request, info.operation_id).await;
    if let (false, Ok(response)) = (span.is_disabled(), &result) {
        span.record("http.response.status_code", response.status().as_u16());
        if let Some(id) = crate::error::request_id(response.headers()) {
            span.record("baseten.request_id", id);
        }
    }
    result
}

/// The documented body of a `response` whose status the operation documents; an
/// [`Undecodable`] (with the status and headers) when it is not that.
pub(crate) async fn decode<T: serde::de::DeserializeOwned>(response: Response) -> Result<ResponseValue<T>, Raw> {
    let status: StatusCode = response.status();
    let headers: HeaderMap = response.headers().clone();
    let body = response.bytes().await.map_err(Raw::ResponseBodyError)?;
    match serde_json::from_slice(&body) {
        Ok(value) => Ok(ResponseValue::new(value, status, headers)),
        Err(source) => Err(Raw::ErrorResponse(ResponseValue::new(Undecodable { body, source }, status, headers))),
    }
}
