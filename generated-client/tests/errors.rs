//! What a call returns when the server answers with an error, or with something the spec
//! does not describe: `Error::Api` with the typed `ApiError` for every documented error of
//! every operation, `Error::UnexpectedResponse` / `Error::Decode` with bounded excerpts for
//! the rest, and never a panic.

mod common;

use std::collections::BTreeSet;

use atlas_admin::{models, Client, Error};
use common::{
    archive_response, client_without_retries, json_response, operations, request_body, requests,
    response_example, GROUP_ID, ORG_ID, OTHER_ID,
};
use reqwest::StatusCode;
use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The excerpt bound we promise users: about 1 KB whatever the body size.
const EXCERPT_BOUND: usize = 1024;

/// Calls operation `op_id` with valid arguments (and the spec's request-body example).
/// Panics for an operation it does not know, so a new operation in the spec fails the test
/// until it is covered here.
#[allow(
    deprecated,
    reason = "deprecated operations must behave like the others"
)]
async fn call(client: &Client, op_id: &str) -> Result<(), Error> {
    let g = GROUP_ID;
    match op_id {
        "createFlexCluster" => client
            .create_flex_cluster(g, request_body(op_id))
            .send()
            .await
            .map(drop),
        "createOnlineArchive" => client
            .create_online_archive(g, "Cluster0", request_body(op_id))
            .send()
            .await
            .map(drop),
        "createServerlessInstance" => client
            .create_serverless_instance(g, request_body(op_id))
            .send()
            .await
            .map(drop),
        "createStreamInstance" => client
            .create_stream_instance(g, request_body(op_id))
            .send()
            .await
            .map(drop),
        "createStreamProcessor" => client
            .create_stream_processor(g, "tenant0", request_body(op_id))
            .send()
            .await
            .map(drop),
        "deleteAllCustomZoneMappings" => client
            .delete_all_custom_zone_mappings(g, "Cluster0")
            .send()
            .await
            .map(drop),
        "getOnlineArchive" => client
            .get_online_archive(g, "Cluster0", OTHER_ID)
            .send()
            .await
            .map(drop),
        "getPrivateEndpoint" => client
            .get_private_endpoint(
                g,
                models::CloudProvider::Aws,
                OTHER_ID,
                "vpce-0123456789abcdef0",
            )
            .send()
            .await
            .map(drop),
        "listApiKeyAccessListsEntries" => client
            .list_api_key_access_lists_entries(ORG_ID, OTHER_ID)
            .send()
            .await
            .map(drop),
        "listFlexBackups" => client.list_flex_backups(g, "flex0").send().await.map(drop),
        "startStreamProcessor" => client
            .start_stream_processor(g, "tenant0", "proc0")
            .send()
            .await
            .map(drop),
        "updateOrganizationInvitation" => client
            .update_organization_invitation(ORG_ID, request_body(op_id))
            .send()
            .await
            .map(drop),
        "updateProjectInvitationById" => client
            .update_project_invitation_by_id(g, OTHER_ID, request_body(op_id))
            .send()
            .await
            .map(drop),
        other => panic!("operation {other} is in the spec but not covered by this test"),
    }
}

/// A regex matching the request path of a path template (`{param}` = one segment).
fn path_regex(template: &str) -> regex::Regex {
    let escaped = regex::escape(template);
    let params = regex::Regex::new(r"\\\{[^}]+\\\}").unwrap();
    regex::Regex::new(&format!("^{}$", params.replace_all(&escaped, "[^/]+"))).unwrap()
}

async fn answer(server: &MockServer, response: ResponseTemplate) {
    server.reset().await;
    Mock::given(any())
        .respond_with(response)
        .mount(server)
        .await;
}

/// The `get_online_archive` call the non-table tests make (a GET with a required body).
async fn get_archive(client: &Client) -> Result<models::BackupOnlineArchive, Error> {
    client
        .get_online_archive(GROUP_ID, "Cluster0", OTHER_ID)
        .send()
        .await
}

