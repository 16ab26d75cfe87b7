//! Writing and diffing a directory of generated files.
//!
//! Write mode touches only files whose bytes changed (temp file + rename) and deletes files
//! the run did not produce. Check mode writes nothing and reports every stale, missing or
//! extra file, each with up to 20 lines of unified diff.
//!
//! Paths are printed as `shown/rel_path`: `shown` is the directory as the user knows it
//! (`generated-client/src/generated`, relative to the workspace root, or `--out` as given),
//! never an absolute path.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use codegen::GeneratedFile;

const DIFF_LINES: usize = 20;

/// Writes (or, with `check`, verifies) `files` under `dir`, printing paths under `shown`.
/// `keep` names entries of `dir` that are not ours (a crate's `target/`, a spec kept inside
/// the crate), as `/`-separated paths relative to `dir`, never reported or deleted.
pub fn apply(
    dir: &Path,
    shown: &Path,
    files: &[GeneratedFile],
    check: bool,
    keep: &[&str],
) -> Result<(), String> {
    if check {
        let report = self::check(dir, shown, files, keep)?;
        if report.is_empty() {
            return Ok(());
        }
        for entry in &report {
            eprintln!("{entry}");
        }
        return Err("generated code is stale: run `cargo xtask codegen` and commit".to_owned());
    }
    for change in write(dir, shown, files, keep)? {
        println!("{change}");
    }
    Ok(())
}

/// Lists the differences between `dir` and `files`; empty when `dir` is up to date.
pub fn check(
    dir: &Path,
    shown: &Path,
    files: &[GeneratedFile],
    keep: &[&str],
) -> Result<Vec<String>, String> {
    let mut report = Vec::new();
    for file in files {
        let path = dir.join(&file.rel_path);
        let name = show(shown, &file.rel_path);
        match fs::read(&path) {
            Err(_) => report.push(format!("missing {name}")),
            Ok(bytes) => {
                let current = normalise(&String::from_utf8_lossy(&bytes));
                if current != normalise(&file.contents) {
                    report.push(format!(
                        "stale {name}\n{}",
                        diff(&current, &file.contents, &file.rel_path)
                    ));
                }
            }
        }
    }
    for extra in extra_files(dir, files, keep)? {
        report.push(format!("extra {}", show(shown, &extra)));
    }
    Ok(report)
}

