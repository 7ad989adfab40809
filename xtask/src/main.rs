//! `cargo xtask codegen [--check]`: the command line over the pipeline in the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use xtask::write::{self, Change};
use xtask::{GENERATED_DIR, Run};

const USAGE: &str = "\
Usage: cargo xtask codegen [--check]

Turns the docs pages in spec/ into the baseten-management crate in generated/.

Options:
  --check     write nothing; exit 1 listing every stale, missing or stray file in generated/ with a diff
  -h, --help  print this help";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => codegen(false),
        ["codegen", "--check"] | ["codegen", "-c"] => codegen(true),
        ["codegen", "-h" | "--help"] | ["-h" | "--help"] | ["help", ..] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn root() -> PathBuf {
    // CARGO_MANIFEST_DIR is xtask/; the repository root is its parent.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    manifest
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn codegen(check: bool) -> ExitCode {
    let root = root();
    let run = match xtask::codegen(&root) {
        Ok(run) => run,
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("generated/ was left as it was.");
            return ExitCode::FAILURE;
        }
    };
    let dir = root.join(GENERATED_DIR);
    if check {
        let stale = write::check(&root, &dir, &run.files);
        if stale.is_empty() {
            println!("generated/ is current: {} files match what spec/ produces", run.files.len());
            return ExitCode::SUCCESS;
        }
        for item in &stale {
            eprintln!("{item}");
        }
        eprintln!("{} file(s) in generated/ are not what spec/ produces: run `cargo xtask codegen`", stale.len());
        return ExitCode::FAILURE;
    }
    match write::apply(&root, &dir, &run.files) {
        Ok(changes) => {
            summary(&run, &changes);
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
    }
}

fn summary(run: &Run, changes: &[(String, Change)]) {
    println!(
        "{} pages -> {} operations, {} schemas, {} reconciliations",
        run.pages,
        run.operations.len(),
        run.schemas,
        run.reconciliations.len()
    );
    for r in &run.reconciliations {
        println!("  reconciled {r}");
    }
    if changes.is_empty() {
        println!("generated/ unchanged ({} files)", run.files.len());
    }
    for (path, change) in changes {
        let verb = match change {
            Change::Created => "created",
            Change::Updated => "updated",
            Change::Removed => "removed",
        };
        println!("  {verb} {path}");
    }
}
