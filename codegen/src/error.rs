//! Errors for bad specs. Every error names the file, the JSON pointer of the offending node
//! and what was expected: `{file}: {pointer}: {problem}; expected {what would be valid}`.
//! YAML/JSON syntax errors read `{file}:{line}:{col}: {message}`.
//!
//! Used by every stage: `load` (text, syntax, version, shape), `validate` (whole-document
//! checks, all problems at once) and `lower` (the first problem it cannot lower).

use std::fmt;

use crate::pointer::JsonPointer;

/// One problem found in a spec.
#[derive(Debug)]
pub struct Error {
    /// The file name as given in [`crate::Input::file_name`].
    pub file: String,
    /// Where in the document.
    pub pointer: JsonPointer,
    /// What is wrong.
    pub kind: ErrorKind,
}

impl Error {
    /// Builds an error.
    pub fn new(file: impl Into<String>, pointer: JsonPointer, kind: ErrorKind) -> Self {
        Self {
            file: file.into(),
            pointer,
            kind,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            // A syntax error without a position (line 0) falls back to the pointer form.
            ErrorKind::Syntax {
                line,
                column,
                message,
            } if *line > 0 => {
                write!(f, "{}:{line}:{column}: {message}", self.file)
            }
            kind => write!(f, "{}: {}: {kind}", self.file, self.pointer),
        }
    }
}

impl std::error::Error for Error {
    /// The kind's own source (the serde error behind a [`ErrorKind::Shape`]), not the kind
    /// itself: its text is already part of this error's message.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.kind)
    }
}

