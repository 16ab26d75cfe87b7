//! Authenticator-level tests: credentials kinds, secrets in Debug and tracing output, and a
//! SHA-256 Digest peer (wiremock) that rotates its nonce and answers `stale=true`.

use std::sync::Mutex;

use reqwest::header::{HeaderMap, HeaderValue, WWW_AUTHENTICATE};
use reqwest::{Method, StatusCode};
use sha2::{Digest as _, Sha256};
use url::Url;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use super::test_support::{capturing_subscriber, digest_params, send, Captured};
use super::{Authenticator, Credentials};

const PUBLIC_KEY: &str = "pubkey-visible";
const PRIVATE_KEY: &str = "priv-8f3a-SECRET-key";
const CLIENT_ID: &str = "mdb_sa_id_visible";
const CLIENT_SECRET: &str = "mdb_sa_sk_SECRET-value";
const BEARER: &str = "static-BEARER-SECRET";
const ACCESS_TOKEN: &str = "eyJ-access-TOKEN-SECRET";

fn authenticator(credentials: Credentials, base: &str) -> Authenticator {
    Authenticator::new(
        credentials,
        reqwest::Client::new(),
        Url::parse(base).unwrap(),
        "atlas-admin-test/1.0".into(),
    )
}

#[test]
fn debug_never_shows_secrets() {
    let all = [
        Credentials::none(),
        Credentials::default(),
        Credentials::bearer(BEARER),
        Credentials::digest(PUBLIC_KEY, PRIVATE_KEY),
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET),
    ];
    let mut shown = String::new();
    for credentials in &all {
        let text = format!("{credentials:?} {credentials:#?}");
        let auth = authenticator(credentials.clone(), "http://127.0.0.1:1");
        shown.push_str(&format!("{text} {auth:?} {auth:#?}\n"));
    }
    for secret in [PRIVATE_KEY, CLIENT_SECRET, BEARER] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(
        shown.contains(PUBLIC_KEY) && shown.contains(CLIENT_ID),
        "{shown}"
    );
    assert!(shown.contains("***"));
}

#[test]
fn authenticator_is_send_sync_and_its_futures_are_send() {
    fn send_sync<T: Send + Sync + 'static>() {}
    fn is_send<T: Send>(_: &T) {}
    send_sync::<Authenticator>();
    send_sync::<Credentials>();
    let auth = authenticator(Credentials::none(), "http://127.0.0.1:1");
    let url = Url::parse("http://127.0.0.1:1/").unwrap();
    is_send(&auth.authorization(&Method::GET, &url, None));
    is_send(&auth.handle_unauthorized(&HeaderMap::new()));
}

