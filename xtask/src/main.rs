//! `cargo xtask codegen | fetch | cut`: the command line over the pipeline in the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use xtask::report::Impact;
use xtask::write::{self, FileChange};
use xtask::{Codegen, GENERATED_DIR, Input, Previous, Run, VersionBump, Written, flags};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    use_large_pages();
    report_panics_as_bugs();
    let flags = match flags::Xtask::from_env() {
        Ok(flags) => flags,
        // `--help` is an "error" that carries the help, declared in `flags.rs`.
        Err(error) if error.is_help() => {
            println!("{error}");
            return ExitCode::SUCCESS;
        }
        Err(error) => return usage_error(&error.to_string()),
    };
    match flags.subcommand {
        flags::XtaskCmd::Codegen(args) => match args.validate() {
            Ok(()) if args.check => codegen_check(&args),
            Ok(()) => codegen(&args),
            Err(error) => usage_error(&error.to_string()),
        },
        flags::XtaskCmd::Fetch(args) => fetch(&args),
        flags::XtaskCmd::Cut(args) => cut(&args),
    }
}

/// Transparent huge pages where the kernel offers them: a 2 MiB page faults in once, where 512
/// small ones would each fault on first touch.
fn use_large_pages() {
    // SAFETY: sets a plain option before any large allocation; mimalloc reads it at each OS allocation.
    #[allow(unsafe_code)]
    unsafe {
        libmimalloc_sys::mi_option_set(libmimalloc_sys::mi_option_large_os_pages, 1)
    };
}

/// Bad input is reported as errors; a panic is a bug in the xtask: say so in one line
/// (generated/ is only written after a whole run succeeded, so it is untouched). progenitor's
/// own panics (its `todo!`s) are not: the pipeline reports them as errors.
fn report_panics_as_bugs() {
    std::panic::set_hook(Box::new(|info| {
        if xtask::generate::in_progenitor() {
            return;
        }
        let message = xtask::error::panic_message(info.payload());
        let at = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
        eprintln!(
            "error: internal error in the xtask{at}: {message}\n  hint: this is a bug: please report it with the page \
             that caused it; generated/ was not touched"
        );
    }));
}

