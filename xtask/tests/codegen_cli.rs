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

/// `--skip-unsupported` on the partial-generation fixture: one `warning:` line per problem
/// (file as typed, pointer, problem, what it skipped), exit 0, the rest written; without
/// the flag the same document fails and nothing is written.
#[test]
fn skip_unsupported_warns_per_skipped_item_and_writes_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = common::workspace_root().join("codegen/tests/fixtures/skip/partial.yaml");
    fs::copy(&fixture, tmp.path().join("partial.yaml")).unwrap();
    let args = ["codegen", "--spec", "partial.yaml", "--out", "client"];

    let strict = xtask(tmp.path(), &args);
    strict.expect_code(1);
    assert!(
        strict
            .stderr
            .starts_with("partial.yaml: #/components/schemas/Typo/type: schema type `strin`"),
        "{}",
        strict.stderr
    );
    assert!(!strict.stderr.contains("warning:"), "{}", strict.stderr);
    assert!(!tmp.path().join("client").exists(), "nothing written");

    let skip = [&args[..], &["--skip-unsupported"]].concat();
    let run = xtask(tmp.path(), &skip);
    run.expect_code(0);
    let warnings: Vec<&str> = run.stderr.lines().collect();
    let skipped: Vec<&str> = warnings
        .iter()
        .map(|l| l.rsplit_once("; skipped ").unwrap().1)
        .collect();
    assert_eq!(
        skipped,
        [
            "schema #/components/schemas/Album",
            "schema #/components/schemas/Bad",
            "schema #/components/schemas/NeedsBad",
            "schema #/components/schemas/Typo",
            "operation #/paths/~1needs-bad/get",
            "operation #/paths/~1negated/get",
            "operation #/paths/~1typo/post",
        ],
        "{}",
        run.stderr
    );
    for line in &warnings {
        assert!(line.starts_with("warning: partial.yaml: #/"), "{line}");
        assert!(line.contains("; expected "), "{line}");
    }
    assert!(
        warnings.contains(
            &"warning: partial.yaml: #/paths/~1negated/get/responses/200/content/\
              application~1json/schema: `not` is not supported; expected a schema without \
              `not`; skipped operation #/paths/~1negated/get"
        ),
        "{}",
        run.stderr
    );
    let operations =
        fs::read_to_string(tmp.path().join("client/src/generated/operations.rs")).unwrap();
    assert!(
        operations.contains("pub fn get_good(&self)"),
        "{operations}"
    );
    assert!(!operations.contains("negated"), "{operations}");
    // `--check` right after: clean, with the same warnings.
    let check = xtask(tmp.path(), &[&skip[..], &["--check"]].concat());
    check.expect_code(0);
    assert_eq!(check.stderr, run.stderr);
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
fn bad_arguments_are_refused_up_front_saying_what_was_expected() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = bundled_spec();
    let spec = spec.to_str().unwrap();
    let missing_out = "error: the following required arguments were not provided:\n  --out <DIR>";
    for (args, says) in [
        (
            &["codegen", "--bogus"][..],
            "error: unexpected argument '--bogus' found",
        ),
        (
            &["codegen", "--check", "-x"][..],
            "error: unexpected argument '-x' found",
        ),
        (
            &["codegen", "--spec"][..],
            "error: a value is required for '--spec <FILE>' but none was supplied",
        ),
        (&["codegen", "--name", "x"][..], missing_out),
        (&["codegen", "--workspace-member"][..], missing_out),
        (&["build"][..], "error: unrecognized subcommand 'build'"),
        (&[][..], "Commands:\n  codegen "),
        (&["corpus"][..], "<DIR>"),
        (
            &["corpus", "d", "--compile", "x"][..],
            "invalid value 'x' for '--compile <N>'",
        ),
        (
            &[
                "codegen", "--spec", spec, "--out", "client", "--name", ".-x",
            ][..],
            "error: invalid value '.-x' for '--name <CRATE>': invalid character `.` in package \
             name `.-x`: the first character must be a letter or `_`; expected ASCII letters, \
             digits, `-` and `_`",
        ),
        (
            &[
                "codegen", "--spec", spec, "--out", "client", "--name", "self",
            ][..],
            "`self` is a Rust keyword",
        ),
    ] {
        let run = xtask(tmp.path(), args);
        run.expect_code(2);
        assert_eq!(run.stdout, "", "`xtask {}`", run.args);
        assert!(
            run.stderr.contains(says),
            "`xtask {}`: no {says:?} in\n{}",
            run.args,
            run.stderr
        );
        assert!(
            run.stderr.contains("Usage: cargo xtask") || run.stderr.contains("try '--help'"),
            "`xtask {}` points to the usage:\n{}",
            run.args,
            run.stderr
        );
    }
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "a refused argument writes nothing"
    );
}

