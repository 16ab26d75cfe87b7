//! How the generated files name their spec (`// @generated … from NAME`).
//!
//! The name is part of the output, and the output must be the same bytes on every machine and
//! from every working directory, so it never depends on how `--spec` was typed, on the
//! current directory or on where the checkout lives. It is, in order:
//! 1. the spec's path relative to the output crate, when the spec lies inside it
//!    (`--spec my-client/spec/api.yaml --out my-client` → `spec/api.yaml`);
//! 2. else its path relative to this workspace's root, when it lies inside the workspace
//!    (the bundled `spec/atlas-admin-v2.yaml`, `codegen/tests/fixtures/…`);
//! 3. else its file name alone (`api.json`).
//!
//! Paths are compared after resolving symbolic links, `.` and `..`, and printed with `/`.
//! Messages on the terminal (errors, `updated …`) keep naming the spec as it was typed: those
//! are for finding the file, not part of the output.

use std::path::{Component, Path, PathBuf};

/// The deterministic name of `spec` (an existing file) for a crate written to `out`
/// (`None`: the bundled client) in the workspace at `root`.
pub fn display_name(spec: &Path, out: Option<&Path>, root: &Path) -> String {
    out.and_then(|out| relative_to(spec, out))
        .or_else(|| relative_to(spec, root))
        .unwrap_or_else(|| {
            resolve(spec)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
}

/// `spec`'s `/`-separated path relative to `dir`, if it lies inside it.
pub fn relative_to(spec: &Path, dir: &Path) -> Option<String> {
    let rel = slashed(resolve(spec).strip_prefix(resolve(dir)).ok()?);
    (!rel.is_empty()).then_some(rel)
}

/// How terminal messages name `file`, an error's file, given that the generator was told the
/// spec is `display` and the user typed `shown`: the spec itself is `shown`, and a file it
/// refers to, named relative to `display`'s directory, is named relative to `shown`'s.
pub fn as_typed(file: &str, display: &str, shown: &str) -> String {
    if file == display {
        return shown.to_owned();
    }
    let dir = |p: &str| {
        p.rfind('/')
            .map_or("", |i| p.get(..i).unwrap_or_default())
            .to_owned()
    };
    let (from, to) = (dir(display), dir(shown));
    let rest = if from.is_empty() {
        (!file.starts_with('/')).then_some(file)
    } else {
        file.strip_prefix(&format!("{from}/"))
    };
    match rest {
        Some(rest) if to.is_empty() => rest.to_owned(),
        Some(rest) => format!("{to}/{rest}"),
        None => file.to_owned(),
    }
}

/// `path` made absolute with `.`/`..` removed and symbolic links resolved, as far as it
/// exists (`--out` may not exist yet).
fn resolve(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut lexical = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                lexical.pop();
            }
            other => lexical.push(other),
        }
    }
    // The longest prefix that exists, canonicalised, then the rest as written.
    let mut rest = Vec::new();
    let mut head = lexical.as_path();
    loop {
        if let Ok(real) = head.canonicalize() {
            return rest.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (head.parent(), head.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                head = parent;
            }
            _ => return lexical,
        }
    }
}

fn slashed(rel: &Path) -> String {
    let parts: Vec<_> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    #[test]
    fn names_do_not_depend_on_how_the_path_is_typed() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path();
        fs::create_dir_all(base.join("ws/spec")).unwrap();
        fs::create_dir_all(base.join("crate/spec")).unwrap();
        fs::create_dir_all(base.join("elsewhere")).unwrap();
        for file in ["ws/spec/a.yaml", "crate/spec/b.yaml", "elsewhere/c.json"] {
            fs::write(base.join(file), "x").unwrap();
        }
        let root = base.join("ws");
        let name = |spec: PathBuf, out: Option<PathBuf>| display_name(&spec, out.as_deref(), &root);

        // Inside the output crate (even one that does not exist yet is resolved).
        assert_eq!(
            name(base.join("crate/spec/b.yaml"), Some(base.join("crate"))),
            "spec/b.yaml"
        );
        assert_eq!(
            name(
                base.join("elsewhere/../crate/./spec/b.yaml"),
                Some(base.join("ws/../crate/"))
            ),
            "spec/b.yaml"
        );
        // Inside the workspace.
        assert_eq!(name(base.join("ws/spec/a.yaml"), None), "spec/a.yaml");
        assert_eq!(
            name(base.join("ws/spec/a.yaml"), Some(base.join("new/dir"))),
            "spec/a.yaml"
        );
        // Anywhere else: the file name.
        assert_eq!(
            name(base.join("elsewhere/c.json"), Some(base.join("crate"))),
            "c.json"
        );
        assert_eq!(name(base.join("elsewhere/./c.json"), None), "c.json");
    }

    #[test]
    fn messages_name_files_as_typed() {
        for (file, display, shown, expected) in [
            (
                "api.yaml",
                "api.yaml",
                "../specs/api.yaml",
                "../specs/api.yaml",
            ),
            (
                "models/a.yaml",
                "api.yaml",
                "../specs/api.yaml",
                "../specs/models/a.yaml",
            ),
            (
                "../common/e.yaml",
                "api.yaml",
                "/abs/api.yaml",
                "/abs/../common/e.yaml",
            ),
            (
                "spec/models/a.yaml",
                "spec/api.yaml",
                "api.yaml",
                "models/a.yaml",
            ),
            ("spec/api.yaml", "spec/api.yaml", "./api.yaml", "./api.yaml"),
            ("/etc/x.yaml", "api.yaml", "d/api.yaml", "/etc/x.yaml"),
            (
                "other/x.yaml",
                "spec/api.yaml",
                "d/api.yaml",
                "other/x.yaml",
            ),
        ] {
            assert_eq!(
                as_typed(file, display, shown),
                expected,
                "{file} {display} {shown}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn symbolic_links_are_resolved() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path();
        fs::create_dir_all(base.join("ws/spec")).unwrap();
        fs::write(base.join("ws/spec/a.yaml"), "x").unwrap();
        std::os::unix::fs::symlink(base.join("ws"), base.join("link")).unwrap();
        assert_eq!(
            display_name(&base.join("link/spec/a.yaml"), None, &base.join("ws")),
            "spec/a.yaml"
        );
    }
}
