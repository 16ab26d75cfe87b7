//! The one error type of the client, [`Error`], and the [`ApiErrorBody`] trait that the
//! generated error body implements.
//!
//! Messages never contain credentials: bodies are quoted only as bounded excerpts
//! ([`excerpt`]) with secret-looking JSON values redacted, and no request header is ever
//! quoted.

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::generated::ErrorBody;
use crate::validate::Path;

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The longest body excerpt kept in an error, in bytes.
pub(crate) const EXCERPT_LIMIT: usize = 512;

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

    /// The request could not be sent or its answer not received (DNS, connection refused,
    /// TLS, connection reset, …).
    #[error("transport error: {source}")]
    Transport {
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },

    /// The request timed out (the client's `timeout` or `connect_timeout`).
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
            | Self::Decode { status, .. } => Some(*status),
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

struct DisplayStatus(Option<StatusCode>);

impl fmt::Display for DisplayStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(status) => write!(f, " (status {status})"),
            None => Ok(()),
        }
    }
}

/// A bounded, printable excerpt of a body: at most [`EXCERPT_LIMIT`] bytes, cut on a char
/// boundary and marked `…` when cut; invalid UTF-8 is replaced; the values of JSON keys
/// that look secret (`password`, `privateKey`, `*token`, `*secret`, …) become `***`.
pub(crate) fn excerpt(body: &[u8]) -> String {
    // Redact on a larger window first, so a value cut by the bound cannot leak its start.
    let window = String::from_utf8_lossy(&body[..body.len().min(EXCERPT_LIMIT * 8)]);
    let redacted = redact(&window);
    let text = redacted.trim();
    if text.len() <= EXCERPT_LIMIT && body.len() <= EXCERPT_LIMIT * 8 {
        return text.to_owned();
    }
    let mut end = text.len().min(EXCERPT_LIMIT);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

fn redact(text: &str) -> std::borrow::Cow<'_, str> {
    static SECRET_VALUE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = SECRET_VALUE.get_or_init(|| {
        Regex::new(
            r#"(?i)("[a-z_\-]*(?:password|secret|token|privatekey|private_key|apikey|api_key|authorization)[a-z_\-]*"\s*:\s*)"(?:[^"\\]|\\.)*(?:"|$)"#,
        )
        .ok()
    });
    match re {
        Some(re) => re.replace_all(text, r#"$1"***""#),
        None => std::borrow::Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_is_bounded_on_a_char_boundary() {
        let body = "é".repeat(EXCERPT_LIMIT);
        let e = excerpt(body.as_bytes());
        assert!(e.ends_with('…'));
        assert!(e.len() <= EXCERPT_LIMIT + '…'.len_utf8());
        assert!(e.trim_end_matches('…').chars().all(|c| c == 'é'));
        assert_eq!(excerpt(b"  short  "), "short");
        assert_eq!(excerpt(b"\xff ok"), "\u{fffd} ok");
    }

    #[test]
    fn excerpt_redacts_secret_looking_values() {
        let body = br#"{"publicKey":"abc","privateKey":"s3cr3t-\"x","access_token":"tok","n":1}"#;
        let e = excerpt(body);
        assert!(!e.contains("s3cr3t"), "{e}");
        assert!(!e.contains("tok\""), "{e}");
        assert!(e.contains(r#""publicKey":"abc""#), "{e}");
        assert!(e.contains(r#""privateKey":"***""#), "{e}");
        // A value cut by the window is redacted too.
        let cut = format!(r#"{{"client_secret":"{}"#, "x".repeat(10_000));
        assert!(!excerpt(cut.as_bytes()).contains("xxx"));
    }

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
