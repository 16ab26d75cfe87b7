//! `execute` driven with hand-made `RequestSpec`s against a local wiremock server.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::{Body, Client, PathPart, RequestSpec};
use crate::codec::json_body;
use crate::encode::{Param, Params};
use crate::{Credentials, Error, Jitter, RetryPolicy};

const VND: &str = "application/vnd.atlas.2024-11-13+json";
const USER_AGENT: &str = concat!("atlas-admin/", env!("CARGO_PKG_VERSION"));

fn spec(method: Method, path: Vec<PathPart>) -> RequestSpec {
    RequestSpec {
        operation_id: "testOperation",
        method,
        path,
        params: Params::new(),
        accept: VND,
        body: None,
        error_statuses: &[400, 401, 403, 404, 409, 429, 500],
        default_error: false,
    }
}

fn lit(s: &'static str) -> PathPart {
    PathPart::Literal(s)
}

fn param(s: &str) -> PathPart {
    PathPart::Param(s.to_owned())
}

fn get(p: &'static str) -> RequestSpec {
    spec(Method::GET, vec![lit(p)])
}

fn post(p: &'static str, body: &Value) -> RequestSpec {
    RequestSpec {
        body: Some(json_body(VND, body).unwrap()),
        ..spec(Method::POST, vec![lit(p)])
    }
}

/// Retries with short, exact waits.
fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .initial_backoff(Duration::from_millis(10))
        .jitter(Jitter::None)
}

fn client_with(base: &str, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base)
        .retry_policy(retry)
        .build()
        .unwrap()
}

fn client(server: &MockServer) -> Client {
    client_with(&server.uri(), fast())
}

fn vnd_json(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), VND)
}