#[tokio::test]
async fn bearer_and_none() {
    let url = Url::parse("http://127.0.0.1:1/api/atlas/v2").unwrap();
    let bearer = authenticator(Credentials::bearer(BEARER), "http://127.0.0.1:1");
    let value = bearer
        .authorization(&Method::GET, &url, None)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(value, format!("Bearer {BEARER}").as_str());
    assert!(value.is_sensitive());
    let mut headers = HeaderMap::new();
    headers.insert(
        WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"x\""),
    );
    assert!(!bearer.handle_unauthorized(&headers).await.unwrap());

    let none = authenticator(Credentials::none(), "http://127.0.0.1:1");
    assert!(none
        .authorization(&Method::GET, &url, None)
        .await
        .unwrap()
        .is_none());
    assert!(!none.handle_unauthorized(&headers).await.unwrap());

    // A token a header cannot carry is refused when the client is built, before any
    // request, without showing it.
    let err = crate::Client::builder()
        .credentials(Credentials::bearer("line\nbreak-SECRET"))
        .build()
        .unwrap_err();
    assert!(matches!(err, crate::Error::Config { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("break-SECRET"));
}

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A Digest server (SHA-256 preferred, MD5 also offered) that verifies every answer
/// independently and treats any nonce but the current one as stale.
struct DigestPeer {
    nonce: Mutex<String>,
}

impl DigestPeer {
    fn challenge(&self, nonce: &str, stale: bool) -> ResponseTemplate {
        let stale = if stale { ", stale=true" } else { "" };
        ResponseTemplate::new(401)
            .append_header(
                "WWW-Authenticate",
                format!(
                    "Digest realm=\"atlas\", qop=\"auth\", algorithm=MD5, nonce=\"{nonce}\"{stale}"
                ),
            )
            .append_header(
                "WWW-Authenticate",
                format!(
                    "Basic realm=\"atlas\", Digest realm=\"atlas\", qop=\"auth,auth-int\", \
                     algorithm=SHA-256, nonce=\"{nonce}\", opaque=\"opaque-1\"{stale}"
                ),
            )
            .set_body_json(serde_json::json!({"error": 401, "errorCode": "UNAUTHORIZED"}))
    }
}

impl Respond for DigestPeer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let current = self.nonce.lock().unwrap().clone();
        let Some(value) = request.headers.get("authorization") else {
            return self.challenge(&current, false);
        };
        let p = digest_params(value.to_str().unwrap());
        let target = &request.url[url::Position::BeforePath..url::Position::AfterQuery];
        let ha1 = sha256_hex(&format!("{PUBLIC_KEY}:atlas:{PRIVATE_KEY}"));
        let ha2 = sha256_hex(&format!("{}:{target}", request.method));
        let expected = sha256_hex(&format!(
            "{ha1}:{}:{}:{}:auth:{ha2}",
            p["nonce"], p["nc"], p["cnonce"]
        ));
        let valid = p["username"] == PUBLIC_KEY
            && p["uri"] == target
            && p["algorithm"] == "SHA-256"
            && p["opaque"] == "opaque-1"
            && p["qop"] == "auth"
            && p["response"] == expected;
        if !valid {
            return self.challenge(&current, false);
        }
        if p["nonce"] != current {
            return self.challenge(&current, true);
        }
        ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true}))
    }
}

async fn digest_peer() -> (MockServer, std::sync::Arc<DigestPeer>) {
    let server = MockServer::start().await;
    let peer = std::sync::Arc::new(DigestPeer {
        nonce: Mutex::new("nonce-1".into()),
    });
    struct Shared(std::sync::Arc<DigestPeer>);
    impl Respond for Shared {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            self.0.respond(request)
        }
    }
    Mock::given(path("/api/atlas/v2/groups/g1/clusters"))
        .respond_with(Shared(peer.clone()))
        .mount(&server)
        .await;
    (server, peer)
}

#[tokio::test]
async fn sha256_digest_answers_a_stale_nonce_and_replays_the_body_once() {
    let (server, peer) = digest_peer().await;
    let auth = authenticator(Credentials::digest(PUBLIC_KEY, PRIVATE_KEY), &server.uri());
    let url = Url::parse(&format!(
        "{}/api/atlas/v2/groups/g1/clusters?pretty=true",
        server.uri()
    ))
    .unwrap();

    let first = send(&auth, &reqwest::Client::new(), Method::GET, &url, None)
        .await
        .unwrap();
    assert_eq!((first.status, first.attempts), (StatusCode::OK, 2));

    // The server rotates its nonce: the next (preemptive) answer is stale.
    *peer.nonce.lock().unwrap() = "nonce-2".into();
    let body: &'static [u8] = br#"{"name":"c1","clusterType":"REPLICASET"}"#;
    let post = send(
        &auth,
        &reqwest::Client::new(),
        Method::POST,
        &url,
        Some(body),
    )
    .await
    .unwrap();
    assert_eq!((post.status, post.attempts), (StatusCode::OK, 2));

    let requests = server.received_requests().await.unwrap();
    let posts: Vec<&Request> = requests
        .iter()
        .filter(|r| r.method == Method::POST)
        .collect();
    assert_eq!(posts.len(), 2, "the body is replayed exactly once");
    assert_eq!(posts[0].body, body);
    assert_eq!(posts[1].body, body);
    let auth_of = |r: &Request| digest_params(r.headers["authorization"].to_str().unwrap());
    let (stale, fresh) = (auth_of(posts[0]), auth_of(posts[1]));
    assert_eq!(
        (stale["nonce"].as_str(), stale["nc"].as_str()),
        ("nonce-1", "00000002")
    );
    assert_eq!(
        (fresh["nonce"].as_str(), fresh["nc"].as_str()),
        ("nonce-2", "00000001")
    );
    assert_ne!(stale["cnonce"], fresh["cnonce"]);
    assert_eq!(fresh["algorithm"], "SHA-256");
}

