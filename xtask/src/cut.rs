//! Cut: takes a full OpenAPI 3.1 document (Baseten's `/v1/spec`), gives one standard-form page
//! per operation, as the docs site exports them: the operation, its path-level parameters, the
//! components it reaches and the security scheme, in a ```` ````yaml <method> <path> ```` block;
//! and, given the docs' list of endpoints, a marked stand-in page for each one `spec/` lacks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::error::{Error, Errors};
use crate::http::Method;
use crate::page::Page;
use crate::schema;

/// One page per operation, named `spec/<method>-<path>.md`, sorted by name.
pub fn cut(spec: &Value) -> Vec<Page> {
    let mut pages: Vec<Page> = operations(spec).iter().filter_map(|op| cut_one(spec, op)).collect();
    pages.sort_by(|a, b| a.path.cmp(&b.path));
    pages
}

/// One operation of a spec, by path and method (lower case).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct OperationKey {
    path: String,
    method: String,
}

impl OperationKey {
    /// The page's path: `spec/<method>-<path>.md`, the path's punctuation as dashes.
    fn page_path(&self) -> String {
        let slug: String = self
            .path
            .trim_start_matches('/')
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        format!("spec/{}-{}.md", self.method, slug.trim_matches('-'))
    }
}

/// Every operation `spec` declares.
fn operations(spec: &Value) -> Vec<OperationKey> {
    let paths = spec.get("paths").and_then(Value::as_object).into_iter().flatten();
    paths
        .filter_map(|(path, item)| Some((path, item.as_object()?)))
        .flat_map(|(path, item)| {
            item.keys()
                .filter(|method| Method::from_key(method).is_some())
                .map(|method| OperationKey { path: path.clone(), method: method.clone() })
        })
        .collect()
}

/// The standard-form page of one operation: it, its path-level parameters, the components it
/// reaches and the security scheme.
fn cut_one(spec: &Value, key: &OperationKey) -> Option<Page> {
    let (summary, yaml) = standalone(spec, key)?;
    let (method, path) = (&key.method, &key.path);
    let text = format!("# {summary}\n\n## OpenAPI\n\n````yaml {method} {path}\n{yaml}````\n");
    Some(Page::new(key.page_path(), text))
}

/// The operation's summary, and its standalone document as YAML.
fn standalone(spec: &Value, key: &OperationKey) -> Option<(String, String)> {
    let item = spec.get("paths")?.get(&key.path)?;
    let operation = item.get(&key.method)?;
    let mut path_item = Map::new();
    if let Some(parameters) = item.get("parameters") {
        path_item.insert("parameters".into(), parameters.clone());
    }
    path_item.insert(key.method.clone(), operation.clone());
    let path_item = Value::Object(path_item);

    let mut document = Map::new();
    for field in ["openapi", "info", "servers", "security"] {
        if let Some(value) = spec.get(field) {
            document.insert(field.into(), value.clone());
        }
    }
    document.insert("paths".into(), json!({ key.path.clone(): path_item.clone() }));
    document.insert("components".into(), reached_components(spec, &path_item));

    let summary = operation.get("summary").and_then(Value::as_str).unwrap_or(&key.path).to_string();
    Some((summary, crate::yaml::to_string(&Value::Object(document))))
}

/// A page of a mix, and which of the specs it came from.
#[derive(Debug, Clone)]
pub struct MixedPage {
    pub page: Page,
    /// The index of its spec in the list given to [`mix`].
    pub era: usize,
}

/// One page per operation any of `specs` has, each cut from one of the specs that have it,
/// chosen by `seed`: a docs site whose pages were exported months apart. The same seed always
/// gives the same mix. Only the chosen pages are cut, so a mix of a hundred specs costs what
/// one does.
pub fn mix(specs: &[Value], seed: u64) -> Vec<MixedPage> {
    let listed: Vec<Vec<OperationKey>> = specs.iter().map(operations).collect();
    let mut keys: Vec<&OperationKey> = listed.iter().flatten().collect();
    keys.sort_by_key(|key| key.page_path());
    keys.dedup_by_key(|key| key.page_path());
    let mut out = Vec::new();
    for key in keys {
        let eras: Vec<usize> = (0..specs.len()).filter(|era| listed[*era].contains(key)).collect();
        let era = eras[(stable_hash(seed, &key.page_path()) % eras.len() as u64) as usize];
        out.extend(cut_one(&specs[era], key).map(|page| MixedPage { page, era }));
    }
    out
}

