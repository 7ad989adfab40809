//! Codegen benchmark: takes the docs pages in spec/ (89) and pages cut from Baseten's full spec
//! (46, 92, 183, and 366 from a doubled spec), gives per-stage medians, end to end in process
//! and as a process with its peak memory, the growth per page, and our process against
//! `cargo-progenitor` on the same merged spec. `cargo bench -p tests --bench codegen`.
//!
//! `cargo-progenitor` is installed once into `target/bench-tools/` (or named by
//! `CARGO_PROGENITOR`); `cargo test` never needs it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::Value;
use xtask::{Page, downgrade, extract, generate, merge, normalize, page, write};

mod machine;
use machine::machine;

// As in the xtask binary, so in-process stages and the re-run process measure what it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CHILD: &str = "CODEGEN_BENCH_CHILD";
const FULL_SPEC: &str = "tests/fixtures/openapi/baseten-management-2026-08-22.json";
const CARGO_PROGENITOR: &str = "=0.15.1";

fn main() {
    // SAFETY: as xtask's main: a plain option, set before any large allocation.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(libmimalloc_sys::mi_option_large_os_pages, 1)
    };
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf();
    if let Ok(root) = std::env::var(CHILD) {
        return child(Path::new(&root));
    }
    let scratch = workspace.join("target/bench-codegen");
    let _ = std::fs::remove_dir_all(&scratch);

    let full: Value = serde_json::from_str(&std::fs::read_to_string(workspace.join(FULL_SPEC)).expect("the full spec"))
        .expect("the full spec is JSON");
    let cut = xtask::cut::cut(&full);
    let doubled = xtask::cut::cut(&doubled(&full));
    let spec_pages = page::load_pages(&workspace, &workspace.join("spec")).expect("spec/ loads");
    let sets: Vec<(String, Vec<Page>)> = vec![
        (format!("spec/ ({})", spec_pages.len()), spec_pages),
        ("cut 46".into(), every_nth(&cut, 4)),
        ("cut 92".into(), every_nth(&cut, 2)),
        ("cut 183".into(), cut.clone()),
        ("cut 366 (2x)".into(), doubled),
    ];

    println!("codegen benchmark: release build, medians; {}", machine());
    println!();
    println!(
        "| pages | ops | extract | normalize | merge | downgrade | generate | format | write | stages | end to end | process | peak RSS | per page |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut rows = Vec::new();
    for (label, pages) in &sets {
        let root = scratch.join(label.split_whitespace().last().unwrap_or("x").trim_matches(|c| c == '(' || c == ')'));
        for page in pages {
            let file = root.join(&page.path);
            std::fs::create_dir_all(file.parent().expect("a page has a folder")).expect("scratch folder");
            std::fs::write(&file, &page.text).expect("write a page");
        }
        let runs = match pages.len() {
            0..=20 => 21,
            21..=100 => 11,
            101..=200 => 7,
            _ => 5,
        };
        let stages = median_stages(&root, runs);
        let e2e = median((0..runs).map(|_| {
            let _ = std::fs::remove_dir_all(root.join("generated"));
            let start = Instant::now();
            xtask::codegen(&root).expect("codegen succeeds");
            start.elapsed()
        }));
        let (process, peak_kb) = process_run(&root, 5);
        let ops = stages.ops;
        let total: Duration = stages.times.iter().sum();
        print!("| {label} | {ops} ");
        for time in &stages.times {
            print!("| {} ", ms(*time));
        }
        println!(
            "| {} | {} | {} | {:.0} MB | {:.2} ms |",
            ms(total),
            ms(e2e),
            ms(process),
            peak_kb as f64 / 1024.0,
            e2e.as_secs_f64() * 1000.0 / pages.len() as f64
        );
        rows.push((label.clone(), root, pages.len(), e2e));
    }

    println!();
    println!("growth: end to end per page, against spec/, and each step against the one before");
    let (_, _, first_pages, first) = &rows[0];
    let base = first.as_secs_f64() / *first_pages as f64;
    for pair in rows.windows(2) {
        let ((_, _, p0, t0), (label, _, p1, t1)) = (&pair[0], &pair[1]);
        println!(
            "  {label}: {:.2}x the pages, {:.2}x the time; per page {:.2}x that of spec/",
            *p1 as f64 / *p0 as f64,
            t1.as_secs_f64() / t0.as_secs_f64(),
            t1.as_secs_f64() / *p1 as f64 / base
        );
    }

    println!();
    let tool = cargo_progenitor(&workspace);
    println!(
        "against {} (`cargo progenitor -i openapi.yaml --interface builder --tags merged`, same merged spec):",
        tool.display()
    );
    println!();
    println!("| spec | ours (process, extract to write) | cargo-progenitor | ours / theirs | target |");
    println!("|---|---|---|---|---|");
    for (label, root, ..) in rows.iter().filter(|(label, ..)| label.starts_with("spec/") || label.contains(" 183")) {
        let spec = root.join("generated/openapi.yaml");
        let out = root.join("cargo-progenitor-out");
        // Alternating, so a change in the machine's speed falls on both sides.
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for _ in 0..7 {
            ours.push(process_run(root, 1).0);
            let _ = std::fs::remove_dir_all(&out);
            let start = Instant::now();
            let status = Command::new(&tool)
                .args(["progenitor", "-i"])
                .arg(&spec)
                .arg("-o")
                .arg(&out)
                .args(["-n", "baseten-management", "-v", "0.1.0", "--interface", "builder", "--tags", "merged"])
                .stdout(std::process::Stdio::null())
                .status()
                .expect("cargo-progenitor runs");
            assert!(status.success(), "cargo-progenitor failed on {}", spec.display());
            theirs.push(start.elapsed());
        }
        let (ours, theirs) = (median(ours.into_iter()), median(theirs.into_iter()));
        let ratio = ours.as_secs_f64() / theirs.as_secs_f64();
        println!(
            "| {label} | {} | {} | {ratio:.2}x | <= 0.5x: {} |",
            ms(ours),
            ms(theirs),
            if ratio <= 0.5 { "held" } else { "MISSED" }
        );
    }
    let (label, _, _, e2e) = &rows[3];
    println!();
    println!(
        "target: {label} end to end under 1 s in a release build: {} ({})",
        ms(*e2e),
        if e2e.as_secs_f64() < 1.0 { "held" } else { "MISSED" }
    );
}

