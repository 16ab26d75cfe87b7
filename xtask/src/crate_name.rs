//! Package names for `--out` crates: checked up front with the rules cargo applies, so that a
//! bad `--name` is refused before anything is written (rather than by cargo, later, on a
//! `Cargo.toml` we wrote).
//!
//! Cargo rejects (when it parses a manifest, or in `cargo new`): an empty name; a leading
//! digit; a first character that is not a letter or `_`; characters other than letters,
//! digits, `-` and `_`; Rust keywords; `test`; and the names of its artifact directories
//! (`build`, `deps`, `examples`, `incremental`). `cargo new` also warns about the standard
//! library's names, Windows device names and non-ASCII names (crates.io refuses those), and
//! the generated crate's library is the name with `-` → `_`, used in code: those are
//! refused here too.

/// Rust keywords, strict and reserved, in every edition (cargo's `restricted_names` list).
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
    "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if",
    "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Directories cargo creates in `target/<profile>/`.
const ARTIFACT_DIRS: &[&str] = &["build", "deps", "examples", "incremental"];

/// Crates of the standard library.
const SYSROOT: &[&str] = &["alloc", "core", "proc_macro", "proc-macro", "std", "test"];

/// `name` itself when cargo (and crates.io) accept it as a package name; otherwise which
/// rule it breaks and what would be valid.
pub fn validate(name: &str) -> Result<(), String> {
    const CHARS: &str = "expected ASCII letters, digits, `-` and `_`, starting with a letter \
                         or `_` (cargo's package-name rule), such as `my-client`";
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Err(format!("a package name cannot be empty; {CHARS}"));
    };
    if first.is_ascii_digit() {
        return Err(format!(
            "invalid character `{first}` in package name `{name}`: the name cannot start \
             with a digit; {CHARS}"
        ));
    }
    if !(first.is_ascii_alphabetic() || first == '_') {
        return Err(format!(
            "invalid character `{first}` in package name `{name}`: the first character must \
             be a letter or `_`; {CHARS}"
        ));
    }
    if let Some(bad) = chars.find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(format!(
            "invalid character `{bad}` in package name `{name}`; {CHARS}"
        ));
    }
    let lib = name.replace('-', "_");
    if KEYWORDS.contains(&name) || KEYWORDS.contains(&lib.as_str()) {
        return Err(format!(
            "`{name}` is a Rust keyword, which cargo refuses as a package name (and the \
             library would be named `{lib}`); expected another name, such as `{name}-client`"
        ));
    }
    if SYSROOT.contains(&name) || SYSROOT.contains(&lib.as_str()) {
        return Err(format!(
            "`{name}` is the name of a standard library crate (cargo refuses `test` and \
             warns about the others); expected another name, such as `{name}-client`"
        ));
    }
    if ARTIFACT_DIRS.contains(&name) {
        return Err(format!(
            "`{name}` is one of cargo's artifact directories (build, deps, examples, \
             incremental), which cargo refuses as a package name; expected another name, \
             such as `{name}-client`"
        ));
    }
    if is_windows_device(name) {
        return Err(format!(
            "`{name}` is a reserved Windows file name (cargo warns: the package cannot be \
             used on Windows); expected another name, such as `{name}-client`"
        ));
    }
    Ok(())
}

/// `con`, `prn`, `aux`, `nul`, `com1`–`com9`, `lpt1`–`lpt9`, in any case.
fn is_windows_device(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    match lower.as_str() {
        "con" | "prn" | "aux" | "nul" => true,
        _ => {
            let (stem, digit) = lower.split_at(lower.len().saturating_sub(1));
            (stem == "com" || stem == "lpt") && matches!(digit.as_bytes(), [b'1'..=b'9'])
        }
    }
}

/// For clap: the name, or why it is refused.
pub fn parse(name: &str) -> Result<String, String> {
    validate(name).map(|()| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_cargo_accepts() {
        for name in [
            "demo",
            "my-client",
            "my_client",
            "_x",
            "a1",
            "X-2_y",
            "tests",
            "com10",
        ] {
            assert_eq!(validate(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn refuses_what_cargo_refuses_naming_the_rule() {
        for (name, says) in [
            ("", "cannot be empty"),
            (
                ".-x",
                "invalid character `.` in package name `.-x`: the first character",
            ),
            (
                "-x",
                "invalid character `-` in package name `-x`: the first character",
            ),
            ("3d", "cannot start with a digit"),
            (
                "a.b",
                "invalid character `.` in package name `a.b`; expected ASCII letters",
            ),
            ("a b", "invalid character ` `"),
            ("a/b", "invalid character `/`"),
            ("café", "invalid character `é`"),
            ("self", "is a Rust keyword"),
            ("async", "is a Rust keyword"),
            ("Self", "is a Rust keyword"),
            ("test", "standard library crate"),
            ("proc-macro", "standard library crate"),
            ("std", "standard library crate"),
            ("deps", "artifact directories"),
            ("build", "artifact directories"),
            ("nul", "reserved Windows file name"),
            ("COM1", "reserved Windows file name"),
            ("lpt9", "reserved Windows file name"),
        ] {
            let err = validate(name).expect_err(name);
            assert!(err.contains(says), "{name:?}: {err}");
            assert!(
                err.contains("expected"),
                "{name:?} says what is valid: {err}"
            );
        }
    }
}
