//! Partial generation ([`Options::skip_unsupported`]): what may be left out of a crate, and
//! the warning that says so.
//!
//! The unit of skipping is an *item*: one operation (`#/paths/~1a/get`) or one schema
//! component (`#/components/schemas/A`). A problem whose pointer lies inside an item (or,
//! for a problem of a path item itself — its template, its shared parameters — inside
//! every operation of that path) is the item's: in skip mode the item is left out and the
//! problem becomes a [`Warning`]. What needs a skipped schema is left out in turn, with its
//! own warning ([`crate::ErrorKind::SkippedDependency`]). A problem outside every item (the
//! document's shape, `info`, a shared parameter or response component) still stops
//! generation: such a problem is the document's, not one item's.
//!
//! `validate` attributes its problems with `items_at`; `lower` does the same for the
//! problems it finds per operation and per schema, and reruns until a round lowers without
//! one (see `lower`). Strict mode (the default) never reaches this module's logic.

use std::fmt;

use crate::document::Document;
use crate::error::{Error, ErrorKind};
use crate::pointer::JsonPointer;

/// How to generate. `Options::default()` is strict: the first problem stops generation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Leave out each operation or schema that has a problem the generator cannot lower
    /// (and what needs it), report each as a [`Warning`], and generate the rest.
    pub skip_unsupported: bool,
}

/// What kind of item was left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemKind {
    /// An operation: its method is absent from the client.
    Operation,
    /// A schema component: its type is absent from the models.
    Schema,
}

/// An item that was left out: what it is and where it is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Item {
    /// Operation or schema.
    pub kind: ItemKind,
    /// `#/paths/~1a/get` or `#/components/schemas/A`.
    pub at: JsonPointer,
}

impl Item {
    /// The schema component `key`.
    pub(crate) fn schema(key: &str) -> Self {
        Self {
            kind: ItemKind::Schema,
            at: schema_pointer(key),
        }
    }

    /// The operation at `at` (`#/paths/~1a/get`).
    pub(crate) fn operation(at: &JsonPointer) -> Self {
        Self {
            kind: ItemKind::Operation,
            at: at.clone(),
        }
    }

    /// The component key of a schema item.
    pub(crate) fn schema_key(&self) -> Option<&str> {
        match (self.kind, self.at.tokens()) {
            (ItemKind::Schema, [_, _, key]) => Some(key),
            _ => None,
        }
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            ItemKind::Operation => "operation",
            ItemKind::Schema => "schema",
        };
        write!(f, "{kind} {}", self.at)
    }
}

/// One problem that left items out of the crate (skip mode only).
///
/// Displays on one line: the problem as an [`Error`] displays (file, pointer, problem,
/// what was expected), then what was skipped because of it.
#[derive(Debug)]
pub struct Warning {
    /// The problem, where it was found.
    pub problem: Error,
    /// What it left out: one item, or every operation of a path whose template or shared
    /// parameters are the problem (none when that path has no operation).
    pub skipped: Vec<Item>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; skipped ", self.problem)?;
        if self.skipped.is_empty() {
            return f.write_str("the path (it has no operation)");
        }
        for (i, item) in self.skipped.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{item}")?;
        }
        Ok(())
    }
}

/// Warnings in a total order: by where the first item skipped is, then by the text.
pub(crate) fn sort(warnings: &mut [Warning]) {
    warnings.sort_by_cached_key(|w| (w.skipped.first().map(|i| i.at.clone()), w.to_string()));
}

/// `#/components/schemas/{key}`.
pub(crate) fn schema_pointer(key: &str) -> JsonPointer {
    JsonPointer::root()
        .push("components")
        .push("schemas")
        .push(key)
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The items a problem at `at` belongs to, or `None` when it belongs to none (then it
/// stops generation even in skip mode). A `$ref`/`allOf` loop belongs to every schema of
/// the loop.
pub(crate) fn items_at(doc: Document<'_>, at: &JsonPointer, kind: &ErrorKind) -> Option<Vec<Item>> {
    if let ErrorKind::RefCycle { chain } = kind {
        let items: Option<Vec<Item>> = chain.iter().map(schema_of).collect();
        if let Some(items) = items {
            return Some(items);
        }
    }
    if let Some(item) = schema_of(at) {
        return Some(vec![item]);
    }
    match at.tokens() {
        [paths, path, method, ..] if paths == "paths" && METHODS.contains(&method.as_str()) => {
            let op = JsonPointer::root().push("paths").push(path.as_str());
            Some(vec![Item::operation(&op.push(method.as_str()))])
        }
        [paths, path, ..] if paths == "paths" => {
            let item_at = JsonPointer::root().push("paths").push(path.as_str());
            let ops = match doc.api().paths.paths.get(path.as_str()) {
                Some(openapiv3::ReferenceOr::Item(item)) => item
                    .iter()
                    .map(|(method, _)| Item::operation(&item_at.push(method)))
                    .collect(),
                _ => Vec::new(),
            };
            Some(ops)
        }
        _ => None,
    }
}

/// The schema component a pointer lies in.
fn schema_of(at: &JsonPointer) -> Option<Item> {
    match at.tokens() {
        [components, schemas, key, ..] if components == "components" && schemas == "schemas" => {
            Some(Item::schema(key))
        }
        _ => None,
    }
}
