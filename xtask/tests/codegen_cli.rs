//! `cargo xtask codegen` end to end, through the real binary: write mode, `--check` on a
//! stale crate, bad specs and bad arguments. Everything runs with `--spec`/`--out` in a
//! temporary directory (the working directory of the run), so the repository is never
//! touched; `--out` is given relative, so the printed paths are checked as a user sees them.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use common::{bundled_spec, xtask};

const STALE: &str = "generated code is stale: run `cargo xtask codegen` and commit";

/// Every file under `dir`, relative path → bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let entry = entry.unwrap();
            let rel = format!("{prefix}{}", entry.file_name().to_string_lossy());
            if entry.file_type().unwrap().is_dir() {
                walk(&entry.path(), &format!("{rel}/"), out);
            } else {
                out.insert(rel, fs::read(entry.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, "", &mut out);
    out
}

/// The report entries (`stale …`, `missing …`, `extra …`) of a `--check` run's stderr.
fn entries(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("stale ") || l.starts_with("missing ") || l.starts_with("extra "))
        .collect()
}

#[test]
fn check_lists_every_stale_missing_and_extra_file_then_write_repairs_them() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = bundled_spec();
    let spec = spec.to_str().unwrap();
    let args = [
        "codegen", "--spec", spec, "--out", "client", "--name", "demo",
    ];
    let check_args = [&args[..], &["--check"]].concat();

    // A fresh crate: every file is reported, relative to the working directory.
    let first = xtask(tmp.path(), &args);
    first.expect_code(0);
    let dir = tmp.path().join("client");
    let written = snapshot(&dir);
    let mut updated: Vec<&str> = first.stdout.lines().collect();
    updated.sort_unstable();
    let expected: Vec<String> = written
        .keys()
        .map(|k| format!("updated client/{k}"))
        .collect();
    assert_eq!(updated, expected, "one `updated` line per file");
    assert!(
        written.contains_key("src/generated/models.rs"),
        "{:?}",
        written.keys()
    );
    assert!(
        !first.stdout.contains(&tmp.path().display().to_string()),
        "paths are printed as given, never absolute:\n{}",
        first.stdout
    );

    // Idempotent: `--check` right after writing passes and says nothing; a rewrite writes nothing.
    let clean = xtask(tmp.path(), &check_args);
    clean.expect_code(0);
    assert_eq!((clean.stdout.as_str(), clean.stderr.as_str()), ("", ""));
    let again = xtask(tmp.path(), &args);
    again.expect_code(0);
    assert_eq!(again.stdout, "", "nothing changed, nothing written");

    // Break it four ways, plus files that belong to the user and must be left alone.
    let models = dir.join("src/generated/models.rs");
    let text = fs::read_to_string(&models).unwrap();
    let (first_line, rest) = text.split_once('\n').unwrap();
    fs::write(&models, format!("{first_line}\n// hand edit\n{rest}")).unwrap();
    let manifest = dir.join("Cargo.toml");
    let toml = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        toml.replace("name = \"demo\"", "name = \"renamed\""),
    )
    .unwrap();
    fs::remove_file(dir.join("src/generated/operations.rs")).unwrap();
    fs::write(dir.join("src/generated/leftover.rs"), "// old\n").unwrap();
    fs::create_dir_all(dir.join("target/debug")).unwrap();
    fs::write(dir.join("target/debug/artifact"), "x").unwrap();
    fs::write(dir.join("Cargo.lock"), "# lock\n").unwrap();
    let broken = snapshot(&dir);

    let stale = xtask(tmp.path(), &check_args);
    stale.expect_code(1);
    assert_eq!(stale.stdout, "", "--check reports on stderr");
    assert_eq!(
        entries(&stale.stderr),
        [
            "stale client/Cargo.toml",
            "stale client/src/generated/models.rs",
            "missing client/src/generated/operations.rs",
            "extra client/src/generated/leftover.rs",
        ],
        "every difference, and only those:\n{}",
        stale.stderr
    );
    for diff_line in [
        "--- committed/Cargo.toml",
        "+++ generated/Cargo.toml",
        "-name = \"renamed\"",
        "+name = \"demo\"",
        "--- committed/src/generated/models.rs",
        "+++ generated/src/generated/models.rs",
        "-// hand edit",
    ] {
        assert!(
            stale.stderr.lines().any(|l| l == diff_line),
            "no diff line {diff_line:?} in\n{}",
            stale.stderr
        );
    }
    assert_eq!(stale.stderr.lines().last(), Some(STALE), "{}", stale.stderr);
    assert_eq!(snapshot(&dir), broken, "--check writes nothing");

    // Write mode repairs exactly the broken files and keeps the user's.
    let repair = xtask(tmp.path(), &args);
    repair.expect_code(0);
    let mut lines: Vec<&str> = repair.stdout.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "deleted client/src/generated/leftover.rs",
            "updated client/Cargo.toml",
            "updated client/src/generated/models.rs",
            "updated client/src/generated/operations.rs",
        ]
    );
    xtask(tmp.path(), &check_args).expect_code(0);
    let mut repaired = snapshot(&dir);
    assert_eq!(
        repaired.remove("Cargo.lock").as_deref(),
        Some(&b"# lock\n"[..])
    );
    assert_eq!(
        repaired.remove("target/debug/artifact").as_deref(),
        Some(&b"x"[..])
    );
    assert_eq!(repaired, written);
}