/// What is wrong. Messages are lower-case, with no trailing period, and say what was expected.
///
/// New variants go at the end (the lowering stage appends its own there).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// YAML or JSON syntax error (the message is the parser's, without its position).
    #[error("{message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// A local `$ref` whose target does not exist.
    #[error("$ref target {target} does not exist; expected {expected}")]
    UnresolvedRef {
        target: String,
        expected: &'static str,
    },
    /// A construct the generator does not support.
    #[error("{construct} is not supported; expected {expected}")]
    Unsupported { construct: String, expected: String },

    // ---- load: bytes, text, syntax, version, shape ----
    /// The input is not UTF-8 text (binary data, a NUL byte, UTF-16…).
    #[error("the document is not text: {reason}; expected a UTF-8 YAML or JSON document")]
    NotText { reason: String },
    /// Nothing but whitespace.
    #[error("the document is empty; expected an OpenAPI 3.0 document")]
    Empty,
    /// Mappings and sequences nested deeper than the loader accepts.
    #[error(
        "mappings and sequences are nested more than {limit} levels deep here; \
         expected at most {limit} levels"
    )]
    TooDeep { limit: usize },
    /// Valid YAML/JSON, but not an OpenAPI document at all.
    #[error("not an OpenAPI document: {reason}; expected a mapping with `openapi: 3.0.x`, `info` and `paths`")]
    NotOpenApi { reason: String },
    /// A Swagger 2.0 document (`swagger: "2.0"`).
    #[error(
        "Swagger {found} is not supported; expected `openapi: 3.0.x` \
         (convert the document to OpenAPI 3.0 first, e.g. with swagger2openapi)"
    )]
    Swagger2 { found: String },
    /// An OpenAPI version other than 3.0.x or 3.1.x (3.2, 2.x…), or a version that is not a string.
    #[error("OpenAPI version {found} is not supported; expected `openapi: 3.0.x` or `3.1.x`, a string such as \"3.0.3\" or \"3.1.0\"")]
    UnsupportedVersion { found: String },
    /// The document does not have the shape of an OpenAPI 3.0 document (reported by serde,
    /// through `load::shape`: "shape" is the document's structure, nothing else).
    #[error("{message}")]
    Shape {
        message: String,
        #[source]
        source: serde_json::Error,
    },

    // ---- validate: references ----
    /// A `$ref` to another file or a URL.
    #[error(
        "external $ref {target} is not supported; expected a local reference such as \
         #/components/schemas/Name (bundle the document into one file first)"
    )]
    ExternalRef { target: String },
    /// A `$ref` that is not a string or not a JSON pointer (`#Foo`).
    #[error("$ref {target} is {reason}; expected a string such as \"#/components/schemas/Name\"")]
    InvalidRef {
        target: String,
        reason: &'static str,
    },
    /// A `$ref` whose target exists but is the wrong kind of object.
    #[error("$ref target {target} is {found}; expected {expected}")]
    RefKindMismatch {
        target: String,
        found: &'static str,
        expected: &'static str,
    },
    /// A `$ref` where OpenAPI 3.0 does not allow one.
    #[error("$ref is not allowed in {place} (OpenAPI 3.0 has no $ref there); expected the object written out in place")]
    RefNotAllowed { place: &'static str },
    /// A loop of `$ref` and `allOf` edges: no type can be built from it.
    #[error(
        "$ref/allOf chain loops: {}; expected the chain to end in a schema with its own \
         definition (recursion is fine through properties, items or additionalProperties)",
        display_chain(chain)
    )]
    RefCycle { chain: Vec<JsonPointer> },

    // ---- validate: operations and paths ----
    /// Two operations with the same `operationId`.
    #[error(
        "operationId `{id}` is already used by {other}; expected every operationId to be unique"
    )]
    DuplicateOperationId { id: String, other: JsonPointer },
    /// A path template that cannot be parsed.
    #[error("path template {reason}; expected literal text and `{{name}}` placeholders, such as /groups/{{groupId}}/clusters")]
    BadPathTemplate { reason: String },
    /// `{name}` in the template without an `in: path` parameter.
    #[error(
        "path template has `{{{name}}}` but the operation has no `in: path` parameter `{name}`; \
         expected one on the operation or on its path item"
    )]
    UndeclaredPathParam { name: String },
    /// An `in: path` parameter whose name is not in the template.
    #[error(
        "path parameter `{name}` does not appear in the path template; \
         expected `{{{name}}}` in the path, or a parameter that is not `in: path`"
    )]
    UnusedPathParam { name: String },
    /// An `in: path` parameter that is not `required: true`.
    #[error("path parameter `{name}` is not required; expected `required: true` (path parameters are always required)")]
    PathParamNotRequired { name: String },
    /// The same parameter name and location twice in one list.
    #[error("parameter `{name}` in {location} is already declared at {other}; expected each name and location once per operation")]
    DuplicateParameter {
        name: String,
        location: &'static str,
        other: JsonPointer,
    },
    /// A response key that is not an HTTP status code.
    #[error("response status `{code}` is not an HTTP status code; expected 100 to 599, 1XX to 5XX, or `default`")]
    BadStatusCode { code: String },

    /// A schema `type` that is not one of the six OpenAPI 3.0 types.
    #[error(
        "schema type `{found}` is not an OpenAPI 3.0 type; expected one of string, number, \
         integer, boolean, array, object (with `nullable: true` for null)"
    )]
    UnknownSchemaType { found: String },

    // ---- validate: discriminated unions ----
    /// A `discriminator` with nothing to discriminate, on a schema that is not an object
    /// (on an object it is ignored: a plain struct).
    #[error(
        "discriminator on a schema that is not an object, without oneOf/anyOf, mapping or \
         child schemas; expected oneOf or anyOf listing the variants, a mapping, or child \
         schemas with `allOf: [{{$ref: <this schema>}}, …]`"
    )]
    MisplacedDiscriminator,

    // ---- lower ----
    /// A parameter the client must not offer (`x-codegen-omit: true`) that the API requires.
    #[error(
        "parameter `{name}` is marked `x-codegen-omit: true` but is required; expected \
         omitted parameters to be optional (the client never sends them)"
    )]
    OmittedRequiredParam { name: String },
    /// A discriminated-union variant that is not an object schema.
    #[error(
        "union variant {variant} is not an object schema; expected every variant of a \
         discriminated union to be an object (the tag property is written into it)"
    )]
    UnionVariantNotObject { variant: JsonPointer },

    // ---- load: multi-file descriptions and references (see `load::bundle`) ----
    /// A `$ref` to a file that cannot be read (missing, unreadable).
    #[error("$ref {target}: cannot read {path}: {reason}; expected a readable YAML or JSON file at that path, relative to the referring file")]
    FileUnreadable {
        target: String,
        path: String,
        reason: Box<str>,
    },
    /// A `$ref` to a file outside the directory tree of the root document.
    #[error("$ref {target} leads to {path}, outside the directory of the root document; expected a file in that directory or below it (or allow references outside it)")]
    OutsideTree { target: String, path: String },
    /// A `$ref` to a URL: the generator never fetches over the network.
    #[error("$ref {target} is a URL, and the generator never fetches over the network; expected a relative file path or a local reference (download the file next to the description and refer to it by path)")]
    NetworkRef { target: String },
    /// A `$ref` into another file whose fragment names no node of that file.
    #[error("$ref target {target} does not exist: {path} has no node at that pointer; expected a JSON pointer to a node of that file")]
    MissingFragment { target: String, path: String },
    /// References that lead back to themselves without ever reaching an object.
    #[error("$ref chain loops: {}; expected the chain to end in an object written out", chain.join(" → "))]
    FileRefCycle { chain: Vec<String> },

    // ---- skip mode (see `skip`): only ever a warning's problem ----
    /// A `$ref` to a schema component that skip mode left out: what needs it is left out too.
    #[error("{target} is skipped (see its warning); expected every schema this needs to generate")]
    SkippedDependency { target: JsonPointer },
    // ---- validate: security requirements ----
    /// A security requirement naming a scheme that `components/securitySchemes` lacks.
    #[error("security requirement names `{name}`, which is not declared; expected the name of a security scheme under #/components/securitySchemes")]
    UnknownSecurityScheme { name: String },
}

