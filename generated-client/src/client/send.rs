//! The attempt loop of one call: URL and headers, authentication, the 401 replay,
//! retries within the call's time limit, bounded body reading, and the `tracing` span.

use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, COOKIE, USER_AGENT,
};
use reqwest::StatusCode;
use tokio::time::Instant;
use tracing::field::Empty;
use tracing::Instrument as _;
use url::Url;

use super::body::{self, ERROR_BODY_LIMIT};
use super::{decode, Client, RawResponse, RequestSpec};
use crate::auth::Plan;
use crate::encode::build_path;
use crate::redact::Redactor;
use crate::retry::is_idempotent;
use crate::Error;

/// What the operation makes of a final answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wanted {
    /// A 2xx whose body is read (within `max_body_size`) and decoded.
    Body,
    /// A 2xx whose body is not used (not read beyond what has arrived).
    Nothing,
    /// A 2xx or 3xx (not followed), body not used.
    Redirect,
}

impl Wanted {
    fn accepts(self, status: StatusCode) -> bool {
        status.is_success() || (self == Self::Redirect && status.is_redirection())
    }
}

/// Whether waiting `wait` from now still ends before `deadline`.
fn fits(deadline: Option<Instant>, wait: Duration) -> bool {
    deadline.is_none_or(|d| Instant::now().checked_add(wait).is_some_and(|end| end < d))
}

impl Client {
    /// Sends `spec` until it gets a final answer, within the call's time limit: an answer
    /// `wanted` accepts is returned, any other status becomes an [`Error`] (documented
    /// error body → `Api`, else `UnexpectedResponse`). Every error leaving here is scrubbed
    /// of the call's secrets.
    pub(super) async fn send(
        &self,
        spec: RequestSpec,
        wanted: Wanted,
    ) -> Result<RawResponse, Error> {
        let deadline = self
            .inner
            .call_timeout
            .and_then(|limit| Instant::now().checked_add(limit));
        let url = self.url(&spec)?;
        let headers = self.headers(&spec)?;
        let plan = self.inner.auth.plan(spec.operation_id)?;
        let span = tracing::info_span!(
            concat!(env!("CARGO_CRATE_NAME"), ".request"),
            operation = spec.operation_id,
            method = %spec.method,
            path = url.path(),
            attempt = Empty,
            status = Empty,
        );
        let mut redactor = self.inner.auth.redactor();
        let raw = self
            .attempts(
                &spec,
                &plan,
                &url,
                &headers,
                wanted,
                deadline,
                &mut redactor,
            )
            .instrument(span)
            .await
            .map_err(|e| e.scrubbed(&redactor))?;
        if wanted.accepts(raw.status) {
            Ok(raw)
        } else {
            Err(decode::error(raw, spec.error_statuses, spec.default_error))
        }
    }

    /// The request URL: base URL (its path kept) + encoded path + encoded query.
    fn url(&self, spec: &RequestSpec) -> Result<Url, Error> {
        let base = &self.inner.base_url;
        let path = build_path(base.path(), &spec.path)?;
        let mut url = base.clone();
        url.set_path(&path);
        // Belt and braces: the URL parser must not have rewritten the target.
        if url.path() != path {
            return Err(Error::InvalidArgument {
                parameter: "path".to_owned(),
                rule: "a path parameter must not change the request target".to_owned(),
            });
        }
        url.set_query(spec.params.query().as_deref());
        Ok(url)
    }

    /// The headers every attempt sends (authorization is added per attempt).
    fn headers(&self, spec: &RequestSpec) -> Result<HeaderMap, Error> {
        let mut headers = HeaderMap::new();
        let accept = HeaderValue::from_str(spec.accept).map_err(|_| {
            Error::config(format!(
                "`{}` is not a valid Accept media type",
                spec.accept
            ))
        })?;
        headers.insert(ACCEPT, accept);
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        // A multipart body's `Content-Type` (with its boundary) is set per attempt.
        if let Some(body) = spec.body.as_ref().filter(|b| b.multipart.is_none()) {
            let content_type = HeaderValue::from_str(body.content_type).map_err(|_| {
                Error::config(format!(
                    "`{}` is not a valid Content-Type media type",
                    body.content_type
                ))
            })?;
            headers.insert(CONTENT_TYPE, content_type);
        }
        for (name, value) in spec.params.headers() {
            let invalid = || Error::InvalidArgument {
                parameter: name.to_owned(),
                rule: "must be a valid HTTP header value (visible ASCII, no line breaks)"
                    .to_owned(),
            };
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let value = HeaderValue::from_str(&value).map_err(|_| invalid())?;
            headers.append(name, value);
        }
        if let Some(cookies) = spec.params.cookies() {
            // Percent-encoded, so only a cookie name the spec got wrong can be refused.
            let value = HeaderValue::from_str(&cookies).map_err(|_| Error::InvalidArgument {
                parameter: "cookie".to_owned(),
                rule: "cookie parameters must form a valid `Cookie` header".to_owned(),
            })?;
            headers.insert(COOKIE, value);
        }
        Ok(headers)
    }