#[test]
fn a_crlf_checkout_is_not_stale() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = bundled_spec();
    let args = ["codegen", "--spec", spec.to_str().unwrap(), "--out", "c"];
    xtask(tmp.path(), &args).expect_code(0);
    let models = tmp.path().join("c/src/generated/models.rs");
    let text = fs::read_to_string(&models).unwrap();
    fs::write(&models, text.replace('\n', "\r\n")).unwrap();
    xtask(tmp.path(), &[&args[..], &["--check"]].concat()).expect_code(0);
}

#[test]
fn a_bad_spec_fails_with_every_problem_and_its_json_pointer() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("bad.yaml"),
        r##"openapi: 3.0.3
info: {title: bad, version: "1"}
paths:
  /things/{id}:
    get:
      operationId: getThing
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Missing"}
components:
  schemas:
    Thing:
      type: object
      properties:
        child: {$ref: "#/components/schemas/Child"}
"##,
    )
    .unwrap();
    for check in [false, true] {
        let mut args = vec!["codegen", "--spec", "bad.yaml", "--out", "client"];
        if check {
            args.push("--check");
        }
        let run = xtask(tmp.path(), &args);
        run.expect_code(1);
        assert_eq!(run.stdout, "");
        for expected in [
            "bad.yaml: #/components/schemas/Thing/properties/child/$ref: $ref target \
             #/components/schemas/Child does not exist",
            "bad.yaml: #/paths/~1things~1{id}/get/responses/200/content/application~1json/\
             schema/$ref: $ref target #/components/schemas/Missing does not exist",
        ] {
            assert!(
                run.stderr.lines().any(|l| l.starts_with(expected)),
                "no line starting {expected:?} in\n{}",
                run.stderr
            );
        }
        assert!(!run.stderr.contains(STALE), "{}", run.stderr);
        assert!(!tmp.path().join("client").exists(), "nothing written");
    }
}

#[test]
fn a_yaml_syntax_error_names_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("broken.yaml"),
        "openapi: 3.0.3\ninfo: [unclosed\n",
    )
    .unwrap();
    let run = xtask(
        tmp.path(),
        &["codegen", "--spec", "broken.yaml", "--out", "o"],
    );
    run.expect_code(1);
    let line = run.stderr.lines().next().unwrap_or_default();
    let (file, rest) = line.split_once(':').unwrap();
    let (line_no, rest) = rest.split_once(':').unwrap();
    let (col, _) = rest.split_once(':').unwrap();
    assert_eq!(file, "broken.yaml", "{}", run.stderr);
    assert!(
        line_no.parse::<u32>().is_ok() && col.parse::<u32>().is_ok(),
        "expected `broken.yaml:LINE:COL: …`, got {}",
        run.stderr
    );
}

#[test]
fn a_missing_spec_file_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let run = xtask(
        tmp.path(),
        &["codegen", "--spec", "nope.yaml", "--out", "o"],
    );
    run.expect_code(1);
    assert!(
        run.stderr.starts_with("nope.yaml: cannot read: "),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_arguments_print_the_usage() {
    let tmp = tempfile::tempdir().unwrap();
    let usage = "usage: cargo xtask codegen [--check] [--spec FILE] \
                 [--out DIR [--name CRATE] [--workspace-member]]";
    for (args, first_line) in [
        (&["codegen", "--bogus"][..], "unknown argument `--bogus`"),
        (&["codegen", "--check", "-x"][..], "unknown argument `-x`"),
        (&["codegen", "--spec"][..], "--spec needs a value"),
        (
            &["codegen", "--name", "x"][..],
            "--name only applies with --out",
        ),
        (
            &["codegen", "--workspace-member"][..],
            "--workspace-member only applies with --out",
        ),
        (&["build"][..], "unknown task `build`"),
        (&[][..], usage),
    ] {
        let run = xtask(tmp.path(), args);
        run.expect_code(1);
        assert_eq!(run.stdout, "", "`xtask {}`", run.args);
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert_eq!(lines.first(), Some(&first_line), "`xtask {}`", run.args);
        assert_eq!(lines.last(), Some(&usage), "`xtask {}`", run.args);
    }
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "a usage error writes nothing"
    );
}
