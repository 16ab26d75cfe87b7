//! Path templates parsed into literal and parameter pieces, so
//! `/processor/{processorName}:start` is `[Literal("/processor/"), Param, Literal(":start")]`.

use serde::Serialize;

use super::FieldName;

/// A parsed path template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathTemplate {
    /// The template as written in the spec.
    pub raw: String,
    /// Its pieces, in order. Adjacent literals are merged.
    pub segments: Vec<Segment>,
}

/// One piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Segment {
    /// Literal text, sent as is (it may contain `/`).
    Literal(String),
    /// A path parameter: its value is percent-encoded as (part of) one path segment.
    Param {
        /// The Rust name of the parameter.
        rust: FieldName,
        /// The name inside `{}` in the template.
        wire: String,
    },
}
