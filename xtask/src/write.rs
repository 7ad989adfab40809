//! Write: takes the files a run built in memory, gives `generated/` equal to them. Writing
//! touches only files whose bytes changed, each replaced atomically, and removes strays;
//! checking writes nothing and reports every stale, missing or stray file with a diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Errors};
use crate::page::display_path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Created,
    Updated,
    Removed,
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

/// Makes `dir` equal to `files`. Nothing is touched unless every file could be prepared.
pub fn apply(root: &Path, dir: &Path, files: &BTreeMap<String, String>) -> Result<Vec<(String, Change)>, Errors> {
    let mut changes = Vec::new();
    let mut pending = Vec::new();
    for item in check(root, dir, files) {
        match item {
            Stale::Missing(shown) => pending.push((shown, Change::Created)),
            Stale::Changed(shown, _) => pending.push((shown, Change::Updated)),
            Stale::Stray(shown) => pending.push((shown, Change::Removed)),
        }
    }
    let mut errors = Errors::default();
    for (shown, change) in pending {
        let path = root.join(&shown);
        let result = match change {
            Change::Removed => std::fs::remove_file(&path),
            _ => {
                let relative = display_path(dir, &path);
                write_atomically(&path, files[&relative].as_bytes())
            }
        };
        match result {
            Ok(()) => changes.push((shown, change)),
            Err(e) => errors.push(Error::new(shown, format!("cannot write: {e}"))),
        }
    }
    errors.into_result(changes)
}

/// Writes through a temporary file in the same directory and a rename, so a reader never sees
/// half a file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&temporary);
    })
}

fn existing_files(dir: &Path) -> Vec<PathBuf> {
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
