//! The attempt loop of one call: URL and headers, authentication, the 401 replay,
//! retries, and the `tracing` span.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use reqwest::StatusCode;
use tracing::field::Empty;
use tracing::Instrument as _;
use url::Url;

use super::{decode, Client, RawResponse, RequestSpec};
use crate::encode::build_path;
use crate::retry::is_idempotent;
use crate::Error;

impl Client {
    /// Sends `spec` until it gets a final answer: a 2xx is returned, any other status
    /// becomes an [`Error`] (documented error body → `Api`, else `UnexpectedResponse`).
    pub(super) async fn send(&self, spec: RequestSpec) -> Result<RawResponse, Error> {
        self.send_accepting(spec, false).await
    }

    /// [`Self::send`], but with `redirects` a 3xx answer is returned too (the client never
    /// follows redirects; an operation whose documented answer is one reads `Location`).
    pub(super) async fn send_accepting(
        &self,
        spec: RequestSpec,
        redirects: bool,
    ) -> Result<RawResponse, Error> {
        let url = self.url(&spec)?;
        let headers = self.headers(&spec)?;
        let span = tracing::info_span!(
            concat!(env!("CARGO_CRATE_NAME"), ".request"),
            operation = spec.operation_id,
            method = %spec.method,
            path = url.path(),
            attempt = Empty,
            status = Empty,
        );
        let raw = self
            .attempts(&spec, &url, &headers)
            .instrument(span)
            .await?;
        if raw.status.is_success() || (redirects && raw.status.is_redirection()) {
            Ok(raw)
        } else {
            Err(decode::error(raw, spec.error_statuses, spec.default_error))
        }
    }

    /// The request URL: base URL (its path kept) + encoded path + form-encoded query.
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
        url.set_query(None);
        if !spec.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(spec.query.iter().map(|(k, v)| (*k, v.as_str())));
        }
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
        if let Some(body) = &spec.body {
            let content_type = HeaderValue::from_str(body.content_type).map_err(|_| {
                Error::config(format!(
                    "`{}` is not a valid Content-Type media type",
                    body.content_type
                ))
            })?;
            headers.insert(CONTENT_TYPE, content_type);
        }
        for (name, value) in &spec.headers {
            let invalid = || Error::InvalidArgument {
                parameter: (*name).to_owned(),
                rule: "must be a valid HTTP header value (visible ASCII, no line breaks)"
                    .to_owned(),
            };
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| invalid())?;
            let value = HeaderValue::from_str(value).map_err(|_| invalid())?;
            headers.append(name, value);
        }
        Ok(headers)
    }

    /// Sends attempts until one is final under the retry policy; returns its answer, or
    /// the transport error of the last attempt.
    async fn attempts(
        &self,
        spec: &RequestSpec,
        url: &Url,
        headers: &HeaderMap,
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
            match self.attempt(spec, url, headers).await? {
                Ok(raw) => {
                    span.record("status", raw.status.as_u16());
                    if raw.status == StatusCode::UNAUTHORIZED && !replayed_401 {
                        replayed_401 = true;
                        if self.inner.auth.handle_unauthorized(&raw.headers).await? {
                            tracing::debug!(attempt, "401: replaying with new authorization");
                            continue;
                        }
                    }
                    let Some(wait) =
                        policy.after_status(retries, raw.status, &raw.headers, idempotent)
                    else {
                        return Ok(raw);
                    };
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
                    let Some(wait) = policy.after_error(retries, &error, idempotent) else {
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

    /// One attempt: authorization, send, read the whole body. The outer error is final
    /// (credentials); the inner one is a transport error that may be retried.
    async fn attempt(
        &self,
        spec: &RequestSpec,
        url: &Url,
        headers: &HeaderMap,
    ) -> Result<Result<RawResponse, reqwest::Error>, Error> {
        let mut request = reqwest::Request::new(spec.method.clone(), url.clone());
        *request.headers_mut() = headers.clone();
        if let Some(authorization) = self.inner.auth.authorization(&spec.method, url).await? {
            request
                .headers_mut()
                .insert(reqwest::header::AUTHORIZATION, authorization);
        }
        if let Some(body) = &spec.body {
            *request.body_mut() = Some(body.bytes.clone().into());
        }
        *request.timeout_mut() = self.inner.timeout;
        let response = match self.inner.http.execute(request).await {
            Ok(response) => response,
            Err(error) => return Ok(Err(error)),
        };
        let status = response.status();
        let headers = response.headers().clone();
        Ok(response.bytes().await.map(|body| RawResponse {
            status,
            headers,
            body,
        }))
    }
}
