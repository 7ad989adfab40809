//! Fuzzing extract, normalize, merge and downgrade: seeded with every page we have, mutated at
//! the line and token level (what a cut-off or mis-exported page looks like), each input must
//! give operations or errors, never a panic, within a time bound.
//!
//! `cargo test` runs a short, fixed-seed round. For a long run:
//! `FUZZ_SECONDS=600 cargo test --release -p tests fuzz -- --nocapture` (optionally
//! `FUZZ_SEED=n`); every input that fails is saved in `tests/fixtures/fuzz/`, and those files
//! run in every `cargo test` from then on.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use xtask::Page;

use crate::repo_root;

/// The time one input may take (in a debug build, with some slack for a loaded machine).
const BOUND: Duration = Duration::from_secs(5);

/// How far an input got, as [`exercise`] counts it and as a saved case's file name opens.
const STAGES: [&str; 4] = ["stops-at-normalize", "stops-at-merge", "stops-at-downgrade", "passes"];

/// Every saved case gives errors, not a panic; one whose name opens with a stage (mutated pages
/// from the fixed-seed round, kept as a regression set) still stops there. Inputs the fuzzer
/// saves after a failure are named by their hash and only need to pass.
#[test]
fn saved_fuzz_cases_give_errors_not_panics() {
    let dir = repo_root().join("tests/fixtures/fuzz");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
    cases.retain(|p| p.extension().is_some_and(|e| e == "md"));
    cases.sort();
    assert!(!cases.is_empty(), "{}: no saved case, so this test would read nothing", dir.display());
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let text = String::from_utf8_lossy(&std::fs::read(case).unwrap()).into_owned();
        let stage = exercise(&[Page::new(format!("spec/{name}"), text)])
            .unwrap_or_else(|failure| panic!("{}: {failure}", case.display()));
        if let Some(expected) = STAGES.iter().find(|s| name.starts_with(*s)) {
            crate::check(&name, "where the pipeline stops", STAGES[stage], *expected);
        }
    }
}

#[test]
#[cfg_attr(not(slow_tests), ignore = "slow tier (300 mutated pages): RUN_SLOW_TESTS=1 cargo test --workspace runs it")]
fn mutated_pages_give_errors_not_panics() {
    let seconds: Option<u64> = std::env::var("FUZZ_SECONDS").ok().and_then(|s| s.parse().ok());
    let seed: u64 = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5eed);
    let seeds = seeds();
    let good = crate::spec_pages().len();
    let mut rng = Rng(seed | 1);
    let started = Instant::now();
    let (mut runs, mut failures) = (0u64, Vec::new());
    // How far each input got: rejected by normalize, by merge, by downgrade, or all the way.
    let mut reached = [0u64; 4];
    loop {
        match seconds {
            Some(s) if started.elapsed() >= Duration::from_secs(s) => break,
            None if runs >= 300 => break,
            _ => {}
        }
        // Three times in four a good page, the rest a twin or a bad page.
        let base = &seeds[if rng.below(4) > 0 { rng.below(good) } else { rng.below(seeds.len()) }];
        let mut text = base.text.clone();
        // Mostly one mutation, so that many inputs get past normalize into merge and downgrade.
        for _ in 0..[1, 1, 1, 2, 3][rng.below(5)] {
            text = mutate(&text, &seeds, &mut rng);
        }
        let mut pages = vec![Page::new("spec/fuzzed.md", text)];
        // Half the time with a real page beside it, so merge sees conflicts and duplicates.
        if rng.below(2) == 0 {
            pages.push(seeds[rng.below(seeds.len())].clone());
        }
        runs += 1;
        match exercise(&pages) {
            Ok(stage) => reached[stage] += 1,
            Err(failure) => {
                let saved = save(&pages[0].text);
                failures.push(format!("{failure} (input saved as {})", saved.display()));
                if seconds.is_none() {
                    break;
                }
            }
        }
    }
    println!(
        "fuzz: {runs} inputs in {:.1?}, seed {seed}, {} failure(s); stopped at normalize {}, merge {}, downgrade {}; \
         passed all {}",
        started.elapsed(),
        failures.len(),
        reached[0],
        reached[1],
        reached[2],
        reached[3]
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs the stages on `pages`; a panic or an input slower than [`BOUND`] is a failure.
/// Otherwise, the stages passed (0 to 3).
fn exercise(pages: &[Page]) -> Result<usize, String> {
    let started = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let Ok(operations) = xtask::normalize_pages(pages) else { return 0 };
        let Ok(merged) = xtask::merge::merge(operations, &xtask::Decisions::default()) else { return 1 };
        match xtask::downgrade::downgrade(&merged.document, &merged.provenance) {
            Ok(_) => 3,
            Err(_) => 2,
        }
    }));
    let stage = match outcome {
        Ok(stage) => stage,
        Err(panic) => {
            return Err(format!("panicked: {}", xtask::error::panic_message(panic.as_ref())));
        }
    };
    if started.elapsed() > BOUND {
        return Err(format!("took {:.1?}, over the {BOUND:?} bound", started.elapsed()));
    }
    Ok(stage)
}

