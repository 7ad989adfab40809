//! `cargo xtask fetch` against a docs site served from fixtures on 127.0.0.1: never the
//! internet.

use std::path::{Path, PathBuf};
use std::time::Duration;

use xtask::fetch::{Fetched, Options};

use crate::server::{Reply, Server};
use crate::{check, repo_root};

const PREFIX: &str = "/reference/management-api";

fn markdown(status: u16, body: String) -> Reply {
    Reply::Json(status, Vec::new(), body)
}

fn page(name: &str) -> String {
    std::fs::read_to_string(repo_root().join("spec").join(name)).unwrap()
}

fn index(extra: &str) -> String {
    format!(
        "# Baseten\n\n## Docs\n\n- [Get all secrets]({PREFIX}/secrets/gets-all-secrets.md): secrets\n\
         - [Get all models]({PREFIX}/models/gets-all-models): models, no `.md`\n\
         - [Overview]({PREFIX}/overview.md): not an API page\n\
         - [A guide](/guides/deploy.md): outside the reference\n\
         - [Elsewhere](https://example.com{PREFIX}/x.md): another site\n{extra}"
    )
}

/// A scratch repository whose `spec/` holds an outdated secrets page and a page the index no
/// longer lists.
fn scratch(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fetch").join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("spec/secrets")).unwrap();
    std::fs::create_dir_all(root.join("spec/chains")).unwrap();
    std::fs::write(
        root.join("spec/secrets/gets-all-secrets.md"),
        page("secrets/gets-all-secrets.md").replace("Gets all secrets", "Old"),
    )
    .unwrap();
    std::fs::write(root.join("spec/chains/gets-all-chains.md"), page("chains/gets-all-chains.md")).unwrap();
    root
}

fn options(server: &Server) -> Options {
    Options {
        index: format!("{}/llms.txt", server.url),
        timeout: Duration::from_millis(500),
        attempts: 3,
        backoff: Duration::from_millis(10),
        progress: false,
        ..Options::default()
    }
}

/// Starts the site, then runs the fetch beside it (fetch has its own runtime).
fn run(
    routes: Vec<(&str, Vec<Reply>)>,
    root: &Path,
    tweak: impl FnOnce(&mut Options),
) -> (Result<Fetched, String>, Vec<String>) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let server = runtime.block_on(Server::routes(routes));
    let mut options = options(&server);
    tweak(&mut options);
    let root = root.to_path_buf();
    let outcome = runtime
        .block_on(async {
            tokio::task::spawn_blocking(move || xtask::fetch::fetch(&root, &options).map_err(|e| e.to_string())).await
        })
        .unwrap();
    let requested = server.requests().iter().map(|r| r.path.clone()).collect();
    (outcome, requested)
}

