//! Public: takes a crate's source files (`src/**/*.rs` by path), gives the items a caller can
//! name, each at the path a caller writes (through `pub use` and `pub mod`) with its signature;
//! and between two crates, what was removed or changed (breaking) and added (additive, but a
//! variant or field added to an exhaustive enum or struct, or a required trait method, breaks).
//!
//! The change report reads the spec; this reads the code, so a change of the templates or of
//! the generator that breaks callers bumps the version as a spec change does.

use std::collections::BTreeMap;
use std::fmt;

use quote::ToTokens;

mod shown;

/// What kind of thing a public path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Module,
    Type,
    Function,
    Method,
    Field,
    Variant,
    Constant,
    TraitItem,
    TraitImpl,
    ReExport,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Module => "module",
            Kind::Type => "type",
            Kind::Function => "function",
            Kind::Method => "method",
            Kind::Field => "field",
            Kind::Variant => "variant",
            Kind::Constant => "constant",
            Kind::TraitItem => "trait item",
            Kind::TraitImpl => "trait impl",
            Kind::ReExport => "re-export",
        })
    }
}

/// One public item: its kind and its signature as rustfmt lays it out, on one line (no docs, no
/// bodies; `public::shown`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    pub signature: String,
    /// Added to an older crate, it breaks callers: a field or variant of an exhaustive struct or
    /// enum (a literal or a `match` no longer compiles), a trait method without a default.
    pub breaks_when_added: bool,
}

/// The public items of a crate, by the path a caller writes (`Client::wait_for_promotion`,
/// `types::SecretV1.name`), with every `cfg` on (as docs.rs documents it).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Surface {
    pub items: BTreeMap<String, Item>,
}

/// One difference between two surfaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SurfaceChange {
    Removed { path: String, kind: Kind },
    Changed { path: String, kind: Kind, from: String, to: String },
    Added { path: String, kind: Kind, breaking: bool },
}

impl SurfaceChange {
    /// Whether code written against the old crate may not compile against the new one.
    pub fn breaks(&self) -> bool {
        !matches!(self, SurfaceChange::Added { breaking: false, .. })
    }
}

impl fmt::Display for SurfaceChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SurfaceChange::Removed { path, kind } => write!(f, "{kind} `{path}` removed"),
            SurfaceChange::Changed { path, kind, from, to } => {
                write!(f, "{kind} `{path}` changed: `{from}` is now `{to}`")
            }
            SurfaceChange::Added { path, kind, breaking: false } => write!(f, "{kind} `{path}` added"),
            SurfaceChange::Added { path, kind, breaking: true } => {
                write!(f, "{kind} `{path}` added (exhaustive or required: code written against the old crate breaks)")
            }
        }
    }
}

/// Every item removed, changed or added from `old` to `new`, by path.
pub fn compare(old: &Surface, new: &Surface) -> Vec<SurfaceChange> {
    let mut changes = Vec::new();
    for (path, was) in &old.items {
        match new.items.get(path) {
            None => changes.push(SurfaceChange::Removed { path: path.clone(), kind: was.kind }),
            Some(is) if is.signature != was.signature || is.kind != was.kind => changes.push(SurfaceChange::Changed {
                path: path.clone(),
                kind: is.kind,
                from: was.signature.clone(),
                to: is.signature.clone(),
            }),
            Some(_) => {}
        }
    }
    for (path, is) in &new.items {
        if !old.items.contains_key(path) {
            // A required item breaks implementors of a trait they had; a new trait has none.
            let parent_was_there = path.rsplit_once("::").is_none_or(|(parent, _)| old.items.contains_key(parent));
            let breaking = is.breaks_when_added && parent_was_there;
            changes.push(SurfaceChange::Added { path: path.clone(), kind: is.kind, breaking });
        }
    }
    changes
}

/// The source files' module tree: each module's path (`["client"]`) and its items.
struct Modules {
    items: BTreeMap<Vec<String>, Vec<syn::Item>>,
}

impl Surface {
    /// The surface of the crate whose `src/lib.rs` and other sources `files` holds (by path
    /// relative to the crate); a file that does not parse or a module without its file gives none
    /// of its items (the build that compiles it says why).
    pub fn of(files: &BTreeMap<String, String>) -> Surface {
        let mut modules = Modules { items: BTreeMap::new() };
        modules.load(files, "src/lib.rs", Vec::new());
        let mut walk = Walk { modules: &modules, surface: Surface::default(), types: BTreeMap::new() };
        walk.module(&[], "");
        walk.impls();
        walk.surface
    }
}

impl Modules {
    fn load(&mut self, files: &BTreeMap<String, String>, file: &str, path: Vec<String>) {
        let Some(parsed) = files.get(file).and_then(|text| syn::parse_file(text).ok()) else { return };
        self.add(files, file, path, parsed.items);
    }

