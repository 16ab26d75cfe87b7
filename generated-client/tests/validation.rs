//! Arguments the spec's rules reject fail with `Error::InvalidArgument` naming the
//! parameter and the rule, before any request reaches the server; the boundary values the
//! rules allow are sent.

mod common;

use atlas_admin::{models, Client, Error};
use common::{archive_body, archive_response, builder, query_param, requests, GROUP_ID};
use futures::StreamExt;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(archive_response())
        .mount(&server)
        .await;
    server
}

fn page_answer() -> ResponseTemplate {
    let body = serde_json::json!({ "results": [], "totalCount": 0 });
    common::json_response(200, &body, "application/vnd.atlas.2024-11-13+json")
}

fn client(server: &MockServer) -> Client {
    builder(server).build().unwrap()
}

/// The parameter and rule of an `InvalidArgument`; panics on any other result.
fn invalid<T: std::fmt::Debug>(result: Result<T, Error>) -> (String, String) {
    match result {
        Err(Error::InvalidArgument { parameter, rule }) => (parameter, rule),
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
}

fn archive_expiring_after(days: i32) -> models::BackupOnlineArchiveCreate {
    let mut body = archive_body();
    body.data_expiration_rule = Some(models::DataExpirationRule {
        expire_after_days: Some(days),
    });
    body
}

#[tokio::test]
async fn a_group_id_that_is_not_24_hex_digits_is_rejected_before_sending() {
    let server = server().await;
    let client = client(&server);
    for group_id in [
        "",
        "abc",
        "32b6e34b3d91647abb20e7b",   // 23
        "32b6e34b3d91647abb20e7b80", // 25
        "32B6E34B3D91647ABB20E7B8",  // upper case
        "zzzzzzzzzzzzzzzzzzzzzzzz",
        "32b6e34b3d91647abb20e7b8\n", // `$` is the end of the text, not of a line
    ] {
        let (parameter, rule) = invalid(client.list_flex_backups(group_id, "flex0").send().await);
        assert_eq!(parameter, "groupId", "{group_id:?}");
        assert_eq!(rule, "must match ^([a-f0-9]{24})$", "{group_id:?}");
        let shown = Error::InvalidArgument { parameter, rule }.to_string();
        assert_eq!(
            shown,
            "invalid argument `groupId`: must match ^([a-f0-9]{24})$"
        );

        let (parameter, _) = invalid(
            client
                .create_online_archive(group_id, "Cluster0", archive_body())
                .send()
                .await,
        );
        assert_eq!(parameter, "groupId");
    }
    assert!(
        requests(&server).await.is_empty(),
        "nothing reached the server"
    );
}

#[tokio::test]
async fn items_per_page_outside_1_to_500_is_rejected_before_sending() {
    let server = server().await;
    let client = client(&server);
    for items in [0, 501, -1, i32::MAX] {
        let (parameter, rule) = invalid(
            client
                .list_flex_backups(GROUP_ID, "flex0")
                .items_per_page(items)
                .send()
                .await,
        );
        assert_eq!(parameter, "itemsPerPage", "{items}");
        assert_eq!(rule, "must be between 1 and 500", "{items}");

        let (parameter, _) = invalid(
            client
                .list_api_key_access_lists_entries(common::ORG_ID, common::OTHER_ID)
                .items_per_page(items)
                .send()
                .await,
        );
        assert_eq!(parameter, "itemsPerPage", "{items}");
    }
    let (parameter, rule) = invalid(
        client
            .list_flex_backups(GROUP_ID, "flex0")
            .page_num(0)
            .send()
            .await,
    );
    assert_eq!(
        (parameter.as_str(), rule.as_str()),
        ("pageNum", "must be at least 1")
    );
    assert!(
        requests(&server).await.is_empty(),
        "nothing reached the server"
    );
}

#[tokio::test]
async fn an_invalid_argument_ends_the_stream_before_any_request() {
    let server = server().await;
    let items: Vec<_> = client(&server)
        .list_flex_backups(GROUP_ID, "flex0")
        .items_per_page(0)
        .into_stream()
        .collect()
        .await;
    assert_eq!(items.len(), 1);
    let (parameter, _) = invalid(items.into_iter().next().unwrap());
    assert_eq!(parameter, "itemsPerPage");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn expire_after_days_below_7_in_the_body_is_rejected_before_sending() {
    let server = server().await;
    let client = client(&server);
    for days in [3, 6, 0, -7, 9216] {
        let (parameter, rule) = invalid(
            client
                .create_online_archive(GROUP_ID, "Cluster0", archive_expiring_after(days))
                .send()
                .await,
        );
        assert_eq!(
            parameter, "body.dataExpirationRule.expireAfterDays",
            "{days}"
        );
        assert_eq!(rule, "must be between 7 and 9215", "{days}");
    }
    assert!(
        requests(&server).await.is_empty(),
        "nothing reached the server"
    );
}

#[tokio::test]
async fn nested_body_rules_name_the_full_location() {
    let server = server().await;
    let mut body = archive_body();
    body.partition_fields = Some(Vec::new());
    let (parameter, rule) = invalid(
        client(&server)
            .create_online_archive(GROUP_ID, "Cluster0", body)
            .send()
            .await,
    );
    assert_eq!(parameter, "body.partitionFields");
    assert!(rule.contains("at least 1"), "{rule}");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn boundary_values_are_sent() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("GET"))
        .respond_with(page_answer())
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::method("POST"))
        .respond_with(archive_response())
        .mount(&server)
        .await;
    let client = client(&server);

    for items in [1, 500] {
        client
            .list_flex_backups(GROUP_ID, "flex0")
            .items_per_page(items)
            .page_num(1)
            .send()
            .await
            .unwrap_or_else(|e| panic!("itemsPerPage {items}: {e:?}"));
    }
    for days in [7, 9215] {
        client
            .create_online_archive(GROUP_ID, "Cluster0", archive_expiring_after(days))
            .send()
            .await
            .unwrap_or_else(|e| panic!("expireAfterDays {days}: {e:?}"));
    }

    let received = requests(&server).await;
    assert_eq!(received.len(), 4);
    assert_eq!(
        query_param(&received[0], "itemsPerPage").as_deref(),
        Some("1")
    );
    assert_eq!(
        query_param(&received[1], "itemsPerPage").as_deref(),
        Some("500")
    );
    assert_eq!(query_param(&received[1], "pageNum").as_deref(), Some("1"));
    for (request, days) in received[2..].iter().zip([7, 9215]) {
        let body: serde_json::Value = request.body_json().unwrap();
        assert_eq!(body["dataExpirationRule"]["expireAfterDays"], days);
    }
}

#[tokio::test]
async fn validation_off_leaves_the_last_word_to_the_server() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(common::json_response(
            400,
            &common::api_error(400, "INVALID_QUERY_PARAMETER"),
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = builder(&server).validate_arguments(false).build().unwrap();

    let err = client
        .list_flex_backups(GROUP_ID, "flex0")
        .items_per_page(0)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.error_code(), Some("INVALID_QUERY_PARAMETER"));
    let err = client
        .create_online_archive(GROUP_ID, "Cluster0", archive_expiring_after(3))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.error_code(), Some("INVALID_QUERY_PARAMETER"));

    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    assert_eq!(
        query_param(&received[0], "itemsPerPage").as_deref(),
        Some("0")
    );
    let body: serde_json::Value = received[1].body_json().unwrap();
    assert_eq!(body["dataExpirationRule"]["expireAfterDays"], 3);
}
