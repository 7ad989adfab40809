//! TLS: takes a `reqwest::ClientBuilder`, gives it the backend the crate's features choose. The
//! first of `native-tls`, `rustls-ring`, `rustls` that is on wins (features only add, so a
//! dependency graph may turn on several); with none, the crate does not compile.

#[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
compile_error!(
    "baseten-management needs a TLS backend: turn on one of its features `rustls` (the default), \
     `rustls-ring` (no aws-lc-sys build) or `native-tls`"
);

/// The TLS backend the features chose: `"native-tls"`, `"rustls-ring"` or `"rustls"` (with
/// aws-lc-rs). A client given to [`ClientBuilder::http_client`](crate::ClientBuilder::http_client)
/// keeps its own.
pub const TLS_BACKEND: &str = if cfg!(feature = "native-tls") {
    "native-tls"
} else if cfg!(feature = "rustls-ring") {
    "rustls-ring"
} else {
    "rustls"
};

#[cfg(feature = "native-tls")]
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, String> {
    Ok(builder.tls_backend_native())
}

/// rustls on the ring provider, set on this client alone: installing it as the process's
/// default provider would decide for the whole application.
#[cfg(all(feature = "rustls-ring", not(feature = "native-tls")))]
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, String> {
    use rustls_platform_verifier::BuilderVerifierExt;

    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|config| config.with_platform_verifier());
    let mut config = config
        .map_err(|e| format!("cannot set up rustls with the platform's verifier: {e}"))?
        .with_no_client_auth();
    // As reqwest sets it for its own rustls config, HTTP/2 being off.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(builder.tls_backend_preconfigured(config))
}

#[cfg(all(feature = "rustls", not(any(feature = "rustls-ring", feature = "native-tls"))))]
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, String> {
    Ok(builder.tls_backend_rustls())
}

#[cfg(not(any(feature = "rustls", feature = "rustls-ring", feature = "native-tls")))]
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, String> {
    Ok(builder)
}
