#![doc = include_str!("../README.md")]
#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[doc(hidden)]
pub mod __private;
mod auth;
mod client;
mod codec;
mod encode;
mod error;
// Formatted by prettyplease at generation time; rustfmt must not touch it (the freshness
// check compares bytes).
#[rustfmt::skip]
mod generated;
pub mod multipart;
mod pagination;
mod redact;
mod retry;
pub mod validate;

pub use auth::Credentials;
pub use client::{Client, ClientBuilder, Response};
pub use error::{ApiErrorBody, Error, Result};
pub use generated::ErrorBody;
pub use multipart::FilePart;
pub use retry::{Jitter, RetryPolicy};
pub use validate::Validate;

/// The API's types: one per named schema (structs, open enums, maps, aliases) and the
/// discriminated unions.
pub mod models {
    #[allow(
        unused_imports,
        reason = "the generated modules may be empty (a spec without unions)"
    )]
    pub use crate::generated::{models::*, unions::*};
}

/// The request builder of every operation, returned by the [`Client`]
/// methods.
pub mod builders {
    #[allow(
        unused_imports,
        reason = "the generated module may be empty (a spec without operations)"
    )]
    pub use crate::generated::operations::*;
}
