//! The one error type every operation returns: what went wrong, for which operation, and what
//! the server said.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};

/// A documented status whose body is not the documented type: the body and serde's account,
/// carried to [`Error::from_raw`] in progenitor's error with the status and headers.
#[derive(Debug)]
pub(crate) struct Undecodable {
    pub(crate) body: bytes::Bytes,
    pub(crate) source: serde_json::Error,
}

/// progenitor's error as the rewritten `send_raw` returns it.
pub(crate) type Raw = progenitor_client::Error<Undecodable>;

/// Everything that can go wrong building a client or calling an operation.
///
/// `Display` is one line naming the operation, the HTTP status and the server's message (and
/// the request id, when the server sent one), so a log line or an `anyhow` chain says what to
/// fix. A cause (reqwest's error, serde's) is not repeated in it but given by
/// [`source()`](std::error::Error::source): print the chain (`{:#}` with `anyhow`) to see it.
/// The API key never appears in it. Variants may gain fields: match them with `..`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be built: a missing or empty `BASETEN_API_KEY`, an API key that
    /// cannot go in a header, a base URL that does not parse.
    #[non_exhaustive]
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// An argument (or a body field) is missing, does not convert to its type, or is outside the
    /// bounds the API reference gives it (a `limit` over 1000, a list of too many items): nothing
    /// was sent. The message names the argument, and for a bound its value and the bound.
    #[non_exhaustive]
    InvalidRequest {
        /// The operation, as named in this crate (`get_development_deployment`).
        operation: &'static str,
        /// Which argument, and why.
        message: String,
    },
    /// No usable response: the connection failed, timed out, or broke off mid-body (after any
    /// retries the policy allowed).
    #[non_exhaustive]
    Transport {
        /// The operation, as named in this crate.
        operation: &'static str,
        /// reqwest's account of the failure.
        source: reqwest::Error,
    },
    /// The call's operation timeout ([`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout)
    /// or the call's own) passed before an answer: every attempt and every wait between them
    /// count.
    #[non_exhaustive]
    Timeout {
        /// The operation, as named in this crate.
        operation: &'static str,
        /// The limit that passed.
        limit: Duration,
    },
    /// A paginated list's `.stream()` was given a cursor (or page token) an earlier page gave:
    /// a server that would send the same pages forever. The items before it were yielded.
    #[non_exhaustive]
    RepeatedCursor {
        /// The operation, as named in this crate.
        operation: &'static str,
        /// The cursor given twice.
        cursor: String,
    },
    /// A logs operation's `.stream()` or `.follow()` met more lines in one millisecond than one
    /// request may ask for (`limit`, at most 1000): the time window cannot be narrowed past a
    /// millisecond, so the lines after the first `limit` cannot be read. The lines before them
    /// were yielded; ask again with `start_epoch_millis` one millisecond later to go on.
    #[non_exhaustive]
    CrowdedMillisecond {
        /// The operation, as named in this crate.
        operation: &'static str,
        /// The millisecond, in epoch milliseconds.
        millisecond: i64,
        /// The most lines one request asked for.
        limit: u64,
    },
    /// A log line whose `timestamp` is not epoch nanoseconds: the stream cannot place it in time.
    #[non_exhaustive]
    InvalidLogLine {
        /// The operation, as named in this crate.
        operation: &'static str,
        /// The timestamp as the server sent it.
        timestamp: String,
    },
    /// The server answered with a status the operation does not document (a 4xx or 5xx, or a
    /// 429 the retry policy gave up on).
    #[non_exhaustive]
    Api {
        /// The operation, as named in this crate.
        operation: &'static str,
        /// The HTTP status.
        status: StatusCode,
        /// The response's headers ([`Error::request_id`] reads the request id among them); boxed,
        /// so the error stays small on the happy path's stack.
        headers: Box<HeaderMap>,
        /// The `error` field of a `{"error": ..., "retry_after": ...}` body, when there is one.
        message: Option<String>,
        /// The server's `retry_after` (body) or `Retry-After` (header), when there is one.
        retry_after: Option<Duration>,
        /// The response body, as text.
        body: String,
    },
    /// The status was a success but the body is not what the operation documents: malformed,
    /// truncated, or of the wrong shape.
    #[non_exhaustive]
    Decode {
        /// The operation, as named in this crate.
        operation: &'static str,
        /// The HTTP status, one the operation documents.
        status: StatusCode,
        /// The response's headers.
        headers: Box<HeaderMap>,
        /// The body as received (lossily decoded as UTF-8).
        body: String,
        /// Where and why decoding failed.
        source: serde_json::Error,
    },
}

