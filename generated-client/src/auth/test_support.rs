//! Helpers shared by the auth tests: a minimal request driver that uses the authenticator
//! the way the client core does, Digest header parsing, and tracing capture.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use reqwest::header::{HeaderMap, AUTHORIZATION};
use reqwest::{Method, StatusCode};
use url::Url;

use super::challenge;
use super::Authenticator;

/// The parameters of a `Digest …` credentials value (same syntax as a challenge).
pub(crate) fn digest_params(value: &str) -> HashMap<String, String> {
    let parsed = challenge::parse(value).expect("well-formed Digest credentials");
    assert_eq!(parsed.len(), 1, "one credentials value: {value}");
    assert!(parsed[0].is("Digest"), "{value}");
    parsed[0].params.iter().cloned().collect()
}

/// Asserts `err` is a credentials error with `status`, and that its Display and Debug
/// output contain none of `secrets`.
#[track_caller]
pub(crate) fn assert_credentials_error(err: &crate::Error, status: Option<u16>, secrets: &[&str]) {
    let shown = format!("{err} / {err:?}");
    assert!(
        matches!(err, crate::Error::Credentials { .. }),
        "not a credentials error: {shown}"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), status, "{shown}");
    for secret in secrets {
        assert!(!shown.contains(secret), "secret leaked into error: {shown}");
    }
}

/// What [`send`] saw.
#[derive(Debug)]
pub(crate) struct Outcome {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
    /// Requests sent (1, or 2 after a replay).
    pub(crate) attempts: u32,
}

/// Sends one request the way the client core does: `authorization()`, send, and on a 401
/// `handle_unauthorized()` then at most one replay of the same body.
pub(crate) async fn send(
    auth: &Authenticator,
    http: &reqwest::Client,
    method: Method,
    url: &Url,
    body: Option<&'static [u8]>,
) -> Result<Outcome, crate::Error> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let mut request = http.request(method.clone(), url.clone());
        if let Some(value) = auth.authorization(&method, url, None).await? {
            request = request.header(AUTHORIZATION, value);
        }
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.map_err(crate::Error::transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        if status == StatusCode::UNAUTHORIZED
            && attempts == 1
            && auth.handle_unauthorized(&headers).await?
        {
            continue;
        }
        let body = response.text().await.map_err(crate::Error::transport)?;
        return Ok(Outcome {
            status,
            headers,
            body,
            attempts,
        });
    }
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
pub(crate) struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything written so far.
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// A subscriber that records every event and span (all levels, all targets) into `out`.
pub(crate) fn capturing_subscriber(out: &Captured) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .with_writer(out.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .finish()
}