/// FNV-1a over the seed and the text, then splitmix64's finalizer (FNV's low bits alone follow
/// the parity of the bytes): the same on every machine and every run.
fn stable_hash(seed: u64, text: &str) -> u64 {
    let fnv = seed
        .to_le_bytes()
        .iter()
        .chain(text.as_bytes())
        .fold(0xcbf2_9ce4_8422_2325, |hash: u64, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3));
    let mut z = fnv.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `cargo xtask cut`: reads the full specs (JSON, or YAML with JSON's booleans) and writes one
/// page per operation into `dir` as `<method>-<path>.md`, all or nothing; with several specs,
/// each page comes from the one `seed` picks (see [`mix`]). Gives the page count.
pub fn cut_files(specs: &[&Path], seed: Option<u64>, dir: &Path) -> Result<usize, Errors> {
    let files: BTreeMap<String, String> = cut_specs(specs, seed)?
        .into_iter()
        .map(|page| (page.path.trim_start_matches("spec/").to_string(), page.text))
        .collect();
    crate::write::apply_some(dir, &files, &[])?;
    Ok(files.len())
}

/// Each spec read and cut into pages: one spec's, or with `seed` a site mixed from all of them.
pub fn cut_specs(specs: &[&Path], seed: Option<u64>) -> Result<Vec<Page>, Errors> {
    let mut documents = Vec::new();
    for spec in specs {
        let shown = spec.display().to_string();
        let text =
            std::fs::read_to_string(spec).map_err(|e| Error::new(&shown, format!("cannot read the spec: {e}")))?;
        // JSON is YAML, but serde_json reads Baseten's specs many times faster.
        let document: Value = match serde_json::from_str(&text) {
            Ok(document) => document,
            Err(_) => crate::yaml::from_str(&text)
                .map_err(|e| Error::new(&shown, format!("not a JSON or YAML document: {e}")))?,
        };
        if operations(&document).is_empty() {
            return Err(Error::new(&shown, "the spec has no operations under `paths`").into());
        }
        documents.push(document);
    }
    match (documents.as_slice(), seed) {
        ([document], None) => Ok(cut(document)),
        (_, Some(seed)) => Ok(mix(&documents, seed).into_iter().map(|mixed| mixed.page).collect()),
        (_, None) => Err(Error::new("cut", "several specs need `--mix SEED` to choose each page's").into()),
    }
}

/// The components `root` reaches through `$ref`s (transitively), and every security scheme.
fn reached_components(spec: &Value, root: &Value) -> Value {
    let mut seen = BTreeSet::new();
    let mut pending = schema::refs(root);
    while let Some(reference) = pending.pop() {
        if seen.insert(reference)
            && let Some(target) = schema::resolve(spec, reference)
        {
            pending.extend(schema::refs(target));
        }
    }
    let mut components = Map::new();
    for reference in seen {
        let (Some((kind, name)), Some(value)) = (schema::component_ref(reference), schema::resolve(spec, reference))
        else {
            continue;
        };
        if let Some(section) = components.entry(kind.to_string()).or_insert_with(|| json!({})).as_object_mut() {
            section.insert(name, value.clone());
        }
    }
    if let Some(schemes) = spec.pointer("/components/securitySchemes") {
        components.insert("securitySchemes".into(), schemes.clone());
    }
    Value::Object(components)
}

/// How a page `cut --stand-ins` rendered begins: a maintainer (and `codegen`'s summary) tells it
/// from the docs site's export at a glance.
pub const STAND_IN_MARK: &str = "<!-- stand-in:";

/// Whether `text` is a page `cut --stand-ins` rendered, not one the docs site exported.
pub fn is_stand_in(text: &str) -> bool {
    text.starts_with(STAND_IN_MARK)
}

/// An endpoint the docs' overview lists: its operation, and the page below `spec/` that
/// documents it on the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedEndpoint {
    pub method: String,
    pub path: String,
    pub page: String,
}

/// The rows `| METHOD | PATH | SLUG |` of the docs' endpoint list whose slug lies in `parts`.
/// Rows naming several methods or pages, or pages elsewhere (the gateway API), are not the
/// management API's.
pub fn listed_endpoints(list: &str, parts: &[crate::fetch::SitePart]) -> Vec<ListedEndpoint> {
    let mut out = Vec::new();
    for line in list.lines() {
        let cells: Vec<&str> = line.trim().trim_matches('|').split('|').map(str::trim).collect();
        let [method, path, slug] = cells.as_slice() else { continue };
        let method = method.to_ascii_lowercase();
        if Method::from_key(&method).is_none() || !path.starts_with('/') || slug.contains(' ') {
            continue;
        }
        if let Some(page) = crate::fetch::spec_page_for(slug, parts) {
            out.push(ListedEndpoint { method, path: path.to_string(), page });
        }
    }
    out
}

