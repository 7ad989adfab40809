//! Each logs operation's `.stream()` against mocks: a window of three lines the server gives in
//! requests of two, each repeating the newest line of the one before: each line once, in order;
//! and its `.follow()` to its deadline. The cases are generated from the spec
//! (`logs/cases.rs`), one per logs operation; the harness is this file. Needs the `mock` feature
//! (`Cargo.toml` says so).

use std::time::Duration;

use baseten_management::Follow;
use baseten_management::mock::httpmock::Method::GET;
use baseten_management::mock::{self, MockServer};
use futures::StreamExt as _;
use serde_json::{Value, json};

#[path = "logs/cases.rs"]
mod cases;

/// The window's start, in epoch milliseconds.
const START: i64 = 1_780_000_000_000;

/// `line` at the millisecond `START + ms`.
fn at(line: &str, ms: i64) -> Value {
    let mut line: Value = serde_json::from_str(line).expect("a line");
    line["timestamp"] = json!(((START + ms) * 1_000_000).to_string());
    line
}

/// A server giving the lines at 0 and 1 ms from `START`, then (asked from 1 ms) 1 and 2, then
/// (from 2 ms) 2: pages that overlap by a line.
async fn serve(path: &str, lines: &str, line: &str) -> MockServer {
    let server = MockServer::start_async().await;
    for (from, ms) in [(START, &[0, 1][..]), (START + 1, &[1, 2]), (START + 2, &[2])] {
        let page = json!({ lines: ms.iter().map(|ms| at(line, *ms)).collect::<Vec<_>>() });
        server.mock(|when, then| {
            when.method(GET).path(path).query_param("start_epoch_millis", from.to_string());
            then.status(200).json_body(page);
        });
    }
    server
}
