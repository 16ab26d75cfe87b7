//! A raw HTTP/1.1 server on 127.0.0.1 that misbehaves on purpose, for the hostile-server
//! tests: it reads each request properly (head, then a `Content-Length` body), counts it,
//! and then plays a script of [`Step`]s that no well-behaved server would (partial
//! headers, stalls, trickles, endless bodies, 1xx floods, huge headers, resets).
//!
//! It runs as a task of the test's runtime, writes through a small send buffer, counts
//! every byte it managed to write, and stops by itself: every loop is bounded in count or
//! time.

#![allow(
    dead_code,
    reason = "each test binary includes this module and uses a different subset of it"
)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

/// The longest a stalling connection is held open (it ends earlier when the client hangs
/// up).
const STALL_LIMIT: Duration = Duration::from_secs(600);

/// One thing the server does after reading a request.
#[derive(Debug, Clone)]
pub enum Step {
    /// Write these bytes.
    Send(Vec<u8>),
    /// Write these bytes this many times (stops at the first failed write).
    Repeat(Vec<u8>, usize),
    /// Write these bytes one at a time, pausing this long before each.
    Trickle(Vec<u8>, Duration),
    /// Write nothing more and hold the connection open until the client hangs up.
    Stall,
    /// Abort the connection with a TCP reset.
    Reset,
    /// Read the next request on this connection and play the script again (keep-alive).
    Next,
}

/// What the server saw and did.
#[derive(Default)]
struct Seen {
    requests: AtomicUsize,
    written: AtomicUsize,
    heads: Mutex<Vec<String>>,
}

/// A running server. Dropping it does not stop the task; every script ends by itself.
pub struct Server {
    addr: SocketAddr,
    seen: Arc<Seen>,
}

/// The script for the request with this index (0-based, counted over all connections)
/// and head.
pub type Script = dyn Fn(usize, &str) -> Vec<Step> + Send + Sync;

impl Server {
    /// Starts a server playing `script` for every request.
    pub async fn start(script: impl Fn(usize, &str) -> Vec<Step> + Send + Sync + 'static) -> Self {
        let socket = TcpSocket::new_v4().expect("a socket");
        // A small send buffer, so "bytes written" is close to "bytes the client took".
        socket.set_send_buffer_size(16 * 1024).expect("SO_SNDBUF");
        socket
            .bind("127.0.0.1:0".parse().expect("an address"))
            .expect("bind 127.0.0.1");
        let listener = socket.listen(64).expect("listen");
        let addr = listener.local_addr().expect("the local address");
        let seen = Arc::new(Seen::default());
        let script: Arc<Script> = Arc::new(script);
        let state = Arc::clone(&seen);
        tokio::spawn(async move {
            // At most 64 connections: a test makes a handful.
            for _ in 0..64 {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(serve(stream, Arc::clone(&state), Arc::clone(&script)));
            }
        });
        Self { addr, seen }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests read so far (all connections).
    pub fn requests(&self) -> usize {
        self.seen.requests.load(Ordering::SeqCst)
    }

    /// Bytes written so far (all connections).
    pub fn written(&self) -> usize {
        self.seen.written.load(Ordering::SeqCst)
    }

    /// The heads of the requests read so far, in order.
    pub fn heads(&self) -> Vec<String> {
        self.seen
            .heads
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Serves one connection: read a request, play its script, repeat while it says `Next`.
async fn serve(mut stream: TcpStream, seen: Arc<Seen>, script: Arc<Script>) {
    'requests: loop {
        let Some(head) = read_request(&mut stream).await else {
            return;
        };
        let index = seen.requests.fetch_add(1, Ordering::SeqCst);
        seen.heads
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(head.clone());
        for step in script(index, &head) {
            match step {
                Step::Send(bytes) => {
                    if !write(&mut stream, &seen, &bytes).await {
                        return;
                    }
                }
                Step::Repeat(bytes, times) => {
                    for _ in 0..times {
                        if !write(&mut stream, &seen, &bytes).await {
                            return;
                        }
                    }
                }
                Step::Trickle(bytes, pause) => {
                    for byte in bytes {
                        tokio::time::sleep(pause).await;
                        if !write(&mut stream, &seen, &[byte]).await {
                            return;
                        }
                    }
                }
                Step::Stall => {
                    // Until the client hangs up (a read of 0 or an error), or the limit.
                    let mut sink = [0_u8; 1024];
                    let until_eof =
                        async { while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {} };
                    let _ = tokio::time::timeout(STALL_LIMIT, until_eof).await;
                    return;
                }
                Step::Reset => {
                    #[allow(
                        deprecated,
                        reason = "a zero linger aborts with a reset at once: nothing blocks on drop"
                    )]
                    let _ = stream.set_linger(Some(Duration::ZERO));
                    return;
                }
                Step::Next => continue 'requests,
            }
        }
        let _ = stream.shutdown().await;
        return;
    }
}

async fn write(stream: &mut TcpStream, seen: &Seen, bytes: &[u8]) -> bool {
    let ok = stream.write_all(bytes).await.is_ok();
    if ok {
        seen.written.fetch_add(bytes.len(), Ordering::SeqCst);
    }
    ok
}

/// Reads one request (head up to 64 KiB, then its `Content-Length` body); returns its
/// head, or `None` when the client left.
async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut byte = [0_u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if buf.len() > 64 * 1024 || stream.read(&mut byte).await.ok()? == 0 {
            return None;
        }
        buf.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let length = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    let mut body = vec![0_u8; length.min(1 << 20)];
    stream.read_exact(&mut body).await.ok()?;
    Some(head)
}

// ------------------------------------------------------------------------------ answers

/// A response head (status line, headers, blank line).
pub fn head(status: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    out.into_bytes()
}

/// A complete response with a `Content-Length` body.
pub fn response(status: &str, content_type: &str, body: &str) -> Vec<u8> {
    let mut out = head(
        status,
        &[
            ("content-type", content_type),
            ("content-length", &body.len().to_string()),
        ],
    );
    out.extend_from_slice(body.as_bytes());
    out
}

/// The head of a chunked response.
pub fn chunked_head(status: &str, content_type: &str) -> Vec<u8> {
    head(
        status,
        &[
            ("content-type", content_type),
            ("transfer-encoding", "chunked"),
        ],
    )
}

/// One chunk of `size` bytes of `fill`.
pub fn chunk(size: usize, fill: u8) -> Vec<u8> {
    let mut out = format!("{size:x}\r\n").into_bytes();
    out.extend(std::iter::repeat_n(fill, size));
    out.extend_from_slice(b"\r\n");
    out
}
