//! `into_stream()` walks the pages of a list operation lazily: it stops at `totalCount`,
//! on a short or empty page, and after the first error, which it yields.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use atlas_admin::{Client, Error};
use common::{query_param, requests, GROUP_ID, ORG_ID, OTHER_ID};
use futures::{StreamExt, TryStreamExt};
use reqwest::StatusCode;
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request};

const FLEX_MEDIA_TYPE: &str = "application/vnd.atlas.2024-11-13+json";
const ACCESS_LIST_MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";

/// A list of `available` items served `itemsPerPage` (default 100) per page, like Atlas.
#[derive(Clone)]
struct Listing {
    /// How many items the server can serve (it serves any page it is asked for).
    available: usize,
    /// The `totalCount` it reports, if any.
    total_count: Option<usize>,
    /// The page that answers 500, and how many times.
    failing_page: Option<(usize, usize)>,
    media_type: &'static str,
    item: fn(usize) -> Value,
}

fn snapshot(i: usize) -> Value {
    json!({
        "id": format!("{i:024x}"),
        "status": "COMPLETED",
        "mongoDBVersion": "8.0.4",
        "finishTime": "2025-05-04T09:42:00Z",
    })
}

fn access_list_entry(i: usize) -> Value {
    json!({
        "ipAddress": format!("10.0.{}.{}", i / 256, i % 256),
        "cidrBlock": format!("10.0.{}.{}/32", i / 256, i % 256),
        "count": i + 1,
    })
}

impl Listing {
    fn snapshots(available: usize, total_count: Option<usize>) -> Self {
        Self {
            available,
            total_count,
            failing_page: None,
            media_type: FLEX_MEDIA_TYPE,
            item: snapshot,
        }
    }

    async fn serve(self) -> MockServer {
        let server = MockServer::start().await;
        let failures_left = Arc::new(AtomicUsize::new(self.failing_page.map_or(0, |(_, n)| n)));
        let responder = move |request: &Request| {
            let number = |name: &str, default: usize| {
                query_param(request, name).map_or(default, |v| v.parse().expect(name))
            };
            let page = number("pageNum", 1);
            let per_page = number("itemsPerPage", 100);
            if self.failing_page.is_some_and(|(p, _)| p == page)
                && failures_left
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok()
            {
                return common::json_response(
                    500,
                    &common::api_error(500, "UNEXPECTED_ERROR"),
                    "application/json",
                );
            }
            let start = (page - 1) * per_page;
            let end = (start + per_page).min(self.available);
            let results: Vec<Value> = (start..end.max(start)).map(self.item).collect();
            let mut body = json!({
                "links": [{ "href": "https://cloud.mongodb.com/api/atlas", "rel": "self" }],
                "results": results,
            });
            if let Some(total) = self.total_count {
                body["totalCount"] = json!(total);
            }
            common::json_response(200, &body, self.media_type)
        };
        Mock::given(any())
            .respond_with(responder)
            .mount(&server)
            .await;
        server
    }
}

/// The `pageNum` of every request the server received, in order.
async fn pages_asked(server: &MockServer) -> Vec<usize> {
    requests(server)
        .await
        .iter()
        .map(|r| {
            query_param(r, "pageNum")
                .expect("pageNum is always sent")
                .parse()
                .unwrap()
        })
        .collect()
}

fn snapshot_ids(snapshots: &[atlas_admin::models::FlexBackupSnapshot20241113]) -> Vec<String> {
    snapshots.iter().map(|s| s.id.clone().unwrap()).collect()
}

fn expected_ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{i:024x}")).collect()
}

fn client(server: &MockServer) -> Client {
    common::client(server)
}

#[tokio::test]
async fn the_stream_walks_three_pages_and_stops_at_the_total_count() {
    let server = Listing::snapshots(250, Some(250)).serve().await;

    let snapshots: Vec<_> = client(&server)
        .list_flex_backups(GROUP_ID, "flex0")
        .into_stream()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(snapshot_ids(&snapshots), expected_ids(250));
    // The server would serve a page 4 (empty): it is never asked for.
    assert_eq!(pages_asked(&server).await, [1, 2, 3]);
    for request in requests(&server).await {
        assert_eq!(
            request.url.path(),
            format!("/api/atlas/v2/groups/{GROUP_ID}/flexClusters/flex0/backup/snapshots")
        );
    }
}

#[tokio::test]
async fn the_total_count_ends_the_stream_even_after_a_full_page() {
    // The server could fill a third page, but says there are 200 results.
    let server = Listing::snapshots(300, Some(200)).serve().await;

    let snapshots: Vec<_> = client(&server)
        .list_flex_backups(GROUP_ID, "flex0")
        .into_stream()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(snapshot_ids(&snapshots), expected_ids(200));
    assert_eq!(pages_asked(&server).await, [1, 2]);
}