fn site(models: Vec<Reply>) -> Vec<(&'static str, Vec<Reply>)> {
    vec![
        ("/llms.txt", vec![markdown(200, index(""))]),
        (
            "/reference/management-api/secrets/gets-all-secrets.md",
            vec![markdown(200, page("secrets/gets-all-secrets.md"))],
        ),
        ("/reference/management-api/models/gets-all-models.md", models),
        ("/reference/management-api/overview.md", vec![markdown(200, "# Overview\n\nNo OpenAPI here.\n".into())]),
    ]
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn adds_changes_reports_unlisted_skips_guides_and_recovers_from_a_500() {
    let root = scratch("update");
    let models = vec![markdown(500, "busy".into()), markdown(200, page("models/gets-all-models.md"))];
    let (outcome, requested) = run(site(models), &root, |_| {});
    let outcome = outcome.expect("the fetch succeeds after the 500");
    check(
        "the fetch",
        "outcome",
        outcome,
        Fetched {
            added: strings(&["spec/models/gets-all-models.md"]),
            changed: strings(&["spec/secrets/gets-all-secrets.md"]),
            unchanged: vec![],
            unlisted: strings(&["spec/chains/gets-all-chains.md"]),
            skipped: strings(&["spec/overview.md"]),
        },
    );
    let models_requests = requested.iter().filter(|p| p.ends_with("models/gets-all-models.md")).count();
    check("models/gets-all-models.md", "requests (a 500, then a 200)", models_requests, 2);
    check(
        "spec/",
        "secrets page",
        std::fs::read_to_string(root.join("spec/secrets/gets-all-secrets.md")).unwrap(),
        page("secrets/gets-all-secrets.md"),
    );
    check(
        "spec/",
        "models page",
        std::fs::read_to_string(root.join("spec/models/gets-all-models.md")).unwrap(),
        page("models/gets-all-models.md"),
    );
    assert!(root.join("spec/chains/gets-all-chains.md").exists(), "an unlisted page is kept without --prune");
    assert!(!root.join("spec/overview.md").exists(), "a page that is not an API page is not written");

    // Again, with --prune: everything is current, and the unlisted page goes.
    let (outcome, _) = run(site(vec![markdown(200, page("models/gets-all-models.md"))]), &root, |o| o.prune = true);
    let outcome = outcome.expect("the second fetch");
    check("the second fetch", "unchanged", outcome.unchanged.len(), 2);
    check("the second fetch", "added and changed", (outcome.added.len(), outcome.changed.len()), (0, 0));
    assert!(!root.join("spec/chains/gets-all-chains.md").exists(), "--prune removes the unlisted page");
}

#[test]
fn a_dry_run_writes_nothing() {
    let root = scratch("dry-run");
    let (outcome, _) = run(site(vec![markdown(200, page("models/gets-all-models.md"))]), &root, |o| {
        o.dry_run = true;
        o.prune = true;
    });
    let outcome = outcome.expect("the dry run");
    check("--dry-run", "would add", outcome.added.len(), 1);
    assert!(!root.join("spec/models").exists(), "--dry-run wrote a page");
    assert!(root.join("spec/chains/gets-all-chains.md").exists(), "--dry-run pruned a page");
}

#[test]
fn a_404_fails_the_fetch_and_changes_nothing() {
    let root = scratch("not-found");
    let before = crate::bad_input::contents(&root.join("spec"));
    let (outcome, _) = run(site(vec![markdown(404, "gone".into())]), &root, |_| {});
    let error = outcome.expect_err("a listed page that is missing fails the fetch");
    assert!(
        error.contains("spec/models/gets-all-models.md:")
            && error.contains("HTTP 404 Not Found")
            && error.contains("nothing in spec/ was changed"),
        "{error}"
    );
    assert!(crate::bad_input::contents(&root.join("spec")) == before, "spec/ changed although the fetch failed");
}

#[test]
fn a_server_that_hangs_times_out() {
    let root = scratch("hangs");
    let before = crate::bad_input::contents(&root.join("spec"));
    let started = std::time::Instant::now();
    let (outcome, requested) = run(site(vec![Reply::Hang]), &root, |_| {});
    let error = outcome.expect_err("a page that never comes fails the fetch");
    assert!(
        error.contains("spec/models/gets-all-models.md:") && error.contains("timed out after 500ms (after 3 attempts)"),
        "{error}"
    );
    check(
        "the hanging page",
        "attempts",
        requested.iter().filter(|p| p.ends_with("models/gets-all-models.md")).count(),
        3,
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the timeout did not bound the fetch: {:?}",
        started.elapsed()
    );
    assert!(crate::bad_input::contents(&root.join("spec")) == before, "spec/ changed although the fetch failed");
}

#[test]
fn the_index_is_read_for_pages_under_the_prefixes_only() {
    let pages = xtask::fetch::pages_in_index(
        "https://docs.example/llms.txt",
        &index(
            "- [Up](/reference/management-api/../x.md)\n\
             - [Jobs](/reference/training-api/list-training-jobs.md): the training API, beside it\n",
        ),
        &xtask::fetch::SitePart::defaults(),
    )
    .expect("a URL");
    let relative: Vec<(&str, &str)> = pages.iter().map(|(r, url)| (r.as_str(), url.as_str())).collect();
    check(
        "llms.txt",
        "pages",
        relative,
        vec![
            ("models/gets-all-models.md", "https://docs.example/reference/management-api/models/gets-all-models.md"),
            ("overview.md", "https://docs.example/reference/management-api/overview.md"),
            (
                "secrets/gets-all-secrets.md",
                "https://docs.example/reference/management-api/secrets/gets-all-secrets.md",
            ),
            ("training/list-training-jobs.md", "https://docs.example/reference/training-api/list-training-jobs.md"),
        ],
    );
}
