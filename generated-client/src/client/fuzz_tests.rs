//! A bounded fuzz run (proptest) over the response-decoding path: any status × headers ×
//! body bytes (complete or cut) × secrets → `Result`, through everything the client does
//! with an answer once it is read: header scrubbing, the retry decision (`Retry-After`),
//! the 401 handling of a Digest challenge, decoding a 2xx into types of every kind (a
//! struct with optional, nested, list, date-time and internally tagged fields, JSON, `()`,
//! the generated error body), and building the error of a non-2xx. Spec-agnostic: the
//! runtime's tests compile against every generated crate. Nothing may panic, and no secret the redactor
//! holds may appear in the `Display` or `Debug` of any error.
//!
//! 256 cases per property in CI (a second or two); for a longer run:
//! `FUZZ_CASES=100000 cargo test -p atlas-admin --lib fuzz_`.

use bytes::Bytes;
use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::StatusCode;

use super::{decode, RawResponse};
use crate::auth::Authenticator;
use crate::redact::Redactor;
use crate::{Credentials, ErrorBody, RetryPolicy};

/// A success body of the kinds generated models have.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "only decoded and printed")]
struct Shape {
    id: Option<String>,
    paused: Option<bool>,
    total_count: Option<i32>,
    results: Option<Vec<Shape>>,
    created: Option<chrono::DateTime<chrono::Utc>>,
    criteria: Option<Criteria>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(tag = "type", rename_all = "UPPERCASE")]
#[allow(dead_code, reason = "only decoded and printed")]
enum Criteria {
    Custom { query: String },
    Date { expire_after_days: i64 },
}

fn config() -> ProptestConfig {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig::with_cases(cases)
}

/// Realistic secrets: long enough not to be a substring of everything (`***` included).
fn secret() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_-]{8,24}"
}