/// Writes what changed; returns one `updated …`/`deleted …` line per file touched.
pub fn write(
    dir: &Path,
    shown: &Path,
    files: &[GeneratedFile],
    keep: &[&str],
) -> Result<Vec<String>, String> {
    let mut changes = Vec::new();
    for file in files {
        let path = dir.join(&file.rel_path);
        if fs::read(&path).is_ok_and(|bytes| bytes == file.contents.as_bytes()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        let tmp = path.with_extension("rs.tmp");
        fs::write(&tmp, &file.contents).map_err(|e| format!("{}: {e}", tmp.display()))?;
        fs::rename(&tmp, &path).map_err(|e| format!("{}: {e}", path.display()))?;
        changes.push(format!("updated {}", show(shown, &file.rel_path)));
    }
    for extra in extra_files(dir, files, keep)? {
        let path = dir.join(&extra);
        fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        changes.push(format!("deleted {}", show(shown, &extra)));
    }
    Ok(changes)
}

/// Files present under `dir` (relative, `/`-separated) that the run did not produce.
fn extra_files(dir: &Path, files: &[GeneratedFile], keep: &[&str]) -> Result<Vec<String>, String> {
    let produced: BTreeSet<&str> = files.iter().map(|f| f.rel_path.as_str()).collect();
    let existing = if dir.exists() {
        list(dir, keep)?
    } else {
        Vec::new()
    };
    Ok(existing
        .into_iter()
        .filter(|p| !produced.contains(p.as_str()))
        .collect())
}

/// Every file under `dir`, as `/`-separated paths relative to it, depth first with each
/// directory's entries sorted by name; `skip` names relative paths (files or whole
/// directories) to leave out.
pub fn list(dir: &Path, skip: &[&str]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    walk(dir, "", skip, &mut out)?;
    Ok(out)
}

fn walk(dir: &Path, prefix: &str, keep: &[&str], out: &mut Vec<String>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<_> = entries.filter_map(Result::ok).collect();
    names.sort_by_key(fs::DirEntry::file_name);
    for entry in names {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if keep.contains(&rel.as_str()) {
            continue;
        }
        if entry.path().is_dir() {
            walk(&entry.path(), &rel, keep, out)?;
        } else {
            out.push(rel);
        }
    }
    Ok(())
}

/// `rel` (`/`-separated) under `shown`, for messages.
fn show(shown: &Path, rel: &str) -> String {
    shown.join(rel).display().to_string()
}

fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn diff(current: &str, expected: &str, name: &str) -> String {
    let diff = similar::TextDiff::from_lines(current, expected);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("committed/{name}"), &format!("generated/{name}"))
        .to_string();
    let mut lines: Vec<&str> = text.lines().collect();
    let total = lines.len();
    lines.truncate(DIFF_LINES);
    let mut out = lines.join("\n");
    if total > DIFF_LINES {
        out.push_str(&format!("\n… {} more diff lines", total - DIFF_LINES));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            rel_path: path.to_owned(),
            contents: contents.to_owned(),
        }
    }

    #[test]
    fn write_then_check_is_clean_and_reports_every_difference() {
        let dir = tempfile::tempdir().unwrap();
        let shown = Path::new("out");
        let files = vec![file("a.rs", "a\n"), file("sub/b.rs", "b\n")];
        write(dir.path(), shown, &files, &[]).unwrap();
        assert!(check(dir.path(), shown, &files, &[]).unwrap().is_empty());

        fs::write(dir.path().join("a.rs"), "changed\n").unwrap();
        fs::remove_file(dir.path().join("sub/b.rs")).unwrap();
        fs::write(dir.path().join("old.rs"), "x\n").unwrap();
        fs::create_dir(dir.path().join("target")).unwrap();
        fs::write(dir.path().join("target/keep.rs"), "x\n").unwrap();
        fs::write(dir.path().join("sub/spec.yaml"), "x\n").unwrap();
        let keep = ["target", "sub/spec.yaml"];
        let report = check(dir.path(), shown, &files, &keep).unwrap();
        assert_eq!(report.len(), 3, "{report:?}");
        assert!(
            report[0].starts_with("stale out/a.rs\n")
                && report[0].contains("-changed")
                && report[0].contains("+a")
        );
        assert_eq!(report[1], "missing out/sub/b.rs");
        assert_eq!(report[2], "extra out/old.rs");
        let err = apply(dir.path(), shown, &files, true, &keep).unwrap_err();
        assert!(err.contains("cargo xtask codegen"));

        write(dir.path(), shown, &files, &keep).unwrap();
        assert!(check(dir.path(), shown, &files, &keep).unwrap().is_empty());
        assert!(!dir.path().join("old.rs").exists());
        assert!(dir.path().join("target/keep.rs").exists());
        assert!(dir.path().join("sub/spec.yaml").exists());
    }

    #[test]
    fn crlf_checkouts_are_not_stale() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.rs"), "x\r\ny\r\n").unwrap();
        assert!(
            check(dir.path(), dir.path(), &[file("a.rs", "x\ny\n")], &[])
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn long_diffs_are_cut_at_twenty_lines() {
        let old: String = (0..100).map(|i| format!("{i}\n")).collect();
        let new: String = (0..100).map(|i| format!("{}\n", i * 2)).collect();
        let d = diff(&old, &new, "x.rs");
        assert_eq!(d.lines().count(), DIFF_LINES + 1);
        assert!(d.ends_with("more diff lines"));
    }
}
