//! Typed async client for Baseten's management API, generated from Baseten's API reference
//! pages.
//!
//! Every operation is a method on [`Client`] that returns a builder: set its arguments, then
//! `.send().await`. The result is a [`ResponseValue`] (which derefs to the typed body, and
//! carries the status and headers) or an [`Error`] naming the operation, the HTTP status and
//! what the server said.
//!
//! ```no_run
//! use baseten_management::{Client, Error, StatusCode};
//!
//! # async fn example() -> Result<(), Error> {
//! // The key from BASETEN_API_KEY (an error naming the variable when it is unset or empty).
//! let client = Client::from_env()?;
//!
//! let models = client.list_models().send().await?;
//! for model in &models.models {
//!     println!("{} {} ({} deployments)", model.id, model.name, model.deployments_count);
//! }
//!
//! match client.get_development_deployment().model_id("abc123").send().await {
//!     Ok(deployment) => println!("development deployment is {}", deployment.status),
//!     Err(Error::Api { status: StatusCode::NOT_FOUND, .. }) => println!("no development deployment"),
//!     Err(error) if error.is_rate_limited() => eprintln!("slow down: {error}"),
//!     Err(error) => return Err(error),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Behaviour
//! - **Auth**: [`Client::with_api_key`], [`Client::from_env`] or [`Client::builder`]. Each
//!   operation sends `Authorization: Api-Key <key>` or `Bearer <key>`, as its page declares.
//!   The header is marked sensitive, and neither `Debug` nor any error shows the key.
//! - **Retries** ([`RetryPolicy`]): a `429` waits for the server's `retry_after`, for every
//!   method; connection errors and `502`/`503`/`504` back off and retry for idempotent methods
//!   only. At most 3 attempts and 60 s of waiting by default.
//! - **Timeouts**: 10 s to connect, 60 s per attempt, both configurable on [`ClientBuilder`].
//! - **Only what you set**: a request field left unset is not sent, whatever default the
//!   reference documents (the field's docs say what the server uses then): the server's current
//!   default applies.
//! - **Forward compatibility**: string enums keep values the reference does not list (yet) in
//!   an `Unknown` variant; unknown fields are ignored.
#![cfg_attr(
    feature = "mock",
    doc = "- **Mocks**: with the `mock` feature, [`mock::MockServerExt`] adds a typed \
           [`httpmock`](https://docs.rs/httpmock) mock for every operation."
)]
#![cfg_attr(
    not(feature = "mock"),
    doc = "- **Mocks**: with the `mock` feature, `mock::MockServerExt` adds a typed \
           [`httpmock`](https://docs.rs/httpmock) mock for every operation."
)]
#![deny(missing_docs)]

#[cfg(feature = "mock")]
mod answers;
mod api;
mod call;
mod client;
mod error;
#[cfg(feature = "mock")]
pub mod mock;
mod open_enum;
mod retry;
mod tls;

pub use api::{Client, builder, types};
pub use client::{API_KEY_VAR, AuthScheme, BASE_URL_VAR, ClientBuilder, ClientConfig};
pub use error::Error;
#[doc(no_inline)]
pub use progenitor_client::ResponseValue;
pub use reqwest::StatusCode;
pub use retry::RetryPolicy;
pub use tls::TLS_BACKEND;
