//! Type definitions of the IR: structs, open enums, discriminated and untagged unions, maps
//! and aliases, and the `TypeRef`s that point at them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{FieldName, Renamed, TypeName, VariantName};
use crate::pointer::JsonPointer;

/// Documentation carried from the spec (already plain text; emit sanitises for rustdoc).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Docs {
    /// `title` or `summary`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `description`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `externalDocs.url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_url: Option<String>,
}

/// One named type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeDef {
    /// Its Rust name (the key it is stored under in `Ir::types`).
    pub name: TypeName,
    /// Its docs.
    pub docs: Docs,
    /// `deprecated: true` in the spec.
    pub deprecated: bool,
    /// What kind of type it is.
    pub kind: TypeKind,
    /// Where it comes from.
    pub source: JsonPointer,
    /// A component whose name another component converts to first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed: Option<Renamed>,
    /// A value of it can fail `Validate` (a rule somewhere inside it): only then does emit
    /// write a `Validate` impl or a `.validate()` call for it. Decided by `lower::checked`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub checked: bool,
}

/// The kinds of named type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum that keeps values it does not know (`Unknown(String)`).
    Enum(OpenEnum),
    /// `oneOf` + `discriminator`: a tagged union with a raw-JSON fallback.
    Union(Union),
    /// `oneOf`/`anyOf` without a discriminator: tried in order (serde `untagged`).
    Untagged(Untagged),
    /// An object that is only `additionalProperties`: `BTreeMap<String, T>`.
    Map(TypeRef),
    /// A named schema that is just another type (`type Foo = Vec<Bar>;`).
    Alias(TypeRef),
}

/// An object type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Struct {
    /// Fields in spec order (after `allOf` merging: base fields first).
    pub fields: Vec<Field>,
    /// Type of `additionalProperties` when the object has both properties and extra keys;
    /// emitted as a `#[serde(flatten)]` map.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional: Option<TypeRef>,
    /// Rust name of the flattened `additionalProperties` map field (`extra` unless a
    /// property already takes that name). `Some` exactly when `additional` is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub additional_field: Option<FieldName>,
    /// When this struct is a variant of a discriminated union, the tag property it was
    /// stripped of (the union writes it back). `None` for ordinary structs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag: Option<TagInfo>,
}

/// The discriminator property stripped from a union variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagInfo {
    /// The property name on the wire (`type`).
    pub wire: String,
    /// The value(s) that select this struct.
    pub values: Vec<String>,
}

/// One field of a struct.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Property name on the wire.
    pub wire: String,
    /// Rust field name (snake_case, keyword-safe, unique in the struct).
    pub rust: FieldName,
    /// Its type (without the `Option` wrappers that `required`/`nullable` add).
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`: absent and `null` stay distinguishable.
    pub nullable: bool,
    /// Needs a `Box` to break a reference cycle.
    pub boxed: bool,
    /// `readOnly: true` (only in responses).
    pub read_only: bool,
    /// `writeOnly: true` (only in requests).
    pub write_only: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Docs of the property.
    pub docs: Docs,
    /// Validation rules and default.
    pub rules: Constraints,
    /// Where it comes from.
    pub source: JsonPointer,
    /// A property whose name another property of the struct converts to first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed: Option<Renamed>,
}

/// Validation rules and the default value, from the schema keywords.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Constraints {
    /// `pattern`s the value must match, every one (an `allOf` can add several).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub patterns: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minimum: Option<serde_json::Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maximum: Option<serde_json::Number>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_minimum: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub exclusive_maximum: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_items: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_items: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unique_items: bool,
    /// `format` as written when it is informative but has no Rust type of its own
    /// (`email`, `uri`, `uuid`…), for the docs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// `default`, as JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// `example`, as JSON (docs only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
}

impl Constraints {
    /// Whether any rule would need a runtime check.
    pub fn has_checks(&self) -> bool {
        !self.patterns.is_empty()
            || self.minimum.is_some()
            || self.maximum.is_some()
            || self.min_length.is_some()
            || self.max_length.is_some()
            || self.min_items.is_some()
            || self.max_items.is_some()
    }
}

/// A string enum with a catch-all `Unknown(String)` variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenEnum {
    /// Known values in spec order.
    pub values: Vec<EnumValue>,
}

/// One known enum value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnumValue {
    /// The value on the wire (may be empty, may start with a digit).
    pub wire: String,
    /// The variant name.
    pub rust: VariantName,
}

/// A discriminated union.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Union {
    /// The discriminator property name on the wire.
    pub tag: String,
    /// Variants in mapping order (or by tag value without a mapping). Every union also
    /// has an `Unknown(serde_json::Value)` variant for tags it does not list (servers add
    /// variants), so it is not in the IR.
    pub variants: Vec<UnionVariant>,
}

/// One variant of a discriminated union.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnionVariant {
    /// The discriminator value that selects it.
    pub tag_value: String,
    /// Variant name.
    pub rust: VariantName,
    /// The struct it holds.
    pub ty: TypeName,
    /// Needs a `Box` to break a reference cycle (large variants are not boxed: the union
    /// enums allow `clippy::large_enum_variant` instead).
    pub boxed: bool,
}

/// `oneOf`/`anyOf` without a discriminator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Untagged {
    /// Which keyword it came from (docs say how it decodes).
    pub kind: UntaggedKind,
    /// Variants in decoding order (tried in this order): spec order, except that a struct
    /// whose required properties strictly include an earlier struct's goes first.
    pub variants: Vec<UntaggedVariant>,
    /// The spec's discriminator property when it could not be used (a variant is not an
    /// object, so it cannot carry the property): the docs say so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unusable_discriminator: Option<String>,
    /// Every variant is a scalar or an open enum: the union can be a parameter, sent as
    /// its variant's own text (emit gives it `ToParam`).
    pub to_param: bool,
}

/// Where an untagged union came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UntaggedKind {
    OneOf,
    AnyOf,
}

/// One variant of an untagged union.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UntaggedVariant {
    pub rust: VariantName,
    pub ty: TypeRef,
}

/// A reference to a type, as used by fields, parameters, bodies and responses.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum TypeRef {
    /// A named type in `Ir::types`.
    Named(TypeName),
    /// A scalar.
    Scalar(Scalar),
    /// `Vec<T>`.
    List(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// Free-form JSON value (`serde_json::Value`).
    Json,
    /// Free-form JSON object (`serde_json::Map<String, Value>`).
    JsonObject,
}

impl TypeRef {
    /// Whether a value of this type can fail `Validate`: a checked named type
    /// ([`TypeDef::checked`]), or a list or map of one.
    pub fn is_checked(&self, types: &BTreeMap<TypeName, TypeDef>) -> bool {
        let mut current = self;
        loop {
            match current {
                Self::Named(name) => return types.get(name).is_some_and(|def| def.checked),
                Self::List(inner) | Self::Map(inner) => current = inner,
                Self::Scalar(_) | Self::Json | Self::JsonObject => return false,
            }
        }
    }
}

/// Scalar types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Scalar {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// `format: date-time` → `chrono::DateTime<Utc>`.
    DateTime,
    /// `format: date` → `chrono::NaiveDate`.
    Date,
    /// Raw bytes (`bytes::Bytes`): only request bodies that are not JSON.
    Bytes,
    /// A file part of a multipart body (`crate::FilePart`: bytes, file name, content
    /// type): a `format: binary`/`byte` property of a `multipart/form-data` body schema.
    File,
    /// A multipart body whose parts the spec does not name (`crate::multipart::Form`).
    Form,
}