#[tokio::test]
async fn without_a_total_count_a_short_page_ends_the_stream() {
    let server = Listing::snapshots(250, None).serve().await;

    let snapshots: Vec<_> = client(&server)
        .list_flex_backups(GROUP_ID, "flex0")
        .include_count(false)
        .into_stream()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(snapshot_ids(&snapshots), expected_ids(250));
    assert_eq!(pages_asked(&server).await, [1, 2, 3]);
    for request in requests(&server).await {
        assert_eq!(
            query_param(&request, "includeCount").as_deref(),
            Some("false")
        );
    }
}

#[tokio::test]
async fn without_a_total_count_an_empty_page_ends_the_stream() {
    let server = Listing::snapshots(200, None).serve().await;

    let snapshots: Vec<_> = client(&server)
        .list_flex_backups(GROUP_ID, "flex0")
        .into_stream()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(snapshots.len(), 200);
    assert_eq!(pages_asked(&server).await, [1, 2, 3]);
}

#[tokio::test]
async fn the_page_size_and_first_page_are_the_builders() {
    let server = Listing::snapshots(250, Some(250)).serve().await;

    let snapshots: Vec<_> = client(&server)
        .list_flex_backups(GROUP_ID, "flex0")
        .items_per_page(40)
        .page_num(3)
        .into_stream()
        .try_collect()
        .await
        .unwrap();

    // Pages 3..=7 of 40: items 80..250.
    assert_eq!(snapshot_ids(&snapshots), expected_ids(250)[80..]);
    assert_eq!(pages_asked(&server).await, [3, 4, 5, 6, 7]);
    for request in requests(&server).await {
        assert_eq!(query_param(&request, "itemsPerPage").as_deref(), Some("40"));
    }
}

#[tokio::test]
async fn pages_are_fetched_only_when_needed() {
    let server = Listing::snapshots(250, Some(250)).serve().await;
    let mut stream = client(&server)
        .list_flex_backups(GROUP_ID, "flex0")
        .into_stream();

    assert!(
        requests(&server).await.is_empty(),
        "nothing before the first poll"
    );
    for _ in 0..100 {
        stream.try_next().await.unwrap().expect("an item");
    }
    assert_eq!(pages_asked(&server).await, [1]);
    stream.try_next().await.unwrap().expect("item 101");
    assert_eq!(pages_asked(&server).await, [1, 2]);
}

#[tokio::test]
async fn an_error_mid_stream_is_yielded_and_ends_the_stream() {
    let mut listing = Listing::snapshots(250, Some(250));
    listing.failing_page = Some((2, usize::MAX));
    let server = listing.serve().await;
    let client = common::client_without_retries(&server);

    let items: Vec<_> = client
        .list_flex_backups(GROUP_ID, "flex0")
        .into_stream()
        .collect()
        .await;

    assert_eq!(items.len(), 101, "100 items, then the error, then the end");
    assert!(items[..100].iter().all(Result::is_ok));
    match &items[100] {
        Err(err @ Error::Api { .. }) => {
            assert_eq!(err.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
            assert_eq!(err.error_code(), Some("UNEXPECTED_ERROR"));
        }
        other => panic!("expected the page-2 error, got {other:?}"),
    }
    assert_eq!(pages_asked(&server).await, [1, 2]);
}

#[tokio::test]
async fn a_transient_page_error_is_retried_by_the_client_and_the_stream_completes() {
    let mut listing = Listing::snapshots(250, Some(250));
    listing.failing_page = Some((2, 1));
    let server = listing.serve().await;

    let snapshots: Vec<_> = client(&server)
        .list_flex_backups(GROUP_ID, "flex0")
        .into_stream()
        .try_collect()
        .await
        .unwrap();

    assert_eq!(snapshot_ids(&snapshots), expected_ids(250));
    assert_eq!(pages_asked(&server).await, [1, 2, 2, 3]);
}

#[tokio::test]
async fn api_key_access_list_entries_stream_too() {
    let server = Listing {
        available: 120,
        total_count: Some(120),
        failing_page: None,
        media_type: ACCESS_LIST_MEDIA_TYPE,
        item: access_list_entry,
    }
    .serve()
    .await;

    let entries: Vec<_> = client(&server)
        .list_api_key_access_lists_entries(ORG_ID, OTHER_ID)
        .items_per_page(50)
        .into_stream()
        .try_collect()
        .await
        .unwrap();

    let addresses: Vec<_> = entries
        .iter()
        .map(|e| e.ip_address.clone().unwrap())
        .collect();
    let expected: Vec<_> = (0..120)
        .map(|i| format!("10.0.{}.{}", i / 256, i % 256))
        .collect();
    assert_eq!(addresses, expected);
    assert_eq!(entries[119].count, Some(120));
    assert_eq!(pages_asked(&server).await, [1, 2, 3]);
    for request in requests(&server).await {
        assert_eq!(
            request.url.path(),
            format!("/api/atlas/v2/orgs/{ORG_ID}/apiKeys/{OTHER_ID}/accessList")
        );
        assert_eq!(query_param(&request, "itemsPerPage").as_deref(), Some("50"));
        assert_eq!(
            common::header(&request, "accept").as_deref(),
            Some(ACCESS_LIST_MEDIA_TYPE)
        );
    }
}
