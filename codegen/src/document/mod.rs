//! The loaded document as the later stages read it: one read-only view over the typed
//! `openapiv3` model and the same document as JSON, with the file name errors carry.
//!
//! Input: what `load` produced. Output: a [`Document`], handed to `validate`, which hands
//! it on to `lower` once the document is known to be good (`validate::Validated`).
//!
//! Why both forms: openapiv3 is the typed model the stages walk, but it rounds numbers
//! through `f64`, drops the siblings of a `$ref` and normalises response keys (`4xx` →
//! `4XX`). Exact numbers, `description` next to a `$ref` and keys as written are read from
//! the JSON by pointer, through [`Document::node`]. [`walk`] says what a pointer denotes.

pub mod walk;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::pointer::JsonPointer;
use crate::resolve::Resolver;

/// A loaded document: the typed model, its JSON, and its file name.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    api: &'a OpenAPI,
    raw: &'a Value,
    file: &'a str,
}

impl<'a> Document<'a> {
    /// A view of `api`, whose JSON form is `raw` (the same document: constraints and
    /// `$ref` siblings are read from it by pointer); errors name `file`.
    pub fn new(api: &'a OpenAPI, raw: &'a Value, file: &'a str) -> Self {
        Self { api, raw, file }
    }

    /// The typed document.
    pub fn api(&self) -> &'a OpenAPI {
        self.api
    }

    /// The whole document as JSON, in document order (for walks over every node).
    pub fn raw(&self) -> &'a Value {
        self.raw
    }

    /// The file name errors use.
    pub fn file(&self) -> &'a str {
        self.file
    }

    /// The JSON node at `at`, if there is one.
    pub fn node(&self, at: &JsonPointer) -> Option<&'a Value> {
        walk::lookup(self.raw, at)
    }

    /// Typed lookup of local `$ref`s in this document.
    pub fn resolver(&self) -> Resolver<'a> {
        Resolver::new(self.api, self.file)
    }

    /// An error at `at` in this document.
    pub fn error(&self, at: &JsonPointer, kind: ErrorKind) -> Error {
        Error::new(self.file, at.clone(), kind)
    }

    /// An [`ErrorKind::Unsupported`] error at `at`.
    pub fn unsupported(
        &self,
        at: &JsonPointer,
        construct: impl Into<String>,
        expected: impl Into<String>,
    ) -> Error {
        self.error(
            at,
            ErrorKind::Unsupported {
                construct: construct.into(),
                expected: expected.into(),
            },
        )
    }
}
