//! Path parameters can never change the request target: each one travels as exactly one
//! percent-encoded segment (encoded once), dot segments are refused before any I/O, and
//! with validation on, values the spec's patterns forbid never leave the client.

mod common;

use atlas_admin::{models, Client, Error};
use common::{archive_body, archive_response, builder, requests, GROUP_ID, OTHER_ID};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Cluster names that break the spec's `^[a-zA-Z0-9][a-zA-Z0-9-]*$`, and their encoding.
const AWKWARD_NAMES: [(&str, &str); 6] = [
    ("a/b", "a%2Fb"),
    ("%2F", "%252F"),
    ("x?y#z", "x%3Fy%23z"),
    ("clüster", "cl%C3%BCster"),
    ("東京", "%E6%9D%B1%E4%BA%AC"),
    ("a b/../c", "a%20b%2F..%2Fc"),
];

async fn serve_archives() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(archive_response())
        .mount(&server)
        .await;
    server
}

/// A client that sends whatever it is given. The cluster names under test break the
/// spec's `clusterName` pattern, so a validating client (the default) would reject them
/// before sending; switching validation off is how we observe what the *encoding* does
/// with them. (The twin test below checks the default client rejects them.)
fn unvalidated(server: &MockServer) -> Client {
    builder(server).validate_arguments(false).build().unwrap()
}

fn validated(server: &MockServer) -> Client {
    builder(server).build().unwrap()
}

#[tokio::test]
async fn awkward_cluster_names_travel_as_one_encoded_segment() {
    let server = serve_archives().await;
    let client = unvalidated(&server);
    for (name, encoded) in AWKWARD_NAMES {
        server.reset().await;
        Mock::given(any())
            .respond_with(archive_response())
            .mount(&server)
            .await;

        client
            .create_online_archive(GROUP_ID, name, archive_body())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        client
            .get_online_archive(GROUP_ID, name, OTHER_ID)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));

        let received = requests(&server).await;
        assert_eq!(received.len(), 2, "{name}");
        assert_eq!(
            received[0].url.path(),
            format!("/api/atlas/v2/groups/{GROUP_ID}/clusters/{encoded}/onlineArchives"),
            "{name}"
        );
        assert_eq!(
            received[1].url.path(),
            format!("/api/atlas/v2/groups/{GROUP_ID}/clusters/{encoded}/onlineArchives/{OTHER_ID}"),
            "{name}"
        );
        for request in &received {
            // `?` and `#` stayed in the segment: no query, no fragment appeared.
            assert_eq!(request.url.query(), None, "{name}");
            assert_eq!(request.url.fragment(), None, "{name}");
        }
    }
}

#[tokio::test]
async fn with_validation_on_the_same_names_are_rejected_before_any_request() {
    let server = serve_archives().await;
    let client = validated(&server);
    for (name, _) in AWKWARD_NAMES {
        let err = client
            .create_online_archive(GROUP_ID, name, archive_body())
            .send()
            .await
            .unwrap_err();
        match &err {
            Error::InvalidArgument { parameter, rule } => {
                assert_eq!(parameter, "clusterName", "{name}");
                assert_eq!(rule, "must match ^[a-zA-Z0-9][a-zA-Z0-9-]*$", "{name}");
            }
            other => panic!("{name}: expected InvalidArgument, got {other:?}"),
        }
    }
    assert!(requests(&server).await.is_empty());
    // The control: a name the pattern accepts is sent.
    client
        .create_online_archive(GROUP_ID, "Cluster-0", archive_body())
        .send()
        .await
        .unwrap();
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn dot_segments_and_empty_segments_are_refused_before_any_io() {
    let server = serve_archives().await;
    // Validation off so that the runtime's own guard is what refuses them (with it on, the
    // clusterName pattern would refuse them first).
    let client = unvalidated(&server);
    for name in [".", "..", ""] {
        let err = client
            .get_online_archive(GROUP_ID, name, OTHER_ID)
            .send()
            .await
            .unwrap_err();
        // The URL standard resolves `%2E%2E` exactly like `..`, so no encoding is safe.
        match &err {
            Error::InvalidArgument { parameter, rule } => {
                assert_eq!(parameter, "path", "{name:?}");
                assert!(
                    rule.contains("must not make a segment empty, `.` or `..`"),
                    "{rule}"
                );
            }
            other => panic!("{name:?}: expected InvalidArgument, got {other:?}"),
        }
    }

    // A parameter without a spec pattern (tenantName) is guarded the same way, validation on.
    let client = validated(&server);
    for tenant in [".", ".."] {
        let body: models::StreamsProcessor = common::request_body("createStreamProcessor");
        let err = client
            .create_stream_processor(GROUP_ID, tenant, body)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidArgument { parameter, .. } if parameter == "path"),
            "{tenant:?}: {err:?}"
        );
    }
    assert!(requests(&server).await.is_empty(), "nothing was sent");

    // Dots inside a longer value are ordinary characters.
    client
        .start_stream_processor(GROUP_ID, "...", "a..b")
        .send()
        .await
        .unwrap();
    let received = requests(&server).await;
    assert_eq!(
        received[0].url.path(),
        format!("/api/atlas/v2/groups/{GROUP_ID}/streams/.../processor/a..b:start")
    );
}

fn endpoint_answer() -> ResponseTemplate {
    let (media_type, example) = common::response_example("getPrivateEndpoint", "200");
    common::json_response(200, &example, &media_type)
}

