//! Helpers shared by integration tests: the bundled spec and its documented examples, a
//! local mock server with a client pointed at it, and exact checks of what the server
//! received.
//!
//! Include it with `mod support;` at the top of a file in `generated-client/tests/`.
//! Everything here goes through the crate's public API only. The spec is read from
//! `CARGO_MANIFEST_DIR/../spec/atlas-admin-v2.yaml` (parsed once per test binary), so tests
//! that draw on it follow the spec when it changes instead of hand-copying its examples.
//!
//! Conventions: panics carry a message that names what was looked up (a test helper that
//! fails should say why), and nothing here talks to anything but `127.0.0.1`.

#![allow(
    dead_code,
    reason = "each test binary includes this module and uses a different subset of it"
)]

use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

use atlas_admin::{Client, ClientBuilder, Credentials, RetryPolicy};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Where the bundled spec lives.
pub const SPEC_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/atlas-admin-v2.yaml");

/// A valid project id (`^([a-f0-9]{24})$`).
pub const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
/// A valid organization id.
pub const ORG_ID: &str = "5f4d3c2b1a09f8e7d6c5b4a3";
/// Another valid 24-hex id (archive, invitation, endpoint service, API key).
pub const OTHER_ID: &str = "0123456789abcdef01234567";

/// The HTTP methods an OpenAPI path item may hold, lower case as in the spec.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

// ------------------------------------------------------------------------------ the spec

/// The spec as JSON, parsed once per test binary.
pub fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(SPEC_PATH)
            .unwrap_or_else(|e| panic!("cannot read {SPEC_PATH}: {e}"));
        serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{SPEC_PATH} is not YAML that maps onto JSON: {e}"))
    })
}

/// Follows local `$ref`s (`#/components/...`) until `value` is not one.
pub fn resolve(value: &Value) -> &Value {
    let mut current = value;
    // A bound instead of cycle detection: the spec never chains more than a few refs.
    for _ in 0..16 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            return current;
        };
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("non-local $ref {reference}"));
        current = spec()
            .pointer(pointer)
            .unwrap_or_else(|| panic!("dangling $ref {reference}"));
    }
    panic!("$ref chain too long at {value}")
}

/// The `$ref` target of `value` as a schema name (`#/components/schemas/Foo` → `Foo`).
pub fn schema_name(value: &Value) -> Option<&str> {
    value
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

/// One operation of the spec.
#[derive(Debug, Clone)]
pub struct SpecOperation {
    /// The `operationId`.
    pub id: String,
    /// The HTTP method, upper case (`GET`, `POST`, …).
    pub method: String,
    /// The path template, e.g. `/api/atlas/v2/groups/{groupId}/streams`.
    pub path: String,
    /// The operation object.
    pub op: &'static Value,
}

impl SpecOperation {
    /// The media types of the request body, in document order (empty without a body).
    pub fn request_media_types(&self) -> Vec<String> {
        self.op
            .get("requestBody")
            .map(|body| media_types(&resolve(body)["content"]))
            .unwrap_or_default()
    }

    /// The media types of the `status` response, in document order.
    pub fn response_media_types(&self, status: &str) -> Vec<String> {
        let response = self.op["responses"]
            .get(status)
            .unwrap_or_else(|| panic!("{}: no {status} response", self.id));
        media_types(&resolve(response)["content"])
    }

    /// The documented 2xx status codes, in document order.
    pub fn success_statuses(&self) -> Vec<String> {
        let responses = self.op["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{}: no responses", self.id));
        responses
            .keys()
            .filter(|status| status.starts_with('2'))
            .cloned()
            .collect()
    }
}

fn media_types(content: &Value) -> Vec<String> {
    content
        .as_object()
        .map(|content| content.keys().cloned().collect())
        .unwrap_or_default()
}

/// Every operation of the spec, in document order.
pub fn operations() -> Vec<SpecOperation> {
    let paths = spec()["paths"]
        .as_object()
        .unwrap_or_else(|| panic!("the spec has no paths"));
    let mut out = Vec::new();
    for (path, item) in paths {
        let item = resolve(item)
            .as_object()
            .unwrap_or_else(|| panic!("path item {path} is not an object"));
        for (method, op) in item {
            if HTTP_METHODS.contains(&method.as_str()) {
                let id = op["operationId"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
                out.push(SpecOperation {
                    id: id.to_owned(),
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    op,
                });
            }
        }
    }
    out
}

/// The operation with this `operationId`.
pub fn operation(id: &str) -> SpecOperation {
    operations()
        .into_iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("no operation {id} in the spec"))
}

/// The set of `operationId`s of the spec.
pub fn operation_ids() -> BTreeSet<String> {
    operations().into_iter().map(|o| o.id).collect()
}

/// Whether `path` (raw, as sent) is an instance of the spec's path `template`: literal text
/// matches exactly and each `{param}` stands for a non-empty run without `/`. A template
/// segment may mix both (`{processorName}:start`).
pub fn path_matches_template(template: &str, path: &str) -> bool {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| segment_matches(t, p))
}

