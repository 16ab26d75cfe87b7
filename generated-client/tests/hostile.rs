//! The client against hostile or broken servers on 127.0.0.1: bounded memory (oversized,
//! endless and unused bodies, huge headers, 1xx floods), bounded time (partial headers,
//! stalls, trickles, `Retry-After` against the call's limit; the defaults under tokio's
//! paused clock), resets after the request was read, redirects, and pagination that a
//! server cannot make endless. Every case asserts the typed error and the number of
//! requests the server saw.
//!
//! Where real sockets make a paused clock impossible (a server trickling in real time),
//! the cases use short configured timeouts and assert the typed error, never how fast
//! it came. Memory is measured as bytes: exactly, in `src/client/body.rs`'s unit tests
//! (bytes pulled from an endless body); here as what the server managed to write, which
//! is the limit plus what the kernel's socket buffers held when the client hung up
//! (measured: about 150 KiB; the bound allows 8 MiB), against the gigabyte the server
//! would write to a client that reads everything.
//!
//! Echoed secrets are in `tests/echoes.rs`.

mod common;
mod raw;

use std::time::Duration;

use atlas_admin::{Client, ClientBuilder, Credentials, Error, RetryPolicy};
use common::{archive_body, fast_retries, response_example, GROUP_ID, OTHER_ID};
use futures::{StreamExt, TryStreamExt};
use raw::{chunk, chunked_head, head, response, Server, Step};

const MIB: usize = 1024 * 1024;
/// What socket buffers may hold beyond what the client read (see the module docs).
const SOCKET_SLACK: usize = 8 * MIB;
/// What a server that is never stopped would write: 1 GiB.
const ENDLESS: usize = 64 * 1024;
const PIECE: usize = 16 * 1024;
/// A short read timeout for the stall cases.
const SHORT: Duration = Duration::from_millis(300);
const VND: &str = "application/vnd.atlas.2023-01-01+json";

fn builder(server: &Server) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .retry_policy(fast_retries())
}

fn client(server: &Server) -> Client {
    builder(server).build().expect("build the client")
}

async fn get(client: &Client) -> Result<(), Error> {
    client
        .get_online_archive(GROUP_ID, "Cluster0", OTHER_ID)
        .send()
        .await
        .map(drop)
}

async fn post(client: &Client) -> Result<(), Error> {
    client
        .create_online_archive(GROUP_ID, "Cluster0", archive_body())
        .send()
        .await
        .map(drop)
}

/// The documented archive, as a complete 200 answer.
fn archive_200() -> Vec<u8> {
    let example = response_example("getOnlineArchive", "200");
    response("200 OK", &example.0, &example.1.to_string())
}

/// Waits a little so the server task notices a hang-up before its counters are read.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(50)).await;
}

fn assert_written_below(server: &Server, bound: usize) {
    let written = server.written();
    // Shown with `--nocapture`: the figure the bound is checked against.
    eprintln!("the server wrote {written} bytes (bound {bound})");
    assert!(
        written < bound,
        "the server wrote {written} bytes (bound {bound})"
    );
}

// -------------------------------------------------------------------------- bodies

