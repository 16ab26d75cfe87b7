//! `multipart/form-data` bodies through `execute` against a local wiremock server, read back
//! with `multer` (a real multipart parser): every part's name, file name, content type and
//! bytes arrive as given, a retried attempt sends the same parts again, and a part that
//! could not be sent is refused before any request.

use std::time::Duration;

use reqwest::Method;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::{Client, PathPart, RequestSpec};
use crate::multipart::Form;
use crate::{Error, FilePart, Jitter, RetryPolicy};

type Part = (String, Option<String>, Option<String>, Vec<u8>);

/// The parts of a received request, in order: name, file name, content type, bytes.
async fn received_parts(request: &Request) -> Vec<Part> {
    let types: Vec<_> = request.headers.get_all("content-type").iter().collect();
    assert_eq!(types.len(), 1, "one Content-Type: {types:?}");
    let content_type = types[0].to_str().unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let length = request
        .headers
        .get("content-length")
        .unwrap()
        .to_str()
        .unwrap();
    assert_eq!(length.parse::<usize>().unwrap(), request.body.len());
    let boundary = multer::parse_boundary(content_type).unwrap();
    let body = bytes::Bytes::from(request.body.clone());
    let stream = futures::stream::once(async move { Ok::<_, std::io::Error>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.unwrap() {
        let name = field.name().unwrap().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        parts.push((
            name,
            file_name,
            content_type,
            field.bytes().await.unwrap().to_vec(),
        ));
    }
    parts
}

fn part(name: &str, file: Option<&str>, content_type: Option<&str>, bytes: &[u8]) -> Part {
    (
        name.to_owned(),
        file.map(str::to_owned),
        content_type.map(str::to_owned),
        bytes.to_vec(),
    )
}

fn upload(form: Form) -> RequestSpec {
    RequestSpec {
        operation_id: "upload",
        method: Method::POST,
        path: vec![PathPart::Literal("/upload")],
        params: crate::encode::Params::new(),
        accept: "application/json",
        body: Some(form.into_body()),
        error_statuses: &[],
        default_error: false,
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .retry_policy(
            RetryPolicy::default()
                .initial_backoff(Duration::from_millis(1))
                .jitter(Jitter::None),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn parts_arrive_as_given_and_a_retry_resends_them() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/upload"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/upload"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let image = vec![0u8, 0xff, b'\r', b'\n', b'-', b'-', 7];
    let mut form = Form::new();
    form.text("title", "caf\u{e9} \"quoted\"")
        .part(
            "photo",
            FilePart::new(image.clone())
                .with_file_name("a \"b\".png")
                .with_content_type("image/png"),
        )
        .part(
            "photo",
            FilePart::new(&b"second"[..]).with_file_name("2.bin"),
        );
    form.json("meta", &serde_json::json!({"k": [1, 2]}))
        .unwrap();
    client(&server).execute_empty(upload(form)).await.unwrap();

    let expected = vec![
        part("title", None, None, "caf\u{e9} \"quoted\"".as_bytes()),
        part("photo", Some("a \"b\".png"), Some("image/png"), &image),
        part("photo", Some("2.bin"), None, b"second"),
        part("meta", None, Some("application/json"), br#"{"k":[1,2]}"#),
    ];
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received.len(),
        3,
        "two refused attempts, then the one that lands"
    );
    for request in &received {
        assert_eq!(received_parts(request).await, expected);
    }
}

#[tokio::test]
async fn an_empty_form_is_an_empty_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    client(&server)
        .execute_empty(upload(Form::new()))
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    let content_type = received[0]
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    // No part at all (a body whose optional fields are all unset): RFC 2046 has no
    // encoding for zero parts, so reqwest sends an empty body, with its length.
    assert!(received[0].body.is_empty());
    assert_eq!(received[0].headers.get("content-length").unwrap(), "0");
}

#[tokio::test]
async fn a_part_that_cannot_be_sent_is_refused_before_any_request() {
    let server = MockServer::start().await;
    let mut form = Form::new();
    form.text("ok", "fine").part(
        "evil",
        FilePart::new(&b"x"[..]).with_file_name("a\nContent-Type: text/html"),
    );
    let err = client(&server)
        .execute_empty(upload(form))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument { parameter, rule }
            if parameter == "body part `evil`" && rule.contains("control characters")),
        "{err:?}"
    );
    assert!(!err.is_retryable(), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}
