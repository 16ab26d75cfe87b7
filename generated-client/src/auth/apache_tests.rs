//! Digest against a real peer: Apache httpd with `mod_auth_digest` (MD5, qop=auth), started
//! as a child process on a free loopback port. Install it with `.ci/setup-apache.sh`.

use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use md5::{Digest as _, Md5};
use reqwest::{Method, StatusCode};
use url::Url;

use super::test_support::{digest_params, send};
use super::{Authenticator, Credentials};

const APACHE: &str = "/usr/sbin/apache2";
const MODULES: &str = "/usr/lib/apache2/modules";
const REALM: &str = "atlas";
const PUBLIC_KEY: &str = "abcdefgh";
const PRIVATE_KEY: &str = "0d9c3e4f-1a2b-4c5d-8e7f-apache-private";
const ARCHIVE_PATH: &str = "/api/atlas/v2/groups/32b6e34b3d91647abb20e7b8/clusters/c1/onlineArchives/32b6e34b3d91647abb20e7b9";
const ARCHIVE_JSON: &str = r#"{"_id":"32b6e34b3d91647abb20e7b9","clusterName":"c1","collName":"orders","dbName":"shop","state":"ACTIVE"}"#;
const MEDIA_TYPE: &str = "application/vnd.atlas.2023-01-01+json";

/// A running Apache; stopped (and its directory removed) on drop.
struct Apache {
    child: Child,
    dir: PathBuf,
    port: u16,
}

fn write_readable(path: &Path, contents: &str) {
    std::fs::write(path, contents).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
}

fn make_dir(path: &Path) {
    std::fs::create_dir_all(path).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.local_addr().unwrap().port()
}

impl Apache {
    fn start() -> Self {
        assert!(
            Path::new(APACHE).exists(),
            "{APACHE} is missing: run `.ci/setup-apache.sh` (installs apache2 with mod_auth_digest) \
             before the Digest integration tests"
        );
        let mut last_error = String::new();
        for _ in 0..3 {
            match Self::try_start() {
                Ok(apache) => return apache,
                Err(e) => last_error = e,
            }
        }
        panic!("Apache did not start: {last_error}");
    }