fn segment_matches(template: &str, segment: &str) -> bool {
    let Some(open) = template.find('{') else {
        return template == segment;
    };
    let Some(close) = template[open..].find('}').map(|i| i + open) else {
        return template == segment;
    };
    let (prefix, rest) = (&template[..open], &template[close + 1..]);
    let Some(after_prefix) = segment.strip_prefix(prefix) else {
        return false;
    };
    // The parameter takes at least one character; the rest of the template must match the
    // remainder for some split (leftmost-shortest is enough for one parameter per segment,
    // and we try every split to stay correct for several).
    (1..=after_prefix.len())
        .filter(|&n| after_prefix.is_char_boundary(n))
        .any(|n| segment_matches(rest, &after_prefix[n..]))
}

// ---------------------------------------------------------------------------- examples

/// Where in an operation an example is documented.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Site {
    /// The request body.
    Request,
    /// The response with this status code (`"200"`, `"404"`, …).
    Response(String),
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Site::Request => f.write_str("request"),
            Site::Response(status) => write!(f, "response {status}"),
        }
    }
}

/// One named example of a media type (`content.<media>.examples.<name>`), `$ref`s resolved.
#[derive(Debug, Clone)]
pub struct SpecExample {
    /// The operation it belongs to.
    pub operation_id: String,
    /// Request body or response status.
    pub site: Site,
    /// The media type it is recorded under.
    pub media_type: String,
    /// The example's key under `examples`.
    pub name: String,
    /// The schema's `$ref` target name (`StreamsTenant`), if the media type refers to one.
    pub schema: Option<String>,
    /// The example's `value`.
    pub value: Value,
}

impl SpecExample {
    /// `createOnlineArchive response 200 application/vnd…+json #default`, for messages.
    pub fn label(&self) -> String {
        format!(
            "{} {} {} #{}",
            self.operation_id, self.site, self.media_type, self.name
        )
    }

    /// The HTTP status of a response example (panics for a request example).
    pub fn status(&self) -> u16 {
        match &self.site {
            Site::Response(status) => status
                .parse()
                .unwrap_or_else(|_| panic!("{}: status {status} is not a number", self.label())),
            Site::Request => panic!("{} is a request example", self.label()),
        }
    }
}

fn push_examples(out: &mut Vec<SpecExample>, operation_id: &str, site: &Site, content: &Value) {
    let Some(content) = content.as_object() else {
        return;
    };
    for (media_type, media) in content {
        let Some(examples) = media.get("examples").and_then(Value::as_object) else {
            continue;
        };
        for (name, example) in examples {
            let value = resolve(example)
                .get("value")
                .unwrap_or_else(|| panic!("{operation_id} {site} {media_type} #{name}: no value"))
                .clone();
            out.push(SpecExample {
                operation_id: operation_id.to_owned(),
                site: site.clone(),
                media_type: media_type.clone(),
                name: name.clone(),
                schema: media.get("schema").and_then(schema_name).map(str::to_owned),
                value,
            });
        }
    }
}

/// Every media-type example of every operation (request bodies and responses, error
/// responses through their `$ref`), in document order.
pub fn examples() -> Vec<SpecExample> {
    let mut out = Vec::new();
    for op in operations() {
        if let Some(body) = op.op.get("requestBody") {
            push_examples(&mut out, &op.id, &Site::Request, &resolve(body)["content"]);
        }
        if let Some(responses) = op.op["responses"].as_object() {
            for (status, response) in responses {
                let site = Site::Response(status.clone());
                push_examples(&mut out, &op.id, &site, &resolve(response)["content"]);
            }
        }
    }
    out
}

/// The examples of one operation and site.
pub fn examples_at(operation_id: &str, site: &Site) -> Vec<SpecExample> {
    examples()
        .into_iter()
        .filter(|e| e.operation_id == operation_id && &e.site == site)
        .collect()
}

/// The only example of one operation and site (panics when there are none or several).
pub fn only_example(operation_id: &str, site: &Site) -> SpecExample {
    let mut found = examples_at(operation_id, site);
    assert_eq!(
        found.len(),
        1,
        "{operation_id} {site}: expected exactly one example, found {:?}",
        found.iter().map(SpecExample::label).collect::<Vec<_>>()
    );
    found.remove(0)
}

/// The named example of one operation and site.
pub fn named_example(operation_id: &str, site: &Site, name: &str) -> SpecExample {
    examples_at(operation_id, site)
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{operation_id} {site}: no example named {name}"))
}

/// The documented request example of `operation_id`.
pub fn request_example(operation_id: &str) -> SpecExample {
    only_example(operation_id, &Site::Request)
}

/// The documented example of the `status` response of `operation_id`.
pub fn response_example(operation_id: &str, status: &str) -> SpecExample {
    only_example(operation_id, &Site::Response(status.to_owned()))
}