impl Error {
    /// The operation that failed; `None` for [`Error::Config`].
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Config { .. } => None,
            Error::InvalidRequest { operation, .. }
            | Error::Transport { operation, .. }
            | Error::Timeout { operation, .. }
            | Error::RepeatedCursor { operation, .. }
            | Error::CrowdedMillisecond { operation, .. }
            | Error::InvalidLogLine { operation, .. }
            | Error::Api { operation, .. }
            | Error::Decode { operation, .. } => Some(operation),
        }
    }

    /// The HTTP status of an [`Error::Api`] or [`Error::Decode`] (or of a transport error that
    /// has one).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } | Error::Decode { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// How long the server asked to wait before trying again (a 429's `retry_after`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The response's headers, for an error that has a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api { headers, .. } | Error::Decode { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// The id the server gave the request (`x-request-id` and the like), for a support ticket
    /// or a search in the server's logs; `None` when it sent none.
    pub fn request_id(&self) -> Option<&str> {
        request_id(self.headers()?)
    }

    /// A short, stable name for what went wrong, as OpenTelemetry's `error.type` wants it: the
    /// HTTP status code, `timeout`, `connect`, `decode`, ...
    pub fn kind(&self) -> std::borrow::Cow<'static, str> {
        match self {
            Error::Config { .. } => "config".into(),
            Error::InvalidRequest { .. } => "invalid_request".into(),
            Error::Transport { source, .. } if source.is_timeout() => "timeout".into(),
            Error::Transport { source, .. } if source.is_connect() => "connect".into(),
            Error::Transport { .. } => "transport".into(),
            Error::Timeout { .. } => "timeout".into(),
            Error::RepeatedCursor { .. } => "repeated_cursor".into(),
            Error::CrowdedMillisecond { .. } => "crowded_millisecond".into(),
            Error::InvalidLogLine { .. } => "invalid_log_line".into(),
            Error::Api { status, .. } => status.as_str().to_string().into(),
            Error::Decode { .. } => "decode".into(),
        }
    }

    /// Whether this is a `429 Too Many Requests`.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::Config { message: message.into() }
    }

    /// Turns progenitor's error into ours; reads the body of an undocumented response, so the
    /// error carries what the server said.
    pub(crate) async fn from_raw(raw: Raw, operation: &'static str) -> Error {
        use progenitor_client::Error as Raw;
        match raw {
            Raw::InvalidRequest(message) | Raw::Custom(message) => Error::InvalidRequest { operation, message },
            Raw::CommunicationError(source) | Raw::InvalidUpgrade(source) | Raw::ResponseBodyError(source) => {
                Error::Transport { operation, source }
            }
            Raw::ErrorResponse(value) => {
                let (status, headers) = (value.status(), Box::new(value.headers().clone()));
                let Undecodable { body, source } = value.into_inner();
                Error::Decode {
                    operation,
                    status,
                    headers,
                    body: String::from_utf8_lossy(&body).into_owned(),
                    source,
                }
            }
            // Not from `crate::call::decode`, which reports a body that does not decode as above.
            Raw::InvalidResponsePayload(body, source) => Error::Decode {
                operation,
                status: StatusCode::OK,
                headers: Box::default(),
                body: String::from_utf8_lossy(&body).into_owned(),
                source,
            },
            Raw::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = Box::new(response.headers().clone());
                let header_retry = crate::retry::retry_after_header(&headers);
                match response.bytes().await {
                    Ok(bytes) => {
                        let shape = crate::retry::ErrorBody::parse(&bytes);
                        Error::Api {
                            operation,
                            status,
                            headers,
                            message: shape.error,
                            retry_after: shape.retry_after.or(header_retry),
                            body: String::from_utf8_lossy(&bytes).into_owned(),
                        }
                    }
                    Err(source) => Error::Transport { operation, source },
                }
            }
        }
    }
}

/// The headers servers and proxies put a request id in, most specific first.
const REQUEST_ID_HEADERS: &[&str] =
    &["x-baseten-request-id", "x-request-id", "request-id", "x-amzn-requestid", "x-amz-request-id", "x-correlation-id"];

/// The first request id among `headers`.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS
        .iter()
        .find_map(|name| headers.get(*name)?.to_str().ok())
        .filter(|id| !id.is_empty())
}

