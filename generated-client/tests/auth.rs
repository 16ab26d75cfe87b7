//! Authentication through real operations: service-account tokens (single-flight fetch,
//! refetch-and-replay on 401), HTTP Digest against a mock server that checks the answer's
//! hash (MD5 and SHA-256, nonce counts, stale nonces, body replay), and secrets kept out
//! of `Debug` output and `tracing` logs.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atlas_admin::{Client, Credentials, Error};
use base64::Engine as _;
use common::{archive_body, archive_response, requests, GROUP_ID, OTHER_ID};
use reqwest::StatusCode;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const CLIENT_ID: &str = "mdb_sa_id_6f1e2d3c4b5a";
const CLIENT_SECRET: &str = "mdb_sa_sk_S3cretValue-4242-do-not-log";
const PUBLIC_KEY: &str = "pubkeyab";
const PRIVATE_KEY: &str = "0f0e0d0c-9a8b-PRIVATE-7c6d-5e4f3a2b1c0d";
const STATIC_BEARER: &str = "static-bearer-T0ken-99";
const TOKEN_PREFIX: &str = "eyJhbGciOiJIUzI1NiJ9.access-token";
const REALM: &str = "MMS Public API";

fn token(n: usize) -> String {
    format!("{TOKEN_PREFIX}-{n}")
}

fn basic_credentials() -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"))
}

fn unauthorized_body() -> serde_json::Value {
    common::api_error(401, "NOT_ORG_GROUP_CREATOR")
}

fn flex_page() -> ResponseTemplate {
    let body = serde_json::json!({ "results": [], "totalCount": 0 });
    common::json_response(200, &body, "application/vnd.atlas.2024-11-13+json")
}

// ------------------------------------------------------------------ service accounts

/// The token endpoint: checks the client-credentials request, then issues `token(1)`,
/// `token(2)`, … (slowly, so that concurrent callers really overlap).
struct TokenEndpoint {
    issued: Arc<AtomicUsize>,
}

impl Respond for TokenEndpoint {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let basic = format!("Basic {}", basic_credentials());
        let well_formed = common::header(request, "authorization").as_deref() == Some(&*basic)
            && request.body == b"grant_type=client_credentials"
            && common::header(request, "content-type").as_deref()
                == Some("application/x-www-form-urlencoded");
        if !well_formed {
            return ResponseTemplate::new(400)
                .set_body_json(serde_json::json!({ "error": "invalid_request" }));
        }
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({
                "access_token": token(n),
                "expires_in": 3600,
                "token_type": "Bearer",
            }))
            .set_delay(Duration::from_millis(150))
    }
}

/// The bearer tokens the API accepts (changeable while the server runs: revocation).
type Accepted = Arc<Mutex<Vec<String>>>;

fn accepting(tokens: &[String]) -> Accepted {
    Arc::new(Mutex::new(tokens.to_vec()))
}

/// The API: answers the documented page to the accepted bearer tokens, 401 to the others.
fn api_accepting(accepted: Accepted) -> impl Respond {
    move |request: &Request| {
        let authorization = common::header(request, "authorization").unwrap_or_default();
        let ok = accepted
            .lock()
            .unwrap()
            .iter()
            .any(|t| authorization == format!("Bearer {t}"));
        if ok {
            flex_page()
        } else {
            common::json_response(401, &unauthorized_body(), "application/json")
        }
    }
}

async fn oauth_server(accepted: &[String]) -> MockServer {
    oauth_server_with(accepting(accepted)).await
}

async fn oauth_server_with(accepted: Accepted) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(TokenEndpoint {
            issued: Arc::new(AtomicUsize::new(0)),
        })
        .mount(&server)
        .await;
    Mock::given(path_regex("^/api/atlas/v2/"))
        .respond_with(api_accepting(accepted))
        .mount(&server)
        .await;
    server
}

fn service_account_client(server: &MockServer) -> Client {
    common::builder(server)
        .credentials(Credentials::service_account(CLIENT_ID, CLIENT_SECRET))
        .build()
        .unwrap()
}

