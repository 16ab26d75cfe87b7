//! Contract test against an independent OpenAPI mock server: Stoplight Prism serving
//! `spec/atlas-admin-v2.yaml`.
//!
//! Prism validates every request against the spec (path, query, headers, security, body)
//! and reports each violation in an `sl-violations` response header; an invalid request
//! is answered with an error status (the spec's 400/401 example, or a 422
//! `application/problem+json`). Its responses are the spec's examples (static mode) or
//! random data generated from the schemas (dynamic mode). This file drives all 13
//! operations through the public client API against it and fails on:
//! - any violation Prism reports (any `sl-violations` header, any non-2xx answer — the
//!   failure shows Prism's answer and its violations);
//! - any response the client cannot decode (the error shows the JSON path and an excerpt);
//! - (static mode) a decoded response that does not re-encode to the spec's example, or
//!   that needed an `Unknown` fallback although every value in it is documented.
//!
//! Two Prism instances, one per test function, each owned by that test (started once,
//! killed when the test ends, even when it fails):
//! - `static_examples`: `prism mock --errors`. Every operation with realistic arguments
//!   and every optional parameter, every named 2xx example (`Prefer: example=…`), every
//!   version of the versioned operation, several request-body union variants, and a
//!   paginated stream. `--errors` also turns a spec example that violates its own schema
//!   into a 500, which fails the test.
//! - `dynamic_responses`: `prism mock --dynamic`. Every operation [`DYNAMIC_ITERATIONS`]
//!   times; each random response must decode. This instance runs without `--errors`
//!   on purpose: request validation is the same either way (an invalid request gets an
//!   error status), but with `--errors` Prism replaces a generated body that breaks the
//!   spec by a 500 — the client could then neither decode it nor show the full violation
//!   list. Without it, the body still reaches the decoder and the violations still
//!   arrive in `sl-violations`, where the test checks them: a request-side violation
//!   fails the test, and so does any response-side one except the [`GENERATOR_DEFECTS`]
//!   (patterns Prism's generator cannot produce — see there).
//!
//! Both tests first check that the oracle is awake: a request without credentials, one
//! with an invalid path parameter and one with an invalid body must be flagged by Prism.
//!
//! Authentication: the spec offers Digest or OAuth2 (client credentials). Prism accepts
//! the OAuth2 scheme with any `Authorization: Bearer …`, so the tests use
//! `Credentials::bearer`. Prism 5.16's Digest check cannot be satisfied by a real RFC 7616
//! answer (every space-separated part must contain a quoted `[a-z0-9]*` value, which
//! `uri="/api/…"` never is), and its token endpoint is not part of the spec, so the other
//! two credential kinds are exercised elsewhere (Apache httpd, wiremock).
//!
//! Prism comes from `.ci/setup.sh` (`.ci/work/node_modules/.bin/prism`, or `$PRISM_BIN`);
//! when it is missing the tests fail rather than skip. Run with
//! `cargo test -p atlas-admin --test contract_prism` (add `-- --nocapture` for the
//! per-operation summary). `PRISM_STARTUP_TIMEOUT_SECS` (default 60) bounds Prism's
//! startup; its log is kept in the target's tmp dir when a test fails.

#![cfg(unix)]
#![allow(
    deprecated,
    reason = "the contract covers the deprecated operations too"
)]

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::{Debug, Write as _};
use std::fs::File;
use std::future::Future;
use std::io::Read as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use atlas_admin::builders::DeleteAllCustomZoneMappingsVersion;
use atlas_admin::{models, Client, Credentials, Error, Response, RetryPolicy};
use futures::TryStreamExt as _;
use reqwest::header::{HeaderMap, HeaderValue};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Random responses per operation in dynamic mode.
const DYNAMIC_ITERATIONS: usize = 30;

/// Realistic arguments: 24-hex ids and names that match the spec's patterns.
const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
const ORG_ID: &str = "5f4d3c2b1a09f8e7d6c5b4a3";
const ARCHIVE_ID: &str = "6a1b2c3d4e5f60718293a4b5";
const INVITATION_ID: &str = "0123456789abcdef01234567";
const API_USER_ID: &str = "89abcdef0123456789abcdef";
const ENDPOINT_SERVICE_ID: &str = "5e2f3a4b5c6d7e8f9a0b1c2d";
const AWS_ENDPOINT_ID: &str = "vpce-0a1b2c3d4e5f67890";
/// The raw Azure private endpoint id: the client encodes it once (`/` → `%2F`).
const AZURE_ENDPOINT_ID: &str = "/subscriptions/cba6d9c6-1d3f-3c11-03cb-c705d895e636/resourceGroups/rg-atlas/providers/Microsoft.Network/privateEndpoints/pe-atlas-1";
const CLUSTER_NAME: &str = "Cluster0";
const FLEX_NAME: &str = "flex0";
const TENANT_NAME: &str = "tenant0";
const PROCESSOR_NAME: &str = "processor0";

