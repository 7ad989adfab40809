//! The public Rust surface (`xtask::public`): what a caller can name, read from the crate's code,
//! and the version bump it gives when the templates or the generator change it.

use std::collections::BTreeMap;

use xtask::public::{Surface, compare};

use crate::check;

/// A crate as its files: `src/lib.rs` with private modules re-exported, as the client's is.
fn files(lib: &str, inner: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("src/lib.rs".to_string(), lib.to_string()), ("src/inner.rs".to_string(), inner.to_string())])
}

const LIB: &str =
    "mod inner;\npub use inner::{Client, Kind, Open, helper};\npub use chrono;\n#[doc(hidden)]\npub mod plumbing {}\n";

const INNER: &str = r#"
#[derive(Clone, Debug)]
pub struct Client { pub base: String, key: String }
impl Client {
    pub fn send(&self, body: &str) -> Result<(), String> { Ok(()) }
    #[doc(hidden)]
    pub fn hook(&self) {}
    fn private(&self) {}
}
pub enum Kind { A, B(u32) }
#[non_exhaustive]
pub enum Open { A }
pub fn helper() {}
pub(crate) fn internal() {}
"#;

/// Each case: the inner module changed as the templates might change it, and what the report
/// says of it, in path order (removed and changed first, then added).
#[test]
fn each_change_to_the_code_is_read_with_its_impact() {
    let before = Surface::of(&files(LIB, INNER));
    let items: Vec<String> = before.items.keys().cloned().collect();
    check(
        "the crate",
        "public paths",
        items,
        [
            "Client",
            "Client.base",
            "Client: Clone",
            "Client: Debug",
            "Client::send",
            "Kind",
            "Kind::A",
            "Kind::B",
            "Open",
            "Open::A",
            "chrono",
            "helper",
        ]
        .map(String::from)
        .to_vec(),
    );
    let derive_to_impl = "impl Clone for Client { fn clone(&self) -> Self { todo!() } }\npub fn helper() {}";
    for (case, edits, expected) in [
        (
            "a method removed",
            &[("    pub fn send(&self, body: &str) -> Result<(), String> { Ok(()) }\n", "")][..],
            &["breaking: method `Client::send` removed"][..],
        ),
        (
            "a signature changed",
            &[("pub fn send(&self, body: &str)", "pub fn send(&self, body: String)")],
            &["breaking: method `Client::send` changed: `fn send(&self, body: &str) -> Result<(), String>` is now \
             `fn send(&self, body: String) -> Result<(), String>`"],
        ),
        (
            "a variant added to an exhaustive enum",
            &[("B(u32) }", "B(u32), C }")],
            &["breaking: variant `Kind::C` added (exhaustive or required: code written against the old crate breaks)"],
        ),
        (
            "a variant added to a non-exhaustive enum",
            &[("pub enum Open { A }", "pub enum Open { A, B }")],
            &["additive: variant `Open::B` added"],
        ),
        (
            "a derive dropped",
            &[("#[derive(Clone, Debug)]", "#[derive(Debug)]")],
            &["breaking: trait impl `Client: Clone` removed"],
        ),
        (
            "a derive written out as an impl",
            &[("#[derive(Clone, Debug)]", "#[derive(Debug)]"), ("pub fn helper() {}", derive_to_impl)],
            &[],
        ),
        (
            "a hidden method and a private one removed",
            &[("    #[doc(hidden)]\n    pub fn hook(&self) {}\n    fn private(&self) {}\n", "")],
            &[],
        ),
        ("a crate-visible function made public", &[("pub(crate) fn internal", "pub fn internal")], &[]),
        ("a variant's field documented", &[("B(u32) }", "B(\n    /// The count.\n    u32) }")], &[]),
    ] {
        let mut inner = INNER.to_string();
        for (from, to) in edits {
            assert!(inner.contains(from), "{case}: the fixture lacks {from:?}");
            inner = inner.replacen(from, to, 1);
        }
        let after = Surface::of(&files(LIB, &inner));
        let changes: Vec<String> = compare(&before, &after).iter().map(|c| format!("{}: {c}", c.impact())).collect();
        check(case, "surface changes", changes, expected.iter().map(|e| e.to_string()).collect());
    }
}

/// The version moves by itself when the code loses a method the spec never named: the crate in
/// `generated/` has one more than the templates give (as it had before a template dropped it),
/// and one signature they give otherwise.
#[test]
fn a_template_change_that_breaks_callers_bumps_the_version() {
    let root = crate::bad_input::scratch("surface");
    let edit = |file: &str, from: &str, to: &str| {
        let path = root.join("generated/src").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "generated/src/{file} lacks {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "client.rs",
        "    pub fn base_url(&self) -> &str {",
        "    pub fn gone(&self) {}\n    pub fn base_url(&self) -> &str {",
    );
    edit("retry.rs", "pub fn attempts(&self) -> u32 {", "pub fn attempts(&self) -> u64 {");
    let before = xtask::Previous::read(&root).version.expect("generated/Cargo.toml has a version");
    let run = xtask::codegen(&root).unwrap_or_else(|e| panic!("{e}")).run;
    assert!(run.report.changes.is_empty(), "the spec did not change: {:?}", run.report.changes);
    let surface: Vec<String> = run.report.surface.iter().map(ToString::to_string).collect();
    check(
        "a method dropped and a signature changed",
        "surface changes",
        surface,
        vec![
            "method `Client::gone` removed".to_string(),
            "method `RetryPolicy::attempts` changed: `fn attempts(&self) -> u64` is now `fn attempts(&self) -> u32`"
                .to_string(),
        ],
    );
    let minor: u64 = before.split('.').nth(1).unwrap().parse().unwrap();
    let after = format!("0.{}.0", minor + 1);
    check("the run", "version after", run.version.after.clone(), after.clone());
    let manifest = std::fs::read_to_string(root.join("generated/Cargo.toml")).unwrap();
    assert!(manifest.contains(&format!("\nversion = \"{after}\"\n")), "generated/Cargo.toml:\n{manifest}");
}

/// Signatures read as rustfmt lays code out, on one line, whatever piece of an item they are.
#[test]
fn each_signature_reads_as_rustfmt_lays_it_out() {
    let inner = r#"
pub struct Page<T: Clone> { pub items: Vec<Option<T>>, pub next: Option<&'static str> }
pub enum Answer { Empty, Pair(u8, String), Named { id: u64 } }
pub type Pages = Page<String>;
pub const LIMIT: u32 = 5;
impl<T: Clone> Page<T> {
    pub fn set<V>(mut self, value: V) -> Self where V: TryInto<u32>, V::Error: std::fmt::Display { self }
}
"#;
    let lib = "mod inner;\npub use inner::{Answer, LIMIT, Page, Pages};\n";
    let surface = Surface::of(&files(lib, inner));
    let shown: Vec<String> = surface.items.iter().map(|(path, item)| format!("{path}: {}", item.signature)).collect();
    check(
        "a page of items",
        "signatures",
        shown,
        [
            "Answer: enum Answer",
            "Answer::Empty: ",
            "Answer::Named: { id: u64 }",
            "Answer::Pair: (u8, String)",
            "LIMIT: const LIMIT: u32",
            "Page: struct Page<T: Clone>",
            "Page.items: Vec<Option<T>>",
            "Page.next: Option<&'static str>",
            "Page::set: fn set<V>(mut self, value: V) -> Self where V: TryInto<u32>, V::Error: std::fmt::Display,",
            "Pages: pub type Pages = Page<String>;",
        ]
        .map(String::from)
        .to_vec(),
    );
}
