//! The contract harness: serves an OpenAPI document with Prism (a mock server no one here wrote:
//! it validates each request against the document and answers with random responses that conform
//! to it) and calls every case through the typed client. A request the document rejects, a
//! response the types cannot decode, and an enum value the client does not list all fail, each
//! named by document, operation and case.
//!
//! Needs Node.js (npx); Prism is installed from npm on first use.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use baseten_management::{Client, Error, ResponseValue, RetryPolicy};

/// Pinned: a new Prism may validate differently.
const PRISM: &str = "@stoplight/prism-cli@5.16.0";

/// `;`-separated documents to serve instead of the crate's own `openapi.yaml`, as JSON (they may
/// lack some operations: Prism could route those to another path); a path ending in
/// `=responses` is checked for what its responses decode to only (an older era's document,
/// whose server the client need not send valid requests to).
pub(crate) const DOCUMENTS_VAR: &str = "BASETEN_CONTRACT_DOCUMENTS";
/// A file of failures expected, one per line, `<document file>: <operation>` (optionally with
/// ` (<arguments>)`), `#` for comments: each must happen, and nothing else may.
pub(crate) const EXPECTED_VAR: &str = "BASETEN_CONTRACT_EXPECTED";
/// Calls per case (Prism's answers are random: more calls, more shapes); 10 by default.
pub(crate) const CALLS_VAR: &str = "BASETEN_CONTRACT_CALLS";

/// What a call gave: Prism's `sl-violations` header, and the first enum value the client does
/// not list (`Unknown("...")` in the decoded body), if any.
pub(crate) struct Answer {
    violations: Option<String>,
    unlisted: Option<String>,
}

pub(crate) type Outcome = Result<Answer, Error>;
type Call = for<'a> fn(&'a Client) -> Pin<Box<dyn Future<Output = Outcome> + 'a>>;

/// One call of one operation with one set of arguments.
pub(crate) struct Case {
    pub(crate) operation: &'static str,
    /// `GET`, `/v1/models/{model_id}`: how a document names the operation.
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
    /// `required arguments`, `every argument`, or what a hand-written case shows.
    pub(crate) arguments: &'static str,
    pub(crate) call: Call,
}

/// The call's answer: its violations, and any value the client's enums do not list.
pub(crate) fn outcome<'a, T: std::fmt::Debug + 'a>(
    send: impl Future<Output = Result<ResponseValue<T>, Error>> + 'a,
) -> Pin<Box<dyn Future<Output = Outcome> + 'a>> {
    Box::pin(async move {
        let response = send.await?;
        let violations = response.headers().get("sl-violations");
        let violations = violations.map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        // An open enum's catch-all prints as `Unknown("value")` (or `Unlisted`): strings print
        // their quotes escaped, so nothing else matches.
        let decoded = format!("{:?}", response.into_inner());
        let unlisted = ["Unknown(\"", "Unlisted(\""]
            .iter()
            .find_map(|marker| decoded.find(marker).map(|at| decoded[at..].chars().take(60).collect::<String>()));
        Ok(Answer { violations, unlisted })
    })
}

/// A document to serve, and what it checks.
#[derive(Debug, Clone)]
pub(crate) struct Document {
    pub(crate) path: PathBuf,
    /// Whether the client must send requests this document accepts; if not, only what the
    /// responses decode to is checked.
    pub(crate) requests: bool,
    /// Whether the document may lack some of the cases' operations (another era's, a page's):
    /// it is JSON, read to call only the operations it has.
    pub(crate) partial: bool,
}

impl Document {
    pub(crate) fn label(&self) -> String {
        self.path
            .file_name()
            .map_or_else(|| self.path.display().to_string(), |n| n.to_string_lossy().into_owned())
    }

    /// Whether the document declares `method path`; a whole document (not `partial`) has all.
    fn has(&self, operations: &Option<serde_json::Value>, method: &str, path: &str) -> bool {
        let Some(document) = operations else { return true };
        document["paths"].get(path).and_then(|item| item.get(method.to_lowercase())).is_some()
    }

    /// The document, when it may lack operations: to know which.
    fn read(&self) -> Option<serde_json::Value> {
        if !self.partial {
            return None;
        }
        let text = std::fs::read_to_string(&self.path)
            .unwrap_or_else(|e| panic!("{}: cannot read the document: {e}", self.path.display()));
        let document = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: a partial document must be JSON: {e}", self.path.display()));
        Some(document)
    }
}

