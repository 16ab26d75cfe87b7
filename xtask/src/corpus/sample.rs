//! `corpus --compile N --seed S`: a seeded random sample of N generated documents, each
//! written as a crate into one scratch workspace (see `scratch`) and compiled together with
//! `cargo check` (or `cargo clippy --all-targets -- -D warnings` with `--clippy`),
//! `--keep-going`, so one failing crate does not hide the others. Reports the errors and
//! warnings of each crate, read from cargo's JSON messages.

use std::collections::BTreeMap;
use std::path::Path;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;

use super::Document;
use crate::cli::CorpusArgs;
use crate::scratch::Scratch;

/// What the compiler said about one crate.
#[derive(Debug, Default)]
struct Verdict {
    errors: usize,
    warnings: usize,
    /// The first diagnostic, rendered, cut to a few lines.
    first: Option<String>,
}

pub fn compile(args: &CorpusArgs, docs: &[Document], n: usize) -> Result<(), String> {
    let generated: Vec<&Document> = docs.iter().filter(|d| d.generated()).collect();
    let mut rng = StdRng::seed_from_u64(args.seed);
    let mut picked: Vec<&Document> = generated.choose_multiple(&mut rng, n).copied().collect();
    picked.sort_by(|a, b| a.rel.cmp(&b.rel));
    let dir = args
        .sample_dir
        .clone()
        .unwrap_or_else(|| crate::workspace_root().join("target/corpus-sample"));
    let mut scratch = Scratch::new(&dir)?;
    eprintln!(
        "corpus: compiling {} of {} generated documents (seed {}) in {}",
        picked.len(),
        generated.len(),
        args.seed,
        scratch.ws.display()
    );

    let root = crate::workspace_root();
    let mut members = Vec::new();
    for (i, doc) in picked.iter().enumerate() {
        let name = format!(
            "s{i:02}-{}",
            crate::standalone::crate_name_for(Path::new(&doc.rel))
        );
        let options = codegen::Options {
            skip_unsupported: args.skip_unsupported,
        };
        let generated = crate::generate(
            &args.dir.join(&doc.rel),
            &doc.rel,
            &doc.rel,
            &options,
            false,
        )?
        .files;
        let files = crate::standalone::crate_files(&root, &name, true, generated)?;
        let out = scratch.ws.join(&name);
        crate::files::write(&out, &out, &files, &["target"])?;
        members.push((name, doc.rel.clone()));
    }
    let names: Vec<String> = members.iter().map(|m| m.0.clone()).collect();
    scratch.set_members(&names)?;

    let mut cargo_args = vec![
        if args.clippy { "clippy" } else { "check" },
        "--workspace",
        "--keep-going",
        "--message-format=json",
    ];
    if args.clippy {
        cargo_args.extend(["--all-targets", "--", "-D", "warnings"]);
    }
    let output = scratch.run_with_fallback(&cargo_args)?;
    let verdicts = read_messages(&String::from_utf8_lossy(&output.stdout));

    println!(
        "\nsample: {} crates (seed {}), `cargo {}`",
        members.len(),
        args.seed,
        cargo_args.join(" ")
    );
    let (mut errors, mut warnings, mut clean) = (0, 0, 0);
    for (name, rel) in &members {
        let v = verdicts.get(name.as_str());
        let (e, w) = v.map_or((0, 0), |v| (v.errors, v.warnings));
        errors += e;
        warnings += w;
        clean += usize::from(e + w == 0);
        println!("  {e:>4} errors {w:>4} warnings  {name}  ({rel})");
        if let Some(first) = v.and_then(|v| v.first.as_deref()) {
            for line in first.lines() {
                println!("        {line}");
            }
        }
    }
    println!(
        "sample: {clean} of {} crates compile with 0 errors and 0 warnings; {errors} errors, \
         {warnings} warnings in total",
        members.len()
    );
    let unattributed = errors == 0 && !output.status.success();
    if unattributed {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!("sample: cargo failed:\n{}", tail.join("\n")));
    }
    if errors + warnings > 0 {
        return Err(format!(
            "sample: {errors} errors and {warnings} warnings in {} crates",
            members.len() - clean
        ));
    }
    Ok(())
}

/// Errors and warnings per member directory, from `--message-format=json` output. Only
/// diagnostics with a source span count: rustc's "aborting due to…" and "N warnings
/// emitted" summaries have none.
fn read_messages(stdout: &str) -> BTreeMap<String, Verdict> {
    let mut out: BTreeMap<String, Verdict> = BTreeMap::new();
    for line in stdout.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if msg["reason"] != "compiler-message" {
            continue;
        }
        let Some(member) = msg["package_id"].as_str().and_then(member_of) else {
            continue;
        };
        let diag = &msg["message"];
        if diag["spans"].as_array().is_none_or(Vec::is_empty) {
            continue;
        }
        let verdict = out.entry(member).or_default();
        match diag["level"].as_str() {
            Some("error") => verdict.errors += 1,
            Some("warning") => verdict.warnings += 1,
            _ => continue,
        }
        if verdict.first.is_none() {
            let rendered = diag["rendered"].as_str().unwrap_or_default();
            verdict.first = Some(rendered.lines().take(8).collect::<Vec<_>>().join("\n"));
        }
    }
    out
}

/// The member directory of a path package id: `path+file:///…/ws/s01-x#0.1.0` or
/// `path+file:///…/ws/dir#name@0.1.0` → the last path component.
fn member_of(package_id: &str) -> Option<String> {
    let path = package_id.strip_prefix("path+file://")?;
    let path = path.split('#').next()?;
    path.rsplit('/').next().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_are_counted_per_crate() {
        let lines = [
            r#"{"reason":"compiler-message","package_id":"path+file:///w/ws/s00-a#0.1.0","message":{"level":"warning","spans":[{}],"rendered":"warning: unused\n --> x"}}"#,
            r#"{"reason":"compiler-message","package_id":"path+file:///w/ws/s00-a#0.1.0","message":{"level":"error","spans":[{}],"rendered":"error: bad"}}"#,
            r#"{"reason":"compiler-message","package_id":"path+file:///w/ws/s00-a#0.1.0","message":{"level":"error","spans":[],"rendered":"error: aborting due to 1 previous error"}}"#,
            r#"{"reason":"compiler-message","package_id":"path+file:///w/ws/s01-b#s01-b@0.1.0","message":{"level":"warning","spans":[{}],"rendered":"warning: w"}}"#,
            r#"{"reason":"compiler-artifact","package_id":"registry+https://x#serde@1.0.0"}"#,
            "not json",
        ];
        let v = read_messages(&lines.join("\n"));
        let a = &v["s00-a"];
        assert_eq!((a.errors, a.warnings), (1, 1));
        assert_eq!(a.first.as_deref(), Some("warning: unused\n --> x"));
        assert_eq!((v["s01-b"].errors, v["s01-b"].warnings), (0, 1));
        assert_eq!(v.len(), 2);
    }
}
