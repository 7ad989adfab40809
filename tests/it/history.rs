//! Baseten's real history: the 103 versions of its management spec published from 2026-03-29
//! to 2026-08-22 (`tests/fixtures/openapi/history/`, unpacked under `target/` on first use).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use serde_json::Value;
use xtask::naming::{operation_name, rust_name};
use xtask::report::{Change, Impact, Report};

/// One published version of the spec.
pub(crate) struct Version {
    /// The file's name: `<repository>-<date>-<commit>.json`.
    pub name: String,
    pub document: Value,
}

const FIXTURES: &str = "tests/fixtures/openapi/history";

/// Every version in the order `history.md` lists them (by date; one day's in the order they
/// were seen), unpacked and read once per test binary.
pub(crate) fn versions() -> &'static [Version] {
    static VERSIONS: OnceLock<Vec<Version>> = OnceLock::new();
    VERSIONS.get_or_init(|| {
        let dir = unpacked();
        listed()
            .into_iter()
            .map(|name| {
                let text = std::fs::read_to_string(dir.join(&name)).unwrap_or_else(|e| panic!("{name}: {e}"));
                let document = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
                Version { name, document }
            })
            .collect()
    })
}

/// The files `history.md`'s table lists, in its order.
fn listed() -> Vec<String> {
    let table = std::fs::read_to_string(crate::repo_root().join(FIXTURES).join("history.md")).unwrap();
    let names: Vec<String> = table
        .lines()
        .filter_map(|line| {
            line.strip_prefix("| ")?.split(' ').next().filter(|n| n.ends_with(".json")).map(str::to_string)
        })
        .collect();
    assert_eq!(names.len(), 103, "{FIXTURES}/history.md lists {} versions, not 103", names.len());
    names
}

/// The archive unpacked under the test's scratch directory (with `tar`, once).
fn unpacked() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("history");
    let done = dir.join(".unpacked");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let archive = crate::repo_root().join(FIXTURES).join("history.tar.xz");
        let status = std::process::Command::new("tar")
            .arg("xJf")
            .arg(&archive)
            .arg("-C")
            .arg(&dir)
            .status()
            .unwrap_or_else(|e| panic!("tar (with xz) is needed to unpack {}: {e}", archive.display()));
        assert!(status.success(), "tar xJf {} failed: {status}", archive.display());
        std::fs::write(&done, "").unwrap();
    }
    dir
}

/// One version through the whole pipeline, as the only pages of `spec/`.
struct Generated {
    run: xtask::Run,
    /// `generated/openapi.yaml` as the next run reads it back.
    written: xtask::OpenApi30,
}

fn generate(version: &Version) -> Generated {
    let pages = xtask::cut::cut(&version.document);
    let run = crate::build(&pages).unwrap_or_else(|e| panic!("{}: the pipeline stopped:\n{e}", version.name));
    let text = &run.files["openapi.yaml"];
    let written = xtask::yaml::from_str(text).unwrap_or_else(|e| panic!("{}: openapi.yaml: {e}", version.name));
    let written =
        xtask::OpenApi30::from_value(written).unwrap_or_else(|e| panic!("{}: openapi.yaml: {e}", version.name));
    Generated { run, written }
}

/// Each version of the history alone through codegen (on every core), then the history walked in
/// order as a maintainer who regenerates on every docs update would: each step's change report,
/// against the last step's `generated/`, holds every difference this test finds between the two
/// JSON documents on its own, and nothing else of those kinds; the crate version moves by the
/// worst change. (CI validates each version's merged spec, made by `cargo xtask cut --merged`.)
#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (Baseten's 103 spec versions, ~60 s): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn every_version_generates_and_every_step_is_reported() {
    let start = Instant::now();
    let versions = versions();
    let generated = xtask::par_map(versions, generate);
    let mut crate_version = xtask::generate::CRATE_VERSION.to_string();
    let mut failures = Vec::new();
    for i in 1..versions.len() {
        let (before, after) = (&versions[i - 1], &versions[i]);
        let report = xtask::report::compare(&generated[i - 1].written.model(), &generated[i].run.downgraded.model());
        let step = format!("step {i}: {} → {}", before.name, after.name);
        let (reported, expected) = (reported(&report), differences(&before.document, &after.document));
        let missing: Vec<&Fact> = expected.difference(&reported).collect();
        let extra: Vec<&Fact> = reported.difference(&expected).collect();
        if !missing.is_empty() || !extra.is_empty() {
            failures.push(format!(
                "{step}\n  missing from the report: {missing:#?}\n  reported, but not a difference: {extra:#?}"
            ));
        }
        let next = report.bump(&crate_version);
        let worst = report.changes.iter().map(Change::impact).min();
        let expected_version = expected_bump(&crate_version, worst);
        if next != expected_version {
            failures.push(format!("{step}: the version went {crate_version} → {next}, not {expected_version}"));
        }
        crate_version = next;
    }
    eprintln!(
        "history: 103 versions generated and 102 steps compared in {:.1?}; {crate_version} at the end",
        start.elapsed()
    );
    assert!(failures.is_empty(), "{} of 102 steps:\n{}", failures.len(), failures.join("\n\n"));
}

