//! [`Client`], its [`ClientBuilder`], and the request interface generated operations use:
//! [`RequestSpec`] in, [`Response`] (or [`Error`]) out.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use url::Url;

use crate::auth::Authenticator;
use crate::redact::Redactor;
use crate::{Credentials, Error, RetryPolicy};

pub(crate) mod body;
mod builder;
mod decode;
#[cfg(test)]
mod fuzz_tests;
#[cfg(test)]
mod multipart_tests;
mod send;
#[cfg(test)]
mod tests;

pub(crate) use builder::is_loopback;
pub use builder::ClientBuilder;

/// A client of the API. Cheap to clone (an `Arc` inside) and safe to share across tasks;
/// clones share the connection pool and the credentials' state (cached OAuth token,
/// Digest challenge).
///
/// ```no_run
/// # async fn demo() -> atlas_admin::Result<()> {
/// use atlas_admin::{Client, Credentials};
///
/// let client = Client::builder()
///     .credentials(Credentials::digest("public-key", "private-key"))
///     .timeout(std::time::Duration::from_secs(30))
///     .build()?;
/// # let _ = client;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: Url,
    auth: Authenticator,
    retry: RetryPolicy,
    /// Per attempt (`ClientBuilder::timeout`).
    timeout: Option<Duration>,
    /// Per call, retries included (`ClientBuilder::call_timeout`).
    call_timeout: Option<Duration>,
    /// As configured on the HTTP client (`ClientBuilder::read_timeout`), for `Debug`.
    read_timeout: Option<Duration>,
    max_body_size: usize,
    user_agent: HeaderValue,
    validate_arguments: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Credentials and their derived state are deliberately left out.
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("user_agent", &self.inner.user_agent)
            .field("timeout", &self.inner.timeout)
            .field("call_timeout", &self.inner.call_timeout)
            .field("read_timeout", &self.inner.read_timeout)
            .field("max_body_size", &self.inner.max_body_size)
            .field("retry_policy", &self.inner.retry)
            .field("validate_arguments", &self.inner.validate_arguments)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with the defaults: the API's base URL, no credentials, the default
    /// [`RetryPolicy`], a 60 s limit per call (retries included), 10 s to connect, 30 s
    /// to wait for an answer or for more of its body, 32 MiB per body (see
    /// [`ClientBuilder`]).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client with the defaults and `credentials`; the same as
    /// `Client::builder().credentials(credentials).build()`.
    pub fn new(credentials: Credentials) -> Result<Self, Error> {
        Self::builder().credentials(credentials).build()
    }

    /// Whether builders check arguments against the spec's rules before sending
    /// (see [`ClientBuilder::validate_arguments`]).
    pub fn validates_arguments(&self) -> bool {
        self.inner.validate_arguments
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// Sends `spec` (with retries and authentication) and decodes a 2xx JSON body into `T`.
    ///
    /// An empty 2xx body decodes as JSON `null` (so `T = ()` or `Option<_>` accept it);
    /// a 2xx body that is not JSON (`application/json` or `application/*+json`) is an
    /// [`Error::UnexpectedResponse`].
    pub(crate) async fn execute<T: serde::de::DeserializeOwned>(
        &self,
        spec: RequestSpec,
    ) -> Result<Response<T>, Error> {
        let raw = self.send(spec, send::Wanted::Body).await?;
        let body = decode::json_body(&raw)?;
        Ok(raw.with_body(body))
    }

    /// Sends `spec` (with retries and authentication); any 2xx body is ignored (not read
    /// beyond what has already arrived).
    pub(crate) async fn execute_empty(&self, spec: RequestSpec) -> Result<Response<()>, Error> {
        let raw = self.send(spec, send::Wanted::Nothing).await?;
        Ok(raw.with_body(()))
    }

    /// Sends `spec` (with retries and authentication) and returns the 2xx body as is, for
    /// operations whose success body is not JSON (`text/html`, `application/octet-stream`…).
    pub(crate) async fn execute_bytes(&self, spec: RequestSpec) -> Result<Response<Bytes>, Error> {
        let mut raw = self.send(spec, send::Wanted::Body).await?;
        let body = std::mem::take(&mut raw.body);
        Ok(raw.with_body(body))
    }

    /// Sends `spec` for an operation whose documented answer is a redirect (`302` to a
    /// download URL): a 2xx or 3xx answer is returned, body ignored; read `Location` from
    /// [`Response::headers`]. The client does not follow the redirect itself.
    pub(crate) async fn execute_redirect(&self, spec: RequestSpec) -> Result<Response<()>, Error> {
        let raw = self.send(spec, send::Wanted::Redirect).await?;
        Ok(raw.with_body(()))
    }
}

/// One call of an operation, as generated code describes it.
#[derive(Debug, Clone)]
pub struct RequestSpec {
    /// The spec's operationId (for tracing).
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template with its parameters' values, joined by the runtime.
    pub path: Vec<PathPart>,
    /// The query, header and cookie parameters with their values, encoded by the runtime
    /// (path parameters are in `path`).
    pub params: crate::encode::Params,
    /// The `Accept` media type (versioned, or `application/json`).
    pub accept: &'static str,
    /// The request body, if any.
    pub body: Option<Body>,
    /// The non-2xx statuses the operation documents (their body is the error body).
    pub error_statuses: &'static [u16],
    /// Whether the operation documents `default`, `4XX` or `5XX` error answers.
    pub default_error: bool,
}

/// A piece of a request path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text from the path template, sent as is (may contain `/`).
    Literal(&'static str),
    /// A parameter value, percent-encoded as (part of) one segment.
    Param(String),
    /// A parameter with a `style` (`label`, `matrix`) or a value that is not one
    /// primitive (an array, an object): encoded by the runtime as that style says.
    Value(crate::encode::Param, crate::encode::Value),
}

/// A request body: its media type and bytes (cheap to clone for replays).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// Sent as `Content-Type`.
    pub content_type: &'static str,
    /// The encoded body.
    pub bytes: Bytes,
    /// A `multipart/form-data` body: its parts, encoded for each attempt with a fresh
    /// boundary (which its `Content-Type` carries); `bytes` is then empty. `None` for any
    /// other body.
    pub multipart: Option<crate::multipart::Form>,
}

/// A successful answer: status, headers and the decoded body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// The HTTP status (2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers (`RateLimit-*`, request id, …).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }

    /// The `X-Request-Id` header, when the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("x-request-id")?.to_str().ok()
    }
}

/// A received answer, body read (within bounds), not yet decoded.
#[derive(Debug, Clone)]
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    /// Values that hold a secret are marked sensitive.
    pub(crate) headers: HeaderMap,
    /// The body, or its first bytes when `complete` is false; empty when not read.
    pub(crate) body: Bytes,
    /// Whether `body` is the whole body.
    pub(crate) complete: bool,
    /// The secrets of the call, to scrub from any error built from this answer.
    pub(crate) redactor: Redactor,
}

impl RawResponse {
    fn with_body<T>(self, body: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            body,
        }
    }
}
