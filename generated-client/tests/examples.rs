//! Every request and response example documented in the spec decodes into its Rust type and
//! re-encodes to equal JSON; then what the server may send later, or leave out: unknown enum
//! values, unknown union tags, union objects without their tag, unknown fields, explicit
//! `null` next to absent fields, and date-times.
//!
//! The examples are read from the spec (`support::examples()`), never copied here, so an
//! example added to the spec is checked as soon as it exists, and fails until the table in
//! `codec_for` says which type it decodes into.

mod support;

use std::collections::BTreeSet;

use atlas_admin::models;
use chrono::{TimeZone as _, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};
use support::{
    decode, encode, examples, named_example, operation_ids, resolve, spec, Site, SpecExample,
};

// ------------------------------------------------------------------------ the table

/// The result of decoding JSON into a Rust type and encoding it again.
struct Decoded {
    /// `std::any::type_name` of the Rust type (its last segment is the schema name).
    type_name: &'static str,
    /// The re-encoded value.
    json: Value,
}

/// Decodes `value` as `T` (from JSON text, as the client does) and re-encodes it.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Decoded, String> {
    let text = serde_json::to_string(value).map_err(|e| e.to_string())?;
    let decoded: T = serde_json::from_str(&text).map_err(|e| format!("decode: {e}"))?;
    let json = serde_json::to_value(&decoded).map_err(|e| format!("encode: {e}"))?;
    Ok(Decoded {
        type_name: std::any::type_name::<T>(),
        json,
    })
}

/// Decodes-and-re-encodes with one Rust type.
type Codec = fn(&Value) -> Result<Decoded, String>;

/// Which Rust type the example at (operation, request | status) decodes into; `None` when
/// the table has no entry (a test fails on it).
fn codec_for(example: &SpecExample) -> Option<Codec> {
    let site = match &example.site {
        Site::Request => "request",
        Site::Response(status) => status.as_str(),
    };
    let codec: Codec = match (example.operation_id.as_str(), site) {
        ("createStreamInstance", "request") => round_trip::<models::StreamsTenant>,
        ("createStreamInstance", "200") => round_trip::<models::StreamsTenant>,
        ("listFlexBackups", "200") => {
            round_trip::<models::PaginatedApiAtlasFlexBackupSnapshot20241113View>
        }
        ("deleteAllCustomZoneMappings", "200") => round_trip::<models::GeoSharding20240805>,
        ("createOnlineArchive", "request") => round_trip::<models::BackupOnlineArchiveCreate>,
        ("createOnlineArchive", "200") => round_trip::<models::BackupOnlineArchive>,
        ("getOnlineArchive", "200") => round_trip::<models::BackupOnlineArchive>,
        ("updateOrganizationInvitation", "request") => {
            round_trip::<models::OrganizationInvitationUpdateRequest>
        }
        ("updateOrganizationInvitation", "200") => round_trip::<models::OrganizationInvitation>,
        ("getPrivateEndpoint", "200") => round_trip::<models::PrivateLinkEndpoint>,
        ("listApiKeyAccessListsEntries", "200") => {
            round_trip::<models::PaginatedApiUserAccessListResponseView>
        }
        ("updateProjectInvitationById", "request") => {
            round_trip::<models::GroupInvitationUpdateRequest>
        }
        ("updateProjectInvitationById", "200") => round_trip::<models::GroupInvitation>,
        ("createStreamProcessor", "request") => round_trip::<models::StreamsProcessor>,
        ("createStreamProcessor", "200") => round_trip::<models::StreamsProcessor>,
        ("createServerlessInstance", "request") => {
            round_trip::<models::ServerlessInstanceDescriptionCreate>
        }
        ("createServerlessInstance", "201") => round_trip::<models::ServerlessInstanceDescription>,
        ("createFlexCluster", "request") => {
            round_trip::<models::FlexClusterDescriptionCreate20241113>
        }
        ("createFlexCluster", "201") => round_trip::<models::FlexClusterDescription20241113>,
        // Every documented error answer carries the shared error body.
        (_, status) if status.starts_with('4') || status.starts_with('5') => {
            round_trip::<models::ApiError>
        }
        _ => return None,
    };
    Some(codec)
}

/// Decodes `example` with its table entry and checks the type against the spec's schema.
fn decode_example(example: &SpecExample, value: &Value) -> Result<Value, String> {
    let codec = codec_for(example).ok_or("no entry in the table of `codec_for`")?;
    let decoded = codec(value)?;
    let rust_name = decoded.type_name.rsplit("::").next().unwrap_or_default();
    match example.schema.as_deref() {
        Some(schema) if schema == rust_name => Ok(decoded.json),
        schema => Err(format!(
            "the table decodes it as {}, the spec's schema is {schema:?}",
            decoded.type_name
        )),
    }
}

