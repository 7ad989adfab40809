//! Imports: reads the modules of `xtask/src` and of `xtask/templates` (the generated crate's
//! support code), gives which file uses which (through `use` items and `crate::`, `super::`,
//! `self::` and child-module paths), and fails on a circle: a shared helper lives below every
//! module that uses it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

use crate::repo_root;

/// A module path from the crate root: `["generate", "pages"]`; the root is `[]`.
type ModulePath = Vec<String>;

/// The crate under `src`: each module's file, and what the root re-exports (`Error` →
/// `["error"]`), so a path through the root reaches the module that defines the item.
struct Crate {
    files: BTreeMap<ModulePath, PathBuf>,
    reexports: BTreeMap<String, ModulePath>,
}

/// An edge: the file that uses, the file used, and the names it uses.
type Uses = BTreeMap<(ModulePath, ModulePath), BTreeSet<String>>;

fn read_crate(src: &Path, skip: &[&str]) -> Crate {
    let mut files = BTreeMap::new();
    collect(src, &mut Vec::new(), skip, &mut files);
    let root = parse(&files[&Vec::new()]);
    let mut reexports = BTreeMap::new();
    for item in &root.items {
        if let syn::Item::Use(item) = item
            && matches!(item.vis, syn::Visibility::Public(_))
        {
            for (name, path) in use_leaves(&item.tree, Vec::new()) {
                if let Some(first) = path.first().filter(|first| files.contains_key(&vec![(*first).clone()])) {
                    reexports.insert(name, vec![first.clone()]);
                }
            }
        }
    }
    Crate { files, reexports }
}

fn collect(dir: &Path, module: &mut ModulePath, skip: &[&str], files: &mut BTreeMap<ModulePath, PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if skip.contains(&name.as_str()) {
            continue;
        }
        if path.is_dir() {
            module.push(name);
            collect(&path, module, skip, files);
            module.pop();
        } else if path.extension().is_some_and(|e| e == "rs") {
            let mut at = module.clone();
            if !matches!(name.as_str(), "mod" | "lib") {
                at.push(name);
            }
            files.insert(at, path);
        }
    }
}