/// (token requests, API requests' `Authorization` headers) the server received.
async fn oauth_traffic(server: &MockServer) -> (usize, Vec<String>) {
    let received = requests(server).await;
    let tokens = received
        .iter()
        .filter(|r| r.url.path() == "/api/oauth/token")
        .count();
    let api = received
        .iter()
        .filter(|r| r.url.path().starts_with("/api/atlas/"))
        .map(|r| common::header(r, "authorization").unwrap_or_default())
        .collect();
    (tokens, api)
}

async fn list_snapshots(client: &Client) -> Result<(), Error> {
    client
        .list_flex_backups(GROUP_ID, "flex0")
        .send()
        .await
        .map(drop)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_calls_on_a_cold_cache_fetch_one_token() {
    let server = oauth_server(&[token(1)]).await;
    let client = service_account_client(&server);

    let calls: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { list_snapshots(&client).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().expect("every call succeeds");
    }

    let (token_requests, api) = oauth_traffic(&server).await;
    assert_eq!(token_requests, 1, "one token fetch for all 50 calls");
    assert_eq!(api.len(), 50);
    let expected = format!("Bearer {}", token(1));
    assert!(api.iter().all(|a| *a == expected), "{api:?}");
}

#[tokio::test]
async fn a_401_refetches_the_token_once_and_replays_the_call() {
    // The API no longer accepts the first token (revoked): only the second one.
    let server = oauth_server(&[token(2)]).await;
    let client = service_account_client(&server);

    list_snapshots(&client).await.expect("the replay succeeds");
    let (token_requests, api) = oauth_traffic(&server).await;
    assert_eq!(token_requests, 2);
    assert_eq!(
        api,
        [
            format!("Bearer {}", token(1)),
            format!("Bearer {}", token(2))
        ]
    );

    // The new token is cached: the next call neither fetches nor replays.
    list_snapshots(&client).await.unwrap();
    let (token_requests, api) = oauth_traffic(&server).await;
    assert_eq!(token_requests, 2);
    assert_eq!(api.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_401s_after_a_revocation_refetch_one_token() {
    let accepted = accepting(&[token(1)]);
    let server = oauth_server_with(Arc::clone(&accepted)).await;
    let client = service_account_client(&server);
    list_snapshots(&client)
        .await
        .expect("token 1 works at first");
    // The first token is revoked: every call made with it now gets a 401.
    *accepted.lock().unwrap() = vec![token(2)];

    let calls: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { list_snapshots(&client).await })
        })
        .collect();
    for call in calls {
        call.await
            .unwrap()
            .expect("every call succeeds after its replay");
    }

    let (token_requests, api) = oauth_traffic(&server).await;
    assert_eq!(token_requests, 2, "the 50 rejections cause one refetch");
    let with = |n| {
        api.iter()
            .filter(|a| **a == format!("Bearer {}", token(n)))
            .count()
    };
    // Each call is sent with the revoked token and replayed with the new one, or (when it
    // starts after the first 401 dropped the revoked token) sent with the new one at once.
    assert_eq!(
        with(2),
        50,
        "every call ends with one request with the new token"
    );
    assert!((2..=51).contains(&with(1)), "{}", with(1));
    assert_eq!(api.len(), with(1) + with(2));
}

#[tokio::test]
async fn the_token_endpoint_is_under_the_base_url_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/gateway/api/oauth/token"))
        .respond_with(TokenEndpoint {
            issued: Arc::new(AtomicUsize::new(0)),
        })
        .mount(&server)
        .await;
    Mock::given(path_regex("^/gateway/api/atlas/v2/"))
        .respond_with(api_accepting(accepting(&[token(1)])))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/gateway", server.uri()))
        .credentials(Credentials::service_account(CLIENT_ID, CLIENT_SECRET))
        .build()
        .unwrap();

    list_snapshots(&client)
        .await
        .expect("token and call under /gateway");
    let paths: Vec<_> = requests(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        [
            "/gateway/api/oauth/token".to_owned(),
            format!("/gateway/api/atlas/v2/groups/{GROUP_ID}/flexClusters/flex0/backup/snapshots"),
        ]
    );
}