/// At most this many characters of a body go into `Display`; the whole body stays in the error.
const BODY_IN_DISPLAY: usize = 200;
/// A body that does not decode is shown shorter: its start says what it is.
const BODY_IN_DECODE: usize = 100;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Config { message } => write!(f, "cannot build the Baseten client: {message}"),
            Error::InvalidRequest { operation, message } => write!(f, "{operation}: nothing was sent: {message}"),
            // The cause is `source()`'s, not repeated here: an `anyhow` chain or a reporter
            // prints each link once (the Rust API guidelines' rule).
            Error::Transport { operation, source } => {
                let what = match () {
                    _ if source.is_timeout() => "timed out",
                    _ if source.is_connect() => "could not connect",
                    _ => "no usable response",
                };
                write!(f, "{operation}: {what}")
            }
            Error::Timeout { operation, limit } => write!(
                f,
                "{operation}: no answer within the operation timeout of {} s, retries and their waits included",
                limit.as_secs_f64()
            ),
            Error::RepeatedCursor { operation, cursor } => write!(
                f,
                "{operation}: the server gave the cursor {cursor:?} a second time: the stream ends here, not in a loop"
            ),
            Error::CrowdedMillisecond { operation, millisecond, limit } => write!(
                f,
                "{operation}: more than {limit} log lines at the millisecond {millisecond}, more than one request can \
                 read: the lines after the first {limit} cannot be read (ask from {} to go on)",
                millisecond + 1
            ),
            Error::InvalidLogLine { operation, timestamp } => {
                write!(f, "{operation}: a log line's timestamp {timestamp:?} is not epoch nanoseconds")
            }
            Error::Api { operation, status, message, retry_after, body, headers } => {
                write!(f, "{operation}: HTTP {status}")?;
                match message {
                    Some(message) => write!(f, ": {message}")?,
                    None if body.trim().is_empty() => f.write_str(" (empty body)")?,
                    None => write!(f, ": {}", one_line(body, BODY_IN_DISPLAY))?,
                }
                if let Some(wait) = retry_after {
                    write!(f, " (retry after {} s)", wait.as_secs_f64())?;
                }
                if let Some(hint) = hint(*status, message.is_some()) {
                    write!(f, "; {hint}")?;
                }
                with_request_id(f, headers)
            }
            // serde's account of where decoding failed is `source()`'s.
            Error::Decode { operation, status, headers, body, .. } => {
                let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("no content type");
                write!(f, "{operation}: HTTP {status} ({content_type}), but the body is not the documented JSON")?;
                match body.trim() {
                    "" => f.write_str("; the body is empty")?,
                    text => write!(f, "; the body starts: {}", one_line(text, BODY_IN_DECODE))?,
                }
                if looks_like_html(content_type, body) {
                    f.write_str(
                        "; an HTML page, not the API: check the base URL (Baseten's API is https://api.baseten.co) \
                         and any proxy between",
                    )?;
                }
                with_request_id(f, headers)
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            Error::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// ` (request id ...)` when the server sent one.
fn with_request_id(f: &mut fmt::Formatter<'_>, headers: &HeaderMap) -> fmt::Result {
    match request_id(headers) {
        Some(id) => write!(f, " (request id {id})"),
        None => Ok(()),
    }
}

fn looks_like_html(content_type: &str, body: &str) -> bool {
    let start = body.trim_start().chars().take(15).collect::<String>().to_ascii_lowercase();
    content_type.starts_with("text/html") || start.starts_with("<!doctype html") || start.starts_with("<html")
}

/// What to check, for a status that says; `baseten_error` is whether the body is Baseten's own
/// `{"error": ..}`: a 404 in another body (a proxy's page, a mock server's "no route matched") is
/// not about the ids.
fn hint(status: StatusCode, baseten_error: bool) -> Option<&'static str> {
    match status.as_u16() {
        401 => Some("check the API key (BASETEN_API_KEY)"),
        403 => Some("the API key lacks the permission this operation needs"),
        404 if baseten_error => Some("check the ids in the request"),
        404 => Some(
            "not Baseten's error body: the request reached no route of the API (check the base URL, a proxy \
             between, or a mock's matchers)",
        ),
        _ => None,
    }
}

/// The first `max` characters of `text`, whitespace runs folded into single spaces.
fn one_line(text: &str, max: usize) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match folded.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &folded[..cut]),
        None => folded,
    }
}
