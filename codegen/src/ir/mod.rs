//! The intermediate representation: the only seam between `openapiv3` (read by `load` and
//! `lower`) and `quote` (used by `emit`). Plain owned data, sorted, serializable for insta.
//!
//! Input: built by `lower` from a resolved document. Output: read by `emit`.
//! Nothing here knows about `openapiv3` or token streams.

mod names;
mod operation;
mod path;
mod security;
mod types;

use std::collections::BTreeMap;

use serde::Serialize;

pub use names::{FieldName, MethodName, Renamed, TypeName, VariantName};
pub use operation::{
    Body, Deprecation, FormBody, FormField, FormPart, HttpMethod, MediaVersion, Multipart,
    NameOrigin, Operation, Pagination, Param, ParamEncoding, ParamLocation, ParamStyle, ParamValue,
    PartKind, Response, StatusSpec,
};
pub use path::{PathTemplate, Segment};
pub use security::{
    ApiKeyLocation, ClientCredentials, Requirement, SchemeKind, SchemeUse, Security,
    SecurityScheme, TokenUrl,
};
pub use types::{
    Constraints, Docs, EnumValue, Field, OpenEnum, Scalar, Struct, TagInfo, TypeDef, TypeKind,
    TypeRef, Union, UnionVariant, Untagged, UntaggedKind, UntaggedVariant,
};

/// The whole API, lowered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ir {
    /// `info.title` of the spec.
    pub title: String,
    /// `info.version` of the spec.
    pub version: String,
    /// `servers[0].url`, when present (the client's default base URL).
    pub base_url: Option<String>,
    /// Every named type, sorted by name (this order is the output order).
    pub types: BTreeMap<TypeName, TypeDef>,
    /// Every operation, sorted by operationId (one without an operationId by its
    /// `METHOD /path`, see [`Operation::id`]).
    pub operations: Vec<Operation>,
    /// The schema shared by the documented error responses, when they all use one
    /// (Atlas: `ApiError`). `None` means error bodies are kept as raw JSON.
    pub error_body: Option<ErrorBody>,
    /// The security schemes and the default requirement.
    #[serde(skip_serializing_if = "Security::is_empty")]
    pub security: Security,
}

/// The shared error schema and where its `errorCode`- and `detail`-like fields are, so the
/// runtime can offer `Error::error_code()` and a useful message without knowing the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    /// The type of the error body (a struct).
    pub ty: TypeName,
    /// The field holding a machine-readable error code (`errorCode`), if any.
    pub code_field: Option<ErrorText>,
    /// The field holding a human-readable explanation (`detail`), if any.
    pub detail_field: Option<ErrorText>,
}

/// A text field of the error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorText {
    /// The field of the error body struct.
    pub field: FieldName,
    /// What it holds (through aliases).
    pub kind: TextKind,
}

/// What a text field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TextKind {
    /// A `String`.
    String,
    /// An open enum (its text is `as_str()`).
    Enum,
}
