//! Structural checks of `spec/atlas-admin-v2.yaml` against the doc pages it transcribes
//! (`../shared/atlas-docs/`): the 13 operations, their response codes and versioned media
//! types, deprecations, shared parameters and error responses, `$ref` resolution, the
//! discriminated unions, security and servers. The document is loaded with `openapiv3` (as
//! the generator loads it) and, where the raw tree is easier to walk, as `serde_json::Value`.
// Test code only: a failed expectation panics, with its message.
#![cfg(test)]

use std::collections::BTreeSet;

use openapiv3::{
    OpenAPI, Operation, Parameter, ParameterSchemaOrContent, ReferenceOr, SecurityScheme,
    StatusCode,
};
use serde_json::Value;

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/atlas-admin-v2.yaml");

fn text() -> String {
    std::fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("cannot read {SPEC}: {e}"))
}

fn openapi() -> OpenAPI {
    serde_yaml::from_str(&text())
        .unwrap_or_else(|e| panic!("{SPEC} is not an OpenAPI 3.0 document: {e}"))
}

fn raw() -> Value {
    serde_yaml::from_str(&text()).unwrap_or_else(|e| panic!("{SPEC} is not valid YAML: {e}"))
}

/// The doc pages: file, method, path, operationId (atlas-docs/README.md).
const OPERATIONS: &[(&str, &str, &str, &str)] = &[
    ("01-create-stream-instance", "post", "/api/atlas/v2/groups/{groupId}/streams", "createStreamInstance"),
    ("02-start-stream-processor", "post", "/api/atlas/v2/groups/{groupId}/streams/{tenantName}/processor/{processorName}:start", "startStreamProcessor"),
    ("03-list-flex-cluster-snapshots", "get", "/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots", "listFlexBackups"),
    ("04-remove-all-custom-zone-mappings", "delete", "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/globalWrites/customZoneMapping", "deleteAllCustomZoneMappings"),
    ("05-create-online-archive", "post", "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/onlineArchives", "createOnlineArchive"),
    ("06-return-one-online-archive", "get", "/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/onlineArchives/{archiveId}", "getOnlineArchive"),
    ("07-update-organization-invitation", "patch", "/api/atlas/v2/orgs/{orgId}/invites", "updateOrganizationInvitation"),
    ("08-return-one-private-endpoint", "get", "/api/atlas/v2/groups/{groupId}/privateEndpoint/{cloudProvider}/endpointService/{endpointServiceId}/endpoint/{endpointId}", "getPrivateEndpoint"),
    ("09-list-api-key-access-list-entries", "get", "/api/atlas/v2/orgs/{orgId}/apiKeys/{apiUserId}/accessList", "listApiKeyAccessListsEntries"),
    ("10-update-project-invitation", "patch", "/api/atlas/v2/groups/{groupId}/invites/{invitationId}", "updateProjectInvitationById"),
    ("11-create-stream-processor", "post", "/api/atlas/v2/groups/{groupId}/streams/{tenantName}/processor", "createStreamProcessor"),
    ("12-create-serverless-instance", "post", "/api/atlas/v2/groups/{groupId}/serverless", "createServerlessInstance"),
    ("13-create-flex-cluster", "post", "/api/atlas/v2/groups/{groupId}/flexClusters", "createFlexCluster"),
];

/// The response codes each page lists (page 13 lists none in its lossy rendering: its codes
/// come from its examples, and 201 is our choice for its success).
const RESPONSE_CODES: &[(&str, &[u16])] = &[
    ("createStreamInstance", &[200, 400, 401, 403, 404, 500]),
    ("startStreamProcessor", &[200, 401, 403, 404, 500]),
    ("listFlexBackups", &[200, 400, 401, 403, 404, 500]),
    ("deleteAllCustomZoneMappings", &[200, 401, 403, 404, 500]),
    ("createOnlineArchive", &[200, 400, 401, 403, 404, 409, 500]),
    ("getOnlineArchive", &[200, 400, 401, 403, 404, 500]),
    (
        "updateOrganizationInvitation",
        &[200, 400, 401, 403, 404, 500],
    ),
    ("getPrivateEndpoint", &[200, 400, 401, 403, 404, 500]),
    ("listApiKeyAccessListsEntries", &[200, 401, 403, 404, 500]),
    (
        "updateProjectInvitationById",
        &[200, 400, 401, 403, 404, 500],
    ),
    (
        "createStreamProcessor",
        &[200, 400, 401, 403, 404, 409, 500],
    ),
    (
        "createServerlessInstance",
        &[201, 400, 401, 402, 403, 404, 409, 500],
    ),
    (
        "createFlexCluster",
        &[201, 400, 401, 402, 403, 404, 409, 500],
    ),
];