#[test]
fn every_command_answers_help() {
    let tmp = tempfile::tempdir().unwrap();
    for (args, usage, flags) in [
        (
            &["--help"][..],
            "Usage: cargo xtask <COMMAND>",
            &["codegen", "corpus", "bench-gen"][..],
        ),
        (
            &["codegen", "--help"][..],
            "Usage: cargo xtask codegen [OPTIONS]",
            &[
                "--check",
                "--spec <FILE>",
                "--out <DIR>",
                "--name <CRATE>",
                "--workspace-member",
            ][..],
        ),
        (
            &["corpus", "--help"][..],
            "Usage: cargo xtask corpus [OPTIONS] <DIR>",
            &[
                "--jobs <N>",
                "--timeout <SECS>",
                "--compile <N>",
                "--seed <S>",
                "--check-ratchet <FILE>",
                "--write-ratchet <FILE>",
            ][..],
        ),
        (
            &["bench-gen", "-h"][..],
            "Usage: cargo xtask bench-gen [OPTIONS]",
            &[
                "--spec <FILE>",
                "--baseline-bin <PATH>",
                "--baseline-rev <REV>",
                "--runs <N>",
                "--measure <LIST>",
            ][..],
        ),
    ] {
        let run = xtask(tmp.path(), args);
        run.expect_code(0);
        assert!(
            run.stdout.contains(usage),
            "`xtask {}`:\n{}",
            run.args,
            run.stdout
        );
        for flag in flags {
            assert!(
                run.stdout.contains(flag),
                "`xtask {}` documents {flag}:\n{}",
                run.args,
                run.stdout
            );
        }
        assert!(
            !run.stdout.contains("corpus-worker"),
            "the worker is internal"
        );
    }
}

/// Panics at the first file that differs between two trees, showing its first differing line.
#[track_caller]
fn same_files(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>, what: &str) {
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "{what}: file lists"
    );
    for (rel, bytes) in a {
        let (x, y) = (
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(&b[rel]),
        );
        if let Some((n, (l, r))) = x
            .lines()
            .zip(y.lines())
            .enumerate()
            .find(|(_, (l, r))| l != r)
        {
            panic!("{what}: {rel} differs at line {}:\n  {l}\n  {r}", n + 1);
        }
        assert_eq!(x, y, "{what}: {rel}");
    }
}

