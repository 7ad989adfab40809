//! The client's `tracing` output for a test (`it/traced.rs`): calls a mock server under a
//! recording subscriber and prints each span with its final fields, and each event with its
//! span, one per line (`span<TAB>name<TAB>field=value...`). A process of its own: a `tracing`
//! subscriber, once set anywhere, turns off the `log` records the other client tests read.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use baseten_management::mock::{self, Answer, MockServer, MockServerExt, Sequence};
use baseten_management::types::{DeploymentStatusV1, DeploymentV1};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A span as recorded: what it is, and its fields as they stand.
type Recorded = (&'static Metadata<'static>, BTreeMap<String, String>);

#[derive(Default)]
struct Recorder {
    next: AtomicU64,
    spans: Mutex<BTreeMap<u64, Recorded>>,
    events: Mutex<Vec<String>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

thread_local! {
    static ENTERED: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Subscriber for &'static Recorder {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target().starts_with("baseten_management")
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let mut fields = BTreeMap::new();
        span.record(&mut Fields(&mut fields));
        self.spans.lock().unwrap().insert(id, (span.metadata(), fields));
        Id::from_u64(id)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some((_, fields)) = self.spans.lock().unwrap().get_mut(&span.into_u64()) {
            values.record(&mut Fields(fields));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = BTreeMap::new();
        event.record(&mut Fields(&mut fields));
        let span = ENTERED.with(|entered| entered.borrow().last().copied()).unwrap_or(0);
        let mut line = format!("event\t{}\t{}\tspan={span}", event.metadata().level(), event.metadata().target());
        for (name, value) in fields {
            let _ = write!(line, "\t{name}={value}");
        }
        self.events.lock().unwrap().push(line);
    }
    fn enter(&self, span: &Id) {
        ENTERED.with(|entered| entered.borrow_mut().push(span.into_u64()));
    }
    fn exit(&self, _: &Id) {
        ENTERED.with(|entered| entered.borrow_mut().pop());
    }
    // `Span::current()`, which the client records the response's fields through.
    fn current_span(&self) -> tracing_core::span::Current {
        let Some(id) = ENTERED.with(|entered| entered.borrow().last().copied()) else {
            return tracing_core::span::Current::none();
        };
        match self.spans.lock().unwrap().get(&id) {
            Some((metadata, _)) => tracing_core::span::Current::new(Id::from_u64(id), metadata),
            None => tracing_core::span::Current::none(),
        }
    }
}

fn deployment(status: &str) -> DeploymentV1 {
    let created: baseten_management::chrono::DateTime<baseten_management::chrono::Utc> =
        "2026-01-02T03:04:05Z".parse().expect("a timestamp");
    let builder = DeploymentV1::builder().id("d1").model_id("m1").name("dev").created_at(created);
    let builder = builder.status(DeploymentStatusV1::from(status)).is_development(true).is_production(false);
    builder.active_replica_count(1).try_into().expect("a deployment")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let recorder: &'static Recorder = Box::leak(Box::default());
    tracing::subscriber::set_global_default(recorder).expect("the only subscriber");

    let server = MockServer::start_async().await;
    let sequence = Sequence::new();
    server.list_secrets(|when, then| {
        sequence.step(when);
        then.rate_limited(Duration::from_secs(2));
    });
    server.list_secrets(|when, then| {
        sequence.step(when);
        then.into_then().status(200).header("x-request-id", "req-1").body(r#"{"secrets": []}"#);
    });
    server.get_development_deployment(|when, then| {
        when.model_id("gone");
        then.error(404, "Model gone not found");
    });
    let client = mock::client_builder(&server).build().expect("a client for the mock server");
    client.list_secrets().send().await.expect("the list, after a 429");
    client.get_development_deployment().model_id("gone").send().await.expect_err("a 404");

    // A wait: a poll event with the status seen, each poll's call a span of its own.
    let polls = Sequence::new();
    for status in ["BUILDING", "ACTIVE"] {
        server.get_development_deployment(|when, then| {
            polls.step(when.model_id("m1"));
            then.ok(&deployment(status));
        });
    }
    let wait = baseten_management::Wait::default().interval(Duration::from_millis(1));
    client.wait_for_development_deployment("m1", &wait).await.expect("ACTIVE after BUILDING");

    for (id, (metadata, fields)) in recorder.spans.lock().unwrap().iter() {
        let mut line = format!("span\t{}\tid={id}", metadata.name());
        for (field, value) in fields {
            let _ = write!(line, "\t{field}={value}");
        }
        println!("{line}");
    }
    for line in recorder.events.lock().unwrap().iter() {
        println!("{line}");
    }
}
