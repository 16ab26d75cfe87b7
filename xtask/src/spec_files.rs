//! The file reader `codegen` is handed for multi-file descriptions: logical paths (see
//! `codegen::load::source`) under the directory of the root document, refusing anything
//! that resolves outside it, symbolic links included, unless references outside are
//! allowed.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use codegen::ReadError;

/// Reads the files of the description whose root document is in `dir`.
#[derive(Debug)]
pub struct SpecDir {
    dir: PathBuf,
    /// `dir` with symbolic links resolved, when it exists.
    canonical: Option<PathBuf>,
    allow_outside: bool,
}

impl SpecDir {
    pub fn new(dir: &Path, allow_outside: bool) -> Self {
        // `Path::new("api.yaml").parent()` is the empty path: the current directory.
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        Self {
            dir: dir.to_path_buf(),
            canonical: dir.canonicalize().ok(),
            allow_outside,
        }
    }
}

impl codegen::Source for SpecDir {
    fn read(&self, path: &str) -> Result<Vec<u8>, ReadError> {
        let full = if path.starts_with('/') {
            PathBuf::from(path)
        } else {
            self.dir.join(path)
        };
        let io = |e: std::io::Error| match e.kind() {
            ErrorKind::NotFound => ReadError::NotFound,
            _ => ReadError::Other(e.to_string()),
        };
        if !self.allow_outside {
            let real = full.canonicalize().map_err(io)?;
            if !self.canonical.as_ref().is_some_and(|d| real.starts_with(d)) {
                return Err(ReadError::Outside);
            }
        }
        std::fs::read(&full).map_err(io)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use codegen::Source as _;

    #[test]
    fn reads_inside_and_refuses_links_that_lead_out() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.yaml"), "x: 1\n").unwrap();
        let spec = tempfile::tempdir().unwrap();
        std::fs::create_dir(spec.path().join("models")).unwrap();
        std::fs::write(spec.path().join("models/a.yaml"), "a: 1\n").unwrap();
        let files = SpecDir::new(spec.path(), false);
        assert_eq!(files.read("models/a.yaml").unwrap(), b"a: 1\n");
        assert_eq!(files.read("models/b.yaml"), Err(ReadError::NotFound));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(
                outside.path().join("secret.yaml"),
                spec.path().join("link.yaml"),
            )
            .unwrap();
            assert_eq!(files.read("link.yaml"), Err(ReadError::Outside));
            assert_eq!(
                SpecDir::new(spec.path(), true).read("link.yaml").unwrap(),
                b"x: 1\n"
            );
        }
    }
}
