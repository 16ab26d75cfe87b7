//! Authentication: the [`Credentials`] a user gives the client, the API's security schemes
//! as generated code describes them (`security`), and the per-client authenticator that
//! binds the one to the other and signs each request.
//!
//! - **Schemes** (`security`): the const table the generated crate emits, one entry per
//!   `components/securitySchemes` entry (kind, name, location, token URL, scopes), and for
//!   each operation the alternatives of its `security` requirement.
//! - **Binding** (`authenticator`): at build time each scheme takes the secret bound to it
//!   (generated per-scheme constructors) or the first one of a kind it accepts; per call
//!   the first alternative the credentials satisfy is chosen before anything is sent.
//! - **Digest** (API key pair): RFC 7616 / RFC 2617 challenge-response; see `digest`
//!   (challenges and answers) and `digest_auth` (the stored challenge and nonce count).
//! - **OAuth 2.0 client credentials** (Atlas service accounts): a cached, single-flight,
//!   refreshed-before-expiry bearer token from the scheme's token URL; see `oauth`.
//! - **Fixed values**: HTTP Basic, bearer tokens, other HTTP schemes' credentials, API
//!   keys in a header, the query string or a cookie.
//!
//! Secrets never appear in `Debug` output, errors or `tracing` events.

use std::fmt;

mod authenticator;
mod challenge;
mod credentials;
mod digest;
mod digest_auth;
mod oauth;
pub(crate) mod security;

#[cfg(test)]
mod apache_tests;
#[cfg(test)]
mod scheme_tests;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;

pub(crate) use authenticator::{Authenticator, Context, Plan};
pub use credentials::Credentials;

/// A secret string whose `Debug` prints `***`.
#[derive(Clone)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: String) -> Self {
        Self(value)
    }

    /// The secret itself; only for computing wire values, never for display.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}