    /// Sends attempts until one is final under the retry policy and the call's deadline;
    /// returns its answer, or the transport error of the last attempt. A retry whose wait
    /// would end past the deadline is not made.
    #[allow(
        clippy::too_many_arguments,
        reason = "the one call's fixed parts, computed once in `send`"
    )]
    async fn attempts(
        &self,
        spec: &RequestSpec,
        plan: &Plan,
        url: &Url,
        headers: &HeaderMap,
        wanted: Wanted,
        deadline: Option<Instant>,
        redactor: &mut Redactor,
    ) -> Result<RawResponse, Error> {
        let policy = &self.inner.retry;
        let idempotent = is_idempotent(&spec.method);
        let span = tracing::Span::current();
        let mut retries = 0_u32;
        let mut replayed_401 = false;
        let mut attempt = 0_u32;
        loop {
            attempt = attempt.saturating_add(1);
            span.record("attempt", attempt);
            match self
                .attempt(spec, plan, url, headers, wanted, deadline, redactor)
                .await?
            {
                Ok(raw) => {
                    span.record("status", raw.status.as_u16());
                    if raw.status == StatusCode::UNAUTHORIZED && !replayed_401 {
                        replayed_401 = true;
                        if self
                            .inner
                            .auth
                            .handle_unauthorized_for(plan, &raw.headers)
                            .await?
                        {
                            tracing::debug!(attempt, "401: replaying with new authorization");
                            continue;
                        }
                    }
                    let Some(wait) =
                        policy.after_status(retries, raw.status, &raw.headers, idempotent)
                    else {
                        return Ok(raw);
                    };
                    if !fits(deadline, wait) {
                        tracing::debug!(
                            attempt,
                            wait_ms = wait.as_millis(),
                            "not retrying: the wait would end past the call's time limit"
                        );
                        return Ok(raw);
                    }
                    retries += 1;
                    tracing::debug!(
                        attempt,
                        retry = retries,
                        status = raw.status.as_u16(),
                        wait_ms = wait.as_millis(),
                        "retrying after an error status"
                    );
                    tokio::time::sleep(wait).await;
                }
                Err(error) => {
                    let Some(wait) = policy
                        .after_error(retries, &error, idempotent)
                        .filter(|wait| fits(deadline, *wait))
                    else {
                        return Err(Error::transport(error));
                    };
                    retries += 1;
                    tracing::debug!(
                        attempt,
                        retry = retries,
                        connect = error.is_connect(),
                        timeout = error.is_timeout(),
                        wait_ms = wait.as_millis(),
                        "retrying after a transport error"
                    );
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// One attempt: authorization, send, read the body as far as `wanted` needs and the
    /// limits allow. Its time is bounded by the attempt timeout and what is left of the
    /// call's. The outer error is final (credentials, body too large); the inner one is a
    /// transport error that may be retried.
    #[allow(
        clippy::too_many_arguments,
        reason = "the one call's fixed parts, computed once in `send`"
    )]
    async fn attempt(
        &self,
        spec: &RequestSpec,
        plan: &Plan,
        url: &Url,
        headers: &HeaderMap,
        wanted: Wanted,
        deadline: Option<Instant>,
        redactor: &mut Redactor,
    ) -> Result<Result<RawResponse, reqwest::Error>, Error> {
        let mut request = reqwest::Request::new(spec.method.clone(), url.clone());
        *request.headers_mut() = headers.clone();
        // The body first: a part that cannot be sent fails before credentials are used.
        match spec.body.as_ref().map(|b| (b, &b.multipart)) {
            Some((_, Some(form))) => {
                // Encoded afresh for every attempt: a reqwest form is consumed when sent.
                let form = form.to_reqwest()?;
                request = reqwest::RequestBuilder::from_parts(self.inner.http.clone(), request)
                    .multipart(form)
                    .build()
                    .map_err(|e| Error::config(format!("multipart body: {e}")))?;
            }
            Some((body, None)) => *request.body_mut() = Some(body.bytes.clone().into()),
            None => {}
        }
        self.inner
            .auth
            .apply(plan, &mut request, deadline, redactor)
            .await?;
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        *request.timeout_mut() = match (self.inner.timeout, left) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut response = match self.inner.http.execute(request).await {
            Ok(response) => response,
            Err(error) => return Ok(Err(error)),
        };
        let status = response.status();
        let mut headers = response.headers().clone();
        redactor.headers(&mut headers);
        let limit = self.inner.max_body_size;
        let (body, complete) = if !wanted.accepts(status) {
            // An error answer: keep a bounded prefix for the error body and its excerpt.
            match body::read_limited(&mut response, ERROR_BODY_LIMIT.min(limit)).await {
                Ok(read) => (read.bytes, read.complete),
                Err(error) => return Ok(Err(error)),
            }
        } else if wanted == Wanted::Body {
            let content_length = response.content_length();
            let too_large = Error::BodyTooLarge {
                status,
                limit,
                content_length,
            };
            if content_length.is_some_and(|n| n > limit as u64) {
                return Err(too_large);
            }
            match body::read_limited(&mut response, limit).await {
                Ok(read) if read.complete => (read.bytes, true),
                Ok(_) => return Err(too_large),
                Err(error) => return Ok(Err(error)),
            }
        } else {
            body::discard(response);
            (Bytes::new(), true)
        };
        Ok(Ok(RawResponse {
            status,
            headers,
            body,
            complete,
            redactor: redactor.clone(),
        }))
    }
}
