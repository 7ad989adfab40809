//! Fetch: takes the docs site's page index (`llms.txt`), gives `spec/` the management API
//! reference pages it lists, as Markdown exports, each under its path on the site.
//!
//! Every download must succeed before any page is written, and the pages are then written all
//! or nothing (see [`crate::write::apply_some`]). A page the index no longer lists is reported,
//! and removed only with `prune`.

use std::collections::{BTreeMap, VecDeque};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::error::{Error, Errors};
use crate::page::Page;

pub const DEFAULT_INDEX: &str = "https://docs.baseten.co/llms.txt";
/// Where the management API reference lives on the site; pages are stored under `spec/` by
/// their path below it.
pub const DEFAULT_PREFIX: &str = "/reference/management-api/";
/// The training API's reference sits beside it on the site, though its endpoints are the same
/// API's (`/v1/training_projects`); its pages go to `spec/training/`.
pub const TRAINING_PREFIX: &str = "/reference/training-api/";

/// A part of the site whose pages `spec/` holds: the site path, and the folder below `spec/`
/// its pages go to (empty for the management API's own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SitePart {
    pub prefix: String,
    pub folder: String,
}

impl SitePart {
    /// The management and training API references, as the docs site lays them out.
    pub fn defaults() -> Vec<SitePart> {
        vec![
            SitePart { prefix: DEFAULT_PREFIX.into(), folder: String::new() },
            SitePart { prefix: TRAINING_PREFIX.into(), folder: "training/".into() },
        ]
    }
}

/// The page below `spec/` for a path on the site (`/reference/management-api/secrets/upserts-a-secret`
/// is `secrets/upserts-a-secret.md`), or `None` when the path is outside `parts`.
pub fn spec_page_for(site_path: &str, parts: &[SitePart]) -> Option<String> {
    parts.iter().find_map(|part| {
        let below = site_path.strip_prefix(&part.prefix)?.trim_end_matches('/');
        if below.is_empty() || below.split('/').any(|piece| piece.is_empty() || piece == "..") {
            return None;
        }
        let below = below.strip_suffix(".md").unwrap_or(below);
        Some(format!("{}{below}.md", part.folder))
    })
}

#[derive(Clone, Debug)]
pub struct Options {
    pub index: String,
    pub parts: Vec<SitePart>,
    pub concurrency: usize,
    pub timeout: Duration,
    pub attempts: u32,
    pub backoff: Duration,
    pub dry_run: bool,
    pub prune: bool,
    /// Progress on stderr: a bar on a terminal, a line per page otherwise.
    pub progress: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            index: DEFAULT_INDEX.into(),
            parts: SitePart::defaults(),
            concurrency: 8,
            timeout: Duration::from_secs(30),
            attempts: 4,
            backoff: Duration::from_millis(500),
            dry_run: false,
            prune: false,
            progress: true,
        }
    }
}

/// What a fetch found, page by page (paths relative to the repository root).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Fetched {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub unchanged: Vec<String>,
    /// Pages in `spec/` the index no longer lists: removed with `prune`, else only reported.
    pub unlisted: Vec<String>,
    /// Listed pages that hold no OpenAPI block for one operation (guides, overviews).
    pub skipped: Vec<String>,
}

/// Brings `spec/` under `root` up to date with the index.
pub fn fetch(root: &Path, options: &Options) -> Result<Fetched, Errors> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(&options.index, format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(fetch_async(root, options))
}

