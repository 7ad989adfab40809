//! Write: takes the files a run built in memory, gives `generated/` equal to them. Writing
//! touches only files whose bytes changed, each replaced atomically, and removes strays;
//! checking writes nothing and reports every stale, missing or stray file with a diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Errors};
use crate::page::display_path;

/// The folder of the generated crate, under the repository root.
pub const GENERATED_DIR: &str = "generated";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileChange {
    Created,
    Updated,
    Removed,
}

/// A file a write created, updated or removed, shown relative to the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: String,
    pub change: FileChange,
}

/// A file a write is about to change: its new text, or none to remove it.
struct Pending<'a> {
    path: String,
    change: FileChange,
    text: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    Missing(String),
    Changed(String, String),
    Stray(String),
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stale::Missing(path) => write!(f, "{path}: missing"),
            Stale::Changed(path, diff) => write!(f, "{path}: stale\n{diff}"),
            Stale::Stray(path) => write!(f, "{path}: stray (no page produces it)"),
        }
    }
}

/// Every way `dir` differs from `files` (paths relative to `dir`). `root` is what paths are
/// shown relative to.
pub fn check(root: &Path, dir: &Path, files: &BTreeMap<String, String>) -> Vec<Stale> {
    let mut stale = Vec::new();
    for (relative, wanted) in files {
        let path = dir.join(relative);
        let shown = display_path(root, &path);
        match std::fs::read(&path) {
            Err(_) => stale.push(Stale::Missing(shown)),
            Ok(bytes) if bytes == wanted.as_bytes() => {}
            Ok(bytes) => {
                let have = String::from_utf8_lossy(&bytes);
                stale.push(Stale::Changed(shown.clone(), diff(&have, wanted, &shown)));
            }
        }
    }
    for path in existing_files(dir) {
        let relative = display_path(dir, &path);
        if !files.contains_key(&relative) {
            stale.push(Stale::Stray(display_path(root, &path)));
        }
    }
    stale
}

/// Makes `dir` equal to `files`, all or nothing: every new file is first staged beside its
/// target; only when all are staged are they renamed into place (each replaced or removed file
/// kept aside until the end), and a failure at any point puts every file back as it was.
pub fn apply(root: &Path, dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<Written>, Errors> {
    let shown: BTreeMap<String, String> = files
        .iter()
        .map(|(relative, text)| (display_path(root, &dir.join(relative)), text.clone()))
        .collect();
    let strays: Vec<String> = existing_files(dir)
        .iter()
        .filter(|path| !files.contains_key(&display_path(dir, path)))
        .map(|path| display_path(root, path))
        .collect();
    apply_some(root, &shown, &strays)
}

/// Writes `files` (paths relative to `root`) whose bytes differ and removes `remove`, all or
/// nothing, leaving every other file alone.
pub fn apply_some(root: &Path, files: &BTreeMap<String, String>, remove: &[String]) -> Result<Vec<Written>, Errors> {
    let mut pending = Vec::new();
    for (shown, text) in files {
        let change = match std::fs::read(root.join(shown)) {
            Ok(old) if old == text.as_bytes() => continue,
            Ok(_) => FileChange::Updated,
            Err(_) => FileChange::Created,
        };
        pending.push(Pending { path: shown.clone(), change, text: Some(text.as_str()) });
    }
    pending.extend(remove.iter().map(|shown| Pending { path: shown.clone(), change: FileChange::Removed, text: None }));
    commit_all(root, pending)
}

/// Stages every new file, then renames them all into place; any failure rolls all back.
fn commit_all(root: &Path, pending: Vec<Pending<'_>>) -> Result<Vec<Written>, Errors> {
    let mut transaction = Transaction::default();
    let result = (|| {
        for file in &pending {
            if let Some(text) = file.text {
                transaction.stage(&root.join(&file.path), text.as_bytes()).map_err(|e| (&file.path, e))?;
            }
        }
        for file in &pending {
            transaction.commit(&root.join(&file.path), file.change).map_err(|e| (&file.path, e))?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => {
            transaction.finish();
            Ok(pending.into_iter().map(|file| Written { path: file.path, change: file.change }).collect())
        }
        Err((shown, e)) => {
            transaction.roll_back();
            Err(Error::new(shown.clone(), format!("cannot write: {e}")).with_hint("nothing was changed").into())
        }
    }
}

/// What [`apply`] did so far, to finish or undo.
#[derive(Default)]
struct Transaction {
    /// Target → its staged temporary file.
    staged: Vec<(PathBuf, PathBuf)>,
    /// Files renamed into place: (target, the old file kept aside, if there was one).
    committed: Vec<(PathBuf, Option<PathBuf>)>,
    /// Directories created for new files, outermost first.
    created_dirs: Vec<PathBuf>,
}

impl Transaction {
    fn stage(&mut self, target: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let dir = target.parent().unwrap_or(Path::new("."));
        let mut missing = Vec::new();
        let mut up = Some(dir);
        while let Some(d) = up.filter(|d| !d.exists()) {
            missing.push(d.to_path_buf());
            up = d.parent();
        }
        std::fs::create_dir_all(dir)?;
        self.created_dirs.extend(missing.into_iter().rev());
        let temporary = aside(target, "tmp");
        std::fs::write(&temporary, bytes)?;
        self.staged.push((target.to_path_buf(), temporary));
        Ok(())
    }

    fn commit(&mut self, target: &Path, change: FileChange) -> std::io::Result<()> {
        let kept = match target.exists() {
            true => {
                let kept = aside(target, "old");
                std::fs::rename(target, &kept)?;
                Some(kept)
            }
            false => None,
        };
        self.committed.push((target.to_path_buf(), kept));
        if change != FileChange::Removed {
            let temporary = self.staged.iter().find(|(t, _)| t == target).map(|(_, tmp)| tmp.clone());
            let temporary = temporary.ok_or_else(|| std::io::Error::other("the file was never staged"))?;
            std::fs::rename(&temporary, target)?;
        }
        Ok(())
    }

    /// Success: drop the old files kept aside.
    fn finish(self) {
        for (_, kept) in self.committed {
            if let Some(kept) = kept {
                let _ = std::fs::remove_file(kept);
            }
        }
    }

    /// Failure: every committed file back as it was, staged files and new directories gone.
    fn roll_back(self) {
        for (target, kept) in self.committed.into_iter().rev() {
            match kept {
                Some(kept) => {
                    let _ = std::fs::rename(kept, &target);
                }
                None => {
                    let _ = std::fs::remove_file(&target);
                }
            }
        }
        for (_, temporary) in self.staged {
            let _ = std::fs::remove_file(temporary);
        }
        for dir in self.created_dirs.into_iter().rev() {
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// A sibling of `target` for a staged or kept-aside copy: hidden, named after the process.
fn aside(target: &Path, kind: &str) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    target.with_file_name(format!(".{name}.{}.{kind}", std::process::id()))
}

/// Every file below `dir`, sorted.
pub(crate) fn existing_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            match entry.file_type() {
                Ok(t) if t.is_dir() => stack.push(path),
                Ok(_) => out.push(path),
                Err(_) => {}
            }
        }
    }
    out.sort();
    out
}

/// A unified diff, at most `LIMIT` lines of it, so a large change stays one screen per file.
pub fn diff(old: &str, new: &str, name: &str) -> String {
    const LIMIT: usize = 60;
    let text = similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() <= LIMIT {
        text
    } else {
        format!("{}\n… {} more diff lines\n", lines[..LIMIT].join("\n"), lines.len() - LIMIT)
    }
}