/// The failures `BASETEN_CONTRACT_EXPECTED` lists, if it names a file.
pub(crate) fn expected() -> Vec<String> {
    std::env::var(EXPECTED_VAR).map(|file| expected_in(Path::new(&file))).unwrap_or_default()
}

/// The failures `file` lists, one a line, `#` for comments.
pub(crate) fn expected_in(file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let lines = text.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#'));
    lines.map(str::to_string).collect()
}

/// `failures` less those `expected` covers, and the expected failures that did not happen.
/// `doc: operation` covers both of its cases, `doc: operation (arguments)` one, `doc: Prism log:
/// text` a line of that document's Prism log holding `text`; `may doc: …` need not happen: it
/// hangs on Prism's random answers (an enum value drawn or not, a list empty or not).
pub(crate) fn against(failures: Vec<String>, expected: &[String]) -> (Vec<String>, Vec<String>) {
    let entry = |e: &String| e.strip_prefix("may ").unwrap_or(e).to_string();
    let covers = |e: &str, failure: &str| match e.split_once(": Prism log: ") {
        Some((doc, text)) => failure.starts_with(&format!("{doc}: Prism log: ")) && failure.contains(text),
        None => failure.starts_with(&format!("{e} (")) || failure.starts_with(&format!("{e},")),
    };
    let (known, failures): (Vec<String>, Vec<String>) =
        failures.into_iter().partition(|failure| expected.iter().any(|e| covers(&entry(e), failure)));
    let must = expected.iter().filter(|e| !e.starts_with("may "));
    let stale = must.filter(|e| !known.iter().any(|k| covers(e, k))).cloned().collect();
    (failures, stale)
}

/// The documents `BASETEN_CONTRACT_DOCUMENTS` names, or else the crate's own `openapi.yaml`.
pub(crate) fn documents(crate_dir: &str) -> Vec<Document> {
    match std::env::var(DOCUMENTS_VAR) {
        Ok(list) if !list.trim().is_empty() => list
            .split(';')
            .map(|entry| match entry.trim().strip_suffix("=responses") {
                Some(path) => Document { path: PathBuf::from(path), requests: false, partial: true },
                None => Document { path: PathBuf::from(entry.trim()), requests: true, partial: true },
            })
            .collect(),
        _ => vec![Document { path: Path::new(crate_dir).join("openapi.yaml"), requests: true, partial: false }],
    }
}

pub(crate) fn calls_per_case() -> usize {
    std::env::var(CALLS_VAR).ok().and_then(|n| n.parse().ok()).unwrap_or(10)
}

/// What one document's run saw.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    pub(crate) failures: Vec<String>,
    pub(crate) calls: usize,
    /// Cases whose operation the document does not have.
    pub(crate) absent: Vec<String>,
    /// Cases whose request a responses-only document rejects: nothing to decode.
    pub(crate) rejected: Vec<String>,
    /// Calls whose answer Prism generated against the document it serves, called again.
    pub(crate) broken_by_prism: usize,
}

/// Serves `document` with Prism and calls each case `calls` times; a case whose operation the
/// document lacks is called once.
pub(crate) fn run(document: &Document, cases: &[Case], calls: usize) -> Tally {
    let label = document.label();
    let prism = Prism::start(&document.path);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    let client = Client::builder()
        .base_url(&prism.url)
        .api_key("contract-test-key")
        .retry(RetryPolicy::disabled())
        .build()
        .expect("a client for Prism");
    let mut tally = Tally::default();
    let operations = document.read();
    for case in cases {
        let name = format!("{label}: {} ({})", case.operation, case.arguments);
        if !document.has(&operations, case.method, case.path) {
            tally.absent.push(name);
            continue;
        }
        for call in 1..=calls {
            tally.calls += 1;
            let outcome = runtime.block_on((case.call)(&client));
            match judge(document, outcome) {
                Verdict::Pass => continue,
                Verdict::PrismBrokeItsDocument => {
                    tally.broken_by_prism += 1;
                    continue;
                }
                Verdict::Rejected => tally.rejected.push(name.clone()),
                Verdict::Fail(why) => tally.failures.push(format!("{name}, call {call}: {why}")),
            }
            break;
        }
    }
    if document.requests {
        // Prism's own answers breaking the document it serves are its generator's doing (a
        // pattern with a lookahead, say), not the client's: the calls above called again.
        let log = prism.log();
        let lines = log.lines().filter(|line| !line.contains("Violation: response."));
        for line in lines.filter(|line| line.contains("Violation") || line.contains("✖")) {
            tally.failures.push(format!("{label}: Prism log: {}", line.trim()));
        }
    }
    tally
}

