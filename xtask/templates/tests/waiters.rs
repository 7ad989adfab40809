//! Each waiter against mocks playing its lifecycle: a 404 (not visible yet), statuses on their
//! way, then ready; a failure is an error naming what failed; a deployment waits for `ACTIVE`
//! only when asked; a promotion is waited for until the deployment serves its environment. The
//! cases are generated from `spec/lifecycles.txt` (`waiters/cases.rs`); the harness is this
//! file. Needs the `mock` feature (`Cargo.toml` says so).

use std::time::Duration;

use baseten_management::mock::httpmock::Method::GET;
use baseten_management::mock::{self, MockServer, Sequence};
use baseten_management::{Client, Wait, WaitErrorKind};
use serde_json::{Value, json};

#[path = "waiters/cases.rs"]
mod cases;

/// A mock server answering one path in turn, the answers it gave, and a client of it.
struct Served {
    _server: MockServer,
    sequence: Sequence,
    client: Client,
}

/// Serves `path` in turn: a 404 for `None`, else `answer` with each JSON pointer of the change
/// set to its value.
async fn serve(path: &str, answer: &str, changes: &[Option<Value>]) -> Served {
    let (server, sequence) = (MockServer::start_async().await, Sequence::new());
    for change in changes {
        let mut body: Value = serde_json::from_str(answer).expect("an answer");
        server.mock(|when, then| {
            sequence.step(when.method(GET).path(path));
            let Some(change) = change else {
                then.status(404).json_body(json!({ "error": "not found" }));
                return;
            };
            for (pointer, value) in change.as_object().expect("pointers") {
                *body.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer} in the answer")) = value.clone();
            }
            then.status(200).json_body(body);
        });
    }
    let client = mock::client_builder(&server).build().expect("a client");
    Served { _server: server, sequence, client }
}

/// Each status at `pointer`, as a change of the answer; `None` a 404.
fn statuses(pointer: &str, statuses: &[Option<&str>]) -> Vec<Option<Value>> {
    statuses.iter().map(|status| status.map(|status| json!({ pointer: status }))).collect()
}

fn quick() -> Wait {
    // A 404 after the mocks' last answer ends a wait in seconds, not the default minute.
    Wait::default().interval(Duration::from_millis(1)).not_found_grace(Duration::from_secs(2))
}
