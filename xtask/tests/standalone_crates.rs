//! Compile gate for the generator's output: every good fixture (`codegen/tests/fixtures/*.yaml`),
//! every partial-generation fixture (`codegen/tests/fixtures/skip/*.yaml`, with
//! `--skip-unsupported`) and the bundled spec become standalone crates through the real
//! binary (`xtask codegen --spec F --out D --name fx-F --workspace-member`), and all must pass
//! `cargo clippy --all-targets -- -D warnings` and `cargo doc --no-deps` with
//! `RUSTDOCFLAGS=-D warnings`. `--all-targets` includes the runtime's own unit tests, which
//! therefore compile against every fixture's generated code. A fixture with a
//! `fixtures/roundtrip/<fixture>.rs` gets it as `tests/roundtrip.rs`, run with `cargo test`:
//! serde round trips of the types it generates.
//!
//! The crates are compiled together, as members of one workspace, so the dependencies build
//! once and cargo spreads the crates over the cores: `--workspace-member` leaves out the
//! `[workspace]` table that makes an `--out` crate its own workspace, and nothing else.
//!
//! Layout, stable so that a later run rebuilds only the crates that changed:
//! - `<target>/tmp/standalone-crates/`: the workspace, one member per spec, and the
//!   repository's `Cargo.lock`, so the crates build with the versions the client is tested
//!   with, offline;
//! - `<target>/standalone-check/`: its target dir, separate from the main one because the
//!   outer `cargo test` holds the main target dir's lock.
//!
//! Nothing is rewritten unless its bytes change (clippy tracks the workspace manifest's
//! mtime), so a run where nothing changed rebuilds nothing.
//!
//! Cost on the 2-core machine (measured): cold target dir ~100 s (clippy 73 s, of which most
//! is dependencies, doc 24 s; 0.5 GB); every crate changed ~45 s; nothing changed ~1.5 s.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{workspace_root, xtask};

/// One crate to build: workspace member directory, the spec it comes from, and whether it
/// is generated with `--skip-unsupported`.
struct Member {
    dir: String,
    spec: PathBuf,
    /// `codegen/tests/fixtures/roundtrip/<fixture>.rs`, when the fixture has one: serde
    /// round trips of its generated types, run as the crate's `tests/roundtrip.rs`.
    roundtrip: Option<PathBuf>,
    skip: bool,
}

/// The `.yaml` files directly in `dir`, sorted.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    assert!(!specs.is_empty(), "no fixtures in {}", dir.display());
    specs
}

/// Every good fixture, sorted, then the partial-generation fixtures, then the bundled spec.
fn members() -> Vec<Member> {
    let root = workspace_root();
    let fixtures = root.join("codegen/tests/fixtures");
    let member = |spec: PathBuf, prefix: &str, skip: bool| {
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let roundtrip = fixtures.join("roundtrip").join(format!("{stem}.rs"));
        Member {
            dir: format!("{prefix}{}", stem.replace('_', "-")),
            roundtrip: (!skip && roundtrip.is_file()).then_some(roundtrip),
            spec,
            skip,
        }
    };
    let mut members: Vec<Member> = yaml_files(&fixtures)
        .into_iter()
        .map(|spec| member(spec, "", false))
        .collect();
    members.extend(
        yaml_files(&fixtures.join("skip"))
            .into_iter()
            .map(|spec| member(spec, "skip-", true)),
    );
    members.push(member(common::bundled_spec(), "", false));
    members
}

/// `xtask codegen --spec … --out … --workspace-member` writes the crate (only the files that
/// changed); `--check` right after passes (saying nothing but the skip mode's warnings).
fn write_member(ws: &Path, member: &Member) {
    let spec = member.spec.to_str().unwrap();
    let name = format!("fx-{}", member.dir);
    let mut args = vec![
        "codegen",
        "--spec",
        spec,
        "--out",
        &member.dir,
        "--name",
        &name,
        "--workspace-member",
    ];
    if member.skip {
        args.push("--skip-unsupported");
    }
    let written = xtask(ws, &args);
    written.expect_code(0);
    let check = xtask(ws, &[&args[..], &["--check"]].concat());
    check.expect_code(0);
    assert_eq!(
        check.stderr, written.stderr,
        "--check right after writing is clean"
    );
    assert!(
        check.stderr.lines().all(|l| l.starts_with("warning: ")),
        "{}",
        check.stderr
    );
    assert_eq!(!check.stderr.is_empty(), member.skip, "{}", check.stderr);
    let tests = ws.join(&member.dir).join("tests");
    match &member.roundtrip {
        Some(source) => {
            fs::create_dir_all(&tests).unwrap();
            write_if_changed(&tests.join("roundtrip.rs"), &fs::read(source).unwrap());
        }
        None if tests.exists() => fs::remove_dir_all(&tests).unwrap(),
        None => {}
    }
}