/// operationId, body version, success versions, success schema, body schema.
type MediaRow = (
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
    Option<&'static str>,
    Option<&'static str>,
);

/// Versions (vendor media types) of the request body and the success response, the success
/// schema, and the request schema (the versions shown in each page's Body/Responses headings,
/// not the 2025-03-12 of the curl samples).
const MEDIA: &[MediaRow] = &[
    (
        "createStreamInstance",
        Some("2023-02-01"),
        &["2023-02-01"],
        Some("StreamsTenant"),
        Some("StreamsTenant"),
    ),
    ("startStreamProcessor", None, &["2024-05-30"], None, None),
    (
        "listFlexBackups",
        None,
        &["2024-11-13"],
        Some("PaginatedApiAtlasFlexBackupSnapshot20241113View"),
        None,
    ),
    (
        "deleteAllCustomZoneMappings",
        None,
        &["2023-01-01", "2023-02-01", "2024-08-05"],
        Some("GeoSharding20240805"),
        None,
    ),
    (
        "createOnlineArchive",
        Some("2023-01-01"),
        &["2023-01-01"],
        Some("BackupOnlineArchive"),
        Some("BackupOnlineArchiveCreate"),
    ),
    (
        "getOnlineArchive",
        None,
        &["2023-01-01"],
        Some("BackupOnlineArchive"),
        None,
    ),
    (
        "updateOrganizationInvitation",
        Some("2023-01-01"),
        &["2023-01-01"],
        Some("OrganizationInvitation"),
        Some("OrganizationInvitationUpdateRequest"),
    ),
    (
        "getPrivateEndpoint",
        None,
        &["2023-01-01"],
        Some("PrivateLinkEndpoint"),
        None,
    ),
    (
        "listApiKeyAccessListsEntries",
        None,
        &["2023-01-01"],
        Some("PaginatedApiUserAccessListResponseView"),
        None,
    ),
    (
        "updateProjectInvitationById",
        Some("2023-01-01"),
        &["2023-01-01"],
        Some("GroupInvitation"),
        Some("GroupInvitationUpdateRequest"),
    ),
    (
        "createStreamProcessor",
        Some("2024-05-30"),
        &["2024-05-30"],
        Some("StreamsProcessor"),
        Some("StreamsProcessor"),
    ),
    (
        "createServerlessInstance",
        Some("2023-01-01"),
        &["2023-01-01"],
        Some("ServerlessInstanceDescription"),
        Some("ServerlessInstanceDescriptionCreate"),
    ),
    (
        "createFlexCluster",
        Some("2024-11-13"),
        &["2024-11-13"],
        Some("FlexClusterDescription20241113"),
        Some("FlexClusterDescriptionCreate20241113"),
    ),
];

/// Deprecated operations and the replacement the docs name.
const DEPRECATED: &[(&str, Option<&str>)] = &[
    (
        "updateOrganizationInvitation",
        Some("updateOrganizationUser"),
    ),
    ("updateProjectInvitationById", None),
    ("createServerlessInstance", Some("createFlexCluster")),
];

/// Operations whose page links out under the description.
const EXTERNAL_DOCS: &[(&str, &str)] = &[
    ("deleteAllCustomZoneMappings", "Global Clusters"),
    ("createOnlineArchive", "Online Archive"),
    ("getOnlineArchive", "Online Archive"),
    (
        "updateOrganizationInvitation",
        "Update One MongoDB Cloud User in One Organization",
    ),
    ("listApiKeyAccessListsEntries", "Programmatic API Keys"),
    ("createServerlessInstance", "createFlexCluster"),
];

/// The unions of atlas-docs/README.md: schema, discriminator property, tag values.
const UNIONS: &[(&str, &str, &[&str])] = &[
    ("CriteriaView", "type", &["CUSTOM", "DATE"]),
    (
        "OnlineArchiveSchedule",
        "type",
        &["DEFAULT", "DAILY", "WEEKLY", "MONTHLY"],
    ),
    (
        "CreateDataProcessRegionView",
        "cloudProvider",
        &["AWS", "AZURE", "GCP"],
    ),
    (
        "DataProcessRegionView",
        "cloudProvider",
        &["AWS", "AZURE", "GCP"],
    ),
    (
        "PrivateLinkEndpoint",
        "cloudProvider",
        &["AWS", "AZURE", "GCP"],
    ),
    (
        "StreamsConnection",
        "type",
        &[
            "Sample",
            "Cluster",
            "Kafka",
            "Https",
            "AWSLambda",
            "S3",
            "AWSKinesisDataStreams",
        ],
    ),
];

fn find_operation<'a>(api: &'a OpenAPI, op_id: &str) -> (&'a str, &'a str, &'a Operation) {
    for (path, item) in api.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            panic!("path {path} is a $ref");
        };
        for (method, op) in item.iter() {
            if op.operation_id.as_deref() == Some(op_id) {
                return (path, method, op);
            }
        }
    }
    panic!("no operation {op_id}")
}

