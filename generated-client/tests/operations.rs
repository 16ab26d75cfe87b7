//! Every operation of the spec, called through the public API against a local mock server:
//! the request must be exactly what the spec describes (method, raw path, query pairs,
//! versioned `Accept`, `Content-Type` and JSON body of the documented request example), and
//! the documented 2xx example must decode into a value that re-encodes to the same JSON.
//!
//! The hand-written expectations (paths, media types) are also checked against the spec, so
//! a typo here cannot make a wrong request pass; `every_spec_operation_is_tested` fails when
//! the spec gains an operation this file does not call.

mod support;

use std::collections::BTreeSet;

use atlas_admin::builders::DeleteAllCustomZoneMappingsVersion;
use atlas_admin::models;
use chrono::{TimeZone as _, Utc};
use serde_json::Value;
use support::{
    assert_request, client, client_builder, decode, encode, example_response, json_response,
    mock_server, named_example, only_request, operation, operation_ids, path_matches_template,
    request_example, respond_once, response_example, ExpectedRequest, Site, GROUP_ID, ORG_ID,
    OTHER_ID,
};
use wiremock::{MockServer, ResponseTemplate};

/// The operations this file calls. Keep in sync with the tests below.
const TESTED_OPERATIONS: [&str; 13] = [
    "createFlexCluster",
    "createOnlineArchive",
    "createServerlessInstance",
    "createStreamInstance",
    "createStreamProcessor",
    "deleteAllCustomZoneMappings",
    "getOnlineArchive",
    "getPrivateEndpoint",
    "listApiKeyAccessListsEntries",
    "listFlexBackups",
    "startStreamProcessor",
    "updateOrganizationInvitation",
    "updateProjectInvitationById",
];

/// The instant every documented example uses (`2025-05-04T09:42:00Z`).
fn example_instant() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 5, 4, 9, 42, 0).unwrap()
}

/// Checks a hand-written expectation against the spec (so that the literal strings in the
/// tests cannot drift from it), then checks the one request `server` received against it.
async fn assert_sent(server: &MockServer, operation_id: &str, expected: &ExpectedRequest<'_>) {
    let op = operation(operation_id);
    assert_eq!(
        expected.method, op.method,
        "{operation_id}: method in the spec"
    );
    assert!(
        path_matches_template(&op.path, expected.path),
        "{operation_id}: {} is not an instance of the spec's {}",
        expected.path,
        op.path
    );
    let response_media: BTreeSet<String> = op
        .success_statuses()
        .iter()
        .flat_map(|status| op.response_media_types(status))
        .collect();
    assert!(
        response_media.contains(expected.accept),
        "{operation_id}: Accept {} is not one of the spec's 2xx media types {response_media:?}",
        expected.accept
    );
    match expected.body {
        Some(_) => assert_eq!(
            op.request_media_types(),
            [expected.accept],
            "{operation_id}: the body's media type in the spec"
        ),
        None => assert!(
            op.request_media_types().is_empty(),
            "{operation_id}: the spec documents a request body"
        ),
    }
    assert_request(&only_request(server).await, expected);
}

#[test]
fn every_spec_operation_is_tested() {
    let tested: BTreeSet<String> = TESTED_OPERATIONS.iter().map(|&id| id.to_owned()).collect();
    assert_eq!(
        TESTED_OPERATIONS.len(),
        tested.len(),
        "duplicates in TESTED_OPERATIONS"
    );
    let in_spec = operation_ids();
    let untested: Vec<_> = in_spec.difference(&tested).collect();
    let unknown: Vec<_> = tested.difference(&in_spec).collect();
    assert!(
        untested.is_empty() && unknown.is_empty(),
        "operations in the spec without a test here: {untested:?}; \
         listed here but not in the spec: {unknown:?}"
    );
}

// ------------------------------------------------------------------------- 01 streams

