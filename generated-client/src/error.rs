//! The one error type of the client, [`Error`], and the [`ApiErrorBody`] trait that the
//! generated error body implements.
//!
//! Messages never contain credentials: bodies are quoted only as bounded excerpts, and
//! everything taken from an answer is scrubbed of the client's secrets first (see
//! `crate::redact`); no request header is ever quoted.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::generated::ErrorBody;
use crate::redact::Redactor;
use crate::validate::Path;

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What the runtime needs from the generated error body type
/// (`crate::generated::ErrorBody`).
pub trait ApiErrorBody: serde::de::DeserializeOwned + fmt::Debug + Send + Sync + 'static {
    /// The application error code (`errorCode`), if the body carries one.
    fn error_code(&self) -> Option<&str> {
        None
    }

    /// A human-readable explanation (`detail`), if the body carries one; shown by
    /// `Display` of [`Error::Api`].
    fn detail(&self) -> Option<&str> {
        None
    }
}

impl ApiErrorBody for serde_json::Value {
    fn error_code(&self) -> Option<&str> {
        self.get("errorCode").and_then(serde_json::Value::as_str)
    }

    fn detail(&self) -> Option<&str> {
        self.get("detail").and_then(serde_json::Value::as_str)
    }
}

/// Everything that can go wrong with a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status the operation documents, and a body of the
    /// documented error shape.
    #[error("{}", DisplayApi { status: *status, body })]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The decoded error body (`errorCode`, `reason`, `detail`, …).
        body: Box<ErrorBody>,
        /// The response headers (request id, `Retry-After`, rate limits, …).
        headers: Box<HeaderMap>,
    },

    /// An answer the operation does not describe: an undocumented status, a body that is
    /// not JSON (an HTML proxy page, say), or an empty body where one is required.
    #[error(
        "unexpected response {status} ({}){}",
        content_type.as_deref().unwrap_or("no content type"),
        DisplayExcerpt(excerpt)
    )]
    UnexpectedResponse {
        /// The HTTP status.
        status: StatusCode,
        /// The `Content-Type` of the answer, if any.
        content_type: Option<String>,
        /// The beginning of the body (bounded, secrets redacted), `…`-terminated when cut.
        excerpt: String,
    },

    /// A JSON body that does not match the type the operation promises.
    #[error(
        "cannot decode the {status} response body at `{path}`: {message}{}",
        DisplayExcerpt(excerpt)
    )]
    Decode {
        /// The HTTP status.
        status: StatusCode,
        /// Where in the document decoding failed (`results[3].id`; `.` for the root).
        path: String,
        /// The serde error message.
        message: String,
        /// The beginning of the body (bounded, secrets redacted), `…`-terminated when cut.
        excerpt: String,
        /// The underlying serde error.
        #[source]
        source: serde_json::Error,
    },

    /// A response body longer than the client accepts
    /// ([`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size)). Reading
    /// stopped at the limit (or before reading anything, when `Content-Length` announced
    /// more); the rest of the body was never read.
    #[error(
        "the {status} response body is larger than the limit of {limit} bytes \
         (ClientBuilder::max_body_size){}",
        DisplayLength(*content_length)
    )]
    BodyTooLarge {
        /// The HTTP status.
        status: StatusCode,
        /// The limit, in bytes.
        limit: usize,
        /// The `Content-Length` the server announced, if any.
        content_length: Option<u64>,
    },

    /// The request could not be sent or its answer not received (DNS, connection refused,
    /// TLS, connection reset, …).
    #[error("transport error: {source}")]
    Transport {
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },

    /// The request timed out: connecting (`connect_timeout`), waiting for the answer or
    /// for more of its body (`read_timeout`), one attempt (`timeout`), or the whole call,
    /// retries and their waits included (`call_timeout`); see
    /// [`ClientBuilder`](crate::ClientBuilder).
    #[error("the request timed out: {source}")]
    Timeout {
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },

    /// An argument was rejected before any request was sent.
    #[error("invalid argument `{parameter}`: {rule}")]
    InvalidArgument {
        /// The parameter or body location, e.g. `groupId` or `body.criteria.expireAfterDays`.
        parameter: String,
        /// The rule it breaks, e.g. `must match ^([a-f0-9]{24})$`.
        rule: String,
    },

    /// The credentials could not be used: the token endpoint refused them, a Digest
    /// challenge was malformed, ….
    #[error("credentials error: {reason}{}", DisplayStatus(*status))]
    Credentials {
        /// What went wrong.
        reason: String,
        /// The HTTP status of the answer that refused them, if any.
        status: Option<StatusCode>,
        /// The beginning of that answer's body (bounded, secrets redacted).
        body_excerpt: Option<String>,
    },

    /// The operation needs credentials the client was not given (see
    /// [`Credentials`](crate::Credentials)); nothing was sent. Built with
    /// [`Credentials::none`](crate::Credentials::none), a client sends every request
    /// without credentials instead.
    #[error(
        "operation `{operation}` needs credentials for {}; the client's credentials satisfy none of these",
        DisplayAlternatives(alternatives)
    )]
    MissingCredentials {
        /// The operation id.
        operation: String,
        /// The alternatives the operation accepts (any one), each the security schemes
        /// (by their names in the API description) it needs together.
        alternatives: Vec<Vec<String>>,
    },

    /// The request body could not be serialized as JSON.
    #[error("cannot serialize the request body: {source}")]
    Encode {
        /// The underlying serde error.
        #[source]
        source: serde_json::Error,
    },

    /// The client is misconfigured (bad base URL, plain `http://` to a remote host, …).
    #[error("invalid client configuration: {message}")]
    Config {
        /// What is wrong and how to fix it.
        message: String,
    },
}