/// The generated bytes name the spec the same way however `--spec` is typed and wherever
/// the command runs: never an absolute path of this machine.
#[test]
fn the_output_does_not_depend_on_how_the_spec_path_is_typed() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path();
    fs::copy(bundled_spec(), base.join("x.yaml")).unwrap();
    fs::create_dir_all(base.join("sub")).unwrap();
    let abs = base.join("x.yaml");
    xtask(base, &["codegen", "--spec", "./x.yaml", "--out", "a"]).expect_code(0);
    xtask(
        base,
        &["codegen", "--spec", abs.to_str().unwrap(), "--out", "b"],
    )
    .expect_code(0);
    xtask(
        &base.join("sub"),
        &["codegen", "--spec", "../x.yaml", "--out", "../c"],
    )
    .expect_code(0);
    let a = snapshot(&base.join("a"));
    same_files(
        &a,
        &snapshot(&base.join("b")),
        "--spec ./x.yaml, then /abs/x.yaml",
    );
    same_files(
        &a,
        &snapshot(&base.join("c")),
        "--spec ./x.yaml, then ../x.yaml from sub/",
    );
    let models = String::from_utf8(a["src/generated/models.rs"].clone()).unwrap();
    assert_eq!(
        models.lines().next(),
        Some("// @generated by cargo xtask codegen from x.yaml — do not edit.")
    );
    for (rel, bytes) in &a {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(&*base.to_string_lossy()),
            "{rel} contains the absolute path {}",
            base.display()
        );
    }

    // A spec inside the crate is named relative to the crate.
    fs::create_dir_all(base.join("d/spec")).unwrap();
    fs::copy(bundled_spec(), base.join("d/spec/api.yaml")).unwrap();
    xtask(
        base,
        &[
            "codegen",
            "--spec",
            "d/spec/api.yaml",
            "--out",
            "d",
            "--name",
            "d",
        ],
    )
    .expect_code(0);
    let d = snapshot(&base.join("d"));
    assert!(
        d.contains_key("spec/api.yaml"),
        "the spec is the user's: kept"
    );
    xtask(
        &base.join("d"),
        &[
            "codegen",
            "--spec",
            "spec/api.yaml",
            "--out",
            ".",
            "--name",
            "d",
            "--check",
        ],
    )
    .expect_code(0);
    let models = String::from_utf8(d["src/generated/models.rs"].clone()).unwrap();
    assert_eq!(
        models.lines().next(),
        Some("// @generated by cargo xtask codegen from spec/api.yaml — do not edit.")
    );
}

/// Writes, under `dir`, a root spec at `root.0` whose one answer's schema is `{$ref: root.1}`,
/// and the file `other.0` with the contents `other.1`.
fn two_files(dir: &Path, root: (&str, &str), other: (&str, &str)) {
    let spec = format!(
        r#"openapi: 3.0.3
info: {{title: mf, version: "1"}}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: "{}"}}
"#,
        root.1
    );
    for (path, text) in [(root.0, spec.as_str()), other] {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

/// Errors name the files as the user knows them, the spec as typed and the files it refers
/// to beside it, although the generated header names the spec by its file name alone.
#[test]
fn errors_in_referenced_files_name_them_as_typed() {
    let tmp = tempfile::tempdir().unwrap();
    two_files(
        tmp.path(),
        ("specs/api.yaml", "models/pet.yaml"),
        (
            "specs/models/pet.yaml",
            "type: object\nproperties:\n  owner: {$ref: \"#/definitions/Missing\"}\n",
        ),
    );
    let run = xtask(
        tmp.path(),
        &["codegen", "--spec", "specs/api.yaml", "--out", "o"],
    );
    run.expect_code(1);
    assert!(
        run.stderr
            .starts_with("specs/models/pet.yaml: #/properties/owner/$ref: $ref target"),
        "{}",
        run.stderr
    );
}

/// A `$ref` that leaves the spec's directory is refused by default, with an error naming the
/// referring file and the `$ref`'s pointer; `--allow-outside-refs` reads the file.
#[test]
fn refs_outside_the_spec_directory_need_allow_outside_refs() {
    let tmp = tempfile::tempdir().unwrap();
    two_files(
        tmp.path(),
        ("specs/api/openapi.yaml", "../common/pet.yaml"),
        (
            "specs/common/pet.yaml",
            "type: object\nproperties:\n  name: {type: string}\n",
        ),
    );
    let args = ["codegen", "--spec", "specs/api/openapi.yaml", "--out", "o"];

    let refused = xtask(tmp.path(), &args);
    refused.expect_code(1);
    assert_eq!(
        refused.stderr.lines().next(),
        Some(
            "specs/api/openapi.yaml: #/paths/~1pets/get/responses/200/content/application~1json\
             /schema/$ref: $ref ../common/pet.yaml leads to ../common/pet.yaml, outside the \
             directory of the root document; expected a file in that directory or below it \
             (or allow references outside it)"
        ),
        "{}",
        refused.stderr
    );
    assert!(!tmp.path().join("o").exists(), "nothing written");

    let allowed = xtask(tmp.path(), &[&args[..], &["--allow-outside-refs"]].concat());
    allowed.expect_code(0);
    let models = fs::read_to_string(tmp.path().join("o/src/generated/models.rs")).unwrap();
    assert!(models.contains("pub struct Pet {"), "{models}");
    assert!(models.contains("pub name: Option<String>,"), "{models}");
}
