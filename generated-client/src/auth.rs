//! Authentication: the [`Credentials`] a user gives the client, and the per-client
//! authenticator that turns them into `Authorization` headers.
//!
//! - **Digest** (API key pair): RFC 7616 / RFC 2617 challenge-response; see `digest`
//!   (challenges and answers) and `digest_auth` (the stored challenge and nonce count).
//! - **Service account**: OAuth 2.0 client credentials with a cached, single-flight,
//!   refreshed-before-expiry bearer token; see `oauth`.
//! - **Bearer**: a static token.
//!
//! Secrets never appear in `Debug` output, errors or `tracing` events.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::Method;
use tokio::time::Instant;
use url::Url;

use crate::redact::Redactor;

mod challenge;
mod digest;
mod digest_auth;
mod oauth;

#[cfg(test)]
mod apache_tests;
#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;

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

#[derive(Clone)]
enum Kind {
    None,
    Bearer(Secret),
    Digest {
        public_key: String,
        private_key: Secret,
    },
    ServiceAccount {
        client_id: String,
        client_secret: Secret,
    },
}

/// How the client authenticates its requests.
///
/// `Debug` shows the kind and the public part (API public key, client id) but prints
/// `***` for every secret (private key, client secret, bearer token).
///
/// ```
/// use atlas_admin::Credentials;
///
/// let creds = Credentials::digest("abcdefgh", "0f0e0d0c-9a8b-s3cr3t");
/// let shown = format!("{creds:?}");
/// assert!(shown.contains("abcdefgh") && shown.contains("***"));
/// assert!(!shown.contains("s3cr3t"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    kind: Kind,
}

impl Credentials {
    /// No authentication: requests are sent without an `Authorization` header.
    pub fn none() -> Self {
        Self { kind: Kind::None }
    }

    /// A static bearer token, sent as `Authorization: Bearer <token>`.
    pub fn bearer(token: impl Into<String>) -> Self {
        Self {
            kind: Kind::Bearer(Secret::new(token.into())),
        }
    }

    /// An Atlas programmatic API key, used with HTTP Digest authentication
    /// (the public key is the user name, the private key the password).
    pub fn digest(public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        Self {
            kind: Kind::Digest {
                public_key: public_key.into(),
                private_key: Secret::new(private_key.into()),
            },
        }
    }

    /// An Atlas service account: the client exchanges the id and secret for a bearer token
    /// (OAuth 2.0 client credentials at `{base_url}/api/oauth/token`), caches it and
    /// refreshes it shortly before it expires.
    pub fn service_account(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            kind: Kind::ServiceAccount {
                client_id: client_id.into(),
                client_secret: Secret::new(client_secret.into()),
            },
        }
    }
}

impl Default for Credentials {
    /// The same as [`Credentials::none`].
    fn default() -> Self {
        Self::none()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::None => f.write_str("Credentials::None"),
            Kind::Bearer(token) => f.debug_tuple("Credentials::Bearer").field(token).finish(),
            Kind::Digest {
                public_key,
                private_key,
            } => f
                .debug_struct("Credentials::Digest")
                .field("public_key", public_key)
                .field("private_key", private_key)
                .finish(),
            Kind::ServiceAccount {
                client_id,
                client_secret,
            } => f
                .debug_struct("Credentials::ServiceAccount")
                .field("client_id", client_id)
                .field("client_secret", client_secret)
                .finish(),
        }
    }
}

enum Scheme {
    None,
    Bearer(Secret),
    Digest(digest_auth::DigestAuth),
    OAuth(Box<oauth::OAuth>),
}

/// Produces `Authorization` headers for one client (shared by all its clones) and reacts
/// to 401 answers.
pub(crate) struct Authenticator {
    scheme: Scheme,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.scheme {
            Scheme::None => f.write_str("Authenticator::None"),
            Scheme::Bearer(token) => f.debug_tuple("Authenticator::Bearer").field(token).finish(),
            Scheme::Digest(d) => f.debug_tuple("Authenticator::Digest").field(d).finish(),
            Scheme::OAuth(o) => f.debug_tuple("Authenticator::OAuth").field(o).finish(),
        }
    }
}

impl Authenticator {
    /// Builds the authenticator; `http` and `base_url` serve the service-account token
    /// request (`{base_url}/api/oauth/token`), sent with `user_agent`.
    pub(crate) fn new(
        credentials: Credentials,
        http: reqwest::Client,
        base_url: Url,
        user_agent: String,
    ) -> Self {
        let scheme = match credentials.kind {
            Kind::None => Scheme::None,
            Kind::Bearer(token) => Scheme::Bearer(token),
            Kind::Digest {
                public_key,
                private_key,
            } => Scheme::Digest(digest_auth::DigestAuth::new(public_key, private_key)),
            Kind::ServiceAccount {
                client_id,
                client_secret,
            } => Scheme::OAuth(Box::new(oauth::OAuth::new(
                client_id,
                client_secret,
                &base_url,
                http,
                user_agent,
            ))),
        };
        Self { scheme }
    }

    /// Every secret these credentials hold right now, to scrub from what servers send
    /// back: the bearer token, the Digest private key, the OAuth client secret (and its
    /// Basic credential) with the current and previous access tokens.
    pub(crate) fn redactor(&self) -> Redactor {
        let mut redactor = Redactor::none();
        match &self.scheme {
            Scheme::None => {}
            Scheme::Bearer(token) => redactor.add(token.expose()),
            Scheme::Digest(d) => d.add_secrets(&mut redactor),
            Scheme::OAuth(o) => o.add_secrets(&mut redactor),
        }
        redactor
    }

    /// The `Authorization` header for this request, if any.
    ///
    /// Bearer: the token. Service account: the cached token, fetched or refreshed as needed
    /// (one fetch for all concurrent callers, ending by `deadline` when the fetching call
    /// has one). Digest: an answer to the last challenge seen (next nonce count, new
    /// cnonce, `uri` = the request-target of `url`); `None` before the first challenge.
    /// The returned value is marked sensitive.
    pub(crate) async fn authorization(
        &self,
        method: &Method,
        url: &Url,
        deadline: Option<Instant>,
    ) -> Result<Option<HeaderValue>, crate::Error> {
        match &self.scheme {
            Scheme::None => Ok(None),
            Scheme::Bearer(token) => {
                let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                    .map_err(|_| {
                        crate::Error::credentials(
                            "the bearer token contains characters not allowed in a header",
                            None,
                            None,
                        )
                    })?;
                value.set_sensitive(true);
                Ok(Some(value))
            }
            Scheme::Digest(d) => d.authorization(method, url),
            Scheme::OAuth(o) => o.authorization(deadline).await.map(Some),
        }
    }

    /// Reacts to a 401 with its headers. `Ok(true)`: replay the request once with a fresh
    /// [`authorization`](Self::authorization); `Ok(false)`: give up.
    ///
    /// Digest stores the new challenge (also on `stale=true`); a 401 without any
    /// `WWW-Authenticate` gives up, a malformed or unsupported challenge is a credentials
    /// error. Service account drops the cached token so the next call refetches it (unless
    /// it was just replaced after an earlier 401). Bearer and none give up.
    pub(crate) async fn handle_unauthorized(
        &self,
        headers: &HeaderMap,
    ) -> Result<bool, crate::Error> {
        match &self.scheme {
            Scheme::None | Scheme::Bearer(_) => Ok(false),
            Scheme::Digest(d) => d.handle_unauthorized(headers),
            Scheme::OAuth(o) => Ok(o.handle_unauthorized()),
        }
    }
}