/// The 13 operations, in spec order.
const OPERATIONS: [&str; 13] = [
    "createStreamInstance",
    "startStreamProcessor",
    "listFlexBackups",
    "deleteAllCustomZoneMappings",
    "createOnlineArchive",
    "getOnlineArchive",
    "updateOrganizationInvitation",
    "getPrivateEndpoint",
    "listApiKeyAccessListsEntries",
    "updateProjectInvitationById",
    "createStreamProcessor",
    "createServerlessInstance",
    "createFlexCluster",
];

/// Response-side violations that Prism's own data generator produces (investigated with
/// Prism 5.16.0 and the json-schema-faker 0.5.8 / randexp it bundles; 1000 samples each):
/// - the `ipAddress` pattern relies on a look-ahead, `(\.(?!$)|$)`; randexp ignores
///   look-aheads and `$`, so each of the four octets ends with `.` or nothing at random
///   (`"254.2508252"`, `"251.209.25132."`): ~46 % of the values break the pattern;
/// - the `groupName`/`orgName` pattern uses the Unicode classes `\p{L}`/`\p{N}`; randexp
///   reads them as the literal characters `p`, `{`, `L`, `N`, `}`, and `{`/`}` are not
///   allowed (`"N,,+)}+},-,:)_"`): ~88 % of the values break the pattern.
///
/// The spec is right (these are the documented patterns) and the client does not check
/// response patterns, so such bodies must still decode; the violations are counted, not
/// failed. Anything else Prism reports fails the test.
const GENERATOR_DEFECTS: [GeneratorDefect; 3] = [
    GeneratorDefect {
        operation: "listApiKeyAccessListsEntries",
        location: "response.body.results.#.ipAddress",
        pattern: r"^((25[0-5]|(2[0-4]|1\d|[1-9]|)\d)(\.(?!$)|$)){4}|([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$",
    },
    GeneratorDefect {
        operation: "updateOrganizationInvitation",
        location: "response.body.orgName",
        pattern: r"^[\p{L}\p{N}\-_.(),:&@+']{1,64}$",
    },
    GeneratorDefect {
        operation: "updateProjectInvitationById",
        location: "response.body.groupName",
        pattern: r"^[\p{L}\p{N}\-_.(),:&@+']{1,64}$",
    },
];

struct GeneratorDefect {
    operation: &'static str,
    /// Dot-joined violation location, array indices written `#`.
    location: &'static str,
    pattern: &'static str,
}

