//! Client-side cost of one call: the generated client against the same call written by
//! hand with `reqwest` + `serde`.
//!
//! Both sides talk to the same local HTTP/1.1 server (a minimal tokio `TcpListener` loop on
//! 127.0.0.1, on its own thread and runtime) that answers every request with fixed,
//! pre-serialized bytes, so the server's cost is the same for both and as small as it gets.
//! Both reuse one keep-alive connection.
//!
//! - `list_flex_backups_500`: `GET …/flexClusters/{name}/backup/snapshots?itemsPerPage=500`
//!   answered by a 500-item page (~170 KB; every item is the spec's snapshot example with
//!   its own id and times).
//!   - `atlas_admin`: `client.list_flex_backups(group, "flex0").items_per_page(500).send()`
//!     with the defaults: argument validation on, the default retry policy, no
//!     credentials. Decodes into the generated models (open enums, `DateTime<Utc>`).
//!   - `reqwest_serde`: `reqwest::Client::get(url).query(..).header(ACCEPT, ..).send()`
//!     then `.json::<Page>()` into hand-written serde structs with the same fields and
//!     types (the status an open `String`).
//! - `create_online_archive`: `POST …/onlineArchives` with the spec's request example as
//!   the body (tagged unions: criteria, schedule, region), answered by the spec's response
//!   example; same two sides (hand-written internally tagged serde enums).
//!
//! - `list_flex_backups_500/atlas_admin_no_limits`: the generated side again, with every
//!   limit lifted (`without_call_timeout`, `without_read_timeout`, `max_body_size(usize::MAX)`),
//!   so the same run shows what the default time and size bounds cost.
//!
//! The hand-written side does less: no path-parameter encoding, no argument checks, no
//! retry loop, no `tracing` span, no error classification, no `User-Agent`. The ratio
//! A/B is what all of that costs on top of the bare HTTP exchange and decoding.
//!
//! Run (release build; the machine should be otherwise idle for stable figures):
//!
//! ```text
//! cargo bench -p atlas-admin --bench client -- --warm-up-time 2 --measurement-time 8
//! ```
//!
//! Criterion prints each benchmark's estimates; at the end this binary prints the median
//! of each side and the ratio A/B of each pair, read from Criterion's
//! `target/criterion/<group>/<side>/new/estimates.json` of the same run. `cargo test
//! --all-targets` only builds this file (and `cargo bench -- --test` runs each body once).

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::SystemTime;

use atlas_admin::{models, Client};
use chrono::{DateTime, Utc};
use criterion::{Criterion, Throughput};
use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

const GROUP_ID: &str = "32b6e34b3d91647abb20e7b8";
const FLEX_NAME: &str = "flex0";
const CLUSTER_NAME: &str = "Cluster0";
const PAGE_SIZE: usize = 500;
const FLEX_MEDIA: &str = "application/vnd.atlas.2024-11-13+json";
const ARCHIVE_MEDIA: &str = "application/vnd.atlas.2023-01-01+json";

fn main() {
    let started = SystemTime::now();
    let fixtures = Fixtures::from_spec();
    let server = Server::start(&fixtures);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let sides = Sides::new(server.addr);
    runtime.block_on(sides.check_same_data(&fixtures));

    let mut criterion = Criterion::default().configure_from_args();

    let mut group = criterion.benchmark_group("list_flex_backups_500");
    group.throughput(Throughput::Elements(PAGE_SIZE as u64));
    group.bench_function("atlas_admin", |b| {
        b.to_async(&runtime).iter(|| sides.generated_list())
    });
    group.bench_function("reqwest_serde", |b| {
        b.to_async(&runtime).iter(|| sides.hand_written_list())
    });
    group.bench_function("atlas_admin_no_limits", |b| {
        b.to_async(&runtime)
            .iter(|| sides.generated_list_no_limits())
    });
    group.finish();

    let mut group = criterion.benchmark_group("create_online_archive");
    group.bench_function("atlas_admin", |b| {
        b.to_async(&runtime)
            .iter(|| sides.generated_create(fixtures.archive_request.clone()))
    });
    group.bench_function("reqwest_serde", |b| {
        b.to_async(&runtime)
            .iter(|| sides.hand_written_create(fixtures.hand_written_request.clone()))
    });
    group.finish();

    criterion.final_summary();
    print_ratios(started, &["list_flex_backups_500", "create_online_archive"]);
}

// ------------------------------------------------------------------------------------
// The two sides

struct Sides {
    client: Client,
    /// The same client with every time and size limit lifted.
    unbounded: Client,
    http: reqwest::Client,
    base: String,
}

