//! The variants of `codegen::ErrorKind`, read from its definition in `src/error.rs`, so a
//! test that must cover every kind sees a new one without anyone listing it. Shared by the
//! unit tests of `error.rs` and `tests/bad_specs.rs`.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test support: a source that does not parse should fail the test"
)]

use std::collections::BTreeSet;
use std::fmt::Debug;

/// Every variant name of `ErrorKind`, as declared.
pub fn declared() -> BTreeSet<String> {
    let file = syn::parse_file(include_str!("../../src/error.rs")).expect("src/error.rs parses");
    let kinds: BTreeSet<String> = file
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Enum(e) if e.ident == "ErrorKind" => {
                Some(e.variants.iter().map(|v| v.ident.to_string()).collect())
            }
            _ => None,
        })
        .expect("enum ErrorKind in src/error.rs");
    assert!(
        kinds.len() > 20,
        "only {} kinds in src/error.rs",
        kinds.len()
    );
    kinds
}

/// The variant name of a kind: its `Debug` text up to the first non-identifier character
/// (`UnresolvedRef { target: … }` → `UnresolvedRef`).
pub fn name(kind: &impl Debug) -> String {
    format!("{kind:?}")
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}
