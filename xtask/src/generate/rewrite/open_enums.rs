//! Open enums: takes typify's types, gives string enums and discriminated unions that keep a
//! value the reference does not list, typify's names giving way to them, and unknown fields
//! tolerated.

use quote::format_ident;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use crate::generate::enums::OpenEnum;

/// A type typify named that we renamed: `(typify's name, ours)`.
pub(crate) type Renames = Vec<(String, String)>;

/// typify names some inline schemas itself (after their `title`) and may pick the name of a
/// component we declare as an open enum, since replaced names are not reserved. Its type gives
/// way: it becomes `<the first struct using it><name>`, as typify names inline types.
pub(super) fn give_way_to_open_enums(types: &[syn::Item], enums: &[OpenEnum]) -> Renames {
    let declared = crate::generate::trees::declared_types(types);
    let mut taken = declared.clone();
    taken.extend(enums.iter().map(|open| open.name.clone()));
    let mut renames = Renames::new();
    for open in enums.iter().filter(|open| declared.contains(&open.name)) {
        let user = types.iter().find_map(|item| match item {
            syn::Item::Struct(item) if item.fields.iter().any(|f| mentions(&f.ty, &open.name)) => {
                Some(item.ident.to_string())
            }
            _ => None,
        });
        let name =
            crate::naming::free_name(&format!("{}{}", user.as_deref().unwrap_or("Inline"), open.name), &mut taken);
        renames.push((open.name.clone(), name));
    }
    renames
}

/// Whether `ty` names `ident` as typify writes a type in its module: bare.
pub(super) fn mentions(ty: &syn::Type, ident: &str) -> bool {
    struct Finder<'a>(&'a str, bool);
    impl<'ast> Visit<'ast> for Finder<'_> {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            self.1 |= path.segments.len() == 1 && path.segments[0].ident == self.0;
            syn::visit::visit_path(self, path);
        }
    }
    let mut finder = Finder(ident, false);
    finder.visit_type(ty);
    finder.1
}

/// Renames typify's types: their declarations, and the paths progenitor and typify write to
/// them (`Name`, `super::Name` inside `types`; `types::Name` anywhere). `crate::types::Name`,
/// which only a replacement writes, stays the open enum.
pub(super) fn rename(items: &mut [syn::Item], renames: &Renames) {
    struct Renamer<'a> {
        renames: &'a Renames,
        in_types: usize,
    }
    impl Renamer<'_> {
        fn new_name(&self, ident: &syn::Ident) -> Option<syn::Ident> {
            let (_, new) = self.renames.iter().find(|(old, _)| ident == old)?;
            Some(syn::Ident::new(new, ident.span()))
        }
    }
    impl VisitMut for Renamer<'_> {
        fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
            let types = module.ident == "types";
            self.in_types += usize::from(types || self.in_types > 0);
            syn::visit_mut::visit_item_mod_mut(self, module);
            self.in_types -= usize::from(types || self.in_types > 0);
        }
        fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
            if let Some(new) = self.new_name(&item.ident).filter(|_| self.in_types > 0) {
                item.ident = new;
            }
            syn::visit_mut::visit_item_struct_mut(self, item);
        }
        fn visit_item_enum_mut(&mut self, item: &mut syn::ItemEnum) {
            if let Some(new) = self.new_name(&item.ident).filter(|_| self.in_types > 0) {
                item.ident = new;
            }
            syn::visit_mut::visit_item_enum_mut(self, item);
        }
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            let n = path.segments.len();
            if let Some(new) = path.segments.last().and_then(|last| self.new_name(&last.ident)) {
                let at = |i: usize, name: &str| path.segments[i].ident == name;
                let ours = match n {
                    1 => self.in_types > 0 && path.leading_colon.is_none(),
                    2 => (self.in_types > 0 && (at(0, "super") || at(0, "self"))) || at(0, "types"),
                    3 => at(0, "super") && at(1, "types"),
                    _ => false,
                };
                if ours && let Some(last) = path.segments.last_mut() {
                    last.ident = new;
                }
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    if renames.is_empty() {
        return;
    }
    let mut renamer = Renamer { renames, in_types: 0 };
    for item in items {
        renamer.visit_item_mut(item);
    }
}