#[tokio::test]
async fn a_401_that_persists_is_returned_after_one_replay() {
    let server = oauth_server(&[]).await;
    let client = service_account_client(&server);

    let err = list_snapshots(&client).await.unwrap_err();
    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(err.error_code(), Some("NOT_ORG_GROUP_CREATOR"));
    let (token_requests, api) = oauth_traffic(&server).await;
    assert_eq!(token_requests, 2, "one refetch, not a loop");
    assert_eq!(api.len(), 2, "one replay, not a loop");
}

#[tokio::test]
async fn a_refused_token_request_is_a_credentials_error_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(path("/api/oauth/token"))
        .respond_with(common::json_response(
            401,
            // A careless server echoing what it got must not make the client leak it.
            &serde_json::json!({
                "error": "invalid_client",
                "echo": format!("{CLIENT_ID}:{CLIENT_SECRET} Basic {}", basic_credentials()),
            }),
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = service_account_client(&server);

    let err = list_snapshots(&client).await.unwrap_err();
    match &err {
        Error::Credentials {
            status,
            body_excerpt,
            ..
        } => {
            assert_eq!(*status, Some(StatusCode::UNAUTHORIZED));
            assert!(
                body_excerpt
                    .as_deref()
                    .is_some_and(|e| e.contains("invalid_client")),
                "{body_excerpt:?}"
            );
        }
        other => panic!("expected Credentials, got {other:?}"),
    }
    assert_no_secret(&format!("{err} {err:?}"));
    let received = requests(&server).await;
    assert!(received.iter().all(|r| r.url.path() == "/api/oauth/token"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failing_token_endpoint_is_asked_once_per_burst_and_again_later() {
    let server = MockServer::start().await;
    // The endpoint fails (slowly, so that the 20 calls below overlap) the first time only.
    Mock::given(path("/api/oauth/token"))
        .respond_with(
            common::json_response(
                503,
                &serde_json::json!({ "error": "unavailable" }),
                "application/json",
            )
            .set_delay(Duration::from_millis(150)),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(TokenEndpoint {
            issued: Arc::new(AtomicUsize::new(0)),
        })
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(path_regex("^/api/atlas/v2/"))
        .respond_with(api_accepting(accepting(&[token(1)])))
        .mount(&server)
        .await;
    let client = service_account_client(&server);

    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { list_snapshots(&client).await })
        })
        .collect();
    for call in calls {
        let err = call.await.unwrap().unwrap_err();
        assert!(
            matches!(&err, Error::Credentials { status: Some(s), .. } if *s == StatusCode::SERVICE_UNAVAILABLE),
            "{err:?}"
        );
        assert!(err.is_retryable());
    }
    let (token_requests, api) = oauth_traffic(&server).await;
    assert_eq!(token_requests, 1, "the burst shares the one failed fetch");
    assert!(api.is_empty());

    // The failure is not cached: the next call fetches again and succeeds.
    list_snapshots(&client)
        .await
        .expect("the endpoint works again");
    let (token_requests, api) = oauth_traffic(&server).await;
    assert_eq!(token_requests, 2);
    assert_eq!(api, [format!("Bearer {}", token(1))]);
}

#[tokio::test]
async fn a_static_bearer_token_is_sent_and_a_401_is_not_replayed() {
    let server = MockServer::start().await;
    Mock::given(path_regex("^/api/atlas/"))
        .respond_with(common::json_response(
            401,
            &unauthorized_body(),
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = common::builder(&server)
        .credentials(Credentials::bearer(STATIC_BEARER))
        .build()
        .unwrap();

    let err = list_snapshots(&client).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    assert_eq!(
        common::header(&received[0], "authorization"),
        Some(format!("Bearer {STATIC_BEARER}"))
    );
}

// ------------------------------------------------------------------------ Digest

#[derive(Clone, Copy, Debug, PartialEq)]
enum Algorithm {
    Md5,
    Sha256,
}

impl Algorithm {
    fn name(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha256 => "SHA-256",
        }
    }

    fn hex(self, data: &str) -> String {
        use sha2::Digest as _;
        let bytes: Vec<u8> = match self {
            Self::Md5 => md5::Md5::digest(data.as_bytes()).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(data.as_bytes()).to_vec(),
        };
        bytes.iter().fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
    }
}

/// What the Digest server decided about one request.
#[derive(Clone, Debug, PartialEq)]
enum Verdict {
    /// No `Authorization`: challenged.
    Challenged,
    /// A correct answer to an old nonce: challenged again with `stale=true`.
    Stale,
    /// A wrong answer: challenged again.
    Rejected(String),
    /// A correct answer: served, with its nonce and nonce count.
    Accepted { nonce: String, nc: u32 },
}

struct DigestState {
    nonce: String,
    issued: Vec<String>,
    /// The (nonce, nonce count) pairs accepted so far: a reused pair is a replay.
    used: HashSet<(String, u32)>,
    verdicts: Vec<Verdict>,
}

/// A Digest server (RFC 7616, `qop=auth`) that verifies the answer's hash against the key
/// pair it knows, and answers `success` to correct requests.
#[derive(Clone)]
struct DigestServer {
    algorithm: Algorithm,
    state: Arc<Mutex<DigestState>>,
    success: ResponseTemplate,
}

impl DigestServer {
    fn new(algorithm: Algorithm, success: ResponseTemplate) -> Self {
        Self {
            algorithm,
            state: Arc::new(Mutex::new(DigestState {
                nonce: "nonce-1-a1b2c3".into(),
                issued: vec!["nonce-1-a1b2c3".into()],
                used: HashSet::new(),
                verdicts: Vec::new(),
            })),
            success,
        }
    }

    /// Expires the current nonce (as servers do after a while) and issues a new one.
    fn rotate_nonce(&self) {
        let mut state = self.state.lock().unwrap();
        let next = format!("nonce-{}-d4e5f6", state.issued.len() + 1);
        state.issued.push(next.clone());
        state.nonce = next;
    }

    fn verdicts(&self) -> Vec<Verdict> {
        self.state.lock().unwrap().verdicts.clone()
    }

    fn challenge(&self, nonce: &str, stale: bool) -> ResponseTemplate {
        common::json_response(401, &unauthorized_body(), "application/json").insert_header(
            "WWW-Authenticate",
            format!(
                "Digest realm=\"{REALM}\", domain=\"\", nonce=\"{nonce}\", algorithm={}, \
                 qop=\"auth\", stale={stale}",
                self.algorithm.name()
            ),
        )
    }

    fn check(&self, request: &Request, params: &BTreeMap<String, String>) -> Result<(), String> {
        let get = |name: &str| {
            params
                .get(name)
                .map(String::as_str)
                .ok_or(format!("no {name}"))
        };
        let target = match request.url.query() {
            Some(q) => format!("{}?{q}", request.url.path()),
            None => request.url.path().to_owned(),
        };
        if get("username")? != PUBLIC_KEY {
            return Err("username".into());
        }
        if get("realm")? != REALM {
            return Err("realm".into());
        }
        if get("uri")? != target {
            return Err(format!(
                "uri {} is not the request target {target}",
                get("uri")?
            ));
        }
        if get("qop")? != "auth" {
            return Err("qop".into());
        }
        if !get("algorithm")?.eq_ignore_ascii_case(self.algorithm.name()) {
            return Err("algorithm".into());
        }
        let nc = get("nc")?;
        if nc.len() != 8 || u32::from_str_radix(nc, 16).is_err() {
            return Err(format!("nc {nc}"));
        }
        let cnonce = get("cnonce")?;
        if cnonce.is_empty() {
            return Err("empty cnonce".into());
        }
        let h = |data: String| self.algorithm.hex(&data);
        let ha1 = h(format!("{PUBLIC_KEY}:{REALM}:{PRIVATE_KEY}"));
        let ha2 = h(format!("{}:{}", request.method, get("uri")?));
        let expected = h(format!("{ha1}:{}:{nc}:{cnonce}:auth:{ha2}", get("nonce")?));
        if get("response")? != expected {
            return Err("response hash".into());
        }
        Ok(())
    }
}

/// The parameters of an `Authorization: Digest …` value (quoted or token values).
fn digest_params(value: &str) -> Option<BTreeMap<String, String>> {
    let mut rest = value.strip_prefix("Digest ")?.trim();
    let mut params = BTreeMap::new();
    while !rest.is_empty() {
        let (name, after) = rest.split_once('=')?;
        let (value, after) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let end = loop {
                match chars.next()? {
                    (_, '\\') => value.push(chars.next()?.1),
                    (i, '"') => break i,
                    (_, c) => value.push(c),
                }
            };
            (value, &quoted[end + 1..])
        } else {
            let end = after.find(',').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        params.insert(name.trim().to_ascii_lowercase(), value);
        rest = after.trim_start().trim_start_matches(',').trim_start();
    }
    Some(params)
}

impl Respond for DigestServer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let authorization = common::header(request, "authorization");
        let mut state = self.state.lock().unwrap();
        let current = state.nonce.clone();
        let Some(params) = authorization.as_deref().and_then(digest_params) else {
            state.verdicts.push(Verdict::Challenged);
            return self.challenge(&current, false);
        };
        if let Err(why) = self.check(request, &params) {
            state.verdicts.push(Verdict::Rejected(why));
            return self.challenge(&current, false);
        }
        let nonce = params["nonce"].clone();
        if nonce != current {
            let verdict = if state.issued.contains(&nonce) {
                Verdict::Stale
            } else {
                Verdict::Rejected("unknown nonce".into())
            };
            let stale = verdict == Verdict::Stale;
            state.verdicts.push(verdict);
            return self.challenge(&current, stale);
        }
        let nc = u32::from_str_radix(&params["nc"], 16).unwrap();
        if !state.used.insert((nonce.clone(), nc)) {
            state
                .verdicts
                .push(Verdict::Rejected(format!("nc {nc} replayed")));
            return self.challenge(&current, false);
        }
        state.verdicts.push(Verdict::Accepted { nonce, nc });
        self.success.clone()
    }
}

async fn digest_server(algorithm: Algorithm) -> (MockServer, DigestServer) {
    let server = MockServer::start().await;
    let digest = DigestServer::new(algorithm, archive_response());
    Mock::given(path_regex("^/api/atlas/v2/"))
        .respond_with(digest.clone())
        .mount(&server)
        .await;
    (server, digest)
}

fn digest_client(server: &MockServer, private_key: &str) -> Client {
    common::builder(server)
        .credentials(Credentials::digest(PUBLIC_KEY, private_key))
        .build()
        .unwrap()
}

async fn get_archive(client: &Client) -> Result<(), Error> {
    client
        .get_online_archive(GROUP_ID, "Cluster0", OTHER_ID)
        .pretty(true)
        .send()
        .await
        .map(drop)
}

fn accepted(nonce: &str, nc: u32) -> Verdict {
    Verdict::Accepted {
        nonce: nonce.into(),
        nc,
    }
}

#[tokio::test]
async fn digest_md5_answers_the_challenge_and_counts_nonce_uses() {
    let (server, digest) = digest_server(Algorithm::Md5).await;
    let client = digest_client(&server, PRIVATE_KEY);

    get_archive(&client)
        .await
        .expect("the answered challenge is accepted");
    assert_eq!(
        digest.verdicts(),
        [Verdict::Challenged, accepted("nonce-1-a1b2c3", 1)]
    );

    // The challenge is kept: the next calls answer it directly, counting up.
    get_archive(&client).await.unwrap();
    client
        .clone()
        .list_flex_backups(GROUP_ID, "flex0")
        .send()
        .await
        .ok();
    assert_eq!(
        digest.verdicts()[2..],
        [accepted("nonce-1-a1b2c3", 2), accepted("nonce-1-a1b2c3", 3)]
    );
    assert_eq!(requests(&server).await.len(), 4);
}

#[tokio::test]
async fn digest_sha256_answers_the_challenge() {
    let (server, digest) = digest_server(Algorithm::Sha256).await;
    let client = digest_client(&server, PRIVATE_KEY);

    get_archive(&client)
        .await
        .expect("the SHA-256 answer is accepted");
    assert_eq!(
        digest.verdicts(),
        [Verdict::Challenged, accepted("nonce-1-a1b2c3", 1)]
    );
    let received = requests(&server).await;
    let authorization = common::header(&received[1], "authorization").unwrap();
    assert!(
        authorization.contains("algorithm=SHA-256"),
        "{authorization}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_digest_calls_use_distinct_nonce_counts() {
    let (server, digest) = digest_server(Algorithm::Md5).await;
    let client = digest_client(&server, PRIVATE_KEY);
    get_archive(&client).await.unwrap();

    let calls: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { get_archive(&client).await })
        })
        .collect();
    for call in calls {
        call.await
            .unwrap()
            .expect("every concurrent call is accepted");
    }

    // One answer per call, no replay: nonce counts 2..=21, each used once.
    let mut counts: Vec<u32> = digest.verdicts()[2..]
        .iter()
        .map(|v| match v {
            Verdict::Accepted { nc, .. } => *nc,
            other => panic!("{other:?}"),
        })
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (2..=21).collect::<Vec<_>>());
    assert_eq!(requests(&server).await.len(), 22);
}

