//! Bad input: every page in `tests/fixtures/bad/` dropped into a copy of the repository's
//! `spec/` makes `cargo xtask codegen` fail with a message naming the page (snapshotted word
//! for word), and leaves `generated/` byte-identical. Plus writes that fail half-way.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::{check, repo_root};

/// A copy of the repository's `spec/` and `generated/` under the test's scratch directory.
pub(crate) fn scratch(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad-input").join(name);
    let _ = std::fs::remove_dir_all(&root);
    for dir in ["spec", "generated"] {
        copy_dir(&repo_root().join(dir), &root.join(dir));
    }
    root
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes.
pub(crate) fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            if entry.file_type().unwrap().is_dir() {
                stack.push(entry.path());
            } else {
                let shown = entry.path().strip_prefix(dir).unwrap().display().to_string();
                out.insert(shown, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    out
}

/// Runs `cargo xtask codegen` on `root` as the command line does; the failure's message.
fn failing_codegen(root: &Path, page: &str) -> String {
    let before = contents(&root.join("generated"));
    let message = match xtask::codegen(root) {
        Ok(_) => panic!("{page}: codegen succeeded"),
        Err(errors) => errors.to_string(),
    };
    assert!(message.contains(&format!("spec/{page}")), "{page}: the message does not name the page:\n{message}");
    assert!(!message.contains("panicked"), "{page}: {message}");
    let after = contents(&root.join("generated"));
    assert!(before == after, "{page}: generated/ changed although codegen failed");
    message
}

#[test]
fn each_bad_page_fails_naming_it_and_leaves_generated_as_it_was() {
    insta::glob!("../fixtures/bad", "*.md", |path| {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let root = scratch(&name);
        std::fs::copy(path, root.join("spec").join(&name)).unwrap();
        insta::assert_snapshot!("bad_page", failing_codegen(&root, &name));
    });
}

#[test]
fn a_50_mb_page_is_refused_before_it_is_read() {
    let root = scratch("fifty-megabytes");
    let mut page = std::fs::read_to_string(root.join("spec/secrets/gets-all-secrets.md")).unwrap();
    page.push_str(&"x".repeat(50 * 1024 * 1024));
    std::fs::write(root.join("spec/huge.md"), page).unwrap();
    let size = std::fs::metadata(root.join("spec/huge.md")).unwrap().len();
    let message = failing_codegen(&root, "huge.md");
    check(
        "spec/huge.md",
        "message",
        message.lines().next().unwrap_or_default().to_string(),
        format!("error: spec/huge.md: the page is {size} bytes; the limit is 4194304"),
    );
}

/// A scratch `generated/` that needs several files rewritten: `Cargo.toml`, `src/lib.rs` and
/// `src/retry.rs` edited, `README.md` gone, a stray file added.
fn stale_generated(name: &str) -> PathBuf {
    let root = scratch(name);
    let generated = root.join("generated");
    for file in ["Cargo.toml", "src/lib.rs", "src/retry.rs"] {
        let path = generated.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\n// edited by hand\n")).unwrap();
    }
    std::fs::remove_file(generated.join("README.md")).unwrap();
    std::fs::write(generated.join("src/stray.rs"), "// not generated\n").unwrap();
    root
}

#[test]
fn a_write_that_fails_while_staging_changes_nothing() {
    let root = stale_generated("fails-while-staging");
    // `examples/` cannot be created where a file stands; `Cargo.toml` and `README.md` come
    // before it and would have been written by a naive writer.
    let generated = root.join("generated");
    std::fs::remove_dir_all(generated.join("examples")).unwrap();
    std::fs::write(generated.join("examples"), "in the way\n").unwrap();
    let before = contents(&generated);
    let errors = xtask::codegen(&root).err().expect("staging the first file of examples/ fails");
    assert!(errors.to_string().contains("generated/examples/deploy.rs: cannot write"), "{errors}");
    check(
        "generated/",
        "files after a failed staging",
        contents(&generated).into_keys().collect::<Vec<_>>(),
        before.keys().cloned().collect(),
    );
    assert!(contents(&generated) == before, "a failed staging changed generated/");
}

#[test]
fn a_write_that_fails_half_way_through_the_renames_is_rolled_back() {
    let root = stale_generated("fails-half-way");
    let generated = root.join("generated");
    let before = contents(&generated);
    // Where src/retry.rs would be kept aside, a directory stands: its rename fails after
    // Cargo.toml, README.md and src/lib.rs were already renamed into place.
    let blocker = generated.join(format!("src/.retry.rs.{}.old", std::process::id()));
    std::fs::create_dir_all(blocker.join("occupied")).unwrap();
    let errors = xtask::codegen(&root).err().expect("renaming src/retry.rs aside fails");
    assert!(errors.to_string().contains("generated/src/retry.rs: cannot write"), "{errors}");
    std::fs::remove_dir_all(&blocker).unwrap();
    let after = contents(&generated);
    check(
        "generated/",
        "files after the roll-back",
        after.keys().cloned().collect::<Vec<_>>(),
        before.keys().cloned().collect(),
    );
    assert!(after == before, "the roll-back left generated/ different from before");

    // And with the way clear, the same run repairs everything.
    xtask::codegen(&root).expect("codegen");
    assert!(
        contents(&generated) == contents(&repo_root().join("generated")),
        "the repaired generated/ differs from the repository's"
    );
}