/// The semver rule, as CONTRIBUTING.md's "After the docs change" states it.
fn expected_bump(version: &str, worst: Option<Impact>) -> String {
    let parts: Vec<u64> = version.split('.').map(|p| p.parse().unwrap()).collect();
    let (major, minor, patch) = (parts[0], parts[1], parts[2]);
    match (worst, major) {
        (None, _) => version.to_string(),
        (Some(Impact::Breaking), 0) => format!("0.{}.0", minor + 1),
        (Some(Impact::Breaking), _) => format!("{}.0.0", major + 1),
        (Some(Impact::Docs), _) | (Some(_), 0) => format!("{major}.{minor}.{}", patch + 1),
        (Some(_), _) => format!("{major}.{}.0", minor + 1),
    }
}

/// A difference between two versions, in words both sides can give.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Fact {
    OperationAdded(String),
    OperationRemoved(String),
    FieldAdded { owner: String, field: String },
    FieldRemoved { owner: String, field: String },
    FieldRetyped { owner: String, field: String },
    EnumValueAdded { place: String, value: String },
    EnumValueRemoved { place: String, value: String },
    AuthChanged(String),
    ServerChanged,
    ServerDefault { owner: String, field: String },
}

/// What the report says, as facts (the kinds the test computes; the others it leaves out).
fn reported(report: &Report) -> BTreeSet<Fact> {
    let mut out = BTreeSet::new();
    for change in &report.changes {
        let (o, f) = (|s: &String| s.clone(), |s: &String| s.clone());
        match change {
            Change::OperationAdded { operation, .. } => out.insert(Fact::OperationAdded(o(operation))),
            Change::OperationRemoved { operation, .. } => out.insert(Fact::OperationRemoved(o(operation))),
            Change::FieldAdded { owner, field, .. } => {
                out.insert(Fact::FieldAdded { owner: o(owner), field: f(field) })
            }
            Change::FieldRemoved { owner, field } => {
                out.insert(Fact::FieldRemoved { owner: o(owner), field: f(field) })
            }
            Change::FieldRetyped { owner, field, .. } => {
                out.insert(Fact::FieldRetyped { owner: o(owner), field: f(field) })
            }
            Change::EnumValueAdded { name, value } => {
                out.insert(Fact::EnumValueAdded { place: o(name), value: f(value) })
            }
            Change::EnumValueRemoved { name, value } => {
                out.insert(Fact::EnumValueRemoved { place: o(name), value: f(value) })
            }
            Change::AuthChanged { operations, .. } => {
                out.extend(operations.iter().map(|op| Fact::AuthChanged(op.clone())));
                true
            }
            Change::ServerChanged { .. } => out.insert(Fact::ServerChanged),
            Change::ServerDefault { owner, field, .. } => {
                out.insert(Fact::ServerDefault { owner: o(owner), field: f(field) })
            }
            _ => false,
        };
    }
    out
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The differences between two of Baseten's JSON documents, computed here from the documents
/// alone (not through the pipeline): operations by method and path, the fields and enum values
/// of every schema the operations reach, each operation's auth, the server, and the defaults the
/// server uses for what requests leave out.
fn differences(old: &Value, new: &Value) -> BTreeSet<Fact> {
    let mut out = BTreeSet::new();
    let (before, after) = (routes(old), routes(new));
    for (name, route) in &after {
        match before.get(name) {
            None => {
                out.insert(Fact::OperationAdded(name.clone()));
            }
            Some(was) => {
                if security(old, was) != security(new, route) {
                    out.insert(Fact::AuthChanged(name.clone()));
                }
                let (a, b) = (parameter_defaults(old, was), parameter_defaults(new, route));
                for field in a.keys().chain(b.keys()).collect::<BTreeSet<_>>() {
                    if a.get(field) != b.get(field) && a.contains_key(field) && b.contains_key(field) {
                        out.insert(Fact::ServerDefault { owner: name.clone(), field: field.clone() });
                    }
                }
            }
        }
    }
    for name in before.keys().filter(|name| !after.contains_key(*name)) {
        out.insert(Fact::OperationRemoved(name.clone()));
    }
    if old.pointer("/servers/0/url") != new.pointer("/servers/0/url") {
        out.insert(Fact::ServerChanged);
    }
    let (reached_old, reached_new) = (reached(old, &["paths"]), reached(new, &["paths"]));
    let sent = sent(new);
    for name in reached_old.intersection(&reached_new) {
        let (a, b) = (&old["components"]["schemas"][name], &new["components"]["schemas"][name]);
        let owner = rust_name(name);
        fields(&owner, a, b, sent.contains(name), &mut out);
        let (was, is) = (enums(&owner, a), enums(&owner, b));
        for place in was.keys().chain(is.keys()).collect::<BTreeSet<_>>() {
            let (x, y) = (was.get(place).cloned().unwrap_or_default(), is.get(place).cloned().unwrap_or_default());
            for value in y.difference(&x) {
                out.insert(Fact::EnumValueAdded { place: place.clone(), value: value.clone() });
            }
            for value in x.difference(&y) {
                out.insert(Fact::EnumValueRemoved { place: place.clone(), value: value.clone() });
            }
        }
    }
    out
}

/// Operation name → (path, method).
fn routes(doc: &Value) -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS.iter().filter(|m| item.get(**m).is_some()) {
            out.insert(
                operation_name(xtask::http::Method::from_key(method).unwrap(), path),
                (path.clone(), method.to_string()),
            );
        }
    }
    out
}

