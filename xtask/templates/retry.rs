//! Retries, per Baseten's rate-limit contract: a 429 waits for the server's `retry_after`;
//! connection errors and 502/503/504 back off exponentially, for idempotent methods only.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, Request, Response, StatusCode};
use serde::Deserialize;

/// When and how often a failed request is sent again.
///
/// - `429 Too Many Requests` is retried for every method (the server did not act), after the
///   body's `retry_after` seconds or the `Retry-After` header.
/// - Connection errors, timeouts and `502`/`503`/`504` are retried for `GET`, `PUT`, `DELETE`
///   and `HEAD` only, never for `POST` or `PATCH`, after an exponential backoff with jitter.
/// - No retry starts once the total wait would pass [`max_total_wait`](Self::max_total_wait);
///   the last response becomes the error, carrying the server's `retry_after`.
///
/// Each retry is a `warn` event of the call's span (target `baseten_management::retry`, with the
/// reason, the wait and the attempt as fields); without a `tracing` subscriber it is a `log`
/// record instead.
///
/// ```
/// use std::time::Duration;
/// use baseten_management::RetryPolicy;
///
/// let patient = RetryPolicy::default().max_attempts(5).max_total_wait(Duration::from_secs(300));
/// let never = RetryPolicy::disabled();
/// assert_eq!(never.attempts(), 1);
/// assert_eq!(patient.attempts(), 5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_total_wait: Duration,
    wait_cap: Option<Duration>,
}

impl Default for RetryPolicy {
    /// 3 attempts, backoff from 500 ms doubling up to 8 s, at most 60 s of waiting in all.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_total_wait: Duration::from_secs(60),
            wait_cap: None,
        }
    }
}

impl RetryPolicy {
    /// Every request is sent once; errors come back as they are.
    pub fn disabled() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// How many times a request may be sent in all, the first time included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry of a connection error or 5xx; it doubles each retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest a single backoff may grow to (a server's `retry_after` is not capped by it).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The most time one call may spend waiting between attempts, all retries together.
    pub fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// Caps every wait, a server's `retry_after` included: for tests against a mock server that
    /// answers a real `retry_after` (see `mock::client_builder`). Against Baseten, waiting less
    /// than `retry_after` only meets another 429.
    pub fn wait_cap(mut self, cap: Duration) -> Self {
        self.wait_cap = Some(cap);
        self
    }

    /// `delay`, no longer than [`Self::wait_cap`].
    fn capped(&self, delay: Duration) -> Duration {
        self.wait_cap.map_or(delay, |cap| delay.min(cap))
    }

    /// The configured number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff before retry number `retry` (1-based): exponential, capped, with "equal
    /// jitter" (half fixed, half random) so clients that failed together do not retry together.
    fn backoff(&self, retry: u32) -> Duration {
        let doubled = self.initial_backoff.saturating_mul(1u32 << (retry - 1).min(16));
        let base = doubled.min(self.max_backoff);
        base / 2 + base.mul_f64(random_unit() / 2.0)
    }
}

/// The documented body of a rate-limited (and often any error) response.
#[derive(Default, Deserialize)]
pub(crate) struct ErrorBody {
    pub(crate) error: Option<String>,
    #[serde(default, deserialize_with = "seconds")]
    pub(crate) retry_after: Option<Duration>,
}

impl ErrorBody {
    /// The `{"error", "retry_after"}` fields of `body`, or nothing when it has another shape.
    pub(crate) fn parse(body: &[u8]) -> ErrorBody {
        serde_json::from_slice(body).unwrap_or_default()
    }
}

fn seconds<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Duration>, D::Error> {
    let value = Option::<f64>::deserialize(deserializer)?;
    Ok(value.and_then(|s| Duration::try_from_secs_f64(s).ok()))
}