fn resolve<'v>(doc: &'v Value, reference: &str) -> Option<&'v Value> {
    let pointer = reference.strip_prefix('#')?;
    let mut cur = doc;
    for raw in pointer.strip_prefix('/')?.split('/') {
        let seg = raw.replace("~1", "/").replace("~0", "~");
        cur = match cur {
            Value::Object(m) => m.get(&seg)?,
            Value::Array(a) => a.get(seg.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn schema_ref(name: &str) -> String {
    format!("#/components/schemas/{name}")
}

fn param_name(api: &OpenAPI, p: &ReferenceOr<Parameter>) -> (String, bool, bool) {
    let param = match p {
        ReferenceOr::Item(p) => p.clone(),
        ReferenceOr::Reference { reference } => {
            let name = reference
                .strip_prefix("#/components/parameters/")
                .unwrap_or_else(|| {
                    panic!("parameter $ref {reference} is not a component parameter")
                });
            api.components
                .as_ref()
                .and_then(|c| c.parameters.get(name))
                .and_then(ReferenceOr::as_item)
                .cloned()
                .unwrap_or_else(|| panic!("parameter {reference} does not resolve"))
        }
    };
    let is_path = matches!(param, Parameter::Path { .. });
    let data = param.parameter_data();
    (data.name, data.required, is_path)
}

#[test]
fn the_document_is_openapi_3_0_3() {
    let api = openapi();
    assert_eq!(api.openapi, "3.0.3");
    assert!(!api.info.title.is_empty() && !api.info.version.is_empty());
}

#[test]
fn the_13_operations_are_at_their_documented_paths() {
    let api = openapi();
    let mut seen = BTreeSet::new();
    for (path, item) in api.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            panic!("path {path} is a $ref");
        };
        for (method, op) in item.iter() {
            let id = op
                .operation_id
                .clone()
                .unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            assert!(
                seen.insert((method.to_owned(), path.clone(), id.clone())),
                "duplicate {id}"
            );
        }
    }
    let expected: BTreeSet<(String, String, String)> = OPERATIONS
        .iter()
        .map(|(_, m, p, id)| ((*m).to_owned(), (*p).to_owned(), (*id).to_owned()))
        .collect();
    assert_eq!(seen, expected);
    for (file, method, path, id) in OPERATIONS {
        let (p, m, op) = find_operation(&api, id);
        assert_eq!((p, m), (*path, *method), "{file}");
        assert!(
            op.summary.as_deref().is_some_and(|s| !s.is_empty()),
            "{id}: summary"
        );
        assert!(
            op.description.as_deref().is_some_and(|s| !s.is_empty()),
            "{id}: description"
        );
        assert_eq!(op.tags.len(), 1, "{id}: one tag");
    }
}

#[test]
fn summaries_are_the_page_titles() {
    let api = openapi();
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/atlas-docs");
    assert!(
        docs.is_dir(),
        "doc pages missing: expected {}",
        docs.display()
    );
    for (file, _, _, id) in OPERATIONS {
        let page = std::fs::read_to_string(docs.join(format!("{file}.txt")))
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        // Page 04 opens with its tag's page; its operation title follows the blank lines.
        let title = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .find(|l| {
                !l.starts_with("Global Clusters") && !l.starts_with("Returns, adds, and removes")
            })
            .unwrap_or_default()
            .trim_end_matches(" Deprecated");
        let (_, _, op) = find_operation(&api, id);
        assert_eq!(op.summary.as_deref(), Some(title), "{file}");
    }
}

#[test]
fn every_operation_lists_the_response_codes_of_its_page() {
    let api = openapi();
    assert_eq!(RESPONSE_CODES.len(), OPERATIONS.len());
    for (id, codes) in RESPONSE_CODES {
        let (_, _, op) = find_operation(&api, id);
        assert!(
            op.responses.default.is_none(),
            "{id}: no default response documented"
        );
        let actual: Vec<u16> = op
            .responses
            .responses
            .keys()
            .map(|c| match c {
                StatusCode::Code(n) => *n,
                StatusCode::Range(r) => panic!("{id}: range {r}XX not documented"),
            })
            .collect();
        assert_eq!(
            actual,
            codes.to_vec(),
            "{id}: response codes (in page order)"
        );
    }
}

#[test]
fn bodies_and_success_responses_use_their_versioned_media_types() {
    let doc = raw();
    let api = openapi();
    for (id, req_version, versions, success_schema, request_schema) in MEDIA {
        let (path, method, _) = find_operation(&api, id);
        let op = &doc["paths"][path][method];
        match req_version {
            Some(v) => {
                assert_eq!(
                    op["requestBody"]["required"],
                    Value::Bool(true),
                    "{id}: body required"
                );
                let content = op["requestBody"]["content"]
                    .as_object()
                    .unwrap_or_else(|| panic!("{id}: body content"));
                let keys: Vec<&String> = content.keys().collect();
                assert_eq!(
                    keys,
                    vec![&format!("application/vnd.atlas.{v}+json")],
                    "{id}: body media type"
                );
                let schema = content.values().next().map(|m| &m["schema"]["$ref"]);
                assert_eq!(
                    schema,
                    request_schema
                        .map(|s| Value::String(schema_ref(s)))
                        .as_ref(),
                    "{id}: body schema"
                );
            }
            None => assert!(op.get("requestBody").is_none(), "{id}: no documented body"),
        }
        let responses = op["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{id}: responses"));
        let (code, success) = responses
            .iter()
            .find(|(c, _)| c.starts_with('2'))
            .unwrap_or_else(|| panic!("{id}: no 2xx"));
        assert_eq!(
            responses.keys().filter(|c| c.starts_with('2')).count(),
            1,
            "{id}: one 2xx"
        );
        let content = success["content"]
            .as_object()
            .unwrap_or_else(|| panic!("{id}: {code} content"));
        let keys: Vec<String> = content.keys().cloned().collect();
        let expected: Vec<String> = versions
            .iter()
            .map(|v| format!("application/vnd.atlas.{v}+json"))
            .collect();
        assert_eq!(keys, expected, "{id}: {code} media types");
        for (media, mt) in content {
            match success_schema {
                Some(s) => assert_eq!(
                    mt["schema"]["$ref"],
                    Value::String(schema_ref(s)),
                    "{id}: {media} schema"
                ),
                None => assert!(mt.get("schema").is_none(), "{id}: {media} has no body"),
            }
        }
        // Every error response is the shared ApiError, as application/json, via components.
        for (code, resp) in responses.iter().filter(|(c, _)| !c.starts_with('2')) {
            let reference = resp["$ref"]
                .as_str()
                .unwrap_or_else(|| panic!("{id}: {code} is not a $ref"));
            assert!(
                reference.starts_with("#/components/responses/"),
                "{id}: {code}"
            );
            let target = resolve(&doc, reference).unwrap_or_else(|| panic!("{reference}"));
            let content = target["content"]
                .as_object()
                .unwrap_or_else(|| panic!("{reference}: content"));
            let keys: Vec<&String> = content.keys().collect();
            assert_eq!(keys, vec!["application/json"], "{reference}");
            assert_eq!(
                target["content"]["application/json"]["schema"]["$ref"],
                schema_ref("ApiError")
            );
            let example_codes: Vec<i64> = target["content"]["application/json"]["examples"]
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(_, e)| e["value"]["error"].as_i64())
                .collect();
            // The error body's own code matches, except page 11's 409 (a copy of its 401).
            let expected_code: i64 = code.parse().unwrap_or_default();
            let exception = *id == "createStreamProcessor" && code == "409";
            assert!(
                exception || example_codes == vec![expected_code],
                "{id}: {code} example codes {example_codes:?}"
            );
        }
    }
}