/// Writes `contents` to `path` unless it already holds them (keeping its mtime).
fn write_if_changed(path: &Path, contents: &[u8]) {
    if fs::read(path).ok().as_deref() != Some(contents) {
        fs::write(path, contents).unwrap();
    }
}

/// Runs cargo in `ws`, offline (the lock file and the registry cache of the main build
/// suffice); online only if cargo says it needs the network. Panics with cargo's output on
/// failure or on any warning.
fn cargo(ws: &Path, target_dir: &Path, args: &[&str]) {
    let run = |offline: bool| {
        let (subcommand, rest) = args.split_first().unwrap();
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.arg(subcommand);
        if offline {
            cmd.arg("--offline");
        }
        cmd.args(rest)
            .current_dir(ws)
            .env("CARGO_TARGET_DIR", target_dir)
            // Incremental state would be ~2.5 GB for these crates and saves nothing when the
            // generator changes every one of them.
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_TERM_COLOR", "never")
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .unwrap()
    };
    let start = Instant::now();
    let mut output = run(true);
    let mut stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() && stderr.contains("offline") {
        eprintln!(
            "`cargo {}` needs the network; retrying online",
            args.join(" ")
        );
        output = run(false);
        stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    }
    eprintln!("cargo {}: {:.1?}", args.join(" "), start.elapsed());
    let warned = stderr
        .lines()
        .any(|l| l.starts_with("warning") || l.starts_with("error"));
    assert!(
        output.status.success() && !warned,
        "`cargo {}` in {} failed or warned:\n{stderr}{}",
        args.join(" "),
        ws.display(),
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn every_fixture_is_a_standalone_crate_that_passes_clippy_and_rustdoc() {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let ws = tmp.join("standalone-crates");
    let target_dir = tmp.parent().unwrap().join("standalone-check");
    fs::create_dir_all(&ws).unwrap();
    // Two `cargo test` runs in one checkout must not rewrite each other's crates mid-build.
    let lock = fs::File::create(tmp.join("standalone-crates.lock")).unwrap();
    lock.lock().unwrap();

    let start = Instant::now();
    let members = members();
    for member in &members {
        write_member(&ws, member);
    }
    // Crates of fixtures that no longer exist.
    for entry in fs::read_dir(&ws).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type().unwrap().is_dir() && !members.iter().any(|m| m.dir == name) {
            fs::remove_dir_all(entry.path()).unwrap();
        }
    }
    let list: Vec<String> = members.iter().map(|m| format!("{:?}", m.dir)).collect();
    let manifest = format!(
        "# Written by xtask/tests/standalone_crates.rs: every fixture's `--out` crate.\n\
         [workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        list.join(", ")
    );
    write_if_changed(&ws.join("Cargo.toml"), manifest.as_bytes());
    // Cargo adds the members to it; its mtime is not tracked.
    fs::copy(workspace_root().join("Cargo.lock"), ws.join("Cargo.lock")).unwrap();
    eprintln!("wrote {} crates: {:.1?}", members.len(), start.elapsed());

    cargo(
        &ws,
        &target_dir,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    );
    cargo(&ws, &target_dir, &["doc", "--workspace", "--no-deps"]);
    // The round trips: `-p` for each crate that has them.
    let packages: Vec<String> = members
        .iter()
        .filter(|m| m.roundtrip.is_some())
        .map(|m| format!("fx-{}", m.dir))
        .collect();
    if !packages.is_empty() {
        let mut test = vec!["test", "--test", "roundtrip"];
        for package in &packages {
            test.extend(["-p", package.as_str()]);
        }
        cargo(&ws, &target_dir, &test);
    }
    eprintln!("standalone crates checked: {:.1?}", start.elapsed());
}
