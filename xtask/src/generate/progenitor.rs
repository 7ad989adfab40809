//! Progenitor: takes the OpenAPI 3.0.3 document and the enums to declare open, gives
//! progenitor's client or httpmock extensions as tokens, its errors and panics (`todo!`s on
//! shapes it does not support) turned into errors on the page that declared what failed.

use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;

use super::enums::OpenEnum;
use crate::error::Error;
use crate::provenance::Provenance;

/// What to generate.
#[derive(Clone, Copy)]
pub(crate) enum Output {
    Client,
    /// httpmock extensions for the client in `crate::api`.
    Mocks,
}

/// progenitor's `output` for `spec`, from a fresh `Generator`: a reused one emits every type twice.
pub(crate) fn run(
    spec: &openapiv3::OpenAPI,
    enums: &[OpenEnum],
    output: Output,
    provenance: &Provenance,
) -> Result<TokenStream, Error> {
    IN_PROGENITOR.set(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut generator = Generator::new(&settings(enums));
        match output {
            Output::Client => generator.generate_tokens(spec),
            Output::Mocks => generator.httpmock(spec, "crate::api"),
        }
    }));
    IN_PROGENITOR.set(false);
    match result {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(provenance.error_naming(format!("progenitor cannot generate a client: {e}"))),
        Err(payload) => {
            let message = match crate::error::panic_message(payload.as_ref()) {
                message if message.is_empty() => "no message".to_string(),
                message => message,
            };
            Err(provenance.error_naming(format!("progenitor panicked: {message}")))
        }
    }
}

fn settings(enums: &[OpenEnum]) -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // The client's own `ClientHooks` impl (templates/client.rs) adds auth and retries.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(crate::ClientConfig));
    for open in enums {
        // typify would emit a closed enum; the open one is declared in `rewrite::client`.
        settings.with_replacement(
            &open.name,
            format!("crate::types::{}", open.name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

thread_local! {
    /// Whether this thread is inside progenitor, whose panics [`run`] reports as errors.
    static IN_PROGENITOR: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the current thread is inside progenitor: its panics come back as errors, so a
/// panic hook need not report them. Per thread: the library changes no process-wide state.
pub fn in_progenitor() -> bool {
    IN_PROGENITOR.get()
}