#[test]
fn the_zone_mapping_delete_keeps_its_three_versions() {
    let doc = raw();
    let content = &doc["paths"]
        ["/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/globalWrites/customZoneMapping"]
        ["delete"]["responses"]["200"]["content"];
    for (version, sunset) in [
        ("2023-01-01", Some("2026-08-05")),
        ("2023-02-01", Some("2026-08-05")),
        ("2024-08-05", None),
    ] {
        let mt = &content[format!("application/vnd.atlas.{version}+json")];
        assert!(mt.is_object(), "{version}");
        assert_eq!(
            mt.get("x-sunset").and_then(Value::as_str),
            sunset,
            "{version}: x-sunset"
        );
        assert!(mt.get("x-deprecated").is_none());
    }
    // No other media type anywhere is marked as a deprecated version.
    let text = text();
    assert_eq!(
        text.matches("x-sunset:").count(),
        3,
        "two deprecated versions + page 12's operation-level sunset"
    );
}

#[test]
fn deprecated_operations_name_their_replacement_where_the_docs_do() {
    let api = openapi();
    for (_, _, _, id) in OPERATIONS {
        let (_, _, op) = find_operation(&api, id);
        let expected = DEPRECATED.iter().find(|(d, _)| d == id);
        assert_eq!(op.deprecated, expected.is_some(), "{id}: deprecated");
        let replacement = op.extensions.get("x-replacement").and_then(Value::as_str);
        assert_eq!(
            replacement,
            expected.and_then(|(_, r)| *r),
            "{id}: x-replacement"
        );
        let docs = EXTERNAL_DOCS.iter().find(|(e, _)| e == id).map(|(_, d)| *d);
        let actual = op.external_docs.as_ref();
        assert_eq!(
            actual.and_then(|d| d.description.as_deref()),
            docs,
            "{id}: externalDocs"
        );
        if let Some(d) = actual {
            assert!(d.url.starts_with("https://"), "{id}: externalDocs url");
        }
    }
}

