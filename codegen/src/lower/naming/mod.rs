//! Naming: the only place where spec strings become Rust identifiers, and the only
//! constructor of the IR's name newtypes (`TypeName`, `FieldName`, `VariantName`,
//! `MethodName`).
//!
//! Input: component keys, property names, enum values, operationIds, derived name parts.
//! Output: identifiers that are valid, keyword-free and unique in their scope.
//!
//! Rules (house style):
//! - Types and variants are UpperCamelCase, fields/parameters/methods snake_case (heck).
//! - Identifiers are ASCII: every character that is not an ASCII letter or digit is a word
//!   boundary. That is stricter than "non-XID", on purpose: non-ASCII identifiers trip the
//!   `confusable_idents`/`uncommon_codepoints` lints that generated code must pass.
//! - Keywords (strict and reserved, 2018 edition and later) get a `_` suffix: `type_`,
//!   `self_`, `Self_`. A leading digit gets a prefix: `V` for types and variants, `n` for
//!   fields and methods.
//! - Every scope is one `NameTable` (in `tables`). Names a scope reserves (`Client`,
//!   `Unknown`, `send`…) are seeded up front; a spec name that lands on one is renamed
//!   with a fixed suffix (`Client` → `ClientModel`, `UNKNOWN` → `UnknownValue`, parameter
//!   `body` → `body_param`, operation `new` → `new_op`, builder `Error` → `ErrorBuilder`).
//! - Spec names that must not be merged (component types, enum values, tag values,
//!   operationIds) collide with an error naming the other pointer; names that may be
//!   adjusted (fields, parameters, derived inline type names) get `_2`/`2`, `_3`/`3`…

mod case;
mod tables;

pub use case::{derived, singular, snake, upper_camel, version_variant};
pub use tables::{
    BuilderNames, CredentialNames, FieldNames, MethodNames, TypeNames, VariantNames,
    RESERVED_CREDENTIAL_NAMES, RESERVED_METHOD_NAMES, RESERVED_PARAM_NAMES, RESERVED_TYPE_NAMES,
};
