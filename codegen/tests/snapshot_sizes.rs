//! Fixtures and snapshots stay small enough to review: a fixture over ~80 lines, or a
//! snapshot over ~400, covers more than one concern and should be split (house style).
//!
//! Every fixture must have its snapshots (the IR, and each of the four emitted files), so
//! a snapshot directory that is missing or half-empty fails here instead of passing with
//! nothing to check.

#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] fns: a failed expectation should panic"
)]

use std::path::{Path, PathBuf};

const MAX_FIXTURE_LINES: usize = 80;
const MAX_SNAPSHOT_LINES: usize = 400;
/// The files `codegen::generate` writes, one emitted snapshot each per fixture.
const EMITTED: [&str; 4] = ["mod.rs", "models.rs", "operations.rs", "unions.rs"];

fn dir(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The files of `dir` with their names, sorted; fails if the directory cannot be read.
fn files(dir: &Path) -> Vec<(String, PathBuf)> {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut files: Vec<(String, PathBuf)> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    files.sort();
    files
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).unwrap().lines().count()
}

/// The fixture names (`union_mapping`), from `tests/fixtures/*.yaml`.
fn fixtures() -> Vec<String> {
    let fixtures: Vec<String> = files(&dir("tests/fixtures"))
        .into_iter()
        .filter_map(|(name, _)| name.strip_suffix(".yaml").map(str::to_owned))
        .collect();
    assert!(
        fixtures.len() > 10,
        "only {} fixtures found",
        fixtures.len()
    );
    fixtures
}

#[test]
fn fixtures_stay_small() {
    for name in fixtures() {
        let path = dir(&format!("tests/fixtures/{name}.yaml"));
        let n = lines(&path);
        assert!(
            n <= MAX_FIXTURE_LINES,
            "{name}.yaml has {n} lines; split it (one concern per fixture)"
        );
    }
}

#[test]
fn every_fixture_has_its_snapshots() {
    let snapshots: Vec<String> = files(&dir("tests/snapshots"))
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    for fixture in fixtures() {
        let mut expected = vec![format!("ir_snapshots__ir_snapshots@{fixture}.yaml.snap")];
        expected.extend(
            EMITTED
                .iter()
                .map(|file| format!("emit_snapshots__{fixture}__{file}.snap")),
        );
        for name in expected {
            assert!(snapshots.contains(&name), "no snapshot {name}");
        }
    }
}

#[test]
fn snapshots_stay_small() {
    let mut checked = 0;
    for rel in ["tests/snapshots", "src/emit/snapshots"] {
        for (name, path) in files(&dir(rel)) {
            if !name.ends_with(".snap") {
                continue;
            }
            let n = lines(&path);
            assert!(
                n <= MAX_SNAPSHOT_LINES,
                "{rel}/{name} has {n} lines; split its fixture (one concern each)"
            );
            checked += 1;
        }
    }
    let expected = fixtures().len() * (1 + EMITTED.len());
    assert!(
        checked >= expected,
        "checked {checked} snapshots, expected at least {expected}"
    );
}