#[test]
fn parameters_match_the_pages() {
    let api = openapi();
    let doc = raw();
    let params = &doc["components"]["parameters"];
    // Shared parameters and their documented schemas.
    for (name, location, required, schema) in [
        (
            "groupId",
            "path",
            true,
            r#"{"type":"string","pattern":"^([a-f0-9]{24})$"}"#,
        ),
        (
            "orgId",
            "path",
            true,
            r#"{"type":"string","pattern":"^([a-f0-9]{24})$"}"#,
        ),
        (
            "envelope",
            "query",
            false,
            r#"{"type":"boolean","default":false}"#,
        ),
        (
            "pretty",
            "query",
            false,
            r#"{"type":"boolean","default":false,"externalDocs":{"description":"Prettyprint","url":"https://en.wikipedia.org/wiki/Prettyprint"}}"#,
        ),
        (
            "includeCount",
            "query",
            false,
            r#"{"type":"boolean","default":true}"#,
        ),
        (
            "itemsPerPage",
            "query",
            false,
            r#"{"type":"integer","format":"int32","minimum":1,"maximum":500,"default":100}"#,
        ),
        (
            "pageNum",
            "query",
            false,
            r#"{"type":"integer","format":"int32","minimum":1,"default":1}"#,
        ),
    ] {
        let p = &params[name];
        assert_eq!(p["name"], name);
        assert_eq!(p["in"], location, "{name}");
        assert_eq!(
            p.get("required").and_then(Value::as_bool).unwrap_or(false),
            required,
            "{name}"
        );
        let expected: Value = serde_json::from_str(schema).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p["schema"], expected, "{name}: schema");
    }
    assert_eq!(params["envelope"]["x-codegen-omit"], Value::Bool(true));

    // Query parameters per operation (page order).
    for (id, query) in [
        (
            "listFlexBackups",
            &[
                "envelope",
                "pretty",
                "includeCount",
                "itemsPerPage",
                "pageNum",
            ][..],
        ),
        (
            "listApiKeyAccessListsEntries",
            &[
                "envelope",
                "includeCount",
                "itemsPerPage",
                "pageNum",
                "pretty",
            ][..],
        ),
        ("updateProjectInvitationById", &["envelope"][..]),
        ("createStreamInstance", &["envelope", "pretty"][..]),
    ] {
        let (_, _, op) = find_operation(&api, id);
        let names: Vec<String> = op
            .parameters
            .iter()
            .map(|p| param_name(&api, p))
            .filter(|(_, _, is_path)| !is_path)
            .map(|(n, _, _)| n)
            .collect();
        assert_eq!(names, query.to_vec(), "{id}: query parameters");
    }

    // Every {name} of every path template is a declared, required path parameter, in order.
    for (_, _, path, id) in OPERATIONS {
        let (_, _, op) = find_operation(&api, id);
        let in_template: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split('}').next())
            .collect();
        let declared: Vec<(String, bool, bool)> =
            op.parameters.iter().map(|p| param_name(&api, p)).collect();
        let path_params: Vec<&str> = declared
            .iter()
            .filter(|(_, _, p)| *p)
            .map(|(n, _, _)| n.as_str())
            .collect();
        assert_eq!(path_params, in_template, "{id}: path parameters");
        assert!(
            declared.iter().filter(|(_, _, p)| *p).all(|(_, r, _)| *r),
            "{id}: required"
        );
    }

    // The private-endpoint cloudProvider is the named CloudProvider schema.
    let (_, _, op) = find_operation(&api, "getPrivateEndpoint");
    let cloud = op
        .parameters
        .iter()
        .filter_map(ReferenceOr::as_item)
        .find(|p| p.parameter_data_ref().name == "cloudProvider")
        .unwrap_or_else(|| panic!("cloudProvider parameter"));
    match &cloud.parameter_data_ref().format {
        ParameterSchemaOrContent::Schema(ReferenceOr::Reference { reference }) => {
            assert_eq!(reference, &schema_ref("CloudProvider"));
        }
        other => panic!("cloudProvider schema is not a $ref to CloudProvider: {other:?}"),
    }
    let cp = &doc["components"]["schemas"]["CloudProvider"];
    assert_eq!(cp["type"], "string");
    assert_eq!(cp["enum"], serde_json::json!(["AWS", "AZURE", "GCP"]));
}

