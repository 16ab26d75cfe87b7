//! Criterion benchmark of the whole pipeline (spec bytes → formatted files) and of each stage.
//!
//! Specs:
//! - `atlas`: the bundled `spec/atlas-admin-v2.yaml`;
//! - `github`: GitHub's REST description, `api.github.com.json` from the npm package
//!   `@octokit/openapi`, which `.ci/setup.sh` installs under `.ci/work/`. When it is not
//!   installed, this bench says so and benchmarks only the bundled spec.
//!
//! Groups, so that a regression points at a stage:
//! - `stages/<spec>/load`, `load+validate`: from the spec bytes;
//!   `lower`: from the loaded document; `emit+format`: from the IR, to formatted strings;
//! - `pipeline/<spec>`: `codegen::generate`, the sum of the above.
//!
//! Throughput is the spec's size (criterion prints MiB/s); the summary printed at the end adds
//! files/s from the pipeline runs. A spec the generator rejects is benchmarked up to and
//! including the stage that fails (finding problems is work too), its errors are printed, and
//! the later stages are skipped.
//!
//! `cargo bench -p codegen --bench pipeline -- --warm-up-time 1 --measurement-time 5`

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use codegen::document::Document;
use codegen::{emit, format, load, lower, validate, Errors, Input};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Where `.ci/setup.sh` installs GitHub's description, relative to the workspace root.
const GITHUB_SPEC: &str = ".ci/work/node_modules/@octokit/openapi/generated/api.github.com.json";
const BUNDLED_SPEC: &str = "spec/atlas-admin-v2.yaml";

struct Spec {
    /// Benchmark id (`atlas`, `github`).
    id: &'static str,
    /// The name errors and headers use: the path relative to the workspace root.
    file_name: &'static str,
    text: Vec<u8>,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

fn read_spec(id: &'static str, file_name: &'static str, missing_hint: &str) -> Option<Spec> {
    let path = workspace_root().join(file_name);
    match std::fs::read(&path) {
        Ok(text) => Some(Spec {
            id,
            file_name,
            text,
        }),
        Err(e) => {
            eprintln!(
                "bench `{id}` skipped: cannot read {}: {e}{missing_hint}",
                path.display()
            );
            None
        }
    }
}

/// The first lines of an error list: enough to see what failed without flooding the output.
fn excerpt(errors: &Errors) -> String {
    let text = errors.to_string();
    let total = text.lines().count();
    let mut out: Vec<&str> = text.lines().take(10).collect();
    let more = format!("… and {} more lines", total.saturating_sub(10));
    if total > 10 {
        out.push(&more);
    }
    out.join("\n    ")
}

/// Benchmarks every stage of `spec`, then the whole pipeline; returns the summary line.
fn bench_spec(c: &mut Criterion, spec: &Spec) -> String {
    let input = Input {
        file_name: spec.file_name,
        text: &spec.text,
    };
    let bytes = spec.text.len() as u64;
    let file = spec.file_name;
    let failed = |stage: &str, errors: &Errors| {
        let line = format!(
            "{}: generate fails at {stage}; later stages not benchmarked:\n    {}",
            spec.id,
            excerpt(errors)
        );
        eprintln!("{line}");
        line
    };

    let mut stages = c.benchmark_group(format!("stages/{}", spec.id));
    stages.throughput(Throughput::Bytes(bytes));
    if bytes > 1_000_000 {
        stages.sample_size(10);
    }
    stages.bench_function("load", |b| b.iter(|| load::load(black_box(&input))));
    let loaded = match load::load(&input) {
        Ok(loaded) => loaded,
        Err(errors) => return failed("load", &errors),
    };
    stages.bench_function("load+validate", |b| {
        b.iter(|| {
            load::load(black_box(&input))
                .map(|l| validate::validate(Document::new(&l.doc, &l.raw, file)).is_ok())
        })
    });
    let valid = match validate::validate(Document::new(&loaded.doc, &loaded.raw, file)) {
        Ok(valid) => valid,
        Err(errors) => return failed("validate", &errors),
    };
    stages.bench_function("lower", |b| b.iter(|| lower::lower(black_box(&valid))));
    let ir = match lower::lower(&valid) {
        Ok(ir) => ir,
        Err(error) => return failed("lower", &Errors::from(error)),
    };
    let emit_format = || -> Result<Vec<String>, codegen::Error> {
        emit::emit(black_box(&ir), file)?
            .into_iter()
            .map(|(rel_path, tokens)| format::format_file(tokens, &rel_path, file))
            .collect()
    };
    stages.bench_function("emit+format", |b| b.iter(emit_format));
    if let Err(error) = emit_format() {
        return failed("emit+format", &Errors::from(error));
    }
    stages.finish();

    let (files, out_bytes) = match codegen::generate(&input) {
        Ok(files) => (
            files.len(),
            files.iter().map(|f| f.contents.len()).sum::<usize>(),
        ),
        Err(errors) => return failed("generate", &errors),
    };
    let mut pipeline = c.benchmark_group("pipeline");
    pipeline.throughput(Throughput::Bytes(bytes));
    if bytes > 1_000_000 {
        pipeline.sample_size(10);
    }
    // Every timed iteration, warm-up included, for the files/s in the summary.
    let (mut runs, mut total) = (0_u64, Duration::ZERO);
    pipeline.bench_function(spec.id, |b| {
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                let _ = black_box(codegen::generate(black_box(&input)));
            }
            let elapsed = start.elapsed();
            runs += iters;
            total += elapsed;
            elapsed
        })
    });
    pipeline.finish();
    if runs == 0 {
        return format!("{}: pipeline not run (filtered out)", spec.id);
    }
    let per_run = total.as_secs_f64() / runs as f64;
    format!(
        "{}: {:.2} MB of spec → {files} files ({:.2} MB of Rust) in {:.1} ms/run \
         (mean of {runs} runs) = {:.1} files/s, {:.2} MB/s of spec in, {:.2} MB/s of Rust out",
        spec.id,
        bytes as f64 / 1e6,
        out_bytes as f64 / 1e6,
        per_run * 1e3,
        files as f64 / per_run,
        bytes as f64 / 1e6 / per_run,
        out_bytes as f64 / 1e6 / per_run,
    )
}

fn benches(c: &mut Criterion) {
    let hint = "; run `bash .ci/setup.sh` to install GitHub's description (npm package \
                @octokit/openapi) under .ci/work/";
    let specs = [
        read_spec("atlas", BUNDLED_SPEC, ""),
        read_spec("github", GITHUB_SPEC, hint),
    ];
    let summary: Vec<String> = specs
        .iter()
        .flatten()
        .map(|spec| bench_spec(c, spec))
        .collect();
    eprintln!("\nsummary (whole pipeline, load → formatted files):");
    for line in summary {
        eprintln!("  {line}");
    }
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