/// Bodies: raw bytes, JSON-ish text built from fragments (so the JSON paths are reached),
/// and real documents with a secret planted in them.
fn body(secrets: Vec<String>) -> impl Strategy<Value = Vec<u8>> {
    let fragments = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\\u00",
        "null",
        "true",
        "1e999",
        "-0",
        "\"detail\"",
        "\"reason\"",
        "\"errorCode\"",
        "\"error\"",
        "\"results\"",
        "\"id\"",
        "\"paused\"",
        "\"created\"",
        "\"2024-01-01T00:00:00Z\"",
        "\"query\"",
        "\"expireAfterDays\"",
        "\"totalCount\"",
        "\"criteria\"",
        "\"type\"",
        "\"CUSTOM\"",
        "\"DATE\"",
        "\"access_token\"",
        "\"password\"",
        "é",
        "\u{fffd}",
        " ",
        "\n",
        "404",
    ]);
    let planted = secrets.first().cloned().unwrap_or_default();
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        prop::collection::vec(fragments, 0..64).prop_map(|parts| parts.concat().into_bytes()),
        (0_usize..6).prop_map(move |shape| {
            let doc = match shape {
                0 => format!(
                    r#"{{"error": 404, "errorCode": "X", "detail": "{planted}", "reason": "r"}}"#
                ),
                1 => format!(r#"{{"results": [{{"id": "{planted}"}}], "totalCount": 3}}"#),
                2 => format!(r#"{{"paused": "{planted}"}}"#),
                3 => format!(r#"{{"criteria": {{"type": "{planted}"}}}}"#),
                4 => format!(r#"{{"{planted}": ["Bearer {planted}"]}}"#),
                _ => format!("<html>{planted}</html>"),
            };
            doc.into_bytes()
        }),
    ]
}

fn headers(secrets: Vec<String>) -> impl Strategy<Value = HeaderMap> {
    let planted = secrets.first().cloned().unwrap_or_default();
    let name = prop_oneof![
        Just("content-type".to_owned()),
        Just("retry-after".to_owned()),
        Just("www-authenticate".to_owned()),
        Just("x-request-id".to_owned()),
        Just(format!("x-{}", planted.to_ascii_lowercase())),
        "[a-z-]{1,12}",
    ];
    let value = prop_oneof![
        Just("application/json".to_owned()),
        Just("application/vnd.atlas.2024-11-13+json; charset=utf-8".to_owned()),
        Just("text/html".to_owned()),
        Just("Digest realm=\"r\", nonce=\"n\", qop=\"auth\"".to_owned()),
        Just(format!(
            "Digest realm=\"{planted}\", nonce=\"{planted}\", algorithm={planted}"
        )),
        Just("Sun, 06 Nov 1994 08:49:37 GMT".to_owned()),
        Just(format!("Bearer {planted}")),
        "[0-9]{1,25}",
        "[ -~]{0,40}",
    ];
    prop::collection::vec((name, value), 0..6).prop_map(|pairs| {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            if let (Ok(n), Ok(v)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(&value),
            ) {
                map.append(n, v);
            }
        }
        map
    })
}

/// A whole answer: status, headers, body, whether the body is complete, and the secrets.
fn answer() -> impl Strategy<Value = (RawResponse, Vec<String>)> {
    prop::collection::vec(secret(), 1..3).prop_flat_map(|secrets| {
        (
            100_u16..1000,
            headers(secrets.clone()),
            body(secrets.clone()),
            any::<bool>(),
            Just(secrets),
        )
            .prop_map(|(status, mut headers, body, complete, secrets)| {
                let mut redactor = Redactor::none();
                for s in &secrets {
                    redactor.add(s);
                }
                redactor.headers(&mut headers);
                let raw = RawResponse {
                    status: StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
                    headers,
                    body: Bytes::from(body),
                    complete,
                    redactor,
                };
                (raw, secrets)
            })
    })
}

fn assert_clean(shown: &str, secrets: &[String]) -> Result<(), TestCaseError> {
    for s in secrets {
        prop_assert!(!shown.contains(s.as_str()), "`{}` shown in {}", s, shown);
    }
    Ok(())
}

fn show<T: std::fmt::Debug>(result: &Result<T, crate::Error>) -> String {
    match result {
        Ok(v) => format!("{v:?}"),
        Err(e) => format!("{e} / {e:?}"),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_decoding_any_answer_never_panics_nor_shows_a_secret((raw, secrets) in answer()) {
        // What the attempt loop decides from the head.
        let _ = RetryPolicy::default().after_status(0, raw.status, &raw.headers, true);
        // Header values holding a secret print as `Sensitive`; names holding one are gone.
        assert_clean(&format!("{:?}", raw.headers), &secrets)?;

        // 2xx decoding, into types of every kind. Successes may hold the secret (it is
        // the user's data); errors may not.
        let results = [
            show(&decode::json_body::<Shape>(&raw)).len(),
            show(&decode::json_body::<Vec<Shape>>(&raw)).len(),
            show(&decode::json_body::<Criteria>(&raw)).len(),
            show(&decode::json_body::<Option<ErrorBody>>(&raw)).len(),
            show(&decode::json_body::<serde_json::Value>(&raw)).len(),
            show(&decode::json_body::<()>(&raw)).len(),
        ];
        prop_assert!(results.iter().all(|n| *n > 0));
        for err in [
            decode::json_body::<Shape>(&raw).err(),
            decode::json_body::<Criteria>(&raw).err(),
            decode::json_body::<()>(&raw).err(),
        ]
        .into_iter()
        .flatten()
        {
            assert_clean(&format!("{err} / {err:?}"), &secrets)?;
        }

        // The error of a non-2xx, documented or not.
        for (documented, default_error) in [(&[400_u16, 404, 500][..], false), (&[][..], true), (&[][..], false)] {
            let err = decode::error(raw.clone(), documented, default_error).scrubbed(&raw.redactor);
            let _ = (err.status(), err.error_code(), err.is_retryable(), err.request_id());
            assert_clean(&format!("{err} / {err:?}"), &secrets)?;
        }
    }

    #[test]
    fn fuzz_a_401_challenge_never_panics_nor_shows_the_key((raw, secrets) in answer()) {
        let auth = Authenticator::new(
            Credentials::digest("public", secrets[0].clone()),
            reqwest::Client::new(),
            url::Url::parse("http://127.0.0.1:9").unwrap_or_else(|_| unreachable!()),
            "fuzz".into(),
        );
        let outcome = futures::executor::block_on(auth.handle_unauthorized(&raw.headers));
        if let Err(err) = outcome {
            assert_clean(&format!("{err} / {err:?}"), &secrets[..1])?;
        }
        let url = url::Url::parse("http://127.0.0.1:9/a?b=c").unwrap_or_else(|_| unreachable!());
        let _ = futures::executor::block_on(auth.authorization(&reqwest::Method::GET, &url, None));
    }
}
