//! Servers that echo the client's secrets back, in every error shape: a JSON `detail`,
//! `reason`, array or key; escaped JSON; a non-JSON body quoting the request; an
//! undocumented status with a `debug` field; a response header; a content type; a 2xx body
//! of the wrong shape (serde quotes the value); the token endpoint's error; the previous
//! and current OAuth tokens; a Digest answer (its computed `response`). Whatever the shape,
//! no secret reaches the error's `Display`, its `Debug`, its source chain, or the logs,
//! and each case asserts how many requests the server saw.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use atlas_admin::{Client, Credentials, Error, RetryPolicy};
use common::{requests, GROUP_ID, OTHER_ID};
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BEARER: &str = "bearer-T0KEN-0f1e2d3c4b5a";
const PRIVATE_KEY: &str = "0f0e0d0c-PRIVATE-9a8b-7c6d";
const CLIENT_ID: &str = "mdb_sa_id_0123";
const CLIENT_SECRET: &str = "mdb_sa_sk_S3CRET+/=value";

/// Everything `tracing` prints during a test (TRACE level), to check it for secrets.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        let logs = Self::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        (logs, tracing::subscriber::set_default(subscriber))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Everything a user could print of `err`: `Display`, `Debug`, the source chain, the
/// typed error body.
fn shown(err: &Error) -> String {
    let mut out = format!("{err}\n{err:?}\n{:?}", err.api_error());
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        out.push_str(&format!("\n{s}\n{s:?}"));
        source = s.source();
    }
    out
}

fn assert_clean(label: &str, err: &Error, logs: &Logs, secrets: &[&str]) {
    let shown = shown(err);
    let logs = logs.text();
    for secret in secrets {
        assert!(
            !shown.contains(secret),
            "{label}: `{secret}` shown in:\n{shown}"
        );
        assert!(
            !logs.contains(secret),
            "{label}: `{secret}` logged in:\n{logs}"
        );
    }
}

fn authorization(req: &Request) -> String {
    req.headers
        .get("authorization")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default()
}