#[tokio::test]
async fn the_digest_uri_is_the_encoded_request_target() {
    let (server, digest) = digest_server(Algorithm::Md5).await;
    // `a b/東京` breaks the clusterName pattern: validation off to send it.
    let client = common::builder(&server)
        .credentials(Credentials::digest(PUBLIC_KEY, PRIVATE_KEY))
        .validate_arguments(false)
        .build()
        .unwrap();
    client
        .get_online_archive(GROUP_ID, "a b/東京", OTHER_ID)
        .pretty(true)
        .send()
        .await
        .expect("the server accepts the answer (it checks `uri`)");
    assert_eq!(
        digest.verdicts(),
        [Verdict::Challenged, accepted("nonce-1-a1b2c3", 1)]
    );
    let received = requests(&server).await;
    let authorization = common::header(&received[1], "authorization").unwrap();
    let expected_uri = format!(
        "uri=\"/api/atlas/v2/groups/{GROUP_ID}/clusters/a%20b%2F%E6%9D%B1%E4%BA%AC/onlineArchives/{OTHER_ID}?pretty=true\""
    );
    assert!(authorization.contains(&expected_uri), "{authorization}");
}

#[tokio::test]
async fn a_stale_nonce_is_rechallenged_and_the_post_body_replayed_once() {
    let (server, digest) = digest_server(Algorithm::Md5).await;
    let client = digest_client(&server, PRIVATE_KEY);
    get_archive(&client).await.unwrap();
    digest.rotate_nonce();

    client
        .create_online_archive(GROUP_ID, "Cluster0", archive_body())
        .send()
        .await
        .expect("the replay with the new nonce is accepted");

    assert_eq!(
        digest.verdicts()[2..],
        [Verdict::Stale, accepted("nonce-2-d4e5f6", 1)]
    );
    let posts: Vec<_> = requests(&server)
        .await
        .into_iter()
        .filter(|r| r.method.as_str() == "POST")
        .collect();
    assert_eq!(posts.len(), 2, "sent once, replayed once");
    assert!(!posts[0].body.is_empty());
    assert_eq!(posts[0].body, posts[1].body);
    let sent: serde_json::Value = posts[1].body_json().unwrap();
    assert_eq!(sent, serde_json::to_value(archive_body()).unwrap());
}

