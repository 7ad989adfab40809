//! The logs operations' `.stream()` and `.follow()` against a log server playing a timeline:
//! lines with nanosecond timestamps (many in one millisecond), arriving late, a training job
//! that runs and completes; and servers that misbehave: pages that overlap, repeat or come out
//! of order, more lines in one millisecond than a request can read, a failing request, windows
//! over 7 days refused as the docs say.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use baseten_management::types::LogV1;
use baseten_management::{Client, Error, Follow, RetryPolicy};
use futures::StreamExt as _;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::check;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;
const NS_PER_MS: i64 = 1_000_000;

/// One line of the timeline: when it was logged, and how long after the server started it
/// becomes visible (late lines arrive after newer ones).
#[derive(Clone, Debug)]
struct Line {
    nanos: i64,
    message: String,
    visible_after: Duration,
}

/// How the server misbehaves.
#[derive(Clone, Copy, Default, Debug)]
struct Faults {
    /// Each page also carries the line just before its window (pages overlap).
    overlap: bool,
    /// Each line twice in its page.
    repeat: bool,
    /// Each page newest first.
    reversed: bool,
    /// From this request on (1-based), every logs request is answered 500.
    fail_from: Option<usize>,
    /// The logs are 404 for this long after the start (a job not visible yet).
    not_found_for: Duration,
}

/// What the server holds and saw.
struct State {
    lines: Vec<Line>,
    faults: Faults,
    started: Instant,
    /// The training job's status from each time on.
    job: Vec<(Duration, &'static str)>,
    /// Each logs request's `(start, end, limit)`.
    windows: Vec<(i64, Option<i64>, u64)>,
}

struct LogServer {
    url: String,
    state: Arc<Mutex<State>>,
    _task: tokio::task::JoinHandle<()>,
}

const LOGS: &str = "/v1/training_projects/p1/jobs/j1/logs";
const JOB: &str = "/v1/training_projects/p1/jobs/j1";
const JOBS: &str = "/v1/training_projects/p1/jobs";
const CHECKPOINTS: &str = "/v1/training_projects/p1/jobs/j1/checkpoints";

impl LogServer {
    async fn start(lines: Vec<Line>, faults: Faults, job: Vec<(Duration, &'static str)>) -> LogServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State { lines, faults, started: Instant::now(), job, windows: Vec::new() }));
        let shared = Arc::clone(&state);
        let task = tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let state = Arc::clone(&shared);
                tokio::spawn(async move {
                    let mut buffer = Vec::new();
                    let mut chunk = [0u8; 4096];
                    while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let head = String::from_utf8_lossy(&buffer).to_string();
                    // Read the body too (a create's), or closing with it unread resets the connection.
                    let length = head
                        .lines()
                        .find_map(|line| {
                            line.to_ascii_lowercase().strip_prefix("content-length:").map(|n| n.trim().to_string())
                        })
                        .and_then(|n| n.parse::<usize>().ok())
                        .unwrap_or(0);
                    let header_end = buffer.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(0) + 4;
                    while buffer.len() < header_end + length {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let (status, body) = answer(&mut state.lock().unwrap(), &target);
                    let response = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                });
            }
        });
        LogServer { url, state, _task: task }
    }

    fn client(&self) -> Client {
        let retry = RetryPolicy::default()
            .initial_backoff(Duration::from_millis(1))
            .max_backoff(Duration::from_millis(2));
        Client::builder().base_url(&self.url).api_key("test").retry(retry).build().unwrap()
    }

    fn windows(&self) -> Vec<(i64, Option<i64>, u64)> {
        self.state.lock().unwrap().windows.clone()
    }
}

