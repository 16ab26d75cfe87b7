//! The bad-spec corpus: every file under `fixtures/bad/` holds one problem, must be
//! rejected (never accepted, never a panic), and every message must say where (a JSON
//! pointer or a `line:col`). The snapshots hold the exact text users will read.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    reason = "test helpers outside #[test] fns: a failed expectation should panic"
)]

#[path = "support/error_kinds.rs"]
mod error_kinds;

use codegen::{Errors, Files, Input, ReadError};

/// The whole pipeline, so a problem any stage finds (load, validate, lower, emit) counts.
fn run(input: &Input<'_>) -> Result<(), Errors> {
    codegen::generate(input).map(drop)
}

/// `{file}:{line}:{col}: …`
fn has_line_col(message: &str, file: &str) -> bool {
    let Some(rest) = message.strip_prefix(file).and_then(|r| r.strip_prefix(':')) else {
        return false;
    };
    let mut parts = rest.splitn(3, ':');
    let digits =
        |s: Option<&str>| s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    digits(parts.next()) && digits(parts.next())
}

fn check(file: &str, text: &[u8]) -> Errors {
    let errors = match run(&Input {
        file_name: file,
        text,
    }) {
        Ok(()) => panic!("{file}: accepted, but it is in the bad-spec corpus"),
        Err(errors) => errors,
    };
    assert!(!errors.is_empty(), "{file}: an empty error list");
    for error in &errors {
        let message = error.to_string();
        let pointer = message.starts_with(&format!("{file}: #"));
        assert!(
            pointer || has_line_col(&message, file),
            "no pointer or line:col: {message}"
        );
        assert!(!message.ends_with('.'), "trailing period: {message}");
        assert!(!message.contains('\n'), "one error, one line: {message}");
    }
    errors
}

#[test]
fn bad_specs() {
    insta::glob!("fixtures/bad/*", |path| {
        let text = std::fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap();
        let errors = check(&format!("fixtures/bad/{name}"), &text);
        insta::assert_snapshot!(errors.to_string());
    });
}

/// Too big to commit: 10 000 levels of nesting, as JSON and as YAML (flow and block).
#[test]
fn absurd_nesting_is_an_error_not_a_crash() {
    let n = 10_000;
    let cases = [
        ("deep.json", format!("{}{}", "[".repeat(n), "]".repeat(n))),
        (
            "deep_objects.json",
            format!("{}0{}", "{\"a\":".repeat(n), "}".repeat(n)),
        ),
        (
            "deep_flow.yaml",
            format!("openapi: 3.0.3\nx: {}{}\n", "[".repeat(n), "]".repeat(n)),
        ),
        (
            "deep_block.yaml",
            (0..n).map(|i| format!("{}- \n", " ".repeat(i))).collect(),
        ),
    ];
    for (file, text) in cases {
        let errors = check(file, text.as_bytes());
        assert_eq!(errors.len(), 1, "{errors}");
        let message = errors.to_string();
        assert!(
            message.contains("nested more than 64 levels deep"),
            "{message}"
        );
    }
}

/// Every `ErrorKind` has at least one case in the corpora (house style: a kind without one
/// is a message nobody has read): `fixtures/bad/` (one file each) and `fixtures/load/bad/`
/// (multi-file descriptions, read relative to their directory), and the warnings of
/// `fixtures/skip/` in skip mode.
#[test]
fn every_error_kind_has_a_bad_spec() {
    let mut seen = std::collections::BTreeSet::new();
    let mut record = |name: &str, result: Result<(), Errors>| match result {
        Ok(()) => panic!("{name}: accepted, but it is in a bad-spec corpus"),
        Err(errors) => seen.extend(errors.iter().map(|e| error_kinds::name(&e.kind))),
    };
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bad");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read(&path).unwrap();
        record(
            &name,
            run(&Input {
                file_name: &name,
                text: &text,
            }),
        );
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/load/bad");
    for entry in std::fs::read_dir(dir).unwrap() {
        let fixture = entry.unwrap().path();
        let name = fixture.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read(fixture.join("openapi.yaml")).unwrap();
        let read = |path: &str| std::fs::read(fixture.join(path)).map_err(|_| ReadError::NotFound);
        let files = Files {
            source: &read,
            allow_outside: false,
        };
        let input = Input {
            file_name: &name,
            text: &text,
        };
        record(
            &name,
            codegen::generate_with_files(&input, &files).map(drop),
        );
    }
    // Kinds only skip mode reports, as the problem of a warning (`fixtures/skip/`).
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/skip");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read(&path).unwrap();
        let input = Input {
            file_name: &name,
            text: &text,
        };
        let options = codegen::Options {
            skip_unsupported: true,
        };
        let generated = codegen::generate_with_options(&input, None, &options)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        seen.extend(
            generated
                .warnings
                .iter()
                .map(|w| error_kinds::name(&w.problem.kind)),
        );
    }
    let missing: Vec<String> = error_kinds::declared()
        .into_iter()
        .filter(|k| !seen.contains(k))
        .collect();
    assert!(
        missing.is_empty(),
        "no bad spec under fixtures/bad/ or fixtures/load/bad/ produces {missing:?}"
    );
}