fn fetch(args: &flags::Fetch) -> ExitCode {
    let options = match fetch_options(args) {
        Ok(options) => options,
        Err(message) => return usage_error(&message),
    };
    match xtask::fetch::fetch(&root(), &options) {
        Ok(outcome) => {
            print_fetched(&outcome, &options);
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("spec/ was left as it was.");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask fetch`'s flags as the fetch's options, or what is wrong with them.
fn fetch_options(args: &flags::Fetch) -> Result<xtask::fetch::Options, String> {
    let mut options = xtask::fetch::Options { dry_run: args.dry_run, prune: args.prune, ..Default::default() };
    if let Some(index) = &args.index {
        options.index.clone_from(index);
    }
    if let Some(prefix) = &args.prefix {
        options.parts = vec![xtask::fetch::SitePart { prefix: prefix.clone(), folder: String::new() }];
    }
    if let Some(concurrency) = args.concurrency {
        options.concurrency = concurrency;
    }
    if let Some(seconds) = args.timeout {
        options.timeout = std::time::Duration::try_from_secs_f64(seconds).map_err(|e| format!("--timeout: {e}"))?;
    }
    Ok(options)
}

/// The pages `fetch` added, changed, left, skipped and found no longer listed.
fn print_fetched(outcome: &xtask::fetch::Fetched, options: &xtask::fetch::Options) {
    let unlisted =
        if options.prune { "removed (no longer listed)" } else { "no longer listed (kept; --prune removes)" };
    for (label, pages) in [
        ("added", &outcome.added),
        ("changed", &outcome.changed),
        ("unchanged", &outcome.unchanged),
        ("skipped (not an API page)", &outcome.skipped),
        (unlisted, &outcome.unlisted),
    ] {
        println!("{label}: {}", pages.len());
        if label != "unchanged" {
            for page in pages {
                println!("  {page}");
            }
        }
    }
    if options.dry_run {
        println!("--dry-run: nothing was written");
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n  hint: `cargo xtask --help` lists the commands and their options");
    ExitCode::from(2)
}

/// `--root`, or the repository's.
fn root_of(args: &flags::Codegen) -> PathBuf {
    args.root.clone().unwrap_or_else(root)
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

fn cut(args: &flags::Cut) -> ExitCode {
    let paths: Vec<&Path> = args.paths.iter().map(PathBuf::as_path).collect();
    if args.stand_ins {
        return match paths.as_slice() {
            [list, spec] if args.mix.is_none() && !args.merged => cut_stand_ins(list, spec),
            _ => usage_error("cut --stand-ins takes ENDPOINTS and SPEC.json, nothing else"),
        };
    }
    let [specs @ .., out] = paths.as_slice() else { return usage_error("cut takes SPEC.json and DIR") };
    if specs.is_empty() || (specs.len() > 1 && args.mix.is_none()) {
        return usage_error("cut takes one SPEC.json and DIR, or --mix SEED and several");
    }
    let (result, done) = match args.merged {
        false => (xtask::cut::cut_files(specs, args.mix, out), "written to"),
        true => (merge_files(specs, args.mix, out), "merged into"),
    };
    match result {
        Ok(count) => {
            println!("{count} pages {done} {}", out.display());
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
    }
}

/// `cut --merged`: the pages `cut` would write, through the pipeline up to the downgrade, written
/// to `out` as the `openapi.yaml` codegen would write; gives the page count.
fn merge_files(specs: &[&Path], seed: Option<u64>, out: &Path) -> Result<usize, xtask::Errors> {
    let input = Input::from_pages(xtask::cut::cut_specs(specs, seed)?);
    let spec = xtask::merged_spec(&input)?;
    let shown = out.display().to_string();
    std::fs::write(out, xtask::yaml::to_string(&spec.downgraded))
        .map_err(|e| xtask::Error::new(&shown, format!("cannot write the merged spec: {e}")))?;
    Ok(input.pages.len())
}

fn cut_stand_ins(list: &Path, spec: &Path) -> ExitCode {
    match xtask::cut::cut_stand_in_files(list, spec, &root()) {
        Ok(outcome) => {
            println!(
                "{} listed endpoints served by exported pages, {} by stand-ins",
                outcome.exported,
                outcome.written.len()
            );
            for path in &outcome.written {
                println!("  stand-in {path}");
            }
            for path in &outcome.removed {
                println!("  removed  {path}");
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask codegen`: the pipeline, then `generated/` made what it produced.
fn codegen(args: &flags::Codegen) -> ExitCode {
    match xtask::codegen(&root_of(args)) {
        Ok(codegen) => {
            print_summary(&codegen.run);
            print_written(&codegen);
            write_report(&codegen.run, args.report.as_deref())
        }
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("generated/ was left as it was.");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask codegen --check`: the pipeline, then every way `generated/` differs from it.
fn codegen_check(args: &flags::Codegen) -> ExitCode {
    let root = &root_of(args);
    let run = match Input::load(root).and_then(|input| xtask::build(&input, &Previous::read(root))) {
        Ok(run) => run,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::FAILURE;
        }
    };
    let stale = write::check(root, &root.join(GENERATED_DIR), &run.files);
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

/// Writes the change report and the drift as Markdown when asked to.
fn write_report(run: &Run, file: Option<&Path>) -> ExitCode {
    let Some(file) = file else { return ExitCode::SUCCESS };
    match std::fs::write(file, run.markdown()) {
        Ok(()) => {
            println!("change report written to {}", file.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: cannot write the change report: {e}", file.display());
            ExitCode::FAILURE
        }
    }
}

/// What the run saw, the drift it reconciled and the API changes it found.
fn print_summary(run: &Run) {
    let stand_ins = match run.stand_ins {
        0 => String::new(),
        n => format!(" ({n} of them stand-ins, not the site's exports)"),
    };
    println!(
        "{} pages{stand_ins} -> {} operations, {} schemas, {} reconciliations",
        run.pages,
        run.endpoints.len(),
        run.schemas,
        run.reconciliations.len()
    );
    for r in &run.reconciliations {
        let verb = if matches!(r.outcome, xtask::merge::Outcome::Decided { .. }) { "decided" } else { "reconciled" };
        println!("  {verb} {r}");
    }
    let VersionBump { before, after } = &run.version;
    if run.report.is_empty() {
        println!("API unchanged: baseten-management stays {before}");
        return;
    }
    println!(
        "API changes: {} breaking, {} additive, {} at run time, {} docs-only; baseten-management {before} -> {after}",
        run.report.count(Impact::Breaking),
        run.report.count(Impact::Additive),
        run.report.count(Impact::Runtime),
        run.report.count(Impact::Docs)
    );
    for change in &run.report.changes {
        println!("  {:<8} {change}", change.impact().to_string());
    }
    print_surface(&run.report);
}

/// The public Rust items that changed: each breaking one, and how many were added.
fn print_surface(report: &xtask::report::Report) {
    if report.surface.is_empty() {
        return;
    }
    let added = report.count_surface(Impact::Additive);
    println!("Rust surface: {} breaking, {added} additive", report.count_surface(Impact::Breaking));
    for change in report.surface.iter().filter(|change| change.impact() == Impact::Breaking) {
        println!("  breaking {change}");
    }
    if added > 0 {
        println!("  additive {added} public items added (the report file lists them)");
    }
}

fn print_written(codegen: &Codegen) {
    if codegen.written.is_empty() {
        println!("generated/ unchanged ({} files)", codegen.run.files.len());
    }
    for Written { path, change } in &codegen.written {
        let verb = match change {
            FileChange::Created => "created",
            FileChange::Updated => "updated",
            FileChange::Removed => "removed",
        };
        println!("  {verb} {path}");
    }
}