impl Error {
    /// A validation failure at `at` (rendered as the parameter name), breaking `rule`.
    pub fn invalid_argument(at: &Path<'_>, rule: String) -> Self {
        Self::InvalidArgument {
            parameter: at.to_string(),
            rule,
        }
    }

    /// A credentials failure. `body_excerpt` is bounded again and redacted here.
    pub fn credentials(
        reason: impl Into<String>,
        status: Option<StatusCode>,
        body_excerpt: Option<String>,
    ) -> Self {
        Self::Credentials {
            reason: reason.into(),
            status,
            body_excerpt: body_excerpt.map(|e| excerpt(e.as_bytes())),
        }
    }

    /// A transport failure; a timeout becomes [`Error::Timeout`].
    pub fn transport(source: reqwest::Error) -> Self {
        if source.is_timeout() {
            Self::Timeout { source }
        } else {
            Self::Transport { source }
        }
    }

    /// This error with every text taken from an answer scrubbed of `redactor`'s secrets
    /// and every header value holding one marked sensitive: the one gate all errors of a
    /// call pass through (bodies are scrubbed structurally before, where they are decoded).
    pub(crate) fn scrubbed(self, redactor: &Redactor) -> Self {
        let clean = |text: String| match redactor.text(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(clean) => clean,
        };
        match self {
            Self::Api {
                status,
                body,
                mut headers,
            } => {
                redactor.headers(&mut headers);
                Self::Api {
                    status,
                    body,
                    headers,
                }
            }
            Self::UnexpectedResponse {
                status,
                content_type,
                excerpt,
            } => Self::UnexpectedResponse {
                status,
                content_type: content_type.map(clean),
                excerpt: clean(excerpt),
            },
            Self::Decode {
                status,
                path,
                message,
                excerpt,
                source,
            } => Self::Decode {
                status,
                path: clean(path),
                message: clean(message),
                excerpt: clean(excerpt),
                source,
            },
            Self::Credentials {
                reason,
                status,
                body_excerpt,
            } => Self::Credentials {
                reason: clean(reason),
                status,
                body_excerpt: body_excerpt.map(clean),
            },
            Self::Transport { source } => Self::Transport {
                source: scrub_url(source, redactor),
            },
            Self::Timeout { source } => Self::Timeout {
                source: scrub_url(source, redactor),
            },
            other => other,
        }
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::Config {
            message: message.into(),
        }
    }

    /// The application error code (`errorCode`) of an [`Error::Api`].
    pub fn error_code(&self) -> Option<&str> {
        match self {
            Self::Api { body, .. } => body.error_code(),
            _ => None,
        }
    }

