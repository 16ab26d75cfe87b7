//! The corpus's worker processes, both sides of the pipe.
//!
//! Why processes: a panic can be caught in-process (`catch_unwind`), but a stack overflow or
//! an allocation failure aborts the process, and a document that loops never returns. Each
//! worker (`xtask corpus-worker DIR`) reads one document path per line on stdin and answers
//! one JSON [`Reply`] per line on stdout; the parent gives every document a time budget and
//! kills and replaces a worker that overruns it or dies, so one pathological document costs
//! one worker, never the run. A worker is reused across documents (no spawn per document)
//! and caps its own address space, so one document cannot exhaust the shared machine.

use std::io::{BufRead, BufReader, Read, Write};
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::cli::WorkerArgs;

/// The OpenAPI version a document declares (its top-level `openapi` or `swagger`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Version {
    #[serde(rename = "3.0")]
    V30,
    #[serde(rename = "3.1")]
    V31,
    #[serde(rename = "swagger 2")]
    Swagger2,
    /// Anything else, or a document that does not parse.
    #[serde(rename = "other")]
    Other,
}

impl Version {
    pub const ALL: [Version; 4] = [
        Version::V30,
        Version::V31,
        Version::Swagger2,
        Version::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Version::V30 => "3.0",
            Version::V31 => "3.1",
            Version::Swagger2 => "swagger 2",
            Version::Other => "other",
        }
    }
}

/// What happened to one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    /// The generator returned files (and, with `--skip-unsupported`, this many warnings:
    /// problems that left operations or schemas out).
    Generated {
        files: usize,
        lines: usize,
        #[serde(default)]
        warnings: usize,
    },
    /// It returned errors: the first one's `ErrorKind` variant and text (without the file
    /// name), and how many there were.
    Failed {
        kind: String,
        first: String,
        errors: usize,
    },
    /// It panicked (caught in the worker): the panic message and location.
    Panicked { message: String },
    /// The file could not be read.
    Unreadable { message: String },
    /// The worker died on this document (abort, stack overflow, out of memory).
    Crashed { status: String },
    /// The document ran past its time budget.
    TimedOut { secs: u64 },
}

/// A worker's answer for one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub version: Version,
    #[serde(flatten)]
    pub outcome: Outcome,
    /// Wall time of the generation, in milliseconds (for the timing summary only).
    pub millis: u64,
}

/// The name of an `ErrorKind` variant (`MissingOperationId`): what derived `Debug` prints
/// first. `ErrorKind` is `#[non_exhaustive]` and has no name method; this keeps xtask from
/// listing its variants a second time.
pub fn kind_name(kind: &codegen::ErrorKind) -> String {
    let debug = format!("{kind:?}");
    debug
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

/// The first error's text without its `{file}:`/`{file}: ` prefix, on one line.
fn first_error(error: &codegen::Error) -> String {
    let text = error.to_string();
    let rest = text
        .strip_prefix(error.file.as_str())
        .map_or(text.as_str(), |r| r.trim_start_matches(':').trim_start());
    rest.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---- the worker side ----

/// Where the last panic on this worker happened, set by the hook `serve` installs.
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Runs `f`, turning a panic into its message (and location, when `serve`'s hook saw it).
fn caught<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic with a non-string payload".to_owned());
        match LAST_PANIC.lock().ok().and_then(|mut last| last.take()) {
            Some(location) => format!("{message} at {location}"),
            None => message,
        }
    })
}

/// `xtask corpus-worker DIR`: answers documents until stdin closes.
pub fn serve(args: &WorkerArgs) -> Result<(), String> {
    limit_memory(args.memory_limit);
    // Quiet panics (the reply reports them), remembering where they happened.
    panic::set_hook(Box::new(|info| {
        if let (Ok(mut last), Some(at)) = (LAST_PANIC.lock(), info.location()) {
            *last = Some(at.to_string());
        }
    }));
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| format!("corpus worker: stdin: {e}"))?;
        let rel: String =
            serde_json::from_str(&line).map_err(|e| format!("corpus worker: request: {e}"))?;
        let mut send = |line: String| {
            writeln!(stdout, "{line}")
                .and_then(|()| stdout.flush())
                .map_err(|e| format!("corpus worker: stdout: {e}"))
        };
        // The version first, so that a document that then crashes or overruns its budget
        // is still counted under its version.
        let options = codegen::Options {
            skip_unsupported: args.skip_unsupported,
        };
        let reply = run_one(&args.dir, &rel, &options, |version| {
            send(serde_json::to_string(&version).unwrap_or_default())
        })?;
        send(serde_json::to_string(&reply).map_err(|e| format!("corpus worker: {e}"))?)?;
    }
    Ok(())
}