#[test]
fn list_operations_return_results_total_count_and_links() {
    let doc = raw();
    for name in [
        "PaginatedApiAtlasFlexBackupSnapshot20241113View",
        "PaginatedApiUserAccessListResponseView",
    ] {
        let props = &doc["components"]["schemas"][name]["properties"];
        assert_eq!(props["results"]["type"], "array", "{name}");
        assert_eq!(props["totalCount"]["type"], "integer", "{name}");
        assert_eq!(props["totalCount"]["minimum"], 0, "{name}");
        assert_eq!(
            props["links"]["items"]["$ref"],
            schema_ref("Link"),
            "{name}"
        );
    }
}

/// Every `$ref` value and discriminator mapping target, with the pointer where it occurs.
/// Example values are data, not references, and are not searched.
fn collect_refs(node: &Value, ptr: &str, out: &mut Vec<(String, String)>) {
    match node {
        Value::Object(map) => {
            for (key, val) in map {
                let p = format!("{ptr}/{}", key.replace('~', "~0").replace('/', "~1"));
                match (key.as_str(), val) {
                    ("$ref", Value::String(r)) => out.push((p, r.clone())),
                    ("$ref", other) => out.push((p, format!("<not a string: {other}>"))),
                    ("example", _) | ("value", _) => {}
                    ("mapping", Value::Object(m)) => {
                        for (tag, target) in m {
                            out.push((
                                format!("{p}/{tag}"),
                                target.as_str().unwrap_or("<not a string>").to_owned(),
                            ));
                        }
                    }
                    _ => collect_refs(val, &p, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                collect_refs(item, &format!("{ptr}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_ref_resolves() {
    let doc = raw();
    let mut refs = Vec::new();
    collect_refs(&doc, "#", &mut refs);
    assert!(refs.len() > 100, "only {} references found", refs.len());
    let broken: Vec<String> = refs
        .iter()
        .filter(|(_, r)| !r.starts_with("#/") || resolve(&doc, r).is_none())
        .map(|(at, r)| format!("{at}: {r}"))
        .collect();
    assert!(
        broken.is_empty(),
        "unresolved references:\n{}",
        broken.join("\n")
    );
    // And every component is used somewhere (nothing transcribed and then forgotten).
    let used: BTreeSet<&str> = refs.iter().map(|(_, r)| r.as_str()).collect();
    for section in ["schemas", "parameters", "responses"] {
        for name in doc["components"][section]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            let r = format!("#/components/{section}/{name}");
            assert!(used.contains(r.as_str()), "{r} is never referenced");
        }
    }
}

/// The properties of a schema, looking through `$ref` and `allOf`.
fn properties_of(doc: &Value, schema: &Value) -> serde_json::Map<String, Value> {
    let mut out = serde_json::Map::new();
    if let Some(r) = schema["$ref"].as_str() {
        if let Some(target) = resolve(doc, r) {
            return properties_of(doc, target);
        }
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        out.extend(properties_of(doc, part));
    }
    if let Some(props) = schema["properties"].as_object() {
        out.extend(props.clone());
    }
    out
}

#[test]
fn every_union_maps_each_tag_to_a_variant_that_carries_it() {
    let doc = raw();
    let schemas = doc["components"]["schemas"]
        .as_object()
        .unwrap_or_else(|| panic!("no schemas"));
    let mut unions = BTreeSet::new();
    for (name, schema) in schemas {
        let Some(disc) = schema.get("discriminator") else {
            continue;
        };
        unions.insert(name.clone());
        let prop = disc["propertyName"]
            .as_str()
            .unwrap_or_else(|| panic!("{name}: propertyName"));
        let mapping = disc["mapping"]
            .as_object()
            .unwrap_or_else(|| panic!("{name}: no explicit mapping"));
        assert!(!mapping.is_empty(), "{name}: empty mapping");
        let one_of: BTreeSet<String> = schema["oneOf"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: discriminator without oneOf"))
            .iter()
            .map(|v| {
                v["$ref"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{name}: inline oneOf variant"))
                    .to_owned()
            })
            .collect();
        let targets: BTreeSet<String> = mapping
            .values()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        assert_eq!(
            targets, one_of,
            "{name}: mapping targets = oneOf variants, one each"
        );
        assert_eq!(targets.len(), mapping.len(), "{name}: one variant per tag");
        for (tag, target) in mapping {
            let target = target.as_str().unwrap_or_default();
            let variant = resolve(&doc, target)
                .unwrap_or_else(|| panic!("{name}: {tag} -> {target} missing"));
            assert!(
                target.starts_with("#/components/schemas/"),
                "{name}: {target} is a named schema"
            );
            let props = properties_of(&doc, variant);
            let tag_schema = props
                .get(prop)
                .unwrap_or_else(|| panic!("{target} lacks the discriminator `{prop}`"));
            assert_eq!(tag_schema["type"], "string", "{target}.{prop}");
            assert_eq!(
                tag_schema["enum"],
                serde_json::json!([tag]),
                "{target}.{prop} is exactly [{tag}]"
            );
        }
    }
    let expected: BTreeSet<String> = UNIONS.iter().map(|(n, _, _)| (*n).to_owned()).collect();
    assert_eq!(unions, expected, "the discriminated unions of the spec");
    for (name, prop, tags) in UNIONS {
        let disc = &schemas[*name]["discriminator"];
        assert_eq!(disc["propertyName"], *prop, "{name}");
        let actual: Vec<&String> = disc["mapping"]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        assert_eq!(actual, tags.iter().collect::<Vec<_>>(), "{name}: tags");
    }
    // Where the docs mark the discriminator Required, the variants list it in `required`.
    for (name, required) in [
        ("OnlineArchiveSchedule", true),
        ("PrivateLinkEndpoint", true),
        ("CriteriaView", false),
        ("CreateDataProcessRegionView", false),
        ("DataProcessRegionView", false),
        ("StreamsConnection", false),
    ] {
        let prop = schemas[name]["discriminator"]["propertyName"].clone();
        for target in schemas[name]["discriminator"]["mapping"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(_, t)| t)
        {
            let variant =
                resolve(&doc, target.as_str().unwrap_or_default()).unwrap_or(&Value::Null);
            let listed = variant["required"]
                .as_array()
                .is_some_and(|r| r.contains(&prop));
            assert_eq!(listed, required, "{target}: discriminator in required");
        }
    }
}

#[test]
fn security_schemes_servers_and_global_security() {
    let api = openapi();
    assert_eq!(api.servers.len(), 1);
    assert_eq!(api.servers[0].url, "https://cloud.mongodb.com");
    let components = api
        .components
        .as_ref()
        .unwrap_or_else(|| panic!("no components"));
    match components.security_schemes.get("DigestAuth") {
        Some(ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. })) => {
            assert_eq!(scheme, "digest")
        }
        other => panic!("DigestAuth is not an HTTP digest scheme: {other:?}"),
    }
    match components.security_schemes.get("ServiceAccounts") {
        Some(ReferenceOr::Item(SecurityScheme::OAuth2 { flows, .. })) => {
            let cc = flows
                .client_credentials
                .as_ref()
                .unwrap_or_else(|| panic!("no clientCredentials flow"));
            assert_eq!(cc.token_url, "https://cloud.mongodb.com/api/oauth/token");
            assert!(
                flows.implicit.is_none()
                    && flows.password.is_none()
                    && flows.authorization_code.is_none()
            );
        }
        other => panic!("ServiceAccounts is not an OAuth 2.0 scheme: {other:?}"),
    }
    assert_eq!(components.security_schemes.len(), 2);
    let global: Vec<Vec<String>> = api
        .security
        .as_ref()
        .unwrap_or_else(|| panic!("no global security"))
        .iter()
        .map(|req| req.keys().cloned().collect())
        .collect();
    assert_eq!(
        global,
        vec![
            vec!["DigestAuth".to_owned()],
            vec!["ServiceAccounts".to_owned()]
        ],
        "either scheme"
    );
    for (_, _, _, id) in OPERATIONS {
        let (_, _, op) = find_operation(&api, id);
        assert!(op.security.is_none(), "{id}: inherits the global security");
    }
}

#[test]
fn components_are_sorted_and_names_do_not_collide_by_case() {
    let doc = raw();
    for section in ["parameters", "responses", "schemas", "securitySchemes"] {
        let names: Vec<&String> = doc["components"][section]
            .as_object()
            .map(|m| m.keys().collect())
            .unwrap_or_default();
        let mut sorted = names.clone();
        sorted.sort_by_key(|n| n.to_lowercase());
        assert_eq!(names, sorted, "components/{section} in alphabetical order");
        let lower: BTreeSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(
            lower.len(),
            names.len(),
            "components/{section}: two names differ only by case"
        );
    }
    // PascalCase schema names.
    for name in doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        assert!(
            name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "{name} is not PascalCase"
        );
    }
}

#[test]
fn documented_shapes_are_transcribed() {
    let doc = raw();
    let s = &doc["components"]["schemas"];
    // The string map and the free-form pipeline stages.
    let czm = &s["GeoSharding20240805"]["properties"]["customZoneMapping"];
    assert_eq!(czm["type"], "object");
    assert_eq!(czm["additionalProperties"]["type"], "string");
    assert_eq!(czm["additionalProperties"]["pattern"], "^([a-f0-9]{24})$");
    let stage = &s["StreamsProcessor"]["properties"]["pipeline"]["items"];
    assert_eq!(stage["type"], "object");
    assert_eq!(stage["additionalProperties"], Value::Bool(true));
    // The ApiError shape.
    let err = &s["ApiError"];
    assert_eq!(err["required"], serde_json::json!(["error", "errorCode"]));
    let props: Vec<&String> = err["properties"]
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(
        props,
        vec![
            "badRequestDetail",
            "detail",
            "error",
            "errorCode",
            "parameters",
            "reason"
        ]
    );
    assert_eq!(err["properties"]["error"]["format"], "int32");
    assert_eq!(
        s["FieldViolation"]["required"],
        serde_json::json!(["description", "field"])
    );
    // `object | null`.
    assert_eq!(s["StreamConfig"]["nullable"], Value::Bool(true));
    // Fields shown only in the response of a shared request/response schema are readOnly.
    for (schema, prop) in [
        ("StreamsTenant", "_id"),
        ("StreamsTenant", "connections"),
        ("StreamsTenant", "groupId"),
        ("StreamsTenant", "hostnames"),
        ("StreamsTenant", "links"),
        ("StreamsProcessor", "_id"),
        ("PartitionFieldView", "fieldType"),
        ("ServerlessProviderSettings", "effectiveDiskSizeGBLimit"),
        ("ServerlessProviderSettings", "effectiveInstanceSizeName"),
        ("ServerlessProviderSettings", "effectiveProviderName"),
    ] {
        assert_eq!(
            s[schema]["properties"][prop]["readOnly"],
            Value::Bool(true),
            "{schema}.{prop}"
        );
    }
    // Reused named shapes.
    for (schema, prop, target) in [
        (
            "ServerlessInstanceDescriptionCreate",
            "providerSettings",
            "ServerlessProviderSettings",
        ),
        (
            "ServerlessInstanceDescription",
            "providerSettings",
            "ServerlessProviderSettings",
        ),
        (
            "ServerlessInstanceDescriptionCreate",
            "serverlessBackupOptions",
            "ServerlessBackupOptions",
        ),
        (
            "ServerlessInstanceDescription",
            "serverlessBackupOptions",
            "ServerlessBackupOptions",
        ),
        ("BackupOnlineArchiveCreate", "criteria", "CriteriaView"),
        ("BackupOnlineArchive", "criteria", "CriteriaView"),
        (
            "BackupOnlineArchiveCreate",
            "schedule",
            "OnlineArchiveSchedule",
        ),
        ("BackupOnlineArchive", "schedule", "OnlineArchiveSchedule"),
        (
            "BackupOnlineArchiveCreate",
            "dataProcessRegion",
            "CreateDataProcessRegionView",
        ),
        (
            "BackupOnlineArchive",
            "dataProcessRegion",
            "DataProcessRegionView",
        ),
        ("GroupRole", "groupRole", "GroupRoleName"),
    ] {
        assert_eq!(
            s[schema]["properties"][prop]["$ref"],
            schema_ref(target),
            "{schema}.{prop}"
        );
    }
    for (schema, prop, item) in [
        ("ServerlessInstanceDescriptionCreate", "tags", "ResourceTag"),
        ("ServerlessInstanceDescription", "tags", "ResourceTag"),
        (
            "FlexClusterDescriptionCreate20241113",
            "tags",
            "ResourceTag",
        ),
        ("FlexClusterDescription20241113", "tags", "ResourceTag"),
        (
            "BackupOnlineArchiveCreate",
            "partitionFields",
            "PartitionFieldView",
        ),
        (
            "BackupOnlineArchive",
            "partitionFields",
            "PartitionFieldView",
        ),
        ("StreamsTenant", "connections", "StreamsConnection"),
        (
            "OrganizationInvitationUpdateRequest",
            "roles",
            "OrgRoleName",
        ),
        ("OrganizationInvitation", "roles", "OrgRoleName"),
        ("GroupInvitationUpdateRequest", "roles", "GroupRoleName"),
        ("GroupInvitation", "roles", "GroupRoleName"),
        (
            "OrganizationInvitationGroupRoleAssignmentsRequest",
            "roles",
            "GroupRoleName",
        ),
    ] {
        assert_eq!(
            s[schema]["properties"][prop]["items"]["$ref"],
            schema_ref(item),
            "{schema}.{prop}[]"
        );
    }
    // Every `links` is a readOnly array of Link.
    let mut count = 0;
    for (name, schema) in s.as_object().into_iter().flatten() {
        if let Some(links) = schema["properties"].get("links") {
            count += 1;
            assert_eq!(links["type"], "array", "{name}.links");
            assert_eq!(links["readOnly"], Value::Bool(true), "{name}.links");
            assert_eq!(links["items"]["$ref"], schema_ref("Link"), "{name}.links");
        }
    }
    assert!(count >= 20, "links on {count} schemas");
}
