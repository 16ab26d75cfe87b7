//! The security schemes of an API description, end to end: a client built with a scheme
//! table (the shape generated code emits) sends requests to a local wiremock server, and
//! each test asserts exactly what the request carried — the `Authorization` header, the API
//! key's header, query parameter or cookie, and nothing else — for every scheme kind, for
//! requirements with alternatives and AND-ed schemes, and for `security: []`. Secrets never
//! show in `Debug` output or errors.
//!
//! The tables are built here rather than generated, so that these tests run in every crate
//! the runtime is part of, whatever its spec declares.

use std::time::Duration;

use base64::Engine as _;
use reqwest::Method;
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::security::{
    ApiKeyLocation, ClientCredentials, Requirement, Scheme, SchemeKind, Security, TokenUrl,
};
use crate::client::{PathPart, RequestSpec};
use crate::{Client, Credentials, Error, RetryPolicy};

const PASSWORD: &str = "pw-SECRET-basic";
const TOKEN: &str = "tok-SECRET-bearer";
const KEY: &str = "key-SECRET-api";
const OTHER_KEY: &str = "key2-SECRET-api";
const CLIENT_ID: &str = "client-id-visible";
const CLIENT_SECRET: &str = "client-SECRET-value";
const ACCESS_TOKEN: &str = "access-SECRET-token";
const SECRETS: &[&str] = &[PASSWORD, TOKEN, KEY, OTHER_KEY, CLIENT_SECRET, ACCESS_TOKEN];

/// The headers, besides the credentials under test, that a request may carry.
const PLAIN_HEADERS: &[&str] = &["accept", "user-agent", "host", "accept-encoding"];

fn leak<T>(value: Vec<T>) -> &'static [T] {
    Box::leak(value.into_boxed_slice())
}

fn leak_str(value: String) -> &'static str {
    Box::leak(value.into_boxed_str())
}

const BASIC: Scheme = Scheme {
    name: "basicAuth",
    kind: SchemeKind::Basic,
};
const BEARER: Scheme = Scheme {
    name: "bearerAuth",
    kind: SchemeKind::Bearer,
};
const HEADER_KEY: Scheme = Scheme {
    name: "headerKey",
    kind: SchemeKind::ApiKey {
        location: ApiKeyLocation::Header,
        name: "X-API-Key",
    },
};
const QUERY_KEY: Scheme = Scheme {
    name: "queryKey",
    kind: SchemeKind::ApiKey {
        location: ApiKeyLocation::Query,
        name: "api_key",
    },
};
const COOKIE_KEY: Scheme = Scheme {
    name: "sessionCookie",
    kind: SchemeKind::ApiKey {
        location: ApiKeyLocation::Cookie,
        name: "SESSION",
    },
};
const KERBEROS: Scheme = Scheme {
    name: "kerberos",
    kind: SchemeKind::Unsupported,
};

/// `[{first: []}]`, `[{second: []}]`, and `security: []` as lowered (one empty
/// alternative).
const FIRST: Requirement = &[&[0]];
const SECOND: Requirement = &[&[1]];
const NOTHING: Requirement = &[&[]];

/// A table of `schemes` whose operation `op` requires `requirement` (indices into
/// `schemes`), and no document default.
fn table(schemes: Vec<Scheme>, requirement: Requirement) -> Security {
    Security {
        schemes: leak(schemes),
        default: None,
        operations: leak(vec![("op", requirement)]),
    }
}

fn client(server: &MockServer, security: Security, credentials: Credentials) -> Client {
    Client::builder()
        .base_url(server.uri())
        .credentials(credentials)
        .retry_policy(RetryPolicy::none())
        .security(security)
        .build()
        .unwrap()
}

fn get(operation_id: &'static str, query: Vec<(&'static str, &str)>) -> RequestSpec {
    RequestSpec {
        operation_id,
        method: Method::GET,
        path: vec![PathPart::Literal("/things")],
        params: query
            .into_iter()
            .map(|(name, value)| (crate::encode::Param::query(name), value))
            .collect(),
        accept: "application/json",
        body: None,
        error_statuses: &[],
        default_error: false,
    }
}

async fn call(client: &Client, operation_id: &'static str) -> Result<(), Error> {
    client
        .execute_empty(get(operation_id, Vec::new()))
        .await
        .map(|_| ())
}

/// Answers 200 to everything.
async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