impl Sides {
    fn new(addr: SocketAddr) -> Self {
        let base = format!("http://{addr}");
        let client = Client::builder()
            .base_url(&base)
            .build()
            .expect("atlas_admin client");
        let unbounded = Client::builder()
            .base_url(&base)
            .without_call_timeout()
            .without_read_timeout()
            .max_body_size(usize::MAX)
            .build()
            .expect("atlas_admin client without limits");
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("reqwest client");
        Self {
            client,
            unbounded,
            http,
            base,
        }
    }

    async fn generated_list(&self) -> models::PaginatedApiAtlasFlexBackupSnapshot20241113View {
        self.client
            .list_flex_backups(GROUP_ID, FLEX_NAME)
            .items_per_page(PAGE_SIZE as i32)
            .send()
            .await
            .expect("atlas_admin list_flex_backups")
    }

    async fn generated_list_no_limits(
        &self,
    ) -> models::PaginatedApiAtlasFlexBackupSnapshot20241113View {
        self.unbounded
            .list_flex_backups(GROUP_ID, FLEX_NAME)
            .items_per_page(PAGE_SIZE as i32)
            .send()
            .await
            .expect("atlas_admin list_flex_backups without limits")
    }

    async fn hand_written_list(&self) -> HwPage {
        self.try_hand_written_list()
            .await
            .expect("hand-written list_flex_backups")
    }

    async fn try_hand_written_list(&self) -> reqwest::Result<HwPage> {
        let url = format!(
            "{}/api/atlas/v2/groups/{GROUP_ID}/flexClusters/{FLEX_NAME}/backup/snapshots",
            self.base
        );
        self.http
            .get(url)
            .query(&[("itemsPerPage", PAGE_SIZE)])
            .header(ACCEPT, FLEX_MEDIA)
            .send()
            .await?
            .error_for_status()?
            .json::<HwPage>()
            .await
    }

    async fn generated_create(
        &self,
        body: models::BackupOnlineArchiveCreate,
    ) -> models::BackupOnlineArchive {
        self.client
            .create_online_archive(GROUP_ID, CLUSTER_NAME, body)
            .send()
            .await
            .expect("atlas_admin create_online_archive")
    }

    async fn hand_written_create(&self, body: HwArchiveCreate) -> HwArchive {
        self.try_hand_written_create(body)
            .await
            .expect("hand-written create_online_archive")
    }

    async fn try_hand_written_create(&self, body: HwArchiveCreate) -> reqwest::Result<HwArchive> {
        let url = format!(
            "{}/api/atlas/v2/groups/{GROUP_ID}/clusters/{CLUSTER_NAME}/onlineArchives",
            self.base
        );
        let bytes = serde_json::to_vec(&body).expect("serialize the body");
        self.http
            .post(url)
            .header(ACCEPT, ARCHIVE_MEDIA)
            .header(CONTENT_TYPE, ARCHIVE_MEDIA)
            .body(bytes)
            .send()
            .await?
            .error_for_status()?
            .json::<HwArchive>()
            .await
    }

    /// Both sides decode the same data (checked once, before measuring).
    async fn check_same_data(&self, fixtures: &Fixtures) {
        let generated = self.generated_list().await;
        let hand = self.hand_written_list().await;
        let generated_items = generated.results.expect("results");
        let hand_items = hand.results.expect("results");
        assert_eq!(generated_items.len(), PAGE_SIZE);
        assert_eq!(hand_items.len(), PAGE_SIZE);
        for (g, h) in generated_items.iter().zip(&hand_items) {
            assert_eq!(g.id, h.id);
            assert_eq!(g.start_time, h.start_time);
            assert_eq!(g.status.as_ref().map(|s| s.as_str()), h.status.as_deref());
        }
        assert_eq!(generated.total_count, hand.total_count);

        let generated = self
            .generated_create(fixtures.archive_request.clone())
            .await;
        let hand = self
            .hand_written_create(fixtures.hand_written_request.clone())
            .await;
        assert_eq!(
            serde_json::to_value(&generated).expect("re-encode"),
            serde_json::to_value(&hand).expect("re-encode"),
            "both sides decode the same archive"
        );
    }
}

// ------------------------------------------------------------------------------------
// Hand-written models: the same fields and types as the generated ones

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "decoded like the generated model, not all read")]
struct HwPage {
    links: Option<Vec<HwLink>>,
    results: Option<Vec<HwSnapshot>>,
    total_count: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct HwLink {
    #[serde(skip_serializing_if = "Option::is_none")]
    href: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rel: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, reason = "decoded like the generated model, not all read")]
