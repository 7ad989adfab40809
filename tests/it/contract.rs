//! Contract tests: every operation of the generated client against Prism, a mock server no one
//! here wrote, serving the merged spec and each standard-form page's own OpenAPI 3.1 document.
//! Prism validates each request (path, query, body, security header) and answers with random
//! responses that conform to the document; the client must send what the document accepts and
//! read everything it may answer. A meaning lost in normalize, merge or downgrade fails here.
//!
//! Needs Node.js (npx); Prism is installed from npm on first use.

use std::collections::BTreeSet;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use baseten_management::types::ApiKeyCategory;
use baseten_management::{Client, Error, ResponseValue, RetryPolicy};

use crate::repo_root;

/// Pinned: a new Prism may validate differently.
const PRISM: &str = "@stoplight/prism-cli@5.16.0";
const RESPONSES_PER_OPERATION: usize = 25;

/// Prism's `sl-violations` header, if it sent one.
type Outcome = Result<Option<String>, Error>;
type Call = for<'a> fn(&'a Client) -> Pin<Box<dyn Future<Output = Outcome> + 'a>>;

fn boxed<'a, T: 'a>(
    send: impl Future<Output = Result<ResponseValue<T>, Error>> + 'a,
) -> Pin<Box<dyn Future<Output = Outcome> + 'a>> {
    Box::pin(async move {
        let response = send.await?;
        Ok(response.headers().get("sl-violations").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()))
    })
}

/// One call per operation, with valid arguments.
fn cases() -> Vec<(&'static str, Call)> {
    vec![
        // Bodies go through their builders: a field that turns required fails the call, by name.
        ("create_api_key", |c| {
            boxed(
                c.create_api_key()
                    .body_map(|b| b.name(Some("ci".to_string())).type_(ApiKeyCategory::Personal))
                    .send(),
            )
        }),
        ("list_chains", |c| boxed(c.list_chains().send())),
        ("get_chain_deployment", |c| boxed(c.get_chain_deployment().chain_id("c1").chain_deployment_id("cd1").send())),
        ("list_instance_types", |c| boxed(c.list_instance_types().send())),
        ("list_models", |c| boxed(c.list_models().send())),
        ("delete_model", |c| boxed(c.delete_model().model_id("m1").send())),
        ("get_development_deployment", |c| boxed(c.get_development_deployment().model_id("m1").send())),
        ("activate_development_deployment", |c| boxed(c.activate_development_deployment().model_id("m1").send())),
        ("promote_development_deployment", |c| {
            boxed(c.promote_development_deployment().model_id("m1").body_map(|b| b).send())
        }),
        ("retry_development_deployment", |c| boxed(c.retry_development_deployment().model_id("m1").send())),
        ("get_deployment", |c| boxed(c.get_deployment().model_id("m1").deployment_id("d1").send())),
        ("delete_deployment", |c| boxed(c.delete_deployment().model_id("m1").deployment_id("d1").send())),
        ("update_deployment_autoscaling_settings", |c| {
            let update = c.update_deployment_autoscaling_settings().model_id("m1").deployment_id("d1");
            boxed(update.body_map(|b| b.min_replica(0i64).max_replica(2i64)).send())
        }),
        ("create_environment", |c| boxed(c.create_environment().model_id("m1").body_map(|b| b.name("staging")).send())),
        ("activate_environment_deployment", |c| {
            boxed(c.activate_environment_deployment().model_id("m1").env_name("staging").send())
        }),
        ("cancel_environment_promotion", |c| {
            boxed(c.cancel_environment_promotion().model_id("m1").env_name("staging").send())
        }),
        ("list_secrets", |c| boxed(c.list_secrets().send())),
    ]
}

#[test]
fn every_operation_has_a_contract_case() {
    let spec = std::fs::read_to_string(repo_root().join("generated/openapi.yaml")).expect("generated/openapi.yaml");
    let spec = xtask::yaml::from_str(&spec).expect("generated/openapi.yaml parses");
    let operations: BTreeSet<String> = spec["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(serde_json::Value::as_object)
        .flat_map(|item| item.values())
        .filter_map(|op| op.get("operationId").and_then(serde_json::Value::as_str))
        .map(str::to_string)
        .collect();
    let covered: BTreeSet<String> = cases().iter().map(|(name, _)| name.to_string()).collect();
    let missing: Vec<_> = operations.difference(&covered).collect();
    let stale: Vec<_> = covered.difference(&operations).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "contract cases out of step with generated/openapi.yaml: add a case to cases() in tests/it/contract.rs for \
         {missing:?}; remove the cases for {stale:?}"
    );
}