/// Whether `#[serde(..)]` is exactly the one flag `word` (`#[serde(untagged)]`).
fn serde_says(attr: &syn::Attribute, word: &str) -> bool {
    let words = attr.parse_args_with(syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated);
    words.is_ok_and(|words| words.len() == 1 && words.first().is_some_and(|meta| meta.path().is_ident(word)))
}

/// Drops `#[serde(deny_unknown_fields)]` (typify's reading of `additionalProperties: false`):
/// a tolerant reader ignores the fields a newer server adds.
pub(super) fn tolerate_unknown_fields(items: &mut [syn::Item]) {
    for item in items {
        if let syn::Item::Struct(item) = item {
            item.attrs
                .retain(|attr| !(attr.path().is_ident("serde") && serde_says(attr, "deny_unknown_fields")));
        }
    }
}

/// Gives each discriminated union (typify's untagged enum of the mapped members) a last variant
/// that keeps any other value: a tag the pages do not list yet (an audit event added after the
/// docs were exported) decodes instead of failing the whole answer. An error when typify
/// declared one otherwise, so a typify upgrade cannot silently close them again.
pub(super) fn open_discriminated_unions(items: &mut [syn::Item], unions: &[String]) -> Result<(), String> {
    for name in unions {
        let item = items.iter_mut().find_map(|item| match item {
            syn::Item::Enum(item) if item.ident == name => Some(item),
            _ => None,
        });
        let Some(item) = item else {
            return Err(format!("typify declared no enum `{name}` for a discriminated union"));
        };
        let untagged = item.attrs.iter().any(|attr| attr.path().is_ident("serde") && serde_says(attr, "untagged"));
        if !untagged {
            return Err(format!("typify declared the discriminated union `{name}` other than as an untagged enum"));
        }
        let taken = |ident: &str| item.variants.iter().any(|v| v.ident == ident);
        let unknown = format_ident!("{}", if taken("Unknown") { "Unlisted" } else { "Unknown" });
        item.variants.push(syn::parse_quote! {
            /// A value whose tag the API reference does not list (yet), kept as sent.
            #unknown(::serde_json::Value)
        });
    }
    Ok(())
}

/// The enum, its value table both ways, and `open_enum_impls!` for the rest.
pub(super) fn open_enum(open: &OpenEnum) -> Vec<syn::Item> {
    let name = format_ident!("{}", open.name);
    let unknown = format_ident!("{}", open.unknown);
    let doc = open.description.clone().unwrap_or_else(|| format!("The `{}` values.", open.name));
    let idents: Vec<syn::Ident> = open.variants.iter().map(|(variant, _)| format_ident!("{variant}")).collect();
    let values: Vec<&String> = open.variants.iter().map(|(_, value)| value).collect();
    let docs = open.variants.iter().map(|(variant, value)| {
        let also: Vec<String> =
            open.aliases.iter().filter(|(_, v)| v == variant).map(|(alias, _)| format!("`{alias}`")).collect();
        if also.is_empty() {
            format!("`{value}`")
        } else {
            format!("`{value}` (reads {} too: the pages spell it both ways; sends `{value}`)", also.join(", "))
        }
    });
    let alias_values: Vec<&String> = open.aliases.iter().map(|(alias, _)| alias).collect();
    let alias_idents: Vec<syn::Ident> = open.aliases.iter().map(|(_, variant)| format_ident!("{variant}")).collect();
    let compat = format!(
        "Forward compatible: a value the API reference does not list deserializes to `{unknown}` \
         and serializes back unchanged."
    );
    let file: syn::File = syn::parse_quote! {
        #[doc = #doc]
        ///
        #[doc = #compat]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #docs] #idents, )*
            /// A value the API reference does not list (yet), kept as sent.
            #unknown(::std::string::String),
        }

        impl #name {
            /// Every value the API reference lists, in its order.
            pub const KNOWN: &'static [#name] = &[#( #name::#idents ),*];

            /// The value as the API spells it.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#idents => #values, )*
                    #name::#unknown(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => #name::#idents, )*
                    #( #alias_values => #name::#alias_idents, )*
                    other => #name::#unknown(other.to_string()),
                }
            }
        }

        crate::open_enum::open_enum_impls!(#name, #unknown);
    };
    file.items
}