#[tokio::test]
async fn create_stream_instance() {
    let request = request_example("createStreamInstance");
    let response = response_example("createStreamInstance", "200");
    let server = mock_server().await;
    respond_once(&server, example_response(&response)).await;

    let body: models::StreamsTenant = decode(&request.value);
    let tenant = client(&server)
        .create_stream_instance(GROUP_ID, body)
        .pretty(true)
        .send()
        .await
        .expect("createStreamInstance");

    assert_sent(
        &server,
        "createStreamInstance",
        &ExpectedRequest {
            method: "POST",
            path: "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/streams",
            query: &["pretty=true"],
            accept: "application/vnd.atlas.2023-02-01+json",
            body: Some(&request.value),
        },
    )
    .await;
    assert_eq!(encode(&tenant), response.value);
    let connections = tenant.connections.as_deref().unwrap_or_default();
    assert!(
        matches!(
            connections,
            [models::StreamsConnection::Cluster(cluster)]
                if cluster.cluster_name.as_deref() == Some("string")
        ),
        "{connections:?}"
    );
    let region = tenant.data_process_region.expect("dataProcessRegion");
    assert_eq!(
        region.region,
        models::StreamsDataProcessRegionRegion::SydneyAus
    );
    assert_eq!(
        region.cloud_provider,
        models::StreamsDataProcessRegionCloudProvider::Aws
    );
    let config = tenant.stream_config.expect("streamConfig present");
    assert_eq!(
        config.and_then(|c| c.tier),
        Some(models::StreamConfigTier::Sp30)
    );
}

#[tokio::test]
async fn create_stream_processor() {
    let request = request_example("createStreamProcessor");
    let response = response_example("createStreamProcessor", "200");
    let server = mock_server().await;
    respond_once(&server, example_response(&response)).await;

    let body: models::StreamsProcessor = decode(&request.value);
    let processor = client(&server)
        .create_stream_processor(GROUP_ID, "tenant 1", body)
        .send()
        .await
        .expect("createStreamProcessor");

    assert_sent(
        &server,
        "createStreamProcessor",
        &ExpectedRequest {
            method: "POST",
            path: "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/streams/tenant%201/processor",
            query: &[],
            accept: "application/vnd.atlas.2024-05-30+json",
            body: Some(&request.value),
        },
    )
    .await;
    assert_eq!(encode(&processor), response.value);
    let pipeline = processor.pipeline.expect("pipeline");
    assert_eq!(pipeline.len(), 1);
    assert_eq!(
        pipeline[0].get("additionalProperty1"),
        Some(&Value::Object(Default::default()))
    );
}

#[tokio::test]
async fn start_stream_processor_sends_no_body_and_returns_unit() {
    let server = mock_server().await;
    // The spec documents the 200 with its media type and no body.
    respond_once(&server, ResponseTemplate::new(200)).await;

    // Typed as `()`: this line stops compiling if `send()` returns anything else.
    let (): () = client(&server)
        .start_stream_processor(GROUP_ID, "tenant-1", "proc 1")
        .pretty(true)
        .send()
        .await
        .expect("startStreamProcessor");

    assert_sent(
        &server,
        "startStreamProcessor",
        &ExpectedRequest {
            method: "POST",
            path: "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/streams/tenant-1/processor/proc%201:start",
            query: &["pretty=true"],
            accept: "application/vnd.atlas.2024-05-30+json",
            body: None,
        },
    )
    .await;
}

// ------------------------------------------------------------------- 03 flex snapshots

#[tokio::test]
async fn list_flex_backups_with_every_optional_parameter() {
    let response = response_example("listFlexBackups", "200");
    let server = mock_server().await;
    respond_once(&server, example_response(&response)).await;

    let page = client(&server)
        .list_flex_backups(GROUP_ID, "flex0")
        .pretty(true)
        .include_count(true)
        .items_per_page(50)
        .page_num(2)
        .send()
        .await
        .expect("listFlexBackups");

    assert_sent(
        &server,
        "listFlexBackups",
        &ExpectedRequest {
            method: "GET",
            path:
                "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters/flex0/backup/snapshots",
            query: &[
                "pretty=true",
                "includeCount=true",
                "itemsPerPage=50",
                "pageNum=2",
            ],
            accept: "application/vnd.atlas.2024-11-13+json",
            body: None,
        },
    )
    .await;
    assert_eq!(encode(&page), response.value);
    assert_eq!(page.total_count, Some(42));
    let snapshots = page.results.expect("results");
    assert_eq!(snapshots.len(), 1);
    assert_eq!(
        snapshots[0].status,
        Some(models::FlexBackupSnapshot20241113Status::Pending)
    );
    assert_eq!(snapshots[0].start_time, Some(example_instant()));
}

#[tokio::test]
async fn list_flex_backups_without_optional_parameters_sends_no_query() {
    let response = response_example("listFlexBackups", "200");
    let server = mock_server().await;
    respond_once(&server, example_response(&response)).await;

    let page = client(&server)
        .list_flex_backups(GROUP_ID, "flex0")
        .send()
        .await
        .expect("listFlexBackups");

    assert_sent(
        &server,
        "listFlexBackups",
        &ExpectedRequest {
            method: "GET",
            path:
                "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters/flex0/backup/snapshots",
            query: &[],
            accept: "application/vnd.atlas.2024-11-13+json",
            body: None,
        },
    )
    .await;
    assert_eq!(encode(&page), response.value);
}

