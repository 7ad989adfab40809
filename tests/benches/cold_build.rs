//! Cold build benchmark: takes `generated/` as a downstream crate sees it, gives the time of a
//! `cargo build` from an empty target directory and the crates it compiled, for each TLS
//! backend (three rounds, alternating, medians: a shared machine drifts) and for `mock`, the
//! ratio of `rustls-ring` to the default; then the time of the generated crate alone (its
//! dependencies already built), for the 17 pages in `spec/` and for the whole API (the August
//! spec cut into pages). `cargo bench -p tests --bench cold_build` (about 15 minutes on 2 cores:
//! it compiles everything from source; downloads are cached).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

mod machine;

/// `(label, cargo build arguments)`: the default build first, the ratio's base, then the other
/// TLS backends; each built [`ROUNDS`] times.
const BUILDS: &[(&str, &[&str])] = &[
    ("default (rustls, aws-lc-rs)", &[]),
    ("--no-default-features --features rustls-ring", &["--no-default-features", "--features", "rustls-ring"]),
    ("--no-default-features --features native-tls", &["--no-default-features", "--features", "native-tls"]),
];

const ROUNDS: usize = 3;

/// Built once, after the rounds: it is the default build and httpmock's tree.
const MOCK: (&str, &[&str]) = ("--features mock", &["--features", "mock"]);

const AUGUST: &str = "tests/fixtures/openapi/baseten-management-2026-08-22.json";

struct Build {
    wall: Duration,
    crates: Vec<String>,
}

fn main() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf();
    // Outside the workspace, so the crate is built as its own package with its own target dir.
    let scratch = std::env::temp_dir().join(format!("baseten-management-cold-build-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let pages17 = scratch.join("crate");
    copy_dir(&workspace.join("generated"), &pages17);
    // The workspace's dependency versions, not whatever is newest today.
    std::fs::copy(workspace.join("Cargo.lock"), pages17.join("Cargo.lock")).expect("copy Cargo.lock");

    println!(
        "cold build of baseten-management (dev profile, empty target dir, {} jobs); {}",
        jobs(),
        machine::machine()
    );
    println!();
    println!("| features | wall time (median of {ROUNDS}) | rounds | crates compiled |");
    println!("|---|---|---|---|");
    let mut walls: Vec<Vec<f64>> = vec![Vec::new(); BUILDS.len()];
    let mut lists = Vec::new();
    for round in 0..ROUNDS {
        for (row, (_, args)) in BUILDS.iter().enumerate() {
            let target = scratch.join(format!("target-{row}-{round}"));
            let build = cargo_build(&pages17, &target, args);
            walls[row].push(build.wall.as_secs_f64());
            if round + 1 == ROUNDS {
                lists.push((BUILDS[row].0, build));
            } else {
                // 2 GB a build: only the last round's stay, for the crate alone below.
                let _ = std::fs::remove_dir_all(&target);
            }
        }
    }
    let mut medians = Vec::new();
    for ((label, _), walls) in BUILDS.iter().zip(&mut walls) {
        walls.sort_by(f64::total_cmp);
        let median = walls[walls.len() / 2];
        let crates = lists.iter().find(|(l, _)| l == label).map_or(0, |(_, b)| b.crates.len());
        let rounds: Vec<String> = walls.iter().map(|w| format!("{w:.1}")).collect();
        println!("| {label} | {median:.1} s | {} s | {crates} |", rounds.join(", "));
        medians.push(median);
    }
    let mock = cargo_build(&pages17, &scratch.join("target-mock"), MOCK.1);
    println!("| {} | {:.1} s | 1 | {} |", MOCK.0, mock.wall.as_secs_f64(), mock.crates.len());
    lists.push((MOCK.0, mock));
    let ratio = medians[1] / medians[0];
    let held = if ratio <= 0.60 { "held" } else { "MISSED" };
    println!();
    println!("rustls-ring / default: {:.0} % of the time, medians (target <= 60 %: {held})", ratio * 100.0);

    println!();
    println!("the generated crate alone, its dependencies built (default features):");
    println!();
    println!("| spec | lines of src/api.rs | wall time |");
    println!("|---|---|---|");
    let warm = scratch.join(format!("target-0-{}", ROUNDS - 1));
    let whole = whole_api(&workspace, &scratch);
    for (label, dir) in [("spec/ (17 pages)", &pages17), ("whole API (August, 183 pages)", &whole)] {
        // The whole API's crate may need a dependency the 17 pages do not: built here, untimed.
        cargo_build(dir, &warm, &[]);
        clean_generated_crate(dir, &warm);
        let build = cargo_build(dir, &warm, &[]);
        let lines = std::fs::read_to_string(dir.join("src/api.rs")).map_or(0, |text| text.lines().count());
        println!("| {label} | {lines} | {:.1} s |", build.wall.as_secs_f64());
    }
    println!();
    for (label, build) in lists {
        println!("{label}: {}", build.crates.join(" "));
    }
    let _ = std::fs::remove_dir_all(&scratch);
}

/// `cargo build ARGS` of the crate in `dir` into `target`: its wall time and the crates it compiled.
fn cargo_build(dir: &Path, target: &Path, args: &[&str]) -> Build {
    let start = Instant::now();
    let out = cargo()
        .arg("build")
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let wall = start.elapsed();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "cargo build {args:?} in {} failed:\n{log}", dir.display());
    let mut crates: Vec<String> = log
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix("Compiling "))
        .map(|rest| rest.split_whitespace().next().unwrap_or("").to_string())
        .collect();
    crates.sort();
    Build { wall, crates }
}

fn clean_generated_crate(dir: &Path, target: &Path) {
    let status = cargo()
        .args(["clean", "--quiet", "-p", "baseten-management"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo clean -p baseten-management failed");
}

/// The August spec cut into pages and through the pipeline, as `.ci/full-api` does: the crate's
/// folder, with the workspace's `Cargo.lock`.
fn whole_api(workspace: &Path, scratch: &Path) -> PathBuf {
    let root = scratch.join("whole-api");
    let spec = root.join("spec");
    for args in [
        vec!["xtask".into(), "cut".into(), workspace.join(AUGUST).into_os_string(), spec.into_os_string()],
        vec!["xtask".into(), "codegen".into(), "--root".into(), root.clone().into_os_string()],
    ] {
        let out = cargo().args(&args).current_dir(workspace).output().expect("cargo runs");
        assert!(out.status.success(), "cargo {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    let generated = root.join("generated");
    std::fs::copy(workspace.join("Cargo.lock"), generated.join("Cargo.lock")).expect("copy Cargo.lock");
    generated
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read generated/").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy a file");
        }
    }
}