fn parse(path: &Path) -> syn::File {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Each name a `use` tree brings in, with the path it comes from (`a::b::{C, D as E}` gives
/// `C` → `a::b::C`, `E` → `a::b::D`).
fn use_leaves(tree: &syn::UseTree, prefix: Vec<String>) -> Vec<(String, Vec<String>)> {
    let with = |segment: String| prefix.iter().cloned().chain([segment]).collect::<Vec<_>>();
    match tree {
        syn::UseTree::Path(path) => use_leaves(&path.tree, with(path.ident.to_string())),
        syn::UseTree::Name(name) if name.ident == "self" => {
            vec![(prefix.last().cloned().unwrap_or_default(), prefix.clone())]
        }
        syn::UseTree::Name(name) => vec![(name.ident.to_string(), with(name.ident.to_string()))],
        syn::UseTree::Rename(rename) => vec![(rename.rename.to_string(), with(rename.ident.to_string()))],
        syn::UseTree::Glob(_) => vec![("*".to_string(), prefix)],
        syn::UseTree::Group(group) => group.items.iter().flat_map(|tree| use_leaves(tree, prefix.clone())).collect(),
    }
}

impl Crate {
    /// The file a path written in module `at` reaches, and the name it uses there.
    fn resolve(&self, at: &[String], path: &[String]) -> Option<(ModulePath, String)> {
        let (mut module, rest): (ModulePath, &[String]) = match path.first()?.as_str() {
            "crate" => (Vec::new(), &path[1..]),
            "self" => (at.to_vec(), &path[1..]),
            "super" => {
                let supers = path.iter().take_while(|s| *s == "super").count();
                (at[..at.len().checked_sub(supers)?].to_vec(), &path[supers..])
            }
            first if self.files.contains_key(&[at, &[first.to_string()]].concat()) => (at.to_vec(), path),
            _ => return None,
        };
        let mut rest = rest.iter();
        let mut name = String::new();
        for segment in rest.by_ref() {
            let deeper = [module.clone(), vec![segment.clone()]].concat();
            if self.files.contains_key(&deeper) {
                module = deeper;
            } else {
                name = segment.clone();
                break;
            }
        }
        if module.is_empty()
            && let Some(target) = self.reexports.get(&name)
        {
            module = target.clone();
        }
        Some((module, name))
    }

    /// Every file's uses of the others.
    fn uses(&self) -> Uses {
        let mut uses = Uses::new();
        for (module, path) in &self.files {
            let file = parse(path);
            let mut paths = Paths { found: Vec::new(), depth: 0 };
            for item in &file.items {
                match item {
                    // The root's `mod` and `pub use` items are the crate's face, not uses.
                    syn::Item::Mod(_) => {}
                    syn::Item::Use(u) if module.is_empty() && matches!(u.vis, syn::Visibility::Public(_)) => {}
                    syn::Item::Use(u) => {
                        paths.found.extend(use_leaves(&u.tree, Vec::new()).into_iter().map(|(_, p)| p));
                    }
                    item => paths.visit_item(item),
                }
            }
            for found in paths.found {
                if let Some((target, name)) = self.resolve(module, &found)
                    && target != *module
                    && self.files.contains_key(&target)
                {
                    uses.entry((module.clone(), target)).or_default().insert(name);
                }
            }
        }
        uses
    }
}

/// The paths in code outside nested inline modules (a `mod tests` uses its own file).
struct Paths {
    found: Vec<Vec<String>>,
    depth: usize,
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_mod(&mut self, module: &'ast syn::ItemMod) {
        self.depth += 1;
        syn::visit::visit_item_mod(self, module);
        self.depth -= 1;
    }

    // `pub(super)` names a module it does not use.
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}

    fn visit_path(&mut self, path: &'ast syn::Path) {
        if self.depth == 0 && path.leading_colon.is_none() {
            self.found.push(path.segments.iter().map(|s| s.ident.to_string()).collect());
        }
        syn::visit::visit_path(self, path);
    }
}

/// A circle among `uses`, as `a -> b -> a` with the names each step uses; `None` without one.
fn circle(uses: &Uses) -> Option<String> {
    let mut next: BTreeMap<&ModulePath, Vec<&ModulePath>> = BTreeMap::new();
    for (from, to) in uses.keys() {
        next.entry(from).or_default().push(to);
    }
    let name = |m: &ModulePath| if m.is_empty() { "(root)".to_string() } else { m.join("::") };
    let starts: Vec<&ModulePath> = next.keys().copied().collect();
    for start in starts {
        let mut trail = vec![start];
        let mut seen = BTreeSet::new();
        if let Some(found) = walk(&next, &mut trail, &mut seen) {
            let steps: Vec<String> = found
                .windows(2)
                .map(|w| format!("{} -> {} ({})", name(w[0]), name(w[1]), join(&uses[&(w[0].clone(), w[1].clone())])))
                .collect();
            return Some(steps.join("\n"));
        }
    }
    None
}

fn join(names: &BTreeSet<String>) -> String {
    names.iter().cloned().collect::<Vec<_>>().join(", ")
}

fn walk<'a>(
    next: &BTreeMap<&'a ModulePath, Vec<&'a ModulePath>>,
    trail: &mut Vec<&'a ModulePath>,
    seen: &mut BTreeSet<&'a ModulePath>,
) -> Option<Vec<&'a ModulePath>> {
    let here = *trail.last()?;
    for &to in next.get(here).into_iter().flatten() {
        if let Some(at) = trail.iter().position(|m| *m == to) {
            let mut found = trail[at..].to_vec();
            found.push(to);
            return Some(found);
        }
        if seen.insert(to) {
            trail.push(to);
            if let Some(found) = walk(next, trail, seen) {
                return Some(found);
            }
            trail.pop();
        }
    }
    None
}

#[track_caller]
fn check_no_circle(what: &str, krate: &Crate) {
    let uses = krate.uses();
    assert!(uses.len() > 10, "{what}: only {} uses found: the reader missed the imports", uses.len());
    if let Some(found) = circle(&uses) {
        panic!("{what}: modules import each other in a circle; move what they share below them:\n{found}");
    }
}

#[test]
fn the_pipelines_modules_import_in_one_direction() {
    // main.rs is the binary's root: it uses the library as `xtask::`, from above.
    check_no_circle("xtask/src", &read_crate(&repo_root().join("xtask/src"), &["main"]));
}

#[test]
fn the_clients_support_modules_import_in_one_direction() {
    // tests/ and examples/ are crates of their own, above the client.
    check_no_circle("xtask/templates", &read_crate(&repo_root().join("xtask/templates"), &["tests", "examples"]));
}
