//! Per-client Digest state: the last challenge seen and its nonce count.
//!
//! The client learns a challenge from a 401 (`WWW-Authenticate: Digest …`), then answers it
//! on every request: `nc` counts the requests made on one nonce (8 hex digits, atomic),
//! `cnonce` is fresh per request, `uri` is the request-target exactly as sent. A new
//! challenge (a new nonce, `stale=true`, …) replaces the stored one and resets the count.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use url::Url;

use super::digest::{authorization_value, request_target, DigestChallenge};
use super::Secret;

/// A challenge in use and the number of requests answered on its nonce.
#[derive(Debug)]
struct Session {
    challenge: DigestChallenge,
    nc: AtomicU32,
}

/// Digest state of one client: the key pair and the last challenge seen.
pub(crate) struct DigestAuth {
    username: String,
    password: Secret,
    session: Mutex<Option<Arc<Session>>>,
}

impl std::fmt::Debug for DigestAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let session = self.current();
        f.debug_struct("DigestAuth")
            .field("username", &self.username)
            .field("password", &self.password)
            .field(
                "realm",
                &session.as_ref().map(|s| s.challenge.realm.clone()),
            )
            .field(
                "algorithm",
                &session.as_ref().map(|s| s.challenge.algorithm),
            )
            .finish()
    }
}

impl DigestAuth {
    pub(crate) fn new(username: String, password: Secret) -> Self {
        Self {
            username,
            password,
            session: Mutex::new(None),
        }
    }

    /// The private key, for `Redactor`s (computed responses are added per request).
    pub(crate) fn add_secrets(&self, redactor: &mut crate::redact::Redactor) {
        redactor.add(self.password.expose());
    }

    fn current(&self) -> Option<Arc<Session>> {
        self.session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    /// Answers the stored challenge (next `nc`, new cnonce); `None` before any challenge.
    pub(crate) fn authorization(
        &self,
        method: &Method,
        url: &Url,
    ) -> Result<Option<HeaderValue>, crate::Error> {
        let Some(session) = self.current() else {
            return Ok(None);
        };
        let nc = session.nc.fetch_add(1, Ordering::SeqCst).wrapping_add(1);
        let cnonce = new_cnonce();
        let value = authorization_value(
            &session.challenge,
            &self.username,
            self.password.expose(),
            method.as_str(),
            request_target(url),
            nc,
            &cnonce,
        );
        let mut header = HeaderValue::from_bytes(value.as_bytes()).map_err(|_| {
            crate::Error::credentials(
                "the Digest answer is not a valid header value (check the realm and key)",
                None,
                None,
            )
        })?;
        header.set_sensitive(true);
        tracing::trace!(
            nc,
            algorithm = session.challenge.algorithm.name(),
            "answering Digest challenge"
        );
        Ok(Some(header))
    }

    /// Stores the challenge of a 401; `Ok(false)` when the 401 carried none.
    pub(crate) fn handle_unauthorized(&self, headers: &HeaderMap) -> Result<bool, crate::Error> {
        let challenge = match DigestChallenge::select(headers) {
            Ok(Some(c)) => c,
            Ok(None) => {
                tracing::debug!("401 without WWW-Authenticate; giving up");
                return Ok(false);
            }
            Err(reason) => {
                // The reason quotes the server's challenge (bounded); it may echo the key.
                let mut redactor = crate::redact::Redactor::none();
                self.add_secrets(&mut redactor);
                let reason = redactor.text(&reason).into_owned();
                tracing::debug!(%reason, "unusable Digest challenge");
                return Err(crate::Error::credentials(
                    reason,
                    Some(StatusCode::UNAUTHORIZED),
                    None,
                ));
            }
        };
        let mut redactor = crate::redact::Redactor::none();
        self.add_secrets(&mut redactor);
        tracing::debug!(
            realm = %redactor.text(&challenge.realm),
            algorithm = challenge.algorithm.name(),
            qop = if challenge.qop_auth { "auth" } else { "none" },
            stale = challenge.stale,
            "received Digest challenge"
        );
        let mut slot = self
            .session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let same_nonce = slot.as_ref().is_some_and(|s| {
            s.challenge.nonce == challenge.nonce
                && s.challenge.realm == challenge.realm
                && s.challenge.algorithm == challenge.algorithm
        });
        if !same_nonce {
            *slot = Some(Arc::new(Session {
                challenge,
                nc: AtomicU32::new(0),
            }));
        }
        Ok(true)
    }
}

/// A fresh client nonce: 128 random bits, hex.
fn new_cnonce() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().fold(String::with_capacity(32), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