fn api_error(status: u16, code: &str) -> ResponseTemplate {
    let body = json!({
        "error": status, "errorCode": code, "reason": "Not Found",
        "detail": format!("{code} happened."), "parameters": []
    });
    ResponseTemplate::new(status).set_body_json(body)
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

#[test]
fn client_and_futures_are_send_sync() {
    fn send_sync<T: Send + Sync + Clone + 'static>() {}
    fn is_send<T: Send>(_: &T) {}
    send_sync::<Client>();
    let client = Client::builder().build().unwrap();
    is_send(&client.execute::<Value>(get("/x")));
    is_send(&client.execute_empty(get("/x")));
}

#[tokio::test]
async fn sends_exact_method_path_query_headers_and_body() {
    let server = MockServer::start().await;
    let body = json!({"collName": "c", "criteria": {"type": "DATE", "expireAfterDays": 7}});
    Mock::given(method("POST"))
        .and(path("/api/atlas/v2/groups/g1/clusters/c1/onlineArchives"))
        .and(header("accept", VND))
        .and(header("content-type", VND))
        .and(header("user-agent", USER_AGENT))
        .and(header("authorization", "Bearer tok-123"))
        .and(header("x-custom", "v 1"))
        .and(body_json(&body))
        .respond_with(vnd_json(201, &json!({"_id": "a1", "state": "PENDING"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::bearer("tok-123"))
        .build()
        .unwrap();
    let request = RequestSpec {
        params: [
            (Param::query("pretty"), "true"),
            (Param::query("itemsPerPage"), "50"),
            (Param::query("name"), "a b&c=d/é"),
            (Param::header("X-Custom"), "v 1"),
        ]
        .into_iter()
        .collect(),
        body: Some(json_body(VND, &body).unwrap()),
        ..spec(
            Method::POST,
            vec![
                lit("/api/atlas/v2/groups/"),
                param("g1"),
                lit("/clusters/"),
                param("c1"),
                lit("/onlineArchives"),
            ],
        )
    };
    let response = client.execute::<Value>(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.body()["_id"], "a1");
    assert_eq!(response.headers()["content-type"], VND);
    let sent = requests(&server).await;
    assert_eq!(
        sent[0].url.query(),
        Some("pretty=true&itemsPerPage=50&name=a%20b%26c%3Dd%2F%C3%A9")
    );
}

#[tokio::test]
async fn path_params_arrive_encoded_exactly_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(vnd_json(200, &json!({})))
        .mount(&server)
        .await;
    let azure =
        "/subscriptions/abc/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe1";
    let cases = [
        ("a/b?c#d", "/g/a%2Fb%3Fc%23d/x"),
        ("%2F", "/g/%252F/x"),
        ("é", "/g/%C3%A9/x"),
        ("...", "/g/.../x"),
        (
            azure,
            "/g/%2Fsubscriptions%2Fabc%2FresourceGroups%2Frg%2Fproviders%2FMicrosoft.Network%2FprivateEndpoints%2Fpe1/x",
        ),
    ];
    let client = client(&server);
    for (value, _) in &cases {
        let request = spec(Method::GET, vec![lit("/g/"), param(value), lit("/x")]);
        client.execute::<Value>(request).await.unwrap();
    }
    let paths: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    let expected: Vec<&str> = cases.iter().map(|(_, p)| *p).collect();
    assert_eq!(paths, expected);
}

#[tokio::test]
async fn base_url_path_is_kept() {
    let server = MockServer::start().await;
    Mock::given(path("/proxy/api/x/p1"))
        .respond_with(vnd_json(200, &json!(1)))
        .expect(1)
        .mount(&server)
        .await;
    let client = client_with(&format!("{}/proxy/", server.uri()), fast());
    let request = spec(Method::GET, vec![lit("/api/x/"), param("p1")]);
    assert_eq!(client.execute::<u32>(request).await.unwrap().into_body(), 1);
}

#[tokio::test]
async fn dot_and_empty_segments_never_reach_the_server() {
    let server = MockServer::start().await;
    let client = client(&server);
    for value in ["..", ".", ""] {
        let request = spec(Method::DELETE, vec![lit("/g/"), param(value), lit("/x")]);
        let err = client.execute_empty(request).await.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidArgument { parameter, .. } if parameter == "path"),
            "{value:?}: {err:?}"
        );
    }
    assert!(requests(&server).await.is_empty());
}

#[derive(Debug, Deserialize)]
struct Page {
    results: Vec<Item>,
    #[serde(rename = "totalCount")]
    total_count: u64,
}

#[derive(Debug, Deserialize)]
struct Item {
    id: String,
}

#[tokio::test]
async fn decodes_vendor_and_plain_json() {
    let server = MockServer::start().await;
    let page = json!({"results": [{"id": "s1"}, {"id": "s2"}], "totalCount": 2});
    Mock::given(path("/vnd"))
        .respond_with(vnd_json(200, &page))
        .mount(&server)
        .await;
    Mock::given(path("/plain"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(page.to_string(), "application/json; charset=utf-8"),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    for p in ["/vnd", "/plain"] {
        let page: Page = client.execute(get(p)).await.unwrap().into_body();
        assert_eq!(page.total_count, 2);
        assert_eq!(page.results[1].id, "s2");
    }
}

#[tokio::test]
async fn documented_error_status_is_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(api_error(404, "GROUP_NOT_FOUND").insert_header("x-request-id", "req-1"))
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .execute::<Value>(get("/g"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    assert_eq!(err.error_code(), Some("GROUP_NOT_FOUND"));
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.request_id(), Some("req-1"));
    let body = serde_json::to_value(err.api_error().unwrap()).unwrap();
    assert_eq!(body["reason"], "Not Found");
    assert!(!err.is_retryable());
    assert_eq!(
        err.to_string(),
        "API error 404 Not Found GROUP_NOT_FOUND: GROUP_NOT_FOUND happened."
    );
}

#[tokio::test]
async fn default_error_covers_undocumented_statuses() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(api_error(418, "TEAPOT"))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client.execute::<Value>(get("/t")).await.unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedResponse { status, .. } if status.as_u16() == 418),
        "{err:?}"
    );
    let request = RequestSpec {
        default_error: true,
        ..get("/t")
    };
    let err = client.execute::<Value>(request).await.unwrap_err();
    assert_eq!(err.error_code(), Some("TEAPOT"));
}

#[tokio::test]
async fn html_proxy_page_is_an_unexpected_response_with_excerpt() {
    let server = MockServer::start().await;
    let html = format!(
        "<html><body><h1>502 Bad Gateway</h1>{}</body></html>",
        "x".repeat(2000)
    );
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(502).set_body_raw(html, "text/html"))
        .expect(1)
        .mount(&server)
        .await;
    let request = RequestSpec {
        default_error: true,
        ..post("/c", &json!({}))
    };
    let err = client(&server).execute::<Value>(request).await.unwrap_err();
    let Error::UnexpectedResponse {
        status,
        content_type,
        excerpt,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, StatusCode::BAD_GATEWAY);
    assert_eq!(content_type.as_deref(), Some("text/html"));
    assert!(excerpt.starts_with("<html><body><h1>502 Bad Gateway</h1>"));
    assert!(excerpt.ends_with('…') && excerpt.len() < 600, "{excerpt}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn truncated_or_mistyped_json_is_a_decode_error_with_path() {
    let server = MockServer::start().await;
    Mock::given(path("/truncated"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(r#"{"results":[{"id":"s1"},{"id":"#, VND),
        )
        .mount(&server)
        .await;
    Mock::given(path("/mistyped"))
        .respond_with(vnd_json(
            200,
            &json!({"results": [{"id": "s1"}, {"id": 5}], "totalCount": 2}),
        ))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client.execute::<Page>(get("/truncated")).await.unwrap_err();
    let Error::Decode {
        status,
        path,
        excerpt,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, StatusCode::OK);
    assert!(path.starts_with("results[1]"), "{path}");
    assert_eq!(excerpt, r#"{"results":[{"id":"s1"},{"id":"#);
    let err = client.execute::<Page>(get("/mistyped")).await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { path, .. } if path == "results[1].id"),
        "{err:?}"
    );
    assert!(err.to_string().contains("results[1].id"), "{err}");
}

#[tokio::test]
async fn empty_body_is_unexpected_only_where_a_body_is_needed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client.execute::<Page>(get("/e")).await.unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedResponse { excerpt, .. } if excerpt.is_empty()),
        "{err:?}"
    );
    assert!(err.to_string().ends_with("empty body"), "{err}");
    assert_eq!(
        client
            .execute::<Option<Page>>(get("/e"))
            .await
            .unwrap()
            .into_body()
            .map(|p| p.total_count),
        None
    );
    let response = client
        .execute_empty(spec(Method::DELETE, vec![lit("/d")]))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn non_json_success_is_unexpected() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("all good", "text/plain"))
        .mount(&server)
        .await;
    let err = client(&server)
        .execute::<Value>(get("/p"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::UnexpectedResponse { content_type: Some(ct), excerpt, .. }
            if ct == "text/plain" && excerpt == "all good"),
        "{err:?}"
    );
}

