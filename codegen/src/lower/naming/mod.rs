//! Naming: the only place where spec strings become Rust identifiers, and the only
//! constructor of the IR's name newtypes (`TypeName`, `FieldName`, `VariantName`,
//! `MethodName`).
//!
//! Input: component keys, property names, enum values, operationIds (or, for an operation
//! without one, its route `GET /pets/{petId}`), derived name parts. Output: identifiers
//! that are valid, keyword-free and unique in their scope, and for a renamed spec item the
//! name it would have had and who has that one.
//!
//! Rules (house style):
//! - Types and variants are UpperCamelCase, fields/parameters/methods snake_case (heck).
//! - Identifiers are ASCII (`spell`): non-ASCII is transliterated (`café` → `cafe`);
//!   symbols are spelled where they are all there is or at an edge (`<` → `Lt`,
//!   `>=` → `Ge`, `-createdAt` → `MinusCreatedAt`, `+1` → `Plus1`); every other
//!   character that is not an ASCII letter or digit is a word boundary. Non-ASCII
//!   identifiers would trip the `confusable_idents`/`uncommon_codepoints` lints that
//!   generated code must pass.
//! - Keywords (strict and reserved, 2018 edition and later) get a `_` suffix: `type_`,
//!   `self_`, `Self_`. A leading digit gets a prefix: `V` for types and variants, `n` for
//!   fields and methods.
//! - An operation without an operationId is named after its route: `GET /pets/{petId}`
//!   → method `get_pets_pet_id`, builder `GetPetsPetId` (claimed after every operationId).
//! - Every scope is one `NameTable` (in `tables`). Names a scope reserves (`Client`,
//!   `Unknown`, `send`…) are seeded up front; a spec name that lands on one is renamed
//!   with a fixed suffix (`Client` → `ClientModel`, `UNKNOWN` → `UnknownValue`, parameter
//!   `body` → `body_param`, operation `new` → `new_op`, builder `Error` → `ErrorBuilder`).
//! - A collision is never an error: the first claimant in a deterministic order (sorted
//!   keys, spec order of enum values and properties, sorted operationIds) keeps the plain
//!   name, later ones get `_2`/`2`, `_3`/`3`… and carry a `Renamed` for their docs (an
//!   enum variant's docs show its wire value anyway). A value listed twice in one enum is
//!   one variant.

mod case;
mod spell;
mod tables;

pub use case::{derived, singular, snake, upper_camel, version_variant};
pub use tables::{
    BuilderNames, Claimed, CredentialNames, FieldNames, MethodNames, TypeNames, VariantNames,
    RESERVED_CREDENTIAL_NAMES, RESERVED_METHOD_NAMES, RESERVED_PARAM_NAMES, RESERVED_TYPE_NAMES,
};
