//! OAuth 2.0 client credentials (RFC 6749 §4.4): Atlas service accounts, and every other
//! API whose security scheme has a `clientCredentials` flow.
//!
//! `POST {token URL}` with `grant_type=client_credentials` (and `scope=a b` when scopes
//! are requested) and HTTP Basic `client_id:client_secret` returns `{"access_token",
//! "expires_in", "token_type"}`. The token URL is the scheme's (for Atlas, and for a spec
//! that declares no scheme, `{base}/api/oauth/token`). The token is cached and refreshed
//! shortly before it expires. Fetches are single-flight: a `tokio::sync::Mutex` serialises
//! them and every waiter re-checks the cache (and the outcome of the fetch it waited for)
//! after acquiring it, so a burst of requests on a cold cache — or against a failing
//! endpoint — makes one token request.
//!
//! A token is used for at least [`MIN_LIFETIME`], whatever `expires_in` says, so a
//! near-zero lifetime cannot turn every call into a token request. The answer is read up to
//! [`TOKEN_BODY_LIMIT`] bytes.
//!
//! Time is `tokio::time::Instant`, so tests drive expiry with `tokio::time::pause/advance`.

use std::sync::Mutex;
use std::time::Duration;

use base64::Engine as _;
use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::StatusCode;
use tokio::time::Instant;
use url::Url;

use super::Secret;
use crate::client::body::read_limited;
use crate::redact::Redactor;

/// Lifetime assumed when the answer has no `expires_in` (Atlas documents 3600 s).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// Refresh when less than this much lifetime is left (or a tenth of it, if shorter).
const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// A 401 arriving this soon after a token was replaced is taken as the answer to a request
/// sent with the replaced token, so it doesn't discard the new one (no refetch storm).
const INVALIDATION_GRACE: Duration = Duration::from_secs(30);
/// A token is used for at least this long (unless a 401 discards it), even when the
/// endpoint says it expires sooner: the floor bounds the token request rate.
pub(crate) const MIN_LIFETIME: Duration = Duration::from_secs(10);
/// Bound on one token request (and on the call that makes it, when that call's own time
/// limit is shorter).
const TOKEN_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest token-endpoint answer read; a token answer is a few hundred bytes.
pub(crate) const TOKEN_BODY_LIMIT: usize = 64 * 1024;

#[derive(Clone)]
struct Token {
    header: HeaderValue,
    /// The access token, to scrub it from what servers echo.
    secret: Secret,
    refresh_at: Instant,
    fetched_at: Instant,
}

#[derive(Default)]
struct State {
    token: Option<Token>,
    /// The token the current one replaced (or that a 401 discarded), for scrubbing.
    previous: Option<Secret>,
    /// Number of completed fetch attempts (successful or not).
    fetches: u64,
    /// The failure of the last attempt, replayed to the requests that waited for it.
    last_failure: Option<Failure>,
    /// When a 401 last discarded a token.
    invalidated_at: Option<Instant>,
}

#[derive(Clone)]
struct Failure {
    reason: String,
    status: Option<StatusCode>,
    excerpt: Option<String>,
}

impl Failure {
    fn to_error(&self) -> crate::Error {
        crate::Error::credentials(self.reason.clone(), self.status, self.excerpt.clone())
    }
}