/// An operation's security requirement with each scheme's definition.
fn security(doc: &Value, (path, method): &(String, String)) -> Vec<(String, Value)> {
    let op = &doc["paths"][path][method];
    let requirements = op.get("security").unwrap_or(&doc["security"]);
    let names = requirements.as_array().into_iter().flatten().filter_map(Value::as_object).flat_map(|r| r.keys());
    names
        .map(|name| {
            let scheme = doc["components"]["securitySchemes"][name].clone();
            let kind = ["type", "scheme", "in", "name"].map(|k| scheme.get(k).cloned().unwrap_or(Value::Null));
            (name.clone(), Value::from(kind.to_vec()))
        })
        .collect()
}

/// Each parameter's default (not `null`), path-level ones included.
fn parameter_defaults(doc: &Value, (path, method): &(String, String)) -> BTreeMap<String, Option<Value>> {
    let item = &doc["paths"][path];
    let listed = [&item["parameters"], &item[method]["parameters"]];
    let mut out = BTreeMap::new();
    for parameter in listed.into_iter().filter_map(Value::as_array).flatten() {
        let parameter = follow(doc, parameter);
        let default = parameter["schema"].get("default").filter(|d| !d.is_null()).cloned();
        out.insert(parameter["name"].as_str().unwrap().to_string(), default);
    }
    out
}

fn follow<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => doc.pointer(reference.trim_start_matches('#')).unwrap(),
        None => value,
    }
}

/// The component schemas reached from `roots` (top-level keys of the document), through `$ref`s.
fn reached(doc: &Value, roots: &[&str]) -> BTreeSet<String> {
    let mut pending: Vec<&Value> = roots.iter().map(|r| &doc[*r]).collect();
    let mut seen = BTreeSet::new();
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    let target = doc.pointer(reference.trim_start_matches('#')).unwrap();
                    if let Some(name) = reference.strip_prefix("#/components/schemas/")
                        && !seen.insert(name.to_string())
                    {
                        continue;
                    }
                    pending.push(target);
                }
                pending.extend(map.values());
            }
            Value::Array(list) => pending.extend(list),
            _ => {}
        }
    }
    seen
}