    /// `items` as the module at `path`; an inline module's items move to its own entry (the walk
    /// reads a `mod` item's name and attributes, not its body), so no tree is copied.
    fn add(&mut self, files: &BTreeMap<String, String>, file: &str, path: Vec<String>, mut items: Vec<syn::Item>) {
        for item in &mut items {
            let syn::Item::Mod(module) = item else { continue };
            let mut child = path.clone();
            child.push(module.ident.to_string());
            match &mut module.content {
                Some((_, content)) => self.add(files, file, child, std::mem::take(content)),
                // A flat crate: `src/lib.rs` declares `src/<name>.rs`, which declares `src/<name>/…`.
                None => {
                    let dir = file
                        .strip_suffix("lib.rs")
                        .map_or_else(|| format!("{}/", file.trim_end_matches(".rs")), std::string::ToString::to_string);
                    self.load(files, &format!("{dir}{}.rs", module.ident), child);
                }
            }
        }
        self.items.insert(path, items);
    }
}

/// The walk from the crate root through what is public.
struct Walk<'a> {
    modules: &'a Modules,
    surface: Surface,
    /// Where each public type is declared (module, name), and the path a caller names it by.
    types: BTreeMap<(Vec<String>, String), String>,
}

impl Walk<'_> {
    /// The public items of `module`, named under `prefix`.
    fn module(&mut self, module: &[String], prefix: &str) {
        let Some(items) = self.modules.items.get(module) else { return };
        for item in items {
            match item {
                syn::Item::Mod(child) if is_public(&child.vis) && !hidden(&child.attrs) => {
                    let path = join(prefix, &child.ident.to_string());
                    self.add(&path, Kind::Module, format!("mod {}", child.ident), false);
                    self.module(&child_of(module, &child.ident.to_string()), &path);
                }
                syn::Item::Use(using) if is_public(&using.vis) && !hidden(&using.attrs) => {
                    let mut leaves = Vec::new();
                    use_leaves(&using.tree, Vec::new(), &mut leaves);
                    for (target, name) in leaves {
                        self.re_export(module, prefix, &target, &name);
                    }
                }
                item => self.declared(module, prefix, item, None),
            }
        }
    }

    /// A `pub use` of `target` as `name`: the item it names, at `prefix::name`.
    fn re_export(&mut self, module: &[String], prefix: &str, target: &[String], name: &str) {
        let path = join(prefix, name);
        let Some((from, last)) = resolve(self.modules, module, target) else {
            self.add(&path, Kind::ReExport, format!("pub use {}", target.join("::")), false);
            return;
        };
        let child = child_of(&from, &last);
        if self.modules.items.contains_key(&child) {
            self.add(&path, Kind::Module, format!("mod {name}"), false);
            self.module(&child, &path);
            return;
        }
        let items = self.modules.items.get(&from).map_or(&[][..], Vec::as_slice);
        match items.iter().find(|item| ident_of(item).is_some_and(|ident| ident == last)) {
            Some(item) => self.declared(&from, prefix, item, Some(name)),
            // `pub use chrono;`: a crate, not an item of this one.
            None => self.add(&path, Kind::ReExport, format!("pub use {}", target.join("::")), false),
        }
    }

    /// A public item declared in `module`, named under `prefix` (as `rename` if re-exported so).
    fn declared(&mut self, module: &[String], prefix: &str, item: &syn::Item, rename: Option<&str>) {
        let Some(ident) = ident_of(item) else { return };
        let (visible, attrs) = visibility_and_attrs(item);
        if !visible || hidden(attrs) {
            return;
        }
        let path = join(prefix, rename.unwrap_or(&ident));
        match item {
            syn::Item::Struct(s) => {
                self.types.entry((module.to_vec(), ident.clone())).or_insert_with(|| path.clone());
                self.structure(&path, s);
            }
            syn::Item::Enum(e) => {
                self.types.entry((module.to_vec(), ident.clone())).or_insert_with(|| path.clone());
                self.enumeration(&path, e);
            }
            syn::Item::Trait(t) => self.trait_(&path, t),
            syn::Item::Fn(f) => self.add(&path, Kind::Function, shown::signature(&f.sig), false),
            syn::Item::Const(c) => {
                self.add(&path, Kind::Constant, format!("const {}: {}", c.ident, shown::ty(&c.ty)), false)
            }
            syn::Item::Static(s) => {
                self.add(&path, Kind::Constant, format!("static {}: {}", s.ident, shown::ty(&s.ty)), false)
            }
            syn::Item::Type(t) => {
                self.types.entry((module.to_vec(), ident.clone())).or_insert_with(|| path.clone());
                self.add(&path, Kind::Type, shown::alias(t), false);
            }
            _ => {}
        }
    }

    fn structure(&mut self, path: &str, s: &syn::ItemStruct) {
        let exhaustive = !non_exhaustive(&s.attrs);
        let marker = if exhaustive { "" } else { "#[non_exhaustive] " };
        self.add(path, Kind::Type, format!("{marker}struct {}{}", s.ident, shown::generics(&s.generics)), false);
        self.derives(path, &s.attrs);
        for (i, field) in s.fields.iter().enumerate().filter(|(_, f)| is_public(&f.vis)) {
            let name = field.ident.as_ref().map_or_else(|| i.to_string(), ToString::to_string);
            self.add(&format!("{path}.{name}"), Kind::Field, shown::ty(&field.ty), exhaustive);
        }
    }

    fn enumeration(&mut self, path: &str, e: &syn::ItemEnum) {
        let exhaustive = !non_exhaustive(&e.attrs);
        let marker = if exhaustive { "" } else { "#[non_exhaustive] " };
        self.add(path, Kind::Type, format!("{marker}enum {}{}", e.ident, shown::generics(&e.generics)), false);
        self.derives(path, &e.attrs);
        for variant in e.variants.iter().filter(|v| !hidden(&v.attrs)) {
            // A field's docs are not its signature: a doc-only change breaks no caller.
            let mut fields = variant.fields.clone();
            fields.iter_mut().for_each(|field| field.attrs.clear());
            let fields = shown::fields(&fields);
            self.add(&format!("{path}::{}", variant.ident), Kind::Variant, fields, exhaustive);
        }
    }

    fn trait_(&mut self, path: &str, t: &syn::ItemTrait) {
        let supertraits = t.supertraits.iter().map(tokens).collect::<Vec<_>>().join(" + ");
        self.add(path, Kind::Type, format!("trait {}{}: {supertraits}", t.ident, shown::generics(&t.generics)), false);
        for item in &t.items {
            match item {
                syn::TraitItem::Fn(f) => {
                    let path = format!("{path}::{}", f.sig.ident);
                    self.add(&path, Kind::TraitItem, shown::signature(&f.sig), f.default.is_none());
                }
                syn::TraitItem::Type(ty) => {
                    let path = format!("{path}::{}", ty.ident);
                    self.add(&path, Kind::TraitItem, format!("type {}", ty.ident), ty.default.is_none());
                }
                _ => {}
            }
        }
    }

    /// `#[derive(Clone, Debug)]`: each trait implemented, as an impl written out would be.
    fn derives(&mut self, path: &str, attrs: &[syn::Attribute]) {
        for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
            let Ok(traits) =
                attr.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
            else {
                continue;
            };
            for derived in traits {
                let name = derived.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                self.add(&format!("{path}: {name}"), Kind::TraitImpl, format!("impl {name}"), false);
            }
        }
    }

    /// Every module's impl blocks, on the public types they name: inherent methods and trait impls.
    fn impls(&mut self) {
        let modules = self.modules;
        for (module, items) in &modules.items {
            for item in items {
                let syn::Item::Impl(block) = item else { continue };
                if hidden(&block.attrs) {
                    continue;
                }
                let Some(owner) = self.owner(module, &block.self_ty) else { continue };
                match &block.trait_ {
                    Some((tr, _)) => {
                        let name = tr.segments.last().map(tokens).unwrap_or_default();
                        // By the trait's last segment, as a derive names it: a derive that
                        // becomes an impl written out is no change.
                        let header = format!("impl{} {name}", shown::generics(&block.generics));
                        self.add(&format!("{owner}: {name}"), Kind::TraitImpl, header, false);
                    }
                    None => self.methods(&owner, block),
                }
            }
        }
    }

    fn methods(&mut self, owner: &str, block: &syn::ItemImpl) {
        for member in &block.items {
            match member {
                syn::ImplItem::Fn(f) if is_public(&f.vis) && !hidden(&f.attrs) => {
                    let path = format!("{owner}::{}", f.sig.ident);
                    self.add(&path, Kind::Method, shown::signature(&f.sig), false);
                }
                syn::ImplItem::Const(c) if is_public(&c.vis) && !hidden(&c.attrs) => {
                    let path = format!("{owner}::{}", c.ident);
                    self.add(&path, Kind::Constant, format!("const {}: {}", c.ident, shown::ty(&c.ty)), false);
                }
                _ => {}
            }
        }
    }

    /// The public path of an impl's self type: declared in the impl's module, where its path
    /// leads, or else the one public type of that name.
    fn owner(&self, module: &[String], self_ty: &syn::Type) -> Option<String> {
        let syn::Type::Path(ty) = self_ty else { return None };
        let segments: Vec<String> = ty.path.segments.iter().map(|s| s.ident.to_string()).collect();
        let (from, last) = match segments.as_slice() {
            [name] => (module.to_vec(), name.clone()),
            _ => resolve(self.modules, module, &segments)?,
        };
        if let Some(path) = self.types.get(&(from, last.clone())) {
            return Some(path.clone());
        }
        let mut named = self.types.iter().filter(|((_, name), _)| *name == last);
        match (named.next(), named.next()) {
            (Some((_, path)), None) => Some(path.clone()),
            _ => None,
        }
    }

    fn add(&mut self, path: &str, kind: Kind, signature: String, breaks_when_added: bool) {
        let item = Item { kind, signature, breaks_when_added };
        self.surface.items.entry(path.to_string()).or_insert(item);
    }
}