#[test]
fn the_spec_documents_examples_for_every_operation() {
    let all = examples();
    let with_examples: BTreeSet<String> = all.iter().map(|e| e.operation_id.clone()).collect();
    assert_eq!(with_examples, operation_ids());
    // Request and success examples, not only the shared error bodies.
    assert!(all.iter().any(|e| e.site == Site::Request));
    assert!(all
        .iter()
        .any(|e| matches!(&e.site, Site::Response(s) if s.starts_with('2'))));
}

#[test]
fn every_documented_example_round_trips() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for example in examples() {
        checked += 1;
        match decode_example(&example, &example.value) {
            Ok(json) if json == example.value => {}
            Ok(json) => failures.push(format!(
                "{}: re-encodes differently\n  documented: {}\n  re-encoded: {json}",
                example.label(),
                example.value
            )),
            Err(e) => failures.push(format!("{}: {e}", example.label())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} examples fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ------------------------------------------------------------------ helpers for variants

/// The documented example of `operation_id`'s `site`, named `name`.
fn example(operation_id: &str, site: &str, name: &str) -> Value {
    let site = match site {
        "request" => Site::Request,
        status => Site::Response(status.to_owned()),
    };
    named_example(operation_id, &site, name).value
}

/// `doc` with the value at each JSON pointer replaced (the parent must exist).
fn with(mut doc: Value, changes: &[(&str, Value)]) -> Value {
    for (pointer, value) in changes {
        let (parent, key) = pointer.rsplit_once('/').expect("a pointer below the root");
        let parent = doc
            .pointer_mut(parent)
            .unwrap_or_else(|| panic!("{pointer}: no parent {parent}"));
        match parent {
            Value::Object(map) => {
                map.insert(key.to_owned(), value.clone());
            }
            Value::Array(items) if key == "-" => items.push(value.clone()),
            Value::Array(items) => {
                let index: usize = key.parse().expect("an array index");
                items[index] = value.clone();
            }
            other => panic!("{pointer}: the parent is {other}"),
        }
    }
    doc
}

/// Decodes `doc` as `T` (from text), asserts it re-encodes to `doc`, returns the value.
fn decodes_unchanged<T: DeserializeOwned + Serialize>(doc: &Value) -> T {
    let decoded: T = decode(doc);
    assert_eq!(
        &encode(&decoded),
        doc,
        "{} changes on the way",
        std::any::type_name::<T>()
    );
    decoded
}

/// Open enums and unions: whether a value is the catch-all variant.
trait Open {
    fn is_unknown(&self) -> bool;
}

macro_rules! open {
    ($($ty:ident),* $(,)?) => {$(
        impl Open for models::$ty {
            fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }
    )*};
}

open!(
    // string enums
    AwsDataProcessRegionViewRegion,
    AwsInterfaceEndpointConnectionStatus,
    BackupOnlineArchiveCollectionType,
    BackupOnlineArchiveCreateCollectionType,
    BackupOnlineArchiveState,
    CloudProvider,
    CreateAwsDataProcessRegionViewRegion,
    DateCriteriaViewDateFormat,
    DbRoleToExecuteType,
    FlexBackupSnapshot20241113Status,
    FlexProviderSettings20241113BackingProviderName,
    FlexProviderSettingsCreate20241113BackingProviderName,
    GroupRoleName,
    OrgRoleName,
    PartitionFieldViewFieldType,
    ServerlessConnectionStringsPrivateEndpointItemProviderName,
    ServerlessConnectionStringsPrivateEndpointListType,
    ServerlessInstanceDescriptionStateName,
    ServerlessProviderSettingsBackingProviderName,
    ServerlessProviderSettingsEffectiveInstanceSizeName,
    ServerlessProviderSettingsProviderName,
    StreamConfigTier,
    StreamsDataProcessRegionCloudProvider,
    StreamsDataProcessRegionRegion,
    // discriminated unions
    CreateDataProcessRegionView,
    CriteriaView,
    DataProcessRegionView,
    OnlineArchiveSchedule,
    PrivateLinkEndpoint,
    StreamsConnection,
);

// ------------------------------------------------------------------ unknown enum values

#[test]
fn unknown_enum_values_decode_as_unknown_and_re_encode_unchanged() {
    let archive = with(
        example("getOnlineArchive", "200", "default"),
        &[
            ("/dataProcessRegion/region", json!("AP_NORTHEAST_9")),
            ("/state", json!("ARCHIVING")),
            ("/collectionType", json!("CAPPED")),
            ("/partitionFields/0/fieldType", json!("decimal128")),
        ],
    );
    let decoded: models::BackupOnlineArchive = decodes_unchanged(&archive);
    assert_eq!(
        decoded.state,
        Some(models::BackupOnlineArchiveState::Unknown(
            "ARCHIVING".to_owned()
        ))
    );
    assert_eq!(
        decoded.collection_type,
        Some(models::BackupOnlineArchiveCollectionType::Unknown(
            "CAPPED".to_owned()
        ))
    );
    match &decoded.data_process_region {
        // The union is still known: only its region is new.
        Some(models::DataProcessRegionView::Aws(aws)) => assert_eq!(
            aws.region,
            Some(models::AwsDataProcessRegionViewRegion::Unknown(
                "AP_NORTHEAST_9".to_owned()
            ))
        ),
        other => panic!("expected the AWS region, got {other:?}"),
    }
    let field_type = &decoded.partition_fields.as_deref().unwrap_or_default()[0].field_type;
    assert_eq!(
        field_type,
        &Some(models::PartitionFieldViewFieldType::Unknown(
            "decimal128".to_owned()
        ))
    );

    let tenant = with(
        example("createStreamInstance", "200", "default"),
        &[
            ("/dataProcessRegion/region", json!("AP_NORTHEAST_9")),
            ("/dataProcessRegion/cloudProvider", json!("ORACLE")),
            ("/streamConfig/tier", json!("SP50")),
        ],
    );
    let decoded: models::StreamsTenant = decodes_unchanged(&tenant);
    let region = decoded.data_process_region.expect("dataProcessRegion");
    assert_eq!(
        region.region,
        models::StreamsDataProcessRegionRegion::Unknown("AP_NORTHEAST_9".to_owned())
    );
    assert_eq!(
        region.cloud_provider,
        models::StreamsDataProcessRegionCloudProvider::Unknown("ORACLE".to_owned())
    );
    assert_eq!(
        decoded.stream_config.flatten().and_then(|c| c.tier),
        Some(models::StreamConfigTier::Unknown("SP50".to_owned()))
    );

    let snapshots = with(
        example("listFlexBackups", "200", "default"),
        &[("/results/0/status", json!("EXPIRED"))],
    );
    let decoded: models::PaginatedApiAtlasFlexBackupSnapshot20241113View =
        decodes_unchanged(&snapshots);
    assert_eq!(
        decoded.results.unwrap_or_default()[0].status,
        Some(models::FlexBackupSnapshot20241113Status::Unknown(
            "EXPIRED".to_owned()
        ))
    );

    // A bare enum value, and its string API.
    let region: models::StreamsDataProcessRegionRegion =
        decodes_unchanged(&json!("AP_NORTHEAST_9"));
    assert!(region.is_unknown());
    assert_eq!(region.as_str(), "AP_NORTHEAST_9");
    assert_eq!(region.to_string(), "AP_NORTHEAST_9");
}

// ------------------------------------------------------------------ unknown union tags

/// Decodes `raw` as the union `T`, asserts the catch-all holds exactly the raw JSON and
/// that it re-encodes to the same bytes.
fn unknown_tag_round_trips<T: DeserializeOwned + Serialize + Open + std::fmt::Debug>(raw: &str) {
    let decoded: T = serde_json::from_str(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
    assert!(decoded.is_unknown(), "{raw} decoded as {decoded:?}");
    let expected: Value = serde_json::from_str(raw).expect("test JSON");
    assert_eq!(encode(&decoded), expected, "{raw}: JSON value");
    assert_eq!(
        serde_json::to_string(&decoded).expect("encode"),
        raw,
        "{raw}: re-encoded bytes"
    );
}

#[test]
fn unknown_union_tags_decode_as_unknown_and_re_encode_byte_for_byte() {
    // Written as a server sends them: compact, tag first, then the other fields.
    unknown_tag_round_trips::<models::StreamsConnection>(
        r#"{"type":"Bigtable","name":"bt0","instanceId":"projects/p/instances/i","links":[{"href":"https://cloud.mongodb.com/api/atlas","rel":"self"}],"appProfile":null}"#,
    );
    unknown_tag_round_trips::<models::PrivateLinkEndpoint>(
        r#"{"cloudProvider":"ORACLE","status":"AVAILABLE","errorMessage":null,"deleteRequested":false,"privateEndpointOcid":"ocid1.privateendpoint.oc1..x"}"#,
    );
    unknown_tag_round_trips::<models::CriteriaView>(
        r#"{"type":"AGE","olderThanDays":30,"field":"createdAt"}"#,
    );
    unknown_tag_round_trips::<models::OnlineArchiveSchedule>(r#"{"type":"HOURLY","minute":5}"#);
    unknown_tag_round_trips::<models::DataProcessRegionView>(
        r#"{"cloudProvider":"ORACLE","region":"US_ASHBURN_1"}"#,
    );
    unknown_tag_round_trips::<models::CreateDataProcessRegionView>(
        r#"{"cloudProvider":"ORACLE","region":"US_ASHBURN_1"}"#,
    );
}

#[test]
fn unknown_union_tags_inside_documents_are_kept() {
    let bigtable = json!({
        "type": "Bigtable",
        "name": "bt0",
        "instanceId": "projects/p/instances/i",
        "options": {"appProfile": "default", "retries": [1, 2, 3]},
    });
    let tenant = with(
        example("createStreamInstance", "200", "default"),
        &[("/connections/-", bigtable.clone())],
    );
    let decoded: models::StreamsTenant = decodes_unchanged(&tenant);
    let connections = decoded.connections.expect("connections");
    assert!(
        matches!(&connections[0], models::StreamsConnection::Cluster(_)),
        "{:?}",
        connections[0]
    );
    assert_eq!(connections[1], models::StreamsConnection::Unknown(bigtable));
    assert_eq!(connections[1].tag(), Some("Bigtable"));

    let oracle = with(
        example("getPrivateEndpoint", "200", "awsInterfaceEndpoint"),
        &[("/cloudProvider", json!("ORACLE"))],
    );
    let decoded: models::PrivateLinkEndpoint = decodes_unchanged(&oracle);
    assert_eq!(decoded, models::PrivateLinkEndpoint::Unknown(oracle));
}

#[test]
fn union_objects_without_their_tag_decode_into_the_fallback() {
    let archive = with(
        example("getOnlineArchive", "200", "default"),
        &[
            ("/schedule", json!({})),
            ("/criteria", json!({"query": "{\"status\": \"archived\"}"})),
            ("/dataProcessRegion", json!({"region": "US_EAST_1"})),
        ],
    );
    let decoded: models::BackupOnlineArchive = decodes_unchanged(&archive);
    assert_eq!(
        decoded.schedule,
        Some(models::OnlineArchiveSchedule::Unknown(json!({})))
    );
    assert_eq!(
        decoded.criteria,
        Some(models::CriteriaView::Unknown(
            json!({"query": "{\"status\": \"archived\"}"})
        ))
    );
    assert_eq!(
        decoded.data_process_region,
        Some(models::DataProcessRegionView::Unknown(
            json!({"region": "US_EAST_1"})
        ))
    );
    assert_eq!(decoded.criteria.as_ref().and_then(|c| c.tag()), None);
    // The rest of the document is still typed.
    assert_eq!(
        decoded.state,
        Some(models::BackupOnlineArchiveState::Pending)
    );

    // A tag that is not a string is no known tag either.
    let archive = with(
        example("createOnlineArchive", "request", "default"),
        &[("/schedule", json!({"type": 7, "startHour": 1}))],
    );
    let decoded: models::BackupOnlineArchiveCreate = decodes_unchanged(&archive);
    assert!(decoded.schedule.as_ref().is_some_and(Open::is_unknown));

    let tenant = with(
        example("createStreamInstance", "200", "default"),
        &[("/connections/0", json!({"name": "untagged"}))],
    );
    let decoded: models::StreamsTenant = decodes_unchanged(&tenant);
    assert_eq!(
        decoded.connections.unwrap_or_default(),
        vec![models::StreamsConnection::Unknown(
            json!({"name": "untagged"})
        )]
    );
}

// -------------------------------------------------------------------- unknown fields

const EXTRA: &str = "fieldAddedLater";

/// Adds `"fieldAddedLater": "x"` to every object in `value`, at every depth. A string
/// value, so that it is also a valid extra entry of the spec's string maps.
fn add_extra_fields(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.values_mut().for_each(add_extra_fields);
            map.insert(EXTRA.to_owned(), json!("x"));
        }
        Value::Array(items) => items.iter_mut().for_each(add_extra_fields),
        _ => {}
    }
}

/// Removes what [`add_extra_fields`] added (maps and free-form objects keep it).
fn remove_extra_fields(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.remove(EXTRA);
            map.values_mut().for_each(remove_extra_fields);
        }
        Value::Array(items) => items.iter_mut().for_each(remove_extra_fields),
        _ => {}
    }
}

