//! `spec/lifecycles.txt` against the docs: a status the docs add stops codegen naming it, its
//! page and the line to add; a status no page declares, a field the answer lacks and a line
//! that does not parse each name their line of the file.

use crate::check;

/// Codegen on `root`, its errors printed one per line (empty when it passed).
fn codegen_errors(root: &std::path::Path) -> Vec<String> {
    match xtask::codegen(root) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    }
}

fn edit(path: &std::path::Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_status_the_docs_add_stops_codegen_until_the_lifecycles_classify_it() {
    let root = crate::bad_input::scratch("lifecycles-new-status");
    let page = root.join("spec/deployments/gets-a-models-development-deployment.md");
    edit(&page, "        - WAKING_UP\n", "        - WAKING_UP\n        - HIBERNATING\n");
    let before = crate::bad_input::contents(&root.join("generated"));
    let errors = codegen_errors(&root);
    let reviewed = std::fs::read_to_string(root.join(xtask::lifecycles::FILE)).unwrap();
    let after = reviewed.lines().position(|line| line.starts_with("DEACTIVATING ")).unwrap() + 1;
    let expected = format!(
        "spec/deployments/gets-a-models-development-deployment.md:116:7: `#/components/schemas/DeploymentStatusV1/enum`: \
         the docs declare the status `HIBERNATING` (DeploymentStatusV1), which spec/lifecycles.txt does not classify for \
         the `deployment` lifecycle\n  hint: say what it means: add `HIBERNATING in-progress` (or ready, failed, \
         failed-for-good, stopped) to spec/lifecycles.txt after line {after}, under a `source` line naming the docs that \
         say so"
    );
    check("HIBERNATING added to a page", "errors", errors, vec![expected]);
    check("a stopped codegen", "generated/", crate::bad_input::contents(&root.join("generated")) == before, true);

    edit(
        &root.join(xtask::lifecycles::FILE),
        "WAKING_UP in-progress\n",
        "WAKING_UP in-progress\nHIBERNATING in-progress\n",
    );
    check("HIBERNATING classified", "errors", codegen_errors(&root), Vec::new());
    let api = std::fs::read_to_string(root.join("generated/src/api.rs")).unwrap();
    assert!(api.contains("name: \"HIBERNATING\""), "lifecycles::DEPLOYMENT lists HIBERNATING");
}

/// Each line of the file the docs no longer agree with, or that does not parse.
#[test]
fn each_line_the_docs_or_the_format_disagree_with_is_named() {
    let cases = [
        (
            "a status no page declares",
            "ACTIVE ready\n",
            "ACTIVE ready\nRESTING ready\n",
            "spec/lifecycles.txt:LINE:1: `RESTING` is classified for the `deployment` lifecycle, but no page declares it in DeploymentStatusV1",
        ),
        (
            "a field the answer lacks",
            "error training_job.error_message\n",
            "error training_job.failure\n",
            "spec/lifecycles.txt:LINE:1: the `training_job` lifecycle reads `training_job.failure` from `get_training_project_job`, whose answer",
        ),
        (
            "a phase that is none",
            "ACTIVE ready\n",
            "ACTIVE done\n",
            "spec/lifecycles.txt:LINE:1: `ACTIVE`: `done` is not one of in-progress, ready, failed, failed-for-good, stopped",
        ),
        (
            "a lifecycle no waiter knows",
            "lifecycle chain_deployment\n",
            "lifecycle chain\n",
            "spec/lifecycles.txt:LINE:1: no waiter knows the lifecycle `chain`",
        ),
    ];
    for (what, from, to, expected) in cases {
        let root = crate::bad_input::scratch("lifecycles-lines");
        let file = root.join(xtask::lifecycles::FILE);
        edit(&file, from, to);
        let text = std::fs::read_to_string(&file).unwrap();
        let changed = to.lines().last().unwrap();
        let line = text.lines().position(|l| l == changed).unwrap() + 1;
        let expected = expected.replace("LINE", &line.to_string());
        let errors = codegen_errors(&root);
        let found = errors.iter().any(|error| error.starts_with(&expected));
        assert!(found, "{what}: no error starts with\n  {expected}\nthe errors:\n  {}", errors.join("\n  "));
    }
}