/// A `use` path's leaves: the path to each name and the name it is known by here.
fn use_leaves(tree: &syn::UseTree, prefix: Vec<String>, out: &mut Vec<(Vec<String>, String)>) {
    let with = |name: String| {
        let mut path = prefix.clone();
        path.push(name);
        path
    };
    match tree {
        syn::UseTree::Path(p) => use_leaves(&p.tree, with(p.ident.to_string()), out),
        syn::UseTree::Name(n) if n.ident == "self" => {
            if let Some(last) = prefix.last() {
                out.push((prefix.clone(), last.clone()));
            }
        }
        syn::UseTree::Name(n) => out.push((with(n.ident.to_string()), n.ident.to_string())),
        syn::UseTree::Rename(r) => out.push((with(r.ident.to_string()), r.rename.to_string())),
        syn::UseTree::Group(g) => g.items.iter().for_each(|tree| use_leaves(tree, prefix.clone(), out)),
        // No glob re-export in the crate: what one brings depends on the other side.
        syn::UseTree::Glob(_) => {}
    }
}

/// `path` as seen from `module`: the module that declares its last segment, and that segment;
/// `None` for a path out of the crate.
fn resolve(modules: &Modules, module: &[String], path: &[String]) -> Option<(Vec<String>, String)> {
    let (last, init) = path.split_last()?;
    let mut at: Vec<String> = match init.first().map(String::as_str) {
        Some("crate") => Vec::new(),
        Some("self") | None => module.to_vec(),
        Some("super") => module[..module.len().saturating_sub(1)].to_vec(),
        Some(first) if modules.items.contains_key(&child_of(module, first)) => module.to_vec(),
        Some(_) => return None,
    };
    let skip = usize::from(matches!(init.first().map(String::as_str), Some("crate" | "self" | "super")));
    for segment in &init[skip..] {
        match segment.as_str() {
            "super" => {
                at.pop();
            }
            name => at.push(name.to_string()),
        }
    }
    modules.items.contains_key(&at).then(|| (at, last.clone()))
}

