//! Turning a received answer into a typed body or an [`Error`]: the one place where errors
//! are built from what a server sent, so the one place that scrubs it (with the call's
//! `Redactor`, carried by the `RawResponse`).

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use serde::de::{DeserializeOwned, Error as _};

use super::RawResponse;
use crate::generated::ErrorBody;
use crate::Error;

/// The `Content-Type` header, as text.
fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(CONTENT_TYPE)?;
    Some(String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// `application/json` or `application/<anything>+json` (parameters ignored).
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn unexpected(raw: &RawResponse) -> Error {
    Error::UnexpectedResponse {
        status: raw.status,
        content_type: content_type(&raw.headers).map(|ct| raw.redactor.text(&ct).into_owned()),
        excerpt: raw.redactor.excerpt(&raw.body),
    }
}

/// Decodes a 2xx body into `T`. An empty body is read as JSON `null`, so types that
/// accept it (`()`, `Option<_>`, `serde_json::Value`) get it and the others get
/// [`Error::UnexpectedResponse`]; a non-JSON content type is one too.
pub(super) fn json_body<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, Error> {
    if raw.body.iter().all(u8::is_ascii_whitespace) {
        return serde_json::from_slice(b"null").map_err(|_| unexpected(raw));
    }
    if !content_type(&raw.headers).is_some_and(|ct| is_json(&ct)) {
        return Err(unexpected(raw));
    }
    decode(&raw.body).map_err(|(path, source)| {
        // serde quotes the offending value ("invalid type: string \"…\""): scrub the
        // message, and replace the source when it carried a secret.
        let message = source.to_string();
        let (message, source) = match raw.redactor.text(&message) {
            std::borrow::Cow::Borrowed(_) => (message, source),
            std::borrow::Cow::Owned(clean) => {
                let source = serde_json::Error::custom(&clean);
                (clean, source)
            }
        };
        Error::Decode {
            status: raw.status,
            path: raw.redactor.text(&path).into_owned(),
            message,
            excerpt: raw.redactor.excerpt(&raw.body),
            source,
        }
    })
}

/// Decodes a whole JSON document; on failure, the JSON path (`.` for the root) and error.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, (String, serde_json::Error)> {
    // The fast path: plain serde. Path tracking costs ~40% on a large page, so it runs only
    // to explain a failure (decoding is deterministic: it fails the same way again).
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| (e.path().to_string(), e.into_inner()))?;
    de.end().map_err(|e| (".".to_owned(), e))?;
    Ok(value)
}

/// The error for a non-2xx answer: [`Error::Api`] when the status is documented (or the
/// operation documents a default error) and the (whole) body decodes as the error body,
/// else [`Error::UnexpectedResponse`]. The error body is scrubbed after JSON decoding and
/// before it is typed, so its `detail`, `reason`, … hold no secret, whatever the escapes.
pub(super) fn error(raw: RawResponse, documented: &[u16], default_error: bool) -> Error {
    let status_documented = default_error || documented.contains(&raw.status.as_u16());
    // A JSON error body may come without a content type, never with a non-JSON one.
    let json_like = content_type(&raw.headers).is_none_or(|ct| is_json(&ct));
    if !(status_documented && json_like && raw.complete) {
        return unexpected(&raw);
    }
    let body = serde_json::from_slice::<serde_json::Value>(&raw.body).and_then(|mut value| {
        raw.redactor.json(&mut value);
        serde_json::from_value::<ErrorBody>(value)
    });
    match body {
        Ok(body) => Error::Api {
            status: raw.status,
            body: Box::new(body),
            headers: Box::new(raw.headers),
        },
        Err(_) => unexpected(&raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types() {
        for ct in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            "application/vnd.atlas.2024-11-13+json",
            "application/vnd.atlas.2023-01-01+json;charset=utf-8",
            "application/problem+json",
        ] {
            assert!(is_json(ct), "{ct}");
        }
        for ct in [
            "text/plain",
            "text/html; charset=utf-8",
            "application/xml",
            "json",
            "",
        ] {
            assert!(!is_json(ct), "{ct}");
        }
    }
}
