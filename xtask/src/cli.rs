//! The command line: one clap-derived struct per subcommand, so that each flag's docs (which
//! `--help` prints), default and checks sit in one place. Values are checked here, before
//! any task starts: a bad `--name` is refused before anything is written.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::crate_name;

/// Developer tasks of the atlas-admin workspace.
#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    disable_help_subcommand = true,
    arg_required_else_help = true,
    after_help = "Run `cargo xtask <COMMAND> --help` for a command's options."
)]
pub struct Cli {
    #[command(subcommand)]
    pub task: Task,
}

#[derive(Debug, Subcommand)]
pub enum Task {
    /// Regenerate the bundled client, or generate a complete crate from any OpenAPI document
    #[command(long_about = "Regenerate generated-client/src/generated/ from \
        spec/atlas-admin-v2.yaml (writing only files that changed, deleting stale ones), or, \
        with --out, write a complete crate (Cargo.toml, the client runtime, the generated \
        code) from --spec.\n\nThe generated files name the spec deterministically: relative \
        to --out when the spec is inside it, else relative to this workspace when inside it, \
        else by its file name.")]
    Codegen(CodegenArgs),
    /// Run the generator over every OpenAPI document under a directory and tabulate the outcomes
    #[command(
        long_about = "Run the generator over every .json, .yaml and .yml document \
        under DIR, in parallel worker processes (a panic is caught, a crash or a document \
        past its time budget costs one worker, never the run), and print a table of \
        outcomes (generated, each error kind, panics, crashes, time-outs), split by OpenAPI \
        version.\n\nA ratchet file lists the documents expected to fail, with their first \
        error: --check-ratchet fails on any change to that set, --write-ratchet rewrites \
        it. --compile N builds a seeded random sample of the generated crates."
    )]
    Corpus(CorpusArgs),
    /// Measure generation and the generated crate's cargo check and debug build (time, lines, peak memory)
    #[command(
        long_about = "For one spec: generation time and peak memory, generated lines \
        per file, and the crate-only `cargo check` and debug `cargo build` time and peak \
        memory of the generated crate (its dependencies are built once, beforehand, in a \
        shared target dir). With --baseline-bin or --baseline-rev, runs this generator (A) \
        and the baseline (B) in interleaved pairs and reports each pair's ratio A/B and the \
        median."
    )]
    BenchGen(BenchArgs),
    /// Internal: the corpus's worker process (document paths on stdin, one JSON line out each)
    #[command(hide = true)]
    CorpusWorker(WorkerArgs),
}

#[derive(Debug, Args)]
pub struct CodegenArgs {
    /// Write nothing: list every stale, missing or extra file with a diff, and exit 1 if any
    #[arg(long)]
    pub check: bool,
    /// The OpenAPI document, YAML or JSON [default: spec/atlas-admin-v2.yaml]
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// Write a complete crate at DIR instead of generated-client/src/generated/
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The crate's package name (cargo's rules) [default: from the spec's file name]
    #[arg(long, value_name = "CRATE", requires = "out", value_parser = crate_name::parse)]
    pub name: Option<String>,
    /// Leave out the crate's `[workspace]` table, for a DIR that an enclosing workspace lists
    #[arg(long, requires = "out")]
    pub workspace_member: bool,
    /// Leave out each operation or schema the generator cannot lower (and what needs it),
    /// with one `warning:` line each on stderr, and generate the rest
    #[arg(long)]
    pub skip_unsupported: bool,
    /// Let `$ref`s reach files outside the spec's directory (`../common/errors.yaml`);
    /// by default such a `$ref` is an error naming its file and pointer. URLs are never fetched
    #[arg(long)]
    pub allow_outside_refs: bool,
}