// ------------------------------------------------------------------------------------
// The tests

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn static_examples() {
    let prism = Prism::start(Mode::Static).await;
    let started = Instant::now();
    let mut report = Report::default();
    oracle_is_awake(&prism, &mut report).await;

    let client = client(&prism.url, Credentials::bearer("test-token"), None);
    for op in OPERATIONS {
        // Every named example of the operation's success response, chosen with Prism's
        // `Prefer: example=…` header; an operation without examples gets Prism's own.
        let examples = success_examples(op);
        if examples.is_empty() {
            let answer = call(&client, op).await;
            report.check_static(op, None, answer);
        }
        for (name, example) in examples {
            let client = client_preferring(&prism.url, &format!("example={name}"));
            let answer = call(&client, op).await;
            report.check_static(&format!("{op} (example {name})"), Some(&example), answer);
        }
    }

    // Every version of the versioned operation (Accept differs). The two deprecated
    // versions have no example; Prism's static fallback for them (json-schema-sampler)
    // writes "string" for every string and so breaks the schema's own key-value pattern
    // (`customZoneMapping.*` must be 24-hex): their answer is generated instead, which
    // honours patterns and is still checked by `--errors`.
    for (version, prefer) in [
        (
            DeleteAllCustomZoneMappingsVersion::V2023_01_01,
            "dynamic=true",
        ),
        (
            DeleteAllCustomZoneMappingsVersion::V2023_02_01,
            "dynamic=true",
        ),
        (
            DeleteAllCustomZoneMappingsVersion::V2024_08_05,
            "example=default",
        ),
    ] {
        let answer = client_preferring(&prism.url, prefer)
            .delete_all_custom_zone_mappings(GROUP_ID, CLUSTER_NAME)
            .version(version)
            .pretty(false)
            .send_with_response()
            .await
            .map(Answer::new);
        let example = (prefer == "example=default")
            .then(|| success_examples("deleteAllCustomZoneMappings").remove(0).1);
        report.check_static(
            &format!("deleteAllCustomZoneMappings ({})", version.media_type()),
            example.as_ref(),
            answer,
        );
    }

    // Request-body unions: every documented variant of criteria, schedule and region.
    for (label, body) in online_archive_variants() {
        let answer = client
            .create_online_archive(GROUP_ID, CLUSTER_NAME, body)
            .pretty(true)
            .send_with_response()
            .await
            .map(Answer::new);
        let example = success_examples("createOnlineArchive").remove(0).1;
        report.check_static(
            &format!("createOnlineArchive ({label})"),
            Some(&example),
            answer,
        );
    }

    // Pagination: the stream's page requests (pageNum, itemsPerPage) are valid and every
    // page decodes. Prism answers each page with the one-item example whose totalCount is
    // 42, so how many pages the stream fetches is the pagination rule's business (tested
    // in tests/pagination.rs); here every item must be the example's and the stream must
    // stop by totalCount.
    let (name, example) = success_examples("listFlexBackups").remove(0);
    let items: Result<Vec<_>, _> = client_preferring(&prism.url, &format!("example={name}"))
        .list_flex_backups(GROUP_ID, FLEX_NAME)
        .items_per_page(100)
        .into_stream()
        .try_collect()
        .await;
    report.calls += 1;
    match items {
        Ok(items) => {
            let total = example["totalCount"].as_u64().unwrap_or(u64::MAX);
            let item = &example["results"][0];
            let all_examples = items
                .iter()
                .all(|i| &serde_json::to_value(i).expect("re-encode") == item);
            if items.is_empty() || items.len() as u64 > total || !all_examples {
                report.fail(format!(
                    "listFlexBackups into_stream: {} items (totalCount {total}), each should \
                     be the example's item: {}",
                    items.len(),
                    serde_json::to_string(&items).expect("re-encode")
                ));
            }
        }
        Err(e) => report.fail(format!("listFlexBackups into_stream: {e}")),
    }

    azure_endpoint_id_divergence(&client, &mut report).await;

    report.finish("static", &prism, started);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamic_responses() {
    let prism = Prism::start(Mode::Dynamic).await;
    let started = Instant::now();
    let mut report = Report::default();
    oracle_is_awake(&prism, &mut report).await;

    let client = client(&prism.url, Credentials::bearer("test-token"), None);
    // Prism 5.16 cannot generate a dynamic answer for a media type without a schema
    // (startStreamProcessor's empty 200): it answers 500 "schema is not defined". That
    // one call asks for the static answer instead.
    let static_client = client_preferring(&prism.url, "dynamic=false");
    for op in OPERATIONS {
        let client = if op == "startStreamProcessor" {
            &static_client
        } else {
            &client
        };
        for i in 0..DYNAMIC_ITERATIONS {
            let answer = call(client, op).await;
            report.check_dynamic(op, i, answer);
        }
    }

    report.finish("dynamic", &prism, started);
}

// ------------------------------------------------------------------------------------
// Driving the operations

/// A decoded success answer, reduced to what the checks need.
struct Answer {
    status: reqwest::StatusCode,
    violations: Option<String>,
    /// The typed body, re-encoded.
    reencoded: Value,
    /// How many `Unknown` fallbacks (open enums, unions) the typed body holds.
    unknowns: usize,
}

impl Answer {
    fn new<T: Serialize + Debug>(response: Response<T>) -> Self {
        let violations = sl_violations(response.headers());
        let (status, _, body) = response.into_parts();
        Self {
            status,
            violations,
            reencoded: serde_json::to_value(&body).expect("a decoded body re-encodes"),
            unknowns: format!("{body:?}").matches("Unknown(").count(),
        }
    }
}

/// Calls `op` with valid arguments (the spec's request examples as bodies, every optional
/// parameter set) and decodes the answer.
async fn call(client: &Client, op: &str) -> Result<Answer, Error> {
    async fn answer<T: Serialize + Debug>(
        f: impl Future<Output = Result<Response<T>, Error>>,
    ) -> Result<Answer, Error> {
        f.await.map(Answer::new)
    }
    let c = client;
    match op {
        "createStreamInstance" => {
            answer(
                c.create_stream_instance(GROUP_ID, request_example(op))
                    .pretty(false)
                    .send_with_response(),
            )
            .await
        }
        "startStreamProcessor" => {
            answer(
                c.start_stream_processor(GROUP_ID, TENANT_NAME, PROCESSOR_NAME)
                    .pretty(true)
                    .send_with_response(),
            )
            .await
        }
        "listFlexBackups" => {
            answer(
                c.list_flex_backups(GROUP_ID, FLEX_NAME)
                    .pretty(false)
                    .include_count(true)
                    .items_per_page(500)
                    .page_num(1)
                    .send_with_response(),
            )
            .await
        }
        "deleteAllCustomZoneMappings" => {
            answer(
                c.delete_all_custom_zone_mappings(GROUP_ID, CLUSTER_NAME)
                    .pretty(true)
                    .send_with_response(),
            )
            .await
        }
        "createOnlineArchive" => {
            answer(
                c.create_online_archive(GROUP_ID, CLUSTER_NAME, request_example(op))
                    .pretty(false)
                    .send_with_response(),
            )
            .await
        }
        "getOnlineArchive" => {
            answer(
                c.get_online_archive(GROUP_ID, CLUSTER_NAME, ARCHIVE_ID)
                    .pretty(false)
                    .send_with_response(),
            )
            .await
        }
        "updateOrganizationInvitation" => {
            answer(
                c.update_organization_invitation(ORG_ID, request_example(op))
                    .pretty(false)
                    .send_with_response(),
            )
            .await
        }
        "getPrivateEndpoint" => {
            answer(
                c.get_private_endpoint(
                    GROUP_ID,
                    models::CloudProvider::Aws,
                    ENDPOINT_SERVICE_ID,
                    AWS_ENDPOINT_ID,
                )
                .pretty(false)
                .send_with_response(),
            )
            .await
        }
        "listApiKeyAccessListsEntries" => {
            answer(
                c.list_api_key_access_lists_entries(ORG_ID, API_USER_ID)
                    .include_count(true)
                    .items_per_page(50)
                    .page_num(2)
                    .pretty(true)
                    .send_with_response(),
            )
            .await
        }
        "updateProjectInvitationById" => {
            answer(
                c.update_project_invitation_by_id(GROUP_ID, INVITATION_ID, request_example(op))
                    .send_with_response(),
            )
            .await
        }
        "createStreamProcessor" => {
            answer(
                c.create_stream_processor(GROUP_ID, TENANT_NAME, request_example(op))
                    .pretty(false)
                    .send_with_response(),
            )
            .await
        }
        "createServerlessInstance" => {
            answer(
                c.create_serverless_instance(GROUP_ID, request_example(op))
                    .pretty(false)
                    .send_with_response(),
            )
            .await
        }
        "createFlexCluster" => {
            answer(
                c.create_flex_cluster(GROUP_ID, request_example(op))
                    .pretty(false)
                    .send_with_response(),
            )
            .await
        }
        other => panic!("no call for operation {other}"),
    }
}

/// createOnlineArchive bodies covering every documented variant of the request's unions
/// (criteria CUSTOM/DATE, schedule DEFAULT/DAILY/WEEKLY/MONTHLY, region AWS/AZURE/GCP).
fn online_archive_variants() -> Vec<(&'static str, models::BackupOnlineArchiveCreate)> {
    let base = || {
        serde_json::json!({
            "collName": "orders",
            "dbName": "shop",
            "partitionFields": [{ "fieldName": "createdAt", "order": 0 }],
        })
    };
    let variants = [
        (
            "DATE criteria, WEEKLY schedule, AZURE region, TIMESERIES",
            serde_json::json!({
                "collectionType": "TIMESERIES",
                "criteria": { "type": "DATE", "dateField": "createdAt", "dateFormat": "ISODATE", "expireAfterDays": 30 },
                "schedule": { "type": "WEEKLY", "dayOfWeek": 1, "startHour": 1, "startMinute": 0, "endHour": 5, "endMinute": 30 },
                "dataProcessRegion": { "cloudProvider": "AZURE", "region": "eastus2" },
                "dataExpirationRule": { "expireAfterDays": 365 },
                "paused": false,
            }),
        ),
        (
            "CUSTOM criteria, MONTHLY schedule, GCP region",
            serde_json::json!({
                "criteria": { "type": "CUSTOM", "query": "{ \"status\": \"archived\" }" },
                "schedule": { "type": "MONTHLY", "dayOfMonth": 15, "startHour": 2, "startMinute": 0, "endHour": 6, "endMinute": 0 },
                "dataProcessRegion": { "cloudProvider": "GCP", "region": "CENTRAL_US" },
            }),
        ),
        (
            "DATE criteria (EPOCH_SECONDS), DEFAULT schedule, AWS region",
            serde_json::json!({
                "collectionType": "STANDARD",
                "criteria": { "type": "DATE", "dateField": "ts", "dateFormat": "EPOCH_SECONDS", "expireAfterDays": 7 },
                "schedule": { "type": "DEFAULT" },
                "dataProcessRegion": { "cloudProvider": "AWS", "region": "EU_WEST_1" },
            }),
        ),
        (
            "minimal (required fields only)",
            serde_json::json!({ "criteria": { "type": "CUSTOM", "query": "{ \"a\": 1 }" } }),
        ),
    ];
    variants
        .into_iter()
        .map(|(label, extra)| {
            let mut body = base();
            let fields = body.as_object_mut().expect("object");
            fields.extend(extra.as_object().expect("object").clone());
            if label.starts_with("minimal") {
                fields.remove("partitionFields");
            }
            let decoded = serde_json::from_value(body.clone())
                .unwrap_or_else(|e| panic!("createOnlineArchive body ({label}) decodes: {e}"));
            (label, decoded)
        })
        .collect()
}

/// The Azure private endpoint id is a known divergence between the spec and Prism: the
/// spec's `endpointId` pattern (`^…|^%2[fF]subscriptions%2[fF]…`, transcribed from the
/// docs) describes the id *after* percent-encoding, the form on the wire, which is what
/// the API expects and what the client sends (the raw `/subscriptions/…` encoded exactly
/// once, as the design requires). Prism, following OpenAPI, decodes the path segment and
/// checks the decoded `/subscriptions/…` against the pattern, so it flags it. Only a
/// double-encoded id (`%252F…`) would satisfy Prism — and break the real API.
///
/// Asserted precisely so that a change on either side shows up: the answer must be
/// Prism's 400 with exactly one violation, the `endpointid` pattern.
async fn azure_endpoint_id_divergence(client: &Client, report: &mut Report) {
    report.calls += 1;
    let ctx = "getPrivateEndpoint (Azure endpoint id, known spec/Prism divergence)";
    let result = client
        .get_private_endpoint(
            GROUP_ID,
            models::CloudProvider::Azure,
            ENDPOINT_SERVICE_ID,
            AZURE_ENDPOINT_ID,
        )
        .send_with_response()
        .await;
    let Err(Error::Api {
        status, headers, ..
    }) = &result
    else {
        report.fail(format!(
            "{ctx}: expected Prism's 400 for the endpointId pattern, got {:?}; if Prism now \
             accepts the once-encoded id, move this case to the regular checks",
            result.map(|r| r.status())
        ));
        return;
    };
    let violations = parse_violations(sl_violations(headers).as_deref().unwrap_or("[]"));
    let expected = status.as_u16() == 400
        && violations.len() == 1
        && violations[0].location_key() == "request.path.endpointid"
        && violations[0].code_str() == "pattern";
    if !expected {
        report.fail(format!(
            "{ctx}: expected exactly the endpointId pattern violation, got {status}: {violations:?}"
        ));
    }
}

/// The oracle must be awake: Prism flags a request without credentials (401), an invalid
/// path parameter and an invalid body (400; both sent with client-side validation off).
async fn oracle_is_awake(prism: &Prism, report: &mut Report) {
    let anonymous = client(&prism.url, Credentials::none(), None);
    let unchecked = client(&prism.url, Credentials::bearer("test-token"), Some(false));
    let mut bad_body: models::BackupOnlineArchiveCreate = request_example("createOnlineArchive");
    bad_body.data_expiration_rule = Some(models::DataExpirationRule {
        expire_after_days: Some(3), // minimum 7
    });
    let cases = [
        (
            "no credentials",
            anonymous
                .list_flex_backups(GROUP_ID, FLEX_NAME)
                .send_with_response()
                .await
                .map(Answer::new),
            401,
            "request",
        ),
        (
            "invalid groupId",
            unchecked
                .list_flex_backups("not-a-group-id", FLEX_NAME)
                .send_with_response()
                .await
                .map(Answer::new),
            400,
            "request.path.groupid",
        ),
        (
            "invalid body",
            unchecked
                .create_online_archive(GROUP_ID, CLUSTER_NAME, bad_body)
                .send_with_response()
                .await
                .map(Answer::new),
            400,
            "request.body.dataExpirationRule.expireAfterDays",
        ),
    ];
    for (label, result, want_status, want_location) in cases {
        report.calls += 1;
        let flagged = match &result {
            Err(Error::Api {
                status, headers, ..
            }) => {
                status.as_u16() == want_status
                    && parse_violations(sl_violations(headers).as_deref().unwrap_or("[]"))
                        .iter()
                        .any(|v| v.location_key() == want_location)
            }
            _ => false,
        };
        if !flagged {
            report.fail(format!(
                "oracle check ({label}): Prism should answer {want_status} with a violation at \
                 `{want_location}`; got {}",
                match &result {
                    Ok(a) => format!("{} {:?}", a.status, a.violations),
                    Err(e) => describe_error(label, e),
                }
            ));
        }
    }
}

// ------------------------------------------------------------------------------------
// Checking answers

#[derive(Default)]
struct Report {
    calls: usize,
    failures: Vec<String>,
    /// Per operation: decoded answers, answers with known generator defects, `Unknown`
    /// fallbacks seen.
    per_op: BTreeMap<String, (usize, usize, usize)>,
}

impl Report {
    fn fail(&mut self, message: String) {
        self.failures.push(message);
    }

    /// Static mode: no violation, decoded, equal to the example (when there is one), and
    /// no `Unknown` fallback (every value in an example is documented).
    fn check_static(&mut self, ctx: &str, example: Option<&Value>, answer: Result<Answer, Error>) {
        self.calls += 1;
        let answer = match answer {
            Ok(answer) => answer,
            Err(e) => return self.fail(describe_error(ctx, &e)),
        };
        self.per_op.entry(ctx.to_owned()).or_default().0 += 1;
        if let Some(violations) = &answer.violations {
            self.fail(format!(
                "{ctx}: {} but Prism reports violations: {violations}",
                answer.status
            ));
        }
        if let Some(example) = example {
            if &answer.reencoded != example {
                self.fail(format!(
                    "{ctx}: the decoded body does not re-encode to the spec's example\n  \
                     example:    {example}\n  re-encoded: {}",
                    answer.reencoded
                ));
            }
        }
        if answer.unknowns > 0 {
            self.fail(format!(
                "{ctx}: {} value(s) decoded as `Unknown` although the example only uses \
                 documented values: {}",
                answer.unknowns, answer.reencoded
            ));
        }
    }

    /// Dynamic mode: decoded; no request-side violation; response-side violations only
    /// from the known generator defects.
    fn check_dynamic(&mut self, op: &str, iteration: usize, answer: Result<Answer, Error>) {
        self.calls += 1;
        let ctx = format!("{op} (dynamic #{iteration})");
        let answer = match answer {
            Ok(answer) => answer,
            Err(e) => return self.fail(describe_error(&ctx, &e)),
        };
        let entry = self.per_op.entry(op.to_owned()).or_default();
        entry.0 += 1;
        entry.2 += answer.unknowns;
        let Some(raw) = &answer.violations else {
            return;
        };
        let violations = parse_violations(raw);
        let unexplained: Vec<_> = violations
            .iter()
            .filter(|v| !v.is_generator_defect(op))
            .collect();
        if violations.is_empty() || !unexplained.is_empty() {
            self.fail(format!(
                "{ctx}: {} but Prism reports violations: {}",
                answer.status,
                if unexplained.is_empty() {
                    raw.clone()
                } else {
                    format!("{unexplained:?}")
                }
            ));
        } else {
            entry.1 += 1;
        }
    }

    fn finish(self, mode: &str, prism: &Prism, started: Instant) {
        let mut summary = format!(
            "Prism {mode}: {} calls in {:.1?} (startup {:.1?}); per operation \
             (decoded / with known generator defects / Unknown fallbacks):\n",
            self.calls,
            started.elapsed(),
            prism.startup
        );
        for (op, (decoded, defects, unknowns)) in &self.per_op {
            let _ = writeln!(summary, "  {op}: {decoded} / {defects} / {unknowns}");
        }
        println!("{summary}");
        if !self.failures.is_empty() {
            let shown = self.failures.len().min(25);
            panic!(
                "{} of {} checks against Prism ({mode}) failed (first {shown} shown; Prism's \
                 log: {}):\n\n{}",
                self.failures.len(),
                self.calls,
                prism.log.display(),
                self.failures[..shown].join("\n\n")
            );
        }
    }
}

/// A failed call, with Prism's violations when the error carries the headers.
fn describe_error(ctx: &str, error: &Error) -> String {
    let mut text = format!("{ctx}: {error}");
    if let Error::Api { headers, .. } = error {
        match sl_violations(headers) {
            Some(v) => {
                let _ = write!(text, "\n  sl-violations: {v}");
            }
            None => text.push_str("\n  (no sl-violations header)"),
        }
    }
    text
}

fn sl_violations(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("sl-violations")?;
    Some(String::from_utf8_lossy(value.as_bytes()).into_owned())
}

#[derive(Debug, serde::Deserialize)]
struct Violation {
    location: Vec<Value>,
    #[serde(default)]
    code: Value,
    #[serde(default)]
    message: String,
}

impl Violation {
    /// Dot-joined location with array indices written `#`.
    fn location_key(&self) -> String {
        self.location
            .iter()
            .map(|part| match part {
                Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
                    "#".to_owned()
                }
                Value::String(s) => s.clone(),
                Value::Number(_) => "#".to_owned(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    fn code_str(&self) -> String {
        match &self.code {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }

    fn is_generator_defect(&self, op: &str) -> bool {
        GENERATOR_DEFECTS.iter().any(|d| {
            d.operation == op
                && self.location_key() == d.location
                && self.code_str() == "pattern"
                && self.message.contains(d.pattern)
        })
    }
}

/// The `sl-violations` header: a JSON array, possibly cut and prefixed when too long.
fn parse_violations(raw: &str) -> Vec<Violation> {
    let json = raw.strip_prefix("Too many violations! ").unwrap_or(raw);
    serde_json::from_str(json).unwrap_or_else(|_| {
        // Unparseable (cut): keep it as one violation nobody explains.
        vec![Violation {
            location: vec![Value::String("unparseable".to_owned())],
            code: Value::Null,
            message: raw.to_owned(),
        }]
    })
}

// ------------------------------------------------------------------------------------
// Clients and the spec's examples

/// A client of `url` with retries off (a 5xx from Prism is a finding, not a hiccup) and
/// a bound on every call.
fn client(url: &str, credentials: Credentials, validate_arguments: Option<bool>) -> Client {
    let mut builder = Client::builder()
        .base_url(url)
        .credentials(credentials)
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(30));
    if let Some(validate) = validate_arguments {
        builder = builder.validate_arguments(validate);
    }
    builder.build().expect("client")
}

/// A client that also sends Prism's `Prefer` header (`example=…`, `dynamic=false`).
fn client_preferring(url: &str, prefer: &str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert("prefer", HeaderValue::from_str(prefer).expect("header"));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(headers)
        .build()
        .expect("http client");
    Client::builder()
        .base_url(url)
        .credentials(Credentials::bearer("test-token"))
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(30))
        .http_client(http)
        .build()
        .expect("client")
}

fn workspace() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn spec_path() -> PathBuf {
    workspace().join("spec/atlas-admin-v2.yaml")
}

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let text = std::fs::read_to_string(spec_path()).expect("read the spec");
        serde_yaml::from_str(&text).expect("the spec is YAML that maps onto JSON")
    })
}