#[test]
fn every_operation_against_prism_serving_the_merged_spec() {
    let document = repo_root().join("generated/openapi.yaml");
    let failures = exercise("generated/openapi.yaml", &document, &cases());
    assert!(failures.is_empty(), "{} contract failure(s):\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn each_operation_against_prism_serving_its_pages_own_document() {
    let run = crate::build(&crate::spec_pages()).unwrap_or_else(|e| panic!("spec/ does not build:\n{e}"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("contract");
    std::fs::create_dir_all(&dir).unwrap();
    let all = cases();
    let mut jobs = Vec::new();
    for page in crate::spec_pages() {
        let block = xtask::extract::extract(&page).unwrap_or_else(|e| panic!("{e}"));
        let document = xtask::yaml::from_str(block.yaml).expect("the page's YAML parses");
        if document["paths"].get("method").is_some() {
            continue; // Mintlify's resolved form: not an OpenAPI document Prism can serve.
        }
        let name = &run.endpoints.iter().find(|e| e.page == page.path).expect("every page has an operation").name;
        let case = all.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no contract case for {name}"));
        let stem = Path::new(&page.path).file_stem().unwrap().to_string_lossy().to_string();
        let file = dir.join(format!("{stem}.yaml"));
        std::fs::write(&file, block.yaml).unwrap();
        jobs.push((page.path.clone(), file, *case));
    }
    assert!(jobs.len() >= 12, "only {} standard-form pages found", jobs.len());
    // Two Prisms at a time: each is a Node process, and CI has two cores.
    let mut failures = Vec::new();
    for pair in jobs.chunks(2) {
        let handles: Vec<_> = pair
            .iter()
            .cloned()
            .map(|(page, file, case)| std::thread::spawn(move || exercise(&page, &file, &[case])))
            .collect();
        for handle in handles {
            failures.extend(handle.join().expect("a contract thread"));
        }
    }
    assert!(failures.is_empty(), "{} contract failure(s):\n{}", failures.len(), failures.join("\n"));
}

/// Serves `document` with Prism and calls each case [`RESPONSES_PER_OPERATION`] times; returns
/// every failure, each naming the document, the operation and what went wrong.
fn exercise(label: &str, document: &Path, cases: &[(&'static str, Call)]) -> Vec<String> {
    let prism = Prism::start(document);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = Client::builder()
        .base_url(&prism.url)
        .api_key("contract-test-key")
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let mut failures = Vec::new();
    for (name, call) in cases {
        for attempt in 1..=RESPONSES_PER_OPERATION {
            match runtime.block_on(call(&client)) {
                Ok(None) => {}
                Ok(Some(violations)) => {
                    failures.push(format!("{label}: {name} (call {attempt}): Prism reports {violations}"));
                    break;
                }
                Err(error) => {
                    failures.push(format!("{label}: {name} (call {attempt}): {error}"));
                    break;
                }
            }
        }
    }
    let log = prism.log();
    for line in log.lines().filter(|line| line.contains("Violation") || line.contains("✖")) {
        failures.push(format!("{label}: Prism log: {}", line.trim()));
    }
    failures
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
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join(format!("prism-{port}.log"));
        let out = std::fs::File::create(&log).unwrap();
        let mut command = Command::new("npx");
        command
            .args(["--yes", PRISM, "mock", "--dynamic", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(document)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out);
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command.spawn().unwrap_or_else(|e| panic!("cannot start npx: {e}; {}", NEEDS_NODE));
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
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.child.wait();
    }
}

const NEEDS_NODE: &str = "the contract tests run Prism through npx: install Node.js 18 or newer, which ships npm and npx (https://nodejs.org, or `apt install nodejs npm`)";

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
            Ok(())
        } else {
            Err(format!(
                "`npx --yes {PRISM} --version` failed ({}):\n{}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
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

/// The harness can fail: Prism enforces the security scheme, so a call without a key is refused.
#[test]
fn prism_refuses_a_call_the_document_forbids() {
    let prism = Prism::start(&repo_root().join("generated/openapi.yaml"));
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let client = Client::builder().base_url(&prism.url).retry(RetryPolicy::disabled()).build().unwrap();
    let error = runtime.block_on(client.list_secrets().send()).expect_err("Prism accepted a call without a key");
    crate::check("list_secrets without a key", "status", error.status().map(|s| s.as_u16()), Some(401));
}