#[derive(Debug, Args)]
pub struct CorpusArgs {
    /// The directory searched, recursively, for .json, .yaml and .yml documents
    pub dir: PathBuf,
    /// Worker processes [default: the number of cores]
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<NonZeroUsize>,
    /// Time budget per document, in seconds: past it the worker is killed (a time-out)
    #[arg(long, value_name = "SECS", default_value_t = 120)]
    pub timeout: u64,
    /// Address-space limit per worker, in MiB: a document that needs more is a crash
    #[arg(long, value_name = "MIB", default_value_t = 4096)]
    pub memory_limit: u64,
    /// Also print one line per document that does not generate, with its first error
    #[arg(long)]
    pub failures: bool,
    /// Compile a seeded random sample of N of the generated crates and report each one
    #[arg(long, value_name = "N")]
    pub compile: Option<usize>,
    /// Seed of the --compile sample (the same seed and Cargo.lock draw the same documents)
    #[arg(long, value_name = "S", default_value_t = 1, requires = "compile")]
    pub seed: u64,
    /// Compile the sample with `cargo clippy --all-targets -- -D warnings`, not `cargo check`
    #[arg(long, requires = "compile")]
    pub clippy: bool,
    /// Where the sample crates and their shared target dir live [default: target/corpus-sample]
    #[arg(long, value_name = "DIR", requires = "compile")]
    pub sample_dir: Option<PathBuf>,
    /// Fail if a document FILE does not list fails, or a listed one generates (or is gone)
    #[arg(long, value_name = "FILE", conflicts_with = "write_ratchet")]
    pub check_ratchet: Option<PathBuf>,
    /// Write the documents that fail, each with its first error, to FILE
    #[arg(long, value_name = "FILE")]
    pub write_ratchet: Option<PathBuf>,
    /// With --write-ratchet: accept documents that FILE does not list yet (it may only shrink)
    #[arg(long, requires = "write_ratchet")]
    pub allow_new_failures: bool,
    /// Generate as `codegen --skip-unsupported` does: a document counts as generated when
    /// its problems are all inside operations or schemas (the ratchet stays strict)
    #[arg(long, conflicts_with_all = ["check_ratchet", "write_ratchet"])]
    pub skip_unsupported: bool,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The OpenAPI document to generate from [default: spec/atlas-admin-v2.yaml]
    #[arg(long, value_name = "FILE")]
    pub spec: Option<PathBuf>,
    /// Compare with another generator build: an xtask binary (B)
    #[arg(long, value_name = "PATH", conflicts_with = "baseline_rev")]
    pub baseline_bin: Option<PathBuf>,
    /// Compare with the generator at a git revision (B), built once in the work dir
    #[arg(long, value_name = "REV")]
    pub baseline_rev: Option<String>,
    /// Measured runs (with a baseline: interleaved A/B pairs)
    #[arg(long, value_name = "N", default_value = "1")]
    pub runs: NonZeroUsize,
    /// What to measure, comma-separated
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "gen,check,build"
    )]
    pub measure: Vec<Measure>,
    /// The crates and their shared target dir [default: target/bench-gen]
    #[arg(long, value_name = "DIR")]
    pub work_dir: Option<PathBuf>,
}

/// One measured step of `bench-gen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
pub enum Measure {
    /// `xtask codegen --spec FILE --out DIR`, as a process: time and peak memory
    Gen,
    /// `cargo check` of the generated crate alone
    Check,
    /// debug `cargo build` of the generated crate alone
    Build,
}

#[derive(Debug, Args)]
pub struct WorkerArgs {
    /// The corpus directory the paths on stdin are relative to
    pub dir: PathBuf,
    /// Address-space limit, in MiB
    #[arg(long, value_name = "MIB")]
    pub memory_limit: u64,
    /// Generate with `--skip-unsupported`
    #[arg(long)]
    pub skip_unsupported: bool,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("xtask").chain(args.iter().copied()))
    }

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn codegen_flags() {
        let cli = parse(&[
            "codegen",
            "--check",
            "--spec",
            "x.yaml",
            "--out",
            "o",
            "--name",
            "n",
            "--workspace-member",
        ])
        .unwrap();
        let Task::Codegen(a) = cli.task else {
            panic!("{cli:?}")
        };
        assert!(a.check && a.workspace_member);
        assert_eq!(a.spec, Some(PathBuf::from("x.yaml")));
        assert_eq!(a.out, Some(PathBuf::from("o")));
        assert_eq!(a.name.as_deref(), Some("n"));
    }

    #[test]
    fn bad_arguments_say_what_was_expected() {
        use clap::error::ErrorKind::*;
        for (args, kind, says) in [
            (
                &["build"][..],
                InvalidSubcommand,
                "unrecognized subcommand 'build'",
            ),
            (
                &["codegen", "--spec"][..],
                InvalidValue,
                "a value is required for '--spec <FILE>'",
            ),
            (
                &["codegen", "--bogus"][..],
                UnknownArgument,
                "unexpected argument '--bogus'",
            ),
            (
                &["codegen", "--name", "x"][..],
                MissingRequiredArgument,
                "--out <DIR>",
            ),
            (
                &["codegen", "--workspace-member"][..],
                MissingRequiredArgument,
                "--out <DIR>",
            ),
            (
                &["codegen", "--out", "o", "--name", ".-x"][..],
                ValueValidation,
                "invalid character `.` in package name `.-x`",
            ),
            (&["corpus"][..], MissingRequiredArgument, "<DIR>"),
            (
                &["corpus", "d", "--seed", "3"][..],
                MissingRequiredArgument,
                "--compile <N>",
            ),
            (
                &[
                    "corpus",
                    "d",
                    "--check-ratchet",
                    "a",
                    "--write-ratchet",
                    "b",
                ][..],
                ArgumentConflict,
                "cannot be used with",
            ),
            (
                &["bench-gen", "--measure", "run"][..],
                InvalidValue,
                "possible values: gen, check, build",
            ),
            (
                &["bench-gen", "--runs", "0"][..],
                ValueValidation,
                "'--runs <N>'",
            ),
        ] {
            let err = parse(args).expect_err(&args.join(" "));
            let text = err.to_string();
            assert_eq!(err.kind(), kind, "{args:?}: {text}");
            assert!(text.contains(says), "{args:?}: {text}");
        }
    }

    #[test]
    fn every_command_has_help() {
        assert_eq!(
            parse(&["--help"]).unwrap_err().kind(),
            clap::error::ErrorKind::DisplayHelp
        );
        for sub in ["codegen", "corpus", "bench-gen"] {
            let err = parse(&[sub, "--help"]).unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp, "{sub}");
            assert!(
                err.to_string()
                    .contains(&format!("Usage: cargo xtask {sub}")),
                "{err}"
            );
        }
    }
}
