//! Helpers shared by the behaviour tests (`errors`, `retries`, `paths`, `validation`,
//! `pagination`, `auth`): the spec's examples, a client pointed at a mock server, and
//! access to what the mock server received.
//!
//! Everything goes through the crate's public API; the spec is read from
//! `../spec/atlas-admin-v2.yaml` so the tests follow it when it changes.

#![allow(
    dead_code,
    reason = "each test binary includes this module and uses a different subset of it"
)]

use std::time::Duration;

use atlas_admin::{models, Client, ClientBuilder, Jitter, RetryPolicy};
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::{MockServer, Request, ResponseTemplate};

// The spec access, ids and response helpers are `tests/support`'s (shared with the
// `operations` and `examples` tests); this module adds what the behaviour tests need on top.
#[path = "../support/mod.rs"]
mod support;
#[allow(
    unused_imports,
    reason = "each test binary includes this module and uses a different subset of it"
)]
pub use support::{json_response, resolve, spec, GROUP_ID, ORG_ID, OTHER_ID};

/// One operation of the spec.
pub struct Operation {
    /// `get`, `post`, … (lower case, as in the spec).
    pub method: String,
    /// The path template, e.g. `/api/atlas/v2/groups/{groupId}/streams`.
    pub path: String,
    /// The operation object.
    pub op: &'static Value,
}

impl Operation {
    /// The `operationId`.
    pub fn id(&self) -> &'static str {
        self.op["operationId"].as_str().expect("operationId")
    }
}

/// Every operation of the spec, in document order.
pub fn operations() -> Vec<Operation> {
    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let paths = spec()["paths"].as_object().expect("paths");
    let mut out = Vec::new();
    for (path, item) in paths {
        let item = item.as_object().expect("path item");
        for (method, op) in item {
            if METHODS.contains(&method.as_str()) {
                out.push(Operation {
                    method: method.clone(),
                    path: path.clone(),
                    op,
                });
            }
        }
    }
    out
}

/// The operation with this `operationId`.
pub fn operation(id: &str) -> Operation {
    operations()
        .into_iter()
        .find(|o| o.id() == id)
        .unwrap_or_else(|| panic!("no operation {id} in the spec"))
}

/// The first example value of a media-type object.
fn first_example(media: &Value) -> Value {
    let examples = media["examples"].as_object().expect("examples");
    let (_, example) = examples.iter().next().expect("at least one example");
    resolve(example)["value"].clone()
}

/// The spec's request-body example of `op_id`, decoded as the operation's body type.
pub fn request_body<T: DeserializeOwned>(op_id: &str) -> T {
    let op = operation(op_id);
    let content = resolve(&op.op["requestBody"])["content"]
        .as_object()
        .expect("request body content");
    let (_, media) = content.iter().next().expect("a media type");
    serde_json::from_value(first_example(media))
        .unwrap_or_else(|e| panic!("{op_id}: the request example does not decode: {e}"))
}

/// The spec's first example of the `status` response of `op_id`, with its media type.
pub fn response_example(op_id: &str, status: &str) -> (String, Value) {
    let op = operation(op_id);
    let response = resolve(&op.op["responses"][status]);
    let content = response["content"].as_object().expect("response content");
    let (media_type, media) = content.iter().next().expect("a media type");
    (media_type.clone(), first_example(media))
}

/// The `createOnlineArchive` body of the spec's example (valid: `expireAfterDays` 42).
pub fn archive_body() -> models::BackupOnlineArchiveCreate {
    request_body("createOnlineArchive")
}

/// The 200 answer of `getOnlineArchive` / `createOnlineArchive` (the spec's example).
pub fn archive_response() -> ResponseTemplate {
    let (media_type, example) = response_example("getOnlineArchive", "200");
    json_response(200, &example, &media_type)
}

/// An error body shaped like the spec's `ApiError`.
pub fn api_error(status: u16, code: &str) -> Value {
    serde_json::json!({
        "error": status,
        "errorCode": code,
        "reason": "test",
        "detail": format!("{code} (from the mock server)"),
    })
}

/// Small, deterministic backoffs so retry tests stay fast.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(3)
        .initial_backoff(Duration::from_millis(10))
        .max_backoff(Duration::from_millis(40))
        .jitter(Jitter::None)
}

/// A builder pointed at `server`, with fast retries.
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .retry_policy(fast_retries())
}

/// A client pointed at `server`, with fast retries.
pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("build the client")
}

/// A client pointed at `server` that never retries.
pub fn client_without_retries(server: &MockServer) -> Client {
    builder(server)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("build the client")
}

/// The requests `server` received, in order.
pub async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// The value of query parameter `name` of a received request.
pub fn query_param(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A header of a received request, as text.
pub fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}