// ------------------------------------------------------------------ 04 global clusters

#[test]
fn delete_all_custom_zone_mappings_versions_are_the_specs() {
    let op = operation("deleteAllCustomZoneMappings");
    let in_spec: BTreeSet<String> = op.response_media_types("200").into_iter().collect();
    let offered: BTreeSet<String> = [
        DeleteAllCustomZoneMappingsVersion::V2023_01_01,
        DeleteAllCustomZoneMappingsVersion::V2023_02_01,
        DeleteAllCustomZoneMappingsVersion::V2024_08_05,
    ]
    .into_iter()
    .map(|v| v.media_type().to_owned())
    .collect();
    assert_eq!(offered, in_spec);
    // The newest non-deprecated version is the default.
    assert_eq!(
        DeleteAllCustomZoneMappingsVersion::default(),
        DeleteAllCustomZoneMappingsVersion::V2024_08_05
    );
}

#[tokio::test]
async fn delete_all_custom_zone_mappings_sends_each_versions_accept() {
    let example = response_example("deleteAllCustomZoneMappings", "200");
    let cases = [
        (None, "application/vnd.atlas.2024-08-05+json"),
        (
            Some(DeleteAllCustomZoneMappingsVersion::V2023_01_01),
            "application/vnd.atlas.2023-01-01+json",
        ),
        (
            Some(DeleteAllCustomZoneMappingsVersion::V2023_02_01),
            "application/vnd.atlas.2023-02-01+json",
        ),
        (
            Some(DeleteAllCustomZoneMappingsVersion::V2024_08_05),
            "application/vnd.atlas.2024-08-05+json",
        ),
    ];
    for (version, media_type) in cases {
        let server = mock_server().await;
        // Only the current version has a documented example; the deprecated ones share its
        // schema, so the same body is served under each version's own media type.
        respond_once(&server, json_response(200, &example.value, media_type)).await;

        let call = client(&server).delete_all_custom_zone_mappings(GROUP_ID, "Cluster0");
        let call = match version {
            Some(version) => call.version(version),
            None => call,
        };
        let sharding = call
            .pretty(false)
            .send()
            .await
            .expect("deleteAllCustomZoneMappings");

        assert_sent(
            &server,
            "deleteAllCustomZoneMappings",
            &ExpectedRequest {
                method: "DELETE",
                path: "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/globalWrites/customZoneMapping",
                query: &["pretty=false"],
                accept: media_type,
                body: None,
            },
        )
        .await;
        assert_eq!(encode(&sharding), example.value, "{version:?}");
        let mapping = sharding.custom_zone_mapping.expect("customZoneMapping");
        assert_eq!(
            mapping.get("additionalProperty1").map(String::as_str),
            Some("32b6e34b3d91647abb20e7b8")
        );
        assert_eq!(mapping.len(), 2);
    }
}

// -------------------------------------------------------------------- online archives

#[tokio::test]
async fn create_online_archive() {
    let request = request_example("createOnlineArchive");
    let response = response_example("createOnlineArchive", "200");
    let server = mock_server().await;
    respond_once(&server, example_response(&response)).await;

    let body: models::BackupOnlineArchiveCreate = decode(&request.value);
    let archive = client(&server)
        .create_online_archive(GROUP_ID, "Cluster0", body)
        .pretty(true)
        .send()
        .await
        .expect("createOnlineArchive");

    assert_sent(
        &server,
        "createOnlineArchive",
        &ExpectedRequest {
            method: "POST",
            path: "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/onlineArchives",
            query: &["pretty=true"],
            accept: "application/vnd.atlas.2023-01-01+json",
            body: Some(&request.value),
        },
    )
    .await;
    assert_eq!(encode(&archive), response.value);
    assert_archive_fields(&archive);
}

/// The typed view of the documented online archive (pages 05 and 06).
fn assert_archive_fields(archive: &models::BackupOnlineArchive) {
    assert!(
        matches!(&archive.criteria, Some(models::CriteriaView::Custom(c)) if c.query == "string"),
        "{:?}",
        archive.criteria
    );
    assert!(
        matches!(
            &archive.schedule,
            Some(models::OnlineArchiveSchedule::Daily(d))
                if d.start_hour == Some(23) && d.end_minute == Some(42)
        ),
        "{:?}",
        archive.schedule
    );
    assert!(
        matches!(
            &archive.data_process_region,
            Some(models::DataProcessRegionView::Aws(aws))
                if aws.region == Some(models::AwsDataProcessRegionViewRegion::UsEast1)
        ),
        "{:?}",
        archive.data_process_region
    );
    assert_eq!(
        archive.state,
        Some(models::BackupOnlineArchiveState::Pending)
    );
}