fn html_page(size: usize) -> String {
    let mut page = String::from("<html><head><title>502 Bad Gateway</title></head><body>");
    while page.len() < size {
        page.push_str("<p>upstream connect error or disconnect/reset before headers</p>");
    }
    page.push_str("</body></html>");
    page
}

#[tokio::test]
async fn every_documented_error_of_every_operation_is_a_typed_api_error() {
    let server = MockServer::start().await;
    // No retries: a documented 500 is final at once (retries have their own tests).
    let client = client_without_retries(&server);
    let mut covered = BTreeSet::new();
    let mut cases = 0;
    for operation in operations() {
        let op_id = operation.id();
        let responses = operation.op["responses"].as_object().expect("responses");
        for (status, response) in responses {
            let code: u16 = status
                .parse()
                .unwrap_or_else(|_| panic!("{op_id}: non-numeric response key {status}"));
            if (200..300).contains(&code) {
                continue;
            }
            let media = &common::resolve(response)["content"]["application/json"];
            let examples = media["examples"]
                .as_object()
                .unwrap_or_else(|| panic!("{op_id} {code}: no application/json examples"));
            for (name, example) in examples {
                let example = &example["value"];
                answer(&server, json_response(code, example, "application/json")).await;

                let err = call(&client, op_id)
                    .await
                    .expect_err(&format!("{op_id} {code} {name}: must fail"));
                let context = format!("{op_id} {code} {name}: {err:?}");
                let expected: models::ApiError = serde_json::from_value(example.clone())
                    .unwrap_or_else(|e| panic!("{context}: example is not an ApiError: {e}"));
                match &err {
                    Error::Api { status, body, .. } => {
                        assert_eq!(status.as_u16(), code, "{context}");
                        assert_eq!(**body, expected, "{context}");
                    }
                    _ => panic!("{context}: expected Error::Api"),
                }
                assert_eq!(err.error_code(), example["errorCode"].as_str(), "{context}");
                assert_eq!(err.status().map(|s| s.as_u16()), Some(code), "{context}");
                let typed = err.api_error().expect("api_error() of Error::Api");
                assert_eq!(Some(i64::from(typed.error)), example["error"].as_i64());
                assert_eq!(typed.reason.as_deref(), example["reason"].as_str());
                assert_eq!(typed.detail.as_deref(), example["detail"].as_str());
                // The call really was this operation, sent once.
                let received = requests(&server).await;
                assert_eq!(received.len(), 1, "{context}");
                assert!(
                    received[0]
                        .method
                        .as_str()
                        .eq_ignore_ascii_case(&operation.method),
                    "{context}: method {}",
                    received[0].method
                );
                assert!(
                    path_regex(&operation.path).is_match(received[0].url.path()),
                    "{context}: path {} for {}",
                    received[0].url.path(),
                    operation.path
                );
                cases += 1;
            }
        }
        covered.insert(op_id);
    }
    let all: BTreeSet<_> = operations().iter().map(|o| o.id()).collect();
    assert_eq!(covered, all);
    // Every operation documents at least 401, 403, 404 and 500.
    assert!(cases >= 4 * all.len(), "only {cases} cases");
}