#[tokio::test]
async fn a_wrong_private_key_fails_after_one_answer() {
    let (server, digest) = digest_server(Algorithm::Md5).await;
    let client = digest_client(&server, "not-the-private-key");

    let err = get_archive(&client).await.unwrap_err();
    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(
        digest.verdicts(),
        [
            Verdict::Challenged,
            Verdict::Rejected("response hash".into())
        ]
    );
}

#[tokio::test]
async fn a_malformed_challenge_is_a_credentials_error() {
    let server = MockServer::start().await;
    Mock::given(path_regex("^/api/atlas/"))
        .respond_with(
            common::json_response(401, &unauthorized_body(), "application/json")
                .insert_header("WWW-Authenticate", "Digest realm=\"x\", algorithm=MD5"),
        )
        .mount(&server)
        .await;
    let err = get_archive(&digest_client(&server, PRIVATE_KEY))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Credentials { .. }), "{err:?}");
    assert!(err.to_string().contains("nonce"), "{err}");
    assert_eq!(requests(&server).await.len(), 1);
}

// ------------------------------------------------------------------ no secret shown

fn secrets() -> Vec<String> {
    vec![
        CLIENT_SECRET.to_owned(),
        PRIVATE_KEY.to_owned(),
        STATIC_BEARER.to_owned(),
        TOKEN_PREFIX.to_owned(),
        basic_credentials(),
    ]
}