#[tokio::test]
async fn get_online_archive() {
    let response = response_example("getOnlineArchive", "200");
    let server = mock_server().await;
    respond_once(&server, example_response(&response)).await;

    let archive = client(&server)
        .get_online_archive(GROUP_ID, "Cluster0", OTHER_ID)
        .send()
        .await
        .expect("getOnlineArchive");

    assert_sent(
        &server,
        "getOnlineArchive",
        &ExpectedRequest {
            method: "GET",
            path: "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/Cluster0/onlineArchives/0123456789abcdef01234567",
            query: &[],
            accept: "application/vnd.atlas.2023-01-01+json",
            body: None,
        },
    )
    .await;
    assert_eq!(encode(&archive), response.value);
    assert_archive_fields(&archive);
}

// ------------------------------------------------------------------------ invitations

// `#[allow(deprecated)]`: the API deprecates invitation management (replacement:
// updateOrganizationUser) but still serves it, so the client keeps the operation and must
// still send it correctly; the test calls it on purpose.
#[allow(
    deprecated,
    reason = "a deprecated operation is still served and must still be sent correctly"
)]
#[tokio::test]
async fn update_organization_invitation_deprecated() {
    let request = request_example("updateOrganizationInvitation");
    let response = response_example("updateOrganizationInvitation", "200");
    let server = mock_server().await;
    respond_once(&server, example_response(&response)).await;

    let body: models::OrganizationInvitationUpdateRequest = decode(&request.value);
    let invitation = client(&server)
        .update_organization_invitation(ORG_ID, body)
        .pretty(true)
        .send()
        .await
        .expect("updateOrganizationInvitation");

    assert_sent(
        &server,
        "updateOrganizationInvitation",
        &ExpectedRequest {
            method: "PATCH",
            path: "/api/atlas/v2/orgs/5f4d3c2b1a09f8e7d6c5b4a3/invites",
            query: &["pretty=true"],
            accept: "application/vnd.atlas.2023-01-01+json",
            body: Some(&request.value),
        },
    )
    .await;
    assert_eq!(encode(&invitation), response.value);
    assert_eq!(invitation.roles, Some(vec![models::OrgRoleName::OrgOwner]));
    assert_eq!(invitation.created_at, Some(example_instant()));
}

// `#[allow(deprecated)]`: the API marks this operation deprecated without naming a
// replacement and still serves it; the client must keep sending it correctly.
#[allow(
    deprecated,
    reason = "a deprecated operation is still served and must still be sent correctly"
)]
#[tokio::test]
async fn update_project_invitation_by_id_deprecated() {
    let request = request_example("updateProjectInvitationById");
    let response = response_example("updateProjectInvitationById", "200");
    let server = mock_server().await;
    respond_once(&server, example_response(&response)).await;

    let body: models::GroupInvitationUpdateRequest = decode(&request.value);
    // The spec documents no `pretty` for this operation, so its builder has no setter.
    let invitation = client(&server)
        .update_project_invitation_by_id(GROUP_ID, OTHER_ID, body)
        .send()
        .await
        .expect("updateProjectInvitationById");

    assert_sent(
        &server,
        "updateProjectInvitationById",
        &ExpectedRequest {
            method: "PATCH",
            path: "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/invites/0123456789abcdef01234567",
            query: &[],
            accept: "application/vnd.atlas.2023-01-01+json",
            body: Some(&request.value),
        },
    )
    .await;
    assert_eq!(encode(&invitation), response.value);
    assert_eq!(
        invitation.roles,
        Some(vec![models::GroupRoleName::GroupBackupManager])
    );
}

// ------------------------------------------------------------------ private endpoints

/// The `getPrivateEndpoint` path for `provider` and the (already encoded) endpoint id.
fn private_endpoint_path(provider: &str, encoded_endpoint_id: &str) -> String {
    format!(
        "/api/atlas/v2/groups/{GROUP_ID}/privateEndpoint/{provider}/endpointService/{OTHER_ID}/endpoint/{encoded_endpoint_id}"
    )
}

