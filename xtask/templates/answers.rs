//! Answers: takes the typed mocks of the `mock` feature, gives what every operation's mock can do
//! besides its documented success: Baseten's error and rate-limit answers, a place in a sequence
//! of answers, and a client for the mock server that does not sit out a mocked `retry_after`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::{Client, ClientBuilder, RetryPolicy};

/// The response side of every operation's mock (`mock::operations::*Then`): Baseten's failure
/// answers, whatever the operation documents.
pub trait Answer: Sized {
    /// The httpmock response underneath.
    fn into_then(self) -> httpmock::Then;

    /// Wraps an httpmock response again.
    fn from_then(then: httpmock::Then) -> Self;

    /// Responds `status` with Baseten's error body, `{"error": message}`.
    fn error(self, status: u16, message: &str) -> Self {
        let body = serde_json::json!({ "error": message });
        Self::from_then(self.into_then().status(status).header("content-type", "application/json").json_body(body))
    }

    /// Adds a response header, to any answer: `then.error(500, "..").header("x-request-id", "r1")`.
    fn header(self, name: &str, value: &str) -> Self {
        Self::from_then(self.into_then().header(name, value))
    }

    /// Responds `429 Too Many Requests` as Baseten does: `{"error": ..., "retry_after": seconds}`.
    fn rate_limited(self, retry_after: Duration) -> Self {
        let body = serde_json::json!({ "error": "Rate limit exceeded", "retry_after": retry_after.as_secs_f64() });
        Self::from_then(self.into_then().status(429).header("content-type", "application/json").json_body(body))
    }
}

/// The request side of every operation's mock (`mock::operations::*When`).
pub trait Expect: Sized {
    /// The httpmock request matcher underneath.
    fn into_when(self) -> httpmock::When;
}

/// httpmock's own matcher, for a mock made with `server.mock(..)`.
impl Expect for httpmock::When {
    fn into_when(self) -> httpmock::When {
        self
    }
}

/// A value of a type built from the API reference's own examples (a field's documented example,
/// else its default; a required field without either gets a placeholder of its type; an
/// optional one without an example is left unset), for a test's fixture: take it and change
/// only what the test is about.
///
/// ```
/// use baseten_management::mock::Example;
/// use baseten_management::types::TrainingJobV1;
///
/// let mut job = TrainingJobV1::example();
/// job.current_status = "RUNNING".to_string();
/// ```
///
/// Every type whose required fields can be built has one; the crate's tests check that each
/// decodes, as the client would read it.
pub trait Example: Sized {
    /// The example value.
    fn example() -> Self;
}

/// The example `json` as `T`; the generated tests decode every example, so this does not fail.
pub(crate) fn from_example<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("a documented example does not decode: {e}: {json}"))
}

/// Mocks that answer in turn: the first whose `When` went through [`Sequence::step`] answers the
/// first matching request, the second the next one, and so on, each once. A mock made without a
/// step, after them, answers whatever comes later.
///
/// httpmock consults a step's turn last, after every other matcher of its mock has matched the
/// request (method, path, query, headers, body: all that its `When` narrows), and serves the
/// first mock that matches; a request that one of them refuses does not use up the turn. A failed
/// `assert` on a step's mock asks again, so assert the sequence through the calls' results (or
/// `calls`).
#[derive(Clone, Debug, Default)]
pub struct Sequence {
    answered: Arc<AtomicUsize>,
    steps: Arc<AtomicUsize>,
}

impl Sequence {
    /// An empty sequence.
    pub fn new() -> Sequence {
        Sequence::default()
    }

    /// Makes the mock of `when` the next step: it matches only the request after the previous
    /// step's.
    pub fn step(&self, when: impl Expect) {
        let turn = self.steps.fetch_add(1, Ordering::SeqCst);
        let answered = Arc::clone(&self.answered);
        when.into_when()
            .is_true(move |_| answered.compare_exchange(turn, turn + 1, Ordering::SeqCst, Ordering::SeqCst).is_ok());
    }

    /// How many steps have answered.
    pub fn answered(&self) -> usize {
        self.answered.load(Ordering::SeqCst)
    }
}

/// The matcher of one path argument's mock method: `template` is the operation's path with `{}`
/// where this argument goes and `*` where another does. The argument matches exactly as the
/// client sends it, percent-encoded, whatever characters it holds (`j.1` is not `jx1`, `job(1`
/// is no pattern); another argument's segment is any one segment.
pub(crate) fn path_argument(template: &str, value: &str) -> regex::Regex {
    let segments: Vec<String> = template
        .split('/')
        .map(|segment| match segment {
            "{}" => regex::escape(&progenitor_client::encode_path(value)),
            "*" => "[^/]*".to_owned(),
            literal => regex::escape(literal),
        })
        .collect();
    // Escaped text always parses; only a value past the regex size limit (megabytes) fails, and
    // no request path that long reaches the server, so a pattern that matches nothing is right.
    regex::Regex::new(&format!("^{}$", segments.join("/")))
        .unwrap_or_else(|_| regex::Regex::new("[^\\s\\S]").expect("a constant pattern"))
}

/// The longest wait between attempts of a [`client_builder`]'s client.
pub const MOCK_WAIT_CAP: Duration = Duration::from_millis(10);

/// A [`ClientBuilder`] for `server`: its URL, a test key, and the default retries with every
/// wait capped at [`MOCK_WAIT_CAP`], so a mocked `retry_after` of a minute costs a test 10 ms.
pub fn client_builder(server: &httpmock::MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.base_url())
        .api_key("test-api-key")
        .retry(RetryPolicy::default().wait_cap(MOCK_WAIT_CAP))
}
