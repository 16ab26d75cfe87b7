//! [`RetryPolicy`]: which failed attempts are sent again, and after how long.
//!
//! - 429 and 503 are retried for every method (the server refused before processing),
//!   after `Retry-After` when the server sends one (seconds or HTTP-date), otherwise
//!   after an exponential backoff. A `Retry-After` beyond
//!   [`max_retry_after`](RetryPolicy::max_retry_after) is not waited for: the error is
//!   returned at once.
//! - Other 5xx (except 501 and 505) and transport failures, timeouts included, are
//!   retried only for idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE), with
//!   capped exponential backoff and jitter.
//! - A connection that could not be established is retried for every method: the request
//!   provably never left the client. POST and PATCH are otherwise sent once.

use std::time::{Duration, SystemTime};

use rand::Rng;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// How the wait before a retry is randomised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Jitter {
    /// "Full jitter": a uniformly random wait between zero and the backoff, so that many
    /// clients failing together do not retry together.
    #[default]
    Full,
    /// Exactly the backoff (useful in tests).
    None,
}

/// When and how often failed requests are retried. Cheap to clone.
///
/// ```
/// use std::time::Duration;
/// use atlas_admin::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(5)
///     .initial_backoff(Duration::from_millis(100))
///     .max_backoff(Duration::from_secs(5));
/// # let _ = policy;
/// let never = RetryPolicy::none();
/// # let _ = never;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: Jitter,
}

impl Default for RetryPolicy {
    /// 3 retries, backoff from 200 ms doubling up to 10 s with full jitter, `Retry-After`
    /// honoured up to 60 s.
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            jitter: Jitter::Full,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every request is sent once (a 401 answered by Digest or OAuth
    /// credentials is still replayed once; that is authentication, not a retry).
    pub fn none() -> Self {
        Self::default().max_retries(0)
    }

    /// How many times one call may be sent again after its first attempt (default 3).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The backoff before the first retry (default 200 ms); it doubles at each retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff (default 10 s).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` the client waits for (default 60 s); a longer one ends
    /// the call with the 429/503 error.
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// How the backoff is randomised (default [`Jitter::Full`]).
    pub fn jitter(mut self, jitter: Jitter) -> Self {
        self.jitter = jitter;
        self
    }

    /// The wait before retrying an answer with `status` after `retries` earlier retries,
    /// or `None` to give up and return it.
    pub(crate) fn after_status(
        &self,
        retries: u32,
        status: StatusCode,
        headers: &HeaderMap,
        idempotent: bool,
    ) -> Option<Duration> {
        if retries >= self.max_retries {
            return None;
        }
        let refused = matches!(
            status,
            StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
        );
        let server_error = status.is_server_error()
            && !matches!(
                status,
                StatusCode::NOT_IMPLEMENTED | StatusCode::HTTP_VERSION_NOT_SUPPORTED
            );
        if !(refused || (server_error && idempotent)) {
            return None;
        }
        match retry_after(headers, SystemTime::now()) {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(retries)),
        }
    }

    /// The wait before retrying after the transport error `error`, or `None` to give up.
    pub(crate) fn after_error(
        &self,
        retries: u32,
        error: &reqwest::Error,
        idempotent: bool,
    ) -> Option<Duration> {
        if retries >= self.max_retries {
            return None;
        }
        let never_sent = error.is_connect();
        let transient = !(error.is_builder() || error.is_redirect() || error.is_status());
        (never_sent || (idempotent && transient)).then(|| self.backoff(retries))
    }

    /// `initial_backoff * 2^retries`, capped at `max_backoff`, then jittered.
    fn backoff(&self, retries: u32) -> Duration {
        let factor = 2_u32.saturating_pow(retries.min(31));
        let ceiling = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        match self.jitter {
            Jitter::None => ceiling,
            Jitter::Full => rand::thread_rng().gen_range(Duration::ZERO..=ceiling),
        }
    }
}

/// Whether `method` may be sent twice without changing the outcome (RFC 9110 §9.2.2).
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE
    )
}

/// The `Retry-After` header as a wait from `now`: delay-seconds or an HTTP-date (a date
/// in the past means "now"). `None` when absent or unreadable.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::from(date);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: Option<&'static str>) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Some(v) = retry_after {
            h.insert(RETRY_AFTER, HeaderValue::from_static(v));
        }
        h
    }

    fn exact() -> RetryPolicy {
        RetryPolicy::default().jitter(Jitter::None)
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(
            retry_after(&headers(Some("7")), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers(Some("Sun, 06 Nov 1994 08:49:47 GMT")), now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            retry_after(&headers(Some("Sun, 06 Nov 1994 08:49:00 GMT")), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers(Some("soon")), now), None);
        assert_eq!(retry_after(&headers(Some("-1")), now), None);
        assert_eq!(retry_after(&headers(None), now), None);
    }

    #[test]
    fn refusals_are_retried_for_every_method() {
        let p = exact();
        for status in [
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::SERVICE_UNAVAILABLE,
        ] {
            assert_eq!(
                p.after_status(0, status, &headers(Some("2")), false),
                Some(Duration::from_secs(2))
            );
            assert_eq!(
                p.after_status(0, status, &headers(None), false),
                Some(Duration::from_millis(200))
            );
            assert_eq!(p.after_status(3, status, &headers(None), false), None);
        }
        // Too long a Retry-After: give up rather than wait.
        assert_eq!(
            p.after_status(
                0,
                StatusCode::TOO_MANY_REQUESTS,
                &headers(Some("3600")),
                true
            ),
            None
        );
    }

    #[test]
    fn other_server_errors_only_for_idempotent_methods() {
        let p = exact();
        let h = headers(None);
        assert_eq!(
            p.after_status(1, StatusCode::INTERNAL_SERVER_ERROR, &h, true),
            Some(Duration::from_millis(400))
        );
        assert_eq!(
            p.after_status(0, StatusCode::INTERNAL_SERVER_ERROR, &h, false),
            None
        );
        assert_eq!(
            p.after_status(0, StatusCode::NOT_IMPLEMENTED, &h, true),
            None
        );
        assert_eq!(p.after_status(0, StatusCode::NOT_FOUND, &h, true), None);
        assert_eq!(p.after_status(0, StatusCode::OK, &h, true), None);
        assert_eq!(
            RetryPolicy::none().after_status(0, StatusCode::SERVICE_UNAVAILABLE, &h, true),
            None
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_jitter_stays_below() {
        let p = exact().max_backoff(Duration::from_secs(1));
        let waits: Vec<_> = (0..5).map(|n| p.backoff(n).as_millis()).collect();
        assert_eq!(waits, [200, 400, 800, 1000, 1000]);
        assert_eq!(p.backoff(u32::MAX), Duration::from_secs(1));
        let full = RetryPolicy::default();
        for n in 0..10 {
            assert!(full.backoff(n) <= Duration::from_secs(10));
        }
    }

    #[test]
    fn idempotent_methods() {
        assert!(is_idempotent(&Method::GET));
        assert!(is_idempotent(&Method::PUT));
        assert!(is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST));
        assert!(!is_idempotent(&Method::PATCH));
    }
}