#[tokio::test]
async fn get_private_endpoint_aws() {
    let site = Site::Response("200".to_owned());
    let response = named_example("getPrivateEndpoint", &site, "awsInterfaceEndpoint");
    let server = mock_server().await;
    respond_once(&server, example_response(&response)).await;

    let endpoint = client(&server)
        .get_private_endpoint(
            GROUP_ID,
            models::CloudProvider::Aws,
            OTHER_ID,
            "vpce-0123456789abcdef0",
        )
        .pretty(true)
        .send()
        .await
        .expect("getPrivateEndpoint");

    assert_sent(
        &server,
        "getPrivateEndpoint",
        &ExpectedRequest {
            method: "GET",
            path: &private_endpoint_path("AWS", "vpce-0123456789abcdef0"),
            query: &["pretty=true"],
            accept: "application/vnd.atlas.2023-01-01+json",
            body: None,
        },
    )
    .await;
    assert_eq!(encode(&endpoint), response.value);
    match endpoint {
        models::PrivateLinkEndpoint::Aws(aws) => {
            assert_eq!(
                aws.connection_status,
                Some(models::AwsInterfaceEndpointConnectionStatus::PendingAcceptance)
            );
            assert_eq!(aws.error_message, Some(Some("string".to_owned())));
        }
        other => panic!("expected the AWS variant, got {other:?}"),
    }
}

#[tokio::test]
async fn get_private_endpoint_azure_takes_the_raw_id() {
    let site = Site::Response("200".to_owned());
    let response = named_example("getPrivateEndpoint", &site, "azurePrivateEndpoint");
    let server = mock_server().await;
    respond_once(&server, example_response(&response)).await;

    let raw_id = "/subscriptions/cba6d9c6-1d3f-3c11-03cb-c705d895e636/resourceGroups/rg-1/providers/Microsoft.Network/privateEndpoints/pe-1";
    let endpoint = client(&server)
        .get_private_endpoint(GROUP_ID, models::CloudProvider::Azure, OTHER_ID, raw_id)
        .send()
        .await
        .expect("getPrivateEndpoint");

    // Encoded exactly once, as one segment.
    let encoded = "%2Fsubscriptions%2Fcba6d9c6-1d3f-3c11-03cb-c705d895e636%2FresourceGroups%2Frg-1%2Fproviders%2FMicrosoft.Network%2FprivateEndpoints%2Fpe-1";
    assert_sent(
        &server,
        "getPrivateEndpoint",
        &ExpectedRequest {
            method: "GET",
            path: &private_endpoint_path("AZURE", encoded),
            query: &[],
            accept: "application/vnd.atlas.2023-01-01+json",
            body: None,
        },
    )
    .await;
    assert_eq!(encode(&endpoint), response.value);
    assert!(
        matches!(
            &endpoint,
            models::PrivateLinkEndpoint::Azure(azure)
                if azure.status.as_deref() == Some("INITIATING")
        ),
        "{endpoint:?}"
    );
}

#[tokio::test]
async fn get_private_endpoint_gcp() {
    let site = Site::Response("200".to_owned());
    let response = named_example("getPrivateEndpoint", &site, "gcpEndpointGroup");
    let server = mock_server().await;
    respond_once(&server, example_response(&response)).await;

    // The spec's endpointId pattern documents only the AWS (`vpce-…`) and Azure forms, so a
    // GCP endpoint group name is sent with client-side checks off.
    let endpoint = client_builder(&server)
        .validate_arguments(false)
        .build()
        .expect("client")
        .get_private_endpoint(GROUP_ID, models::CloudProvider::Gcp, OTHER_ID, "group-1")
        .send()
        .await
        .expect("getPrivateEndpoint");

    assert_sent(
        &server,
        "getPrivateEndpoint",
        &ExpectedRequest {
            method: "GET",
            path: &private_endpoint_path("GCP", "group-1"),
            query: &[],
            accept: "application/vnd.atlas.2023-01-01+json",
            body: None,
        },
    )
    .await;
    assert_eq!(encode(&endpoint), response.value);
    match endpoint {
        models::PrivateLinkEndpoint::Gcp(gcp) => {
            let endpoints = gcp.endpoints.expect("endpoints");
            assert_eq!(endpoints.len(), 1);
            assert_eq!(endpoints[0].status.as_deref(), Some("INITIATING"));
        }
        other => panic!("expected the GCP variant, got {other:?}"),
    }
}

// ------------------------------------------------------------------ API key access list