/// The schemas requests reach: request bodies and parameters, through `$ref`s.
fn sent(doc: &Value) -> BTreeSet<String> {
    let mut roots = serde_json::Map::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        roots.insert(format!("{path} parameters"), item.get("parameters").cloned().unwrap_or_default());
        for method in METHODS.iter().filter(|m| item.get(**m).is_some()) {
            let op = &item[*method];
            roots.insert(
                format!("{path} {method}"),
                Value::from(vec![op["parameters"].clone(), op["requestBody"].clone()]),
            );
        }
    }
    let mut doc = doc.clone();
    doc["request roots"] = Value::Object(roots);
    reached(&doc, &["request roots"])
}

/// Fields added, removed and retyped between two declarations of a schema, and those of the
/// objects its fields declare in place (`Owner.field`); on a schema requests reach, the
/// defaults the server uses.
fn fields(owner: &str, a: &Value, b: &Value, sent: bool, out: &mut BTreeSet<Fact>) {
    let empty = serde_json::Map::new();
    let (x, y) = (a["properties"].as_object().unwrap_or(&empty), b["properties"].as_object().unwrap_or(&empty));
    let fact = |field: &String| (owner.to_string(), field.clone());
    for field in y.keys().filter(|k| !x.contains_key(*k)) {
        let (owner, field) = fact(field);
        out.insert(Fact::FieldAdded { owner, field });
    }
    for (field, was) in x {
        let Some(is) = y.get(field) else {
            let (owner, field) = fact(field);
            out.insert(Fact::FieldRemoved { owner, field });
            continue;
        };
        if signature(was) != signature(is) {
            let (owner, field) = fact(field);
            out.insert(Fact::FieldRetyped { owner, field });
        }
        if sent && server_default(was) != server_default(is) {
            let (owner, field) = fact(field);
            out.insert(Fact::ServerDefault { owner, field });
        }
        if let (Some(a), Some(b)) = (in_place(was), in_place(is)) {
            fields(&format!("{owner}.{field}"), a, b, sent, out);
        }
    }
}

/// A default the server uses: not `null`, and not a tag's only value.
fn server_default(schema: &Value) -> Option<&Value> {
    let default = schema.get("default").filter(|d| !d.is_null())?;
    let tag = schema.get("const") == Some(default) || schema.get("enum") == Some(&Value::from(vec![default.clone()]));
    (!tag).then_some(default)
}

/// The object a field declares in place: its own properties, a nullable union's one object, or
/// its array items'.
fn in_place(schema: &Value) -> Option<&Value> {
    let members: Vec<&Value> = ["anyOf", "oneOf"]
        .iter()
        .filter_map(|k| schema.get(*k)?.as_array())
        .flatten()
        .filter(|m| m.get("type") != Some(&Value::from("null")))
        .collect();
    let candidates = [Some(schema), (members.len() == 1).then(|| members[0])];
    let object = candidates.into_iter().flatten().find(|s| s.get("properties").is_some());
    object.or_else(|| schema.get("items").filter(|items| items.get("properties").is_some()))
}

/// What a field holds, to tell a retyped field: its referenced type, its type (array items,
/// map values, a string's format, the members of a union) and whether it may be `null`;
/// never its texts, bounds, defaults or enum values.
fn signature(schema: &Value) -> String {
    let mut types: Vec<Value> = Vec::new();
    let union = ["anyOf", "oneOf"].iter().find_map(|k| schema.get(*k)?.as_array());
    match (union, schema.get("type")) {
        (Some(members), _) => types.extend(members.iter().cloned()),
        (None, Some(Value::Array(list))) => {
            types.extend(list.iter().map(|t| {
                let mut one = schema.clone();
                one["type"] = t.clone();
                one
            }));
        }
        _ => types.push(schema.clone()),
    }
    let null = types.iter().any(|t| t.get("type") == Some(&Value::from("null")));
    let shapes: Vec<String> = types.iter().filter(|t| t.get("type") != Some(&Value::from("null"))).map(shape).collect();
    format!("{}{}", shapes.join(" | "), if null { "?" } else { "" })
}

