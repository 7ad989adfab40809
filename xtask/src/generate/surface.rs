//! Surface: takes the rewritten client, gives what a test outside the crate needs of it: each
//! struct's fields by JSON name with their builder's types, each operation's builder and its
//! argument setters, every type written as the test must write it (`::baseten_management::…`).

use std::collections::BTreeMap;

use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use super::trees::{argument_of, find_struct, last_ident, serde_rename};

/// The client's modules a test looks into.
pub(crate) struct Surface<'a> {
    items: &'a [syn::Item],
    types: &'a [syn::Item],
    builders: &'a [syn::Item],
    operations: &'a [syn::Item],
}

/// A struct field as its builder sets it: the setter and the type it takes.
pub(crate) struct Setter {
    pub(crate) name: syn::Ident,
    pub(crate) takes: syn::Type,
}

impl<'a> Surface<'a> {
    pub(crate) fn of(api: &'a syn::File) -> Self {
        let module = |items, name| super::trees::module(items, name).unwrap_or(&[]);
        let types = module(&api.items, "types");
        Surface {
            items: &api.items,
            types,
            builders: module(types, "builders"),
            operations: module(&api.items, "requests"),
        }
    }

    /// The struct `name`'s fields by JSON name, when it is a struct with a builder.
    pub(crate) fn struct_fields(&self, name: &str) -> Option<BTreeMap<String, Setter>> {
        let declared = find_struct(self.types, name)?;
        let builder = find_struct(self.builders, &format!("{name}Builder"))?;
        let mut out = BTreeMap::new();
        for field in &declared.fields {
            let ident = field.ident.clone()?;
            let property = serde_rename(&field.attrs).unwrap_or_else(|| ident.to_string());
            let built = builder.fields.iter().find(|f| f.ident.as_ref() == Some(&ident))?;
            let takes = argument_of(&built.ty, "Result")?;
            // An `Option` as it is goes through `set_NAME` (`super::setters`).
            let name = match argument_of(takes, "Option") {
                Some(_) => quote::format_ident!("set_{ident}"),
                None => ident,
            };
            out.insert(property, Setter { name, takes: outside_the_crate(takes.clone(), Scope::TypesBuilder) });
        }
        Some(out)
    }

    /// The setters of the operation `name`'s builder (the `Client` method's), each with the type
    /// it takes: `V: TryInto<T>`.
    pub(crate) fn arguments(&self, name: &str) -> Option<BTreeMap<String, syn::Type>> {
        let builder = self.operation_builder(name)?;
        let block = self.operations.iter().find_map(|item| match item {
            syn::Item::Impl(block) if last_ident(&block.self_ty) == Some(&builder) => Some(block),
            _ => None,
        })?;
        let mut out = BTreeMap::new();
        for member in &block.items {
            let syn::ImplItem::Fn(method) = member else { continue };
            if let Some(ty) = try_into_bound(&method.sig) {
                out.insert(method.sig.ident.to_string(), outside_the_crate(ty, Scope::Operations));
            }
        }
        Some(out)
    }

    /// The builder type the `Client` method `name` returns.
    fn operation_builder(&self, name: &str) -> Option<syn::Ident> {
        self.items.iter().find_map(|item| {
            let syn::Item::Impl(block) = item else { return None };
            block.items.iter().find_map(|member| match member {
                syn::ImplItem::Fn(method) if method.sig.ident == name => match &method.sig.output {
                    syn::ReturnType::Type(_, ty) => last_ident(ty).cloned(),
                    syn::ReturnType::Default => None,
                },
                _ => None,
            })
        })
    }
}

/// `T` of a setter's `where V: std::convert::TryInto<T>`.
fn try_into_bound(signature: &syn::Signature) -> Option<syn::Type> {
    struct Bound(Option<syn::Type>);
    impl<'ast> Visit<'ast> for Bound {
        fn visit_path_segment(&mut self, segment: &'ast syn::PathSegment) {
            if segment.ident == "TryInto"
                && let syn::PathArguments::AngleBracketed(args) = &segment.arguments
                && let Some(syn::GenericArgument::Type(ty)) = args.args.first()
            {
                self.0.get_or_insert_with(|| ty.clone());
            }
            syn::visit::visit_path_segment(self, segment);
        }
    }
    let mut bound = Bound(None);
    bound.visit_generics(&signature.generics);
    bound.0
}

/// Where in the client a type was written: its relative paths mean different things.
#[derive(Clone, Copy)]
enum Scope {
    /// `types::builders`: `super::X` is `types::X`.
    TypesBuilder,
    /// The operation builders: `types::X` is `types::X`, `super::X` the client's `X`.
    Operations,
}

/// A type as the client writes it (`super::X`, `types::X`, `crate::types::X`), as a test
/// outside the crate must (`::baseten_management::types::X`).
fn outside_the_crate(mut ty: syn::Type, scope: Scope) -> syn::Type {
    struct Paths(Scope);
    impl VisitMut for Paths {
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            let first = path.segments.first().map(|s| s.ident.to_string()).filter(|_| path.leading_colon.is_none());
            let (prefix, skip): (Option<syn::Path>, usize) = match (first.as_deref(), self.0) {
                (Some("super"), Scope::TypesBuilder) => (Some(syn::parse_quote!(::baseten_management::types)), 1),
                (Some("super"), Scope::Operations) => (Some(syn::parse_quote!(::baseten_management)), 1),
                (Some("types"), Scope::Operations) => (Some(syn::parse_quote!(::baseten_management::types)), 1),
                (Some("crate"), _) => (Some(syn::parse_quote!(::baseten_management)), 1),
                _ => (None, 0),
            };
            if let Some(prefix) = prefix {
                let rest = path.segments.iter().skip(skip).cloned();
                let mut segments = prefix.segments;
                segments.extend(rest);
                *path = syn::Path { leading_colon: prefix.leading_colon, segments };
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    Paths(scope).visit_type_mut(&mut ty);
    ty
}
