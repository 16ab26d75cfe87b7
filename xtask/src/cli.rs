//! The command line: one clap-derived struct per subcommand, so that each flag's docs (which
//! `--help` prints), default and checks sit in one place. Values are checked here, before
//! any task starts: a bad `--name` is refused before anything is written.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    /// Leave out the crate's [workspace] table, for a DIR that an enclosing workspace lists
    #[arg(long, requires = "out")]
    pub workspace_member: bool,
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
        let Task::Codegen(a) = cli.task;
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
        let err = parse(&["codegen", "--help"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp);
        assert!(
            err.to_string().contains("Usage: cargo xtask codegen"),
            "{err}"
        );
    }
}
