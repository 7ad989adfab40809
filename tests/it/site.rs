//! The site: `spec/` holds a page for every endpoint the docs list, each the newest real export
//! we hold or, where we hold none, a marked stand-in; and older exports dropped over newer ones
//! still merge.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use xtask::Page;
use xtask::cut::{ListedEndpoint, is_stand_in};

use crate::{build, check, repo_root, spec_pages};

const EXPORTS: &str = "tests/fixtures/exports";
const NEWEST_SPEC: &str = "tests/fixtures/openapi/baseten-management-2026-08-22.json";

fn listed() -> Vec<ListedEndpoint> {
    let list = std::fs::read_to_string(repo_root().join("spec/endpoints.txt")).expect("spec/endpoints.txt");
    xtask::cut::listed_endpoints(&list, &xtask::fetch::SitePart::defaults())
}

/// A page of `spec/` the docs site exported: where it was found, and its sha256.
struct Export {
    source: String,
    sha256: String,
}

/// `tests/fixtures/exports/spec.txt`: the exported pages of `spec/`, by page.
fn exports_in_spec() -> BTreeMap<String, Export> {
    let manifest = std::fs::read_to_string(repo_root().join(EXPORTS).join("spec.txt")).expect("spec.txt");
    let rows = manifest.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty());
    rows.map(|line| {
        let [sha256, source, page] = line.split_whitespace().collect::<Vec<_>>()[..] else {
            panic!("spec.txt: `{line}` is not `SHA256 SOURCE PAGE`")
        };
        (page.to_string(), Export { source: source.to_string(), sha256: sha256.to_string() })
    })
    .collect()
}

fn sha256(path: &Path) -> String {
    let out = std::process::Command::new("sha256sum").arg(path).output().expect("sha256sum runs");
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap_or_default().to_string()
}

#[test]
fn every_endpoint_the_docs_list_is_a_client_operation() {
    let listed = listed();
    let text = std::fs::read_to_string(repo_root().join("generated/openapi.yaml")).expect("generated/openapi.yaml");
    let document: Value = xtask::yaml::from_str(&text).expect("openapi.yaml parses");
    let operations: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object().into_iter().flatten().map(move |(method, _)| (method.clone(), path.clone()))
        })
        .filter(|(method, _)| xtask::http::Method::from_key(method).is_some())
        .collect();
    let missing: Vec<String> = listed
        .iter()
        .filter(|e| !operations.contains(&(e.method.clone(), e.path.clone())))
        .map(|e| format!("{} {} ({})", e.method.to_uppercase(), e.path, e.page))
        .collect();
    check("spec/endpoints.txt", "listed endpoints missing from generated/openapi.yaml", missing, vec![]);
    check("spec/endpoints.txt", "endpoints the docs list", listed.len(), 89);
    check("generated/openapi.yaml", "operations", operations.len(), listed.len());
    let pages: Vec<String> = spec_pages().iter().map(|p| p.path.trim_start_matches("spec/").to_string()).collect();
    let mut at_their_site_path: Vec<String> = listed.iter().map(|e| e.page.clone()).collect();
    at_their_site_path.sort();
    check("spec/", "pages, each at its path on the docs site", pages, at_their_site_path);
}

#[test]
fn each_page_is_a_real_export_byte_for_byte_or_a_listed_stand_in() {
    let exports = exports_in_spec();
    let mut stand_ins = Vec::new();
    for page in spec_pages() {
        match (is_stand_in(&page.text), exports.get(&page.path)) {
            (true, None) => stand_ins.push(page.path.clone()),
            (true, Some(export)) => panic!("{}: a stand-in, though we hold its export ({})", page.path, export.source),
            (false, None) => panic!("{}: neither a stand-in nor an export spec.txt lists", page.path),
            (false, Some(export)) => check(
                &page.path,
                &format!("sha256 of the export found in {}", export.source),
                sha256(&repo_root().join(&page.path)),
                export.sha256.clone(),
            ),
        }
    }
    let expected = std::fs::read_to_string(repo_root().join(EXPORTS).join("stand-ins.txt")).expect("stand-ins.txt");
    let expected: Vec<&str> = expected.lines().filter(|l| !l.starts_with('#')).collect();
    check(
        "spec/",
        "stand-ins (tests/fixtures/exports/stand-ins.txt)",
        stand_ins.iter().map(String::as_str).collect(),
        expected,
    );
    check("spec/", "real exports", exports.len(), 54);
    let mut by_source: BTreeMap<&str, usize> = BTreeMap::new();
    for export in exports.values() {
        *by_source.entry(export.source.as_str()).or_default() += 1;
    }
    eprintln!("spec/: {} stand-ins; real exports by source: {by_source:?}", stand_ins.len());
}

