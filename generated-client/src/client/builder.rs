//! [`ClientBuilder`]: configuration checked once, in [`ClientBuilder::build`].

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use url::{Host, Url};

use super::{Client, Inner};
use crate::auth::security::Security;
use crate::auth::{Authenticator, Context};
use crate::{Credentials, Error, RetryPolicy};

/// The default `User-Agent`: `<package>/<version>`.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The default connect timeout of the HTTP client the builder creates.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The default read timeout of the HTTP client the builder creates.
const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// The default limit of one call, retries and their waits included.
const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// Configures and builds a [`Client`]; see [`Client::builder`].
///
/// Every call is bounded in time and memory by default:
///
/// | knob | default | bounds |
/// |---|---|---|
/// | [`call_timeout`](Self::call_timeout) | 60 s | a whole call: every attempt, the backoff and `Retry-After` waits between them, the token fetch |
/// | [`timeout`](Self::timeout) | none (the call's limit applies) | one attempt, from connecting until its body is read |
/// | [`connect_timeout`](Self::connect_timeout) | 10 s | establishing a connection |
/// | [`read_timeout`](Self::read_timeout) | 30 s | waiting for the answer's head, then for each piece of its body |
/// | [`max_body_size`](Self::max_body_size) | 32 MiB | one response body held in memory |
///
/// A server that stalls (sends part of its headers, stops in the middle of a body, never
/// answers, or trickles bytes) makes a call with the defaults end with
/// [`Error::Timeout`] after at most 60 s, retries included. Limits can be lifted only
/// explicitly ([`without_call_timeout`](Self::without_call_timeout),
/// [`without_read_timeout`](Self::without_read_timeout)).
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    base_url: String,
    credentials: Credentials,
    timeout: Option<Duration>,
    call_timeout: Option<Duration>,
    /// `None`: the default; `Some(None)`: explicitly none.
    read_timeout: Option<Option<Duration>>,
    max_body_size: usize,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
    user_agent: String,
    allow_insecure_http: bool,
    validate_arguments: bool,
    http: Option<reqwest::Client>,
    /// The API's security schemes (the generated table; tests substitute their own).
    security: Security,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientBuilder {
    /// The defaults (see [`Client::builder`]).
    pub fn new() -> Self {
        Self {
            base_url: crate::generated::DEFAULT_BASE_URL.to_owned(),
            credentials: Credentials::none(),
            timeout: None,
            call_timeout: Some(DEFAULT_CALL_TIMEOUT),
            read_timeout: None,
            max_body_size: super::body::DEFAULT_MAX_BODY_SIZE,
            connect_timeout: None,
            retry: RetryPolicy::default(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            allow_insecure_http: false,
            validate_arguments: true,
            http: None,
            security: crate::generated::security::SECURITY,
        }
    }

    /// Uses `security` instead of the generated scheme table (runtime tests of schemes the
    /// bundled spec does not have).
    #[cfg(test)]
    pub(crate) fn security(mut self, security: Security) -> Self {
        self.security = security;
        self
    }

    /// The server to talk to (a proxy, a mock server in tests, …). Its path is kept as a
    /// prefix of every request path. It must be `https://`, or `http://` to a loopback
    /// host (`127.0.0.0/8`, `::1`, `localhost`) unless
    /// [`allow_insecure_http`](Self::allow_insecure_http) is set, and must carry no user
    /// name, password, query or fragment.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Self {
        self.base_url = url.as_ref().to_owned();
        self
    }

    /// How requests are authenticated (default [`Credentials::none`]).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// The limit for one attempt of a request, from connecting until the whole answer is
    /// read (default: none, so only [`call_timeout`](Self::call_timeout) bounds an
    /// attempt). Retried attempts each get the full time, within the call's limit. A
    /// server that trickles its answer byte by byte is stopped by this limit or the call's,
    /// not by [`read_timeout`](Self::read_timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The limit for a whole call (default 60 s): from the start of `send` until the answer
    /// is decoded, covering every attempt, the backoff and `Retry-After` waits between
    /// them, Digest replays and the service-account token fetch. A retry whose wait would
    /// end past the limit is not made: the call returns the last answer's error at once.
    /// An attempt cut short by the limit ends with [`Error::Timeout`].
    /// `Duration::MAX` is the same as [`without_call_timeout`](Self::without_call_timeout).
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = Some(timeout);
        self
    }

    /// Lifts the limit on a whole call: calls then wait as long as each attempt's limits
    /// ([`timeout`](Self::timeout), [`read_timeout`](Self::read_timeout)) and the retry
    /// policy allow, which, against a server that trickles bytes, may be forever unless
    /// [`timeout`](Self::timeout) is set.
    pub fn without_call_timeout(mut self) -> Self {
        self.call_timeout = None;
        self
    }

    /// How long an attempt waits for the answer's head (status and headers, counted from
    /// the start of the attempt), and then for each next piece of its body (default 30 s).
    /// A server that goes silent — sends part of its headers, or stops in the middle of a
    /// body — fails the attempt with [`Error::Timeout`] after this long. Cannot be combined
    /// with [`http_client`](Self::http_client): configure that client instead.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(Some(timeout));
        self
    }

    /// No read timeout: an attempt waits for a silent server as long as
    /// [`timeout`](Self::timeout) and [`call_timeout`](Self::call_timeout) allow.
    pub fn without_read_timeout(mut self) -> Self {
        self.read_timeout = Some(None);
        self
    }

    /// The largest response body the client reads into memory, in bytes (default 32 MiB).
    /// A longer 2xx body ends the call with [`Error::BodyTooLarge`], detected while
    /// reading (or from `Content-Length`, before reading): memory never holds more than the
    /// limit. Error answers (non-2xx) keep only their first 64 KiB (and at most this much),
    /// enough for any error body; bodies an operation does not use are not read.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body_size = bytes;
        self
    }

    /// The limit for establishing a connection (default 10 s). Cannot be combined with
    /// [`http_client`](Self::http_client): configure that client instead.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// When failed requests are retried (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header (default `atlas-admin/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Accepts a plain `http://` base URL to a non-loopback host (default `false`):
    /// credentials and data would cross the network unencrypted.
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// Uses this HTTP client (proxies, custom TLS roots, …) instead of building one. Its
    /// own connect and read timeouts then apply (set them on it: reqwest has no read
    /// timeout by default); [`call_timeout`](Self::call_timeout),
    /// [`timeout`](Self::timeout) and [`max_body_size`](Self::max_body_size) still do.
    /// Note that it should not follow redirects (`reqwest::redirect::Policy::none()`):
    /// the API does not use them, and a followed redirect turns a POST into a GET.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Whether `send` checks arguments against the spec's rules (patterns, ranges,
    /// lengths, item counts) before anything is sent; on by default. Turn it off only when
    /// the server accepts values the spec's rules reject: the server then has the last word.
    /// Path parameters are still encoded as one segment each, and values that cannot be
    /// (`""`, `.`, `..`) are still refused.
    pub fn validate_arguments(mut self, validate: bool) -> Self {
        self.validate_arguments = validate;
        self
    }

    /// Checks the configuration and builds the client.
    ///
    /// Errors with [`Error::Config`] for a malformed base URL, a scheme other than `https`
    /// (or `http` as allowed above), credentials in the URL, an invalid user agent, a zero
    /// timeout, a connect or read timeout set together with an injected HTTP client,
    /// credentials that no security scheme of the API takes (an API key for an API without
    /// an `apiKey` scheme), credentials that cannot be sent (a header value with a line
    /// break), or a token URL that is not `https` (as for the base URL).
    pub fn build(self) -> Result<Client, Error> {
        let base_url = check_base_url(&self.base_url, self.allow_insecure_http)?;
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            Error::config("the user agent must be visible ASCII without line breaks")
        })?;
        for (name, value) in [
            ("timeout", self.timeout),
            ("call_timeout", self.call_timeout),
            ("connect_timeout", self.connect_timeout),
            ("read_timeout", self.read_timeout.flatten()),
        ] {
            if value == Some(Duration::ZERO) {
                return Err(Error::config(format!(
                    "{name} must be longer than zero (to lift a limit, use its without_ method)"
                )));
            }
        }
        let (http, read_timeout) = match self.http {
            Some(_) if self.connect_timeout.is_some() || self.read_timeout.is_some() => {
                return Err(Error::config(
                    "connect_timeout and read_timeout cannot be applied to an injected \
                     http_client; set them on that reqwest::Client instead",
                ))
            }
            Some(client) => (client, None),
            None => {
                let read_timeout = self.read_timeout.unwrap_or(Some(DEFAULT_READ_TIMEOUT));
                let mut http = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                    .redirect(reqwest::redirect::Policy::none());
                if let Some(read_timeout) = read_timeout {
                    http = http.read_timeout(read_timeout);
                }
                let http = http
                    .build()
                    .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?;
                (http, read_timeout)
            }
        };
        let auth = Authenticator::build(
            self.credentials,
            Context {
                security: self.security,
                http: http.clone(),
                base_url: &base_url,
                user_agent: self.user_agent,
                allow_insecure_http: self.allow_insecure_http,
            },
        )?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth,
                retry: self.retry,
                timeout: self.timeout,
                call_timeout: self.call_timeout,
                read_timeout,
                max_body_size: self.max_body_size,
                user_agent,
                validate_arguments: self.validate_arguments,
            }),
        })
    }
}

