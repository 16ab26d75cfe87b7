//! Reading answers within bounds: a body is read chunk by chunk and never past a limit, and
//! a body nobody will look at is not read at all (beyond what has already arrived).

use bytes::{Bytes, BytesMut};
use futures::FutureExt as _;

/// The default [`ClientBuilder::max_body_size`](super::ClientBuilder::max_body_size):
/// 32 MiB, far above any page the API returns (a 500-item page is well under 1 MiB).
pub(crate) const DEFAULT_MAX_BODY_SIZE: usize = 32 * 1024 * 1024;

/// How much of an error answer's body is kept (for the error body and its excerpt); the
/// rest is not read. Error bodies of the API are a few hundred bytes.
pub(crate) const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// At most this much of a body the operation does not use is read (so an HTTP/1.1
/// connection can be reused); a longer body closes the connection instead.
pub(crate) const DRAIN_LIMIT: usize = 64 * 1024;

/// What [`read_limited`] read.
pub(crate) struct Limited {
    /// The body, or its first `limit` bytes.
    pub(crate) bytes: Bytes,
    /// `false`: the body is longer than the limit; its remainder was not read.
    pub(crate) complete: bool,
}

/// Reads the body of `response` up to `limit` bytes, chunk by chunk: memory never holds
/// more than `limit` bytes of it plus one chunk. Stops at the first chunk that would go
/// past the limit (the rest is left unread; dropping `response` then closes the
/// connection). The body's timeouts (per read, and the request's total) apply.
pub(crate) async fn read_limited(
    response: &mut reqwest::Response,
    limit: usize,
) -> Result<Limited, reqwest::Error> {
    // One chunk (the usual case) is kept as is, without a copy.
    let mut first: Option<Bytes> = None;
    let mut joined: Option<BytesMut> = None;
    let mut len = 0_usize;
    while let Some(chunk) = response.chunk().await? {
        let total = len.saturating_add(chunk.len());
        if total > limit {
            let keep = limit - len;
            let mut out = joined.unwrap_or_else(|| {
                let mut buf = BytesMut::with_capacity(limit);
                buf.extend_from_slice(first.as_deref().unwrap_or_default());
                buf
            });
            out.extend_from_slice(chunk.get(..keep).unwrap_or_default());
            return Ok(Limited {
                bytes: out.freeze(),
                complete: false,
            });
        }
        len = total;
        match (&mut joined, first.take()) {
            (Some(buf), _) => buf.extend_from_slice(&chunk),
            (None, None) => first = Some(chunk),
            (None, Some(previous)) => {
                let capacity = response
                    .content_length()
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(len)
                    .clamp(len, limit);
                let mut buf = BytesMut::with_capacity(capacity);
                buf.extend_from_slice(&previous);
                buf.extend_from_slice(&chunk);
                joined = Some(buf);
            }
        }
    }
    let bytes = match joined {
        Some(buf) => buf.freeze(),
        None => first.unwrap_or_default(),
    };
    Ok(Limited {
        bytes,
        complete: true,
    })
}

/// Disposes of a body the operation does not use, without waiting for it: whatever has
/// already arrived is read (up to [`DRAIN_LIMIT`] bytes) so that a complete, short body
/// leaves the connection reusable; anything else (a long, endless, stalled or still
/// travelling body) is dropped with the connection. Returns the number of bytes read.
pub(crate) fn discard(mut response: reqwest::Response) -> usize {
    if response
        .content_length()
        .is_some_and(|n| n > DRAIN_LIMIT as u64)
    {
        return 0;
    }
    let mut drained = 0_usize;
    while drained <= DRAIN_LIMIT {
        match response.chunk().now_or_never() {
            Some(Ok(Some(chunk))) => drained = drained.saturating_add(chunk.len()),
            // The end (the connection goes back to the pool), an error, or nothing yet.
            _ => break,
        }
    }
    drained
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;
    use std::pin::Pin;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::{Context, Poll};

    use http_body::Frame;

    use super::*;

    /// An endless body that counts the bytes it has handed out.
    struct Endless {
        chunk: Bytes,
        produced: Arc<AtomicUsize>,
    }

    impl http_body::Body for Endless {
        type Data = Bytes;
        type Error = Infallible;

        fn poll_frame(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            self.produced.fetch_add(self.chunk.len(), Ordering::SeqCst);
            Poll::Ready(Some(Ok(Frame::data(self.chunk.clone()))))
        }
    }

    fn endless(chunk_size: usize) -> (reqwest::Response, Arc<AtomicUsize>) {
        let produced = Arc::new(AtomicUsize::new(0));
        let body = Endless {
            chunk: Bytes::from(vec![b'a'; chunk_size]),
            produced: Arc::clone(&produced),
        };
        let response = http::Response::new(reqwest::Body::wrap(body));
        (reqwest::Response::from(response), produced)
    }

    #[tokio::test]
    async fn an_endless_body_is_read_up_to_the_limit_and_no_further() {
        for (limit, chunk) in [(1 << 20, 16 * 1024), (1000, 7), (0, 5), (10, 100)] {
            let (mut response, produced) = endless(chunk);
            let read = read_limited(&mut response, limit).await.unwrap();
            assert!(!read.complete);
            assert_eq!(read.bytes.len(), limit);
            // Pulled from the body: the limit plus at most the one chunk that crossed it.
            let pulled = produced.load(Ordering::SeqCst);
            assert!(
                pulled <= limit + chunk,
                "pulled {pulled} for a limit of {limit}"
            );
        }
    }

    #[tokio::test]
    async fn a_body_within_the_limit_is_read_whole() {
        for body in ["", "x", "{\"a\":1}"] {
            let mut response = reqwest::Response::from(http::Response::new(body));
            let read = read_limited(&mut response, 7).await.unwrap();
            assert!(read.complete);
            assert_eq!(read.bytes, body.as_bytes());
        }
        let mut response = reqwest::Response::from(http::Response::new("12345678"));
        let read = read_limited(&mut response, 7).await.unwrap();
        assert!(!read.complete);
        assert_eq!(read.bytes, "1234567".as_bytes());
    }

    #[tokio::test]
    async fn an_unused_body_is_read_at_most_to_the_drain_limit() {
        let (response, produced) = endless(4096);
        let drained = discard(response);
        assert!(drained <= DRAIN_LIMIT + 4096, "drained {drained}");
        assert!(produced.load(Ordering::SeqCst) <= DRAIN_LIMIT + 4096);
        let response = reqwest::Response::from(http::Response::new("short"));
        assert_eq!(discard(response), 5);
    }
}