struct Stages {
    ops: usize,
    /// extract, normalize, merge, downgrade, generate, format, write.
    times: [Duration; 7],
}

/// Each stage timed on its own, `runs` times; the median of each.
fn median_stages(root: &Path, runs: usize) -> Stages {
    let mut samples: Vec<[Duration; 7]> = Vec::new();
    let mut ops = 0;
    for _ in 0..runs {
        let out = root.join("stages-out");
        let _ = std::fs::remove_dir_all(&out);
        let mut times = [Duration::ZERO; 7];
        let mut clock = Instant::now();
        let mut lap = |i: usize| {
            times[i] = clock.elapsed();
            clock = Instant::now();
        };
        // Reading the pages from disk counts as extracting them.
        let pages = page::load_pages(root, &root.join("spec")).expect("pages load");
        let blocks: Vec<_> = pages.iter().map(|p| extract::extract(p).expect("extract")).collect();
        lap(0);
        let pairs: Vec<_> = pages.iter().zip(&blocks).collect();
        let operations = xtask::par_map(&pairs, |(p, b)| normalize::normalize(p, b).expect("normalize"));
        lap(1);
        // The merge stage includes moving request-side defaults into their docs.
        let mut merged = merge::merge(operations, &xtask::Decisions::default()).expect("merge");
        xtask::defaults::move_request_defaults(&mut merged.document);
        ops = merged.endpoints.len();
        lap(2);
        let downgraded = downgrade::downgrade(&merged.document, &merged.provenance).expect("downgrade");
        lap(3);
        let lifecycles = xtask::Lifecycles::load(root).expect("lifecycles");
        let code = generate::syntax(&downgraded, &merged.provenance, &lifecycles).expect("generate");
        lap(4);
        let files = generate::format(&code, &downgraded, generate::CRATE_VERSION).expect("format");
        lap(5);
        write::apply(root, &out, &files).expect("write");
        lap(6);
        samples.push(times);
    }
    let mut times = [Duration::ZERO; 7];
    for (i, time) in times.iter_mut().enumerate() {
        *time = median(samples.iter().map(|s| s[i]));
    }
    Stages { ops, times }
}