/// The older exports we hold, by where they were found: (source, page under `spec/`).
fn older_exports() -> Vec<(String, Page)> {
    let root = repo_root();
    let dir = root.join(EXPORTS);
    let mut out = Vec::new();
    for source in std::fs::read_dir(&dir).expect(EXPORTS).map(|e| e.expect("entry").path()).filter(|p| p.is_dir()) {
        let name = source.file_name().expect("name").to_string_lossy().into_owned();
        for page in xtask::page::load_pages(&source, &source).expect("older exports load") {
            out.push((name.clone(), Page::new(format!("spec/{}", page.path), page.text)));
        }
    }
    out.sort_by(|a, b| (&a.1.path, &a.0).cmp(&(&b.1.path, &b.0)));
    out
}

/// How far an export is from the newest spec: the properties and enum values of each schema
/// both declare, counted where one has them and the other does not; and for a standard page,
/// the keys of its operation object and its answer's description that differ.
fn distance_from_newest(page: &Page, newest: &Value) -> usize {
    let op = crate::normalize(page);
    let block = xtask::extract::extract(page).expect("the page has its block");
    let document: Value = xtask::yaml::from_str(block.yaml).expect("the block parses");
    let pointer = format!("/paths/{}/{}", block.path.replace('~', "~0").replace('/', "~1"), block.method);
    let operation_distance = match (document.pointer(&pointer), newest.pointer(&pointer)) {
        (Some(ours), Some(theirs)) => {
            let keys =
                |v: &Value| v.as_object().map(|m| m.keys().cloned().collect::<BTreeSet<_>>()).unwrap_or_default();
            let answer = |v: &Value| v.pointer("/responses/200/description").cloned();
            keys(ours).symmetric_difference(&keys(theirs)).count() + usize::from(answer(ours) != answer(theirs))
        }
        _ => 0,
    };
    let names = |schema: &Value, key: &str| -> BTreeSet<String> {
        match &schema[key] {
            Value::Object(map) => map.keys().cloned().collect(),
            Value::Array(values) => values.iter().map(Value::to_string).collect(),
            _ => BTreeSet::new(),
        }
    };
    let mut distance = 0;
    for (name, schema) in &op.components.schemas {
        let Some(theirs) = newest.pointer(&format!("/components/schemas/{name}")) else { continue };
        for key in ["properties", "enum"] {
            distance += names(schema, key).symmetric_difference(&names(theirs, key)).count();
        }
    }
    distance + operation_distance
}

fn resolved_form(page: &Page) -> bool {
    !page.text.lines().any(|line| line.starts_with("openapi: 3"))
}

#[test]
fn each_page_is_newer_by_content_than_the_exports_it_replaced() {
    let newest: Value =
        serde_json::from_str(&std::fs::read_to_string(repo_root().join(NEWEST_SPEC)).expect("spec")).expect("json");
    let spec: BTreeMap<String, Page> = spec_pages().into_iter().map(|p| (p.path.clone(), p)).collect();
    let older = older_exports();
    assert!(older.len() >= 16, "the older exports are gone: {}", older.len());
    for (source, old) in &older {
        let page = spec.get(&old.path).unwrap_or_else(|| panic!("{source}/{}: no page in spec/ to compare", old.path));
        assert!(!is_stand_in(&page.text), "{}: a stand-in, though {source} holds an export", old.path);
        let key = |p: &Page| (resolved_form(p), distance_from_newest(p, &newest));
        let (ours, theirs) = (key(page), key(old));
        assert!(
            ours < theirs,
            "{}: the export in {source} is newer by content than spec/'s (resolved form, distance from {NEWEST_SPEC}: {theirs:?} against {ours:?}); \
             put it in spec/ and the page there in {EXPORTS}/",
            old.path
        );
    }
}

#[test]
fn older_exports_dropped_over_newer_ones_still_merge() {
    let older = older_exports();
    let sources: BTreeSet<&str> = older.iter().map(|(source, _)| source.as_str()).collect();
    for source in sources {
        let mut pages: BTreeMap<String, Page> = spec_pages().into_iter().map(|p| (p.path.clone(), p)).collect();
        for (_, page) in older.iter().filter(|(s, _)| s == source) {
            pages.insert(page.path.clone(), page.clone());
        }
        let pages: Vec<Page> = pages.into_values().collect();
        if let Err(errors) = build(&pages) {
            panic!("spec/ with the exports of {EXPORTS}/{source} dropped over its pages does not merge:\n{errors}");
        }
    }
}
