//! The seam between the loader and the file system: the caller says how to read the files a
//! description refers to ([`Source`]), and how far references may reach ([`Files`]).
//! `codegen` itself never touches the disk: `xtask` hands it a reader over a directory,
//! tests an in-memory map ([`MemoryFiles`]).
//!
//! Paths are *logical*: `/`-separated, relative to the directory of the root document, with
//! `.` and `a/..` folded away lexically. A path that still starts with `../` (or is
//! absolute, `/…`) lies outside that directory; the loader asks for one only when
//! [`Files::allow_outside`] is set.

use std::collections::BTreeMap;
use std::fmt;

/// Reads the files of a multi-file description.
pub trait Source {
    /// The bytes of the file at `path`: a logical path (see the module docs), such as
    /// `resources/droplets/models/droplet.yml` or, with [`Files::allow_outside`],
    /// `../common/errors.yaml`.
    ///
    /// A reader over a directory should also refuse a path that resolves outside the
    /// directory through a symbolic link (unless `allow_outside`), answering
    /// [`ReadError::Outside`].
    fn read(&self, path: &str) -> Result<Vec<u8>, ReadError>;
}

impl<F: Fn(&str) -> Result<Vec<u8>, ReadError>> Source for F {
    fn read(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        self(path)
    }
}

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// There is no such file.
    NotFound,
    /// The file exists but lies outside the directory the references may reach (a symbolic
    /// link that leads out of it).
    Outside,
    /// Anything else (permissions, a directory where a file was expected…), in words.
    Other(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("no such file"),
            ReadError::Outside => f.write_str("it leads outside the spec's directory"),
            ReadError::Other(reason) => f.write_str(reason),
        }
    }
}

/// How the loader may reach the other files of a description.
#[derive(Clone, Copy)]
pub struct Files<'a> {
    /// Reads a file by logical path.
    pub source: &'a dyn Source,
    /// Whether `$ref`s may reach files outside the directory of the root document
    /// (`../common/errors.yaml`, `/abs/path.yaml`). Off by default: a description is read
    /// from its own directory tree only. Network URLs are never fetched either way.
    pub allow_outside: bool,
}

impl fmt::Debug for Files<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Files")
            .field("allow_outside", &self.allow_outside)
            .finish_non_exhaustive()
    }
}

/// An in-memory set of files, by logical path: for tests, and for callers that already
/// hold every file.
#[derive(Debug, Clone, Default)]
pub struct MemoryFiles(pub BTreeMap<String, Vec<u8>>);

impl MemoryFiles {
    /// The files, from `(path, contents)` pairs.
    pub fn new<'p>(files: impl IntoIterator<Item = (&'p str, &'p [u8])>) -> Self {
        Self(
            files
                .into_iter()
                .map(|(p, t)| (p.to_owned(), t.to_vec()))
                .collect(),
        )
    }
}

impl Source for MemoryFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        self.0.get(path).cloned().ok_or(ReadError::NotFound)
    }
}

/// The directory part of a logical path (`a/b.yaml` → `a`, `b.yaml` → ``).
pub(crate) fn dir_of(path: &str) -> &str {
    path.rfind('/')
        .map_or("", |i| path.get(..i).unwrap_or_default())
}

/// `rel` (a `$ref` path, already percent-decoded) resolved against the directory `dir`, with
/// `.` and `x/..` folded away. Absolute `rel` stays absolute.
pub(crate) fn join(dir: &str, rel: &str) -> String {
    let absolute = rel.starts_with('/') || dir.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    let base = if rel.starts_with('/') { "" } else { dir };
    for segment in base.split('/').chain(rel.split('/')) {
        match segment {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                // `/..` is `/`.
                _ if absolute => {}
                _ => parts.push(".."),
            },
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Whether a logical path lies outside the root document's directory.
pub(crate) fn is_outside(path: &str) -> bool {
    path.starts_with('/') || path == ".." || path.starts_with("../")
}

/// How errors name the file at logical `path`, given how they name the root document
/// (`spec/api/openapi.yaml` and `models/a.yaml` → `spec/api/models/a.yaml`).
pub(crate) fn display(root_display: &str, path: &str) -> String {
    if path.starts_with('/') {
        return path.to_owned();
    }
    let dir = dir_of(root_display);
    if dir.is_empty() {
        return path.to_owned();
    }
    let joined = join(dir, path);
    if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    }
}

/// Decodes `%XX` escapes (a `$ref` is a URI reference). `None` if an escape is malformed
/// or the result is not UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_and_folds() {
        let cases = [
            ("", "a.yaml", "a.yaml"),
            ("", "./a.yaml", "a.yaml"),
            ("x/y", "../z/a.yaml", "x/z/a.yaml"),
            ("x", "../../a.yaml", "../a.yaml"),
            ("", "../a.yaml", "../a.yaml"),
            ("../c", "../d.yaml", "../d.yaml"),
            ("x", "/etc/a.yaml", "/etc/a.yaml"),
            ("/srv/x", "../a.yaml", "/srv/a.yaml"),
            ("/", "../../a.yaml", "/a.yaml"),
            ("x", "a//b/./c.yaml", "x/a/b/c.yaml"),
        ];
        for (dir, rel, want) in cases {
            assert_eq!(join(dir, rel), want, "{dir} + {rel}");
        }
        assert!(is_outside("../a.yaml") && is_outside("/a.yaml") && is_outside(".."));
        assert!(!is_outside("a/../b.yaml") && !is_outside("..a.yaml"));
        assert_eq!(dir_of("a/b/c.yaml"), "a/b");
        assert_eq!(dir_of("c.yaml"), "");
    }

    #[test]
    fn display_names_are_relative_to_the_root_display_name() {
        assert_eq!(
            display("spec/api/openapi.yaml", "models/a.yaml"),
            "spec/api/models/a.yaml"
        );
        assert_eq!(display("openapi.yaml", "models/a.yaml"), "models/a.yaml");
        assert_eq!(
            display("spec/openapi.yaml", "../common/e.yaml"),
            "common/e.yaml"
        );
        assert_eq!(
            display("openapi.yaml", "../common/e.yaml"),
            "../common/e.yaml"
        );
        assert_eq!(display("/abs/openapi.yaml", "/x/e.yaml"), "/x/e.yaml");
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b.yaml").as_deref(), Some("a b.yaml"));
        assert_eq!(percent_decode("plain").as_deref(), Some("plain"));
        assert_eq!(percent_decode("%7B%7D").as_deref(), Some("{}"));
        assert_eq!(percent_decode("bad%2"), None);
        assert_eq!(percent_decode("bad%zz"), None);
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn memory_files_and_closures_are_sources() {
        let files = MemoryFiles::new([("a.yaml", b"x".as_slice())]);
        assert_eq!(files.read("a.yaml"), Ok(b"x".to_vec()));
        assert_eq!(files.read("b.yaml"), Err(ReadError::NotFound));
        let closure = |p: &str| Err::<Vec<u8>, _>(ReadError::Other(format!("no {p}")));
        assert_eq!(closure.read("c").unwrap_err().to_string(), "no c");
    }
}