/// Mounts `first` for the first `n` requests, then `then`.
async fn fail_then(server: &MockServer, n: u64, first: ResponseTemplate, then: ResponseTemplate) {
    Mock::given(wiremock::matchers::any())
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(wiremock::matchers::any())
        .respond_with(then)
        .with_priority(2)
        .mount(server)
        .await;
}

#[tokio::test]
async fn honours_retry_after_on_429_even_for_post() {
    let server = MockServer::start().await;
    let limited = api_error(429, "RATE_LIMITED").insert_header("retry-after", "1");
    fail_then(&server, 1, limited, vnd_json(200, &json!({"ok": true}))).await;
    let started = Instant::now();
    let body = json!({"name": "x"});
    let response = client(&server)
        .execute::<Value>(post("/c", &body))
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(response.body()["ok"], true);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|r| r.body == body.to_string().as_bytes()));
}

#[tokio::test]
async fn retry_after_beyond_the_cap_is_not_waited_for() {
    let server = MockServer::start().await;
    let limited = api_error(429, "RATE_LIMITED").insert_header("retry-after", "120");
    fail_then(&server, 1, limited, vnd_json(200, &json!({}))).await;
    let err = client(&server)
        .execute::<Value>(get("/c"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert!(err.is_retryable());
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn get_503_is_retried_then_succeeds() {
    let server = MockServer::start().await;
    fail_then(
        &server,
        2,
        ResponseTemplate::new(503),
        vnd_json(200, &json!([1])),
    )
    .await;
    let response = client(&server).execute::<Vec<u8>>(get("/c")).await.unwrap();
    assert_eq!(response.into_body(), [1]);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn post_500_is_sent_once() {
    let server = MockServer::start().await;
    fail_then(
        &server,
        1,
        api_error(500, "UNEXPECTED_ERROR"),
        vnd_json(200, &json!({})),
    )
    .await;
    let err = client(&server)
        .execute::<Value>(post("/c", &json!({})))
        .await
        .unwrap_err();
    assert_eq!(err.error_code(), Some("UNEXPECTED_ERROR"));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn get_500_is_retried_up_to_max_retries() {
    let server = MockServer::start().await;
    fail_then(
        &server,
        10,
        api_error(500, "UNEXPECTED_ERROR"),
        vnd_json(200, &json!({})),
    )
    .await;
    let client = client_with(&server.uri(), fast().max_retries(2));
    let err = client.execute::<Value>(get("/c")).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn retries_off_means_one_attempt() {
    let server = MockServer::start().await;
    fail_then(
        &server,
        1,
        ResponseTemplate::new(503),
        vnd_json(200, &json!({})),
    )
    .await;
    let client = client_with(&server.uri(), RetryPolicy::none());
    let err = client.execute::<Value>(get("/c")).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(requests(&server).await.len(), 1);
}

/// A loopback port with nothing listening on it (yet).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn refused_connections_are_retried_for_every_method() {
    for method in [Method::GET, Method::POST] {
        let port = free_port();
        // The server appears only after the first attempts were refused.
        let server = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(300)).await;
            let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
            let server = MockServer::builder().listener(listener).start().await;
            Mock::given(wiremock::matchers::any())
                .respond_with(vnd_json(200, &json!({"up": true})))
                .mount(&server)
                .await;
            server
        });
        let retry = RetryPolicy::default()
            .max_retries(8)
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(200))
            .jitter(Jitter::None);
        let client = client_with(&format!("http://127.0.0.1:{port}"), retry);
        let started = Instant::now();
        let request = RequestSpec {
            body: (method == Method::POST).then(|| json_body(VND, &json!({})).unwrap()),
            ..spec(method.clone(), vec![lit("/c")])
        };
        let response = client.execute::<Value>(request).await.unwrap();
        assert!(started.elapsed() >= Duration::from_millis(300), "{method}");
        assert_eq!(response.body()["up"], true);
        let server = server.await.unwrap();
        assert_eq!(requests(&server).await.len(), 1, "{method}");
    }
}

#[tokio::test]
async fn refused_connection_without_retries_is_a_transport_error() {
    let client = client_with(
        &format!("http://127.0.0.1:{}", free_port()),
        RetryPolicy::none(),
    );
    let err = client.execute::<Value>(get("/c")).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport { source } if source.is_connect()),
        "{err:?}"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn timeouts_fire_and_are_not_retried_for_post() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(vnd_json(200, &json!({})).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .timeout(Duration::from_millis(200))
        .retry_policy(fast().max_retries(1))
        .build()
        .unwrap();
    let err = client
        .execute::<Value>(post("/c", &json!({})))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(requests(&server).await.len(), 1);
    // Idempotent: one retry, then the timeout.
    let err = client.execute::<Value>(get("/c")).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn digest_401_is_replayed_once_with_the_same_body_and_no_retry_budget() {
    let server = MockServer::start().await;
    let challenge = r#"Digest realm="MMS Public API", qop="auth", nonce="n-1", algorithm=MD5"#;
    Mock::given(wiremock::matchers::any())
        .respond_with(move |request: &Request| {
            if request.headers.contains_key("authorization") {
                vnd_json(200, &json!({"ok": true}))
            } else {
                ResponseTemplate::new(401).insert_header("www-authenticate", challenge)
            }
        })
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::digest("pub", "priv-secret"))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let body = json!({"name": "sp"});
    let response = client.execute::<Value>(post("/c", &body)).await.unwrap();
    assert_eq!(response.body()["ok"], true);
    let sent = requests(&server).await;
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|r| r.body == body.to_string().as_bytes()));
    let authorization = sent[1].headers["authorization"].to_str().unwrap();
    assert!(authorization.starts_with("Digest "), "{authorization}");
}

