//! The command line (`xtask::flags`): what the docs and CI run parses, `--help` comes from the
//! declaration, and what it refuses it names.

use xtask::flags::{Xtask, XtaskCmd};

use crate::check;

fn parse(line: &str) -> Result<Xtask, String> {
    let args = line.split_whitespace().map(Into::into).collect();
    let flags = Xtask::from_vec(args).map_err(|e| e.to_string())?;
    match &flags.subcommand {
        XtaskCmd::Codegen(codegen) => codegen.validate().map_err(|e| e.to_string())?,
        XtaskCmd::Fetch(_) | XtaskCmd::Cut(_) => {}
    }
    Ok(flags)
}

#[test]
fn what_the_docs_and_ci_run_parses() {
    for line in [
        "codegen",
        "codegen --check",
        "codegen --report target/api-changes.md",
        "codegen --root target/full-api",
        "fetch --dry-run --prune --concurrency 4 --timeout 2.5 --index http://127.0.0.1:1/llms.txt",
        "cut --mix 2 july.json august.json target/mixed/spec",
        "cut --mix 1 --merged july.json august.json target/mix-1.yaml",
        "cut --stand-ins spec/endpoints.txt august.json",
    ] {
        if let Err(error) = parse(line) {
            panic!("`cargo xtask {line}` does not parse: {error}");
        }
    }
    let Ok(Xtask { subcommand: XtaskCmd::Codegen(codegen) }) = parse("codegen --check --root x") else { panic!() };
    check("codegen --check --root x", "parsed", (codegen.check, codegen.root.as_deref()), (true, Some("x".as_ref())));
}

#[test]
fn an_unknown_flag_or_a_contradiction_is_refused_by_name() {
    for (line, named) in [
        ("codegen --bogus", "`--bogus`"),
        ("codegen -c", "`-c`"),
        ("fetch --concurrency many", "`--concurrency`"),
        ("codegen --check --report target/x.md", "--check writes nothing"),
        ("frobnicate", "frobnicate"),
    ] {
        match parse(line) {
            Ok(_) => panic!("`cargo xtask {line}` parsed"),
            Err(error) => assert!(error.contains(named), "`cargo xtask {line}`: {error:?} does not name {named}"),
        }
    }
}

#[test]
fn help_is_the_declaration_s_for_every_command() {
    for line in ["--help", "codegen --help", "fetch -h", "cut --help"] {
        let args = line.split_whitespace().map(Into::into).collect();
        let error = Xtask::from_vec(args).err().unwrap_or_else(|| panic!("`{line}` gave no help"));
        assert!(error.is_help(), "`{line}`: {error}");
        let help = error.to_string();
        for needle in ["xtask codegen", "--check", "--report", "xtask fetch", "--dry-run", "xtask cut", "--stand-ins"] {
            assert!(help.contains(needle), "`{line}`'s help lacks {needle}:\n{help}");
        }
    }
}
