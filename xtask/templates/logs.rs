//! Log lines read whole and followed: takes a logs operation as a way to ask for the lines of a
//! time window (oldest first, at most `limit`), gives every line of a time range in order, each
//! once ([`read`]), or the lines as they arrive until a deadline or the end of what logs them
//! ([`follow`]). The logs operations' `.stream()` and `.follow()` run through it.
//!
//! Lines are placed by their `timestamp` (epoch nanoseconds, a string); the server's windows
//! are in milliseconds. So each request after the first starts at the millisecond of the newest
//! line so far, and the lines it gives again are dropped: a line is known by its timestamp and
//! its content, kept only while a later request may give it again.

use std::collections::{BTreeSet, VecDeque};
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::stream::{self, BoxStream, StreamExt as _};
use reqwest::StatusCode;

/// The widest window the server takes: 7 days.
pub(crate) const MAX_WINDOW_MS: i64 = 7 * 24 * 60 * 60 * 1000;

/// The most lines one request may ask for.
pub(crate) const MAX_LIMIT: u64 = 1000;

/// The server's window when a call sets no start: the 30 minutes before its end.
pub(crate) const DEFAULT_WINDOW_MS: i64 = 30 * 60 * 1000;

/// The server's `limit` when a call sets none.
pub(crate) const DEFAULT_LIMIT: u64 = 500;

const NANOS_PER_MS: i128 = 1_000_000;

/// A log line as the logs operations answer it.
pub trait LogLine: serde::Serialize {
    /// When it was logged: epoch nanoseconds, as a string.
    fn timestamp(&self) -> &str;
}

/// How to follow logs: how often to ask, how far back to ask again, when to stop.
///
/// Each poll asks from [`Follow::margin`] before the newest line seen (lines arrive late, and
/// the server's clock is not this machine's) and yields only the lines not yielded before; it
/// keeps only the lines of that margin in memory, however long it runs.
#[derive(Clone, Debug)]
pub struct Follow {
    pub(crate) interval: Duration,
    pub(crate) margin: Duration,
    pub(crate) deadline: Option<Duration>,
    pub(crate) grace: Duration,
    pub(crate) not_found_grace: Duration,
}

impl Default for Follow {
    /// Ask every 2 s, again from 30 s before the newest line; no deadline; 10 s of lines after
    /// what logs them ended (truss waits as long); a 404 in the first 60 s is waited through.
    fn default() -> Self {
        Follow {
            interval: Duration::from_secs(2),
            margin: Duration::from_secs(30),
            deadline: None,
            grace: Duration::from_secs(10),
            not_found_grace: Duration::from_secs(60),
        }
    }
}

impl Follow {
    /// How long between two polls.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// How far before the newest line seen each poll asks again, for lines that arrive late.
    /// Lines later than that are missed; the memory held is the lines of this margin.
    pub fn margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// The follow ends (without an error) this long after it started.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How long a follow goes on after what logs them has ended (a training job done, failed
    /// or stopped): its last lines still arrive.
    pub fn grace_after_end(mut self, grace: Duration) -> Self {
        self.grace = grace;
        self
    }

    /// How long a 404 means "not visible yet" (a job just created) rather than "no such job".
    pub fn not_found_grace(mut self, grace: Duration) -> Self {
        self.not_found_grace = grace;
        self
    }
}

/// One request: the lines from `start_ms` to `end_ms` (`None`: the server's now), oldest
/// first, at most `limit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Window {
    pub(crate) start_ms: i64,
    pub(crate) end_ms: Option<i64>,
    pub(crate) limit: u64,
}

/// The lines yielded that a later request may give again: those at or after `horizon`.
#[derive(Default)]
struct Seen {
    horizon: i128,
    lines: BTreeSet<(i128, u64)>,
    /// The newest timestamp yielded, in nanoseconds.
    newest: Option<i128>,
}

impl Seen {
    /// Whether the line is new: not before the horizon, not yielded before.
    fn admit(&mut self, nanos: i128, key: u64) -> bool {
        let new = nanos >= self.horizon && self.lines.insert((nanos, key));
        if new {
            self.newest = self.newest.max(Some(nanos));
        }
        new
    }

    /// Forgets the lines before `nanos`: no request asks before it again.
    fn forget_before(&mut self, nanos: i128) {
        if nanos > self.horizon {
            self.horizon = nanos;
            self.lines = self.lines.split_off(&(nanos, 0));
        }
    }
}

/// A line's place in time and its identity.
fn place<T: LogLine>(operation: &'static str, line: &T) -> Result<(i128, u64), crate::Error> {
    let timestamp = line.timestamp();
    let nanos = timestamp
        .trim()
        .parse::<i128>()
        .map_err(|_| crate::Error::InvalidLogLine { operation, timestamp: timestamp.to_string() })?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    serde_json::to_vec(line).unwrap_or_default().hash(&mut hasher);
    Ok((nanos, hasher.finish()))
}

fn millisecond_of(nanos: i128) -> i64 {
    i64::try_from(nanos.div_euclid(NANOS_PER_MS)).unwrap_or(i64::MAX)
}

