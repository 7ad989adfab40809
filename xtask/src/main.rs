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
    // Bad input is reported as errors; a panic is a bug in the xtask. Say so in one line
    // (generated/ is only written after a whole run succeeded, so it is untouched).
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
        eprintln!("error: internal error in the xtask{at}: {message}\n  hint: this is a bug: please report it with the page that caused it; generated/ was not touched");
    }));
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
    if !check {
        return match xtask::codegen_and_write(&root) {
            Ok((run, changes)) => {
                summary(&run, &changes);
                ExitCode::SUCCESS
            }
            Err(errors) => {
                eprintln!("{errors}");
                eprintln!("generated/ was left as it was.");
                ExitCode::FAILURE
            }
        };
    }
    let run = match xtask::codegen(&root) {
        Ok(run) => run,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::FAILURE;
        }
    };
    let stale = write::check(&root, &root.join(GENERATED_DIR), &run.files);
    if stale.is_empty() {
        println!("generated/ is current: {} files match what spec/ produces", run.files.len());
        return ExitCode::SUCCESS;
    }
    for item in &stale {
        eprintln!("{item}");
    }
    eprintln!("{} file(s) in generated/ are not what spec/ produces: run `cargo xtask codegen`", stale.len());
    ExitCode::FAILURE
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
