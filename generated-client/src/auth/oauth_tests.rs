use std::time::Duration;

use futures::future::join_all;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::auth::test_support::assert_credentials_error;

const ID: &str = "mdb_sa_id_0123456789";
const SECRET: &str = "mdb_sa_sk_s3cr3t-VALUE+/=";

fn token_body(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": token, "expires_in": expires_in, "token_type": "Bearer"
    }))
}

fn token_mock() -> wiremock::MockBuilder {
    Mock::given(method("POST")).and(path("/api/oauth/token"))
}

/// The token cache of an Atlas service account under `base`
/// (`{base}/api/oauth/token`, no scope), as the client builds it.
fn atlas_oauth(base: &str, user_agent: &str) -> OAuth {
    OAuth::with_endpoint(
        ID.into(),
        Secret::new(SECRET.into()),
        under_base(&Url::parse(base).unwrap(), DEFAULT_TOKEN_PATH),
        None,
        reqwest::Client::new(),
        user_agent.into(),
    )
}

fn oauth_for(server: &MockServer) -> OAuth {
    atlas_oauth(&server.uri(), "atlas-admin-test/1.0")
}

/// An `OAuth` whose token endpoint is `http://127.0.0.1:{port}`.
fn oauth_on_port(port: u16) -> OAuth {
    atlas_oauth(&format!("http://127.0.0.1:{port}"), "ua")
}

