//! `cargo xtask`: the developer entry point (`cargo xtask --help` lists the commands).
//!
//! Thin by design: parse arguments (`cli`), call the generator (`generate_text`), then write or diff
//! files (`files`, `standalone`), or run one of the measuring commands (`corpus`, `bench`).
//! - `codegen`: regenerate `generated-client/src/generated/` from `spec/atlas-admin-v2.yaml`,
//!   writing only files that changed and deleting stale ones; `--check` writes nothing, lists
//!   every stale, missing or extra file with a diff and exits 1; `--spec FILE --out DIR` runs
//!   the same pipeline on any OpenAPI document and writes a complete crate at DIR
//!   (`--workspace-member` leaves out its `[workspace]` table);
//! - `corpus DIR`: the generator over every document of a directory, a table of outcomes, a
//!   ratchet of expected failures and a compiled sample;
//! - `bench-gen`: generation and crate build time, lines and peak memory, A/B.

mod bench;
mod cli;
mod corpus;
mod crate_name;
mod files;
mod measure;
mod scratch;
mod spec_files;
mod spec_name;
mod standalone;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, CodegenArgs, Task};

/// The workspace root (the parent of this crate's manifest directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Default spec and output directory, relative to the workspace root.
pub const DEFAULT_SPEC: &str = "spec/atlas-admin-v2.yaml";
pub const DEFAULT_OUT: &str = "generated-client/src/generated";

/// Runs the generator on the spec at `path`, which the generated files call `display_name`
/// (see `spec_name`); errors and warnings name the files as the user knows them (`shown`,
/// the path as typed, and the files it refers to beside it). `allow_outside`: `$ref`s may
/// reach files outside the spec's directory (`--allow-outside-refs`).
pub fn generate(
    path: &Path,
    display_name: &str,
    shown: &str,
    options: &codegen::Options,
    allow_outside: bool,
) -> Result<codegen::Generated, String> {
    let text = std::fs::read(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let as_typed = |file: &mut String| *file = spec_name::as_typed(file, display_name, shown);
    match generate_text(path, &text, display_name, options, allow_outside) {
        Ok(mut generated) => {
            for warning in &mut generated.warnings {
                as_typed(&mut warning.problem.file);
            }
            Ok(generated)
        }
        Err(mut errors) => {
            for error in &mut errors.0 {
                as_typed(&mut error.file);
            }
            Err(errors.to_string())
        }
    }
}

/// The generator's one entry point in xtask (`codegen` and every `corpus` document): `text`
/// is the spec at `path`, named `display_name`; `$ref`s to other files resolve under the
/// spec's directory, and outside it only with `allow_outside` (see
/// `codegen::Files::allow_outside`); `options` carries `--skip-unsupported`.
pub fn generate_text(
    path: &Path,
    text: &[u8],
    display_name: &str,
    options: &codegen::Options,
    allow_outside: bool,
) -> Result<codegen::Generated, codegen::Errors> {
    let input = codegen::Input {
        file_name: display_name,
        text,
    };
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let source = spec_files::SpecDir::new(dir, allow_outside);
    let files = codegen::Files {
        source: &source,
        allow_outside,
    };
    codegen::generate_with_options(&input, Some(&files), options)
}

fn codegen(args: CodegenArgs) -> Result<(), String> {
    let root = workspace_root();
    let (spec_path, shown) = match &args.spec {
        Some(spec) => (spec.clone(), spec.display().to_string()),
        None => (root.join(DEFAULT_SPEC), DEFAULT_SPEC.to_owned()),
    };
    let display = spec_name::display_name(&spec_path, args.out.as_deref(), &root);
    let options = codegen::Options {
        skip_unsupported: args.skip_unsupported,
    };
    let codegen::Generated {
        files: generated,
        warnings,
    } = generate(
        &spec_path,
        &display,
        &shown,
        &options,
        args.allow_outside_refs,
    )?;
    // One line per problem that left something out; the rest is generated.
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    match &args.out {
        Some(out) => {
            let crate_name = args
                .name
                .clone()
                .unwrap_or_else(|| standalone::crate_name_for(&spec_path));
            let files =
                standalone::crate_files(&root, &crate_name, args.workspace_member, generated)?;
            // A spec inside the crate is the user's, not a stale file (`display` is then its
            // path relative to the crate).
            let spec_inside = spec_name::relative_to(&spec_path, out);
            let mut keep = vec!["target", "Cargo.lock"];
            keep.extend(spec_inside.as_deref());
            files::apply(out, out, &files, args.check, &keep)
        }
        None => {
            let out = Path::new(DEFAULT_OUT);
            files::apply(&root.join(out), out, &generated, args.check, &[])
        }
    }
}

/// See the dependency's note in `Cargo.toml`: generation is allocation-bound.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let result = match Cli::parse().task {
        Task::Codegen(args) => codegen(args),
        Task::Corpus(args) => corpus::run(&args),
        Task::CorpusWorker(args) => corpus::worker::serve(&args),
        Task::BenchGen(args) => bench::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRICT: codegen::Options = codegen::Options {
        skip_unsupported: false,
    };

    /// The committed generated code matches what the bundled spec produces: a plain
    /// `cargo test --workspace` catches a stale checkout, as `cargo xtask codegen --check` does.
    #[test]
    fn generated_code_is_fresh() {
        let root = workspace_root();
        let spec = root.join(DEFAULT_SPEC);
        let display = spec_name::display_name(&spec, None, &root);
        assert_eq!(display, DEFAULT_SPEC);
        let generated = generate(&spec, &display, DEFAULT_SPEC, &STRICT, false)
            .unwrap()
            .files;
        let out = Path::new(DEFAULT_OUT);
        let report = files::check(&root.join(out), out, &generated, &[]).unwrap();
        assert!(report.is_empty(), "{}", report.join("\n"));
    }

    /// Two runs produce identical bytes.
    #[test]
    fn generation_is_deterministic() {
        let root = workspace_root();
        let run = || {
            generate(
                &root.join(DEFAULT_SPEC),
                DEFAULT_SPEC,
                DEFAULT_SPEC,
                &STRICT,
                false,
            )
        };
        let (a, b) = (run().unwrap().files, run().unwrap().files);
        assert_eq!(a, b);
    }
}