/// Runs one document, telling `on_version` its version before generating.
fn run_one<E>(
    dir: &Path,
    rel: &str,
    options: &codegen::Options,
    mut on_version: impl FnMut(Version) -> Result<(), E>,
) -> Result<Reply, E> {
    let text = match std::fs::read(dir.join(rel)) {
        Ok(text) => text,
        Err(e) => {
            on_version(Version::Other)?;
            return Ok(Reply {
                version: Version::Other,
                outcome: Outcome::Unreadable {
                    message: e.to_string(),
                },
                millis: 0,
            });
        }
    };
    let version = probe_version(rel, &text);
    on_version(version)?;
    let start = Instant::now();
    // Exactly as `cargo xtask codegen --spec` runs it (a multi-file document reads its
    // neighbours under its own directory).
    let result = caught(|| crate::generate_text(&dir.join(rel), &text, rel, options, false));
    let millis = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
    let outcome = match result {
        Ok(Ok(generated)) => Outcome::Generated {
            files: generated.files.len(),
            lines: generated
                .files
                .iter()
                .map(|f| f.contents.lines().count())
                .sum(),
            warnings: generated.warnings.len(),
        },
        Ok(Err(errors)) => match errors.iter().next() {
            Some(e) => Outcome::Failed {
                kind: kind_name(&e.kind),
                first: first_error(e),
                errors: errors.len(),
            },
            None => Outcome::Failed {
                kind: "NoErrors".to_owned(),
                first: "generate failed with an empty error list".to_owned(),
                errors: 0,
            },
        },
        Err(message) => Outcome::Panicked { message },
    };
    Ok(Reply {
        version,
        outcome,
        millis,
    })
}

/// The document's top-level `openapi`/`swagger` value; `Other` if it does not parse.
fn probe_version(rel: &str, text: &[u8]) -> Version {
    #[derive(Deserialize)]
    struct Probe {
        openapi: Option<serde_json::Value>,
        swagger: Option<serde_json::Value>,
    }
    let probe: Option<Probe> = if rel.ends_with(".json") {
        serde_json::from_slice(text).ok()
    } else {
        serde_yaml::from_slice(text).ok()
    };
    let as_text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    match probe {
        Some(Probe {
            openapi: Some(v), ..
        }) => {
            let v = as_text(&v);
            if v.starts_with("3.0") {
                Version::V30
            } else if v.starts_with("3.1") {
                Version::V31
            } else {
                Version::Other
            }
        }
        Some(Probe {
            swagger: Some(v), ..
        }) if as_text(&v).starts_with('2') => Version::Swagger2,
        _ => Version::Other,
    }
}

/// Caps this process's address space at `mib` MiB, so an allocation past it fails (and the
/// worker aborts) instead of pushing the machine into swap or the OOM killer.
fn limit_memory(mib: u64) {
    let bytes = mib.saturating_mul(1024 * 1024);
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit reads the struct we pass; it has no other memory effects.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
    if rc != 0 {
        eprintln!(
            "corpus worker: cannot limit memory: {}",
            std::io::Error::last_os_error()
        );
    }
}

// ---- the parent side ----

/// A running worker process.
pub struct Worker {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<String>,
    /// The end of the worker's stderr (why it crashed).
    stderr_tail: Arc<Mutex<String>>,
}

impl Worker {
    /// `xtask corpus-worker DIR` (this binary).
    pub fn spawn(dir: &Path, memory_limit: u64, skip_unsupported: bool) -> Result<Worker, String> {
        let exe = std::env::current_exe().map_err(|e| format!("corpus: current exe: {e}"))?;
        let mut cmd = Command::new(exe);
        cmd.arg("corpus-worker")
            .arg(dir)
            .arg("--memory-limit")
            .arg(memory_limit.to_string());
        if skip_unsupported {
            cmd.arg("--skip-unsupported");
        }
        Worker::start(cmd)
    }