/// Moves tokio's clock forward (the token cache uses `tokio::time::Instant`).
async fn advance_clock(by: Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

async fn bearer(o: &OAuth) -> String {
    let value = o.authorization(None).await.unwrap();
    assert!(value.is_sensitive());
    value.to_str().unwrap().to_owned()
}

#[test]
fn token_url_keeps_base_path() {
    for (base, expected) in [
        (
            "https://cloud.mongodb.com",
            "https://cloud.mongodb.com/api/oauth/token",
        ),
        (
            "https://cloud.mongodb.com/",
            "https://cloud.mongodb.com/api/oauth/token",
        ),
        (
            "http://127.0.0.1:8080/proxy/",
            "http://127.0.0.1:8080/proxy/api/oauth/token",
        ),
        (
            "http://127.0.0.1:8080/p?x=1",
            "http://127.0.0.1:8080/p/api/oauth/token",
        ),
    ] {
        assert_eq!(
            under_base(&Url::parse(base).unwrap(), DEFAULT_TOKEN_PATH).as_str(),
            expected
        );
    }
}

#[tokio::test]
async fn request_shape_is_exact() {
    let server = MockServer::start().await;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{ID}:{SECRET}"));
    token_mock()
        .and(header("authorization", format!("Basic {basic}").as_str()))
        .and(header("accept", "application/json"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(header("user-agent", "atlas-admin-test/1.0"))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(token_body("tok-1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    let o = oauth_for(&server);
    assert_eq!(bearer(&o).await, "Bearer tok-1");
    assert_eq!(bearer(&o).await, "Bearer tok-1");
}

/// `callers` concurrent requests for a token on a cold cache, against a token endpoint
/// answering `answer` (a `tok-1` token): all get it, from exactly one token request.
async fn assert_one_fetch_for_concurrent_callers(answer: ResponseTemplate, callers: usize) {
    let server = MockServer::start().await;
    token_mock()
        .respond_with(answer)
        .expect(1)
        .mount(&server)
        .await;
    let o = std::sync::Arc::new(oauth_for(&server));
    let tasks = (0..callers).map(|_| {
        let o = o.clone();
        tokio::spawn(async move { bearer(&o).await })
    });
    for got in join_all(tasks).await {
        assert_eq!(got.unwrap(), "Bearer tok-1");
    }
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_callers_on_a_cold_cache_make_one_token_request() {
    let answer = token_body("tok-1", 3600).set_delay(Duration::from_millis(200));
    assert_one_fetch_for_concurrent_callers(answer, 50).await;
}

#[tokio::test]
async fn token_is_refreshed_shortly_before_expiry() {
    let server = MockServer::start().await;
    token_mock()
        .respond_with(token_body("tok-1", 3600))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_mock()
        .respond_with(token_body("tok-2", 3600))
        .expect(1)
        .mount(&server)
        .await;
    let o = oauth_for(&server);
    assert_eq!(bearer(&o).await, "Bearer tok-1");

    advance_clock(Duration::from_secs(3500)).await;
    assert_eq!(bearer(&o).await, "Bearer tok-1", "100 s left: still fresh");

    advance_clock(Duration::from_secs(45)).await;
    assert_eq!(bearer(&o).await, "Bearer tok-2", "55 s left: refreshed");
    assert_eq!(bearer(&o).await, "Bearer tok-2");
}

#[tokio::test]
async fn short_lived_token_uses_a_tenth_of_its_lifetime_as_margin() {
    let server = MockServer::start().await;
    token_mock()
        .respond_with(token_body("short", 100))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    token_mock()
        .respond_with(token_body("next", 100))
        .mount(&server)
        .await;
    let o = oauth_for(&server);
    assert_eq!(bearer(&o).await, "Bearer short");
    advance_clock(Duration::from_secs(85)).await;
    assert_eq!(bearer(&o).await, "Bearer short");
    advance_clock(Duration::from_secs(6)).await;
    assert_eq!(bearer(&o).await, "Bearer next");
}

#[tokio::test]
async fn unauthorized_drops_the_token_once() {
    let server = MockServer::start().await;
    for (i, token) in ["tok-1", "tok-2"].into_iter().enumerate() {
        token_mock()
            .respond_with(token_body(token, 3600))
            .up_to_n_times(1)
            .expect(1)
            .named(format!("token {i}"))
            .mount(&server)
            .await;
    }
    let o = oauth_for(&server);
    assert_eq!(bearer(&o).await, "Bearer tok-1");

    // Twenty requests made with tok-1 all get a 401 and replay: one refetch in total.
    let replays = (0..20).map(|_| async {
        assert!(o.handle_unauthorized());
        bearer(&o).await
    });
    for got in join_all(replays).await {
        assert_eq!(got, "Bearer tok-2");
    }
    // A late 401 for a tok-1 request doesn't discard tok-2.
    assert!(o.handle_unauthorized());
    assert_eq!(bearer(&o).await, "Bearer tok-2");
    server.verify().await;
}

#[tokio::test]
async fn unauthorized_after_the_grace_period_refetches() {
    let server = MockServer::start().await;
    for token in ["tok-1", "tok-2", "tok-3"] {
        token_mock()
            .respond_with(token_body(token, 3600))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    let o = oauth_for(&server);
    assert_eq!(bearer(&o).await, "Bearer tok-1");
    o.handle_unauthorized();
    assert_eq!(bearer(&o).await, "Bearer tok-2");
    advance_clock(INVALIDATION_GRACE + Duration::from_secs(1)).await;
    o.handle_unauthorized();
    assert_eq!(bearer(&o).await, "Bearer tok-3");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn refused_token_requests_are_credentials_errors_without_secrets() {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{ID}:{SECRET}"));
    let cases: Vec<(ResponseTemplate, u16)> = vec![
        (
            ResponseTemplate::new(401).set_body_json(serde_json::json!({
                "error": "invalid_client",
                "error_description": format!("bad secret {SECRET} in Basic {basic}"),
            })),
            401,
        ),
        (
            ResponseTemplate::new(500).set_body_string(format!("oops {SECRET} oops")),
            500,
        ),
        (
            ResponseTemplate::new(200)
                .set_body_raw("<html><body>proxy login</body></html>", "text/html"),
            200,
        ),
        (
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"token_type": "Bearer", "expires_in": 3600})),
            200,
        ),
        (
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": "leaky-token", "token_type": "MAC", "expires_in": 3600
            })),
            200,
        ),
        (
            ResponseTemplate::new(400).set_body_string("x".repeat(10_000) + SECRET),
            400,
        ),
    ];
    for (response, status) in cases {
        let server = MockServer::start().await;
        token_mock().respond_with(response).mount(&server).await;
        let o = oauth_for(&server);
        let err = o.authorization(None).await.unwrap_err();
        assert_credentials_error(&err, Some(status), &[SECRET, &basic, "leaky-token"]);
        assert!(format!("{err:?}").len() < 4096, "excerpt is bounded");
    }
}

#[tokio::test]
async fn concurrent_callers_share_one_failed_token_request() {
    let server = MockServer::start().await;
    token_mock()
        .respond_with(ResponseTemplate::new(503).set_delay(Duration::from_millis(100)))
        .expect(1)
        .mount(&server)
        .await;
    let o = oauth_for(&server);
    for result in join_all((0..20).map(|_| o.authorization(None))).await {
        assert_credentials_error(&result.unwrap_err(), Some(503), &[SECRET]);
    }
    server.verify().await;
}

#[tokio::test]
async fn unreachable_token_endpoint_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let o = oauth_on_port(port);
    let err = o.authorization(None).await.unwrap_err();
    assert!(matches!(err, crate::Error::Transport { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains(SECRET));
}

#[tokio::test]
async fn hanging_token_endpoint_times_out() {
    let server = MockServer::start().await;
    token_mock()
        .respond_with(token_body("late", 3600).set_delay(Duration::from_secs(600)))
        .mount(&server)
        .await;
    let o = oauth_for(&server);
    // Paused time auto-advances while the runtime waits: the 30 s bound fires at once.
    tokio::time::pause();
    let err = o.authorization(None).await.unwrap_err();
    tokio::time::resume();
    assert!(matches!(err, crate::Error::Timeout { .. }), "{err:?}");
}

fn token_expiring_in(token: &str, expires_in: f64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": token, "expires_in": expires_in, "token_type": "Bearer"
    }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_near_zero_lifetime_still_gives_one_token_request_for_a_burst() {
    let answer = token_expiring_in("tok-1", 1e-9).set_delay(Duration::from_millis(100));
    assert_one_fetch_for_concurrent_callers(answer, 100).await;
}

#[tokio::test]
async fn a_near_zero_lifetime_is_raised_to_the_floor() {
    let server = MockServer::start().await;
    token_mock()
        .respond_with(token_expiring_in("tok-1", 1e-9))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    token_mock()
        .respond_with(token_expiring_in("tok-2", 1e-9))
        .expect(1)
        .mount(&server)
        .await;
    let o = oauth_for(&server);
    assert_eq!(bearer(&o).await, "Bearer tok-1");
    advance_clock(MIN_LIFETIME - Duration::from_millis(10)).await;
    assert_eq!(bearer(&o).await, "Bearer tok-1", "within the floor: reused");
    advance_clock(Duration::from_millis(20)).await;
    assert_eq!(
        bearer(&o).await,
        "Bearer tok-2",
        "past the floor: refetched"
    );
    server.verify().await;
}

#[tokio::test]
async fn an_endless_token_answer_is_cut_at_its_limit() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let written = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = written.clone();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let mut buf = vec![0; 4096];
        let _ = stream.read(&mut buf).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        let _ = stream.write_all(head.as_bytes()).await;
        let chunk = format!("{:x}\r\n{}\r\n", 8192, "a".repeat(8192));
        // Bounded, so the test ends even if the client never stops reading.
        for _ in 0..100_000 {
            if stream.write_all(chunk.as_bytes()).await.is_err() {
                break;
            }
            counter.fetch_add(8192, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let o = oauth_on_port(port);
    let err = o.authorization(None).await.unwrap_err();
    assert_credentials_error(&err, Some(200), &[SECRET]);
    assert!(err.to_string().contains("larger than 65536 bytes"), "{err}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    // What the server managed to write: the limit, plus what the kernel's socket buffers
    // held when the client hung up (a few MiB at most on loopback), never the 800 MiB.
    let written = written.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        written < 16 * 1024 * 1024,
        "the server wrote {written} bytes"
    );
}