#[test]
fn unknown_fields_at_every_depth_of_every_example_are_ignored() {
    let mut failures = Vec::new();
    for example in examples() {
        let mut extended = example.value.clone();
        add_extra_fields(&mut extended);
        match decode_example(&example, &extended) {
            Ok(mut json) => {
                remove_extra_fields(&mut json);
                if json != example.value {
                    failures.push(format!("{}: re-encodes as {json}", example.label()));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", example.label())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unknown_fields_of_any_json_type_leave_known_variants_known() {
    let extra = json!({"nested": {"deep": [1, 2.5, null, true, "s", {"k": []}]}});
    let documented = example("getOnlineArchive", "200", "default");
    let extended = with(
        documented.clone(),
        &[
            ("/newTopLevel", extra.clone()),
            ("/criteria/newInCriteria", extra.clone()),
            ("/schedule/newInSchedule", json!(null)),
            ("/dataProcessRegion/newInRegion", json!(12)),
            ("/partitionFields/0/newInPartition", json!([])),
        ],
    );
    let decoded: models::BackupOnlineArchive = decode(&extended);
    assert_eq!(encode(&decoded), documented);
    assert!(matches!(
        decoded.criteria,
        Some(models::CriteriaView::Custom(_))
    ));
    assert!(matches!(
        decoded.schedule,
        Some(models::OnlineArchiveSchedule::Daily(_))
    ));
    assert!(matches!(
        decoded.data_process_region,
        Some(models::DataProcessRegionView::Aws(_))
    ));
}

// ------------------------------------------------------------ absent vs explicit null

#[test]
fn nullable_optional_field_keeps_absent_and_null_apart_in_a_struct() {
    // `StreamsTenant.streamConfig` is optional and nullable: `Option<Option<StreamConfig>>`.
    let documented = example("createStreamInstance", "request", "default");
    let mut absent = documented.clone();
    absent
        .as_object_mut()
        .expect("object")
        .remove("streamConfig");
    let null = with(documented.clone(), &[("/streamConfig", Value::Null)]);

    let decoded: models::StreamsTenant = decodes_unchanged(&absent);
    assert_eq!(decoded.stream_config, None);
    let decoded: models::StreamsTenant = decodes_unchanged(&null);
    assert_eq!(decoded.stream_config, Some(None));
    let decoded: models::StreamsTenant = decodes_unchanged(&documented);
    assert!(matches!(decoded.stream_config, Some(Some(_))));

    // Rust → JSON: `None` leaves the property out, `Some(None)` sends `null` (a PATCH
    // can clear a value).
    let mut tenant = decoded;
    tenant.stream_config = None;
    assert_eq!(encode(&tenant), absent);
    assert!(!serde_json::to_string(&tenant)
        .unwrap()
        .contains("streamConfig"));
    tenant.stream_config = Some(None);
    assert_eq!(encode(&tenant), null);
    assert!(serde_json::to_string(&tenant)
        .unwrap()
        .contains(r#""streamConfig":null"#));
}

#[test]
fn nullable_optional_field_keeps_absent_and_null_apart_in_union_variants() {
    // `errorMessage` ("null if the request succeeded") of each private endpoint shape.
    for name in [
        "awsInterfaceEndpoint",
        "azurePrivateEndpoint",
        "gcpEndpointGroup",
    ] {
        let documented = example("getPrivateEndpoint", "200", name);
        let mut absent = documented.clone();
        absent
            .as_object_mut()
            .expect("object")
            .remove("errorMessage");
        let null = with(documented.clone(), &[("/errorMessage", Value::Null)]);

        let error_message = |endpoint: &models::PrivateLinkEndpoint| match endpoint {
            models::PrivateLinkEndpoint::Aws(v) => v.error_message.clone(),
            models::PrivateLinkEndpoint::Azure(v) => v.error_message.clone(),
            models::PrivateLinkEndpoint::Gcp(v) => v.error_message.clone(),
            other => panic!("{name}: a known variant expected, got {other:?}"),
        };
        let decoded: models::PrivateLinkEndpoint = decodes_unchanged(&absent);
        assert_eq!(error_message(&decoded), None, "{name}");
        let decoded: models::PrivateLinkEndpoint = decodes_unchanged(&null);
        assert_eq!(error_message(&decoded), Some(None), "{name}");
        let decoded: models::PrivateLinkEndpoint = decodes_unchanged(&documented);
        assert_eq!(
            error_message(&decoded),
            Some(Some("string".to_owned())),
            "{name}"
        );
    }

    // Rust → JSON through the union's tagged encoding.
    let mut aws = models::AwsInterfaceEndpoint::new();
    assert_eq!(
        encode(&models::PrivateLinkEndpoint::Aws(aws.clone())),
        json!({"cloudProvider": "AWS"})
    );
    aws.error_message = Some(None);
    assert_eq!(
        encode(&models::PrivateLinkEndpoint::Aws(aws)),
        json!({"cloudProvider": "AWS", "errorMessage": null})
    );
}

// -------------------------------------------------------------------------- date-times

#[test]
fn date_times_round_trip() {
    let doc = json!({
        "expiration": "2025-05-04T09:42:00Z",
        "finishTime": "2025-05-04T09:42:00.123Z",
        "scheduledTime": "2024-02-29T23:59:59.999999Z",
        "startTime": "1970-01-01T00:00:00Z",
    });
    let snapshot: models::FlexBackupSnapshot20241113 = decodes_unchanged(&doc);
    assert_eq!(
        snapshot.expiration,
        Some(Utc.with_ymd_and_hms(2025, 5, 4, 9, 42, 0).unwrap())
    );
    assert_eq!(
        snapshot.finish_time,
        Some(
            Utc.with_ymd_and_hms(2025, 5, 4, 9, 42, 0).unwrap()
                + chrono::Duration::milliseconds(123)
        )
    );
    assert_eq!(
        snapshot.scheduled_time,
        Some(
            Utc.with_ymd_and_hms(2024, 2, 29, 23, 59, 59).unwrap()
                + chrono::Duration::microseconds(999_999)
        )
    );
    assert_eq!(snapshot.start_time, Some(chrono::DateTime::UNIX_EPOCH));

    // An offset is the same instant (re-encoded in UTC).
    let offset: models::FlexBackupSnapshot20241113 =
        decode(&json!({"startTime": "2025-05-04T11:42:00+02:00"}));
    assert_eq!(
        offset.start_time,
        Some(Utc.with_ymd_and_hms(2025, 5, 4, 9, 42, 0).unwrap())
    );
    assert_eq!(
        encode(&offset),
        json!({"startTime": "2025-05-04T09:42:00Z"})
    );

    // Not a date-time: a decode error, not a silent default.
    for bad in ["2025-13-01T00:00:00Z", "yesterday", ""] {
        let result =
            serde_json::from_value::<models::FlexBackupSnapshot20241113>(json!({"startTime": bad}));
        assert!(result.is_err(), "{bad:?} decoded: {result:?}");
    }

    // Every documented date-time field is typed, not kept as a string.
    let page: models::PaginatedApiUserAccessListResponseView =
        decode(&example("listApiKeyAccessListsEntries", "200", "default"));
    let entry = &page.results.unwrap_or_default()[0];
    assert_eq!(
        entry.last_used,
        Some(Utc.with_ymd_and_hms(2025, 5, 4, 9, 42, 0).unwrap())
    );
}

// ------------------------------------------------------------- known values stay known

/// Checks one documented enum value with the Rust enum `T`: known, and unchanged.
fn known_enum<T: DeserializeOwned + Serialize + Open + std::fmt::Debug>(
    value: &str,
) -> Result<(), String> {
    let decoded: T = serde_json::from_value(json!(value)).map_err(|e| e.to_string())?;
    if decoded.is_unknown() {
        return Err(format!("{value:?} decodes as {decoded:?}"));
    }
    let json = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
    if json != json!(value) {
        return Err(format!("{value:?} re-encodes as {json}"));
    }
    Ok(())
}

type EnumCheck = fn(&str) -> Result<(), String>;

/// Every string enum of the spec (by JSON pointer) and its Rust type. Union tag properties
/// are not enums in Rust (the union writes them).
const ENUMS: [(&str, EnumCheck); 24] = [
    (
        "/components/schemas/AWSDataProcessRegionView/properties/region",
        known_enum::<models::AwsDataProcessRegionViewRegion>,
    ),
    (
        "/components/schemas/AWSInterfaceEndpoint/properties/connectionStatus",
        known_enum::<models::AwsInterfaceEndpointConnectionStatus>,
    ),
    (
        "/components/schemas/BackupOnlineArchive/properties/collectionType",
        known_enum::<models::BackupOnlineArchiveCollectionType>,
    ),
    (
        "/components/schemas/BackupOnlineArchive/properties/state",
        known_enum::<models::BackupOnlineArchiveState>,
    ),
    (
        "/components/schemas/BackupOnlineArchiveCreate/properties/collectionType",
        known_enum::<models::BackupOnlineArchiveCreateCollectionType>,
    ),
    (
        "/components/schemas/CloudProvider",
        known_enum::<models::CloudProvider>,
    ),
    (
        "/components/schemas/CreateAWSDataProcessRegionView/properties/region",
        known_enum::<models::CreateAwsDataProcessRegionViewRegion>,
    ),
    (
        "/components/schemas/DateCriteriaView/properties/dateFormat",
        known_enum::<models::DateCriteriaViewDateFormat>,
    ),
    (
        "/components/schemas/DBRoleToExecute/properties/type",
        known_enum::<models::DbRoleToExecuteType>,
    ),
    (
        "/components/schemas/FlexBackupSnapshot20241113/properties/status",
        known_enum::<models::FlexBackupSnapshot20241113Status>,
    ),
    (
        "/components/schemas/FlexProviderSettings20241113/properties/backingProviderName",
        known_enum::<models::FlexProviderSettings20241113BackingProviderName>,
    ),
    (
        "/components/schemas/FlexProviderSettingsCreate20241113/properties/backingProviderName",
        known_enum::<models::FlexProviderSettingsCreate20241113BackingProviderName>,
    ),
    (
        "/components/schemas/GroupRoleName",
        known_enum::<models::GroupRoleName>,
    ),
    (
        "/components/schemas/OrgRoleName",
        known_enum::<models::OrgRoleName>,
    ),
    (
        "/components/schemas/PartitionFieldView/properties/fieldType",
        known_enum::<models::PartitionFieldViewFieldType>,
    ),
    (
        "/components/schemas/ServerlessConnectionStringsPrivateEndpointItem/properties/providerName",
        known_enum::<models::ServerlessConnectionStringsPrivateEndpointItemProviderName>,
    ),
    (
        "/components/schemas/ServerlessConnectionStringsPrivateEndpointList/properties/type",
        known_enum::<models::ServerlessConnectionStringsPrivateEndpointListType>,
    ),
    (
        "/components/schemas/ServerlessInstanceDescription/properties/stateName",
        known_enum::<models::ServerlessInstanceDescriptionStateName>,
    ),
    (
        "/components/schemas/ServerlessProviderSettings/properties/backingProviderName",
        known_enum::<models::ServerlessProviderSettingsBackingProviderName>,
    ),
    (
        "/components/schemas/ServerlessProviderSettings/properties/effectiveInstanceSizeName",
        known_enum::<models::ServerlessProviderSettingsEffectiveInstanceSizeName>,
    ),
    (
        "/components/schemas/ServerlessProviderSettings/properties/providerName",
        known_enum::<models::ServerlessProviderSettingsProviderName>,
    ),
    (
        "/components/schemas/StreamConfig/properties/tier",
        known_enum::<models::StreamConfigTier>,
    ),
    (
        "/components/schemas/StreamsDataProcessRegion/properties/cloudProvider",
        known_enum::<models::StreamsDataProcessRegionCloudProvider>,
    ),
    (
        "/components/schemas/StreamsDataProcessRegion/properties/region",
        known_enum::<models::StreamsDataProcessRegionRegion>,
    ),
];

/// Every discriminated union of the spec (by schema name) and its checker.
const UNIONS: [(&str, UnionCheck); 6] = [
    (
        "CreateDataProcessRegionView",
        known_variant::<models::CreateDataProcessRegionView>,
    ),
    ("CriteriaView", known_variant::<models::CriteriaView>),
    (
        "DataProcessRegionView",
        known_variant::<models::DataProcessRegionView>,
    ),
    (
        "OnlineArchiveSchedule",
        known_variant::<models::OnlineArchiveSchedule>,
    ),
    (
        "PrivateLinkEndpoint",
        known_variant::<models::PrivateLinkEndpoint>,
    ),
    (
        "StreamsConnection",
        known_variant::<models::StreamsConnection>,
    ),
];

/// JSON pointers (without `#`) of every `enum` in the spec.
fn spec_enum_pointers(value: &Value, pointer: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if map.get("enum").is_some_and(Value::is_array) {
                out.push(pointer.to_owned());
            }
            for (key, child) in map {
                let key = key.replace('~', "~0").replace('/', "~1");
                spec_enum_pointers(child, &format!("{pointer}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                spec_enum_pointers(child, &format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// One discriminated union of the spec.
struct SpecUnion {
    /// The union's schema name.
    name: String,
    /// The discriminator property.
    tag_property: String,
    /// Tag value → (variant schema name, variant schema), in mapping order.
    variants: Vec<(String, String, &'static Value)>,
}

/// The discriminated unions of the spec.
fn spec_unions() -> Vec<SpecUnion> {
    let schemas = spec()["components"]["schemas"]
        .as_object()
        .expect("schemas");
    schemas
        .iter()
        .filter_map(|(name, schema)| {
            let discriminator = schema.get("discriminator")?;
            let tag_property = discriminator["propertyName"]
                .as_str()
                .expect("propertyName");
            let variants = discriminator["mapping"]
                .as_object()
                .expect("the spec's unions have a mapping")
                .iter()
                .map(|(tag, target)| {
                    let target = target.as_str().expect("a mapping target is a $ref");
                    let variant = target
                        .strip_prefix("#/components/schemas/")
                        .expect("a mapping target is a component schema");
                    let schema = &spec()["components"]["schemas"][variant];
                    assert!(schema.is_object(), "{name}: no schema {variant}");
                    (tag.clone(), variant.to_owned(), schema)
                })
                .collect();
            Some(SpecUnion {
                name: name.clone(),
                tag_property: tag_property.to_owned(),
                variants,
            })
        })
        .collect()
}

#[test]
fn every_documented_enum_value_decodes_as_known_and_re_encodes_unchanged() {
    // Union tag properties (`type` of CustomCriteriaView, …) are written by the union.
    let tag_properties: BTreeSet<String> = spec_unions()
        .iter()
        .flat_map(|union| {
            union.variants.iter().map(|(_, variant, _)| {
                format!(
                    "/components/schemas/{variant}/properties/{}",
                    union.tag_property
                )
            })
        })
        .collect();
    let mut in_spec = Vec::new();
    spec_enum_pointers(spec(), "", &mut in_spec);
    let in_spec: BTreeSet<String> = in_spec
        .into_iter()
        .filter(|p| !tag_properties.contains(p))
        .collect();
    let in_table: BTreeSet<String> = ENUMS.iter().map(|(p, _)| (*p).to_owned()).collect();
    assert_eq!(in_spec, in_table, "ENUMS must list every enum of the spec");

    let mut failures = Vec::new();
    let mut checked = 0;
    for (pointer, check) in ENUMS {
        let values = spec().pointer(pointer).expect("pointer")["enum"]
            .as_array()
            .expect("enum");
        for value in values {
            checked += 1;
            let value = value.as_str().expect("string enum value");
            if let Err(e) = check(value) {
                failures.push(format!("{pointer}: {e}"));
            }
        }
    }
    assert!(checked > 100, "only {checked} values checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

type UnionCheck = fn(&Value, &str) -> Result<(), String>;

/// Checks one object of a known union variant: decodes as that variant (not the fallback),
/// reports its tag, and re-encodes unchanged.
fn known_variant<T: DeserializeOwned + Serialize + Open + UnionTag + std::fmt::Debug>(
    object: &Value,
    tag: &str,
) -> Result<(), String> {
    let decoded: T = serde_json::from_value(object.clone()).map_err(|e| e.to_string())?;
    if decoded.is_unknown() {
        return Err(format!("{object} decodes as the fallback"));
    }
    if decoded.union_tag() != Some(tag) {
        return Err(format!("{object}: tag() is {:?}", decoded.union_tag()));
    }
    let json = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
    if &json != object {
        return Err(format!("{object} re-encodes as {json}"));
    }
    Ok(())
}

/// The unions' `tag()` accessor, for the generic checker.
trait UnionTag {
    fn union_tag(&self) -> Option<&str>;
}

macro_rules! union_tag {
    ($($ty:ident),* $(,)?) => {$(
        impl UnionTag for models::$ty {
            fn union_tag(&self) -> Option<&str> {
                self.tag()
            }
        }
    )*};
}

union_tag!(
    CreateDataProcessRegionView,
    CriteriaView,
    DataProcessRegionView,
    OnlineArchiveSchedule,
    PrivateLinkEndpoint,
    StreamsConnection,
);

/// An object of a union variant: the tag, plus a sample value for each scalar property of
/// the variant's schema (the first value of an enum, the minimum of a range).
fn sample_variant(tag_property: &str, tag: &str, schema: &Value) -> Value {
    let mut object = Map::new();
    object.insert(tag_property.to_owned(), json!(tag));
    let properties = schema["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    for (name, property) in &properties {
        if name == tag_property {
            continue;
        }
        let property = resolve(property);
        let sample = match property["type"].as_str() {
            Some("string") => match property.get("enum").and_then(|e| e.get(0)) {
                Some(first) => first.clone(),
                None if property["format"] == "date-time" => json!("2025-05-04T09:42:00Z"),
                None => json!(format!("{name}-sample")),
            },
            Some("integer") => json!(property["minimum"].as_i64().unwrap_or(1)),
            Some("number") => json!(1.5),
            Some("boolean") => json!(true),
            // Arrays and objects are covered by the documented examples.
            _ => continue,
        };
        object.insert(name.clone(), sample);
    }
    Value::Object(object)
}

#[test]
fn every_known_union_tag_decodes_as_its_variant_and_re_encodes_unchanged() {
    let unions = spec_unions();
    let in_spec: BTreeSet<&str> = unions.iter().map(|u| u.name.as_str()).collect();
    let in_table: BTreeSet<&str> = UNIONS.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        in_spec, in_table,
        "UNIONS must list every union of the spec"
    );

    let mut failures = Vec::new();
    let mut checked = 0;
    for union in &unions {
        let (_, check) = UNIONS
            .iter()
            .find(|(name, _)| *name == union.name)
            .expect("checked above");
        for (tag, _, schema) in &union.variants {
            checked += 1;
            let object = sample_variant(&union.tag_property, tag, schema);
            if let Err(e) = check(&object, tag) {
                failures.push(format!("{} {tag}: {e}", union.name));
            }
        }
    }
    assert!(
        checked >= 2 * unions.len(),
        "only {checked} variants checked"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