/// The token cache of one client (for one scheme).
pub(crate) struct OAuth {
    client_id: String,
    client_secret: Secret,
    token_url: Url,
    /// The `scope` form field (space-separated scopes), if any.
    scope: Option<String>,
    http: reqwest::Client,
    user_agent: String,
    state: Mutex<State>,
    fetch_lock: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for OAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuth")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("token_host", &self.token_url.host_str())
            .field("token_path", &self.token_url.path())
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// The token path of Atlas service accounts, under the base URL (also the default for a
/// spec that declares no security scheme).
pub(crate) const DEFAULT_TOKEN_PATH: &str = "/api/oauth/token";

/// `path` under the base URL, keeping its path prefix (as operation paths are).
pub(crate) fn under_base(base: &Url, path: &str) -> Url {
    let mut url = base.clone();
    let prefix = base.path().trim_end_matches('/').to_owned();
    let path = path.strip_prefix('/').unwrap_or(path);
    url.set_path(&format!("{prefix}/{path}"));
    url.set_query(None);
    url.set_fragment(None);
    url
}

impl OAuth {
    /// The token cache of `client_id` at `token_url`, requesting `scope` (space-separated
    /// scopes) when given.
    pub(crate) fn with_endpoint(
        client_id: String,
        client_secret: Secret,
        token_url: Url,
        scope: Option<String>,
        http: reqwest::Client,
        user_agent: String,
    ) -> Self {
        Self {
            client_id,
            client_secret,
            token_url,
            scope,
            http,
            user_agent,
            state: Mutex::new(State::default()),
            fetch_lock: tokio::sync::Mutex::new(()),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn fresh_token(&self) -> Option<HeaderValue> {
        let now = Instant::now();
        let state = self.state();
        state
            .token
            .as_ref()
            .filter(|t| now < t.refresh_at)
            .map(|t| t.header.clone())
    }

    /// The client secret, its Basic credential, and the current and previous tokens.
    pub(crate) fn add_secrets(&self, redactor: &mut Redactor) {
        redactor.add(self.client_secret.expose());
        redactor.add(&self.basic_credential());
        let state = self.state();
        for token in [
            state.token.as_ref().map(|t| &t.secret),
            state.previous.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            redactor.add(token.expose());
        }
    }

    /// `base64(client_id:client_secret)`, the HTTP Basic credential of the token request.
    fn basic_credential(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            self.client_id,
            self.client_secret.expose()
        ))
    }

    /// The `Authorization: Bearer …` value, fetching a token if none is fresh. A fetch
    /// started here ends by `deadline` (the calling request's time limit), if any.
    pub(crate) async fn authorization(
        &self,
        deadline: Option<Instant>,
    ) -> Result<HeaderValue, crate::Error> {
        if let Some(header) = self.fresh_token() {
            return Ok(header);
        }
        let seen = self.state().fetches;
        let _guard = self.fetch_lock.lock().await;
        if let Some(header) = self.fresh_token() {
            return Ok(header);
        }
        {
            // Single flight: share the outcome of the fetch we queued behind, whatever
            // the token's remaining lifetime, instead of fetching again.
            let state = self.state();
            if state.fetches != seen {
                if let Some(token) = &state.token {
                    return Ok(token.header.clone());
                }
                if let Some(failure) = &state.last_failure {
                    return Err(failure.to_error());
                }
            }
        }
        let result = self.fetch(deadline).await;
        let mut state = self.state();
        state.fetches += 1;
        match result {
            Ok(token) => {
                state.last_failure = None;
                let header = token.header.clone();
                if let Some(old) = state.token.replace(token) {
                    state.previous = Some(old.secret);
                }
                Ok(header)
            }
            Err((failure, error)) => {
                state.last_failure = failure;
                if let Some(old) = state.token.take() {
                    state.previous = Some(old.secret);
                }
                Err(error)
            }
        }
    }

    /// A 401 from the API: drop the cached token unless it was fetched after a very
    /// recent invalidation (then the 401 answers a request made with the old token).
    pub(crate) fn handle_unauthorized(&self) -> bool {
        let now = Instant::now();
        let mut state = self.state();
        let protected = match (&state.token, state.invalidated_at) {
            (Some(token), Some(at)) => {
                token.fetched_at >= at && now.saturating_duration_since(at) < INVALIDATION_GRACE
            }
            _ => false,
        };
        if state.token.is_some() && !protected {
            tracing::debug!("401 from the API: discarding the cached service-account token");
            if let Some(old) = state.token.take() {
                state.previous = Some(old.secret);
            }
            state.invalidated_at = Some(now);
        }
        true
    }