fn display_chain(chain: &[JsonPointer]) -> String {
    let mut out = String::new();
    for p in chain.iter().chain(chain.first()) {
        if !out.is_empty() {
            out.push_str(" → ");
        }
        out.push_str(&p.to_string());
    }
    out
}

/// All problems found, sorted by pointer.
#[derive(Debug)]
pub struct Errors(pub Vec<Error>);

impl Errors {
    /// The problems, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Error> {
        self.0.iter()
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorts by pointer (then by message, so the order is total) and drops exact duplicates.
    pub fn sort(&mut self) {
        let mut keyed: Vec<(JsonPointer, String, Error)> = self
            .0
            .drain(..)
            .map(|e| (e.pointer.clone(), e.to_string(), e))
            .collect();
        keyed.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        keyed.dedup_by(|a, b| a.1 == b.1);
        self.0 = keyed.into_iter().map(|(_, _, e)| e).collect();
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Errors {}

impl From<Error> for Errors {
    fn from(e: Error) -> Self {
        Self(vec![e])
    }
}

impl IntoIterator for Errors {
    type Item = Error;
    type IntoIter = std::vec::IntoIter<Error>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Errors {
    type Item = &'a Error;
    type IntoIter = std::slice::Iter<'a, Error>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Test support shared with `tests/bad_specs.rs`: the variants as declared above.
#[cfg(test)]
#[path = "../tests/support/error_kinds.rs"]
mod error_kinds;

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::error::Error as _;

    use super::*;

    fn at(tokens: &[&str]) -> JsonPointer {
        tokens.iter().fold(JsonPointer::root(), |p, t| p.push(*t))
    }

    #[test]
    fn pointer_form() {
        let e = Error::new(
            "spec.yaml",
            at(&["components", "schemas", "A", "$ref"]),
            ErrorKind::UnresolvedRef {
                target: "#/components/schemas/B".into(),
                expected: "a schema under #/components/schemas",
            },
        );
        assert_eq!(
            e.to_string(),
            "spec.yaml: #/components/schemas/A/$ref: $ref target #/components/schemas/B \
             does not exist; expected a schema under #/components/schemas"
        );
    }

    #[test]
    fn syntax_form_and_fallback() {
        let kind = |line| ErrorKind::Syntax {
            line,
            column: 7,
            message: "bad".into(),
        };
        assert_eq!(
            Error::new("a.yaml", JsonPointer::root(), kind(3)).to_string(),
            "a.yaml:3:7: bad"
        );
        assert_eq!(
            Error::new("a.yaml", JsonPointer::root(), kind(0)).to_string(),
            "a.yaml: #: bad"
        );
    }

    #[test]
    fn cycle_is_closed() {
        let kind = ErrorKind::RefCycle {
            chain: vec![
                at(&["components", "schemas", "A"]),
                at(&["components", "schemas", "B"]),
            ],
        };
        assert!(kind.to_string().starts_with(
            "$ref/allOf chain loops: #/components/schemas/A → #/components/schemas/B → \
             #/components/schemas/A; expected"
        ));
    }

    #[test]
    fn source_chains_serde_error_without_repeating_the_kind() {
        let source = serde_json::from_str::<u8>("x").unwrap_err();
        let e = Error::new(
            "a.yaml",
            JsonPointer::root(),
            ErrorKind::Shape {
                message: "bad shape".into(),
                source,
            },
        );
        let src = e.source().expect("serde error chained");
        assert!(src.to_string().contains("expected value"));
        assert!(ErrorKind::Empty.source().is_none());
    }

    /// One value of every kind. `every_kind_has_a_sample` fails when a kind is missing.
    fn samples() -> Vec<ErrorKind> {
        let p = || at(&["components", "schemas", "A"]);
        let serde = || serde_json::from_str::<u8>("x").unwrap_err();
        vec![
            ErrorKind::Syntax {
                line: 1,
                column: 2,
                message: "invalid YAML: bad".into(),
            },
            ErrorKind::UnresolvedRef {
                target: "#/components/schemas/B".into(),
                expected: "a schema under #/components/schemas",
            },
            ErrorKind::Unsupported {
                construct: "`not`".into(),
                expected: "a schema without `not`".into(),
            },
            ErrorKind::NotText {
                reason: "it contains a NUL byte at offset 0".into(),
            },
            ErrorKind::Empty,
            ErrorKind::TooDeep { limit: 64 },
            ErrorKind::NotOpenApi {
                reason: "it has no `openapi` field".into(),
            },
            ErrorKind::Swagger2 {
                found: "2.0".into(),
            },
            ErrorKind::UnsupportedVersion {
                found: "3.1.0".into(),
            },
            ErrorKind::Shape {
                message: "invalid type: null; expected an Info object".into(),
                source: serde(),
            },
            ErrorKind::ExternalRef {
                target: "other.yaml#/B".into(),
            },
            ErrorKind::InvalidRef {
                target: "#B".into(),
                reason: "not a JSON pointer",
            },
            ErrorKind::RefKindMismatch {
                target: "#/components/parameters/P".into(),
                found: "a parameter",
                expected: "a schema under #/components/schemas",
            },
            ErrorKind::RefNotAllowed {
                place: "a media type",
            },
            ErrorKind::RefCycle {
                chain: vec![p(), at(&["components", "schemas", "B"])],
            },
            ErrorKind::DuplicateOperationId {
                id: "getA".into(),
                other: p(),
            },
            ErrorKind::BadPathTemplate {
                reason: "has an empty `{}`".into(),
            },
            ErrorKind::UndeclaredPathParam { name: "id".into() },
            ErrorKind::UnusedPathParam { name: "id".into() },
            ErrorKind::PathParamNotRequired { name: "id".into() },
            ErrorKind::DuplicateParameter {
                name: "id".into(),
                location: "path",
                other: p(),
            },
            ErrorKind::BadStatusCode {
                code: "2000".into(),
            },
            ErrorKind::UnknownSchemaType {
                found: "strin".into(),
            },
            ErrorKind::MisplacedDiscriminator,
            ErrorKind::OmittedRequiredParam {
                name: "envelope".into(),
            },
            ErrorKind::UnionVariantNotObject { variant: p() },
            ErrorKind::FileUnreadable {
                target: "models/pet.yaml".into(),
                path: "models/pet.yaml".into(),
                reason: "no such file".into(),
            },
            ErrorKind::OutsideTree {
                target: "../common.yaml".into(),
                path: "../common.yaml".into(),
            },
            ErrorKind::NetworkRef {
                target: "https://example.com/pet.yaml".into(),
            },
            ErrorKind::MissingFragment {
                target: "pet.yaml#/Nope".into(),
                path: "pet.yaml".into(),
            },
            ErrorKind::FileRefCycle {
                chain: vec!["a.yaml".into(), "b.yaml".into()],
            },
            ErrorKind::SkippedDependency { target: p() },
            ErrorKind::UnknownSecurityScheme {
                name: "apikey".into(),
            },
        ]
    }

    /// Whether a kind's message is another tool's text passed through (a parser's, or
    /// serde's reworded): only those may lack our `; expected …`. Exhaustive on purpose,
    /// without a wildcard: a new kind does not compile until it is placed here.
    fn passes_text_through(kind: &ErrorKind) -> bool {
        match kind {
            ErrorKind::Syntax { .. } | ErrorKind::Shape { .. } => true,
            ErrorKind::UnresolvedRef { .. }
            | ErrorKind::Unsupported { .. }
            | ErrorKind::NotText { .. }
            | ErrorKind::Empty
            | ErrorKind::TooDeep { .. }
            | ErrorKind::NotOpenApi { .. }
            | ErrorKind::Swagger2 { .. }
            | ErrorKind::UnsupportedVersion { .. }
            | ErrorKind::ExternalRef { .. }
            | ErrorKind::InvalidRef { .. }
            | ErrorKind::RefKindMismatch { .. }
            | ErrorKind::RefNotAllowed { .. }
            | ErrorKind::RefCycle { .. }
            | ErrorKind::DuplicateOperationId { .. }
            | ErrorKind::BadPathTemplate { .. }
            | ErrorKind::UndeclaredPathParam { .. }
            | ErrorKind::UnusedPathParam { .. }
            | ErrorKind::PathParamNotRequired { .. }
            | ErrorKind::DuplicateParameter { .. }
            | ErrorKind::BadStatusCode { .. }
            | ErrorKind::UnknownSchemaType { .. }
            | ErrorKind::MisplacedDiscriminator
            | ErrorKind::OmittedRequiredParam { .. }
            | ErrorKind::UnionVariantNotObject { .. }
            | ErrorKind::FileUnreadable { .. }
            | ErrorKind::OutsideTree { .. }
            | ErrorKind::NetworkRef { .. }
            | ErrorKind::MissingFragment { .. }
            | ErrorKind::FileRefCycle { .. }
            | ErrorKind::SkippedDependency { .. }
            | ErrorKind::UnknownSecurityScheme { .. } => false,
        }
    }

    #[test]
    fn every_kind_has_a_sample() {
        let declared = super::error_kinds::declared();
        let sampled: BTreeSet<String> = samples().iter().map(super::error_kinds::name).collect();
        let missing: Vec<&String> = declared.difference(&sampled).collect();
        assert!(missing.is_empty(), "samples() has no {missing:?}");
        assert_eq!(declared.len(), samples().len(), "one sample per kind");
    }

    #[test]
    fn messages_are_lower_case_without_trailing_period() {
        // Proper nouns may start a message.
        const PROPER: &[&str] = &["Swagger ", "OpenAPI "];
        for k in samples() {
            let s = k.to_string();
            assert!(!s.ends_with('.'), "{s}");
            assert!(!s.contains('\n'), "{s}");
            let proper = PROPER.iter().any(|p| s.starts_with(p));
            assert!(
                proper || s.chars().next().is_some_and(|c| !c.is_uppercase()),
                "{s}"
            );
            if !passes_text_through(&k) {
                assert!(s.contains("; expected "), "{s}");
            }
        }
        assert_eq!(
            ErrorKind::UndeclaredPathParam { name: "id".into() }.to_string(),
            "path template has `{id}` but the operation has no `in: path` parameter `id`; \
             expected one on the operation or on its path item"
        );
    }

    #[test]
    fn errors_sort_by_pointer_and_dedup() {
        let mk = |t: &str| Error::new("f", at(&[t]), ErrorKind::MisplacedDiscriminator);
        let mut errors = Errors(vec![mk("b"), mk("a"), mk("b")]);
        errors.sort();
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors.to_string(),
            format!(
                "f: #/a: {}\nf: #/b: {}",
                ErrorKind::MisplacedDiscriminator,
                ErrorKind::MisplacedDiscriminator
            )
        );
    }
}