/// `cargo xtask codegen` as its own process (this binary, re-run): the median wall time of
/// `runs` runs and the largest peak resident set.
fn process_run(root: &Path, runs: usize) -> (Duration, u64) {
    let exe = std::env::current_exe().expect("the bench binary");
    let mut peak = 0;
    let wall = median((0..runs).map(|_| {
        let _ = std::fs::remove_dir_all(root.join("generated"));
        let start = Instant::now();
        let out = Command::new(&exe).env(CHILD, root).output().expect("the bench re-runs itself");
        let wall = start.elapsed();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let kb: u64 = String::from_utf8_lossy(&out.stdout).trim().parse().expect("the child prints its peak");
        peak = peak.max(kb);
        wall
    }));
    (wall, peak)
}

/// The child: one whole run, then its peak resident set in KB (Linux's VmHWM).
fn child(root: &Path) {
    xtask::codegen(root).expect("codegen succeeds");
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    println!("{kb}");
}

/// The full spec twice over: every schema again as `Copy<name>`, every path again under
/// `/v1/copy`, so operations and schemas both double.
fn doubled(spec: &Value) -> Value {
    let text = serde_json::to_string(spec)
        .expect("JSON")
        .replace("#/components/schemas/", "#/components/schemas/Copy");
    let copy: Value = serde_json::from_str(&text).expect("JSON");
    let mut out = spec.clone();
    if let (Some(schemas), Some(copies)) = (
        out.pointer_mut("/components/schemas").and_then(Value::as_object_mut),
        copy.pointer("/components/schemas").and_then(Value::as_object),
    ) {
        for (name, schema) in copies {
            schemas.insert(format!("Copy{name}"), schema.clone());
        }
    }
    if let (Some(paths), Some(copies)) =
        (out.get_mut("paths").and_then(Value::as_object_mut), copy.get("paths").and_then(Value::as_object))
    {
        for (path, item) in copies {
            let rest = path.strip_prefix("/v1").unwrap_or(path);
            paths.insert(format!("/v1/copy{rest}"), item.clone());
        }
    }
    out
}

fn every_nth(pages: &[Page], n: usize) -> Vec<Page> {
    pages.iter().step_by(n).cloned().collect()
}

/// `cargo-progenitor`, from `CARGO_PROGENITOR` or installed (once) into `target/bench-tools/`.
fn cargo_progenitor(workspace: &Path) -> PathBuf {
    if let Some(path) = std::env::var_os("CARGO_PROGENITOR") {
        return PathBuf::from(path);
    }
    let tools = workspace.join("target/bench-tools");
    let tool = tools.join("bin/cargo-progenitor");
    if !tool.exists() {
        eprintln!("installing cargo-progenitor {CARGO_PROGENITOR} into {} (once; takes minutes)", tools.display());
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["install", "cargo-progenitor", "--locked", "--version", CARGO_PROGENITOR, "--root"])
            .arg(&tools)
            .status()
            .expect("cargo install runs");
        assert!(status.success(), "cargo install cargo-progenitor failed");
    }
    tool
}

fn median(samples: impl Iterator<Item = Duration>) -> Duration {
    let mut samples: Vec<Duration> = samples.collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(time: Duration) -> String {
    format!("{:.1} ms", time.as_secs_f64() * 1000.0)
}
