//! [`ClientBuilder`]: configuration checked once, in [`ClientBuilder::build`].

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use url::{Host, Url};

use super::{Client, Inner};
use crate::auth::Authenticator;
use crate::{Credentials, Error, RetryPolicy};

/// The default `User-Agent`: `<package>/<version>`.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The default connect timeout of the HTTP client the builder creates.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Configures and builds a [`Client`]; see [`Client::builder`].
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    base_url: String,
    credentials: Credentials,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
    user_agent: String,
    allow_insecure_http: bool,
    validate_arguments: bool,
    http: Option<reqwest::Client>,
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
            connect_timeout: None,
            retry: RetryPolicy::default(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            allow_insecure_http: false,
            validate_arguments: true,
            http: None,
        }
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
    /// read (default: none). Retried attempts each get the full time.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
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

    /// Uses this HTTP client (proxies, custom TLS roots, …) instead of building one.
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
    /// (or `http` as allowed above), credentials in the URL, an invalid user agent, or a
    /// connect timeout set together with an injected HTTP client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = check_base_url(&self.base_url, self.allow_insecure_http)?;
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            Error::config("the user agent must be visible ASCII without line breaks")
        })?;
        let http = match self.http {
            Some(_) if self.connect_timeout.is_some() => {
                return Err(Error::config(
                    "connect_timeout cannot be applied to an injected http_client; \
                     set it on that reqwest::Client instead",
                ))
            }
            Some(client) => client,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::config(format!("cannot build the HTTP client: {e}")))?,
        };
        let auth = Authenticator::new(
            self.credentials,
            http.clone(),
            base_url.clone(),
            self.user_agent,
        );
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                auth,
                retry: self.retry,
                timeout: self.timeout,
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

fn is_loopback(host: &Host<&str>) -> bool {
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
    fn builder_checks_user_agent_and_connect_timeout_with_injected_client() {
        let err = Client::builder().user_agent("a\nb").build().unwrap_err();
        assert!(matches!(err, Error::Config { .. }));
        let err = Client::builder()
            .http_client(reqwest::Client::new())
            .connect_timeout(Duration::from_secs(1))
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("connect_timeout"), "{err}");
        let client = Client::builder()
            .http_client(reqwest::Client::new())
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://cloud.mongodb.com/");
    }
}