/// The headers of `request` that are not plain request headers, as `name: value`, sorted.
fn credential_headers(request: &Request) -> Vec<String> {
    let mut found: Vec<String> = request
        .headers
        .iter()
        .filter(|(name, _)| !PLAIN_HEADERS.contains(&name.as_str()))
        .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap()))
        .collect();
    found.sort();
    found
}

/// One call of an operation that requires `scheme` alone, made with `credentials`: the
/// request the server saw carries exactly the `expected` credential headers (sorted
/// `name: value` lines) and no query string.
async fn sends_exactly(scheme: Scheme, credentials: Credentials, expected: &[String]) {
    let server = ok_server().await;
    let client = client(&server, table(vec![scheme], &[&[0]]), credentials);
    call(&client, "op").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(credential_headers(&request), expected);
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn basic_sends_base64_user_and_password_in_authorization() {
    let encoded = base64::engine::general_purpose::STANDARD.encode(format!("AC123:{PASSWORD}"));
    sends_exactly(
        BASIC,
        Credentials::basic("AC123", PASSWORD),
        &[format!("authorization: Basic {encoded}")],
    )
    .await;
}

#[tokio::test]
async fn bearer_sends_the_token_in_authorization() {
    sends_exactly(
        BEARER,
        Credentials::bearer(TOKEN),
        &[format!("authorization: Bearer {TOKEN}")],
    )
    .await;
}

#[tokio::test]
async fn other_http_schemes_send_their_own_name_before_the_credentials() {
    let scheme = Scheme {
        name: "tokenAuth",
        kind: SchemeKind::Http { scheme: "Token" },
    };
    sends_exactly(
        scheme,
        Credentials::bearer(TOKEN).for_scheme("tokenAuth"),
        &[format!("authorization: Token {TOKEN}")],
    )
    .await;
}

#[tokio::test]
async fn api_key_in_a_header_is_that_header_only() {
    sends_exactly(
        HEADER_KEY,
        Credentials::api_key(KEY),
        &[format!("x-api-key: {KEY}")],
    )
    .await;
}

#[tokio::test]
async fn api_key_in_the_query_is_appended_after_the_operations_parameters() {
    let server = ok_server().await;
    let client = client(
        &server,
        table(vec![QUERY_KEY], &[&[0]]),
        Credentials::api_key("k y&=/"),
    );
    client
        .execute_empty(get("op", vec![("page", "2")]))
        .await
        .unwrap();
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("page=2&api_key=k+y%26%3D%2F"));
    assert!(credential_headers(&request).is_empty(), "{request:?}");
}

#[tokio::test]
async fn api_key_in_a_cookie_is_the_cookie_header_only() {
    sends_exactly(
        COOKIE_KEY,
        Credentials::api_key(KEY),
        &[format!("cookie: SESSION={KEY}")],
    )
    .await;
}

#[test]
fn an_api_key_a_cookie_cannot_carry_is_refused_at_build_time() {
    let err = Client::builder()
        .credentials(Credentials::api_key("a;b=c"))
        .security(table(vec![COOKIE_KEY], &[&[0]]))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("a;b=c"), "{err}");
}

#[tokio::test]
async fn keys_bound_to_schemes_go_where_each_scheme_says() {
    let server = ok_server().await;
    let security = Security {
        schemes: leak(vec![HEADER_KEY, QUERY_KEY]),
        default: None,
        operations: leak(vec![("byHeader", FIRST), ("byQuery", SECOND)]),
    };
    let credentials = Credentials::api_key(KEY)
        .for_scheme("headerKey")
        .and(Credentials::api_key(OTHER_KEY).for_scheme("queryKey"));
    let client = client(&server, security, credentials);
    call(&client, "byHeader").await.unwrap();
    call(&client, "byQuery").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        credential_headers(&requests[0]),
        [format!("x-api-key: {KEY}")]
    );
    assert_eq!(requests[0].url.query(), None);
    assert!(credential_headers(&requests[1]).is_empty());
    assert_eq!(
        requests[1].url.query(),
        Some(format!("api_key={OTHER_KEY}").as_str())
    );
}

#[tokio::test]
async fn schemes_of_one_requirement_are_all_sent() {
    let server = ok_server().await;
    let client = client(
        &server,
        table(vec![HEADER_KEY, BEARER], &[&[0, 1]]),
        Credentials::bearer(TOKEN).and(Credentials::api_key(KEY)),
    );
    call(&client, "op").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        credential_headers(&request),
        [
            format!("authorization: Bearer {TOKEN}"),
            format!("x-api-key: {KEY}"),
        ]
    );
}