fn resolve(value: &Value) -> &Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => spec()
            .pointer(r.strip_prefix('#').expect("local $ref"))
            .expect("$ref target"),
        None => value,
    }
}

fn operation(id: &str) -> &'static Value {
    spec()["paths"]
        .as_object()
        .expect("paths")
        .values()
        .flat_map(|item| item.as_object().expect("path item").values())
        .find(|op| op.get("operationId").and_then(Value::as_str) == Some(id))
        .unwrap_or_else(|| panic!("operation {id} is not in the spec"))
}

/// The operation's `default` request example, decoded into the request model.
fn request_example<T: DeserializeOwned>(op: &str) -> T {
    let body = resolve(&operation(op)["requestBody"]);
    let (_, media) = body["content"]
        .as_object()
        .and_then(|c| c.iter().next())
        .unwrap_or_else(|| panic!("{op} has a request body"));
    let example = resolve(&media["examples"]["default"])["value"].clone();
    serde_json::from_value(example)
        .unwrap_or_else(|e| panic!("{op}: the request example decodes into the model: {e}"))
}

/// The named examples of the operation's (first) 2xx response, over all its media types.
fn success_examples(op: &str) -> Vec<(String, Value)> {
    let responses = operation(op)["responses"].as_object().expect("responses");
    let (_, response) = responses
        .iter()
        .find(|(code, _)| code.starts_with('2'))
        .unwrap_or_else(|| panic!("{op} has a 2xx response"));
    let mut out = Vec::new();
    for media in resolve(response)["content"]
        .as_object()
        .into_iter()
        .flat_map(|c| c.values())
    {
        for (name, example) in media["examples"].as_object().into_iter().flatten() {
            out.push((name.clone(), resolve(example)["value"].clone()));
        }
    }
    out
}

