//! `cargo xtask corpus DIR` end to end, through the real binary and its worker processes, on
//! a small corpus in a temporary directory: the outcome table, the ratchet (write, check,
//! every kind of mismatch, the list that may only shrink) and the time budget.
//!
//! The failing documents fail for reasons no generator improvement removes (empty, not
//! YAML, not OpenAPI), so these tests keep testing the command as the generator grows.

mod common;

use std::fs;
use std::path::Path;

use common::{bundled_spec, xtask, Run};

/// A corpus: one document that generates, four that fail, one file that is not a document.
fn corpus(dir: &Path) {
    fs::create_dir_all(dir.join("good")).unwrap();
    fs::create_dir_all(dir.join("bad/deeper")).unwrap();
    fs::copy(bundled_spec(), dir.join("good/atlas.yaml")).unwrap();
    fs::write(dir.join("bad/empty.yml"), "  \n").unwrap();
    fs::write(
        dir.join("bad/broken.yaml"),
        "openapi: 3.0.3\ninfo: [unclosed\n",
    )
    .unwrap();
    fs::write(dir.join("bad/deeper/not-openapi.json"), r#"{"hello": 1}"#).unwrap();
    fs::write(dir.join("v31.json"), r#"{"openapi": "3.1.0"}"#).unwrap();
    fs::write(dir.join("notes.txt"), "not a document").unwrap();
}

/// The numbers of a table row (`generated 1 20.0% 1 25.0% …` → `["1", "20.0%", …]`).
fn row<'a>(run: &'a Run, name: &str) -> Vec<&'a str> {
    let line = run
        .stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no row {name} in\n{}", run.stdout));
    line.split_whitespace().skip(1).collect()
}

#[test]
fn the_table_counts_every_outcome_by_version() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(&tmp.path().join("c"));
    let run = xtask(tmp.path(), &["corpus", "c", "--jobs", "2", "--failures"]);
    run.expect_code(0);
    assert_eq!(
        row(&run, "outcome"),
        ["all", "3.0", "3.1", "other"],
        "{}",
        run.stdout
    );
    // broken.yaml does not parse, so its version is "other".
    assert_eq!(
        row(&run, "generated"),
        ["1", "20.0%", "1", "100.0%", "0", "0.0%", "0", "0.0%"]
    );
    assert_eq!(
        row(&run, "Empty"),
        ["1", "20.0%", "0", "0.0%", "0", "0.0%", "1", "33.3%"]
    );
    assert_eq!(row(&run, "Syntax")[..2], ["1", "20.0%"]);
    assert_eq!(row(&run, "NotOpenApi")[..2], ["1", "20.0%"]);
    for tail in ["panic", "crash", "time-out"] {
        assert_eq!(row(&run, tail)[..2], ["0", "0.0%"], "{tail}");
    }
    assert_eq!(
        row(&run, "total"),
        ["5", "100.0%", "1", "100.0%", "1", "100.0%", "3", "100.0%"]
    );
    let failures: Vec<&str> = run.stdout.lines().filter(|l| l.contains('\t')).collect();
    assert_eq!(failures.len(), 4, "{}", run.stdout);
    for start in [
        "bad/broken.yaml\tSyntax: 3:1: ",
        "bad/deeper/not-openapi.json\tNotOpenApi: #: ",
        "bad/empty.yml\tEmpty: #: the document is empty",
    ] {
        assert!(
            failures.iter().any(|l| l.starts_with(start)),
            "no {start:?} in {failures:?}"
        );
    }
    assert!(
        failures.iter().any(|l| l.starts_with("v31.json\t")),
        "{failures:?}"
    );
}

#[test]
fn documents_past_their_budget_are_time_outs_not_a_stalled_run() {
    let tmp = tempfile::tempdir().unwrap();
    corpus(&tmp.path().join("c"));
    // A zero budget: every document overruns it; each costs its worker, which is replaced.
    let run = xtask(
        tmp.path(),
        &["corpus", "c", "--jobs", "2", "--timeout", "0"],
    );
    run.expect_code(0);
    assert_eq!(
        row(&run, "time-out")[..2],
        ["5", "100.0%"],
        "{}",
        run.stdout
    );
}

