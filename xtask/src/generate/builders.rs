//! Builders: takes progenitor's operation builders (the `builder` module), gives them the shape
//! the support code expects: per-call `.attempt_timeout(..)`, `.operation_timeout(..)` and
//! `.retry(..)`, a `send` that runs in the call's span and returns [`crate::Error`] (progenitor's
//! lives on as a private `send_raw`), a body read by `crate::call::decode`, attempts made by
//! `crate::call::exec`, and a missing argument named with the setter that gives it.

use quote::{format_ident, quote};
use syn::parse::Parser;
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

use std::collections::BTreeMap;

use super::bounds::{Bounded, Check, is_checkable};
use super::trees::{argument_of, last_ident};

/// The methods some builders gain, by operation id: a paginated list's `.stream()`, a logs
/// operation's `.stream()` and `.follow()`.
pub(super) type Added = std::collections::BTreeMap<String, Vec<syn::ImplItem>>;

/// The per-call setters each builder gains; an operation argument of the same name would clash.
const CALL_OPTIONS: &[&str] = &["attempt_timeout", "operation_timeout", "retry", "timeout"];

/// Rewrites every builder in `module`; gives how many `send` methods it wrapped. An error when a
/// builder lacks a shape this relies on, so a progenitor upgrade cannot silently skip a step.
/// `streams` holds, by operation id, the methods their builders gain; `bounded` the arguments
/// `send` checks.
pub(super) fn rewrite(module: &mut syn::ItemMod, streams: &Added, bounded: &Bounded) -> Result<usize, String> {
    let (_, items) = module.content.as_mut().ok_or("progenitor's `builder` module has no body")?;
    let fields = field_types(items);
    let none = BTreeMap::new();
    let mut builders = Vec::new();
    for item in items.iter_mut() {
        let syn::Item::Impl(block) = item else { continue };
        if block.items.iter().any(|member| matches!(member, syn::ImplItem::Fn(f) if f.sig.ident == "send")) {
            let name = last_ident(&block.self_ty).ok_or("a builder impl for a type that is not a path")?.to_string();
            let extras = Extras { streams, bounded, fields: fields.get(&name).unwrap_or(&none) };
            rewrite_impl(block, &name, &extras)?;
            builders.push(name);
        }
    }
    for item in items.iter_mut() {
        if let syn::Item::Struct(builder) = item
            && builders.contains(&builder.ident.to_string())
        {
            let syn::Fields::Named(fields) = &mut builder.fields else {
                return Err(format!("builder {} has no named fields", builder.ident));
            };
            fields.named.push(syn::parse_quote!(options: crate::call::CallOptions));
        }
    }
    Ok(builders.len())
}

/// What one builder gains besides the options: its operation's methods and argument checks.
struct Extras<'a> {
    streams: &'a Added,
    bounded: &'a Bounded,
    /// The builder's fields: each argument and the type `send` unpacks it to.
    fields: &'a BTreeMap<String, syn::Type>,
}

/// Each builder struct's fields and the types in their `Result`s, by builder name.
fn field_types(items: &[syn::Item]) -> BTreeMap<String, BTreeMap<String, syn::Type>> {
    let mut out = BTreeMap::new();
    for item in items {
        let syn::Item::Struct(builder) = item else { continue };
        let fields = builder
            .fields
            .iter()
            .filter_map(|field| Some((field.ident.as_ref()?.to_string(), argument_of(&field.ty, "Result")?.clone())));
        out.insert(builder.ident.to_string(), fields.collect());
    }
    out
}

/// One builder's impl block: the options in `new` and `send_raw`, the setters, the new `send`.
fn rewrite_impl(block: &mut syn::ItemImpl, name: &str, extras: &Extras<'_>) -> Result<(), String> {
    let setters: Vec<String> = block
        .items
        .iter()
        .filter_map(|member| match member {
            syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
            _ => None,
        })
        .collect();
    if let Some(clash) = CALL_OPTIONS.iter().find(|option| setters.iter().any(|s| s == *option)) {
        return Err(format!(
            "{name} has an argument named `{clash}`, the name of a per-call option every builder has; rename one \
             (the per-call setters are added in xtask/src/generate/builders.rs)"
        ));
    }
    let mut added = Vec::new();
    for member in &mut block.items {
        let syn::ImplItem::Fn(method) = member else { continue };
        match method.sig.ident.to_string().as_str() {
            "new" => initialize_options(method, name)?,
            "send" => {
                let operation = operation_id(&method.block);
                let checks = operation.as_ref().and_then(|id| extras.bounded.arguments.get(id));
                check_arguments(method, checks.map_or(&[][..], Vec::as_slice), extras.fields, name)?;
                for extra in operation.and_then(|id| extras.streams.get(&id)).into_iter().flatten() {
                    let syn::ImplItem::Fn(extra_fn) = extra else { continue };
                    let extra_name = extra_fn.sig.ident.to_string();
                    if setters.contains(&extra_name) {
                        return Err(format!(
                            "{name} has an argument named `{extra_name}`, the name of a method it gains"
                        ));
                    }
                    added.push(extra.clone());
                }
                added.push(wrap_send(method, name, extras.fields.get("body").is_some_and(is_built))?);
            }
            _ => {}
        }
    }
    block.items.extend(added);
    block.items.extend(setters_for_call_options());
    Ok(())
}