#[tokio::test]
async fn an_endless_body_is_refused_at_the_configured_limit() {
    let server = Server::start(|_, _| {
        vec![
            Step::Send(chunked_head("200 OK", VND)),
            Step::Repeat(chunk(PIECE, b' '), ENDLESS),
        ]
    })
    .await;
    let client = builder(&server).max_body_size(MIB).build().unwrap();
    let err = get(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                limit: MIB,
                content_length: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("limit of 1048576 bytes"), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert!(!err.is_retryable());
    settle().await;
    assert_eq!(server.requests(), 1, "a body too large is not retried");
    assert_written_below(&server, MIB + SOCKET_SLACK);
}

#[tokio::test]
async fn a_content_length_beyond_the_default_limit_is_refused_before_reading() {
    // The head announces 2 GiB, and no body follows: a client that started reading would
    // wait for it (and time out) instead of refusing at once.
    let server = Server::start(|_, _| {
        vec![
            Step::Send(head(
                "200 OK",
                &[("content-type", VND), ("content-length", "2147483648")],
            )),
            Step::Stall,
        ]
    })
    .await;
    // The default limit (32 MiB); a short read timeout only to fail fast if it read.
    let client = Client::builder()
        .base_url(server.uri())
        .read_timeout(SHORT)
        .build()
        .unwrap();
    let err = get(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::BodyTooLarge {
                limit: 33_554_432,
                content_length: Some(2_147_483_648),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
#[allow(
    clippy::type_complexity,
    reason = "a two-entry table of labelled scripts"
)]
async fn a_body_the_operation_does_not_use_is_not_read() {
    let endless = || {
        vec![
            Step::Send(chunked_head("200 OK", VND)),
            Step::Repeat(chunk(PIECE, b'x'), ENDLESS),
        ]
    };
    // A body that stops: a client waiting for its end would time out.
    let stalled = || {
        let mut answer = chunked_head("200 OK", VND);
        answer.extend(chunk(10, b'x'));
        vec![Step::Send(answer), Step::Stall]
    };
    let scripts: [(&str, fn() -> Vec<Step>); 2] = [("endless", endless), ("stalled", stalled)];
    for (label, script) in scripts {
        let server = Server::start(move |_, _| script()).await;
        // startStreamProcessor has no response body: the call succeeds at once.
        let client = builder(&server)
            .max_body_size(MIB)
            .read_timeout(SHORT)
            .build()
            .unwrap();
        client
            .start_stream_processor(GROUP_ID, "tenant0", "processor0")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{label}: a success whatever the body, got {e:?}"));
        settle().await;
        assert_eq!(server.requests(), 1, "{label}");
        assert_written_below(&server, SOCKET_SLACK);
    }
}

#[tokio::test]
async fn an_endless_error_body_keeps_only_a_bounded_excerpt() {
    let server = Server::start(|_, _| {
        vec![
            Step::Send(chunked_head("500 Internal Server Error", "text/html")),
            Step::Repeat(chunk(PIECE, b'<'), ENDLESS),
        ]
    })
    .await;
    let err = post(&client(&server)).await.unwrap_err();
    let Error::UnexpectedResponse {
        status, excerpt, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(status.as_u16(), 500);
    assert!(excerpt.len() <= 512 + '…'.len_utf8(), "{}", excerpt.len());
    assert!(excerpt.ends_with('…'));
    settle().await;
    assert_eq!(server.requests(), 1, "a POST is not sent twice");
    assert_written_below(&server, SOCKET_SLACK);
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_its_body_not_buffered() {
    let elsewhere = Server::start(|_, _| vec![Step::Send(archive_200())]).await;
    let location = format!("{}/steal", elsewhere.uri());
    let server = Server::start(move |_, _| {
        vec![
            Step::Send(head(
                "302 Found",
                &[("location", &location), ("transfer-encoding", "chunked")],
            )),
            Step::Repeat(chunk(PIECE, b'r'), ENDLESS),
        ]
    })
    .await;
    let client = builder(&server)
        .credentials(Credentials::bearer("bearer-token-0123456789"))
        .build()
        .unwrap();
    let err = get(&client).await.unwrap_err();
    assert!(
        matches!(err, Error::UnexpectedResponse { status, .. } if status.as_u16() == 302),
        "{err:?}"
    );
    settle().await;
    assert_eq!(server.requests(), 1);
    assert_eq!(elsewhere.requests(), 0, "the redirect was followed");
    assert_written_below(&server, SOCKET_SLACK);
}

#[tokio::test]
async fn huge_headers_are_a_transport_error_and_bounded() {
    let big = "a".repeat(4 * MIB);
    let many: Vec<(String, String)> = (0..20_000)
        .map(|i| (format!("x-h{i}"), "v".to_owned()))
        .collect();
    for (label, answer) in [
        ("one huge header", head("200 OK", &[("x-big", &big)])),
        (
            "twenty thousand headers",
            head(
                "200 OK",
                &many
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect::<Vec<_>>(),
            ),
        ),
    ] {
        let server = Server::start(move |_, _| vec![Step::Send(answer.clone())]).await;
        let err = post(&client(&server)).await.unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{label}: {err:?}");
        settle().await;
        assert_eq!(server.requests(), 1, "{label}");
    }
    // A GET is retried, and each attempt is bounded the same way.
    let answer = head("200 OK", &[("x-big", &big)]);
    let server = Server::start(move |_, _| vec![Step::Send(answer.clone())]).await;
    let err = get(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    settle().await;
    assert_eq!(server.requests(), 4, "1 attempt + 3 retries");
}

// ---------------------------------------------------------------------------- time

#[tokio::test]
async fn partial_headers_then_silence_time_out_and_a_get_is_retried() {
    let server = Server::start(|_, _| {
        vec![
            Step::Send(b"HTTP/1.1 200 OK\r\nContent-Ty".to_vec()),
            Step::Stall,
        ]
    })
    .await;
    let client = builder(&server)
        .read_timeout(SHORT)
        .retry_policy(fast_retries().max_retries(1))
        .build()
        .unwrap();
    let err = get(&client).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(server.requests(), 2, "1 attempt + 1 retry");
}

#[tokio::test]
async fn no_answer_at_all_times_out_and_a_post_is_not_resent() {
    let server = Server::start(|_, _| vec![Step::Stall]).await;
    let client = builder(&server).read_timeout(SHORT).build().unwrap();
    let err = post(&client).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_body_that_stops_times_out() {
    let server = Server::start(|_, _| {
        let mut answer = head(
            "200 OK",
            &[("content-type", VND), ("content-length", "1000")],
        );
        answer.extend_from_slice(b"{\"id\": \"32");
        vec![Step::Send(answer), Step::Stall]
    })
    .await;
    let client = builder(&server)
        .read_timeout(SHORT)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = get(&client).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_trickle_is_ended_by_the_call_limit_retries_included() {
    let body = "x".repeat(10_000);
    let trickled_body = {
        let body = body.clone();
        move |_: usize, _: &str| {
            vec![
                Step::Send(head(
                    "200 OK",
                    &[("content-type", VND), ("content-length", "10000")],
                )),
                Step::Trickle(body.clone().into_bytes(), Duration::from_millis(10)),
            ]
        }
    };
    let trickled_head = move |_: usize, _: &str| {
        vec![Step::Trickle(
            response("200 OK", VND, &body),
            Duration::from_millis(10),
        )]
    };
    let scripts: [(&str, Box<raw::Script>); 2] = [
        ("body", Box::new(trickled_body)),
        ("head", Box::new(trickled_head)),
    ];
    for (label, script) in scripts {
        let server = Server::start(script).await;
        // The read timeout never fires (a byte comes every 10 ms); the call's limit does,
        // and a GET's retry would not fit in it.
        let client = builder(&server)
            .read_timeout(Duration::from_secs(30))
            .call_timeout(Duration::from_millis(500))
            .build()
            .unwrap();
        let err = get(&client).await.unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{label}: {err:?}");
        assert_eq!(server.requests(), 1, "{label}");
    }
}

/// A 503 with `Retry-After: {seconds}`, then the documented archive.
async fn unavailable_then_ok(seconds: &'static str) -> Server {
    Server::start(move |index, _| match index {
        0 => vec![Step::Send(head(
            "503 Service Unavailable",
            &[("retry-after", seconds), ("content-length", "0")],
        ))],
        _ => vec![Step::Send(archive_200())],
    })
    .await
}

#[tokio::test]
async fn a_retry_after_past_the_call_limit_is_not_waited_for() {
    let server = unavailable_then_ok("2").await;
    let client = builder(&server)
        .call_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    // Waiting 2 s would end past the 1 s limit: the 503 is the answer, now.
    let err = get(&client).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err:?}");
    assert_eq!(server.requests(), 1);

    // Within the limit, the same answer is waited for and retried.
    let server = unavailable_then_ok("1").await;
    let client = builder(&server)
        .call_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    get(&client).await.expect("the retry succeeds");
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_flood_of_informational_answers_times_out() {
    for status in ["100 Continue", "102 Processing", "103 Early Hints"] {
        let line = format!("HTTP/1.1 {status}\r\n\r\n").into_bytes();
        let server = Server::start(move |_, _| vec![Step::Repeat(line.clone(), 10_000_000)]).await;
        let client = builder(&server).read_timeout(SHORT).build().unwrap();
        let err = post(&client).await.unwrap_err();
        assert!(matches!(err, Error::Timeout { .. }), "{status}: {err:?}");
        settle().await;
        assert_eq!(server.requests(), 1, "{status}");
    }
}

#[tokio::test]
async fn a_reset_after_the_request_was_read() {
    let server = Server::start(|_, _| vec![Step::Reset]).await;
    let err = get(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(
        server.requests(),
        4,
        "a GET is retried: 1 attempt + 3 retries"
    );

    let server = Server::start(|_, _| vec![Step::Reset]).await;
    let err = post(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(
        server.requests(),
        1,
        "a POST that may have been processed is not resent"
    );
}

/// With the default configuration and tokio's paused clock (auto-advancing whenever the
/// runtime waits), a server that stalls in any way ends the call with a timeout within
/// 60 s of virtual time, retries included. The exact attempt count depends on whether a
/// timer fires while loopback I/O is still in flight, so it is bounded, not exact.
#[tokio::test(start_paused = true)]
async fn with_the_defaults_a_stalled_call_ends_within_60_seconds() {
    let scripts: [(&str, Vec<Step>); 3] = [
        ("no answer", vec![Step::Stall]),
        (
            "partial headers",
            vec![Step::Send(b"HTTP/1.1 200 OK\r\nx-a".to_vec()), Step::Stall],
        ),
        (
            "a body that stops",
            vec![
                Step::Send(head(
                    "200 OK",
                    &[("content-type", VND), ("content-length", "99")],
                )),
                Step::Stall,
            ],
        ),
    ];
    for (label, script) in scripts {
        let server = Server::start(move |_, _| script.clone()).await;
        let client = Client::builder().base_url(server.uri()).build().unwrap();
        let started = tokio::time::Instant::now();
        let err = get(&client).await.unwrap_err();
        let took = started.elapsed();
        assert!(matches!(err, Error::Timeout { .. }), "{label}: {err:?}");
        assert!(
            took <= Duration::from_secs(60) + Duration::from_millis(10),
            "{label}: took {took:?} of virtual time"
        );
        // The default policy allows 1 + 3 attempts; at least the first reached the server.
        let requests = server.requests();
        assert!((1..=4).contains(&requests), "{label}: {requests} requests");
    }
}

// ----------------------------------------------------------------------- pagination

fn full_page() -> Vec<u8> {
    response(
        "200 OK",
        "application/json",
        r#"{"results": [{"id": "a"}, {"id": "b"}]}"#,
    )
}

#[tokio::test]
async fn a_stream_started_at_the_last_page_number_ends() {
    let server = Server::start(|_, _| vec![Step::Send(full_page()), Step::Next]).await;
    let client = client(&server);
    // At most 10 items, so a stream that never ends fails the test instead of hanging it.
    let items: Vec<_> = client
        .list_flex_backups(GROUP_ID, "flex0")
        .items_per_page(2)
        .page_num(i32::MAX)
        .into_stream()
        .take(10)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(server.requests(), 1);
    assert!(server.heads()[0].contains("pageNum=2147483647"));
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_cannot_make_the_stream_endless() {
    let server = Server::start(|_, _| vec![Step::Send(full_page()), Step::Next]).await;
    let client = client(&server);
    let items: Vec<_> = client
        .list_flex_backups(GROUP_ID, "flex0")
        .items_per_page(2)
        .into_stream()
        .take(10)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 2, "the repeated page adds nothing");
    assert_eq!(server.requests(), 2);
    let heads = server.heads();
    assert!(heads[0].contains("pageNum=1") && heads[1].contains("pageNum=2"));
}

/// With the defaults (a 30 s read timeout) under tokio's paused clock: a stalled body that
/// the operation does not use costs no time at all (a client that waited for its end would
/// take the read timeout, then fail).
#[tokio::test(start_paused = true)]
async fn an_unused_stalled_body_is_not_waited_for() {
    let server = Server::start(|_, _| {
        let mut answer = chunked_head("200 OK", VND);
        answer.extend(chunk(10, b'x'));
        vec![Step::Send(answer), Step::Stall]
    })
    .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    let started = tokio::time::Instant::now();
    client
        .start_stream_processor(GROUP_ID, "tenant0", "processor0")
        .send()
        .await
        .expect("a success whatever the body");
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "took {took:?} of virtual time"
    );
    assert_eq!(server.requests(), 1);
}