/// Epoch milliseconds now, by this machine's clock.
pub(crate) fn now_ms() -> i64 {
    let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
}

/// What reading one window gave: the new lines in time order, and where to go on.
struct Page<T> {
    lines: Vec<T>,
    /// Whether the window is exhausted (fewer lines than the limit came back).
    exhausted: bool,
}

/// The state of a read: where it is, how many lines a request asks for, what it has seen.
struct Reader<F> {
    operation: &'static str,
    fetch: F,
    cursor: i64,
    limit: u64,
    /// The limit the caller set: a crowded millisecond raises the limit for one request only.
    asked_limit: u64,
    seen: Seen,
    /// How far behind the newest line the seen lines are kept (0 for a read, the margin for a
    /// follow).
    keep_ms: i64,
    /// A millisecond too crowded to read past: the error after its first lines.
    crowded: Option<crate::Error>,
}

impl<T, F, Fut> Reader<F>
where
    T: LogLine,
    F: FnMut(Window) -> Fut,
    Fut: Future<Output = Result<Vec<T>, crate::Error>>,
{
    /// Asks for the lines from the cursor to `end_ms`, and moves the cursor past what came
    /// back: to the newest line's millisecond when the page was full, else to `end_ms`.
    async fn next(&mut self, end_ms: Option<i64>) -> Result<Page<T>, crate::Error> {
        if let Some(crowded) = self.crowded.take() {
            return Err(crowded);
        }
        let window = Window { start_ms: self.cursor, end_ms, limit: self.limit };
        let mut lines = Vec::new();
        for line in (self.fetch)(window).await? {
            let (nanos, key) = place(self.operation, &line)?;
            lines.push((nanos, key, line));
        }
        // A server may answer out of order: the stream never does.
        lines.sort_by_key(|(nanos, ..)| *nanos);
        let full = lines.len() as u64 >= self.limit;
        let newest = lines.last().map(|(nanos, ..)| millisecond_of(*nanos));
        let new: Vec<T> = lines
            .into_iter()
            .filter(|(nanos, key, _)| self.seen.admit(*nanos, *key))
            .map(|(.., line)| line)
            .collect();
        let exhausted = match (full, newest) {
            (true, Some(newest)) if newest > self.cursor => {
                (self.cursor, self.limit) = (newest, self.asked_limit);
                false
            }
            (true, _) if self.limit < MAX_LIMIT => {
                self.limit = MAX_LIMIT;
                false
            }
            (true, _) => {
                let (operation, millisecond, limit) = (self.operation, self.cursor, self.limit);
                self.crowded = Some(crate::Error::CrowdedMillisecond { operation, millisecond, limit });
                false
            }
            (false, _) => {
                if let Some(end) = end_ms {
                    self.cursor = self.cursor.max(end);
                }
                self.limit = self.asked_limit;
                true
            }
        };
        // No request asks before the cursor again, nor (following) before the margin.
        let newest = self.seen.newest.map(millisecond_of);
        let kept_from = newest.map_or(self.cursor, |newest| newest.saturating_sub(self.keep_ms)).min(self.cursor);
        self.seen.forget_before(i128::from(kept_from) * NANOS_PER_MS);
        Ok(Page { lines: new, exhausted })
    }
}

/// Every line from `start_ms` to `end_ms`, in time order, each once: the range split into
/// windows the server takes (7 days), each window read page by page.
pub(crate) fn read<'a, T, F, Fut>(
    operation: &'static str,
    (start_ms, end_ms): (i64, i64),
    limit: u64,
    fetch: F,
) -> BoxStream<'a, Result<T, crate::Error>>
where
    T: LogLine + Send + 'a,
    F: FnMut(Window) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Vec<T>, crate::Error>> + Send + 'a,
{
    let reader = Reader {
        operation,
        fetch,
        cursor: start_ms,
        limit,
        asked_limit: limit,
        seen: Seen::default(),
        keep_ms: 0,
        crowded: None,
    };
    let state = (reader, VecDeque::new(), start_ms > end_ms);
    stream::unfold(state, move |(mut reader, mut ready, mut done)| async move {
        loop {
            if let Some(line) = ready.pop_front() {
                return Some((Ok(line), (reader, ready, done)));
            }
            if done {
                return None;
            }
            let window_end = reader.cursor.saturating_add(MAX_WINDOW_MS).min(end_ms);
            match reader.next(Some(window_end)).await {
                Ok(page) => {
                    done = page.exhausted && window_end >= end_ms || reader.cursor > end_ms;
                    ready.extend(page.lines);
                }
                Err(error) => return Some((Err(error), (reader, ready, true))),
            }
        }
    })
    .boxed()
}

/// Whether what logs the lines has ended (a training job done, failed or stopped): asked after
/// each poll, when the logs end with something.
pub(crate) type Ended<'a> = Box<dyn FnMut() -> futures::future::BoxFuture<'a, Result<bool, crate::Error>> + Send + 'a>;

/// The state of a follow between polls.
struct Following<'a, F> {
    reader: Reader<F>,
    follow: Follow,
    started: Instant,
    ended: Option<Ended<'a>>,
    /// When `ended` first said so.
    ended_at: Option<Instant>,
    /// Whether the next request is a new poll (after the interval) or goes on with this one.
    polled: bool,
    /// The poll under way is the last.
    last_round: bool,
}

