//! Setters: takes typify's builders, gives an optional field's setter what a required one takes
//! (a nested builder, a `&str`, the value) and a `set_` setter for an `Option` as it is.
//!
//! typify's setter for an optional field takes `T: TryInto<Option<X>>`, which a builder of `X`
//! and a `&str` for a `String` are not: `.compute(ComputeV1::builder()..)` and `.name("job")`
//! fail to compile where the required fields beside them take both. aws-sdk-rust's shape is the
//! one Rust users know: `name(impl Into<String>)` and `set_name(Option<String>)`.

/// Rewrites each optional field's setter in the `builder` module's items; gives how many.
pub(super) fn rewrite(builders: &mut [syn::Item]) -> Result<usize, String> {
    let mut rewritten = 0;
    for item in builders.iter_mut() {
        let syn::Item::Impl(block) = item else { continue };
        if block.trait_.is_some() {
            continue;
        }
        let taken: Vec<String> = block.items.iter().filter_map(method_name).collect();
        let mut items = Vec::with_capacity(block.items.len() * 2);
        for mut member in std::mem::take(&mut block.items) {
            let added = match &mut member {
                syn::ImplItem::Fn(setter) => {
                    take_the_value(setter)?.map(|optional| set_option(&setter.sig.ident, &optional))
                }
                _ => None,
            };
            items.push(member);
            if let Some(set) = added {
                if taken.contains(&set.sig.ident.to_string()) {
                    return Err(format!(
                        "a builder already has a method `{}`, the name of a `set_` setter",
                        set.sig.ident
                    ));
                }
                items.push(syn::ImplItem::Fn(set));
                rewritten += 1;
            }
        }
        block.items = items;
    }
    Ok(rewritten)
}

fn method_name(member: &syn::ImplItem) -> Option<String> {
    match member {
        syn::ImplItem::Fn(method) => Some(method.sig.ident.to_string()),
        _ => None,
    }
}

/// What an optional field's setter sets: the type in the `Option`, and the builder's field.
struct Optional {
    inner: syn::Type,
    field: syn::Expr,
}

/// An optional field's setter, turned to take `T: TryInto<X>` and set `Some`; `None` for any
/// other method. An error for a setter of `Option` whose body is not the one
/// `converted(value, ..)` assignment it rewrites.
fn take_the_value(setter: &mut syn::ImplItemFn) -> Result<Option<Optional>, String> {
    let Some(inner) = optional_bound(setter) else { return Ok(None) };
    let name = setter.sig.ident.to_string();
    let mut fields = Vec::new();
    for statement in &mut setter.block.stmts {
        if let syn::Stmt::Expr(syn::Expr::Assign(assign), _) = statement
            && matches!(&*assign.right, syn::Expr::Call(call) if matches!(&*call.func, syn::Expr::Path(f) if f.path.is_ident("converted")))
        {
            let conversion = &assign.right;
            *assign.right = syn::parse_quote!(#conversion.map(::std::option::Option::Some));
            fields.push((*assign.left).clone());
        }
    }
    match <[syn::Expr; 1]>::try_from(fields) {
        Ok([field]) => Ok(Some(Optional { inner, field })),
        Err(fields) => Err(format!(
            "the setter `{name}` of an optional field has {} `converted(value, ..)` assignments, not one",
            fields.len()
        )),
    }
}

/// `X` of the setter's `where T: ::std::convert::TryInto<::std::option::Option<X>>`, which
/// becomes `TryInto<X>`.
fn optional_bound(setter: &mut syn::ImplItemFn) -> Option<syn::Type> {
    let predicates = &mut setter.sig.generics.where_clause.as_mut()?.predicates;
    predicates.iter_mut().find_map(|predicate| {
        let syn::WherePredicate::Type(bound) = predicate else { return None };
        bound.bounds.iter_mut().find_map(|bound| {
            let syn::TypeParamBound::Trait(bound) = bound else { return None };
            let try_into = bound.path.segments.last_mut().filter(|s| s.ident == "TryInto")?;
            let syn::PathArguments::AngleBracketed(arguments) = &mut try_into.arguments else { return None };
            let Some(syn::GenericArgument::Type(target)) = arguments.args.first_mut() else { return None };
            let inner = super::trees::argument_of(target, "Option")?.clone();
            *target = inner.clone();
            Some(inner)
        })
    })
}

/// `set_NAME(Option<X>)`: the field as it is, `None` leaving it unset.
fn set_option(name: &syn::Ident, Optional { inner, field }: &Optional) -> syn::ImplItemFn {
    let set = quote::format_ident!("set_{}", name.to_string().trim_start_matches("r#"));
    let doc = format!(
        "Sets `{name}` to an `Option` as it is (`None`: no value); [`{name}`](Self::{name}) takes the \
         value itself, or a builder of it."
    );
    syn::parse_quote! {
        #[doc = #doc]
        pub fn #set(mut self, value: ::std::option::Option<#inner>) -> Self {
            #field = ::std::result::Result::Ok(value);
            self
        }
    }
}