async fn fetch_async(root: &Path, options: &Options) -> Result<Fetched, Errors> {
    let client = reqwest::Client::builder()
        .timeout(options.timeout)
        .connect_timeout(options.timeout)
        .user_agent(concat!("baseten-management-xtask/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| Error::new(&options.index, format!("cannot set up HTTP: {e}")))?;
    let index = get(&client, &options.index, options).await.map_err(|e| Error::new(&options.index, e))?;
    let listed = pages_in_index(&options.index, &index, &options.parts).map_err(|e| Error::new(&options.index, e))?;
    if listed.is_empty() {
        let prefixes: Vec<&str> = options.parts.iter().map(|part| part.prefix.as_str()).collect();
        return Err(Error::new(&options.index, format!("the index lists no page under `{}`", prefixes.join("` or `")))
            .with_hint("is it the docs site's llms.txt? see --prefix")
            .into());
    }

    let downloaded = download_all(&client, listed, options).await?;
    let spec_dir = root.join(crate::page::SPEC_DIR);
    let mut outcome = Fetched::default();
    let mut files = BTreeMap::new();
    for (relative, text) in downloaded {
        let shown = format!("{}/{relative}", crate::page::SPEC_DIR);
        // An API page holds exactly one OpenAPI block; anything else is a guide or an overview.
        if crate::extract::extract(&Page::new(shown.clone(), text.clone())).is_err() {
            outcome.skipped.push(shown);
            continue;
        }
        match std::fs::read_to_string(spec_dir.join(&relative)) {
            Ok(old) if old == text => outcome.unchanged.push(shown),
            Ok(_) => outcome.changed.push(shown),
            Err(_) => outcome.added.push(shown),
        }
        files.insert(relative, text);
    }
    let existing =
        crate::page::load_pages(root, &spec_dir).map(|pages| pages.into_iter().map(|p| p.path).collect::<Vec<_>>());
    for path in existing.unwrap_or_default() {
        let relative = path.trim_start_matches(&format!("{}/", crate::page::SPEC_DIR)).to_string();
        if !files.contains_key(&relative) {
            outcome.unlisted.push(path);
        }
    }
    if !options.dry_run {
        let remove: Vec<String> = if options.prune { outcome.unlisted.clone() } else { Vec::new() };
        let files: BTreeMap<String, String> = files
            .into_iter()
            .map(|(relative, text)| (format!("{}/{relative}", crate::page::SPEC_DIR), text))
            .collect();
        crate::write::apply_some(root, &files, &remove)?;
    }
    Ok(outcome)
}

/// The `.md` exports the index links to under the site parts, as (page below `spec/`, URL).
pub fn pages_in_index(index_url: &str, index: &str, parts: &[SitePart]) -> Result<Vec<(String, String)>, String> {
    let base = reqwest::Url::parse(index_url).map_err(|e| format!("not a URL: {e}"))?;
    let mut out = BTreeMap::new();
    for link in index.split("](").skip(1).filter_map(|rest| rest.split(')').next()) {
        let Ok(mut url) = base.join(link.trim()) else { continue };
        if url.host_str() != base.host_str() {
            continue;
        }
        let Some(relative) = spec_page_for(url.path(), parts) else { continue };
        let site_path = url.path().trim_end_matches('/');
        let site_path = if site_path.ends_with(".md") { site_path.to_string() } else { format!("{site_path}.md") };
        url.set_path(&site_path);
        url.set_query(None);
        url.set_fragment(None);
        out.insert(relative, url.to_string());
    }
    Ok(out.into_iter().collect())
}

/// Downloads every page, `concurrency` at a time; every failure is reported, and any failure
/// fails the whole fetch.
async fn download_all(
    client: &reqwest::Client,
    listed: Vec<(String, String)>,
    options: &Options,
) -> Result<Vec<(String, String)>, Errors> {
    let total = listed.len();
    let queue = Arc::new(Mutex::new(listed.into_iter().collect::<VecDeque<_>>()));
    let results = Arc::new(Mutex::new(Vec::new()));
    let progress = Arc::new(Progress::new(total, options.progress));
    let workers = (0..options.concurrency.max(1)).map(|_| {
        let (queue, results, progress) = (Arc::clone(&queue), Arc::clone(&results), Arc::clone(&progress));
        async move {
            // The guard moves into the closure and drops there: no lock is held across an await.
            while let Some((relative, url)) = queue.lock().ok().and_then(|mut q| q.pop_front()) {
                let result = get(client, &url, options).await;
                progress.done(&relative, result.is_ok());
                if let Ok(mut results) = results.lock() {
                    results.push((relative, url, result));
                }
            }
        }
    });
    futures_join_all(workers).await;
    progress.finish();
    let results =
        std::mem::take(&mut *results.lock().map_err(|_| Error::new(&options.index, "a download task failed"))?);
    let mut errors = Errors::default();
    let mut pages = Vec::new();
    for (relative, url, result) in results {
        match result {
            Ok(text) => pages.push((relative, text)),
            Err(e) => errors.push(
                Error::new(format!("{}/{relative}", crate::page::SPEC_DIR), format!("{url}: {e}"))
                    .with_hint("nothing in spec/ was changed"),
            ),
        }
    }
    pages.sort();
    errors.into_result(pages)
}

/// Runs the futures together on this task (no spawning: they borrow the client).
async fn futures_join_all<F: std::future::Future<Output = ()>>(futures: impl Iterator<Item = F>) {
    let mut futures: Vec<_> = futures.map(Box::pin).collect();
    std::future::poll_fn(|cx| {
        futures.retain_mut(|f| f.as_mut().poll(cx).is_pending());
        if futures.is_empty() { std::task::Poll::Ready(()) } else { std::task::Poll::Pending }
    })
    .await
}

/// GET `url` as text, retrying 429 and 5xx (and connection errors and timeouts) with backoff.
async fn get(client: &reqwest::Client, url: &str, options: &Options) -> Result<String, String> {
    let mut attempt = 1;
    loop {
        let outcome = match client.get(url).send().await {
            Ok(response) if response.status().is_success() => {
                return response.text().await.map_err(|e| format!("reading the body failed: {e}"));
            }
            Ok(response) => {
                let status = response.status();
                let retry = status.as_u16() == 429 || status.is_server_error();
                (format!("HTTP {status}"), retry)
            }
            Err(e) if e.is_timeout() => (format!("timed out after {:?}", options.timeout), true),
            Err(e) => (format!("request failed: {e}"), e.is_connect() || e.is_request()),
        };
        let (message, retry) = outcome;
        if !retry || attempt >= options.attempts {
            let tries = if attempt > 1 { format!(" (after {attempt} attempts)") } else { String::new() };
            return Err(format!("{message}{tries}"));
        }
        tokio::time::sleep(options.backoff.saturating_mul(1 << (attempt - 1).min(8))).await;
        attempt += 1;
    }
}

/// One line rewritten in place on a terminal; a line per page otherwise.
struct Progress {
    total: usize,
    done: Mutex<usize>,
    terminal: bool,
    shown: bool,
}

impl Progress {
    fn new(total: usize, shown: bool) -> Progress {
        Progress { total, done: Mutex::new(0), terminal: std::io::stderr().is_terminal(), shown }
    }

    fn done(&self, page: &str, ok: bool) {
        if !self.shown {
            return;
        }
        let Ok(mut done) = self.done.lock() else { return };
        *done += 1;
        let mark = if ok { "fetched" } else { "FAILED " };
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let width = 30;
            let filled = width * *done / self.total.max(1);
            let _ = write!(
                err,
                "\r[{}{}] {}/{} {mark} {page:<60.60}",
                "#".repeat(filled),
                " ".repeat(width - filled),
                done,
                self.total
            );
        } else {
            let _ = writeln!(err, "[{}/{}] {mark} {page}", done, self.total);
        }
    }

    fn finish(&self) {
        if self.shown && self.terminal {
            let _ = writeln!(std::io::stderr());
        }
    }
}
