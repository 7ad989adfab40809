//! Building a [`Client`]: API key and auth scheme, base URL, timeouts, retries; and the hooks
//! through which every operation gets its `Authorization` header and its retries.

use std::fmt;
use std::time::Duration;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{AUTHORIZATION, HeaderValue};

use crate::{Client, Error, RetryPolicy};

/// The environment variable [`Client::from_env`] reads the API key from, as Baseten's own
/// tools do.
pub const API_KEY_VAR: &str = "BASETEN_API_KEY";

/// The environment variable [`Client::from_env`] reads a base URL from, when it is set (this
/// crate's own; for proxies and test servers).
pub const BASE_URL_VAR: &str = "BASETEN_BASE_URL";

/// How the API key goes into the `Authorization` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthScheme {
    /// `Authorization: Api-Key <key>`, the pages' `ApiKeyAuth`.
    ApiKey,
    /// `Authorization: Bearer <key>`, the pages' `BearerAuth`.
    Bearer,
}

/// What the operations read from the client besides the HTTP connection pool: the credentials,
/// the retry policy, the limits on each attempt and on each call. Made by [`ClientBuilder`] only; `Debug` never
/// shows the key.
#[derive(Clone)]
pub struct ClientConfig {
    api_key: Option<HeaderValue>,
    bearer: Option<HeaderValue>,
    scheme: Option<AuthScheme>,
    retry: RetryPolicy,
    /// Set on each request: a caller's own `reqwest::Client` has its own limits, which the
    /// builder cannot change. `None` when the client's own timeout applies.
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
}

impl ClientConfig {
    /// The `Authorization` value for `operation`, following the scheme its page declares
    /// unless the builder forced one; `None` without a key or for an operation without auth.
    fn authorization(&self, operation: &str) -> Option<&HeaderValue> {
        match self.scheme.or_else(|| crate::api::auth_scheme(operation))? {
            AuthScheme::ApiKey => self.api_key.as_ref(),
            AuthScheme::Bearer => self.bearer.as_ref(),
        }
    }

    /// The retry policy every operation follows unless a call sets its own.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    pub(crate) fn attempt_timeout(&self) -> Option<Duration> {
        self.attempt_timeout
    }

    /// The limit on each call, all its attempts and waits together; `None` when unbounded.
    pub fn operation_timeout(&self) -> Option<Duration> {
        self.operation_timeout
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("scheme", &self.scheme)
            .field("retry", &self.retry)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .finish()
    }
}

/// Configures and builds a [`Client`]; start from [`Client::builder`].
///
/// ```
/// use std::time::Duration;
/// use baseten_management::{Client, RetryPolicy};
///
/// let client = Client::builder()
///     .api_key("my-key")
///     .attempt_timeout(Duration::from_secs(10))
///     .operation_timeout(Duration::from_secs(30))
///     .retry(RetryPolicy::default())
///     .build()?;
/// assert_eq!(client.base_url(), "https://api.baseten.co");
/// # Ok::<(), baseten_management::Error>(())
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    base_url: String,
    api_key: Option<String>,
    scheme: Option<AuthScheme>,
    connect_timeout: Duration,
    /// `None` until set: a caller's own `reqwest::Client` then keeps its own limit.
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: RetryPolicy,
    http: Option<reqwest::Client>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: crate::api::DEFAULT_BASE_URL.to_string(),
            api_key: None,
            scheme: None,
            connect_timeout: ClientBuilder::CONNECT_TIMEOUT,
            attempt_timeout: None,
            operation_timeout: None,
            retry: RetryPolicy::default(),
            http: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("scheme", &self.scheme)
            .field("connect_timeout", &self.connect_timeout)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("operation_timeout", &self.operation_timeout)
            .field("retry", &self.retry)
            .field("http_client", &self.http.as_ref().map(|_| "<the caller's>"))
            .finish()
    }
}

/// The User-Agent every request carries.
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