/// A `Retry-After` header in its delay-seconds form (an HTTP date is ignored: the body's
/// `retry_after` or the backoff applies instead).
pub(crate) fn retry_after_header(headers: &HeaderMap) -> Option<Duration> {
    let text = headers.get(RETRY_AFTER)?.to_str().ok()?;
    text.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Sends `request`, retrying as `policy` allows. The result is the last attempt's: a response
/// (whatever its status) or a transport error.
pub(crate) async fn execute(
    client: &reqwest::Client,
    policy: &RetryPolicy,
    request: Request,
    operation: &str,
) -> reqwest::Result<Response> {
    let idempotent = matches!(*request.method(), Method::GET | Method::PUT | Method::DELETE | Method::HEAD);
    let mut waited = Duration::ZERO;
    let mut attempt = 1;
    let mut request = Some(request);
    loop {
        // Keep a copy for the next attempt; a body that cannot be copied (a stream) is sent once.
        let current = request.take().expect("a request for every attempt");
        if attempt < policy.max_attempts {
            request = current.try_clone();
        }
        let outcome = client.execute(current).await;

        let (outcome, delay, reason) = match outcome {
            Ok(response) if response.status() == StatusCode::TOO_MANY_REQUESTS => {
                let (response, body) = buffer(response).await?;
                let wait = ErrorBody::parse(&body).retry_after.or_else(|| retry_after_header(response.headers()));
                // "Wait at least that long": a little jitter on top, never below.
                let delay = match wait {
                    Some(wait) => wait.saturating_add(wait.mul_f64(random_unit() / 10.0)),
                    None => policy.backoff(attempt),
                };
                (Ok(response), delay, "429 Too Many Requests".to_string())
            }
            Ok(response)
                if idempotent
                    && matches!(
                        response.status(),
                        StatusCode::BAD_GATEWAY | StatusCode::SERVICE_UNAVAILABLE | StatusCode::GATEWAY_TIMEOUT
                    ) =>
            {
                let status = response.status();
                let (response, _) = buffer(response).await?;
                let delay = retry_after_header(response.headers()).unwrap_or_else(|| policy.backoff(attempt));
                (Ok(response), delay, status.to_string())
            }
            Err(error) if idempotent && (error.is_connect() || error.is_timeout() || error.is_request()) => {
                let reason = error.to_string();
                (Err(error), policy.backoff(attempt), reason)
            }
            done => return done,
        };

        // The copy names the request in the log, so the common path clones nothing more.
        let Some(next) = request.as_ref().filter(|_| attempt < policy.max_attempts) else {
            return outcome;
        };
        let (method, url) = (next.method(), next.url());
        let delay = policy.capped(delay);
        if waited.saturating_add(delay) > policy.max_total_wait {
            tracing::warn!(
                target: "baseten_management::retry",
                wait_ms = delay.as_millis() as u64,
                "{operation} ({method} {url}): {reason}; not retrying: waiting {delay:?} more would pass the \
                 {:?} limit on total wait",
                policy.max_total_wait,
            );
            return outcome;
        }
        tracing::warn!(
            target: "baseten_management::retry",
            wait_ms = delay.as_millis() as u64,
            attempt = attempt + 1,
            "{operation} ({method} {url}): {reason}; retrying in {delay:?} (attempt {} of {})",
            attempt + 1,
            policy.max_attempts,
        );
        tokio::time::sleep(delay).await;
        tracing::Span::current().record("http.request.resend_count", attempt);
        waited += delay;
        attempt += 1;
    }
}

/// Reads the whole body, giving back an equivalent response to hand on and the bytes read.
async fn buffer(response: Response) -> reqwest::Result<(Response, bytes::Bytes)> {
    use reqwest::ResponseBuilderExt;
    let mut builder = http::Response::builder()
        .status(response.status())
        .version(response.version())
        .url(response.url().clone());
    if let Some(headers) = builder.headers_mut() {
        *headers = response.headers().clone();
    }
    let body = response.bytes().await?;
    let rebuilt = builder.body(body.clone()).expect("status, version and headers came from a valid response");
    Ok((Response::from(rebuilt), body))
}

/// A number in [0, 1), random enough for jitter, without a dependency: std seeds each
/// `RandomState` from the OS and varies it per instance.
fn random_unit() -> f64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}