/// The lines as they arrive, from `start_ms`: a poll every interval from a margin before the
/// newest line seen, each line yielded once. Ends when the caller drops it, at the deadline, or
/// a grace period after `ended` says what logs them ended; a 404 in the first seconds is waited
/// through, any other failed request (after the client's retries) ends it with its error.
pub(crate) fn follow<'a, T, F, Fut>(
    operation: &'static str,
    start_ms: i64,
    limit: u64,
    follow: &Follow,
    fetch: F,
    ended: Option<Ended<'a>>,
) -> BoxStream<'a, Result<T, crate::Error>>
where
    T: LogLine + Send + 'a,
    F: FnMut(Window) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Vec<T>, crate::Error>> + Send + 'a,
{
    let keep_ms = i64::try_from(follow.margin.as_millis()).unwrap_or(i64::MAX);
    let reader = Reader {
        operation,
        fetch,
        cursor: start_ms,
        limit,
        asked_limit: limit,
        seen: Seen::default(),
        keep_ms,
        crowded: None,
    };
    let state = Following {
        reader,
        follow: follow.clone(),
        started: Instant::now(),
        ended,
        ended_at: None,
        polled: false,
        last_round: false,
    };
    stream::unfold((state, VecDeque::new()), |(mut state, mut ready)| async move {
        loop {
            if let Some(line) = ready.pop_front() {
                return Some((Ok(line), (state, ready)));
            }
            match state.poll().await {
                Ok(Some(lines)) => ready.extend(lines),
                Ok(None) => return None,
                Err(error) => {
                    // The next call ends it.
                    (state.polled, state.last_round) = (true, true);
                    return Some((Err(error), (state, ready)));
                }
            }
        }
    })
    .boxed()
}

impl<T, F, Fut> Following<'_, F>
where
    T: LogLine,
    F: FnMut(Window) -> Fut,
    Fut: Future<Output = Result<Vec<T>, crate::Error>>,
{
    /// One request's new lines; `None` when the follow is over.
    async fn poll(&mut self) -> Result<Option<Vec<T>>, crate::Error> {
        if self.polled {
            if self.last_round {
                return Ok(None);
            }
            // Over: one more poll reads what arrived meanwhile, then the follow ends.
            match self.over() {
                true => self.last_round = true,
                false => tokio::time::sleep(self.sleep()).await,
            }
        }
        let page = match self.reader.next(None).await {
            Ok(page) => page,
            Err(error)
                if error.status() == Some(StatusCode::NOT_FOUND)
                    && self.started.elapsed() < self.follow.not_found_grace =>
            {
                Page { lines: Vec::new(), exhausted: true }
            }
            Err(error) => return Err(error),
        };
        self.polled = page.exhausted;
        if page.exhausted {
            self.catch_up();
            self.check_ended().await?;
        }
        Ok(Some(page.lines))
    }

    /// After a poll: the next asks from the margin before the newest line (or, with none yet,
    /// from at most an hour ago, so the window never outgrows what the server takes).
    fn catch_up(&mut self) {
        let reader = &mut self.reader;
        reader.cursor = match reader.seen.newest {
            Some(newest) => {
                millisecond_of(newest).saturating_sub(reader.keep_ms).max(millisecond_of(reader.seen.horizon))
            }
            None => reader.cursor.max(now_ms().saturating_sub(60 * 60 * 1000)),
        };
    }

    async fn check_ended(&mut self) -> Result<(), crate::Error> {
        if self.ended_at.is_some() {
            return Ok(());
        }
        if let Some(ended) = self.ended.as_mut() {
            match ended().await {
                Ok(true) => self.ended_at = Some(Instant::now()),
                Ok(false) => {}
                Err(error)
                    if error.status() == Some(StatusCode::NOT_FOUND)
                        && self.started.elapsed() < self.follow.not_found_grace => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    /// Whether the follow is over: its deadline passed, or the grace after the end.
    fn over(&self) -> bool {
        let deadline = self.follow.deadline.is_some_and(|deadline| self.started.elapsed() >= deadline);
        deadline || self.ended_at.is_some_and(|at| at.elapsed() >= self.follow.grace)
    }

    /// The wait before the next poll: the interval, cut short by the deadline or the grace.
    fn sleep(&self) -> Duration {
        let mut sleep = self.follow.interval;
        if let Some(deadline) = self.follow.deadline {
            sleep = sleep.min(deadline.saturating_sub(self.started.elapsed()));
        }
        if let Some(at) = self.ended_at {
            sleep = sleep.min(self.follow.grace.saturating_sub(at.elapsed()));
        }
        sleep
    }
}

/// The range a `.stream()` reads: the call's start and end, or the server's defaults (the 30
/// minutes before now).
pub(crate) fn range(start_ms: Option<i64>, end_ms: Option<i64>) -> (i64, i64) {
    let end = end_ms.unwrap_or_else(now_ms);
    (start_ms.unwrap_or(end.saturating_sub(DEFAULT_WINDOW_MS)), end)
}