impl ClientBuilder {
    /// The default limit on establishing a connection.
    pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// The default limit on one attempt, from sending the request to reading the whole body.
    pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(60);
    /// The default limit on one attempt.
    #[deprecated(since = "0.4.0", note = "renamed ATTEMPT_TIMEOUT: it bounds each attempt, not the call")]
    pub const TIMEOUT: Duration = Self::ATTEMPT_TIMEOUT;

    /// The server to talk to, such as `http://127.0.0.1:8080` for a test server; defaults to
    /// the one the pages declare. A key only goes over `https`, or plain `http` to a loopback
    /// address.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The API key to authenticate with; [`Self::build`] refuses an empty or blank one.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Reads the API key from [`API_KEY_VAR`] and, when set, the base URL from
    /// [`BASE_URL_VAR`]; an error when the key is unset or empty.
    pub fn from_env(mut self) -> Result<Self, Error> {
        let key = match std::env::var(API_KEY_VAR) {
            Ok(key) if key.trim().is_empty() => {
                return Err(Error::config(format!(
                    "{API_KEY_VAR} is set but empty; set it to an API key from https://app.baseten.co/settings/api_keys"
                )));
            }
            Ok(key) => key,
            Err(std::env::VarError::NotPresent) => {
                return Err(Error::config(format!(
                    "{API_KEY_VAR} is not set; set it to an API key from https://app.baseten.co/settings/api_keys"
                )));
            }
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(Error::config(format!("{API_KEY_VAR} is not valid UTF-8")));
            }
        };
        self.api_key = Some(key);
        if let Ok(url) = std::env::var(BASE_URL_VAR)
            && !url.trim().is_empty()
        {
            self.base_url = url;
        }
        Ok(self)
    }

    /// Sends every operation's key with this scheme, whatever its page declares (the server
    /// accepts both).
    pub fn auth_scheme(mut self, scheme: AuthScheme) -> Self {
        self.scheme = Some(scheme);
        self
    }

    /// The limit on establishing a connection; default [`Self::CONNECT_TIMEOUT`]. Not for a
    /// client given to [`Self::http_client`], which keeps its own.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The limit on each attempt, from sending the request to reading the whole body; default
    /// [`Self::ATTEMPT_TIMEOUT`]. Each retry gets a fresh limit, so a call may take longer: bound
    /// the whole call with [`Self::operation_timeout`]. A call's `.attempt_timeout(..)` replaces
    /// it for that call.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// The limit on each call, from its first attempt to its answer, every retry and every wait
    /// between them included; past it the call ends with [`Error::Timeout`]. Unbounded by
    /// default (the attempts and [`RetryPolicy::max_total_wait`] bound it). A call's
    /// `.operation_timeout(..)` replaces it for that call. Not for the waiters, whose
    /// [`Wait::deadline`](crate::Wait::deadline) bounds a wait, each poll a call of its own.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// The limit on each attempt.
    #[deprecated(
        since = "0.4.0",
        note = "bounds each attempt, not the call: use attempt_timeout, or operation_timeout for the whole call"
    )]
    pub fn timeout(self, timeout: Duration) -> Self {
        self.attempt_timeout(timeout)
    }

    /// When and how often failed requests are sent again; default [`RetryPolicy::default`]. An
    /// operation's `.retry(..)` replaces it for one call.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Sends through the caller's own `reqwest::Client` (its connection pool, proxy, TLS and
    /// limits), still adding the key, the retries and the User-Agent. [`Self::attempt_timeout`]
    /// and [`Self::operation_timeout`], when set, apply; [`Self::connect_timeout`] does not.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client; an error for a base URL that does not parse, an empty or blank key, a
    /// key that cannot go in a header, or a key that would go over plain `http` to a host other
    /// than loopback.
    pub fn build(self) -> Result<Client, Error> {
        if self.api_key.as_deref().is_some_and(|key| key.trim().is_empty()) {
            return Err(Error::config(
                "the API key is empty; give a key from https://app.baseten.co/settings/api_keys (every call would \
                 answer 401)",
            ));
        }
        let base_url = self.base_url.trim_end_matches('/').to_string();
        let url = match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => url,
            _ => return Err(Error::config(format!("the base URL {base_url:?} is not an http(s) URL"))),
        };
        if self.api_key.is_some() && url.scheme() == "http" && !is_loopback(&url) {
            return Err(Error::config(format!(
                "the base URL {base_url:?} is plain http to a host other than loopback, and the API key would \
                 cross the network unencrypted; use https (plain http is for a test server on 127.0.0.1)"
            )));
        }
        let header = |scheme: &str, key: &str| {
            let mut value = HeaderValue::try_from(format!("{scheme} {key}"))
                .map_err(|_| Error::config("the API key contains characters a header cannot carry"))?;
            value.set_sensitive(true);
            Ok::<_, Error>(value)
        };
        let (api_key, bearer) = match self.api_key.as_deref().map(str::trim) {
            Some(key) => (Some(header("Api-Key", key)?), Some(header("Bearer", key)?)),
            None => (None, None),
        };
        let (http, attempt_timeout) = match self.http {
            Some(http) => (http, self.attempt_timeout),
            None => (http_client(self.connect_timeout, self.attempt_timeout.unwrap_or(Self::ATTEMPT_TIMEOUT))?, None),
        };
        let config = ClientConfig {
            api_key,
            bearer,
            scheme: self.scheme,
            retry: self.retry,
            attempt_timeout,
            operation_timeout: self.operation_timeout,
        };
        Ok(Client::new_with_client(&base_url, http, config))
    }
}