fn shape(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap().to_string();
    }
    if let Some([one]) = schema.get("allOf").and_then(Value::as_array).map(Vec::as_slice) {
        return signature(one);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => format!("[{}]", schema.get("items").map_or("any".into(), signature)),
        Some("object") if schema.get("properties").is_none() => match schema.get("additionalProperties") {
            Some(values @ Value::Object(_)) => format!("map of {}", signature(values)),
            _ => "object".into(),
        },
        Some(t) => match schema.get("format") {
            Some(format) => format!("{t} {format}"),
            None => t.to_string(),
        },
        None => "any".into(),
    }
}

/// Place → the values enums list there: the schema's own (`Owner`), and below its fields
/// (`Owner.field`, `Owner.field.inner`), through items, unions and maps but not `$ref`s. A
/// `const` is a one-value enum.
fn enums(owner: &str, schema: &Value) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut pending = vec![(owner.to_string(), schema)];
    while let Some((place, schema)) = pending.pop() {
        let Some(map) = schema.as_object() else { continue };
        let listed = map.get("enum").and_then(Value::as_array).into_iter().flatten().chain(map.get("const"));
        let values: BTreeSet<String> = listed.filter_map(Value::as_str).map(str::to_string).collect();
        if !values.is_empty() {
            out.entry(place.clone()).or_default().extend(values);
        }
        for (key, value) in map {
            match (key.as_str(), value) {
                ("properties", Value::Object(fields)) => {
                    pending.extend(fields.iter().map(|(field, s)| (format!("{place}.{field}"), s)));
                }
                ("items" | "additionalProperties" | "not", child @ Value::Object(_)) => {
                    pending.push((place.clone(), child))
                }
                ("anyOf" | "oneOf" | "allOf" | "prefixItems", Value::Array(members)) => {
                    pending.extend(members.iter().map(|m| (place.clone(), m)));
                }
                _ => {}
            }
        }
    }
    out
}

/// Docs sites whose pages were exported across the five months: each operation's page from a
/// version the seed picks among all 103 that have it. Each merges with no decision (the drift
/// policy settles every real drift of the history by direction) and draws on most of the
/// history. (CI validates the same sites' merged specs, made by `cargo xtask cut --mix --merged`.)
#[test]
#[cfg_attr(
    not(slow_tests),
    ignore = "slow tier (six sites from 103 versions, ~9 s): RUN_SLOW_TESTS=1 cargo test --workspace runs it"
)]
fn sites_mixed_from_every_version_merge_without_decisions() {
    let documents: Vec<Value> = versions().iter().map(|v| v.document.clone()).collect();
    let seeds: Vec<u64> = (1..=6).collect();
    let sites = xtask::par_map(&seeds, |seed| {
        let mixed = xtask::cut::mix(&documents, *seed);
        let eras: BTreeSet<usize> = mixed.iter().map(|page| page.era).collect();
        let pages: Vec<xtask::Page> = mixed.into_iter().map(|page| page.page).collect();
        (*seed, eras.len(), pages.len(), crate::build(&pages))
    });
    let mut failures = Vec::new();
    for (seed, eras, pages, run) in sites {
        match run {
            Ok(run) => {
                let kinds = reconciled_kinds(&run.reconciliations);
                eprintln!(
                    "mix {seed}: {pages} pages from {eras} versions, {} reconciliations: {kinds:?}",
                    run.reconciliations.len()
                );
                if eras < 60 {
                    failures.push(format!("mix {seed}: its pages come from {eras} versions only"));
                }
            }
            Err(errors) => failures.push(format!("mix {seed}: the pipeline stopped:\n{errors}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// How many reconciliations of each outcome a run made, by the outcome's first words.
fn reconciled_kinds(reconciliations: &[xtask::Reconciliation]) -> BTreeMap<String, usize> {
    let mut kinds = BTreeMap::new();
    for r in reconciliations {
        let kind = format!("{:?}", r.outcome);
        let kind = kind.split(['(', ' ', '{']).next().unwrap_or_default().to_string();
        *kinds.entry(kind).or_default() += 1;
    }
    kinds
}
