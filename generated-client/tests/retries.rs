//! Retries through real operations: `Retry-After` on 429/503, backoff on 5xx and
//! connection failures for idempotent calls only, POST/PATCH never sent twice once they may
//! have reached the server, `RetryPolicy::none()`, and timeouts.

mod common;

use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use atlas_admin::{models, Client, Error, RetryPolicy};
use common::{
    api_error, archive_body, archive_response, builder, client, json_response, requests, GROUP_ID,
    OTHER_ID,
};
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{any, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn get_archive(client: &Client) -> Result<models::BackupOnlineArchive, Error> {
    client
        .get_online_archive(GROUP_ID, "Cluster0", OTHER_ID)
        .send()
        .await
}

async fn create_archive(client: &Client) -> Result<models::BackupOnlineArchive, Error> {
    client
        .create_online_archive(GROUP_ID, "Cluster0", archive_body())
        .send()
        .await
}

/// Answers `first` to the first `n` requests, then the documented 200.
async fn fail_then_succeed(server: &MockServer, first: ResponseTemplate, n: u64) {
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(any())
        .respond_with(archive_response())
        .with_priority(2)
        .mount(server)
        .await;
}

fn error_response(status: u16, code: &str) -> ResponseTemplate {
    json_response(status, &api_error(status, code), "application/json")
}

#[tokio::test]
async fn rate_limited_429_waits_for_retry_after_then_succeeds_even_for_a_post() {
    let server = MockServer::start().await;
    fail_then_succeed(
        &server,
        error_response(429, "RATE_LIMITED").insert_header("Retry-After", "1"),
        1,
    )
    .await;

    let started = Instant::now();
    let archive = create_archive(&client(&server))
        .await
        .expect("the retry succeeds");
    let waited = started.elapsed();

    assert_eq!(archive.id.as_deref(), Some("32b6e34b3d91647abb20e7b8"));
    // The backoff of the policy is 10 ms: only Retry-After explains a one-second wait.
    assert!(waited >= Duration::from_millis(990), "waited {waited:?}");
    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    // 429 means "not processed": the POST is replayed with the same body.
    assert!(received.iter().all(|r| r.method.as_str() == "POST"));
    assert_eq!(received[0].body, received[1].body);
    assert!(!received[1].body.is_empty());
}

#[tokio::test]
async fn service_unavailable_then_ok_on_a_get_succeeds() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, ResponseTemplate::new(503), 1).await;

    get_archive(&client(&server))
        .await
        .expect("the retry succeeds");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn server_error_on_a_get_is_retried_with_backoff() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, error_response(500, "UNEXPECTED_ERROR"), 2).await;

    get_archive(&client(&server))
        .await
        .expect("the third attempt succeeds");
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn server_error_on_a_post_is_not_retried() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, error_response(500, "UNEXPECTED_ERROR"), 1).await;

    let err = create_archive(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(err.error_code(), Some("UNEXPECTED_ERROR"));
    assert!(err.is_retryable(), "the caller may decide to retry");
    // The server might have created the archive: the client must not send it again.
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn server_error_on_a_patch_is_not_retried() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, ResponseTemplate::new(502), 1).await;

    #[allow(
        deprecated,
        reason = "the deprecated PATCH operation is the one at hand"
    )]
    let result = client(&server)
        .update_project_invitation_by_id(
            GROUP_ID,
            OTHER_ID,
            common::request_body("updateProjectInvitationById"),
        )
        .send()
        .await;
    let err = result.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].method.as_str(), "PATCH");
}

#[tokio::test]
async fn retries_stop_at_the_policy_limit() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = builder(&server)
        .retry_policy(common::fast_retries().max_retries(2))
        .build()
        .unwrap();

    let err = get_archive(&client).await.unwrap_err();
    // 503 is not documented by getOnlineArchive: an unexpected answer, after 1 + 2 attempts.
    assert!(
        matches!(err, Error::UnexpectedResponse { status, .. } if status == StatusCode::SERVICE_UNAVAILABLE),
        "{err:?}"
    );
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn retry_policy_none_means_one_attempt() {
    let server = MockServer::start().await;
    fail_then_succeed(
        &server,
        ResponseTemplate::new(503).insert_header("Retry-After", "0"),
        1,
    )
    .await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    let err = get_archive(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_retry_after_beyond_the_limit_is_not_waited_for() {
    let server = MockServer::start().await;
    fail_then_succeed(
        &server,
        error_response(429, "RATE_LIMITED").insert_header("Retry-After", "3600"),
        1,
    )
    .await;

    // Bounded so that a client that does wait an hour fails the test instead of hanging it.
    let result = tokio::time::timeout(Duration::from_secs(10), get_archive(&client(&server)))
        .await
        .expect("the call returns instead of waiting an hour");
    let err = result.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(requests(&server).await.len(), 1);
}

/// A free local port nobody listens on (yet).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// Starts a mock server on `port` after `delay`, answering the documented 200.
fn listen_later(port: u16, delay: Duration) -> tokio::task::JoinHandle<MockServer> {
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("the port is still free");
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(any())
            .respond_with(archive_response())
            .mount(&server)
            .await;
        server
    })
}

