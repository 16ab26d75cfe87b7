//! `multipart/form-data` request bodies → [`Multipart`]: which property becomes which kind
//! of part, decided here once (OpenAPI 3.0.3, "Special Considerations for `multipart`
//! Content" and the Encoding Object's `contentType` defaults):
//!
//! - a primitive property (string, number, integer, boolean, enum) is a text part;
//! - `type: string` with `format: binary` or `byte` is a file part: the struct field becomes
//!   a `crate::FilePart` (bytes, file name, content type), whatever other body uses the
//!   schema (in JSON a `FilePart` is its bytes in base64, which is what `byte` means there);
//! - an object (or anything else structured) is an `application/json` part;
//! - an array is one part per item, each by the item's kind (several files under one name);
//! - the media type's `encoding.{property}.contentType` sets the part's `Content-Type` when
//!   it names exactly one concrete media type (a list or a wildcard leaves the choice to the
//!   caller's `FilePart`).
//!
//! A body whose schema is not an object with properties (no schema, a lone binary string,
//! an array, a union, a map) names no parts: the body is then the runtime's
//! `crate::multipart::Form`, which the caller fills. An object that also allows
//! `additionalProperties` is refused, naming its pointer: the extra entries would have no
//! defined encoding.

use std::collections::BTreeMap;

use openapiv3::MediaType;
use serde_json::Value;

use super::hint::Hint;
use super::recurse::Recurse;
use super::schema::Schemas;
use crate::document::Document;
use crate::error::Error;
use crate::ir::{
    Constraints, FormPart, Multipart, PartKind, Scalar, Struct, TypeDef, TypeKind, TypeName,
    TypeRef,
};
use crate::pointer::JsonPointer;

/// How many `$ref`s are followed from one property before giving up (cycles are reported by
/// `validate`; this only bounds the walk).
const MAX_REFS: usize = 32;

/// The body type and its parts, for the `multipart/form-data` media type object `mt` at
/// `media_at` (`…/requestBody/content/multipart~1form-data`).
pub(crate) fn lower<'a>(
    schemas: &mut Schemas<'a>,
    mt: &'a MediaType,
    media_at: &JsonPointer,
    hint: &Hint,
) -> Result<(TypeRef, Multipart), Error> {
    let free = (TypeRef::Scalar(Scalar::Form), Multipart::Free);
    let Some(schema) = &mt.schema else {
        return Ok(free);
    };
    let schema_at = media_at.push("schema");
    let ty = schemas.schema_ref(schema, &schema_at, hint)?;
    let doc = schemas.doc();
    let types = schemas.types();
    let Some((name, st)) = struct_of(types, &ty) else {
        return Ok(free);
    };
    if st.additional.is_some() {
        return Err(doc.unsupported(
            &schema_at,
            "a multipart/form-data body schema with both properties and `additionalProperties`",
            "an object whose parts are its properties",
        ));
    }
    let mut parts = Vec::with_capacity(st.fields.len());
    for field in &st.fields {
        let (each, item) = match types_resolve(types, &field.ty) {
            TypeRef::List(inner) => (true, inner.as_ref()),
            other => (false, other),
        };
        let item_at = if each {
            node(doc, &field.source).map(|(_, at)| at.push("items"))
        } else {
            Some(field.source.clone())
        };
        let kind = if item_at.is_some_and(|at| is_file(doc, &at)) {
            PartKind::File
        } else {
            value_kind(types, item)
        };
        parts.push(FormPart {
            wire: field.wire.clone(),
            field: field.rust.clone(),
            kind,
            each,
            content_type: content_type(mt, &field.wire),
        });
    }
    // File fields hold a `FilePart`; string rules (lengths, patterns) describe text, not
    // the caller's bytes.
    if let Some(TypeKind::Struct(st)) = schemas.type_mut(&name).map(|def| &mut def.kind) {
        for (field, part) in st.fields.iter_mut().zip(&parts) {
            if part.kind == PartKind::File {
                let file = TypeRef::Scalar(Scalar::File);
                field.ty = if part.each {
                    TypeRef::List(Box::new(file))
                } else {
                    file
                };
                field.rules = Constraints {
                    format: field.rules.format.take(),
                    ..Constraints::default()
                };
            }
        }
    }
    Ok((ty, Multipart::Fields(parts)))
}

/// The struct a body type is (through aliases), with its name.
fn struct_of<'t>(
    types: &'t BTreeMap<TypeName, TypeDef>,
    ty: &TypeRef,
) -> Option<(TypeName, &'t Struct)> {
    let mut ty = ty;
    for _ in 0..MAX_REFS {
        let TypeRef::Named(name) = ty else {
            return None;
        };
        match &types.get(name)?.kind {
            TypeKind::Struct(st) => return Some((name.clone(), st)),
            TypeKind::Alias(inner) => ty = inner,
            _ => return None,
        }
    }
    None
}

/// A type through its aliases.
fn types_resolve<'t>(types: &'t BTreeMap<TypeName, TypeDef>, mut ty: &'t TypeRef) -> &'t TypeRef {
    for _ in 0..MAX_REFS {
        match ty {
            TypeRef::Named(name) => match types.get(name).map(|def| &def.kind) {
                Some(TypeKind::Alias(inner)) => ty = inner,
                _ => return ty,
            },
            _ => return ty,
        }
    }
    ty
}

/// The kind of part a (non-file) value is: text for primitives and enums, JSON otherwise.
fn value_kind(types: &BTreeMap<TypeName, TypeDef>, ty: &TypeRef) -> PartKind {
    match types_resolve(types, ty) {
        TypeRef::Scalar(
            Scalar::String
            | Scalar::Bool
            | Scalar::I32
            | Scalar::I64
            | Scalar::F32
            | Scalar::F64
            | Scalar::DateTime
            | Scalar::Date,
        ) => PartKind::Text,
        TypeRef::Scalar(Scalar::Bytes | Scalar::File | Scalar::Form) => PartKind::File,
        TypeRef::Named(name) => match types.get(name).map(|def| &def.kind) {
            Some(TypeKind::Enum(_)) => PartKind::Text,
            _ => PartKind::Json,
        },
        TypeRef::List(_) | TypeRef::Map(_) | TypeRef::Json | TypeRef::JsonObject => PartKind::Json,
    }
}

/// The schema node at `at` after following its local `$ref`s, with its pointer.
fn node<'a>(doc: Document<'a>, at: &JsonPointer) -> Option<(&'a Value, JsonPointer)> {
    let mut at = at.clone();
    for _ in 0..MAX_REFS {
        let value = doc.node(&at)?;
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => at = JsonPointer::parse_ref(reference)?,
            None => return Some((value, at)),
        }
    }
    None
}

/// Whether the schema at `at` is a file: `type: string` with `format: binary` or `byte`
/// (also as the lone member of an `allOf` wrapper, which adds a description).
fn is_file(doc: Document<'_>, at: &JsonPointer) -> bool {
    let Some((schema, at)) = node(doc, at) else {
        return false;
    };
    if let Some([_]) = schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        return is_file(doc, &at.push("allOf").index(0));
    }
    schema.get("type").and_then(Value::as_str) == Some("string")
        && matches!(
            schema.get("format").and_then(Value::as_str),
            Some("binary" | "byte")
        )
}

/// The `Content-Type` that `encoding.{wire}.contentType` gives a part, when it names one
/// concrete media type.
fn content_type(mt: &MediaType, wire: &str) -> Option<String> {
    let ct = mt.encoding.get(wire)?.content_type.as_deref()?.trim();
    (!ct.is_empty() && !ct.contains(',') && !ct.contains('*')).then(|| ct.to_owned())
}