fn assert_no_secret(text: &str) {
    for secret in secrets() {
        assert!(!text.contains(&secret), "{secret:?} leaked in: {text}");
    }
}

#[tokio::test]
async fn debug_output_never_shows_secrets() {
    let server = oauth_server(&[token(1)]).await;
    let all = [
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET),
        Credentials::digest(PUBLIC_KEY, PRIVATE_KEY),
        Credentials::bearer(STATIC_BEARER),
    ];
    for credentials in all {
        let shown = format!("{credentials:?} {credentials:#?}");
        assert_no_secret(&shown);
        assert!(shown.contains("***"), "{shown}");
        let builder = common::builder(&server).credentials(credentials);
        assert_no_secret(&format!("{builder:?}"));
        let client = builder.build().unwrap();
        // After a call the client holds a token (service account) or a challenge state.
        let _ = list_snapshots(&client).await;
        assert_no_secret(&format!("{client:?} {client:#?}"));
        let request = client.list_flex_backups(GROUP_ID, "flex0");
        assert_no_secret(&format!("{request:?}"));
    }
    // The public parts are shown, so users can tell credentials apart.
    let shown = format!("{:?}", Credentials::digest(PUBLIC_KEY, PRIVATE_KEY));
    assert!(shown.contains(PUBLIC_KEY), "{shown}");
    let shown = format!(
        "{:?}",
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET)
    );
    assert!(shown.contains(CLIENT_ID), "{shown}");
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

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

