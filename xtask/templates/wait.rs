//! Waiting for a deployment: takes how to read its status and when to give up ([`Wait`]), gives
//! the deployment once it is ready, or a [`WaitError`] naming it, its last status and how long
//! it waited. The `wait_for_*` methods of [`Client`](crate::Client) poll through it.

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use reqwest::StatusCode;

/// What a deployment status means to a waiter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Phase {
    /// On its way: poll again.
    InProgress,
    /// Done: the wait returns the deployment.
    Ready,
    /// It will not get ready without a new build or a retry.
    Failed,
    /// Deactivated or unhealthy: it will not get ready by itself.
    Stopped,
}

/// How to wait for a deployment: what each status means, how often to poll, how long at most.
///
/// The defaults follow how Baseten's deployments move: a new one goes `BUILDING`, `DEPLOYING`,
/// often `SCALED_TO_ZERO` for a few seconds, `WAKING_UP`, then `ACTIVE`; `SCALED_TO_ZERO` counts as
/// ready (it wakes on the first request) unless [`Wait::active_only`]. A status the docs do not
/// list is an error ([`WaitErrorKind::Unlisted`]), never taken for success: [`Wait::phase`]
/// says what it means.
#[derive(Clone, Debug)]
pub struct Wait {
    phases: Vec<(String, Phase)>,
    deadline: Duration,
    interval: Duration,
    not_found_grace: Duration,
}

/// The statuses the docs list, with what each means by default.
const PHASES: &[(&str, Phase)] = &[
    ("BUILDING", Phase::InProgress),
    ("DEPLOYING", Phase::InProgress),
    ("LOADING_MODEL", Phase::InProgress),
    ("UPDATING", Phase::InProgress),
    ("WAKING_UP", Phase::InProgress),
    ("ACTIVE", Phase::Ready),
    ("SCALED_TO_ZERO", Phase::Ready),
    ("BUILD_FAILED", Phase::Failed),
    ("DEPLOY_FAILED", Phase::Failed),
    ("FAILED", Phase::Failed),
    ("BUILD_STOPPED", Phase::Failed),
    ("UNHEALTHY", Phase::Stopped),
    ("INACTIVE", Phase::Stopped),
    ("DEACTIVATING", Phase::Stopped),
];

/// Failed statuses a retry does not fix: someone stopped the build.
const NOT_WORTH_RETRYING: &[&str] = &["BUILD_STOPPED"];

impl Default for Wait {
    /// Poll every 5 s for at most 30 minutes (a build and a model load take minutes); a 404 in
    /// the first 60 s is a deployment not visible yet, after a create or a promote.
    fn default() -> Self {
        Wait {
            phases: PHASES.iter().map(|(status, phase)| (status.to_string(), *phase)).collect(),
            deadline: Duration::from_secs(30 * 60),
            interval: Duration::from_secs(5),
            not_found_grace: Duration::from_secs(60),
        }
    }
}

impl Wait {
    /// Only `ACTIVE` is ready: `SCALED_TO_ZERO` is waited through (to `WAKING_UP`, then `ACTIVE`).
    pub fn active_only(self) -> Self {
        self.phase("SCALED_TO_ZERO", Phase::InProgress)
    }

    /// What `status` means, instead of its default (or for a status the docs do not list yet).
    pub fn phase(mut self, status: &str, phase: Phase) -> Self {
        self.phases.retain(|(known, _)| known != status);
        self.phases.push((status.to_string(), phase));
        self
    }

    /// How long to wait in all before [`WaitErrorKind::TimedOut`].
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// How long between two polls.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// How long a 404 means "not visible yet" rather than "no such deployment".
    pub fn not_found_grace(mut self, grace: Duration) -> Self {
        self.not_found_grace = grace;
        self
    }

    /// What `status` means; `None` when the docs do not list it and no [`Wait::phase`] names it.
    pub fn phase_of(&self, status: &str) -> Option<Phase> {
        self.phases.iter().find(|(known, _)| known == status).map(|(_, phase)| *phase)
    }
}

/// Why a wait ended without a ready deployment: which deployment, its last status, how long.
#[derive(Debug)]
#[non_exhaustive]
pub struct WaitError {
    /// The deployment, as `deployment d1 of model m1`.
    pub deployment: String,
    /// The status the last poll saw; `None` when no poll got one.
    pub last_status: Option<String>,
    /// How long the wait took.
    pub waited: Duration,
    /// What ended it.
    pub kind: WaitErrorKind,
}