#[tokio::test]
async fn the_azure_private_endpoint_id_is_taken_raw_and_encoded_exactly_once() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(endpoint_answer())
        .mount(&server)
        .await;
    let prefix = format!(
        "/api/atlas/v2/groups/{GROUP_ID}/privateEndpoint/AZURE/endpointService/{OTHER_ID}/endpoint/"
    );

    // The id of the brief: `1234` is not the subscription UUID the spec's endpointId
    // pattern requires, so it can only be sent with validation off.
    let raw =
        "/subscriptions/1234/resourceGroups/rg/providers/Microsoft.Network/privateEndpoints/pe1";
    unvalidated(&server)
        .get_private_endpoint(GROUP_ID, models::CloudProvider::Azure, OTHER_ID, raw)
        .send()
        .await
        .unwrap();
    // A realistic id passes the pattern (checked on its encoded form) with validation on.
    let real = "/subscriptions/0f0e0d0c-1a2b-3c4d-5e6f-708192a3b4c5/resourceGroups/rg-1/providers/Microsoft.Network/privateEndpoints/pe_1";
    validated(&server)
        .get_private_endpoint(GROUP_ID, models::CloudProvider::Azure, OTHER_ID, real)
        .send()
        .await
        .unwrap();

    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    assert_eq!(
        received[0].url.path(),
        format!(
            "{prefix}%2Fsubscriptions%2F1234%2FresourceGroups%2Frg%2Fproviders%2FMicrosoft.Network%2FprivateEndpoints%2Fpe1"
        )
    );
    assert_eq!(
        received[1].url.path(),
        format!(
            "{prefix}%2Fsubscriptions%2F0f0e0d0c-1a2b-3c4d-5e6f-708192a3b4c5%2FresourceGroups%2Frg-1%2Fproviders%2FMicrosoft.Network%2FprivateEndpoints%2Fpe_1"
        )
    );
    for request in &received {
        assert!(
            !request.url.path().contains("%25"),
            "{}",
            request.url.path()
        );
    }
}

#[tokio::test]
async fn a_pre_encoded_azure_id_is_refused_rather_than_double_encoded() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(endpoint_answer())
        .mount(&server)
        .await;
    // Following the Atlas docs ("URL encode the endpointId") by hand would make `%252F`:
    // the validating client refuses it instead of sending it.
    let pre_encoded = "%2Fsubscriptions%2F0f0e0d0c-1a2b-3c4d-5e6f-708192a3b4c5%2FresourceGroups%2Frg%2Fproviders%2FMicrosoft.Network%2FprivateEndpoints%2Fpe1";
    let err = validated(&server)
        .get_private_endpoint(
            GROUP_ID,
            models::CloudProvider::Azure,
            OTHER_ID,
            pre_encoded,
        )
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument { parameter, .. } if parameter == "endpointId"),
        "{err:?}"
    );
    assert!(requests(&server).await.is_empty());

    // The AWS form is sent as is.
    let answer = validated(&server)
        .get_private_endpoint(
            GROUP_ID,
            models::CloudProvider::Aws,
            OTHER_ID,
            "vpce-0123456789abcdef0",
        )
        .send()
        .await
        .unwrap();
    assert!(
        matches!(answer, models::PrivateLinkEndpoint::Aws(_)),
        "{answer:?}"
    );
    let received = requests(&server).await;
    assert_eq!(
        received[0].url.path(),
        format!("/api/atlas/v2/groups/{GROUP_ID}/privateEndpoint/AWS/endpointService/{OTHER_ID}/endpoint/vpce-0123456789abcdef0")
    );
}

#[tokio::test]
async fn the_processor_name_is_encoded_before_the_start_verb() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = validated(&server);
    let cases = [
        ("tenant0", "my proc", "tenant0/processor/my%20proc:start"),
        ("t 1", "a/b:c", "t%201/processor/a%2Fb%3Ac:start"),
        // A whole-value `..` is always encoded as `%2E%2E`; here the segment goes on
        // with `:start`, so it is not a dot segment and is sent (it decodes to `..:start`).
        ("東京", "..", "%E6%9D%B1%E4%BA%AC/processor/%2E%2E:start"),
    ];
    for (tenant, processor, tail) in cases {
        let (): () = client
            .start_stream_processor(GROUP_ID, tenant, processor)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{processor}: {e:?}"));
        let received = requests(&server).await;
        let last = received.last().unwrap();
        assert_eq!(
            last.url.path(),
            format!("/api/atlas/v2/groups/{GROUP_ID}/streams/{tail}"),
            "{processor}"
        );
        assert_eq!(last.method.as_str(), "POST");
    }
}

#[tokio::test]
async fn a_base_url_path_is_kept_as_a_prefix() {
    let server = serve_archives().await;
    for base in ["/proxy/atlas", "/proxy/atlas/"] {
        let client = Client::builder()
            .base_url(format!("{}{base}", server.uri()))
            .build()
            .unwrap();
        client
            .get_online_archive(GROUP_ID, "Cluster0", OTHER_ID)
            .send()
            .await
            .unwrap();
    }
    let expected = format!(
        "/proxy/atlas/api/atlas/v2/groups/{GROUP_ID}/clusters/Cluster0/onlineArchives/{OTHER_ID}"
    );
    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    for request in received {
        assert_eq!(request.url.path(), expected);
    }
}