    /// Any process that speaks the protocol.
    fn start(mut cmd: Command) -> Result<Worker, String> {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("corpus: cannot start a worker: {e}"))?;
        let (Some(stdin), Some(stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err("corpus: worker pipes missing".to_owned());
        };
        let (send, replies) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr_tail = Arc::new(Mutex::new(String::new()));
        let tail = Arc::clone(&stderr_tail);
        std::thread::spawn(move || {
            let mut buf = [0_u8; 4096];
            while let Ok(n @ 1..) = stderr.read(&mut buf) {
                if let Ok(mut tail) = tail.lock() {
                    tail.push_str(&String::from_utf8_lossy(buf.get(..n).unwrap_or_default()));
                    let cut = tail.len().saturating_sub(2048);
                    let cut = (cut..tail.len())
                        .find(|&i| tail.is_char_boundary(i))
                        .unwrap_or(0);
                    tail.drain(..cut);
                }
            }
        });
        Ok(Worker {
            child,
            stdin,
            replies,
            stderr_tail,
        })
    }

    /// Runs one document. `Err` carries the outcome of a worker that is gone (killed after
    /// the budget, dead, or out of step): the caller replaces it.
    pub fn ask(&mut self, rel: &str, budget: Duration) -> Result<Reply, Reply> {
        let start = Instant::now();
        let mut version = Version::Other;
        match self.exchange(rel, budget, start, &mut version) {
            Ok(reply) => Ok(reply),
            Err(outcome) => Err(Reply {
                version,
                outcome,
                millis: u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX),
            }),
        }
    }

    /// Sends `rel`, then reads the two lines of the answer: the version, then the reply.
    fn exchange(
        &mut self,
        rel: &str,
        budget: Duration,
        start: Instant,
        version: &mut Version,
    ) -> Result<Reply, Outcome> {
        let request = serde_json::to_string(rel).unwrap_or_default();
        if writeln!(self.stdin, "{request}")
            .and_then(|()| self.stdin.flush())
            .is_err()
        {
            return Err(Outcome::Crashed {
                status: self.status(),
            });
        }
        let first = self.line(budget, start)?;
        *version = serde_json::from_str(&first).unwrap_or(Version::Other);
        let line = self.line(budget, start)?;
        serde_json::from_str(&line).map_err(|e| Outcome::Crashed {
            status: format!("unreadable reply ({e}): {line}"),
        })
    }

    /// The worker's next line, within what is left of the budget.
    fn line(&mut self, budget: Duration, start: Instant) -> Result<String, Outcome> {
        match self
            .replies
            .recv_timeout(budget.saturating_sub(start.elapsed()))
        {
            Ok(line) => Ok(line),
            Err(RecvTimeoutError::Timeout) => {
                self.kill();
                Err(Outcome::TimedOut {
                    secs: budget.as_secs(),
                })
            }
            Err(RecvTimeoutError::Disconnected) => Err(Outcome::Crashed {
                status: self.status(),
            }),
        }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// How a dead worker ended: its exit status and the last line it printed.
    fn status(&mut self) -> String {
        let status = match self.child.wait() {
            Ok(status) => status.to_string(),
            Err(e) => e.to_string(),
        };
        // The stderr reader may still be draining the pipe.
        std::thread::sleep(Duration::from_millis(50));
        let tail = self
            .stderr_tail
            .lock()
            .map(|t| t.clone())
            .unwrap_or_default();
        match tail.lines().rev().find(|l| !l.trim().is_empty()) {
            Some(last) => format!("{status}: {}", last.trim()),
            None => status,
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.kill();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_come_from_the_top_level_key() {
        for (name, text, version) in [
            (
                "a.json",
                r#"{"info": {"openapi": "3.1.0"}, "openapi": "3.0.3"}"#,
                Version::V30,
            ),
            ("a.json", r#"{"openapi": "3.1.0"}"#, Version::V31),
            ("a.yaml", "swagger: '2.0'\n", Version::Swagger2),
            ("a.yml", "openapi: 3.0.1\npaths: {}\n", Version::V30),
            ("a.yaml", "openapi: 3.1\n", Version::V31),
            ("a.json", "not json", Version::Other),
            ("a.json", r#"{"openapi": "4.0.0"}"#, Version::Other),
        ] {
            assert_eq!(probe_version(name, text.as_bytes()), version, "{text}");
        }
    }

    #[test]
    fn kind_names_are_variant_names() {
        assert_eq!(kind_name(&codegen::ErrorKind::Empty), "Empty");
        assert_eq!(
            kind_name(&codegen::ErrorKind::UnresolvedRef {
                target: "#/x".into(),
                expected: "y"
            }),
            "UnresolvedRef"
        );
    }

    #[test]
    fn panics_are_caught_with_their_message() {
        assert_eq!(caught(|| 7), Ok(7));
        let err = caught(|| -> u8 { panic!("boom {}", 42) }).unwrap_err();
        assert!(err.starts_with("boom 42"), "{err}");
    }

    fn fake(script: &str) -> Worker {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script]);
        Worker::start(cmd).unwrap()
    }

    /// The parent side against stand-in workers: an answer, a worker that hangs past its
    /// budget, one that aborts, and one that garbles its reply.
    #[test]
    fn hung_crashed_and_garbled_workers_are_outcomes() {
        let ok = r#"{"version":"3.0","outcome":"generated","files":1,"lines":2,"millis":3}"#;
        let mut w = fake(&format!(
            "while read l; do echo '\"3.0\"'; echo '{ok}'; done"
        ));
        let reply = w.ask("a.json", Duration::from_secs(20)).unwrap();
        assert_eq!(
            reply.outcome,
            Outcome::Generated {
                files: 1,
                lines: 2,
                warnings: 0
            }
        );
        assert!(w.ask("b.json", Duration::from_secs(20)).is_ok(), "reused");

        let start = Instant::now();
        let hung = fake("read l; echo '\"3.1\"'; exec sleep 60")
            .ask("c.json", Duration::from_millis(500))
            .unwrap_err();
        assert!(start.elapsed() < Duration::from_secs(10));
        assert_eq!(
            (hung.version, hung.outcome),
            (Version::V31, Outcome::TimedOut { secs: 0 })
        );

        let crashed =
            fake("read l; echo '\"3.0\"'; echo 'thread overflowed its stack' >&2; kill -ABRT $$")
                .ask("d.json", Duration::from_secs(20))
                .unwrap_err();
        let Outcome::Crashed { status } = &crashed.outcome else {
            panic!("{crashed:?}")
        };
        assert_eq!(crashed.version, Version::V30);
        assert!(
            status.contains("signal: 6") && status.contains("overflowed its stack"),
            "{status}"
        );

        let garbled = fake("read l; echo '\"3.0\"'; echo nonsense; exec sleep 60")
            .ask("e.json", Duration::from_secs(20))
            .unwrap_err();
        assert!(
            matches!(&garbled.outcome, Outcome::Crashed { status } if status.contains("nonsense")),
            "{garbled:?}"
        );
    }

    #[test]
    fn outcomes_of_a_real_document() {
        let dir = tempfile::tempdir().unwrap();
        let strict = codegen::Options::default();
        std::fs::write(dir.path().join("empty.yaml"), "  \n").unwrap();
        let mut seen = Vec::new();
        let reply = run_one(dir.path(), "empty.yaml", &strict, |v| {
            seen.push(v);
            Ok::<(), ()>(())
        })
        .unwrap();
        assert_eq!(seen, [Version::Other]);
        let Outcome::Failed {
            kind,
            first,
            errors,
        } = reply.outcome
        else {
            panic!("{reply:?}")
        };
        assert_eq!((kind.as_str(), errors), ("Empty", 1));
        assert!(first.starts_with("#: the document is empty"), "{first}");
        let missing = run_one(dir.path(), "missing.yaml", &strict, |_| Ok::<(), ()>(())).unwrap();
        assert!(
            matches!(missing.outcome, Outcome::Unreadable { .. }),
            "{missing:?}"
        );
    }
}