/// What ended a wait.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaitErrorKind {
    /// A failed status; `retryable` is false for one a retry does not fix (`BUILD_STOPPED`).
    Failed {
        /// Whether retrying the deployment may help.
        retryable: bool,
    },
    /// A stopped status (`UNHEALTHY`, `INACTIVE`, `DEACTIVATING`).
    Stopped,
    /// A status the docs do not list: not taken for success.
    Unlisted,
    /// Still in progress at the deadline.
    TimedOut,
    /// A poll failed (after the client's retries): its error.
    Call(crate::Error),
}

impl WaitError {
    /// The status the last poll saw.
    pub fn last_status(&self) -> Option<&str> {
        self.last_status.as_deref()
    }
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, waited) = (&self.deployment, Waited(self.waited));
        let status = self.last_status.as_deref().unwrap_or("no status");
        match &self.kind {
            WaitErrorKind::Failed { retryable: true } => {
                write!(f, "{what} failed: {status} after {waited}; a retry or a new deployment may fix it")
            }
            WaitErrorKind::Failed { retryable: false } => {
                write!(f, "{what} failed: {status} after {waited}; not worth retrying: deploy again")
            }
            WaitErrorKind::Stopped => write!(f, "{what} is stopped: {status} after {waited}; activate it to use it"),
            WaitErrorKind::Unlisted => write!(
                f,
                "{what} reports {status} after {waited}, a status the docs do not list: not taken as ready \
                 (Wait::phase says what it means)"
            ),
            WaitErrorKind::TimedOut => {
                write!(f, "{what} is not ready after {waited} (the deadline); last status {status}")
            }
            WaitErrorKind::Call(_) => {
                write!(f, "{what}: the poll after {waited} failed ({status} before)")
            }
        }
    }
}

impl std::error::Error for WaitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            WaitErrorKind::Call(error) => Some(error),
            _ => None,
        }
    }
}

/// A duration as people read it: `4.2 s`, `3 min 5 s`.
struct Waited(Duration);

impl fmt::Display for Waited {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.0.as_secs();
        match seconds {
            0..60 => write!(f, "{:.1} s", self.0.as_secs_f64()),
            _ => write!(f, "{} min {} s", seconds / 60, seconds % 60),
        }
    }
}

/// Polls `get` as `wait` says until the status `status_of` reads is ready and `arrived` holds
/// (a promotion: the deployment is ready before it is production); a 404 within the grace
/// period is polled through, every other error ends the wait.
pub(crate) async fn poll<T, F, Fut>(
    deployment: String,
    wait: &Wait,
    mut get: F,
    status_of: fn(&T) -> &str,
    arrived: impl Fn(&T) -> bool,
) -> Result<T, WaitError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, crate::Error>>,
{
    let start = Instant::now();
    let mut last_status: Option<String> = None;
    loop {
        let waited = start.elapsed();
        let phase = match get().await {
            Ok(value) => {
                let status = status_of(&value);
                event(&deployment, status, waited);
                last_status = Some(status.to_string());
                match wait.phase_of(status) {
                    Some(Phase::Ready) if arrived(&value) => return Ok(value),
                    Some(Phase::Ready) => Some(Phase::InProgress),
                    phase => phase,
                }
            }
            Err(error) if error.status() == Some(StatusCode::NOT_FOUND) && waited < wait.not_found_grace => {
                event(&deployment, "NOT_FOUND", waited);
                Some(Phase::InProgress)
            }
            Err(error) => return Err(WaitError { deployment, last_status, waited, kind: WaitErrorKind::Call(error) }),
        };
        let kind = match phase {
            Some(Phase::InProgress) => {
                match wait.deadline.checked_sub(start.elapsed()).filter(|left| !left.is_zero()) {
                    Some(left) => {
                        tokio::time::sleep(wait.interval.min(left)).await;
                        continue;
                    }
                    None => WaitErrorKind::TimedOut,
                }
            }
            Some(Phase::Failed) => {
                let retryable = !last_status.as_deref().is_some_and(|status| NOT_WORTH_RETRYING.contains(&status));
                WaitErrorKind::Failed { retryable }
            }
            Some(Phase::Stopped) => WaitErrorKind::Stopped,
            // `Ready` has returned above: a status no phase names.
            Some(Phase::Ready) | None => WaitErrorKind::Unlisted,
        };
        return Err(WaitError { deployment, last_status, waited: start.elapsed(), kind });
    }
}

fn event(deployment: &str, status: &str, waited: Duration) {
    tracing::info!(
        target: "baseten_management",
        deployment,
        status,
        waited_ms = waited.as_millis() as u64,
        "deployment status"
    );
}