#[tokio::test]
async fn digest_wrong_key_gives_up_after_one_replay() {
    let (server, _peer) = digest_peer().await;
    let auth = authenticator(Credentials::digest(PUBLIC_KEY, "wrong"), &server.uri());
    let url = Url::parse(&format!("{}/api/atlas/v2/groups/g1/clusters", server.uri())).unwrap();
    let outcome = send(&auth, &reqwest::Client::new(), Method::GET, &url, None)
        .await
        .unwrap();
    assert_eq!(
        (outcome.status, outcome.attempts),
        (StatusCode::UNAUTHORIZED, 2)
    );
}

#[tokio::test]
async fn tracing_output_never_contains_secrets_or_authorization_values() {
    let captured = Captured::default();
    let _guard = tracing::subscriber::set_default(capturing_subscriber(&captured));

    // Digest exchange.
    let (digest_server, _peer) = digest_peer().await;
    let digest = authenticator(
        Credentials::digest(PUBLIC_KEY, PRIVATE_KEY),
        &digest_server.uri(),
    );
    let url = Url::parse(&format!(
        "{}/api/atlas/v2/groups/g1/clusters",
        digest_server.uri()
    ))
    .unwrap();
    let http = reqwest::Client::new();
    for _ in 0..2 {
        let outcome = send(&digest, &http, Method::GET, &url, None).await.unwrap();
        assert_eq!(outcome.status, StatusCode::OK);
    }

    // Service-account exchange: token, API call, 401, refetch, replay.
    let oauth_server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": ACCESS_TOKEN, "expires_in": 3600, "token_type": "Bearer"
        })))
        .mount(&oauth_server)
        .await;
    Mock::given(path("/api/atlas/v2/orgs"))
        .and(header(
            "authorization",
            format!("Bearer {ACCESS_TOKEN}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .mount(&oauth_server)
        .await;
    Mock::given(path("/api/atlas/v2/orgs"))
        .and(header(
            "authorization",
            format!("Bearer {ACCESS_TOKEN}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&oauth_server)
        .await;
    let oauth = authenticator(
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET),
        &oauth_server.uri(),
    );
    let url = Url::parse(&format!("{}/api/atlas/v2/orgs", oauth_server.uri())).unwrap();
    let outcome = send(&oauth, &http, Method::GET, &url, None).await.unwrap();
    assert_eq!((outcome.status, outcome.attempts), (StatusCode::OK, 2));

    // A refused token request is logged too, without the secret.
    let refusing = MockServer::start().await;
    Mock::given(path("/api/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_string(format!("no: {CLIENT_SECRET}")))
        .mount(&refusing)
        .await;
    let refused = authenticator(
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET),
        &refusing.uri(),
    );
    assert!(refused
        .authorization(&Method::GET, &url, None)
        .await
        .is_err());

    let text = captured.text();
    assert!(
        text.contains("received Digest challenge"),
        "capture works: {text}"
    );
    assert!(
        text.contains("requesting a service-account token"),
        "{text}"
    );
    let mut forbidden = vec![
        PRIVATE_KEY.to_owned(),
        CLIENT_SECRET.to_owned(),
        ACCESS_TOKEN.to_owned(),
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("{CLIENT_ID}:{CLIENT_SECRET}"),
        ),
    ];
    for server in [&digest_server, &oauth_server, &refusing] {
        for request in server.received_requests().await.unwrap() {
            if let Some(value) = request.headers.get("authorization") {
                let value = value.to_str().unwrap().to_owned();
                if let Some(digest) = value.strip_prefix("Digest ") {
                    forbidden.push(digest_params(&value)["response"].clone());
                    forbidden.push(digest.to_owned());
                }
                forbidden.push(value);
            }
        }
    }
    assert!(forbidden.len() > 8);
    for secret in &forbidden {
        assert!(
            !text.contains(secret.as_str()),
            "{secret:?} appears in tracing output"
        );
    }
}