fn ident_of(item: &syn::Item) -> Option<String> {
    let ident = match item {
        syn::Item::Struct(s) => &s.ident,
        syn::Item::Enum(e) => &e.ident,
        syn::Item::Trait(t) => &t.ident,
        syn::Item::Fn(f) => &f.sig.ident,
        syn::Item::Const(c) => &c.ident,
        syn::Item::Static(s) => &s.ident,
        syn::Item::Type(t) => &t.ident,
        syn::Item::Mod(m) => &m.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

fn visibility_and_attrs(item: &syn::Item) -> (bool, &[syn::Attribute]) {
    let (vis, attrs) = match item {
        syn::Item::Struct(s) => (&s.vis, &s.attrs),
        syn::Item::Enum(e) => (&e.vis, &e.attrs),
        syn::Item::Trait(t) => (&t.vis, &t.attrs),
        syn::Item::Fn(f) => (&f.vis, &f.attrs),
        syn::Item::Const(c) => (&c.vis, &c.attrs),
        syn::Item::Static(s) => (&s.vis, &s.attrs),
        syn::Item::Type(t) => (&t.vis, &t.attrs),
        syn::Item::Mod(m) => (&m.vis, &m.attrs),
        _ => return (false, &[]),
    };
    (is_public(vis), attrs)
}

fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// `#[doc(hidden)]`: not part of the API a caller may rely on.
fn hidden(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|attr| attr.path().is_ident("doc") && attr.parse_args::<syn::Ident>().is_ok_and(|ident| ident == "hidden"))
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("non_exhaustive"))
}

fn tokens(node: &impl ToTokens) -> String {
    node.to_token_stream().to_string()
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() { name.to_string() } else { format!("{prefix}::{name}") }
}

fn child_of(module: &[String], name: &str) -> Vec<String> {
    let mut child = module.to_vec();
    child.push(name.to_string());
    child
}