struct HwSnapshot {
    expiration: Option<DateTime<Utc>>,
    finish_time: Option<DateTime<Utc>>,
    id: Option<String>,
    links: Option<Vec<HwLink>>,
    #[serde(rename = "mongoDBVersion")]
    mongo_db_version: Option<String>,
    scheduled_time: Option<DateTime<Utc>>,
    start_time: Option<DateTime<Utc>>,
    status: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HwArchiveCreate {
    coll_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    collection_type: Option<String>,
    criteria: HwCriteria,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_expiration_rule: Option<HwExpiration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_process_region: Option<HwRegion>,
    db_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    partition_fields: Option<Vec<HwPartitionField>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paused: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<HwSchedule>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HwArchive {
    #[serde(rename = "_id", skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cluster_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coll_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    collection_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    criteria: Option<HwCriteria>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_expiration_rule: Option<HwExpiration>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_process_region: Option<HwRegion>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data_set_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    db_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partition_fields: Option<Vec<HwPartitionField>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paused: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schedule: Option<HwSchedule>,
    #[serde(skip_serializing_if = "Option::is_none")]
    state: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type")]
enum HwCriteria {
    #[serde(rename = "CUSTOM")]
    Custom { query: String },
    #[serde(rename = "DATE", rename_all = "camelCase")]
    Date {
        #[serde(skip_serializing_if = "Option::is_none")]
        date_field: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        date_format: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        expire_after_days: Option<i32>,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HwExpiration {
    #[serde(skip_serializing_if = "Option::is_none")]
    expire_after_days: Option<i32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "cloudProvider")]
enum HwRegion {
    #[serde(rename = "AWS")]
    Aws {
        #[serde(skip_serializing_if = "Option::is_none")]
        region: Option<String>,
    },
    #[serde(rename = "AZURE")]
    Azure {
        #[serde(skip_serializing_if = "Option::is_none")]
        region: Option<String>,
    },
    #[serde(rename = "GCP")]
    Gcp {
        #[serde(skip_serializing_if = "Option::is_none")]
        region: Option<String>,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HwPartitionField {
    field_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field_type: Option<String>,
    order: i32,
}

/// The window fields of the DAILY, WEEKLY and MONTHLY schedules.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HwWindow {
    #[serde(skip_serializing_if = "Option::is_none")]
    end_hour: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_minute: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_hour: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_minute: Option<i32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type")]
enum HwSchedule {
    #[serde(rename = "DEFAULT")]
    Default {},
    #[serde(rename = "DAILY")]
    Daily(HwWindow),
    #[serde(rename = "WEEKLY", rename_all = "camelCase")]
    Weekly {
        #[serde(skip_serializing_if = "Option::is_none")]
        day_of_week: Option<i32>,
        #[serde(flatten)]
        window: HwWindow,
    },
    #[serde(rename = "MONTHLY", rename_all = "camelCase")]
    Monthly {
        #[serde(skip_serializing_if = "Option::is_none")]
        day_of_month: Option<i32>,
        #[serde(flatten)]
        window: HwWindow,
    },
}

// ------------------------------------------------------------------------------------
// Fixtures from the spec

struct Fixtures {
    /// The serialized 500-item page.
    page: Vec<u8>,
    /// The serialized createOnlineArchive response example.
    archive: Vec<u8>,
    archive_request: models::BackupOnlineArchiveCreate,
    hand_written_request: HwArchiveCreate,
}

impl Fixtures {
    fn from_spec() -> Self {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/atlas-admin-v2.yaml");
        let text = std::fs::read_to_string(path).expect("read the spec");
        let spec: Value = serde_yaml::from_str(&text).expect("the spec maps onto JSON");
        let paths = &spec["paths"];

        let list_example = &paths
            ["/api/atlas/v2/groups/{groupId}/flexClusters/{name}/backup/snapshots"]["get"]
            ["responses"]["200"]["content"][FLEX_MEDIA]["examples"]["default"]["value"];
        let snapshot = list_example["results"][0].clone();
        assert!(snapshot.is_object(), "the spec's snapshot example");
        let base = DateTime::parse_from_rfc3339("2025-05-04T09:42:00Z")
            .expect("date")
            .with_timezone(&Utc);
        let results: Vec<Value> = (0..PAGE_SIZE)
            .map(|i| {
                let mut item = snapshot.clone();
                let minutes = i64::try_from(i).expect("small");
                let at = |offset: i64| {
                    (base + chrono::Duration::minutes(minutes * 10 + offset))
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                };
                item["id"] = Value::from(format!("{:024x}", 0x32b6_e34b_3d91_u64 + i as u64));
                item["scheduledTime"] = Value::from(at(0));
                item["startTime"] = Value::from(at(1));
                item["finishTime"] = Value::from(at(4));
                item["expiration"] = Value::from(at(60 * 24 * 30));
                item["status"] = Value::from(["COMPLETED", "RUNNING", "PENDING"][i % 3]);
                item
            })
            .collect();
        let page = serde_json::json!({
            "links": list_example["links"],
            "results": results,
            "totalCount": PAGE_SIZE,
        });

        let archives =
            &paths["/api/atlas/v2/groups/{groupId}/clusters/{clusterName}/onlineArchives"]["post"];
        let request = archives["requestBody"]["content"][ARCHIVE_MEDIA]["examples"]["default"]
            ["value"]
            .clone();
        let response =
            &archives["responses"]["200"]["content"][ARCHIVE_MEDIA]["examples"]["default"]["value"];
        assert!(response.is_object(), "the spec's online archive example");

        Self {
            page: serde_json::to_vec(&page).expect("page"),
            archive: serde_json::to_vec(response).expect("archive"),
            archive_request: serde_json::from_value(request.clone()).expect("generated body"),
            hand_written_request: serde_json::from_value(request).expect("hand-written body"),
        }
    }
}

// ------------------------------------------------------------------------------------
// The server

struct Server {
    addr: SocketAddr,
}

impl Server {
    /// Serves `fixtures` on 127.0.0.1 from its own thread (and runtime) until the process
    /// ends: a GET gets the page, a POST the archive.
    fn start(fixtures: &Fixtures) -> Self {
        let page = response(FLEX_MEDIA, &fixtures.page);
        let archive = response(ARCHIVE_MEDIA, &fixtures.archive);
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let addr = listener.local_addr().expect("address");
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("listener");
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        continue;
                    };
                    let (page, archive) = (page.clone(), archive.clone());
                    tokio::spawn(async move {
                        let _ = serve(stream, &page, &archive).await;
                    });
                }
            });
        });
        Self { addr }
    }
}

