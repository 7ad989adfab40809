//! Cold build benchmark: takes `generated/` as a downstream crate sees it, gives the time of a
//! `cargo build` from an empty target directory and the crates it compiled, with default
//! features and with `mock`. `cargo bench -p tests --bench cold_build` (minutes: it compiles
//! everything from source; registry downloads are already cached).

use std::path::Path;
use std::process::Command;
use std::time::Instant;

mod machine;

fn main() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent");
    // Outside the workspace, so the crate is built as its own package with its own target dir.
    let scratch = std::env::temp_dir().join(format!("baseten-management-cold-build-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    copy_dir(&workspace.join("generated"), &scratch.join("crate"));
    // The workspace's dependency versions, not whatever is newest today.
    std::fs::copy(workspace.join("Cargo.lock"), scratch.join("crate/Cargo.lock")).expect("copy Cargo.lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());

    println!(
        "cold build of baseten-management (dev profile, empty target dir, {} jobs); {}",
        jobs(),
        machine::machine()
    );
    println!();
    println!("| features | wall time | crates compiled |");
    println!("|---|---|---|");
    let mut lists = Vec::new();
    for (label, args) in [("default", &[][..]), ("mock", &["--features", "mock"][..])] {
        let target = scratch.join(format!("target-{label}"));
        let start = Instant::now();
        let out = Command::new(&cargo)
            .arg("build")
            .args(args)
            .current_dir(scratch.join("crate"))
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_TERM_COLOR", "never")
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs");
        let wall = start.elapsed();
        let log = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "cargo build failed:\n{log}");
        let mut crates: Vec<String> = log
            .lines()
            .filter_map(|line| line.trim_start().strip_prefix("Compiling "))
            .map(|rest| rest.split_whitespace().next().unwrap_or("").to_string())
            .collect();
        crates.sort();
        println!("| {label} | {:.1} s | {} |", wall.as_secs_f64(), crates.len());
        lists.push((label, crates));
    }
    println!();
    for (label, crates) in lists {
        println!("{label}: {}", crates.join(" "));
    }
    let _ = std::fs::remove_dir_all(&scratch);
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