    fn try_start() -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!(
            "atlas-admin-apache-{}-{:016x}",
            std::process::id(),
            rand::random::<u64>()
        ));
        let docs = dir.join("htdocs");
        make_dir(&dir);
        // Every directory on the way to the document must be readable by the worker user.
        let file = docs.join(ARCHIVE_PATH.trim_start_matches('/'));
        let mut p = file.parent().unwrap().to_path_buf();
        let mut chain = vec![];
        while p != dir {
            chain.push(p.clone());
            p = p.parent().unwrap().to_path_buf();
        }
        for d in chain.iter().rev() {
            make_dir(d);
        }
        write_readable(&file, ARCHIVE_JSON);
        // What `htdigest` writes: user:realm:MD5(user:realm:password).
        let ha1 = Md5::digest(format!("{PUBLIC_KEY}:{REALM}:{PRIVATE_KEY}"));
        let ha1: String = ha1.iter().map(|b| format!("{b:02x}")).collect();
        write_readable(
            &dir.join("htdigest"),
            &format!("{PUBLIC_KEY}:{REALM}:{ha1}\n"),
        );

        let port = free_port();
        let d = dir.display();
        let modules = [
            ("mpm_prefork_module", "mod_mpm_prefork.so"),
            ("authn_core_module", "mod_authn_core.so"),
            ("authn_file_module", "mod_authn_file.so"),
            ("authz_core_module", "mod_authz_core.so"),
            ("authz_user_module", "mod_authz_user.so"),
            ("auth_digest_module", "mod_auth_digest.so"),
            ("mime_module", "mod_mime.so"),
        ]
        .iter()
        .map(|(name, so)| format!("LoadModule {name} {MODULES}/{so}\n"))
        .collect::<String>();
        let conf = format!(
            r#"ServerRoot "{d}"
Listen 127.0.0.1:{port}
ServerName 127.0.0.1
PidFile "{d}/httpd.pid"
ErrorLog "{d}/error.log"
LogLevel warn auth_digest:info
DefaultRuntimeDir "{d}"
Mutex file:{d} default
{modules}
# Ignored unless started as root; as root, workers drop to this user.
User www-data
Group www-data
StartServers 1
MinSpareServers 1
MaxSpareServers 2
TypesConfig /dev/null
DocumentRoot "{d}/htdocs"
<Directory "{d}/htdocs">
    AuthType Digest
    AuthName "{REALM}"
    AuthDigestProvider file
    AuthUserFile "{d}/htdigest"
    Require valid-user
</Directory>
<LocationMatch "^/api/atlas/v2/">
    ForceType {MEDIA_TYPE}
</LocationMatch>
"#
        );
        let conf_path = dir.join("httpd.conf");
        write_readable(&conf_path, &conf);
        // Its own process group: on shutdown prefork signals its whole group (killpg),
        // which must not include the test harness.
        let child = Command::new(APACHE)
            .process_group(0)
            .arg("-f")
            .arg(&conf_path)
            .arg("-DFOREGROUND")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("spawning {APACHE}: {e}"))?;
        let mut apache = Apache { child, dir, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        loop {
            if let Ok(Some(status)) = apache.child.try_wait() {
                let mut stderr = String::new();
                if let Some(mut err) = apache.child.stderr.take() {
                    let _ = err.read_to_string(&mut stderr);
                }
                let log = std::fs::read_to_string(apache.dir.join("error.log")).unwrap_or_default();
                return Err(format!("apache2 exited with {status}: {stderr}{log}"));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(apache);
            }
            if Instant::now() > deadline {
                return Err("apache2 did not accept connections within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn url(&self, path_and_query: &str) -> Url {
        Url::parse(&format!("http://127.0.0.1:{}{path_and_query}", self.port)).unwrap()
    }
}

impl Drop for Apache {
    fn drop(&mut self) {
        // SIGTERM lets the parent stop its workers; SIGKILL only if it doesn't exit.
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn authenticator(apache: &Apache, private_key: &str) -> (Authenticator, reqwest::Client) {
    let http = reqwest::Client::new();
    let auth = Authenticator::new(
        Credentials::digest(PUBLIC_KEY, private_key),
        http.clone(),
        apache.url("/"),
        "atlas-admin-test".into(),
    );
    (auth, http)
}

#[tokio::test]
async fn apache_digest_md5_end_to_end() {
    let apache = Apache::start();
    let (auth, http) = authenticator(&apache, PRIVATE_KEY);
    let url = apache.url(&format!("{ARCHIVE_PATH}?pretty=true&itemsPerPage=5"));

    // Cold: unauthenticated request, 401 challenge, replay answering it.
    let first = send(&auth, &http, Method::GET, &url, None).await.unwrap();
    assert_eq!(first.status, StatusCode::OK, "{first:?}");
    assert_eq!(first.attempts, 2);
    assert_eq!(first.headers["content-type"], MEDIA_TYPE);
    let body: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    assert_eq!(body["_id"], "32b6e34b3d91647abb20e7b9");
    let info = first.headers["authentication-info"].to_str().unwrap();
    assert!(info.contains("nc=00000001"), "{info}");

    // Warm: answered preemptively with nc=2 on the same nonce; no 401 round trip.
    let second = send(&auth, &http, Method::GET, &url, None).await.unwrap();
    assert_eq!((second.status, second.attempts), (StatusCode::OK, 1));
    let info = second.headers["authentication-info"].to_str().unwrap();
    assert!(info.contains("nc=00000002"), "{info}");

    // Another method and target, answered preemptively (the static handler serves POST too).
    let post = send(
        &auth,
        &http,
        Method::POST,
        &apache.url(ARCHIVE_PATH),
        Some(b"{}"),
    )
    .await
    .unwrap();
    assert_eq!((post.status, post.attempts), (StatusCode::OK, 1));

    // The answer the authenticator produces names the exact request-target.
    let value = auth
        .authorization(&Method::GET, &url, None)
        .await
        .unwrap()
        .unwrap();
    let params = digest_params(value.to_str().unwrap());
    assert_eq!(
        params["uri"],
        format!("{ARCHIVE_PATH}?pretty=true&itemsPerPage=5")
    );
    assert_eq!(params["realm"], REALM);
    assert_eq!(params["algorithm"], "MD5");
}

#[tokio::test]
async fn apache_wrong_private_key_gives_up_with_401() {
    let apache = Apache::start();
    let (auth, http) = authenticator(&apache, "not-the-private-key");
    let url = apache.url(ARCHIVE_PATH);
    let outcome = send(&auth, &http, Method::GET, &url, None).await.unwrap();
    assert_eq!(outcome.status, StatusCode::UNAUTHORIZED);
    assert_eq!(outcome.attempts, 2, "replayed exactly once, then gave up");
    assert!(!outcome.body.contains("32b6e34b3d91647abb20e7b9"));
}

#[tokio::test]
async fn apache_unknown_user_gives_up_with_401() {
    let apache = Apache::start();
    let http = reqwest::Client::new();
    let auth = Authenticator::new(
        Credentials::digest("someone-else", PRIVATE_KEY),
        http.clone(),
        apache.url("/"),
        "atlas-admin-test".into(),
    );
    let outcome = send(&auth, &http, Method::GET, &apache.url(ARCHIVE_PATH), None)
        .await
        .unwrap();
    assert_eq!(
        (outcome.status, outcome.attempts),
        (StatusCode::UNAUTHORIZED, 2)
    );
}

/// `getOnlineArchive` as generated code would describe it.
fn get_online_archive_spec() -> crate::client::RequestSpec {
    use crate::client::{PathPart, RequestSpec};
    RequestSpec {
        operation_id: "getOnlineArchive",
        method: Method::GET,
        path: vec![
            PathPart::Literal("/api/atlas/v2/groups/"),
            PathPart::Param("32b6e34b3d91647abb20e7b8".into()),
            PathPart::Literal("/clusters/"),
            PathPart::Param("c1".into()),
            PathPart::Literal("/onlineArchives/"),
            PathPart::Param("32b6e34b3d91647abb20e7b9".into()),
        ],
        params: [(crate::encode::Param::query("pretty"), "true")]
            .into_iter()
            .collect(),
        accept: MEDIA_TYPE,
        body: None,
        error_statuses: &[400, 401, 403, 404, 409, 429, 500],
        default_error: false,
    }
}

fn client_for(apache: &Apache, private_key: &str) -> crate::Client {
    crate::Client::builder()
        .base_url(apache.url("/").as_str())
        .credentials(Credentials::digest(PUBLIC_KEY, private_key))
        .build()
        .unwrap()
}

#[tokio::test]
async fn apache_digest_through_client_execute() {
    let apache = Apache::start();
    let client = client_for(&apache, PRIVATE_KEY);
    for _ in 0..3 {
        let response = client
            .execute::<serde_json::Value>(get_online_archive_spec())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.body()["clusterName"], "c1");
    }
}

#[tokio::test]
async fn apache_wrong_key_through_client_execute_is_a_401_error() {
    let apache = Apache::start();
    let client = client_for(&apache, "not-the-private-key");
    let err = client
        .execute::<serde_json::Value>(get_online_archive_spec())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNAUTHORIZED), "{err:?}");
    // Apache's 401 page is HTML, not the documented JSON error body.
    assert!(
        matches!(err, crate::Error::UnexpectedResponse { .. }),
        "{err:?}"
    );
    assert!(!format!("{err} {err:?}").contains("not-the-private-key"));
}
