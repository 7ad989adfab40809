//! Follow memory: a deployment's logs `.follow()` over hours of log lines (one every 10 ms, pages
//! of 1,000 that overlap by a line), gives the heap it holds as it goes, to show it stays
//! bounded by the follow's margin, not by the lines it has seen, and how many lines it yielded.
//! `cargo bench -p tests --bench follow`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use baseten_management::{Client, Follow};
use futures::StreamExt as _;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

mod machine;

/// Counts the bytes allocated and not yet freed.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// `GlobalAlloc` is an unsafe trait: counting the heap needs these two lines of it.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the layout is the caller's, passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The log's start, in epoch milliseconds, and one line every `STEP_MS`.
const START_MS: i64 = 1_780_000_000_000;
const STEP_MS: i64 = 10;
const HOURS: i64 = 4;

/// The body answering `target`: a window's lines from its start (and the line before it, an
/// overlap the follow must drop), at most `limit`, of `lines` lines from `START_MS` on.
fn answer(target: &str, lines: i64) -> String {
    let query = |name: &str| {
        target
            .split(['?', '&'])
            .find_map(|pair| pair.strip_prefix(&format!("{name}=")).and_then(|v| v.parse::<i64>().ok()))
    };
    let (start, limit) = (query("start_epoch_millis").unwrap_or(START_MS), query("limit").unwrap_or(500));
    let first = ((start - START_MS + STEP_MS - 1) / STEP_MS).max(1) - 1;
    let last = (first + limit + 1).min(lines);
    let line = |k: i64| {
        let nanos = (START_MS + k * STEP_MS) * 1_000_000 + k % 7;
        format!(r#"{{"timestamp":"{nanos}","message":"line {k}","replica":null}}"#)
    };
    let items: Vec<String> = (first..last).map(line).collect();
    format!(r#"{{"logs":[{}]}}"#, items.join(","))
}

/// Serves [`answer`] on 127.0.0.1, one request per connection.
async fn serve(lines: i64) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let (mut buffer, mut chunk) = (Vec::new(), [0u8; 4096]);
            while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                }
            }
            let head = String::from_utf8_lossy(&buffer).to_string();
            let body = answer(head.split_whitespace().nth(1).unwrap_or("/"), lines);
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
        }
    });
    url
}

fn main() {
    let lines = HOURS * 60 * 60 * 1000 / STEP_MS;
    println!(
        "follow memory: release build, {HOURS} h of lines (one every {STEP_MS} ms: {lines}), pages of 1,000 overlapping by a line, margin 30 s; {}",
        machine::machine()
    );
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let url = serve(lines).await;
        let client = Client::builder().base_url(url).api_key("bench").build().expect("a client");
        let follow = Follow::default().interval(Duration::from_millis(1)).deadline(Duration::from_secs(600));
        let call = client.list_deployment_logs().model_id("m").deployment_id("d");
        let mut stream = call.start_epoch_millis(START_MS).limit(1000u64).follow(&follow);
        let (started, baseline) = (Instant::now(), LIVE.load(Ordering::Relaxed));
        println!();
        println!("| lines yielded | log time covered | heap held by the follow | elapsed |");
        println!("|---|---|---|---|");
        let mut yielded = 0i64;
        let mut previous: Option<String> = None;
        while let Some(line) = stream.next().await {
            let line = line.expect("a line");
            assert!(previous.as_deref() != Some(line.timestamp.as_str()) || yielded == 0, "a repeat yielded");
            previous = Some(line.timestamp);
            yielded += 1;
            if yielded % (lines / 8) == 0 {
                let held = LIVE.load(Ordering::Relaxed).saturating_sub(baseline);
                let covered = yielded * STEP_MS / 60_000;
                println!(
                    "| {yielded} | {covered} min | {} KiB | {:.1} s |",
                    held / 1024,
                    started.elapsed().as_secs_f64()
                );
            }
            if yielded == lines {
                break;
            }
        }
        assert_eq!(yielded, lines, "every line once");
    });
}
