//! How a struct field or a builder parameter holds its value (`T`, `Option<T>`,
//! `Option<Option<T>>`), decided once for every emitter that reads or writes one.

use crate::ir::Field;

/// How a field or parameter holds its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holding {
    /// `T`.
    Plain,
    /// `Option<T>`.
    Option,
    /// `Option<Option<T>>` (optional and nullable).
    DoubleOption,
}

impl Holding {
    /// A value that is `required` (or not) and `nullable` (or not).
    pub(crate) fn of(required: bool, nullable: bool) -> Self {
        match (required, nullable) {
            (true, false) => Self::Plain,
            (false, true) => Self::DoubleOption,
            _ => Self::Option,
        }
    }

    /// How a struct field holds its value.
    pub(crate) fn of_field(f: &Field) -> Self {
        Self::of(required_both_ways(f), f.nullable)
    }
}

/// Whether a property is required in requests and in responses alike. OpenAPI 3.0 applies
/// `required` to a `readOnly` property only in responses and to a `writeOnly` one only in
/// requests, so those are optional here: a response without the write-only `password`
/// still decodes, and a request need not invent the server's `id`.
pub(crate) fn required_both_ways(f: &Field) -> bool {
    f.required && !f.read_only && !f.write_only
}
