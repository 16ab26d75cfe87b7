//! What discovery found, read by the writing half: the files read, every target reachable
//! from the root, and the references inside each. Read-only once discovery is done.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::document::walk::{lookup, Obj};
use crate::error::{Error, ErrorKind};
use crate::load::position::Site;
use crate::load::source;
use crate::pointer::JsonPointer;

/// One node of one file that a reference leads to, as the kind its position calls for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Target {
    pub(super) file: String,
    pub(super) fragment: JsonPointer,
    /// The kind's noun (`a schema`): `Obj` has no order of its own.
    pub(super) kind: &'static str,
}

/// What one reference becomes.
#[derive(Debug, Clone)]
pub(super) enum Resolution {
    /// Stays as written (a local reference in the root document, or one `validate` will
    /// report).
    Keep,
    /// A pointer into the root document.
    Root(JsonPointer),
    /// A node of another file.
    Node(Target),
}

/// Every target reachable from the root document, with the files they are in.
pub(super) struct Found<'f> {
    /// How errors name the root document (other files are named relative to it).
    pub(super) root_display: &'f str,
    /// Other files read so far, by logical path.
    pub(super) docs: BTreeMap<String, Value>,
    pub(super) kinds: BTreeMap<Target, Obj>,
    /// The references inside each target, with what each resolves to.
    pub(super) scans: BTreeMap<Target, Vec<(Site, Resolution)>>,
    /// The first reference that led to each target (for errors).
    pub(super) first_site: BTreeMap<Target, (String, JsonPointer)>,
}

impl<'f> Found<'f> {
    pub(super) fn new(root_display: &'f str) -> Self {
        Self {
            root_display,
            docs: BTreeMap::new(),
            kinds: BTreeMap::new(),
            scans: BTreeMap::new(),
            first_site: BTreeMap::new(),
        }
    }

    /// How errors name the file at `path`.
    pub(super) fn display(&self, path: &str) -> String {
        source::display(self.root_display, path)
    }

    /// `models/pet.yaml` or `models/pet.yaml#/Pet`, for a chain of references.
    pub(super) fn hop(&self, t: &Target) -> String {
        let file = self.display(&t.file);
        if t.fragment.tokens().is_empty() {
            file
        } else {
            format!("{file}{}", t.fragment)
        }
    }

    pub(super) fn error(&self, file: &str, at: JsonPointer, kind: ErrorKind) -> Error {
        Error::new(self.display(file), at, kind)
    }

    /// The node a target names.
    pub(super) fn node(&self, target: &Target) -> Option<&Value> {
        self.docs
            .get(&target.file)
            .and_then(|doc| lookup(doc, &target.fragment))
    }

    /// Whether a target is nothing but a `$ref` (then it is not copied).
    pub(super) fn is_pure_ref(&self, target: &Target) -> bool {
        matches!(self.node(target), Some(Value::Object(m)) if m.len() == 1 && m.get("$ref").is_some_and(Value::is_string))
    }
}
