//! A typed, documented async client for the MongoDB Atlas Administration API v2.
//!
//! The operations, models and request builders are generated from an OpenAPI
//! description (`src/generated/`, written by `cargo xtask codegen`); the runtime beside
//! them (transport, authentication, retries, errors, pagination, validation) is written
//! by hand.
//!
//! - One method per operation on [`Client`], named after its `operationId`; required
//!   parameters are positional, optional ones are builder setters, `send()` performs the
//!   call.
//! - Credentials: HTTP Digest with an API key pair, a service account (OAuth 2.0 client
//!   credentials), a bearer token, or none. Secrets never appear in `Debug` output,
//!   errors or logs.
//! - Retries follow [`RetryPolicy`]: 429/503 honour `Retry-After`; other 5xx and
//!   transport failures are retried only for idempotent methods; POST and PATCH are
//!   never sent twice unless the request provably never left the client.
//! - One [`Error`] type; see [`Error::error_code`], [`Error::status`] and
//!   [`Error::is_retryable`].
//!
//! ```no_run
//! use std::time::Duration;
//! use atlas_admin::{Client, Credentials, RetryPolicy};
//!
//! # fn main() -> atlas_admin::Result<()> {
//! let client = Client::builder() // base URL defaults to https://cloud.mongodb.com
//!     .credentials(Credentials::service_account("mdb_sa_id_…", "mdb_sa_sk_…"))
//!     .timeout(Duration::from_secs(30))
//!     .retry_policy(RetryPolicy::default().max_retries(5))
//!     .build()?;
//! # let _ = client;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod auth;
mod client;
mod codec;
mod encode;
mod error;
// Formatted by prettyplease at generation time; rustfmt must not touch it (the freshness
// check compares bytes).
#[rustfmt::skip]
mod generated;
mod pagination;
mod retry;
pub mod validate;

pub use auth::Credentials;
pub use client::{Client, ClientBuilder, Response};
pub use error::{ApiErrorBody, Error, Result};
pub use generated::ErrorBody;
pub use retry::{Jitter, RetryPolicy};
pub use validate::Validate;

/// The API's types: one per named schema (structs, open enums, maps, aliases) and the
/// discriminated unions.
pub mod models {
    #[allow(
        unused_imports,
        reason = "the generated modules may be empty (placeholder or a spec without unions)"
    )]
    pub use crate::generated::{models::*, unions::*};
}

/// The request builder of every operation, returned by the [`Client`]
/// methods.
pub mod builders {
    #[allow(
        unused_imports,
        reason = "the generated module may be empty (placeholder or a spec without operations)"
    )]
    pub use crate::generated::operations::*;
}
