//! Waiting for a resource: takes what each status means ([`Lifecycle`], made from
//! `spec/lifecycles.txt`) and how long to wait ([`Wait`]), gives the resource once it is ready,
//! or a [`WaitError`] naming it, its last status and how long it waited. The `wait_for_*`
//! methods of [`Client`](crate::Client) poll through it.

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use reqwest::StatusCode;

/// What a status means to a waiter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Phase {
    /// On its way: poll again.
    InProgress,
    /// Done: the wait returns the resource.
    Ready,
    /// It will not get ready without a new build or a retry.
    Failed,
    /// Deactivated, unhealthy, stopped or canceled: it will not get ready by itself.
    Stopped,
}

/// The statuses of one kind of resource and what each means, as `spec/lifecycles.txt` says
/// (reviewed data, checked against the docs at every codegen): [`lifecycles`](crate::lifecycles)
/// has one per resource the client waits on.
#[derive(Debug)]
#[non_exhaustive]
pub struct Lifecycle {
    /// The resource, as the file names it: `deployment`, `training_job`.
    pub name: &'static str,
    /// Its statuses.
    pub statuses: &'static [KnownStatus],
}

/// One status of a [`Lifecycle`].
#[derive(Debug)]
#[non_exhaustive]
pub struct KnownStatus {
    /// As the server sends it: `BUILDING`.
    pub name: &'static str,
    /// What it means.
    pub phase: Phase,
    /// For a failed status: whether a retry may fix it (`BUILD_STOPPED`: no).
    pub retryable: bool,
    /// What to do about it, for a wait that ends there.
    pub hint: Option<&'static str>,
}

impl Lifecycle {
    /// What `status` means; `None` for a status the file does not list.
    pub fn phase_of(&self, status: &str) -> Option<Phase> {
        self.status(status).map(|known| known.phase)
    }

    /// `status` as the file lists it.
    pub fn status(&self, status: &str) -> Option<&'static KnownStatus> {
        self.statuses.iter().find(|known| known.name == status)
    }
}

/// How to wait: how often to poll, how long at most, and what a status means where it should
/// mean something else than its [`Lifecycle`] says.
///
/// A new deployment goes `BUILDING`, `DEPLOYING`, often `SCALED_TO_ZERO` for a few seconds,
/// `WAKING_UP`, then `ACTIVE`; `SCALED_TO_ZERO` counts as ready (it wakes on the first request)
/// unless [`Wait::active_only`]. A status the lifecycle does not list is an error
/// ([`WaitErrorKind::Unlisted`]), never taken for success: [`Wait::phase`] says what it means.
#[derive(Clone, Debug)]
pub struct Wait {
    phases: Vec<(String, Phase)>,
    deadline: Duration,
    interval: Duration,
    not_found_grace: Duration,
}