/// Whether `url` names this machine: `localhost`, `127.0.0.0/8` or `::1`.
fn is_loopback(url: &reqwest::Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The `reqwest::Client` the builder makes, on the TLS backend the features choose.
fn http_client(connect_timeout: Duration, timeout: Duration) -> Result<reqwest::Client, Error> {
    let builder = reqwest::Client::builder().connect_timeout(connect_timeout).timeout(timeout);
    let failed =
        |e: &dyn fmt::Display| Error::config(format!("cannot set up the HTTP client ({}): {e}", crate::TLS_BACKEND));
    crate::tls::configure(builder).map_err(|e| failed(&e))?.build().map_err(|e| failed(&e))
}

impl Client {
    /// A [`ClientBuilder`] with the defaults: the pages' server, no key, a 10 s connect and a
    /// 60 s attempt timeout, no operation timeout, [`RetryPolicy::default`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for the default server that authenticates with `key`; an error for an empty or
    /// blank key.
    pub fn with_api_key(key: impl Into<String>) -> Result<Client, Error> {
        Client::builder().api_key(key).build()
    }

    /// A client configured from the environment: the key from [`API_KEY_VAR`]
    /// (`BASETEN_API_KEY`), the base URL from [`BASE_URL_VAR`] when set. An error names the
    /// variable when the key is unset or empty.
    pub fn from_env() -> Result<Client, Error> {
        Client::builder().from_env()?.build()
    }

    /// The server this client talks to.
    pub fn base_url(&self) -> &str {
        ClientInfo::baseurl(self)
    }
}

/// The hooks progenitor's operations call: plumbing, hidden from the docs.
#[doc(hidden)]
impl ClientHooks<ClientConfig> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        let headers = request.headers_mut();
        if let Some(value) = self.inner().authorization(info.operation_id) {
            headers.insert(AUTHORIZATION, value.clone());
        }
        headers.insert(reqwest::header::USER_AGENT, HeaderValue::from_static(USER_AGENT));
        Ok(())
    }

    async fn exec(&self, request: reqwest::Request, info: &OperationInfo) -> reqwest::Result<reqwest::Response> {
        crate::call::exec(self, request, info, &crate::call::CallOptions::default()).await
    }
}