    /// One token request, ending by `deadline` at the latest. The error's `Failure` (if
    /// any) is kept for waiting requests.
    async fn fetch(
        &self,
        deadline: Option<Instant>,
    ) -> Result<Token, (Option<Failure>, crate::Error)> {
        tracing::debug!(
            token_host = self.token_url.host_str().unwrap_or_default(),
            token_path = self.token_url.path(),
            client_id = %self.client_id,
            "requesting a service-account token"
        );
        let basic = self.basic_credential();
        let mut auth = HeaderValue::from_str(&format!("Basic {basic}")).map_err(|_| {
            let f = failure(
                "the client id or secret is not valid in a header",
                None,
                None,
            );
            (Some(f.clone()), f.to_error())
        })?;
        auth.set_sensitive(true);
        let user_agent = HeaderValue::from_str(&self.user_agent)
            .unwrap_or_else(|_| HeaderValue::from_static("atlas-admin"));
        let sent_at = Instant::now();
        let timeout = deadline.map_or(TOKEN_REQUEST_TIMEOUT, |d| {
            TOKEN_REQUEST_TIMEOUT.min(d.saturating_duration_since(sent_at))
        });
        let mut response = self
            .http
            .post(self.token_url.clone())
            .header(AUTHORIZATION, auth)
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(USER_AGENT, user_agent)
            .body(self.form())
            .timeout(timeout)
            .send()
            .await
            .map_err(|e| (transport_failure(&e), crate::Error::transport(e)))?;
        let status = response.status();
        let read = read_limited(&mut response, TOKEN_BODY_LIMIT)
            .await
            .map_err(|e| (transport_failure(&e), crate::Error::transport(e)))?;
        let fail = |reason: &str, token: Option<&str>| {
            let excerpt = self.excerpt(&read.bytes, token);
            let f = failure(reason, Some(status), Some(excerpt));
            tracing::debug!(status = status.as_u16(), reason, "token request refused");
            (Some(f.clone()), f.to_error())
        };
        if !read.complete {
            let reason =
                format!("the token endpoint's answer is larger than {TOKEN_BODY_LIMIT} bytes");
            return Err(fail(&reason, None));
        }
        if !status.is_success() {
            return Err(fail("the token endpoint refused the request", None));
        }
        let Ok(json) = serde_json::from_slice::<serde_json::Value>(&read.bytes) else {
            return Err(fail(
                "the token endpoint answered with a non-JSON body",
                None,
            ));
        };
        let token = json.get("access_token").and_then(|t| t.as_str());
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Err(fail(
                "the token endpoint's answer has no access_token",
                None,
            ));
        };
        let token_type = json.get("token_type").and_then(|t| t.as_str());
        if token_type.is_some_and(|t| !t.eq_ignore_ascii_case("bearer")) {
            return Err(fail(
                "the token endpoint issued a non-Bearer token",
                Some(token),
            ));
        }
        let lifetime = match json.get("expires_in") {
            Some(serde_json::Value::Number(n)) => n.as_f64(),
            Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|secs| secs.is_finite() && *secs > 0.0)
        .map_or(DEFAULT_LIFETIME, |secs| {
            Duration::from_secs_f64(secs.min(1e9))
        });
        let Ok(mut header) = HeaderValue::from_str(&format!("Bearer {token}")) else {
            return Err(fail(
                "the access_token is not valid in a header",
                Some(token),
            ));
        };
        header.set_sensitive(true);
        let margin = REFRESH_MARGIN.min(lifetime / 10);
        tracing::debug!(
            expires_in = lifetime.as_secs(),
            "received a service-account token"
        );
        Ok(Token {
            header,
            secret: Secret::new(token.to_owned()),
            refresh_at: sent_at + (lifetime - margin).max(MIN_LIFETIME),
            fetched_at: Instant::now(),
        })
    }

    /// The form body of the token request.
    fn form(&self) -> String {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        form.append_pair("grant_type", "client_credentials");
        if let Some(scope) = &self.scope {
            form.append_pair("scope", scope);
        }
        form.finish()
    }

    /// A bounded excerpt of a token-endpoint body with every secret redacted (the client
    /// secret in all its forms, the tokens, and `token`, one just received).
    fn excerpt(&self, body: &[u8], token: Option<&str>) -> String {
        let mut redactor = Redactor::none();
        self.add_secrets(&mut redactor);
        if let Some(token) = token {
            redactor.add(token);
        }
        redactor.excerpt(body)
    }
}

fn failure(reason: &str, status: Option<StatusCode>, excerpt: Option<String>) -> Failure {
    Failure {
        reason: reason.to_owned(),
        status,
        excerpt,
    }
}

fn transport_failure(e: &reqwest::Error) -> Option<Failure> {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "failed"
    };
    Some(failure(&format!("the token request {kind}"), None, None))
}

#[cfg(test)]
#[path = "oauth_tests.rs"]
mod tests;