fn patient_client(port: u16) -> Client {
    Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(
            RetryPolicy::default()
                .max_retries(40)
                .initial_backoff(Duration::from_millis(20))
                .max_backoff(Duration::from_millis(50))
                .jitter(atlas_admin::Jitter::None),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn connection_refused_on_a_get_is_retried_until_the_server_listens() {
    let port = free_port();
    let server = listen_later(port, Duration::from_millis(300));

    let started = Instant::now();
    get_archive(&patient_client(port))
        .await
        .expect("a later attempt reaches the server");
    assert!(started.elapsed() >= Duration::from_millis(300));
    let server = server.await.unwrap();
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn connection_refused_on_a_post_is_retried_too_since_nothing_was_sent() {
    let port = free_port();
    let server = listen_later(port, Duration::from_millis(300));

    create_archive(&patient_client(port))
        .await
        .expect("a later attempt reaches the server");
    let server = server.await.unwrap();
    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].method.as_str(), "POST");
}

#[tokio::test]
async fn connection_refused_without_retries_is_a_transport_error() {
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{}", free_port()))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = get_archive(&client).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
}

fn slow_client(server: &MockServer, retries: RetryPolicy) -> Client {
    builder(server)
        .timeout(Duration::from_millis(200))
        .retry_policy(retries)
        .build()
        .unwrap()
}

fn slow_answer() -> ResponseTemplate {
    archive_response().set_delay(Duration::from_secs(3))
}

#[tokio::test]
async fn a_timeout_is_the_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(slow_answer())
        .mount(&server)
        .await;

    let started = Instant::now();
    let err = get_archive(&slow_client(&server, RetryPolicy::none()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the client gave up first"
    );
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn a_timed_out_get_is_retried() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, slow_answer(), 1).await;

    get_archive(&slow_client(&server, common::fast_retries()))
        .await
        .expect("the second attempt answers in time");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_timed_out_post_is_not_resent() {
    let server = MockServer::start().await;
    fail_then_succeed(&server, slow_answer(), 1).await;

    let err = create_archive(&slow_client(&server, common::fast_retries()))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    // The server got the POST and may be processing it: never send it again.
    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].method.as_str(), "POST");
}

#[tokio::test]
async fn not_found_is_never_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(error_response(404, "RESOURCE_NOT_FOUND"))
        .mount(&server)
        .await;

    let err = get_archive(&client(&server)).await.unwrap_err();
    assert_eq!(err.error_code(), Some("RESOURCE_NOT_FOUND"));
    assert!(!err.is_retryable());
    assert_eq!(requests(&server).await.len(), 1);
}

/// A raw HTTP server that reads each request completely, then hangs up without answering
/// on the first `hang_ups` connections, and answers the documented 200 on the next ones.
/// Returns its port and the number of complete requests it read.
async fn hanging_up_server(hang_ups: usize) -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&received);
    let (_, example) = common::response_example("getOnlineArchive", "200");
    let body = example.to_string();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buf = [0_u8; 4096];
            // Read the head, then the body announced by Content-Length.
            let complete = loop {
                let n = socket.read(&mut buf).await.unwrap_or(0);
                if n == 0 {
                    break false;
                }
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request);
                if let Some(head_end) = text.find("\r\n\r\n") {
                    let length = text[..head_end]
                        .lines()
                        .find_map(|l| {
                            let (name, value) = l.split_once(':')?;
                            name.eq_ignore_ascii_case("content-length")
                                .then(|| value.trim().parse::<usize>().ok())?
                        })
                        .unwrap_or(0);
                    if request.len() >= head_end + 4 + length {
                        break true;
                    }
                }
            };
            if !complete {
                continue;
            }
            let seen = count.fetch_add(1, Ordering::SeqCst) + 1;
            if seen > hang_ups {
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.atlas.2023-01-01+json\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                socket.write_all(response.as_bytes()).await.unwrap();
            }
            // Dropping the socket closes the connection (without an answer for hang-ups).
        }
    });
    (port, received)
}

#[tokio::test]
async fn a_connection_lost_after_sending_is_retried_for_a_get() {
    let (port, received) = hanging_up_server(1).await;
    get_archive(&patient_client(port))
        .await
        .expect("the retry gets the answer");
    assert_eq!(received.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_connection_lost_after_sending_a_post_is_not_resent() {
    let (port, received) = hanging_up_server(1).await;
    let err = create_archive(&patient_client(port)).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    // The server read the whole POST: it may have acted on it.
    assert_eq!(received.load(Ordering::SeqCst), 1);
}