    /// The HTTP status of the answer behind this error, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. }
            | Self::UnexpectedResponse { status, .. }
            | Self::Decode { status, .. }
            | Self::BodyTooLarge { status, .. } => Some(*status),
            Self::Credentials { status, .. } => *status,
            Self::Transport { source } | Self::Timeout { source } => source.status(),
            _ => None,
        }
    }

    /// The decoded error body of an [`Error::Api`].
    pub fn api_error(&self) -> Option<&ErrorBody> {
        match self {
            Self::Api { body, .. } => Some(body),
            _ => None,
        }
    }

    /// The `X-Request-Id` header of an [`Error::Api`], when the server sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api { headers, .. } => headers.get("x-request-id")?.to_str().ok(),
            _ => None,
        }
    }

    /// Whether sending the same request again later may succeed: rate limiting (429),
    /// server errors (5xx), transport failures and timeouts. The client already retried
    /// these as far as its [`RetryPolicy`](crate::RetryPolicy) allows.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Transport { .. } | Self::Timeout { .. } => true,
            Self::Api { status, .. }
            | Self::UnexpectedResponse { status, .. }
            | Self::Credentials {
                status: Some(status),
                ..
            } => *status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error(),
            _ => false,
        }
    }
}

struct DisplayApi<'a> {
    status: StatusCode,
    body: &'a ErrorBody,
}

impl fmt::Display for DisplayApi<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "API error {}", self.status)?;
        if let Some(code) = self.body.error_code() {
            write!(f, " {code}")?;
        }
        if let Some(detail) = self.body.detail() {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

struct DisplayAlternatives<'a>(&'a [Vec<String>]);

impl fmt::Display for DisplayAlternatives<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, alternative) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", or ")?;
            }
            for (j, scheme) in alternative.iter().enumerate() {
                if j > 0 {
                    f.write_str(" and ")?;
                }
                write!(f, "`{scheme}`")?;
            }
        }
        Ok(())
    }
}

struct DisplayExcerpt<'a>(&'a str);

impl fmt::Display for DisplayExcerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str(", empty body")
        } else {
            write!(f, ", body: {}", self.0)
        }
    }
}

struct DisplayLength(Option<u64>);

impl fmt::Display for DisplayLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(length) => write!(f, "; it announced {length} bytes"),
            None => Ok(()),
        }
    }
}

struct DisplayStatus(Option<StatusCode>);

impl fmt::Display for DisplayStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(status) => write!(f, " (status {status})"),
            None => Ok(()),
        }
    }
}

/// `source` with the URL it quotes scrubbed: a query value holding a secret (an API key
/// sent in the query string) becomes `***`.
fn scrub_url(mut source: reqwest::Error, redactor: &Redactor) -> reqwest::Error {
    if let Some(url) = source.url_mut() {
        redactor.url(url);
    }
    source
}

/// A bounded, printable excerpt of a body, with secret-looking JSON values redacted (see
/// `Redactor::excerpt`; the client's own secrets are scrubbed where it knows them).
pub(crate) fn excerpt(body: &[u8]) -> String {
    Redactor::none().excerpt(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers_read_the_api_body() {
        let err = Error::Api {
            status: StatusCode::NOT_FOUND,
            // Built from JSON so the test holds whatever type the spec's error body is.
            body: Box::new(
                serde_json::from_value(serde_json::json!({
                    "errorCode": "GROUP_NOT_FOUND", "detail": "No group with ID 1.", "error": 404,
                    "reason": "Not Found"
                }))
                .unwrap(),
            ),
            headers: Box::new(HeaderMap::new()),
        };
        assert_eq!(err.error_code(), Some("GROUP_NOT_FOUND"));
        assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
        assert!(!err.is_retryable());
        assert_eq!(
            err.to_string(),
            "API error 404 Not Found GROUP_NOT_FOUND: No group with ID 1."
        );
        let err = Error::UnexpectedResponse {
            status: StatusCode::BAD_GATEWAY,
            content_type: Some("text/html".into()),
            excerpt: "<html>".into(),
        };
        assert!(err.is_retryable());
        assert_eq!(
            err.to_string(),
            "unexpected response 502 Bad Gateway (text/html), body: <html>"
        );
    }

    #[test]
    fn invalid_argument_names_the_path() {
        let body = Path::Body;
        let field = Path::Field(&body, "name");
        let err = Error::invalid_argument(&field, "length must be at most 64".into());
        assert_eq!(
            err.to_string(),
            "invalid argument `body.name`: length must be at most 64"
        );
    }

    #[test]
    fn credentials_error_bounds_its_excerpt() {
        let err = Error::credentials(
            "token endpoint refused the client",
            Some(StatusCode::UNAUTHORIZED),
            Some("y".repeat(2000)),
        );
        let Error::Credentials { body_excerpt, .. } = &err else {
            panic!("{err:?}")
        };
        assert!(body_excerpt.as_ref().is_some_and(|e| e.len() < 600));
        assert_eq!(
            err.to_string(),
            "credentials error: token endpoint refused the client (status 401 Unauthorized)"
        );
    }
}