/// The request as a server would quote it back (request line and every header).
fn quoted(req: &Request) -> String {
    let mut out = format!("{} {}\n", req.method, req.url);
    for (name, value) in &req.headers {
        out.push_str(&format!(
            "{name}: {}\n",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    out
}

fn api_error(status: u16, detail: &str, reason: &str) -> serde_json::Value {
    json!({"error": status, "errorCode": "ECHO", "reason": reason, "detail": detail, "parameters": []})
}

type Echo = fn(&Request) -> ResponseTemplate;

/// Every error shape, each echoing the request's `Authorization` (or its token).
fn shapes() -> Vec<(&'static str, Echo)> {
    vec![
        ("JSON detail", |r| {
            ResponseTemplate::new(404).set_body_json(api_error(
                404,
                &format!("you sent {}", authorization(r)),
                "Not Found",
            ))
        }),
        ("JSON reason", |r| {
            ResponseTemplate::new(404).set_body_json(api_error(404, "nope", &authorization(r)))
        }),
        ("JSON detail, every character escaped", |r| {
            let escaped: String = authorization(r)
                .encode_utf16()
                .map(|u| format!("\\u{u:04x}"))
                .collect();
            let body = format!(
                r#"{{"error": 404, "errorCode": "ECHO", "reason": "x", "detail": "{escaped}"}}"#
            );
            ResponseTemplate::new(404).set_body_raw(body, "application/json")
        }),
        ("JSON parameters array", |r| {
            let mut body = api_error(404, "nope", "Not Found");
            body["parameters"] = json!([authorization(r)]);
            ResponseTemplate::new(404).set_body_json(body)
        }),
        (
            "JSON key (undocumented status: the excerpt shows it)",
            |r| {
                let mut body = api_error(418, "nope", "I'm a teapot");
                body[authorization(r)] = json!(1);
                ResponseTemplate::new(418).set_body_json(body)
            },
        ),
        ("non-JSON body quoting the request", |r| {
            ResponseTemplate::new(400).set_body_raw(quoted(r), "text/plain")
        }),
        ("undocumented 502 with a debug field", |r| {
            ResponseTemplate::new(502).set_body_json(json!({"debug": authorization(r)}))
        }),
        ("response header", |r| {
            ResponseTemplate::new(404)
                .insert_header("x-echo-authorization", authorization(r).as_str())
                .set_body_json(api_error(404, "nope", "Not Found"))
        }),
        ("content type", |r| {
            let token = authorization(r).replace(' ', "-");
            ResponseTemplate::new(418)
                .set_body_raw("?", format!("text/plain; echo={token}").as_str())
        }),
        ("2xx of the wrong shape (serde quotes the value)", |r| {
            ResponseTemplate::new(200).set_body_json(json!({"paused": authorization(r)}))
        }),
        ("2xx of the wrong shape, truncated", |r| {
            let body = format!(r#"{{"id": "{}", "paused": 3"#, authorization(r));
            ResponseTemplate::new(200).set_body_raw(body, "application/json")
        }),
    ]
}

async fn echo_server(echo: Echo) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(echo)
        .mount(&server)
        .await;
    server
}

async fn get_archive(client: &Client) -> Result<(), Error> {
    client
        .get_online_archive(GROUP_ID, "Cluster0", OTHER_ID)
        .send()
        .await
        .map(drop)
}

fn client(server: &MockServer, credentials: Credentials) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(credentials)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_echoed_bearer_token_is_never_shown() {
    let (logs, _guard) = Logs::capture();
    for (label, echo) in shapes() {
        let server = echo_server(echo).await;
        let err = get_archive(&client(&server, Credentials::bearer(BEARER)))
            .await
            .unwrap_err();
        assert_clean(label, &err, &logs, &[BEARER]);
        // The echo is kept, masked: `***` in text, `Sensitive` for a header value.
        let masked = shown(&err).contains("***") || shown(&err).contains("Sensitive");
        assert!(masked, "{label}: the echo was dropped, not masked: {err:?}");
        assert_eq!(requests(&server).await.len(), 1, "{label}");
    }
}

#[tokio::test]
async fn the_typed_error_body_is_scrubbed_not_only_its_display() {
    let server = echo_server(shapes()[0].1).await;
    let err = get_archive(&client(&server, Credentials::bearer(BEARER)))
        .await
        .unwrap_err();
    let body = serde_json::to_value(err.api_error().expect("an API error")).unwrap();
    assert_eq!(body["detail"], "you sent ***");
    assert_eq!(err.error_code(), Some("ECHO"));
    assert_eq!(requests(&server).await.len(), 1);
}

/// A Digest server: a challenge for a request without `Authorization`, else the echo.
fn digest_echo(echo: Echo) -> impl Fn(&Request) -> ResponseTemplate {
    move |r: &Request| {
        if authorization(r).is_empty() {
            ResponseTemplate::new(401).insert_header(
                "www-authenticate",
                r#"Digest realm="atlas", nonce="n0nce-1", qop="auth", algorithm=SHA-256"#,
            )
        } else {
            echo(r)
        }
    }
}

/// The `response="…"` of a Digest answer.
fn digest_response(value: &str) -> String {
    let start = value.find("response=\"").expect("a response parameter") + 10;
    value[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn an_echoed_digest_answer_is_never_shown() {
    let (logs, _guard) = Logs::capture();
    for (label, echo) in shapes() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(digest_echo(echo))
            .mount(&server)
            .await;
        let credentials = Credentials::digest("public-key-abc", PRIVATE_KEY);
        let err = get_archive(&client(&server, credentials))
            .await
            .unwrap_err();
        let received = requests(&server).await;
        assert_eq!(received.len(), 2, "{label}: the challenge, then the answer");
        let answer = authorization(&received[1]);
        let response = digest_response(&answer);
        assert_clean(label, &err, &logs, &[PRIVATE_KEY, &response, &answer]);
    }
}

async fn token_endpoint(server: &MockServer, answer: ResponseTemplate, times: u64) {
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(answer)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
}

/// A call with service-account credentials that is expected to fail.
async fn service_account_call(server: &MockServer) -> Error {
    let credentials = Credentials::service_account(CLIENT_ID, CLIENT_SECRET);
    get_archive(&client(server, credentials))
        .await
        .expect_err("the server fails the call")
}

fn basic() -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
}

#[tokio::test]
async fn a_token_endpoint_that_echoes_the_client_secret() {
    let (logs, _guard) = Logs::capture();
    let echoes: [(&str, Echo); 3] = [
        ("JSON error_description", |r| {
            ResponseTemplate::new(401).set_body_json(json!({
                "error": "invalid_client",
                "error_description": format!("bad credentials: {}", authorization(r)),
            }))
        }),
        ("non-JSON quoting the request", |r| {
            ResponseTemplate::new(400).set_body_raw(quoted(r), "text/plain")
        }),
        ("the secret itself, form-encoded and in a header", |_| {
            let encoded: String =
                url::form_urlencoded::byte_serialize(CLIENT_SECRET.as_bytes()).collect();
            ResponseTemplate::new(403)
                .insert_header("x-echo", CLIENT_SECRET)
                .set_body_raw(
                    format!("client_secret={encoded} / {CLIENT_SECRET}"),
                    "text/plain",
                )
        }),
    ];
    for (label, echo) in echoes {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/api/oauth/token"))
            .respond_with(echo)
            .mount(&server)
            .await;
        let err = service_account_call(&server).await;
        assert!(matches!(err, Error::Credentials { .. }), "{label}: {err:?}");
        assert_clean(label, &err, &logs, &[CLIENT_SECRET, &basic()]);
        let received = requests(&server).await;
        assert_eq!(
            received.len(),
            1,
            "{label}: one token request, no API request"
        );
        assert_eq!(received[0].url.path(), "/api/oauth/token");
    }
}

#[tokio::test]
async fn the_previous_and_current_tokens_are_never_shown() {
    let (logs, _guard) = Logs::capture();
    let server = MockServer::start().await;
    let token = |t: &str| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"access_token": t, "expires_in": 3600, "token_type": "Bearer"}))
    };
    token_endpoint(&server, token("first-T0KEN-aaaa"), 1).await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(token("second-T0KEN-bbbb"))
        .with_priority(2)
        .mount(&server)
        .await;
    // The first API request is refused (the token is discarded and refetched); the replay
    // gets a 404 quoting both tokens.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(api_error(
            404,
            "old: Bearer first-T0KEN-aaaa, new: Bearer second-T0KEN-bbbb",
            "second-T0KEN-bbbb",
        )))
        .with_priority(2)
        .mount(&server)
        .await;
    let err = service_account_call(&server).await;
    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    assert_clean(
        "previous and current token",
        &err,
        &logs,
        &["first-T0KEN-aaaa", "second-T0KEN-bbbb", CLIENT_SECRET],
    );
    let paths: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.path()))
        .collect();
    assert_eq!(paths.len(), 4, "{paths:?}");
    assert_eq!(
        paths
            .iter()
            .filter(|p| p.ends_with("/api/oauth/token"))
            .count(),
        2,
        "{paths:?}"
    );
}