// The subscriber is the process-wide default, not a thread's (`set_default`): tracing
// caches each call site's interest once for all threads, and with a single thread-scoped
// subscriber it computes that interest from whichever thread hits the call site first, so
// events first reached by a concurrently running test (without a subscriber) would be
// missed. As the global default it also records the other tests of this binary running
// meanwhile, which only widens what must be secret-free.
#[tokio::test]
async fn tracing_output_never_contains_a_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber)
        .expect("no other test of this binary installs a subscriber");

    // Service account: token fetch, 401, refetch, replay.
    let server = oauth_server(&[token(2)]).await;
    let client = service_account_client(&server);
    list_snapshots(&client).await.unwrap();
    list_snapshots(&client).await.unwrap();

    // Digest: challenge, answer, stale nonce, replayed POST; then a wrong key.
    let (server, digest) = digest_server(Algorithm::Md5).await;
    let client = digest_client(&server, PRIVATE_KEY);
    get_archive(&client).await.unwrap();
    digest.rotate_nonce();
    client
        .create_online_archive(GROUP_ID, "Cluster0", archive_body())
        .send()
        .await
        .unwrap();
    let wrong = digest_client(&server, &format!("{PRIVATE_KEY}-wrong"));
    get_archive(&wrong).await.unwrap_err();

    // Static bearer token, and a token endpoint that refuses.
    let server = MockServer::start().await;
    Mock::given(path("/api/oauth/token"))
        .respond_with(
            ResponseTemplate::new(401).set_body_string(format!("bad client {CLIENT_SECRET}")),
        )
        .mount(&server)
        .await;
    Mock::given(path_regex("^/api/atlas/"))
        .respond_with(flex_page())
        .mount(&server)
        .await;
    let bearer = common::builder(&server)
        .credentials(Credentials::bearer(STATIC_BEARER))
        .build()
        .unwrap();
    list_snapshots(&bearer).await.unwrap();
    let err = list_snapshots(&service_account_client(&server))
        .await
        .unwrap_err();
    tracing::info!(error = %err, debug = ?err, "the test logs the error like an app would");

    let text = captured.text();
    // The capture worked: the runtime's spans and events are in it.
    for expected in [
        "listFlexBackups",
        "getOnlineArchive",
        "createOnlineArchive",
        "received a service-account token",
        "received Digest challenge",
        "token request refused",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not captured in:\n{text}"
        );
    }
    assert_no_secret(&text);
}