#[tokio::test]
async fn the_first_alternative_the_credentials_satisfy_is_sent() {
    let server = ok_server().await;
    // `[appKey AND bearer] OR [bearer]`, the client holding only a bearer token.
    let client = client(
        &server,
        table(vec![HEADER_KEY, BEARER], &[&[0, 1], &[1]]),
        Credentials::bearer(TOKEN),
    );
    call(&client, "op").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        credential_headers(&request),
        [format!("authorization: Bearer {TOKEN}")]
    );
}

#[tokio::test]
async fn an_unsatisfied_requirement_fails_before_anything_is_sent() {
    let server = ok_server().await;
    // `[appKey AND bearer] OR [kerberos]`: a bearer token alone satisfies neither, and
    // `negotiate` is never satisfied.
    let client = client(
        &server,
        table(vec![HEADER_KEY, BEARER, KERBEROS], &[&[0, 1], &[2]]),
        Credentials::bearer(TOKEN),
    );
    let err = call(&client, "op").await.unwrap_err();
    let Error::MissingCredentials {
        operation,
        alternatives,
    } = &err
    else {
        panic!("{err:?}");
    };
    assert_eq!(operation, "op");
    assert_eq!(
        alternatives,
        &[vec!["headerKey", "bearerAuth"], vec!["kerberos"]]
    );
    assert_eq!(
        err.to_string(),
        "operation `op` needs credentials for `headerKey` and `bearerAuth`, or `kerberos`; \
         the client's credentials satisfy none of these"
    );
    assert!(!format!("{err:?}").contains(TOKEN));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn security_empty_list_sends_no_credentials_whatever_the_client_holds() {
    let server = ok_server().await;
    // `security: []` is lowered to one empty alternative.
    let security = Security {
        schemes: leak(vec![BEARER, HEADER_KEY, QUERY_KEY, COOKIE_KEY]),
        default: Some(&[&[0]]),
        operations: leak(vec![("health", NOTHING)]),
    };
    let credentials = Credentials::bearer(TOKEN).and(Credentials::api_key(KEY));
    let client = client(&server, security, credentials);
    call(&client, "health").await.unwrap();
    call(&client, "other").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(
        credential_headers(&requests[0]).is_empty(),
        "{:?}",
        requests[0]
    );
    assert_eq!(requests[0].url.query(), None);
    // The document's default applies to operations without their own.
    assert_eq!(
        credential_headers(&requests[1]),
        [format!("authorization: Bearer {TOKEN}")]
    );
}

#[tokio::test]
async fn optional_security_sends_credentials_when_held_and_nothing_otherwise() {
    // `[{}, {bearer: []}]`.
    let requirement: Requirement = &[&[], &[0]];
    let server = ok_server().await;
    call(
        &client(
            &server,
            table(vec![BEARER], requirement),
            Credentials::bearer(TOKEN),
        ),
        "op",
    )
    .await
    .unwrap();
    call(
        &client(
            &server,
            table(vec![BEARER, HEADER_KEY], requirement),
            Credentials::api_key(KEY),
        ),
        "op",
    )
    .await
    .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        credential_headers(&requests[0]),
        [format!("authorization: Bearer {TOKEN}")]
    );
    assert!(
        credential_headers(&requests[1]).is_empty(),
        "{:?}",
        requests[1]
    );
}

#[tokio::test]
async fn credentials_none_send_nothing_even_where_required() {
    let server = ok_server().await;
    let client = client(&server, table(vec![BEARER], &[&[0]]), Credentials::none());
    call(&client, "op").await.unwrap();
    let request = only_request(&server).await;
    assert!(credential_headers(&request).is_empty(), "{request:?}");
}

#[test]
fn credentials_no_scheme_takes_are_refused_at_build_time() {
    let err = Client::builder()
        .credentials(Credentials::api_key(KEY))
        .security(table(vec![BEARER], &[&[0]]))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("`bearerAuth`"), "{shown}");
    assert!(!shown.contains(KEY), "{shown}");
}