/// Inserts the checks of the bounded arguments into progenitor's `send`, once it has unpacked
/// them and before it builds the URL: an argument outside its bounds is `InvalidRequest`, and
/// nothing is sent. An argument of a type that checks itself (a typify newtype) is left to it.
fn check_arguments(
    send: &mut syn::ImplItemFn,
    checks: &[Check],
    fields: &BTreeMap<String, syn::Type>,
    name: &str,
) -> Result<(), String> {
    let mut statements: Vec<syn::Stmt> = Vec::new();
    for Check { name: argument, bounds } in checks {
        let ty = fields.get(argument).ok_or_else(|| format!("{name} has no argument `{argument}` to check"))?;
        if is_checkable(ty) {
            let ident = format_ident!("{argument}");
            statements.push(syn::parse_quote!(#bounds.check(#argument, &#ident).map_err(Error::InvalidRequest)?;));
        }
    }
    if statements.is_empty() {
        return Ok(());
    }
    let url = send.block.stmts.iter().position(
        |statement| matches!(statement, syn::Stmt::Local(local) if matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "url")),
    );
    let at = url.ok_or_else(|| format!("{name}::send has no `let url = ..`: progenitor's shape changed"))?;
    send.block.stmts.splice(at..at, statements);
    Ok(())
}

/// `Self { client, .. }` in `new` gains `options: Default::default()`.
fn initialize_options(new: &mut syn::ImplItemFn, name: &str) -> Result<(), String> {
    struct Init(bool);
    impl VisitMut for Init {
        fn visit_expr_struct_mut(&mut self, node: &mut syn::ExprStruct) {
            if node.path.is_ident("Self") {
                node.fields.push(syn::parse_quote!(options: ::std::default::Default::default()));
                self.0 = true;
            }
        }
    }
    let mut init = Init(false);
    init.visit_block_mut(&mut new.block);
    init.0.then_some(()).ok_or_else(|| format!("{name}::new builds no `Self {{ .. }}`"))
}

/// Renames progenitor's `send` to a private `send_raw` that takes the options, reports an
/// undecodable body with its status and headers, and makes its attempts through
/// `crate::call::exec`; gives the public `send` that wraps it.
fn wrap_send(send: &mut syn::ImplItemFn, name: &str, built_body: bool) -> Result<syn::ImplItem, String> {
    let operation =
        operation_id(&send.block).ok_or_else(|| format!("no `OperationInfo {{ operation_id }}` in {name}::send"))?;
    let value = ok_type(&send.sig.output)
        .ok_or_else(|| format!("{name}::send does not return Result<ResponseValue<T>, _>"))?
        .clone();
    send.sig.output = syn::parse_quote!(-> Result<#value, crate::call::Raw>);
    let mut calls = Calls::default();
    calls.visit_block_mut(&mut send.block);
    if !(calls.destructured && calls.executed) {
        return Err(format!(
            "{name}::send has no `let Self {{ .. }} = self;` or no `client.exec(request, &info)`: progenitor's shape changed"
        ));
    }
    if built_body && calls.bodies == 0 {
        return Err(format!("{name}::send converts its body without `|e| e.to_string()`: progenitor's shape changed"));
    }
    let docs: Vec<syn::Attribute> = std::mem::take(&mut send.attrs);
    send.sig.ident = format_ident!("send_raw");
    send.vis = syn::Visibility::Inherited;
    Ok(syn::parse_quote! {
        #(#docs)*
        ///
        /// Failures come back as [`crate::Error`], naming this operation.
        pub async fn send(self) -> ::std::result::Result<#value, crate::Error> {
            crate::call::send(#operation, self.client, self.options.operation_timeout, self.send_raw()).await
        }
    })
}

/// The rewrites inside `send_raw`: whether the two it cannot do without were made, and how
/// many body errors it named.
#[derive(Default)]
struct Calls {
    destructured: bool,
    executed: bool,
    bodies: usize,
}

impl VisitMut for Calls {
    fn visit_local_mut(&mut self, local: &mut syn::Local) {
        if let syn::Pat::Struct(pattern) = &mut local.pat
            && pattern.path.is_ident("Self")
            && let Ok(syn::Pat::Struct(with_options)) = syn::Pat::parse_single.parse2(quote!(Self { options }))
        {
            pattern.fields.extend(with_options.fields);
            self.destructured = true;
        }
        syn::visit_mut::visit_local_mut(self, local);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        if is_exec(expr) {
            *expr = syn::parse_quote!(crate::call::exec(client, request, &info, &options).await);
            self.executed = true;
            return;
        }
        // The body's builder names a missing field; say it is the body's.
        if is_to_string_closure(expr) {
            *expr = syn::parse_quote!(|e| format!("the body: {e}"));
            self.bodies += 1;
            return;
        }
        if let syn::Expr::Call(call) = expr
            && let syn::Expr::Path(func) = &*call.func
            && path_is(&func.path, &["ResponseValue", "from_response"])
        {
            let args = &call.args;
            *expr = syn::parse_quote!(crate::call::decode(#args));
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// `client.exec(request, &info).await` (or with `&mut request`): progenitor's one attempt.
fn is_exec(expr: &syn::Expr) -> bool {
    let syn::Expr::Await(awaited) = expr else { return false };
    let syn::Expr::MethodCall(call) = &*awaited.base else { return false };
    call.method == "exec"
        && call.args.len() == 2
        && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("client"))
}

/// `|e| e.to_string()`: how progenitor turns a body builder's error into its message.
fn is_to_string_closure(expr: &syn::Expr) -> bool {
    let syn::Expr::Closure(closure) = expr else { return false };
    let [syn::Pat::Ident(input)] = closure.inputs.iter().collect::<Vec<_>>()[..] else { return false };
    let syn::Expr::MethodCall(call) = &*closure.body else { return false };
    call.method == "to_string"
        && call.args.is_empty()
        && matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident(&input.ident))
}

/// Whether a body is a typify builder (`types::builder::X`), whose error `send` names.
fn is_built(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.iter().any(|segment| segment.ident == "builder"))
}

/// Whether `path`'s segments are `names` (`ResponseValue::from_response`).
fn path_is(path: &syn::Path, names: &[&str]) -> bool {
    path.segments.len() == names.len() && path.segments.iter().zip(names).all(|(segment, name)| segment.ident == name)
}

/// `.attempt_timeout(..)`, `.operation_timeout(..)` and `.retry(..)`, for this call only (and
/// the deprecated `.timeout(..)`, hidden).
fn setters_for_call_options() -> Vec<syn::ImplItem> {
    let block: syn::ItemImpl = syn::parse_quote! {
        impl X {
            /// The limit on each attempt of this call, instead of the client's
            /// [`ClientBuilder::attempt_timeout`](crate::ClientBuilder::attempt_timeout); each
            /// retry gets a fresh one.
            pub fn attempt_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.attempt_timeout = Some(timeout);
                self
            }
            /// The limit on this whole call, every attempt and wait included, instead of the
            /// client's [`ClientBuilder::operation_timeout`](crate::ClientBuilder::operation_timeout):
            /// past it, [`crate::Error::Timeout`].
            pub fn operation_timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.options.operation_timeout = Some(timeout);
                self
            }
            /// When and how often this call is sent again, instead of the client's
            /// [`RetryPolicy`](crate::RetryPolicy): `RetryPolicy::disabled()` to see a 429 at once.
            pub fn retry(mut self, policy: crate::RetryPolicy) -> Self {
                self.options.retry = Some(policy);
                self
            }
            /// The limit on each attempt of this call.
            #[doc(hidden)]
            #[deprecated(
                since = "0.4.0",
                note = "bounds each attempt, not the call: use attempt_timeout, or operation_timeout for the whole call"
            )]
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                self.attempt_timeout(timeout)
            }
        }
    };
    debug_assert_eq!(block.items.len(), CALL_OPTIONS.len());
    block.items
}

/// `ResponseValue<T>` out of `-> Result<ResponseValue<T>, Error<()>>`.
fn ok_type(output: &syn::ReturnType) -> Option<&syn::Type> {
    match output {
        syn::ReturnType::Type(_, ty) => argument_of(ty, "Result"),
        syn::ReturnType::Default => None,
    }
}

/// The string in `OperationInfo { operation_id: "..." }`.
fn operation_id(block: &syn::Block) -> Option<String> {
    struct Find(Option<String>);
    impl<'ast> Visit<'ast> for Find {
        fn visit_expr_struct(&mut self, node: &'ast syn::ExprStruct) {
            if node.path.is_ident("OperationInfo") {
                for field in &node.fields {
                    if let (syn::Member::Named(name), syn::Expr::Lit(lit)) = (&field.member, &field.expr)
                        && let (true, syn::Lit::Str(value)) = (name == "operation_id", &lit.lit)
                    {
                        self.0 = Some(value.value());
                    }
                }
            }
            syn::visit::visit_expr_struct(self, node);
        }
    }
    let mut find = Find(None);
    find.visit_block(block);
    find.0
}