fn seeds() -> Vec<Page> {
    let root = repo_root();
    let mut pages = crate::spec_pages();
    for dir in ["tests/fixtures/twins", "tests/fixtures/bad"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir)).unwrap().flatten().map(|e| e.path()).collect();
        files.sort();
        for file in files {
            let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
            // The alias bomb takes the parser a second or two each time; it has its own test.
            if text.len() < 100_000 && !file.ends_with("alias-bomb.md") {
                pages.push(Page::new(file.display().to_string(), text));
            }
        }
    }
    pages
}

/// Tokens that matter to YAML, to OpenAPI, or to this pipeline.
const TOKENS: &[&str] = &[
    ": ",
    "- ",
    "\t",
    "&a ",
    "*a",
    "{",
    "}",
    "[",
    "]",
    "'",
    "\"",
    "#",
    "|",
    ">",
    "? ",
    "!!str ",
    "~",
    "null",
    "\n",
    "$ref: '#/components/schemas/X'",
    "$ref: '#/components/parameters/model_id'",
    "type: 'null'",
    "type: [string, 'null']",
    "anyOf:",
    "allOf:",
    "oneOf:",
    "const: 1",
    "enum: []",
    "required: true",
    "schemaArray:",
    "refIdentifier: '#/components/schemas/A'",
    "````",
    "````yaml get /v1/x",
    "/{id}",
    "{model_id}",
    "\u{feff}",
    "é",
    "\r",
];

fn mutate(text: &str, seeds: &[Page], rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let n = lines.len().max(1);
    match rng.below(9) {
        0 => {
            let at = rng.below(n);
            if at < lines.len() {
                lines.remove(at);
            }
        }
        1 => {
            let at = rng.below(n);
            let line = lines.get(at).cloned().unwrap_or_default();
            lines.insert(at, line);
        }
        2 => {
            let (a, b) = (rng.below(n), rng.below(n));
            if a < lines.len() && b < lines.len() {
                lines.swap(a, b);
            }
        }
        3 => {
            // Cut off, as a failed download is.
            let cut = floor_char(text, rng.below(text.len() + 1));
            return text[..cut].to_string();
        }
        4 => {
            let at = rng.below(n);
            if let Some(line) = lines.get_mut(at) {
                let pos = floor_char(line, rng.below(line.len() + 1));
                line.insert_str(pos, TOKENS[rng.below(TOKENS.len())]);
            }
        }
        5 => {
            // Splice lines from another page.
            let other = &seeds[rng.below(seeds.len())].text;
            let theirs: Vec<&str> = other.split('\n').collect();
            let start = rng.below(theirs.len());
            let len = rng.below(20).min(theirs.len() - start);
            let at = rng.below(n).min(lines.len());
            for (i, line) in theirs[start..start + len].iter().enumerate() {
                lines.insert(at + i, line.to_string());
            }
        }
        6 => {
            // Re-indent a line.
            let at = rng.below(n);
            if let Some(line) = lines.get_mut(at) {
                let trimmed = line.trim_start().to_string();
                *line = format!("{}{trimmed}", " ".repeat(rng.below(12)));
            }
        }
        7 => {
            // Replace a value after a colon.
            let at = rng.below(n);
            if let Some(line) = lines.get_mut(at)
                && let Some(colon) = line.find(": ")
            {
                line.truncate(colon + 2);
                line.push_str(TOKENS[rng.below(TOKENS.len())]);
            }
        }
        _ => {
            // Duplicate a block of lines (repeated keys, repeated fences).
            let start = rng.below(n);
            let len = rng.below(30).min(lines.len().saturating_sub(start));
            let block: Vec<String> = lines[start..start + len].to_vec();
            let at = rng.below(n).min(lines.len());
            for (i, line) in block.into_iter().enumerate() {
                lines.insert(at + i, line);
            }
        }
    }
    lines.join("\n")
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn save(text: &str) -> PathBuf {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    let path = repo_root().join(format!("tests/fixtures/fuzz/crash-{:016x}.md", hasher.finish()));
    let _ = std::fs::write(&path, text);
    path.strip_prefix(repo_root()).map(Path::to_path_buf).unwrap_or(path)
}

/// xorshift64: reproducible from the seed, no dependency.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        if n == 0 { 0 } else { (self.0 % n as u64) as usize }
    }
}
