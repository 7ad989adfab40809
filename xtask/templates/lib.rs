//! Typed async client for Baseten's management API, generated from Baseten's API reference
//! pages.
//!
//! Every operation is a method on [`Client`] that returns its request builder (in
//! [`requests`]): set its arguments, then `.send().await`. Required arguments and documented
//! bounds are checked at `send()`, before anything is sent: a missing argument, or one outside
//! its bounds (each argument's and field's docs say them), is an [`Error::InvalidRequest`] that
//! names it (and its setter, or its value and the bound). The result is a [`ResponseValue`] (which derefs to the typed body, and
//! carries the status and headers) or an [`Error`] naming the operation, the HTTP status and
//! what the server said; its cause, when it has one, is its
//! [`source()`](std::error::Error::source), so `anyhow`'s `{:#}` prints each part once.
//!
//! ## Operations by section
//!
//! As Baseten's API reference files them; each section is one `impl Client` block in
//! [`Client`]'s docs.
//!
//! codegen: sections
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
//! A request body is built in place with `body_map` (or passed whole with `body`); only the
//! fields set are sent. A call can carry its own timeouts and retry policy, on the same client
//! and connection pool:
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use baseten_management::{Client, Error, RetryPolicy};
//!
//! # async fn example(client: &Client) -> Result<(), Error> {
//! let updated = client
//!     .update_deployment_autoscaling_settings()
//!     .model_id("abc123")
//!     .deployment_id("xyz789")
//!     .body_map(|settings| settings.min_replica(0).max_replica(2))
//!     .attempt_timeout(Duration::from_secs(5))
//!     .operation_timeout(Duration::from_secs(20))
//!     .retry(RetryPolicy::default().max_attempts(2))
//!     .send()
//!     .await;
//! match updated {
//!     Ok(answer) => println!("{}: {}", answer.status, answer.message),
//!     // The status, Baseten's message and the response headers, for a support ticket.
//!     Err(Error::Api { status, message, .. }) if status.is_client_error() => {
//!         eprintln!("refused ({status}): {}", message.as_deref().unwrap_or("no message"));
//!     }
//!     Err(error) => {
//!         eprintln!("{error} (request id {})", error.request_id().unwrap_or("none"));
//!         return Err(error);
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
// codegen: with training {
//! A nested body is built from the builders of its parts, each passed where its field goes
//! (required or not); a field takes its value (a `&str` for a string), or its type's builder, and
//! `set_*` takes an `Option` as it is. Only the fields set are sent:
//!
//! ```no_run
//! use baseten_management::types::{
//!     CreateTrainingJobAcceleratorV1, CreateTrainingJobComputeV1, CreateTrainingJobImageV1, CreateTrainingJobV1,
//! };
//! use baseten_management::{Client, Error};
//!
//! # async fn example(client: &Client, priority: Option<i64>) -> Result<(), Error> {
//! let job = CreateTrainingJobV1::builder()
//!     .name("fine-tune")
//!     .image(CreateTrainingJobImageV1::builder().base_image("pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime"))
//!     .compute(
//!         CreateTrainingJobComputeV1::builder()
//!             .node_count(1)
//!             .accelerator(CreateTrainingJobAcceleratorV1::builder().accelerator("H100").count(8)),
//!     )
//!     .set_priority(priority); // an Option from elsewhere: None sends none
//! let created = client
//!     .create_training_project_job()
//!     .training_project_id("p1")
//!     .body_map(|body| body.training_job(job))
//!     .send()
//!     .await?;
//! println!("training job {} created", created.training_job.id);
//! # Ok(())
//! # }
//! ```
//!
// codegen: }
// codegen: with promotion {
//! Promote a development deployment to production, then wait until the deployment the promotion
//! builds is ready (`ACTIVE`, or `SCALED_TO_ZERO`, which wakes on the first request;
//! [`Wait::active_only`] waits for `ACTIVE`) and serves production. Production keeps its previous
//! deployment, already `ACTIVE`, until then, so wait on the deployment the promotion answers,
//! not on production ([`Client`]'s *Waiting* says what to wait on after each
//! action):
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use baseten_management::{Client, Wait, WaitErrorKind};
//!
//! # async fn example(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
//! let promoted = client.promote_development_deployment().model_id("abc123").send().await?;
//! let wait = Wait::default().deadline(Duration::from_secs(20 * 60));
//! match client.wait_for_promotion("abc123", &promoted.id, "production", &wait).await {
//!     Ok(deployment) => println!("{} serves production, {}", deployment.id, deployment.status),
//!     Err(error) if matches!(error.kind, WaitErrorKind::Failed { retryable: true }) => {
//!         client.retry_deployment().model_id("abc123").deployment_id(&promoted.id).send().await?;
//!     }
//!     Err(error) => return Err(error.into()), // names the deployment, its last status, the time waited
//! }
//! # Ok(())
//! # }
//! ```
//!
//! After an action on a deployment that already exists (an autoscaling update, an activation, a
//! retry), its first reads may still show it as it was: `ACTIVE` before `UPDATING`, `INACTIVE`
//! before `WAKING_UP`. Each waiter's `_until` form judges no status until the answer shows what
//! the action changes (`examples/reconcile.rs` waits until the settings it sent read back).
//!
// codegen: }
// codegen: with logs {
//! A logs call's builder has `.stream()`, every line of its time window oldest first and each
//! once (however the server pages, however many lines share a millisecond), and
//! `.follow(&Follow)`, the lines as they arrive, in bounded memory; a training job's follow ends
//! a grace after the job (`examples/train.rs` follows one while waiting for it):
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use baseten_management::{Client, Error, Follow};
//! use futures::TryStreamExt;
//!
//! # async fn example(client: &Client) -> Result<(), Error> {
//! let logs = client.list_training_project_job_logs().training_project_id("p1").training_job_id("j1");
//! let mut lines = logs.follow(&Follow::default().deadline(Duration::from_secs(60 * 60)));
//! while let Some(line) = lines.try_next().await? {
//!     println!("{}", line.message);
//! }
//! # Ok(())
//! # }
//! ```
//!
// codegen: }
// codegen: with streams {
//! A paginated list's builder has `.stream()`: every item of every page, the cursor followed
//! with the call's other arguments on each page:
//!
//! ```no_run
//! use baseten_management::{Client, Error};
//! use futures::TryStreamExt;
//!
//! # async fn example(client: &Client) -> Result<(), Error> {
//! let mut items = client.list_users().limit(100).stream();
//! while let Some(item) = items.try_next().await? {
//!     println!("{item:?}");
//! }
//! # Ok(())
//! # }
//! ```
//!
// codegen: }
//! The types are `#[non_exhaustive]`, so a docs update that adds a field breaks no caller; a
//! test fixture is built through the type's builder (`DeploymentV1::builder()` starts a
//! `types::builders::DeploymentV1Builder`), in which a field the docs allow `null` in starts as
//! `None`. Timestamps are [`chrono`]'s, re-exported; `chrono::Utc::now()` needs chrono's `clock`
//! feature, which the `mock` feature turns on (or add `chrono = { version = "0.4", features =
//! ["clock"] }` to your dev-dependencies: features add up).
//!
//! # Behaviour
//! - **Auth**: [`Client::with_api_key`], [`Client::from_env`] or [`Client::builder`]. Each
//!   operation sends `Authorization: Api-Key <key>` or `Bearer <key>`, as its page declares.
//!   The header is marked sensitive, and neither `Debug` nor any error shows the key.
//! - **Retries** ([`RetryPolicy`]): a `429` waits for the server's `retry_after`, for every
//!   method; connection errors and `502`/`503`/`504` back off and retry for idempotent methods
//!   only. At most 3 attempts and 60 s of waiting by default.
//! - **Timeouts**: 10 s to connect and 60 s per attempt (each retry gets a fresh one); an
//!   operation timeout over all attempts and waits is off unless set
//!   ([`ClientBuilder::operation_timeout`], or `.operation_timeout(..)` on one call), and ends a
//!   call with [`Error::Timeout`].
//! - **Only what you set**: a request field left unset is not sent, whatever default the
//!   reference documents (the field's docs say what the server uses then): the server's current
//!   default applies.
//! - **Forward compatibility**: string enums keep values the reference does not list (yet) in
//!   an `Unknown` variant; unknown fields are ignored.
//! - **Errors** ([`Error`]): an answer outside the documented ones keeps its status, Baseten's
//!   message and the headers ([`Error::request_id`]); a body that is not the documented JSON
//!   names the status, the content type and how the body starts.
//! - **Tracing**: each call is a `tracing` span `request` (target `baseten_management`) with
//!   OpenTelemetry's HTTP client fields (`http.request.method`, `url.template`,
//!   `http.response.status_code`, `http.request.resend_count`, `error.type`) and
//!   `baseten.operation`, `baseten.request_id`; each retry is a `WARN` event with its wait. With
//!   no `tracing` subscriber, the retries are `log` records.
//! - **TLS** by feature: `rustls` (the default, reqwest's own: aws-lc-rs), `rustls-ring` (no C
//!   toolchain; ring configured on this client only), `native-tls`. With several on, `native-tls`
//!   wins, then `rustls-ring` ([`TLS_BACKEND`] says which). [`ClientBuilder::http_client`] takes
//!   a `reqwest::Client` of your own instead; auth, retries and the User-Agent still apply.
#![cfg_attr(
    feature = "mock",
    doc = "- **Mocks**: with the `mock` feature, [`mock::MockServerExt`] adds a typed \
           [`httpmock`](https://docs.rs/httpmock) mock for every operation, with answers for \
           Baseten's errors and rate limits and mocks that answer in sequence: see [`mock`] for a test."
)]
#![cfg_attr(
    not(feature = "mock"),
    doc = "- **Mocks**: with the `mock` feature, `mock::MockServerExt` adds a typed \
           [`httpmock`](https://docs.rs/httpmock) mock for every operation, with answers for \
           Baseten's errors and rate limits and mocks that answer in sequence: see `mock` for a test."
)]
#![deny(missing_docs)]

#[cfg(feature = "mock")]
mod answers;
mod api;
mod bounds;
mod call;
mod client;
mod error;
#[cfg(feature = "mock")]
pub mod mock;
mod open_enum;
mod retry;
mod tls;
// codegen: with logs {
mod logs;
// codegen: }
// codegen: with waiters {
mod wait;
// codegen: }

pub use api::{Client, requests, types};
/// The `chrono` the types' timestamps are, for fixtures that build them (`chrono::DateTime<Utc>`).
#[doc(no_inline)]
pub use chrono;
pub use client::{API_KEY_VAR, AuthScheme, BASE_URL_VAR, ClientBuilder, ClientConfig};
pub use error::Error;
#[doc(inline)]
pub use progenitor_client::ResponseValue;
pub use reqwest::StatusCode;
pub use retry::RetryPolicy;
pub use tls::TLS_BACKEND;
// codegen: with logs {
pub use logs::{Follow, LogLine};
// codegen: }
// codegen: with waiters {
pub use api::lifecycles;
pub use wait::{KnownStatus, Lifecycle, Phase, Wait, WaitError, WaitErrorKind};
// codegen: }