#[test]
fn the_ratchet_catches_regressions_and_fixes_and_only_shrinks() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    corpus(&dir);
    let args = |flag: &str| ["corpus", "c", "--jobs", "2", flag, "expected.txt"].map(str::to_owned);
    let run = |flag: &str, extra: &[&str]| {
        let mut a: Vec<String> = args(flag).to_vec();
        a.extend(extra.iter().map(|s| (*s).to_owned()));
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        xtask(tmp.path(), &a)
    };
    let file = tmp.path().join("expected.txt");

    run("--check-ratchet", &[]).expect_code(1);
    run("--write-ratchet", &[]).expect_code(0);
    let written = fs::read_to_string(&file).unwrap();
    let listed: Vec<&str> = written
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        listed,
        [
            "bad/broken.yaml",
            "bad/deeper/not-openapi.json",
            "bad/empty.yml",
            "v31.json"
        ]
    );
    let clean = run("--check-ratchet", &[]);
    clean.expect_code(0);
    assert!(
        clean
            .stdout
            .contains("4 listed; 0 regressions, 0 now generate, 0 gone"),
        "{}",
        clean.stdout
    );

    // A listed document now generates, a new one fails, a listed one is gone.
    fs::copy(bundled_spec(), dir.join("bad/broken.yaml")).unwrap();
    fs::write(dir.join("new.yaml"), "").unwrap();
    fs::remove_file(dir.join("v31.json")).unwrap();
    let stale = run("--check-ratchet", &[]);
    stale.expect_code(1);
    for says in [
        "regression (fails, not listed): new.yaml\tEmpty: ",
        "now generates (remove it from the list): bad/broken.yaml",
        "listed but not in the corpus: v31.json",
        "--write-ratchet expected.txt",
    ] {
        assert!(
            stale.stderr.contains(says),
            "no {says:?} in\n{}",
            stale.stderr
        );
    }

    // Rewriting would add new.yaml: refused unless asked for.
    let refused = run("--write-ratchet", &[]);
    refused.expect_code(1);
    assert!(
        refused.stderr.contains("may only shrink") && refused.stderr.contains("new.yaml"),
        "{}",
        refused.stderr
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), written, "not written");
    fs::remove_file(dir.join("new.yaml")).unwrap();
    run("--write-ratchet", &[]).expect_code(0);
    run("--check-ratchet", &[]).expect_code(0);
    let shrunk = fs::read_to_string(&file).unwrap();
    assert_eq!(
        shrunk.lines().filter(|l| !l.starts_with('#')).count(),
        2,
        "{shrunk}"
    );
    fs::write(dir.join("new.yaml"), "").unwrap();
    run("--write-ratchet", &["--allow-new-failures"]).expect_code(0);
    run("--check-ratchet", &[]).expect_code(0);
}

/// `--skip-unsupported`: a document whose problems are all inside operations or schemas
/// counts as generated, and the table says how many warnings it gave; without the flag it
/// fails. The ratchet is strict mode's: the flags do not combine.
#[test]
fn skip_unsupported_counts_partly_generated_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    fs::create_dir_all(&dir).unwrap();
    let fixture = common::workspace_root().join("codegen/tests/fixtures/skip/partial.yaml");
    fs::copy(fixture, dir.join("partial.yaml")).unwrap();
    fs::write(dir.join("empty.yml"), "  \n").unwrap();

    // Each run: its flags, then (row, count, share) expected in the table.
    type Row<'a> = (&'a str, &'a str, &'a str);
    let runs: [(&[&str], [Row<'_>; 2]); 2] = [
        (
            &[],
            [
                ("generated", "0", "0.0%"),
                ("UnknownSchemaType", "1", "50.0%"),
            ],
        ),
        (
            &["--skip-unsupported"],
            [("generated", "1", "50.0%"), ("Empty", "1", "50.0%")],
        ),
    ];
    let mut outputs = Vec::new();
    for (flags, rows) in runs {
        let run = xtask(
            tmp.path(),
            &[&["corpus", "c", "--jobs", "1"], flags].concat(),
        );
        run.expect_code(0);
        for (name, n, share) in rows {
            assert_eq!(row(&run, name)[..2], [n, share], "{}", run.stdout);
        }
        outputs.push(run);
    }
    let (strict, skip) = (&outputs[0], &outputs[1]);
    assert!(!strict.stdout.contains("skipped:"), "{}", strict.stdout);
    assert!(
        skip.stdout
            .contains("skipped: 7 warnings in 1 of the 1 generated documents"),
        "{}",
        skip.stdout
    );

    let both = xtask(
        tmp.path(),
        &[
            "corpus",
            "c",
            "--skip-unsupported",
            "--check-ratchet",
            "r.txt",
        ],
    );
    both.expect_code(2);
    assert!(
        both.stderr.contains("cannot be used with"),
        "{}",
        both.stderr
    );
}