/// A token endpoint on its own server, expecting the client's Basic credentials and
/// `form`, answering `ACCESS_TOKEN` (valid an hour).
async fn token_server(form: &str) -> MockServer {
    let server = MockServer::start().await;
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .and(header("authorization", format!("Basic {basic}").as_str()))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(form))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": ACCESS_TOKEN, "token_type": "Bearer", "expires_in": 3600
        })))
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn client_credentials(token_url: TokenUrl, scopes: &'static [&'static str]) -> Scheme {
    Scheme {
        name: "machine",
        kind: SchemeKind::OAuth2 {
            client_credentials: Some(ClientCredentials { token_url, scopes }),
        },
    }
}

#[tokio::test]
async fn client_credentials_fetch_once_from_the_schemes_token_url_with_its_scopes() {
    let tokens = token_server("grant_type=client_credentials&scope=pets%3Aread+pets%3Awrite").await;
    let api = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(header(
            "authorization",
            format!("Bearer {ACCESS_TOKEN}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200))
        .expect(3)
        .mount(&api)
        .await;
    let url = leak_str(format!("{}/oauth2/token", tokens.uri()));
    let scheme = client_credentials(TokenUrl::Absolute(url), &["pets:read", "pets:write"]);
    let client = client(
        &api,
        table(vec![scheme], &[&[0]]),
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET),
    );
    for _ in 0..3 {
        call(&client, "op").await.unwrap();
    }
    // The mocks' `expect` counts are checked when the servers drop: one token request for
    // three calls, and nothing of the token request on the API server.
    let requests = api.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| r.url.path() == "/things"));
}

#[tokio::test]
async fn scopes_named_by_the_credentials_replace_the_schemes_default() {
    let tokens = token_server("grant_type=client_credentials&scope=admin").await;
    let url = leak_str(format!("{}/oauth2/token", tokens.uri()));
    let scheme = client_credentials(TokenUrl::Absolute(url), &["pets:read"]);
    let api = ok_server().await;
    let client = client(
        &api,
        table(vec![scheme], &[&[0]]),
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET).scopes(["admin"]),
    );
    call(&client, "op").await.unwrap();
    let request = only_request(&api).await;
    assert_eq!(
        credential_headers(&request),
        [format!("authorization: Bearer {ACCESS_TOKEN}")]
    );
}

#[tokio::test]
async fn a_token_url_under_the_default_server_follows_the_base_url() {
    // One server for both: the token path is taken under the client's base URL.
    let server = token_server("grant_type=client_credentials").await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let scheme = client_credentials(TokenUrl::Base("/oauth2/token"), &[]);
    let client = client(
        &server,
        table(vec![scheme], &[&[0]]),
        Credentials::service_account(CLIENT_ID, CLIENT_SECRET),
    );
    call(&client, "op").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let last = requests.last().unwrap();
    assert_eq!(
        credential_headers(last),
        [format!("authorization: Bearer {ACCESS_TOKEN}")]
    );
}

#[test]
fn a_plain_http_token_url_off_loopback_is_refused() {
    let scheme = client_credentials(TokenUrl::Absolute("http://auth.example.com/token"), &[]);
    let err = Client::builder()
        .credentials(Credentials::service_account(CLIENT_ID, CLIENT_SECRET))
        .security(table(vec![scheme], &[&[0]]))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("https"), "{err}");
    assert!(!format!("{err} {err:?}").contains(CLIENT_SECRET));
}

#[tokio::test]
async fn digest_answers_the_challenge_of_the_scheme() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::header_exists("authorization"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).insert_header(
            "www-authenticate",
            r#"Digest realm="api", nonce="n1", qop="auth", algorithm=SHA-256"#,
        ))
        .mount(&server)
        .await;
    let scheme = Scheme {
        name: "keyPair",
        kind: SchemeKind::Digest,
    };
    let client = client(
        &server,
        table(vec![scheme], &[&[0]]),
        Credentials::digest("public", PASSWORD),
    );
    call(&client, "op").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(credential_headers(&requests[0]).is_empty());
    let answer = requests[1].headers.get("authorization").unwrap();
    let answer = answer.to_str().unwrap();
    assert!(
        answer.starts_with(r#"Digest username="public", realm="api", nonce="n1""#),
        "{answer}"
    );
    assert!(!answer.contains(PASSWORD));
}

