//! `cargo xtask bench-gen`: what a spec costs, from generation to a built crate.
//!
//! For one spec and one or two generator builds (A: this binary; B: `--baseline-bin`, or
//! `--baseline-rev` built from `git archive` of that revision with this binary's profile):
//! - `gen`: `xtask codegen --spec FILE --out DIR --workspace-member` as a process, with the
//!   crate's `src/generated/` deleted first, so every run writes it: wall time and peak RSS;
//! - the generated lines, per file and in total;
//! - `check` and `build`: `cargo clean -p` of the crate, then `cargo check -p` / debug
//!   `cargo build -p`: wall time and peak RSS of the cargo process tree (see `measure`).
//!   Dependencies are built beforehand, once, through a crate generated from the bundled
//!   spec: every generated crate has the same dependencies, so only the crate is measured.
//!
//! Runs are interleaved A, B, B, A, A, B… so that drift on a noisy machine falls on both; each
//! pair gives a ratio A/B, and the medians are the figures to quote.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::cli::{BenchArgs, Measure};
use crate::measure::{self, Measured};
use crate::scratch::Scratch;

/// One generator build under test.
struct Generator {
    label: &'static str,
    exe: PathBuf,
    /// Its crate's package (and member directory) name.
    name: &'static str,
}

/// The dependency warm-up crate.
const WARM: &str = "bench-warm";

pub fn run(args: &BenchArgs) -> Result<(), String> {
    let root = crate::workspace_root();
    let spec = args
        .spec
        .clone()
        .unwrap_or_else(|| root.join(crate::DEFAULT_SPEC));
    let spec = std::path::absolute(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let spec_bytes = fs::metadata(&spec)
        .map_err(|e| format!("{}: cannot read: {e}", spec.display()))?
        .len();
    let work = args
        .work_dir
        .clone()
        .unwrap_or_else(|| root.join("target/bench-gen"));
    let this = std::env::current_exe().map_err(|e| format!("current exe: {e}"))?;
    let mut gens = vec![Generator {
        label: "A",
        exe: this,
        name: "bench-a",
    }];
    let baseline = match (&args.baseline_bin, &args.baseline_rev) {
        (Some(bin), _) => Some(std::path::absolute(bin).map_err(|e| format!("{e}"))?),
        (None, Some(rev)) => Some(build_rev(&root, &work, rev)?),
        (None, None) => None,
    };
    if let Some(exe) = baseline {
        gens.push(Generator {
            label: "B",
            exe,
            name: "bench-b",
        });
    }
    let mut scratch = Scratch::new(&work)?;
    let mut members: Vec<String> = gens.iter().map(|g| g.name.to_owned()).collect();
    members.push(WARM.to_owned());
    scratch.set_members(&members)?;

    println!(
        "bench-gen: {} ({:.2} MB), {} build of xtask",
        spec.display(),
        spec_bytes as f64 / 1e6,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    for g in &gens {
        println!("  {}: {}", g.label, g.exe.display());
    }
    for g in &gens {
        let m = generate(&scratch, &g.exe, &spec, g.name)?;
        println!(
            "\n{} generates in {:.2} s (first run, {:.2} GB peak); lines of src/generated/:",
            g.label,
            m.wall.as_secs_f64(),
            gb(m.peak_rss)
        );
        print!(
            "{}",
            lines_report(&scratch.ws.join(g.name).join("src/generated"))?
        );
    }

    let builds: Vec<Measure> = args
        .measure
        .iter()
        .copied()
        .filter(|m| *m != Measure::Gen)
        .collect();
    if !builds.is_empty() {
        eprintln!("bench-gen: building the dependencies once ({WARM}, from the bundled spec)");
        generate(
            &scratch,
            &gens[0].exe,
            &root.join(crate::DEFAULT_SPEC),
            WARM,
        )?;
        for m in &builds {
            let output = scratch.run_with_fallback(&[cargo_sub(*m), "-p", WARM])?;
            if !output.status.success() {
                return Err(format!(
                    "bench-gen: warm-up `cargo {} -p {WARM}` failed:\n{}",
                    cargo_sub(*m),
                    String::from_utf8_lossy(&output.stderr)
                ));
            }
        }
    }

    let mut measures = args.measure.clone();
    measures.sort();
    measures.dedup();
    let mut table = String::new();
    for measure in measures {
        let mut rows: Vec<Vec<Measured>> = Vec::new();
        for run in 0..args.runs.get() {
            let order: Vec<usize> = if run % 2 == 0 {
                (0..gens.len()).collect()
            } else {
                (0..gens.len()).rev().collect()
            };
            let mut row: Vec<Option<Measured>> = vec![None; gens.len()];
            for i in order {
                let Some(g) = gens.get(i) else { continue };
                eprintln!("bench-gen: {measure:?} {} run {}", g.label, run + 1);
                let m = measure_one(&scratch, measure, g, &spec)?;
                if let Some(slot) = row.get_mut(i) {
                    *slot = Some(m);
                }
            }
            rows.push(row.into_iter().flatten().collect());
        }
        table.push_str(&summarise(measure, &rows, &gens));
    }
    println!("\n{table}");
    Ok(())
}

fn cargo_sub(m: Measure) -> &'static str {
    match m {
        Measure::Check => "check",
        Measure::Build | Measure::Gen => "build",
    }
}

/// `exe codegen --spec SPEC --out ws/NAME --name NAME --workspace-member`, its generated
/// directory deleted first.
fn generate(scratch: &Scratch, exe: &Path, spec: &Path, name: &str) -> Result<Measured, String> {
    let out = scratch.ws.join(name);
    let generated = out.join("src/generated");
    if generated.exists() {
        fs::remove_dir_all(&generated).map_err(|e| format!("{}: {e}", generated.display()))?;
    }
    let mut cmd = Command::new(exe);
    cmd.arg("codegen")
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(&out)
        .args(["--name", name, "--workspace-member"]);
    let m = measure::run(&mut cmd)?;
    if !m.success {
        return Err(format!(
            "{} codegen --spec {}: {}\n{}",
            exe.display(),
            spec.display(),
            m.status,
            m.stderr
        ));
    }
    Ok(m)
}

fn measure_one(
    scratch: &Scratch,
    measure: Measure,
    g: &Generator,
    spec: &Path,
) -> Result<Measured, String> {
    if measure == Measure::Gen {
        return generate(scratch, &g.exe, spec, g.name);
    }
    let clean = scratch
        .cargo(&["clean", "-p", g.name])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("cargo clean: {e}"))?;
    if !clean.success() {
        return Err(format!("cargo clean -p {}: {clean}", g.name));
    }
    let m = measure::run(&mut scratch.cargo(&[cargo_sub(measure), "-p", g.name]))?;
    if !m.success {
        return Err(format!(
            "cargo {} -p {} ({}): {}\n{}",
            cargo_sub(measure),
            g.name,
            g.label,
            m.status,
            tail(&m.stderr, 30)
        ));
    }
    Ok(m)
}