#[tokio::test]
async fn a_second_401_is_the_error() {
    let server = MockServer::start().await;
    let challenge = r#"Digest realm="r", qop="auth", nonce="n-1", algorithm=MD5"#;
    Mock::given(wiremock::matchers::any())
        .respond_with(api_error(401, "UNAUTHORIZED").insert_header("www-authenticate", challenge))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::digest("pub", "wrong"))
        .build()
        .unwrap();
    let err = client.execute::<Value>(get("/c")).await.unwrap_err();
    assert_eq!(err.error_code(), Some("UNAUTHORIZED"));
    assert_eq!(requests(&server).await.len(), 2);
}

#[test]
fn debug_never_shows_secrets() {
    for credentials in [
        Credentials::bearer("s3cr3t-token"),
        Credentials::digest("public", "s3cr3t-key"),
        Credentials::service_account("id", "s3cr3t-sa"),
    ] {
        let builder = Client::builder().credentials(credentials);
        let shown = format!("{builder:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        let client = builder.build().unwrap();
        let shown = format!("{client:?} {:?}", client.clone());
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("https://cloud.mongodb.com/"), "{shown}");
    }
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
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
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test]
async fn traces_one_span_per_request_without_secrets() {
    let out = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(out.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = MockServer::start().await;
    fail_then(
        &server,
        1,
        ResponseTemplate::new(503),
        vnd_json(200, &json!({})),
    )
    .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::bearer("s3cr3t-token"))
        .retry_policy(fast())
        .build()
        .unwrap();
    let request = RequestSpec {
        params: [(Param::query("pretty"), "true")].into_iter().collect(),
        ..spec(Method::GET, vec![lit("/api/groups/"), param("g1")])
    };
    client.execute::<Value>(request).await.unwrap();
    let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    assert!(!text.contains("s3cr3t"), "{text}");
    assert!(!text.to_ascii_lowercase().contains("bearer"), "{text}");
    assert!(text.contains("retrying after an error status"), "{text}");
    let close = text
        .lines()
        .find(|l| l.contains("close"))
        .unwrap_or_default();
    for field in [
        "atlas_admin.request",
        "operation=\"testOperation\"",
        "method=GET",
        "path=\"/api/groups/g1\"",
        "attempt=2",
        "status=200",
    ] {
        assert!(close.contains(field), "{field} missing in: {text}");
    }
}

#[test]
fn body_is_cheap_to_clone() {
    let body = Body {
        content_type: VND,
        bytes: bytes::Bytes::from_static(b"{}"),
        multipart: None,
    };
    assert_eq!(body.clone(), body);
}