fn check_base_url(text: &str, allow_insecure_http: bool) -> Result<Url, Error> {
    let url = Url::parse(text)
        .map_err(|e| Error::config(format!("the base URL is not a valid URL: {e}")))?;
    // From here on, never quote `text`: it may hold a password.
    let shown = || format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::config(format!(
            "the base URL `{}` must not contain a user name or password; use `credentials`",
            shown()
        )));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::config(format!(
            "the base URL `{}` must not have a query or fragment",
            shown()
        )));
    }
    let host = url
        .host()
        .ok_or_else(|| Error::config("the base URL has no host"))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&host) => {}
        "http" => {
            return Err(Error::config(format!(
                "the base URL `{}` uses plain http to a non-loopback host; use https, \
                 or allow_insecure_http(true) if you really mean it",
                shown()
            )))
        }
        other => {
            return Err(Error::config(format!(
                "the base URL scheme must be https (or http for loopback), not `{other}`"
            )))
        }
    }
    Ok(url)
}

/// Whether `host` is `localhost` or a loopback address.
pub(crate) fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str, allow: bool) -> Result<String, String> {
        check_base_url(url, allow)
            .map(String::from)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn https_and_loopback_http_are_accepted() {
        for url in [
            "https://cloud.mongodb.com",
            "https://proxy.example/prefix/",
            "http://127.0.0.1:8080",
            "http://127.1.2.3",
            "http://[::1]:9000/x",
            "http://localhost:1234",
            "http://LOCALHOST",
        ] {
            assert!(check(url, false).is_ok(), "{url}: {:?}", check(url, false));
        }
    }

    #[test]
    fn plain_http_to_remote_hosts_needs_opting_in() {
        for url in [
            "http://cloud.mongodb.com",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.evil.example",
        ] {
            let err = check(url, false).unwrap_err();
            assert!(err.contains("plain http"), "{url}: {err}");
            assert!(check(url, true).is_ok(), "{url}");
        }
    }

    #[test]
    fn other_bad_urls_are_config_errors_without_secrets() {
        let err = check("https://user:hunter2@cloud.mongodb.com", false).unwrap_err();
        assert!(err.contains("user name or password"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        assert!(check("ftp://example.com", true)
            .unwrap_err()
            .contains("`ftp`"));
        assert!(check("not a url", false)
            .unwrap_err()
            .contains("not a valid URL"));
        assert!(check("https://h/?a=b", false)
            .unwrap_err()
            .contains("query"));
        let err = Client::builder()
            .base_url("http://example.com")
            .build()
            .unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err:?}");
    }

    #[test]
    fn every_call_is_bounded_by_default_and_limits_lift_only_explicitly() {
        let shown = format!("{:?}", Client::builder().build().unwrap());
        for field in [
            "call_timeout: Some(60s)",
            "read_timeout: Some(30s)",
            "max_body_size: 33554432",
        ] {
            assert!(shown.contains(field), "{field} in {shown}");
        }
        let shown = format!(
            "{:?}",
            Client::builder()
                .without_call_timeout()
                .without_read_timeout()
                .max_body_size(10)
                .build()
                .unwrap()
        );
        for field in [
            "call_timeout: None",
            "read_timeout: None",
            "max_body_size: 10",
        ] {
            assert!(shown.contains(field), "{field} in {shown}");
        }
        for builder in [
            Client::builder().call_timeout(Duration::ZERO),
            Client::builder().read_timeout(Duration::ZERO),
            Client::builder().timeout(Duration::ZERO),
        ] {
            let err = builder.build().unwrap_err();
            assert!(err.to_string().contains("longer than zero"), "{err}");
        }
        // Duration::MAX is accepted (and means no limit: the deadline overflows to none).
        assert!(Client::builder()
            .call_timeout(Duration::MAX)
            .build()
            .is_ok());
    }

    #[test]
    fn builder_checks_user_agent_and_connect_timeout_with_injected_client() {
        let err = Client::builder().user_agent("a\nb").build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
        let err = Client::builder()
            .http_client(reqwest::Client::new())
            .connect_timeout(Duration::from_secs(1))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("connect_timeout"), "{err}");
        let err = Client::builder()
            .http_client(reqwest::Client::new())
            .read_timeout(Duration::from_secs(1))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("read_timeout"), "{err}");
        let client = Client::builder()
            .http_client(reqwest::Client::new())
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://cloud.mongodb.com/");
    }
}
