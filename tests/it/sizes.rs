//! Sizes: no file of `xtask/src/` over 500 lines, and no function of `xtask/` (its support code
//! included) over 80 lines outside tests: a room per job, a function that fits a screen.

use std::path::{Path, PathBuf};

use crate::repo_root;

const MAX_FILE_LINES: usize = 500;
const MAX_FUNCTION_LINES: usize = 80;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// A line without its `//` comment and with its string and char literals emptied, so their
/// braces do not count.
fn code_of(line: &str) -> String {
    let (mut out, mut chars) = (String::new(), line.chars().peekable());
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => break,
            '"' => {
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => _ = chars.next(),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '\'' if matches!(chars.clone().nth(1), Some('\'')) || chars.peek() == Some(&'\\') => {
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Each function's name and length in lines, before the file's `#[cfg(test)]`.
fn functions(text: &str) -> Vec<(String, usize, usize)> {
    let lines: Vec<&str> = text.lines().take_while(|l| l.trim() != "#[cfg(test)]").collect();
    let mut out = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        let code = code_of(lines[at]);
        let Some(name) = fn_name(&code) else {
            at += 1;
            continue;
        };
        let (mut depth, mut opened, mut end) = (0i64, false, at);
        for (offset, line) in lines[at..].iter().enumerate() {
            let code = code_of(line);
            depth += code.matches('{').count() as i64 - code.matches('}').count() as i64;
            opened |= code.contains('{');
            end = at + offset;
            if (opened && depth <= 0) || (!opened && code.trim_end().ends_with(';')) {
                break;
            }
        }
        out.push((name, at + 1, end - at + 1));
        at = end + 1;
    }
    out
}

/// `fn name` opening an item (`pub(crate) async fn name<..>(`), not a `fn(..)` type.
fn fn_name(code: &str) -> Option<String> {
    let words: Vec<&str> = code.split_whitespace().collect();
    let at = words.iter().position(|w| *w == "fn")?;
    let before_ok = words[..at].iter().all(|w| w.starts_with("pub") || ["async", "const", "unsafe"].contains(w));
    let name: String = words.get(at + 1)?.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (before_ok && !name.is_empty()).then_some(name)
}

#[test]
fn no_file_over_500_lines_and_no_function_over_80() {
    let root = repo_root();
    let mut over = Vec::new();
    let mut files = Vec::new();
    rust_files(&root.join("xtask/src"), &mut files);
    for file in &files {
        let lines = std::fs::read_to_string(file).unwrap().lines().count();
        if lines > MAX_FILE_LINES {
            over.push(format!("{}: {lines} lines (at most {MAX_FILE_LINES})", file.display()));
        }
    }
    rust_files(&root.join("xtask/templates"), &mut files);
    for file in &files {
        for (name, line, length) in functions(&std::fs::read_to_string(file).unwrap()) {
            if length > MAX_FUNCTION_LINES {
                over.push(format!(
                    "{}:{line}: fn {name}: {length} lines (at most {MAX_FUNCTION_LINES})",
                    file.display()
                ));
            }
        }
    }
    assert!(over.is_empty(), "split these:\n{}", over.join("\n"));
}

#[test]
fn the_function_reader_measures_what_it_should() {
    let text = "pub(crate) async fn a<T>(x: T) -> String {\n    let s = \"}}\";\n    '{';\n    s.into()\n}\nfn b();\nlet f: fn(u8) = g;\n#[cfg(test)]\nfn c() {\n}\n";
    let found: Vec<(String, usize, usize)> = functions(text);
    crate::check("the reader", "functions", found, vec![("a".to_string(), 1, 5), ("b".to_string(), 6, 1)]);
}
