//! `cargo xtask codegen | fetch | cut`: the command line over the pipeline in the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use xtask::report::Impact;
use xtask::write::{self, FileChange};
use xtask::{Codegen, GENERATED_DIR, Input, Previous, Run, VersionBump, Written};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
Usage: cargo xtask codegen [--check] [--report FILE] [--root DIR]
       cargo xtask fetch [--index URL] [--prefix PATH] [--dry-run] [--prune] [--concurrency N] [--timeout SECS]
       cargo xtask cut [--mix SEED] SPEC.json [SPEC.json ...] DIR
       cargo xtask cut [--mix SEED] --merged SPEC.json [SPEC.json ...] FILE
       cargo xtask cut --stand-ins ENDPOINTS SPEC.json

Run `cargo xtask fetch --help` for fetch's options.

codegen:

Turns the docs pages in spec/ into the baseten-management crate in generated/, and reports what
changed for users of the client since the generated/openapi.yaml on disk: operations and types
added and removed, fields added, removed, retyped or made (not) required, enum values added and
removed, the auth scheme, the server and the server's defaults, each breaking, additive, at run
time or docs-only. The crate version in generated/Cargo.toml is bumped as the worst change says (below 1.0: breaking bumps the minor, the rest the patch).

Options:
  --check          write nothing; exit 1 listing every stale, missing or stray file in generated/ with a diff
  --report FILE    also write the change report as Markdown to FILE (for a pull request)
  --root DIR       read DIR/spec/ and write DIR/generated/ instead of the repository's
  -h, --help       print this help

cut:

Cuts a full OpenAPI 3.1 document (Baseten's /v1/spec) into one standard-form docs page per
operation, written as DIR/<method>-<path>.md; `cargo xtask codegen --root` then reads them from
DIR/spec/. CI runs the whole management API through the pipeline this way. Given several specs
(the API at several dates) and `--mix SEED`, each operation's page comes from one of the specs
that have it, picked by SEED: a docs site whose pages were exported months apart. With --merged,
the pages are not written: they go through the pipeline up to the downgrade, and FILE gets the
OpenAPI 3.0.3 document codegen would write as generated/openapi.yaml (CI validates the history's
versions this way).

With --stand-ins, reads the docs' list of endpoints (spec/endpoints.txt, a table: method, path,
page on the site) and renders, from SPEC.json, a stand-in page in spec/ for every listed endpoint
no page exported by the docs site serves, at the path the site gives that page. A stand-in's first
line says what it is; `cargo xtask fetch` replaces it with the site's export. Stand-ins no longer
needed are removed.";

fn main() -> ExitCode {
    use_large_pages();
    report_panics_as_bugs();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["fetch", rest @ ..] => fetch(rest),
        ["cut", rest @ ..] => cut(rest),
        ["codegen", rest @ ..] => match CodegenArgs::parse(rest) {
            Ok(Some(args)) if args.check => codegen_check(&args),
            Ok(Some(args)) => codegen(&args),
            Ok(None) => help(),
            Err(message) => usage_error(&message),
        },
        ["-h" | "--help"] | ["help", ..] => help(),
        _ => usage_error("expected a command"),
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

/// `cargo xtask codegen`'s options.
struct CodegenArgs {
    check: bool,
    report: Option<PathBuf>,
    root: PathBuf,
}

impl CodegenArgs {
    /// The options, `None` for `--help`, or what is wrong with them.
    fn parse(args: &[&str]) -> Result<Option<CodegenArgs>, String> {
        let mut parsed = CodegenArgs { check: false, report: None, root: root() };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match *arg {
                "-h" | "--help" => return Ok(None),
                "--check" | "-c" => parsed.check = true,
                "--report" => parsed.report = Some(PathBuf::from(args.next().ok_or("--report needs a FILE")?)),
                "--root" => parsed.root = PathBuf::from(args.next().ok_or("--root needs a DIR")?),
                other => return Err(format!("unknown argument `{other}`")),
            }
        }
        Ok(Some(parsed))
    }
}

const FETCH_USAGE: &str = "\
Usage: cargo xtask fetch [--index URL] [--prefix PATH] [--dry-run] [--prune] [--concurrency N] [--timeout SECS]