impl Default for Wait {
    /// Poll every 5 s for at most 30 minutes (a build and a model load take minutes); a 404 in
    /// the first 60 s is a deployment not visible yet, after a create or a promote.
    fn default() -> Self {
        Wait {
            phases: Vec::new(),
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

    /// What `status` means, instead of what its lifecycle says (or for a status the docs do not
    /// list yet), in every lifecycle this wait reads.
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

    /// What `status` of `lifecycle` means to this wait: as [`Wait::phase`] set it, else as the
    /// lifecycle says; `None` for a status neither names.
    pub fn phase_in(&self, lifecycle: &Lifecycle, status: &str) -> Option<Phase> {
        let set = self.phases.iter().find(|(known, _)| known == status).map(|(_, phase)| *phase);
        set.or_else(|| lifecycle.phase_of(status))
    }
}

/// Why a wait ended without a ready resource: which one, its last status, how long.
#[derive(Debug)]
#[non_exhaustive]
pub struct WaitError {
    /// The resource, as `deployment d1 of model m1`.
    pub resource: String,
    /// The status that ended the wait (or the last one a poll saw); `None` when no poll got one.
    pub last_status: Option<String>,
    /// The part whose status that was, when not the resource's own: `chainlet Writer`,
    /// `candidate deployment`.
    pub part: Option<String>,
    /// The server's account of a failure (a training job's `error_message`).
    pub message: Option<String>,
    /// What to do about the status, as `spec/lifecycles.txt` says.
    pub hint: Option<&'static str>,
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
        /// Whether retrying may help.
        retryable: bool,
    },
    /// A stopped status (`UNHEALTHY`, `INACTIVE`, `DEACTIVATING`, `TRAINING_JOB_STOPPED`, `CANCELED`).
    Stopped,
    /// A status the lifecycle does not list: not taken for success.
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
        let (what, waited) = (&self.resource, Waited(self.waited));
        let status = self.last_status.as_deref().unwrap_or("no status");
        let part = self.part.as_ref().map(|part| format!(" ({part})")).unwrap_or_default();
        let message = self.message.as_ref().map(|message| format!(": {message}")).unwrap_or_default();
        let hint = self.hint.map(|hint| format!("; {hint}")).unwrap_or_default();
        match &self.kind {
            WaitErrorKind::Failed { .. } => write!(f, "{what} failed: {status}{part} after {waited}{message}{hint}"),
            WaitErrorKind::Stopped => write!(f, "{what} is stopped: {status}{part} after {waited}{message}{hint}"),
            WaitErrorKind::Unlisted => write!(
                f,
                "{what} reports {status}{part} after {waited}, a status the docs do not list: not taken as ready \
                 (Wait::phase says what it means)"
            ),
            WaitErrorKind::TimedOut => {
                write!(f, "{what} is not ready after {waited} (the deadline); last status {status}{part}{hint}")
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

/// One status a poll saw: the resource's own, a part's (a chainlet's), or one that keeps it on
/// its way while it is there (a promotion's candidate deployment).
#[derive(Debug)]
pub(crate) struct Seen {
    lifecycle: &'static Lifecycle,
    status: String,
    part: Option<String>,
    message: Option<String>,
    progress: Option<f64>,
    /// Ready here is not done: the resource is on its way while this is there.
    pending: bool,
}

// Each setter is used where the spec has the field it reads: a crate made from fewer pages
// lacks some.
#[allow(dead_code)]
impl Seen {
    pub(crate) fn of(lifecycle: &'static Lifecycle, status: &str) -> Seen {
        Seen {
            lifecycle,
            status: status.to_string(),
            part: None,
            message: None,
            progress: None,
            pending: false,
        }
    }

    pub(crate) fn part(self, part: String) -> Seen {
        Seen { part: Some(part), ..self }
    }

    pub(crate) fn message(self, message: Option<&str>) -> Seen {
        Seen { message: message.map(str::to_string), ..self }
    }

    pub(crate) fn progress(self, progress: Option<f64>) -> Seen {
        Seen { progress, ..self }
    }

    pub(crate) fn pending(self) -> Seen {
        Seen { pending: true, ..self }
    }

    /// What it means to `wait`: `None` for a status its lifecycle does not list.
    fn phase(&self, wait: &Wait) -> Option<Phase> {
        match wait.phase_in(self.lifecycle, &self.status) {
            Some(Phase::Ready) if self.pending => Some(Phase::InProgress),
            phase => phase,
        }
    }
}

/// How much a phase decides a poll: a failure anywhere fails it, an unlisted status is an
/// error before anything on its way, and it is ready only when all of it is.
fn weight(phase: Option<Phase>) -> u8 {
    match phase {
        Some(Phase::Failed) => 5,
        Some(Phase::Stopped) => 4,
        None => 3,
        Some(Phase::InProgress) => 2,
        Some(Phase::Ready) => 1,
    }
}

/// The status that decides a poll, and what it means: ready when nothing was seen (nothing
/// is on its way).
fn decide(wait: &Wait, seen: Vec<Seen>) -> (Option<Phase>, Option<Seen>) {
    let mut phases: Vec<(Option<Phase>, Seen)> = seen.into_iter().map(|seen| (seen.phase(wait), seen)).collect();
    let deciding = phases.iter().enumerate().max_by_key(|(index, (phase, _))| (weight(*phase), usize::MAX - index));
    match deciding.map(|(index, _)| index) {
        Some(index) => {
            let (phase, seen) = phases.swap_remove(index);
            (phase, Some(seen))
        }
        None => (Some(Phase::Ready), None),
    }
}

/// Whether what `seen` reads has ended: ready, failed or stopped (an unlisted status has not).
pub(crate) fn has_ended(seen: Vec<Seen>) -> bool {
    matches!(decide(&Wait::default(), seen).0, Some(Phase::Ready | Phase::Failed | Phase::Stopped))
}

/// How a wait names what it waits on and reads its statuses.
pub(crate) struct Watch<T> {
    /// As errors and events name it: `deployment d1 of model m1`.
    pub(crate) resource: String,
    /// The statuses of one answer.
    pub(crate) seen: fn(&T) -> Vec<Seen>,
}

/// Polls `get` as `wait` says until every status `watch` reads is ready and `arrived` holds
/// (a promotion: the deployment is ready before it serves the environment); a 404 within the
/// grace period is polled through, every other error ends the wait. Until `shows` has held once
/// (the change an action makes has reached the read), no status is judged: the first reads after
/// an update or an activation may show the resource as it was.
pub(crate) async fn poll<T, F, Fut>(
    watch: Watch<T>,
    wait: &Wait,
    mut get: F,
    arrived: impl Fn(&T) -> bool,
    shows: impl Fn(&T) -> bool,
) -> Result<T, WaitError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, crate::Error>>,
{
    let start = Instant::now();
    let (mut retryable, mut shown) = (true, false);
    let mut error = WaitError {
        resource: watch.resource,
        last_status: None,
        part: None,
        message: None,
        hint: None,
        waited: Duration::ZERO,
        kind: WaitErrorKind::TimedOut,
    };
    loop {
        error.waited = start.elapsed();
        let phase = match get().await {
            Ok(value) => {
                let seen = (watch.seen)(&value);
                let progress = seen.iter().find_map(|seen| seen.progress);
                let (phase, deciding) = decide(wait, seen);
                event(&error.resource, deciding.as_ref(), progress, error.waited);
                retryable = error.note(deciding);
                shown = shown || shows(&value);
                match phase {
                    _ if !shown => Some(Phase::InProgress),
                    Some(Phase::Ready) if arrived(&value) => return Ok(value),
                    Some(Phase::Ready) => Some(Phase::InProgress),
                    phase => phase,
                }
            }
            Err(call) if call.status() == Some(StatusCode::NOT_FOUND) && error.waited < wait.not_found_grace => {
                event(&error.resource, None, None, error.waited);
                Some(Phase::InProgress)
            }
            Err(call) => return Err(WaitError { kind: WaitErrorKind::Call(call), ..error }),
        };
        error.kind = match phase {
            Some(Phase::InProgress) => {
                match wait.deadline.checked_sub(start.elapsed()).filter(|left| !left.is_zero()) {
                    Some(left) => {
                        tokio::time::sleep(wait.interval.min(left)).await;
                        continue;
                    }
                    None => WaitErrorKind::TimedOut,
                }
            }
            Some(Phase::Failed) => WaitErrorKind::Failed { retryable },
            Some(Phase::Stopped) => WaitErrorKind::Stopped,
            // `Ready` has returned above: a status no phase names.
            Some(Phase::Ready) | None => WaitErrorKind::Unlisted,
        };
        error.waited = start.elapsed();
        return Err(error);
    }
}

impl WaitError {
    /// Keeps what the latest poll's deciding status says; gives whether a retry may fix it.
    fn note(&mut self, seen: Option<Seen>) -> bool {
        let Some(seen) = seen else {
            (self.last_status, self.part, self.message, self.hint) = (None, None, None, None);
            return true;
        };
        let known = seen.lifecycle.status(&seen.status);
        self.hint = known.and_then(|known| known.hint);
        (self.last_status, self.part, self.message) = (Some(seen.status), seen.part, seen.message);
        known.is_none_or(|known| known.retryable)
    }
}

/// One poll as a `tracing` event: the status that decided it (`NOT_FOUND` for a 404 waited
/// through), the part it is of, the progress the answer gave.
fn event(resource: &str, seen: Option<&Seen>, progress: Option<f64>, waited: Duration) {
    tracing::info!(
        target: "baseten_management",
        resource,
        status = seen.map_or("NOT_FOUND", |seen| seen.status.as_str()),
        part = seen.and_then(|seen| seen.part.as_deref()),
        progress,
        waited_ms = waited.as_millis() as u64,
        "status"
    );
}