#[tokio::test]
async fn html_proxy_page_is_an_unexpected_response_with_an_excerpt() {
    let server = MockServer::start().await;
    let client = client_without_retries(&server);
    let page = html_page(300);
    answer(
        &server,
        ResponseTemplate::new(502).set_body_raw(page.clone(), "text/html; charset=utf-8"),
    )
    .await;

    let err = get_archive(&client).await.unwrap_err();
    match &err {
        Error::UnexpectedResponse {
            status,
            content_type,
            excerpt,
        } => {
            assert_eq!(*status, StatusCode::BAD_GATEWAY);
            assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
            assert!(
                excerpt.starts_with("<html><head><title>502 Bad Gateway"),
                "{excerpt}"
            );
            assert!(page.starts_with(excerpt.trim_end_matches('…')), "{excerpt}");
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
    assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
    assert_eq!(err.error_code(), None);
    assert!(err.is_retryable(), "a 502 may go away");
    let shown = err.to_string();
    assert!(
        shown.contains("502") && shown.contains("text/html"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_one_megabyte_body_gives_a_bounded_excerpt() {
    let server = MockServer::start().await;
    let client = client_without_retries(&server);

    // An HTML error page.
    answer(
        &server,
        ResponseTemplate::new(502).set_body_raw(html_page(1 << 20), "text/html"),
    )
    .await;
    let err = get_archive(&client).await.unwrap_err();
    let Error::UnexpectedResponse { excerpt, .. } = &err else {
        panic!("expected UnexpectedResponse, got {err:?}");
    };
    assert!(excerpt.len() <= EXCERPT_BOUND, "{} bytes", excerpt.len());
    assert!(
        excerpt.starts_with("<html>") && excerpt.ends_with('…'),
        "{excerpt}"
    );
    assert!(err.to_string().len() <= EXCERPT_BOUND + 200);
    assert!(format!("{err:?}").len() <= EXCERPT_BOUND + 200);

    // A 200 whose JSON does not fit the type.
    let big = serde_json::json!({ "_id": 12, "padding": "x".repeat(1 << 20) });
    answer(&server, json_response(200, &big, "application/json")).await;
    let err = get_archive(&client).await.unwrap_err();
    let Error::Decode { excerpt, .. } = &err else {
        panic!("expected Decode, got {err:?}");
    };
    assert!(excerpt.len() <= EXCERPT_BOUND, "{} bytes", excerpt.len());
    assert!(err.to_string().len() <= EXCERPT_BOUND + 400);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_path_and_excerpt() {
    let server = MockServer::start().await;
    let client = client_without_retries(&server);
    let (media_type, example) = response_example("getOnlineArchive", "200");
    let full = serde_json::to_string(&example).unwrap();
    // Cut inside the `partitionFields` array (keys are sorted: it comes after `dbName`).
    let cut = full
        .find("\"fieldType\"")
        .expect("the example has partitionFields");
    let truncated = &full[..cut + "\"fieldType\":\"da".len()];
    answer(
        &server,
        ResponseTemplate::new(200).set_body_raw(truncated.to_owned(), &media_type),
    )
    .await;

    let err = get_archive(&client).await.unwrap_err();
    match &err {
        Error::Decode {
            status,
            path,
            message,
            excerpt,
            ..
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(path, "partitionFields[0].fieldType", "{message}");
            assert!(message.contains("EOF"), "{message}");
            assert_eq!(excerpt, truncated);
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(!err.is_retryable());
    let shown = err.to_string();
    assert!(shown.contains("partitionFields[0].fieldType"), "{shown}");
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_names_the_json_path() {
    let server = MockServer::start().await;
    let client = client_without_retries(&server);
    let (media_type, example) = response_example("getOnlineArchive", "200");
    let cases = [
        (
            "/dataExpirationRule/expireAfterDays",
            "soon",
            "dataExpirationRule.expireAfterDays",
        ),
        (
            "/partitionFields/0/order",
            "first",
            "partitionFields[0].order",
        ),
        ("/paused", "yes", "paused"),
    ];
    for (pointer, wrong, expected_path) in cases {
        let mut body = example.clone();
        *body.pointer_mut(pointer).expect(pointer) = Value::from(wrong);
        answer(&server, json_response(200, &body, &media_type)).await;

        let err = get_archive(&client).await.unwrap_err();
        let Error::Decode {
            path,
            message,
            excerpt,
            ..
        } = &err
        else {
            panic!("{pointer}: expected Decode, got {err:?}");
        };
        assert_eq!(path, expected_path, "{message}");
        assert!(message.contains("invalid type"), "{message}");
        assert!(excerpt.contains(&format!("\"{wrong}\"")), "{excerpt}");
    }
}

#[tokio::test]
async fn an_empty_200_is_an_error_only_where_a_body_is_required() {
    let server = MockServer::start().await;
    let client = client_without_retries(&server);

    // getOnlineArchive documents a BackupOnlineArchive body.
    for response in [
        ResponseTemplate::new(200),
        ResponseTemplate::new(200).set_body_raw("", "application/vnd.atlas.2023-01-01+json"),
    ] {
        answer(&server, response).await;
        let err = get_archive(&client).await.unwrap_err();
        match &err {
            Error::UnexpectedResponse {
                status, excerpt, ..
            } => {
                assert_eq!(*status, StatusCode::OK);
                assert_eq!(excerpt, "");
            }
            other => panic!("expected UnexpectedResponse, got {other:?}"),
        }
        assert!(err.to_string().contains("empty body"), "{err}");
    }

    // startStreamProcessor documents no body: an empty 200 is its success.
    answer(&server, ResponseTemplate::new(200)).await;
    let (): () = client
        .start_stream_processor(GROUP_ID, "tenant0", "proc0")
        .send()
        .await
        .expect("an empty 200 is success when the spec documents no body");
}

#[tokio::test]
async fn a_non_json_200_is_an_unexpected_response() {
    let server = MockServer::start().await;
    let client = client_without_retries(&server);
    answer(
        &server,
        ResponseTemplate::new(200).set_body_string("archive created"),
    )
    .await;

    let err = get_archive(&client).await.unwrap_err();
    match &err {
        Error::UnexpectedResponse {
            status,
            content_type,
            excerpt,
        } => {
            assert_eq!(*status, StatusCode::OK);
            assert_eq!(content_type.as_deref(), Some("text/plain"));
            assert_eq!(excerpt, "archive created");
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
}

#[tokio::test]
async fn an_undocumented_status_is_an_unexpected_response_even_with_an_api_error_body() {
    let server = MockServer::start().await;
    let client = client_without_retries(&server);
    let body = common::api_error(418, "I_AM_A_TEAPOT");
    answer(&server, json_response(418, &body, "application/json")).await;

    let err = get_archive(&client).await.unwrap_err();
    match &err {
        Error::UnexpectedResponse {
            status,
            content_type,
            excerpt,
        } => {
            assert_eq!(status.as_u16(), 418);
            assert_eq!(content_type.as_deref(), Some("application/json"));
            assert!(excerpt.contains("I_AM_A_TEAPOT"), "{excerpt}");
        }
        other => panic!("expected UnexpectedResponse, got {other:?}"),
    }
    assert_eq!(err.error_code(), None);
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_documented_status_with_another_body_is_an_unexpected_response() {
    let server = MockServer::start().await;
    let client = client_without_retries(&server);
    let not_api_error = serde_json::json!({ "message": "no such archive" });
    let cases: Vec<(u16, ResponseTemplate, Option<&str>, &str)> = vec![
        (
            404,
            json_response(404, &not_api_error, "application/json"),
            Some("application/json"),
            "no such archive",
        ),
        (
            400,
            ResponseTemplate::new(400).set_body_raw("<h1>Bad Request</h1>", "text/html"),
            Some("text/html"),
            "<h1>Bad Request</h1>",
        ),
        // An ApiError body under a non-JSON content type is not trusted as one.
        (
            403,
            ResponseTemplate::new(403)
                .set_body_raw(common::api_error(403, "X").to_string(), "text/plain"),
            Some("text/plain"),
            "\"errorCode\":\"X\"",
        ),
        (500, ResponseTemplate::new(500), None, ""),
    ];
    for (code, response, content_type, excerpt_part) in cases {
        answer(&server, response).await;
        let err = get_archive(&client).await.unwrap_err();
        match &err {
            Error::UnexpectedResponse {
                status,
                content_type: ct,
                excerpt,
            } => {
                assert_eq!(status.as_u16(), code);
                assert_eq!(ct.as_deref(), content_type, "{code}");
                assert!(excerpt.contains(excerpt_part), "{code}: {excerpt}");
            }
            other => panic!("{code}: expected UnexpectedResponse, got {other:?}"),
        }
    }

    // A documented error body without any content type is still read as one.
    answer(
        &server,
        ResponseTemplate::new(404).set_body_bytes(
            common::api_error(404, "ARCHIVE_NOT_FOUND")
                .to_string()
                .into_bytes(),
        ),
    )
    .await;
    let err = get_archive(&client).await.unwrap_err();
    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    assert_eq!(err.error_code(), Some("ARCHIVE_NOT_FOUND"));
}

#[tokio::test]
async fn odd_answers_never_panic() {
    let server = MockServer::start().await;
    let client = client_without_retries(&server);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("application/json", b"null".to_vec()),
        ("application/json", b"[]".to_vec()),
        ("application/json", b"42".to_vec()),
        ("application/json", b"{\"_id\": \"\xff\xfe\"}".to_vec()),
        ("application/json", b"\xff\xfe\xfd".to_vec()),
        ("application/json", deep.clone().into_bytes()),
        ("application/json", b"{} trailing".to_vec()),
        (
            "application/json",
            "{\"errorCode\": 7, \"error\": \"x\"}".into(),
        ),
        ("text/html", "é".repeat(5000).into_bytes()),
        ("application/octet-stream", vec![0, 159, 146, 150]),
    ];
    for status in [200, 400, 404, 418, 500] {
        for (content_type, body) in &bodies {
            answer(
                &server,
                ResponseTemplate::new(status).set_body_raw(body.clone(), content_type),
            )
            .await;
            for result in [
                get_archive(&client).await.map(drop),
                call(&client, "listFlexBackups").await,
                call(&client, "createOnlineArchive").await,
            ] {
                let err = match result {
                    // Every field of these types is optional, so a 200 JSON object whose
                    // members are all unknown is a (vacuous) success. So is `[]`: serde's
                    // derived `Deserialize` also accepts a struct as a sequence of its fields
                    // (reported to the lead; not the runtime's to change).
                    Ok(()) if status == 200 && (body.starts_with(b"{\"") || body == b"[]") => {
                        continue
                    }
                    Ok(()) => panic!(
                        "{status} {content_type} {:?}: not a valid answer",
                        String::from_utf8_lossy(&body[..body.len().min(40)])
                    ),
                    Err(err) => err,
                };
                assert!(
                    matches!(err, Error::UnexpectedResponse { .. } | Error::Decode { .. }),
                    "{status} {content_type}: {err:?}"
                );
                assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
                assert!(err.to_string().len() <= EXCERPT_BOUND + 400);
            }
        }
    }
}

#[tokio::test]
async fn the_documented_success_still_decodes() {
    // The control case of this file: the same client and call succeed on the documented
    // answer, so the failures above come from the answers, not the setup.
    let server = MockServer::start().await;
    let client = client_without_retries(&server);
    answer(&server, archive_response()).await;
    let archive = get_archive(&client)
        .await
        .expect("the documented 200 decodes");
    assert_eq!(archive.id.as_deref(), Some("32b6e34b3d91647abb20e7b8"));
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    // Following it would send the request (and its credentials) to another server, and
    // turn a POST into a GET.
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(archive_response())
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    let client = client_without_retries(&server);
    for status in [301, 302, 307, 308] {
        answer(
            &server,
            ResponseTemplate::new(status)
                .insert_header("Location", format!("{}/elsewhere", elsewhere.uri())),
        )
        .await;
        let err = get_archive(&client).await.unwrap_err();
        assert!(
            matches!(&err, Error::UnexpectedResponse { status: s, .. } if s.as_u16() == status),
            "{status}: {err:?}"
        );
        assert_eq!(requests(&server).await.len(), 1);
    }
    assert!(requests(&elsewhere).await.is_empty());
}