Brings spec/ up to date from the docs site: reads its page index, downloads the Markdown export of
every page listed under the management API reference, keeps those that hold one OpenAPI block, and
writes them under spec/ by their path below the prefix. Pages are written only after every download
succeeded, all or nothing. Prints the pages added, changed, unchanged, skipped (not API pages) and
no longer listed.

Options:
  --index URL        the page index (default https://docs.baseten.co/llms.txt)
  --prefix PATH      the site path of the API reference (default: /reference/management-api/,
                     and /reference/training-api/ into spec/training/)
  --dry-run          download and report, write nothing
  --prune            remove pages the index no longer lists (default: only report them)
  --concurrency N    downloads at a time (default 8)
  --timeout SECS     per request, connect included (default 30); 429, 5xx, timeouts and connection
                     errors are retried 3 times with exponential backoff
  -h, --help         print this help";

fn fetch(args: &[&str]) -> ExitCode {
    let options = match fetch_options(args) {
        Ok(Some(options)) => options,
        Ok(None) => {
            println!("{FETCH_USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{FETCH_USAGE}");
            return ExitCode::from(2);
        }
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

/// `cargo xtask fetch`'s options, `None` for `--help`, or what is wrong with them.
fn fetch_options(args: &[&str]) -> Result<Option<xtask::fetch::Options>, String> {
    let mut options = xtask::fetch::Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().map(|v| v.to_string()).ok_or(format!("{name} needs a value"));
        match *arg {
            "-h" | "--help" => return Ok(None),
            "--dry-run" => options.dry_run = true,
            "--prune" => options.prune = true,
            "--index" => options.index = value("--index")?,
            "--prefix" => {
                options.parts = vec![xtask::fetch::SitePart { prefix: value("--prefix")?, folder: String::new() }]
            }
            "--concurrency" => {
                let v = value("--concurrency")?;
                options.concurrency = v.parse().map_err(|_| format!("--concurrency takes a number, not `{v}`"))?;
            }
            "--timeout" => {
                let v = value("--timeout")?;
                let seconds = v.parse::<f64>().map_err(|_| format!("--timeout takes seconds, not `{v}`"))?;
                options.timeout = std::time::Duration::try_from_secs_f64(seconds).map_err(|e| e.to_string())?;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(options))
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

fn help() -> ExitCode {
    println!("{USAGE}");
    ExitCode::SUCCESS
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}\n\n{USAGE}");
    ExitCode::from(2)
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

fn cut(args: &[&str]) -> ExitCode {
    if let ["--stand-ins", list, spec] = args {
        return cut_stand_ins(Path::new(list), Path::new(spec));
    }
    let merged = args.contains(&"--merged");
    let args: Vec<&str> = args.iter().copied().filter(|arg| *arg != "--merged").collect();
    let (seed, rest) = match args.as_slice() {
        ["--mix", seed, rest @ ..] => match seed.parse::<u64>() {
            Ok(seed) => (Some(seed), rest),
            Err(_) => return usage_error(&format!("--mix takes a number, not `{seed}`")),
        },
        rest => (None, rest),
    };
    let [specs @ .., dir] = rest else { return usage_error("cut takes SPEC.json and DIR") };
    if specs.is_empty() || (specs.len() > 1 && seed.is_none()) {
        return usage_error("cut takes one SPEC.json and DIR, or --mix SEED and several");
    }
    let specs: Vec<&Path> = specs.iter().map(Path::new).collect();
    let (result, done) = match merged {
        false => (xtask::cut::cut_files(&specs, seed, Path::new(dir)), "written to"),
        true => (merge_files(&specs, seed, Path::new(dir)), "merged into"),
    };
    match result {
        Ok(count) => {
            println!("{count} pages {done} {dir}");
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
fn codegen(args: &CodegenArgs) -> ExitCode {
    match xtask::codegen(&args.root) {
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
fn codegen_check(args: &CodegenArgs) -> ExitCode {
    let root = &args.root;
    let run = match Input::load(root).and_then(|input| xtask::build(&input, &Previous::read(root))) {
        Ok(run) => run,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::FAILURE;
        }
    };
    if write_report(&run, args.report.as_deref()) != ExitCode::SUCCESS {
        return ExitCode::FAILURE;
    }
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
    let VersionBump { before, after } = &run.version;
    let markdown =
        format!("{}{}", run.report.to_markdown(before, after), xtask::merge::drift_markdown(&run.reconciliations));
    match std::fs::write(file, markdown) {
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