#[test]
fn debug_of_every_kind_and_of_the_client_hides_the_secrets() {
    let all = Credentials::basic("user-visible", PASSWORD)
        .and(Credentials::bearer(TOKEN))
        .and(Credentials::api_key(KEY).for_scheme("headerKey"))
        .and(Credentials::api_key(OTHER_KEY).for_scheme("queryKey"))
        .and(Credentials::service_account(CLIENT_ID, CLIENT_SECRET));
    let scheme = client_credentials(TokenUrl::Absolute("https://auth.example.com/token"), &[]);
    let client = Client::builder()
        .credentials(all.clone())
        .security(Security {
            schemes: leak(vec![BASIC, BEARER, HEADER_KEY, QUERY_KEY, scheme]),
            default: None,
            operations: &[],
        })
        .build()
        .unwrap();
    let auth = super::Authenticator::build(
        all.clone(),
        super::Context {
            security: Security {
                schemes: leak(vec![BASIC, BEARER, HEADER_KEY, QUERY_KEY, scheme]),
                default: None,
                operations: &[],
            },
            http: reqwest::Client::new(),
            base_url: &url::Url::parse("https://api.example.com").unwrap(),
            user_agent: "test".into(),
            allow_insecure_http: false,
        },
    )
    .unwrap();
    let shown = format!("{all:?} {all:#?} {client:?} {auth:?} {auth:#?}");
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(
        shown.contains("user-visible") && shown.contains(CLIENT_ID),
        "{shown}"
    );
    assert!(
        shown.contains("headerKey") && shown.contains("***"),
        "{shown}"
    );
}

#[tokio::test]
async fn secrets_echoed_by_the_server_are_scrubbed_from_errors() {
    let server = MockServer::start().await;
    let echo = format!(r#"{{"seen": "{KEY} and {TOKEN} and {OTHER_KEY}"}}"#);
    Mock::given(method("GET"))
        .and(query_param("api_key", OTHER_KEY))
        .respond_with(ResponseTemplate::new(500).set_body_raw(echo, "application/json"))
        .mount(&server)
        .await;
    let security = Security {
        schemes: leak(vec![BEARER, HEADER_KEY, QUERY_KEY]),
        default: Some(&[&[0, 1, 2]]),
        operations: &[],
    };
    let credentials = Credentials::bearer(TOKEN)
        .and(Credentials::api_key(KEY).for_scheme("headerKey"))
        .and(Credentials::api_key(OTHER_KEY).for_scheme("queryKey"));
    let err = call(&client(&server, security, credentials), "op")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500), "{err:?}");
    let shown = format!("{err} {err:?}");
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

#[tokio::test]
async fn an_api_key_in_the_query_is_masked_in_transport_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::api_key(KEY))
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_millis(100))
        .security(table(vec![QUERY_KEY], &[&[0]]))
        .build()
        .unwrap();
    let err = call(&client, "op").await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(matches!(err, Error::Timeout { .. }), "{shown}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(shown.contains("api_key=***"), "{shown}");
}

#[test]
fn the_generated_table_is_sorted_and_refers_to_schemes_it_has() {
    let table = crate::generated::security::SECURITY;
    let ids: Vec<&str> = table.operations.iter().map(|(id, _)| *id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    let names: Vec<&str> = table.schemes.iter().map(|s| s.name).collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?}");
    let requirements = table
        .default
        .into_iter()
        .chain(table.operations.iter().map(|(_, r)| *r));
    for alternative in requirements.flatten() {
        assert!(
            alternative.iter().all(|&i| i < names.len()),
            "{alternative:?}"
        );
    }
}

#[tokio::test]
async fn tracing_output_never_contains_the_schemes_secrets() {
    let captured = super::test_support::Captured::default();
    let _guard =
        tracing::subscriber::set_default(super::test_support::capturing_subscriber(&captured));
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let security = Security {
        schemes: leak(vec![BASIC, HEADER_KEY, QUERY_KEY, COOKIE_KEY]),
        default: Some(&[&[0, 1, 2, 3]]),
        operations: &[],
    };
    let credentials = Credentials::basic("user", PASSWORD)
        .and(Credentials::api_key(KEY).for_scheme("headerKey"))
        .and(Credentials::api_key(OTHER_KEY).for_scheme("queryKey"))
        .and(Credentials::api_key(KEY).for_scheme("sessionCookie"));
    let err = call(&client(&server, security, credentials), "op")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err:?}");
    let request = only_request(&server).await;
    assert_eq!(credential_headers(&request).len(), 3, "{request:?}");
    let text = captured.text();
    assert!(text.contains("op"), "nothing captured: {text}");
    for secret in SECRETS {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}