enum Verdict {
    Pass,
    Rejected,
    /// Prism's answer breaks the document Prism serves (its `sl-violations` are all about the
    /// response): nothing learnt about the client, so it is called again.
    PrismBrokeItsDocument,
    Fail(String),
}

fn judge(document: &Document, outcome: Outcome) -> Verdict {
    match outcome {
        Ok(Answer { violations: Some(violations), .. }) if only_in_the_response(&violations) => {
            Verdict::PrismBrokeItsDocument
        }
        Err(Error::Decode { headers, .. })
            if headers
                .get("sl-violations")
                .is_some_and(|v| only_in_the_response(&String::from_utf8_lossy(v.as_bytes()))) =>
        {
            Verdict::PrismBrokeItsDocument
        }
        Ok(Answer { unlisted: Some(value), .. }) => Verdict::Fail(format!("the client does not list {value}…")),
        Ok(Answer { violations: Some(violations), .. }) if document.requests => {
            Verdict::Fail(format!("Prism reports {violations}"))
        }
        Ok(_) => Verdict::Pass,
        Err(Error::Api { status, .. }) if status.as_u16() == 422 && !document.requests => Verdict::Rejected,
        Err(error) => Verdict::Fail(error.to_string()),
    }
}

/// Whether Prism's `sl-violations` (`[{"location": ["response", "body", …], …}]`) are all about
/// its own answer, none about the request.
fn only_in_the_response(violations: &str) -> bool {
    let Ok(serde_json::Value::Array(list)) = serde_json::from_str::<serde_json::Value>(violations) else {
        return false;
    };
    !list.is_empty() && list.iter().all(|v| v.pointer("/location/0").and_then(|l| l.as_str()) == Some("response"))
}

/// A Prism mock server in dynamic mode on a free 127.0.0.1 port, stopped (with its whole
/// process group: npx starts node) when dropped.
struct Prism {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Prism {
    fn start(document: &Path) -> Prism {
        install();
        let port = free_port();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("contract");
        std::fs::create_dir_all(&dir).expect("a directory for Prism's logs");
        // Named for this start, not the port: a port comes round again, and a log of the same
        // name would be truncated under a Prism still stopping.
        static STARTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let start = STARTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let log = dir.join(format!("prism-{}-{start}-port-{port}.log", std::process::id()));
        let out = std::fs::File::create(&log).expect("Prism's log file");
        let mut command = Command::new("npx");
        command
            .args(["--yes", PRISM, "mock", "--dynamic", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(document)
            .stdin(Stdio::null())
            .stdout(out.try_clone().expect("Prism's log file"))
            .stderr(out);
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command.spawn().unwrap_or_else(|e| panic!("cannot start npx: {e}; {NEEDS_NODE}"));
        let mut prism = Prism { child, url: format!("http://127.0.0.1:{port}"), log };
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Ok(Some(status)) = prism.child.try_wait() {
                panic!("Prism exited ({status}) serving {}:\n{}", document.display(), prism.log());
            }
            if prism.log().contains("Prism is listening") {
                return prism;
            }
            assert!(
                Instant::now() < deadline,
                "Prism did not start within 120 s serving {}:\n{}",
                document.display(),
                prism.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Prism {
    /// Stops the whole group and waits until none of it is left: npx exits before the node it
    /// started, and a node still holding the port would answer the next Prism's calls on it.
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let signal = |name: &str| Command::new("kill").args([name, "--", &group]).stderr(Stdio::null()).status();
        let _ = signal("-TERM");
        let _ = self.child.wait();
        let deadline = Instant::now() + Duration::from_secs(10);
        while signal("-0").is_ok_and(|status| status.success()) {
            if Instant::now() > deadline {
                let _ = signal("-KILL");
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

const NEEDS_NODE: &str = "the contract tests run Prism through npx: install Node.js 18 or newer, which ships npm and \
                          npx (https://nodejs.org, or `apt install nodejs npm`)";

/// Installs Prism into npx's cache once per test binary, so parallel starts do not race.
fn install() {
    static INSTALLED: OnceLock<Result<(), String>> = OnceLock::new();
    let installed = INSTALLED.get_or_init(|| {
        let output = Command::new("npx")
            .args(["--yes", PRISM, "--version"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run npx: {e}; {NEEDS_NODE}"))?;
        if output.status.success() {
            return Ok(());
        }
        Err(format!(
            "`npx --yes {PRISM} --version` failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ))
    });
    if let Err(message) = installed {
        panic!("{message}");
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}
