//! `cargo xtask codegen [--check] [--spec FILE] [--out DIR]`: the developer entry point.
//!
//! Thin by design: parse arguments, call `codegen::generate`, then write or diff files.
//! - default: regenerate `generated-client/src/generated/` from `spec/atlas-admin-v2.yaml`,
//!   writing only files that changed and deleting stale ones;
//! - `--check`: write nothing; list every stale, missing or extra file with a diff; exit 1;
//! - `--spec FILE --out DIR`: run the same pipeline on any OpenAPI 3.0 document and write a
//!   complete crate at DIR (Cargo.toml, the hand-written runtime, the generated code);
//!   `--workspace-member` leaves out its `[workspace]` table, for a DIR inside a workspace
//!   that lists it as a member.

mod files;
mod spec_files;
mod standalone;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask codegen [--check] [--spec FILE] \
                     [--out DIR [--name CRATE] [--workspace-member]]";

#[derive(Debug)]
struct Args {
    check: bool,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    name: Option<String>,
    member: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    match args.next().as_deref() {
        Some("codegen") => {}
        Some(other) => return Err(format!("unknown task `{other}`\n{USAGE}")),
        None => return Err(USAGE.to_owned()),
    }
    let mut parsed = Args {
        check: false,
        spec: None,
        out: None,
        name: None,
        member: false,
    };
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| {
            args.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--spec" => parsed.spec = Some(value("--spec")?.into()),
            "--out" => parsed.out = Some(value("--out")?.into()),
            "--name" => parsed.name = Some(value("--name")?),
            "--workspace-member" => parsed.member = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    for (flag, given) in [
        ("--name", parsed.name.is_some()),
        ("--workspace-member", parsed.member),
    ] {
        if given && parsed.out.is_none() {
            return Err(format!("{flag} only applies with --out\n{USAGE}"));
        }
    }
    Ok(parsed)
}

/// The workspace root (the parent of this crate's manifest directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Default spec and output directory, relative to the workspace root.
pub const DEFAULT_SPEC: &str = "spec/atlas-admin-v2.yaml";
pub const DEFAULT_OUT: &str = "generated-client/src/generated";

/// Runs the generator on `spec_path`, naming it `display_name` in errors and headers.
pub fn generate(
    spec_path: &Path,
    display_name: &str,
) -> Result<Vec<codegen::GeneratedFile>, String> {
    let text = std::fs::read(spec_path)
        .map_err(|e| format!("{}: cannot read: {e}", spec_path.display()))?;
    let input = codegen::Input {
        file_name: display_name,
        text: &text,
    };
    // `$ref`s to other files resolve under the spec's directory (outside it: see
    // `codegen::Files::allow_outside`).
    let dir = spec_path.parent().unwrap_or_else(|| Path::new("."));
    let source = spec_files::SpecDir::new(dir, false);
    let files = codegen::Files {
        source: &source,
        allow_outside: false,
    };
    codegen::generate_with_files(&input, &files).map_err(|errors| errors.to_string())
}

fn run(args: Args) -> Result<(), String> {
    let root = workspace_root();
    let (spec_path, display) = match &args.spec {
        Some(spec) => (spec.clone(), spec.display().to_string()),
        None => (root.join(DEFAULT_SPEC), DEFAULT_SPEC.to_owned()),
    };
    let generated = generate(&spec_path, &display)?;
    match &args.out {
        Some(out) => {
            let crate_name = args
                .name
                .clone()
                .unwrap_or_else(|| standalone::crate_name_for(&spec_path));
            let files = standalone::crate_files(&root, &crate_name, args.member, generated)?;
            files::apply(out, out, &files, args.check, &["target", "Cargo.lock"])
        }
        None => {
            let out = Path::new(DEFAULT_OUT);
            files::apply(&root.join(out), out, &generated, args.check, &[])
        }
    }
}

fn main() -> ExitCode {
    let result = parse_args(std::env::args().skip(1)).and_then(run);
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

    fn args(list: &[&str]) -> Result<Args, String> {
        parse_args(list.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn parses_flags() {
        let a = args(&[
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
        assert!(a.member);
        assert!(a.check);
        assert_eq!(a.spec.unwrap(), PathBuf::from("x.yaml"));
        assert_eq!(a.out.unwrap(), PathBuf::from("o"));
        assert_eq!(a.name.unwrap(), "n");
    }

    #[test]
    fn rejects_bad_arguments() {
        assert!(args(&[]).is_err());
        assert!(args(&["build"]).unwrap_err().contains("unknown task"));
        assert!(args(&["codegen", "--spec"])
            .unwrap_err()
            .contains("needs a value"));
        assert!(args(&["codegen", "--bogus"])
            .unwrap_err()
            .contains("unknown argument"));
        assert!(args(&["codegen", "--name", "x"])
            .unwrap_err()
            .contains("--name only applies"));
        assert!(args(&["codegen", "--workspace-member"])
            .unwrap_err()
            .contains("--workspace-member only applies"));
    }

    /// The committed generated code matches what the bundled spec produces: a plain
    /// `cargo test --workspace` catches a stale checkout, as `cargo xtask codegen --check` does.
    #[test]
    fn generated_code_is_fresh() {
        let root = workspace_root();
        let generated = generate(&root.join(DEFAULT_SPEC), DEFAULT_SPEC).unwrap();
        let out = Path::new(DEFAULT_OUT);
        let report = files::check(&root.join(out), out, &generated, &[]).unwrap();
        assert!(report.is_empty(), "{}", report.join("\n"));
    }

    /// Two runs produce identical bytes.
    #[test]
    fn generation_is_deterministic() {
        let root = workspace_root();
        let a = generate(&root.join(DEFAULT_SPEC), DEFAULT_SPEC).unwrap();
        let b = generate(&root.join(DEFAULT_SPEC), DEFAULT_SPEC).unwrap();
        assert_eq!(a, b);
    }
}