/// What `cut --stand-ins` did to `spec/`.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct StandIns {
    /// Stand-ins rendered (new, or again from the spec given), paths under the root.
    pub written: Vec<String>,
    /// Stand-ins removed: their endpoint is no longer listed, or a real export now serves it.
    pub removed: Vec<String>,
    /// Listed endpoints a page exported by the docs site serves.
    pub exported: usize,
}

/// A stand-in for every endpoint in `listed` that no exported page in `pages` serves, rendered
/// from `spec` (named `spec_name` in its mark), at the page path the site gives it; and the
/// stand-ins `pages` holds that are no longer needed.
pub fn stand_ins(
    spec: &Value,
    spec_name: &str,
    listed: &[ListedEndpoint],
    pages: &[Page],
) -> Result<(Vec<Page>, StandIns), Errors> {
    let mut exported = BTreeSet::new();
    let mut errors = Errors::default();
    for page in pages.iter().filter(|page| !is_stand_in(&page.text)) {
        match crate::extract::extract(page) {
            Ok(block) => {
                exported.insert(OperationKey { path: block.path, method: block.method });
            }
            Err(e) => errors.extend(e),
        }
    }
    let mut rendered = Vec::new();
    let mut outcome = StandIns::default();
    for endpoint in listed {
        let key = OperationKey { path: endpoint.path.clone(), method: endpoint.method.clone() };
        if exported.contains(&key) {
            outcome.exported += 1;
            continue;
        }
        let Some((summary, yaml)) = standalone(spec, &key) else {
            let message = format!("the docs list {} {}, which {spec_name} does not have", key.method, key.path);
            errors.push(Error::new(spec_name, message).with_hint("render stand-ins from a newer spec"));
            continue;
        };
        let (method, path) = (&key.method, &key.path);
        let text = format!(
            "{STAND_IN_MARK} rendered by `cargo xtask cut --stand-ins` from {spec_name}, not exported by the docs \
             site; `cargo xtask fetch` replaces it with the site's page -->\n\
             # {summary}\n\n## OpenAPI\n\n````yaml {method} {path}\n{yaml}````\n"
        );
        rendered.push(Page::new(format!("{}/{}", crate::page::SPEC_DIR, endpoint.page), text));
    }
    let kept: BTreeSet<&str> = rendered.iter().map(|page| page.path.as_str()).collect();
    outcome.removed = pages
        .iter()
        .filter(|page| is_stand_in(&page.text) && !kept.contains(page.path.as_str()))
        .map(|page| page.path.clone())
        .collect();
    outcome.written = rendered.iter().map(|page| page.path.clone()).collect();
    errors.into_result((rendered, outcome))
}

/// `cargo xtask cut --stand-ins LIST SPEC`: makes `spec/` under `root` hold a page for every
/// endpoint the docs' list names, rendering a stand-in from `spec` where no exported page
/// serves one, all or nothing.
pub fn cut_stand_in_files(list: &Path, spec: &Path, root: &Path) -> Result<StandIns, Errors> {
    let read = |file: &Path| {
        std::fs::read_to_string(file).map_err(|e| Error::new(file.display().to_string(), format!("cannot read: {e}")))
    };
    let listed = listed_endpoints(&read(list)?, &crate::fetch::SitePart::defaults());
    if listed.is_empty() {
        let error = Error::new(list.display().to_string(), "lists no endpoint as `| METHOD | PATH | SLUG |`");
        return Err(error.with_hint("it is the docs' overview table of endpoints").into());
    }
    let document: Value = crate::yaml::from_str(&read(spec)?)
        .map_err(|e| Error::new(spec.display().to_string(), format!("not a JSON or YAML document: {e}")))?;
    let spec_dir = root.join(crate::page::SPEC_DIR);
    let pages = if spec_dir.exists() { crate::page::load_pages(root, &spec_dir)? } else { Vec::new() };
    let name = spec.file_name().map_or_else(|| spec.display().to_string(), |n| n.to_string_lossy().into_owned());
    let (rendered, outcome) = stand_ins(&document, &name, &listed, &pages)?;
    let files: BTreeMap<String, String> = rendered.into_iter().map(|page| (page.path, page.text)).collect();
    crate::write::apply_some(root, &files, &outcome.removed)?;
    Ok(outcome)
}
