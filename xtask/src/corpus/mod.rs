//! `cargo xtask corpus DIR`: the generator over every OpenAPI document under a directory.
//!
//! Documents (`.json`, `.yaml`, `.yml`, found recursively, named by their `/`-separated path
//! relative to DIR) are handed out, largest first, to one worker process per core
//! (`worker`), each with a time budget. The outcomes go to a table (`report`), to the
//! ratchet of expected failures (`ratchet`) and to the compiled sample (`sample`).

mod ratchet;
mod report;
mod sample;
pub mod worker;

use std::fs;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::cli::CorpusArgs;
use worker::{Outcome, Reply, Worker};

/// One document of the corpus and what happened to it.
pub struct Document {
    /// Path relative to the corpus directory, `/`-separated.
    pub rel: String,
    pub bytes: u64,
    pub reply: Reply,
}

impl Document {
    pub fn generated(&self) -> bool {
        matches!(self.reply.outcome, Outcome::Generated { .. })
    }

    /// How many warnings generating it gave (`--skip-unsupported`; 0 otherwise).
    pub fn warnings(&self) -> usize {
        match self.reply.outcome {
            Outcome::Generated { warnings, .. } => warnings,
            _ => 0,
        }
    }

    /// The table row this document counts in: `generated`, the `ErrorKind` variant name of
    /// its first error, `panic`, `crash`, `time-out` or `unreadable`.
    pub fn row(&self) -> &str {
        match &self.reply.outcome {
            Outcome::Generated { .. } => "generated",
            Outcome::Failed { kind, .. } => kind,
            Outcome::Panicked { .. } => "panic",
            Outcome::Crashed { .. } => "crash",
            Outcome::TimedOut { .. } => "time-out",
            Outcome::Unreadable { .. } => "unreadable",
        }
    }

    /// Why it does not generate, on one line of at most [`FAILURE_CHARS`] characters;
    /// `None` when it does.
    pub fn failure(&self) -> Option<String> {
        let text = match &self.reply.outcome {
            Outcome::Generated { .. } => return None,
            Outcome::Failed { kind, first, .. } => format!("{kind}: {first}"),
            Outcome::Panicked { message } => format!("panic: {message}"),
            Outcome::Crashed { status } => format!("crash: {status}"),
            Outcome::TimedOut { secs } => format!("time-out: still running after {secs} s"),
            Outcome::Unreadable { message } => format!("unreadable: {message}"),
        };
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        Some(match text.char_indices().nth(FAILURE_CHARS) {
            Some((cut, _)) => format!("{}…", text.get(..cut).unwrap_or_default()),
            None => text,
        })
    }
}

/// The longest failure description kept (the ratchet file stays readable).
pub const FAILURE_CHARS: usize = 240;

pub fn run(args: &CorpusArgs) -> Result<(), String> {
    let start = Instant::now();
    let found = find_documents(&args.dir)?;
    if found.is_empty() {
        return Err(format!(
            "{}: no .json, .yaml or .yml documents found",
            args.dir.display()
        ));
    }
    let jobs = args
        .jobs
        .or_else(|| std::thread::available_parallelism().ok())
        .map_or(1, NonZeroUsize::get);
    eprintln!(
        "corpus: {} documents under {}, {jobs} workers, {} s budget each",
        found.len(),
        args.dir.display(),
        args.timeout
    );
    let docs = run_all(args, found, jobs)?;
    let wall = start.elapsed();
    print!("{}", report::table(&args.dir, &docs, jobs, wall));
    if args.failures {
        print!("{}", report::failures(&docs));
    }
    let mut failed = Vec::new();
    if let Some(file) = &args.check_ratchet {
        if let Err(e) = ratchet::check(file, &docs) {
            failed.push(e);
        }
    }
    if let Some(file) = &args.write_ratchet {
        ratchet::write(file, &docs, &args.dir, args.allow_new_failures)?;
    }
    if let Some(n) = args.compile {
        if let Err(e) = sample::compile(args, &docs, n) {
            failed.push(e);
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n"))
    }
}

/// Every document under `dir`, as (relative path, size), sorted by path.
fn find_documents(dir: &Path) -> Result<Vec<(String, u64)>, String> {
    let mut out = Vec::new();
    for rel in crate::files::list(dir, &[])? {
        if [".json", ".yaml", ".yml"].iter().any(|e| rel.ends_with(e)) {
            let path = dir.join(&rel);
            let meta = fs::metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            out.push((rel, meta.len()));
        }
    }
    out.sort();
    Ok(out)
}

/// Runs every document on `jobs` workers; returns them sorted by path.
fn run_all(
    args: &CorpusArgs,
    found: Vec<(String, u64)>,
    jobs: usize,
) -> Result<Vec<Document>, String> {
    // Largest first: the long documents start early instead of ending the run alone.
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(found.get(i).map_or(0, |f| f.1)));
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Reply>>> = Mutex::new(vec![None; found.len()]);
    let budget = Duration::from_secs(args.timeout);
    let total = found.len();

    let work = || -> Result<(), String> {
        let mut worker = Worker::spawn(&args.dir, args.memory_limit, args.skip_unsupported)?;
        loop {
            let Some(&index) = order.get(next.fetch_add(1, Ordering::Relaxed)) else {
                return Ok(());
            };
            let Some((rel, _)) = found.get(index) else {
                return Ok(());
            };
            let reply = match worker.ask(rel, budget) {
                Ok(reply) => reply,
                Err(lost) => {
                    worker = Worker::spawn(&args.dir, args.memory_limit, args.skip_unsupported)?;
                    lost
                }
            };
            if let Ok(mut results) = results.lock() {
                if let Some(slot) = results.get_mut(index) {
                    *slot = Some(reply);
                }
            }
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if n % 250 == 0 || n == total {
                eprintln!("corpus: {n}/{total}");
            }
        }
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..jobs).map(|_| scope.spawn(work)).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("corpus: a pool thread panicked".into()))
            })
            .collect::<Result<Vec<()>, String>>()
    })?;
    let results = results
        .into_inner()
        .map_err(|_| "corpus: results poisoned".to_owned())?;
    found
        .into_iter()
        .zip(results)
        .map(|((rel, bytes), reply)| {
            let reply = reply.ok_or_else(|| format!("corpus: {rel} was never run"))?;
            Ok(Document { rel, bytes, reply })
        })
        .collect()
}