/// Every `.rs` file under `dir` with its line count, then the total.
fn lines_report(dir: &Path) -> Result<String, String> {
    let mut files = Vec::new();
    for rel in crate::files::list(dir, &[])? {
        if rel.ends_with(".rs") {
            let path = dir.join(&rel);
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            files.push((rel, text.lines().count()));
        }
    }
    let mut out = String::new();
    for (rel, n) in &files {
        let _ = writeln!(out, "  {rel:<40} {n:>9}");
    }
    let total: usize = files.iter().map(|f| f.1).sum();
    let _ = writeln!(out, "  {:<40} {total:>9}", "total");
    Ok(out)
}

/// One measure's rows (a run per row, a generator per column), each pair's ratio A/B, and
/// the medians.
fn summarise(measure: Measure, rows: &[Vec<Measured>], gens: &[Generator]) -> String {
    let mut out = String::new();
    let name = format!("{measure:?}").to_lowercase();
    let _ = write!(out, "{name:<6} {:>6}", "run");
    for g in gens {
        let _ = write!(out, " {:>10} {:>9}", format!("{} time", g.label), "peak");
    }
    if gens.len() == 2 {
        let _ = write!(out, " {:>9} {:>9}", "A/B time", "A/B peak");
    }
    out.push('\n');
    let ratio = |row: &[Measured], f: fn(&Measured) -> f64| match row {
        [a, b] if f(b) > 0.0 => Some(f(a) / f(b)),
        _ => None,
    };
    let secs = |m: &Measured| m.wall.as_secs_f64();
    let peak = |m: &Measured| m.peak_rss as f64;
    for (i, row) in rows.iter().enumerate() {
        let _ = write!(out, "{:<6} {:>6}", "", i + 1);
        for m in row {
            let _ = write!(out, " {:>8.2} s {:>6.2} GB", secs(m), gb(m.peak_rss));
        }
        if let (Some(t), Some(p)) = (ratio(row, secs), ratio(row, peak)) {
            let _ = write!(out, " {t:>9.3} {p:>9.3}");
        }
        out.push('\n');
    }
    let _ = write!(out, "{:<6} {:>6}", "", "median");
    for col in 0..gens.len() {
        let column = |f: fn(&Measured) -> f64| -> Vec<f64> {
            rows.iter().filter_map(|r| r.get(col)).map(f).collect()
        };
        let t = median(column(secs));
        let p = median(column(peak));
        let _ = write!(out, " {t:>8.2} s {:>6.2} GB", p / 1e9);
    }
    if gens.len() == 2 {
        let t = median(rows.iter().filter_map(|r| ratio(r, secs)).collect());
        let p = median(rows.iter().filter_map(|r| ratio(r, peak)).collect());
        let _ = write!(out, " {t:>9.3} {p:>9.3}");
    }
    out.push('\n');
    out
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => f64::NAN,
        _ if n % 2 == 1 => values.get(n / 2).copied().unwrap_or(f64::NAN),
        _ => {
            let a = values.get(n / 2 - 1).copied().unwrap_or(f64::NAN);
            let b = values.get(n / 2).copied().unwrap_or(f64::NAN);
            (a + b) / 2.0
        }
    }
}