fn response(media_type: &str, body: &[u8]) -> bytes::Bytes {
    let mut out = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: {media_type}\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out.into()
}

/// One keep-alive connection: reads each request (head and `Content-Length` body) and
/// writes the fixed answer for its method.
async fn serve(mut stream: TcpStream, page: &[u8], archive: &[u8]) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut chunk = [0_u8; 16 * 1024];
    loop {
        let head_end = loop {
            if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break i + 4;
            }
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let body_len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .map_or(0, |v| v.trim().parse().unwrap_or(0));
        while buf.len() < head_end + body_len {
            let n = stream.read(&mut chunk).await?;
            if n == 0 {
                return Ok(());
            }
            buf.extend_from_slice(&chunk[..n]);
        }
        let answer = if head.starts_with("post ") {
            archive
        } else {
            page
        };
        buf.drain(..head_end + body_len);
        stream.write_all(answer).await?;
    }
}

// ------------------------------------------------------------------------------------
// The ratio

/// Prints each pair's medians and the ratio A/B from Criterion's estimates of this run
/// (files older than `started` are from an earlier run and are ignored).
fn print_ratios(started: SystemTime, groups: &[&str]) {
    let median = |dir: &PathBuf, group: &str, side: &str| -> Option<f64> {
        let file = dir.join(group).join(side).join("new/estimates.json");
        let modified = std::fs::metadata(&file).ok()?.modified().ok()?;
        if modified < started {
            return None;
        }
        let estimates: Value = serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
        estimates["median"]["point_estimate"].as_f64()
    };
    for group in groups {
        let medians = criterion_dirs().iter().find_map(|dir| {
            Some((
                median(dir, group, "atlas_admin")?,
                median(dir, group, "reqwest_serde")?,
            ))
        });
        if let Some((a, b)) = medians {
            println!(
                "{group}: median atlas_admin {:.1} µs, reqwest_serde {:.1} µs, ratio A/B {:.3}",
                a / 1e3,
                b / 1e3,
                a / b
            );
        }
        let limits = criterion_dirs().iter().find_map(|dir| {
            Some((
                median(dir, group, "atlas_admin")?,
                median(dir, group, "atlas_admin_no_limits")?,
            ))
        });
        if let Some((a, u)) = limits {
            println!(
                "{group}: median atlas_admin_no_limits {:.1} µs, ratio defaults/no limits {:.3}",
                u / 1e3,
                a / u
            );
        }
    }
}

/// Where Criterion may have written its results: `$CRITERION_HOME`, the cargo target
/// directory (under `cargo bench`), or `./target` (the binary run by hand).
fn criterion_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        dirs.push(PathBuf::from(home));
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        dirs.push(PathBuf::from(target).join("criterion"));
    }
    dirs.push(PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/criterion"
    )));
    dirs.push(PathBuf::from("target/criterion"));
    dirs
}