#[tokio::test]
async fn list_api_key_access_lists_entries_with_paging() {
    let response = response_example("listApiKeyAccessListsEntries", "200");
    let server = mock_server().await;
    respond_once(&server, example_response(&response)).await;

    let page = client(&server)
        .list_api_key_access_lists_entries(ORG_ID, OTHER_ID)
        .page_num(2)
        .items_per_page(50)
        .include_count(false)
        .send()
        .await
        .expect("listApiKeyAccessListsEntries");

    assert_sent(
        &server,
        "listApiKeyAccessListsEntries",
        &ExpectedRequest {
            method: "GET",
            path: "/api/atlas/v2/orgs/5f4d3c2b1a09f8e7d6c5b4a3/apiKeys/0123456789abcdef01234567/accessList",
            query: &["pageNum=2", "itemsPerPage=50", "includeCount=false"],
            accept: "application/vnd.atlas.2023-01-01+json",
            body: None,
        },
    )
    .await;
    assert_eq!(encode(&page), response.value);
    let entries = page.results.expect("results");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].count, Some(42));
    assert_eq!(entries[0].created, Some(example_instant()));
    assert_eq!(entries[0].cidr_block.as_deref(), Some("203.0.113.0/24"));
}

// ---------------------------------------------------------------- serverless and flex

// `#[allow(deprecated)]`: the API announces the end of this operation (January 2026,
// replacement createFlexCluster) but serves it until then; the client must keep sending it
// correctly.
#[allow(
    deprecated,
    reason = "a deprecated operation is still served and must still be sent correctly"
)]
#[tokio::test]
async fn create_serverless_instance_deprecated() {
    let request = request_example("createServerlessInstance");
    let response = response_example("createServerlessInstance", "201");
    let server = mock_server().await;
    respond_once(&server, example_response(&response)).await;

    let body: models::ServerlessInstanceDescriptionCreate = decode(&request.value);
    let instance = client(&server)
        .create_serverless_instance(GROUP_ID, body)
        .pretty(false)
        .send()
        .await
        .expect("createServerlessInstance");

    assert_sent(
        &server,
        "createServerlessInstance",
        &ExpectedRequest {
            method: "POST",
            path: "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/serverless",
            query: &["pretty=false"],
            accept: "application/vnd.atlas.2023-01-01+json",
            body: Some(&request.value),
        },
    )
    .await;
    assert_eq!(encode(&instance), response.value);
    assert_eq!(
        instance.state_name,
        Some(models::ServerlessInstanceDescriptionStateName::Idle)
    );
    assert_eq!(instance.mongo_db_version.as_deref(), Some("8.0.0"));
    assert_eq!(instance.create_date, Some(example_instant()));
}

#[tokio::test]
async fn create_flex_cluster_exposes_status_and_headers() {
    let request = request_example("createFlexCluster");
    let response = response_example("createFlexCluster", "201");
    let server = mock_server().await;
    respond_once(
        &server,
        example_response(&response)
            .insert_header("X-Request-Id", "req-7f3a")
            .insert_header("RateLimit-Limit", "100")
            .insert_header("RateLimit-Remaining", "99"),
    )
    .await;

    let body: models::FlexClusterDescriptionCreate20241113 = decode(&request.value);
    let answer = client(&server)
        .create_flex_cluster(GROUP_ID, body)
        .send_with_response()
        .await
        .expect("createFlexCluster");

    assert_sent(
        &server,
        "createFlexCluster",
        &ExpectedRequest {
            method: "POST",
            path: "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/flexClusters",
            query: &[],
            accept: "application/vnd.atlas.2024-11-13+json",
            body: Some(&request.value),
        },
    )
    .await;
    assert_eq!(answer.status().as_u16(), 201);
    assert_eq!(answer.request_id(), Some("req-7f3a"));
    let header = |name: &str| answer.headers().get(name).and_then(|v| v.to_str().ok());
    assert_eq!(header("ratelimit-limit"), Some("100"));
    assert_eq!(header("RateLimit-Remaining"), Some("99"));
    assert_eq!(
        header("content-type"),
        Some("application/vnd.atlas.2024-11-13+json")
    );
    assert_eq!(encode(answer.body()), response.value);
    let cluster = answer.into_body();
    let provider = cluster.provider_settings.expect("providerSettings");
    assert_eq!(provider.disk_size_gb, Some(42.0));
    assert_eq!(
        provider.backing_provider_name,
        Some(models::FlexProviderSettings20241113BackingProviderName::Aws)
    );
    assert_eq!(cluster.create_date, Some(example_instant()));
}