fn gb(bytes: u64) -> f64 {
    bytes as f64 / 1e9
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all.get(all.len().saturating_sub(lines)..)
        .unwrap_or_default()
        .join("\n")
}

/// The xtask of revision `rev`, built once (with this binary's profile) under `work`.
fn build_rev(root: &Path, work: &Path, rev: &str) -> Result<PathBuf, String> {
    let git = |args: &[&str]| -> Result<String, String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .map_err(|e| format!("git: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "git {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    };
    let sha = git(&["rev-parse", "--verify", &format!("{rev}^{{commit}}")])?;
    let short = sha.get(..12).unwrap_or(&sha);
    let profile = if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    };
    let exe = work.join(format!("xtask-{short}-{profile}"));
    if exe.is_file() {
        return Ok(exe);
    }
    let src = work.join(format!("rev-{short}"));
    if !src.join("Cargo.toml").is_file() {
        fs::create_dir_all(&src).map_err(|e| format!("{}: {e}", src.display()))?;
        let mut archive = Command::new("git")
            .args(["archive", "--format=tar", &sha])
            .current_dir(root)
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("git archive: {e}"))?;
        let tar = Command::new("tar")
            .arg("-x")
            .arg("-C")
            .arg(&src)
            .stdin(archive.stdout.take().map_or(Stdio::null(), Stdio::from))
            .status()
            .map_err(|e| format!("tar: {e}"))?;
        let git_ok = archive.wait().map_err(|e| format!("git archive: {e}"))?;
        if !tar.success() || !git_ok.success() {
            return Err(format!("git archive {sha} | tar -x: {git_ok}, {tar}"));
        }
    }
    eprintln!("bench-gen: building xtask at {short} ({profile})");
    let target = work.join("rev-target");
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args(["build", "--locked", "-p", "xtask"])
        .current_dir(&src)
        .env("CARGO_TARGET_DIR", &target);
    if profile == "release" {
        cmd.arg("--release");
    }
    let status = cmd.status().map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err(format!("building xtask at {sha}: {status}"));
    }
    let built = target.join(profile).join("xtask");
    fs::copy(&built, &exe).map_err(|e| format!("{}: {e}", built.display()))?;
    Ok(exe)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn m(secs: f64, gb: f64) -> Measured {
        Measured {
            wall: Duration::from_secs_f64(secs),
            peak_rss: (gb * 1e9) as u64,
            success: true,
            status: String::new(),
            stderr: String::new(),
        }
    }

    #[test]
    fn pairs_give_ratios_and_medians() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        let gens = [
            Generator {
                label: "A",
                exe: PathBuf::new(),
                name: "a",
            },
            Generator {
                label: "B",
                exe: PathBuf::new(),
                name: "b",
            },
        ];
        let rows = vec![
            vec![m(1.0, 1.0), m(2.0, 2.0)],
            vec![m(3.0, 1.0), m(4.0, 1.0)],
            vec![m(1.0, 1.0), m(10.0, 1.0)],
        ];
        let text = summarise(Measure::Check, &rows, &gens);
        let last = text.lines().last().unwrap();
        let cols: Vec<&str> = last.split_whitespace().collect();
        // median A time 1.00 s, B 4.00 s; ratios 0.5, 0.75, 0.1 → 0.5; peaks 0.5, 1, 1 → 1.
        assert_eq!(
            cols,
            ["median", "1.00", "s", "1.00", "GB", "4.00", "s", "1.00", "GB", "0.500", "1.000"],
            "{text}"
        );
    }
}