// ------------------------------------------------------------------------------------
// The Prism process

#[derive(Clone, Copy, Debug)]
enum Mode {
    /// `--errors`: answers are the spec's examples.
    Static,
    /// `--dynamic`: answers are generated from the schemas.
    Dynamic,
}

/// A running `prism mock`, killed (with its process group) on drop.
struct Prism {
    child: Child,
    /// Closing this pipe makes the wrapper shell terminate Prism: it also goes when this
    /// test process dies without running `Drop` (killed, aborted).
    watchdog: Option<ChildStdin>,
    url: String,
    log: PathBuf,
    startup: Duration,
}

/// Runs Prism (`$0 "$@"`) in the background, terminates it when stdin reaches EOF (the
/// test process closed it or died), and exits with Prism's status.
const WRAPPER: &str = r#"
exec 3<&0
"$0" "$@" </dev/null 3<&- &
prism=$!
{ cat >/dev/null; kill -TERM "$prism" 2>/dev/null; } <&3 &
exec 3<&-
wait "$prism"
"#;

impl Prism {
    async fn start(mode: Mode) -> Prism {
        let bin = std::env::var_os("PRISM_BIN").map_or_else(
            || workspace().join(".ci/work/node_modules/.bin/prism"),
            PathBuf::from,
        );
        assert!(
            bin.is_file(),
            "Prism not found at {}: run .ci/setup.sh (it installs @stoplight/prism-cli \
             5.16.0 into .ci/work), or point PRISM_BIN at a prism binary",
            bin.display()
        );
        let timeout = Duration::from_secs(
            std::env::var("PRISM_STARTUP_TIMEOUT_SECS")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(60),
        );
        // A free port may be taken between our probe and Prism's bind: try a few.
        let mut attempt = 0;
        loop {
            attempt += 1;
            let began = Instant::now();
            let port = free_port();
            let log = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!(
                "prism-{}-{}-{port}.log",
                format!("{mode:?}").to_lowercase(),
                std::process::id()
            ));
            let mut prism = Self::spawn(&bin, mode, port, log);
            let url = prism.url.clone();
            loop {
                if tokio::net::TcpStream::connect(url.trim_start_matches("http://"))
                    .await
                    .is_ok()
                {
                    prism.startup = began.elapsed();
                    return prism;
                }
                if let Some(status) = prism.child.try_wait().expect("poll Prism") {
                    let log = prism.log_text();
                    if log.contains("EADDRINUSE") && attempt < 3 {
                        break;
                    }
                    panic!(
                        "Prism ({mode:?}) exited during startup ({status}); its output \
                         ({}):\n{log}",
                        prism.log.display()
                    );
                }
                if began.elapsed() > timeout {
                    panic!(
                        "Prism ({mode:?}) did not accept connections on {url} within {timeout:?} \
                         (set PRISM_STARTUP_TIMEOUT_SECS for a slower machine); its output \
                         ({}):\n{}",
                        prism.log.display(),
                        prism.log_text()
                    );
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }

    fn spawn(bin: &Path, mode: Mode, port: u16, log: PathBuf) -> Prism {
        let out = File::create(&log).expect("create Prism's log file");
        let err = out.try_clone().expect("clone the log file handle");
        let args: [OsString; 7] = [
            "mock".into(),
            spec_path().into_os_string(),
            "--host".into(),
            "127.0.0.1".into(),
            "--port".into(),
            port.to_string().into(),
            match mode {
                Mode::Static => "--errors".into(),
                Mode::Dynamic => "--dynamic".into(),
            },
        ];
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(WRAPPER)
            .arg(bin)
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(out)
            .stderr(err)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Prism ({}): {e}", bin.display()));
        Prism {
            watchdog: child.stdin.take(),
            child,
            url: format!("http://127.0.0.1:{port}"),
            log,
            startup: Duration::ZERO,
        }
    }

    fn log_text(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = File::open(&self.log) {
            let _ = f.read_to_string(&mut text);
        }
        // The end is what matters when it died.
        let cut = text.len().saturating_sub(8000);
        let cut = (cut..text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        text[cut..].to_owned()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        drop(self.watchdog.take());
        // The wrapper shell leads its own process group: Prism, the watchdog and itself.
        let _ = Command::new("sh")
            .arg("-c")
            .arg(format!("kill -s KILL -- -{} 2>/dev/null", self.child.id()))
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.log);
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}