/// Decodes `value` into `T` the way the client does: from JSON text.
pub fn decode<T: DeserializeOwned>(value: &Value) -> T {
    let text = serde_json::to_string(value).unwrap_or_else(|e| panic!("encode {value}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "{value} does not decode as {}: {e}",
            std::any::type_name::<T>()
        )
    })
}

/// Encodes `value` as a JSON value.
pub fn encode<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value)
        .unwrap_or_else(|e| panic!("cannot encode a {}: {e}", std::any::type_name::<T>()))
}

// ------------------------------------------------------------------ mock server and client

/// A mock server on `127.0.0.1` (an OS-assigned port).
pub async fn mock_server() -> MockServer {
    MockServer::start().await
}

/// A client builder pointed at `server`: no credentials, no retries (a test that fails
/// should fail on its first request, not after backoffs).
pub fn client_builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .credentials(Credentials::none())
        .retry_policy(RetryPolicy::none())
}

/// A client pointed at `server` (see [`client_builder`]).
pub fn client(server: &MockServer) -> Client {
    client_builder(server)
        .build()
        .unwrap_or_else(|e| panic!("cannot build a client for {}: {e}", server.uri()))
}

/// A response with `body` as JSON under `content_type`.
pub fn json_response(status: u16, body: &Value, content_type: &str) -> ResponseTemplate {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|e| panic!("encode {body}: {e}"));
    ResponseTemplate::new(status).set_body_raw(bytes, content_type)
}

/// The response a server documents with `example`: its status, its value as the body,
/// its media type as `Content-Type`.
pub fn example_response(example: &SpecExample) -> ResponseTemplate {
    json_response(example.status(), &example.value, &example.media_type)
}

/// Mounts `response` for any request, and expects exactly one request (checked when the
/// server is dropped).
pub async fn respond_once(server: &MockServer, response: ResponseTemplate) {
    Mock::given(any())
        .respond_with(response)
        .expect(1)
        .mount(server)
        .await;
}

/// The requests `server` received, in order.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_else(|| panic!("request recording is off"))
}

/// The one request `server` received (panics unless there was exactly one).
pub async fn only_request(server: &MockServer) -> Request {
    let mut received = requests(server).await;
    assert_eq!(
        received.len(),
        1,
        "expected exactly one request, got {:?}",
        received
            .iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect::<Vec<_>>()
    );
    received.remove(0)
}

/// A header of a received request, as text (`None` when absent).
pub fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// The raw `name=value` pairs of a request's query string (as sent, still encoded), sorted.
pub fn raw_query_pairs(request: &Request) -> Vec<String> {
    let mut pairs: Vec<String> = request
        .url
        .query()
        .filter(|q| !q.is_empty())
        .map(|q| q.split('&').map(str::to_owned).collect())
        .unwrap_or_default();
    pairs.sort();
    pairs
}

/// What a request must look like, exactly.
#[derive(Debug, Clone)]
pub struct ExpectedRequest<'a> {
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// The raw path as sent (percent-encoded).
    pub path: &'a str,
    /// The raw `name=value` query pairs as sent, in any order; no others may be present.
    pub query: &'a [&'a str],
    /// The `Accept` header.
    pub accept: &'a str,
    /// The JSON body; its `Content-Type` must equal `accept`. `None`: no body and no
    /// `Content-Type` at all.
    pub body: Option<&'a Value>,
}

/// Asserts that `request` is exactly `expected`: method, raw path, the set of raw query
/// pairs, `Accept`, `Content-Type`, the JSON body, and no `Authorization` (the helpers'
/// clients have no credentials).
pub fn assert_request(request: &Request, expected: &ExpectedRequest<'_>) {
    let what = format!("{} {}", request.method, request.url);
    assert_eq!(request.method.as_str(), expected.method, "method of {what}");
    assert_eq!(request.url.path(), expected.path, "raw path of {what}");
    let mut query: Vec<String> = expected.query.iter().map(|&p| p.to_owned()).collect();
    query.sort();
    assert_eq!(raw_query_pairs(request), query, "query of {what}");
    assert_eq!(
        header(request, "accept").as_deref(),
        Some(expected.accept),
        "Accept of {what}"
    );
    assert_eq!(
        header(request, "authorization"),
        None,
        "no credentials, yet {what} carries Authorization"
    );
    match expected.body {
        Some(body) => {
            assert_eq!(
                header(request, "content-type").as_deref(),
                Some(expected.accept),
                "Content-Type of {what}"
            );
            let sent: Value = serde_json::from_slice(&request.body).unwrap_or_else(|e| {
                panic!(
                    "the body of {what} is not JSON ({e}): {}",
                    String::from_utf8_lossy(&request.body)
                )
            });
            assert_eq!(&sent, body, "JSON body of {what}");
        }
        None => {
            assert_eq!(
                header(request, "content-type"),
                None,
                "{what} has no body, yet a Content-Type"
            );
            assert!(
                request.body.is_empty(),
                "{what} should have no body, got {}",
                String::from_utf8_lossy(&request.body)
            );
        }
    }
}