/// The server's answer to `target`: the job's status, or the logs of the window asked for,
/// oldest first, at most `limit` (a window over 7 days or a limit over 1000 refused).
fn answer(state: &mut State, target: &str) -> (u16, String) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let elapsed = state.started.elapsed();
    let status = state.job.iter().rev().find(|(from, _)| elapsed >= *from).map_or("TRAINING_JOB_CREATED", |(_, s)| s);
    match path {
        JOB => return (200, job(status)),
        JOBS => return (200, format!(r#"{{"training_job":{}}}"#, training_job(status))),
        CHECKPOINTS => {
            let checkpoint = r#"{"checkpoint_id":"checkpoint-1","created_at":"2026-12-01T00:00:00Z","checkpoint_type":"lora",
                "base_model":"m","lora_adapter_config":null,"size_bytes":1,"training_job_id":"j1"}"#;
            return (200, format!(r#"{{"training_job":{},"checkpoints":[{checkpoint}]}}"#, training_job(status)));
        }
        _ => {}
    }
    if path != LOGS {
        return (404, r#"{"error":"no route"}"#.to_string());
    }
    if elapsed < state.faults.not_found_for {
        return (404, r#"{"error":"Training job not found"}"#.to_string());
    }
    let query: HashMap<&str, &str> = query.split('&').filter_map(|pair| pair.split_once('=')).collect();
    let number = |name: &str| query.get(name).and_then(|value| value.parse::<i64>().ok());
    let now_ms = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()) as i64;
    let end = number("end_epoch_millis");
    let (end_ms, start_ms) = (end.unwrap_or(now_ms), number("start_epoch_millis").unwrap_or(now_ms - 30 * 60 * 1000));
    let limit = number("limit").unwrap_or(500) as u64;
    state.windows.push((start_ms, end, limit));
    if state.faults.fail_from.is_some_and(|from| state.windows.len() >= from) {
        return (500, r#"{"error":"internal"}"#.to_string());
    }
    if end_ms - start_ms > 7 * DAY_MS || limit > 1000 {
        return (400, r#"{"error":"the window must not exceed 7 days"}"#.to_string());
    }
    let visible = |line: &&Line| line.visible_after <= elapsed;
    let mut lines: Vec<&Line> = state
        .lines
        .iter()
        .filter(visible)
        .filter(|line| line.nanos >= start_ms * NS_PER_MS && line.nanos < (end_ms + 1) * NS_PER_MS)
        .collect();
    lines.sort_by_key(|line| line.nanos);
    lines.truncate(limit as usize);
    if state.faults.overlap {
        let before = state
            .lines
            .iter()
            .filter(visible)
            .filter(|line| line.nanos < start_ms * NS_PER_MS)
            .max_by_key(|l| l.nanos);
        lines.extend(before);
    }
    if state.faults.repeat {
        lines = lines.into_iter().flat_map(|line| [line, line]).collect();
    }
    if state.faults.reversed {
        lines.reverse();
    }
    let lines: Vec<String> = lines
        .iter()
        .map(|line| format!(r#"{{"timestamp":"{}","message":"{}","replica":null}}"#, line.nanos, line.message))
        .collect();
    (200, format!(r#"{{"logs":[{}]}}"#, lines.join(",")))
}

fn job(status: &str) -> String {
    format!(
        r#"{{"training_project":{{"id":"p1","name":"p","created_at":"2026-12-01T00:00:00Z","updated_at":"2026-12-01T00:00:00Z","team_name":"t","latest_job":null}},
        "training_job":{}}}"#,
        training_job(status)
    )
}

fn training_job(status: &str) -> String {
    let instance = r#"{"id":"i","name":"H100","memory_limit_mib":1,"millicpu_limit":1,"gpu_count":1,"gpu_type":"H100","gpu_memory_limit_mib":1}"#;
    let project = r#"{"id":"p1","name":"p"}"#;
    format!(
        r#"{{"id":"j1","created_at":"2026-12-01T00:00:00Z","updated_at":"2026-12-01T00:00:00Z","current_status":"{status}",
        "instance_type":{instance},"training_project_id":"p1","training_project":{project}}}"#
    )
}

/// Lines from `start_ms`: `per_ms[i]` lines in the millisecond `start_ms + i * step_ms`.
fn timeline(start_ms: i64, step_ms: i64, per_ms: &[usize]) -> Vec<Line> {
    let mut lines = Vec::new();
    for (i, count) in per_ms.iter().enumerate() {
        for n in 0..*count {
            let nanos = (start_ms + i as i64 * step_ms) * NS_PER_MS + n as i64;
            lines.push(Line { nanos, message: format!("line {}", lines.len()), visible_after: Duration::ZERO });
        }
    }
    lines
}

fn messages(lines: &[LogV1]) -> Vec<String> {
    lines.iter().map(|line| line.message.clone()).collect()
}

async fn read_all(client: &Client, start_ms: i64, end_ms: i64, limit: u64) -> (Vec<LogV1>, Option<Error>) {
    let call = client.list_training_project_job_logs().training_project_id("p1").training_job_id("j1");
    let mut stream = call.start_epoch_millis(start_ms).end_epoch_millis(end_ms).limit(limit).stream();
    let mut lines = Vec::new();
    while let Some(line) = stream.next().await {
        match line {
            Ok(line) => lines.push(line),
            Err(error) => return (lines, Some(error)),
        }
    }
    (lines, None)
}

const START_MS: i64 = 1_780_000_000_000;

/// Twenty days of lines, 600 of them in one millisecond, read in pages of 250: every line once,
/// in order, in windows the server takes, however the server pages.
#[tokio::test]
async fn a_stream_reads_every_line_of_twenty_days_once_in_order_whatever_the_server_does() {
    let mut per_ms = vec![3; 200];
    per_ms[57] = 600;
    let lines = timeline(START_MS, DAY_MS / 10, &per_ms);
    let expected: Vec<String> = lines.iter().map(|line| line.message.clone()).collect();
    let faults = [
        Faults::default(),
        Faults { overlap: true, ..Faults::default() },
        Faults { repeat: true, ..Faults::default() },
        Faults { reversed: true, overlap: true, repeat: true, ..Faults::default() },
    ];
    for fault in faults {
        let server = LogServer::start(lines.clone(), fault, Vec::new()).await;
        let (read, error) = read_all(&server.client(), START_MS, START_MS + 20 * DAY_MS, 250).await;
        assert!(error.is_none(), "{fault:?}: {error:?}");
        check(&format!("{fault:?}"), "lines read", messages(&read), expected.clone());
        let windows = server.windows();
        let widest = windows.iter().map(|(start, end, _)| end.unwrap() - start).max().unwrap();
        assert!(widest <= 7 * DAY_MS, "{fault:?}: a window of {widest} ms");
        // The crowded millisecond asked once more, with 1000, then went back to 250.
        assert!(windows.iter().any(|(.., limit)| *limit == 1000) && windows.last().unwrap().2 == 250, "{windows:?}");
    }
}

/// More lines in one millisecond than a request can read: every line up to the first 1000 of
/// it, then an error naming the millisecond; no loop, nothing dropped without a word.
#[tokio::test]
async fn more_lines_in_one_millisecond_than_a_request_reads_end_with_an_error_not_a_loop() {
    let lines = timeline(START_MS, 1, &[5, 1200, 5]);
    let server = LogServer::start(lines, Faults::default(), Vec::new()).await;
    let (read, error) = read_all(&server.client(), START_MS, START_MS + 10, 100).await;
    check("1200 lines in one millisecond", "lines before the error", read.len(), 5 + 1000);
    match error {
        Some(Error::CrowdedMillisecond { millisecond, limit: 1000, .. }) => {
            check("crowded", "millisecond", millisecond, START_MS + 1)
        }
        other => panic!("not CrowdedMillisecond: {other:?}"),
    }
    assert!(server.windows().len() <= 4, "{:?}", server.windows());
}

/// A request that fails after the client's retries ends the stream with its error, after the
/// lines before it.
#[tokio::test]
async fn a_failing_request_ends_the_stream_with_its_error() {
    let lines = timeline(START_MS, 1, &[3; 10]);
    let faults = Faults { fail_from: Some(2), ..Faults::default() };
    let server = LogServer::start(lines, faults, Vec::new()).await;
    let (read, error) = read_all(&server.client(), START_MS, START_MS + 20, 10).await;
    check("the second request fails", "lines before", messages(&read).len(), 10);
    let status = error.as_ref().and_then(Error::status).map(|status| status.as_u16());
    check("the second request fails", "the error's status", status, Some(500));
}

/// A training job's logs followed while it runs: 404 at first (not visible yet), lines arriving
/// in batches and late (older than lines already seen, within the margin), repeated by
/// overlapping pages; the job completes at 500 ms and the follow ends by itself a grace later,
/// with the lines that arrive in the grace (up to 690 ms). Each line once, none missed.
#[tokio::test]
async fn a_follow_yields_each_line_once_as_it_arrives_and_ends_after_the_job() {
    let now = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()) as i64;
    let mut lines = Vec::new();
    for i in 0..60i64 {
        let arrives = Duration::from_millis(100 + 10 * i as u64);
        // Every fifth line is logged 200 ms before it arrives (late); the others as they arrive.
        let logged = now + 100 + 10 * i - if i % 5 == 0 { 200 } else { 0 };
        for n in 0..3 {
            let nanos = logged * NS_PER_MS + n;
            lines.push(Line { nanos, message: format!("line {i}.{n}"), visible_after: arrives });
        }
    }
    let expected: std::collections::BTreeSet<String> = lines.iter().map(|line| line.message.clone()).collect();
    let faults = Faults { overlap: true, not_found_for: Duration::from_millis(60), ..Faults::default() };
    let job = vec![(Duration::ZERO, "TRAINING_JOB_RUNNING"), (Duration::from_millis(500), "TRAINING_JOB_COMPLETED")];
    let server = LogServer::start(lines, faults, job).await;
    let client = server.client();
    let follow = Follow::default()
        .interval(Duration::from_millis(20))
        .margin(Duration::from_millis(500))
        .grace_after_end(Duration::from_millis(300))
        .deadline(Duration::from_secs(20));
    let started = Instant::now();
    let call = client.list_training_project_job_logs().training_project_id("p1").training_job_id("j1");
    let followed: Vec<LogV1> =
        call.start_epoch_millis(now - 1000).limit(7).follow(&follow).map(Result::unwrap).collect().await;
    let took = started.elapsed();
    let got = messages(&followed);
    let unique: std::collections::BTreeSet<String> = got.iter().cloned().collect();
    check("a followed job", "lines repeated", got.len() - unique.len(), 0);
    check("a followed job", "lines", unique, expected);
    assert!(took < Duration::from_secs(5), "the follow ended with the job, not the deadline: {took:?}");
}

/// The crate's training example (`examples/train.rs`), compiled here against the client.
#[allow(dead_code)]
#[rustfmt::skip]
#[path = "../../generated/examples/train.rs"]
mod train_example;

/// The training example against a job that is created, queues, runs while its lines arrive
/// (some late, pages overlapping) and completes: the example follows the logs while waiting,
/// gives each line once, and answers the job's checkpoints.
#[tokio::test]
async fn the_training_example_follows_a_job_to_its_checkpoints() {
    let now = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()) as i64;
    let lines: Vec<Line> = (0..40i64)
        .map(|i| Line {
            nanos: (now + 50 + 10 * i - if i % 4 == 0 { 100 } else { 0 }) * NS_PER_MS,
            message: format!("step {i}"),
            visible_after: Duration::from_millis(50 + 10 * i as u64),
        })
        .collect();
    let job = vec![
        (Duration::ZERO, "TRAINING_JOB_CREATED"),
        (Duration::from_millis(30), "TRAINING_JOB_QUEUED"),
        (Duration::from_millis(60), "TRAINING_JOB_RUNNING"),
        (Duration::from_millis(300), "TRAINING_JOB_COMPLETED"),
    ];
    let server = LogServer::start(lines, Faults { overlap: true, ..Faults::default() }, job).await;
    let client = server.client();
    let wait = baseten_management::Wait::default()
        .interval(Duration::from_millis(20))
        .deadline(Duration::from_secs(20));
    let follow = Follow::default()
        .interval(Duration::from_millis(20))
        .margin(Duration::from_millis(300))
        .grace_after_end(Duration::from_millis(300))
        .deadline(Duration::from_secs(20));
    let mut seen = Vec::new();
    let checkpoints =
        train_example::train(&client, "p1", "hello-world", &wait, &follow, |line| seen.push(line.message.clone()))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    check("the training example", "checkpoints", checkpoints.len(), 1);
    let mut sorted = seen.clone();
    sorted.sort_by_key(|message| message[5..].parse::<u32>().unwrap());
    sorted.dedup();
    check("the training example", "lines, each once", seen.len(), 40);
    check("the training example", "distinct lines", sorted.len(), 40);
}

/// A follow whose polls start failing (500 after the client's retries) yields the lines before
/// and then the error, and ends; one whose job never ends stops at its deadline.
#[tokio::test]
async fn a_follow_ends_with_a_failing_poll_or_at_its_deadline() {
    let now = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()) as i64;
    let lines = timeline(now - 1000, 1, &[2; 5]);
    let follow = Follow::default().interval(Duration::from_millis(10)).deadline(Duration::from_secs(20));
    let faults = Faults { fail_from: Some(3), ..Faults::default() };
    let job = vec![(Duration::ZERO, "TRAINING_JOB_RUNNING")];
    let server = LogServer::start(lines.clone(), faults, job.clone()).await;
    let client = server.client();
    let call = client.list_training_project_job_logs().training_project_id("p1").training_job_id("j1");
    let followed: Vec<Result<LogV1, Error>> = call.start_epoch_millis(now - 2000).follow(&follow).collect().await;
    let (errors, lines_read): (Vec<_>, Vec<_>) = followed.iter().partition(|line| line.is_err());
    check("polls failing from the third", "lines, then errors", (lines_read.len(), errors.len()), (10, 1));
    assert!(followed.last().is_some_and(Result::is_err), "the error comes last");

    let server = LogServer::start(lines, Faults::default(), job).await;
    let client = server.client();
    let call = client.list_training_project_job_logs().training_project_id("p1").training_job_id("j1");
    let started = Instant::now();
    let follow = follow.deadline(Duration::from_millis(200));
    let followed: Vec<Result<LogV1, Error>> = call.start_epoch_millis(now - 2000).follow(&follow).collect().await;
    check("a job that never ends", "lines", followed.iter().filter(|line| line.is_ok()).count(), 10);
    assert!(started.elapsed() < Duration::from_secs(10), "ended at its deadline: {:?}", started.elapsed());
}
